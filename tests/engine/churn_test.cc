// The churn registry: recording losses and win-backs with their refusals, and
// the loss analysis on a small company whose every number was worked out by
// hand (see the comments next to the data).
#include "engine/churn.h"

#include <gtest/gtest.h>

#include "engine/import_fixture.h"

namespace tenure::engine {
namespace {

Date D(const char* iso) { return *ParseIsoDate(iso); }

class ChurnTest : public ImportFixture {
 protected:
  // Ten customers acquired 2025-12-01, except C9 (2026-02-10) and C10
  // (2026-01-01, so not active at the start of January).
  void ImportCompany() {
    ImportClean("users", "username,role\nalice,sales\nbob,sales\n");
    ImportClean("customers",
                "customer_id,name,owner,level,province,city,acquired_on\n"
                "C1,A1,alice,A,North,Lyon,2025-12-01\n"
                "C2,A2,bob,A,,,2025-12-01\n"
                "C3,A3,alice,B,South,Nice,2025-12-01\n"
                "C4,A4,bob,B,South,Nice,2025-12-01\n"
                "C5,A5,bob,B,South,Nice,2025-12-01\n"
                "C6,A6,bob,C,North,Lyon,2025-12-01\n"
                "C7,A7,bob,C,North,Lyon,2025-12-01\n"
                "C8,A8,alice,A,North,Lille,2025-12-01\n"
                "C9,A9,bob,B,North,Lille,2026-02-10\n"
                "C10,A10,bob,C,North,Lyon,2026-01-01\n");
    // C2 was alice's when it was lost (2026-01-20); C4 was bob's (2026-03-01).
    ImportClean("ownership_changes",
                "customer_id,from_user_id,to_user_id,changed_at,reason\n"
                "C2,alice,bob,2026-02-01T09:00:00Z,reassign\n"
                "C4,alice,bob,2026-02-15T10:00:00Z,reassign\n");
    // Lost revenue = sales in (loss - 12 months, loss]:
    //  C1 (lost 01-10): 200 + 50 = 250 (O1 is exactly 12 months back, O4 after, O5 cancelled)
    //  C2 (01-20): 400 (open orders count); C10 (01-15): 20
    //  C3 (02-05): 100; C3 again (03-15): 100 + 30 = 130; C4: 0
    ImportClean("orders",
                "order_id,customer_id,date,amount,status\n"
                "O1,C1,2025-01-10,100,completed\n"
                "O2,C1,2025-06-01,200,completed\n"
                "O3,C1,2026-01-10,50,completed\n"
                "O4,C1,2026-01-11,999,completed\n"
                "O5,C1,2025-12-01,300,cancelled\n"
                "O6,C2,2025-12-15,400,open\n"
                "O7,C3,2026-01-05,100,completed\n"
                "O8,C3,2026-03-01,30,completed\n"
                "O9,C10,2026-01-02,20,completed\n"
                "O10,C5,2026-01-01,500,completed\n");
  }

  void Lose(const char* customer, const char* type, const char* reasons, const char* on) {
    LossInput input;
    input.customer = customer;
    input.type = type;
    input.reasons = reasons;
    input.on = D(on);
    auto r = RecordLoss(*db_, input);
    ASSERT_TRUE(r.ok()) << customer << ": " << r.status().ToString();
  }

  void WinBack(const char* customer, const char* on) {
    auto r = RecordWinBack(*db_, {customer, D(on), "", ""});
    ASSERT_TRUE(r.ok()) << customer << ": " << r.status().ToString();
  }

  void RecordHistory() {
    Lose("C1", "negligence", "no_contact,price", "2026-01-10");
    Lose("C10", "malicious", "credit_default", "2026-01-15");
    Lose("C2", "competition", "price, competitor_offer", "2026-01-20");
    Lose("C3", "negligence", "no_contact,service_attitude", "2026-02-05");
    WinBack("C3", "2026-02-25");
    Lose("C4", "natural", "relocation_closure", "2026-03-01");
    Lose("C3", "negligence", "no_contact", "2026-03-15");
  }

