// Purchase-model scores (docs/scoring.md): for every
// customer with orders, P(alive), expected purchases in the next 30, 90 and
// 365 days, CLV and a model-based next purchase date, written to the
// customer's row in customer_scores (the run's models in score_runs) so that
// the workbench and reports can sort and filter by them. `tenure score`
// refreshes them all.
//
// Score() reads every customer's non-cancelled orders in index-only scans
// (store::ScanOrderFactsInRange, one id range per core), summarises them (analytics/summary.h:
// same-day orders merged, the first order is not a repeat purchase, calibration ends on the as-of
// date), fits the purchase model (BG/NBD, MBG/NBD or Pareto/NBD) and the Gamma-Gamma spend model by
// maximum likelihood, scores every customer (engine/purchase_scorer.h) and replaces all stored
// scores in one transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "common/time.h"
#include "engine/purchase_scorer.h"
#include "store/database.h"

namespace tenure::engine {

struct ScoreOptions {
  // End of the calibration period and the date the scores are for: orders
  // after it are ignored, customers whose first order is after it are not
  // scored. Default: today (UTC).
  Date as_of = TodayUtc();
  ScoreModel model = ScoreModel::kBgNbd;
  // The models' time unit in days. 7 (weeks, the literature's unit, so the
  // fitted parameters compare with the published ones) by default; the
  // scores do not depend on it beyond the optimiser's tolerance (alpha, and
  // Pareto/NBD's beta, scale with the unit). Must be > 0.
  double days_per_unit = 7;
  // CLV horizon in months of 365/12 days; 12 (one year) by default.
  int clv_months = 12;
  // Annual discount rate for CLV, applied monthly as (1 + d)^(1/12) - 1;
  // 0.10 by default. Must be > -1.
  double annual_discount_rate = 0.10;
  // The scored_at stamp written on every row. Default: now.
  std::optional<Timestamp> scored_at;
};

struct ScoreReport {
  Date as_of;
  ScoreModel model = ScoreModel::kBgNbd;
  double days_per_unit = 7;
  int64_t customers = 0;         // customers in the database
  int64_t customers_scored = 0;  // with a first order on or before as_of
  int64_t repeat_customers = 0;  // of those, with a repeat purchase day
  PurchaseModelParams params;
  double log_likelihood = 0;
  bool converged = true;
  // Gamma-Gamma spend model (p, q, gamma in minor units), fitted on the
  // repeat customers whose repeat purchases have a positive mean value.
  double spend_p = 0, spend_q = 0, spend_gamma = 0;
  double spend_log_likelihood = 0;
  bool spend_converged = true;
  int64_t spend_customers = 0;
  double seconds = 0;  // wall time of the whole run
  // Wall time of its phases: reading the orders, summarising them, fitting
  // the purchase and spend models, computing the scores, and writing them
  // (index rebuild and commit included).
  double read_seconds = 0, summary_seconds = 0, fit_seconds = 0, score_seconds = 0,
         write_seconds = 0;
};

// Scores every customer as described above and replaces all stored scores in
// one transaction: a customer without an order on or before as_of gets NULL
// columns. Errors (nothing is written): kInvalidArgument for a bad option
// (field named) or when no customer has an order on or before as_of, or no
// customer has a repeat purchase (nothing to fit); the fitting errors of
// analytics (e.g. Gamma-Gamma's q <= 1, where mean spend does not exist);
// kInternal when a score is not finite; store errors.
Result<ScoreReport> Score(store::Database& db, const ScoreOptions& options = {});

// One customer's stored scores, as the profile shows them.
struct CustomerScores {
  double p_alive = 0;
  double expected_purchases_30 = 0, expected_purchases_90 = 0, expected_purchases_365 = 0;
  int64_t clv = 0;  // minor units
  Date model_next_purchase_date;
  // P(no purchase in the next 90 days); nullopt for scores written before
  // schema 14.
  std::optional<double> p_no_purchase_90;
  Timestamp scored_at = 0;
  std::string score_model;
  // The run's calibration end; nullopt for a run carried over from schema 5.
  std::optional<Date> as_of;
};

// Reads a customer's stored scores; nullopt when the customer is not scored.
// Errors: kNotFound when there is no such customer; kCorruption when the
// stored date does not parse.
Result<std::optional<CustomerScores>> LoadScores(store::Database& db, int64_t customer_id);

}  // namespace tenure::engine
