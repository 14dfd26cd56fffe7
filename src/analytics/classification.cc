#include "analytics/classification.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace tenure::analytics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Row numbers ordered by score, highest first (stable, so ties keep order).
std::vector<size_t> ByScoreDescending(std::span<const double> scores) {
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  return order;
}

}  // namespace

double RocAuc(std::span<const double> scores, std::span<const int> labels) {
  // Mann-Whitney: the positives' rank sum, ties given their average rank.
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  double positives = 0, negatives = 0, rank_sum = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j < order.size() && scores[order[j]] == scores[order[i]]) ++j;
    const double rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
    for (size_t k = i; k < j; ++k) {
      if (labels[order[k]] != 0) {
        rank_sum += rank;
        ++positives;
      } else {
        ++negatives;
      }
    }
    i = j;
  }
  if (positives == 0 || negatives == 0) return kNaN;
  return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives);
}

double AveragePrecision(std::span<const double> scores, std::span<const int> labels) {
  const double positives = static_cast<double>(
      std::count_if(labels.begin(), labels.end(), [](int label) { return label != 0; }));
  if (positives == 0) return kNaN;
  std::vector<size_t> order = ByScoreDescending(scores);
  double true_positives = 0, seen = 0, previous_recall = 0, sum = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j < order.size() && scores[order[j]] == scores[order[i]]) {
      true_positives += labels[order[j]] != 0 ? 1 : 0;
      ++seen;
      ++j;
    }
    const double recall = true_positives / positives;
    sum += (recall - previous_recall) * (true_positives / seen);
    previous_recall = recall;
    i = j;
  }
  return sum;
}

double BrierScore(std::span<const double> probabilities, std::span<const int> labels) {
  if (probabilities.empty()) return kNaN;
  double sum = 0;
  for (size_t i = 0; i < probabilities.size(); ++i) {
    const double error = probabilities[i] - (labels[i] != 0 ? 1.0 : 0.0);
    sum += error * error;
  }
  return sum / static_cast<double>(probabilities.size());
}

std::vector<CalibrationBin> CalibrationTable(std::span<const double> probabilities,
                                             std::span<const int> labels, int bins) {
  std::vector<CalibrationBin> table(static_cast<size_t>(std::max(bins, 1)));
  for (size_t b = 0; b < table.size(); ++b) {
    table[b].low = static_cast<double>(b) / static_cast<double>(table.size());
    table[b].high = static_cast<double>(b + 1) / static_cast<double>(table.size());
  }
  for (size_t i = 0; i < probabilities.size(); ++i) {
    const double p = std::clamp(probabilities[i], 0.0, 1.0);
    size_t b =
        std::min(table.size() - 1, static_cast<size_t>(p * static_cast<double>(table.size())));
    table[b].count += 1;
    table[b].mean_predicted += p;
    table[b].observed_rate += labels[i] != 0 ? 1 : 0;
  }
  std::vector<CalibrationBin> filled;
  for (CalibrationBin& bin : table) {
    if (bin.count == 0) continue;
    bin.mean_predicted /= static_cast<double>(bin.count);
    bin.observed_rate /= static_cast<double>(bin.count);
    filled.push_back(bin);
  }
  return filled;
}

double LiftAt(std::span<const double> scores, std::span<const int> labels, double fraction) {
  const double positives = static_cast<double>(
      std::count_if(labels.begin(), labels.end(), [](int label) { return label != 0; }));
  if (positives == 0 || scores.empty()) return kNaN;
  std::vector<size_t> order = ByScoreDescending(scores);
  const size_t top = std::clamp<size_t>(
      static_cast<size_t>(std::ceil(fraction * static_cast<double>(scores.size()))), 1,
      scores.size());
  double caught = 0;
  for (size_t i = 0; i < top; ++i) caught += labels[order[i]] != 0 ? 1 : 0;
  const double base_rate = positives / static_cast<double>(scores.size());
  return (caught / static_cast<double>(top)) / base_rate;
}

double Logit(double p) {
  p = std::clamp(p, 1e-7, 1 - 1e-7);
  return std::log(p / (1 - p));
}

double PlattScaling::operator()(double score) const {
  return 1.0 / (1.0 + std::exp(-(a * score + b)));
}

Result<PlattScaling> FitPlatt(std::span<const double> scores, std::span<const int> labels) {
  if (scores.empty() || scores.size() != labels.size()) {
    return Status::InvalidArgument("Platt scaling needs as many labels as scores, at least one",
                                   "scores");
  }
  double positives = 0;
  for (int label : labels) positives += label != 0 ? 1 : 0;
  const double negatives = static_cast<double>(labels.size()) - positives;
  const double high = (positives + 1) / (positives + 2), low = 1 / (negatives + 2);
  PlattScaling fit;
  fit.a = 1;
  fit.b = 0;
  // Newton on the mean log-loss; the Hessian is positive definite except for
  // constant scores, where the damping keeps it invertible.
  for (int iteration = 0; iteration < 100; ++iteration) {
    double g_a = 0, g_b = 0, h_aa = 1e-12, h_ab = 0, h_bb = 1e-12;
    for (size_t i = 0; i < scores.size(); ++i) {
      const double target = labels[i] != 0 ? high : low;
      const double p = fit(scores[i]);
      const double d = p - target, w = p * (1 - p);
      g_a += d * scores[i];
      g_b += d;
      h_aa += w * scores[i] * scores[i];
      h_ab += w * scores[i];
      h_bb += w;
    }
    const double det = h_aa * h_bb - h_ab * h_ab;
    if (!(std::abs(det) > 0)) break;
    const double step_a = (h_bb * g_a - h_ab * g_b) / det;
    const double step_b = (h_aa * g_b - h_ab * g_a) / det;
    fit.a -= step_a;
    fit.b -= step_b;
    if (std::abs(step_a) + std::abs(step_b) < 1e-10) break;
  }
  return fit;
}

}  // namespace tenure::analytics
