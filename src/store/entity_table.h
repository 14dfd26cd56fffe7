// Reading and writing the rows of any entity described by domain::EntitySpec:
// the SQL behind bulk import, export and the demo generator. Column names are
// the spec's field names; every table also has id, external_id, created_at,
// updated_at and version.
//
// Thread safety: as Database (one thread at a time).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/id_index.h"
#include "common/status.h"
#include "common/time.h"
#include "domain/entity.h"
#include "store/database.h"

namespace tenure::store {

// External id (and, for entities with a natural key, that key too) -> row id.
using IdIndex = tenure::IdIndex;

// Adds every row of the entity's table to `index`: external_id -> id and, when
// the spec has a natural key, key -> id (an external id wins over a key).
Status LoadIdIndex(Database& db, const domain::EntitySpec& spec, IdIndex& index);

// The largest id in the entity's table, 0 when empty.
Result<int64_t> MaxRowId(Database& db, const domain::EntitySpec& spec);
Result<int64_t> CountRows(Database& db, const domain::EntitySpec& spec);

// How the rows of a table are identified: some by their content (an import
// without an id column gives them "row:..." external ids), some by an id.
struct IdentityKinds {
  bool content = false;
  bool id = false;
};
Result<IdentityKinds> FindIdentityKinds(Database& db, const domain::EntitySpec& spec);

// Writes rows of one entity with prepared statements. The caller owns the
// transaction and hands out ids (inside a write transaction nobody else can).
class RowWriter {
 public:
  // `columns` are the indexes of the spec fields the caller supplies in each
  // Row; the other columns keep their defaults on insert and are left alone
  // on update.
  static Result<std::unique_ptr<RowWriter>> Create(Database& db, const domain::EntitySpec& spec,
                                                   std::vector<size_t> columns);
  // The same, with columns outside the spec that each Insert fills as well
  // (the demo's customer metrics), bound by the Insert's `bind_extra`.
  static Result<std::unique_ptr<RowWriter>> Create(Database& db, const domain::EntitySpec& spec,
                                                   std::vector<size_t> columns,
                                                   const std::vector<std::string>& extra_columns);

  // Inserts row `id`. An empty external_id is stored as NULL. `now` is the
  // time stamped on created_at and updated_at. Errors: kConflict on a
  // constraint violation (nothing is written then).
  Status Insert(int64_t id, std::string_view external_id, const domain::Row& row, Timestamp now);
  // The same with the row's own times (the demo company's history), and
  // `bind_extra(statement, first)` binding the extra columns to parameters
  // first, first + 1, ... when the writer has them.
  Status Insert(int64_t id, std::string_view external_id, const domain::Row& row,
                Timestamp created_at, Timestamp updated_at,
                const std::function<void(Statement&, int)>& bind_extra = {});

  // Sets the supplied columns of row `id` when any differs from what is
  // stored, bumping updated_at and version. Returns whether it changed.
  Result<bool> Update(int64_t id, const domain::Row& row, Timestamp now);

 private:
  RowWriter(Database& db, const domain::EntitySpec& spec, std::vector<size_t> columns)
      : db_(db), spec_(spec), columns_(std::move(columns)) {}
  void BindRow(Statement& stmt, int first, const domain::Row& row);
  Status WriteReasons(int64_t id, const std::string& codes);
  Result<bool> ReasonsDiffer(int64_t id, const std::string& codes);

