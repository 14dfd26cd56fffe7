// Handing over a departing salesperson's customers: exact round-robin and
// region assignments, open items moved and closed ones left, ownership
// history, dry runs that write nothing, refusals; and the fared report.
#include "engine/handover.h"

#include <gtest/gtest.h>

#include "engine/churn.h"
#include "engine/import_fixture.h"

namespace tenure::engine {
namespace {

class HandoverTest : public ImportFixture {
 protected:
  // dan leaves; eve and fay receive (eve in team South); gus has left already.
  // dan owns H1..H6: P1 holds H1, H2, H6 (city X) and H4 (city Z); P2 H3; P3 H5.
  void ImportCompany() {
    ImportClean("teams", "name\nNorth\nSouth\n");
    ImportClean("users",
                "username,role,team,active\ndan,sales,North,true\neve,sales,South,true\n"
                "fay,sales,,true\ngus,sales,North,false\nsam,service,North,true\n");
    ImportClean("customers",
                "customer_id,name,owner,team,province,city,acquired_on\n"
                "H1,One,dan,North,P1,X,2025-01-01\n"
                "H2,Two,dan,North,P1,X,2025-01-01\n"
                "H3,Three,dan,North,P2,Y,2025-01-01\n"
                "H4,Four,dan,North,P1,Z,2025-01-01\n"
                "H5,Five,dan,North,P3,W,2025-01-01\n"
                "H6,Six,dan,North,P1,X,2025-01-01\n"
                "H7,Seven,eve,South,P1,X,2025-01-01\n");
    ImportClean("activities",
                "activity_id,customer_id,user_id,kind,occurred_at,follow_up_on,follow_up_done\n"
                "A1,H1,dan,call,2026-05-01T10:00:00Z,2026-07-01,false\n"  // open: moves
                "A2,H1,dan,call,2026-05-02T10:00:00Z,2026-06-01,true\n"   // done: stays
                "A3,H1,dan,visit,2026-05-03T10:00:00Z,,false\n"           // no follow-up
                "A4,H2,sam,call,2026-05-04T10:00:00Z,2026-07-02,false\n"  // not dan's
                "A5,H7,dan,call,2026-05-05T10:00:00Z,2026-07-03,false\n"  // not dan's customer
    );
    ImportClean("opportunities",
                "opportunity_id,customer_id,owner,name,stage\n"
                "P1,H2,dan,Deal 1,negotiation\n"  // open: moves
                "P2,H2,dan,Deal 2,won\n"
                "P3,H3,dan,Deal 3,lost\n");
    ImportClean("complaints",
                "complaint_id,customer_id,assignee,opened_at,status\n"
                "K1,H3,dan,2026-05-01T08:00:00Z,open\n"
                "K2,H3,dan,2026-05-02T08:00:00Z,in_progress\n"
                "K3,H4,dan,2026-05-03T08:00:00Z,resolved\n"
                "K4,H5,sam,2026-05-04T08:00:00Z,open\n");
  }

  HandoverOptions Options(std::vector<std::string> to, HandoverMethod method) {
    HandoverOptions o;
    o.from = "dan";
    o.to = std::move(to);
    o.method = method;
    o.at = *ParseTimestamp("2026-06-01T09:00:00Z");
    return o;
  }

