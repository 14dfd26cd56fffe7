// store/score_queries: a scoring run's rows are written in multi-row batches
// and a remainder, read back exactly, replace the previous run's in full, and
// a customer written twice is a conflict.
#include "store/score_queries.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "store/migrations.h"
#include "testing/temp_dir.h"

namespace tenure::store {
namespace {

using tenure::testing::TempDir;

class ScoreQueriesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = OpenStore(dir_.File("t.db"));
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    // More customers than two batches, so that both statements run.
    std::string sql;
    for (int i = 1; i <= kCustomers; ++i) {
      sql += "INSERT INTO customers (external_id, name, created_at, updated_at) VALUES ('C" +
             std::to_string(i) + "', 'Customer " + std::to_string(i) + "', 0, 0);";
    }
    ASSERT_TRUE(db_->Exec(sql).ok());
  }

  static ScoreValues ValuesFor(int64_t id, int run) {
    ScoreValues v;
    v.p_alive = 1.0 / static_cast<double>(id + run);
    v.expected_purchases_30 = 0.25 * static_cast<double>(id);
    v.expected_purchases_90 = 0.5 * static_cast<double>(id);
    v.expected_purchases_365 = 2.0 * static_cast<double>(id) + run;
    v.clv = 1000 * id + run;
    v.model_next_purchase_date = "2025-0" + std::to_string(1 + run) + "-15";
    return v;
  }

  ScoreRun Run(int run) {
    ScoreRun r;
    r.scored_at = 1735689600 + run;
    r.model = run == 1 ? "bgnbd" : "pnbd";
    r.as_of = "2024-12-31";
    r.customers_scored = kCustomers;
    r.r = 0.25;
    r.alpha = 4.5;
    r.a = run == 1 ? 0.8 : std::nan("");
    r.b = run == 1 ? 2.4 : std::nan("");
    r.s = run == 1 ? std::nan("") : 0.6;
    r.beta = run == 1 ? std::nan("") : 11.7;
    r.log_likelihood = -9582.4;
    r.spend_p = 6.25;
    r.spend_q = 3.74;
    r.spend_gamma = 15.44;
    r.spend_log_likelihood = -4000;
    return r;
  }

  // Writes run `run` for customers 1..count, in one transaction.
  Status WriteRun(int run, int count) {
    Transaction tx(*db_);
    TENURE_RETURN_IF_ERROR(tx.status());
    auto writer = ScoreWriter::Begin(*db_, Run(run));
    if (!writer.ok()) return writer.status();
    for (int64_t id = 1; id <= count; ++id) {
      TENURE_RETURN_IF_ERROR((*writer)->Write(id, ValuesFor(id, run)));
    }
    TENURE_RETURN_IF_ERROR((*writer)->Finish());
    return tx.Commit();
  }

  int64_t Count(const std::string& sql) { return *QueryInt(*db_, sql); }

  static constexpr int kCustomers = 2 * static_cast<int>(ScoreWriter::kBatchRows) + 22;
  TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(ScoreQueriesTest, EveryRowOfARunIsReadBackWithItsRun) {
  ASSERT_TRUE(WriteRun(1, kCustomers).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM customer_scores"), kCustomers);
  for (int64_t id = 1; id <= kCustomers; ++id) {
    auto stored = ReadCustomerScores(*db_, id);
    ASSERT_TRUE(stored.ok() && stored->has_value()) << id;
    const ScoreColumns& c = **stored;
    const ScoreValues v = ValuesFor(id, 1);
    EXPECT_EQ(c.p_alive, v.p_alive) << id;
    EXPECT_EQ(c.expected_purchases_30, v.expected_purchases_30) << id;
    EXPECT_EQ(c.expected_purchases_90, v.expected_purchases_90) << id;
    EXPECT_EQ(c.expected_purchases_365, v.expected_purchases_365) << id;
    EXPECT_EQ(c.clv, v.clv) << id;
    EXPECT_EQ(c.model_next_purchase_date, v.model_next_purchase_date) << id;
    EXPECT_EQ(c.scored_at, 1735689601) << id;
    EXPECT_EQ(c.score_model, "bgnbd") << id;
    EXPECT_EQ(c.as_of, "2024-12-31") << id;
  }
  auto run = ReadLatestScoreRun(*db_);
  ASSERT_TRUE(run.ok() && run->has_value());
  EXPECT_EQ((*run)->model, "bgnbd");
  EXPECT_EQ((*run)->b, 2.4);
  EXPECT_TRUE(std::isnan((*run)->beta));
  EXPECT_EQ((*run)->spend_gamma, 15.44);
  // The CLV index is back after the run.
  EXPECT_EQ(Count("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND"
                  " tbl_name = 'customer_scores' AND name = 'customer_scores_clv'"),
            1);
}

TEST_F(ScoreQueriesTest, ANewRunReplacesTheLastOneWhole) {
  ASSERT_TRUE(WriteRun(1, kCustomers).ok());
  ASSERT_TRUE(WriteRun(2, 10).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM customer_scores"), 10);
  EXPECT_EQ(Count("SELECT count(*) FROM score_runs"), 2);
  auto stored = ReadCustomerScores(*db_, 3);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->clv, 3002);
  EXPECT_EQ((*stored)->score_model, "pnbd");
  auto unscored = ReadCustomerScores(*db_, 11);
  ASSERT_TRUE(unscored.ok());
  EXPECT_FALSE(unscored->has_value());
  auto missing = ReadCustomerScores(*db_, 9999);
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
}

TEST_F(ScoreQueriesTest, ACustomerWrittenTwiceFailsTheRunAndKeepsTheLastOne) {
  ASSERT_TRUE(WriteRun(1, kCustomers).ok());
  Status failed = [&]() -> Status {
    Transaction tx(*db_);
    TENURE_RETURN_IF_ERROR(tx.status());
    auto writer = ScoreWriter::Begin(*db_, Run(2));
    if (!writer.ok()) return writer.status();
    TENURE_RETURN_IF_ERROR((*writer)->Write(5, ValuesFor(5, 2)));
    TENURE_RETURN_IF_ERROR((*writer)->Write(5, ValuesFor(5, 2)));
    TENURE_RETURN_IF_ERROR((*writer)->Finish());
    return tx.Commit();
  }();
  EXPECT_EQ(failed.code(), Status::Code::kConflict) << failed.ToString();
  // Rolled back: the first run's scores, its index and only its run row.
  EXPECT_EQ(Count("SELECT count(*) FROM customer_scores"), kCustomers);
  EXPECT_EQ(Count("SELECT count(*) FROM score_runs"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM sqlite_master WHERE name = 'customer_scores_clv'"), 1);
  auto stored = ReadCustomerScores(*db_, 5);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->clv, 5001);
}

}  // namespace
}  // namespace tenure::store
