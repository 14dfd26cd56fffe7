// How well scores rank and probabilities predict a yes/no outcome (a
// customer lost within the horizon): the measures the risk model and its
// baselines are compared by (docs/risk.md). Pure math on arrays; labels are
// 1 for the event (the churners) and 0 otherwise.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/status.h"

namespace tenure::analytics {

// Area under the ROC curve: the probability that a random positive scores
// above a random negative, ties counting half (scikit-learn's
// roc_auc_score). NaN when either class is absent. REQUIRES: same lengths.
double RocAuc(std::span<const double> scores, std::span<const int> labels);

// Area under the precision-recall curve as average precision: the sum over
// distinct score thresholds, highest first, of the recall gained times the
// precision there (scikit-learn's average_precision_score). NaN without
// positives.
double AveragePrecision(std::span<const double> scores, std::span<const int> labels);

// Mean squared difference between probability and outcome (0 is perfect;
// always predicting the base rate p scores p(1 - p)). NaN when empty.
double BrierScore(std::span<const double> probabilities, std::span<const int> labels);

// One bin of a reliability table: the predictions in [low, high) (the last
// bin includes 1), how many there were, their mean, and the share of them
// that were positive. A calibrated model has mean_predicted ~ observed_rate.
struct CalibrationBin {
  double low = 0, high = 0;
  int64_t count = 0;
  double mean_predicted = 0;
  double observed_rate = 0;
};
// `bins` equal-width bins over [0, 1]; empty bins are left out.
std::vector<CalibrationBin> CalibrationTable(std::span<const double> probabilities,
                                             std::span<const int> labels, int bins = 10);

// The positive rate among the highest-scored `fraction` of rows (at least
// one row; ties at the cut broken by order) over the overall positive rate:
// 3.0 means the top decile holds three times its share of churners. NaN
// without positives.
double LiftAt(std::span<const double> scores, std::span<const int> labels, double fraction = 0.1);

// Platt scaling (Platt 1999, "Probabilistic outputs for support vector
// machines"): P(event) = 1 / (1 + exp(-(a * score + b))), fitted by Newton's
// method on the log-loss with Platt's smoothed targets (N+ + 1) / (N+ + 2)
// and 1 / (N- + 2), which keep the fit finite when the scores separate the
// classes. Scores are a model's raw outputs, e.g. log-odds.
// log(p / (1 - p)), with p kept within [1e-7, 1 - 1e-7]: the scale a
// PlattScaling reads a probability on.
double Logit(double p);

struct PlattScaling {
  double a = 1, b = 0;
  double operator()(double score) const;
};
// Errors: kInvalidArgument for spans of different or zero length.
Result<PlattScaling> FitPlatt(std::span<const double> scores, std::span<const int> labels);

}  // namespace tenure::analytics
