// The workbench on a hand-built company whose answers are worked out below:
// every list's count, order and boundaries, and what each role may see.
//
// As of Tuesday 2026-06-30 (ISO week 2026-06-29 .. 2026-07-05), default
// thresholds. Customers, owners and teams:
//   C1 Acme  alice North     C5 Echo  carol South
//   C2 Bolt  alice North     C6 Fern  alice North (lost)
//   C3 Cask  bob   North     C7 Gale  bob   North
//   C4 Dune  carol South     C8 Hive  carol South
// sam (service) has the complaints of C1 and C3.
// Purchase-model scores (P(alive), CLV), as a scoring run would leave them:
//   C1 0.30  500.00   C4 0.45    500.00   C7 0.50 300.00
//   C2 0.70  900.00   C5 0.49999 800.00   C8 not scored
//   C3 0.10  200.00   C6 0.05    990.00 (lost)
#include "engine/workbench.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/import_fixture.h"
#include "engine/metrics.h"
#include "engine/records.h"

namespace tenure::engine {
namespace {

class WorkbenchTest : public ImportFixture {
 protected:
  void SetUp() override {
    ImportFixture::SetUp();
    ImportClean("teams", "name\nNorth\nSouth\n");
    ImportClean("users",
                "username,role,team\nroot,admin,\nmgr_n,manager,North\nmgr_s,manager,South\n"
                "alice,sales,North\nbob,sales,North\ncarol,sales,South\nsam,service,North\n"
                "lonely,manager,\n");
    ImportClean("customers",
                "customer_id,name,owner,team,status,credit_limit\n"
                "C1,Acme,alice,North,active,500.00\nC2,Bolt,alice,North,active,10.00\n"
                "C3,Cask,bob,North,active,0\nC4,Dune,carol,South,active,\n"
                "C5,Echo,carol,South,active,\nC6,Fern,alice,North,lost,\n"
                "C7,Gale,bob,North,active,\nC8,Hive,carol,South,active,\n");
    ImportClean("activities",
                "activity_id,customer_id,kind,occurred_at,follow_up_on,follow_up_done\n"
                "A1,C1,call,2026-06-20,2026-06-30,false\n"   // today
                "A2,C4,call,2026-06-20,2026-06-30,false\n"   // today
                "A3,C2,call,2026-06-20,2026-06-30,true\n"    // done
                "A4,C3,call,2026-06-20,2026-07-01,false\n"   // tomorrow
                "A5,C1,visit,2026-06-21,2026-07-05,false\n"  // Sunday: this week
                "A6,C2,call,2026-06-20,2026-07-06,false\n"   // next week
                "A7,C2,call,2026-06-10,2026-06-20,false\n"   // past due
                "A8,C5,call,2026-06-10,2026-06-29,false\n"   // past due
                "A9,C3,call,2026-05-10,2026-06-01,true\n");  // done
    ImportClean("churn_events",
                "customer_id,kind,occurred_on,churn_type,reasons\n"
                "C6,lost,2025-03-10,competition,price\nC5,lost,2026-02-01,negligence,no_contact\n"
                "C7,lost,2024-11-11,natural,other\nC5,won_back,2026-03-01,,\n"
                "C8,lost,2026-07-15,natural,other\n");  // after the as-of date
    ImportClean("opportunities",
                "opportunity_id,customer_id,name,stage,amount,closed_on\n"
                "O1,C2,Big deal,lost,500.00,2026-06-10\nO2,C4,Old deal,lost,1.00,2026-05-31\n"
                "O3,C1,Won deal,won,9.00,2026-06-20\nO4,C3,Small deal,lost,100.00,2026-06-30\n");
    ImportClean("contracts",
                "contract_id,customer_id,signed_on,start_date,end_date,status,cancelled_on,"
                "renewal_of,value\n"
                "K1,C1,2026-05-20,2026-06-10,2027-06-09,active,,,1000.00\n"
                "K2,C2,2024-12-15,2025-01-01,2026-03-31,completed,,,200.00\n"
                "K3,C4,2023-12-20,2024-01-01,,cancelled,2026-05-15,,300.00\n"
                "K4,C3,2026-03-31,2026-07-01,2026-12-31,active,,,400.00\n"
                "K5,C5,2022-12-01,2023-01-01,2025-12-31,completed,,,500.00\n"
                "K7,C4,2025-11-11,2025-12-01,2025-12-31,completed,,,700.00\n"
                // Cancelled before it started: never current.
                "K8,C5,2026-06-01,2026-07-01,,cancelled,2026-06-15,,800.00\n");
    ImportClean("contracts",  // renews K2, so imported after it
                "contract_id,customer_id,signed_on,start_date,end_date,status,renewal_of,value\n"
                "K6,C2,2026-03-20,2026-04-01,2027-03-31,active,K2,600.00\n");
    // Deadlines: low 168 h, medium 72 h, high 24 h, critical 8 h; the as-of
    // day ends at 2026-07-01T00:00:00Z.
    ImportClean("complaints",
                "complaint_id,customer_id,severity,status,assignee,opened_at\n"
                "P1,C1,high,open,sam,2026-06-29T23:00:00Z\n"          // due 06-30 23:00
                "P2,C2,high,open,,2026-06-30T01:00:00Z\n"             // due 07-01 01:00
                "P3,C4,critical,in_progress,,2026-06-30T14:00:00Z\n"  // due 06-30 22:00
                "P4,C3,low,resolved,sam,2026-01-01T00:00:00Z\n"       // resolved
                "P5,C5,low,open,,2026-06-23T23:59:59Z\n"              // due 06-30 23:59:59
                "P6,C3,medium,open,,2026-06-28T00:00:01Z\n");         // due 07-01 00:00:01
    // The stored metrics and timestamps, set directly so that every list's
    // answer depends on this file alone.
    Exec(
        "UPDATE customers SET created_at = unixepoch('2020-01-01'), updated_at = "
        "unixepoch('2020-01-01')");
    SetCustomer("C1",
                "last_order_date = '2026-06-15', avg_purchase_cycle_days = 10, next_purchase_date "
                "= '2026-07-15', oldest_open_due_on = '2026-06-29', receivables = 100000, "
                "created_at = unixepoch('2026-06-01'), updated_at = unixepoch('2026-06-25')");
    SetCustomer("C2",
                "last_order_date = '2026-05-31', avg_purchase_cycle_days = 5, next_purchase_date = "
                "'2026-06-05', oldest_open_due_on = '2026-06-30', receivables = 1000, created_at = "
                "unixepoch('2026-05-31 23:59:59'), updated_at = unixepoch('2026-06-01')");
    SetCustomer("C3",
                "last_order_date = '2026-07-02', avg_purchase_cycle_days = 10, next_purchase_date "
                "= '2026-06-16', receivables = 1, created_at = unixepoch('2026-06-30 12:00'), "
                "updated_at = unixepoch('2026-06-30 12:00')");
    SetCustomer("C4",
                "last_order_date = '2026-06-01', avg_purchase_cycle_days = 30, next_purchase_date "
                "= '2026-01-01', oldest_open_due_on = '2026-01-15', receivables = 5000, created_at "
                "= unixepoch('2026-07-01'), updated_at = unixepoch('2026-07-01')");
    SetCustomer("C5", "last_order_date = '2025-06-29', updated_at = unixepoch('2026-06-30 08:00')");
    SetCustomer("C6", "last_order_date = '2020-01-01', next_purchase_date = '2026-01-01'");
    SetCustomer("C7", "last_order_date = '2025-07-01'");
    // customer_scores has no foreign keys; one run row for completeness.
    Exec(
        "INSERT INTO score_runs (id, scored_at, model, as_of) VALUES (1, unixepoch('2026-06-30'), "
        "'bgnbd', '2026-06-30')");
    SetScore("C1", 0.30, 50000);
    SetScore("C2", 0.70, 90000);
    SetScore("C3", 0.10, 20000);
    SetScore("C4", 0.45, 50000);  // the CLV of C1: C1 first, by id
    SetScore("C5", 0.49999, 80000);
    SetScore("C6", 0.05, 99000);
    SetScore("C7", 0.50, 30000);  // not below 0.5
    options_.as_of = *ParseIsoDate("2026-06-30");
  }

