// store/risk_queries: a scoring run replaces every stored risk, and adds to
// health_history only the customers whose health changed since the newest
// scoring day (or every customer, when the run is not after that day or the
// stored risk is not of it), so the history keeps the days a health changed.
#include "store/risk_queries.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "store/migrations.h"
#include "testing/temp_dir.h"

namespace tenure::store {
namespace {

using tenure::testing::TempDir;
using History = std::vector<std::pair<std::string, int>>;

class RiskQueriesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = OpenStore(dir_.File("t.db"));
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    RiskRun run;
    run.as_of = "2026-05-31";
    run.horizon_days = 180;
    run.features = "recency_days";
    run.model = "{}";
    auto id = InsertRiskRun(*db_, run);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    run_ = *id;
  }

  // A scoring run on `as_of` giving each customer (by id) its health; more
  // customers than a batch, so that both statements of each table run.
  void Score(const std::string& as_of, const std::map<int64_t, int>& health) {
    Transaction tx(*db_);
    ASSERT_TRUE(tx.status().ok());
    auto writer = RiskWriter::Begin(*db_, run_, as_of);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    for (const auto& [id, h] : health) {
      RiskValues v;
      v.health = h;
      v.probability = (100 - h) / 100.0;
      ASSERT_TRUE((*writer)->Write(id, v).ok());
    }
    ASSERT_TRUE((*writer)->Finish().ok());
    ASSERT_TRUE(MarkRiskRunScored(*db_, run_, as_of, 0).ok());
    ASSERT_TRUE(tx.Commit().ok());
  }

  History HistoryOf(int64_t customer) {
    auto h = ReadHealthHistory(*db_, customer);
    EXPECT_TRUE(h.ok()) << h.status().ToString();
    return h.ok() ? *h : History{};
  }
  int64_t RowsOn(const std::string& as_of) {
    auto n = QueryInt(*db_, "SELECT count(*) FROM health_history WHERE as_of = '" + as_of + "'");
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  }

  static constexpr int64_t kCustomers = 150;
  TempDir dir_;
  std::unique_ptr<Database> db_;
  int64_t run_ = 0;
};

TEST_F(RiskQueriesTest, TheHistoryKeepsTheDaysAHealthChanged) {
  std::map<int64_t, int> health;
  for (int64_t id = 1; id <= kCustomers; ++id) health[id] = static_cast<int>(id % 100);
  Score("2026-06-30", health);
  EXPECT_EQ(RowsOn("2026-06-30"), kCustomers);

  // A month later: two healths changed, one customer is new; only they get
  // a row, and the others' last row still says their health.
  health[2] = 50;
  health[140] = 7;
  health[kCustomers + 1] = 90;
  Score("2026-07-30", health);
  EXPECT_EQ(RowsOn("2026-07-30"), 3);
  EXPECT_EQ(HistoryOf(1), (History{{"2026-06-30", 1}}));
  EXPECT_EQ(HistoryOf(2), (History{{"2026-06-30", 2}, {"2026-07-30", 50}}));
  EXPECT_EQ(HistoryOf(kCustomers + 1), (History{{"2026-07-30", 90}}));
  auto stored = ReadCustomerRisk(*db_, 1);
  ASSERT_TRUE(stored.ok() && *stored);
  EXPECT_EQ((*stored)->values.health, 1);
  EXPECT_EQ((*stored)->scored_as_of, "2026-07-30");

  // Scored again on the same day: the day is written in full.
  health[3] = 33;
  Score("2026-07-30", health);
  EXPECT_EQ(RowsOn("2026-07-30"), kCustomers + 1);
  EXPECT_EQ(HistoryOf(3), (History{{"2026-06-30", 3}, {"2026-07-30", 33}}));

  // A day in the past is written in full, and so is the next day after the
  // newest: the stored risk is then not the newest day's.
  Score("2026-07-15", health);
  EXPECT_EQ(RowsOn("2026-07-15"), kCustomers + 1);
  Score("2026-08-30", health);
  EXPECT_EQ(RowsOn("2026-08-30"), kCustomers + 1);
  // From there on, changes only again.
  health[4] = 44;
  Score("2026-09-30", health);
  EXPECT_EQ(RowsOn("2026-09-30"), 1);
  EXPECT_EQ(HistoryOf(4).back(), (std::pair<std::string, int>{"2026-09-30", 44}));
}

}  // namespace
}  // namespace tenure::store
