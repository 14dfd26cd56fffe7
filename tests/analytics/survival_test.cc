// Kaplan-Meier and the log-rank test on the leukaemia remission data of Freireich et al. (1963),
// "The effect of 6-mercaptopurine on the duration of steroid-induced remissions in acute
// leukemia", Blood 21, as tabulated by Gehan (1965), Biometrika 52, and used in every survival
// text (R's MASS::gehan; Kleinbaum & Klein, "Survival Analysis: A Self-Learning Text", ch. 2).
// Weeks in remission, 21 patients per arm.
//
// Published results checked here: 6-MP Kaplan-Meier survival 0.857, 0.807, 0.753, 0.690, 0.627,
// 0.538, 0.448 at weeks 6, 7, 10, 13, 16, 22, 23 with Greenwood SE 0.0764 at week 6 (Kleinbaum &
// Klein; R survfit); medians 8 (placebo) and 23 (6-MP) weeks; log-rank chi-square 16.79 on 1 df,
// p < 0.0001, with expected relapses 19.25 (6-MP) and 10.75 (placebo) (Kleinbaum & Klein ch. 2;
// R survdiff prints 19.3 and 10.7). The log-log band is checked against Stata's `sts list` for the
// placebo arm (G. Rodriguez, Princeton, "Kaplan-Meier Survival",
// data.princeton.edu/eco572/KaplanMeier.html): week 1 0.9048 (SE 0.0641, 0.6700-0.9753), week 2
// 0.8095 (SE 0.0857, 0.5689-0.9239).
#include "analytics/survival.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace tenure::analytics {
namespace {

struct Arm {
  std::vector<double> weeks;
  std::vector<int> relapsed;  // 0 = censored (still in remission)
};

// 6-MP: 6 6 6 6+ 7 9+ 10 10+ 11+ 13 16 17+ 19+ 20+ 22 23 25+ 32+ 32+ 34+ 35+.
Arm SixMp() {
  return {{6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35},
          {1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0}};
}

// Placebo: every patient relapsed.
Arm Placebo() {
  return {{1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23},
          std::vector<int>(21, 1)};
}

const SurvivalRow* RowAt(const SurvivalCurve& curve, double time) {
  for (const SurvivalRow& row : curve.rows) {
    if (row.time == time) return &row;
  }
  return nullptr;
}

TEST(KaplanMeierTest, SixMpCurveAsPublished) {
  const Arm arm = SixMp();
  auto curve = KaplanMeier(arm.weeks, arm.relapsed);
  ASSERT_TRUE(curve.ok()) << curve.status().ToString();
  EXPECT_EQ(curve->subjects, 21);
  EXPECT_EQ(curve->events, 9);
  const struct {
    double week, survival;
  } published[] = {{6, 0.857},  {7, 0.807},  {10, 0.753}, {13, 0.690},
                   {16, 0.627}, {22, 0.538}, {23, 0.448}};
  for (const auto& p : published) {
    const SurvivalRow* row = RowAt(*curve, p.week);
    ASSERT_NE(row, nullptr) << "week " << p.week;
    EXPECT_NEAR(row->survival, p.survival, 0.0005) << "week " << p.week;
  }
  const SurvivalRow* week6 = RowAt(*curve, 6);
  EXPECT_EQ(week6->at_risk, 21);
  EXPECT_EQ(week6->events, 3);
  EXPECT_EQ(week6->censored, 1);
  EXPECT_NEAR(week6->std_error, 0.0764, 0.00005);
  // A censoring-only time is a row too, and the curve is flat across it.
  const SurvivalRow* week9 = RowAt(*curve, 9);
  ASSERT_NE(week9, nullptr);
  EXPECT_EQ(week9->events, 0);
  EXPECT_EQ(week9->at_risk, 16);
  EXPECT_NEAR(SurvivalAt(*curve, 9.5), 0.807, 0.0005);
  EXPECT_DOUBLE_EQ(SurvivalAt(*curve, 5), 1.0);
}

TEST(KaplanMeierTest, LogLogBandMatchesStata) {
  const Arm arm = Placebo();
  auto curve = KaplanMeier(arm.weeks, arm.relapsed);
  ASSERT_TRUE(curve.ok()) << curve.status().ToString();
  const struct {
    double week, survival, std_error, lower, upper;
  } stata[] = {{1, 0.9048, 0.0641, 0.6700, 0.9753}, {2, 0.8095, 0.0857, 0.5689, 0.9239}};
  for (const auto& s : stata) {
    const SurvivalRow* row = RowAt(*curve, s.week);
    ASSERT_NE(row, nullptr);
    EXPECT_NEAR(row->survival, s.survival, 0.00005) << "week " << s.week;
    EXPECT_NEAR(row->std_error, s.std_error, 0.00005) << "week " << s.week;
    EXPECT_NEAR(row->lower, s.lower, 0.00005) << "week " << s.week;
    EXPECT_NEAR(row->upper, s.upper, 0.00005) << "week " << s.week;
  }
  // Everyone relapsed by week 23: S = 0 and the band is undefined there.
  const SurvivalRow& last = curve->rows.back();
  EXPECT_EQ(last.time, 23);
  EXPECT_EQ(last.survival, 0);
  EXPECT_TRUE(std::isnan(last.std_error));
}

TEST(KaplanMeierTest, MedianSurvivalOfBothArms) {
  const Arm six_mp = SixMp(), placebo = Placebo();
  auto treated = KaplanMeier(six_mp.weeks, six_mp.relapsed);
  auto control = KaplanMeier(placebo.weeks, placebo.relapsed);
  ASSERT_TRUE(treated.ok() && control.ok());
  const MedianSurvival treated_median = MedianSurvivalTime(*treated);
  const MedianSurvival control_median = MedianSurvivalTime(*control);
  ASSERT_TRUE(treated_median.median && control_median.median);
  EXPECT_EQ(*treated_median.median, 23);
  EXPECT_EQ(*control_median.median, 8);
  // The interval brackets the median; for 6-MP the band's upper edge stays
  // above 0.5 (0.680 at week 23, the last relapse), so it has no upper end.
  ASSERT_TRUE(control_median.lower && control_median.upper && treated_median.lower);
  EXPECT_LE(*control_median.lower, 8);
  EXPECT_GE(*control_median.upper, 8);
  EXPECT_LE(*treated_median.lower, 23);
  EXPECT_FALSE(treated_median.upper.has_value());
  EXPECT_NEAR(RowAt(*treated, 23)->upper, 0.680, 0.0005);
}

TEST(LogRankTest, SixMpAgainstPlacebo) {
  const Arm six_mp = SixMp(), placebo = Placebo();
  std::vector<double> weeks = six_mp.weeks;
  std::vector<int> relapsed = six_mp.relapsed, group(21, 1);
  weeks.insert(weeks.end(), placebo.weeks.begin(), placebo.weeks.end());
  relapsed.insert(relapsed.end(), placebo.relapsed.begin(), placebo.relapsed.end());
  group.insert(group.end(), 21, 2);
  auto test = LogRank(weeks, relapsed, group);
  ASSERT_TRUE(test.ok()) << test.status().ToString();
  EXPECT_EQ(test->degrees_of_freedom, 1);
  EXPECT_NEAR(test->statistic, 16.79, 0.005);
  EXPECT_LT(test->p_value, 0.0001);
  EXPECT_GT(test->p_value, 0);
  ASSERT_EQ(test->groups, (std::vector<int>{1, 2}));
  EXPECT_EQ(test->observed[0], 9);
  EXPECT_EQ(test->observed[1], 21);
  EXPECT_NEAR(test->expected[0], 19.25, 0.005);
  EXPECT_NEAR(test->expected[1], 10.75, 0.005);
}

TEST(LogRankTest, ThreeGroupsHaveTwoDegreesOfFreedom) {
  // Splitting the placebo arm into two identical halves adds a degree of
  // freedom; the statistic stays that of a real difference.
  const Arm six_mp = SixMp(), placebo = Placebo();
  std::vector<double> weeks = six_mp.weeks;
  std::vector<int> relapsed = six_mp.relapsed, group(21, 0);
  for (size_t i = 0; i < placebo.weeks.size(); ++i) {
    weeks.push_back(placebo.weeks[i]);
    relapsed.push_back(placebo.relapsed[i]);
    group.push_back(1 + static_cast<int>(i % 2));
  }
  auto test = LogRank(weeks, relapsed, group);
  ASSERT_TRUE(test.ok()) << test.status().ToString();
  EXPECT_EQ(test->degrees_of_freedom, 2);
  EXPECT_GT(test->statistic, 16);
  EXPECT_LT(test->p_value, 0.001);
  // Identical arms: no evidence of a difference.
  std::vector<double> twice = six_mp.weeks;
  twice.insert(twice.end(), six_mp.weeks.begin(), six_mp.weeks.end());
  std::vector<int> flags = six_mp.relapsed, halves(21, 0);
  flags.insert(flags.end(), six_mp.relapsed.begin(), six_mp.relapsed.end());
  halves.insert(halves.end(), 21, 1);
  auto same = LogRank(twice, flags, halves);
  ASSERT_TRUE(same.ok());
  EXPECT_NEAR(same->statistic, 0, 1e-12);
  EXPECT_NEAR(same->p_value, 1, 1e-12);
}

TEST(SurvivalTest, RejectsBadInputNamingTheField) {
  const std::vector<double> weeks = {1, 2, 3}, negative = {1, -2, 3}, none = {};
  const std::vector<int> flags = {1, 0, 1}, bad_flags = {1, 2, 1}, short_flags = {1, 0};
  const std::vector<int> one_group = {1, 1, 1}, short_groups = {1, 2};
  EXPECT_EQ(KaplanMeier(none, {}).status().field(), "durations");
  EXPECT_EQ(KaplanMeier(negative, flags).status().field(), "durations");
  EXPECT_EQ(KaplanMeier(weeks, bad_flags).status().field(), "events");
  EXPECT_EQ(KaplanMeier(weeks, short_flags).status().field(), "events");
  EXPECT_EQ(KaplanMeier(weeks, flags, 1.5).status().field(), "confidence_level");
  EXPECT_EQ(LogRank(weeks, flags, one_group).status().field(), "groups");
  EXPECT_EQ(LogRank(weeks, flags, short_groups).status().field(), "groups");
  const std::vector<int> no_events = {0, 0, 0}, two_groups = {1, 2, 1};
  EXPECT_EQ(LogRank(weeks, no_events, two_groups).status().field(), "groups");
}

}  // namespace
}  // namespace tenure::analytics
