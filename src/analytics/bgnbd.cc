#include "analytics/bgnbd.h"

#include <algorithm>
#include <array>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/hypergeometric_pFq.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "common/parallel.h"

namespace tenure::analytics {
namespace {

// Boost.Math reports failures as NaN (errno) instead of throwing: the
// callers here return NaN for a quantity that cannot be computed.
using NoThrow = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::errno_on_error>,
    boost::math::policies::pole_error<boost::math::policies::errno_on_error>,
    boost::math::policies::overflow_error<boost::math::policies::errno_on_error>,
    boost::math::policies::evaluation_error<boost::math::policies::errno_on_error>,
    boost::math::policies::promote_double<false>>;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Rows of the likelihood worth a thread of their own: below this a thread
// costs more to start than it saves (CDNOW's 2,357 customers run on one).
constexpr size_t kRowsPerThread = 50000;

double Digamma(double x) { return boost::math::digamma(x, NoThrow()); }

double LogBeta(double a, double b) { return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b); }

// Drop-out opportunities after the first purchase beyond the repeat
// purchases: 0 for BG/NBD, 1 for MBG/NBD (the chance to drop out at time 0).
double Shift(BgNbdVariant variant) { return variant == BgNbdVariant::kMbgNbd ? 1 : 0; }

bool ParamsValid(const BgNbdParams& p) {
  for (double v : {p.r, p.alpha, p.a, p.b}) {
    if (!(v > 0) || !std::isfinite(v)) return false;
  }
  return true;
}

Status CheckParams(const BgNbdParams& p) {
  const std::pair<const char*, double> named[] = {
      {"r", p.r}, {"alpha", p.alpha}, {"a", p.a}, {"b", p.b}};
  for (const auto& [name, value] : named) {
    if (!(value > 0) || !std::isfinite(value)) {
      return Status::InvalidArgument("must be a finite number > 0", name);
    }
  }
  return Status::Ok();
}

// What the likelihood loop needs to know about the data, found once.
struct DataShape {
  bool integral_x = true;
  double max_x = 0;
};

Result<DataShape> CheckData(const RecencyColumns& d) {
  const size_t n = d.x.size();
  if (n == 0) return Status::InvalidArgument("is empty", "x");
  if (d.t_x.size() != n) {
    return Status::InvalidArgument(
        "has " + std::to_string(d.t_x.size()) + " rows, x has " + std::to_string(n), "t_x");
  }
  if (d.T.size() != n) {
    return Status::InvalidArgument(
        "has " + std::to_string(d.T.size()) + " rows, x has " + std::to_string(n), "T");
  }
  DataShape shape;
  for (size_t i = 0; i < n; ++i) {
    const std::string row = "row " + std::to_string(i + 1);
    if (!(d.x[i] >= 0) || !std::isfinite(d.x[i])) {
      return Status::InvalidArgument(row + ": must be a finite number >= 0", "x");
    }
    if (!(d.t_x[i] >= 0) || !std::isfinite(d.t_x[i])) {
      return Status::InvalidArgument(row + ": must be a finite number >= 0", "t_x");
    }
    if (!(d.T[i] >= d.t_x[i]) || !std::isfinite(d.T[i])) {
      return Status::InvalidArgument(row + ": must be finite and >= t_x", "T");
    }
    shape.integral_x = shape.integral_x && d.x[i] == std::floor(d.x[i]);
    shape.max_x = std::max(shape.max_x, d.x[i]);
  }
  return shape;
}

// The part of one customer's log-likelihood, and of its gradient, that
// depends on x only (the FHL 2005 likelihood, with s the shift):
//   ln G(r+x) - ln G(r) + ln B(a, b+x+s) - ln B(a, b)
// and its derivatives in r, a and b.
struct FrequencyTerms {
  double log_value = 0, d_r = 0, d_a = 0, d_b = 0;
};

// Parameter-only values the per-frequency terms reuse.
struct ParamTerms {
  double lg_r, lg_b, lg_ab, psi_r, psi_b, psi_ab;
  explicit ParamTerms(const BgNbdParams& p)
      : lg_r(std::lgamma(p.r)),
        lg_b(std::lgamma(p.b)),
        lg_ab(std::lgamma(p.a + p.b)),
        psi_r(Digamma(p.r)),
        psi_b(Digamma(p.b)),
        psi_ab(Digamma(p.a + p.b)) {}
};

FrequencyTerms TermsFor(const BgNbdParams& p, const ParamTerms& c, double s, double x) {
  const double bx = p.b + x + s, abx = p.a + p.b + x + s;
  const double psi_abx = Digamma(abx);
  FrequencyTerms f;
  f.log_value =
      std::lgamma(p.r + x) - c.lg_r + c.lg_ab + std::lgamma(bx) - c.lg_b - std::lgamma(abx);
  f.d_r = Digamma(p.r + x) - c.psi_r;
  f.d_a = c.psi_ab - psi_abx;
  f.d_b = c.psi_ab + Digamma(bx) - c.psi_b - psi_abx;
  return f;
}

// ln(1 + e^d) without overflow.
double Softplus(double d) { return d > 0 ? d + std::log1p(std::exp(-d)) : std::log1p(std::exp(d)); }

// Sum of the per-customer log-likelihoods
//   ln L = ln G(r+x) - ln G(r) + r ln alpha + ln B(a, b+x+s) - ln B(a, b)
//          + ln[ (alpha+T)^-(r+x) + [x+s>0] a/(b+x+s-1) (alpha+t_x)^-(r+x) ],
// the last term as A3 + softplus(A4 - A3). The second summand's share w of
// the bracket is what each derivative of the bracket weighs by.
//
// The special functions depend on x alone; when x holds small integers (the
// usual case, counts) they are tabulated once per call, so the per-customer
// loop is a few logs and one exp with no allocation. Large data are summed
// on all cores (common/parallel.h).
//
// `weights`, when not empty, counts the customers each row stands for (the
// fit groups customers with the same x, t_x and T).
double LogLikelihoodOf(double s, const BgNbdParams& p, const RecencyColumns& d,
                       const DataShape& shape, std::span<double> gradient,
                       std::span<const double> weights = {}) {
  const size_t n = d.x.size();
  const ParamTerms c(p);
  std::vector<FrequencyTerms> table;
  const bool tabulate = shape.integral_x && shape.max_x < static_cast<double>(n);
  if (tabulate) {
    table.resize(static_cast<size_t>(shape.max_x) + 1);
    for (size_t k = 0; k < table.size(); ++k) table[k] = TermsFor(p, c, s, static_cast<double>(k));
  }
  const double r = p.r, alpha = p.alpha, log_a = std::log(p.a);
  // Each part of the rows sums into its own Sums; they are added in part
  // order, so a given machine always gives the same result.
  struct Sums {
    double ll = 0, g_r = 0, g_alpha = 0, g_a = 0, g_b = 0;
  };
  std::vector<Sums> parts(ParallelThreads());
  ParallelFor(n, kRowsPerThread, [&](size_t begin, size_t end, size_t part) {
    Sums sum;
    for (size_t i = begin; i < end; ++i) {
      const double x = d.x[i];
      const FrequencyTerms f = tabulate ? table[static_cast<size_t>(x)] : TermsFor(p, c, s, x);
      const double rx = r + x;
      const double log_T = std::log(alpha + d.T[i]), log_tx = std::log(alpha + d.t_x[i]);
      const double bx1 = p.b + x + s - 1;
      double bracket = -rx * log_T, w = 0, w_a = 0, w_b = 0;
      if (x + s > 0) {
        const double diff = log_a - std::log(bx1) + rx * (log_T - log_tx);
        bracket += Softplus(diff);
        w = 1 / (1 + std::exp(-diff));
        w_a = w / p.a;
        w_b = w / bx1;
      }
      const double k = weights.empty() ? 1 : weights[i];
      sum.ll += k * (f.log_value + bracket);
      sum.g_r += k * (f.d_r - log_T + w * (log_T - log_tx));
      sum.g_alpha -=
          k * rx * (1 / (alpha + d.T[i]) + w * (1 / (alpha + d.t_x[i]) - 1 / (alpha + d.T[i])));
      sum.g_a += k * (f.d_a + w_a);
      sum.g_b += k * (f.d_b - w_b);
    }
    parts[part] = sum;
  });
  double ll = 0, g_r = 0, g_alpha = 0, g_a = 0, g_b = 0;
  for (const Sums& sum : parts) {
    ll += sum.ll;
    g_r += sum.g_r;
    g_alpha += sum.g_alpha;
    g_a += sum.g_a;
    g_b += sum.g_b;
  }
  double customers = static_cast<double>(n);
  if (!weights.empty()) customers = std::accumulate(weights.begin(), weights.end(), 0.0);
  ll += customers * r * std::log(alpha);
  if (!gradient.empty()) {
    gradient[0] = g_r + customers * std::log(alpha);
    gradient[1] = g_alpha + customers * r / alpha;
    gradient[2] = g_a;
    gradient[3] = g_b;
  }
  return ll;
}

// E[Y(t) | x, t_x, T] before multiplying by P(alive): with the posterior of
// (lambda, p) given alive, Gamma(r+x, alpha+T) x Beta(a, b+x+s),
//   (a+b+x+s-1)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x)
//                          2F1(r+x, b+x+s; a+b+x+s-1; t/(alpha+T+t))].
double ExpectedIfAlive(double s, BgNbdParams p, double t, double x, double T) {
  // a = 1 (the factor 1/(a-1)) and c = 0 (a pole of 2F1; only at x + s = 0
  // with a + b = 1) are removable singularities of this expectation, which
  // is continuous in a: step off them (see the header).
  if (p.a == 1 || p.a + p.b + x + s - 1 == 0) p.a += 1e-7;
  const double z = t / (p.alpha + T + t);
  const double c = p.a + p.b + x + s - 1;
  const double hyp = boost::math::hypergeometric_pFq({p.r + x, p.b + x + s}, {c}, z,
                                                     static_cast<double*>(nullptr), NoThrow());
  return c / (p.a - 1) * (1 - std::pow((p.alpha + T) / (p.alpha + T + t), p.r + x) * hyp);
}

bool CustomerValid(double x, double t_x, double T) {
  return x >= 0 && t_x >= 0 && T >= t_x && std::isfinite(x) && std::isfinite(T);
}

}  // namespace

