#include "analytics/pareto_nbd.h"

#include <algorithm>
#include <array>
// Boost 1.74's hypergeometric_pFq.hpp uses lgamma and expm1 without including
// them; expm1.hpp and gamma.hpp must come first (alphabetical order does it).
#include <boost/math/special_functions/expm1.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/hypergeometric_pFq.hpp>
#include <cmath>
#include <exception>
#include <limits>
#include <numbers>
#include <string>
#include <tuple>
#include <utility>

#include "common/parallel.h"

namespace tenure::analytics {
namespace {

// The series of 2F1(1, b; c; z) with c > b (the only kind used here) has
// terms below z^n, so it reaches double precision within 40 / -ln(z) terms.
// Boost stops silently at its iteration limit, so points needing more are
// refused up front (the likelihood is NaN there and the optimiser steps
// back). With 50,000 terms that admits z up to 1 - 8e-4, i.e.
// max(alpha, beta) + t up to about 1,250 times min(alpha, beta) + t, and
// bounds the cost of a line search that wanders far out.
constexpr int kMaxSeriesTerms = 50000;

// Evaluate in double: Boost would otherwise sum the series in long double,
// which costs a third more time and buys nothing here.
using Policy =
    boost::math::policies::policy<boost::math::policies::promote_double<false>,
                                  boost::math::policies::max_series_iterations<kMaxSeriesTerms>>;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Relative step of the central-difference gradient: near the cube root of
// the rounding error of a sum of thousands of terms, where truncation and
// rounding errors balance.
constexpr double kGradientStep = 1e-5;

Status CheckParams(const ParetoNbdParams& p) {
  const std::pair<const char*, double> named[] = {
      {"r", p.r}, {"alpha", p.alpha}, {"s", p.s}, {"beta", p.beta}};
  for (const auto& [name, value] : named) {
    if (!(value > 0) || !std::isfinite(value)) {
      return Status::InvalidArgument("must be positive and finite", name);
    }
  }
  return Status::Ok();
}

Status CheckCustomer(double x, double t_x, double T, const std::string& where) {
  const std::pair<const char*, double> named[] = {{"x", x}, {"t_x", t_x}, {"T", T}};
  for (const auto& [name, value] : named) {
    if (!(value >= 0) || !std::isfinite(value)) {
      return Status::InvalidArgument(where + "must be non-negative and finite", name);
    }
  }
  if (t_x > T) return Status::InvalidArgument(where + "must not exceed T", "t_x");
  return Status::Ok();
}

Status CheckColumns(std::span<const double> x, std::span<const double> t_x,
                    std::span<const double> T) {
  if (x.empty()) return Status::InvalidArgument("no customers", "x");
  if (t_x.size() != x.size()) {
    return Status::InvalidArgument(
        "has " + std::to_string(t_x.size()) + " values, x has " + std::to_string(x.size()), "t_x");
  }
  if (T.size() != x.size()) {
    return Status::InvalidArgument(
        "has " + std::to_string(T.size()) + " values, x has " + std::to_string(x.size()), "T");
  }
  for (size_t i = 0; i < x.size(); ++i) {
    TENURE_RETURN_IF_ERROR(
        CheckCustomer(x[i], t_x[i], T[i], "row " + std::to_string(i + 1) + ": "));
  }
  return Status::Ok();
}

// log(e^u - e^v) for v <= u; -inf when they are equal.
double LogDiffExp(double u, double v) {
  double d = v - u;
  if (!(d < 0)) return -std::numeric_limits<double>::infinity();
  return u + (d > -std::numbers::ln2 ? std::log(-std::expm1(d)) : std::log1p(-std::exp(d)));
}

// log(e^u + e^v).
double LogSumExp(double u, double v) {
  if (u < v) std::swap(u, v);
  if (v == -std::numeric_limits<double>::infinity()) return u;
  return u + std::log1p(std::exp(v - u));
}

// The logarithm of one of the two terms of A0 at time t (t_x or T), that is
// of 2F1(a, b; a+1; z(t)) / (max(alpha, beta) + t)^a with a = r+s+x, b = s+1
// and z = (alpha-beta)/(alpha+t) when alpha >= beta, b = r+x and
// z = (beta-alpha)/(beta+t) otherwise. After Euler's transformation (1-z is
// the ratio of the two scales) this is
//   alpha >= beta: 2F1(1, r+x; a+1; z) (alpha+t)^-(r+x) (beta+t)^-s
//   alpha <  beta: 2F1(1, s+1; a+1; z) (alpha+t)^(1-r-x) (beta+t)^-(s+1).
// NaN when z is too close to 1 for the series (see kMaxSeriesTerms).
//
// With `slope` it also receives d/dalpha and d/dbeta of that logarithm,
// analytic: both move z, and d/dz 2F1(1, b; c; z) = (b/c) 2F1(2, b+1; c+1; z)
// (one more 2F1); the powers are differentiated directly.
struct A0Slope {
  double alpha = 0, beta = 0;
};
double LogA0Term(const ParetoNbdParams& p, double x, double t, A0Slope* slope = nullptr) {
  const double c = p.r + p.s + x + 1;
  const double log_alpha_t = std::log(p.alpha + t);
  const double log_beta_t = std::log(p.beta + t);
  // Both branches' argument: |alpha - beta| / (max(alpha, beta) + t).
  const double z = std::abs(p.alpha - p.beta) / (std::max(p.alpha, p.beta) + t);
  if (z > 0 && -std::log(z) * kMaxSeriesTerms < 40) return kNaN;
  const bool alpha_first = p.alpha >= p.beta;
  const double b = alpha_first ? p.r + x : p.s + 1;
  try {
    const double f =
        boost::math::hypergeometric_pFq({1.0, b}, {c}, z, static_cast<double*>(nullptr), Policy());
    if (slope != nullptr) {
      // d ln F / dz, then dz/dalpha and dz/dbeta of this branch's z.
      const double df = b / c *
                        boost::math::hypergeometric_pFq({2.0, b + 1}, {c + 1}, z,
                                                        static_cast<double*>(nullptr), Policy()) /
                        f;
      if (alpha_first) {  // z = (alpha - beta) / (alpha + t)
        const double at = p.alpha + t;
        slope->alpha = df * (p.beta + t) / (at * at) - (p.r + x) / at;
        slope->beta = -df / at - p.s / (p.beta + t);
      } else {  // z = (beta - alpha) / (beta + t)
        const double bt = p.beta + t;
        slope->alpha = -df / bt + (1 - p.r - x) / (p.alpha + t);
        slope->beta = df * (p.alpha + t) / (bt * bt) - (p.s + 1) / bt;
      }
    }
    return alpha_first ? std::log(f) - (p.r + x) * log_alpha_t - p.s * log_beta_t
                       : std::log(f) + (1 - p.r - x) * log_alpha_t - (p.s + 1) * log_beta_t;
  } catch (const std::exception&) {
    return kNaN;
  }
}

// The two summands of the bracket of the likelihood, in logarithms:
// `survived` = log[(alpha+T)^-(r+x) (beta+T)^-s] (alive throughout) and
// `died` = log[s/(r+s+x) A0] (died between t_x and T; -inf when t_x = T).
struct Bracket {
  double survived;
  double died;
};

Bracket BracketOf(const ParetoNbdParams& p, double x, double T, double log_a0_tx, double log_a0_T) {
  return {-(p.r + x) * std::log(p.alpha + T) - p.s * std::log(p.beta + T),
          std::log(p.s / (p.r + p.s + x)) + LogDiffExp(log_a0_tx, log_a0_T)};
}

// Customers grouped by (x, t_x, T), and the distinct (x, t) pairs at which
// A0's terms are needed: on CDNOW 2,357 customers give 1,016 patterns but
// at most 1,050 such pairs instead of 2,032, and the 2F1 is the cost.
struct Pattern {
  double x, t_x, T, count;
  size_t at_t_x, at_T;  // indices into Prepared::points
};

struct Point {
  double x, t;
  bool operator<(const Point& o) const { return std::tie(x, t) < std::tie(o.x, o.t); }
  bool operator==(const Point& o) const { return x == o.x && t == o.t; }
};

struct Prepared {
  std::vector<Pattern> patterns;  // sorted by x
  std::vector<Point> points;      // sorted, distinct
};

// REQUIRES: the columns passed CheckColumns.
Prepared Prepare(std::span<const double> x, std::span<const double> t_x,
                 std::span<const double> T) {
  std::vector<std::tuple<double, double, double>> rows(x.size());
  for (size_t i = 0; i < x.size(); ++i) rows[i] = {x[i], t_x[i], T[i]};
  std::sort(rows.begin(), rows.end());
  Prepared out;
  for (const auto& [xi, txi, Ti] : rows) {
    if (!out.patterns.empty() && out.patterns.back().x == xi && out.patterns.back().t_x == txi &&
        out.patterns.back().T == Ti) {
      out.patterns.back().count += 1;
    } else {
      out.patterns.push_back({xi, txi, Ti, 1, 0, 0});
    }
    out.points.push_back({xi, txi});
    out.points.push_back({xi, Ti});
  }
  std::sort(out.points.begin(), out.points.end());
  out.points.erase(std::unique(out.points.begin(), out.points.end()), out.points.end());
  auto index = [&](Point q) {
    return static_cast<size_t>(std::lower_bound(out.points.begin(), out.points.end(), q) -
                               out.points.begin());
  };
  for (Pattern& pattern : out.patterns) {
    pattern.at_t_x = index({pattern.x, pattern.t_x});
    pattern.at_T = index({pattern.x, pattern.T});
  }
  return out;
}

// Per-point values an evaluation computes, kept by the caller across
// evaluations (one per thread).
struct Scratch {
  std::vector<double> log_a0;
  std::vector<A0Slope> slopes;
};

// The log-likelihood of all customers; NaN when it cannot be evaluated.
// With `d_alpha_beta` (2 entries) it also receives d LL / d alpha and
// d LL / d beta, analytic (see LogA0Term; log(e^u - e^v) and
// log(e^S + e^D) are differentiated by their weights).
double Evaluate(const ParetoNbdParams& p, const Prepared& data, Scratch& scratch,
                std::span<double> d_alpha_beta = {}) {
  const bool slopes = !d_alpha_beta.empty();
  scratch.log_a0.resize(data.points.size());
  scratch.slopes.resize(slopes ? data.points.size() : 0);
  for (size_t i = 0; i < data.points.size(); ++i) {
    scratch.log_a0[i] =
        LogA0Term(p, data.points[i].x, data.points[i].t, slopes ? &scratch.slopes[i] : nullptr);
    if (std::isnan(scratch.log_a0[i])) return kNaN;  // the rest would fail alike
  }
  const double log_gamma_r = boost::math::lgamma(p.r, Policy());
  const double common = p.r * std::log(p.alpha) + p.s * std::log(p.beta) - log_gamma_r;
  double sum = 0, d_alpha = 0, d_beta = 0;
  double last_x = -1, log_gamma_rx = 0;
  for (const Pattern& c : data.patterns) {
    if (c.x != last_x) {  // patterns are sorted by x: one lgamma per x
      last_x = c.x;
      log_gamma_rx = boost::math::lgamma(p.r + c.x, Policy());
    }
    const double u = scratch.log_a0[c.at_t_x], v = scratch.log_a0[c.at_T];
    const Bracket b = BracketOf(p, c.x, c.T, u, v);
    sum += c.count * (log_gamma_rx + common + LogSumExp(b.survived, b.died));
    if (!slopes) continue;
    // Weights of the bracket's summands, and of log(e^u - e^v)'s terms.
    double died_alpha = 0, died_beta = 0, w_died = 0;
    if (b.died > -std::numeric_limits<double>::infinity()) {
      w_died = 1 / (1 + std::exp(b.survived - b.died));
      const double g_u = -1 / std::expm1(v - u), g_v = 1 - g_u;
      const A0Slope &at_t_x = scratch.slopes[c.at_t_x], &at_T = scratch.slopes[c.at_T];
      died_alpha = g_u * at_t_x.alpha + g_v * at_T.alpha;
      died_beta = g_u * at_t_x.beta + g_v * at_T.beta;
    }
    const double w_survived = 1 - w_died;
    d_alpha += c.count *
               (p.r / p.alpha - w_survived * (p.r + c.x) / (p.alpha + c.T) + w_died * died_alpha);
    d_beta += c.count * (p.s / p.beta - w_survived * p.s / (p.beta + c.T) + w_died * died_beta);
  }
  if (slopes) {
    d_alpha_beta[0] = d_alpha;
    d_alpha_beta[1] = d_beta;
  }
  return sum;
}

ParetoNbdParams FromSpan(std::span<const double> v) { return {v[0], v[1], v[2], v[3]}; }

// Evaluate() and, when `gradient` is not empty, its gradient: analytic in
// alpha and beta (Evaluate), by central differences in r and s, which are
// parameters of the 2F1 (step kGradientStep times the parameter; the
// difference of the perturbed values is the divisor, so the step's rounding
// cancels). The five evaluations are independent and run on all cores, each
// part with its own scratch (one per part, kept by the caller).
double EvaluateWithGradient(const ParetoNbdParams& p, const Prepared& data,
                            std::span<double> gradient, std::vector<Scratch>& scratch) {
  scratch.resize(ParallelThreads());
  if (gradient.empty()) return Evaluate(p, data, scratch[0]);
  // r up, r down, s up, p itself with slopes (about twice the cost of the
  // others), s down: on two cores the contiguous halves cost the same.
  std::array<ParetoNbdParams, 5> points;
  points.fill(p);
  points[0].r *= 1 + kGradientStep;
  points[1].r *= 1 - kGradientStep;
  points[2].s *= 1 + kGradientStep;
  points[4].s *= 1 - kGradientStep;
  constexpr size_t kCenter = 3;
  std::array<double, 5> values;
  double d_alpha_beta[2] = {0, 0};
  ParallelFor(points.size(), 1, [&](size_t begin, size_t end, size_t part) {
    for (size_t k = begin; k < end; ++k) {
      values[k] = Evaluate(points[k], data, scratch[part],
                           k == kCenter ? std::span<double>(d_alpha_beta) : std::span<double>());
    }
  });
  gradient[0] = (values[0] - values[1]) / (points[0].r - points[1].r);
  gradient[1] = d_alpha_beta[0];
  gradient[2] = (values[2] - values[4]) / (points[2].s - points[4].s);
  gradient[3] = d_alpha_beta[1];
  return values[kCenter];
}

// (r+x)(beta+T)/((alpha+T)(s-1)) [1 - ((beta+T)/(beta+T+t))^(s-1)], written
// with expm1/log1p so that s near 1 loses nothing (its limit at s = 1 is
// (r+x)/(alpha+T) (beta+T) ln(1 + t/(beta+T))).
double ExpectedWhileAlive(const ParetoNbdParams& p, double t, double x, double T) {
  const double u = std::log1p(t / (p.beta + T));
  const double shape = p.s - 1;
  const double integral = shape == 0 ? u : -std::expm1(-shape * u) / shape;
  return (p.r + x) * (p.beta + T) / (p.alpha + T) * integral;
}

double ProbabilityAlive(const ParetoNbdParams& p, double x, double t_x, double T) {
  const Bracket b = BracketOf(p, x, T, LogA0Term(p, x, t_x), LogA0Term(p, x, T));
  return 1 / (1 + std::exp(b.died - b.survived));
}

}  // namespace

Result<double> ParetoNbdLogLikelihood(const ParetoNbdParams& params, std::span<const double> x,
                                      std::span<const double> t_x, std::span<const double> T,
                                      std::span<double> gradient) {
  TENURE_RETURN_IF_ERROR(CheckParams(params));
  TENURE_RETURN_IF_ERROR(CheckColumns(x, t_x, T));
  if (!gradient.empty() && gradient.size() != 4) {
    return Status::InvalidArgument("must be empty or have 4 elements", "gradient");
  }
  std::vector<Scratch> scratch;
  return EvaluateWithGradient(params, Prepare(x, t_x, T), gradient, scratch);
}

Result<ParetoNbdFit> FitParetoNbd(std::span<const double> x, std::span<const double> t_x,
                                  std::span<const double> T, const FitOptions& options) {
  TENURE_RETURN_IF_ERROR(CheckColumns(x, t_x, T));
  const Prepared data = Prepare(x, t_x, T);
  std::vector<Scratch> scratch;
  LogLikelihood ll = [&](std::span<const double> params, std::span<double> gradient) {
    return EvaluateWithGradient(FromSpan(params), data, gradient, scratch);
  };
  Result<Fit> fit = MaximizeLikelihood(ll, {1, 1, 1, 1}, options);
  if (!fit.ok()) return fit.status().WithContext("Pareto/NBD fit");
  if (!std::isfinite(fit->log_likelihood)) {
    return Status::Internal("Pareto/NBD fit: the likelihood is not finite at the optimum");
  }
  ParetoNbdFit out;
  out.params = FromSpan(fit->params);
  out.log_likelihood = fit->log_likelihood;
  out.std_errors = FromSpan(fit->std_errors);
  out.evaluations = fit->evaluations;
  out.converged = fit->converged;
  return out;
}

Result<double> ParetoNbdProbabilityAlive(const ParetoNbdParams& params, double x, double t_x,
                                         double T) {
  TENURE_RETURN_IF_ERROR(CheckParams(params));
  TENURE_RETURN_IF_ERROR(CheckCustomer(x, t_x, T, ""));
  return ProbabilityAlive(params, x, t_x, T);
}

Result<double> ParetoNbdExpectedPurchases(const ParetoNbdParams& params, double t) {
  TENURE_RETURN_IF_ERROR(CheckParams(params));
  if (!(t >= 0) || !std::isfinite(t)) {
    return Status::InvalidArgument("must be non-negative and finite", "t");
  }
  // E[X(t)] is E[Y(t) | x = 0, T = 0] with everyone alive at time 0.
  return ExpectedWhileAlive(params, t, 0, 0);
}

Result<double> ParetoNbdConditionalExpectedPurchases(const ParetoNbdParams& params, double t,
                                                     double x, double t_x, double T) {
  TENURE_RETURN_IF_ERROR(CheckParams(params));
  TENURE_RETURN_IF_ERROR(CheckCustomer(x, t_x, T, ""));
  if (!(t >= 0) || !std::isfinite(t)) {
    return Status::InvalidArgument("must be non-negative and finite", "t");
  }
  return ExpectedWhileAlive(params, t, x, T) * ProbabilityAlive(params, x, t_x, T);
}

double ParetoNbdExpectedIfAlive(const ParetoNbdParams& params, double t, double x, double T) {
  if (!CheckParams(params).ok() || !(x >= 0) || !(T >= 0) || !(t >= 0) || !std::isfinite(x) ||
      !std::isfinite(T) || !std::isfinite(t)) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  return ExpectedWhileAlive(params, t, x, T);
}

Result<std::vector<double>> ParetoNbdExpectedHoldout(const ParetoNbdParams& params,
                                                     std::span<const double> x,
                                                     std::span<const double> t_x,
                                                     std::span<const double> T,
                                                     double holdout_length) {
  TENURE_RETURN_IF_ERROR(CheckParams(params));
  TENURE_RETURN_IF_ERROR(CheckColumns(x, t_x, T));
  if (!(holdout_length >= 0) || !std::isfinite(holdout_length)) {
    return Status::InvalidArgument("must be non-negative and finite", "holdout_length");
  }
  std::vector<double> out(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    out[i] = ExpectedWhileAlive(params, holdout_length, x[i], T[i]) *
             ProbabilityAlive(params, x[i], t_x[i], T[i]);
  }
  return out;
}

}  // namespace tenure::analytics
