// The transaction-log summary, on the CDNOW sample (2,357 customers,
// calibration through 1997-09-30, weeks) against the totals the BTYD
// vignette publishes (tests/data/PUBLISHED.md) and against Hardie's own
// per-customer summary, plus the conventions on small hand-made logs.
#include "analytics/summary.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "analytics/bgnbd.h"
#include "analytics/cdnow_data.h"
#include "common/time.h"
#include "testing/paths.h"

namespace tenure::analytics {
namespace {

struct Log {
  std::vector<int32_t> customer, day;
  std::vector<double> amount;
  TransactionColumns columns() const { return {customer, day, amount}; }
};

// tests/data/cdnow_sample.csv: customer_id (1..2357), ISO date, quantity,
// amount. Customer ids become indexes id - 1.
Log ReadCdnowSample() {
  Log log;
  std::ifstream in(std::string(TENURE_TEST_DATA) + "/cdnow_sample.csv");
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream row(line);
    std::string id, date, quantity, amount;
    std::getline(row, id, ',');
    std::getline(row, date, ',');
    std::getline(row, quantity, ',');
    std::getline(row, amount, ',');
    auto parsed = ParseIsoDate(date);
    EXPECT_TRUE(parsed.has_value()) << line;
    log.customer.push_back(std::stoi(id) - 1);
    log.day.push_back(parsed ? parsed->days : 0);
    log.amount.push_back(std::stod(amount));
  }
  return log;
}

SummaryOptions CdnowOptions() {
  SummaryOptions options;
  options.calibration_end_day = MakeDate(1997, 9, 30).days;
  options.days_per_unit = 7;
  return options;
}

TEST(SummaryTest, CdnowTotalsMatchThePublishedOnes) {
  Log log = ReadCdnowSample();
  ASSERT_EQ(log.customer.size(), 6919u);
  auto summary = SummarizeTransactions(log.columns(), CdnowOptions());
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  ASSERT_EQ(summary->x.size(), 2357u);
  EXPECT_EQ(summary->customers_born_after_calibration, 0);
  double sum_x = 0, zeros = 0, holdout = 0;
  for (size_t i = 0; i < summary->x.size(); ++i) {
    sum_x += summary->x[i];
    zeros += summary->x[i] == 0;
    holdout += summary->holdout_x[i];
  }
  EXPECT_EQ(sum_x, 2457);
  EXPECT_EQ(zeros, 1411);
  EXPECT_EQ(holdout, 1882);
  // 1997-10-01..1998-06-30 is 273 days = 39 weeks.
  ASSERT_EQ(summary->holdout_length.size(), 2357u);
  EXPECT_DOUBLE_EQ(summary->holdout_length[0], 39.0);
  // A 1997-01-01 birth has T = 272 / 7 = 38.857 weeks.
  EXPECT_NEAR(summary->T[0], 38.857, 5e-4);
}

TEST(SummaryTest, CdnowRowsMatchHardiesSummaryToItsTwoDecimals) {
  Log log = ReadCdnowSample();
  auto summary = SummarizeTransactions(log.columns(), CdnowOptions());
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  testing::CdnowSummary hardie = testing::ReadCdnowSummary();
  ASSERT_EQ(hardie.x.size(), summary->x.size());
  // Hardie rounds to 2 decimals: half a unit in the last place, plus slack
  // for the binary representation of his rounded text.
  const double tolerance = 0.005 + 1e-9;
  for (size_t i = 0; i < hardie.x.size(); ++i) {
    ASSERT_EQ(summary->customer[i], static_cast<int32_t>(i));
    EXPECT_EQ(summary->x[i], hardie.x[i]) << "customer " << i + 1;
    EXPECT_NEAR(summary->t_x[i], hardie.t_x[i], tolerance) << "customer " << i + 1;
    EXPECT_NEAR(summary->T[i], hardie.T[i], tolerance) << "customer " << i + 1;
    EXPECT_NEAR(summary->m_x[i], hardie.zbar[i], tolerance) << "customer " << i + 1;
  }
}

// The summary feeding the BG/NBD holdout table end to end: the actual
// means per calibration frequency are the BTYD vignette's (sec. 4.4).
TEST(SummaryTest, CdnowHoldoutTableWithBgNbd) {
  Log log = ReadCdnowSample();
  auto s = SummarizeTransactions(log.columns(), CdnowOptions());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  const BgNbdParams btyd{0.2425982, 4.4136842, 0.7929899, 2.4261667};
  auto h = CompareBgNbdHoldout(BgNbdVariant::kBgNbd, btyd, {s->x, s->t_x, s->T}, s->holdout_x,
                               s->holdout_length);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  const double actual[] = {0.237, 0.697, 1.393, 1.560, 2.532, 2.947, 3.862, 6.359};
  for (int k = 0; k < 8; ++k) {
    EXPECT_NEAR(h->bins[k].actual_mean, actual[k], 5e-4) << "bin " << k;
  }
  EXPECT_EQ(h->actual_total, 1882);
  EXPECT_NEAR(h->expected_total, 1653.4, 0.5);
}

// The CDNOW file is grouped by customer; shuffled, the summary takes the
// counting-sort path and must come out the same (m_x up to the order of
// summation).
TEST(SummaryTest, ShuffledLogGivesTheSameSummary) {
  Log log = ReadCdnowSample();
  auto grouped = SummarizeTransactions(log.columns(), CdnowOptions());
  ASSERT_TRUE(grouped.ok()) << grouped.status().ToString();
  std::vector<size_t> order(log.customer.size());
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), std::mt19937(7));
  Log shuffled;
  for (size_t i : order) {
    shuffled.customer.push_back(log.customer[i]);
    shuffled.day.push_back(log.day[i]);
    shuffled.amount.push_back(log.amount[i]);
  }
  auto s = SummarizeTransactions(shuffled.columns(), CdnowOptions());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->customer, grouped->customer);
  EXPECT_EQ(s->x, grouped->x);
  EXPECT_EQ(s->t_x, grouped->t_x);
  EXPECT_EQ(s->T, grouped->T);
  EXPECT_EQ(s->holdout_x, grouped->holdout_x);
  ASSERT_EQ(s->m_x.size(), grouped->m_x.size());
  for (size_t i = 0; i < s->m_x.size(); ++i) EXPECT_NEAR(s->m_x[i], grouped->m_x[i], 1e-9);
}

