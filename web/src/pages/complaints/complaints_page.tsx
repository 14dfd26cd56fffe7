// The complaints board: a column per status with its count, each complaint
// a card with its customer, deadline and an "overdue" mark, and the moves
// its status allows: assign, start, resolve with a resolution, close,
// reopen. Filters (category, assignee, customer) stand in the address. Which
// complaints a user sees is the API's scope; which moves they are offered is
// the API's x-roles.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ApiError, api, query } from '../../api/client';
import type { ComplaintReport } from '../../api/types';
import { ErrorNote } from '../../components/error_note';
import { useUsers } from '../../components/use_users';
import { formatCount } from '../../lib/format';
import { useMe } from '../../session';
import { useAllowed } from './allowed';
import {
  type Complaint,
  type ComplaintPage,
  type Filters,
  type Status,
  columnPath,
  filtersOf,
  isFiltered,
  matches,
  movesFrom,
  moveRoute,
  ordered,
  statuses,
} from './board';
import { type Assignee, ComplaintCard } from './complaint_card';
import { useCustomerNames } from './customer_names';
import { FiltersForm } from './filters_form';
import './complaints.css';

// The first page of each column; closed complaints can be many, and "More"
// reads the next page.
const pageSize = 100;

interface Column {
  items: Complaint[];
  next: number | null;
  loading: boolean;
  error: unknown;
}

type Columns = Record<Status, Column>;

// The parts of GET /reports/complaints the board reads.
type Report = Pick<ComplaintReport, 'to' | 'open' | 'by_category'>;

function emptyColumns(): Columns {
  const column = (): Column => ({ items: [], next: null, loading: true, error: null });
  return { open: column(), in_progress: column(), resolved: column(), closed: column() };
}

// `complaint` taken out of whichever column holds it and, if given and the
// filters let it through, put into the column of its status.
function placed(columns: Columns, id: number, complaint: Complaint | null, filters: Filters): Columns {
  const out = { ...columns };
  for (const { status } of statuses) {
    const column = out[status];
    if (column.items.some((c) => c.id === id)) out[status] = { ...column, items: column.items.filter((c) => c.id !== id) };
  }
  if (complaint && matches(complaint, filters)) {
    const column = out[complaint.status];
    out[complaint.status] = { ...column, items: [...column.items, complaint] };
  }
  return out;
}

function scopeTitle(kind: string, team: string | null): string {
  if (kind === 'owner') return 'Your customers';
  if (kind === 'assignee') return 'The customers of your complaints';
  return team ? `Team ${team}` : 'Every customer';
}

