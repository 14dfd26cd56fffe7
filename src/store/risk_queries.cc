#include "store/risk_queries.h"

#include <cmath>

#include "store/entity_table.h"

namespace tenure::store {
namespace {

std::string_view TextOr(const Statement& s, int column) {
  return s.IsNull(column) ? std::string_view() : s.Text(column);
}

int64_t IntOr(const Statement& s, int column, int64_t fallback) {
  return s.IsNull(column) ? fallback : s.Int(column);
}

// Runs `sql` and hands each row to `read`, which fills a row struct and
// calls the visitor.
Status ForEachRow(Database& db, std::string_view sql,
                  const std::function<Status(const Statement&)>& read) {
  auto stmt = db.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  while (true) {
    Result<bool> row = (*stmt)->Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
    TENURE_RETURN_IF_ERROR(read(**stmt));
  }
}

}  // namespace

Status ScanRiskCustomers(Database& db, const std::function<Status(const RiskCustomerRow&)>& visit) {
  return ForEachRow(db,
                    "SELECT id, created_at, acquired_on, industry, level, source, province,"
                    " credit_rating, status FROM customers",
                    [&](const Statement& s) {
                      RiskCustomerRow r;
                      r.id = s.Int(0);
                      r.created_at = s.Int(1);
                      r.acquired_on = TextOr(s, 2);
                      r.industry = TextOr(s, 3);
                      r.level = TextOr(s, 4);
                      r.source = TextOr(s, 5);
                      r.province = TextOr(s, 6);
                      r.credit_rating = static_cast<int>(IntOr(s, 7, -1));
                      r.status = static_cast<int>(s.Int(8));
                      return visit(r);
                    });
}

Result<RiskIdBounds> ReadRiskIdBounds(Database& db) {
  auto stmt = db.Prepare(
      "SELECT (SELECT coalesce(max(id), 0) FROM customers),"
      " (SELECT coalesce(max(id), 0) FROM invoices)");
  if (!stmt.ok()) return stmt.status();
  Result<bool> row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal("the id bounds query returned no row");
  return RiskIdBounds{(*stmt)->Int(0), (*stmt)->Int(1)};
}

Status ScanRiskOrders(Database& db, IdRange customers,
                      const std::function<Status(const RiskOrderRow&)>& visit) {
  // Status 2 is cancelled (domain::OrderStatus); the covering index
  // orders_customer (002) holds every column read, by customer.
  return ForEachRow(db,
                    "SELECT customer_id, order_date, amount FROM orders INDEXED BY orders_customer"
                    " WHERE customer_id BETWEEN " +
                        std::to_string(customers.first) + " AND " + std::to_string(customers.last) +
                        " AND status <> 2",
                    [&](const Statement& s) {
                      RiskOrderRow r;
                      r.customer_id = s.Int(0);
                      r.order_date = s.Text(1);
                      r.amount = s.Int(2);
                      return visit(r);
                    });
}

Status ScanRiskActivities(Database& db,
                          const std::function<Status(const RiskActivityRow&)>& visit) {
  return ForEachRow(db, "SELECT customer_id, occurred_at, kind, outcome FROM activities",
                    [&](const Statement& s) {
                      RiskActivityRow r;
                      r.customer_id = s.Int(0);
                      r.occurred_at = s.Int(1);
                      r.kind = static_cast<int>(s.Int(2));
                      r.outcome = static_cast<int>(IntOr(s, 3, -1));
                      return visit(r);
                    });
}

Status ScanRiskComplaints(Database& db,
                          const std::function<Status(const RiskComplaintRow&)>& visit) {
  return ForEachRow(db, "SELECT customer_id, opened_at, resolved_at, severity FROM complaints",
                    [&](const Statement& s) {
                      RiskComplaintRow r;
                      r.customer_id = s.Int(0);
                      r.opened_at = s.Int(1);
                      r.resolved_at = IntOr(s, 2, -1);
                      r.severity = static_cast<int>(s.Int(3));
                      return visit(r);
                    });
}

Status ScanRiskInvoices(Database& db, std::string_view paid_since, IdRange invoices,
                        const std::function<Status(const RiskInvoiceRow&)>& visit) {
  std::string sql =
      "SELECT customer_id, issued_on, due_on, paid_on, created_at, amount, paid_amount"
      " FROM invoices WHERE id BETWEEN " +
      std::to_string(invoices.first) + " AND " + std::to_string(invoices.last);
  if (!paid_since.empty()) {
    // The date is an ISO date the caller formatted: no quoting issue.
    sql += " AND (paid_on IS NULL OR paid_amount < amount OR paid_on >= '" +
           std::string(paid_since) + "')";
  }
  return ForEachRow(db, sql, [&](const Statement& s) {
    RiskInvoiceRow r;
    r.customer_id = s.Int(0);
    r.issued_on = TextOr(s, 1);
    r.due_on = s.Text(2);
    r.paid_on = TextOr(s, 3);
    r.created_at = s.Int(4);
    r.amount = s.Int(5);
    r.paid_amount = s.Int(6);
    return visit(r);
  });
}

Status ScanRiskContracts(Database& db, const std::function<Status(const RiskContractRow&)>& visit) {
  return ForEachRow(db,
                    "SELECT id, customer_id, signed_on, start_date, end_date, cancelled_on,"
                    " status, renewal_of FROM contracts",
                    [&](const Statement& s) {
                      RiskContractRow r;
                      r.id = s.Int(0);
                      r.customer_id = s.Int(1);
                      r.signed_on = TextOr(s, 2);
                      r.start_date = s.Text(3);
                      r.end_date = TextOr(s, 4);
                      r.cancelled_on = TextOr(s, 5);
                      r.status = static_cast<int>(s.Int(6));
                      r.renewal_of = IntOr(s, 7, 0);
                      return visit(r);
                    });
}

Status ScanOwnershipChanges(Database& db, const std::function<Status(const RiskMarkRow&)>& visit) {
  return ForEachRow(db, "SELECT customer_id, changed_at FROM ownership_changes",
                    [&](const Statement& s) {
                      RiskMarkRow r;
                      r.customer_id = s.Int(0);
                      r.at = s.Int(1);
                      return visit(r);
                    });
}

Status ScanLostOpportunities(Database& db, const std::function<Status(const RiskMarkRow&)>& visit) {
  return ForEachRow(db,
                    "SELECT customer_id, closed_on FROM opportunities"
                    " WHERE stage = 6 AND closed_on IS NOT NULL",
                    [&](const Statement& s) {
                      RiskMarkRow r;
                      r.customer_id = s.Int(0);
                      r.date = s.Text(1);
                      return visit(r);
                    });
}

Status ScanChurnMarks(Database& db, const std::function<Status(const RiskMarkRow&)>& visit) {
  return ForEachRow(db, "SELECT customer_id, occurred_on, kind FROM churn_events",
                    [&](const Statement& s) {
                      RiskMarkRow r;
                      r.customer_id = s.Int(0);
                      r.date = s.Text(1);
                      r.kind = static_cast<int>(s.Int(2));
                      return visit(r);
                    });
}

Status ScanStoredClv(Database& db,
                     const std::function<Status(int64_t customer, int64_t clv)>& visit) {
  // Without the ORDER BY, SQLite reads the narrower index on clv, in clv
  // order.
  return ForEachRow(db, "SELECT customer_id, clv FROM customer_scores ORDER BY customer_id",
                    [&](const Statement& s) { return visit(s.Int(0), s.Int(1)); });
}

Result<int64_t> InsertRiskRun(Database& db, const RiskRun& run) {
  auto stmt = db.Prepare(
      "INSERT INTO risk_runs (trained_at, as_of, horizon_days, features, model, rounds,"
      " calibration_a, calibration_b, rows_train, rows_validation, auc, pr_auc, brier, lift)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) RETURNING id");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  s.BindInt(1, run.trained_at);
  s.BindText(2, run.as_of);
  s.BindInt(3, run.horizon_days);
  s.BindText(4, run.features);
  s.BindText(5, run.model);
  s.BindInt(6, run.rounds);
  s.BindReal(7, run.calibration_a);
  s.BindReal(8, run.calibration_b);
  s.BindInt(9, run.rows_train);
  s.BindInt(10, run.rows_validation);
  int index = 11;
  for (double v : {run.auc, run.pr_auc, run.brier, run.lift}) {
    if (std::isfinite(v)) {
      s.BindReal(index++, v);
    } else {
      s.BindNull(index++);
    }
  }
  Result<bool> row = s.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal("INSERT INTO risk_runs returned no id");
  int64_t id = s.Int(0);
  TENURE_RETURN_IF_ERROR(s.Run());
  return id;
}

Result<std::optional<RiskRun>> ReadLatestRiskRun(Database& db) {
  auto stmt = db.Prepare(
      "SELECT id, trained_at, as_of, horizon_days, features, model, rounds, calibration_a,"
      " calibration_b, rows_train, rows_validation, auc, pr_auc, brier, lift FROM risk_runs"
      " ORDER BY id DESC LIMIT 1");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  Result<bool> row = s.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<RiskRun>();
  RiskRun run;
  run.id = s.Int(0);
  run.trained_at = s.Int(1);
  run.as_of = std::string(s.Text(2));
  run.horizon_days = static_cast<int>(s.Int(3));
  run.features = std::string(s.Text(4));
  run.model = std::string(s.Text(5));
  run.rounds = static_cast<int>(s.Int(6));
  run.calibration_a = s.Real(7);
  run.calibration_b = s.Real(8);
  run.rows_train = s.Int(9);
  run.rows_validation = s.Int(10);
  auto real = [&](int column) { return s.IsNull(column) ? std::nan("") : s.Real(column); };
  run.auc = real(11);
  run.pr_auc = real(12);
  run.brier = real(13);
  run.lift = real(14);
  return std::optional<RiskRun>(std::move(run));
}

namespace {

// The stored health of every customer, by id, when customer_risk holds the
// scores of the newest day in health_days and `as_of` comes after it;
// nullopt otherwise. Then each customer's stored health is also its last
// health_history row.
Result<std::optional<std::vector<int8_t>>> HealthBefore(Database& db, std::string_view as_of) {
  auto days = db.Prepare(
      "SELECT (SELECT max(as_of) FROM health_days), (SELECT coalesce(r.scored_as_of, r.as_of)"
      " FROM customer_risk k JOIN risk_runs r ON r.id = k.run_id LIMIT 1)");
  if (!days.ok()) return days.status();
  Result<bool> row = (*days)->Step();
  if (!row.ok()) return row.status();
  if (!*row || (*days)->IsNull(0) || (*days)->IsNull(1) || (*days)->Text(0) != (*days)->Text(1) ||
      (*days)->Text(0) >= as_of) {
    return std::optional<std::vector<int8_t>>();
  }
  std::vector<int8_t> health;
  auto stmt = db.Prepare("SELECT customer_id, health FROM customer_risk");
  if (!stmt.ok()) return stmt.status();
  for (row = (*stmt)->Step(); row.ok() && *row; row = (*stmt)->Step()) {
    const int64_t id = (*stmt)->Int(0);
    if (id < 0) continue;
    if (static_cast<size_t>(id) >= health.size()) health.resize(static_cast<size_t>(id) + 1, -1);
    health[static_cast<size_t>(id)] = static_cast<int8_t>((*stmt)->Int(1));
  }
  if (!row.ok()) return row.status();
  return std::optional<std::vector<int8_t>>(std::move(health));
}

}  // namespace

Result<std::unique_ptr<RiskWriter>> RiskWriter::Begin(Database& db, int64_t run_id,
                                                      std::string_view as_of) {
  auto previous = HealthBefore(db, as_of);
  if (!previous.ok()) return previous.status();
  auto day = db.Prepare("INSERT OR IGNORE INTO health_days (as_of) VALUES (?1)");
  if (!day.ok()) return day.status();
  (*day)->BindText(1, as_of);
  TENURE_RETURN_IF_ERROR((*day)->Run());
  // As ScoreWriter: the indexes are rebuilt once at the end, and without
  // them the DELETE empties the table without visiting its rows.
  auto indexes = DropIndexes(db, "customer_risk");
  if (!indexes.ok()) return indexes.status();
  TENURE_RETURN_IF_ERROR(db.Exec("DELETE FROM customer_risk"));
  auto prepare = [&](size_t rows) -> Result<Statements> {
    auto risk = db.Prepare(MultiRowInsertSql(
        "INSERT INTO customer_risk (customer_id, run_id, probability, value_at_risk, health,"
        " health_month_ago, reasons) VALUES ",
        rows, 7));
    if (!risk.ok()) return risk.status();
    auto history = db.Prepare(MultiRowInsertSql(
        "INSERT OR REPLACE INTO health_history (customer_id, as_of, health) VALUES ", rows, 3));
    if (!history.ok()) return history.status();
    return Statements{std::move(*risk), std::move(*history)};
  };
  auto batch = prepare(kBatchRows);
  if (!batch.ok()) return batch.status();
  auto single = prepare(1);
  if (!single.ok()) return single.status();
  return std::unique_ptr<RiskWriter>(new RiskWriter(db, run_id, std::string(as_of),
                                                    std::move(*batch), std::move(*single),
                                                    std::move(*indexes), std::move(*previous)));
}

Status RiskWriter::FlushRisk(Statement& s, size_t rows) {
  for (size_t row = 0; row < rows; ++row) {
    const auto& [customer_id, v] = pending_[row];
    const int first = static_cast<int>(row * 7);
    s.BindInt(first + 1, customer_id);
    s.BindInt(first + 2, run_id_);
    s.BindReal(first + 3, v.probability);
    s.BindInt(first + 4, v.value_at_risk);
    s.BindInt(first + 5, v.health);
    if (v.health_month_ago) {
      s.BindInt(first + 6, *v.health_month_ago);
    } else {
      s.BindNull(first + 6);
    }
    s.BindText(first + 7, v.reasons);
  }
  TENURE_RETURN_IF_ERROR(s.Run());
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(rows));
  return Status::Ok();
}

