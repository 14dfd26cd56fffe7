// The commands that compute as of today, on a database whose history ended
// long ago (CDNOW's orders end on 1998-06-30): each says so on stderr and
// names the --as-of (or --to) to pass; with it, or on a database whose
// newest order is at most 180 days old, nothing is said.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "testing/run_tenure.h"
#include "testing/temp_dir.h"

namespace tenure {
namespace {

using testing::Outcome;
using testing::TempDir;
using testing::Tenure;

std::chrono::sys_days Today() {
  return std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
}

std::string IsoDate(std::chrono::sys_days day) {
  std::chrono::year_month_day ymd(day);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

// 5474 -> "5,474".
std::string Grouped(long long n) {
  std::string digits = std::to_string(n);
  for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3) digits.insert(at, ",");
  return digits;
}

constexpr const char* kWarned = "newest order in";

class OldHistoryCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    std::string cdnow = std::string(TENURE_TEST_DATA) + "/cdnow_sample.csv";
    Outcome imported = Tenure("import orders " + cdnow + " --create-customers" + Db());
    ASSERT_EQ(imported.code, 0) << imported.output;
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string Db() { return " --db " + dir_->File("cdnow.db"); }

  static TempDir* dir_;
};

TempDir* OldHistoryCliTest::dir_ = nullptr;

TEST_F(OldHistoryCliTest, CommandsAsOfTodaySaySoAndNameTheDateToPass) {
  const std::chrono::sys_days end = std::chrono::year(1998) / std::chrono::June / 30;
  const long long days = (Today() - end).count();
  const std::string start = "tenure: the newest order in " + dir_->File("cdnow.db") +
                            " is 1998-06-30, " + Grouped(days) + " days before today; ";
  struct Case {
    std::string args;
    std::string computed;  // what was computed against today
    std::string option;
    std::string to_see;
  };
  const std::string figures = "the figures are computed as of today";
  const std::string see = "to see them as of the end of the history";
  const std::vector<Case> cases = {
      {"customer show 1", figures, "--as-of", see},
      {"workbench --list dormant", "the lists are built as of today", "--as-of", see},
      {"credit show 1", figures, "--as-of", see},
      {"credit defaulters", figures, "--as-of", see},
      {"credit rate", "the ratings are computed as of today", "--as-of",
       "to rate as of the end of the history"},
      {"churn report", "the periods end today", "--as-of", "to end them with the history"},
      {"complaint list", "deadlines are judged at the end of today", "--as-of",
       "to judge them at the end of the history"},
      {"team report", "the report covers the 30 days to today", "--to",
       "to end it with the history"},
      {"score", "the models are fitted with today as the end of the observation", "--as-of",
       "to fit them to the end of the history"},
  };
  for (const Case& c : cases) {
    Outcome run = Tenure(c.args + Db());
    EXPECT_EQ(run.code, 0) << c.args << "\n" << run.output;
    std::string line =
        start + c.computed + " — pass " + c.option + " 1998-06-30 " + c.to_see + "\n";
    EXPECT_NE(run.output.find(line), std::string::npos) << c.args << ": expected\n"
                                                        << line << "in\n"
                                                        << run.output;
  }
  // On stderr only: standard output is the command's own.
  Outcome out = Tenure("customer show 1" + Db(), /*with_stderr=*/false);
  EXPECT_EQ(out.output.find(kWarned), std::string::npos) << out.output;
  EXPECT_NE(out.output.find("Metrics as of " + IsoDate(Today())), std::string::npos) << out.output;
}

TEST_F(OldHistoryCliTest, NothingIsSaidWhenTheDateIsGiven) {
  for (const char* args :
       {"customer show 1 --as-of 1998-06-30", "workbench --list dormant --as-of 1998-06-30",
        "credit defaulters --as-of 1998-06-30", "churn report --to 1998-06-30",
        "team report --to 1998-06-30", "complaint list --as-of 1998-06-30",
        "score --as-of 1998-06-30"}) {
    Outcome run = Tenure(args + Db());
    EXPECT_EQ(run.code, 0) << args << "\n" << run.output;
    EXPECT_EQ(run.output.find(kWarned), std::string::npos) << args << "\n" << run.output;
  }
}

// A history whose newest order is `days` days old, as of today.
class RecentHistoryCliTest : public ::testing::Test {
 protected:
  std::string DbWithNewestOrder(int days) {
    std::string db = dir_.File("t" + std::to_string(days) + ".db");
    std::string orders =
        dir_.Write("orders.csv", "order_id,customer_id,date,amount\nO1,C1," +
                                     IsoDate(Today() - std::chrono::days(400)) + ",10.00\nO2,C1," +
                                     IsoDate(Today() - std::chrono::days(days)) + ",12.00\n");
    Outcome run = Tenure("import orders " + orders + " --create-customers --db " + db);
    EXPECT_EQ(run.code, 0) << run.output;
    return " --db " + db;
  }
  TempDir dir_;
};

TEST_F(RecentHistoryCliTest, HalfAYearIsCurrentTheDayAfterIsOld) {
  std::string current = DbWithNewestOrder(180);
  for (const char* args : {"customer show C1", "workbench --list dormant", "team report"}) {
    Outcome run = Tenure(args + current);
    EXPECT_EQ(run.code, 0) << args << "\n" << run.output;
    EXPECT_EQ(run.output.find(kWarned), std::string::npos) << args << "\n" << run.output;
  }
  std::string old = DbWithNewestOrder(181);
  Outcome run = Tenure("customer show C1" + old);
  EXPECT_EQ(run.code, 0) << run.output;
  EXPECT_NE(run.output.find(", 181 days before today; the figures are computed as of today — "
                            "pass --as-of " +
                            IsoDate(Today() - std::chrono::days(181))),
            std::string::npos)
      << run.output;
}

}  // namespace
}  // namespace tenure