  ChurnReport Report(const char* from, const char* to, ChurnPeriod period = ChurnPeriod::kMonth,
                     const char* segment = "level") {
    ChurnReportOptions options;
    options.period = period;
    options.from = D(from);
    options.to = D(to);
    options.segment = segment;
    auto r = BuildChurnReport(*db_, options);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : ChurnReport{};
  }
};

TEST_F(ChurnTest, LostAndWonBackWriteEventReasonsStatusAndAudit) {
  ImportCompany();
  LossInput input;
  input.customer = "C2";
  input.type = "Competition";
  input.reasons = "price,competitor_offer,price";
  input.competitor = "Rival Inc";
  input.on = D("2026-01-20");
  input.notes = "went for the cheaper offer";
  input.recorded_by = "alice";
  auto lost = RecordLoss(*db_, input);
  ASSERT_TRUE(lost.ok()) << lost.status().ToString();
  EXPECT_EQ(lost->customer, "C2");
  EXPECT_EQ(Count("SELECT status FROM customers WHERE external_id = 'C2'"), 3);
  EXPECT_EQ(Text("SELECT kind || '|' || occurred_on || '|' || churn_type || '|' || competitor ||"
                 " '|' || (SELECT username FROM users WHERE id = recorded_by) || '|' || notes"
                 " FROM churn_events"),
            "0|2026-01-20|2|Rival Inc|alice|went for the cheaper offer");
  EXPECT_EQ(Text("SELECT group_concat(r.code, ',') FROM (SELECT code FROM churn_event_reasons l"
                 " JOIN churn_reasons r ON r.id = l.reason_id ORDER BY r.id) r"),
            "price,competitor_offer");
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'churn_lost' AND entity_id = " +
                  std::to_string(lost->event_id)),
            1);

  auto back = RecordWinBack(*db_, {"C2", D("2026-04-01"), "new contract", ""});
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(Count("SELECT status FROM customers WHERE external_id = 'C2'"), 2);
  EXPECT_EQ(Text("SELECT kind || '|' || occurred_on || '|' || coalesce(churn_type, '-') FROM"
                 " churn_events WHERE id = " +
                 std::to_string(back->event_id)),
            "1|2026-04-01|-");
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'churn_won_back'"), 1);
  // A numeric key finds the customer by internal id.
  auto again = RecordLoss(
      *db_, {std::to_string(lost->customer_id), "natural", "other", "", D("2026-05-01"), "", ""});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(Count("SELECT count(*) FROM churn_events"), 3);
}

