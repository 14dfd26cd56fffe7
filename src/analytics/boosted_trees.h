// Gradient-boosted trees for a yes/no outcome, through XGBoost's C API
// (Debian's libxgboost): fit on a dense feature matrix, predict
// probabilities, and split each prediction into per-feature contributions
// (SHAP values, XGBoost's pred_contribs) for the reasons shown with a risk.
// The XGBoost header stays in the .cc file.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace tenure::analytics {

// A dense row-major matrix of features; NaN is a missing value (XGBoost
// learns which way it goes at each split).
struct FeatureMatrix {
  std::span<const float> values;  // rows * columns
  size_t rows = 0;
  size_t columns = 0;
};

struct BoostParams {
  int max_depth = 4;
  double learning_rate = 0.05;  // XGBoost's eta
  double min_child_weight = 1;
  double subsample = 0.8;      // rows sampled per tree
  double column_sample = 0.8;  // columns sampled per tree
  int rounds = 300;            // trees
  uint64_t seed = 1;
  // XGBoost's OpenMP threads. More than the cores free slows it badly (a
  // 60-tree fit took 10 s instead of 0.2 s beside another busy process).
  int threads = 2;
  // XGBoost's "hist" tree method (feature values binned once): several
  // times faster on hundreds of thousands of rows; "auto" otherwise.
  bool histogram = false;
};

// One model. Not safe to use from two threads at once (XGBoost's
// prediction buffer belongs to the model).
class BoostedTrees {
 public:
  // Fits on `features` with `labels` (1 = the event, 0 = not).
  // Errors: kInvalidArgument (shapes, labels other than 0/1), kInternal
  // (XGBoost's own message).
  static Result<BoostedTrees> Fit(const FeatureMatrix& features, std::span<const float> labels,
                                  const BoostParams& params);
  // A model saved by Serialize.
  static Result<BoostedTrees> Deserialize(std::string_view bytes);

  BoostedTrees(BoostedTrees&&) noexcept;
  BoostedTrees& operator=(BoostedTrees&&) noexcept;
  ~BoostedTrees();

  // P(event) per row, from the first `rounds` trees (0: all).
  Result<std::vector<double>> Predict(const FeatureMatrix& features, int rounds = 0) const;
  // The log-odds of every row from the first step, 2 step, ... trees (up to
  // `rounds`), up to a constant per stage (each range of trees carries the
  // model's base score): for ranking rows at every tree count, e.g. to pick
  // the count by AUC, at the cost of one prediction with `rounds` trees.
  Result<std::vector<std::vector<double>>> StagedMargins(const FeatureMatrix& features, int step,
                                                         int rounds) const;
  // Per row, columns + 1 values in log-odds (from the first `rounds` trees,
  // 0: all): each feature's contribution, then the bias; they sum to the
  // row's log-odds. Exact SHAP values (TreeSHAP) by default; `approximate`
  // gives Saabas's path attribution, which also sums to the log-odds and
  // costs the depth per tree instead of its square times its leaves (about
  // 20x less at depth 4).
  Result<std::vector<float>> Contributions(const FeatureMatrix& features, int rounds = 0,
                                           bool approximate = false) const;
  // The model in XGBoost's JSON format.
  Result<std::string> Serialize() const;

 private:
  struct Booster;
  explicit BoostedTrees(std::unique_ptr<Booster> booster);
  std::unique_ptr<Booster> booster_;
};

}  // namespace tenure::analytics