  // "H1:eve H2:fay ..." from the stored owners of dan's former customers.
  std::string Owners() {
    return Text(
        "SELECT group_concat(c.external_id || ':' || u.username, ' ') FROM (SELECT * FROM"
        " customers WHERE external_id <> 'H7' ORDER BY id) c JOIN users u ON u.id = c.owner_id");
  }
};

TEST_F(HandoverTest, RoundRobinDealsCustomersInIdOrderAndMovesOpenItems) {
  ImportCompany();
  auto plan = RunHandover(*db_, Options({"eve", "fay"}, HandoverMethod::kRoundRobin));
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_TRUE(plan->applied);
  EXPECT_EQ(Owners(), "H1:eve H2:fay H3:eve H4:fay H5:eve H6:fay");
  EXPECT_EQ(plan->receivers[0].customers, 3);
  EXPECT_EQ(plan->receivers[0].activities, 1);     // A1
  EXPECT_EQ(plan->receivers[0].complaints, 2);     // K1, K2
  EXPECT_EQ(plan->receivers[1].opportunities, 1);  // P1
  EXPECT_EQ(plan->open_items_elsewhere, 1);        // A5

  auto user_of = [&](const char* table, const char* column, const char* id) {
    return Text("SELECT u.username FROM " + std::string(table) + " t JOIN users u ON u.id = t." +
                column + " WHERE t.external_id = '" + id + "'");
  };
  EXPECT_EQ(user_of("activities", "user_id", "A1"), "eve");
  EXPECT_EQ(user_of("activities", "user_id", "A2"), "dan");
  EXPECT_EQ(user_of("activities", "user_id", "A3"), "dan");
  EXPECT_EQ(user_of("activities", "user_id", "A4"), "sam");
  EXPECT_EQ(user_of("activities", "user_id", "A5"), "dan");
  EXPECT_EQ(user_of("opportunities", "owner_id", "P1"), "fay");
  EXPECT_EQ(user_of("opportunities", "owner_id", "P2"), "dan");
  EXPECT_EQ(user_of("opportunities", "owner_id", "P3"), "dan");
  EXPECT_EQ(user_of("complaints", "assignee_id", "K1"), "eve");
  EXPECT_EQ(user_of("complaints", "assignee_id", "K2"), "eve");
  EXPECT_EQ(user_of("complaints", "assignee_id", "K3"), "dan");
  EXPECT_EQ(user_of("complaints", "assignee_id", "K4"), "sam");

  // Teams follow the receiver when it has one (fay has none: team kept).
  EXPECT_EQ(Text("SELECT group_concat(c.external_id || ':' || t.name, ' ') FROM (SELECT * FROM"
                 " customers ORDER BY id) c JOIN teams t ON t.id = c.team_id"),
            "H1:South H2:North H3:South H4:North H5:South H6:North H7:South");
  // One history row per customer, reason handover, at the given time.
  EXPECT_EQ(Count("SELECT count(*) FROM ownership_changes WHERE reason = 'handover' AND"
                  " changed_at = " +
                  std::to_string(*ParseTimestamp("2026-06-01T09:00:00Z")) +
                  " AND from_user_id = (SELECT id FROM users WHERE username = 'dan')"),
            6);
  EXPECT_EQ(Text("SELECT group_concat(c.external_id || ':' || u.username, ' ') FROM"
                 " (SELECT * FROM ownership_changes ORDER BY customer_id) h"
                 " JOIN customers c ON c.id = h.customer_id JOIN users u ON u.id = h.to_user_id"),
            "H1:eve H2:fay H3:eve H4:fay H5:eve H6:fay");
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'handover'"), 1);
  EXPECT_EQ(Count("SELECT active FROM users WHERE username = 'dan'"), 1);  // no --deactivate
}

TEST_F(HandoverTest, RegionKeepsGroupsTogetherAndBalances) {
  ImportCompany();
  // 6 customers, 2 receivers, fair share 3: P1 (4) splits into X (3) and Z (1).
  // Largest first: P1/X -> eve; then P1/Z, P2, P3 each to the lighter: fay.
  HandoverOptions options = Options({"eve", "fay"}, HandoverMethod::kRegion);
  options.deactivate = true;
  auto plan = RunHandover(*db_, options);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ(Owners(), "H1:eve H2:eve H3:fay H4:fay H5:fay H6:eve");
  EXPECT_EQ(Text("SELECT active || '|' || left_on FROM users WHERE username = 'dan'"),
            "0|2026-06-01");
  EXPECT_TRUE(plan->deactivated);
}

TEST_F(HandoverTest, AssignmentRulesOnTheirOwn) {
  EXPECT_EQ(AssignRoundRobin(5, 3), (std::vector<size_t>{0, 1, 2, 0, 1}));
  auto c = [](const char* province, const char* city) {
    store::OwnedCustomer o;
    o.province = province;
    o.city = city;
    return o;
  };
  // Three receivers, 7 customers, fair share 3: no province is split.
  std::vector<store::OwnedCustomer> customers = {c("A", "a"), c("B", "b"), c("A", "a"), c("C", "c"),
                                                 c("B", "b"), c("C", "c"), c("", "")};
  // Groups by size: A(2), B(2), C(2), ""(1) -> A:0, B:1, C:2, "":0.
  EXPECT_EQ(AssignByRegion(customers, 3), (std::vector<size_t>{0, 1, 0, 2, 1, 2, 0}));
  EXPECT_EQ(AssignByRegion(customers, 1), std::vector<size_t>(7, 0));
}

TEST_F(HandoverTest, DryRunPlansAndWritesNothing) {
  ImportCompany();
  std::string before =
      Text("SELECT group_concat(id || owner_id || team_id || version) FROM customers") +
      Text("SELECT group_concat(id || user_id || version) FROM activities");
  int64_t audits = Count("SELECT count(*) FROM audit_log");
  HandoverOptions options = Options({"fay", "eve"}, HandoverMethod::kRoundRobin);
  options.dry_run = true;
  options.deactivate = true;
  auto plan = RunHandover(*db_, options);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_FALSE(plan->applied);
  ASSERT_EQ(plan->assignments.size(), 6u);
  EXPECT_EQ(plan->receivers[plan->assignments[0].receiver].user.username, "fay");
  EXPECT_EQ(plan->receivers[plan->assignments[1].receiver].user.username, "eve");
  EXPECT_EQ(Text("SELECT group_concat(id || owner_id || team_id || version) FROM customers") +
                Text("SELECT group_concat(id || user_id || version) FROM activities"),
            before);
  EXPECT_EQ(Count("SELECT count(*) FROM ownership_changes"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log"), audits);
  EXPECT_EQ(Count("SELECT active FROM users WHERE username = 'dan'"), 1);
}

TEST_F(HandoverTest, Refusals) {
  ImportCompany();
  struct Case {
    std::vector<std::string> to;
    std::string from;
    std::string field;
    std::string message;
  };
  const Case cases[] = {
      {{"eve"}, "nobody", "--from", "unknown user 'nobody'"},
      {{"eve", "zed"}, "dan", "--to", "unknown user 'zed'"},
      {{"eve", "dan"}, "dan", "--to", "--to names the departing user 'dan'"},
      {{"gus"}, "dan", "--to", "user 'gus' is inactive"},
      {{"eve", "eve"}, "dan", "--to", "user 'eve' is named twice"},
      {{}, "dan", "--to", "at least one receiver is needed"},
  };
  for (const Case& c : cases) {
    HandoverOptions options = Options(c.to, HandoverMethod::kRoundRobin);
    options.from = c.from;
    auto plan = RunHandover(*db_, options);
    ASSERT_FALSE(plan.ok()) << c.message;
    EXPECT_EQ(plan.status().field(), c.field) << c.message;
    EXPECT_EQ(plan.status().message(), c.message);
  }
  EXPECT_EQ(Count("SELECT count(*) FROM customers WHERE owner_id = (SELECT id FROM users WHERE"
                  " username = 'dan')"),
            6);
  EXPECT_EQ(Count("SELECT count(*) FROM ownership_changes"), 0);
  EXPECT_FALSE(ParseHandoverMethod("alphabetical").ok());
  EXPECT_EQ(*ParseHandoverMethod("round-robin"), HandoverMethod::kRoundRobin);
}

TEST_F(HandoverTest, FaredReportComparesHandedOverWithOthers) {
  ImportCompany();
  ImportClean("customers",
              "customer_id,name,owner,acquired_on\nH8,Eight,eve,2025-01-01\n"
              "H9,Nine,eve,2026-06-15\n");  // acquired after the handover: in neither group
  auto plan = RunHandover(*db_, Options({"eve", "fay"}, HandoverMethod::kRoundRobin));
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  // Handed over: H1..H6; H5 was lost before the handover and H2 on its day,
  // so 4 are compared. Others: H7, H8.
  auto lose = [&](const char* id, const char* on) {
    LossInput in{id, "negligence", "salesperson_left", "", *ParseIsoDate(on), "", ""};
    auto r = RecordLoss(*db_, in);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  };
  lose("H5", "2026-05-20");
  lose("H1", "2026-06-10");
  lose("H2", "2026-06-01");  // on the handover day: lost as of it
  lose("H7", "2026-06-20");
  lose("H9", "2026-06-20");
  ImportClean("orders",
              "order_id,customer_id,date,amount,status\n"
              "O1,H3,2026-06-02,100,completed\n"
              "O2,H3,2026-06-05,50,completed\n"
              "O3,H4,2026-06-01,70,completed\n"  // handover day: excluded
              "O4,H4,2026-06-03,30,cancelled\n"  // cancelled: excluded
              "O5,H8,2026-06-10,200,completed\n"
              "O6,H8,2026-07-01,999,completed\n"  // after as-of
              "O7,H7,2026-06-11,60,open\n");
  ImportClean("activities",
              "activity_id,customer_id,user_id,kind,occurred_at\n"
              "B1,H3,eve,call,2026-06-02T08:00:00Z\n"
              "B2,H6,fay,call,2026-06-01T20:00:00Z\n"  // handover day
              "B3,H8,eve,visit,2026-06-29T23:00:00Z\n");
  auto r = BuildHandoverReport(*db_, "dan", *ParseIsoDate("2026-06-30"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->handover_on, *ParseIsoDate("2026-06-01"));
  EXPECT_EQ(r->handed_over, 6);
  EXPECT_EQ(r->handed.customers, 4);  // H1, H3, H4, H6
  EXPECT_EQ(r->handed.lost, 1);       // H1
  EXPECT_DOUBLE_EQ(r->handed.lost_share, 0.25);
  EXPECT_EQ(r->handed.orders, 2);
  EXPECT_EQ(r->handed.sales, 15000);
  EXPECT_DOUBLE_EQ(r->handed.orders_per_customer, 0.5);
  EXPECT_DOUBLE_EQ(r->handed.sales_per_customer, 3750.0);
  EXPECT_EQ(r->handed.contacted, 1);  // H3 (A1..A5 are older)
  EXPECT_DOUBLE_EQ(r->handed.contacted_share, 0.25);
  EXPECT_EQ(r->others.customers, 2);  // H7, H8
  EXPECT_EQ(r->others.lost, 1);       // H7
  EXPECT_EQ(r->others.orders, 2);     // O5, O7
  EXPECT_EQ(r->others.sales, 26000);
  EXPECT_DOUBLE_EQ(r->others.sales_per_customer, 13000.0);
  EXPECT_EQ(r->others.contacted, 1);  // H8

  EXPECT_EQ(BuildHandoverReport(*db_, "eve", *ParseIsoDate("2026-06-30")).status().code(),
            Status::Code::kNotFound);
}

// A manager picks customers and gives them, with their open items, to a
// member of the team; the ownership history says so; nobody else may.
TEST_F(HandoverTest, ReassignMovesTheChosenCustomersWithinTheScope) {
  ImportCompany();
  ImportClean("users", "username,role,team,active\nmia,manager,North,true\nned,sales,North,true\n");
  auto manager = ScopeOfUser(*db_, "mia");
  ASSERT_TRUE(manager.ok()) << manager.status().ToString();
  auto id = [&](const std::string& key) {
    return Count("SELECT id FROM customers WHERE external_id = '" + key + "'");
  };
  Reassignment r;
  r.customers = {id("H1"), id("H3")};
  r.to = "ned";
  r.at = *ParseTimestamp("2026-06-01T09:00:00Z");
  auto moved = ReassignCustomers(*db_, *manager, r);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(*moved, 2);
  EXPECT_EQ(Owners(), "H1:ned H2:dan H3:ned H4:dan H5:dan H6:dan");
  EXPECT_EQ(
      Text("SELECT group_concat(u.username) FROM activities a JOIN users u ON u.id = a.user_id"
           " WHERE a.external_id = 'A1'"),
      "ned");  // H1's open follow-up
  EXPECT_EQ(Count("SELECT count(*) FROM complaints k JOIN users u ON u.id = k.assignee_id"
                  " WHERE u.username = 'ned'"),
            2);  // K1, K2 of H3
  EXPECT_EQ(Count("SELECT count(*) FROM ownership_changes WHERE reason = 'reassigned'"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'reassign'"), 1);
  // Again: nobody changes owner, nothing is written.
  auto again = ReassignCustomers(*db_, *manager, r);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'reassign'"), 1);

  // Refusals leave everything as it was.
  r.customers = {id("H2"), id("H7")};  // H7 is South's
  auto outside = ReassignCustomers(*db_, *manager, r);
  EXPECT_EQ(outside.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(outside.status().field(), "customers");
  r.customers = {id("H2")};
  r.to = "eve";  // South
  EXPECT_EQ(ReassignCustomers(*db_, *manager, r).status().code(), Status::Code::kPermissionDenied);
  r.to = "gus";  // has left
  EXPECT_EQ(ReassignCustomers(*db_, *manager, r).status().field(), "to");
  r.to = "ned";
  auto sales = ScopeOfUser(*db_, "dan");
  ASSERT_TRUE(sales.ok());
  EXPECT_EQ(ReassignCustomers(*db_, *sales, r).status().code(), Status::Code::kPermissionDenied);
  r.customers = {};
  EXPECT_EQ(ReassignCustomers(*db_, *manager, r).status().field(), "customers");
  EXPECT_EQ(Owners(), "H1:ned H2:dan H3:ned H4:dan H5:dan H6:dan");
  EXPECT_EQ(Count("SELECT count(*) FROM ownership_changes WHERE reason = 'reassigned'"), 2);
}

}  // namespace
}  // namespace tenure::engine
