// Customer 360: who the customer is and how they stand (status, owner, level,
// credit, P(alive), CLV, the model's next purchase), the live metrics, one
// timeline of everything that happened, contacts, receivables and the credit
// file; and what to do next: log a contact, edit, open a complaint, mark lost
// or won back. The timeline's kinds live in the URL (?kinds=order,invoice).
import { useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { ApiError, query } from '../../api/client';
import type { CustomerProfile, ProfileContact } from '../../api/types';
import { PageError, PageLoading } from '../../components/error_note';
import { LogContactForm } from '../../components/log_contact_form';
import { useApi } from '../../components/use_api';
import { userNamer, useUsers } from '../../components/use_users';
import { formatAmount, formatCount, formatDay, formatPercent } from '../../lib/format';
import { useMe } from '../../session';
import { ChurnForm } from './churn_form';
import { ComplaintForm } from './complaint_form';
import { CreditPanel } from './credit_panel';
import { RiskPanel } from './risk_panel';
import { EditCustomerForm } from './edit_customer_form';
import { NotYours } from './not_yours';
import './customer.css';
import { filterTimeline, timelineKinds, timelineOf, type TimelineKind } from './timeline';

type Panel = 'log' | 'edit' | 'complaint' | 'churn';

const orDash = (text: string | number | null | undefined) => (text === null || text === undefined || text === '' ? '—' : String(text));

function Header({ p, owner }: { p: CustomerProfile; owner: string }) {
  const s = p.scores;
  return (
    <div class="profile-head">
      <p class="crumbs">
        <a href="/customers">Customers</a>
      </p>
      <h1>
        {p.name} <span class="muted">{p.external_id ?? `#${p.id}`}</span>
      </h1>
      <ul class="badges" aria-label="Standing">
        <li class={`badge status-${p.status}`}>{p.status.replaceAll('_', ' ')}</li>
        <li>Owner {owner || 'nobody'}</li>
        <li>Level {orDash(p.level)}</li>
        <li>Credit {orDash(p.credit_rating)}</li>
        <li title={s.scored_at ? `scored ${formatDay(s.scored_at)} (${s.score_model ?? ''})` : 'not scored yet (tenure score)'}>P(alive) {formatPercent(s.p_alive)}</li>
        <li>CLV {s.clv === null ? '—' : formatAmount(s.clv)}</li>
        <li>Model's next purchase {orDash(s.model_next_purchase_date)}</li>
      </ul>
    </div>
  );
}

function Metrics({ p }: { p: CustomerProfile }) {
  const items: [string, string, string?][] = [
    ['First order', orDash(p.first_order_date)],
    ['Last order', orDash(p.last_order_date)],
    ['Orders', formatCount(p.order_count)],
    ['Cumulative sales', formatAmount(p.cumulative_sales)],
    ['Gross profit', formatAmount(p.gross_profit)],
    ['Average purchase cycle', p.average_purchase_cycle_days === null ? '—' : `${p.average_purchase_cycle_days.toFixed(1)} days`],
    [
      'Next purchase expected',
      orDash(p.next_purchase_date),
      p.days_overdue_to_buy !== null && p.days_overdue_to_buy > 0 ? `${p.days_overdue_to_buy} days overdue` : undefined,
    ],
    ['Last contact', orDash(formatDay(p.last_contact_at)), p.days_since_last_contact !== null ? `${p.days_since_last_contact} days ago` : undefined],
    ['Receivables', formatAmount(p.receivables), p.overdue_receivables > 0 ? `${formatAmount(p.overdue_receivables)} overdue` : undefined],
  ];
  return (
    <dl class="metrics" aria-label="Live metrics">
      {items.map(([label, value, note]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>
            {value}
            {note ? <span class={label === 'Last contact' ? 'note' : 'note bad'}>{note}</span> : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function Timeline({ p, names, kinds, onKinds }: { p: CustomerProfile; names: (id: unknown) => string; kinds: Set<TimelineKind>; onKinds: (kinds: Set<TimelineKind>) => void }) {
  const all = timelineOf(p, names);
  const events = filterTimeline(all, kinds);
  const count = (kind: TimelineKind) => all.filter((e) => e.kind === kind).length;
  return (
    <section class="panel timeline" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      <fieldset class="kinds">
        <legend class="visually-hidden">Show only</legend>
        {timelineKinds
          .filter(({ kind }) => count(kind) > 0)
          .map(({ kind, label }) => (
            <label key={kind} class="chip">
              <input
                type="checkbox"
                checked={kinds.has(kind)}
                onChange={() => {
                  const next = new Set(kinds);
                  if (next.has(kind)) next.delete(kind);
                  else next.add(kind);
                  onKinds(next);
                }}
              />
              {label} ({count(kind)})
            </label>
          ))}
      </fieldset>
      {events.length === 0 ? (
        <p class="empty-note">Nothing has happened with this customer yet.</p>
      ) : (
        <ol class="events">
          {events.map((e) => (
            <li key={`${e.kind}-${e.id}`} class={`event kind-${e.kind}`}>
              <time>{formatDay(e.at)}</time>
              <div>
                <p class="event-title">{e.title}</p>
                {e.detail ? <p class="event-detail">{e.detail}</p> : null}
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Contacts({ contacts }: { contacts: ProfileContact[] }) {
  return (
    <section class="panel" aria-labelledby="contacts-title">
      <h2 id="contacts-title">Contacts</h2>
      {contacts.length === 0 ? (
        <p class="empty-note">No contacts recorded.</p>
      ) : (
        <ul class="contacts">
          {contacts.map((c) => (
            <li key={c.id}>
              <b>{c.name}</b>
              {c.is_primary ? <span class="muted"> · primary</span> : null}
              {c.title ? <span class="muted"> · {c.title}</span> : null}
              <br />
              {[c.phone, c.mobile, c.email].filter((v) => v).join(' · ')}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Receivables({ p }: { p: CustomerProfile }) {
  const open = p.invoices
    .map((i) => ({ id: i.id, due: i.due_on, issued: i.issued_on ?? '', open: i.amount - i.paid_amount }))
    .filter((i) => i.open > 0.005)
    .sort((a, b) => (a.due < b.due ? -1 : 1));
  return (
    <section class="panel" aria-labelledby="receivables-title">
      <h2 id="receivables-title">Receivables</h2>
      {open.length === 0 ? (
        <p class="empty-note">Nothing open.</p>
      ) : (
        <table class="list compact">
          <thead>
            <tr>
              <th scope="col">Issued</th>
              <th scope="col">Due</th>
              <th scope="col" class="num">
                Open
              </th>
            </tr>
          </thead>
          <tbody>
            {open.map((i) => {
              const overdue = i.due !== '' && i.due < p.as_of;
              return (
                <tr key={i.id} class={overdue ? 'overdue' : undefined}>
                  <td>{i.issued}</td>
                  <td>
                    {i.due}
                    {overdue ? <span class="note bad"> overdue</span> : null}
                  </td>
                  <td class="num">{formatAmount(i.open)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function CustomerPage() {
  const { params } = useRoute();
  const location = useLocation();
  const me = useMe();
  const id = params['id'] ?? '';
  const [reload, setReload] = useState(0);
  const loaded = useApi<CustomerProfile>(`/customers/${encodeURIComponent(id)}`, reload);
  const users = useUsers();
  const [panel, setPanel] = useState<Panel | null>(null);
  const [saved, setSaved] = useState('');
  const kinds = new Set((location.query['kinds'] ?? '').split(',').filter((k): k is TimelineKind => timelineKinds.some((t) => t.kind === k)));

  if (loaded.state === 'loading') return <PageLoading />;
  if (loaded.state === 'failed') {
    if (loaded.error instanceof ApiError && (loaded.error.status === 404 || loaded.error.status === 403)) return <NotYours id={id} />;
    return <PageError error={loaded.error} />;
  }
  const p = loaded.data;
  const names = userNamer(users);
  const staff = me.user.role !== 'service';
  const done = (message: string) => () => {
    setPanel(null);
    setSaved(message);
    setReload(reload + 1);
  };
  const toggle = (which: Panel) => {
    setSaved('');
    setPanel(panel === which ? null : which);
  };
  const isLost = p.status === 'lost';

  return (
    <section class="page customer">
      <Header p={p} owner={names(p.owner_id)} />
      <div class="toolbar" role="toolbar" aria-label="Actions">
        <button type="button" aria-expanded={panel === 'log'} onClick={() => toggle('log')}>
          Log contact
        </button>
        {staff ? (
          <button type="button" aria-expanded={panel === 'edit'} onClick={() => toggle('edit')}>
            Edit
          </button>
        ) : null}
        <button type="button" aria-expanded={panel === 'complaint'} onClick={() => toggle('complaint')}>
          Open complaint
        </button>
        {staff ? (
          <button type="button" aria-expanded={panel === 'churn'} onClick={() => toggle('churn')}>
            {isLost ? 'Won back' : 'Mark lost'}
          </button>
        ) : null}
        {saved ? (
          <span class="saved" role="status">
            {saved}
          </span>
        ) : null}
      </div>
      {panel === 'log' ? (
        <div class="panel">
          <LogContactForm customerId={p.id} customerName={p.name} onCancel={() => setPanel(null)} onLogged={(l) => done(`${l.kind} logged${l.follow_up_on ? `, next on ${l.follow_up_on}` : ''}`)()} />
        </div>
      ) : null}
      {panel === 'edit' ? (
        <div class="panel">
          <EditCustomerForm key={p.version} profile={p} onSaved={done('Saved')} onCancel={() => setPanel(null)} />
        </div>
      ) : null}
      {panel === 'complaint' ? (
        <div class="panel">
          <ComplaintForm customerId={p.id} customerName={p.name} onSaved={done('Complaint opened')} onCancel={() => setPanel(null)} />
        </div>
      ) : null}
      {panel === 'churn' ? (
        <div class="panel">
          <ChurnForm customerId={p.id} customerName={p.name} lost={isLost} onSaved={done(isLost ? 'Recorded as won back' : 'Recorded as lost')} onCancel={() => setPanel(null)} />
        </div>
      ) : null}
      <Metrics p={p} />
      <div class="columns">
        <Timeline
          p={p}
          names={names}
          kinds={kinds}
          onKinds={(next) => location.route(`/customers/${id}${query({ kinds: [...next].join(',') })}`, true)}
        />
        <div class="side">
          <section class="panel" aria-labelledby="risk-title" data-testid="risk-panel">
            <h2 id="risk-title">Churn risk</h2>
            <RiskPanel risk={p.risk} />
          </section>
          <Contacts contacts={p.contacts} />
          <Receivables p={p} />
          <section class="panel" aria-labelledby="credit-title">
            <h2 id="credit-title">Credit file</h2>
            <CreditPanel customerId={p.id} reload={reload} />
          </section>
        </div>
      </div>
    </section>
  );
}
