// Closes a playbook task from its workbench row
// (POST /playbook-tasks/{id}/close, docs/playbooks.md): done with what came
// of it, or dismissed. A confirm_loss task proposes the customer as lost:
// done records the loss with its type and reasons, in the same transaction;
// dismissed says the customer is not lost.
import { useRef, useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { PlaybookTask } from '../../api/types';
import { ReasonsField, churnTypes, useChurnReasons } from '../../components/churn_fields';
import { Field, SelectField } from '../../components/field';
import { FormError, useSave } from '../../components/form_parts';

export interface Closed {
  status: PlaybookTask['status'];
  outcome: string;
}

export function CloseTaskForm({ taskId, action, customerName, onClosed, onCancel }: { taskId: number; action: string; customerName: string; onClosed: (closed: Closed) => void; onCancel: () => void }) {
  const confirmLoss = action === 'confirm_loss';
  const [outcome, setOutcome] = useState('');
  const [type, setType] = useState('negligence');
  const [reasons, setReasons] = useState<string[]>([]);
  const { choices, loadError } = useChurnReasons(!confirmLoss);
  // Which of the two submit buttons was pressed (its click comes before the
  // form's submit).
  const dismiss = useRef(false);
  const { error, busy, submit, errorOf } = useSave(async () => {
    const body: Record<string, unknown> = {};
    if (outcome) body['outcome'] = outcome;
    if (dismiss.current) body['dismiss'] = true;
    else if (confirmLoss) Object.assign(body, { churn_type: type, reasons: reasons.join(',') });
    const task = await api.post<PlaybookTask>(`/playbook-tasks/${taskId}/close`, body);
    onClosed({ status: task.status, outcome: task.outcome });
  });
  const id = `task-${taskId}`;

  return (
    <form class="log-contact" onSubmit={submit} aria-label={`Close the task for ${customerName}`}>
      <FormError error={error ?? loadError} fields={['outcome', 'churn_type', 'reasons']} />
      <div class="fields">
        {confirmLoss ? (
          <>
            <div class="double">
              <SelectField id={`${id}-type`} label="Type of loss" options={churnTypes} value={type} onValue={setType} error={errorOf('churn_type')} />
            </div>
            <ReasonsField id={`${id}-reasons`} choices={choices} value={reasons} onValue={setReasons} error={errorOf('reasons')} />
          </>
        ) : null}
        <div class="wide">
          <Field id={`${id}-outcome`} label="What came of it" value={outcome} onValue={setOutcome} error={errorOf('outcome')} />
        </div>
      </div>
      <div class="actions">
        <button type="submit" class={confirmLoss ? 'danger' : 'primary'} disabled={busy} onClick={() => (dismiss.current = false)}>
          {busy ? 'Saving…' : confirmLoss ? 'Confirm lost' : 'Done'}
        </button>
        <button type="submit" disabled={busy} onClick={() => (dismiss.current = true)}>
          {confirmLoss ? 'Not lost' : 'Dismiss'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
