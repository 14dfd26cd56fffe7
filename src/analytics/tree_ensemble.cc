#include "analytics/tree_ensemble.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

namespace tenure::analytics {
namespace {

Status Bad(const std::string& what) {
  return Status::InvalidArgument("not an XGBoost binary:logistic tree model: " + what);
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
      for (size_t i = 0; i < n; ++i) {
        Node node;
        const int64_t l = left[i].get<int64_t>(), r = right[i].get<int64_t>();
        if (l >= 0) {
          if (l >= static_cast<int64_t>(n) || r < 0 || r >= static_cast<int64_t>(n)) {
            return Bad("a child out of range");
          }
          if (r != l + 1) return Bad("a right child not next to its left one");
          node.left = root + static_cast<int32_t>(l);
          node.right = root + static_cast<int32_t>(r);
          node.feature = feature[i].get<int32_t>();
          if (node.feature < 0 || static_cast<size_t>(node.feature) >= out.features_) {
            return Bad("a split on a feature out of range");
          }
          node.threshold = condition[i].get<float>();
          node.default_left = default_left[i].get<int>() != 0;
        } else {
          node.value = condition[i].get<float>();  // a leaf keeps its value there
        }
        node.mean = hessian[i].get<double>();  // the cover, until the means below
        out.nodes_.push_back(node);
      }
      // Means from the leaves up, weighted by the cover (XGBoost's
      // FillNodeMeanValues): children come after their parent, so walk back.
      for (size_t i = n; i-- > 0;) {
        Node& node = out.nodes_[static_cast<size_t>(root) + i];
        if (node.left < 0) continue;
        const Node& a = out.nodes_[static_cast<size_t>(node.left)];
        const Node& b = out.nodes_[static_cast<size_t>(node.right)];
        const double cover_a = tree.at("sum_hessian")[static_cast<size_t>(node.left - root)];
        const double cover_b = tree.at("sum_hessian")[static_cast<size_t>(node.right - root)];
        const double mean_a = a.left < 0 ? a.value : a.mean;
        const double mean_b = b.left < 0 ? b.value : b.mean;
        node.mean = (mean_a * cover_a + mean_b * cover_b) / (cover_a + cover_b);
      }
      for (size_t i = 0; i < n; ++i) {
        Node& node = out.nodes_[static_cast<size_t>(root) + i];
        if (node.left < 0) node.mean = node.value;
      }
    }
  } catch (const nlohmann::json::exception& e) {
    return Bad(e.what());
  } catch (const std::exception& e) {
    return Bad(e.what());
  }
  if (out.roots_.empty()) return Bad("no tree");
  return out;
}

double TreeEnsemble::Bias(int rounds) const {
  const size_t n = rounds <= 0 ? roots_.size() : std::min(roots_.size(), size_t(rounds));
  double bias = base_margin_;
  for (size_t t = 0; t < n; ++t) bias += nodes_[static_cast<size_t>(roots_[t])].mean;
  return bias;
}

double TreeEnsemble::LogOdds(const float* row, int rounds, std::span<float> contributions) const {
  const size_t n = rounds <= 0 ? roots_.size() : std::min(roots_.size(), size_t(rounds));
  double margin = base_margin_;
  const bool explain = !contributions.empty();
  for (size_t t = 0; t < n; ++t) {
    const Node* node = &nodes_[static_cast<size_t>(roots_[t])];
    while (node->left >= 0) {
      const float v = row[node->feature];
      const bool left = std::isnan(v) ? node->default_left : v < node->threshold;
      const Node* next = &nodes_[static_cast<size_t>(left ? node->left : node->right)];
      if (explain)
        contributions[static_cast<size_t>(node->feature)] += float(next->mean - node->mean);
      node = next;
    }
    margin += node->value;
  }
  return margin;
}

void TreeEnsemble::LogOddsBlock(const float* values, size_t rows, size_t columns, int rounds,
                                std::span<double> log_odds, std::span<float> contributions) const {
  const size_t n = rounds <= 0 ? roots_.size() : std::min(roots_.size(), size_t(rounds));
  const bool explain = !contributions.empty();
  for (size_t r = 0; r < rows; ++r) log_odds[r] = base_margin_;
  for (size_t t = 0; t < n; ++t) {
    const Node* root = &nodes_[static_cast<size_t>(roots_[t])];
    for (size_t r = 0; r < rows; ++r) {
      const float* row = values + r * columns;
      float* c = explain ? contributions.data() + r * features_ : nullptr;
      const Node* node = root;
      while (node->left >= 0) {
        const float v = row[node->feature];
        // Branch-free: XGBoost puts the right child just after the left
        // (checked in FromJson), and a comparison with NaN is false.
        const bool left = (v < node->threshold) | ((v != v) & node->default_left);
        const Node* next = &nodes_[static_cast<size_t>(node->left + (left ? 0 : 1))];
        if (explain) c[node->feature] += static_cast<float>(next->mean - node->mean);
        node = next;
      }
      log_odds[r] += node->value;
    }
  }
}

}  // namespace tenure::analytics
