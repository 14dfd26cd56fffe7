// The Pareto/NBD model of repeat buying (Schmittlein, Morrison & Colombo
// 1987), in the form of Fader, Hardie & Lee (2005) "A note on deriving the
// Pareto/NBD model and related expressions": while alive a customer buys at
// Poisson rate lambda ~ Gamma(r, alpha) and dies at exponential rate
// mu ~ Gamma(s, beta), both unobserved. A customer is summarised by x (repeat
// purchases in the calibration period), t_x (time of the last repeat
// purchase, 0 when x = 0) and T (time from the first purchase to the end of
// calibration), all in one time unit (weeks for CDNOW).
//
// Everything here is pure math on columns: no SQL, no CRM types. Functions
// are thread-safe (no shared state).
//
// The likelihood needs the Gauss hypergeometric function 2F1, taken from
// Boost.Math (hypergeometric_pFq). Its derivatives with respect to alpha and
// beta are analytic (they move the 2F1's argument z, and d/dz 2F1 is another
// 2F1); r and s are parameters of the 2F1, whose derivatives in them have no
// practical closed form, so those two are central differences of the
// log-likelihood (step 1e-5 times the parameter); see ParetoNbdLogLikelihood.
#pragma once

#include <span>
#include <vector>

#include "analytics/optimize.h"
#include "common/status.h"

namespace tenure::analytics {

// The four population parameters, all positive: purchase-rate shape r and
// scale alpha, dropout-rate shape s and scale beta.
struct ParetoNbdParams {
  double r = 1;
  double alpha = 1;
  double s = 1;
  double beta = 1;
};

struct ParetoNbdFit {
  ParetoNbdParams params;
  double log_likelihood = 0;
  // Asymptotic standard errors from the observed information; NaN where the
  // information matrix is not invertible.
  ParetoNbdParams std_errors;
  int evaluations = 0;    // log-likelihood evaluations by the optimiser
  bool converged = true;  // see analytics::Fit::converged
};

// Sum over customers of the log-likelihood (FHL 2005, the likelihood and its A0,
// in two cases):
//   L = Gamma(r+x) alpha^r beta^s / Gamma(r)
//       * [ 1 / ((alpha+T)^(r+x) (beta+T)^s) + s / (r+s+x) * A0 ]
// where A0 is a difference of two 2F1 terms whose argument is taken as
// (alpha-beta)/(alpha+t) when alpha >= beta and (beta-alpha)/(beta+t) when
// alpha < beta, so it always lies in [0, 1). Each 2F1 is further put through
// Euler's transformation, 2F1(a,b;c;z) = (1-z)^(c-a-b) 2F1(c-a,c-b;c;z), to
// 2F1(1, b'; r+s+x+1; z), a series of positive terms bounded by 1/(1-z):
// no cancellation and no overflow for large x. A0 itself is formed in
// logarithms (log(e^u - e^v) = u + log(1 - e^(v-u))).
//
// When `gradient` is not empty it must have 4 elements and receives
// d LL / d (r, alpha, s, beta): analytic in alpha and beta, central
// differences of this function in r and s.
//
// Errors (kInvalidArgument, field names the culprit): empty or mismatched
// columns, negative or non-finite values, t_x > T, a parameter that is not
// positive, a gradient of the wrong size. Where the 2F1 series would need
// more than 50,000 terms, i.e. max(alpha, beta) + t above about 1,250 times
// min(alpha, beta) + t for some t in the data, the likelihood is NaN rather
// than an error: the optimiser treats such points as infeasible. The same
// holds for the predictions below.
Result<double> ParetoNbdLogLikelihood(const ParetoNbdParams& params, std::span<const double> x,
                                      std::span<const double> t_x, std::span<const double> T,
                                      std::span<double> gradient = {});

// Maximum-likelihood fit with MaximizeLikelihood (analytics/optimize.h),
// starting from r = alpha = s = beta = 1 as BTYD does. Customers sharing
// (x, t_x, T) are evaluated once and weighted, and each distinct (x, t)
// needs one 2F1. On CDNOW's full log (23,570 customers) it takes 27
// gradient evaluations and about 0.2 s on two cores. Errors: those of the columns, as for
// ParetoNbdLogLikelihood; those of MaximizeLikelihood; kInternal when the
// optimum's likelihood is not finite.
Result<ParetoNbdFit> FitParetoNbd(std::span<const double> x, std::span<const double> t_x,
                                  std::span<const double> T, const FitOptions& options = {});

// P(alive at T | x, t_x, T) (FHL 2005):
//   1 / (1 + s/(r+s+x) (alpha+T)^(r+x) (beta+T)^s A0).
// Errors: kInvalidArgument for a bad parameter or customer value.
Result<double> ParetoNbdProbabilityAlive(const ParetoNbdParams& params, double x, double t_x,
                                         double T);

// E[X(t)], the expected number of purchases in (0, t] of a customer just
// acquired (FHL 2005):
//   r beta / (alpha (s-1)) * [1 - (beta / (beta+t))^(s-1)],
// which tends to (r beta / alpha) ln(1 + t/beta) as s -> 1.
// Errors: kInvalidArgument for a bad parameter or t < 0.
Result<double> ParetoNbdExpectedPurchases(const ParetoNbdParams& params, double t);

// E[Y(t) | x, t_x, T], the expected purchases in (T, T+t] of a customer
// with that history (FHL 2005):
//   (r+x)(beta+T) / ((alpha+T)(s-1)) * [1 - ((beta+T)/(beta+T+t))^(s-1)]
//   * P(alive | x, t_x, T).
// Errors: kInvalidArgument for a bad parameter, customer value or t < 0.
Result<double> ParetoNbdConditionalExpectedPurchases(const ParetoNbdParams& params, double t,
                                                     double x, double t_x, double T);

// The first factor of E[Y(t) | x, t_x, T] above, the expected purchases in
// (T, T+t] given alive at T, which depends on x and T only: callers scoring
// many customers compute it once per (x, T) and multiply by P(alive). NaN
// for a bad parameter, x < 0, T < 0 or t < 0.
double ParetoNbdExpectedIfAlive(const ParetoNbdParams& params, double t, double x, double T);

// E[Y(holdout_length) | x, t_x, T] for every customer of the columns: the
// model's forecast of each customer's purchases in a holdout period of that
// length following calibration. Errors: as for the column checks of
// ParetoNbdLogLikelihood, a bad parameter, or a negative holdout_length.
Result<std::vector<double>> ParetoNbdExpectedHoldout(const ParetoNbdParams& params,
                                                     std::span<const double> x,
                                                     std::span<const double> t_x,
                                                     std::span<const double> T,
                                                     double holdout_length);

}  // namespace tenure::analytics
