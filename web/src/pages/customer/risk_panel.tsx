// The customer's churn risk as the latest `tenure risk score` left it
// (the profile's `risk`; docs/risk.md): the health out of 100 and its trend
// against a month ago, the probability of being lost within the model's
// horizon, the value at risk, and the reasons in words with the health
// points each took off.
import type { CustomerProfile } from '../../api/types';
import { formatAmount, formatDay, formatPercent } from '../../lib/format';

type Risk = CustomerProfile['risk'];

// "down 9 since a month ago", "up 3 …", "unchanged …"; empty with no trend.
export function trendOf(health: number, monthAgo: number | null): string {
  if (monthAgo === null) return '';
  const change = health - monthAgo;
  if (change === 0) return 'unchanged since a month ago';
  return `${change < 0 ? 'down' : 'up'} ${Math.abs(change)} since a month ago`;
}

export function RiskPanel({ risk }: { risk: Risk }) {
  if (risk.health === null || risk.probability === null) {
    return <p class="muted">No risk model has scored this customer yet (`tenure risk train`, then `tenure risk score`).</p>;
  }
  const trend = trendOf(risk.health, risk.health_month_ago);
  const reasons = risk.reasons ?? [];
  return (
    <div class="risk">
      <p class="health">
        Health{' '}
        <b class={risk.health < 40 ? 'bad' : undefined} data-testid="risk-health">
          {risk.health}
        </b>{' '}
        / 100
        {trend ? <span class="muted"> · {trend}</span> : null}
      </p>
      <dl class="facts">
        <dt>Chance of loss</dt>
        <dd data-testid="risk-probability">
          {formatPercent(risk.probability)} within {risk.horizon_days} days
        </dd>
        <dt>Value at risk</dt>
        <dd data-testid="risk-value">{formatAmount(risk.value_at_risk)}</dd>
        <dt>Scored</dt>
        <dd>{formatDay(risk.as_of)}</dd>
      </dl>
      {reasons.length > 0 ? (
        <>
          <h3 class="risk-reasons-title">Why</h3>
          <ul class="reasons-list" data-testid="risk-reasons">
            {reasons.map((r) => (
              <li key={r.reason}>
                {r.text} <span class="muted">(−{r.points} health)</span>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p class="muted">Nothing in particular raises this customer's risk.</p>
      )}
    </div>
  );
}
