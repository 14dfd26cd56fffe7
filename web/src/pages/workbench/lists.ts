// How the workbench shows its lists (docs/workbench.md): the group each card
// is in, and what the date and amount of a row mean in each list. The lists
// themselves, their counts and rows all come from GET /workbench.

export interface ListColumns {
  date: string;
  amount: string | null;
  // The date is a deadline: the row also says how many days past it.
  overdue?: boolean;
}

export const groups: { title: string; lists: string[] }[] = [
  { title: 'Whom to contact', lists: ['playbook_tasks', 'contact_today', 'contact_tomorrow', 'contact_this_week', 'follow_ups_past_due'] },
  { title: 'Who is buying and who is slipping', lists: ['at_risk', 'slipping_away', 'ordered_recently', 'overdue_to_buy', 'dormant', 'lost'] },
  { title: 'What changed', lists: ['new_customers', 'updated_customers', 'lost_opportunity'] },
  { title: 'Contracts', lists: ['contract_current_month', 'contract_current_quarter', 'contract_current_year', 'new_contract_last_month', 'new_contract_last_quarter', 'new_contract_last_year'] },
  { title: 'Service and money', lists: ['complaints_overdue', 'receivables_overdue', 'over_credit_limit'] },
];

const follow = { date: 'Follow-up on', amount: null };
const current = { date: 'Counts until', amount: 'Value' };
const signed = { date: 'Signed', amount: 'Value' };

const columns: Record<string, ListColumns> = {
  contact_today: follow,
  contact_tomorrow: follow,
  contact_this_week: follow,
  follow_ups_past_due: { date: 'Was due', amount: null, overdue: true },
  ordered_recently: { date: 'Last order', amount: 'Cumulative sales' },
  overdue_to_buy: { date: 'Next purchase was due', amount: null, overdue: true },
  lost: { date: 'Lost on', amount: null },
  dormant: { date: 'Last order', amount: null },
  // The risk model's value at risk; before it has scored, the CLV.
  slipping_away: { date: 'Last order', amount: 'Value at risk or CLV' },
  at_risk: { date: 'Last order', amount: 'Value at risk' },
  playbook_tasks: { date: 'Due', amount: null, overdue: true },
  new_customers: { date: 'Created', amount: null },
  updated_customers: { date: 'Changed', amount: null },
  lost_opportunity: { date: 'Closed', amount: 'Opportunity' },
  contract_current_month: current,
  contract_current_quarter: current,
  contract_current_year: current,
  new_contract_last_month: signed,
  new_contract_last_quarter: signed,
  new_contract_last_year: signed,
  complaints_overdue: { date: 'Deadline', amount: null, overdue: true },
  receivables_overdue: { date: 'Due since', amount: 'Receivables', overdue: true },
  over_credit_limit: { date: 'Date', amount: 'Receivables' },
};

export function columnsOf(list: string): ListColumns {
  return columns[list] ?? { date: 'Date', amount: 'Amount' };
}

// The lists of `names` grouped as the page shows them; lists no group names
// come last, under "Other".
export function grouped<T extends { name: string }>(lists: T[]): { title: string; lists: T[] }[] {
  const byName = new Map(lists.map((list) => [list.name, list]));
  const out = groups.map((group) => ({
    title: group.title,
    lists: group.lists.flatMap((name) => {
      const list = byName.get(name);
      byName.delete(name);
      return list ? [list] : [];
    }),
  }));
  if (byName.size > 0) out.push({ title: 'Other', lists: [...byName.values()] });
  return out.filter((group) => group.lists.length > 0);
}

// The URL parameters that choose whose lists and which day.
export type Choice = { as_of?: string; user?: string; team?: string };

export function choiceOf(q: Record<string, string>): Choice {
  return { as_of: q['as_of'] || undefined, user: q['user'] || undefined, team: q['team'] || undefined };
}
