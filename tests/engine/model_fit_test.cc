// engine/model_fit: CSV -> columns -> summary -> fit -> holdout -> scores,
// against the published CDNOW numbers (tests/data/PUBLISHED.md), and the
// errors for bad input.
#include "engine/model_fit.h"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "analytics/bgnbd.h"
#include "analytics/pareto_nbd.h"
#include "testing/paths.h"
#include "testing/temp_dir.h"

namespace tenure::engine {
namespace {

using testing::TempDir;

std::string Sample() { return std::string(TENURE_TEST_DATA) + "/cdnow_sample.csv"; }

Result<ModelFitResult> FitSample(ModelKind model, bool scores = false) {
  auto log = ReadTransactionCsv({.path = Sample()});
  if (!log.ok()) return log.status();
  ModelFitOptions options;
  options.model = model;
  options.calibration_end = ParseIsoDate("1997-09-30");
  options.scores = scores;
  return FitTransactionModel(*log, options);
}

double Param(const ModelFitResult& r, const std::string& name) {
  for (const ParamEstimate& p : r.params) {
    if (p.name == name) return p.value;
  }
  return std::nan("");
}

TEST(ModelFitTest, ReadsTheCdnowSampleByGuessedColumns) {
  auto log = ReadTransactionCsv({.path = Sample()});
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ(log->customer_column, "customer_id");
  EXPECT_EQ(log->date_column, "date");
  EXPECT_EQ(log->amount_column, "amount");
  EXPECT_EQ(log->customer_ids.size(), 2357u);
  EXPECT_EQ(log->day.size(), 6919u);
  EXPECT_EQ(FormatDate(log->first_date), "1997-01-01");
  EXPECT_EQ(FormatDate(log->last_date), "1998-06-30");
}

TEST(ModelFitTest, BgNbdOnCdnowGivesThePublishedNumbers) {
  auto r = FitSample(ModelKind::kBgNbd);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->converged);
  EXPECT_EQ(r->customers, 2357);
  EXPECT_NEAR(Param(*r, "r"), 0.2426, 0.0005);
  EXPECT_NEAR(Param(*r, "alpha"), 4.4137, 0.005);
  EXPECT_NEAR(Param(*r, "a"), 0.7930, 0.001);
  EXPECT_NEAR(Param(*r, "b"), 2.4262, 0.005);
  EXPECT_NEAR(r->log_likelihood, -9582.43, 0.01);
  // Standard errors as lifetimes reports them (0.0126, 0.378, 0.186, 0.705).
  EXPECT_NEAR(r->params[0].std_error, 0.0126, 0.0005);
  EXPECT_NEAR(r->params[1].std_error, 0.378, 0.01);
  ASSERT_TRUE(r->holdout.has_value());
  EXPECT_NEAR(r->holdout->length, 39, 1e-9);
  EXPECT_DOUBLE_EQ(r->holdout->actual_total, 1882);
  EXPECT_NEAR(r->holdout->expected_total, 1653.4, 0.5);
  ASSERT_EQ(r->holdout->bins.size(), 8u);
  EXPECT_EQ(r->holdout->bins[0].customers, 1411);
  EXPECT_NEAR(r->holdout->bins[0].expected_mean, 0.2251, 0.0005);
  EXPECT_NEAR(r->holdout->bins[7].actual_mean, 6.359, 0.0005);
  EXPECT_NEAR(r->holdout->bins[7].expected_mean, 6.1570, 0.0005);
}

TEST(ModelFitTest, ParetoNbdOnCdnowGivesThePublishedNumbers) {
  auto r = FitSample(ModelKind::kParetoNbd);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NEAR(Param(*r, "r"), 0.553, 0.001);
  EXPECT_NEAR(Param(*r, "alpha"), 10.58, 0.02);
  EXPECT_NEAR(Param(*r, "s"), 0.606, 0.001);
  EXPECT_NEAR(Param(*r, "beta"), 11.66, 0.02);
  EXPECT_NEAR(r->log_likelihood, -9594.98, 0.01);
  ASSERT_TRUE(r->holdout.has_value());
  EXPECT_DOUBLE_EQ(r->holdout->actual_total, 1882);
  EXPECT_NEAR(r->holdout->expected_total, 1665.7, 0.5);
  EXPECT_NEAR(r->holdout->bins[0].expected_mean, 0.138, 0.0005);
  EXPECT_NEAR(r->holdout->bins[7].expected_mean, 6.403, 0.0005);
}

TEST(ModelFitTest, GammaGammaOnCdnowGivesThePublishedNumbers) {
  auto r = FitSample(ModelKind::kGammaGamma);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->customers, 946);
  EXPECT_NEAR(Param(*r, "p"), 6.25, 0.01);
  EXPECT_NEAR(Param(*r, "q"), 3.74, 0.01);
  EXPECT_NEAR(Param(*r, "gamma"), 15.44, 0.02);
  EXPECT_FALSE(r->holdout.has_value());
}

