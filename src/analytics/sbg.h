// The shifted-beta-geometric (sBG) model of contract retention (Fader &
// Hardie 2007, "How to Project Customer Retention", Journal of Interactive
// Marketing 21(1); Fader & Hardie 2010, "Customer-Base Valuation in a
// Contractual Setting: The Perils of Ignoring Heterogeneity", Marketing
// Science 29(1), for the residual lifetime).
//
// Each customer of a cohort renews at the end of every period with a fixed
// probability 1 - theta and theta ~ beta(alpha, beta) across customers. The
// lifetime T (the period in which the customer churns, T >= 1) has
//
//   P(T = t) = B(alpha + 1, beta + t - 1) / B(alpha, beta),
//   S(t)     = P(T > t) = B(alpha, beta + t) / B(alpha, beta),
//   r(t)     = S(t) / S(t - 1) = (beta + t - 1) / (alpha + beta + t - 1),
//
// so the cohort's retention rate rises with t as the likelier churners leave.
//
// Pure math on arrays: no SQL, no CRM types. All functions are thread-safe.
#pragma once

#include <span>
#include <vector>

#include "common/status.h"

namespace tenure::analytics {

struct SbgParams {
  double alpha = 0;
  double beta = 0;
};

struct SbgFit {
  SbgParams params;
  double log_likelihood = 0;
  // Standard errors of alpha and beta from the observed information; NaN
  // when the information matrix is singular.
  SbgParams std_errors;
  int periods = 0;        // calibration periods n
  bool converged = true;  // see analytics::Fit::converged
};

// The cohort's log-likelihood
//
//   LL = sum_{t=1..n} (alive[t-1] - alive[t]) ln P(T = t) + alive[n] ln S(n),
//
// `alive[0]` the cohort's size and `alive[t]` the number still active at the
// end of period t (t = 1..n, n = alive.size() - 1): those who left in period
// t contribute P(T = t), those still active after n periods S(n). Counts may
// be fractions (e.g. shares of 1). When `gradient` has 2 elements it
// receives d LL / d(alpha, beta).
// Errors (kInvalidArgument, field names the argument): fewer than 2 counts,
// a count negative or not finite, alive[0] not positive, a count larger than
// the one before it, a parameter not positive, `gradient` of a size other
// than 0 or 2.
Result<double> SbgLogLikelihood(const SbgParams& params, std::span<const double> alive,
                                std::span<double> gradient = {});

// Maximum-likelihood alpha and beta for the cohort `alive` (as above), by
// MaximizeLikelihood with the analytic gradient. Errors: those of
// SbgLogLikelihood, kInternal when the optimiser fails.
Result<SbgFit> FitSbg(std::span<const double> alive);

// P(T = t), the probability of churning in period t. REQUIRES: t >= 1 and
// positive parameters.
double SbgChurnProbability(const SbgParams& params, int t);

// S(t), the probability of still being active at the end of period t;
// S(0) = 1. REQUIRES: t >= 0 and positive parameters.
double SbgSurvival(const SbgParams& params, int t);

// r(t) = S(t) / S(t - 1), the share of those active at the end of period
// t - 1 who renew for period t. REQUIRES: t >= 1 and positive parameters.
double SbgRetentionRate(const SbgParams& params, int t);

// cohort_size * S(t) for t = 0..periods: the expected number still active at
// the end of each period, e.g. to project a fitted cohort beyond its
// calibration periods. REQUIRES: periods >= 0 and positive parameters.
std::vector<double> SbgExpectedSurvivors(const SbgParams& params, double cohort_size, int periods);

// Discounted expected residual lifetime of a customer who has been active
// for `renewals` periods (is still active at the end of period n =
// `renewals`), in periods, each future period the customer may still be
// active in counted as one payment at its start, discounted at
// `discount_rate` per period and the first (the imminent renewal at the end
// of period n) undiscounted:
//
//   DERL(d, n) = sum_{t=n+1..inf} S(t) / S(n) / (1 + d)^(t-n-1)
//              = r(n+1) 2F1(1, beta + n + 1; alpha + beta + n + 1; 1/(1 + d)),
//
// Fader & Hardie (2010) eq. (6) with their "n - 1 renewals" = `renewals`.
// Multiplied by the payment per period it is the residual value of a
// customer, and of a cohort's survivors.
// Errors (kInvalidArgument): a parameter not positive, discount_rate not
// positive, renewals negative.
Result<double> SbgDiscountedResidualLifetime(const SbgParams& params, double discount_rate,
                                             int renewals);

}  // namespace tenure::analytics
