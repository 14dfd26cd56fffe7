#include "store/score_queries.h"

#include <string>

namespace tenure::store {

Status ClearAllScores(Database& db) {
  return db.Exec(
      "UPDATE customers SET p_alive = NULL, expected_purchases_30 = NULL,"
      " expected_purchases_90 = NULL, expected_purchases_365 = NULL, clv = NULL,"
      " model_next_purchase_date = NULL, scored_at = NULL, score_model = NULL"
      " WHERE scored_at IS NOT NULL");
}

Result<std::unique_ptr<ScoreColumnsWriter>> ScoreColumnsWriter::Create(Database& db) {
  auto stmt = db.Prepare(
      "UPDATE customers SET p_alive = ?2, expected_purchases_30 = ?3,"
      " expected_purchases_90 = ?4, expected_purchases_365 = ?5, clv = ?6,"
      " model_next_purchase_date = ?7, scored_at = ?8, score_model = ?9 WHERE id = ?1");
  if (!stmt.ok()) return stmt.status();
  return std::unique_ptr<ScoreColumnsWriter>(new ScoreColumnsWriter(std::move(*stmt)));
}

Status ScoreColumnsWriter::Write(int64_t customer_id, const ScoreColumns& c) {
  Statement& s = *update_;
  s.BindInt(1, customer_id);
  s.BindReal(2, c.p_alive);
  s.BindReal(3, c.expected_purchases_30);
  s.BindReal(4, c.expected_purchases_90);
  s.BindReal(5, c.expected_purchases_365);
  s.BindInt(6, c.clv);
  s.BindText(7, c.model_next_purchase_date);
  s.BindInt(8, c.scored_at);
  s.BindText(9, c.score_model);
  return s.Run();
}

Result<std::optional<ScoreColumns>> ReadCustomerScores(Database& db, int64_t customer_id) {
  auto stmt = db.Prepare(
      "SELECT scored_at, p_alive, expected_purchases_30, expected_purchases_90,"
      " expected_purchases_365, clv, model_next_purchase_date, score_model"
      " FROM customers WHERE id = ?1");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  s.BindInt(1, customer_id);
  Result<bool> row = s.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("no customer with id " + std::to_string(customer_id));
  if (s.IsNull(0)) return std::optional<ScoreColumns>();
  ScoreColumns c;
  c.scored_at = s.Int(0);
  c.p_alive = s.Real(1);
  c.expected_purchases_30 = s.Real(2);
  c.expected_purchases_90 = s.Real(3);
  c.expected_purchases_365 = s.Real(4);
  c.clv = s.Int(5);
  c.model_next_purchase_date = std::string(s.Text(6));
  c.score_model = std::string(s.Text(7));
  return std::optional<ScoreColumns>(std::move(c));
}

}  // namespace tenure::store
