// One workbench list: its customers with the list's own date and figure, and
// from any row a contact logged and the next one scheduled without leaving
// the list; on playbook_tasks, each row's task closed (done, dismissed, or a
// proposed loss confirmed).
import { useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { query } from '../../api/client';
import type { WorkbenchListPage as OneList } from '../../api/types';
import { PageError, PageLoading } from '../../components/error_note';
import { useApi } from '../../components/use_api';
import { daysBetween, formatAmount, formatCount, formatDay } from '../../lib/format';
import { choiceOf, columnsOf } from './lists';
import { LogContactForm, type Logged } from '../../components/log_contact_form';
import { CloseTaskForm, type Closed } from './close_task_form';

const pageSize = 100;

export function WorkbenchListPage() {
  const { params } = useRoute();
  const location = useLocation();
  const name = params['list'] ?? '';
  const choice = choiceOf(location.query);
  const [reload, setReload] = useState(0);
  const loaded = useApi<OneList>(`/workbench/${encodeURIComponent(name)}${query({ ...choice, page_size: pageSize })}`, reload);
  // The row whose form is open, and which form.
  const [open, setOpen] = useState<{ row: number; form: 'log' | 'close' } | null>(null);
  const [done, setDone] = useState<Record<number, Logged>>({});
  const [closed, setClosed] = useState<Record<number, Closed>>({});
  const toggle = (row: number, form: 'log' | 'close') => setOpen(open?.row === row && open.form === form ? null : { row, form });
  const columns = columnsOf(name);

  if (loaded.state === 'loading') return <PageLoading />;
  if (loaded.state === 'failed') return <PageError error={loaded.error} />;
  const list = loaded.data;
  return (
    <section class="page">
      <div class="page-head">
        <p class="crumbs">
          <a href={`/${query(choice)}`}>Workbench</a>
        </p>
        <h1>{list.title}</h1>
        <p class="subtitle">
          {formatCount(list.count)} customers
          {list.count > list.rows.length ? ` · the first ${formatCount(list.rows.length)} shown` : ''}
        </p>
      </div>
      {list.rows.length === 0 ? (
        <p class="empty-note">Nobody is on this list.</p>
      ) : (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">Customer</th>
              <th scope="col">Owner</th>
              <th scope="col">{columns.date}</th>
              {columns.overdue ? (
                <th scope="col" class="num">
                  Days overdue
                </th>
              ) : null}
              {columns.amount ? (
                <th scope="col" class="num">
                  {columns.amount}
                </th>
              ) : null}
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.rows.map((row, i) => {
              const key = `${row.customer_id}-${i}`;
              const logged = done[i];
              const shut = closed[i];
              const span = 4 + (columns.amount ? 1 : 0) + (columns.overdue ? 1 : 0);
              const form =
                open?.row !== i ? null : open.form === 'close' && row.task_id !== null ? (
                  <CloseTaskForm
                    taskId={row.task_id}
                    action={row.task_action ?? ''}
                    customerName={row.name}
                    onCancel={() => setOpen(null)}
                    onClosed={(result) => {
                      setClosed({ ...closed, [i]: result });
                      setOpen(null);
                    }}
                  />
                ) : (
                  <LogContactForm
                    customerId={row.customer_id}
                    customerName={row.name}
                    onCancel={() => setOpen(null)}
                    onLogged={(result) => {
                      setDone({ ...done, [i]: result });
                      setOpen(null);
                    }}
                  />
                );
              return [
                <tr key={key}>
                  <td>
                    <a href={`/customers/${row.customer_id}`}>{row.name}</a> <span class="muted">{row.external_id}</span>
                    {row.note ? <div class="muted">{row.note}</div> : null}
                  </td>
                  <td data-label="Owner">{row.owner ?? ''}</td>
                  <td data-label={columns.date}>{formatDay(row.date)}</td>
                  {columns.overdue ? (
                    <td class="num" data-label="Days overdue">
                      {row.date ? formatCount(Math.max(0, daysBetween(row.date, list.as_of))) : ''}
                    </td>
                  ) : null}
                  {columns.amount ? (
                    <td class="num" data-label={columns.amount}>
                      {formatAmount(row.amount)}
                    </td>
                  ) : null}
                  <td class="row-actions">
                    {logged ? (
                      <span class="saved" role="status">
                        {logged.kind} logged{logged.follow_up_on ? `, next on ${logged.follow_up_on}` : ''}
                      </span>
                    ) : (
                      <button type="button" aria-expanded={open?.row === i && open.form === 'log'} onClick={() => toggle(i, 'log')}>
                        Log contact
                      </button>
                    )}
                    {row.task_id === null ? null : shut ? (
                      <span class="saved task-closed" role="status">
                        Task {shut.status}: {shut.outcome}
                      </span>
                    ) : (
                      <button type="button" aria-expanded={open?.row === i && open.form === 'close'} onClick={() => toggle(i, 'close')}>
                        Close task
                      </button>
                    )}
                  </td>
                </tr>,
                form ? (
                  <tr key={`${key}-form`} class="form-row">
                    <td colSpan={span}>{form}</td>
                  </tr>
                ) : null,
              ];
            })}
          </tbody>
        </table>
      )}
      <p>
        <button type="button" onClick={() => setReload(reload + 1)}>
          Refresh the list
        </button>
      </p>
    </section>
  );
}
