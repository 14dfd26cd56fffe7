// The customer's credit file: how they pay, what is open and overdue, and
// the A-D rating with the reasons for it (GET /customers/{id}/credit;
// docs/credit.md).
import type { CreditFile } from '../../api/types';
import { ErrorNote } from '../../components/error_note';
import { useApi } from '../../components/use_api';
import { formatAmount } from '../../lib/format';

export function CreditPanel({ customerId, reload }: { customerId: number; reload: number }) {
  const loaded = useApi<CreditFile>(`/customers/${customerId}/credit`, reload);
  if (loaded.state === 'loading') return <p class="loading">Loading the credit file…</p>;
  if (loaded.state === 'failed') return <ErrorNote error={loaded.error} />;
  const f = loaded.data;
  return (
    <div class="credit">
      <p class={`rating rating-${f.rating}`}>
        Rating <b>{f.rating}</b>
        {f.stored_rating && f.stored_rating !== f.rating ? <span class="muted"> (stored {f.stored_rating}, not yet re-rated)</span> : null}
      </p>
      <ul class="reasons-list">
        {f.reasons.map((reason) => (
          <li key={reason}>{reason}</li>
        ))}
      </ul>
      <dl class="facts">
        <dt>Invoices</dt>
        <dd>
          {f.invoices} · {f.paid_on_time} paid on time · {f.paid_late} late{f.paid_late > 0 ? ` (avg ${f.average_days_late.toFixed(1)} days, max ${f.max_days_late})` : ''}
        </dd>
        <dt>Open</dt>
        <dd>
          {formatAmount(f.open_balance)} on {f.open_invoices} invoices
        </dd>
        <dt>Overdue</dt>
        <dd class={f.overdue_amount > 0 ? 'bad' : undefined}>
          {formatAmount(f.overdue_amount)}
          {f.overdue_invoices > 0 ? ` on ${f.overdue_invoices} invoices, oldest ${f.oldest_overdue_days} days` : ''}
        </dd>
        <dt>Credit limit</dt>
        <dd>
          {f.credit_limit === null ? 'none' : formatAmount(f.credit_limit)}
          {f.limit_use !== null ? ` · ${(f.limit_use * 100).toFixed(0)} % used` : ''}
        </dd>
        {f.defaulted_on ? (
          <>
            <dt>Lost as defaulter</dt>
            <dd class="bad">{f.defaulted_on}</dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}
