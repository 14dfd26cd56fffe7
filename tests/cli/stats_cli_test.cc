// `tenure stats`, `stats pareto`, `stats leads`, `team report` and `team
// history` as a user runs them: exit codes, the JSON keys, CSV that parses
// back, an XLSX file, the message for a bad --by, and the scores by group
// after `tenure score`.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "testing/run_tenure.h"
#include "testing/temp_dir.h"

namespace tenure {
namespace {

using nlohmann::json;
using testing::TempDir;

using testing::Outcome;
using testing::Tenure;

class StatsCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Import("teams", "name\nNorth\n");
    Import("users", "username,role,team\nalice,sales,North\nbob,sales,North\n");
    Import("customers",
           "id,name,province,level,owner,status,lead_stage\n"
           "C1,Acme,P1,A,alice,active,won\nC2,Bolt,P2,B,bob,active,won\n"
           "C3,Cora,,A,alice,lead,new\n");
    Import("orders",
           "id,customer,date,amount,cost\no1,C1,2024-03-01,100.00,40.00\n"
           "o2,C1,2024-03-02,50.00,\no3,C2,2024-03-03,25.00,5.00\n");
    Import("activities",
           "customer,user,kind,occurred_at,outcome,notes\n"
           "C1,alice,visit,2024-03-05 10:00,effective,met the buyer\n"
           "C3,alice,call,2024-03-06 10:00,unsuccessful,\n");
  }

  void Import(const std::string& entity, const std::string& csv) {
    Outcome run = Tenure("import " + entity + " " + dir_.Write(entity + ".csv", csv) + Db());
    ASSERT_EQ(run.code, 0) << run.output;
  }

  std::string Db() { return " --db " + dir_.File("t.db"); }

  json Json(const std::string& args) { return testing::TenureJson(args + Db()); }

  TempDir dir_;
};

TEST_F(StatsCliTest, StatsByFormats) {
  Outcome table = Tenure("stats --by province" + Db());
  EXPECT_EQ(table.code, 0) << table.output;
  EXPECT_NE(table.output.find("P1"), std::string::npos) << table.output;
  EXPECT_NE(table.output.find("175.00"), std::string::npos) << table.output;  // total sales

  json j = Json("stats --by province,level --format json");
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j["by"], json({"province", "level"}));
  ASSERT_EQ(j["groups"].size(), 3u);
  EXPECT_EQ(j["groups"][0]["province"], "P1");
  EXPECT_DOUBLE_EQ(j["groups"][0]["sales"].get<double>(), 150.0);
  EXPECT_DOUBLE_EQ(j["groups"][0]["gross_profit"].get<double>(), 110.0);
  EXPECT_DOUBLE_EQ(j["groups"][0]["average_order_value"].get<double>(), 75.0);
  EXPECT_EQ(j["groups"][2]["province"], "(none)");
  EXPECT_TRUE(j["groups"][2]["average_order_value"].is_null());
  EXPECT_EQ(j["total"]["customers"], 3);
  EXPECT_EQ(j["total"]["orders"], 3);
  // Not scored: no scored customer, no mean, zero sums.
  EXPECT_EQ(j["total"]["scored_customers"], 0);
  EXPECT_TRUE(j["total"]["mean_p_alive"].is_null());
  EXPECT_EQ(j["total"]["expected_purchases_365"], 0.0);
  EXPECT_EQ(j["total"]["clv"], 0.0);

  Outcome csv = Tenure("stats --by owner --from 2024-03-02 --to 2024-03-31 --format csv" + Db());
  EXPECT_EQ(csv.code, 0) << csv.output;
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(csv.output);
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> cells;
    std::istringstream fields(line);
    for (std::string cell; std::getline(fields, cell, ',');) cells.push_back(cell);
    rows.push_back(cells);
  }
  ASSERT_EQ(rows.size(), 4u) << csv.output;
  EXPECT_EQ(rows[0][0], "owner");
  EXPECT_EQ(rows[1], (std::vector<std::string>{"alice", "2", "1", "1", "50.00", "50.00", "50.00",
                                               "0", "", "0.00", "0.00"}));
  EXPECT_EQ(rows[3][0], "total");
  EXPECT_EQ(rows[3][4], "75.00");

  std::string xlsx = dir_.File("stats.xlsx");
  Outcome book = Tenure("stats --by level --format xlsx --out " + xlsx + Db());
  EXPECT_EQ(book.code, 0) << book.output;
  struct stat info {};
  ASSERT_EQ(stat(xlsx.c_str(), &info), 0);
  EXPECT_GT(info.st_size, 1000);
  EXPECT_EQ(Tenure("stats --by level --format xlsx" + Db()).code, 2);
}

