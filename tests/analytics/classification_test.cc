// The ranking and probability measures against the worked examples of
// scikit-learn's documentation (roc_auc_score, average_precision_score,
// brier_score_loss) and small cases computed by hand.
#include "analytics/classification.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace tenure::analytics {
namespace {

TEST(ClassificationTest, RocAucAndAveragePrecisionMatchScikitLearn) {
  const std::vector<double> scores = {0.1, 0.4, 0.35, 0.8};
  const std::vector<int> labels = {0, 0, 1, 1};
  EXPECT_DOUBLE_EQ(RocAuc(scores, labels), 0.75);
  EXPECT_NEAR(AveragePrecision(scores, labels), 0.8333333333, 1e-9);
}

TEST(ClassificationTest, TiesCountHalfAndAMissingClassIsNaN) {
  EXPECT_DOUBLE_EQ(RocAuc(std::vector<double>{0.5, 0.5, 0.5, 0.5}, std::vector<int>{0, 1, 0, 1}),
                   0.5);
  // One positive tied with one of two negatives, above the other: 0.75.
  EXPECT_DOUBLE_EQ(RocAuc(std::vector<double>{0.2, 0.7, 0.7}, std::vector<int>{0, 0, 1}), 0.75);
  EXPECT_TRUE(std::isnan(RocAuc(std::vector<double>{0.1, 0.2}, std::vector<int>{1, 1})));
  EXPECT_TRUE(std::isnan(AveragePrecision(std::vector<double>{0.1}, std::vector<int>{0})));
  // Tied scores form one threshold: both rows at 0.7 enter together.
  EXPECT_DOUBLE_EQ(AveragePrecision(std::vector<double>{0.2, 0.7, 0.7}, std::vector<int>{0, 0, 1}),
                   0.5);
}

TEST(ClassificationTest, BrierScoreMatchesScikitLearn) {
  EXPECT_NEAR(BrierScore(std::vector<double>{0.1, 0.9, 0.8, 0.3}, std::vector<int>{0, 1, 1, 0}),
              0.0375, 1e-12);
  // Always the base rate p: p(1 - p).
  EXPECT_NEAR(BrierScore(std::vector<double>(4, 0.25), std::vector<int>{1, 0, 0, 0}), 0.1875,
              1e-12);
}

TEST(ClassificationTest, CalibrationTableBinsByPredictedProbability) {
  const std::vector<double> p = {0.05, 0.15, 0.12, 0.95, 1.0, 0.91};
  const std::vector<int> y = {0, 0, 1, 1, 1, 0};
  std::vector<CalibrationBin> table = CalibrationTable(p, y, 10);
  ASSERT_EQ(table.size(), 3u);  // empty bins left out
  EXPECT_DOUBLE_EQ(table[0].low, 0.0);
  EXPECT_EQ(table[0].count, 1);
  EXPECT_DOUBLE_EQ(table[0].observed_rate, 0.0);
  EXPECT_EQ(table[1].count, 2);
  EXPECT_NEAR(table[1].mean_predicted, 0.135, 1e-12);
  EXPECT_DOUBLE_EQ(table[1].observed_rate, 0.5);
  EXPECT_DOUBLE_EQ(table[2].low, 0.9);
  EXPECT_EQ(table[2].count, 3);  // 1.0 falls in the last bin
  EXPECT_NEAR(table[2].observed_rate, 2.0 / 3, 1e-12);
}

TEST(ClassificationTest, LiftComparesTheTopRowsWithTheBaseRate) {
  // 10 rows, 2 positives (base rate 0.2); the top 10 % (1 row) is positive.
  std::vector<double> scores = {0.9, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.05, 0.8};
  std::vector<int> labels = {1, 0, 0, 0, 1, 0, 0, 0, 0, 0};
  EXPECT_DOUBLE_EQ(LiftAt(scores, labels, 0.1), 5.0);
  // The top 30 %: 0.9, 0.8, 0.7 hold one positive: (1/3) / 0.2.
  EXPECT_NEAR(LiftAt(scores, labels, 0.3), 5.0 / 3, 1e-12);
  EXPECT_DOUBLE_EQ(LiftAt(scores, labels, 1.0), 1.0);
}

// Platt scaling recovers the logistic curve that generated the labels, and
// its fit satisfies the first-order conditions with Platt's targets.
TEST(ClassificationTest, PlattScalingRecoversTheGeneratingCurve) {
  std::vector<double> scores;
  std::vector<int> labels;
  uint64_t state = 42;
  auto uniform = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<double>(state >> 11) * 0x1.0p-53;
  };
  for (int i = 0; i < 40000; ++i) {
    double s = -3 + 6 * uniform();
    scores.push_back(s);
    labels.push_back(uniform() < 1 / (1 + std::exp(-(2 * s - 1))) ? 1 : 0);
  }
  auto fit = FitPlatt(scores, labels);
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  EXPECT_NEAR(fit->a, 2.0, 0.1);
  EXPECT_NEAR(fit->b, -1.0, 0.1);
  double positives = 0;
  for (int label : labels) positives += label;
  const double negatives = static_cast<double>(labels.size()) - positives;
  double g_a = 0, g_b = 0;
  for (size_t i = 0; i < scores.size(); ++i) {
    double target = labels[i] ? (positives + 1) / (positives + 2) : 1 / (negatives + 2);
    g_a += ((*fit)(scores[i]) - target) * scores[i];
    g_b += (*fit)(scores[i]) - target;
  }
  EXPECT_NEAR(g_a, 0, 1e-6);
  EXPECT_NEAR(g_b, 0, 1e-6);
  // Separable scores stay finite.
  auto separable = FitPlatt(std::vector<double>{-2, -1, 1, 2}, std::vector<int>{0, 0, 1, 1});
  ASSERT_TRUE(separable.ok());
  EXPECT_TRUE(std::isfinite(separable->a) && std::isfinite(separable->b));
  EXPECT_GT((*separable)(2), 0.5);
  EXPECT_FALSE(FitPlatt(std::vector<double>{}, std::vector<int>{}).ok());
}

}  // namespace
}  // namespace tenure::analytics
