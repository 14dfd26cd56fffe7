#include "analytics/tree_ensemble.h"

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace tenure::analytics {
namespace {

Status Bad(const std::string& what) {
  return Status::InvalidArgument("not an XGBoost binary:logistic tree model: " + what);
}

// out[0..n) += add[0..n), four at a time where it can (the loop of a known
// count is what the compiler turns into vector adds).
[[gnu::always_inline]] inline void AddGroups(const float* __restrict add, float* __restrict out,
                                             size_t n) {
  size_t g = 0;
  for (; g + 4 <= n; g += 4) {
    for (size_t k = 0; k < 4; ++k) out[g + k] += add[g + k];
  }
  for (; g < n; ++g) out[g] += add[g];
}

}  // namespace

Result<TreeEnsemble> TreeEnsemble::FromJson(std::string_view model_json) {
  nlohmann::json model = nlohmann::json::parse(model_json, nullptr, false);
  if (model.is_discarded()) return Bad("the JSON does not parse");
  TreeEnsemble out;
  try {
    const auto& learner = model.at("learner");
    if (learner.at("objective").at("name") != "binary:logistic") return Bad("objective");
    const double base =
        std::stod(learner.at("learner_model_param").at("base_score").get<std::string>());
    if (!(base > 0 && base < 1)) return Bad("base_score");
    out.base_margin_ = std::log(base / (1 - base));
    out.features_ = static_cast<size_t>(
        std::stoll(learner.at("learner_model_param").at("num_feature").get<std::string>()));
    for (const auto& tree : learner.at("gradient_booster").at("model").at("trees")) {
      const auto& left = tree.at("left_children");
      const auto& right = tree.at("right_children");
      const auto& feature = tree.at("split_indices");
      const auto& condition = tree.at("split_conditions");
      const auto& default_left = tree.at("default_left");
      const auto& hessian = tree.at("sum_hessian");
      const size_t n = left.size();
      if (right.size() != n || feature.size() != n || condition.size() != n ||
          default_left.size() != n || hessian.size() != n || n == 0) {
        return Bad("tree arrays of different lengths");
      }
      const int32_t root = static_cast<int32_t>(out.nodes_.size());
      out.roots_.push_back(root);
      // Children come after their parent (checked), so depths fill forward.
      std::vector<int32_t> depth(n, 0);
      int32_t deepest = 0;
      for (size_t i = 0; i < n; ++i) {
        Node node;
        const int64_t l = left[i].get<int64_t>(), r = right[i].get<int64_t>();
        if (l >= 0) {
          if (l <= static_cast<int64_t>(i) || l >= static_cast<int64_t>(n) || r < 0 ||
              r >= static_cast<int64_t>(n)) {
            return Bad("a child out of range");
          }
          if (r != l + 1) return Bad("a right child not next to its left one");
          node.left = root + static_cast<int32_t>(l);
          node.split = 1;
          node.feature = feature[i].get<int32_t>();
          if (node.feature < 0 || static_cast<size_t>(node.feature) >= out.features_) {
            return Bad("a split on a feature out of range");
          }
          node.threshold = condition[i].get<float>();
          node.default_left = default_left[i].get<int>() != 0 ? 1 : 0;
          depth[static_cast<size_t>(l)] = depth[static_cast<size_t>(r)] = depth[i] + 1;
          deepest = std::max(deepest, depth[i] + 1);
        } else {
          node.left = root + static_cast<int32_t>(i);
          node.value = condition[i].get<float>();  // a leaf keeps its value there
        }
        node.mean = hessian[i].get<double>();  // the cover, until the means below
        out.nodes_.push_back(node);
      }
      out.depths_.push_back(deepest);
      // Means from the leaves up, weighted by the cover (XGBoost's
      // FillNodeMeanValues): children come after their parent, so walk back.
      for (size_t i = n; i-- > 0;) {
        Node& node = out.nodes_[static_cast<size_t>(root) + i];
        if (node.split == 0) continue;
        const Node& a = out.nodes_[static_cast<size_t>(node.left)];
        const Node& b = out.nodes_[static_cast<size_t>(node.left + 1)];
        const double cover_a = tree.at("sum_hessian")[static_cast<size_t>(node.left - root)];
        const double cover_b = tree.at("sum_hessian")[static_cast<size_t>(node.left + 1 - root)];
        const double mean_a = a.split == 0 ? a.value : a.mean;
        const double mean_b = b.split == 0 ? b.value : b.mean;
        node.mean = (mean_a * cover_a + mean_b * cover_b) / (cover_a + cover_b);
      }
      for (size_t i = 0; i < n; ++i) {
        Node& node = out.nodes_[static_cast<size_t>(root) + i];
        if (node.split == 0) node.mean = node.value;
      }
    }
  } catch (const nlohmann::json::exception& e) {
    return Bad(e.what());
  } catch (const std::exception& e) {
    return Bad(e.what());
  }
  if (out.roots_.empty()) return Bad("no tree");
  out.BuildComplete();
  return out;
}

void TreeEnsemble::BuildComplete() {
  for (size_t t = 0; t < roots_.size(); ++t) {
    const int32_t depth = depths_[t];
    if (depth > kCompleteDepth) {
      complete_.push_back(SIZE_MAX);
      bottom_.push_back(SIZE_MAX);
      continue;
    }
    const size_t first = split_feature_.size(), bottom = leaves_.size();
    const size_t inner = (size_t{1} << depth) - 1;
    complete_.push_back(first);
    bottom_.push_back(bottom);
    split_feature_.resize(first + inner);
    split_threshold_.resize(first + inner);
    leaves_.resize(bottom + inner + 1);
    leaf_values_.resize(bottom + inner + 1);
    // (node, its position) from the root down.
    std::vector<std::pair<int32_t, size_t>> todo = {{roots_[t], 0}};
    while (!todo.empty()) {
      const auto [index, at] = todo.back();
      todo.pop_back();
      const Node& node = nodes_[static_cast<size_t>(index)];
      if (node.split != 0) {
        split_feature_[first + at] = node.feature | (node.default_left != 0 ? INT32_MIN : 0);
        split_threshold_[first + at] = node.threshold;
        todo.push_back({node.left, 2 * at + 1});
        todo.push_back({node.left + 1, 2 * at + 2});
        continue;
      }
      // Every bottom slot below the leaf's position names it.
      size_t lo = at, hi = at;
      while (lo < inner) lo = 2 * lo + 1, hi = 2 * hi + 2;
      for (size_t slot = lo; slot <= hi; ++slot) {
        leaves_[bottom + slot - inner] = index;
        leaf_values_[bottom + slot - inner] = node.value;
      }
    }
  }
  split_feature_.resize(split_feature_.size() + kPad);
  split_threshold_.resize(split_threshold_.size() + kPad);
}

double TreeEnsemble::Bias(int rounds) const {
  const size_t n = rounds <= 0 ? roots_.size() : std::min(roots_.size(), size_t(rounds));
  double bias = base_margin_;
  for (size_t t = 0; t < n; ++t) bias += nodes_[static_cast<size_t>(roots_[t])].mean;
  return bias;
}

Result<TreeEnsemble::Grouping> TreeEnsemble::GroupBy(std::span<const uint32_t> group_of,
                                                     size_t groups) const {
  if (group_of.size() != features_) {
    return Status::InvalidArgument("a grouping of " + std::to_string(group_of.size()) +
                                   " features for a model of " + std::to_string(features_));
  }
  for (uint32_t g : group_of) {
    if (g >= groups) {
      return Status::InvalidArgument("feature group " + std::to_string(g) + " is not below " +
                                     std::to_string(groups));
    }
  }
  Grouping out;
  out.groups_ = groups;
  std::vector<double> sums(nodes_.size() * groups, 0.0);
  // Children come after their parent, so each node's path is complete
  // before its children copy it; a root's path is empty.
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const Node& node = nodes_[i];
    if (node.split == 0) continue;
    for (int32_t child : {node.left, node.left + 1}) {
      const size_t c = static_cast<size_t>(child);
      std::copy_n(sums.begin() + static_cast<std::ptrdiff_t>(i * groups), groups,
                  sums.begin() + static_cast<std::ptrdiff_t>(c * groups));
      sums[c * groups + group_of[static_cast<size_t>(node.feature)]] += nodes_[c].mean - node.mean;
    }
  }
  out.path_sums_.assign(sums.begin(), sums.end());
  return out;
}

