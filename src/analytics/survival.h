// Nonparametric survival analysis: the Kaplan-Meier estimate with Greenwood
// standard errors and a confidence band, the median survival time, and the
// log-rank test between groups. Used for customer lifetimes (time from first
// order to churn, with customers still active censored) and for any other
// time-to-event column.
//
// Pure math on arrays: no SQL, no CRM types. All functions are thread-safe.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "common/status.h"

namespace tenure::analytics {

// One row of the Kaplan-Meier table, at a time where at least one subject
// had the event or was censored.
struct SurvivalRow {
  double time = 0;
  int at_risk = 0;   // subjects with duration >= time
  int events = 0;    // events at time
  int censored = 0;  // censored at time (still at risk at time itself)
  // S(time) = prod_{t_i <= time} (1 - d_i / n_i).
  double survival = 1;
  // Greenwood: S sqrt(sum_{t_i <= time} d_i / (n_i (n_i - d_i))). NaN where
  // S = 0 (the last subject at risk had the event).
  double std_error = 0;
  // Pointwise confidence band by the log-log transform (Kalbfleisch &
  // Prentice; the default of Stata's sts and of lifelines; R's survfit needs
  // conf.type = "log-log"): with v = sum d_i / (n_i (n_i - d_i)) / (ln S)^2,
  //   lower = S^exp(+z sqrt(v)), upper = S^exp(-z sqrt(v)),
  // which always lies inside (0, 1). Where S = 1 both are 1; where S = 0
  // both are NaN.
  double lower = 1;
  double upper = 1;
};

struct SurvivalCurve {
  std::vector<SurvivalRow> rows;  // ascending by time
  int subjects = 0;
  int events = 0;
  double confidence_level = 0.95;
};

// The Kaplan-Meier estimate from `durations` (time to the event or to
// censoring, >= 0) and `events` (1 = the event happened, 0 = censored), with
// a pointwise band at `confidence_level`.
// Errors (kInvalidArgument, field names the argument): empty or mismatched
// arrays, a duration negative or not finite, an event flag other than 0 or
// 1, confidence_level outside (0, 1).
Result<SurvivalCurve> KaplanMeier(std::span<const double> durations, std::span<const int> events,
                                  double confidence_level = 0.95);

// S(t) of the curve as a right-continuous step function: 1 before the first
// row, the last row's survival after the last.
double SurvivalAt(const SurvivalCurve& curve, double t);

struct MedianSurvival {
  // The smallest time at which S <= 0.5 (as lifelines; R averages two times
  // when S is exactly 0.5 over an interval); empty when S never falls to 0.5.
  std::optional<double> median;
  // Brookmeyer-Crowley style interval from the curve's band (as R's
  // survfit): lower = the smallest time at which the band's lower edge is
  // <= 0.5, upper = the smallest time at which its upper edge is <= 0.5;
  // empty when the edge never gets there.
  std::optional<double> lower;
  std::optional<double> upper;
};

// The median survival time of `curve` and its confidence interval.
MedianSurvival MedianSurvivalTime(const SurvivalCurve& curve);

struct LogRankResult {
  std::vector<int> groups;       // the distinct group labels, ascending
  std::vector<double> observed;  // events per group
  std::vector<double> expected;  // sum over event times of d n_group / n
  double statistic = 0;          // chi-square
  int degrees_of_freedom = 0;    // groups - 1
  double p_value = 1;            // upper tail of chi-square(degrees_of_freedom)
};

// The log-rank (Mantel-Haenszel) test that two or more groups share one
// survival function: with O - E the observed minus expected events per group
// and V their hypergeometric covariance,
//   V_jl = sum_t d (n - d) / (n - 1) * n_j / n * ([j = l] - n_l / n),
// the statistic is (O - E)' V^-1 (O - E) over all groups but the last,
// chi-square with groups - 1 degrees of freedom (Peto & Peto 1972; R's
// survdiff with rho = 0).
// Errors (kInvalidArgument): those of KaplanMeier for durations and events,
// `groups` of another length, fewer than two distinct groups, and a singular
// V (no events, or a group never at risk when events happen).
Result<LogRankResult> LogRank(std::span<const double> durations, std::span<const int> events,
                              std::span<const int> groups);

}  // namespace tenure::analytics
