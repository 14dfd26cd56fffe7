// The customers table's state in the URL: the filter, the sort and the page
// are the query of GET /customers itself, so a filtered, sorted list is a
// link, and the page sends exactly what the address says.

// Equality filters (docs/api.md "Resources"), range filters on metrics and
// on the latest scores (P(alive) 0..1, CLV), and the rest of the list's
// parameters.
export const dimensions = ['status', 'lead_stage', 'credit_rating', 'level', 'type', 'industry', 'source', 'province', 'city', 'owner_id', 'team_id'] as const;
export const ranges = ['cumulative_sales', 'order_count', 'last_order_date', 'next_purchase_date', 'receivables', 'p_alive', 'clv'] as const;
const others = ['q', 'sort', 'after'] as const;

export const allowed: ReadonlySet<string> = new Set<string>([...others, ...dimensions, ...ranges.flatMap((m) => [`min_${m}`, `max_${m}`])]);

// The API parameters the URL's query holds (anything else is ignored).
export function listParams(query: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) {
    if (allowed.has(name) && value !== '') out[name] = value;
  }
  return out;
}

// The query after `changes` (an empty value removes a parameter). A change of
// the filter or the sort starts again at the first page.
export function withChanges(query: Record<string, string>, changes: Record<string, string>): Record<string, string> {
  const out = listParams(query);
  for (const [name, value] of Object.entries(changes)) {
    if (value === '') delete out[name];
    else out[name] = value;
  }
  if (!('after' in changes)) delete out['after'];
  return out;
}

// The sort after clicking `column`: ascending first, then descending, for
// figures descending first (the biggest customers on top).
export function nextSort(current: string | undefined, column: string, numeric: boolean): string {
  if (current === column) return `-${column}`;
  if (current === `-${column}`) return column;
  return numeric ? `-${column}` : column;
}

// How the column `column` is sorted now: 'ascending', 'descending' or 'none'
// (aria-sort's words).
export function sortState(current: string | undefined, column: string): 'ascending' | 'descending' | 'none' {
  if (current === column) return 'ascending';
  if (current === `-${column}`) return 'descending';
  return 'none';
}

// How many filters (not search, sort or page) are set.
export function filterCount(query: Record<string, string>): number {
  return Object.keys(listParams(query)).filter((name) => !others.includes(name as (typeof others)[number])).length;
}
