// `tenure workbench` as a user runs it: the JSON shape, scoping by --user and
// --team, one list with --list and --page-size, usage errors, and the
// "slipping away" list on a scored demo company.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "testing/run_tenure.h"
#include "testing/temp_dir.h"

namespace tenure {
namespace {

using testing::TempDir;

using testing::Outcome;
using testing::Tenure;

class WorkbenchCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Import("teams", "name\nNorth\nSouth\n");
    Import("users", "username,role,team\nalice,sales,North\nbob,sales,South\nmia,manager,North\n");
    Import("customers",
           "customer_id,name,owner,team\nC1,Acme,alice,North\nC2,Bolt,bob,South\n"
           "C3,Cask,alice,North\n");
    Import("activities",
           "activity_id,customer_id,kind,occurred_at,follow_up_on\n"
           "A1,C1,call,2026-06-20,2026-06-30\nA2,C2,call,2026-06-20,2026-06-30\n"
           "A3,C3,call,2026-06-20,2026-06-30\nA4,C3,call,2026-06-21,2026-06-10\n");
  }
  void Import(const std::string& entity, const std::string& csv) {
    Outcome r = Tenure("import " + entity + " " + dir_.Write(entity + ".csv", csv) + Db());
    ASSERT_EQ(r.code, 0) << r.output;
  }
  std::string Db() { return " --db " + dir_.File("t.db"); }
  TempDir dir_;
};

TEST_F(WorkbenchCliTest, JsonShapeAndScope) {
  Outcome run = Tenure("workbench --as-of 2026-06-30 --json --user alice" + Db());
  ASSERT_EQ(run.code, 0) << run.output;
  auto out = nlohmann::json::parse(run.output);
  EXPECT_EQ(out["as_of"], "2026-06-30");
  EXPECT_EQ(out["scope"]["kind"], "owner");
  EXPECT_EQ(out["scope"]["user"], "alice");
  EXPECT_EQ(out["scope"]["role"], "sales");
  EXPECT_EQ(out["scope"]["team"], "North");
  ASSERT_EQ(out["lists"].size(), 23u);
  const auto& today = out["lists"][0];
  EXPECT_EQ(today["name"], "contact_today");
  EXPECT_EQ(today["from"], "2026-06-30");
  EXPECT_EQ(today["count"], 2);
  ASSERT_EQ(today["rows"].size(), 2u);
  EXPECT_EQ(today["rows"][0]["external_id"], "C1");
  EXPECT_EQ(today["rows"][0]["name"], "Acme");
  EXPECT_EQ(today["rows"][0]["owner"], "alice");
  EXPECT_EQ(today["rows"][0]["date"], "2026-06-30");
  EXPECT_TRUE(today["rows"][0]["amount"].is_null());
  EXPECT_EQ(today["rows"][1]["external_id"], "C3");
  EXPECT_EQ(out["lists"][3]["name"], "follow_ups_past_due");
  EXPECT_EQ(out["lists"][3]["count"], 1);
  EXPECT_TRUE(out["lists"][6]["by_year"].is_array());  // lost

  Outcome all = Tenure("workbench --as-of 2026-06-30 --json --list contact_today" + Db());
  ASSERT_EQ(all.code, 0) << all.output;
  auto every = nlohmann::json::parse(all.output);
  EXPECT_EQ(every["scope"]["kind"], "all");
  ASSERT_EQ(every["lists"].size(), 1u);
  EXPECT_EQ(every["lists"][0]["count"], 3);

  Outcome team = Tenure(
      "workbench --as-of 2026-06-30 --json --team South --list contact_today"
      " --page-size 0" +
      Db());
  ASSERT_EQ(team.code, 0) << team.output;
  auto south = nlohmann::json::parse(team.output);
  EXPECT_EQ(south["scope"]["kind"], "team");
  EXPECT_EQ(south["lists"][0]["count"], 1);
  EXPECT_EQ(south["lists"][0]["rows"].size(), 0u);

  Outcome manager = Tenure("workbench --as-of 2026-06-30 --json --user mia" + Db());
  ASSERT_EQ(manager.code, 0) << manager.output;
  EXPECT_EQ(nlohmann::json::parse(manager.output)["lists"][0]["count"], 2);
}

