#include "store/entity_table.h"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include "common/numbers.h"
#include "common/text.h"
#include "common/time.h"

namespace tenure::store {
namespace {

using domain::EntitySpec;
using domain::FieldType;

bool IsColumn(const domain::FieldSpec& field) { return field.type != FieldType::kReasonList; }

void BindValue(Statement& stmt, int index, const domain::Value& value) {
  if (const auto* i = std::get_if<int64_t>(&value)) {
    stmt.BindInt(index, *i);
  } else if (const auto* d = std::get_if<double>(&value)) {
    stmt.BindReal(index, *d);
  } else if (const auto* s = std::get_if<std::string>(&value)) {
    stmt.BindText(index, *s);
  } else {
    stmt.BindNull(index);
  }
}

std::string TableOf(const domain::Entity entity) {
  return std::string(domain::SpecOf(entity).name);
}

// The SELECT of a scan of the rows whose `column` is ?1 (all rows in id order
// when `column` is empty). REQUIRES: `column` is empty, "id" or a field of the
// spec (checked by ScanRows).
std::string ScanSql(const EntitySpec& spec, std::string_view column) {
  std::string sql = "SELECT t.id, t.external_id, t.created_at, t.updated_at";
  for (const domain::FieldSpec& field : spec.fields) {
    std::string name(field.name);
    if (field.type == FieldType::kRef && field.name == column) {
      sql += ", ?2";  // the filter's own reference reads the same on every row
    } else if (field.type == FieldType::kRef) {
      // A referenced row without an external id is exported by its internal id.
      // When no row of the referenced table has an external id (users,
      // contacts and orders made in Tenure have none), every reference is its
      // internal id and needs no lookup: that test is one probe of the table's
      // partial external_id index, run once per statement (it does not depend
      // on the row), instead of a lookup per reference and row.
      std::string ref = TableOf(field.ref);
      sql += ", CASE WHEN (SELECT 1 FROM " + ref +
             " WHERE external_id IS NOT NULL LIMIT 1) IS NULL THEN CAST(t." + name +
             " AS TEXT) ELSE (SELECT coalesce(r.external_id, CAST(r.id AS TEXT)) FROM " + ref +
             " r WHERE r.id = t." + name + ") END";
    } else if (field.type == FieldType::kReasonList) {
      sql +=
          ", (SELECT group_concat(code, ';') FROM (SELECT r.code FROM churn_event_reasons e"
          " JOIN churn_reasons r ON r.id = e.reason_id WHERE e.churn_event_id = t.id"
          " ORDER BY r.code))";
    } else {
      sql += ", t." + name;
    }
  }
  sql += " FROM " + std::string(spec.name) + " t";
  if (column.empty()) return sql + " ORDER BY t.id";
  // No ORDER BY: one customer's rows come in the order of its index, and
  // asking SQLite for another order sets up a sorter, which took longer than
  // reading the rows (19 µs against 7 µs for a customer's ten orders).
  return sql + " WHERE t." + std::string(column) + " = ?1";
}

// Drops the table's indexes or triggers (`type`) but those `keep` names, and
// returns the SQL that creates them again.
Result<std::vector<std::string>> DropSchemaObjects(
    Database& db, std::string_view type, std::string_view table,
    const std::function<bool(std::string_view)>& keep) {
  auto stmt = db.Prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = ?1 AND tbl_name = ?2 AND sql IS NOT NULL");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindText(1, type);
  (*stmt)->BindText(2, table);
  std::vector<std::pair<std::string, std::string>> objects;
  Result<bool> row = (*stmt)->Step();
  for (; row.ok() && *row; row = (*stmt)->Step()) {
    if (!keep((*stmt)->Text(0))) objects.emplace_back((*stmt)->Text(0), (*stmt)->Text(1));
  }
  if (!row.ok()) return row.status();
  std::vector<std::string> recreate;
  for (auto& [name, sql] : objects) {
    TENURE_RETURN_IF_ERROR(db.Exec("DROP " + std::string(type) + " " + name));
    recreate.push_back(std::move(sql));
  }
  return recreate;
}

}  // namespace

Status LoadIdIndex(Database& db, const EntitySpec& spec, IdIndex& index) {
  std::string sql = "SELECT id, external_id";
  if (!spec.natural_key.empty()) sql += ", " + std::string(spec.natural_key);
  sql += " FROM " + std::string(spec.name);
  Result<int64_t> count = CountRows(db, spec);
  if (!count.ok()) return count.status();
  index.Reserve(index.size() + static_cast<size_t>(*count) * (spec.natural_key.empty() ? 1 : 2));
  auto stmt = db.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  Result<bool> row = (*stmt)->Step();
  std::vector<std::pair<std::string, int64_t>> keys;
  for (; row.ok() && *row; row = (*stmt)->Step()) {
    int64_t id = (*stmt)->Int(0);
    if (!(*stmt)->IsNull(1)) index.Assign((*stmt)->Text(1), id);
    if (!spec.natural_key.empty()) keys.emplace_back((*stmt)->Text(2), id);
  }
  if (!row.ok()) return row.status();
  for (auto& [key, id] : keys) index.Insert(key, id);  // ids win over keys
  return Status::Ok();
}

Result<int64_t> MaxRowId(Database& db, const EntitySpec& spec) {
  return QueryInt(db, "SELECT max(id) FROM " + std::string(spec.name), 0);
}

Result<int64_t> CountRows(Database& db, const EntitySpec& spec) {
  return QueryInt(db, "SELECT count(*) FROM " + std::string(spec.name), 0);
}

Result<IdentityKinds> FindIdentityKinds(Database& db, const EntitySpec& spec) {
  const std::string table(spec.name);
  // Content identities start "row:" (engine/import/importer.cc); ';' follows ':'.
  auto content = QueryInt(db,
                          "SELECT EXISTS (SELECT 1 FROM " + table +
                              " WHERE external_id >= 'row:' AND external_id < 'row;')",
                          0);
  if (!content.ok()) return content.status();
  auto other = QueryInt(db,
                        "SELECT EXISTS (SELECT 1 FROM " + table +
                            " WHERE external_id < 'row:' OR external_id >= 'row;')",
                        0);
  if (!other.ok()) return other.status();
  return IdentityKinds{*content != 0, *other != 0};
}

Result<std::unique_ptr<RowWriter>> RowWriter::Create(Database& db, const EntitySpec& spec,
                                                     std::vector<size_t> columns) {
  return Create(db, spec, std::move(columns), {});
}

Result<std::unique_ptr<RowWriter>> RowWriter::Create(
    Database& db, const EntitySpec& spec, std::vector<size_t> columns,
    const std::vector<std::string>& extra_columns) {
  std::unique_ptr<RowWriter> writer(new RowWriter(db, spec, {}));
  writer->extra_columns_ = extra_columns.size();
  for (size_t field : columns) {
    if (IsColumn(spec.fields[field])) {
      writer->columns_.push_back(field);
    } else {
      writer->reasons_field_ = field;
    }
  }
  const std::string table(spec.name);
  // INSERT INTO t (id, external_id, c1.., created_at, updated_at) VALUES (?1, ?2, ...)
  std::string names = "id, external_id";
  std::string params = "?1, ?2";
  int n = 2;
  for (size_t field : writer->columns_) {
    names += ", " + std::string(spec.fields[field].name);
    params += ", ?" + std::to_string(++n);
  }
  for (const std::string& name : extra_columns) {
    names += ", " + name;
    params += ", ?" + std::to_string(++n);
  }
  names += ", created_at, updated_at";
  params += ", ?" + std::to_string(n + 1) + ", ?" + std::to_string(n + 2);
  auto insert = db.Prepare("INSERT INTO " + table + " (" + names + ") VALUES (" + params + ")");
  if (!insert.ok()) return insert.status();
  writer->insert_ = std::move(*insert);

  // UPDATE t SET c1 = ?1, ... WHERE id = ?N AND (c1 IS NOT ?1 OR ...): the
  // WHERE makes an unchanged row a no-op, which is what makes re-import idempotent.
  if (!writer->columns_.empty()) {
    std::string sets;
    std::string differs;
    int p = 0;
    for (size_t field : writer->columns_) {
      std::string name(spec.fields[field].name);
      std::string param = "?" + std::to_string(++p);
      if (!sets.empty()) sets += ", ", differs += " OR ";
      sets += name + " = " + param;
      differs += name + " IS NOT " + param;
    }
    std::string now = "?" + std::to_string(++p);
    std::string id = "?" + std::to_string(++p);
    auto update = db.Prepare("UPDATE " + table + " SET " + sets + ", updated_at = " + now +
                             ", version = version + 1 WHERE id = " + id + " AND (" + differs + ")");
    if (!update.ok()) return update.status();
    writer->update_ = std::move(*update);
  }
  if (writer->reasons_field_) {
    auto touch =
        db.Prepare("UPDATE " + table + " SET updated_at = ?1, version = version + 1 WHERE id = ?2");
    auto read = db.Prepare(
        "SELECT group_concat(code, ';') FROM (SELECT r.code FROM churn_event_reasons e"
        " JOIN churn_reasons r ON r.id = e.reason_id WHERE e.churn_event_id = ?1 ORDER BY r.code)");
    auto clear = db.Prepare("DELETE FROM churn_event_reasons WHERE churn_event_id = ?1");
    auto add = db.Prepare(
        "INSERT INTO churn_event_reasons (churn_event_id, reason_id)"
        " SELECT ?1, id FROM churn_reasons WHERE code = ?2");
    for (auto* stmt : {&touch, &read, &clear, &add}) {
      if (!stmt->ok()) return stmt->status();
    }
    writer->touch_ = std::move(*touch);
    writer->reasons_read_ = std::move(*read);
    writer->reasons_clear_ = std::move(*clear);
    writer->reasons_add_ = std::move(*add);
  }
  return writer;
}

void RowWriter::BindRow(Statement& stmt, int first, const domain::Row& row) {
  int index = first;
  for (size_t field : columns_) BindValue(stmt, index++, row[field]);
}

Status RowWriter::Insert(int64_t id, std::string_view external_id, const domain::Row& row,
                         Timestamp now) {
  return Insert(id, external_id, row, now, now);
}

Status RowWriter::Insert(int64_t id, std::string_view external_id, const domain::Row& row,
                         Timestamp created_at, Timestamp updated_at,
                         const std::function<void(Statement&, int)>& bind_extra) {
  insert_->BindInt(1, id);
  if (external_id.empty()) {
    insert_->BindNull(2);
  } else {
    insert_->BindText(2, external_id);
  }
  BindRow(*insert_, 3, row);
  const int extra = static_cast<int>(columns_.size()) + 3;
  if (extra_columns_ > 0) bind_extra(*insert_, extra);
  const int times = extra + static_cast<int>(extra_columns_);
  insert_->BindInt(times, created_at);
  insert_->BindInt(times + 1, updated_at);
  TENURE_RETURN_IF_ERROR(insert_->Run());
  if (reasons_field_) {
    if (const auto* codes = std::get_if<std::string>(&row[*reasons_field_])) {
      return WriteReasons(id, *codes);
    }
  }
  return Status::Ok();
}

Result<bool> RowWriter::Update(int64_t id, const domain::Row& row, Timestamp now) {
  bool changed = false;
  if (update_) {
    BindRow(*update_, 1, row);
    int next = static_cast<int>(columns_.size()) + 1;
    update_->BindInt(next, now);
    update_->BindInt(next + 1, id);
    TENURE_RETURN_IF_ERROR(update_->Run());
    changed = db_.ChangedRows() > 0;
  }
  if (reasons_field_) {
    const auto* codes = std::get_if<std::string>(&row[*reasons_field_]);
    std::string wanted = codes ? *codes : std::string();
    Result<bool> differ = ReasonsDiffer(id, wanted);
    if (!differ.ok()) return differ.status();
    if (*differ) {
      reasons_clear_->BindInt(1, id);
      TENURE_RETURN_IF_ERROR(reasons_clear_->Run());
      TENURE_RETURN_IF_ERROR(WriteReasons(id, wanted));
      if (!changed) {
        touch_->BindInt(1, now);
        touch_->BindInt(2, id);
        TENURE_RETURN_IF_ERROR(touch_->Run());
      }
      changed = true;
    }
  }
  return changed;
}

Result<bool> RowWriter::ReasonsDiffer(int64_t id, const std::string& codes) {
  reasons_read_->BindInt(1, id);
  Result<bool> row = reasons_read_->Step();
  if (!row.ok()) return row.status();
  std::string stored(*row ? reasons_read_->Text(0) : std::string_view());
  reasons_read_->Reset();
  return stored != codes;
}

Status RowWriter::WriteReasons(int64_t id, const std::string& codes) {
  size_t start = 0;
  while (start < codes.size()) {
    size_t end = codes.find(';', start);
    if (end == std::string::npos) end = codes.size();
    const std::string_view code = std::string_view(codes).substr(start, end - start);
    reasons_add_->BindInt(1, id);
    reasons_add_->BindText(2, code);
    TENURE_RETURN_IF_ERROR(reasons_add_->Run());
    // The callers check the codes first; a code that names no reason would
    // otherwise be dropped without a word.
    if (db_.ChangedRows() == 0) {
      return Status::InvalidArgument("unknown churn reason '" + std::string(code) + "'",
                                     std::string(spec_.fields[*reasons_field_].name));
    }
    start = end + 1;
  }
  return Status::Ok();
}

Status ScanRows(Database& db, const EntitySpec& spec,
                const std::function<Status(ExportRow&&)>& visit) {
  return ScanRows(db, spec, ScanFilter{}, visit);
}

Status ScanRows(Database& db, const EntitySpec& spec, const ScanFilter& filter,
                const std::function<Status(ExportRow&&)>& visit) {
  // Only names from the spec reach the SQL text.
  std::optional<size_t> field;
  if (!filter.column.empty() && filter.column != "id") {
    field = spec.FieldIndex(filter.column);
    if (!field) {
      return Status::InvalidArgument(std::string(spec.name) + " has no field " +
                                     std::string(filter.column));
    }
    // Every row would otherwise show an empty reference.
    if (spec.fields[*field].type == FieldType::kRef && filter.id_text.empty()) {
      return Status::InvalidArgument("a scan by " + std::string(filter.column) +
                                     " needs the referenced row's id_text");
    }
  }
  // Built once per thread and kept: a customer profile runs a dozen scans,
  // and building their text took a tenth of its time. The key is the spec and
  // the column: the field's index, -1 for "id" and -2 for none.
  thread_local std::map<std::pair<const EntitySpec*, int>, std::string> texts;
  const int column = field ? static_cast<int>(*field) : filter.column.empty() ? -2 : -1;
  auto text = texts.find({&spec, column});
  if (text == texts.end()) {
    text = texts.emplace(std::pair(&spec, column), ScanSql(spec, filter.column)).first;
  }
  auto stmt = db.Prepare(text->second);
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  if (!filter.column.empty()) s.BindInt(1, filter.id);
  if (field && spec.fields[*field].type == FieldType::kRef) s.BindText(2, filter.id_text);
  ExportRow out;
  Result<bool> row = s.Step();
  for (; row.ok() && *row; row = s.Step()) {
    out.values.resize(spec.fields.size());  // empty again when `visit` took the row
    out.id = s.Int(0);
    out.external_id = s.IsNull(1) ? std::string() : std::string(s.Text(1));
    out.created_at = s.Int(2);
    out.updated_at = s.Int(3);
    for (size_t i = 0; i < spec.fields.size(); ++i) {
      int column = static_cast<int>(i) + 4;
      const domain::FieldSpec& field = spec.fields[i];
      if (s.IsNull(column)) {
        out.values[i] = std::monostate{};
      } else if (field.type == FieldType::kDecimal) {
        out.values[i] = s.Real(column);
      } else if (field.type == FieldType::kMoney || field.type == FieldType::kInteger ||
                 field.type == FieldType::kEnum || field.type == FieldType::kBool ||
                 field.type == FieldType::kTimestamp) {
        out.values[i] = s.Int(column);
      } else {
        out.values[i] = std::string(s.Text(column));
      }
    }
    TENURE_RETURN_IF_ERROR(visit(std::move(out)));
  }
  return row.status();
}

bool RowKey::empty() const { return !id && Trim(text).empty(); }

Result<std::optional<int64_t>> FindRowId(Database& db, const EntitySpec& spec, const RowKey& key) {
  std::string table(spec.name);
  auto stmt = db.Prepare("SELECT id FROM " + table + " WHERE external_id = ?1 UNION ALL " +
                         "SELECT id FROM " + table + " WHERE id = ?2 LIMIT 1");
  if (!stmt.ok()) return stmt.status();
  // An internal id alone matches no external id (?1 NULL).
  std::string_view text = Trim(key.text);
  std::optional<int64_t> number = key.id ? key.id : ParseInteger(text);
  if (key.id) {
    (*stmt)->BindNull(1);
  } else {
    (*stmt)->BindText(1, text);
  }
  if (number) {
    (*stmt)->BindInt(2, *number);
  } else {
    (*stmt)->BindNull(2);
  }
  Result<bool> row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<int64_t>();
  return std::optional<int64_t>((*stmt)->Int(0));
}

Result<std::vector<std::string>> DropIndexes(Database& db, std::string_view table) {
  return DropIndexes(db, table, [](std::string_view) { return false; });
}

Result<std::vector<std::string>> DropIndexes(Database& db, std::string_view table,
                                             const std::function<bool(std::string_view)>& keep) {
  return DropSchemaObjects(db, "index", table, keep);
}

Status RebuildIndexes(Database& db, const std::vector<std::string>& indexes) {
  // SQLite sorts on its helper threads only the runs it writes out, which
  // it does when the keys outgrow the page cache: with 2 MB, both cores
  // sort (customer_risk's two indexes on 721,185 rows took 0.8 s instead
  // of 1.3-1.8 s with the usual 64 MB).
  TENURE_RETURN_IF_ERROR(db.Exec("PRAGMA threads = 2"));
  std::string previous;
  {
    auto cache = db.Prepare("PRAGMA cache_size");
    if (!cache.ok()) return cache.status();
    auto row = (*cache)->Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Internal("PRAGMA cache_size returned no row");
    previous = std::to_string((*cache)->Int(0));
  }
  TENURE_RETURN_IF_ERROR(db.Exec("PRAGMA cache_size = -2048"));
  Status built = Status::Ok();
  for (const std::string& sql : indexes) {
    built = db.Exec(sql);
    if (!built.ok()) break;
  }
  TENURE_RETURN_IF_ERROR(db.Exec("PRAGMA threads = 0; PRAGMA cache_size = " + previous));
  return built;
}

std::string MultiRowInsertSql(std::string_view head, size_t rows, size_t columns) {
  std::string sql(head);
  for (size_t row = 0; row < rows; ++row) {
    sql += row == 0 ? "(" : ", (";
    for (size_t k = 1; k <= columns; ++k) {
      sql += (k == 1 ? "?" : ", ?") + std::to_string(row * columns + k);
    }
    sql += ")";
  }
  return sql;
}

Result<std::vector<std::string>> DropTriggers(Database& db, std::string_view table,
                                              const std::function<bool(std::string_view)>& keep) {
  return DropSchemaObjects(db, "trigger", table, keep);
}

BulkLoad::BulkLoad(Database& db) : db_(db) {
  // Settings are best effort: a failure leaves the safe defaults in place.
  (void)db_.Exec("PRAGMA foreign_keys = OFF");
  (void)db_.Exec("PRAGMA cache_size = -262144");
  {
    auto stmt = db_.Prepare("PRAGMA journal_mode");
    if (stmt.ok() && (*stmt)->Step().ok()) was_wal_ = (*stmt)->Text(0) == "wal";
    // The statement must be finished before the mode can change.
  }
  if (was_wal_) {
    // Stays WAL when other connections are attached; don't wait for them.
    (void)db_.Exec("PRAGMA busy_timeout = 0; PRAGMA journal_mode = DELETE");
    (void)db_.Exec("PRAGMA busy_timeout = 10000");
  }
}

BulkLoad::~BulkLoad() {
  (void)db_.Exec("PRAGMA foreign_keys = ON");
  (void)db_.Exec("PRAGMA threads = 0");
  (void)db_.Exec("PRAGMA cache_size = -65536");
  if (was_wal_) (void)db_.Exec("PRAGMA journal_mode = WAL");
}

Status BulkLoad::CreateIndexes(const std::vector<std::string>& statements) {
  TENURE_RETURN_IF_ERROR(db_.Exec("PRAGMA threads = 2; PRAGMA cache_size = -16384"));
  for (const std::string& sql : statements) TENURE_RETURN_IF_ERROR(db_.Exec(sql));
  return db_.Exec("PRAGMA cache_size = -262144");
}

Status AppendAudit(Database& db, std::string_view action, std::string_view entity,
                   std::optional<int64_t> entity_id, std::string_view after_json) {
  auto stmt = db.Prepare(
      "INSERT INTO audit_log (at, action, entity, entity_id, after_json, user_id)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  s.BindInt(1, NowUtc());
  s.BindText(2, action);
  s.BindText(3, entity);
  if (entity_id) {
    s.BindInt(4, *entity_id);
  } else {
    s.BindNull(4);
  }
  s.BindText(5, after_json);
  BindOptionalInt(s, 6, db.actor());
  return s.Run();
}

}  // namespace tenure::store