// CDNOW's master log has orders worth 0; customers whose repeat purchases
// are all free are left out of the spend fit instead of failing it.
TEST(ModelFitTest, GammaGammaLeavesOutCustomersWithZeroSpend) {
  auto log = ReadTransactionCsv({.path = std::string(TENURE_TEST_DATA) + "/cdnow_master.csv"});
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  ModelFitOptions options;
  options.model = ModelKind::kGammaGamma;
  options.calibration_end = ParseIsoDate("1997-09-30");
  auto r = FitTransactionModel(*log, options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_GT(r->spend_left_out, 0);
  EXPECT_GT(Param(*r, "q"), 1);
}

// The scores' cached posterior factorisation must agree with the analytics
// functions called directly, customer by customer.
TEST(ModelFitTest, ScoresAgreeWithTheModelFunctions) {
  for (ModelKind model : {ModelKind::kBgNbd, ModelKind::kMbgNbd, ModelKind::kParetoNbd}) {
    auto r = FitSample(model, /*scores=*/true);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->scores.size(), 2357u);
    EXPECT_NEAR(r->horizon, 39, 1e-9);  // the holdout length
    EXPECT_TRUE(r->clv_note.empty()) << r->clv_note;
    const auto& p = r->params;
    double total = 0;
    for (size_t i = 0; i < r->scores.size(); i += 97) {
      const CustomerScore& c = r->scores[i];
      double expected, alive;
      if (model == ModelKind::kParetoNbd) {
        analytics::ParetoNbdParams q{p[0].value, p[1].value, p[2].value, p[3].value};
        expected = *analytics::ParetoNbdConditionalExpectedPurchases(q, 39, c.x, c.t_x, c.T);
        alive = *analytics::ParetoNbdProbabilityAlive(q, c.x, c.t_x, c.T);
      } else {
        auto v = model == ModelKind::kMbgNbd ? analytics::BgNbdVariant::kMbgNbd
                                             : analytics::BgNbdVariant::kBgNbd;
        analytics::BgNbdParams q{p[0].value, p[1].value, p[2].value, p[3].value};
        expected = analytics::BgNbdConditionalExpectedTransactions(v, q, 39, c.x, c.t_x, c.T);
        alive = analytics::BgNbdProbabilityAlive(v, q, c.x, c.t_x, c.T);
      }
      EXPECT_NEAR(c.expected_purchases, expected, 1e-9 * std::max(1.0, expected)) << i;
      EXPECT_NEAR(c.p_alive, alive, 1e-12) << i;
      EXPECT_GT(c.expected_spend, 0) << i;
      EXPECT_GE(c.clv, 0) << i;
    }
    for (const CustomerScore& c : r->scores) total += c.expected_purchases;
    EXPECT_NEAR(total, r->holdout->expected_total, 1e-6 * total);
  }
}

