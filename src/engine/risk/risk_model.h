// Who leaves next, and why (docs/risk.md): `tenure risk train | evaluate |
// score` on the CRM's own history.
//
// Training rows are monthly point-in-time snapshots (engine/risk/
// snapshots.h): the model is fitted on the older ones, its number of trees
// chosen and its probabilities calibrated (Platt) on the newest labelled
// one, the validation snapshot. Evaluate holds out one more month end, the
// test snapshot, and measures the model there beside two baselines computed
// on the same rows: the purchase model's expected purchases over the horizon
// (BG/NBD at the snapshot; fewer means more likely lost) and recency alone.
// Score applies the latest trained model at a date and stores, per active
// customer, the probability of being lost within the horizon, the value at
// risk, a 0-100 health and its top three reasons in words.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analytics/classification.h"
#include "common/status.h"
#include "common/time.h"
#include "store/database.h"

namespace tenure::engine::risk {

struct RiskOptions {
  // "Lost within the next horizon_days" is the label.
  int horizon_days = 180;
  // Train: the validation snapshot; evaluate: the test snapshot. Default:
  // the newest month end whose whole horizon is on record.
  std::optional<Date> as_of;
  // Month ends before the validation snapshot to train on (those without
  // customers are skipped).
  int training_snapshots = 12;
  // Rows in all the training snapshots together (an even share each, sampled),
  // and in the validation and test snapshots each.
  size_t max_training_rows = 300000;
  size_t max_check_rows = 200000;
  int threads = 2;  // XGBoost's
  uint64_t seed = 1;
  // Hours to resolve a complaint by severity (app::Config).
  std::array<int, 4> deadline_hours = {168, 72, 24, 8};
};

struct RiskFigures {
  int64_t rows = 0, positives = 0;
  double auc = 0, pr_auc = 0, brier = 0, lift = 0;  // lift in the top decile
  std::vector<analytics::CalibrationBin> calibration;
};

struct BaselineFigures {
  std::string name;  // "expected_purchases", "recency"
  double auc = 0, pr_auc = 0;
};

struct RiskFitReport {
  int horizon_days = 0;
  Date first_training, last_training, validation;
  std::optional<Date> test;  // evaluate only
  int training_snapshots = 0;
  int64_t rows_train = 0, rows_validation = 0;
  int rounds = 0, max_depth = 0;
  double calibration_a = 1, calibration_b = 0;
  // On the test snapshot (evaluate) or the validation snapshot (train, where
  // the trees and the calibration were chosen on the same rows).
  RiskFigures figures;
  std::vector<BaselineFigures> baselines;
  std::vector<std::pair<std::string, double>> top_features;  // mean |contribution|
  int64_t run_id = 0;                                        // train: the stored run
  double seconds = 0, history_seconds = 0, snapshot_seconds = 0, fit_seconds = 0;
};

// Errors (nothing written): kInvalidArgument for a bad option (named), or
// when the history is too short for the snapshots (no labelled month end, no
// training snapshot with customers, or a snapshot without both outcomes),
// saying which; store and XGBoost errors.
Result<RiskFitReport> EvaluateRisk(store::Database& db, const RiskOptions& options);
// As EvaluateRisk without the test snapshot; stores the model in risk_runs.
Result<RiskFitReport> TrainRisk(store::Database& db, const RiskOptions& options);

struct RiskScoreOptions {
  Date as_of = TodayUtc();
  int threads = 2;
  std::array<int, 4> deadline_hours = {168, 72, 24, 8};
  std::optional<Timestamp> now;  // the scored_at stamp; default now
};

struct RiskScoreReport {
  Date as_of;
  int64_t run_id = 0;
  int horizon_days = 0;
  int64_t customers_scored = 0;
  int64_t likely_lost = 0;  // probability >= 0.5
  double mean_probability = 0;
  int64_t value_at_risk = 0;  // sum, minor units
  double seconds = 0;
  // Reading the history; finding the customers now and a month ago and
  // fitting their purchase models; their features, the trees' predictions
  // and the reasons (while the rows are inserted); the writing left after
  // that (the rest of the inserts, the indexes, the commit).
  double history_seconds = 0, models_seconds = 0, score_seconds = 0, write_seconds = 0;
};

// Errors: kNotFound when no model was trained; kConflict when the model's
// feature list differs from this database's (retrain); store errors.
Result<RiskScoreReport> ScoreRisk(store::Database& db, const RiskScoreOptions& options);

// How well the health at a past date ranked the customers who were lost in
// the model's horizon after it (`tenure health backtest`).
struct HealthBacktestOptions {
  Date as_of;
  std::array<int, 4> deadline_hours = {168, 72, 24, 8};
};
struct HealthBacktestReport {
  Date as_of;
  int64_t run_id = 0;
  int horizon_days = 0;
  int64_t customers = 0, lost = 0;
  double auc = 0, pr_auc = 0;  // of 100 - health against "lost"
  double recency_auc = 0;      // recency alone on the same customers
  // The lowest-health tenth of the customers: how many of them, how many of
  // the lost it holds, and its share of the lost customers' revenue (their
  // sales in the year before as_of).
  int64_t lowest_decile = 0, lost_in_lowest_decile = 0;
  double lost_share_in_lowest_decile = 0, lost_revenue_share_in_lowest_decile = 0;
  int64_t lost_revenue = 0;  // minor units, all lost customers
  double mean_health = 0, mean_health_lost = 0, mean_health_kept = 0;
};
// Errors: kNotFound when no model was trained; kInvalidArgument naming
// "--as-of" when the horizon after it is not on record yet, or no customer
// or no outcome at it; store errors.
Result<HealthBacktestReport> BacktestHealth(store::Database& db,
                                            const HealthBacktestOptions& options);

// One customer's stored risk, as the profile shows it.
struct RiskReason {
  std::string code;  // features.h ReasonCode
  int points = 0;    // health points this reason takes
  std::string text;
};
struct CustomerRisk {
  double probability = 0;
  int64_t value_at_risk = 0;
  int health = 100;
  std::optional<int> health_month_ago;
  std::vector<RiskReason> reasons;
  int horizon_days = 0;
  std::string as_of;                                 // the scoring run's date
  std::vector<std::pair<std::string, int>> history;  // (date, health), oldest first
};
// nullopt when the customer has no stored risk.
Result<std::optional<CustomerRisk>> LoadCustomerRisk(store::Database& db, int64_t customer_id);

}  // namespace tenure::engine::risk
