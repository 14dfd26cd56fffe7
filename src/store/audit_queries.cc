#include "store/audit_queries.h"

#include "store/record_tables.h"

namespace tenure::store {
namespace {

// The condition on audit entry `a` that `reader` may see it (AuditReader).
// The reader's ids are written as literals: they are integers.
std::string ReaderSql(const AuditReader& reader) {
  const std::string scope = CustomerScopeSql(reader.customers);
  const std::string me = std::to_string(reader.user_id);
  std::string sql =
      "(a.entity = 'customers' AND EXISTS (SELECT 1 FROM customers c"
      " WHERE c.id = a.entity_id AND " +
      scope + "))";
  for (domain::Entity entity : kRecordTables) {
    std::string table(domain::SpecOf(entity).name);
    sql += " OR (a.entity = '" + table + "' AND EXISTS (SELECT 1 FROM " + table +
           " r JOIN customers c ON c.id = r.customer_id WHERE r.id = a.entity_id AND " + scope +
           "))";
  }
  // Playbook tasks (015), by their customer as the record tables.
  sql +=
      " OR (a.entity = 'playbook_tasks' AND EXISTS (SELECT 1 FROM playbook_tasks r"
      " JOIN customers c ON c.id = r.customer_id WHERE r.id = a.entity_id AND " +
      scope + "))";
  // Accounts: one's own; a manager's team's, but for their logins.
  sql += " OR (a.entity = 'users' AND (a.entity_id = " + me;
  if (reader.team_id) {
    const std::string team = std::to_string(*reader.team_id);
    sql +=
        " OR (a.action NOT IN ('login', 'logout') AND EXISTS (SELECT 1 FROM users t"
        " WHERE t.id = a.entity_id AND t.team_id = " +
        team + "))";
    sql += ")) OR (a.entity = 'teams' AND a.entity_id = " + team + ")";
  } else {
    sql += "))";
  }
  sql += " OR a.entity = 'churn_reasons'";
  return "(" + sql + ")";
}

}  // namespace

Result<std::vector<AuditEntry>> ReadAuditLog(Database& db, const AuditQuery& query) {
  auto stmt = db.Prepare(
      "SELECT a.id, a.at, a.user_id, u.username, a.action, a.entity, a.entity_id, a.before_json,"
      " a.after_json FROM audit_log a LEFT JOIN users u ON u.id = a.user_id"
      " WHERE (?1 IS NULL OR a.entity = ?1) AND (?2 IS NULL OR a.entity_id = ?2)"
      " AND (?3 IS NULL OR a.user_id = ?3) AND (?4 = 0 OR a.id < ?4) AND " +
      (query.reader ? ReaderSql(*query.reader) : std::string("1")) +
      " ORDER BY a.id DESC LIMIT ?5");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  BindTextOrNull(s, 1, query.entity);
  BindOptionalInt(s, 2, query.entity_id);
  BindOptionalInt(s, 3, query.user_id);
  s.BindInt(4, query.before_id);
  s.BindInt(5, query.limit);
  std::vector<AuditEntry> out;
  Result<bool> row = s.Step();
  for (; row.ok() && *row; row = s.Step()) {
    AuditEntry e;
    e.id = s.Int(0);
    e.at = s.Int(1);
    e.user_id = OptionalInt(s, 2);
    e.username = OptionalText(s, 3).value_or("");
    e.action = s.Text(4);
    e.entity = s.Text(5);
    e.entity_id = OptionalInt(s, 6);
    e.before_json = OptionalText(s, 7).value_or("");
    e.after_json = OptionalText(s, 8).value_or("");
    out.push_back(std::move(e));
  }
  if (!row.ok()) return row.status();
  return out;
}

}  // namespace tenure::store
