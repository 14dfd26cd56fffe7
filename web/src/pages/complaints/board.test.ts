import { describe, expect, it } from 'vitest';
import { type Complaint, type Status, columnPath, filtersOf, movesFrom, moveRoute, ordered } from './board';

const complaint = (id: number, status: Status, deadline: string) => ({ id, status, deadline }) as Complaint;

describe('a column', () => {
  it('puts the open complaints most pressing first and the others by id', () => {
    const open = [complaint(3, 'open', '2026-12-07T10:00:00Z'), complaint(1, 'in_progress', '2026-12-06T10:00:00Z'), complaint(2, 'open', '2026-12-06T10:00:00Z')];
    expect(ordered(open).map((c) => c.id)).toEqual([1, 2, 3]);
    const closed = [complaint(9, 'closed', '2026-01-01T00:00:00Z'), complaint(4, 'closed', '2026-12-01T00:00:00Z')];
    expect(ordered(closed).map((c) => c.id)).toEqual([4, 9]);
  });
});

describe('moves', () => {
  it('follow the table of docs/complaints.md', () => {
    expect(movesFrom('open')).toEqual(['start', 'resolve']);
    expect(movesFrom('in_progress')).toEqual(['back_to_open', 'resolve']);
    expect(movesFrom('resolved')).toEqual(['close', 'reopen']);
    expect(movesFrom('closed')).toEqual(['reopen']);
    expect(moveRoute('start')).toEqual({ action: 'status', body: { status: 'in_progress' } });
    expect(moveRoute('close')).toEqual({ action: 'close', body: {} });
  });
});

describe('filters', () => {
  it('go from the address to the API and leave out the empty ones', () => {
    const filters = filtersOf({ category: 'delivery', customer_id: '42', other: 'x' });
    expect(columnPath('open', filters, 100, null)).toBe('/complaints?status=open&category=delivery&customer_id=42&limit=100');
    expect(columnPath('closed', filtersOf({}), 100, 812)).toBe('/complaints?status=closed&limit=100&after=812');
  });
});
