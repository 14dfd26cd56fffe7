#include "store/care_queries.h"

#include "store/entity_table.h"

namespace tenure::store {
namespace {

std::string TextOrEmpty(const Statement& s, int column) {
  return s.IsNull(column) ? std::string() : std::string(s.Text(column));
}

std::optional<Date> OptionalDate(const Statement& s, int column) {
  if (s.IsNull(column)) return std::nullopt;
  return ParseIsoDate(s.Text(column));
}

constexpr std::string_view kComplaintColumns =
    "SELECT t.id, t.external_id, t.customer_id, coalesce(c.external_id, CAST(c.id AS TEXT)),"
    " c.name, t.contact_id, t.kind, t.severity, t.status, t.category, t.assignee_id,"
    " u.username, t.opened_at, t.resolved_at, t.satisfaction, t.description, t.resolution,"
    " t.version, t.updated_at FROM complaints t JOIN customers c ON c.id = t.customer_id"
    " LEFT JOIN users u ON u.id = t.assignee_id";

ComplaintRecord ReadComplaint(const Statement& s) {
  ComplaintRecord r;
  r.id = s.Int(0);
  r.external_id = TextOrEmpty(s, 1);
  r.customer_id = s.Int(2);
  r.customer = TextOrEmpty(s, 3);
  r.customer_name = TextOrEmpty(s, 4);
  r.contact_id = OptionalInt(s, 5);
  r.kind = static_cast<int>(s.Int(6));
  r.severity = static_cast<int>(s.Int(7));
  r.status = static_cast<int>(s.Int(8));
  r.category = TextOrEmpty(s, 9);
  r.assignee_id = OptionalInt(s, 10);
  r.assignee = TextOrEmpty(s, 11);
  r.opened_at = s.Int(12);
  r.resolved_at = OptionalInt(s, 13);
  if (!s.IsNull(14)) r.satisfaction = static_cast<int>(s.Int(14));
  r.description = TextOrEmpty(s, 15);
  r.resolution = TextOrEmpty(s, 16);
  r.version = s.Int(17);
  r.updated_at = s.Int(18);
  return r;
}

}  // namespace

Result<std::optional<ComplaintRecord>> FindComplaint(Database& db, const RowKey& key) {
  // An external id wins over an internal id that happens to look the same.
  auto id = FindRowId(db, domain::SpecOf(domain::Entity::kComplaint), key);
  if (!id.ok()) return id.status();
  if (!*id) return std::optional<ComplaintRecord>();
  return LoadComplaint(db, **id);
}

Result<std::optional<ComplaintRecord>> LoadComplaint(Database& db, int64_t id) {
  auto stmt = db.Prepare(std::string(kComplaintColumns) + " WHERE t.id = ?1");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindInt(1, id);
  Result<bool> row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<ComplaintRecord>();
  return std::optional<ComplaintRecord>(ReadComplaint(**stmt));
}

Result<std::optional<int64_t>> ContactCustomer(Database& db, int64_t contact_id) {
  auto stmt = db.Prepare("SELECT customer_id FROM contacts WHERE id = ?1");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindInt(1, contact_id);
  Result<bool> row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<int64_t>();
  return std::optional<int64_t>((*stmt)->Int(0));
}

Result<int64_t> InsertComplaint(Database& db, const ComplaintRecord& c, Timestamp now) {
  auto stmt = db.Prepare(
      "INSERT INTO complaints (external_id, customer_id, contact_id, kind, category, severity,"
      " status, assignee_id, opened_at, resolved_at, satisfaction, description, resolution,"
      " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
      " ?14, ?14) RETURNING id");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  BindTextOrNull(s, 1, c.external_id);
  s.BindInt(2, c.customer_id);
  BindOptionalInt(s, 3, c.contact_id);
  s.BindInt(4, c.kind);
  BindTextOrNull(s, 5, c.category);
  s.BindInt(6, c.severity);
  s.BindInt(7, c.status);
  BindOptionalInt(s, 8, c.assignee_id);
  s.BindInt(9, c.opened_at);
  BindOptionalInt(s, 10, c.resolved_at);
  BindOptionalInt(s, 11, c.satisfaction ? std::optional<int64_t>(*c.satisfaction) : std::nullopt);
  BindTextOrNull(s, 12, c.description);
  BindTextOrNull(s, 13, c.resolution);
  s.BindInt(14, now);
  Result<bool> row = s.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal("INSERT ... RETURNING gave no row");
  int64_t id = s.Int(0);
  s.Reset();
  return id;
}

Status UpdateComplaint(Database& db, const ComplaintRecord& c, Timestamp now) {
  auto stmt = db.Prepare(
      "UPDATE complaints SET status = ?1, assignee_id = ?2, resolved_at = ?3, satisfaction = ?4,"
      " resolution = ?5, updated_at = ?6, version = version + 1 WHERE id = ?7 AND version = ?8");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  s.BindInt(1, c.status);
  BindOptionalInt(s, 2, c.assignee_id);
  BindOptionalInt(s, 3, c.resolved_at);
  BindOptionalInt(s, 4, c.satisfaction ? std::optional<int64_t>(*c.satisfaction) : std::nullopt);
  BindTextOrNull(s, 5, c.resolution);
  s.BindInt(6, now);
  s.BindInt(7, c.id);
  s.BindInt(8, c.version);
  TENURE_RETURN_IF_ERROR(s.Run());
  if (db.ChangedRows() != 1) {
    return Status::Conflict("complaint " + std::to_string(c.id) + " was changed meanwhile");
  }
  return Status::Ok();
}

Result<std::vector<ComplaintRecord>> LoadComplaints(Database& db, const ComplaintFilter& f) {
  std::string sql(kComplaintColumns);
  sql +=
      " WHERE (?1 IS NULL OR t.status = ?1) AND (?2 IS NULL OR t.customer_id = ?2)"
      " AND (?3 IS NULL OR t.assignee_id = ?3) AND (?4 IS NULL OR t.opened_at >= ?4)"
      " AND (?5 IS NULL OR t.opened_at < ?5)";
  // Open at a time: opened before it and not resolved before it (a row
  // without resolved_at is open while its status says so).
  if (f.unresolved_at_only) {
    sql +=
        " AND t.opened_at < ?6 AND (t.resolved_at >= ?6 OR (t.resolved_at IS NULL AND t.status "
        "IN (0, 1)))";
  }
  sql += " AND " + CustomerScopeSql(f.scope) + " ORDER BY t.opened_at, t.id";
  auto stmt = db.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  BindOptionalInt(s, 1, f.status ? std::optional<int64_t>(*f.status) : std::nullopt);
  BindOptionalInt(s, 2, f.customer_id);
  BindOptionalInt(s, 3, f.assignee_id);
  BindOptionalInt(s, 4, f.opened_from);
  BindOptionalInt(s, 5, f.opened_before);
  if (f.unresolved_at_only) s.BindInt(6, f.unresolved_at);
  std::vector<ComplaintRecord> out;
  Result<bool> row = s.Step();
  for (; row.ok() && *row; row = s.Step()) out.push_back(ReadComplaint(s));
  if (!row.ok()) return row.status();
  return out;
}

Status AppendAuditChange(Database& db, std::string_view action, std::string_view entity,
                         int64_t entity_id, std::string_view before_json,
                         std::string_view after_json) {
  auto stmt = db.Prepare(
      "INSERT INTO audit_log (at, action, entity, entity_id, before_json, after_json, user_id)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  s.BindInt(1, NowUtc());
  s.BindText(2, action);
  s.BindText(3, entity);
  s.BindInt(4, entity_id);
  BindTextOrNull(s, 5, before_json);
  BindTextOrNull(s, 6, after_json);
  BindOptionalInt(s, 7, db.actor());
  return s.Run();
}

namespace {

constexpr std::string_view kCustomerCreditColumns =
    "SELECT c.id, c.external_id, c.name, c.credit_limit, c.credit_rating, u.username"
    " FROM customers c LEFT JOIN users u ON u.id = c.owner_id";

CustomerCredit ReadCustomerCredit(const Statement& s) {
  CustomerCredit c;
  c.id = s.Int(0);
  c.external_id = TextOrEmpty(s, 1);
  c.name = TextOrEmpty(s, 2);
  c.credit_limit = OptionalInt(s, 3);
  if (!s.IsNull(4)) c.credit_rating = static_cast<int>(s.Int(4));
  c.owner = TextOrEmpty(s, 5);
  return c;
}

}  // namespace

Result<std::optional<CustomerCredit>> FindCustomerCredit(Database& db, const RowKey& key) {
  auto id = FindRowId(db, domain::SpecOf(domain::Entity::kCustomer), key);
  if (!id.ok()) return id.status();
  if (!*id) return std::optional<CustomerCredit>();
  return LoadCustomerCredit(db, **id);
}

Result<std::optional<CustomerCredit>> LoadCustomerCredit(Database& db, int64_t id) {
  auto stmt = db.Prepare(std::string(kCustomerCreditColumns) + " WHERE c.id = ?1");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindInt(1, id);
  Result<bool> row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<CustomerCredit>();
  return std::optional<CustomerCredit>(ReadCustomerCredit(**stmt));
}

Status ScanCustomerCredit(Database& db, const std::function<Status(const CustomerCredit&)>& visit) {
  auto stmt = db.Prepare(std::string(kCustomerCreditColumns) + " ORDER BY c.id");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  Result<bool> row = s.Step();
  for (; row.ok() && *row; row = s.Step()) TENURE_RETURN_IF_ERROR(visit(ReadCustomerCredit(s)));
  return row.status();
}

Status ScanInvoiceFacts(Database& db, std::optional<int64_t> customer_id,
                        const std::function<Status(const InvoiceFact&)>& visit) {
  // One customer's invoices with its own statement: "?1 IS NULL OR
  // customer_id = ?1" cannot use the customer_id index, and would read all
  // of them (a customer 360 waited 0.2 s for its credit file at 1,000,000
  // customers).
  auto stmt = db.Prepare(
      std::string("SELECT customer_id, issued_on, due_on, amount, paid_amount, paid_on FROM "
                  "invoices") +
      (customer_id ? " WHERE customer_id = ?1" : "") + " ORDER BY customer_id, due_on, id");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  if (customer_id) s.BindInt(1, *customer_id);
  Result<bool> row = s.Step();
  for (; row.ok() && *row; row = s.Step()) {
    InvoiceFact f;
    f.customer_id = s.Int(0);
    f.issued_on = OptionalDate(s, 1);
    std::optional<Date> due = ParseIsoDate(s.Text(2));
    if (!due) return Status::Corruption("invoice with a malformed due_on");
    f.due_on = *due;
    f.amount = s.Int(3);
    f.paid_amount = s.Int(4);
    f.paid_on = OptionalDate(s, 5);
    TENURE_RETURN_IF_ERROR(visit(f));
  }
  return row.status();
}

Status ScanDefaults(Database& db, Date as_of, std::optional<int64_t> customer_id,
                    const std::function<Status(int64_t customer, Date on)>& visit) {
  // Codes: churn_events.kind 0 = lost, churn_type 1 = malicious.
  // As ScanInvoiceFacts: one customer's events through the customer_id index.
  auto stmt = db.Prepare(
      std::string("SELECT e.customer_id, e.occurred_on FROM churn_events e"
                  " WHERE e.occurred_on <= ?1") +
      (customer_id ? " AND e.customer_id = ?2" : "") +
      " AND e.kind = 0"
      " AND (e.churn_type = 1 OR EXISTS (SELECT 1 FROM churn_event_reasons r JOIN"
      " churn_reasons c ON c.id = r.reason_id WHERE r.churn_event_id = e.id AND c.code ="
      " 'credit_default'))"
      " AND NOT EXISTS (SELECT 1 FROM churn_events l WHERE l.customer_id = e.customer_id AND"
      " l.occurred_on <= ?1 AND (l.occurred_on > e.occurred_on OR (l.occurred_on ="
      " e.occurred_on AND l.id > e.id)))"
      " ORDER BY e.customer_id");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  s.BindText(1, FormatDate(as_of));
  if (customer_id) s.BindInt(2, *customer_id);
  Result<bool> row = s.Step();
  for (; row.ok() && *row; row = s.Step()) {
    std::optional<Date> on = ParseIsoDate(s.Text(1));
    if (on) TENURE_RETURN_IF_ERROR(visit(s.Int(0), *on));
  }
  return row.status();
}

Result<Money> CurrentReceivables(Database& db, int64_t customer_id) {
  auto stmt = db.Prepare(
      "SELECT coalesce(sum(amount - paid_amount), 0) FROM invoices WHERE customer_id = ?1 AND"
      " paid_amount < amount");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindInt(1, customer_id);
  Result<bool> row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  return *row ? (*stmt)->Int(0) : 0;
}

Result<std::unique_ptr<CreditRatingWriter>> CreditRatingWriter::Create(Database& db) {
  auto stmt = db.Prepare(
      "UPDATE customers SET credit_rating = ?1, updated_at = ?2, version = version + 1"
      " WHERE id = ?3");
  if (!stmt.ok()) return stmt.status();
  return std::unique_ptr<CreditRatingWriter>(new CreditRatingWriter(std::move(*stmt)));
}

Status CreditRatingWriter::Write(int64_t customer_id, int rating, Timestamp now) {
  stmt_->BindInt(1, rating);
  stmt_->BindInt(2, now);
  stmt_->BindInt(3, customer_id);
  return stmt_->Run();
}

Result<CustomerActivityAsOf> LoadCustomerActivity(Database& db, int64_t customer_id, Date as_of) {
  // Order status 2 = cancelled.
  auto stmt = db.Prepare(
      "SELECT (SELECT max(order_date) FROM orders WHERE customer_id = ?1 AND status <> 2 AND"
      " order_date <= ?2), (SELECT max(occurred_at) FROM activities WHERE customer_id = ?1 AND"
      " occurred_at < ?3)");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  s.BindInt(1, customer_id);
  s.BindText(2, FormatDate(as_of));
  s.BindInt(3, StartOf(Date{as_of.days + 1}));
  Result<bool> row = s.Step();
  if (!row.ok()) return row.status();
  CustomerActivityAsOf out;
  if (*row) {
    out.last_order_date = OptionalDate(s, 0);
    out.last_contact_at = OptionalInt(s, 1);
  }
  return out;
}

Result<bool> OrderExternalIdExists(Database& db, std::string_view external_id) {
  auto stmt = db.Prepare("SELECT 1 FROM orders WHERE external_id = ?1");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindText(1, external_id);
  return (*stmt)->Step();
}

Result<int64_t> InsertOrder(Database& db, const NewOrderRow& o, Timestamp now) {
  auto stmt = db.Prepare(
      "INSERT INTO orders (external_id, customer_id, order_date, amount, cost, quantity, status,"
      " created_at, updated_at, user_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?7, ?8)"
      " RETURNING id");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  BindTextOrNull(s, 1, o.external_id);
  s.BindInt(2, o.customer_id);
  s.BindText(3, FormatDate(o.order_date));
  s.BindInt(4, o.amount);
  BindOptionalInt(s, 5, o.cost);
  if (o.quantity) {
    s.BindReal(6, *o.quantity);
  } else {
    s.BindNull(6);
  }
  s.BindInt(7, now);
  BindOptionalInt(s, 8, o.user_id);
  Result<bool> row = s.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal("INSERT ... RETURNING gave no row");
  int64_t id = s.Int(0);
  s.Reset();
  return id;
}

Result<int64_t> CountOrders(Database& db) { return QueryInt(db, "SELECT count(*) FROM orders"); }

Result<std::vector<CreditFlagRow>> LoadCreditFlags(Database& db) {
  auto stmt = db.Prepare(
      "SELECT a.at, o.id, coalesce(o.external_id, CAST(o.id AS TEXT)),"
      " coalesce(c.external_id, CAST(c.id AS TEXT)), c.name, o.order_date,"
      " json_extract(a.after_json, '$.amount'), json_extract(a.after_json, '$.credit_limit'),"
      " json_extract(a.after_json, '$.receivables')"
      " FROM audit_log a JOIN orders o ON o.id = a.entity_id JOIN customers c ON c.id ="
      " o.customer_id WHERE a.action = 'credit_flag' AND a.entity = 'orders'"
      " ORDER BY a.at DESC, a.id DESC");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  std::vector<CreditFlagRow> out;
  Result<bool> row = s.Step();
  for (; row.ok() && *row; row = s.Step()) {
    CreditFlagRow f;
    f.at = s.Int(0);
    f.order_id = s.Int(1);
    f.order = TextOrEmpty(s, 2);
    f.customer = TextOrEmpty(s, 3);
    f.customer_name = TextOrEmpty(s, 4);
    f.order_date = TextOrEmpty(s, 5);
    f.amount = s.Int(6);
    f.credit_limit = s.Int(7);
    f.receivables = s.Int(8);
    out.push_back(std::move(f));
  }
  if (!row.ok()) return row.status();
  return out;
}

}  // namespace tenure::store