Status RiskWriter::FlushHistory(Statement& h, size_t rows) {
  for (size_t row = 0; row < rows; ++row) {
    const int at = static_cast<int>(row * 3);
    h.BindInt(at + 1, pending_history_[row].first);
    h.BindText(at + 2, as_of_);
    h.BindInt(at + 3, pending_history_[row].second);
  }
  TENURE_RETURN_IF_ERROR(h.Run());
  pending_history_.erase(pending_history_.begin(),
                         pending_history_.begin() + static_cast<std::ptrdiff_t>(rows));
  return Status::Ok();
}

Status RiskWriter::Write(int64_t customer_id, const RiskValues& values) {
  const bool unchanged = previous_ && customer_id >= 0 &&
                         static_cast<size_t>(customer_id) < previous_->size() &&
                         (*previous_)[static_cast<size_t>(customer_id)] == values.health;
  if (!unchanged) {
    pending_history_.emplace_back(customer_id, values.health);
    if (pending_history_.size() == kBatchRows) {
      TENURE_RETURN_IF_ERROR(FlushHistory(*batch_.history, kBatchRows));
    }
  }
  pending_.emplace_back(customer_id, values);
  if (pending_.size() < kBatchRows) return Status::Ok();
  return FlushRisk(*batch_.risk, kBatchRows);
}

