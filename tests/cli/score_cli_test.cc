// `tenure score` as a user runs it on a demo company: it scores the
// customers with orders, `customer show --json` carries the scores (null for
// a customer without orders), and a bad --as-of or --model is refused with a
// usage error.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "testing/run_tenure.h"
#include "testing/temp_dir.h"

namespace tenure {
namespace {

using nlohmann::json;
using testing::Outcome;
using testing::Tenure;

constexpr const char* kScoreKeys[] = {"p_alive",
                                      "expected_purchases_30",
                                      "expected_purchases_90",
                                      "expected_purchases_365",
                                      "clv",
                                      "model_next_purchase_date",
                                      "scored_at",
                                      "as_of"};

class ScoreCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    Outcome demo = Tenure("demo --customers 2000 --seed 11 --as-of 2026-06-30" + Db());
    ASSERT_EQ(demo.code, 0) << demo.output;
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string Db() { return " --db " + dir_->File("demo.db"); }

  static json Run(const std::string& args) { return testing::TenureJson(args + Db()); }

  static testing::TempDir* dir_;
};

testing::TempDir* ScoreCliTest::dir_ = nullptr;

TEST_F(ScoreCliTest, ScoresEveryCustomerWithAnOrderAndShowsThem) {
  json report = Run("score --as-of 2026-06-30 --json");
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["model"], "bgnbd");
  EXPECT_EQ(report["as_of"], "2026-06-30");
  EXPECT_EQ(report["customers"], 2000);
  EXPECT_GT(report["customers_scored"].get<int>(), 500);
  EXPECT_LE(report["customers_scored"].get<int>(), 2000);
  for (const char* p : {"r", "alpha", "a", "b"}) {
    EXPECT_GT(report["params"][p].get<double>(), 0) << p;
  }
  EXPECT_GT(report["spend"]["q"].get<double>(), 1);
  for (const char* phase : {"read", "summary", "fit", "score", "write"}) {
    EXPECT_GE(report["phase_seconds"][phase].get<double>(), 0) << phase;
  }

  // Customers 1..40: scored exactly when they have an order.
  int scored = 0, unscored = 0;
  for (int id = 1; id <= 40; ++id) {
    json profile = Run("customer show " + std::to_string(id) + " --as-of 2026-06-30 --json");
    ASSERT_TRUE(profile["scores"].is_object()) << id;
    const json& scores = profile["scores"];
    const bool has_orders = profile["order_count"].get<int>() > 0;
    for (const char* key : kScoreKeys) {
      ASSERT_TRUE(scores.contains(key)) << key;
      EXPECT_EQ(scores[key].is_null(), !has_orders) << "customer " << id << " " << key;
    }
    if (!has_orders) {
      ++unscored;
      continue;
    }
    ++scored;
    const double p_alive = scores["p_alive"].get<double>();
    EXPECT_GE(p_alive, 0) << id;
    EXPECT_LE(p_alive, 1) << id;
    EXPECT_LE(scores["expected_purchases_30"].get<double>(),
              scores["expected_purchases_365"].get<double>())
        << id;
    EXPECT_GE(scores["clv"].get<double>(), 0) << id;
    EXPECT_GT(scores["model_next_purchase_date"].get<std::string>(), "2026-06-30") << id;
    EXPECT_EQ(scores["score_model"], "bgnbd");
    EXPECT_EQ(scores["as_of"], "2026-06-30");
  }
  EXPECT_GT(scored, 0);

  Outcome text = Tenure("score --as-of 2026-06-30 --model pnbd" + Db());
  ASSERT_EQ(text.code, 0) << text.output;
  EXPECT_NE(text.output.find("pnbd"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("2,000 customers"), std::string::npos) << text.output;
}

TEST_F(ScoreCliTest, BadOptionsAreRefused) {
  Outcome bad_date = Tenure("score --as-of 2026-13-01" + Db());
  EXPECT_EQ(bad_date.code, 2) << bad_date.output;
  EXPECT_NE(bad_date.output.find("--as-of"), std::string::npos) << bad_date.output;
  Outcome bad_model = Tenure("score --model tree" + Db());
  EXPECT_EQ(bad_model.code, 2) << bad_model.output;
  EXPECT_NE(bad_model.output.find("bgnbd"), std::string::npos) << bad_model.output;
  Outcome too_early = Tenure("score --as-of 1990-01-01" + Db());
  EXPECT_EQ(too_early.code, 1) << too_early.output;
  EXPECT_NE(too_early.output.find("no customer has an order"), std::string::npos)
      << too_early.output;
}

}  // namespace
}  // namespace tenure