  void Exec(const std::string& sql) {
    Status s = db_->Exec(sql);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  void SetCustomer(const std::string& id, const std::string& set) {
    Exec("UPDATE customers SET " + set + " WHERE external_id = '" + id + "'");
  }
  // The probability of no purchase in 90 days is set to 1 - P(alive) here,
  // so that the slipping-away order reads off the P(alive) column below.
  void SetScore(const std::string& id, double p_alive, int64_t clv) {
    Exec("INSERT INTO customer_scores SELECT id, 1, " + std::to_string(p_alive) +
         ", 0.1, 0.3, 1.2, " + std::to_string(clv) + ", '2026-08-01', " +
         std::to_string(1 - p_alive) + " FROM customers WHERE external_id = '" + id + "'");
  }
  void SetRisk(const std::string& id, double probability, int64_t value_at_risk) {
    Exec("INSERT INTO customer_risk SELECT id, 1, " + std::to_string(probability) + ", " +
         std::to_string(value_at_risk) + ", " +
         std::to_string(static_cast<int>(std::lround(100 * (1 - probability)))) +
         ", NULL, '' FROM customers WHERE external_id = '" + id + "'");
  }

  Workbench Build(const Scope& scope) {
    auto bench = BuildWorkbench(*db_, scope, options_);
    EXPECT_TRUE(bench.ok()) << bench.status().ToString();
    return bench.ok() ? *bench : Workbench{};
  }
  Workbench BuildFor(const std::string& username) {
    auto scope = ScopeOfUser(*db_, username);
    EXPECT_TRUE(scope.ok()) << scope.status().ToString();
    return scope.ok() ? Build(*scope) : Workbench{};
  }

  // "count: C1 C2" for each list: the count and the customers of the page.
  static std::map<std::string, std::string> Summary(const Workbench& bench) {
    std::map<std::string, std::string> out;
    for (const WorkbenchList& list : bench.lists) {
      std::string text = std::to_string(list.count) + ":";
      for (const store::WorkbenchRow& row : list.rows) text += " " + row.external_id;
      out[list.name] = text;
    }
    return out;
  }

  static const WorkbenchList& Find(const Workbench& bench, const std::string& name) {
    for (const WorkbenchList& list : bench.lists) {
      if (list.name == name) return list;
    }
    static const WorkbenchList none;
    ADD_FAILURE() << "no list " << name;
    return none;
  }

  WorkbenchOptions options_;
};

TEST_F(WorkbenchTest, EveryListForEveryCustomer) {
  Workbench bench = Build(EveryCustomer());
  ASSERT_EQ(bench.lists.size(), WorkbenchListNames().size());
  std::map<std::string, std::string> want = {
      {"contact_today", "2: C1 C4"},
      {"contact_tomorrow", "1: C3"},
      {"contact_this_week", "4: C1 C4 C3 C1"},
      {"follow_ups_past_due", "2: C2 C5"},
      {"ordered_recently", "2: C1 C4"},
      {"overdue_to_buy", "2: C4 C2"},
      {"lost", "3: C5 C6 C7"},
      {"dormant", "2: C2 C5"},
      {"slipping_away", "5: C3 C1 C4 C5 C7"},
      {"at_risk", "0:"},  // no risk model has scored
      {"playbook_tasks", "0:"},
      {"new_customers", "2: C3 C1"},
      {"updated_customers", "2: C5 C1"},
      {"lost_opportunity", "2: C3 C2"},
      {"contract_current_month", "2: C2 C1"},
      {"contract_current_quarter", "3: C4 C2 C1"},
      {"contract_current_year", "5: C2 C4 C3 C2 C1"},
      {"new_contract_last_month", "1: C1"},
      {"new_contract_last_quarter", "1: C3"},
      {"new_contract_last_year", "1: C4"},
      {"complaints_overdue", "3: C4 C1 C5"},
      {"receivables_overdue", "2: C4 C1"},
      {"over_credit_limit", "2: C1 C3"},
  };
  EXPECT_EQ(Summary(bench), want);
}

TEST_F(WorkbenchTest, RowsCarryTheDateAndAmountThatPutThemThere) {
  Workbench bench = Build(EveryCustomer());
  const WorkbenchList& lost = Find(bench, "lost");
  ASSERT_EQ(lost.by_year.size(), 3u);
  EXPECT_EQ(lost.by_year[0].year, 2026);
  EXPECT_EQ(lost.by_year[0].count, 1);
  EXPECT_EQ(lost.by_year[2].year, 2024);
  EXPECT_EQ(lost.rows[0].date, "2026-02-01");

  const WorkbenchList& complaints = Find(bench, "complaints_overdue");
  EXPECT_EQ(complaints.rows[0].date, "2026-06-30T22:00:00Z");
  EXPECT_EQ(complaints.rows[2].date, "2026-06-30T23:59:59Z");

  const WorkbenchList& opportunity = Find(bench, "lost_opportunity");
  EXPECT_EQ(opportunity.rows[1].date, "2026-06-10");
  EXPECT_EQ(opportunity.rows[1].amount, 50000);
  EXPECT_EQ(opportunity.rows[1].name, "Bolt");
  EXPECT_EQ(opportunity.rows[1].owner, "alice");

  const WorkbenchList& quarter = Find(bench, "contract_current_quarter");
  EXPECT_EQ(quarter.from, "2026-04-01");
  EXPECT_EQ(quarter.to, "2026-06-30");
  EXPECT_EQ(quarter.rows[0].date, "2026-05-15");  // open-ended, cancelled then
  EXPECT_EQ(quarter.rows[0].amount, 30000);
  EXPECT_EQ(Find(bench, "new_contract_last_year").from, "2025-01-01");
  EXPECT_EQ(Find(bench, "contact_this_week").to, "2026-07-05");
  EXPECT_EQ(Find(bench, "dormant").rows[0].date, "2026-05-31");
  const WorkbenchList& slipping = Find(bench, "slipping_away");
  EXPECT_EQ(slipping.from, "");
  EXPECT_EQ(slipping.to, "");
  EXPECT_EQ(slipping.rows[0].date, "2026-07-02");  // C3's last order
  EXPECT_EQ(slipping.rows[0].amount, 20000);       // its CLV
  EXPECT_EQ(slipping.rows[1].owner, "alice");
  EXPECT_EQ(Find(bench, "new_customers").rows[0].date, "2026-06-30");
  EXPECT_EQ(Find(bench, "receivables_overdue").rows[1].amount, 100000);
  EXPECT_EQ(Find(bench, "overdue_to_buy").to, "2026-06-15");
}

TEST_F(WorkbenchTest, SalespersonSeesOnlyOwnCustomers) {
  std::map<std::string, std::string> alice = Summary(BuildFor("alice"));
  EXPECT_EQ(alice["contact_today"], "1: C1");
  EXPECT_EQ(alice["contact_this_week"], "2: C1 C1");
  EXPECT_EQ(alice["follow_ups_past_due"], "1: C2");
  EXPECT_EQ(alice["overdue_to_buy"], "1: C2");
  EXPECT_EQ(alice["lost"], "1: C6");
  EXPECT_EQ(alice["dormant"], "1: C2");
  EXPECT_EQ(alice["contract_current_year"], "3: C2 C2 C1");
  EXPECT_EQ(alice["complaints_overdue"], "1: C1");
  EXPECT_EQ(alice["over_credit_limit"], "1: C1");
  EXPECT_EQ(alice["slipping_away"], "1: C1");  // C2 above the threshold, C6 lost

  std::map<std::string, std::string> carol = Summary(BuildFor("carol"));
  EXPECT_EQ(carol["contact_today"], "1: C4");
  EXPECT_EQ(carol["new_customers"], "0:");
  EXPECT_EQ(carol["updated_customers"], "1: C5");
  EXPECT_EQ(carol["contract_current_year"], "1: C4");
  EXPECT_EQ(carol["complaints_overdue"], "2: C4 C5");
  EXPECT_EQ(carol["slipping_away"], "2: C4 C5");  // C8 not scored
}

TEST_F(WorkbenchTest, ManagerSeesTheTeamAndServiceTheirComplaintsCustomers) {
  auto manager = ScopeOfUser(*db_, "mgr_n");
  ASSERT_TRUE(manager.ok());
  EXPECT_EQ(manager->kind(), "team");
  EXPECT_EQ(manager->team, "North");
  std::map<std::string, std::string> north = Summary(Build(*manager));
  EXPECT_EQ(north["contact_this_week"], "3: C1 C3 C1");
  EXPECT_EQ(north["lost"], "2: C6 C7");
  EXPECT_EQ(north["new_customers"], "2: C3 C1");
  EXPECT_EQ(north["contract_current_year"], "4: C2 C3 C2 C1");
  EXPECT_EQ(north["over_credit_limit"], "2: C1 C3");
  EXPECT_EQ(north["receivables_overdue"], "1: C1");
  EXPECT_EQ(north["slipping_away"], "3: C3 C1 C7");

  auto team = ScopeOfTeam(*db_, "South");
  ASSERT_TRUE(team.ok());
  std::map<std::string, std::string> south = Summary(Build(*team));
  EXPECT_EQ(south["lost"], "1: C5");
  EXPECT_EQ(south["dormant"], "1: C5");
  EXPECT_EQ(south["follow_ups_past_due"], "1: C5");
  EXPECT_EQ(south["slipping_away"], "2: C4 C5");

  std::map<std::string, std::string> sam = Summary(BuildFor("sam"));
  EXPECT_EQ(sam["contact_today"], "1: C1");
  EXPECT_EQ(sam["contact_tomorrow"], "1: C3");
  EXPECT_EQ(sam["complaints_overdue"], "1: C1");
  EXPECT_EQ(sam["over_credit_limit"], "2: C1 C3");
  EXPECT_EQ(sam["slipping_away"], "2: C3 C1");

  EXPECT_EQ(Summary(BuildFor("root")), Summary(Build(EveryCustomer())));
}

TEST_F(WorkbenchTest, ThresholdsComeFromTheOptions) {
  options_.recent_order_days = 31;                       // from 2026-05-31: Bolt too
  options_.overdue_grace_days = 0;                       // next purchase before 06-30: Cask too
  options_.dormant_cycle_multiple = 2.0;                 // Bolt 06-10, Dune 07-31
  options_.dormant_default_days = 363;                   // Echo 06-27, Gale 06-29
  options_.complaint_deadline_hours = {168, 48, 24, 8};  // P6 due 06-30 00:00:01
  options_.page_size = 1;
  std::map<std::string, std::string> all = Summary(Build(EveryCustomer()));
  EXPECT_EQ(all["ordered_recently"], "3: C1");
  EXPECT_EQ(all["overdue_to_buy"], "3: C4");
  EXPECT_EQ(all["dormant"], "3: C2");
  EXPECT_EQ(all["complaints_overdue"], "4: C3");
}

// A scoped list counts in the same pass that reads its page: the count is
// the whole list's whatever the page size, and the page is its first rows.
TEST_F(WorkbenchTest, ScopedCountsDoNotDependOnThePageSize) {
  bool cut = false;  // some list longer than a page of one
  for (const char* user : {"alice", "bob", "mgr_n", "sam"}) {
    options_.page_size = 500;
    Workbench whole = BuildFor(user);
    options_.page_size = 1;
    Workbench first = BuildFor(user);
    options_.page_size = 0;
    Workbench counts = BuildFor(user);
    ASSERT_EQ(whole.lists.size(), first.lists.size());
    for (size_t i = 0; i < whole.lists.size(); ++i) {
      const WorkbenchList& list = whole.lists[i];
      SCOPED_TRACE(std::string(user) + " " + list.name);
      EXPECT_EQ(first.lists[i].count, list.count);
      EXPECT_EQ(counts.lists[i].count, list.count);
      EXPECT_TRUE(counts.lists[i].rows.empty());
      if (list.name == "lost") continue;  // counts by year; rows are the latest events
      EXPECT_EQ(static_cast<int64_t>(list.rows.size()), list.count);
      ASSERT_EQ(first.lists[i].rows.size(), list.count > 0 ? 1u : 0u);
      if (list.count > 0) {
        EXPECT_EQ(first.lists[i].rows[0].customer_id, list.rows[0].customer_id);
      }
      cut |= list.count > 1;
    }
  }
  EXPECT_TRUE(cut);
}

// A salesperson's or a team's follow-up lists read only the customers whose
// window of open follow-ups (stored with the metrics) meets the list's dates.
// Every write of a follow-up moves the window, a new owner takes the
// customer's follow-ups along, and a scoped list stays the administrator's
// list cut to the scope.
TEST_F(WorkbenchTest, FollowUpListsFollowEveryWriteOfAFollowUp) {
  auto root = ScopeOfUser(*db_, "root");
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  const domain::EntitySpec& activities = *domain::FindEntity("activities");
  auto write = [&](const domain::EntitySpec& spec, const std::string& external_id,
                   const FieldValues& fields) {
    int64_t id = Count("SELECT id FROM " + std::string(spec.name) + " WHERE external_id = '" +
                       external_id + "'");
    auto updated = UpdateRecord(*db_, *root, spec, id, fields, std::nullopt);
    EXPECT_TRUE(updated.ok()) << updated.status().ToString();
  };
  auto lists = [&](const std::string& user) {
    std::map<std::string, std::string> all = Summary(BuildFor(user));
    return all["contact_today"] + " | " + all["contact_tomorrow"] + " | " +
           all["contact_this_week"] + " | " + all["follow_ups_past_due"];
  };
  EXPECT_EQ(lists("alice"), "1: C1 | 0: | 2: C1 C1 | 1: C2");

  write(activities, "A1", {{"follow_up_done", std::string("true")}});
  EXPECT_EQ(lists("alice"), "0: | 0: | 1: C1 | 1: C2");
  FieldValues call = {{"customer_id", std::string("C2")},
                      {"kind", std::string("call")},
                      {"occurred_at", std::string("2026-06-29T10:00:00Z")},
                      {"follow_up_on", std::string("2026-06-30")}};
  auto created = CreateRecord(*db_, *root, activities, call);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(lists("alice"), "1: C2 | 0: | 2: C2 C1 | 1: C2");
  write(activities, "A5", {{"follow_up_on", std::string("2026-06-30")}});
  write(activities, "A7", {{"follow_up_on", std::string("2026-07-01")}});
  EXPECT_EQ(lists("alice"), "2: C1 C2 | 1: C2 | 3: C1 C2 C2 | 0:");
  // C2 goes to bob, with its follow-ups.
  write(*domain::FindEntity("customers"), "C2", {{"owner_id", std::string("bob")}});
  EXPECT_EQ(lists("alice"), "1: C1 | 0: | 1: C1 | 0:");
  EXPECT_EQ(lists("bob"), "1: C2 | 2: C2 C3 | 3: C2 C2 C3 | 0:");
  // The live refreshes left nothing for a rebuild to correct in the windows
  // (the other metrics of this file are set by hand, without their orders).
  const std::string windows =
      "SELECT group_concat(external_id || ' ' || coalesce(open_follow_up_first, '-') || ' ' ||"
      " coalesce(open_follow_up_last, '-'), ', ') FROM (SELECT * FROM customers ORDER BY id)";
  const std::string live = Text(windows);
  EXPECT_EQ(live,
            "C1 2026-06-30 2026-06-30, C2 2026-06-30 2026-07-06, C3 2026-07-01 2026-07-01,"
            " C4 2026-06-30 2026-06-30, C5 2026-06-29 2026-06-29, C6 - -, C7 - -, C8 - -");
  ASSERT_TRUE(RebuildMetrics(*db_).ok());
  EXPECT_EQ(Text(windows), live);

  // Each scope's follow-up lists are the administrator's rows of its owners.
  options_.page_size = 500;
  const Workbench everyone = BuildFor("root");
  const std::map<std::string, std::set<std::string>> owners = {{"alice", {"alice"}},
                                                               {"bob", {"bob"}},
                                                               {"carol", {"carol"}},
                                                               {"mgr_n", {"alice", "bob"}},
                                                               {"mgr_s", {"carol"}}};
  for (const auto& [user, theirs] : owners) {
    const Workbench scoped = BuildFor(user);
    for (const char* name :
         {"contact_today", "contact_tomorrow", "contact_this_week", "follow_ups_past_due"}) {
      SCOPED_TRACE(user + " " + name);
      std::vector<std::string> expected, got;
      for (const store::WorkbenchRow& row : Find(everyone, name).rows) {
        if (theirs.count(row.owner)) expected.push_back(row.external_id + " " + row.date);
      }
      for (const store::WorkbenchRow& row : Find(scoped, name).rows) {
        got.push_back(row.external_id + " " + row.date);
      }
      std::sort(expected.begin(), expected.end());
      std::sort(got.begin(), got.end());
      EXPECT_EQ(got, expected);
    }
  }
}

TEST_F(WorkbenchTest, SlippingAwayAndAtRiskByTheirScores) {
  options_.list = "slipping_away";
  // Before a risk model has scored: the purchase model's probability of no
  // purchase in 90 days (1 - P(alive) here), at least the threshold, the
  // most likely first.
  options_.at_risk_probability = 0.25;  // C2 (0.30) too; C6 stays out, lost
  EXPECT_EQ(Summary(Build(EveryCustomer()))["slipping_away"], "6: C3 C1 C4 C5 C7 C2");
  EXPECT_EQ(Summary(BuildFor("alice"))["slipping_away"], "2: C1 C2");
  EXPECT_EQ(Summary(BuildFor("mgr_n"))["slipping_away"], "4: C3 C1 C7 C2");
  options_.at_risk_probability = 0.8;  // C3 (0.90) alone
  EXPECT_EQ(Summary(Build(EveryCustomer()))["slipping_away"], "1: C3");
  EXPECT_EQ(Summary(BuildFor("bob"))["slipping_away"], "1: C3");
  EXPECT_EQ(Summary(BuildFor("carol"))["slipping_away"], "0:");
  // The count does not depend on the page; C6 becomes active, so slipping.
  options_.at_risk_probability = 0.5;
  options_.page_size = 2;
  SetCustomer("C6", "status = 2");
  EXPECT_EQ(Summary(Build(EveryCustomer()))["slipping_away"], "6: C6 C3");
  EXPECT_EQ(Summary(BuildFor("alice"))["slipping_away"], "2: C6 C1");
  SetCustomer("C6", "status = 3");
  options_.page_size = 20;

  // Once the risk model has scored, its probability ranks slipping away, and
  // at_risk lists the same customers by value at risk.
  SetRisk("C1", 0.20, 1000);  // below the threshold
  SetRisk("C2", 0.80, 5000);
  SetRisk("C4", 0.60, 9000);
  SetRisk("C7", 0.50, 7000);
  options_.list = "";
  // Scored while active, then marked lost: its risk goes at once
  // (migration 017), so no count or page of a risk list holds it.
  SetCustomer("C6", "status = 2");
  SetRisk("C6", 0.99, 9999);
  EXPECT_EQ(Summary(Build(EveryCustomer()))["at_risk"], "4: C6 C4 C7 C2");
  SetCustomer("C6", "status = 3");
  const Workbench bench = Build(EveryCustomer());
  std::map<std::string, std::string> all = Summary(bench);
  EXPECT_EQ(all["slipping_away"], "3: C2 C4 C7");
  EXPECT_EQ(all["at_risk"], "3: C4 C7 C2");
  const WorkbenchList& at_risk = Find(bench, "at_risk");
  EXPECT_EQ(at_risk.title, "At risk: most value at risk first");
  EXPECT_EQ(at_risk.rows[0].amount, 9000);        // C4's value at risk
  EXPECT_EQ(at_risk.rows[0].date, "2026-06-01");  // its last order
  EXPECT_EQ(Find(bench, "slipping_away").title, "Slipping away: most likely lost first");
  EXPECT_EQ(Find(bench, "slipping_away").rows[0].amount, 5000);  // C2's value at risk
  std::map<std::string, std::string> alice = Summary(BuildFor("alice"));
  EXPECT_EQ(alice["slipping_away"], "1: C2");
  EXPECT_EQ(alice["at_risk"], "1: C2");
  EXPECT_EQ(Summary(BuildFor("mgr_n"))["at_risk"], "2: C7 C2");
  EXPECT_EQ(Summary(BuildFor("carol"))["at_risk"], "1: C4");

  options_.at_risk_probability = 1.5;
  auto bad = BuildWorkbench(*db_, EveryCustomer(), options_);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().field(), "at_risk_probability");

