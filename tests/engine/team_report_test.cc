// The sales-team report on a hand-built March 2024: contacts and outcomes,
// won and lost deals, and customers lost of those owned at the start of the
// month, with owners reconstructed from ownership changes. Every number is
// worked out in the comments.
#include "engine/team_report.h"

#include <gtest/gtest.h>

#include "engine/import_fixture.h"

namespace tenure::engine {
namespace {

class TeamReportTest : public ImportFixture {
 protected:
  void SetUp() override {
    ImportFixture::SetUp();
    ImportClean("teams", "name\nNorth\nSouth\n");
    ImportClean("users",
                "username,role,team\nalice,sales,North\nbob,sales,North\ncarl,sales,South\n"
                "sam,service,North\n");
    // Owner at the start of 2024-03-01:
    //  K1 alice (no change), lost 03-20            -> alice, lost
    //  K2 alice (no change)                        -> alice
    //  K3 now bob, alice->bob on 03-15             -> alice (from the first later change), lost
    //  03-25 K4 now alice, bob->alice on 02-01           -> alice K5 now alice, carl->bob 01-01,
    //  bob->alice 03-10 -> bob K6 alice, acquired 03-05                    -> not yet a customer K7
    //  alice, lost 01-15                        -> already lost K8 bob, lost 01-15, won back 02-01,
    //  lost 03-05 -> bob, lost K9 carl, a lead                             -> not a customer K10
    //  alice, lost 04-02                       -> alice, not lost in March
    // alice: 5 owned, 2 lost (0.4); bob: 2 owned, 1 lost (0.5); carl: 0.
    ImportClean("customers",
                "id,name,owner,status,acquired_on\n"
                "K1,k1,alice,active,2023-01-01\nK2,k2,alice,active,\nK3,k3,bob,active,\n"
                "K4,k4,alice,active,\nK5,k5,alice,active,\nK6,k6,alice,active,2024-03-05\n"
                "K7,k7,alice,lost,\nK8,k8,bob,active,\nK9,k9,carl,lead,\nK10,k10,alice,lost,\n");
    ImportClean("ownership_changes",
                "customer,from,to,changed_at\nK3,alice,bob,2024-03-15 12:00\n"
                "K4,bob,alice,2024-02-01 12:00\nK5,carl,bob,2024-01-01 12:00\n"
                "K5,bob,alice,2024-03-10 12:00\n");
    ImportClean("churn_events",
                "customer,kind,occurred_on,churn_type,reasons\n"
                "K1,lost,2024-03-20,competition,price\nK3,lost,2024-03-25,negligence,no_contact\n"
                "K6,lost,2024-03-20,natural,other\nK7,lost,2024-01-15,natural,other\n"
                "K8,lost,2024-01-15,competition,price\nK8,won_back,2024-02-01,,\n"
                "K8,lost,2024-03-05,competition,price\nK10,lost,2024-04-02,natural,other\n");
    // alice in March: 4 contacts (2 visits), 1 effective, 1 high value,
    // 1 unsuccessful, 1 without outcome; bob: 1 unsuccessful; one activity
    // with no user; two outside March.
    ImportClean("activities",
                "customer,user,kind,occurred_at,outcome,notes,follow_up_on\n"
                "K1,alice,call,2024-03-02 10:00,effective,first call,2024-03-09\n"
                "K1,alice,visit,2024-03-02 15:00,high_value,demo,\n"
                "K2,alice,visit,2024-03-05 09:00,unsuccessful,,\n"
                "K2,alice,email,2024-03-06 09:00,,,\n"
                "K1,alice,call,2024-02-29 23:59,effective,,\n"
                "K1,alice,call,2024-04-01 00:00,effective,,\n"
                "K8,bob,call,2024-03-10 11:00,unsuccessful,,\n"
                "K8,,sms,2024-03-03 08:00,,,\n");
    // alice: won 03-10 and 03-11, lost 03-12 (and one lost in February, one
    // open); bob: lost 03-15.
    ImportClean("opportunities",
                "customer,owner,name,stage,closed_on\n"
                "K1,alice,d1,won,2024-03-10\nK1,alice,d2,won,2024-03-11\n"
                "K2,alice,d3,lost,2024-03-12\nK2,alice,d4,lost,2024-02-20\n"
                "K2,alice,d5,proposal,\nK8,bob,d6,lost,2024-03-15\n");
  }

