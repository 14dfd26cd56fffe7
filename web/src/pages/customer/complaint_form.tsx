// Opens a complaint or a demand for the customer (POST /complaints); it then
// follows its deadlines on the complaints board (docs/complaints.md).
import { useState } from 'preact/hooks';
import { api } from '../../api/client';
import { Field, SelectField, TextAreaField } from '../../components/field';
import { FormActions, FormError, useSave } from '../../components/form_parts';

const kinds = [
  ['complaint', 'Complaint'],
  ['demand', 'Demand'],
] as const;
const severities = [
  ['low', 'Low'],
  ['medium', 'Medium'],
  ['high', 'High'],
  ['critical', 'Critical'],
] as const;

export function ComplaintForm({ customerId, customerName, onSaved, onCancel }: { customerId: number; customerName: string; onSaved: () => void; onCancel: () => void }) {
  const [kind, setKind] = useState('complaint');
  const [category, setCategory] = useState('');
  const [severity, setSeverity] = useState('medium');
  const [description, setDescription] = useState('');
  const { error, busy, submit, errorOf } = useSave(async () => {
    await api.post('/complaints', { customer_id: String(customerId), kind, category, severity, ...(description ? { description } : {}) });
    onSaved();
  });
  return (
    <form class="panel-form" onSubmit={submit} aria-label={`Open a complaint for ${customerName}`}>
      <FormError error={error} fields={['kind', 'category', 'severity', 'description']} />
      <div class="fields">
        <div>
          <SelectField id="complaint-kind" label="Kind" options={kinds} value={kind} onValue={setKind} error={errorOf('kind')} />
        </div>
        <div>
          <Field id="complaint-category" label="Category (delivery, billing, quality…)" value={category} onValue={setCategory} error={errorOf('category')} required />
        </div>
        <div>
          <SelectField id="complaint-severity" label="Severity" options={severities} value={severity} onValue={setSeverity} error={errorOf('severity')} />
        </div>
        <div class="wide">
          <TextAreaField id="complaint-description" label="What happened" value={description} onValue={setDescription} error={errorOf('description')} />
        </div>
      </div>
      <FormActions busy={busy} label="Open complaint" onCancel={onCancel} />
    </form>
  );
}
