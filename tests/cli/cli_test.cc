// The `tenure` command as a user runs it: messages name file, line and
// column; exit codes say whether anything was rejected or nothing imported;
// a failed command leaves what was stored as it was.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "testing/paths.h"
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

// Text that another program stored without checking it (here the sqlite3
// shell) breaks no report: `stats --format json` prints JSON with U+FFFD
// where the stray byte was (it used to abort with exit 134).
TEST_F(CliTest, StoredTextThatIsNotUtf8BreaksNoReport) {
  std::string customers =
      dir_.Write("customers.csv", "customer_id,name,city\nC1,Acme,Lyon\nC2,Bolt,Oslo\n");
  ASSERT_EQ(Tenure("import customers " + customers + Db()).code, 0);
  ASSERT_EQ(std::system(("sqlite3 " + dir_.File("t.db") +
                         " \"UPDATE customers SET city = CAST(X'436166E9' AS TEXT),"
                         " name = CAST(X'436166E9' AS TEXT) WHERE external_id = 'C1'\"")
                            .c_str()),
            0);
  nlohmann::json stats = testing::TenureJson("stats --by city --format json" + Db());
  bool repaired = false;
  for (const auto& group : stats["groups"]) repaired |= group["city"] == "Caf\xEF\xBF\xBD";
  EXPECT_TRUE(repaired) << stats.dump();
  EXPECT_EQ(Tenure("stats --by city" + Db()).code, 0);
  EXPECT_EQ(Tenure("export customers" + Db()).code, 0);
  nlohmann::json profile = testing::TenureJson("customer show C1 --json" + Db());
  EXPECT_EQ(profile["name"], "Caf\xEF\xBF\xBD");
}

// A database file (and folder) the user may not write is still read:
// summary, export, customer show and stats work; a write says why it
// cannot. As root, whom no permission stops, the commands run as nobody.
TEST_F(CliTest, ReadOnlyDatabaseCanStillBeRead) {
  std::string customers =
      dir_.Write("customers.csv", "customer_id,name,city\nC1,Acme,Lyon\nC2,Bolt,Oslo\n");
  std::string orders =
      dir_.Write("orders.csv", "order_id,customer_id,date,amount\nO1,C1,2025-01-02,10\n");
  ASSERT_EQ(Tenure("import customers " + customers + Db()).code, 0);
  ASSERT_EQ(Tenure("import orders " + orders + Db()).code, 0);
  // The folder's other files go; the database stays, with no -wal or -shm.
  std::filesystem::remove(customers);
  std::filesystem::remove(orders);
  const std::string as_reader =
      geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : "";
  auto reader = [&](const std::string& args) {
    std::string command = as_reader + TENURE_BINARY + " " + args + " 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    Outcome run{-1, ""};
    char buffer[4096];
    for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) run.output.append(buffer, n);
    int status = pclose(pipe);
    run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return run;
  };
  const std::string folder = std::filesystem::path(dir_.File("t.db")).parent_path().string();
  ASSERT_EQ(chmod(dir_.File("t.db").c_str(), 0444), 0);
  for (mode_t folder_mode : {0755, 0555}) {
    ASSERT_EQ(chmod(folder.c_str(), folder_mode), 0);
    for (const std::string& command :
         {"summary", "export customers", "customer show C1 --json", "stats --by city"}) {
      Outcome run = reader(command + Db());
      EXPECT_EQ(run.code, 0) << command << " (folder " << std::oct << folder_mode
                             << "): " << run.output;
    }
    Outcome show = reader("customer show C1 --json" + Db());
    EXPECT_NE(show.output.find("\"cumulative_sales\": 10.0"), std::string::npos) << show.output;
    Outcome write = reader("import customers /dev/null" + Db());
    EXPECT_NE(write.code, 0) << write.output;
  }
  ASSERT_EQ(chmod(folder.c_str(), 0700), 0);
  ASSERT_EQ(chmod(dir_.File("t.db").c_str(), 0644), 0);
}

// `tenure openapi` prints the server's document, and needs no database
// (the web build generates its types from it).
TEST_F(CliTest, OpenApiPrintsTheDocumentWithoutADatabase) {
  nlohmann::json doc = testing::TenureJson("openapi");
  EXPECT_EQ(doc["openapi"], "3.0.3");
  EXPECT_TRUE(doc["paths"].contains("/customers/{id}"));
  EXPECT_TRUE(doc["components"]["schemas"].contains("CustomerProfile"));
}

}  // namespace
}  // namespace tenure