TreeEnsemble::Grouping TreeEnsemble::PerFeature() const {
  std::vector<uint32_t> identity(features_);
  for (size_t k = 0; k < features_; ++k) identity[k] = static_cast<uint32_t>(k);
  return *GroupBy(identity, features_);
}

double TreeEnsemble::LogOdds(const float* row, int rounds, std::span<float> contributions) const {
  std::array<double, 1> margin;
  if (contributions.empty()) {
    LogOddsBlock(row, 1, features_, rounds, margin);
  } else {
    const Grouping each = PerFeature();
    LogOddsBlock(row, 1, features_, rounds, margin, &each, contributions);
  }
  return margin[0];
}

namespace {

#if defined(__x86_64__)
// The walk of WalkComplete eight rows at a time, with the same comparisons,
// so the same leaves. The first four levels have at most eight splits, read
// into a register once and picked per row with a permute; a deeper level's
// splits are gathered, and each row's value always is.
__attribute__((target("avx2"))) size_t WalkEightAtATime(const int32_t* features,
                                                        const float* thresholds, int32_t depth,
                                                        const float* chunk, size_t columns,
                                                        size_t m, int32_t* at) {
  constexpr size_t kLanes = 8, kMaxGroups = 8;  // 64 rows
  const size_t groups = std::min(m / kLanes, kMaxGroups);
  if (groups == 0) return 0;
  // Plain arrays: std::array drops the vector type's alignment attribute.
  __m256i position[kMaxGroups], row_start[kMaxGroups];
  const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const __m256i width = _mm256_set1_epi32(static_cast<int>(columns));
  const __m256i feature_bits = _mm256_set1_epi32(INT32_MAX);
  const __m256i two = _mm256_set1_epi32(2);
  for (size_t g = 0; g < groups; ++g) {
    position[g] = _mm256_setzero_si256();
    const __m256i row = _mm256_add_epi32(lanes, _mm256_set1_epi32(static_cast<int>(g * kLanes)));
    row_start[g] = _mm256_mullo_epi32(row, width);
  }
  for (int32_t level = 0; level < depth; ++level) {
    const int level_first = (1 << level) - 1;  // the level's first position
    const bool in_register = level < 4;
    const __m256i level_features = _mm256_loadu_si256(
        reinterpret_cast<const __m256i*>(features + (in_register ? level_first : 0)));
    const __m256 level_thresholds = _mm256_loadu_ps(thresholds + (in_register ? level_first : 0));
    const __m256i first = _mm256_set1_epi32(level_first);
    for (size_t g = 0; g < groups; ++g) {
      __m256i feature;
      __m256 threshold;
      if (in_register) {
        const __m256i pick = _mm256_sub_epi32(position[g], first);
        feature = _mm256_permutevar8x32_epi32(level_features, pick);
        threshold = _mm256_permutevar8x32_ps(level_thresholds, pick);
      } else {
        feature = _mm256_i32gather_epi32(features, position[g], 4);
        threshold = _mm256_i32gather_ps(thresholds, position[g], 4);
      }
      const __m256i cell = _mm256_add_epi32(row_start[g], _mm256_and_si256(feature, feature_bits));
      const __m256 v = _mm256_i32gather_ps(chunk, cell, 4);
      const __m256i below = _mm256_castps_si256(_mm256_cmp_ps(v, threshold, _CMP_LT_OQ));
      const __m256i missing = _mm256_castps_si256(_mm256_cmp_ps(v, v, _CMP_UNORD_Q));
      const __m256i missing_left = _mm256_srai_epi32(feature, 31);  // all ones: goes left
      const __m256i left = _mm256_or_si256(below, _mm256_and_si256(missing, missing_left));
      // 2k + 2, less one (left is -1) to the left.
      const __m256i twice = _mm256_add_epi32(position[g], position[g]);
      position[g] = _mm256_add_epi32(_mm256_add_epi32(twice, two), left);
    }
  }
  // Positions 2^depth - 1 .. are the bottom slots 0 ..
  const __m256i bottom = _mm256_set1_epi32((1 << depth) - 1);
  for (size_t g = 0; g < groups; ++g) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(at + g * kLanes),
                        _mm256_sub_epi32(position[g], bottom));
  }
  return groups * kLanes;
}