Result<double> BgNbdLogLikelihood(BgNbdVariant variant, const BgNbdParams& params,
                                  const RecencyColumns& data, std::span<double> gradient) {
  TENURE_RETURN_IF_ERROR(CheckParams(params));
  if (!gradient.empty() && gradient.size() != 4) {
    return Status::InvalidArgument("must be empty or have 4 entries", "gradient");
  }
  auto shape = CheckData(data);
  if (!shape.ok()) return shape.status();
  return LogLikelihoodOf(Shift(variant), params, data, *shape, gradient);
}

Result<BgNbdFit> FitBgNbd(BgNbdVariant variant, const RecencyColumns& data,
                          const FitOptions& options, const BgNbdParams& start) {
  auto shape = CheckData(data);
  if (!shape.ok()) return shape.status();
  const double s = Shift(variant);
  // Customers with the same (x, t_x, T) add the same term: each distinct
  // triple is evaluated once, weighted by its count (on CDNOW's full log,
  // every one-time buyer of a given first day is one row).
  std::vector<std::array<double, 3>> rows(data.x.size());
  for (size_t i = 0; i < rows.size(); ++i) rows[i] = {data.x[i], data.t_x[i], data.T[i]};
  std::sort(rows.begin(), rows.end());
  std::vector<double> x, t_x, T, count;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i > 0 && rows[i] == rows[i - 1]) {
      count.back() += 1;
      continue;
    }
    x.push_back(rows[i][0]);
    t_x.push_back(rows[i][1]);
    T.push_back(rows[i][2]);
    count.push_back(1);
  }
  const RecencyColumns grouped{x, t_x, T};
  LogLikelihood ll = [&](std::span<const double> v, std::span<double> gradient) {
    return LogLikelihoodOf(s, BgNbdParams{v[0], v[1], v[2], v[3]}, grouped, *shape, gradient,
                           count);
  };
  auto fit = MaximizeLikelihood(ll, {start.r, start.alpha, start.a, start.b}, options);
  if (!fit.ok()) return fit.status();
  const auto& v = fit->params;
  const auto& e = fit->std_errors;
  return BgNbdFit{{v[0], v[1], v[2], v[3]},
                  {e[0], e[1], e[2], e[3]},
                  fit->log_likelihood,
                  fit->evaluations,
                  fit->converged};
}

