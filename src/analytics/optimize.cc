#include "analytics/optimize.h"

#include <nlopt.h>

#include <Eigen/Dense>
#include <cmath>
#include <limits>
#include <string>

namespace tenure::analytics {
namespace {

// What NLopt's callback needs: the model, and the parameters in their own
// scale (NLopt works on their logarithms).
struct Problem {
  const LogLikelihood* ll;
  std::vector<double> params;
  std::vector<double> gradient;
  int evaluations = 0;
};

// NLopt minimises; the objective is -LL over theta = log(params), whose
// gradient is -dLL/dparam * param.
double Objective(unsigned n, const double* theta, double* grad, void* data) {
  auto* p = static_cast<Problem*>(data);
  ++p->evaluations;
  for (unsigned i = 0; i < n; ++i) p->params[i] = std::exp(theta[i]);
  std::span<double> g;
  if (grad) g = std::span<double>(p->gradient.data(), n);
  double ll = (*p->ll)(p->params, g);
  if (!std::isfinite(ll)) ll = -std::numeric_limits<double>::max() / 4;
  if (grad) {
    for (unsigned i = 0; i < n; ++i) {
      double d = p->gradient[i] * p->params[i];
      grad[i] = std::isfinite(d) ? -d : 0;
    }
  }
  return -ll;
}

}  // namespace

Result<Fit> MaximizeLikelihood(const LogLikelihood& ll, std::vector<double> start,
                               const FitOptions& options) {
  const size_t n = start.size();
  for (size_t i = 0; i < n; ++i) {
    if (!(start[i] > 0) || !std::isfinite(start[i])) {
      return Status::InvalidArgument("start value " + std::to_string(i + 1) + " is not positive");
    }
  }
  double at_start = ll(start, {});
  if (!std::isfinite(at_start)) {
    return Status::InvalidArgument("the log-likelihood is not finite at the start values");
  }
  Problem problem{&ll, start, std::vector<double>(n), 0};
  std::vector<double> theta(n);
  for (size_t i = 0; i < n; ++i) theta[i] = std::log(start[i]);

  // Parameters between e^-20 and e^20: a model far outside is degenerate.
  constexpr double kBound = 20;
  auto run = [&](nlopt_algorithm algorithm, std::vector<double>& x) {
    nlopt_opt opt = nlopt_create(algorithm, static_cast<unsigned>(n));
    nlopt_set_min_objective(opt, Objective, &problem);
    nlopt_set_ftol_rel(opt, options.relative_tolerance);
    nlopt_set_xtol_rel(opt, 1e-10);
    nlopt_set_maxeval(opt, options.max_evaluations);
    std::vector<double> lower(n, -kBound), upper(n, kBound);
    nlopt_set_lower_bounds(opt, lower.data());
    nlopt_set_upper_bounds(opt, upper.data());
    double minimum = 0;
    nlopt_result result = nlopt_optimize(opt, x.data(), &minimum);
    nlopt_destroy(opt);
    return result;
  };
  // A run stopped by rounding (NLOPT_ROUNDOFF_LIMITED) has still converged
  // as far as doubles allow.
  auto failed = [](nlopt_result r) { return r < 0 && r != NLOPT_ROUNDOFF_LIMITED; };
  std::vector<double> best = theta;
  nlopt_result result = run(NLOPT_LD_LBFGS, best);
  if (failed(result)) {
    // L-BFGS gives up (NLOPT_FAILURE) where a line search meets a region the
    // model cannot evaluate, as on small or odd data: the derivative-free
    // subplex method walks around it from the start, then L-BFGS polishes.
    best = theta;
    result = run(NLOPT_LN_SBPLX, best);
    if (failed(result)) {
      return Status::Internal("the optimiser failed (NLopt code " + std::to_string(result) + ")");
    }
    std::vector<double> polished = best;
    nlopt_result polish = run(NLOPT_LD_LBFGS, polished);
    if (!failed(polish)) {
      best = polished;
      result = polish;
    }
  }
  theta = best;
  Fit fit;
  fit.params.resize(n);
  for (size_t i = 0; i < n; ++i) fit.params[i] = std::exp(theta[i]);
  fit.log_likelihood = ll(fit.params, {});
  fit.std_errors = StandardErrors(ll, fit.params);
  fit.evaluations = problem.evaluations;
  fit.converged = result != NLOPT_MAXEVAL_REACHED && result != NLOPT_MAXTIME_REACHED;
  for (double t : theta) fit.converged = fit.converged && std::abs(t) < kBound - 1e-6;
  return fit;
}

std::vector<double> StandardErrors(const LogLikelihood& ll, std::span<const double> params) {
  const size_t n = params.size();
  Eigen::MatrixXd hessian(n, n);
  std::vector<double> x(params.begin(), params.end());
  std::vector<double> up(n), down(n);
  for (size_t j = 0; j < n; ++j) {
    // Relative, so that a small parameter is never stepped across zero.
    double h = params[j] != 0 ? 1e-5 * std::abs(params[j]) : 1e-8;
    x[j] = params[j] + h;
    ll(x, up);
    x[j] = params[j] - h;
    ll(x, down);
    x[j] = params[j];
    for (size_t i = 0; i < n; ++i) hessian(i, j) = (up[i] - down[i]) / (2 * h);
  }
  Eigen::MatrixXd information = -(hessian + hessian.transpose()) / 2;
  std::vector<double> errors(n, std::numeric_limits<double>::quiet_NaN());
  Eigen::FullPivLU<Eigen::MatrixXd> lu(information);
  if (!lu.isInvertible()) return errors;
  Eigen::MatrixXd covariance = lu.inverse();
  for (size_t i = 0; i < n; ++i) {
    if (covariance(i, i) > 0) errors[i] = std::sqrt(covariance(i, i));
  }
  return errors;
}

}  // namespace tenure::analytics
