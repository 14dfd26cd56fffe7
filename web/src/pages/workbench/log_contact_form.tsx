// Logs a contact with a customer and schedules the next one, in one form,
// from wherever the customer is listed (POST /activities). An error stays
// next to the field the server names; nothing typed is lost.
import { useState } from 'preact/hooks';
import { ApiError, api } from '../../api/client';

const kinds = [
  ['call', 'Call'],
  ['visit', 'Visit'],
  ['email', 'E-mail'],
  ['sms', 'SMS'],
  ['meeting', 'Meeting'],
] as const;
const outcomes = [
  ['', 'No outcome yet'],
  ['effective', 'Effective'],
  ['high_value', 'High value'],
  ['unsuccessful', 'Unsuccessful'],
] as const;

export interface Logged {
  kind: string;
  follow_up_on: string | null;
}

// Now, as the API writes a timestamp (whole seconds, UTC).
function now(): string {
  return new Date().toISOString().slice(0, 19) + 'Z';
}

export function LogContactForm({ customerId, customerName, onLogged, onCancel }: { customerId: number; customerName: string; onLogged: (logged: Logged) => void; onCancel: () => void }) {
  const [kind, setKind] = useState('call');
  const [outcome, setOutcome] = useState('');
  const [notes, setNotes] = useState('');
  const [followUp, setFollowUp] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const id = `log-${customerId}`;

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post('/activities', {
        customer_id: customerId,
        kind,
        occurred_at: now(),
        ...(outcome ? { outcome } : {}),
        ...(notes ? { notes } : {}),
        ...(followUp ? { follow_up_on: followUp } : {}),
      });
      onLogged({ kind, follow_up_on: followUp || null });
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'error', 'Saving failed.', null));
    } finally {
      setBusy(false);
    }
  };
  const fieldError = (field: string) =>
    error && error.field === field ? (
      <p class="field-error" id={`${id}-${field}-error`}>
        {error.message}
      </p>
    ) : null;
  const described = (field: string) => (error && error.field === field ? `${id}-${field}-error` : undefined);
  const known = ['kind', 'outcome', 'notes', 'follow_up_on'];

  return (
    <form class="log-contact" onSubmit={submit} aria-label={`Log a contact with ${customerName}`}>
      {error && !known.includes(error.field ?? '') ? (
        <p class="form-error" role="alert">
          {error.message}
        </p>
      ) : null}
      <div class="fields">
        <div>
          <label for={`${id}-kind`}>Contact</label>
          <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.currentTarget.value)} aria-describedby={described('kind')}>
            {kinds.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
          {fieldError('kind')}
        </div>
        <div>
          <label for={`${id}-outcome`}>Outcome</label>
          <select id={`${id}-outcome`} value={outcome} onChange={(e) => setOutcome(e.currentTarget.value)} aria-describedby={described('outcome')}>
            {outcomes.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
          {fieldError('outcome')}
        </div>
        <div class="wide">
          <label for={`${id}-notes`}>Notes</label>
          <input id={`${id}-notes`} value={notes} onInput={(e) => setNotes(e.currentTarget.value)} aria-describedby={described('notes')} />
          {fieldError('notes')}
        </div>
        <div>
          <label for={`${id}-follow`}>Next contact on</label>
          <input id={`${id}-follow`} type="date" value={followUp} onInput={(e) => setFollowUp(e.currentTarget.value)} aria-describedby={described('follow_up_on')} />
          {fieldError('follow_up_on')}
        </div>
      </div>
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