// CLV with one month at no discount is the spend times one month's
// expected purchases.
TEST(ModelFitTest, ClvIsSpendTimesDiscountedPurchases) {
  auto log = ReadTransactionCsv({.path = Sample()});
  ASSERT_TRUE(log.ok());
  ModelFitOptions options;
  options.calibration_end = ParseIsoDate("1997-09-30");
  options.scores = true;
  options.clv_months = 1;
  options.monthly_discount = 0;
  options.horizon = 30.4375 / 7;
  auto r = FitTransactionModel(*log, options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  for (const CustomerScore& c : r->scores) {
    ASSERT_NEAR(c.clv, c.expected_spend * c.expected_purchases, 1e-9 * (1 + c.clv)) << c.customer;
  }
  options.monthly_discount = 0.5;
  auto discounted = FitTransactionModel(*log, options);
  ASSERT_TRUE(discounted.ok());
  EXPECT_NEAR(discounted->scores[0].clv, r->scores[0].clv / 1.5, 1e-9);
}

TEST(ModelFitTest, WithoutHoldoutTheHorizonIs52Weeks) {
  auto log = ReadTransactionCsv({.path = Sample()});
  ASSERT_TRUE(log.ok());
  ModelFitOptions options;
  options.scores = true;
  auto r = FitTransactionModel(*log, options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->holdout.has_value());
  EXPECT_EQ(FormatDate(r->calibration_end), "1998-06-30");
  EXPECT_DOUBLE_EQ(r->horizon, 52);
  options.days_per_unit = 1;
  auto days = FitTransactionModel(*log, options);
  ASSERT_TRUE(days.ok()) << days.status().ToString();
  EXPECT_DOUBLE_EQ(days->horizon, 364);
}

// The CDNOW sample rewritten with other headers, day/month/year dates and
// prefixed ids gives the same fit, and the scores carry the file's ids.
TEST(ModelFitTest, WritesScoresKeyedByTheFileIds) {
  TempDir dir;
  std::istringstream sample(testing::ReadFile(Sample()));
  std::string line, csv = "Client,Order Date,Sales\n";
  std::getline(sample, line);  // customer_id,date,quantity,amount
  while (std::getline(sample, line)) {
    std::vector<std::string> f;
    std::stringstream cells(line);
    for (std::string cell; std::getline(cells, cell, ',');) f.push_back(cell);
    ASSERT_EQ(f.size(), 4u) << line;
    csv += "A" + f[0] + "," + f[1].substr(8, 2) + "/" + f[1].substr(5, 2) + "/" +
           f[1].substr(0, 4) + "," + f[3] + "\n";
  }
  auto log = ReadTransactionCsv({.path = dir.Write("log.csv", csv),
                                 .customer_column = "client",
                                 .date_column = "Order Date",
                                 .date_format = "%d/%m/%Y"});
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ(log->amount_column, "sales");
  EXPECT_EQ(FormatDate(log->first_date), "1997-01-01");
  ModelFitOptions options;
  options.scores = true;
  options.calibration_end = ParseIsoDate("1997-09-30");
  auto r = FitTransactionModel(*log, options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto plain = FitSample(ModelKind::kBgNbd, /*scores=*/true);
  ASSERT_TRUE(plain.ok());
  EXPECT_DOUBLE_EQ(r->log_likelihood, plain->log_likelihood);
  ASSERT_TRUE(WriteScoresCsv(*r, dir.File("scores.csv")).ok());
  std::string scores = testing::ReadFile(dir.File("scores.csv"));
  EXPECT_EQ(scores.rfind("customer,x,t_x,T,p_alive,expected_purchases,expected_spend,clv\n", 0),
            0u);
  // Customer 1 of the sample: x = 2, t_x = 30.43, T = 38.86 (Hardie's summary).
  const CustomerScore& first = plain->scores[0];
  EXPECT_EQ(first.customer, "1");
  EXPECT_NE(scores.find("\nA1,2,30.42857142857"), std::string::npos) << scores.substr(0, 300);
  EXPECT_EQ(r->scores[0].customer, "A1");
  EXPECT_DOUBLE_EQ(r->scores[0].clv, first.clv);
  EXPECT_NEAR(first.expected_spend, 24.65, 0.005);  // lifetimes' E[M] of customer 1
}

TEST(ModelFitTest, BadInputNamesFileLineAndColumn) {
  TempDir dir;
  auto error = [&](const std::string& csv, TransactionCsvOptions options = {}) {
    options.path = dir.Write("bad.csv", csv);
    auto log = ReadTransactionCsv(options);
    return log.ok() ? std::string("ok") : log.status().ToString();
  };
  std::string path = dir.File("bad.csv");
  EXPECT_EQ(error("customer_id,date,amount\n1,1997-01-01,3\n1,1997-02-30,4\n"),
            path + ":3: column 'date': not a date '1997-02-30' (expected YYYY-MM-DD)");
  EXPECT_EQ(error("customer_id,date,amount\n1,1997-01-01,abc\n"),
            path + ":2: column 'amount': not a number 'abc'");
  EXPECT_EQ(error("customer_id,date,amount\n1,1997-01-01,-3\n"),
            path + ":2: column 'amount': must not be negative, got '-3'");
  EXPECT_EQ(error("who,date\n1,1997-01-01\n"),
            "--customer-col: " + path +
                ": no column named customer_id, customer, id; name one with --customer-col");
  EXPECT_EQ(error("customer_id,date\n1,1997-01-01\n", {.date_column = "day"}),
            "--date-col: " + path + ": no column 'day' in the header");
  EXPECT_EQ(error("customer_id,date\n1,1997-01-01\n", {.amount_required = true}),
            "--amount-col: " + path +
                ": no column named amount, sales, value; name one with --amount-col");
  EXPECT_EQ(error("customer_id,date\n1,1997-01-01\n", {.date_format = "dd/mm/yyyy"}),
            "--date-format: 'dd/mm/yyyy' has no conversion such as %Y, %m or %d");
  EXPECT_EQ(error("customer_id,date\n"), path + ": no transactions after the header");
  EXPECT_EQ(error("customer_id,date\n1,1997-01-01\n"), "ok");

  auto log = ReadTransactionCsv({.path = Sample()});
  ASSERT_TRUE(log.ok());
  ModelFitOptions options;
  options.calibration_end = ParseIsoDate("1996-12-31");
  auto early = FitTransactionModel(*log, options);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.status().field(), "--calibration-end");
}

TEST(ModelFitTest, LargeFilesReadInPartsGiveTheWholeFileAndItsLineNumbers) {
  // 250,000 rows (about 5 MB): read in one part per core. The parts must
  // give the rows and customers of a one-pass read, in file order, and an
  // error deep in the file must name its line. A quote anywhere makes the
  // reader fall back to one pass, with the same result.
  TempDir dir;
  constexpr int kRows = 250000;
  std::string csv = "customer_id,date,amount\n";
  for (int i = 0; i < kRows; ++i) {
    // Customers 0..9999 in a scrambled order, dates over 1997.
    csv += "c" + std::to_string((i * 7919) % 10000) + ",1997-" + (i % 12 < 9 ? "0" : "") +
           std::to_string(i % 12 + 1) + "-1" + std::to_string(i % 10) + "," +
           std::to_string(i % 97) + ".5\n";
  }
  auto check = [&](const std::string& name, const std::string& text) {
    auto log = ReadTransactionCsv({.path = dir.Write(name, text)});
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    ASSERT_EQ(log->day.size(), static_cast<size_t>(kRows));
    ASSERT_EQ(log->customer_ids.size(), 10000u);
    // Customer indexes in order of first appearance, rows in file order.
    for (int i = 0; i < kRows; i += 997) {
      const std::string id = "c" + std::to_string((i * 7919) % 10000);
      EXPECT_EQ(log->customer_ids[static_cast<size_t>(log->customer[i])], id) << i;
      EXPECT_EQ(log->amount[i], (i % 97) + 0.5) << i;
      EXPECT_EQ(FormatDate(Date{log->day[i]}).substr(5, 2),
                (i % 12 < 9 ? "0" : "") + std::to_string(i % 12 + 1))
          << i;
    }
    EXPECT_EQ(log->customer[0], 0);
    EXPECT_EQ(log->customer_ids[0], "c0");
    EXPECT_EQ(log->customer_ids[1], "c7919");
  };
  check("parts.csv", csv);
  // A quoted id near the end: one pass.
  std::string quoted = csv;
  quoted.insert(quoted.size() - 20, "\"c1\",1997-01-01,1\n");
  auto one_pass = ReadTransactionCsv({.path = dir.Write("quoted.csv", quoted)});
  ASSERT_TRUE(one_pass.ok()) << one_pass.status().ToString();
  EXPECT_EQ(one_pass->day.size(), static_cast<size_t>(kRows) + 1);
  // A bad date on line 240,002 (row 240,001), deep in the last part.
  std::string bad = csv;
  size_t at = 0;
  for (int line = 1; line < 240002; ++line) at = bad.find('\n', at) + 1;
  const size_t comma = bad.find(',', at);
  bad.replace(comma + 1, 10, "1997-02-30");
  auto error = ReadTransactionCsv({.path = dir.Write("bad.csv", bad)});
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.status().ToString(),
            dir.File("bad.csv") +
                ":240002: column 'date': not a date '1997-02-30' (expected YYYY-MM-DD)");
}

