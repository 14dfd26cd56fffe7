// A labelled text input whose error (from the API, naming this field) is
// said right under it and tied to it for screen readers.
export interface FieldProps {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  error: string | null;
  type?: 'text' | 'password';
  autocomplete?: string;
  required?: boolean;
  autofocus?: boolean;
}

export function Field({ id, label, value, onValue, error, type = 'text', autocomplete, required, autofocus }: FieldProps) {
  const errorId = `${id}-error`;
  const input = {
    id,
    name: id,
    autocomplete,
    required,
    autofocus,
    value,
    onInput: (e: Event) => onValue((e.currentTarget as HTMLInputElement).value),
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': error ? errorId : undefined,
  };
  return (
    <>
      <label for={id}>{label}</label>
      {type === 'password' ? <input type="password" {...input} /> : <input type="text" {...input} />}
      {error ? (
        <p class="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
    </>
  );
}
