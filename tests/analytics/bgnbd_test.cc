// BG/NBD and MBG/NBD on the CDNOW sample (Hardie's calibration summary,
// 2,357 customers, weeks), against the numbers in tests/data/PUBLISHED.md:
// the BTYD vignette's fit and predictions, the lifetimes test suite's
// (Hardie spreadsheet) values. Published numbers are checked to 3
// significant digits. MBG/NBD has no published table there; it is checked
// against the BTYDplus estimate quoted by the lifetimes test suite and for
// internal consistency.
#include "analytics/bgnbd.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "analytics/cdnow_data.h"

namespace tenure::analytics {
namespace {

using testing::CdnowSummary;
using testing::ReadCdnowSummary;

constexpr BgNbdVariant kBg = BgNbdVariant::kBgNbd;
constexpr BgNbdVariant kMbg = BgNbdVariant::kMbgNbd;

// The BTYD vignette's estimate (sec. 4.2), and lifetimes' 3-decimal one.
constexpr BgNbdParams kBtydParams{0.2425982, 4.4136842, 0.7929899, 2.4261667};
constexpr BgNbdParams kLifetimesParams{0.243, 4.414, 0.793, 2.426};

// Agreement to `digits` significant digits: within half a unit in the last
// of those digits of the published value.
void ExpectSignificant(double actual, double published, int digits = 3,
                       const std::string& what = "") {
  const double exponent = std::floor(std::log10(std::abs(published)));
  const double tolerance = 0.5 * std::pow(10.0, exponent - digits + 1);
  EXPECT_NEAR(actual, published, tolerance) << what;
}

RecencyColumns Columns(const CdnowSummary& s) { return {s.x, s.t_x, s.T}; }

TEST(BgNbdTest, CdnowFitMatchesBtyd) {
  CdnowSummary cdnow = ReadCdnowSummary();
  auto fit = FitBgNbd(kBg, Columns(cdnow));
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  ExpectSignificant(fit->params.r, 0.2426, 3, "r");
  ExpectSignificant(fit->params.alpha, 4.4137, 3, "alpha");
  ExpectSignificant(fit->params.a, 0.7930, 3, "a");
  ExpectSignificant(fit->params.b, 2.4262, 3, "b");
  ExpectSignificant(fit->log_likelihood, -9582.43, 3, "LL");
  // The LL has more published digits (BTYD: -9582.429); hold it to them.
  EXPECT_NEAR(fit->log_likelihood, -9582.429, 0.01);
  // lifetimes docs/Quickstart.md.
  ExpectSignificant(fit->std_errors.r, 0.012557, 3, "se r");
  ExpectSignificant(fit->std_errors.alpha, 0.378221, 3, "se alpha");
  ExpectSignificant(fit->std_errors.a, 0.185719, 3, "se a");
  ExpectSignificant(fit->std_errors.b, 0.705345, 3, "se b");
  ExpectSignificant(BgNbdExpectedTransactions(kBg, fit->params, 52), 1.444004, 3, "E[X(52)]");
}

TEST(BgNbdTest, LogLikelihoodAtThePublishedEstimate) {
  CdnowSummary cdnow = ReadCdnowSummary();
  auto ll = BgNbdLogLikelihood(kBg, kBtydParams, Columns(cdnow));
  ASSERT_TRUE(ll.ok()) << ll.status().ToString();
  EXPECT_NEAR(*ll, -9582.429, 0.01);
}

TEST(BgNbdTest, ExpectedTransactionsOfANewCustomer) {
  ExpectSignificant(BgNbdExpectedTransactions(kBg, kBtydParams, 52), 1.444004);
  // lifetimes (Hardie spreadsheet; there with lifetimes' own fit, so here
  // with the BTYD estimate), published to 4 decimals: for t = 0.1429 that is
  // 2 significant digits. At t = 78 the 4th decimal differs (1.85794 here,
  // and in mpmath's hyp2f1 with these parameters).
  const double t[] = {0.1429, 1, 3, 31.8571, 32, 78};
  const double expected[] = {0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576};
  for (int i = 0; i < 6; ++i) {
    ExpectSignificant(BgNbdExpectedTransactions(kBg, kBtydParams, t[i]), expected[i],
                      i == 0 ? 2 : 3, "t = " + std::to_string(t[i]));
  }
}

TEST(BgNbdTest, ProbabilityOfTransactions) {
  ExpectSignificant(BgNbdProbabilityOfTransactions(kBg, kLifetimesParams, 39, 0), 0.5737864);
  ExpectSignificant(BgNbdProbabilityOfTransactions(kBg, kLifetimesParams, 2, 10), 1.07869e-07);
  const double published[] = {0.0019995214, 0.0015170236, 0.0011633150, 0.0009003148, 0.0007023638,
                              0.0005517902, 0.0004361913, 0.0003467171, 0.0002769613, 0.0002222260};
  for (int n = 11; n <= 20; ++n) {
    ExpectSignificant(BgNbdProbabilityOfTransactions(kBg, kLifetimesParams, 30, n),
                      published[n - 11], 3, "n = " + std::to_string(n));
  }
}

TEST(BgNbdTest, ProbabilitiesOfTransactionsSumToOne) {
  for (BgNbdVariant v : {kBg, kMbg}) {
    double sum = 0;
    for (int n = 0; n < 2000; ++n)
      sum += BgNbdProbabilityOfTransactions(v, kLifetimesParams, 30, n);
    EXPECT_NEAR(sum, 1, 1e-6);
  }
}

// E[X(t)] is the mean of P(X(t) = n), also where its closed form has a
// removable singularity: a = 1, and (BG/NBD) a + b = 1.
TEST(BgNbdTest, ExpectationIsTheMeanOfTheDistribution) {
  for (BgNbdParams p : {kBtydParams, BgNbdParams{0.5, 4, 1, 2}, BgNbdParams{0.5, 4, 0.5, 0.5},
                        BgNbdParams{0.5, 4, 0.3, 0.5}}) {
    for (BgNbdVariant v : {kBg, kMbg}) {
      double mean = 0;
      for (int n = 0; n < 5000; ++n) mean += n * BgNbdProbabilityOfTransactions(v, p, 10, n);
      EXPECT_NEAR(BgNbdExpectedTransactions(v, p, 10), mean, 1e-6 * mean)
          << "a = " << p.a << ", b = " << p.b << ", variant " << static_cast<int>(v);
    }
  }
}

TEST(BgNbdTest, CustomerPredictions) {
  // BTYD vignette: customer 1516 (x = 26, t_x = 30.857, T = 31).
  ExpectSignificant(BgNbdProbabilityAlive(kBg, kBtydParams, 26, 30.857, 31), 0.9688523);
  ExpectSignificant(BgNbdConditionalExpectedTransactions(kBg, kBtydParams, 52, 26, 30.857, 31),
                    25.75659);
  // BTYD vignette: t_x = 20, T = 39, x = 10, 15, 20, 25.
  const double x[] = {10, 15, 20, 25};
  const double published[] = {0.3474606, 0.04283391, 0.004158973, 0.0003583685};
  for (int i = 0; i < 4; ++i) {
    ExpectSignificant(BgNbdConditionalExpectedTransactions(kBg, kBtydParams, 52, x[i], 20, 39),
                      published[i], 3, "x = " + std::to_string(x[i]));
  }
  // lifetimes (Hardie spreadsheet).
  ExpectSignificant(
      BgNbdConditionalExpectedTransactions(kBg, kLifetimesParams, 39, 2, 30.43, 38.86), 1.226);
  // BG/NBD: no repeat purchase means certainly alive.
  EXPECT_EQ(BgNbdProbabilityAlive(kBg, kBtydParams, 0, 0, 38.86), 1.0);
}

TEST(BgNbdTest, HoldoutWeeks40To78) {
  CdnowSummary cdnow = ReadCdnowSummary();
  // The holdout counts are not in Hardie's summary; per-bin actual means
  // are checked in SummaryTest. Here only the expectations and bin sizes.
  std::vector<double> actual(cdnow.x.size(), 0), length(cdnow.x.size(), 39);
  auto h = CompareBgNbdHoldout(kBg, kBtydParams, Columns(cdnow), actual, length);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  const int64_t customers[] = {1411, 439, 214, 100, 62, 38, 29, 64};
  const double expected[] = {0.2251, 0.5231, 1.0441, 1.5203, 2.1638, 2.6538, 3.5040, 6.1570};
  ASSERT_EQ(h->bins.size(), 8u);
  for (int k = 0; k < 8; ++k) {
    EXPECT_EQ(h->bins[k].frequency, k);
    EXPECT_EQ(h->bins[k].customers, customers[k]);
    ExpectSignificant(h->bins[k].expected_mean, expected[k], 3, "bin " + std::to_string(k));
  }
  ExpectSignificant(h->expected_total, 1653.4, 3, "total");
  EXPECT_EQ(h->actual_total, 0);
}

// Central differences of the log-likelihood against the analytic gradient,
// at a point away from the optimum (where the gradient is not ~0).
void CheckGradient(BgNbdVariant variant, const RecencyColumns& data, const BgNbdParams& at) {
  double g[4];
  ASSERT_TRUE(BgNbdLogLikelihood(variant, at, data, g).ok());
  for (int j = 0; j < 4; ++j) {
    BgNbdParams up = at, down = at;
    double* u[] = {&up.r, &up.alpha, &up.a, &up.b};
    double* d[] = {&down.r, &down.alpha, &down.a, &down.b};
    const double h = 1e-6 * *u[j];
    *u[j] += h;
    *d[j] -= h;
    const double numeric =
        (*BgNbdLogLikelihood(variant, up, data) - *BgNbdLogLikelihood(variant, down, data)) /
        (2 * h);
    EXPECT_NEAR(g[j], numeric, 1e-5 * std::max(1.0, std::abs(numeric))) << "parameter " << j;
  }
}

TEST(BgNbdTest, AnalyticGradientMatchesCentralDifferences) {
  CdnowSummary cdnow = ReadCdnowSummary();
  CheckGradient(kBg, Columns(cdnow), {0.3, 5.0, 0.9, 2.0});
  CheckGradient(kBg, Columns(cdnow), {1.7, 0.6, 3.0, 0.4});
  // Non-integer x takes the untabulated path.
  std::vector<double> x = {0.5, 2.25, 0, 7.5}, t_x = {3, 20, 0, 30}, T = {38, 38, 20, 31};
  CheckGradient(kBg, {x, t_x, T}, {0.3, 5.0, 0.9, 2.0});
}

// The log-likelihood is a sum over customers. On the CDNOW columns the
// special functions are tabulated by x; one customer at a time they are
// not (x >= the number of customers), so this also checks the two agree.
TEST(BgNbdTest, LogLikelihoodIsASumOverCustomers) {
  CdnowSummary cdnow = ReadCdnowSummary();
  for (BgNbdVariant v : {kBg, kMbg}) {
    auto all = BgNbdLogLikelihood(v, kBtydParams, Columns(cdnow));
    ASSERT_TRUE(all.ok());
    double sum = 0;
    for (size_t i = 0; i < cdnow.x.size(); ++i) {
      RecencyColumns one{{&cdnow.x[i], 1}, {&cdnow.t_x[i], 1}, {&cdnow.T[i], 1}};
      sum += *BgNbdLogLikelihood(v, kBtydParams, one);
    }
    EXPECT_NEAR(*all, sum, 1e-8);
  }
}

TEST(BgNbdTest, BadInputNamesTheField) {
  std::vector<double> x = {1, 2}, t_x = {1, 2}, T = {3, 3}, short_T = {3};
  std::vector<double> late_t_x = {1, 4}, negative_x = {-1, 2};
  auto field = [](Result<double> r) {
    EXPECT_FALSE(r.ok());
    return r.status().field();
  };
  EXPECT_EQ(field(BgNbdLogLikelihood(kBg, kBtydParams, {{}, {}, {}})), "x");
  EXPECT_EQ(field(BgNbdLogLikelihood(kBg, kBtydParams, {x, t_x, short_T})), "T");
  EXPECT_EQ(field(BgNbdLogLikelihood(kBg, kBtydParams, {x, late_t_x, T})), "T");
  EXPECT_EQ(field(BgNbdLogLikelihood(kBg, kBtydParams, {negative_x, t_x, T})), "x");
  EXPECT_EQ(field(BgNbdLogLikelihood(kBg, {0.2, -1, 0.7, 2}, {x, t_x, T})), "alpha");
  double g[3];
  EXPECT_EQ(field(BgNbdLogLikelihood(kBg, kBtydParams, {x, t_x, T}, g)), "gradient");
  std::vector<double> holdout = {1};
  auto h = CompareBgNbdHoldout(kBg, kBtydParams, {x, t_x, T}, holdout, holdout);
  EXPECT_EQ(h.status().field(), "holdout_x");
  EXPECT_TRUE(std::isnan(BgNbdProbabilityAlive(kBg, kBtydParams, 1, 5, 3)));
}

// MBG/NBD (Batislam et al. 2007). lifetimes' test_params_out_is_close_to_
// BTYDplus (lifetimes/tests/test_estimation.py) fits the same summary to
// r 0.525, alpha 6.183, a 0.891, b 1.614, quoting BTYDplus.
TEST(MbgNbdTest, CdnowFitMatchesBtydplus) {
  CdnowSummary cdnow = ReadCdnowSummary();
  auto fit = FitBgNbd(kMbg, Columns(cdnow));
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  ExpectSignificant(fit->params.r, 0.525, 3, "r");
  ExpectSignificant(fit->params.alpha, 6.183, 3, "alpha");
  ExpectSignificant(fit->params.a, 0.891, 3, "a");
  ExpectSignificant(fit->params.b, 1.614, 3, "b");
  for (double e :
       {fit->std_errors.r, fit->std_errors.alpha, fit->std_errors.a, fit->std_errors.b}) {
    EXPECT_TRUE(e > 0 && std::isfinite(e));
  }
  // Gradient ~0 at the optimum (relative to the per-customer scale).
  double g[4];
  ASSERT_TRUE(BgNbdLogLikelihood(kMbg, fit->params, Columns(cdnow), g).ok());
  for (double gi : g) EXPECT_LT(std::abs(gi), 1e-2);
}

TEST(MbgNbdTest, AnalyticGradientMatchesCentralDifferences) {
  CdnowSummary cdnow = ReadCdnowSummary();
  CheckGradient(kMbg, Columns(cdnow), {0.3, 5.0, 0.9, 2.0});
  CheckGradient(kMbg, Columns(cdnow), {1.7, 0.6, 3.0, 0.4});
  std::vector<double> x = {0.5, 2.25, 0, 7.5}, t_x = {3, 20, 0, 30}, T = {38, 38, 20, 31};
  CheckGradient(kMbg, {x, t_x, T}, {0.3, 5.0, 0.9, 2.0});
}

TEST(MbgNbdTest, OneTimeBuyersMayBeGone) {
  const BgNbdParams p{0.525, 6.183, 0.891, 1.614};
  // With no repeat purchase, P(alive) = 1 / (1 + a/b ((alpha+T)/alpha)^r).
  const double alive = BgNbdProbabilityAlive(kMbg, p, 0, 0, 38.86);
  EXPECT_LT(alive, 1);
  EXPECT_NEAR(alive, 1 / (1 + p.a / p.b * std::pow((p.alpha + 38.86) / p.alpha, p.r)), 1e-12);
  // Right after the first purchase only the time-0 drop-out counts: b/(a+b).
  EXPECT_NEAR(BgNbdProbabilityAlive(kMbg, p, 0, 0, 0), p.b / (p.a + p.b), 1e-12);
}

TEST(MbgNbdTest, PredictionsAgreeWithEachOther) {
  const BgNbdParams p{0.525, 6.183, 0.891, 1.614};
  // E[X(t)] is the mean of P(X(t) = n).
  for (double t : {1.0, 10.0, 52.0}) {
    double mean = 0;
    for (int n = 0; n < 3000; ++n) mean += n * BgNbdProbabilityOfTransactions(kMbg, p, t, n);
    EXPECT_NEAR(BgNbdExpectedTransactions(kMbg, p, t), mean, 1e-6) << "t = " << t;
  }
  // Batislam et al.'s closed form for E[X(t)] is the BG/NBD one with b + 1,
  // scaled by P(no drop-out at time 0) = b/(a+b).
  const BgNbdParams b1{p.r, p.alpha, p.a, p.b + 1};
  EXPECT_NEAR(BgNbdExpectedTransactions(kMbg, p, 52),
              p.b / (p.a + p.b) * BgNbdExpectedTransactions(kBg, b1, 52), 1e-10);
  // A frequent, recent buyer is almost surely alive under either model and
  // then both predict about the same.
  const double bg = BgNbdConditionalExpectedTransactions(kBg, p, 52, 26, 30.857, 31);
  const double mbg = BgNbdConditionalExpectedTransactions(kMbg, p, 52, 26, 30.857, 31);
  EXPECT_NEAR(mbg / bg, 1, 0.05);
}

// For a customer with no repeat purchase the likelihood is P(X(T) = 0):
// under MBG/NBD gone at time 0 (a/(a+b)) or not and no purchase in (0, T]
// (b/(a+b) (alpha/(alpha+T))^r); under BG/NBD only the latter, without the
// b/(a+b). Checks the likelihood against P(X(t) = n) and a closed form.
TEST(MbgNbdTest, LikelihoodOfAOneTimeBuyer) {
  const BgNbdParams p{0.525, 6.183, 0.891, 1.614};
  const double x = 0, t_x = 0, T = 38.86;
  const RecencyColumns one{{&x, 1}, {&t_x, 1}, {&T, 1}};
  const double none = std::pow(p.alpha / (p.alpha + T), p.r);
  EXPECT_NEAR(*BgNbdLogLikelihood(kMbg, p, one),
              std::log(p.a / (p.a + p.b) + p.b / (p.a + p.b) * none), 1e-12);
  EXPECT_NEAR(*BgNbdLogLikelihood(kMbg, p, one),
              std::log(BgNbdProbabilityOfTransactions(kMbg, p, T, 0)), 1e-12);
  EXPECT_NEAR(*BgNbdLogLikelihood(kBg, p, one), std::log(none), 1e-12);
}

// Given alive at T, the posterior is Gamma(r+x, alpha+T) x Beta(a, b+x+s)
// and the future is a BG/NBD new customer's: E[Y(t) | x, t_x, T] =
// P(alive) E_BG[X(t)] with (r+x, alpha+T, a, b+x+s).
TEST(MbgNbdTest, ConditionalExpectationIsAPosteriorNewCustomer) {
  const BgNbdParams p{0.525, 6.183, 0.891, 1.614};
  for (double x : {0.0, 2.0, 26.0}) {
    const double t_x = x == 0 ? 0 : 30.43, T = 38.86;
    const BgNbdParams posterior{p.r + x, p.alpha + T, p.a, p.b + x + 1};
    EXPECT_NEAR(
        BgNbdConditionalExpectedTransactions(kMbg, p, 39, x, t_x, T),
        BgNbdProbabilityAlive(kMbg, p, x, t_x, T) * BgNbdExpectedTransactions(kBg, posterior, 39),
        1e-10)
        << "x = " << x;
  }
}

// Not a published number: the MBG/NBD holdout table for weeks 40-78 with its
// own fit is only checked for consistency with the per-customer values.
TEST(MbgNbdTest, HoldoutTableAddsUp) {
  CdnowSummary cdnow = ReadCdnowSummary();
  auto fit = FitBgNbd(kMbg, Columns(cdnow));
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  std::vector<double> actual(cdnow.x.size(), 1), length(cdnow.x.size(), 39);
  auto h = CompareBgNbdHoldout(kMbg, fit->params, Columns(cdnow), actual, length);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  double total = 0;
  for (const HoldoutBin& bin : h->bins) {
    total += bin.expected_mean * static_cast<double>(bin.customers);
    EXPECT_DOUBLE_EQ(bin.actual_mean, 1);
  }
  EXPECT_NEAR(total, h->expected_total, 1e-9);
  EXPECT_EQ(h->actual_total, static_cast<double>(cdnow.x.size()));
  EXPECT_DOUBLE_EQ(h->expected[0],
                   BgNbdConditionalExpectedTransactions(kMbg, fit->params, 39, cdnow.x[0],
                                                        cdnow.t_x[0], cdnow.T[0]));
}

}  // namespace
}  // namespace tenure::analytics