TEST(ModelFitTest, SbgOnFaderHardieRegularCohort) {
  TempDir dir;
  std::string path = dir.Write("regular.csv",
                               "year,alive\n0,1000\n1,631\n2,468\n3,382\n4,326\n5,289\n6,262\n"
                               "7,241\n8,223\n9,207\n10,194\n11,183\n12,173\n");
  auto r = FitSbgCsv({.path = path, .calibration_periods = 7});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // Fader & Hardie (2007): alpha 0.704, beta 1.182 for the regular cohort.
  EXPECT_NEAR(r->fit.params[0].value, 0.704, 0.001);
  EXPECT_NEAR(r->fit.params[1].value, 1.182, 0.001);
  ASSERT_EQ(r->holdout.size(), 5u);
  EXPECT_EQ(r->holdout[0].period, 8);
  EXPECT_DOUBLE_EQ(r->holdout[0].actual, 223);
  EXPECT_NEAR(r->holdout[4].expected, 173, 15);

  std::string bad = dir.Write("bad.csv", "alive\n1000\n631\n700\n");
  auto rising = FitSbgCsv({.path = bad});
  ASSERT_FALSE(rising.ok());
  EXPECT_EQ(rising.status().ToString(),
            bad + ":4: column 'alive': larger than the period before (631)");
}

