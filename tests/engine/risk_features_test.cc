// The risk model's point-in-time features (engine/risk/features.h): a
// customer's features at a snapshot depend only on what was on record by
// then. The company below is imported twice: as it stood at the snapshot,
// and later, with rows dated after the snapshot added and rows changed after
// it (a complaint resolved, an invoice paid, a contract cancelled, a loss
// recorded). Every feature at the snapshot must be the same in both; the
// label, which looks ahead on purpose, must change.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "engine/import_fixture.h"
#include "engine/risk/features.h"
#include "engine/risk/history.h"
#include "engine/risk/snapshots.h"

namespace tenure::engine::risk {
namespace {

constexpr std::array<int, 4> kDeadlines = {168, 72, 24, 8};
const Date kSnapshot = *ParseIsoDate("2026-03-31");

class RiskFeaturesTest : public ImportFixture {
 protected:
  // The company as it stood at the end of 2026-03-31.
  void ImportAtSnapshot() {
    ImportClean("users", "username,role\nalice,sales\nbob,sales\n");
    ImportClean("customers",
                "customer_id,name,owner,level,industry,acquired_on,credit_rating\n"
                "C1,One,alice,A,Retail,2025-01-01,B\n"
                "C2,Two,alice,B,Food,2025-01-01,A\n"
                "C3,Three,bob,A,Retail,2025-06-01,C\n");
    ImportClean("orders",
                "order_id,customer_id,date,amount\n"
                "O1,C1,2025-02-01,100\nO2,C1,2025-05-01,200\nO3,C1,2026-03-31,50\n"
                "O4,C2,2025-03-01,300\nO5,C2,2025-09-01,100\n"
                "O6,C3,2025-07-01,80\n");
    ImportClean("activities",
                "customer_id,kind,occurred_at,outcome\n"
                "C1,call,2025-12-01T10:00:00Z,unsuccessful\n"
                "C1,visit,2026-02-01T10:00:00Z,unsuccessful\n"
                "C2,call,2026-03-31T23:00:00Z,effective\n");
    ImportClean("complaints",
                "id,customer_id,category,severity,status,opened_at\n"
                "K1,C1,quality,high,open,2026-03-20T09:00:00Z\n");
    ImportClean("invoices",
                "id,customer_id,issued_on,due_on,amount,paid_amount\n"
                "I1,C2,2026-01-15,2026-02-14,300,0\n");
    ImportClean("contracts",
                "id,customer_id,signed_on,start_date,end_date,status\n"
                "K1,C3,2025-06-01,2025-06-01,2026-05-31,active\n");
    ImportClean("ownership_changes",
                "customer_id,from_user_id,to_user_id,changed_at\n"
                "C3,alice,bob,2026-01-10T09:00:00Z\n");
    ImportClean("opportunities",
                "id,customer_id,name,stage,closed_on\nP1,C2,Upgrade,lost,2026-02-01\n");
  }

  // What happened after the snapshot: new rows dated after it, and changes
  // made after it to rows from before.
  void ImportLater() {
    ImportClean("orders",
                "order_id,customer_id,date,amount\n"
                "O7,C1,2026-04-01,999\nO8,C3,2026-05-15,70\nO9,C2,2026-04-02,5\n");
    ImportClean("activities",
                "customer_id,kind,occurred_at,outcome\n"
                "C1,call,2026-04-01T00:00:01Z,effective\nC3,visit,2026-04-20T10:00:00Z,\n");
    ImportClean("complaints",
                "id,customer_id,category,severity,status,opened_at,resolved_at\n"
                "K1,C1,quality,high,resolved,2026-03-20T09:00:00Z,2026-04-02T09:00:00Z\n"
                "K2,C3,delivery,low,open,2026-04-05T09:00:00Z,\n");
    ImportClean("invoices",
                "id,customer_id,issued_on,due_on,amount,paid_amount,paid_on\n"
                "I1,C2,2026-01-15,2026-02-14,300,300,2026-04-10\n"
                "I2,C1,2026-04-01,2026-05-01,999,0,\n");
    ImportClean("contracts",
                "id,customer_id,signed_on,start_date,end_date,status,cancelled_on,renewal_of\n"
                "K1,C3,2025-06-01,2025-06-01,2026-05-31,cancelled,2026-04-15,\n"
                "K2,C1,2026-04-03,2026-04-03,2027-04-02,active,,\n");
    ImportClean("ownership_changes",
                "customer_id,from_user_id,to_user_id,changed_at\n"
                "C1,alice,bob,2026-04-01T08:00:00Z\n");
    ImportClean("opportunities",
                "id,customer_id,name,stage,closed_on\nP2,C3,Renewal,lost,2026-04-03\n");
    ImportClean(
        "churn_events",
        "customer_id,kind,occurred_on,churn_type,reasons\nC2,lost,2026-05-01,competition,price\n");
  }