  Database& db_;
  const domain::EntitySpec& spec_;
  std::vector<size_t> columns_;          // fields stored in the table's own columns
  size_t extra_columns_ = 0;             // columns outside the spec, after them
  std::optional<size_t> reasons_field_;  // a kReasonList field among the supplied ones
  std::unique_ptr<Statement> insert_;
  std::unique_ptr<Statement> update_;
  std::unique_ptr<Statement> touch_;
  std::unique_ptr<Statement> reasons_read_;
  std::unique_ptr<Statement> reasons_clear_;
  std::unique_ptr<Statement> reasons_add_;
};

// One row as the outside world sees it: references carry the referenced row's
// external id as text, reason lists their codes joined by ';'.
struct ExportRow {
  int64_t id;
  std::string external_id;
  domain::Row values;  // one per spec field
  Timestamp created_at;
  Timestamp updated_at;
};

// Calls `visit` for every row of the entity in id order; stops early and
// returns its status when `visit` fails. `visit` may move from the row it is
// given.
Status ScanRows(Database& db, const domain::EntitySpec& spec,
                const std::function<Status(ExportRow&&)>& visit);

// Which rows ScanRows visits: rows whose `column` (a reference field of the
// spec, such as customer_id, or "id") equals `id`, in no particular order.
// `id_text` is how a reference to that row reads: its external id, or its
// internal id written out when it has none. The caller has it at hand, and
// looking it up in every scan cost a search of the referenced table each.
// Errors: kInvalidArgument for a field the spec does not have, or for a
// reference column without `id_text`.
struct ScanFilter {
  std::string_view column;
  int64_t id = 0;
  std::string_view id_text;
};
Status ScanRows(Database& db, const domain::EntitySpec& spec, const ScanFilter& filter,
                const std::function<Status(ExportRow&&)>& visit);

// A row as a caller names it. Either `text`, as a user types it: the row's
// external id or, when no external id matches, its internal id written out
// (leading and trailing blanks ignored). Or `id` alone: an internal id the
// caller holds already, as the server's paths name rows, which never matches
// another row's external id that happens to read the same.
struct RowKey {
  RowKey() = default;
  RowKey(std::string_view key) : text(key) {}
  RowKey(const std::string& key) : text(key) {}
  RowKey(const char* key) : text(key) {}
  static RowKey Internal(int64_t row_id) {
    RowKey key("");
    key.id = row_id;
    return key;
  }
  // For messages: the text, or the internal id.
  std::string ToString() const { return id ? std::to_string(*id) : text; }
  bool empty() const;  // no id, and the text is blank

  std::string text;
  std::optional<int64_t> id;
};

// The internal id of the row `key` names; nullopt when there is none.
Result<std::optional<int64_t>> FindRowId(Database& db, const domain::EntitySpec& spec,
                                         const RowKey& key);

// Drops the table's secondary indexes and returns the SQL that recreates them
// (used to load a large amount of rows into an empty table quickly).
Result<std::vector<std::string>> DropIndexes(Database& db, std::string_view table);
// The same, leaving the indexes for which `keep(name)` holds.
Result<std::vector<std::string>> DropIndexes(Database& db, std::string_view table,
                                             const std::function<bool(std::string_view)>& keep);
// Runs the CREATE INDEX statements DropIndexes returned, with SQLite's
// sorter allowed a helper thread; stops at the first that fails.
Status RebuildIndexes(Database& db, const std::vector<std::string>& indexes);
// `head` ("INSERT INTO t (a, b) VALUES ") followed by `rows` rows of
// `columns` numbered parameters: (?1, ?2), (?3, ?4), ...
std::string MultiRowInsertSql(std::string_view head, size_t rows, size_t columns);
// Drops the table's triggers but those for which `keep(name)` holds, and
// returns the SQL that recreates them.
Result<std::vector<std::string>> DropTriggers(Database& db, std::string_view table,
                                              const std::function<bool(std::string_view)>& keep);

// Connection settings for writing millions of rows in one transaction,
// restored when the object goes away:
//  * foreign-key enforcement off. SQLite opens a cursor on the parent table
//    for every child row it checks, which doubled the cost of an order row.
//    REQUIRES: the caller resolves every reference itself against ids read
//    inside its own write transaction (the importer and the demo do), so the
//    check is redundant, not skipped;
//  * a rollback journal instead of WAL when no other connection has the file
//    open (otherwise WAL stays): new pages are then written once, not to the
//    WAL first and again at the checkpoint;
//  * a 256 MiB page cache.
// REQUIRES: no transaction is open on `db` when it is created or destroyed.
class BulkLoad {
 public:
  explicit BulkLoad(Database& db);
  ~BulkLoad();
  BulkLoad(const BulkLoad&) = delete;
  BulkLoad& operator=(const BulkLoad&) = delete;

  // Runs CREATE INDEX statements with a small cache and two sorter threads:
  // SQLite then sorts the keys in several runs in parallel and merges them,
  // about twice as fast on two cores as one in-memory sort.
  Status CreateIndexes(const std::vector<std::string>& statements);

 private:
  Database& db_;
  bool was_wal_ = false;
};

// Appends an entry to the audit log.
Status AppendAudit(Database& db, std::string_view action, std::string_view entity,
                   std::optional<int64_t> entity_id, std::string_view after_json);

}  // namespace tenure::store
