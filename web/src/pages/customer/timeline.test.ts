import { describe, expect, test } from 'vitest';
import type { CustomerProfile } from '../../api/types';
import { filterTimeline, timelineOf } from './timeline';

const row = (id: number, fields: Record<string, string | number | boolean | null>) => ({ id, ...fields });

function profile(records: Record<string, object[]>): CustomerProfile {
  const empty = { contacts: [], activities: [], opportunities: [], quotations: [], orders: [], contracts: [], invoices: [], expenses: [], complaints: [], churn_events: [], ownership_changes: [] };
  return { ...empty, ...records } as unknown as CustomerProfile;
}

const names = (id: unknown) => (id === 7 || id === '7' ? 'dan.xu7' : `#${String(id)}`);

describe('timelineOf', () => {
  const p = profile({
    activities: [row(14, { kind: 'visit', occurred_at: '2026-10-25T16:14:51Z', outcome: 'unsuccessful', user_id: '7', notes: null, follow_up_on: '2026-11-01', follow_up_done: false })],
    orders: [row(18, { order_date: '2026-07-04', amount: 317.79, cost: 206.73, quantity: 5, status: 'completed' })],
    invoices: [row(8, { issued_on: '2026-07-04', due_on: '2026-08-03', amount: 317.79, paid_amount: 100, paid_on: null })],
    churn_events: [row(2, { kind: 'lost', occurred_on: '2026-08-28', churn_type: 'negligence', reasons: 'product_quality;price', competitor: null, notes: null })],
    ownership_changes: [row(1, { changed_at: '2025-11-21T15:33:24Z', from_user_id: 6, to_user_id: 7, reason: 'salesperson left' })],
  });

  test('merges every kind, newest first, same day newer record first', () => {
    const events = timelineOf(p, names);
    expect(events.map((e) => `${e.kind}:${e.id}`)).toEqual(['activity:14', 'churn:2', 'order:18', 'invoice:8', 'ownership:1']);
  });

  test('says what each record is', () => {
    const byKind = Object.fromEntries(timelineOf(p, names).map((e) => [e.kind, e]));
    expect(byKind['activity']?.title).toBe('Visit · unsuccessful · dan.xu7');
    expect(byKind['activity']?.detail).toBe('next contact on 2026-11-01');
    expect(byKind['order']?.title).toBe('Order of 317.79 · completed');
    expect(byKind['invoice']?.title).toBe('Invoice of 317.79 · 217.79 open');
    expect(byKind['churn']?.title).toBe('Lost · negligence');
    expect(byKind['churn']?.detail).toBe('reasons: product quality, price');
    expect(byKind['ownership']?.title).toBe('Owner #6 → dan.xu7');
  });

  test('filters by kind; no kind chosen shows all', () => {
    const events = timelineOf(p, names);
    expect(filterTimeline(events, new Set(['order', 'invoice'])).map((e) => e.kind)).toEqual(['order', 'invoice']);
    expect(filterTimeline(events, new Set())).toHaveLength(5);
  });
});
