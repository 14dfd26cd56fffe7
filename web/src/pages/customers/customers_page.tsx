// The customers table over GET /customers: search, filters on the
// classifications, status, lead stage, credit rating, owner and team, ranges
// on the metrics, a sort on any column, keyset pages (the server never counts
// the whole list, so a page is as fast at a million customers as at a
// hundred). The filter lives in the URL; the same filter downloads as CSV or
// XLSX; managers and administrators select rows and reassign them.
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ApiError, api, query } from '../../api/client';
import type { CustomerPage, CustomerRow, Reassigned, Team, TeamPage } from '../../api/types';
import { ErrorNote } from '../../components/error_note';
import { useApi } from '../../components/use_api';
import { useUsers } from '../../components/use_users';
import { formatAmount, formatCount, formatDay, formatPercent } from '../../lib/format';
import { useMe } from '../../session';
import { filterCount, listParams, nextSort, sortState, withChanges } from './customer_filter';
import { Filters } from './filters';
import './customers.css';

const pageSize = 50;

interface Column {
  key: keyof CustomerRow;
  label: string;
  sort?: string; // the API's sort column
  numeric?: boolean;
}
const columns: Column[] = [
  { key: 'name', label: 'Customer', sort: 'name' },
  { key: 'status', label: 'Status' },
  { key: 'owner', label: 'Owner' },
  { key: 'level', label: 'Level' },
  { key: 'order_count', label: 'Orders', sort: 'order_count', numeric: true },
  { key: 'cumulative_sales', label: 'Sales', sort: 'cumulative_sales', numeric: true },
  { key: 'last_order_date', label: 'Last order', sort: 'last_order_date', numeric: true },
  { key: 'next_purchase_date', label: 'Next purchase', sort: 'next_purchase_date', numeric: true },
  { key: 'last_contact_at', label: 'Last contact', sort: 'last_contact_at', numeric: true },
  { key: 'receivables', label: 'Receivables', sort: 'receivables', numeric: true },
  { key: 'p_alive', label: 'P(alive)', sort: 'p_alive', numeric: true },
  { key: 'clv', label: 'CLV', sort: 'clv', numeric: true },
];

function Reassign({ selected, onDone }: { selected: number[]; onDone: (message: string) => void }) {
  const me = useMe();
  const users = useUsers();
  const [to, setTo] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const receivers = users.filter((u) => u['role'] === 'sales' && u['active'] && (me.user.role === 'admin' || u['team_id'] === me.scope.team_id));
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post<Reassigned>('/customers/reassign', { customers: selected, to });
      onDone(`${formatCount(answer.reassigned)} customers reassigned to ${to}`);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'error', 'Reassigning failed.', null));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="selection-bar" onSubmit={submit} aria-label="Reassign the selected customers">
      <span>{formatCount(selected.length)} selected</span>
      <label for="reassign-to">Reassign to</label>
      <select id="reassign-to" value={to} onChange={(e) => setTo(e.currentTarget.value)} required aria-invalid={error?.field === 'to' ? 'true' : undefined} aria-describedby={error ? 'reassign-error' : undefined}>
        <option value="">Choose a salesperson</option>
        {receivers.map((u) => (
          <option key={u.id} value={String(u['username'])}>
            {String(u['full_name'] ?? u['username'])} ({String(u['username'])})
          </option>
        ))}
      </select>
      <button type="submit" class="primary" disabled={busy || to === ''}>
        {busy ? 'Reassigning…' : 'Reassign'}
      </button>
      {error ? (
        <span class="field-error" id="reassign-error" role="alert">
          {error.message}
        </span>
      ) : null}
    </form>
  );
}

// A customer `tenure score` has not reached yet (new, or no score run).
const unscored = (
  <span class="muted" title="Not scored yet (tenure score)">
    —
  </span>
);

function cell(row: CustomerRow, key: keyof CustomerRow) {
  switch (key) {
    case 'name':
      return (
        <>
          <a href={`/customers/${row.id}`}>{row.name}</a> <span class="muted">{[row.external_id, row.city].filter(Boolean).join(' · ')}</span>
        </>
      );
    case 'status':
      return <span class={`badge status-${row.status}`}>{row.status}</span>;
    case 'order_count':
      return formatCount(row.order_count);
    case 'cumulative_sales':
    case 'receivables':
      return formatAmount(row[key]);
    case 'clv':
      return row.clv === null ? unscored : formatAmount(row.clv);
    case 'p_alive':
      return row.p_alive === null ? unscored : formatPercent(row.p_alive);
    case 'last_order_date':
    case 'next_purchase_date':
    case 'last_contact_at':
      return formatDay(row[key]);
    default:
      return row[key] === null ? '' : String(row[key]);
  }
}