export function ComplaintsPage() {
  const me = useMe();
  const location = useLocation();
  const filters = filtersOf(location.query);
  const filterKey = columnPath('open', filters, 0, null);
  const allowed = useAllowed(me.user.role);
  const users = useUsers();
  const [report, setReport] = useState<Report | null>(null);
  const [columns, setColumns] = useState<Columns>(emptyColumns);
  const [said, setSaid] = useState('');
  const [focus, setFocus] = useState<{ id: number; n: number }>({ id: 0, n: 0 });
  // Answers for filters that are no longer the page's are dropped.
  const generation = useRef(0);

  const loadPage = async (status: Status, after: number | null, gen: number) => {
    setColumns((cols) => ({ ...cols, [status]: { ...cols[status], loading: true, error: null } }));
    try {
      const page = await api.get<ComplaintPage>(columnPath(status, filters, pageSize, after));
      if (gen !== generation.current) return;
      setColumns((cols) => {
        const have = new Set(cols[status].items.map((c) => c.id));
        const items = after === null ? page.items : [...cols[status].items, ...page.items.filter((c) => !have.has(c.id))];
        return { ...cols, [status]: { items, next: page.next_after, loading: false, error: null } };
      });
    } catch (error) {
      if (gen !== generation.current) return;
      setColumns((cols) => ({ ...cols, [status]: { ...cols[status], loading: false, error } }));
    }
  };

  useEffect(() => {
    const gen = ++generation.current;
    setColumns(emptyColumns());
    for (const { status } of statuses) void loadPage(status, null, gen);
  }, [filterKey]);

  // The summary of open and overdue complaints and every category, from the
  // complaint report, for the roles that may read it.
  const mayReport = allowed ? allowed('get', '/reports/complaints') : false;
  useEffect(() => {
    if (!mayReport) return;
    api.get<Report>('/reports/complaints').then(setReport, () => setReport(null));
  }, [mayReport]);

  const changed = (complaint: Complaint, text: string) => {
    setColumns((cols) => placed(cols, complaint.id, complaint, filters));
    setSaid(matches(complaint, filters) ? text : `${text} It no longer matches the filters.`);
    setFocus((f) => ({ id: complaint.id, n: f.n + 1 }));
  };
  const stale = (id: number) => {
    api.get<Complaint>(`/complaints/${id}`).then(
      (complaint) => {
        setColumns((cols) => placed(cols, id, complaint, filters));
        // It may have moved to another column: the focus goes with it.
        setFocus((f) => ({ id, n: f.n + 1 }));
      },
      // Gone from the user's scope (assigned elsewhere): off the board.
      (error: unknown) => error instanceof ApiError && error.status === 404 && setColumns((cols) => placed(cols, id, null, filters)),
    );
  };

  const assignees: Assignee[] = useMemo(() => {
    return users
      .filter((u) => u.active)
      .map((u) => ({ id: u.id, username: u.username, label: u.full_name ? `${u.full_name} (${u.username}, ${u.role})` : `${u.username} (${u.role})` }))
      .sort((a, b) => a.label.localeCompare(b.label));
  }, [users]);

  const customerIds = useMemo(() => {
    const ids = new Set<number>();
    for (const { status } of statuses) for (const c of columns[status].items) ids.add(c.customer_id);
    if (filters.customer_id && Number(filters.customer_id) > 0) ids.add(Number(filters.customer_id));
    return [...ids].sort((a, b) => a - b);
  }, [columns, filters.customer_id]);
  const names = useCustomerNames(customerIds);

  const categories = useMemo(() => {
    const all = new Set<string>(report?.by_category.map((c) => c.category) ?? []);
    for (const { status } of statuses) for (const c of columns[status].items) if (c.category) all.add(c.category);
    if (filters.category) all.add(filters.category);
    return [...all].sort();
  }, [columns, report, filters.category]);

  const may = (action: string) => (allowed ? allowed('post', `/complaints/{id}/${action}`) : false);
  const mayAssign = may('assign');

  return (
    <section class="page page-wide">
      <div class="page-head">
        <h1>Complaints</h1>
        <p class="subtitle">
          {scopeTitle(me.scope.kind, me.scope.team)}
          {report ? (
            <>
              {' '}
              · {formatCount(report.open.total)} open, <span class={report.open.overdue > 0 ? 'overdue-count' : ''}>{formatCount(report.open.overdue)} past their deadline</span> as of {report.to}
              {isFiltered(filters) ? ' (unfiltered)' : ''}
            </>
          ) : null}
        </p>
      </div>
      <FiltersForm
        key={filterKey}
        filters={filters}
        choices={{
          categories,
          assignees: assignees.map((a) => ({ id: a.id, label: a.label })),
          customers: customerIds.map((id) => ({ id, label: names.get(id)?.name ?? `Customer ${id}` })).sort((a, b) => a.label.localeCompare(b.label)),
        }}
        onApply={(next) => location.route(`/complaints${query({ ...next })}`)}
      />
      <p class="board-said" role="status">
        {said}
      </p>
      <nav class="board-jump" aria-label="Columns">
        {statuses.map(({ status, title }) => (
          <a key={status} href={`#column-${status}`}>
            {title} <span class="count">{countOf(columns[status])}</span>
          </a>
        ))}
      </nav>
      <div class="board">
        {statuses.map(({ status, title }) => {
          const column = columns[status];
          return (
            <section key={status} class={`board-column column-${status}`} id={`column-${status}`} aria-labelledby={`column-${status}-title`} data-status={status}>
              <h2 id={`column-${status}-title`}>
                {title} <span class="count">{countOf(column)}</span>
              </h2>
              {column.error ? <ErrorNote error={column.error} /> : null}
              {column.items.length === 0 && !column.loading && !column.error ? <p class="empty-note">None.</p> : null}
              {ordered(column.items).map((complaint) => {
                const pending = complaint.status === 'open' || complaint.status === 'in_progress';
                return (
                  <ComplaintCard
                    key={complaint.id}
                    complaint={complaint}
                    customer={names.get(complaint.customer_id)}
                    assignees={assignees}
                    deadline={pending ? complaint.deadline : null}
                    overdue={complaint.overdue}
                    moves={movesFrom(complaint.status).filter((m) => may(moveRoute(m).action))}
                    mayAssign={mayAssign}
                    focus={focus.id === complaint.id ? focus.n : 0}
                    onChanged={changed}
                    onStale={stale}
                  />
                );
              })}
              {column.loading ? (
                <p class="loading" role="status">
                  Loading…
                </p>
              ) : column.next !== null ? (
                <button type="button" class="more" onClick={() => void loadPage(status, column.next, generation.current)}>
                  More <span class="visually-hidden">{title.toLowerCase()} complaints</span>
                </button>
              ) : null}
            </section>
          );
        })}
      </div>
    </section>
  );
}

// A column's count: every complaint when all are read, else "100+".
function countOf(column: Column): string {
  if (column.loading && column.items.length === 0) return '…';
  return `${formatCount(column.items.length)}${column.next !== null ? '+' : ''}`;
}
