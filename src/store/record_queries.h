// The SQL behind engine/records.h: the rows of any entity of domain/entity.h
// with their references as internal ids, limited to a customer scope and
// paged by id, and the look-ups a write needs (keys, external ids, reason
// codes). Rows are written with store::RowWriter (entity_table.h).
//
// Only the spec's field names (and id, external_id, created_at, updated_at,
// version) reach the SQL text; values are bound parameters.
//
// Thread safety: as Database (one thread at a time).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "domain/entity.h"
#include "store/database.h"
#include "store/workbench_queries.h"

namespace tenure::store {

// One row as stored: references as internal ids, reason lists as their codes
// sorted and joined by ';' (NULL when none).
struct StoredRow {
  int64_t id = 0;
  std::string external_id;  // empty when none
  int64_t version = 1;
  Timestamp created_at = 0;
  Timestamp updated_at = 0;
  domain::Row values;  // one per spec field
};

// The rows a customer scope allows: for customers, the scope's customers
// (CustomerScopeSql); for an entity with a customer_id field, the rows of
// those customers. nullopt: every row. A scope on an entity that has neither
// is an error (kInternal): the caller decides which entities are shared.
using RowScope = std::optional<CustomerScope>;

// A condition `column = value` of a page; a NULL value matches NULL.
struct RowCondition {
  std::optional<size_t> field;  // index into the spec's fields; nullopt: external_id
  domain::Value value;          // typed as the column is stored
};

struct RowPageQuery {
  RowScope scope;
  std::vector<RowCondition> equals;
  int64_t after_id = 0;  // rows with a greater id
  int64_t limit = 50;    // at most this many rows
};

// The rows of `spec` matching `query`, in id order. A reason-list condition
// compares the row's whole list (codes sorted, joined by ';').
Result<std::vector<StoredRow>> SelectRows(Database& db, const domain::EntitySpec& spec,
                                          const RowPageQuery& query);

// Row `id` when it exists and `scope` allows it; nullopt otherwise.
Result<std::optional<StoredRow>> SelectRow(Database& db, const domain::EntitySpec& spec, int64_t id,
                                           const RowScope& scope);

// The version of row `id` when it exists and `scope` allows it; nullopt
// otherwise.
Result<std::optional<int64_t>> RowVersion(Database& db, const domain::EntitySpec& spec, int64_t id,
                                          const RowScope& scope);

// Whether row `id` exists and `scope` allows it.
Result<bool> RowExists(Database& db, const domain::EntitySpec& spec, int64_t id,
                       const RowScope& scope);

// The id of the row `key` names: its external id; failing that, for an
// entity with a natural key (users.username, teams.name, churn_reasons.code),
// that key; failing that, when `key` is a whole number, the row with that id.
// nullopt when none does.
Result<std::optional<int64_t>> FindRowByKey(Database& db, const domain::EntitySpec& spec,
                                            std::string_view key);

// The row whose external id is `external_id`; nullopt when none.
Result<std::optional<int64_t>> FindExternalId(Database& db, const domain::EntitySpec& spec,
                                              std::string_view external_id);

// Sets the external id of row `id` (empty: NULL) when it differs, stamping
// updated_at with `now` and, with `bump_version`, adding one to version.
// Returns whether the row changed. Errors: kConflict when another row has that
// external id. REQUIRES: a transaction is open.
Result<bool> SetExternalId(Database& db, const domain::EntitySpec& spec, int64_t id,
                           std::string_view external_id, Timestamp now, bool bump_version);

// The codes of every churn reason.
Result<std::vector<std::string>> LoadReasonCodes(Database& db);

}  // namespace tenure::store