double BgNbdProbabilityAlive(BgNbdVariant variant, const BgNbdParams& p, double x, double t_x,
                             double T) {
  if (!ParamsValid(p) || !CustomerValid(x, t_x, T)) return kNaN;
  const double s = Shift(variant);
  if (x + s == 0) return 1;
  // 1 / (1 + a/(b+x+s-1) ((alpha+T)/(alpha+t_x))^(r+x)), in logs.
  const double log_odds = std::log(p.a / (p.b + x + s - 1)) +
                          (p.r + x) * (std::log(p.alpha + T) - std::log(p.alpha + t_x));
  return 1 / (1 + std::exp(log_odds));
}

double BgNbdExpectedTransactions(BgNbdVariant variant, const BgNbdParams& p, double t) {
  // A customer who has just bought for the first time is (0, 0, 0); for
  // MBG/NBD P(alive) there is b/(a+b), and the product is Batislam et al.'s
  // b/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b+1; a+b; t/(alpha+t))].
  return BgNbdConditionalExpectedTransactions(variant, p, t, 0, 0, 0);
}

double BgNbdConditionalExpectedTransactions(BgNbdVariant variant, const BgNbdParams& p, double t,
                                            double x, double t_x, double T) {
  if (!ParamsValid(p) || !CustomerValid(x, t_x, T) || !(t >= 0) || !std::isfinite(t)) return kNaN;
  return ExpectedIfAlive(Shift(variant), p, t, x, T) * BgNbdProbabilityAlive(variant, p, x, t_x, T);
}