TEST_F(WorkbenchCliTest, TextAndErrors) {
  Outcome text = Tenure("workbench --as-of 2026-06-30 --user bob --list contact_today" + Db());
  ASSERT_EQ(text.code, 0) << text.output;
  EXPECT_NE(text.output.find("To contact today (contact_today) [2026-06-30 .. 2026-06-30]: 1"),
            std::string::npos)
      << text.output;
  EXPECT_EQ(text.output.find("Acme"), std::string::npos);
  // The list's table, under its header row.
  auto rows =
      testing::TableUnder(text.output, {"id", "customer", "name", "owner", "date", "amount"});
  ASSERT_TRUE(rows) << text.output;
  ASSERT_EQ(rows->size(), 1u) << text.output;
  EXPECT_EQ((*rows)[0], (std::vector<std::string>{"2", "C2", "Bolt", "bob", "2026-06-30", "-"}));

  Outcome list = Tenure("workbench --list nope" + Db());
  EXPECT_EQ(list.code, 2) << list.output;
  EXPECT_NE(list.output.find("--list: unknown list 'nope'"), std::string::npos) << list.output;
  Outcome user = Tenure("workbench --user ghost" + Db());
  EXPECT_EQ(user.code, 1) << user.output;
  EXPECT_NE(user.output.find("no user 'ghost'"), std::string::npos) << user.output;
  Outcome both = Tenure("workbench --user alice --team North" + Db());
  EXPECT_EQ(both.code, 2) << both.output;
  Outcome date = Tenure("workbench --as-of 2026-13-01" + Db());
  EXPECT_EQ(date.code, 2) << date.output;
}

// A small demo company, scored by `tenure score` in the first test.
class SlippingAwayCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    Outcome demo = Tenure("demo --customers 60 --seed 5 --as-of 2026-06-30" + Db());
    ASSERT_EQ(demo.code, 0) << demo.output;
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string Db() { return " --db " + dir_->File("demo.db"); }

  // The slipping_away list of `tenure [PRE] workbench ARGS --json`.
  static nlohmann::json List(const std::string& args, const std::string& pre = "") {
    nlohmann::json out = testing::TenureJson(
        pre + "workbench --as-of 2026-06-30 --json --page-size 100 " + args + Db());
    for (const auto& list : out["lists"]) {
      if (list["name"] == "slipping_away") return list;
    }
    ADD_FAILURE() << "no slipping_away list";
    return nlohmann::json::object();
  }
  static std::string Config(const std::string& text) {
    return "--config " + dir_->Write("tenure.conf", text) + " ";
  }

  static TempDir* dir_;
};

TempDir* SlippingAwayCliTest::dir_ = nullptr;

TEST_F(SlippingAwayCliTest, AppearsAfterScoreWithTheScoresOfItsCustomers) {
  nlohmann::json before = List("");
  EXPECT_EQ(before["count"], 0);  // not scored yet
  EXPECT_EQ(before["title"], "Slipping away: most likely to buy nothing in 90 days");

  Outcome score = Tenure("score --as-of 2026-06-30" + Db());
  ASSERT_EQ(score.code, 0) << score.output;
  nlohmann::json list = List("");
  ASSERT_GT(list["count"].get<int>(), 0);
  ASSERT_EQ(list["rows"].size(), list["count"].get<size_t>());
  double previous = 1;
  int one_time_buyers = 0;
  for (const auto& row : list["rows"]) {
    // Each row against the customer's own profile: not lost, the chance of
    // no purchase in 90 days at least 0.5, the amount its CLV, the date its
    // last order; the most likely first.
    nlohmann::json customer = testing::TenureJson(
        "customer show " + row["external_id"].get<std::string>() + " --json" + Db());
    EXPECT_NE(customer["status"], "lost");
    const double none = customer["scores"]["p_no_purchase_90"].get<double>();
    EXPECT_GE(none, 0.5);
    EXPECT_DOUBLE_EQ(row["amount"].get<double>(), customer["scores"]["clv"].get<double>());
    EXPECT_EQ(row["date"], customer["last_order_date"]);
    EXPECT_LE(none, previous);
    previous = none;
    // P(alive) is 1 for a customer who bought once, so a list by P(alive)
    // never showed them; this one does.
    if (customer["order_days"] == 1) {
      ++one_time_buyers;
      EXPECT_EQ(customer["scores"]["p_alive"].get<double>(), 1.0);
    }
  }
  EXPECT_GT(one_time_buyers, 0);

  // A lower threshold (the tenure.conf key) takes in more customers, those
  // above the higher one included; a bad value is refused, naming the key.
  nlohmann::json wider = List("", Config("at_risk_probability = 0.2\n"));
  EXPECT_GT(wider["count"].get<int>(), list["count"].get<int>());
  for (const auto& row : list["rows"]) {
    int found = 0;
    for (const auto& w : wider["rows"]) found += w["customer_id"] == row["customer_id"];
    EXPECT_EQ(found, 1) << row["external_id"];
  }
  Outcome bad = Tenure(Config("at_risk_probability = 1.5\n") + "workbench" + Db());
  EXPECT_NE(bad.code, 0);
  EXPECT_NE(bad.output.find("at_risk_probability"), std::string::npos) << bad.output;

  // A salesperson sees their own slipping customers only, all of them.
  std::string owner = list["rows"][0]["owner"];
  nlohmann::json own = List("--user " + owner);
  int expected = 0;
  for (const auto& row : list["rows"]) expected += row["owner"] == owner;
  EXPECT_EQ(own["count"], expected);
  for (const auto& row : own["rows"]) EXPECT_EQ(row["owner"], owner);
}

}  // namespace
}  // namespace tenure