TEST_F(StatsCliTest, BadByNamesTheOptionAndTheChoices) {
  Outcome bad = Tenure("stats --by colour" + Db());
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.output.find("--by: unknown dimension 'colour' (expected one or more of province, "
                            "city, type, industry, level, source, owner, team)"),
            std::string::npos)
      << bad.output;
  EXPECT_EQ(Tenure("stats" + Db()).code, 2);
  EXPECT_EQ(Tenure("stats --by city --from 2024-13-01" + Db()).code, 2);
  EXPECT_EQ(Tenure("stats pareto --by margin" + Db()).code, 2);
}

TEST_F(StatsCliTest, Pareto) {
  // Two buyers: ceil(0.4) = 1, C1 150.00 of 175.00.
  json j = Json("stats pareto --by sales --json");
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j["top20_customers"], 1);
  EXPECT_NEAR(j["top20_share"].get<double>(), 150.0 / 175.0, 1e-12);
  ASSERT_EQ(j["top_customers"].size(), 1u);
  EXPECT_EQ(j["top_customers"][0]["external_id"], "C1");
  EXPECT_DOUBLE_EQ(j["top_customers"][0]["value"].get<double>(), 150.0);
  for (const char* key : {"id", "name"}) EXPECT_TRUE(j["top_customers"][0].contains(key));
  ASSERT_EQ(j["lorenz"].size(), 101u);
  EXPECT_EQ(j["lorenz"][0], json({0.0, 0.0}));
  EXPECT_EQ(j["lorenz"][100], json({1.0, 1.0}));

  json profit = Json("stats pareto --by profit --json");
  EXPECT_NEAR(profit["top20_share"].get<double>(), 110.0 / 130.0, 1e-12);

  Outcome table = Tenure("stats pareto --top 5" + Db());
  EXPECT_EQ(table.code, 0) << table.output;
  EXPECT_NE(table.output.find("85.7 %"), std::string::npos) << table.output;
  // The Lorenz curve under its header row: a tenth of the customers a row.
  auto lorenz = testing::TableUnder(table.output, {"customers", "sales"});
  ASSERT_TRUE(lorenz) << table.output;
  ASSERT_EQ(lorenz->size(), 11u) << table.output;
  EXPECT_EQ(lorenz->front(), (std::vector<std::string>{"0 %", "0.0 %"}));
  EXPECT_EQ(lorenz->back(), (std::vector<std::string>{"100 %", "100.0 %"}));
}

TEST_F(StatsCliTest, Leads) {
  json j = Json("stats leads --json");
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j["total"], 1);
  ASSERT_EQ(j["leads"].size(), 1u);
  EXPECT_EQ(j["leads"][0]["external_id"], "C3");
  EXPECT_EQ(j["leads"][0]["stage"], "new");
  EXPECT_EQ(j["leads"][0]["owner"], "alice");
  EXPECT_EQ(j["leads"][0]["last_contact"], "2024-03-06");
  EXPECT_EQ(j["matrix"][0]["counts"]["A"], 1);
  json all = Json("stats leads --all --json");
  EXPECT_EQ(all["total"], 3);
  EXPECT_EQ(Tenure("stats leads" + Db()).code, 0);
}

TEST_F(StatsCliTest, TeamReportAndHistory) {
  json j = Json("team report --from 2024-03-01 --to 2024-03-31 --json");
  ASSERT_TRUE(j.is_object());
  ASSERT_EQ(j["people"].size(), 2u);
  const json& alice = j["people"][0];
  EXPECT_EQ(alice["username"], "alice");
  EXPECT_EQ(alice["contacts"], 2);
  EXPECT_EQ(alice["visits"], 1);
  EXPECT_DOUBLE_EQ(alice["contact_success_rate"].get<double>(), 0.5);
  EXPECT_TRUE(alice["win_rate"].is_null());
  EXPECT_EQ(alice["customers_at_start"], 1);  // C1; C3 is a lead
  EXPECT_DOUBLE_EQ(alice["loss_rate"].get<double>(), 0.0);
  EXPECT_EQ(j["total"]["contacts"], 2);

  json days = Json("team report --from 2024-03-01 --to 2024-03-31 --by day --user alice --json");
  ASSERT_EQ(days["people"].size(), 1u);
  ASSERT_EQ(days["people"][0]["days"].size(), 2u);
  EXPECT_EQ(days["people"][0]["days"][0]["day"], "2024-03-05");

  Outcome table = Tenure("team report --from 2024-03-01 --to 2024-03-31" + Db());
  EXPECT_EQ(table.code, 0) << table.output;
  EXPECT_NE(table.output.find("alice"), std::string::npos);
  Outcome nobody = Tenure("team report --user nobody" + Db());
  EXPECT_EQ(nobody.code, 1);
  EXPECT_NE(nobody.output.find("--user: no user 'nobody'"), std::string::npos) << nobody.output;

  json h = Json("team history --customer C1 --json");
  ASSERT_EQ(h["activities"].size(), 1u);
  EXPECT_EQ(h["activities"][0]["kind"], "visit");
  EXPECT_EQ(h["activities"][0]["outcome"], "effective");
  EXPECT_EQ(h["activities"][0]["notes"], "met the buyer");
  EXPECT_EQ(h["activities"][0]["user"], "alice");
  Outcome history = Tenure("team history --customer C1" + Db());
  ASSERT_EQ(history.code, 0) << history.output;
  auto rows = testing::TableUnder(history.output,
                                  {"when", "user", "kind", "outcome", "notes", "follow up"});
  ASSERT_TRUE(rows) << history.output;
  ASSERT_EQ(rows->size(), 1u) << history.output;
  EXPECT_EQ((*rows)[0], (std::vector<std::string>{"2024-03-05T10:00:00Z", "alice", "visit",
                                                  "effective", "met the buyer", "-"}));
  Outcome missing = Tenure("team history --customer C9" + Db());
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.output.find("no customer 'C9'"), std::string::npos) << missing.output;
}