  TeamReport Report(TeamReportOptions options = {}) {
    options.from = *ParseIsoDate("2024-03-01");
    options.to = *ParseIsoDate("2024-03-31");
    auto report = BuildTeamReport(*db_, options);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : TeamReport{};
  }

  static const Salesperson* Find(const TeamReport& r, const std::string& username) {
    for (const Salesperson& p : r.people) {
      if (p.username == username) return &p;
    }
    return nullptr;
  }
};

TEST_F(TeamReportTest, RatesPerSalesperson) {
  TeamReport r = Report();
  std::vector<std::string> names;
  for (const Salesperson& p : r.people) names.push_back(p.username);
  // sam (service, no numbers) is left out; the user-less activity gets a row.
  EXPECT_EQ(names, (std::vector<std::string>{"alice", "bob", "carl", "(none)"}));

  const TeamCounts& a = Find(r, "alice")->counts;
  EXPECT_EQ(a.contacts, 4);
  EXPECT_EQ(a.visits, 2);
  EXPECT_EQ(a.effective, 1);
  EXPECT_EQ(a.high_value, 1);
  EXPECT_EQ(a.unsuccessful, 1);
  EXPECT_DOUBLE_EQ(*a.ContactSuccessRate(), 0.5);  // (1 + 1) / 4
  EXPECT_EQ(a.opportunities_won, 2);
  EXPECT_EQ(a.opportunities_lost, 1);
  EXPECT_DOUBLE_EQ(*a.WinRate(), 2.0 / 3.0);
  EXPECT_EQ(a.customers_at_start, 5);
  EXPECT_EQ(a.customers_lost, 2);
  EXPECT_DOUBLE_EQ(*a.LossRate(), 0.4);
  EXPECT_EQ(Find(r, "alice")->team, "North");

  const TeamCounts& b = Find(r, "bob")->counts;
  EXPECT_EQ(b.contacts, 1);
  EXPECT_DOUBLE_EQ(*b.ContactSuccessRate(), 0.0);
  EXPECT_DOUBLE_EQ(*b.WinRate(), 0.0);
  EXPECT_EQ(b.customers_at_start, 2);
  EXPECT_EQ(b.customers_lost, 1);
  EXPECT_DOUBLE_EQ(*b.LossRate(), 0.5);

  const TeamCounts& c = Find(r, "carl")->counts;
  EXPECT_EQ(c.contacts, 0);
  EXPECT_FALSE(c.ContactSuccessRate());
  EXPECT_FALSE(c.WinRate());
  EXPECT_FALSE(c.LossRate());

  EXPECT_EQ(Find(r, "(none)")->counts.contacts, 1);
  EXPECT_EQ(r.total.contacts, 6);
  EXPECT_EQ(r.total.visits, 2);
  EXPECT_EQ(r.total.unsuccessful, 2);
  EXPECT_EQ(r.total.opportunities_won, 2);
  EXPECT_EQ(r.total.opportunities_lost, 2);
  EXPECT_EQ(r.total.customers_at_start, 7);
  EXPECT_EQ(r.total.customers_lost, 3);
  EXPECT_DOUBLE_EQ(*r.total.LossRate(), 3.0 / 7.0);
}

TEST_F(TeamReportTest, ByDay) {
  TeamReportOptions options;
  options.by_day = true;
  options.user = "alice";
  TeamReport r = Report(options);
  ASSERT_EQ(r.people.size(), 1u);
  const Salesperson& a = r.people[0];
  std::vector<std::string> days;
  for (const TeamDay& d : a.days) days.push_back(d.day);
  EXPECT_EQ(days,
            (std::vector<std::string>{"2024-03-02", "2024-03-05", "2024-03-06", "2024-03-10",
                                      "2024-03-11", "2024-03-12", "2024-03-20", "2024-03-25"}));
  EXPECT_EQ(a.days[0].counts.contacts, 2);
  EXPECT_EQ(a.days[0].counts.visits, 1);
  EXPECT_DOUBLE_EQ(*a.days[0].counts.ContactSuccessRate(), 1.0);
  EXPECT_EQ(a.days[3].counts.opportunities_won, 1);
  EXPECT_EQ(a.days[5].counts.opportunities_lost, 1);
  EXPECT_EQ(a.days[6].counts.customers_lost, 1);        // K1
  EXPECT_EQ(a.days[7].counts.customers_lost, 1);        // K3
  EXPECT_DOUBLE_EQ(*a.days[7].counts.LossRate(), 0.2);  // 1 of the 5 owned at the start
  // The per-salesperson totals are the same as without days.
  EXPECT_EQ(a.counts.contacts, 4);
  EXPECT_EQ(a.counts.customers_lost, 2);
  EXPECT_EQ(r.total.contacts, 4);
}

TEST_F(TeamReportTest, TeamFilterAndErrors) {
  TeamReportOptions options;
  options.team = "South";
  TeamReport south = Report(options);
  ASSERT_EQ(south.people.size(), 1u);
  EXPECT_EQ(south.people[0].username, "carl");

  options = {};
  options.from = *ParseIsoDate("2024-03-01");
  options.to = *ParseIsoDate("2024-03-31");
  options.user = "nobody";
  auto unknown = BuildTeamReport(*db_, options);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().field(), "--user");
  options.user.clear();
  options.team = "West";
  EXPECT_EQ(BuildTeamReport(*db_, options).status().field(), "--team");
  options.team.clear();
  options.to = *ParseIsoDate("2024-02-01");
  EXPECT_EQ(BuildTeamReport(*db_, options).status().field(), "--to");
}

TEST_F(TeamReportTest, LossRateFollowsTheOwnerAtThePeriodStart) {
  // From 2024-03-16, K3 already belongs to bob (changed 03-15) and K5 to
  // alice (03-10); K8 was lost on 03-05, before the start.
  TeamReportOptions options;
  options.from = *ParseIsoDate("2024-03-16");
  options.to = *ParseIsoDate("2024-03-31");
  auto r = BuildTeamReport(*db_, options);
  ASSERT_TRUE(r.ok());
  // alice: K1, K2, K4, K5, K6 (acquired 03-05), K10 = 6, lost K1 (K6 too, 03-20) = 2.
  const TeamCounts& a = Find(*r, "alice")->counts;
  EXPECT_EQ(a.customers_at_start, 6);
  EXPECT_EQ(a.customers_lost, 2);
  // bob: K3 = 1, lost 03-25.
  const TeamCounts& b = Find(*r, "bob")->counts;
  EXPECT_EQ(b.customers_at_start, 1);
  EXPECT_EQ(b.customers_lost, 1);
}

TEST_F(TeamReportTest, ContactHistoryNewestFirst) {
  auto h = LoadContactHistory(*db_, "K1");
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->name, "k1");
  ASSERT_EQ(h->entries.size(), 4u);
  EXPECT_EQ(FormatTimestamp(h->entries[0].occurred_at), "2024-04-01T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(h->entries[3].occurred_at), "2024-02-29T23:59:00Z");
  const ContactEntry& first_call = h->entries[2];
  EXPECT_EQ(first_call.user, "alice");
  EXPECT_EQ(first_call.kind, "call");
  EXPECT_EQ(first_call.outcome, "effective");
  EXPECT_EQ(first_call.notes, "first call");
  EXPECT_EQ(FormatDate(*first_call.follow_up_on), "2024-03-09");
  EXPECT_EQ(h->entries[1].kind, "visit");
  EXPECT_EQ(h->entries[1].outcome, "high_value");
  EXPECT_EQ(LoadContactHistory(*db_, "nope").status().field(), "--customer");
}

}  // namespace
}  // namespace tenure::engine
