// Labelled form controls whose error (from the API, naming the field) is
// said right under them and tied to them for screen readers, so a failed
// save shows where and keeps what was typed.
import type { ComponentChildren, InputHTMLAttributes } from 'preact';

interface Common {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  error: string | null;
}

// The label, the control and its error.
function Labelled({ id, label, error, children }: { id: string; label: string; error: string | null; children: ComponentChildren }) {
  return (
    <>
      <label for={id}>{label}</label>
      {children}
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </>
  );
}

// What every control carries: its id and name, value, and the error's link.
function controlProps({ id, value, onValue, error }: Common) {
  return {
    id,
    name: id,
    value,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': error ? `${id}-error` : undefined,
    onInput: (e: Event) => onValue((e.currentTarget as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement).value),
  };
}

export interface FieldProps extends Common {
  type?: 'text' | 'password' | 'date' | 'email' | 'tel' | 'number';
  autocomplete?: string;
  required?: boolean;
  autofocus?: boolean;
}

export function Field({ type = 'text', autocomplete, required, autofocus, ...common }: FieldProps) {
  const input = { ...controlProps(common), autocomplete, required, autofocus };
  return (
    <Labelled {...common}>
      {type === 'password' ? <input type="password" {...input} /> : <input {...({ ...input, type } as InputHTMLAttributes)} />}
    </Labelled>
  );
}

export function SelectField({ options, ...common }: Common & { options: readonly (readonly [string, string])[] }) {
  return (
    <Labelled {...common}>
      <select {...controlProps(common)}>
        {options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </Labelled>
  );
}

export function TextAreaField(common: Common) {
  return (
    <Labelled {...common}>
      <textarea rows={3} {...controlProps(common)} />
    </Labelled>
  );
}
