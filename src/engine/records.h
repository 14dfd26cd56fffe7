// Reading and writing the rows of any entity of domain/entity.h on behalf of a
// user: the engine behind the server's resources /api/v1/{entity}. One place
// applies the user's scope (engine/scope.h) to every entity, validates fields
// with the same rules as the importer, writes in one transaction with an audit
// entry (before and after), and keeps the customer's derived metrics current.
//
// Scope of a row:
//  * customers: the scope's customers (store::CustomerScopeSql);
//  * rows with a customer_id field: rows of the scope's customers;
//  * users, teams and churn_reasons: readable by everyone, written only
//    through their own commands (engine/accounts.h) or by an administrator.
// A row outside the scope is reported as kNotFound, the same as a missing
// row, so ids outside the scope do not leak.
//
// Values come in and go out as domain::Value, typed per field:
//  * kRef: int64_t internal id (in: also the referenced row's external id as
//    text);
//  * kEnum: int64_t code (in: also the name as text, e.g. "visit");
//  * kMoney: int64_t minor units (in: also decimal text in major units, "12.50");
//  * kBool: int64_t 0/1; kTimestamp: int64_t seconds (in: also ISO text);
//  * kDate, kText, kReasonList: text; kDecimal: double; kInteger: int64_t.
//
// Thread safety: as store::Database.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "domain/entity.h"
#include "engine/scope.h"
#include "store/database.h"

namespace tenure::engine {

// One row as the API shows it.
struct Record {
  int64_t id = 0;
  std::string external_id;  // empty when none
  int64_t version = 1;
  Timestamp created_at = 0;
  Timestamp updated_at = 0;
  domain::Row values;  // one per EntitySpec::fields entry, typed as above
};

// field name -> value; "external_id" is accepted as a field too.
using FieldValues = std::vector<std::pair<std::string, domain::Value>>;

struct RecordQuery {
  // field = value conditions (fields of the spec, compared after the same
  // conversion as a write: {"customer_id", 42}, {"status", "open"}).
  FieldValues equals;
  // Keyset pagination: rows with id greater than this, in id order.
  int64_t after_id = 0;
  // Rows per page, 1-1000. Default 50.
  int limit = 50;
};

struct RecordPage {
  std::vector<Record> rows;
  // The after_id of the next page; nullopt on the last page. No count: lists
  // never count the whole table.
  std::optional<int64_t> next_after_id;
};

// A page of the scope's rows of `spec` matching `query`, by id.
// Errors: kInvalidArgument (field: the field's name, or "limit") for an
// unknown field, a value of the wrong type, a limit outside 1-1000.
Result<RecordPage> ListRecords(store::Database& db, const Scope& scope,
                               const domain::EntitySpec& spec, const RecordQuery& query);

// The answer to a customer reference (`as_given`, as the caller wrote it, in
// the body field `field`) that names no customer the scope may see:
// kInvalidArgument, the same whether the customer is missing or outside the
// scope, so which customers exist does not leak.
Status NoSuchCustomer(const Scope& scope, std::string_view as_given, const std::string& field);

// The internal id of the customer `as_given` names (external id first, then
// internal id), when the scope may see it. Errors: NoSuchCustomer's.
Result<int64_t> FindScopedCustomer(store::Database& db, const Scope& scope,
                                   std::string_view as_given, const std::string& field);

// Checks that a user in `scope` may record a row whose author (a
// domain::kAuthor field, `field`) is user `user_id`: anybody may name
// themselves, an administrator (or nobody in particular) any user, a manager
// a user of their team. Errors: kPermissionDenied naming `field`.
Status CheckAuthor(store::Database& db, const Scope& scope, int64_t user_id,
                   const std::string& field);

// Row `id`. Errors: kNotFound when missing or outside the scope.
Result<Record> GetRecord(store::Database& db, const Scope& scope, const domain::EntitySpec& spec,
                         int64_t id);
// Row `id`'s version alone, checked as GetRecord checks the row (the
// customer profile reads the row itself).
Result<int64_t> GetRecordVersion(store::Database& db, const Scope& scope,
                                 const domain::EntitySpec& spec, int64_t id);

// Inserts a row in one transaction: validated like an imported row (required
// fields, types, enum names, bounds, domain::CheckRowRules), references
// resolved and checked to exist, its author fields (domain::kAuthor) set to
// the scope's user unless given (and then checked by CheckAuthor), audited
// ("insert", after), and the
// customer's derived metrics refreshed when the entity feeds them (orders,
// invoices, activities). Returns the stored row.
// Errors, with nothing written: kInvalidArgument naming the field;
// NoSuchCustomer's error when the row's customer is missing or outside the
// scope; kPermissionDenied for a customer the user could not see afterwards
// (a sales user may only create customers they own);
// kAlreadyExists (field "external_id") for a taken external id; kConflict on
// another constraint violation.
Result<Record> CreateRecord(store::Database& db, const Scope& scope, const domain::EntitySpec& spec,
                            const FieldValues& fields);

// Changes the given fields of row `id` in one transaction, audited ("update",
// before and after), metrics refreshed as for CreateRecord (for both the old
// and the new customer when customer_id changes). With `expected_version`, the
// row must still be at that version. Fields that only their own use case may
// change are refused (kInvalidArgument naming the field): complaints' status
// and resolved_at (engine/complaints.h), customers' status to or from lost
// (engine/churn.h). Returns the stored row (unchanged rows keep their version).
// Errors: kNotFound (missing or outside the scope); kConflict when the row's
// version is not `expected_version` (message names both versions); the errors
// of CreateRecord.
Result<Record> UpdateRecord(store::Database& db, const Scope& scope, const domain::EntitySpec& spec,
                            int64_t id, const FieldValues& fields,
                            std::optional<int64_t> expected_version);

}  // namespace tenure::engine
