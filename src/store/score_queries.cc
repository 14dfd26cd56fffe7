#include "store/score_queries.h"

#include <cmath>
#include <string>

#include "store/entity_table.h"

namespace tenure::store {
namespace {

constexpr size_t kColumns = 9;  // of customer_scores

void BindRealOrNull(Statement& s, int index, double value) {
  if (std::isnan(value)) {
    s.BindNull(index);
  } else {
    s.BindReal(index, value);
  }
}

double RealOrNaN(const Statement& s, int column) {
  return s.IsNull(column) ? std::nan("") : s.Real(column);
}

}  // namespace

Result<std::unique_ptr<ScoreWriter>> ScoreWriter::Begin(Database& db, const ScoreRun& run) {
  auto add_run = db.Prepare(
      "INSERT INTO score_runs (scored_at, model, as_of, days_per_unit, customers_scored, r, alpha,"
      " a, b, s, beta, log_likelihood, spend_p, spend_q, spend_gamma, spend_log_likelihood)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
      " RETURNING id");
  if (!add_run.ok()) return add_run.status();
  Statement& s = **add_run;
  s.BindInt(1, run.scored_at);
  s.BindText(2, run.model);
  s.BindText(3, run.as_of);
  s.BindReal(4, run.days_per_unit);
  s.BindInt(5, run.customers_scored);
  int index = 6;
  for (double v : {run.r, run.alpha, run.a, run.b, run.s, run.beta, run.log_likelihood, run.spend_p,
                   run.spend_q, run.spend_gamma, run.spend_log_likelihood}) {
    BindRealOrNull(s, index++, v);
  }
  Result<bool> row = s.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal("INSERT INTO score_runs returned no id");
  const int64_t run_id = s.Int(0);
  TENURE_RETURN_IF_ERROR(s.Run());  // finish the statement
  // Rebuilding the indexes once is much cheaper than keeping them current
  // through a million inserts in random key order. Without indexes and
  // foreign keys the DELETE empties the table without visiting its rows.
  auto indexes = DropIndexes(db, "customer_scores");
  if (!indexes.ok()) return indexes.status();
  TENURE_RETURN_IF_ERROR(db.Exec("DELETE FROM customer_scores"));
  // (customer_id, run_id, p_alive, expected_purchases_30/90/365, clv,
  // model_next_purchase_date, p_no_purchase_90) per row.
  auto insert_sql = [](size_t rows) {
    return MultiRowInsertSql(
        "INSERT INTO customer_scores (customer_id, run_id, p_alive, expected_purchases_30,"
        " expected_purchases_90, expected_purchases_365, clv, model_next_purchase_date,"
        " p_no_purchase_90) VALUES ",
        rows, kColumns);
  };
  auto batch = db.Prepare(insert_sql(kBatchRows));
  if (!batch.ok()) return batch.status();
  auto single = db.Prepare(insert_sql(1));
  if (!single.ok()) return single.status();
  return std::unique_ptr<ScoreWriter>(
      new ScoreWriter(db, run_id, std::move(*batch), std::move(*single), std::move(*indexes)));
}

Status ScoreWriter::Flush(Statement& s, size_t rows) {
  for (size_t row = 0; row < rows; ++row) {
    const auto& [customer_id, v] = pending_[row];
    const int first = static_cast<int>(row * kColumns);
    s.BindInt(first + 1, customer_id);
    s.BindInt(first + 2, run_id_);
    s.BindReal(first + 3, v.p_alive);
    s.BindReal(first + 4, v.expected_purchases_30);
    s.BindReal(first + 5, v.expected_purchases_90);
    s.BindReal(first + 6, v.expected_purchases_365);
    s.BindInt(first + 7, v.clv);
    s.BindText(first + 8, v.model_next_purchase_date);
    s.BindReal(first + 9, v.p_no_purchase_90);
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(rows));
  return s.Run();
}

Status ScoreWriter::Write(int64_t customer_id, const ScoreValues& values) {
  pending_.emplace_back(customer_id, values);
  if (pending_.size() < kBatchRows) return Status::Ok();
  return Flush(*batch_, kBatchRows);
}

Status ScoreWriter::Finish() {
  while (!pending_.empty()) TENURE_RETURN_IF_ERROR(Flush(*single_, 1));
  Status built = RebuildIndexes(db_, indexes_);
  indexes_.clear();
  return built;
}

Result<std::optional<ScoreColumns>> ReadCustomerScores(Database& db, int64_t customer_id) {
  auto stmt = db.Prepare(
      "SELECT s.customer_id, s.p_alive, s.expected_purchases_30, s.expected_purchases_90,"
      " s.expected_purchases_365, s.clv, s.model_next_purchase_date, r.scored_at, r.model,"
      " r.as_of, s.p_no_purchase_90 FROM customers c LEFT JOIN customer_scores s ON s.customer_id "
      "= c.id"
      " LEFT JOIN score_runs r ON r.id = s.run_id WHERE c.id = ?1");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  s.BindInt(1, customer_id);
  Result<bool> row = s.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("no customer with id " + std::to_string(customer_id));
  if (s.IsNull(0)) return std::optional<ScoreColumns>();
  ScoreColumns c;
  c.p_alive = s.Real(1);
  c.expected_purchases_30 = s.Real(2);
  c.expected_purchases_90 = s.Real(3);
  c.expected_purchases_365 = s.Real(4);
  c.clv = s.Int(5);
  c.model_next_purchase_date = std::string(s.Text(6));
  c.scored_at = s.Int(7);
  c.score_model = std::string(s.Text(8));
  if (!s.IsNull(9)) c.as_of = std::string(s.Text(9));
  if (!s.IsNull(10)) c.p_no_purchase_90 = s.Real(10);
  return std::optional<ScoreColumns>(std::move(c));
}

Result<std::optional<ScoreRun>> ReadLatestScoreRun(Database& db) {
  auto stmt = db.Prepare(
      "SELECT scored_at, model, as_of, days_per_unit, customers_scored, r, alpha, a, b, s, beta,"
      " log_likelihood, spend_p, spend_q, spend_gamma, spend_log_likelihood"
      " FROM score_runs ORDER BY id DESC LIMIT 1");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  Result<bool> row = s.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<ScoreRun>();
  ScoreRun run;
  run.scored_at = s.Int(0);
  run.model = std::string(s.Text(1));
  if (!s.IsNull(2)) run.as_of = std::string(s.Text(2));
  run.days_per_unit = RealOrNaN(s, 3);
  run.customers_scored = s.IsNull(4) ? 0 : s.Int(4);
  double* fields[] = {&run.r,
                      &run.alpha,
                      &run.a,
                      &run.b,
                      &run.s,
                      &run.beta,
                      &run.log_likelihood,
                      &run.spend_p,
                      &run.spend_q,
                      &run.spend_gamma,
                      &run.spend_log_likelihood};
  int column = 5;
  for (double* field : fields) *field = RealOrNaN(s, column++);
  return std::optional<ScoreRun>(std::move(run));
}

}  // namespace tenure::store