TEST(SummaryTest, MergesSameDayPurchasesAndSkipsTheFirstOne) {
  // Customer 0: born day 0 (two rows), repeats on days 7 (two rows) and 14,
  // then one holdout purchase on day 30 and two rows on day 31.
  Log log{{0, 0, 0, 0, 0, 0, 0, 0}, {0, 0, 7, 7, 14, 30, 31, 31}, {1, 2, 3, 4, 5, 6, 7, 8}};
  SummaryOptions options;
  options.calibration_end_day = 21;
  options.days_per_unit = 7;
  auto s = SummarizeTransactions(log.columns(), options);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->x.size(), 1u);
  EXPECT_EQ(s->x[0], 2);
  EXPECT_DOUBLE_EQ(s->t_x[0], 2.0);
  EXPECT_DOUBLE_EQ(s->T[0], 3.0);
  EXPECT_DOUBLE_EQ(s->m_x[0], (3 + 4 + 5) / 2.0);
  EXPECT_EQ(s->holdout_x[0], 2);
  EXPECT_DOUBLE_EQ(s->holdout_length[0], 10.0 / 7);
}

TEST(SummaryTest, UnsortedLogDailyUnitsAndLateBirths) {
  // Customer 2 appears out of order; customer 1 is born after the
  // calibration end and is left out; customer 3 never bought.
  Log log{{2, 1, 2, 0, 2}, {9, 12, 3, 5, 6}, {10, 1, 30, 2, 20}};
  SummaryOptions options;
  options.calibration_end_day = 10;
  options.days_per_unit = 1;
  options.holdout_end_day = 11;  // day 12 is past the holdout
  auto s = SummarizeTransactions(log.columns(), options);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->customer, (std::vector<int32_t>{0, 2}));
  EXPECT_EQ(s->customers_born_after_calibration, 1);
  EXPECT_EQ(s->x[0], 0);
  EXPECT_EQ(s->t_x[0], 0);
  EXPECT_EQ(s->T[0], 5);
  EXPECT_EQ(s->m_x[0], 0);
  EXPECT_EQ(s->x[1], 2);
  EXPECT_EQ(s->t_x[1], 6);
  EXPECT_EQ(s->T[1], 7);
  EXPECT_DOUBLE_EQ(s->m_x[1], 15.0);
  EXPECT_EQ(s->holdout_x[1], 0);
  EXPECT_EQ(s->holdout_length[1], 1);
}

TEST(SummaryTest, NoHoldoutWhenTheLogEndsAtTheCalibrationEnd) {
  Log log{{0, 0}, {1, 4}, {1, 1}};
  SummaryOptions options;
  options.calibration_end_day = 4;
  auto s = SummarizeTransactions(log.columns(), options);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_TRUE(s->holdout_x.empty());
  EXPECT_TRUE(s->holdout_length.empty());
}

TEST(SummaryTest, BadInputNamesTheField) {
  SummaryOptions options;
  options.calibration_end_day = 10;
  auto field = [&](const Log& log, const SummaryOptions& o) {
    auto s = SummarizeTransactions(log.columns(), o);
    EXPECT_FALSE(s.ok());
    EXPECT_EQ(s.status().code(), Status::Code::kInvalidArgument);
    return s.status().field();
  };
  EXPECT_EQ(field(Log{}, options), "customer");
  EXPECT_EQ(field(Log{{0, 1}, {1}, {1, 1}}, options), "day");
  EXPECT_EQ(field(Log{{0}, {1}, {1, 1}}, options), "amount");
  EXPECT_EQ(field(Log{{-1}, {1}, {1}}, options), "customer");
  EXPECT_EQ(field(Log{{0}, {1}, {-1}}, options), "amount");
  EXPECT_EQ(field(Log{{0}, {1}, {std::nan("")}}, options), "amount");
  SummaryOptions zero_unit = options;
  zero_unit.days_per_unit = 0;
  EXPECT_EQ(field(Log{{0}, {1}, {1}}, zero_unit), "days_per_unit");
  SummaryOptions early_holdout = options;
  early_holdout.holdout_end_day = 10;
  EXPECT_EQ(field(Log{{0}, {1}, {1}}, early_holdout), "holdout_end_day");
}

}  // namespace
}  // namespace tenure::analytics
