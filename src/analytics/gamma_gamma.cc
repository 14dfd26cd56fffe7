#include "analytics/gamma_gamma.h"

#include <algorithm>
#include <boost/math/special_functions/digamma.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "analytics/optimize.h"

namespace tenure::analytics {
namespace {

Status CheckParams(const GammaGammaParams& params) {
  if (!(params.p > 0) || !std::isfinite(params.p)) {
    return Status::InvalidArgument("must be positive", "p");
  }
  if (!(params.q > 0) || !std::isfinite(params.q)) {
    return Status::InvalidArgument("must be positive", "q");
  }
  if (!(params.gamma > 0) || !std::isfinite(params.gamma)) {
    return Status::InvalidArgument("must be positive", "gamma");
  }
  return Status::Ok();
}

Status CheckColumns(std::span<const double> x, std::span<const double> m_x) {
  if (x.empty()) return Status::InvalidArgument("is empty", "x");
  if (x.size() != m_x.size()) {
    return Status::InvalidArgument(
        "has " + std::to_string(m_x.size()) + " rows, x has " + std::to_string(x.size()), "m_x");
  }
  size_t with_spend = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    if (!(x[i] >= 0) || !std::isfinite(x[i])) {
      return Status::InvalidArgument(
          "row " + std::to_string(i + 1) + ": expected a non-negative number of transactions", "x");
    }
    if (x[i] == 0) continue;
    if (!(m_x[i] > 0) || !std::isfinite(m_x[i])) {
      return Status::InvalidArgument(
          "row " + std::to_string(i + 1) + ": expected a positive mean spend where x > 0", "m_x");
    }
    ++with_spend;
  }
  if (with_spend == 0) return Status::InvalidArgument("no row has x > 0", "x");
  return Status::Ok();
}

// Digamma in double precision: Boost's default promotes to long double,
// which the likelihood loop does not need and which costs several times as
// much.
double Digamma(double v) {
  return boost::math::digamma(
      v, boost::math::policies::make_policy(boost::math::policies::promote_double<false>()));
}

// The rows with x > 0, sorted by x, with what the likelihood needs of them
// precomputed: the x-only special functions are then evaluated once per
// distinct x (a run of equal x), and the per-row loop is one log.
struct SpendRows {
  std::vector<double> x, log_m_plus_log_x, log_m, total;  // total = x m_x
  std::vector<size_t> run_end;                            // rows [run_end[k-1], run_end[k]) share x
};

SpendRows PrepareRows(std::span<const double> x, std::span<const double> m_x) {
  std::vector<std::pair<double, double>> rows;
  for (size_t i = 0; i < x.size(); ++i) {
    if (x[i] > 0) rows.emplace_back(x[i], m_x[i]);
  }
  std::sort(rows.begin(), rows.end());
  SpendRows out;
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto [xi, m] = rows[i];
    if (i > 0 && xi != rows[i - 1].first) out.run_end.push_back(i);
    out.x.push_back(xi);
    out.log_m.push_back(std::log(m));
    out.log_m_plus_log_x.push_back(std::log(m) + std::log(xi));
    out.total.push_back(xi * m);
  }
  out.run_end.push_back(rows.size());
  return out;
}

// The log-likelihood on validated, prepared rows (see the header for the
// density).
double LogLikelihoodOf(const GammaGammaParams& params, const SpendRows& rows,
                       std::span<double> gradient) {
  const double p = params.p, q = params.q, g = params.gamma;
  const double lgamma_q = std::lgamma(q), digamma_q = Digamma(q), log_g = std::log(g);
  const bool want_gradient = !gradient.empty();
  double ll = 0, d_p = 0, d_q = 0, d_g = 0;
  size_t begin = 0;
  for (size_t end : rows.run_end) {
    const double x = rows.x[begin], px = p * x;
    const double n = static_cast<double>(end - begin);
    // The terms of the run's rows that depend on x alone, once for the run.
    ll += n * (std::lgamma(px + q) - std::lgamma(px) - lgamma_q + q * log_g);
    double digamma_sum = 0;
    if (want_gradient) {
      digamma_sum = Digamma(px + q);
      d_p += n * x * (digamma_sum - Digamma(px));
      d_q += n * (digamma_sum - digamma_q + log_g);
      d_g += n * q / g;
    }
    for (size_t i = begin; i < end; ++i) {
      const double log_total = std::log(g + rows.total[i]);
      ll += px * rows.log_m_plus_log_x[i] - rows.log_m[i] - (px + q) * log_total;
      if (!want_gradient) continue;
      d_p += x * (rows.log_m_plus_log_x[i] - log_total);
      d_q -= log_total;
      d_g -= (px + q) / (g + rows.total[i]);
    }
    begin = end;
  }
  if (want_gradient) {
    gradient[0] = d_p;
    gradient[1] = d_q;
    gradient[2] = d_g;
  }
  return ll;
}

}  // namespace

