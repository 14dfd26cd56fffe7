// Records that the customer was lost, with its type and reasons
// (POST /customers/{id}/lost), or that a lost customer came back
// (POST /customers/{id}/won-back); docs/churn.md.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../../api/client';
import type { ChurnReasonPage } from '../../api/types';
import { Field, SelectField, TextAreaField } from '../../components/field';
import { FormActions, FormError, useSave } from '../../components/form_parts';

const types = [
  ['natural', 'Natural (moved, closed, no longer needs it)'],
  ['competition', 'Competition (went to a competitor)'],
  ['negligence', 'Negligence (we let them down)'],
  ['malicious', 'Malicious (left to escape a debt)'],
] as const;

export function ChurnForm({ customerId, customerName, lost, onSaved, onCancel }: { customerId: number; customerName: string; lost: boolean; onSaved: () => void; onCancel: () => void }) {
  const [type, setType] = useState('competition');
  const [reasons, setReasons] = useState<string[]>([]);
  const [choices, setChoices] = useState<[string, string][]>([]);
  const [competitor, setCompetitor] = useState('');
  const [notes, setNotes] = useState('');
  const [loadError, setLoadError] = useState<ApiError | null>(null);

  useEffect(() => {
    if (lost) return;
    api.get<ChurnReasonPage>('/churn_reasons?limit=1000').then(
      (page) => setChoices(page.items.map((r) => [r.code, r.label])),
      (e: unknown) => setLoadError(e instanceof ApiError ? e : null),
    );
  }, [lost]);

  const { error, busy, submit, errorOf } = useSave(async () => {
    if (lost) {
      await api.post(`/customers/${customerId}/won-back`, notes ? { notes } : {});
    } else {
      await api.post(`/customers/${customerId}/lost`, { churn_type: type, reasons: reasons.join(','), ...(competitor ? { competitor } : {}), ...(notes ? { notes } : {}) });
    }
    onSaved();
  });
  const toggle = (code: string) => setReasons(reasons.includes(code) ? reasons.filter((r) => r !== code) : [...reasons, code]);

  return (
    <form class="panel-form" onSubmit={submit} aria-label={lost ? `${customerName} came back` : `Mark ${customerName} lost`}>
      <FormError error={error ?? loadError} fields={['churn_type', 'competitor', 'notes', 'reasons']} />
      <div class="fields">
        {lost ? null : (
          <>
            <div>
              <SelectField id="churn-type" label="Type of loss" options={types} value={type} onValue={setType} error={errorOf('churn_type')} />
            </div>
            <div>
              <Field id="churn-competitor" label="Competitor (if any)" value={competitor} onValue={setCompetitor} error={errorOf('competitor')} />
            </div>
            <fieldset class="wide reasons" aria-describedby={errorOf('reasons') ? 'churn-reasons-error' : undefined}>
              <legend>Reasons</legend>
              {choices.map(([code, label]) => (
                <label key={code} class="check">
                  <input type="checkbox" checked={reasons.includes(code)} onChange={() => toggle(code)} /> {label}
                </label>
              ))}
              {errorOf('reasons') ? (
                <p class="field-error" id="churn-reasons-error">
                  {errorOf('reasons')}
                </p>
              ) : null}
            </fieldset>
          </>
        )}
        <div class="wide">
          <TextAreaField id="churn-notes" label="Notes" value={notes} onValue={setNotes} error={errorOf('notes')} />
        </div>
      </div>
      <FormActions busy={busy} label={lost ? 'Record won back' : 'Mark lost'} danger={!lost} onCancel={onCancel} />
    </form>
  );
}