export function CustomersPage() {
  const location = useLocation();
  const me = useMe();
  const params = listParams(location.query);
  const [reload, setReload] = useState(0);
  const loaded = useApi<CustomerPage>(`/customers${query({ ...params, limit: pageSize })}`, reload);
  const [selected, setSelected] = useState<number[]>([]);
  const [message, setMessage] = useState('');
  const [back, setBack] = useState<string[]>([]);
  const [teams, setTeams] = useState<Team[]>([]);
  const [search, setSearch] = useState(params['q'] ?? '');
  const manages = me.user.role === 'manager' || me.user.role === 'admin';
  const go = (next: Record<string, string>) => location.route(`/customers${query(next)}`);

  useEffect(() => setSelected([]), [location.url]);
  useEffect(() => setSearch(params['q'] ?? ''), [params['q']]);
  useEffect(() => {
    if (me.user.role !== 'admin') return;
    api.get<TeamPage>('/teams?limit=1000').then(
      (page) => setTeams(page.items),
      () => undefined,
    );
  }, [me.user.role]);

  const rows = loaded.state === 'done' ? loaded.data.items : [];
  const download = (format: string) => `/api/v1/customers${query({ ...params, after: undefined, format })}`;
  const filters = filterCount(location.query);

  return (
    <section class="page page-wide customers">
      <div class="page-head">
        <h1>Customers</h1>
        <form
          class="search-form"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            go(withChanges(location.query, { q: search.trim() }));
          }}
        >
          <label for="customer-search" class="visually-hidden">
            Search customers
          </label>
          <input id="customer-search" data-search type="search" placeholder="Name, phone, e-mail or contact" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
          <button type="submit">Search</button>
        </form>
      </div>
      <Filters query={location.query} teams={teams} count={filters} onChange={(changes) => go(withChanges(location.query, changes))} />
      <div class="table-tools">
        <span class="muted">
          {loaded.state === 'done' ? `${formatCount(rows.length)} shown${loaded.data.next_cursor ? ', more on the next page' : ''}` : ''}
        </span>
        <span class="downloads">
          Download this list: <a href={download('csv')} download>CSV</a> · <a href={download('xlsx')} download>Excel</a>
        </span>
      </div>
      {message ? (
        <p class="saved" role="status">
          {message}
        </p>
      ) : null}
      {manages && selected.length > 0 ? (
        <Reassign
          selected={selected}
          onDone={(text) => {
            setMessage(text);
            setSelected([]);
            setReload(reload + 1);
          }}
        />
      ) : null}
      {loaded.state === 'failed' ? (
        <ErrorNote error={loaded.error} />
      ) : (
        <div class="table-scroll">
          <table class="list customers-table" aria-busy={loaded.state === 'loading'}>
            <thead>
              <tr>
                {manages ? (
                  <th scope="col" class="pick">
                    <input
                      type="checkbox"
                      aria-label="Select every customer on this page"
                      checked={rows.length > 0 && selected.length === rows.length}
                      onChange={(e) => setSelected(e.currentTarget.checked ? rows.map((r) => r.id) : [])}
                    />
                  </th>
                ) : null}
                {columns.map((c) => (
                  <th key={c.key} scope="col" class={c.numeric && c.key !== 'last_order_date' && c.key !== 'next_purchase_date' && c.key !== 'last_contact_at' ? 'num' : undefined} aria-sort={c.sort ? sortState(params['sort'], c.sort) : undefined}>
                    {c.sort ? (
                      <button type="button" class="sort" onClick={() => go(withChanges(location.query, { sort: nextSort(params['sort'], c.sort ?? '', c.numeric ?? false) }))}>
                        {c.label}
                        <span aria-hidden="true">{sortState(params['sort'], c.sort) === 'ascending' ? ' ▲' : sortState(params['sort'], c.sort) === 'descending' ? ' ▼' : ''}</span>
                      </button>
                    ) : (
                      c.label
                    )}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {loaded.state === 'loading' ? (
                <tr>
                  <td colSpan={columns.length + (manages ? 1 : 0)} class="loading" role="status">
                    Loading…
                  </td>
                </tr>
              ) : rows.length === 0 ? (
                <tr>
                  <td colSpan={columns.length + (manages ? 1 : 0)} class="empty-note">
                    No customer matches.
                  </td>
                </tr>
              ) : (
                rows.map((row) => (
                  <tr key={row.id}>
                    {manages ? (
                      <td class="pick">
                        <input
                          type="checkbox"
                          aria-label={`Select ${row.name}`}
                          checked={selected.includes(row.id)}
                          onChange={(e) => setSelected(e.currentTarget.checked ? [...selected, row.id] : selected.filter((id) => id !== row.id))}
                        />
                      </td>
                    ) : null}
                    {columns.map((c) => (
                      <td key={c.key} data-label={c.label} class={c.key === 'name' ? 'name-cell' : c.key === 'order_count' || c.key === 'cumulative_sales' || c.key === 'receivables' || c.key === 'p_alive' || c.key === 'clv' ? 'num' : undefined}>
                        {cell(row, c.key)}
                      </td>
                    ))}
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      )}
      <nav class="pager" aria-label="Pages">
        {params['after'] ? (
          <button
            type="button"
            onClick={() => {
              const previous = back.at(-1);
              setBack(back.slice(0, -1));
              go(withChanges(location.query, { after: previous ?? '' }));
            }}
          >
            {back.length > 0 ? 'Previous page' : 'First page'}
          </button>
        ) : null}
        {loaded.state === 'done' && loaded.data.next_cursor ? (
          <button
            type="button"
            class="primary"
            onClick={() => {
              setBack([...back, params['after'] ?? '']);
              go(withChanges(location.query, { after: loaded.data.next_cursor ?? '' }));
            }}
          >
            Next page
          </button>
        ) : null}
      </nav>
    </section>
  );
}
