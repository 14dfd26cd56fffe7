// The customer 360's timeline: every record of the profile as one event with
// its day, newest first, so a salesperson reads the customer's history in
// one place. Which field dates each kind and what its line says is decided
// here; the records themselves come from GET /customers/{id}.
import type { CustomerProfile } from '../../api/types';
import { formatAmount } from '../../lib/format';

export type TimelineKind =
  | 'activity'
  | 'order'
  | 'quotation'
  | 'opportunity'
  | 'contract'
  | 'invoice'
  | 'expense'
  | 'complaint'
  | 'churn'
  | 'ownership';

export const timelineKinds: { kind: TimelineKind; label: string }[] = [
  { kind: 'activity', label: 'Activities' },
  { kind: 'order', label: 'Orders' },
  { kind: 'quotation', label: 'Quotations' },
  { kind: 'opportunity', label: 'Opportunities' },
  { kind: 'contract', label: 'Contracts' },
  { kind: 'invoice', label: 'Invoices' },
  { kind: 'expense', label: 'Expenses' },
  { kind: 'complaint', label: 'Complaints' },
  { kind: 'churn', label: 'Lost and won back' },
  { kind: 'ownership', label: 'Owner changes' },
];

export interface TimelineEvent {
  kind: TimelineKind;
  id: number;
  at: string; // "YYYY-MM-DD" or a timestamp; sorts as text
  title: string;
  detail: string;
}

type Names = (userId: unknown) => string;

const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value));
const money = (value: unknown): string => (typeof value === 'number' ? formatAmount(value) : '');
const words = (value: unknown): string => text(value).replaceAll('_', ' ');
const joined = (...parts: string[]): string => parts.filter((p) => p !== '').join(' · ');

// One kind of record: its rows in the profile, the day that dates it, and
// its line. Each rule reads the fields of its own row type (the API's
// schema), so a field the API renames fails the type check here.
interface KindRule<Row extends { id: number }> {
  kind: TimelineKind;
  rows: (p: CustomerProfile) => Row[];
  at: (r: Row) => string | null;
  title: (r: Row, names: Names) => string;
  detail: (r: Row, names: Names) => string;
}

type Events = (p: CustomerProfile, names: Names) => TimelineEvent[];

function rule<Row extends { id: number }>(r: KindRule<Row>): Events {
  return (p, names) => r.rows(p).map((row) => ({ kind: r.kind, id: row.id, at: text(r.at(row)), title: r.title(row, names), detail: r.detail(row, names) }));
}

const rules: Events[] = [
  rule({
    kind: 'activity',
    rows: (p) => p.activities,
    at: (r) => r.occurred_at,
    title: (r, names) => joined(`${words(r.kind)}`.replace(/^\w/, (c) => c.toUpperCase()), words(r.outcome), names(r.user_id)),
    detail: (r) => joined(text(r.notes), r.follow_up_on ? `next contact on ${r.follow_up_on}${r.follow_up_done ? ' (done)' : ''}` : ''),
  }),
  rule({
    kind: 'order',
    rows: (p) => p.orders,
    at: (r) => r.order_date,
    title: (r) => joined(`Order of ${money(r.amount)}`, words(r.status)),
    detail: (r) => joined(r.quantity !== null ? `quantity ${text(r.quantity)}` : '', r.cost !== null ? `cost ${money(r.cost)}` : ''),
  }),
  rule({
    kind: 'quotation',
    rows: (p) => p.quotations,
    at: (r) => r.quoted_on,
    title: (r) => joined(`Quotation of ${money(r.amount)}`, words(r.status)),
    detail: (r) => joined(r.valid_until ? `valid until ${r.valid_until}` : '', text(r.notes)),
  }),
  rule({
    kind: 'opportunity',
    rows: (p) => p.opportunities,
    at: (r) => r.closed_on ?? r.opened_on,
    title: (r) => joined(`Opportunity ${r.name}`, words(r.stage)),
    detail: (r) => joined(money(r.amount), r.lost_reason ? `lost: ${r.lost_reason}` : '', r.expected_close_on && !r.closed_on ? `expected ${r.expected_close_on}` : ''),
  }),
  rule({
    kind: 'contract',
    rows: (p) => p.contracts,
    at: (r) => r.cancelled_on ?? r.signed_on ?? r.start_date,
    title: (r) => joined(`Contract of ${money(r.value)}`, words(r.status)),
    detail: (r) => joined(`${r.start_date} – ${text(r.end_date)}`, r.cancelled_on ? `cancelled ${r.cancelled_on}` : ''),
  }),
  rule({
    kind: 'invoice',
    rows: (p) => p.invoices,
    at: (r) => r.issued_on,
    title: (r) => {
      const open = r.amount - r.paid_amount;
      return joined(`Invoice of ${money(r.amount)}`, open > 0.005 ? `${formatAmount(open)} open` : 'paid');
    },
    detail: (r) => joined(`due ${r.due_on}`, r.paid_on ? `paid ${r.paid_on}` : ''),
  }),
  rule({
    kind: 'expense',
    rows: (p) => p.expenses,
    at: (r) => r.spent_on,
    title: (r) => joined(`Expense of ${money(r.amount)}`, words(r.category)),
    detail: (r, names) => joined(names(r.user_id), text(r.notes)),
  }),
  rule({
    kind: 'complaint',
    rows: (p) => p.complaints,
    at: (r) => r.opened_at,
    title: (r) => joined(`${r.kind === 'demand' ? 'Demand' : 'Complaint'}: ${words(r.category)}`, words(r.status), words(r.severity)),
    detail: (r) => joined(text(r.description), r.resolution ? `resolved: ${r.resolution}` : ''),
  }),
  rule({
    kind: 'churn',
    rows: (p) => p.churn_events,
    at: (r) => r.occurred_on,
    title: (r) => (r.kind === 'lost' ? joined('Lost', words(r.churn_type)) : 'Won back'),
    // The reasons are codes separated by ';'.
    detail: (r) => joined(r.reasons ? `reasons: ${words(r.reasons).replaceAll(/[;,]/g, ', ')}` : '', r.competitor ? `to ${r.competitor}` : '', text(r.notes)),
  }),
  rule({
    kind: 'ownership',
    rows: (p) => p.ownership_changes,
    at: (r) => r.changed_at,
    title: (r, names) => `Owner ${names(r.from_user_id)} → ${names(r.to_user_id)}`,
    detail: (r) => text(r.reason),
  }),
];

// Every record as an event, newest first; ties keep the newer record first.
// `names` writes a user id as a name.
export function timelineOf(profile: CustomerProfile, names: Names): TimelineEvent[] {
  const events = rules.flatMap((events) => events(profile, names));
  return events.sort((a, b) => (a.at === b.at ? b.id - a.id : a.at < b.at ? 1 : -1));
}

// The events of the kinds in `shown` (all when empty).
export function filterTimeline(events: TimelineEvent[], shown: ReadonlySet<TimelineKind>): TimelineEvent[] {
  return shown.size === 0 ? events : events.filter((e) => shown.has(e.kind));
}
