// The fields of a recorded loss that more than one form asks for: its type
// (docs/churn.md) and its reasons, the company's list of churn reasons
// (GET /churn_reasons) as check boxes.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../api/client';
import type { ChurnReasonPage } from '../api/types';

export const churnTypes = [
  ['natural', 'Natural (moved, closed, no longer needs it)'],
  ['competition', 'Competition (went to a competitor)'],
  ['negligence', 'Negligence (we let them down)'],
  ['malicious', 'Malicious (left to escape a debt)'],
] as const;

// The churn reasons as [code, label], and the error when they could not be
// read; nothing is read while `skip` holds.
export function useChurnReasons(skip = false): { choices: [string, string][]; loadError: ApiError | null } {
  const [choices, setChoices] = useState<[string, string][]>([]);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  useEffect(() => {
    if (skip) return;
    api.get<ChurnReasonPage>('/churn_reasons?limit=1000').then(
      (page) => setChoices(page.items.map((r) => [r.code, r.label])),
      (e: unknown) => setLoadError(e instanceof ApiError ? e : null),
    );
  }, [skip]);
  return { choices, loadError };
}

export function ReasonsField({ id, choices, value, onValue, error }: { id: string; choices: [string, string][]; value: string[]; onValue: (codes: string[]) => void; error: string | null }) {
  const toggle = (code: string) => onValue(value.includes(code) ? value.filter((r) => r !== code) : [...value, code]);
  return (
    <fieldset class="wide reasons" aria-describedby={error ? `${id}-error` : undefined}>
      <legend>Reasons</legend>
      {choices.map(([code, label]) => (
        <label key={code} class="check">
          <input type="checkbox" checked={value.includes(code)} onChange={() => toggle(code)} /> {label}
        </label>
      ))}
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
