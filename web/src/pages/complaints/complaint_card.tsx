// One complaint on the board: whose it is, what it is about, who has it,
// when it was opened and when it is due (marked when overdue), and the moves
// its status allows (docs/complaints.md). A move sends the version the card
// was drawn from, so a complaint someone else changed meanwhile is refused
// (409), said on the card, and read again.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api } from '../../api/client';
import { SelectField, TextAreaField } from '../../components/field';
import { FormActions } from '../../components/form_parts';
import { formatDay } from '../../lib/format';
import { type Complaint, type Move, formatTime, moveRoute, statusTitle } from './board';
import type { CustomerName } from './customer_names';

export interface Assignee {
  id: number;
  username: string;
  label: string;
}

const moveLabels: Record<Exclude<Move, 'resolve'>, string> = {
  start: 'Start work',
  back_to_open: 'Back to open',
  close: 'Close',
  reopen: 'Reopen',
};

const satisfactions = [
  ['', 'Choose 1–5'],
  ['5', '5 — very satisfied'],
  ['4', '4'],
  ['3', '3'],
  ['2', '2'],
  ['1', '1 — not satisfied'],
] as const;

// What a card holds that must outlive the card itself: the open form, what
// was typed into it and the last error. A move (or a reload after a
// conflict) puts the complaint in another column, which draws a new card;
// it picks up here, so nothing typed is lost.
interface CardState {
  form: 'resolve' | 'assign' | null;
  resolution: string;
  satisfaction: string;
  assignee: string;
  error: ApiError | null;
}

const kept = new Map<number, CardState>();

function useCardState(id: number, assignee: string): [CardState, (change: Partial<CardState>) => void] {
  const [state, setState] = useState<CardState>(() => kept.get(id) ?? { form: null, resolution: '', satisfaction: '', assignee, error: null });
  const update = (change: Partial<CardState>) => {
    const next = { ...(kept.get(id) ?? state), ...change };
    kept.set(id, next);
    setState(next);
  };
  return [state, update];
}

export interface CardProps {
  complaint: Complaint;
  customer: CustomerName | undefined;
  assignees: Assignee[];
  deadline: string | null;
  overdue: boolean;
  // The moves the status allows and the role may take, in button order.
  moves: Move[];
  mayAssign: boolean;
  // A number that changes each time the focus should come to this card
  // (after a move by it); 0 for never.
  focus: number;
  // The complaint as the server now has it, after a move by this card.
  onChanged: (complaint: Complaint, said: string) => void;
  // The complaint changed meanwhile (409): read it again.
  onStale: (id: number) => void;
}

