// The shared maximum-likelihood fit, on a model with a closed-form answer:
// the exponential distribution's MLE is 1 / mean, with standard error
// rate / sqrt(n).
#include "analytics/optimize.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace tenure::analytics {
namespace {

TEST(OptimizeTest, ExponentialRateAndItsStandardError) {
  const std::vector<double> data = {0.5, 1.2, 0.3, 2.2, 0.9, 1.7, 0.4, 0.8};
  double sum = 0;
  for (double d : data) sum += d;
  const double n = static_cast<double>(data.size());
  LogLikelihood ll = [&](std::span<const double> p, std::span<double> g) {
    double rate = p[0];
    if (!g.empty()) g[0] = n / rate - sum;
    return n * std::log(rate) - rate * sum;
  };
  auto fit = MaximizeLikelihood(ll, {5.0});
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  EXPECT_NEAR(fit->params[0], n / sum, 1e-7);
  EXPECT_NEAR(fit->log_likelihood, n * std::log(n / sum) - n, 1e-9);
  EXPECT_NEAR(fit->std_errors[0], (n / sum) / std::sqrt(n), 1e-5);
  EXPECT_TRUE(fit->converged);
}

TEST(OptimizeTest, SaysWhenItDidNotConverge) {
  // The likelihood keeps growing with the parameter: the fit ends at the bound.
  LogLikelihood unbounded = [](std::span<const double> p, std::span<double> g) {
    if (!g.empty()) g[0] = 1 / p[0];
    return std::log(p[0]);
  };
  auto fit = MaximizeLikelihood(unbounded, {1.0});
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  EXPECT_FALSE(fit->converged);
}

TEST(OptimizeTest, RefusesAStartThatIsNotPositive) {
  LogLikelihood ll = [](std::span<const double> p, std::span<double>) { return -p[0]; };
  EXPECT_FALSE(MaximizeLikelihood(ll, {0.0}).ok());
  LogLikelihood nan = [](std::span<const double>, std::span<double>) { return std::nan(""); };
  EXPECT_FALSE(MaximizeLikelihood(nan, {1.0}).ok());
}

}  // namespace
}  // namespace tenure::analytics
