// What every form of the app shares: saving with the API's error kept for
// the field it names (useSave), the error no field shows (FormError), and
// the save and cancel buttons (FormActions).
import { useState } from 'preact/hooks';
import { ApiError } from '../api/client';

export interface Save {
  error: ApiError | null;
  busy: boolean;
  submit: (event: Event) => Promise<void>;
  // The API's message when its error names `field`, else null.
  errorOf: (field: string) => string | null;
}

// Runs `save` on submit; a failure is kept as an ApiError (nothing typed is
// touched, so the user can correct and save again).
export function useSave(save: () => Promise<void>, failed = 'Saving failed.'): Save {
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await save();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'error', failed, null));
    } finally {
      setBusy(false);
    }
  };
  const errorOf = (field: string) => (error && error.field === field ? error.message : null);
  return { error, busy, submit, errorOf };
}

// The error when it names none of the form's `fields` (those show it under
// themselves).
export function FormError({ error, fields }: { error: ApiError | null; fields: readonly string[] }) {
  if (!error || fields.includes(error.field ?? '')) return null;
  return (
    <p class="form-error" role="alert">
      {error.message}
    </p>
  );
}

export function FormActions({ busy, label, onCancel, danger = false }: { busy: boolean; label: string; onCancel: () => void; danger?: boolean }) {
  return (
    <div class="actions">
      <button type="submit" class={danger ? 'danger' : 'primary'} disabled={busy}>
        {busy ? 'Saving…' : label}
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
