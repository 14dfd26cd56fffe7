#include "store/record_queries.h"

#include "common/numbers.h"

namespace tenure::store {
namespace {

using domain::EntitySpec;
using domain::FieldSpec;
using domain::FieldType;

// The table's alias: CustomerScopeSql speaks of customers as `c`.
std::string AliasOf(const EntitySpec& spec) {
  return spec.entity == domain::Entity::kCustomer ? "c" : "t";
}

// The SQL expression of a field's value. A reason list lives in the link
// table churn_event_reasons; it reads as its codes in order, as RowWriter
// compares them.
std::string ValueSql(const FieldSpec& field, const std::string& alias) {
  if (field.type == FieldType::kReasonList) {
    return "(SELECT group_concat(code, ';') FROM (SELECT r.code FROM churn_event_reasons e"
           " JOIN churn_reasons r ON r.id = e.reason_id WHERE e.churn_event_id = " +
           alias + ".id ORDER BY r.code))";
  }
  return alias + "." + std::string(field.name);
}

// "SELECT <columns> FROM <table> <alias>", read back by ReadRow.
std::string SelectFrom(const EntitySpec& spec, const std::string& alias) {
  std::string sql = "SELECT " + alias + ".id, " + alias + ".external_id, " + alias + ".version, " +
                    alias + ".created_at, " + alias + ".updated_at";
  for (const FieldSpec& field : spec.fields) sql += ", " + ValueSql(field, alias);
  return sql + " FROM " + std::string(spec.name) + " " + alias;
}

constexpr int kFirstField = 5;  // the column of the first spec field in SelectFrom

StoredRow ReadRow(const Statement& s, const EntitySpec& spec) {
  StoredRow row;
  row.id = s.Int(0);
  if (!s.IsNull(1)) row.external_id = s.Text(1);
  row.version = s.Int(2);
  row.created_at = s.Int(3);
  row.updated_at = s.Int(4);
  row.values.resize(spec.fields.size());
  for (size_t i = 0; i < spec.fields.size(); ++i) {
    int column = static_cast<int>(i) + kFirstField;
    switch (spec.fields[i].type) {
      case FieldType::kDecimal:
        if (!s.IsNull(column)) row.values[i] = s.Real(column);
        break;
      case FieldType::kInteger:
      case FieldType::kMoney:
      case FieldType::kTimestamp:
      case FieldType::kBool:
      case FieldType::kEnum:
      case FieldType::kRef:
        if (!s.IsNull(column)) row.values[i] = s.Int(column);
        break;
      case FieldType::kText:
      case FieldType::kDate:
      case FieldType::kReasonList:
        if (!s.IsNull(column)) row.values[i] = std::string(s.Text(column));
        break;
    }
  }
  return row;
}

void BindValue(Statement& s, int index, const domain::Value& value) {
  if (const auto* i = std::get_if<int64_t>(&value)) {
    s.BindInt(index, *i);
  } else if (const auto* d = std::get_if<double>(&value)) {
    s.BindReal(index, *d);
  } else if (const auto* text = std::get_if<std::string>(&value)) {
    s.BindText(index, *text);
  } else {
    s.BindNull(index);
  }
}

// The condition `scope` puts on rows of `spec` (aliased `alias`); empty when
// it allows every row.
Result<std::string> ScopeSql(const EntitySpec& spec, const RowScope& scope,
                             const std::string& alias) {
  if (!scope || scope->kind == CustomerScope::Kind::kAll) return std::string();
  if (spec.entity == domain::Entity::kCustomer) return "(" + CustomerScopeSql(*scope) + ")";
  if (spec.FieldIndex("customer_id")) {
    return alias + ".customer_id IN (SELECT c.id FROM customers c WHERE " +
           CustomerScopeSql(*scope) + ")";
  }
  return Status::Internal(std::string(spec.name) + " rows belong to no customer: no scope applies");
}

}  // namespace

Result<std::vector<StoredRow>> SelectRows(Database& db, const EntitySpec& spec,
                                          const RowPageQuery& query) {
  const std::string alias = AliasOf(spec);
  Result<std::string> scope = ScopeSql(spec, query.scope, alias);
  if (!scope.ok()) return scope.status();
  std::string sql = SelectFrom(spec, alias) + " WHERE " + alias + ".id > ?1";
  if (!scope->empty()) sql += " AND " + *scope;
  int param = 1;
  for (const RowCondition& condition : query.equals) {
    if (condition.field && *condition.field >= spec.fields.size()) {
      return Status::Internal(std::string(spec.name) + " has no field number " +
                              std::to_string(*condition.field));
    }
    std::string column =
        condition.field ? ValueSql(spec.fields[*condition.field], alias) : alias + ".external_id";
    if (std::holds_alternative<std::monostate>(condition.value)) {
      sql += " AND " + column + " IS NULL";
    } else {
      sql += " AND " + column + " = ?" + std::to_string(++param);
    }
  }
  sql += " ORDER BY " + alias + ".id LIMIT ?" + std::to_string(++param);
  auto stmt = db.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  s.BindInt(1, query.after_id);
  param = 1;
  for (const RowCondition& condition : query.equals) {
    if (!std::holds_alternative<std::monostate>(condition.value)) {
      BindValue(s, ++param, condition.value);
    }
  }
  s.BindInt(++param, query.limit);
  std::vector<StoredRow> rows;
  Result<bool> row = s.Step();
  for (; row.ok() && *row; row = s.Step()) rows.push_back(ReadRow(s, spec));
  if (!row.ok()) return row.status();
  return rows;
}

Result<std::optional<StoredRow>> SelectRow(Database& db, const EntitySpec& spec, int64_t id,
                                           const RowScope& scope) {
  const std::string alias = AliasOf(spec);
  Result<std::string> condition = ScopeSql(spec, scope, alias);
  if (!condition.ok()) return condition.status();
  std::string sql = SelectFrom(spec, alias) + " WHERE " + alias + ".id = ?1";
  if (!condition->empty()) sql += " AND " + *condition;
  auto stmt = db.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindInt(1, id);
  Result<bool> row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<StoredRow>();
  return std::optional<StoredRow>(ReadRow(**stmt, spec));
}

Result<std::optional<int64_t>> RowVersion(Database& db, const EntitySpec& spec, int64_t id,
                                          const RowScope& scope) {
  const std::string alias = AliasOf(spec);
  Result<std::string> condition = ScopeSql(spec, scope, alias);
  if (!condition.ok()) return condition.status();
  std::string sql = "SELECT " + alias + ".version FROM " + std::string(spec.name) + " " + alias +
                    " WHERE " + alias + ".id = ?1";
  if (!condition->empty()) sql += " AND " + *condition;
  auto stmt = db.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindInt(1, id);
  Result<bool> row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<int64_t>();
  return std::optional<int64_t>((*stmt)->Int(0));
}

Result<bool> RowExists(Database& db, const EntitySpec& spec, int64_t id, const RowScope& scope) {
  auto version = RowVersion(db, spec, id, scope);
  if (!version.ok()) return version.status();
  return version->has_value();
}

Result<std::optional<int64_t>> FindRowByKey(Database& db, const EntitySpec& spec,
                                            std::string_view key) {
  // UNION ALL keeps the order of its parts: external id, then natural key, then id.
  const std::string table(spec.name);
  std::string sql = "SELECT id FROM " + table + " WHERE external_id = ?1";
  if (!spec.natural_key.empty()) {
    sql +=
        " UNION ALL SELECT id FROM " + table + " WHERE " + std::string(spec.natural_key) + " = ?1";
  }
  sql += " UNION ALL SELECT id FROM " + table + " WHERE id = ?2 LIMIT 1";
  auto stmt = db.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  s.BindText(1, key);
  BindOptionalInt(s, 2, ParseInteger(key));
  Result<bool> row = s.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<int64_t>();
  return std::optional<int64_t>(s.Int(0));
}

Result<std::optional<int64_t>> FindExternalId(Database& db, const EntitySpec& spec,
                                              std::string_view external_id) {
  auto stmt = db.Prepare("SELECT id FROM " + std::string(spec.name) + " WHERE external_id = ?1");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindText(1, external_id);
  Result<bool> row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<int64_t>();
  return std::optional<int64_t>((*stmt)->Int(0));
}

Result<bool> SetExternalId(Database& db, const EntitySpec& spec, int64_t id,
                           std::string_view external_id, Timestamp now, bool bump_version) {
  std::string sql = "UPDATE " + std::string(spec.name) + " SET external_id = ?1, updated_at = ?2";
  if (bump_version) sql += ", version = version + 1";
  sql += " WHERE id = ?3 AND external_id IS NOT ?1";
  auto stmt = db.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  BindTextOrNull(s, 1, external_id);
  s.BindInt(2, now);
  s.BindInt(3, id);
  TENURE_RETURN_IF_ERROR(s.Run());
  return db.ChangedRows() > 0;
}

Result<std::vector<std::string>> LoadReasonCodes(Database& db) {
  auto stmt = db.Prepare("SELECT code FROM churn_reasons ORDER BY code");
  if (!stmt.ok()) return stmt.status();
  std::vector<std::string> codes;
  Result<bool> row = (*stmt)->Step();
  for (; row.ok() && *row; row = (*stmt)->Step()) codes.emplace_back((*stmt)->Text(0));
  if (!row.ok()) return row.status();
  return codes;
}

}  // namespace tenure::store
