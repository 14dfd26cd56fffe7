// `tenure risk fit` on the C50 telecom churn table (tests/data/mlc_churn),
// trained on rows 1-3,333 and tested on rows 3,334-5,000, the split the
// issue's baselines were measured on: scikit-learn gradient boosting 0.922,
// random forest 0.927, XGBoost 1.7.4 with defaults 0.928, logistic
// regression 0.834. And the errors that name what is wrong.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "testing/run_tenure.h"
#include "testing/temp_dir.h"

namespace tenure {
namespace {

using testing::Outcome;
using testing::TempDir;
using testing::Tenure;

const std::string kChurn = std::string(TENURE_TEST_DATA) + "/mlc_churn/mlc_churn.csv";

TEST(RiskCliTest, FitsTheChurnTableAboveThePublishedBaselines) {
  // One thread: ctest runs two tests at once on two cores.
  Outcome out = Tenure(
      "risk fit --table " + kChurn + " --label churn --test-rows 3334:5000 --threads 1 --json",
      false);
  ASSERT_EQ(out.code, 0) << out.output;
  auto r = nlohmann::json::parse(out.output);
  EXPECT_EQ(r["rows_train"], 3333);
  EXPECT_EQ(r["rows_test"], 1667);
  EXPECT_EQ(r["events_test"], 224);  // README: 707 "yes" of 5,000 in all
  // Above every baseline measured on this split (best: XGBoost defaults
  // 0.928), and the target: 0.9356 with this seed, narrowly
  // (docs/risk.md: seed 2 tests 0.9349).
  EXPECT_GE(r["auc"].get<double>(), 0.935);
  EXPECT_GT(r["pr_auc"].get<double>(), 0.8);
  EXPECT_LT(r["brier"].get<double>(), 0.05);  // the base rate alone: 0.116
  EXPECT_GT(r["lift_top_decile"].get<double>(), 5);
  ASSERT_FALSE(r["top_features"].empty());
  // The total charge over day, evening, night and international calls, a
  // family of columns summed by the encoder, is what tells churners best.
  EXPECT_EQ(r["top_features"][0]["name"], "sum of total_*_charge");
  int64_t calibrated = 0;
  for (const auto& bin : r["calibration"]) calibrated += bin["count"].get<int64_t>();
  EXPECT_EQ(calibrated, 1667);
}

// A random share or a second file as the test rows; missing values, and a
// plan seen only in the test file, go through.
TEST(RiskCliTest, TestRowsFromAShareOrAnotherFile) {
  TempDir dir;
  std::string rows = "plan,calls,minutes,left\n";
  for (int i = 0; i < 80; ++i) {
    rows += std::string(i % 3 == 0 ? "basic" : "pro") + "," + std::to_string(i % 7) + "," +
            (i % 5 == 0 ? "NA" : std::to_string(i % 11)) + "," + (i % 7 > 3 ? "yes" : "no") + "\n";
  }
  std::string table = dir.Write("t.csv", rows);
  Outcome out = Tenure("risk fit --table " + table +
                           " --label left --test-fraction 0.25 --seed 3 --threads 1 --json",
                       false);
  ASSERT_EQ(out.code, 0) << out.output;
  auto r = nlohmann::json::parse(out.output);
  EXPECT_EQ(r["rows_train"], 60);
  EXPECT_EQ(r["rows_test"], 20);
  EXPECT_EQ(r["features"], 4);             // plan=basic, plan=pro, calls, minutes
  EXPECT_GT(r["auc"].get<double>(), 0.9);  // calls decides

  std::string test = dir.Write("test.csv",
                               "plan,calls,minutes,left\nbasic,6,,yes\ngold,1,3,no\npro,5,NA,yes\n"
                               "pro,0,2,no\n");
  out = Tenure(
      "risk fit --table " + table + " --label left --test-table " + test + " --threads 1 --json",
      false);
  ASSERT_EQ(out.code, 0) << out.output;
  r = nlohmann::json::parse(out.output);
  EXPECT_EQ(r["rows_train"], 80);
  EXPECT_EQ(r["rows_test"], 4);
  EXPECT_DOUBLE_EQ(r["auc"].get<double>(), 1.0);
}

TEST(RiskCliTest, BadLabelsAndOptionsAreNamed) {
  TempDir dir;
  std::string table = dir.Write("t.csv", "plan,calls,left\nbasic,3,yes\npro,1,maybe\npro,2,no\n");
  Outcome out = Tenure("risk fit --table " + table + " --label left --test-rows 1:1");
  EXPECT_EQ(out.code, 1);
  EXPECT_NE(out.output.find("t.csv:3: column 'left': 'maybe' is not yes/no"), std::string::npos)
      << out.output;
  out = Tenure("risk fit --table " + table + " --label gone --test-rows 1:1");
  EXPECT_NE(out.output.find("no column 'gone'"), std::string::npos) << out.output;
  out = Tenure("risk fit --table " + table + " --label left --test-rows 2:9");
  EXPECT_NE(out.output.find("--test-rows: rows 2:9 are not within 1:3"), std::string::npos)
      << out.output;
  out = Tenure("risk fit --table " + table + " --label left");
  EXPECT_NE(out.output.find("exactly one of --test-rows, --test-table, --test-fraction"),
            std::string::npos)
      << out.output;
}

}  // namespace
}  // namespace tenure
