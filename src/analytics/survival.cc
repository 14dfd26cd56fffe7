#include "analytics/survival.h"

#include <Eigen/Dense>
#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

namespace tenure::analytics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Status CheckTimes(std::span<const double> durations, std::span<const int> events) {
  if (durations.empty()) return Status::InvalidArgument("is empty", "durations");
  if (events.size() != durations.size()) {
    return Status::InvalidArgument("has " + std::to_string(events.size()) +
                                       " rows, durations has " + std::to_string(durations.size()),
                                   "events");
  }
  for (size_t i = 0; i < durations.size(); ++i) {
    if (!(durations[i] >= 0) || !std::isfinite(durations[i])) {
      return Status::InvalidArgument(
          "row " + std::to_string(i + 1) + ": expected a non-negative duration", "durations");
    }
    if (events[i] != 0 && events[i] != 1) {
      return Status::InvalidArgument(
          "row " + std::to_string(i + 1) + ": expected 1 (event) or 0 (censored)", "events");
    }
  }
  return Status::Ok();
}

// Subjects in ascending order of duration.
std::vector<size_t> ByDuration(std::span<const double> durations) {
  std::vector<size_t> order(durations.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return durations[a] < durations[b]; });
  return order;
}

}  // namespace

Result<SurvivalCurve> KaplanMeier(std::span<const double> durations, std::span<const int> events,
                                  double confidence_level) {
  TENURE_RETURN_IF_ERROR(CheckTimes(durations, events));
  if (!(confidence_level > 0 && confidence_level < 1)) {
    return Status::InvalidArgument("must be between 0 and 1", "confidence_level");
  }
  const double z = boost::math::quantile(boost::math::normal(), 1 - (1 - confidence_level) / 2);
  const std::vector<size_t> order = ByDuration(durations);
  SurvivalCurve curve;
  curve.subjects = static_cast<int>(durations.size());
  curve.confidence_level = confidence_level;
  double survival = 1, greenwood_sum = 0;
  int at_risk = curve.subjects;
  for (size_t i = 0; i < order.size();) {
    SurvivalRow row;
    row.time = durations[order[i]];
    row.at_risk = at_risk;
    for (; i < order.size() && durations[order[i]] == row.time; ++i) {
      (events[order[i]] == 1 ? row.events : row.censored) += 1;
    }
    if (row.events > 0) {
      const double n = row.at_risk, d = row.events;
      survival *= 1 - d / n;
      // d = n makes S zero and the sum infinite; the row's error is NaN then.
      greenwood_sum += d < n ? d / (n * (n - d)) : std::numeric_limits<double>::infinity();
    }
    row.survival = survival;
    if (survival <= 0) {
      row.survival = 0;
      row.std_error = row.lower = row.upper = kNaN;
    } else if (survival >= 1) {
      row.std_error = 0;
      row.lower = row.upper = 1;
    } else {
      row.std_error = survival * std::sqrt(greenwood_sum);
      const double log_s = std::log(survival);
      const double spread = std::exp(z * std::sqrt(greenwood_sum) / std::abs(log_s));
      row.lower = std::pow(survival, spread);
      row.upper = std::pow(survival, 1 / spread);
    }
    curve.events += row.events;
    at_risk -= row.events + row.censored;
    curve.rows.push_back(row);
  }
  return curve;
}

double SurvivalAt(const SurvivalCurve& curve, double t) {
  double survival = 1;
  for (const SurvivalRow& row : curve.rows) {
    if (row.time > t) break;
    survival = row.survival;
  }
  return survival;
}

MedianSurvival MedianSurvivalTime(const SurvivalCurve& curve) {
  MedianSurvival median;
  // A row with S = 0 has NaN band edges; both edges are 0 there in the limit.
  auto at_or_below_half = [](double value, double survival) {
    return survival == 0 || value <= 0.5;
  };
  for (const SurvivalRow& row : curve.rows) {
    if (!median.median && at_or_below_half(row.survival, row.survival)) median.median = row.time;
    if (!median.lower && at_or_below_half(row.lower, row.survival)) median.lower = row.time;
    if (!median.upper && at_or_below_half(row.upper, row.survival)) median.upper = row.time;
  }
  return median;
}

