// The SQL behind the purchase-model scores (schema 006): a scoring run's row
// in score_runs, every scored customer's row in customer_scores, and reading
// one customer's. engine/scoring.h computes them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/database.h"

namespace tenure::store {

// One `tenure score` run as score_runs stores it: when, which models, their
// parameters. Parameters a model does not have (a, b for Pareto/NBD; s, beta
// for BG/NBD) are NaN and stored as NULL.
struct ScoreRun {
  int64_t scored_at = 0;  // unix time
  std::string model;      // "bgnbd", "mbgnbd" or "pnbd"
  std::string as_of;      // ISO date
  double days_per_unit = 7;
  int64_t customers_scored = 0;
  double r = 0, alpha = 0, a = 0, b = 0, s = 0, beta = 0;
  double log_likelihood = 0;
  double spend_p = 0, spend_q = 0, spend_gamma = 0, spend_log_likelihood = 0;
};

// One customer's scores as a run writes them.
struct ScoreValues {
  double p_alive = 0;
  double expected_purchases_30 = 0;
  double expected_purchases_90 = 0;
  double expected_purchases_365 = 0;
  int64_t clv = 0;                       // minor units
  std::string model_next_purchase_date;  // ISO date
  double p_no_purchase_90 = 0;           // P(no purchase in the next 90 days)
  friend bool operator==(const ScoreValues&, const ScoreValues&) = default;
};

// One customer's stored scores with the run that wrote them.
struct ScoreColumns {
  double p_alive = 0;
  double expected_purchases_30 = 0;
  double expected_purchases_90 = 0;
  double expected_purchases_365 = 0;
  int64_t clv = 0;
  std::string model_next_purchase_date;
  int64_t scored_at = 0;                   // the run's
  std::string score_model;                 // the run's
  std::string as_of;                       // the run's; empty for a run carried over from schema 5
  std::optional<double> p_no_purchase_90;  // none for scores written before schema 14
  friend bool operator==(const ScoreColumns&, const ScoreColumns&) = default;
};

// Replaces all stored customer scores with a new run's. Begin() records the
// run, deletes every customer's scores and drops customer_scores' indexes;
// Write() adds one customer's; Finish() writes what is still buffered and
// rebuilds the indexes. REQUIRES: a transaction is open on `db` from Begin()
// to Finish() (the caller's, so that the old scores are never half
// replaced). Customers are not touched: neither updated_at nor version
// changes (scores are not edits). Not thread-safe.
//
// Rows are inserted kBatchRows at a time with one multi-row INSERT, which
// halves the cost per row of a prepared single-row INSERT; an error about a
// row may therefore come from a later Write() or from Finish().
class ScoreWriter {
 public:
  static constexpr size_t kBatchRows = 64;

  static Result<std::unique_ptr<ScoreWriter>> Begin(Database& db, const ScoreRun& run);
  // REQUIRES: `customer_id` names a customer (customer_scores has no foreign
  // key; see schema 006). Errors: kConflict when it was written already in
  // this run.
  Status Write(int64_t customer_id, const ScoreValues& values);
  Status Finish();
  int64_t run_id() const { return run_id_; }

 private:
  ScoreWriter(Database& db, int64_t run_id, std::unique_ptr<Statement> batch,
              std::unique_ptr<Statement> single, std::vector<std::string> indexes)
      : db_(db),
        run_id_(run_id),
        batch_(std::move(batch)),
        single_(std::move(single)),
        indexes_(std::move(indexes)) {}
  // Inserts pending_ with `statement` (kBatchRows rows, or one).
  Status Flush(Statement& statement, size_t rows);

  Database& db_;
  int64_t run_id_;
  std::unique_ptr<Statement> batch_, single_;
  std::vector<std::pair<int64_t, ScoreValues>> pending_;
  std::vector<std::string> indexes_;  // CREATE INDEX statements to run in Finish()
};

// Reads one customer's scores: nullopt when the customer is not scored.
// Errors: kNotFound when there is no such customer.
Result<std::optional<ScoreColumns>> ReadCustomerScores(Database& db, int64_t customer_id);

// The latest run (highest id); nullopt when nothing was ever scored.
Result<std::optional<ScoreRun>> ReadLatestScoreRun(Database& db);

}  // namespace tenure::store
