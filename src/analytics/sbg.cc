#include "analytics/sbg.h"

#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/hypergeometric_pFq.hpp>
#include <cmath>
#include <exception>
#include <string>

#include "analytics/optimize.h"

namespace tenure::analytics {
namespace {

using boost::math::digamma;
using boost::math::lgamma;

double LogBeta(double a, double b) { return lgamma(a) + lgamma(b) - lgamma(a + b); }

Status CheckParams(const SbgParams& params) {
  if (!(params.alpha > 0) || !std::isfinite(params.alpha)) {
    return Status::InvalidArgument("must be positive", "alpha");
  }
  if (!(params.beta > 0) || !std::isfinite(params.beta)) {
    return Status::InvalidArgument("must be positive", "beta");
  }
  return Status::Ok();
}

Status CheckCohort(std::span<const double> alive) {
  if (alive.size() < 2) {
    return Status::InvalidArgument("needs the cohort size and at least one period", "alive");
  }
  if (!(alive[0] > 0) || !std::isfinite(alive[0])) {
    return Status::InvalidArgument("period 0: the cohort size must be positive", "alive");
  }
  for (size_t t = 1; t < alive.size(); ++t) {
    if (!(alive[t] >= 0) || !std::isfinite(alive[t])) {
      return Status::InvalidArgument(
          "period " + std::to_string(t) + ": expected a non-negative count", "alive");
    }
    if (alive[t] > alive[t - 1]) {
      return Status::InvalidArgument(
          "period " + std::to_string(t) + ": more customers active than in the period before",
          "alive");
    }
  }
  return Status::Ok();
}

// The log-likelihood on validated input (see the header), with
// d ln B(a, b) / da = psi(a) - psi(a + b) giving the gradient.
double LogLikelihoodUnchecked(const SbgParams& params, std::span<const double> alive,
                              std::span<double> gradient) {
  const double a = params.alpha, b = params.beta;
  const double log_beta_ab = LogBeta(a, b);
  const double psi_a = digamma(a), psi_b = digamma(b), psi_ab = digamma(a + b);
  const double psi_a1 = digamma(a + 1);
  const size_t n = alive.size() - 1;
  double ll = 0, d_a = 0, d_b = 0;
  for (size_t t = 1; t <= n; ++t) {
    const double churned = alive[t - 1] - alive[t];
    if (churned == 0) continue;
    const double td = static_cast<double>(t);
    ll += churned * (LogBeta(a + 1, b + td - 1) - log_beta_ab);
    if (gradient.empty()) continue;
    const double psi_total = digamma(a + b + td);
    d_a += churned * (psi_a1 - psi_total - psi_a + psi_ab);
    d_b += churned * (digamma(b + td - 1) - psi_total - psi_b + psi_ab);
  }
  const double survivors = alive[n];
  if (survivors > 0) {
    const double nd = static_cast<double>(n);
    ll += survivors * (LogBeta(a, b + nd) - log_beta_ab);
    if (!gradient.empty()) {
      const double psi_total = digamma(a + b + nd);
      d_a += survivors * (psi_ab - psi_total);
      d_b += survivors * (digamma(b + nd) - psi_total - psi_b + psi_ab);
    }
  }
  if (!gradient.empty()) {
    gradient[0] = d_a;
    gradient[1] = d_b;
  }
  return ll;
}

}  // namespace

Result<double> SbgLogLikelihood(const SbgParams& params, std::span<const double> alive,
                                std::span<double> gradient) {
  TENURE_RETURN_IF_ERROR(CheckParams(params));
  TENURE_RETURN_IF_ERROR(CheckCohort(alive));
  if (!gradient.empty() && gradient.size() != 2) {
    return Status::InvalidArgument("must have 2 elements (alpha, beta) or none", "gradient");
  }
  return LogLikelihoodUnchecked(params, alive, gradient);
}

Result<SbgFit> FitSbg(std::span<const double> alive) {
  TENURE_RETURN_IF_ERROR(CheckCohort(alive));
  LogLikelihood ll = [&](std::span<const double> p, std::span<double> gradient) {
    return LogLikelihoodUnchecked({p[0], p[1]}, alive, gradient);
  };
  Result<Fit> fit = MaximizeLikelihood(ll, {1.0, 1.0});
  if (!fit.ok()) return fit.status().WithContext("sBG fit");
  SbgFit out;
  out.params = {fit->params[0], fit->params[1]};
  out.log_likelihood = fit->log_likelihood;
  out.std_errors = {fit->std_errors[0], fit->std_errors[1]};
  out.periods = static_cast<int>(alive.size()) - 1;
  out.converged = fit->converged;
  return out;
}

double SbgChurnProbability(const SbgParams& params, int t) {
  return std::exp(LogBeta(params.alpha + 1, params.beta + t - 1) -
                  LogBeta(params.alpha, params.beta));
}

double SbgSurvival(const SbgParams& params, int t) {
  return std::exp(LogBeta(params.alpha, params.beta + t) - LogBeta(params.alpha, params.beta));
}

double SbgRetentionRate(const SbgParams& params, int t) {
  return (params.beta + t - 1) / (params.alpha + params.beta + t - 1);
}

std::vector<double> SbgExpectedSurvivors(const SbgParams& params, double cohort_size, int periods) {
  std::vector<double> survivors(periods + 1);
  for (int t = 0; t <= periods; ++t) survivors[t] = cohort_size * SbgSurvival(params, t);
  return survivors;
}

Result<double> SbgDiscountedResidualLifetime(const SbgParams& params, double discount_rate,
                                             int renewals) {
  TENURE_RETURN_IF_ERROR(CheckParams(params));
  if (!(discount_rate > 0) || !std::isfinite(discount_rate)) {
    return Status::InvalidArgument("must be positive", "discount_rate");
  }
  if (renewals < 0) return Status::InvalidArgument("must be >= 0", "renewals");
  const double n = renewals;
  const double b = params.beta + n + 1;
  const double c = params.alpha + params.beta + n + 1;
  try {
    const double series = boost::math::hypergeometric_pFq({1.0, b}, {c}, 1 / (1 + discount_rate));
    return SbgRetentionRate(params, renewals + 1) * series;
  } catch (const std::exception& e) {
    return Status::Internal(std::string("2F1 for the residual lifetime failed: ") + e.what());
  }
}

}  // namespace tenure::analytics
