// Every list and report of the CRM core runs on the demo company, and their
// totals agree with each other and with `tenure summary` where they overlap.
// (The numbers themselves are checked on hand-built data in tests/engine.)
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "testing/run_tenure.h"
#include "testing/temp_dir.h"

namespace tenure {
namespace {

using nlohmann::json;
using testing::Outcome;
using testing::Tenure;

class DemoCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    Outcome demo = Tenure("demo --customers 400 --seed 7 --as-of 2026-06-30" + Db());
    ASSERT_EQ(demo.code, 0) << demo.output;
    demo_output_ = new std::string(demo.output);
  }
  static void TearDownTestSuite() {
    delete dir_;
    delete demo_output_;
  }
  static std::string Db() { return " --db " + dir_->File("demo.db"); }

  // Runs a command that prints JSON and parses it.
  static json Run(const std::string& args) { return testing::TenureJson(args + Db()); }

  static testing::TempDir* dir_;
  static std::string* demo_output_;  // what `tenure demo` printed
};

testing::TempDir* DemoCliTest::dir_ = nullptr;
std::string* DemoCliTest::demo_output_ = nullptr;

TEST_F(DemoCliTest, SaysWhatItWroteUnderAHeaderRow) {
  ASSERT_NE(demo_output_, nullptr);
  auto rows = testing::TableUnder(*demo_output_, {"table", "rows"});
  ASSERT_TRUE(rows) << *demo_output_;
  EXPECT_NE(std::find(rows->begin(), rows->end(), std::vector<std::string>{"customers", "400"}),
            rows->end())
      << *demo_output_;
}

TEST_F(DemoCliTest, EveryListAndReportRuns) {
  json workbench = Run("workbench --as-of 2026-06-30 --json");
  ASSERT_TRUE(workbench["lists"].is_array());
  EXPECT_GE(workbench["lists"].size(), 14u);
  int64_t listed = 0;
  for (const json& list : workbench["lists"]) listed += list["count"].get<int64_t>();
  EXPECT_GT(listed, 0);

  json by_level = Run("stats --by level --format json");
  json pareto = Run("stats pareto --by sales --json");
  EXPECT_GT(pareto["top20_share"].get<double>(), 0.2);
  EXPECT_LT(pareto["top20_share"].get<double>(), 1.0);
  EXPECT_NEAR(by_level["total"]["sales"].get<double>(), pareto["total"].get<double>(), 0.005);

  Run("stats leads --json");
  Run("team report --from 2026-01-01 --to 2026-06-30 --json");
  Run("complaint report --to 2026-06-30 --json");
  Run("complaint list --overdue --as-of 2026-06-30 --json");
  Run("credit defaulters --as-of 2026-06-30 --json");
  json churn = Run("churn report --period quarter --as-of 2026-06-30 --json");
  EXPECT_FALSE(churn["by_type"].empty());

  // A profile, and a rebuild that finds the demo's metrics already current.
  std::string customer = workbench["lists"][4]["rows"].empty()
                             ? "1"
                             : workbench["lists"][4]["rows"][0]["external_id"].get<std::string>();
  json profile = Run("customer show " + customer + " --as-of 2026-06-30 --json");
  EXPECT_TRUE(profile.contains("cumulative_sales"));
  Outcome rebuild = Tenure("metrics rebuild" + Db());
  EXPECT_NE(rebuild.output.find(" 0 customers changed"), std::string::npos) << rebuild.output;
}

}  // namespace
}  // namespace tenure