  std::vector<float> FeaturesAt(const History& h, size_t customer, Date day) {
    SnapshotModel model;
    model.day = day.days;
    model.horizon_days = 90;
    model.params = {0.243, 4.414, 0.793, 2.426};  // FHL 2005's CDNOW fit
    model.fitted = true;
    std::vector<float> out(LayoutOf(h).size());
    ComputeFeatures(h, customer, model, out);
    return out;
  }

  static bool Same(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
  }

  float Feature(const History& h, const std::vector<float>& f, const std::string& name) {
    FeatureLayout layout = LayoutOf(h);
    for (size_t k = 0; k < layout.size(); ++k) {
      if (layout.names[k] == name) return f[k];
    }
    ADD_FAILURE() << "no feature " << name;
    return NAN;
  }
};

TEST_F(RiskFeaturesTest, RowsDatedAfterASnapshotDoNotChangeItsFeatures) {
  ImportAtSnapshot();
  auto before = LoadHistory(*db_, kDeadlines);
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  ASSERT_EQ(before->size(), 3u);
  std::vector<std::vector<float>> at_snapshot;
  std::vector<bool> labels;
  for (size_t c = 0; c < 3; ++c) {
    ASSERT_TRUE(InPopulation(*before, c, kSnapshot.days)) << c;
    at_snapshot.push_back(FeaturesAt(*before, c, kSnapshot));
    labels.push_back(LostWithin(*before, c, kSnapshot.days, 90));
  }
  // What the snapshot knew (C1 = 0, C2 = 1, C3 = 2).
  const History& h = *before;
  EXPECT_EQ(Feature(h, at_snapshot[0], "recency_days"), 0);  // O3 on the snapshot day
  EXPECT_EQ(Feature(h, at_snapshot[0], "order_days"), 3);
  EXPECT_EQ(Feature(h, at_snapshot[0], "complaints_open"), 1);
  EXPECT_EQ(Feature(h, at_snapshot[0], "complaints_overdue"), 1);  // 24 h for high
  EXPECT_EQ(Feature(h, at_snapshot[0], "unsuccessful_of_last_3"), 2);
  EXPECT_EQ(Feature(h, at_snapshot[1], "overdue_amount"), 300);
  EXPECT_EQ(Feature(h, at_snapshot[1], "days_overdue"), 45);  // 2026-02-14 to 03-31
  EXPECT_EQ(Feature(h, at_snapshot[1], "days_since_contact"), 0);
  EXPECT_EQ(Feature(h, at_snapshot[1], "lost_opportunities_180"), 1);
  EXPECT_EQ(Feature(h, at_snapshot[2], "days_to_contract_end"), 61);
  EXPECT_EQ(Feature(h, at_snapshot[2], "days_since_owner_change"), 80);
  EXPECT_TRUE(std::isnan(Feature(h, at_snapshot[2], "days_since_contact")));
  EXPECT_EQ(Feature(h, at_snapshot[0], "industry=Retail"), 1);
  EXPECT_EQ(Feature(h, at_snapshot[1], "industry=Retail"), 0);
  // As it stood, nobody had ordered after the snapshot: all "lost".
  EXPECT_EQ(labels, (std::vector<bool>{true, true, true}));

  ImportLater();
  auto after = LoadHistory(*db_, kDeadlines, &before->class_values);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  for (size_t c = 0; c < 3; ++c) {
    EXPECT_TRUE(Same(FeaturesAt(*after, c, kSnapshot), at_snapshot[c])) << "customer " << c;
  }
  // The label does look ahead: C1 and C3 ordered within 90 days, C2 was lost.
  EXPECT_FALSE(LostWithin(*after, 0, kSnapshot.days, 90));
  EXPECT_TRUE(LostWithin(*after, 1, kSnapshot.days, 90));
  // C3 ordered, but its contract ended (cancelled) in the window unrenewed.
  EXPECT_TRUE(LostWithin(*after, 2, kSnapshot.days, 90));
  // A day later the new rows count: the test can tell the difference.
  const Date next{kSnapshot.days + 1};
  EXPECT_FALSE(Same(FeaturesAt(*after, 0, next), FeaturesAt(*before, 0, next)));
  // Resolved on 04-02: open through the end of 04-01.
  EXPECT_EQ(Feature(*after, FeaturesAt(*after, 0, next), "complaints_open"), 1);
  EXPECT_EQ(Feature(*after, FeaturesAt(*after, 0, Date{kSnapshot.days + 2}), "complaints_open"), 0);
  // A lost customer leaves the population on its loss day.
  EXPECT_TRUE(InPopulation(*after, 1, ParseIsoDate("2026-04-30")->days));
  EXPECT_FALSE(InPopulation(*after, 1, ParseIsoDate("2026-05-01")->days));
}

// Orders and invoices are read in two halves of their ids, on two
// connections: each row lands once, with its own customer.
TEST_F(RiskFeaturesTest, EveryRowIsReadOnceWhicheverPartHoldsIt) {
  ImportAtSnapshot();
  ImportLater();
  auto h = LoadHistory(*db_, kDeadlines);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->orders.rows.size(), Count("SELECT count(*) FROM orders WHERE status <> 2"));
  EXPECT_EQ(h->invoices.rows.size(), Count("SELECT count(*) FROM invoices"));
  EXPECT_EQ(h->contacts.rows.size(), Count("SELECT count(*) FROM activities"));
  EXPECT_EQ(h->complaints.rows.size(), Count("SELECT count(*) FROM complaints"));
  EXPECT_EQ(h->contracts.rows.size(), Count("SELECT count(*) FROM contracts"));
  EXPECT_EQ(h->owner_changes.rows.size(), Count("SELECT count(*) FROM ownership_changes"));
  EXPECT_EQ(h->churn.rows.size(), Count("SELECT count(*) FROM churn_events"));
  for (size_t c = 0; c < h->size(); ++c) {
    const std::string id = std::to_string(h->customers[c].id);
    EXPECT_EQ(h->orders.Of(c).size(),
              Count("SELECT count(*) FROM orders WHERE status <> 2 AND customer_id = " + id));
    EXPECT_EQ(h->invoices.Of(c).size(),
              Count("SELECT count(*) FROM invoices WHERE customer_id = " + id));
  }
  // Invoices paid in full before a date are left out, from either half.
  // I1 (the first half) was paid on 04-10; I2 (the second) is open.
  auto since = LoadHistory(*db_, kDeadlines, nullptr, ParseIsoDate("2026-04-11"));
  ASSERT_TRUE(since.ok()) << since.status().ToString();
  ASSERT_EQ(since->invoices.rows.size(), 1u);
  EXPECT_EQ(since->invoices.rows[0].amount, 99900);
}

TEST_F(RiskFeaturesTest, SnapshotsSampleThePopulationAndMonthEndsStepBack) {
  ImportAtSnapshot();
  auto h = LoadHistory(*db_, kDeadlines);
  ASSERT_TRUE(h.ok());
  SnapshotRows all = BuildSnapshot(*h, {kSnapshot.days, 90, true, SIZE_MAX, 1});
  EXPECT_EQ(all.rows(), 3u);
  EXPECT_EQ(all.values.size(), 3 * LayoutOf(*h).size());
  SnapshotRows two = BuildSnapshot(*h, {kSnapshot.days, 90, true, 2, 1});
  EXPECT_EQ(two.rows(), 2u);
  // Before C3's first order (2025-07-01) only C1 and C2 count.
  SnapshotRows june = BuildSnapshot(*h, {ParseIsoDate("2025-06-30")->days, 90, false, SIZE_MAX, 1});
  EXPECT_EQ(june.customer, (std::vector<uint32_t>{0, 1}));
  EXPECT_TRUE(june.labels.empty());
  EXPECT_EQ(MonthEnd(*ParseIsoDate("2024-02-10")), *ParseIsoDate("2024-02-29"));
  EXPECT_EQ(MonthEndBefore(*ParseIsoDate("1997-09-30"), 1), *ParseIsoDate("1997-08-31"));
  EXPECT_EQ(MonthEndBefore(*ParseIsoDate("1997-09-15"), 9), *ParseIsoDate("1996-12-31"));
}

}  // namespace
}  // namespace tenure::engine::risk
