// The Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005,
// "RFM and CLV: Using Iso-Value Curves for Customer Base Analysis", JMR 42;
// Hardie's note 025), and a customer-lifetime-value sum that combines any
// purchase model's expected transactions with the model's expected spend.
//
// A customer's transaction values z_1..z_x are i.i.d. gamma(p, nu); nu varies
// across customers as gamma(q, gamma). The data per customer is x, the number
// of repeat transactions, and m_x, their mean value. The density of m_x is
//
//   f(m_x | p, q, gamma, x) = Gamma(px + q) / (Gamma(px) Gamma(q))
//                             * gamma^q m_x^(px - 1) x^(px)
//                             / (gamma + x m_x)^(px + q),
//
// and the conditional mean spend is the weighted average of the population
// mean p gamma / (q - 1) and the customer's own mean m_x:
//
//   E[M | x, m_x] = p (gamma + x m_x) / (px + q - 1).
//
// Pure math on columns: no SQL, no CRM types. All functions are thread-safe.
#pragma once

#include <functional>
#include <span>

#include "common/status.h"

namespace tenure::analytics {

struct GammaGammaParams {
  double p = 0;      // shape of the per-transaction gamma
  double q = 0;      // shape of the gamma over customers' scale nu
  double gamma = 0;  // scale of that gamma (lifetimes calls it "v")
};

struct GammaGammaFit {
  GammaGammaParams params;
  double log_likelihood = 0;
  // Standard errors of p, q, gamma from the observed information; NaN when
  // the information matrix is singular.
  GammaGammaParams std_errors;
  int customers = 0;      // rows with x > 0 that entered the fit
  bool converged = true;  // see analytics::Fit::converged
};

// The log-likelihood sum_i ln f(m_x_i | p, q, gamma, x_i) over the rows with
// x_i > 0 (rows with x_i = 0 carry no spend and are skipped, so a whole RFM
// summary can be passed). When `gradient` has 3 elements it receives
// d LL / d(p, q, gamma).
// Errors (kInvalidArgument, field names the column or parameter): x and m_x
// of different lengths or empty, x negative or not finite, m_x not positive
// where x > 0, no row with x > 0, a parameter not positive, `gradient` of a
// size other than 0 or 3.
Result<double> GammaGammaLogLikelihood(const GammaGammaParams& params, std::span<const double> x,
                                       std::span<const double> m_x,
                                       std::span<double> gradient = {});

// Maximum-likelihood fit over the rows with x > 0 (see above), by
// MaximizeLikelihood with the analytic gradient. Errors: those of
// GammaGammaLogLikelihood, kInternal when the optimiser fails.
Result<GammaGammaFit> FitGammaGamma(std::span<const double> x, std::span<const double> m_x);

// E[M | x, m_x] = p (gamma + x m_x) / (px + q - 1): the expected value of a
// future transaction of a customer with x repeat transactions of mean value
// m_x. For x = 0 it is the population mean p gamma / (q - 1) and m_x is
// ignored. Errors (kInvalidArgument): a parameter not positive, q <= 1 (the
// mean does not exist), x negative, m_x negative where x > 0.
Result<double> ConditionalExpectedSpend(const GammaGammaParams& params, double x, double m_x);

// Customer lifetime value: expected transactions from a purchase model times
// expected spend per transaction, discounted per period.
//
// Any purchase model plugs in through this callable: the expected number of
// transactions the customer makes in the next `t` time units (the purchase
// model's own unit, e.g. weeks), conditional on their history, for t >= 0 --
// e.g. BG/NBD's or Pareto/NBD's E[Y(t) | x, t_x, T].
using ExpectedPurchases = std::function<double(double t)>;

struct ClvOptions {
  int periods = 12;              // horizon in periods (e.g. 12 months)
  double period_length = 4.345;  // one period in the purchase model's unit (weeks per month)
  double discount_rate = 0.01;   // per period, e.g. 0.01 a month
};

// CLV = sum_{k=1..K} spend * (E[Y(k L)] - E[Y((k-1) L)]) / (1 + d)^k,
// K = options.periods, L = options.period_length, d = options.discount_rate:
// each period's expected transactions are valued at `expected_spend` and
// discounted from the period's end (as lifetimes'
// customer_lifetime_value does). `expected_spend` is usually
// ConditionalExpectedSpend (times a margin, if profit rather than revenue is
// wanted). Errors (kInvalidArgument): expected_spend negative, periods < 1,
// period_length not positive, discount_rate <= -1, and a purchase model
// whose expectation is not finite or decreases.
Result<double> CustomerLifetimeValue(double expected_spend, const ExpectedPurchases& purchases,
                                     const ClvOptions& options = {});

// The same sum when the caller already has the expected transactions per
// period: sum_k spend * purchases_per_period[k-1] / (1 + d)^k.
// Errors (kInvalidArgument): expected_spend negative, an entry negative or
// not finite, discount_rate <= -1.
Result<double> DiscountedValue(double expected_spend, std::span<const double> purchases_per_period,
                               double discount_rate);

}  // namespace tenure::analytics
