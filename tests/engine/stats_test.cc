// Statistics by classification, the 80/20 view and lead grading, on small
// hand-built companies whose every number is worked out in the comments; and
// the published CDNOW figure: the top 20 % of customers bring 67.8 % of sales.
#include "engine/stats.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "engine/import_fixture.h"

namespace tenure::engine {
namespace {

using store::StatsDimension;

class StatsTest : public ImportFixture {
 protected:
  // The table as WriteTableCsv writes it (2 decimals), read back as text.
  std::string CsvText(const ReportTable& table, const std::string& name) {
    std::string path = dir_.File(name);
    EXPECT_TRUE(WriteTableCsv(table, path, 2).ok());
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // Two teams, two salespeople, five customers:
  //   C1 P1 Lyon A alice: 100.00 (cost 60.00), 50.00 (no cost), 999.00 cancelled
  //   C2 P1 Nice B alice: 30.00 (cost 10.00), 0.02 (no cost)
  //   C3 P2 Oslo A bob:   200.00 (cost 150.00), 20.00 (cost 5.00)
  //   C4 -  -    - -:     no orders
  //   C5 P2 -    B bob:   no orders (a lead)
  void ImportCompany() {
    ImportClean("teams", "name\nNorth\nSouth\n");
    ImportClean("users", "username,role,team\nalice,sales,North\nbob,sales,South\n");
    ImportClean("customers",
                "customer_id,name,province,city,level,owner,status\n"
                "C1,Acme,P1,Lyon,A,alice,active\nC2,Bolt,P1,Nice,B,alice,active\n"
                "C3,Cora,P2,Oslo,A,bob,active\nC4,Dune,,,,,active\nC5,Echo,P2,,B,bob,lead\n");
    ImportClean("orders",
                "id,customer,date,amount,cost,status\n"
                "o1,C1,2024-01-10,100.00,60.00,completed\n"
                "o2,C1,2024-02-10,50.00,,completed\n"
                "o3,C1,2024-03-01,999.00,1.00,cancelled\n"
                "o4,C2,2024-01-20,30.00,10.00,completed\n"
                "o5,C2,2024-01-21,0.02,,open\n"
                "o6,C3,2024-02-15,200.00,150.00,completed\n"
                "o7,C3,2024-03-20,20.00,5.00,completed\n");
  }

  // Scores as a scoring run leaves them (customer_scores has no foreign keys):
  //   C1 P(alive) 0.9, 3.5 purchases in 365 days, CLV 123.45
  //   C2          0.3, 0.25,                          6.78
  //   C3          0.6, 2.0,                           400.00
  //   C5          0.5, 1.0,                           0.01
  //   C4 not scored
  void ScoreCompany() {
    Exec(
        "INSERT INTO score_runs (id, scored_at, model, as_of) VALUES (1, 0, 'bgnbd', "
        "'2024-03-31')");
    SetScore("C1", "0.9, 1.0, 1.5, 3.5, 12345");
    SetScore("C2", "0.3, 0.1, 0.2, 0.25, 678");
    SetScore("C3", "0.6, 0.5, 1.0, 2.0, 40000");
    SetScore("C5", "0.5, 0.1, 0.3, 1.0, 1");
  }
  void Exec(const std::string& sql) {
    Status s = db_->Exec(sql);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  // `values`: p_alive, expected_purchases_30, _90, _365, clv.
  void SetScore(const std::string& id, const std::string& values) {
    Exec("INSERT INTO customer_scores SELECT id, 1, " + values +
         ", '2024-05-01', NULL FROM customers WHERE external_id = '" + id + "'");
  }

  // The group's scores against the same sums taken straight from
  // customer_scores joined to customers (`condition` selects the group).
  void ExpectScoresOf(const GroupStats& g, const std::string& condition) {
    std::string from =
        " FROM customer_scores s JOIN customers c ON c.id = s.customer_id WHERE " + condition;
    int64_t scored = Count("SELECT count(*)" + from);
    EXPECT_EQ(g.scored_customers, scored) << condition;
    if (scored == 0) {
      EXPECT_FALSE(g.mean_p_alive) << condition;
    } else {
      ASSERT_TRUE(g.mean_p_alive) << condition;
      EXPECT_NEAR(*g.mean_p_alive, std::stod(Text("SELECT avg(s.p_alive)" + from)), 1e-12)
          << condition;
    }
    EXPECT_NEAR(g.expected_purchases_365,
                std::stod(Text("SELECT total(s.expected_purchases_365)" + from)), 1e-12)
        << condition;
    EXPECT_EQ(g.clv, Count("SELECT coalesce(sum(s.clv), 0)" + from)) << condition;
  }

  StatsReport Stats(const std::string& by, Period period = {}) {
    auto dimensions = ParseDimensions(by);
    EXPECT_TRUE(dimensions.ok()) << dimensions.status().ToString();
    auto report = GroupStatistics(*db_, *dimensions, period);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : StatsReport{};
  }
};

void ExpectGroup(const GroupStats& g, int64_t customers, int64_t buyers, int64_t orders,
                 Money sales, Money profit, std::optional<Money> average) {
  EXPECT_EQ(g.customers, customers);
  EXPECT_EQ(g.buyers, buyers);
  EXPECT_EQ(g.orders, orders);
  EXPECT_EQ(g.sales, sales);
  EXPECT_EQ(g.gross_profit, profit);
  EXPECT_EQ(g.average_order_value, average);
}

TEST_F(StatsTest, GroupsByProvinceWithTotals) {
  ImportCompany();
  StatsReport r = Stats("province");
  ASSERT_EQ(r.groups.size(), 3u);
  // By sales descending: P2 220.00, P1 180.02, (none) 0.
  EXPECT_EQ(r.groups[0].keys, std::vector<std::string>{"P2"});
  ExpectGroup(r.groups[0], 2, 1, 2, 22000, 6500, 11000);
  EXPECT_EQ(r.groups[1].keys, std::vector<std::string>{"P1"});
  // Profit (100-60) + 50 + (30-10) + 0.02; average 180.02 / 4 = 45.005 -> 45.01.
  ExpectGroup(r.groups[1], 2, 2, 4, 18002, 11002, 4501);
  EXPECT_EQ(r.groups[2].keys, std::vector<std::string>{"(none)"});
  ExpectGroup(r.groups[2], 1, 0, 0, 0, 0, std::nullopt);
  // 400.02 over 6 orders = 66.67.
  ExpectGroup(r.total, 5, 3, 6, 40002, 17502, 6667);
}

TEST_F(StatsTest, PeriodCountsOnlyItsOrdersButEveryCustomer) {
  ImportCompany();
  Period february{ParseIsoDate("2024-02-01"), ParseIsoDate("2024-02-29")};
  StatsReport r = Stats("owner", february);
  ASSERT_EQ(r.groups.size(), 3u);
  EXPECT_EQ(r.groups[0].keys[0], "bob");
  ExpectGroup(r.groups[0], 2, 1, 1, 20000, 5000, 20000);
  EXPECT_EQ(r.groups[1].keys[0], "alice");
  ExpectGroup(r.groups[1], 2, 1, 1, 5000, 5000, 5000);
  EXPECT_EQ(r.groups[2].keys[0], "(none)");
  ExpectGroup(r.total, 5, 2, 2, 25000, 10000, 12500);

  // Only a start: C1's 2024-02-10 and C3's two orders.
  StatsReport from{Stats("owner", Period{ParseIsoDate("2024-02-10"), std::nullopt})};
  ExpectGroup(from.total, 5, 2, 3, 27000, 11500, 9000);
}

TEST_F(StatsTest, ScoresOfEachGroup) {
  ImportCompany();
  ScoreCompany();
  StatsReport r = Stats("province");
  ASSERT_EQ(r.groups.size(), 3u);
  // P2 = C3 and C5: mean (0.6 + 0.5) / 2; P1 = C1 and C2: (0.9 + 0.3) / 2.
  EXPECT_EQ(r.groups[0].keys[0], "P2");
  EXPECT_EQ(r.groups[0].scored_customers, 2);
  EXPECT_NEAR(*r.groups[0].mean_p_alive, 0.55, 1e-12);
  EXPECT_NEAR(r.groups[0].expected_purchases_365, 3.0, 1e-12);
  EXPECT_EQ(r.groups[0].clv, 40001);
  EXPECT_EQ(r.groups[1].keys[0], "P1");
  EXPECT_NEAR(*r.groups[1].mean_p_alive, 0.6, 1e-12);
  EXPECT_NEAR(r.groups[1].expected_purchases_365, 3.75, 1e-12);
  EXPECT_EQ(r.groups[1].clv, 13023);
  EXPECT_EQ(r.groups[2].keys[0], "(none)");  // C4, not scored
  EXPECT_EQ(r.groups[2].scored_customers, 0);
  EXPECT_FALSE(r.groups[2].mean_p_alive);
  EXPECT_EQ(r.groups[2].clv, 0);
  EXPECT_EQ(r.total.scored_customers, 4);
  EXPECT_NEAR(*r.total.mean_p_alive, 2.3 / 4, 1e-12);  // over the scored, not the groups
  EXPECT_NEAR(r.total.expected_purchases_365, 6.75, 1e-12);
  EXPECT_EQ(r.total.clv, 53024);
  ExpectScoresOf(r.groups[0], "c.province = 'P2'");
  ExpectScoresOf(r.groups[1], "c.province = 'P1'");
  ExpectScoresOf(r.groups[2], "c.province IS NULL");
  ExpectScoresOf(r.total, "1");

  // Two dimensions, the owner's team; the period restricts orders, not scores.
  Period february{ParseIsoDate("2024-02-01"), ParseIsoDate("2024-02-29")};
  StatsReport teams = Stats("team,level", february);
  ASSERT_EQ(teams.groups.size(), 5u);
  for (const GroupStats& g : teams.groups) {
    std::string team = g.keys[0] == "(none)" ? "IS NULL" : "= '" + g.keys[0] + "'";
    std::string level = g.keys[1] == "(none)" ? "IS NULL" : "= '" + g.keys[1] + "'";
    ExpectScoresOf(g,
                   "(SELECT t.name FROM teams t WHERE t.id = coalesce(c.team_id,"
                   " (SELECT u.team_id FROM users u WHERE u.id = c.owner_id))) " +
                       team + " AND c.level " + level);
  }
  ExpectScoresOf(teams.total, "1");

  ReportTable table = StatsTable(r);
  ASSERT_EQ(table.columns.size(), 11u);
  EXPECT_EQ(CsvText(table, "scores.csv"),
            "province,customers,buyers,orders,sales,gross_profit,average_order_value,"
            "scored_customers,mean_p_alive,expected_purchases_365,clv\n"
            "P2,2,1,2,220.00,65.00,110.00,2,0.5500,3.00,400.01\n"
            "P1,2,2,4,180.02,110.02,45.01,2,0.6000,3.75,130.23\n"
            "(none),1,0,0,0.00,0.00,,0,,0.00,0.00\n"
            "total,5,3,6,400.02,175.02,66.67,4,0.5750,6.75,530.24\n");
}

TEST_F(StatsTest, TwoDimensionsAndTeamsFromTheOwner) {
  ImportCompany();
  StatsReport r = Stats("team, level");
  // South/A = C3 220.00; North/A = C1 150.00; North/B = C2 30.02; South/B = C5;
  // (none)/(none) = C4.
  ASSERT_EQ(r.groups.size(), 5u);
  EXPECT_EQ(r.groups[0].keys, (std::vector<std::string>{"South", "A"}));
  ExpectGroup(r.groups[0], 1, 1, 2, 22000, 6500, 11000);
  EXPECT_EQ(r.groups[1].keys, (std::vector<std::string>{"North", "A"}));
  ExpectGroup(r.groups[1], 1, 1, 2, 15000, 9000, 7500);
  EXPECT_EQ(r.groups[2].keys, (std::vector<std::string>{"North", "B"}));
  ExpectGroup(r.groups[2], 1, 1, 2, 3002, 2002, 1501);
  // Ties at zero sales go by key, missing values last.
  EXPECT_EQ(r.groups[3].keys, (std::vector<std::string>{"South", "B"}));
  EXPECT_EQ(r.groups[4].keys, (std::vector<std::string>{"(none)", "(none)"}));
  ExpectGroup(r.total, 5, 3, 6, 40002, 17502, 6667);
}

TEST_F(StatsTest, UnknownDimensionNamesByAndTheChoices) {
  auto bad = ParseDimensions("province,colour");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().field(), "--by");
  EXPECT_NE(bad.status().message().find("'colour'"), std::string::npos);
  EXPECT_NE(
      bad.status().message().find("province, city, type, industry, level, source, owner, team"),
      std::string::npos)
      << bad.status().message();
  EXPECT_FALSE(ParseDimensions("city,city").ok());
  EXPECT_FALSE(ParseDimensions("").ok());
  auto ok = ParseDimensions("Industry,SOURCE");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, (std::vector<StatsDimension>{StatsDimension::kIndustry, StatsDimension::kSource}));
}

TEST_F(StatsTest, BackwardsPeriodIsRefused) {
  ImportCompany();
  auto dimensions = ParseDimensions("city");
  auto r = GroupStatistics(*db_, *dimensions,
                           Period{ParseIsoDate("2024-03-01"), ParseIsoDate("2024-02-01")});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "--to");
}

TEST_F(StatsTest, TableCsvAndXlsx) {
  ImportCompany();
  ReportTable table = StatsTable(Stats("province"));
  ASSERT_EQ(table.columns.size(), 11u);
  EXPECT_EQ(CsvText(table, "stats.csv"),
            "province,customers,buyers,orders,sales,gross_profit,average_order_value,"
            "scored_customers,mean_p_alive,expected_purchases_365,clv\n"
            "P2,2,1,2,220.00,65.00,110.00,0,,0.00,0.00\n"
            "P1,2,2,4,180.02,110.02,45.01,0,,0.00,0.00\n"
            "(none),1,0,0,0.00,0.00,,0,,0.00,0.00\n"
            "total,5,3,6,400.02,175.02,66.67,0,,0.00,0.00\n");
  std::string xlsx = dir_.File("stats.xlsx");
  ASSERT_TRUE(WriteTableXlsx(table, xlsx, 2).ok());
  std::ifstream book(xlsx, std::ios::binary);
  char magic[2] = {};
  book.read(magic, 2);
  EXPECT_EQ(std::string(magic, 2), "PK");  // a zip container
  EXPECT_EQ(WriteTableXlsx(table, "", 2).field(), "--out");
}

// Sales by customer (ascending): P8 5, P1 10, P2 20, P3 30, P4 40 (two
// orders), P5 100; P6 has only a cancelled order and P7 none, so n = 6.
class ParetoTest : public ImportFixture {
 protected:
  void SetUp() override {
    ImportFixture::SetUp();
    ImportClean("customers", "id,name\nP1,a\nP2,b\nP3,c\nP4,d\nP5,e\nP6,f\nP7,g\nP8,h\n");
    ImportClean("orders",
                "id,customer,date,amount,cost,status\n"
                "q1,P1,2024-01-01,10.00,9.00,completed\n"
                "q2,P2,2024-01-01,20.00,,completed\n"
                "q3,P3,2024-01-01,30.00,25.00,completed\n"
                "q4,P4,2024-01-01,15.00,,completed\n"
                "q5,P4,2024-02-01,25.00,,completed\n"
                "q6,P5,2024-01-01,100.00,90.00,completed\n"
                "q7,P6,2024-01-01,500.00,,cancelled\n"
                "q8,P8,2024-01-01,5.00,,completed\n");
  }
};

TEST_F(ParetoTest, TopTwentyPercentShareAndLorenzBySales) {
  auto r = ParetoAnalysis(*db_, ParetoMeasure::kSales, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->customers, 6);
  EXPECT_EQ(r->top_count, 2);  // ceil(1.2)
  EXPECT_EQ(r->total, 20500);
  EXPECT_EQ(r->top_value, 14000);
  EXPECT_DOUBLE_EQ(r->top_share, 140.0 / 205.0);
  ASSERT_EQ(r->top.size(), 2u);
  EXPECT_EQ(r->top[0].external_id, "P5");
  EXPECT_EQ(r->top[0].value, 10000);
  EXPECT_EQ(r->top[1].external_id, "P4");
  ASSERT_EQ(r->lorenz.size(), 101u);
  EXPECT_EQ(r->lorenz.front(), std::make_pair(0.0, 0.0));
  EXPECT_DOUBLE_EQ(r->lorenz.back().first, 1.0);
  EXPECT_DOUBLE_EQ(r->lorenz.back().second, 1.0);
  // 25 %: 1.5 customers = 5 + half of 10; 50 %: three customers = 35.
  EXPECT_DOUBLE_EQ(r->lorenz[25].second, 10.0 / 205.0);
  EXPECT_DOUBLE_EQ(r->lorenz[50].second, 35.0 / 205.0);
  // Cumulative 0 5 15 35 65 105 205: trapezoid sum 655 over 6 * 205.
  EXPECT_NEAR(r->gini, 1 - 655.0 / 1230.0, 1e-12);
}

TEST_F(ParetoTest, ByProfit) {
  // Profits: P1 1, P2 20, P3 5, P4 40, P5 10, P8 5 = 81; top two 40 + 20.
  auto r = ParetoAnalysis(*db_, ParetoMeasure::kProfit, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->customers, 6);
  EXPECT_EQ(r->total, 8100);
  EXPECT_EQ(r->top_value, 6000);
  EXPECT_DOUBLE_EQ(r->top_share, 60.0 / 81.0);
  EXPECT_EQ(r->top[0].external_id, "P4");
  EXPECT_EQ(r->top[1].external_id, "P2");
}

TEST_F(ParetoTest, PeriodAndEmpty) {
  // February has only P4's 25.00: one customer, all of it.
  auto feb = ParetoAnalysis(*db_, ParetoMeasure::kSales,
                            Period{ParseIsoDate("2024-02-01"), ParseIsoDate("2024-02-29")});
  ASSERT_TRUE(feb.ok());
  EXPECT_EQ(feb->customers, 1);
  EXPECT_EQ(feb->top_count, 1);
  EXPECT_DOUBLE_EQ(feb->top_share, 1.0);
  EXPECT_DOUBLE_EQ(feb->lorenz[50].second, 0.5);
  auto none =
      ParetoAnalysis(*db_, ParetoMeasure::kSales, Period{ParseIsoDate("2030-01-01"), std::nullopt});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->customers, 0);
  EXPECT_EQ(none->top_count, 0);
  EXPECT_EQ(none->top_share, 0);
  EXPECT_DOUBLE_EQ(none->lorenz[30].second, 0.3);  // the line of equality
}

