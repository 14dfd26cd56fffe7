// The SQL behind the purchase-model scores on the customer row (schema 005):
// clearing them, writing many customers' scores with one prepared UPDATE, and
// reading one customer's. engine/scoring.h computes them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/status.h"
#include "store/database.h"

namespace tenure::store {

// One customer's score columns as stored. A customer that is not scored has
// all of them NULL; a scored one has all of them set.
struct ScoreColumns {
  double p_alive = 0;
  double expected_purchases_30 = 0;
  double expected_purchases_90 = 0;
  double expected_purchases_365 = 0;
  int64_t clv = 0;                       // minor units
  std::string model_next_purchase_date;  // ISO date
  int64_t scored_at = 0;                 // unix time
  std::string score_model;               // e.g. "bgnbd"
  friend bool operator==(const ScoreColumns&, const ScoreColumns&) = default;
};

// Sets every customer's score columns to NULL, in one statement, without
// touching updated_at or version (scores are not edits). REQUIRES: a
// transaction is open on `db` (the caller's, so that clearing and writing the
// new scores commit together).
Status ClearAllScores(Database& db);

// Writes score columns to customer rows with one prepared UPDATE, without
// touching updated_at or version. An id that names no customer is ignored.
// REQUIRES: a transaction is open on `db`. Not thread-safe (one per thread).
class ScoreColumnsWriter {
 public:
  static Result<std::unique_ptr<ScoreColumnsWriter>> Create(Database& db);
  Status Write(int64_t customer_id, const ScoreColumns& columns);

 private:
  explicit ScoreColumnsWriter(std::unique_ptr<Statement> update) : update_(std::move(update)) {}
  std::unique_ptr<Statement> update_;
};

// Reads one customer's score columns: nullopt when the customer is not
// scored (scored_at NULL). Errors: kNotFound when there is no such customer.
Result<std::optional<ScoreColumns>> ReadCustomerScores(Database& db, int64_t customer_id);

}  // namespace tenure::store