export function ComplaintCard(props: CardProps) {
  const { complaint: c, customer, deadline, overdue } = props;
  const assigneeName = props.assignees.find((a) => a.id === c.assignee_id)?.username ?? '';
  const [state, update] = useCardState(c.id, assigneeName);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLElement>(null);
  const id = `complaint-${c.id}`;

  useEffect(() => {
    if (props.focus > 0) ref.current?.focus();
  }, [props.focus]);

  const send = async (action: string, body: Record<string, unknown>, said: string) => {
    setBusy(true);
    update({ error: null });
    try {
      const changed = await api.post<Complaint>(`/complaints/${c.id}/${action}`, { ...body, version: c.version });
      update({ form: null, resolution: '', satisfaction: '', error: null });
      kept.delete(c.id);
      props.onChanged(changed, said);
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError(0, 'error', 'Saving failed.', null);
      update({ error });
      // A stale version, or a status someone else changed: show the
      // complaint as it is now; the form and its text stay.
      if (error.status === 409) props.onStale(c.id);
    } finally {
      setBusy(false);
    }
  };

  const move = (m: Exclude<Move, 'resolve'>) => {
    const { action, body } = moveRoute(m);
    void send(action, body, `${capital(label(c))} ${m === 'reopen' ? 'reopened' : `moved to ${statusTitle(nextStatus(m))}`}.`);
  };
  const resolve = (event: Event) => {
    event.preventDefault();
    void send('resolve', { resolution: state.resolution, ...(state.satisfaction ? { satisfaction: Number(state.satisfaction) } : {}) }, `${capital(label(c))} resolved.`);
  };
  const assign = (event: Event) => {
    event.preventDefault();
    void send('assign', { assignee: state.assignee }, `${capital(label(c))} assigned to ${state.assignee}.`);
  };

  const error = state.error;
  // The API names the assignee `to` (as the CLI's --to) or `assignee`.
  const fieldOf = (e: ApiError) => (e.field === 'to' ? 'assignee' : e.field);
  const errorOf = (field: string) => (error && fieldOf(error) === field ? error.message : null);
  const formFields = state.form === 'resolve' ? ['resolution', 'satisfaction'] : state.form === 'assign' ? ['assignee'] : [];
  const general = error && !formFields.includes(fieldOf(error) ?? '') ? error.message : null;

  return (
    <article ref={ref} class={`complaint${overdue ? ' overdue' : ''}`} id={id} tabIndex={-1} aria-labelledby={`${id}-title`} data-id={c.id}>
      <div class="complaint-head">
        <h3 id={`${id}-title`}>
          <a href={`/customers/${c.customer_id}`} data-named={customer ? '' : undefined}>
            {customer?.name ?? `Customer ${c.customer_id}`}
          </a>
        </h3>
        <span class={`severity severity-${c.severity}`}>{c.severity}</span>
      </div>
      <p class="complaint-what">
        <span class="category">{c.category}</span> · {c.kind} {c.external_id ?? `#${c.id}`}
      </p>
      {c.description ? <p class="complaint-description">{c.description}</p> : null}
      <dl class="complaint-facts">
        <div>
          <dt>Assignee</dt>
          <dd>{assigneeName || 'nobody'}</dd>
        </div>
        <div>
          <dt>Opened</dt>
          <dd>{formatDay(c.opened_at)}</dd>
        </div>
        {deadline ? (
          <div>
            <dt>Deadline</dt>
            <dd>
              {formatTime(deadline)}
              {overdue ? <strong class="overdue-mark"> Overdue</strong> : null}
            </dd>
          </div>
        ) : null}
        {c.resolved_at ? (
          <div>
            <dt>Resolved</dt>
            <dd>{formatDay(c.resolved_at)}</dd>
          </div>
        ) : null}
      </dl>
      {c.resolution ? (
        <p class="complaint-resolution">
          <span class="muted">Resolution:</span> {c.resolution}
          {c.satisfaction ? <span class="muted"> · satisfaction {c.satisfaction}/5</span> : null}
        </p>
      ) : null}
      {general ? (
        <p class="form-error" role="alert">
          {error?.status === 409 ? `Not saved: ${general}. The complaint is shown as it is now; check it and try again.` : general}
        </p>
      ) : null}
      {props.moves.length > 0 || props.mayAssign ? (
        <div class="complaint-actions">
          {props.moves.map((m) =>
            m === 'resolve' ? (
              <button key={m} type="button" aria-expanded={state.form === 'resolve'} aria-controls={`${id}-resolve`} onClick={() => update({ form: state.form === 'resolve' ? null : 'resolve' })}>
                Resolve…
              </button>
            ) : (
              <button key={m} type="button" disabled={busy} onClick={() => move(m)}>
                {moveLabels[m]}
              </button>
            ),
          )}
          {props.mayAssign ? (
            <button type="button" aria-expanded={state.form === 'assign'} aria-controls={`${id}-assign`} onClick={() => update({ form: state.form === 'assign' ? null : 'assign' })}>
              Assign…
            </button>
          ) : null}
        </div>
      ) : null}
      {state.form === 'resolve' && props.moves.includes('resolve') ? (
        <form class="complaint-form" id={`${id}-resolve`} onSubmit={resolve} aria-label={`Resolve ${label(c)}`}>
          <TextAreaField id={`${id}-resolution`} label="Resolution" value={state.resolution} onValue={(v) => update({ resolution: v })} error={errorOf('resolution')} />
          <SelectField id={`${id}-satisfaction`} label="Customer's satisfaction" options={satisfactions} value={state.satisfaction} onValue={(v) => update({ satisfaction: v })} error={errorOf('satisfaction')} />
          <FormActions busy={busy} label="Resolve" onCancel={() => update({ form: null, error: null })} />
        </form>
      ) : null}
      {state.form === 'assign' && props.mayAssign ? (
        <form class="complaint-form" id={`${id}-assign`} onSubmit={assign} aria-label={`Assign ${label(c)}`}>
          <SelectField
            id={`${id}-assignee`}
            label="Assign to"
            options={[['', 'Choose someone'] as const, ...props.assignees.map((a) => [a.username, a.label] as const)]}
            value={state.assignee}
            onValue={(v) => update({ assignee: v })}
            error={errorOf('assignee')}
          />
          <FormActions busy={busy} label="Assign" onCancel={() => update({ form: null, error: null })} />
        </form>
      ) : null}
    </article>
  );
}

// How the board names a complaint: its external id, else its id.
function label(c: Complaint): string {
  return c.external_id ? `complaint ${c.external_id}` : `complaint #${c.id}`;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function nextStatus(m: Exclude<Move, 'resolve'>) {
  return m === 'start' ? 'in_progress' : m === 'back_to_open' ? 'open' : m === 'close' ? 'closed' : 'open';
}
