// The XGBoost wrapper: it learns a clear rule, its per-feature contributions
// add up to each prediction's log-odds (the SHAP property the risk reasons
// rest on), a serialized model predicts the same, and bad input is refused.
#include "analytics/boosted_trees.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <random>
#include <vector>

#include "analytics/classification.h"
#include "analytics/tree_ensemble.h"

namespace tenure::analytics {
namespace {

struct Data {
  std::vector<float> values;
  std::vector<float> labels;
  size_t rows = 0;
  FeatureMatrix matrix() const { return {values, rows, 3}; }
};

// Column 0 decides (above 0.6 is an event, with 5 % of labels flipped),
// column 1 is noise, column 2 is missing in every third row.
Data MakeData(size_t rows, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> unit(0, 1);
  Data d;
  d.rows = rows;
  for (size_t i = 0; i < rows; ++i) {
    float x = unit(rng);
    d.values.push_back(x);
    d.values.push_back(unit(rng));
    d.values.push_back(i % 3 == 0 ? NAN : unit(rng));
    bool event = x > 0.6f;
    if (unit(rng) < 0.05f) event = !event;
    d.labels.push_back(event ? 1 : 0);
  }
  return d;
}

// Few trees, one thread: ctest runs two tests at once on two cores.
BoostParams Quick() {
  BoostParams params;
  params.rounds = 40;
  params.threads = 1;
  return params;
}

TEST(BoostedTreesTest, LearnsExplainsAndRoundTrips) {
  Data train = MakeData(2000, 1);
  Data test = MakeData(1000, 2);
  auto model = BoostedTrees::Fit(train.matrix(), train.labels, Quick());
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  auto p = model->Predict(test.matrix());
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->size(), test.rows);
  std::vector<int> labels(test.labels.begin(), test.labels.end());
  // 5 % flipped labels cap the AUC near 0.95.
  EXPECT_GT(RocAuc(*p, labels), 0.9);

  auto contributions = model->Contributions(test.matrix());
  ASSERT_TRUE(contributions.ok()) << contributions.status().ToString();
  ASSERT_EQ(contributions->size(), test.rows * 4);
  double decisive = 0, noise = 0;
  for (size_t row = 0; row < test.rows; ++row) {
    const float* c = &(*contributions)[row * 4];
    const double log_odds = std::log((*p)[row] / (1 - (*p)[row]));
    EXPECT_NEAR(c[0] + c[1] + c[2] + c[3], log_odds, 1e-3) << "row " << row;
    decisive += std::abs(c[0]);
    noise += std::abs(c[1]);
  }
  EXPECT_GT(decisive, 5 * noise);

  // The approximation (Saabas) and a tree limit: the contributions still sum
  // to the log-odds of the prediction from as many trees, and still put the
  // weight on the decisive feature; they differ from the exact ones.
  auto p10 = model->Predict(test.matrix(), 10);
  auto approximate = model->Contributions(test.matrix(), 10, /*approximate=*/true);
  auto exact10 = model->Contributions(test.matrix(), 10);
  ASSERT_TRUE(p10.ok() && approximate.ok() && exact10.ok());
  ASSERT_EQ(approximate->size(), test.rows * 4);
  EXPECT_NE(*approximate, *exact10);
  decisive = noise = 0;
  for (size_t row = 0; row < test.rows; ++row) {
    const float* c = &(*approximate)[row * 4];
    const double log_odds = std::log((*p10)[row] / (1 - (*p10)[row]));
    EXPECT_NEAR(c[0] + c[1] + c[2] + c[3], log_odds, 1e-3) << "row " << row;
    decisive += std::abs(c[0]);
    noise += std::abs(c[1]);
  }
  EXPECT_GT(decisive, 5 * noise);

  // Staged margins rank the rows as the predictions from as many trees do.
  auto stages = model->StagedMargins(test.matrix(), 10, 40);
  ASSERT_TRUE(stages.ok()) << stages.status().ToString();
  ASSERT_EQ(stages->size(), 4u);
  for (int k = 1; k <= 4; ++k) {
    auto predicted = model->Predict(test.matrix(), 10 * k);
    ASSERT_TRUE(predicted.ok());
    EXPECT_NEAR(RocAuc((*stages)[k - 1], labels), RocAuc(*predicted, labels), 1e-9) << k;
  }
  EXPECT_NE(RocAuc((*stages)[0], labels), RocAuc((*stages)[3], labels));
  EXPECT_FALSE(model->StagedMargins(test.matrix(), 0, 40).ok());

  auto bytes = model->Serialize();
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();

