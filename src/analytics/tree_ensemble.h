// A boosted-tree model (analytics/boosted_trees.h) read from XGBoost's JSON
// into flat arrays, to predict and explain many rows in one pass without
// XGBoost: each row walks every tree once, which gives its log-odds and,
// on the way, the change of the node value at each split (Saabas's path
// attribution, XGBoost's "approximate contributions"). Scoring a million
// customers this way is several times faster than XGBoost's own
// contributions, which build a matrix and walk the trees once per output.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace tenure::analytics {

class TreeEnsemble {
 public:
  // A binary:logistic gbtree model as BoostedTrees::Serialize writes it.
  // Errors: kInvalidArgument when the JSON is not such a model.
  static Result<TreeEnsemble> FromJson(std::string_view model_json);

  size_t trees() const { return roots_.size(); }
  size_t features() const { return features_; }
  // Tree t's longest path from its root to a leaf.
  int32_t depth(size_t tree) const { return depths_[tree]; }

  // Contributions summed over groups of features (group_of[k] is feature
  // k's group, < groups): for every leaf, the changes of the node value
  // along the path from its root, summed by the group of each split's
  // feature. A walk then adds its leaf's sums instead of one value per split.
  class Grouping {
   public:
    size_t groups() const { return groups_; }

   private:
    friend class TreeEnsemble;
    size_t groups_ = 0;
    std::vector<float> path_sums_;  // per node of nodes_, `groups` values
  };
  // Errors: kInvalidArgument when group_of has not features() entries or
  // one is >= groups.
  Result<Grouping> GroupBy(std::span<const uint32_t> group_of, size_t groups) const;
  // Each feature its own group.
  Grouping PerFeature() const;

  // The row's log-odds from the first `rounds` trees (0: all). When
  // `contributions` is not empty (features() entries), each feature's
  // contribution is added to it; the contributions plus Bias(rounds) sum
  // to the log-odds. `row` has features() values, NaN for missing. For
  // one row; many go faster through LogOddsBlock.
  double LogOdds(const float* row, int rounds, std::span<float> contributions = {}) const;
  // The base score's log-odds plus every tree's root value (its mean leaf).
  double Bias(int rounds) const;

  // LogOdds of `rows` consecutive rows of `columns` values (>= features())
  // into log_odds[0..rows), and with a grouping, each row's contributions
  // by group added to contributions[row * groups ..] (rows * groups values,
  // zeroed by the caller). Walks the trees one at a time over chunks of 64
  // rows, a level at a time, so a tree's nodes stay in cache and the rows'
  // steps overlap: several times faster than row by row.
  void LogOddsBlock(const float* values, size_t rows, size_t columns, int rounds,
                    std::span<double> log_odds, const Grouping* grouping = nullptr,
                    std::span<float> contributions = {}) const;

 private:
  // A leaf is its own left child with split 0, so a walk of a fixed number
  // of steps (the tree's depth) stays on it once there.
  struct Node {
    int32_t left = 0;  // the left child (the right one is next to it); a leaf: itself
    int32_t feature = 0;
    float threshold = 0;  // go left when value < threshold
    uint8_t split = 0;    // 1 at a split, 0 at a leaf
    uint8_t default_left = 0;
    float value = 0;  // a leaf's value
    double mean = 0;  // the cover-weighted mean of the leaves below
  };
  std::vector<Node> nodes_;
  std::vector<int32_t> roots_;   // each tree's root in nodes_
  std::vector<int32_t> depths_;  // each tree's longest path from its root to a leaf

  // The walk's form of a tree of at most kCompleteDepth levels: a complete
  // binary tree of its depth, split k's children at 2k + 1 and 2k + 2, a
  // leaf above the bottom standing for every bottom slot below it. A step
  // then reads the split's feature and threshold and no child index.
  static constexpr int32_t kCompleteDepth = 10;
  // Per split, 2^depth - 1 per complete tree, then kPad unused: a walk
  // reads the eight splits from a level's first at once.
  static constexpr size_t kPad = 8;
  std::vector<int32_t> split_feature_;  // the sign bit set: a missing value goes left
  std::vector<float> split_threshold_;  // go left when value < threshold
  std::vector<int32_t> leaves_;         // 2^depth per complete tree: the leaf's index in nodes_
  std::vector<float> leaf_values_;      // beside leaves_: the leaf's value
  std::vector<size_t> complete_;        // per tree, its first split (SIZE_MAX: walk nodes_)
  std::vector<size_t> bottom_;          // per tree, its first bottom slot in leaves_
  void BuildComplete();
  // Walks rows [0, m) of `chunk` (m <= 64) down a complete tree of `depth`
  // levels whose splits start at `feature` and `threshold`: at[r] becomes
  // the row's bottom slot (0 .. 2^depth - 1).
  static void WalkComplete(const int32_t* feature, const float* threshold, int32_t depth,
                           const float* chunk, size_t columns, size_t m, int32_t* at);
  double base_margin_ = 0;
  size_t features_ = 0;
};

}  // namespace tenure::analytics