// `stats --by province` on a scored demo company, against the scores each
// customer's profile (`customer show`) carries.
TEST(StatsScoresCliTest, ScoresByGroupMatchTheCustomersScores) {
  TempDir dir;
  std::string db = " --db " + dir.File("demo.db");
  Outcome demo = Tenure("demo --customers 60 --seed 5 --as-of 2026-06-30" + db);
  ASSERT_EQ(demo.code, 0) << demo.output;
  Outcome score = Tenure("score --as-of 2026-06-30" + db);
  ASSERT_EQ(score.code, 0) << score.output;
  json stats = testing::TenureJson("stats --by province --format json" + db);
  ASSERT_TRUE(stats.is_object());

  struct Sums {
    int scored = 0;
    double p_alive = 0, purchases = 0, clv = 0;
  };
  std::map<std::string, Sums> by_province;
  Sums total;
  const int customers = stats["total"]["customers"];
  ASSERT_GT(customers, 0);
  for (int id = 1; id <= customers; ++id) {
    json c = testing::TenureJson("customer show " + std::to_string(id) + " --json" + db);
    if (c["scores"]["p_alive"].is_null()) continue;  // not scored
    std::string province =
        c["province"].is_null() ? std::string("(none)") : c["province"].get<std::string>();
    for (Sums* s : {&by_province[province], &total}) {
      ++s->scored;
      s->p_alive += c["scores"]["p_alive"].get<double>();
      s->purchases += c["scores"]["expected_purchases_365"].get<double>();
      s->clv += c["scores"]["clv"].get<double>();
    }
  }
  ASSERT_GT(total.scored, 0);
  auto expect = [](const json& group, const Sums& want, const std::string& name) {
    EXPECT_EQ(group["scored_customers"], want.scored) << name;
    if (want.scored == 0) {
      EXPECT_TRUE(group["mean_p_alive"].is_null()) << name;
    } else {
      EXPECT_NEAR(group["mean_p_alive"].get<double>(), want.p_alive / want.scored, 1e-9) << name;
    }
    EXPECT_NEAR(group["expected_purchases_365"].get<double>(), want.purchases, 1e-9) << name;
    EXPECT_NEAR(group["clv"].get<double>(), want.clv, 1e-6) << name;
  };
  for (const json& group : stats["groups"]) {
    std::string province = group["province"];
    expect(group, by_province[province], province);
  }
  expect(stats["total"], total, "total");

  // The same columns in CSV and in the table.
  Outcome csv = Tenure("stats --by province --format csv" + db, /*with_stderr=*/false);
  ASSERT_EQ(csv.code, 0) << csv.output;
  EXPECT_EQ(csv.output.substr(0, csv.output.find('\n')),
            "province,customers,buyers,orders,sales,gross_profit,average_order_value,"
            "scored_customers,mean_p_alive,expected_purchases_365,clv");
  char clv[32];
  std::snprintf(clv, sizeof clv, ",%.2f\n", total.clv);
  EXPECT_NE(csv.output.find("total,"), std::string::npos) << csv.output;
  EXPECT_EQ(csv.output.substr(csv.output.rfind(',')), clv) << csv.output;
  Outcome table = Tenure("stats --by province" + db);
  EXPECT_EQ(table.code, 0) << table.output;
  EXPECT_NE(table.output.find("mean_p_alive"), std::string::npos) << table.output;
}

}  // namespace
}  // namespace tenure