TEST_F(ChurnTest, RefusalsNameTheProblemAndWriteNothing) {
  ImportCompany();
  Lose("C1", "negligence", "no_contact", "2026-01-10");
  int64_t events = Count("SELECT count(*) FROM churn_events");
  int64_t audits = Count("SELECT count(*) FROM audit_log");

  auto already = RecordLoss(*db_, {"C1", "natural", "other", "", D("2026-02-01"), "", ""});
  EXPECT_EQ(already.status().field(), "customer");
  EXPECT_NE(already.status().message().find("C1 is already lost since 2026-01-10"),
            std::string::npos)
      << already.status().ToString();

  auto not_lost = RecordWinBack(*db_, {"C5", D("2026-02-01"), "", ""});
  EXPECT_EQ(not_lost.status().field(), "customer");
  EXPECT_NE(not_lost.status().message().find("C5 is not lost (status active)"), std::string::npos)
      << not_lost.status().ToString();

  auto reason = RecordLoss(*db_, {"C5", "natural", "price,weather", "", D("2026-02-01"), "", ""});
  EXPECT_EQ(reason.status().field(), "--reason");
  EXPECT_NE(reason.status().message().find(
                "unknown reason 'weather' (one of: price, product_quality, missing_features, "
                "service_attitude, slow_response, no_contact, competitor_offer, "
                "salesperson_left, ethics, credit_default, relocation_closure, other)"),
            std::string::npos)
      << reason.status().ToString();

  auto none = RecordLoss(*db_, {"C5", "natural", " , ", "", D("2026-02-01"), "", ""});
  EXPECT_EQ(none.status().field(), "--reason");

  auto type = RecordLoss(*db_, {"C5", "boredom", "other", "", D("2026-02-01"), "", ""});
  EXPECT_EQ(type.status().field(), "--type");
  EXPECT_NE(type.status().message().find(
                "unknown churn type 'boredom' (one of: natural, malicious, competition, "
                "negligence)"),
            std::string::npos);

  auto customer = RecordLoss(*db_, {"C99", "natural", "other", "", D("2026-02-01"), "", ""});
  EXPECT_EQ(customer.status().code(), Status::Code::kNotFound);
  EXPECT_NE(customer.status().message().find("unknown customer 'C99'"), std::string::npos);

  auto user = RecordLoss(*db_, {"C5", "natural", "other", "", D("2026-02-01"), "", "zoe"});
  EXPECT_EQ(user.status().field(), "--by");

  auto early = RecordWinBack(*db_, {"C1", D("2026-01-09"), "", ""});
  EXPECT_EQ(early.status().field(), "--on");

  EXPECT_EQ(Count("SELECT count(*) FROM churn_events"), events);
  EXPECT_EQ(Count("SELECT count(*) FROM churn_event_reasons"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log"), audits);
  EXPECT_EQ(Count("SELECT count(*) FROM customers WHERE status = 3"), 1);
}

TEST_F(ChurnTest, MonthlyRateActiveAtStartAndLostRevenue) {
  ImportCompany();
  RecordHistory();
  ChurnReport r = Report("2026-01-01", "2026-03-31");
  ASSERT_EQ(r.periods.size(), 3u);
  // January: C1..C8 active (C10 acquired on the 1st is not "before"); lost C1, C10, C2.
  EXPECT_EQ(r.periods[0].start, D("2026-01-01"));
  EXPECT_EQ(r.periods[0].end, D("2026-01-31"));
  EXPECT_EQ(r.periods[0].active_at_start, 8);
  EXPECT_EQ(r.periods[0].lost, 3);
  EXPECT_DOUBLE_EQ(*r.periods[0].churn_rate, 3.0 / 8.0);
  EXPECT_EQ(r.periods[0].lost_revenue, 25000 + 2000 + 40000);
  // February: C1..C8 and C10 acquired, C1, C2, C10 lost -> 6; lost C3.
  EXPECT_EQ(r.periods[1].active_at_start, 6);
  EXPECT_EQ(r.periods[1].lost, 1);
  EXPECT_DOUBLE_EQ(*r.periods[1].churn_rate, 1.0 / 6.0);
  EXPECT_EQ(r.periods[1].lost_revenue, 10000);
  // March: all 10 acquired, 3 still lost (C3 was won back) -> 7; lost C4, C3.
  EXPECT_EQ(r.periods[2].active_at_start, 7);
  EXPECT_EQ(r.periods[2].lost, 2);
  EXPECT_DOUBLE_EQ(*r.periods[2].churn_rate, 2.0 / 7.0);
  EXPECT_EQ(r.periods[2].lost_revenue, 13000);
  EXPECT_EQ(r.losses, 6);
  EXPECT_EQ(r.lost_revenue, 90000);
}

TEST_F(ChurnTest, QuarterCountsACustomerLostTwiceOnceAndPeriodsAreClipped) {
  ImportCompany();
  RecordHistory();
  ChurnReport q = Report("2026-01-01", "2026-03-31", ChurnPeriod::kQuarter);
  ASSERT_EQ(q.periods.size(), 1u);
  EXPECT_EQ(q.periods[0].active_at_start, 8);
  EXPECT_EQ(q.periods[0].lost, 5);  // C1, C2, C3, C4, C10
  EXPECT_DOUBLE_EQ(*q.periods[0].churn_rate, 5.0 / 8.0);

  ChurnReport clipped = Report("2026-01-15", "2026-02-10");
  ASSERT_EQ(clipped.periods.size(), 2u);
  EXPECT_EQ(clipped.periods[0].start, D("2026-01-15"));
  EXPECT_EQ(clipped.periods[0].end, D("2026-01-31"));
  EXPECT_EQ(clipped.periods[0].active_at_start, 8);  // 9 acquired, C1 lost on the 10th
  EXPECT_EQ(clipped.periods[0].lost, 2);             // C10 on the 15th, C2
  EXPECT_EQ(clipped.periods[1].start, D("2026-02-01"));
  EXPECT_EQ(clipped.periods[1].end, D("2026-02-10"));

  ChurnReport empty = Report("2025-01-01", "2025-01-31");
  EXPECT_FALSE(empty.periods[0].churn_rate.has_value());  // nobody was a customer yet

  EXPECT_EQ(DefaultChurnFrom(ChurnPeriod::kMonth, D("2026-06-30")), D("2025-07-01"));
  EXPECT_EQ(DefaultChurnFrom(ChurnPeriod::kQuarter, D("2026-06-30")), D("2024-07-01"));
  EXPECT_EQ(DefaultChurnFrom(ChurnPeriod::kYear, D("2026-06-30")), D("2022-01-01"));
}

TEST_F(ChurnTest, LossesByTypeAndReasonPareto) {
  ImportCompany();
  RecordHistory();
  ChurnReport r = Report("2026-01-01", "2026-03-31");
  ASSERT_EQ(r.by_type.size(), 4u);
  const int64_t want_losses[] = {1, 1, 1, 3};  // natural, malicious, competition, negligence
  const Money want_revenue[] = {0, 2000, 40000, 48000};
  for (size_t t = 0; t < 4; ++t) {
    EXPECT_EQ(r.by_type[t].losses, want_losses[t]) << r.by_type[t].key;
    EXPECT_EQ(r.by_type[t].lost_revenue, want_revenue[t]) << r.by_type[t].key;
    EXPECT_DOUBLE_EQ(r.by_type[t].share, want_losses[t] / 6.0);
  }
  EXPECT_EQ(r.by_type[3].key, "negligence");

  // 9 mentions: no_contact 3, price 2, then the ones in reason id order.
  EXPECT_EQ(r.reason_mentions, 9);
  const char* codes[] = {"no_contact",       "price",          "service_attitude",
                         "competitor_offer", "credit_default", "relocation_closure"};
  const int64_t counts[] = {3, 2, 1, 1, 1, 1};
  const int64_t cumulative[] = {3, 5, 6, 7, 8, 9};
  ASSERT_EQ(r.by_reason.size(), 6u);
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(r.by_reason[i].key, codes[i]);
    EXPECT_EQ(r.by_reason[i].losses, counts[i]);
    EXPECT_DOUBLE_EQ(r.by_reason[i].share, counts[i] / 9.0);
    EXPECT_NEAR(r.by_reason[i].cumulative_share, cumulative[i] / 9.0, 1e-12);
  }
  EXPECT_EQ(r.by_reason[0].label, "No contact");
  EXPECT_EQ(r.by_reason[0].lost_revenue, 25000 + 10000 + 13000);
  EXPECT_EQ(r.by_reason[1].lost_revenue, 25000 + 40000);
}

TEST_F(ChurnTest, LossesByOwnerAtTheTimeAndBySegment) {
  ImportCompany();
  RecordHistory();
  ChurnReport r = Report("2026-01-01", "2026-03-31");
  // C2 is bob's now but was alice's when lost; C4 became bob's before its loss.
  ASSERT_EQ(r.by_owner.size(), 2u);
  EXPECT_EQ(r.by_owner[0].key, "alice");
  EXPECT_EQ(r.by_owner[0].losses, 4);  // C1, C2, C3 twice
  EXPECT_EQ(r.by_owner[0].lost_revenue, 25000 + 40000 + 10000 + 13000);
  EXPECT_DOUBLE_EQ(r.by_owner[0].share, 4.0 / 6.0);
  EXPECT_EQ(r.by_owner[1].key, "bob");
  EXPECT_EQ(r.by_owner[1].losses, 2);  // C4, C10
  EXPECT_DOUBLE_EQ(r.by_owner[1].cumulative_share, 1.0);

  ASSERT_EQ(r.by_segment.size(), 3u);  // level
  EXPECT_EQ(r.by_segment[0].key, "B");
  EXPECT_EQ(r.by_segment[0].losses, 3);
  EXPECT_EQ(r.by_segment[0].lost_revenue, 23000);
  EXPECT_EQ(r.by_segment[1].key, "A");
  EXPECT_EQ(r.by_segment[1].losses, 2);
  EXPECT_EQ(r.by_segment[2].key, "C");

  ChurnReport p = Report("2026-01-01", "2026-03-31", ChurnPeriod::kMonth, "province");
  ASSERT_EQ(p.by_segment.size(), 3u);
  EXPECT_EQ(p.by_segment[0].key, "South");  // C3 twice, C4
  EXPECT_EQ(p.by_segment[0].losses, 3);
  EXPECT_EQ(p.by_segment[1].key, "North");  // C1, C10
  EXPECT_EQ(p.by_segment[2].key, "");       // C2 has no province
  EXPECT_EQ(p.by_segment[2].label, "(none)");

  ChurnReportOptions bad;
  bad.from = D("2026-01-01");
  bad.to = D("2026-03-31");
  bad.segment = "colour";
  EXPECT_EQ(BuildChurnReport(*db_, bad).status().field(), "--segment");
  bad.segment = "level";
  bad.from = D("2026-04-01");
  EXPECT_EQ(BuildChurnReport(*db_, bad).status().field(), "--from");
}

}  // namespace
}  // namespace tenure::engine
