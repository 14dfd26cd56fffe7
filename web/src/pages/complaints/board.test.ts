import { describe, expect, it } from 'vitest';
import { columnPath, deadlineHoursOf, deadlineOf, filtersOf, isOverdue, movesFrom, moveRoute } from './board';

const hours = deadlineHoursOf({ open: { by_severity: { low: { deadline_hours: 168 }, high: { deadline_hours: 24 }, critical: { deadline_hours: 8 } } } });

describe('deadlines', () => {
  it('count the severity hours from the opening', () => {
    expect(deadlineOf({ opened_at: '2026-08-19T09:52:45Z', severity: 'low' }, hours)).toBe('2026-08-26T09:52:45Z');
    expect(deadlineOf({ opened_at: '2026-12-31T20:00:00Z', severity: 'critical' }, hours)).toBe('2027-01-01T04:00:00Z');
  });
  it('are unknown without the hours of the severity', () => {
    expect(deadlineOf({ opened_at: '2026-08-19T09:52:45Z', severity: 'medium' }, hours)).toBeNull();
    expect(deadlineOf({ opened_at: '2026-08-19T09:52:45Z', severity: 'low' }, null)).toBeNull();
  });
  it('make an open complaint overdue when they fall before 24:00 UTC of the as-of day', () => {
    expect(isOverdue({ status: 'open' }, '2026-12-05T23:59:59Z', '2026-12-05')).toBe(true);
    expect(isOverdue({ status: 'in_progress' }, '2026-12-06T00:00:00Z', '2026-12-05')).toBe(false);
    expect(isOverdue({ status: 'resolved' }, '2026-01-01T00:00:00Z', '2026-12-05')).toBe(false);
    expect(isOverdue({ status: 'open' }, null, '2026-12-05')).toBe(false);
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
