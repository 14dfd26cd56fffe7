// The `tenure` command as a user runs it: messages name file, line and
// column; exit codes say whether anything was rejected or nothing imported;
// a failed command leaves what was stored as it was.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "testing/run_tenure.h"
#include "testing/temp_dir.h"

namespace tenure {
namespace {

using testing::TempDir;

using testing::Outcome;
using testing::Tenure;

class CliTest : public ::testing::Test {
 protected:
  std::string Db() { return " --db " + dir_.File("t.db"); }
  TempDir dir_;
};

TEST_F(CliTest, ImportExitCodesAndMessages) {
  std::string customers = dir_.Write("customers.csv", "customer_id,name\nC1,Acme\nC2,Bolt\n");
  Outcome ok = Tenure("import customers " + customers + Db());
  EXPECT_EQ(ok.code, 0) << ok.output;
  EXPECT_NE(ok.output.find("2 inserted"), std::string::npos) << ok.output;

  std::string orders = dir_.Write("orders.csv",
                                  "order_id,customer_id,date,amount\n"
                                  "O1,C1,2026-01-05,10\nO2,C1,2026-01-06,abc\n");
  Outcome some = Tenure("import orders " + orders + Db());
  EXPECT_EQ(some.code, 3) << some.output;
  EXPECT_NE(some.output.find(orders + ":3: column 'amount': not a number: 'abc'"),
            std::string::npos)
      << some.output;
  EXPECT_NE(some.output.find(dir_.File("orders.rejects.csv")), std::string::npos) << some.output;

  Outcome again = Tenure("import orders " + orders + Db());
  EXPECT_EQ(again.code, 3);
  EXPECT_NE(again.output.find("0 inserted, 0 updated, 1 unchanged, 1 rejected"), std::string::npos)
      << again.output;

  Outcome bad_map = Tenure("import orders " + orders + " --map nope=amount" + Db());
  EXPECT_EQ(bad_map.code, 2) << bad_map.output;
  EXPECT_NE(bad_map.output.find("unknown column 'nope' in --map"), std::string::npos);

  Outcome missing = Tenure("import orders " + dir_.File("missing.csv") + Db());
  EXPECT_EQ(missing.code, 1) << missing.output;
  EXPECT_NE(missing.output.find("cannot read " + dir_.File("missing.csv")), std::string::npos);

  Outcome entity = Tenure("import widgets " + orders + Db());
  EXPECT_NE(entity.code, 0);
  EXPECT_NE(entity.output.find("unknown entity 'widgets'"), std::string::npos);

  // What was stored is still there, once.
  Outcome csv = Tenure("export orders" + Db());
  EXPECT_EQ(csv.code, 0) << csv.output;
  EXPECT_NE(csv.output.find("\nO1,C1,,,2026-01-05,10.00,"), std::string::npos) << csv.output;
  EXPECT_EQ(csv.output.find("O2"), std::string::npos);
}

TEST_F(CliTest, CommandsOnAMissingDatabaseSayHowToCreateOne) {
  Outcome run = Tenure("summary" + Db());
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.output.find("no database at " + dir_.File("t.db")), std::string::npos)
      << run.output;
}

TEST_F(CliTest, UsageErrorsExitWithTwo) {
  EXPECT_EQ(Tenure("import").code, 2);
  EXPECT_EQ(Tenure("frobnicate").code, 2);
  Outcome format = Tenure("export orders --format pdf" + Db());
  EXPECT_NE(format.code, 0);
}

TEST_F(CliTest, CustomerShowGivesTheProfileWithItsMetrics) {
  std::string orders = dir_.Write("orders.csv",
                                  "order_id,customer_id,date,amount,cost\n"
                                  "O1,C1,2026-01-01,10.50,4\nO2,C1,2026-01-21,4.50,\n");
  ASSERT_EQ(Tenure("import orders " + orders + " --create-customers" + Db()).code, 0);
  Outcome show = Tenure("customer show C1 --json --as-of 2026-03-01" + Db());
  ASSERT_EQ(show.code, 0) << show.output;
  auto j = nlohmann::json::parse(show.output);
  EXPECT_EQ(j["external_id"], "C1");
  EXPECT_EQ(j["first_order_date"], "2026-01-01");
  EXPECT_EQ(j["last_order_date"], "2026-01-21");
  EXPECT_EQ(j["order_count"], 2);
  EXPECT_DOUBLE_EQ(j["cumulative_sales"].get<double>(), 15.0);
  EXPECT_DOUBLE_EQ(j["gross_profit"].get<double>(), 11.0);
  EXPECT_DOUBLE_EQ(j["average_purchase_cycle_days"].get<double>(), 20.0);
  EXPECT_EQ(j["next_purchase_date"], "2026-02-10");
  EXPECT_TRUE(j["days_since_last_contact"].is_null());
  EXPECT_DOUBLE_EQ(j["receivables"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(j["overdue_receivables"].get<double>(), 0.0);
  ASSERT_EQ(j["orders"].size(), 2u);
  EXPECT_EQ(j["orders"][0]["external_id"], "O2");  // newest first
  EXPECT_DOUBLE_EQ(j["orders"][0]["amount"].get<double>(), 4.5);

  Outcome missing = Tenure("customer show C9" + Db());
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.output.find("no customer 'C9'"), std::string::npos) << missing.output;
  Outcome bad_date = Tenure("customer show C1 --as-of 2026-13-01" + Db());
  EXPECT_EQ(bad_date.code, 2);
  EXPECT_NE(bad_date.output.find("--as-of"), std::string::npos) << bad_date.output;

  Outcome rebuild = Tenure("metrics rebuild" + Db());
  EXPECT_EQ(rebuild.code, 0) << rebuild.output;
  EXPECT_NE(rebuild.output.find("0 customers changed"), std::string::npos) << rebuild.output;
}

}  // namespace
}  // namespace tenure
