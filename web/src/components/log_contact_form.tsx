// Logs a contact with a customer and schedules the next one, in one form,
// from wherever the customer is listed (POST /activities). An error stays
// next to the field the server names; nothing typed is lost.
import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { Field, SelectField } from './field';
import { FormActions, FormError, useSave } from './form_parts';

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
  const id = `log-${customerId}`;
  const { error, busy, submit, errorOf } = useSave(async () => {
    await api.post('/activities', {
      customer_id: customerId,
      kind,
      occurred_at: now(),
      ...(outcome ? { outcome } : {}),
      ...(notes ? { notes } : {}),
      ...(followUp ? { follow_up_on: followUp } : {}),
    });
    onLogged({ kind, follow_up_on: followUp || null });
  });

  return (
    <form class="log-contact" onSubmit={submit} aria-label={`Log a contact with ${customerName}`}>
      <FormError error={error} fields={['kind', 'outcome', 'notes', 'follow_up_on']} />
      <div class="fields">
        <div>
          <SelectField id={`${id}-kind`} label="Contact" options={kinds} value={kind} onValue={setKind} error={errorOf('kind')} />
        </div>
        <div>
          <SelectField id={`${id}-outcome`} label="Outcome" options={outcomes} value={outcome} onValue={setOutcome} error={errorOf('outcome')} />
        </div>
        <div>
          <Field id={`${id}-notes`} label="Notes" value={notes} onValue={setNotes} error={errorOf('notes')} />
        </div>
        <div>
          <Field id={`${id}-follow`} type="date" label="Next contact on" value={followUp} onValue={setFollowUp} error={errorOf('follow_up_on')} />
        </div>
      </div>
      <FormActions busy={busy} label="Save" onCancel={onCancel} />
    </form>
  );
}