Result<double> GammaGammaLogLikelihood(const GammaGammaParams& params, std::span<const double> x,
                                       std::span<const double> m_x, std::span<double> gradient) {
  TENURE_RETURN_IF_ERROR(CheckParams(params));
  TENURE_RETURN_IF_ERROR(CheckColumns(x, m_x));
  if (!gradient.empty() && gradient.size() != 3) {
    return Status::InvalidArgument("must have 3 elements (p, q, gamma) or none", "gradient");
  }
  return LogLikelihoodOf(params, PrepareRows(x, m_x), gradient);
}

Result<GammaGammaFit> FitGammaGamma(std::span<const double> x, std::span<const double> m_x) {
  TENURE_RETURN_IF_ERROR(CheckColumns(x, m_x));
  const SpendRows rows = PrepareRows(x, m_x);
  LogLikelihood ll = [&](std::span<const double> p, std::span<double> gradient) {
    return LogLikelihoodOf({p[0], p[1], p[2]}, rows, gradient);
  };
  // Start where lifetimes does; the fit runs on log-parameters, so the scale
  // of gamma (the currency's) does not matter much.
  Result<Fit> fit = MaximizeLikelihood(ll, {1.0, 1.0, 1.0});
  if (!fit.ok()) return fit.status().WithContext("Gamma-Gamma fit");
  GammaGammaFit out;
  out.params = {fit->params[0], fit->params[1], fit->params[2]};
  out.log_likelihood = fit->log_likelihood;
  out.std_errors = {fit->std_errors[0], fit->std_errors[1], fit->std_errors[2]};
  for (double xi : x) out.customers += xi > 0 ? 1 : 0;
  out.converged = fit->converged;
  return out;
}

Result<double> ConditionalExpectedSpend(const GammaGammaParams& params, double x, double m_x) {
  TENURE_RETURN_IF_ERROR(CheckParams(params));
  if (!(params.q > 1)) {
    return Status::InvalidArgument("must exceed 1 for the mean spend to exist", "q");
  }
  if (!(x >= 0) || !std::isfinite(x)) return Status::InvalidArgument("must be >= 0", "x");
  if (x == 0) return params.p * params.gamma / (params.q - 1);
  if (!(m_x >= 0) || !std::isfinite(m_x)) return Status::InvalidArgument("must be >= 0", "m_x");
  return params.p * (params.gamma + x * m_x) / (params.p * x + params.q - 1);
}

Result<double> DiscountedValue(double expected_spend, std::span<const double> purchases_per_period,
                               double discount_rate) {
  if (!(expected_spend >= 0) || !std::isfinite(expected_spend)) {
    return Status::InvalidArgument("must be >= 0", "expected_spend");
  }
  if (!(discount_rate > -1) || !std::isfinite(discount_rate)) {
    return Status::InvalidArgument("must be > -1", "discount_rate");
  }
  double value = 0, discount = 1;
  for (size_t k = 0; k < purchases_per_period.size(); ++k) {
    const double purchases = purchases_per_period[k];
    if (!(purchases >= 0) || !std::isfinite(purchases)) {
      return Status::InvalidArgument(
          "period " + std::to_string(k + 1) + ": expected a non-negative number of purchases",
          "purchases_per_period");
    }
    discount /= 1 + discount_rate;
    value += expected_spend * purchases * discount;
  }
  return value;
}

Result<double> CustomerLifetimeValue(double expected_spend, const ExpectedPurchases& purchases,
                                     const ClvOptions& options) {
  if (options.periods < 1) return Status::InvalidArgument("must be at least 1", "periods");
  if (!(options.period_length > 0) || !std::isfinite(options.period_length)) {
    return Status::InvalidArgument("must be positive", "period_length");
  }
  std::vector<double> per_period(options.periods);
  double before = purchases(0);
  for (int k = 1; k <= options.periods; ++k) {
    const double through = purchases(k * options.period_length);
    if (!std::isfinite(through) || !std::isfinite(before) || through < before) {
      return Status::InvalidArgument(
          "period " + std::to_string(k) + ": expected purchases must be finite and non-decreasing",
          "purchases");
    }
    per_period[k - 1] = through - before;
    before = through;
  }
  return DiscountedValue(expected_spend, per_period, options.discount_rate);
}

}  // namespace tenure::analytics
