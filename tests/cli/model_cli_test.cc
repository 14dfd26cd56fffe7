// `tenure model fit` and `tenure model survival` through the real binary:
// the published CDNOW numbers in text and JSON, the scores file, sBG, the
// Gehan survival data, and the messages and exit codes for bad input.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "testing/paths.h"
#include "testing/run_tenure.h"
#include "testing/temp_dir.h"

namespace tenure {
namespace {

using nlohmann::json;
using testing::Outcome;
using testing::TempDir;
using testing::Tenure;

std::string Sample() { return std::string(TENURE_TEST_DATA) + "/cdnow_sample.csv"; }

bool Has(const Outcome& run, const std::string& text) {
  return run.output.find(text) != std::string::npos;
}

json Json(const std::string& args) { return testing::TenureJson(args); }

TEST(ModelCliTest, BgNbdOnCdnowPrintsThePublishedNumbers) {
  Outcome run =
      Tenure("model fit bgnbd --transactions " + Sample() + " --calibration-end 1997-09-30");
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_TRUE(Has(run, "2,357 customers, 6,919 transactions")) << run.output;
  EXPECT_TRUE(Has(run, "0.2426")) << run.output;  // the other parameters: JSON test
  EXPECT_TRUE(Has(run, "-9582.43")) << run.output;
  EXPECT_TRUE(Has(run, "actual 1,882, expected 1653.4")) << run.output;
  EXPECT_FALSE(Has(run, "did not converge")) << run.output;
}

TEST(ModelCliTest, JsonHasParamsErrorsAndHoldout) {
  json j =
      Json("model fit bgnbd --json --transactions " + Sample() + " --calibration-end 1997-09-30");
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j["model"], "bgnbd");
  EXPECT_NEAR(j["params"]["r"].get<double>(), 0.2426, 0.0005);
  EXPECT_NEAR(j["params"]["alpha"].get<double>(), 4.4137, 0.005);
  EXPECT_NEAR(j["params"]["a"].get<double>(), 0.7930, 0.001);
  EXPECT_NEAR(j["params"]["b"].get<double>(), 2.4262, 0.005);
  EXPECT_NEAR(j["std_errors"]["r"].get<double>(), 0.0126, 0.0005);
  EXPECT_NEAR(j["log_likelihood"].get<double>(), -9582.43, 0.01);
  EXPECT_DOUBLE_EQ(j["holdout"]["actual"].get<double>(), 1882);
  EXPECT_NEAR(j["holdout"]["expected"].get<double>(), 1653.4, 0.5);
  ASSERT_EQ(j["holdout"]["bins"].size(), 8u);
  EXPECT_EQ(j["holdout"]["bins"][7]["label"], "7+");
  EXPECT_EQ(j["holdout"]["bins"][0]["customers"], 1411);
  // Each phase's time is reported (what it is depends on the machine).
  for (const char* phase : {"read", "summary", "fit", "score", "write"}) {
    EXPECT_GE(j["phase_seconds"][phase].get<double>(), 0) << phase;
  }
  EXPECT_GT(j["seconds"].get<double>(), 0);

  json p =
      Json("model fit pnbd --json --transactions " + Sample() + " --calibration-end 1997-09-30");
  ASSERT_TRUE(p.is_object());
  EXPECT_EQ(p["model"], "pnbd");
  EXPECT_NEAR(p["params"]["s"].get<double>(), 0.606, 0.001);
  EXPECT_NEAR(p["params"]["beta"].get<double>(), 11.66, 0.02);
  EXPECT_NEAR(p["log_likelihood"].get<double>(), -9594.98, 0.01);
  EXPECT_NEAR(p["holdout"]["expected"].get<double>(), 1665.7, 0.5);

  json g = Json("model fit gg --json --transactions " + Sample() + " --calibration-end 1997-09-30");
  ASSERT_TRUE(g.is_object());
  EXPECT_NEAR(g["params"]["p"].get<double>(), 6.25, 0.01);
  EXPECT_NEAR(g["params"]["q"].get<double>(), 3.74, 0.01);
  EXPECT_NEAR(g["params"]["gamma"].get<double>(), 15.44, 0.02);
  EXPECT_FALSE(g.contains("holdout"));