// Gehan's leukaemia remission data (Freireich et al. 1963), as in
// tests/analytics/survival_test.cc: medians 23 (6-MP) and 8 (placebo),
// log-rank chi-square 16.79.
std::string GehanCsv() {
  std::string csv = "weeks,relapsed,arm\n";
  const int drug[] = {6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35};
  const int drug_event[] = {1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0};
  const int placebo[] = {1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23};
  for (int i = 0; i < 21; ++i) {
    csv += std::to_string(drug[i]) + "," + std::to_string(drug_event[i]) + ",6-MP\n";
    csv += std::to_string(placebo[i]) + ",1,placebo\n";
  }
  return csv;
}

TEST(ModelFitTest, SurvivalByGroupGivesGehanNumbers) {
  TempDir dir;
  auto r = AnalyzeSurvivalCsv({.path = dir.Write("gehan.csv", GehanCsv()),
                               .duration_column = "weeks",
                               .event_column = "relapsed",
                               .group_column = "arm"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->groups.size(), 2u);
  EXPECT_EQ(r->groups[0].label, "6-MP");
  EXPECT_EQ(r->groups[0].median.median, 23);
  EXPECT_EQ(r->groups[1].label, "placebo");
  EXPECT_EQ(r->groups[1].median.median, 8);
  ASSERT_TRUE(r->log_rank.has_value());
  EXPECT_NEAR(r->log_rank->statistic, 16.79, 0.01);

  auto bad = AnalyzeSurvivalCsv({.path = dir.Write("bad.csv", "weeks,relapsed\n3,1\n4,maybe\n"),
                                 .duration_column = "weeks",
                                 .event_column = "relapsed"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().ToString(),
            dir.File("bad.csv") +
                ":3: column 'relapsed': not an event flag 'maybe' (expected 1/0, true/false or "
                "yes/no)");
}

}  // namespace
}  // namespace tenure::engine