Status RiskWriter::Finish() {
  while (!pending_.empty()) TENURE_RETURN_IF_ERROR(FlushRisk(*single_.risk, 1));
  while (!pending_history_.empty()) TENURE_RETURN_IF_ERROR(FlushHistory(*single_.history, 1));
  Status built = RebuildIndexes(db_, indexes_);
  indexes_.clear();
  return built;
}

Result<std::optional<StoredRisk>> ReadCustomerRisk(Database& db, int64_t customer_id) {
  auto stmt = db.Prepare(
      "SELECT k.probability, k.value_at_risk, k.health, k.health_month_ago, k.reasons,"
      " r.horizon_days, coalesce(r.scored_as_of, r.as_of) FROM customer_risk k"
      " JOIN risk_runs r ON r.id = k.run_id WHERE k.customer_id = ?1");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  s.BindInt(1, customer_id);
  Result<bool> row = s.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<StoredRisk>();
  StoredRisk risk;
  risk.values.probability = s.Real(0);
  risk.values.value_at_risk = s.Int(1);
  risk.values.health = static_cast<int>(s.Int(2));
  if (!s.IsNull(3)) risk.values.health_month_ago = static_cast<int>(s.Int(3));
  risk.values.reasons = std::string(s.Text(4));
  risk.horizon_days = static_cast<int>(s.Int(5));
  risk.scored_as_of = std::string(s.Text(6));
  return std::optional<StoredRisk>(std::move(risk));
}

Result<std::vector<std::pair<std::string, int>>> ReadHealthHistory(Database& db,
                                                                   int64_t customer_id) {
  std::vector<std::pair<std::string, int>> out;
  auto stmt =
      db.Prepare("SELECT as_of, health FROM health_history WHERE customer_id = ?1 ORDER BY as_of");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindInt(1, customer_id);
  while (true) {
    Result<bool> row = (*stmt)->Step();
    if (!row.ok()) return row.status();
    if (!*row) return out;
    out.emplace_back(std::string((*stmt)->Text(0)), static_cast<int>((*stmt)->Int(1)));
  }
}

Status MarkRiskRunScored(Database& db, int64_t run_id, std::string_view as_of, int64_t at) {
  auto stmt = db.Prepare("UPDATE risk_runs SET scored_as_of = ?2, scored_at = ?3 WHERE id = ?1");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindInt(1, run_id);
  (*stmt)->BindText(2, as_of);
  (*stmt)->BindInt(3, at);
  return (*stmt)->Run();
}

}  // namespace tenure::store
