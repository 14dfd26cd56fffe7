// The customers table's filters: every classification, status, lead stage,
// credit rating, owner and team, and ranges on the metrics and the scores
// (a customer not scored yet falls outside any score range). Applied as one
// change of the URL, so the browser's back button undoes a filter.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Team } from '../../api/types';
import { useUsers } from '../../components/use_users';
import { useMe } from '../../session';
import { dimensions, ranges } from './customer_filter';

const choices: Record<string, readonly string[]> = {
  status: ['lead', 'prospect', 'active', 'lost'],
  lead_stage: ['new', 'contacted', 'qualified', 'proposal', 'negotiation', 'won', 'lost'],
  credit_rating: ['A', 'B', 'C', 'D'],
};
const labels: Record<string, string> = {
  status: 'Status',
  lead_stage: 'Lead stage',
  credit_rating: 'Credit rating',
  level: 'Level',
  type: 'Type',
  industry: 'Industry',
  source: 'Source',
  province: 'Province',
  city: 'City',
  owner_id: 'Owner',
  team_id: 'Team',
  cumulative_sales: 'Sales',
  order_count: 'Orders',
  last_order_date: 'Last order',
  next_purchase_date: 'Next purchase',
  receivables: 'Receivables',
  p_alive: 'P(alive), 0–1',
  clv: 'CLV',
};
const dated = new Set(['last_order_date', 'next_purchase_date']);

export function Filters({ query, teams, count, onChange }: { query: Record<string, string>; teams: Team[]; count: number; onChange: (changes: Record<string, string>) => void }) {
  const me = useMe();
  const users = useUsers();
  const names = [...dimensions, ...ranges.flatMap((m) => [`min_${m}`, `max_${m}`])];
  const fromQuery = () => Object.fromEntries(names.map((n) => [n, query[n] ?? '']));
  const [values, setValues] = useState<Record<string, string>>(fromQuery);
  // Only a change of the filter itself resets the form (not a page or a sort).
  useEffect(() => setValues(fromQuery()), [JSON.stringify(fromQuery())]);
  const set = (name: string) => (e: Event) => setValues({ ...values, [name]: (e.currentTarget as HTMLInputElement | HTMLSelectElement).value });
  // A manager's list holds only the team's customers: only the team's people
  // can own them (a large company has thousands of salespeople).
  const owners = useMemo(
    () => users.filter((u) => (u.role === 'sales' || u.role === 'manager') && (me.user.role === 'admin' || u.team_id === me.scope.team_id)),
    [users, me.user.role, me.scope.team_id],
  );

  const control = (name: string) => {
    const id = `filter-${name}`;
    const value = values[name] ?? '';
    if (choices[name]) {
      return (
        <select id={id} value={value} onChange={set(name)}>
          <option value="">Any</option>
          {choices[name].map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      );
    }
    if (name === 'owner_id') {
      if (me.user.role === 'sales') return null;
      return (
        <select id={id} value={value} onChange={set(name)}>
          <option value="">Anyone</option>
          {owners.map((u) => (
            <option key={u.id} value={String(u.id)}>
              {u.username}
            </option>
          ))}
        </select>
      );
    }
    if (name === 'team_id') {
      if (me.user.role !== 'admin') return null;
      return (
        <select id={id} value={value} onChange={set(name)}>
          <option value="">Any team</option>
          {teams.map((t) => (
            <option key={t.id} value={String(t.id)}>
              {t.name}
            </option>
          ))}
        </select>
      );
    }
    return <input id={id} type="text" value={value} onInput={set(name)} />;
  };

  return (
    // Open when a filter is set, except on a phone, where it would hide the list.
    <details class="filters" open={count > 0 && window.matchMedia('(min-width: 641px)').matches}>
      <summary>Filters{count > 0 ? ` (${count})` : ''}</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onChange(values);
        }}
      >
        <div class="filter-grid">
          {dimensions.map((name) => {
            const c = control(name);
            return c ? (
              <div key={name}>
                <label for={`filter-${name}`}>{labels[name]}</label>
                {c}
              </div>
            ) : null;
          })}
          {ranges.map((metric) => (
            <fieldset key={metric} class={dated.has(metric) ? 'range dated' : 'range'}>
              <legend>{labels[metric]}</legend>
              {(['min', 'max'] as const).map((end) => {
                const name = `${end}_${metric}`;
                return (
                  <span key={end}>
                    <label for={`filter-${name}`} class="visually-hidden">
                      {labels[metric]} {end === 'min' ? 'from' : 'to'}
                    </label>
                    {dated.has(metric) ? (
                      <input id={`filter-${name}`} type="date" value={values[name] ?? ''} onInput={set(name)} />
                    ) : (
                      <input id={`filter-${name}`} type="text" inputMode="decimal" placeholder={end === 'min' ? 'from' : 'to'} value={values[name] ?? ''} onInput={set(name)} />
                    )}
                  </span>
                );
              })}
            </fieldset>
          ))}
        </div>
        <div class="actions">
          <button type="submit" class="primary">
            Apply
          </button>
          <button type="button" onClick={() => onChange(Object.fromEntries(names.map((n) => [n, ''])))}>
            Clear
          </button>
        </div>
      </form>
    </details>
  );
}
