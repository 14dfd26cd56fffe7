// Records that the customer was lost, with its type and reasons
// (POST /customers/{id}/lost), or that a lost customer came back
// (POST /customers/{id}/won-back); docs/churn.md.
import { useState } from 'preact/hooks';
import { api } from '../../api/client';
import { ReasonsField, churnTypes, useChurnReasons } from '../../components/churn_fields';
import { Field, SelectField, TextAreaField } from '../../components/field';
import { FormActions, FormError, useSave } from '../../components/form_parts';

export function ChurnForm({ customerId, customerName, lost, onSaved, onCancel }: { customerId: number; customerName: string; lost: boolean; onSaved: () => void; onCancel: () => void }) {
  const [type, setType] = useState('competition');
  const [reasons, setReasons] = useState<string[]>([]);
  const [competitor, setCompetitor] = useState('');
  const [notes, setNotes] = useState('');
  const { choices, loadError } = useChurnReasons(lost);

  const { error, busy, submit, errorOf } = useSave(async () => {
    if (lost) {
      await api.post(`/customers/${customerId}/won-back`, notes ? { notes } : {});
    } else {
      await api.post(`/customers/${customerId}/lost`, { churn_type: type, reasons: reasons.join(','), ...(competitor ? { competitor } : {}), ...(notes ? { notes } : {}) });
    }
    onSaved();
  });

  return (
    <form class="panel-form" onSubmit={submit} aria-label={lost ? `${customerName} came back` : `Mark ${customerName} lost`}>
      <FormError error={error ?? loadError} fields={['churn_type', 'competitor', 'notes', 'reasons']} />
      <div class="fields">
        {lost ? null : (
          <>
            <div class="double">
              <SelectField id="churn-type" label="Type of loss" options={churnTypes} value={type} onValue={setType} error={errorOf('churn_type')} />
            </div>
            <div>
              <Field id="churn-competitor" label="Competitor (if any)" value={competitor} onValue={setCompetitor} error={errorOf('competitor')} />
            </div>
            <ReasonsField id="churn-reasons" choices={choices} value={reasons} onValue={setReasons} error={errorOf('reasons')} />
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