  json whole = Json("model fit mbgnbd --json --transactions " + Sample());
  ASSERT_TRUE(whole.is_object());
  EXPECT_EQ(whole["calibration_end"], "1998-06-30");
  EXPECT_FALSE(whole.contains("holdout"));
  EXPECT_TRUE(whole["params"].contains("b"));
}

TEST(ModelCliTest, ScoresFileHasOneRowPerCustomer) {
  TempDir dir;
  Outcome run = Tenure("model fit pnbd --transactions " + Sample() +
                       " --calibration-end 1997-09-30 --scores " + dir.File("scores.csv"));
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_TRUE(Has(run, "Scores of 2,357 customers written to")) << run.output;
  std::istringstream csv(testing::ReadFile(dir.File("scores.csv")));
  std::string line;
  std::getline(csv, line);
  EXPECT_EQ(line, "customer,x,t_x,T,p_alive,expected_purchases,expected_spend,clv");
  int rows = 0;
  double total = 0;
  while (std::getline(csv, line)) {
    ++rows;
    std::vector<std::string> cells;
    std::stringstream fields(line);
    for (std::string cell; std::getline(fields, cell, ',');) cells.push_back(cell);
    ASSERT_EQ(cells.size(), 8u) << line;
    EXPECT_FALSE(cells[7].empty()) << line;  // CLV
    total += std::stod(cells[5]);
  }
  EXPECT_EQ(rows, 2357);
  EXPECT_NEAR(total, 1665.7, 0.5);  // the holdout forecast, customer by customer
}

TEST(ModelCliTest, SbgFitsSurvivorCounts) {
  TempDir dir;
  std::string file = dir.Write("regular.csv",
                               "year,alive\n0,1000\n1,631\n2,468\n3,382\n4,326\n5,289\n6,262\n"
                               "7,241\n8,223\n9,207\n10,194\n11,183\n12,173\n");
  json j = Json("model fit sbg --json --survivors " + file + " --calibration-periods 7");
  ASSERT_TRUE(j.is_object());
  EXPECT_NEAR(j["params"]["alpha"].get<double>(), 0.704, 0.001);
  EXPECT_NEAR(j["params"]["beta"].get<double>(), 1.182, 0.001);
  EXPECT_EQ(j["holdout"]["bins"].size(), 5u);
  Outcome none = Tenure("model fit sbg");
  EXPECT_EQ(none.code, 2) << none.output;
  EXPECT_TRUE(Has(none, "--survivors")) << none.output;
}

TEST(ModelCliTest, SurvivalByGroupPrintsMediansAndLogRank) {
  TempDir dir;
  std::string csv = "weeks,relapsed,arm\n";
  const int drug[] = {6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35};
  const int drug_event[] = {1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0};
  const int placebo[] = {1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23};
  for (int i = 0; i < 21; ++i) {
    csv += std::to_string(drug[i]) + "," + std::to_string(drug_event[i]) + ",6-MP\n";
    csv += std::to_string(placebo[i]) + ",1,placebo\n";
  }
  std::string file = dir.Write("gehan.csv", csv);
  std::string args =
      "model survival --durations " + file + " --duration-col weeks --event-col relapsed --by arm";
  Outcome run = Tenure(args);
  ASSERT_EQ(run.code, 0) << run.output;
  EXPECT_TRUE(Has(run, "arm = 6-MP: 21 subjects, 9 events")) << run.output;
  EXPECT_TRUE(Has(run, "median 23 ")) << run.output;
  EXPECT_TRUE(Has(run, "median 8 ")) << run.output;
  EXPECT_TRUE(Has(run, "chi-square 16.79, 1 df")) << run.output;
  auto groups = testing::TableUnder(run.output, {"arm", "observed", "expected"});
  ASSERT_TRUE(groups) << run.output;
  ASSERT_EQ(groups->size(), 2u) << run.output;
  EXPECT_EQ((*groups)[0][0], "6-MP");
  EXPECT_EQ((*groups)[0][1], "9");
  EXPECT_EQ((*groups)[1][0], "placebo");
  EXPECT_EQ((*groups)[1][1], "21");

  json j = Json(args + " --json");
  ASSERT_TRUE(j.is_object());
  ASSERT_EQ(j["groups"].size(), 2u);
  EXPECT_EQ(j["groups"][1]["label"], "placebo");
  EXPECT_EQ(j["groups"][1]["median"], 8);
  EXPECT_NEAR(j["log_rank"]["statistic"].get<double>(), 16.79, 0.01);
  EXPECT_FALSE(j["groups"][0]["rows"].empty());
}

TEST(ModelCliTest, BadInputGivesFileLineColumnAndExitCode) {
  TempDir dir;
  std::string bad_date =
      dir.Write("d.csv", "customer_id,date,amount\n1,1997-01-01,3\n1,97/2/1,4\n");
  Outcome date = Tenure("model fit bgnbd --transactions " + bad_date);
  EXPECT_EQ(date.code, 1) << date.output;
  EXPECT_TRUE(Has(date, bad_date + ":3: column 'date': not a date '97/2/1'")) << date.output;

  std::string bad_amount = dir.Write("a.csv", "customer_id,date,amount\n1,1997-01-01,x3\n");
  Outcome amount = Tenure("model fit gg --transactions " + bad_amount);
  EXPECT_EQ(amount.code, 1) << amount.output;
  EXPECT_TRUE(Has(amount, bad_amount + ":2: column 'amount': not a number 'x3'")) << amount.output;

  Outcome column = Tenure("model fit pnbd --transactions " + Sample() + " --customer-col buyer");
  EXPECT_EQ(column.code, 2) << column.output;
  EXPECT_TRUE(Has(column, "no column 'buyer' in the header")) << column.output;

  Outcome model = Tenure("model fit weibull --transactions " + Sample());
  EXPECT_EQ(model.code, 2) << model.output;
  EXPECT_TRUE(Has(model, "unknown model 'weibull'")) << model.output;

  Outcome unit = Tenure("model fit bgnbd --time-unit month --transactions " + Sample());
  EXPECT_EQ(unit.code, 2) << unit.output;

  Outcome end = Tenure("model fit bgnbd --calibration-end 30/09/1997 --transactions " + Sample());
  EXPECT_EQ(end.code, 2) << end.output;
  EXPECT_TRUE(Has(end, "--calibration-end")) << end.output;

  Outcome missing = Tenure("model fit bgnbd --transactions " + dir.File("nope.csv"));
  EXPECT_EQ(missing.code, 1) << missing.output;

  std::string format = dir.Write("f.csv", "customer_id,date\n1,01/02/1997\n2,1997-02-13\n");
  Outcome formatted = Tenure("model fit bgnbd --date-format %d/%m/%Y --transactions " + format);
  EXPECT_EQ(formatted.code, 1) << formatted.output;
  EXPECT_TRUE(Has(formatted, format + ":3: column 'date': not a date '1997-02-13' (expected "
                                      "--date-format %d/%m/%Y)"))
      << formatted.output;
}

}  // namespace
}  // namespace tenure
