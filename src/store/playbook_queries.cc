#include "store/playbook_queries.h"

namespace tenure::store {
namespace {

std::string_view TextOr(const Statement& s, int column) {
  return s.IsNull(column) ? std::string_view() : s.Text(column);
}

constexpr std::string_view kTaskColumns =
    "SELECT t.id, t.rule, t.customer_id, t.assignee_id, t.action, t.title, t.why, t.created_on,"
    " t.due_on, t.status, t.closed_at, t.outcome, u.username FROM playbook_tasks t"
    " LEFT JOIN users u ON u.id = t.assignee_id";

PlaybookTaskRow ReadTask(const Statement& s) {
  PlaybookTaskRow t;
  t.id = s.Int(0);
  t.rule = std::string(s.Text(1));
  t.customer_id = s.Int(2);
  t.assignee_id = OptionalInt(s, 3);
  t.action = std::string(s.Text(4));
  t.title = std::string(s.Text(5));
  t.why = std::string(s.Text(6));
  t.created_on = std::string(s.Text(7));
  t.due_on = std::string(s.Text(8));
  t.status = static_cast<int>(s.Int(9));
  t.closed_at = OptionalInt(s, 10);
  t.outcome = std::string(TextOr(s, 11));
  t.assignee = std::string(TextOr(s, 12));
  return t;
}

}  // namespace

Status ScanPlaybookCustomers(Database& db,
                             const std::function<Status(const PlaybookCustomerRow&)>& visit) {
  auto stmt = db.Prepare(
      "SELECT c.id, c.status, c.owner_id, t.manager_id, c.level, c.industry, c.source,"
      " c.province, k.probability, k.value_at_risk, k.health FROM customers c"
      " LEFT JOIN users o ON o.id = c.owner_id LEFT JOIN teams t ON t.id = o.team_id"
      " LEFT JOIN customer_risk k ON k.customer_id = c.id ORDER BY c.id");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  while (true) {
    Result<bool> row = s.Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
    PlaybookCustomerRow r;
    r.id = s.Int(0);
    r.status = static_cast<int>(s.Int(1));
    r.owner_id = OptionalInt(s, 2);
    r.manager_id = OptionalInt(s, 3);
    r.level = TextOr(s, 4);
    r.industry = TextOr(s, 5);
    r.source = TextOr(s, 6);
    r.province = TextOr(s, 7);
    if (!s.IsNull(8)) r.risk_probability = s.Real(8);
    r.value_at_risk = OptionalInt(s, 9);
    r.health = OptionalInt(s, 10);
    TENURE_RETURN_IF_ERROR(visit(r));
  }
}

Result<std::optional<int64_t>> InsertPlaybookTask(Database& db, const PlaybookTaskRow& t) {
  auto stmt = db.Prepare(
      "INSERT OR IGNORE INTO playbook_tasks (rule, customer_id, assignee_id, action, title, why,"
      " created_on, due_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  s.BindText(1, t.rule);
  s.BindInt(2, t.customer_id);
  BindOptionalInt(s, 3, t.assignee_id);
  s.BindText(4, t.action);
  s.BindText(5, t.title);
  s.BindText(6, t.why);
  s.BindText(7, t.created_on);
  s.BindText(8, t.due_on);
  // The unique index on open tasks ignores a duplicate: no row comes back.
  Result<bool> row = s.Step();
  if (!row.ok()) return row.status();
  std::optional<int64_t> id;
  if (*row) id = s.Int(0);
  TENURE_RETURN_IF_ERROR(s.Run());
  return id;
}

Result<bool> HasOpenPlaybookTask(Database& db, std::string_view rule, int64_t customer_id) {
  auto stmt = db.Prepare(
      "SELECT EXISTS (SELECT 1 FROM playbook_tasks WHERE rule = ?1 AND customer_id = ?2"
      " AND status = 0)");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindText(1, rule);
  (*stmt)->BindInt(2, customer_id);
  Result<bool> row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  return *row && (*stmt)->Int(0) != 0;
}

Result<std::optional<PlaybookTaskRow>> LoadPlaybookTask(Database& db, int64_t id) {
  auto stmt = db.Prepare(std::string(kTaskColumns) + " WHERE t.id = ?1");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindInt(1, id);
  Result<bool> row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<PlaybookTaskRow>();
  return std::optional<PlaybookTaskRow>(ReadTask(**stmt));
}

Status ClosePlaybookTask(Database& db, int64_t id, int status, std::string_view outcome,
                         int64_t at) {
  auto stmt = db.Prepare(
      "UPDATE playbook_tasks SET status = ?2, outcome = ?3, closed_at = ?4"
      " WHERE id = ?1 AND status = 0 RETURNING id");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  s.BindInt(1, id);
  s.BindInt(2, status);
  s.BindText(3, outcome);
  s.BindInt(4, at);
  Result<bool> row = s.Step();
  if (!row.ok()) return row.status();
  const bool closed = *row;
  TENURE_RETURN_IF_ERROR(s.Run());
  if (!closed) return Status::Conflict("playbook task " + std::to_string(id) + " is not open");
  return Status::Ok();
}

Status ScanPlaybookTasks(Database& db, const std::function<Status(const PlaybookTaskRow&)>& visit) {
  auto stmt = db.Prepare(std::string(kTaskColumns) + " ORDER BY t.id");
  if (!stmt.ok()) return stmt.status();
  while (true) {
    Result<bool> row = (*stmt)->Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
    TENURE_RETURN_IF_ERROR(visit(ReadTask(**stmt)));
  }
}

}  // namespace tenure::store