  // The same model walked without XGBoost gives XGBoost's log-odds and
  // approximate contributions, all trees or the first 10.
  auto ensemble = TreeEnsemble::FromJson(*bytes);
  ASSERT_TRUE(ensemble.ok()) << ensemble.status().ToString();
  EXPECT_EQ(ensemble->trees(), 40u);
  EXPECT_EQ(ensemble->features(), 3u);
  for (size_t row = 0; row < test.rows; ++row) {
    const float* x = &test.values[row * 3];
    const double log_odds = std::log((*p)[row] / (1 - (*p)[row]));
    EXPECT_NEAR(ensemble->LogOdds(x, 0), log_odds, 1e-4) << "row " << row;
    std::vector<float> c(3, 0.0f);
    const double ten = ensemble->LogOdds(x, 10, c);
    EXPECT_NEAR(ten, std::log((*p10)[row] / (1 - (*p10)[row])), 1e-4) << "row " << row;
    const float* xgb = &(*approximate)[row * 4];
    for (size_t k = 0; k < 3; ++k) EXPECT_NEAR(c[k], xgb[k], 1e-4) << "row " << row << " " << k;
    EXPECT_NEAR(ensemble->Bias(10), xgb[3], 1e-4);
  }
  // A block gives what row by row gives.
  std::vector<double> block(test.rows);
  std::vector<float> block_contributions(test.rows * 3, 0.0f);
  const TreeEnsemble::Grouping each = ensemble->PerFeature();
  ensemble->LogOddsBlock(test.values.data(), test.rows, 3, 10, block, &each, block_contributions);
  // Features 0 and 2 in one group: its contribution is their sum.
  auto paired = ensemble->GroupBy(std::vector<uint32_t>{1, 0, 1}, 2);
  ASSERT_TRUE(paired.ok()) << paired.status().ToString();
  std::vector<double> paired_block(test.rows);
  std::vector<float> by_pair(test.rows * 2, 0.0f);
  ensemble->LogOddsBlock(test.values.data(), test.rows, 3, 10, paired_block, &*paired, by_pair);
  for (size_t row = 0; row < test.rows; ++row) {
    std::vector<float> c(3, 0.0f);
    EXPECT_DOUBLE_EQ(block[row], ensemble->LogOdds(&test.values[row * 3], 10, c));
    for (size_t k = 0; k < 3; ++k) EXPECT_FLOAT_EQ(block_contributions[row * 3 + k], c[k]);
    EXPECT_DOUBLE_EQ(paired_block[row], block[row]);
    EXPECT_NEAR(by_pair[row * 2 + 0], c[1], 1e-5) << "row " << row;
    EXPECT_NEAR(by_pair[row * 2 + 1], c[0] + c[2], 1e-4) << "row " << row;
  }
  EXPECT_FALSE(ensemble->GroupBy(std::vector<uint32_t>{0, 1}, 2).ok());     // two of 3 features
  EXPECT_FALSE(ensemble->GroupBy(std::vector<uint32_t>{0, 1, 2}, 2).ok());  // group 2 of 2
  EXPECT_FALSE(TreeEnsemble::FromJson("{}").ok());
  EXPECT_FALSE(TreeEnsemble::FromJson("not json").ok());
  auto loaded = BoostedTrees::Deserialize(*bytes);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  auto again = loaded->Predict(test.matrix());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *p);
}

// Trees deeper than the walk's complete form takes (10 levels) are walked
// node by node: both give XGBoost's log-odds, a block as row by row.
TEST(BoostedTreesTest, WalksShallowAndDeepTreesAsXGBoostPredicts) {
  Data train = MakeData(3000, 5);
  Data test = MakeData(500, 6);
  BoostParams params = Quick();
  params.rounds = 8;
  params.max_depth = 16;
  params.min_child_weight = 0;
  params.learning_rate = 0.3;
  auto model = BoostedTrees::Fit(train.matrix(), train.labels, params);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  auto p = model->Predict(test.matrix());
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  auto bytes = model->Serialize();
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  auto ensemble = TreeEnsemble::FromJson(*bytes);
  ASSERT_TRUE(ensemble.ok()) << ensemble.status().ToString();
  int32_t deepest = 0, shallowest = INT32_MAX;
  for (size_t t = 0; t < ensemble->trees(); ++t) {
    deepest = std::max(deepest, ensemble->depth(t));
    shallowest = std::min(shallowest, ensemble->depth(t));
  }
  EXPECT_GT(deepest, 10);
  EXPECT_LE(shallowest, 10);
  std::vector<double> block(test.rows);
  ensemble->LogOddsBlock(test.values.data(), test.rows, 3, 0, block);
  for (size_t row = 0; row < test.rows; ++row) {
    const double log_odds = std::log((*p)[row] / (1 - (*p)[row]));
    EXPECT_NEAR(block[row], log_odds, 1e-4) << "row " << row;
    EXPECT_DOUBLE_EQ(block[row], ensemble->LogOdds(&test.values[row * 3], 0)) << "row " << row;
  }
}

TEST(BoostedTreesTest, RefusesLabelsOtherThanZeroOrOneAndWrongShapes) {
  Data d = MakeData(10, 3);
  d.labels[4] = 2;
  auto model = BoostedTrees::Fit(d.matrix(), d.labels, Quick());
  ASSERT_FALSE(model.ok());
  EXPECT_NE(model.status().message().find("0 or 1"), std::string::npos);
  d.labels.pop_back();
  EXPECT_FALSE(BoostedTrees::Fit(d.matrix(), d.labels, Quick()).ok());
  FeatureMatrix ragged{std::span<const float>(d.values).first(7), 3, 3};
  Data small = MakeData(10, 4);
  auto fitted = BoostedTrees::Fit(small.matrix(), small.labels, Quick());
  ASSERT_TRUE(fitted.ok());
  auto bad = fitted->Predict(ragged);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("7 values for 3 rows of 3 columns"), std::string::npos);
}

}  // namespace
}  // namespace tenure::analytics
