// Maximum-likelihood fitting shared by the models: NLopt's L-BFGS over the
// logarithms of the (positive) parameters, driven by the model's analytic
// gradient, and standard errors from the observed information (the Hessian
// of the log-likelihood at the optimum, by central differences of that
// gradient, inverted with Eigen).
#pragma once

#include <functional>
#include <span>
#include <vector>

#include "common/status.h"

namespace tenure::analytics {

// A model's log-likelihood at `params`; when `gradient` is not empty it also
// receives d LL / d params (same length as params).
using LogLikelihood =
    std::function<double(std::span<const double> params, std::span<double> gradient)>;

struct FitOptions {
  double relative_tolerance = 1e-12;  // on the log-likelihood
  int max_evaluations = 20000;
};

struct Fit {
  std::vector<double> params;
  double log_likelihood = 0;
  // One per parameter; NaN when the information matrix is not invertible.
  std::vector<double> std_errors;
  int evaluations = 0;
  // False when the optimiser stopped at max_evaluations, or a parameter
  // ended at a bound (e^-20 or e^20): the result is then not an optimum.
  bool converged = true;
};

// Maximises `ll` over positive parameters, starting from `start`. Errors:
// kInvalidArgument when a start value is not positive or the log-likelihood
// is not finite there; kInternal when NLopt fails.
Result<Fit> MaximizeLikelihood(const LogLikelihood& ll, std::vector<double> start,
                               const FitOptions& options = {});

// sqrt of the diagonal of the inverse of -H, H the Hessian of `ll` at
// `params` (central differences of the gradient with a step relative to
// each parameter, symmetrised).
std::vector<double> StandardErrors(const LogLikelihood& ll, std::span<const double> params);

}  // namespace tenure::analytics
