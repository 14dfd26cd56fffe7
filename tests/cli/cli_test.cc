// The `tenure` command as a user runs it: messages name file, line and
// column; exit codes say whether anything was rejected or nothing imported;
// a failed command leaves what was stored as it was.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <string>

#include "testing/temp_dir.h"

namespace tenure {
namespace {

using testing::TempDir;

struct Outcome {
  int code;
  std::string output;  // stdout and stderr together
};

Outcome Tenure(const std::string& args) {
  std::string command = std::string(TENURE_BINARY) + " " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  Outcome run{-1, ""};
  if (pipe == nullptr) return run;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) run.output.append(buffer, n);
  int status = pclose(pipe);
  run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

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

}  // namespace
}  // namespace tenure
