// Edits a customer's fields (PATCH /customers/{id} with the version the page
// read). When someone else saved first, the API answers 409: the form then
// says who changed what since (from the audit log), keeps everything the
// user typed, and offers to save it over the newer version.
import { useState } from 'preact/hooks';
import { ApiError, api, query } from '../../api/client';
import type { AuditEntry, AuditPage, CustomerProfile } from '../../api/types';
import { Field, SelectField, TextAreaField } from '../../components/field';
import { FormActions, FormError, useSave } from '../../components/form_parts';

const fields = [
  ['name', 'Name'],
  ['phone', 'Phone'],
  ['email', 'E-mail'],
  ['website', 'Website'],
  ['address', 'Address'],
  ['city', 'City'],
  ['province', 'Province'],
  ['type', 'Type'],
  ['industry', 'Industry'],
  ['source', 'Source'],
] as const;
type FieldName = (typeof fields)[number][0] | 'level' | 'notes';

const levels = [
  ['', 'None'],
  ['A', 'A'],
  ['B', 'B'],
  ['C', 'C'],
  ['D', 'D'],
] as const;

function valuesOf(p: CustomerProfile): Record<FieldName, string> {
  const out = {} as Record<FieldName, string>;
  for (const [name] of fields) out[name] = p[name] ?? '';
  out.level = p.level ?? '';
  out.notes = p.notes ?? '';
  return out;
}

// What another user's saves changed, field by field, newest first.
export interface Change {
  user: string;
  at: string;
  field: string;
  before: string;
  after: string;
}

// The row an audit entry holds (the API writes stored text that is not
// JSON as text: no fields).
function rowOf(snapshot: AuditEntry['after']): Record<string, unknown> {
  return snapshot !== null && typeof snapshot === 'object' ? snapshot : {};
}

export function changesSince(entries: AuditEntry[], version: number): Change[] {
  const out: Change[] = [];
  for (const entry of entries) {
    const after = rowOf(entry.after);
    const before = rowOf(entry.before);
    if (typeof after['version'] === 'number' && after['version'] <= version) continue;
    for (const field of Object.keys(after)) {
      if (field === 'version' || JSON.stringify(after[field]) === JSON.stringify(before[field])) continue;
      const show = (v: unknown) => (v === null || v === undefined ? '(empty)' : String(v));
      out.push({ user: entry.user ?? 'someone', at: entry.at, field, before: show(before[field]), after: show(after[field]) });
    }
  }
  return out;
}

export function EditCustomerForm({ profile, onSaved, onCancel }: { profile: CustomerProfile; onSaved: () => void; onCancel: () => void }) {
  const original = valuesOf(profile);
  const [values, setValues] = useState(original);
  const [version, setVersion] = useState(profile.version);
  const [changes, setChanges] = useState<Change[] | null>(null);
  const set = (name: FieldName) => (value: string) => setValues({ ...values, [name]: value });

  const { error, busy, submit, errorOf } = useSave(async () => {
    const changed: Record<string, string | null> = {};
    for (const name of Object.keys(values) as FieldName[]) {
      if (values[name] !== original[name]) changed[name] = values[name] === '' ? null : values[name];
    }
    try {
      await api.patch(`/customers/${profile.id}`, { ...changed, version });
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        // Who saved since, and the version to save over.
        const log = await api
          .get<AuditPage>(`/audit${query({ entity: 'customers', entity_id: profile.id, limit: 20 })}`)
          .catch(() => ({ items: [] as AuditEntry[] }));
        setChanges(changesSince(log.items, version));
        setVersion(Math.max(version, ...log.items.map((entry) => Number(rowOf(entry.after)['version'] ?? 0))));
      }
      throw e;
    }
    onSaved();
  });
  const id = (name: string) => `edit-${name}`;

  return (
    <form class="panel-form" onSubmit={submit} aria-label={`Edit ${profile.name}`}>
      {error && error.status === 409 ? (
        <div class="conflict" role="alert">
          <strong>Someone saved this customer after you opened it.</strong>
          {changes && changes.length > 0 ? (
            <ul>
              {changes.map((c, i) => (
                <li key={i}>
                  {c.user} changed <b>{c.field}</b> from “{c.before}” to “{c.after}” at {c.at.replace('T', ' ').replace('Z', ' UTC')}
                </li>
              ))}
            </ul>
          ) : (
            <p>{error.message}</p>
          )}
          <p>Your changes are still below. Save again to put them over the newer version, or cancel to keep it.</p>
        </div>
      ) : (
        <FormError error={error} fields={[...fields.map(([name]) => name), 'level', 'notes']} />
      )}
      <div class="fields">
        {fields.map(([name, label]) => (
          <div key={name}>
            <Field id={id(name)} label={label} type={name === 'email' ? 'email' : name === 'phone' ? 'tel' : 'text'} value={values[name]} onValue={set(name)} error={errorOf(name)} />
          </div>
        ))}
        <div>
          <SelectField id={id('level')} label="Level" options={levels.some(([v]) => v === original.level) ? levels : [...levels, [original.level, original.level] as const]} value={values.level} onValue={set('level')} error={errorOf('level')} />
        </div>
        <div class="wide">
          <TextAreaField id={id('notes')} label="Notes" value={values.notes} onValue={set('notes')} error={errorOf('notes')} />
        </div>
      </div>
      <FormActions busy={busy} label={changes ? 'Save mine over it' : 'Save'} onCancel={onCancel} />
    </form>
  );
}