  // Until the models have scored, nobody is slipping away or at risk.
  options_.at_risk_probability = 0.5;
  Exec("DELETE FROM customer_risk");
  Exec("DELETE FROM customer_scores");
  all = Summary(Build(EveryCustomer()));
  EXPECT_EQ(all["slipping_away"], "0:");
  EXPECT_EQ(all["at_risk"], "0:");
  EXPECT_EQ(Summary(BuildFor("alice"))["slipping_away"], "0:");
}

TEST_F(WorkbenchTest, OneListAndBadArguments) {
  options_.list = "dormant";
  Workbench one = Build(EveryCustomer());
  ASSERT_EQ(one.lists.size(), 1u);
  EXPECT_EQ(one.lists[0].name, "dormant");

  options_.list = "nope";
  auto bad = BuildWorkbench(*db_, EveryCustomer(), options_);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().field(), "--list");
  EXPECT_NE(bad.status().message().find("unknown list 'nope'"), std::string::npos);

  options_.list = "";
  options_.page_size = -1;
  EXPECT_EQ(BuildWorkbench(*db_, EveryCustomer(), options_).status().field(), "--page-size");

  auto nobody = ScopeOfUser(*db_, "ghost");
  EXPECT_EQ(nobody.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(nobody.status().field(), "--user");
  EXPECT_EQ(ScopeOfUser(*db_, "lonely").status().field(), "--user");  // manager without team
  EXPECT_EQ(ScopeOfTeam(*db_, "West").status().field(), "--team");
}

}  // namespace
}  // namespace tenure::engine