double BgNbdExpectedIfAlive(BgNbdVariant variant, const BgNbdParams& p, double t, double x,
                            double T) {
  if (!ParamsValid(p) || !CustomerValid(x, 0, T) || !(t >= 0) || !std::isfinite(t)) return kNaN;
  return ExpectedIfAlive(Shift(variant), p, t, x, T);
}

double BgNbdProbabilityOfTransactions(BgNbdVariant variant, const BgNbdParams& p, double t, int n) {
  if (!ParamsValid(p) || !(t >= 0) || !std::isfinite(t) || n < 0) return kNaN;
  const double s = Shift(variant), x = n;
  // Alive after all x+s opportunities with exactly x purchases (NBD term),
  // or dropped out after the x-th purchase, which came before t (the NBD
  // tail P(N >= x) = I_z(x, r), z = t/(alpha+t), Boost's regularised
  // incomplete beta, free of the cancellation in 1 - sum of the terms).
  const double z = t / (p.alpha + t);
  const double log_nbd = std::lgamma(p.r + x) - std::lgamma(p.r) - std::lgamma(x + 1) +
                         p.r * std::log(p.alpha / (p.alpha + t)) + (n > 0 ? x * std::log(z) : 0);
  const double log_beta_ab = LogBeta(p.a, p.b);
  double probability = std::exp(LogBeta(p.a, p.b + x + s) - log_beta_ab + log_nbd);
  if (x + s > 0) {
    const double tail = n == 0 ? 1 : boost::math::ibeta(x, p.r, z, NoThrow());
    probability += std::exp(LogBeta(p.a + 1, p.b + x + s - 1) - log_beta_ab) * tail;
  }
  return probability;
}

Result<HoldoutComparison> CompareBgNbdHoldout(BgNbdVariant variant, const BgNbdParams& params,
                                              const RecencyColumns& data,
                                              std::span<const double> holdout_x,
                                              std::span<const double> holdout_length) {
  TENURE_RETURN_IF_ERROR(CheckParams(params));
  auto shape = CheckData(data);
  if (!shape.ok()) return shape.status();
  const size_t n = data.x.size();
  for (const auto& [name, column] :
       {std::pair{"holdout_x", holdout_x}, std::pair{"holdout_length", holdout_length}}) {
    if (column.size() != n) {
      return Status::InvalidArgument(
          "has " + std::to_string(column.size()) + " rows, x has " + std::to_string(n), name);
    }
    for (size_t i = 0; i < n; ++i) {
      if (!(column[i] >= 0) || !std::isfinite(column[i])) {
        return Status::InvalidArgument("row " + std::to_string(i + 1) + ": must be >= 0", name);
      }
    }
  }
  constexpr int kBins = 8;  // x = 0..6, and 7 or more
  HoldoutComparison out;
  out.expected.resize(n);
  out.bins.resize(kBins);
  std::vector<double> actual_sum(kBins, 0), expected_sum(kBins, 0);
  for (size_t i = 0; i < n; ++i) {
    const double e = BgNbdConditionalExpectedTransactions(variant, params, holdout_length[i],
                                                          data.x[i], data.t_x[i], data.T[i]);
    out.expected[i] = e;
    const int bin = static_cast<int>(std::min(data.x[i], static_cast<double>(kBins - 1)));
    ++out.bins[bin].customers;
    actual_sum[bin] += holdout_x[i];
    expected_sum[bin] += e;
    out.actual_total += holdout_x[i];
    out.expected_total += e;
  }
  for (int k = 0; k < kBins; ++k) {
    HoldoutBin& bin = out.bins[k];
    bin.frequency = k;
    const double m = static_cast<double>(bin.customers);
    bin.actual_mean = bin.customers > 0 ? actual_sum[k] / m : kNaN;
    bin.expected_mean = bin.customers > 0 ? expected_sum[k] / m : kNaN;
  }
  return out;
}

}  // namespace tenure::analytics
