// The BG/NBD purchase model (Fader, Hardie & Lee 2005, "Counting your
// customers the easy way", Marketing Science 24(2)) and its modification
// MBG/NBD (Batislam, Denizel & Filiztekin 2007, "Empirical validation and
// comparison of models for customer base analysis", IJRM 24(3)).
//
// While alive, a customer buys as a Poisson process with rate lambda ~
// Gamma(r, alpha); after each repeat purchase the customer drops out with
// probability p ~ Beta(a, b). BG/NBD gives no drop-out chance at the first
// purchase, so a customer with no repeat purchase is certain to be alive;
// MBG/NBD adds one at time 0, so such a customer may already be gone. Both
// are written here as one model with a shift s (0 for BG/NBD, 1 for
// MBG/NBD): the number of drop-out opportunities after x repeat purchases is
// x + s.
//
// Data are per-customer columns: x = repeat purchases, t_x = time of the last
// one (0 when x = 0), T = time from the first purchase to the end of
// calibration, all in one time unit (see analytics/summary.h). All functions
// are pure and may be called from several threads at once.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "analytics/optimize.h"
#include "common/status.h"

namespace tenure::analytics {

enum class BgNbdVariant {
  kBgNbd,   // Fader, Hardie & Lee (2005)
  kMbgNbd,  // Batislam, Denizel & Filiztekin (2007)
};

// r, alpha: shape and rate of the Gamma purchase-rate heterogeneity;
// a, b: Beta drop-out heterogeneity. All > 0.
struct BgNbdParams {
  double r = 1, alpha = 1, a = 1, b = 1;
};

// Per-customer calibration columns, all of one length. The caller owns them.
struct RecencyColumns {
  std::span<const double> x, t_x, T;
};

// Sum over customers of the log-likelihood of (x, t_x, T) (FHL 2005; for
// MBG/NBD Batislam et al. 2007). When `gradient` is not empty (it must then
// have 4 entries) it receives d LL / d (r, alpha, a, b), computed
// analytically with digamma. Errors (kInvalidArgument, field named):
// empty or mismatched columns, x < 0, t_x < 0, t_x > T, a value not
// finite, a parameter not positive, gradient of the wrong size.
Result<double> BgNbdLogLikelihood(BgNbdVariant variant, const BgNbdParams& params,
                                  const RecencyColumns& data, std::span<double> gradient = {});

struct BgNbdFit {
  BgNbdParams params;
  // Standard errors from the observed information (NaN when singular).
  BgNbdParams std_errors;
  double log_likelihood = 0;
  int evaluations = 0;
  bool converged = true;  // see analytics::Fit::converged
};

// Maximum-likelihood fit by analytics::MaximizeLikelihood, from `start`
// (by default (1, 1, 1, 1), as BTYD starts).
// Errors: those of BgNbdLogLikelihood for the data, and those of
// MaximizeLikelihood.
Result<BgNbdFit> FitBgNbd(BgNbdVariant variant, const RecencyColumns& data,
                          const FitOptions& options = {}, const BgNbdParams& start = {});

// The per-customer quantities below take one customer's (x, t_x, T) and a
// horizon t >= 0 in the same unit. REQUIRES: params > 0, x >= 0,
// 0 <= t_x <= T, t >= 0; outside that they return NaN. The expectations
// divide by a - 1 and, for BG/NBD at x = 0, meet a pole of 2F1 when
// a + b = 1; at those exact points they are evaluated at a + 1e-7 (they are
// continuous in a; the relative error is about 1e-7).

// P(alive at T | x, t_x, T) (Fader, Hardie & Lee's note "Computing P(alive)
// using the BG/NBD model"; Batislam et al. 2007).
double BgNbdProbabilityAlive(BgNbdVariant variant, const BgNbdParams& params, double x, double t_x,
                             double T);

// E[X(t)]: expected repeat purchases in (0, t] of a customer who has just
// made a first purchase (FHL 2005). Uses the Gauss hypergeometric
// 2F1 from Boost.Math.
double BgNbdExpectedTransactions(BgNbdVariant variant, const BgNbdParams& params, double t);

// E[Y(t) | x, t_x, T]: expected purchases in (T, T + t] (FHL 2005).
double BgNbdConditionalExpectedTransactions(BgNbdVariant variant, const BgNbdParams& params,
                                            double t, double x, double t_x, double T);

// The first factor of E[Y(t) | x, t_x, T] = E[Y(t) | alive at T, x, T] *
// P(alive): the expected purchases in (T, T + t] given alive, which depends
// on x and T only (the posterior of the purchase and drop-out rates given
// alive is Gamma(r+x, alpha+T) x Beta(a, b+x+s); FHL 2005):
//   (a+b+x+s-1)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x)
//                          2F1(r+x, b+x+s; a+b+x+s-1; t/(alpha+T+t))].
// Callers scoring many customers compute it once per (x, T). NaN for a bad
// parameter, x < 0, T < 0 or t < 0.
double BgNbdExpectedIfAlive(BgNbdVariant variant, const BgNbdParams& params, double t, double x,
                            double T);

// P(X(t) = n): the probability of exactly n repeat purchases in (0, t] for a
// new customer (FHL 2005). REQUIRES: n >= 0.
double BgNbdProbabilityOfTransactions(BgNbdVariant variant, const BgNbdParams& params, double t,
                                      int n);

// One row of the holdout table: calibration frequency bin (x = 0..6; 7
// means 7 or more), its customers and the mean actual and expected holdout
// purchases per customer (NaN for an empty bin).
struct HoldoutBin {
  int frequency = 0;
  int64_t customers = 0;
  double actual_mean = 0;
  double expected_mean = 0;
};

struct HoldoutComparison {
  std::vector<double> expected;  // E[Y(t*) | x, t_x, T] per customer
  std::vector<HoldoutBin> bins;  // 8 rows: x = 0..6 and 7+
  double actual_total = 0;
  double expected_total = 0;
};

// Compares a fit with a holdout period (as FHL 2005 and BTYD's
// "conditional expectations" plot do): per customer, the expected purchases
// during that customer's holdout of length holdout_length[i], and by
// calibration frequency (floor(x), 7 and above pooled) the actual and
// expected means. Errors
// (kInvalidArgument, field named): those of BgNbdLogLikelihood for the
// data, holdout_x or holdout_length of another length, negative or not
// finite.
Result<HoldoutComparison> CompareBgNbdHoldout(BgNbdVariant variant, const BgNbdParams& params,
                                              const RecencyColumns& data,
                                              std::span<const double> holdout_x,
                                              std::span<const double> holdout_length);

}  // namespace tenure::analytics