TEST_F(ImportFixture, CdnowTopTwentyPercentBringSixtySevenPointEightPercent) {
  ImportCdnowOrders("cdnow_master.csv");
  auto r = ParetoAnalysis(*db_, ParetoMeasure::kSales, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->customers, 23570);
  EXPECT_EQ(r->top_count, 4714);
  EXPECT_EQ(r->total, 250031563);
  EXPECT_NEAR(r->top_share, 0.678, 0.0005);
}

// Leads: L1 new/A (contacted 2024-03-01), L2 new/A (never), L3 proposal/B
// (latest of two contacts 2024-02-20), L4 a lead with no stage or level, L6
// an active customer in negotiation/B. L5 (won), L7 (no stage) and L8 (lost)
// are not open leads.
TEST_F(ImportFixture, LeadsByStageAndLevel) {
  ImportClean("users", "username\nalice\n");
  ImportClean("customers",
              "id,name,status,lead_stage,level,owner\n"
              "L1,One,lead,new,A,alice\nL2,Two,lead,new,A,\nL3,Three,prospect,proposal,B,alice\n"
              "L4,Four,lead,,,\nL5,Five,active,won,A,alice\nL6,Six,active,negotiation,B,alice\n"
              "L7,Seven,active,,A,alice\nL8,Eight,lost,lost,C,alice\n");
  ImportClean("activities",
              "customer,user,kind,occurred_at\nL1,alice,call,2024-03-01 09:00\n"
              "L3,alice,visit,2024-02-01 10:00\nL3,alice,call,2024-02-20 23:59\n"
              "L5,alice,call,2024-01-01 09:00\n");
  auto r = GradeLeads(*db_, /*include_closed=*/false);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->stages, (std::vector<std::string>{"new", "contacted", "qualified", "proposal",
                                                 "negotiation", "(none)"}));
  EXPECT_EQ(r->levels, (std::vector<std::string>{"A", "B", "(none)"}));
  using Row = std::vector<int64_t>;
  EXPECT_EQ(r->counts,
            (std::vector<Row>{{2, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 1, 0}, {0, 1, 0}, {0, 0, 1}}));
  EXPECT_EQ(r->stage_totals, (Row{2, 0, 0, 1, 1, 1}));
  EXPECT_EQ(r->level_totals, (Row{2, 2, 1}));
  EXPECT_EQ(r->total, 5);
  ASSERT_EQ(r->leads.size(), 5u);
  std::vector<std::string> order;
  for (const LeadEntry& e : r->leads) order.push_back(e.external_id);
  EXPECT_EQ(order, (std::vector<std::string>{"L2", "L1", "L3", "L6", "L4"}));
  EXPECT_FALSE(r->leads[0].last_contact);
  EXPECT_EQ(r->leads[0].owner, "(none)");
  EXPECT_EQ(FormatDate(*r->leads[1].last_contact), "2024-03-01");
  EXPECT_EQ(r->leads[1].owner, "alice");
  EXPECT_EQ(FormatDate(*r->leads[2].last_contact), "2024-02-20");
  EXPECT_EQ(r->leads[2].status, "prospect");
  EXPECT_EQ(r->leads[4].stage, "(none)");
  EXPECT_EQ(r->leads[4].level, "(none)");

  auto all = GradeLeads(*db_, /*include_closed=*/true);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->stages, (std::vector<std::string>{"new", "contacted", "qualified", "proposal",
                                                   "negotiation", "won", "lost", "(none)"}));
  EXPECT_EQ(all->levels, (std::vector<std::string>{"A", "B", "C", "(none)"}));
  EXPECT_EQ(all->counts[5], (Row{1, 0, 0, 0}));  // L5 won/A
  EXPECT_EQ(all->counts[6], (Row{0, 0, 1, 0}));  // L8 lost/C
  EXPECT_EQ(all->total, 7);
}

}  // namespace
}  // namespace tenure::engine