Result<LogRankResult> LogRank(std::span<const double> durations, std::span<const int> events,
                              std::span<const int> groups) {
  TENURE_RETURN_IF_ERROR(CheckTimes(durations, events));
  if (groups.size() != durations.size()) {
    return Status::InvalidArgument("has " + std::to_string(groups.size()) +
                                       " rows, durations has " + std::to_string(durations.size()),
                                   "groups");
  }
  LogRankResult result;
  result.groups.assign(groups.begin(), groups.end());
  std::sort(result.groups.begin(), result.groups.end());
  result.groups.erase(std::unique(result.groups.begin(), result.groups.end()), result.groups.end());
  const size_t k = result.groups.size();
  if (k < 2) return Status::InvalidArgument("needs at least two distinct groups", "groups");
  std::vector<size_t> group_of(groups.size());
  std::vector<double> at_risk(k, 0);
  for (size_t i = 0; i < groups.size(); ++i) {
    group_of[i] = std::lower_bound(result.groups.begin(), result.groups.end(), groups[i]) -
                  result.groups.begin();
    at_risk[group_of[i]] += 1;
  }
  result.observed.assign(k, 0);
  result.expected.assign(k, 0);
  Eigen::MatrixXd covariance = Eigen::MatrixXd::Zero(k, k);
  const std::vector<size_t> order = ByDuration(durations);
  std::vector<double> events_here(k), leaving_here(k);
  for (size_t i = 0; i < order.size();) {
    const double time = durations[order[i]];
    std::fill(events_here.begin(), events_here.end(), 0);
    std::fill(leaving_here.begin(), leaving_here.end(), 0);
    for (; i < order.size() && durations[order[i]] == time; ++i) {
      const size_t g = group_of[order[i]];
      events_here[g] += events[order[i]];
      leaving_here[g] += 1;
    }
    const double d = std::accumulate(events_here.begin(), events_here.end(), 0.0);
    const double n = std::accumulate(at_risk.begin(), at_risk.end(), 0.0);
    if (d > 0) {
      for (size_t j = 0; j < k; ++j) {
        result.observed[j] += events_here[j];
        result.expected[j] += d * at_risk[j] / n;
      }
      if (n > 1) {
        const double factor = d * (n - d) / (n - 1);
        for (size_t j = 0; j < k; ++j) {
          for (size_t l = 0; l < k; ++l) {
            const double share_l = at_risk[l] / n;
            covariance(j, l) += factor * at_risk[j] / n * ((j == l ? 1.0 : 0.0) - share_l);
          }
        }
      }
    }
    for (size_t j = 0; j < k; ++j) at_risk[j] -= leaving_here[j];
  }
  // The k deviations sum to zero, so any k - 1 of them carry the test.
  const Eigen::Index m = static_cast<Eigen::Index>(k - 1);
  Eigen::VectorXd deviation(m);
  for (Eigen::Index j = 0; j < m; ++j) deviation(j) = result.observed[j] - result.expected[j];
  Eigen::FullPivLU<Eigen::MatrixXd> lu(covariance.topLeftCorner(m, m));
  if (!lu.isInvertible()) {
    return Status::InvalidArgument(
        "the test is undefined: no events, or a group is never at risk when events happen",
        "groups");
  }
  result.statistic = deviation.dot(lu.solve(deviation));
  result.degrees_of_freedom = static_cast<int>(m);
  result.p_value = boost::math::cdf(
      boost::math::complement(boost::math::chi_squared(static_cast<double>(m)), result.statistic));
  return result;
}

}  // namespace tenure::analytics