// Asked in a static initializer, so the detection runs first.
const bool kHasAvx2 = [] {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") != 0;
}();
#endif

}  // namespace

void TreeEnsemble::WalkComplete(const int32_t* feature, const float* threshold, int32_t depth,
                                const float* chunk, size_t columns, size_t m, int32_t* at) {
  size_t done = 0;
#if defined(__x86_64__)
  if (kHasAvx2) done = WalkEightAtATime(feature, threshold, depth, chunk, columns, m, at);
#endif
  std::fill(at + done, at + m, 0);
  for (int32_t level = 0; level < depth; ++level) {
    for (size_t r = done; r < m; ++r) {
      const auto k = static_cast<size_t>(at[r]);
      const float v = chunk[r * columns + static_cast<size_t>(feature[k] & INT32_MAX)];
      const bool left = (v < threshold[k]) | ((v != v) & (feature[k] < 0));
      at[r] = 2 * at[r] + 2 - (left ? 1 : 0);
    }
  }
  for (size_t r = done; r < m; ++r) at[r] -= (1 << depth) - 1;  // the bottom slot
}

void TreeEnsemble::LogOddsBlock(const float* values, size_t rows, size_t columns, int rounds,
                                std::span<double> log_odds, const Grouping* grouping,
                                std::span<float> contributions) const {
  const size_t n = rounds <= 0 ? roots_.size() : std::min(roots_.size(), size_t(rounds));
  const size_t groups = grouping != nullptr && !contributions.empty() ? grouping->groups_ : 0;
  constexpr size_t kChunk = 64;  // rows walked down one tree together
  std::array<int32_t, kChunk> at;
  for (size_t first = 0; first < rows; first += kChunk) {
    const size_t m = std::min(kChunk, rows - first);
    const float* chunk = values + first * columns;
    for (size_t r = 0; r < m; ++r) log_odds[first + r] = base_margin_;
    for (size_t t = 0; t < n; ++t) {
      if (complete_[t] != SIZE_MAX) {
        // The complete form: a position per row, from the root's 0.
        WalkComplete(split_feature_.data() + complete_[t], split_threshold_.data() + complete_[t],
                     depths_[t], chunk, columns, m, at.data());
        const float* value = leaf_values_.data() + bottom_[t];
        for (size_t r = 0; r < m; ++r) log_odds[first + r] += value[at[r]];
        if (groups == 0) continue;
        const int32_t* leaf = leaves_.data() + bottom_[t];
        for (size_t r = 0; r < m; ++r) {
          AddGroups(grouping->path_sums_.data() + static_cast<size_t>(leaf[at[r]]) * groups,
                    contributions.data() + (first + r) * groups, groups);
        }
      } else {
        std::fill_n(at.begin(), m, roots_[t]);
        // Level by level over the chunk: the rows' steps do not depend on
        // one another, so the processor overlaps them, and with no early
        // exit (a leaf steps onto itself) there is no branch to mispredict.
        // A comparison with NaN is false, so a missing value goes the
        // default way.
        for (int32_t level = 0; level < depths_[t]; ++level) {
          for (size_t r = 0; r < m; ++r) {
            const Node& node = nodes_[static_cast<size_t>(at[r])];
            const float v = chunk[r * columns + static_cast<size_t>(node.feature)];
            const bool left = (v < node.threshold) | ((v != v) & (node.default_left != 0));
            at[r] = node.left + ((left ? 0 : 1) & node.split);
          }
        }
        for (size_t r = 0; r < m; ++r) {
          const size_t leaf = static_cast<size_t>(at[r]);
          log_odds[first + r] += nodes_[leaf].value;
          if (groups == 0) continue;
          AddGroups(grouping->path_sums_.data() + leaf * groups,
                    contributions.data() + (first + r) * groups, groups);
        }
      }
    }
  }
}

}  // namespace tenure::analytics
