#include "engine/records.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <span>
#include <unordered_set>

#include "common/numbers.h"
#include "common/text.h"
#include "domain/enums.h"
#include "engine/field_codec.h"
#include "engine/metrics.h"
#include "store/care_queries.h"
#include "store/entity_table.h"
#include "store/record_queries.h"

namespace tenure::engine {
namespace {

using domain::Entity;
using domain::EntitySpec;
using domain::FieldSpec;
using domain::FieldType;
using domain::Row;
using domain::Value;
using ScopeKind = store::CustomerScope::Kind;

constexpr int kMaxLimit = 1000;

bool IsNull(const Value& value) { return std::holds_alternative<std::monostate>(value); }

std::string Name(const FieldSpec& field) { return std::string(field.name); }
std::string Table(const EntitySpec& spec) { return std::string(spec.name); }

// Users, teams and churn reasons belong to no customer: everybody reads them,
// and here only an administrator writes them.
bool IsShared(const EntitySpec& spec) {
  return spec.entity == Entity::kUser || spec.entity == Entity::kTeam ||
         spec.entity == Entity::kChurnReason;
}

// Orders, invoices and activities feed the customers' derived metrics.
bool FeedsMetrics(const EntitySpec& spec) {
  return spec.entity == Entity::kOrder || spec.entity == Entity::kInvoice ||
         spec.entity == Entity::kActivity;
}

// The rows of `spec` that `scope` may see, as the store filters them.
store::RowScope RowScopeOf(const Scope& scope, const EntitySpec& spec) {
  if (IsShared(spec)) return std::nullopt;
  return scope.customers;
}

Status CheckMayWrite(const Scope& scope, const EntitySpec& spec) {
  if (IsShared(spec) && scope.role != domain::UserRole::kAdmin) {
    return Status::PermissionDenied("only an administrator may write " + Table(spec));
  }
  return Status::Ok();
}

Record ToRecord(store::StoredRow row) {
  Record record;
  record.id = row.id;
  record.external_id = std::move(row.external_id);
  record.version = row.version;
  record.created_at = row.created_at;
  record.updated_at = row.updated_at;
  record.values = std::move(row.values);
  return record;
}

// The audited image of a row: field name -> value, enums by name, references
// as ids, times as ISO text.
std::string RecordJson(const EntitySpec& spec, const Record& record) {
  nlohmann::json j = {{"id", record.id}, {"version", record.version}};
  j["external_id"] =
      record.external_id.empty() ? nlohmann::json() : nlohmann::json(record.external_id);
  for (size_t i = 0; i < spec.fields.size(); ++i) {
    const FieldSpec& field = spec.fields[i];
    const Value& value = record.values[i];
    nlohmann::json& out = j[Name(field)];
    if (const auto* n = std::get_if<int64_t>(&value)) {
      if (field.type == FieldType::kEnum && *n >= 0 &&
          static_cast<size_t>(*n) < field.enum_names.size()) {
        out = field.enum_names[static_cast<size_t>(*n)];
      } else if (field.type == FieldType::kBool) {
        out = *n != 0;
      } else if (field.type == FieldType::kTimestamp) {
        out = FormatTimestamp(*n);
      } else {
        out = *n;
      }
    } else if (const auto* d = std::get_if<double>(&value)) {
      out = *d;
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      out = *text;
    }  // NULL stays null
  }
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// ----------------------------------------------------------- converting input

// How records read text: ISO dates, and money with two fractional digits
// (cents; records.h takes no currency option, so the default of
// ImportOptions::currency_decimals applies).
struct Conversion {
  ParseContext context;
  std::unordered_set<std::string> reason_codes;
};

// Loads what converting values of `spec` needs (the churn reason codes when it
// has a reason list).
Status PrepareConversion(store::Database& db, const EntitySpec& spec, Conversion& conversion) {
  conversion.context.reason_codes = &conversion.reason_codes;
  for (const FieldSpec& field : spec.fields) {
    if (field.type != FieldType::kReasonList) continue;
    auto codes = store::LoadReasonCodes(db);
    if (!codes.ok()) return codes.status();
    conversion.reason_codes.insert(codes->begin(), codes->end());
    break;
  }
  return Status::Ok();
}

std::string ExpectedOf(const FieldSpec& field) {
  switch (field.type) {
    case FieldType::kText:
      return "text";
    case FieldType::kInteger:
      return "a whole number";
    case FieldType::kDecimal:
      return "a number";
    case FieldType::kMoney:
      return "minor units as a whole number (1250) or major units as text (\"12.50\")";
    case FieldType::kDate:
      return "a date as text (YYYY-MM-DD)";
    case FieldType::kTimestamp:
      return "seconds since 1970 or a date and time as text (YYYY-MM-DDTHH:MM:SSZ)";
    case FieldType::kBool:
      return "0/1 or true/false";
    case FieldType::kEnum:
      return "a code or a name";
    case FieldType::kRef:
      return "an id, or an external id as text";
    case FieldType::kReasonList:
      return "reason codes as text separated by ';'";
  }
  return "a value";
}

// Parses `text` as the field's text would be, failing with the field named.
Status ParseText(const FieldSpec& field, std::string_view text, const Conversion& conversion,
                 Value& out) {
  std::string error;
  if (!ParseFieldText(field, text, conversion.context, out, error)) {
    return Status::InvalidArgument(error, Name(field));
  }
  return Status::Ok();
}

// Converts what the caller gave for `field` (typed as records.h says) into
// the stored value. Text is trimmed and empty text is NULL, as an empty cell
// of an imported file. A reference given as text stays text: its key, for
// ResolveKey.
Status ConvertValue(const FieldSpec& field, const Value& in, const Conversion& conversion,
                    Value& out) {
  auto wrong_type = [&] {
    return Status::InvalidArgument("expected " + ExpectedOf(field), Name(field));
  };
  if (IsNull(in)) {
    out = std::monostate{};
    return Status::Ok();
  }
  if (const auto* text = std::get_if<std::string>(&in)) {
    std::string_view trimmed = Trim(*text);
    if (trimmed.empty()) {
      out = std::monostate{};
    } else if (field.type == FieldType::kRef) {
      out = std::string(trimmed);
    } else {
      return ParseText(field, trimmed, conversion, out);
    }
    return Status::Ok();
  }
  if (const auto* n = std::get_if<int64_t>(&in)) {
    std::string number = std::to_string(*n);
    switch (field.type) {
      case FieldType::kInteger:
      case FieldType::kDecimal:
        return ParseText(field, number, conversion, out);  // bounds and sign
      case FieldType::kMoney:
        if (field.non_negative() && *n < 0) {
          return Status::InvalidArgument("must not be negative: " + number, Name(field));
        }
        out = *n;
        return Status::Ok();
      case FieldType::kTimestamp:
        out = *n;
        return Status::Ok();
      case FieldType::kBool:
        if (*n != 0 && *n != 1) {
          return Status::InvalidArgument("not 0 or 1: " + number, Name(field));
        }
        out = *n;
        return Status::Ok();
      case FieldType::kEnum: {
        if (*n < 0 || static_cast<size_t>(*n) >= field.enum_names.size()) {
          std::string names;
          for (std::string_view name : field.enum_names) {
            names += (names.empty() ? "" : ", ") + std::string(name);
          }
          return Status::InvalidArgument("unknown code " + number + " (0 to " +
                                             std::to_string(field.enum_names.size() - 1) +
                                             ", or one of: " + names + ")",
                                         Name(field));
        }
        out = *n;
        return Status::Ok();
      }
      case FieldType::kRef:
        if (*n <= 0) return Status::InvalidArgument("not an id: " + number, Name(field));
        out = *n;
        return Status::Ok();
      default:
        return wrong_type();
    }
  }
  const double d = std::get<double>(in);
  if (field.type != FieldType::kDecimal || !std::isfinite(d)) return wrong_type();
  if (field.non_negative() && d < 0) {
    return Status::InvalidArgument("must not be negative: " + FormatDecimal(d), Name(field));
  }
  out = d;
  return Status::Ok();
}

// The id of the row of `field.ref` that the text `key` names (external id,
// natural key or id); nullopt when none does.
Result<std::optional<int64_t>> ResolveKey(store::Database& db, const FieldSpec& field,
                                          const std::string& key) {
  return store::FindRowByKey(db, domain::SpecOf(field.ref), key);
}

// The fields of a write, converted, with references resolved to ids.
struct Input {
  Row row;                                 // one per spec field; NULL where not given
  std::vector<bool> given;                 // per spec field
  std::vector<std::string> as_given;       // per reference field: the key or id as written
  std::optional<std::string> external_id;  // when given; empty: none
};

Result<Input> ReadInput(store::Database& db, const EntitySpec& spec, const FieldValues& fields) {
  Conversion conversion;
  TENURE_RETURN_IF_ERROR(PrepareConversion(db, spec, conversion));
  Input input;
  input.row.resize(spec.fields.size());
  input.given.assign(spec.fields.size(), false);
  input.as_given.resize(spec.fields.size());
  for (const auto& [name, value] : fields) {
    if (name == "external_id") {
      if (input.external_id) return Status::InvalidArgument("is given twice", name);
      if (const auto* text = std::get_if<std::string>(&value)) {
        input.external_id = std::string(Trim(*text));
        std::string error;
        if (!CheckText(*input.external_id, /*multi_line=*/false, error)) {
          return Status::InvalidArgument(error, name);
        }
      } else if (const auto* n = std::get_if<int64_t>(&value)) {
        input.external_id = std::to_string(*n);
      } else if (IsNull(value)) {
        input.external_id = std::string();
      } else {
        return Status::InvalidArgument("expected text", name);
      }
      continue;
    }
    if (name == "id" || name == "version" || name == "created_at" || name == "updated_at") {
      return Status::InvalidArgument("is kept by Tenure and cannot be written", name);
    }
    std::optional<size_t> index = spec.FieldIndex(name);
    if (!index) return Status::InvalidArgument(Table(spec) + " has no field '" + name + "'", name);
    if (input.given[*index]) return Status::InvalidArgument("is given twice", name);
    input.given[*index] = true;
    const FieldSpec& field = spec.fields[*index];
    Value& out = input.row[*index];
    TENURE_RETURN_IF_ERROR(ConvertValue(field, value, conversion, out));
    if (field.type != FieldType::kRef) continue;
    if (const auto* key = std::get_if<std::string>(&out)) {
      input.as_given[*index] = *key;
      auto id = ResolveKey(db, field, *key);
      if (!id.ok()) return id.status();
      // A key that names no row is checked as an id that names none.
      out = id->value_or(0);
    } else if (const auto* id = std::get_if<int64_t>(&out)) {
      input.as_given[*index] = std::to_string(*id);
    }
  }
  return input;
}

// An absent or NULL field takes its default, as an empty cell of an imported
// file does; a required field must then have a value.
Status ApplyDefault(const FieldSpec& field, Value& value) {
  if (IsNull(value) && !field.default_value.empty()) {
    std::string error;
    if (!ParseFieldText(field, field.default_value, ParseContext{}, value, error)) {
      return Status::Internal("default of " + Name(field) + ": " + error);
    }
  }
  if (IsNull(value) && field.required()) return Status::InvalidArgument("is required", Name(field));
  return Status::Ok();
}

// ------------------------------------------------------------------ the rules

// Checks that reference `field` = `id` (written `as_given`) names a row the
// scope may use. A row outside the scope gets the same answer as a missing
// one, so which ids exist does not leak.
Status CheckReference(store::Database& db, const Scope& scope, const FieldSpec& field, int64_t id,
                      std::string_view as_given) {
  const EntitySpec& target = domain::SpecOf(field.ref);
  Result<bool> visible = store::RowExists(db, target, id, RowScopeOf(scope, target));
  if (!visible.ok()) return visible.status();
  if (*visible) return Status::Ok();
  if (field.ref == Entity::kCustomer) return NoSuchCustomer(scope, as_given, Name(field));
  return Status::InvalidArgument("no " + Table(target) + " row '" + std::string(as_given) + "'",
                                 Name(field));
}

// Checks the references of `row` that `check[i]` selects; `as_given[i]` is
// how the caller wrote reference i (empty: its id).
Status CheckReferences(store::Database& db, const Scope& scope, const EntitySpec& spec,
                       const Row& row, const std::vector<bool>& check,
                       const std::vector<std::string>& as_given) {
  for (size_t i = 0; i < spec.fields.size(); ++i) {
    const auto* id = std::get_if<int64_t>(&row[i]);
    if (!check[i] || spec.fields[i].type != FieldType::kRef || !id) continue;
    std::string written = as_given[i].empty() ? std::to_string(*id) : as_given[i];
    TENURE_RETURN_IF_ERROR(CheckReference(db, scope, spec.fields[i], *id, written));
  }
  return Status::Ok();
}

const int64_t* IntField(const EntitySpec& spec, const Row& row, std::string_view name) {
  return std::get_if<int64_t>(&row[*spec.FieldIndex(name)]);
}

// A customer a user creates or changes must stay theirs to see: a
// salesperson's customers are the ones they own (their team by default), a
// manager's those of their team. A service user sees customers through
// complaints and creates none.
Status CheckCustomerInScope(const Scope& scope, const EntitySpec& spec, Row& row, bool creating) {
  const size_t owner = *spec.FieldIndex("owner_id");
  const size_t team = *spec.FieldIndex("team_id");
  const int64_t id = scope.customers.id;
  switch (scope.customers.kind) {
    case ScopeKind::kAll:
      return Status::Ok();
    case ScopeKind::kOwner:
      if (creating && IsNull(row[owner])) row[owner] = id;
      if (creating && IsNull(row[team]) && scope.team_id) row[team] = *scope.team_id;
      if (std::get_if<int64_t>(&row[owner]) == nullptr || std::get<int64_t>(row[owner]) != id) {
        return Status::PermissionDenied(
            "a salesperson's customers are their own (customers change owner by a handover)",
            "owner_id");
      }
      return Status::Ok();
    case ScopeKind::kTeam:
      if (creating && IsNull(row[team])) row[team] = id;
      if (std::get_if<int64_t>(&row[team]) == nullptr || std::get<int64_t>(row[team]) != id) {
        return Status::PermissionDenied("a manager's customers are those of their team", "team_id");
      }
      return Status::Ok();
    case ScopeKind::kComplaintAssignee:
      if (creating) return Status::PermissionDenied("a service user cannot create customers");
      return Status::Ok();
  }
  return Status::Ok();
}

// Fields that only their own use case may change: a complaint's status and
// resolution time (engine/complaints.h), a customer's status to or from lost
// (engine/churn.h). `before` is null for a new row.
Status CheckOwnUseCaseFields(const EntitySpec& spec, const Row* before, const Row& after) {
  auto changed = [&](std::string_view name) {
    size_t i = *spec.FieldIndex(name);
    return before ? (*before)[i] != after[i] : !IsNull(after[i]);
  };
  if (spec.entity == Entity::kComplaint) {
    const int64_t* status = IntField(spec, after, "status");
    bool open = status && *status == static_cast<int64_t>(domain::ComplaintStatus::kOpen);
    if (before ? changed("status") : !open) {
      return Status::InvalidArgument(
          before ? "changes through the complaint's own commands (assign, resolve, close, reopen)"
                 : "a new complaint is open; its status changes through the complaint's own "
                   "commands",
          "status");
    }
    if (changed("resolved_at")) {
      return Status::InvalidArgument("is set when the complaint is resolved", "resolved_at");
    }
  }
  if (spec.entity == Entity::kChurnEvent && before) {
    // Which event is a customer's latest decides its status: these stay as
    // recorded, and a correction is a new loss or win-back.
    for (std::string_view name : {"customer_id", "kind", "occurred_on"}) {
      if (changed(name)) {
        return Status::InvalidArgument(
            "decides the customer's status, so it stays as recorded; record a loss or a win-back "
            "instead",
            std::string(name));
      }
    }
  }
  if (spec.entity == Entity::kCustomer) {
    auto lost = [&](const Row& row) {
      const int64_t* status = IntField(spec, row, "status");
      return status && *status == static_cast<int64_t>(domain::CustomerStatus::kLost);
    };
    if (before ? lost(*before) != lost(after) : lost(after)) {
      return Status::InvalidArgument(
          "a customer is lost or won back by recording the loss or the win-back (churn), which "
          "keeps the churn events",
          "status");
    }
  }
  return Status::Ok();
}

// Fills in the author fields (domain::kAuthor) of a new row that names
// nobody with the user who records it; `row` is the row to be written.
void FillAuthors(const Scope& scope, const EntitySpec& spec, Row& row) {
  if (!scope.user_id) return;
  for (size_t i = 0; i < spec.fields.size(); ++i) {
    if (spec.fields[i].author() && IsNull(row[i])) row[i] = *scope.user_id;
  }
}

// Checks the author fields that `check[i]` selects (CheckAuthor).
Status CheckAuthors(store::Database& db, const Scope& scope, const EntitySpec& spec, const Row& row,
                    const std::vector<bool>& check) {
  for (size_t i = 0; i < spec.fields.size(); ++i) {
    const auto* named = std::get_if<int64_t>(&row[i]);
    if (!check[i] || !spec.fields[i].author() || !named) continue;
    TENURE_RETURN_IF_ERROR(CheckAuthor(db, scope, *named, Name(spec.fields[i])));
  }
  return Status::Ok();
}

Status CheckFieldRules(const EntitySpec& spec, const Row& row, const std::vector<bool>& present) {
  if (auto error = domain::CheckRowRules(spec, row, present)) {
    return Status::InvalidArgument(error->message, Name(spec.fields[error->field]));
  }
  return Status::Ok();
}

Status CheckExternalIdFree(store::Database& db, const EntitySpec& spec,
                           const std::string& external_id, std::optional<int64_t> row_id) {
  if (external_id.empty()) return Status::Ok();
  auto holder = store::FindExternalId(db, spec, external_id);
  if (!holder.ok()) return holder.status();
  if (*holder && *holder != row_id) {
    return Status::AlreadyExists(Table(spec) + " " + std::to_string(**holder) +
                                     " already has the external id '" + external_id + "'",
                                 "external_id");
  }
  return Status::Ok();
}

Result<Record> LoadWritten(store::Database& db, const EntitySpec& spec, int64_t id) {
  auto row = store::SelectRow(db, spec, id, std::nullopt);
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal(Table(spec) + " " + std::to_string(id) + " vanished");
  return ToRecord(std::move(**row));
}

}  // namespace

Status CheckAuthor(store::Database& db, const Scope& scope, int64_t user_id,
                   const std::string& field) {
  if (scope.role == domain::UserRole::kAdmin || !scope.user_id || user_id == *scope.user_id) {
    return Status::Ok();
  }
  if (scope.role == domain::UserRole::kManager && scope.team_id) {
    const EntitySpec& users = domain::SpecOf(Entity::kUser);
    auto user = store::SelectRow(db, users, user_id, std::nullopt);
    if (!user.ok()) return user.status();
    const int64_t* team = *user ? IntField(users, (*user)->values, "team_id") : nullptr;
    if (team && *team == *scope.team_id) return Status::Ok();
    return Status::PermissionDenied("a manager may name a user of their team, or themselves",
                                    field);
  }
  return Status::PermissionDenied(
      "is the user who records it; only a manager or an administrator may name another", field);
}

Status NoSuchCustomer(const Scope& scope, std::string_view as_given, const std::string& field) {
  std::string message = "no customer '" + std::string(as_given) + "'";
  if (scope.customers.kind != ScopeKind::kAll) message += " among the customers you may see";
  return Status::InvalidArgument(message, field);
}

Result<int64_t> FindScopedCustomer(store::Database& db, const Scope& scope,
                                   std::string_view as_given, const std::string& field) {
  const EntitySpec& spec = domain::SpecOf(Entity::kCustomer);
  auto id = store::FindRowId(db, spec, Trim(as_given));
  if (!id.ok()) return id.status();
  if (*id) {
    Result<bool> visible = store::RowExists(db, spec, **id, scope.customers);
    if (!visible.ok()) return visible.status();
    if (*visible) return **id;
  }
  return NoSuchCustomer(scope, Trim(as_given), field);
}

Result<RecordPage> ListRecords(store::Database& db, const Scope& scope, const EntitySpec& spec,
                               const RecordQuery& query) {
  if (query.limit < 1 || query.limit > kMaxLimit) {
    return Status::InvalidArgument(
        "must be from 1 to " + std::to_string(kMaxLimit) + ", got " + std::to_string(query.limit),
        "limit");
  }
  Conversion conversion;
  TENURE_RETURN_IF_ERROR(PrepareConversion(db, spec, conversion));
  store::RowPageQuery page_query;
  page_query.scope = RowScopeOf(scope, spec);
  page_query.after_id = query.after_id;
  page_query.limit = query.limit + 1;  // one more tells whether a next page exists
  bool matches_nothing = false;
  for (const auto& [name, value] : query.equals) {
    store::RowCondition& condition = page_query.equals.emplace_back();
    if (name == "external_id") {
      // As a write reads it: trimmed text, a number as its digits; empty: none.
      if (const auto* n = std::get_if<int64_t>(&value)) {
        condition.value = std::to_string(*n);
      } else if (const auto* text = std::get_if<std::string>(&value)) {
        if (!Trim(*text).empty()) condition.value = std::string(Trim(*text));
      } else if (!IsNull(value)) {
        return Status::InvalidArgument("expected text", name);
      }
      continue;
    }
    condition.field = spec.FieldIndex(name);
    if (!condition.field) {
      return Status::InvalidArgument(Table(spec) + " has no field '" + name + "'", name);
    }
    const FieldSpec& field = spec.fields[*condition.field];
    TENURE_RETURN_IF_ERROR(ConvertValue(field, value, conversion, condition.value));
    if (const auto* key = std::get_if<std::string>(&condition.value);
        key && field.type == FieldType::kRef) {
      auto id = ResolveKey(db, field, *key);
      if (!id.ok()) return id.status();
      if (*id) {
        condition.value = **id;
      } else {
        matches_nothing = true;  // a reference to no row: no row refers to it
      }
    }
  }
  RecordPage page;
  if (matches_nothing) return page;
  auto rows = store::SelectRows(db, spec, page_query);
  if (!rows.ok()) return rows.status();
  if (rows->size() > static_cast<size_t>(query.limit)) {
    rows->pop_back();
    page.next_after_id = rows->back().id;
  }
  page.rows.reserve(rows->size());
  for (store::StoredRow& row : *rows) page.rows.push_back(ToRecord(std::move(row)));
  return page;
}

Result<Record> GetRecord(store::Database& db, const Scope& scope, const EntitySpec& spec,
                         int64_t id) {
  auto row = store::SelectRow(db, spec, id, RowScopeOf(scope, spec));
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("no " + Table(spec) + " row " + std::to_string(id));
  return ToRecord(std::move(**row));
}

Result<int64_t> GetRecordVersion(store::Database& db, const Scope& scope, const EntitySpec& spec,
                                 int64_t id) {
  auto version = store::RowVersion(db, spec, id, RowScopeOf(scope, spec));
  if (!version.ok()) return version.status();
  if (!*version) return Status::NotFound("no " + Table(spec) + " row " + std::to_string(id));
  return **version;
}

Result<Record> CreateRecord(store::Database& db, const Scope& scope, const EntitySpec& spec,
                            const FieldValues& fields) {
  TENURE_RETURN_IF_ERROR(CheckMayWrite(scope, spec));
  store::Transaction txn(db);
  TENURE_RETURN_IF_ERROR(txn.status());

  auto input = ReadInput(db, spec, fields);
  if (!input.ok()) return input.status();
  Row& row = input->row;
  std::vector<bool> present(spec.fields.size());
  for (size_t i = 0; i < spec.fields.size(); ++i) {
    present[i] = input->given[i] && !IsNull(row[i]);
    TENURE_RETURN_IF_ERROR(ApplyDefault(spec.fields[i], row[i]));
  }
  if (spec.entity == Entity::kCustomer) {
    TENURE_RETURN_IF_ERROR(CheckCustomerInScope(scope, spec, row, /*creating=*/true));
  }
  TENURE_RETURN_IF_ERROR(CheckAuthors(db, scope, spec, row, input->given));
  FillAuthors(scope, spec, row);
  TENURE_RETURN_IF_ERROR(CheckOwnUseCaseFields(spec, nullptr, row));
  TENURE_RETURN_IF_ERROR(CheckFieldRules(spec, row, present));
  TENURE_RETURN_IF_ERROR(CheckReferences(
      db, scope, spec, row, std::vector<bool>(spec.fields.size(), true), input->as_given));
  const std::string external_id = input->external_id.value_or(std::string());
  TENURE_RETURN_IF_ERROR(CheckExternalIdFree(db, spec, external_id, std::nullopt));

  // Columns without a value keep the table's defaults.
  std::vector<size_t> columns;
  for (size_t i = 0; i < spec.fields.size(); ++i) {
    if (!IsNull(row[i])) columns.push_back(i);
  }
  auto writer = store::RowWriter::Create(db, spec, columns);
  if (!writer.ok()) return writer.status();
  auto max_id = store::MaxRowId(db, spec);
  if (!max_id.ok()) return max_id.status();
  const int64_t id = *max_id + 1;  // the write lock is ours: nobody else hands out ids
  TENURE_RETURN_IF_ERROR((*writer)->Insert(id, external_id, row, NowUtc()));

  auto record = LoadWritten(db, spec, id);
  if (!record.ok()) return record.status();
  TENURE_RETURN_IF_ERROR(
      store::AppendAuditChange(db, "insert", spec.name, id, {}, RecordJson(spec, *record)));
  if (FeedsMetrics(spec)) {
    const int64_t customer = *IntField(spec, row, "customer_id");
    TENURE_RETURN_IF_ERROR(RefreshMetrics(db, std::span<const int64_t>(&customer, 1)));
  }
  TENURE_RETURN_IF_ERROR(txn.Commit());
  return record;
}

Result<Record> UpdateRecord(store::Database& db, const Scope& scope, const EntitySpec& spec,
                            int64_t id, const FieldValues& fields,
                            std::optional<int64_t> expected_version) {
  TENURE_RETURN_IF_ERROR(CheckMayWrite(scope, spec));
  store::Transaction txn(db);
  TENURE_RETURN_IF_ERROR(txn.status());

  auto stored = store::SelectRow(db, spec, id, RowScopeOf(scope, spec));
  if (!stored.ok()) return stored.status();
  if (!*stored) return Status::NotFound("no " + Table(spec) + " row " + std::to_string(id));
  Record before = ToRecord(std::move(**stored));
  if (expected_version && *expected_version != before.version) {
    return Status::Conflict(Table(spec) + " " + std::to_string(id) + " is at version " +
                            std::to_string(before.version) + ", not " +
                            std::to_string(*expected_version) + ": it changed since it was read");
  }

  auto input = ReadInput(db, spec, fields);
  if (!input.ok()) return input.status();
  Row after = before.values;
  std::vector<bool> changed(spec.fields.size(), false);
  std::vector<size_t> columns;
  for (size_t i = 0; i < spec.fields.size(); ++i) {
    if (!input->given[i]) continue;
    TENURE_RETURN_IF_ERROR(ApplyDefault(spec.fields[i], input->row[i]));
    after[i] = std::move(input->row[i]);
    changed[i] = after[i] != before.values[i];
    columns.push_back(i);
  }
  std::vector<bool> present(spec.fields.size());
  for (size_t i = 0; i < spec.fields.size(); ++i) present[i] = !IsNull(after[i]);
  if (spec.entity == Entity::kCustomer &&
      (changed[*spec.FieldIndex("owner_id")] || changed[*spec.FieldIndex("team_id")])) {
    TENURE_RETURN_IF_ERROR(CheckCustomerInScope(scope, spec, after, /*creating=*/false));
  }
  TENURE_RETURN_IF_ERROR(CheckOwnUseCaseFields(spec, &before.values, after));
  TENURE_RETURN_IF_ERROR(CheckFieldRules(spec, after, present));
  TENURE_RETURN_IF_ERROR(CheckReferences(db, scope, spec, after, changed, input->as_given));
  TENURE_RETURN_IF_ERROR(CheckAuthors(db, scope, spec, after, changed));
  if (input->external_id) {
    TENURE_RETURN_IF_ERROR(CheckExternalIdFree(db, spec, *input->external_id, id));
  }

  const Timestamp now = NowUtc();
  bool wrote = false;
  if (!columns.empty()) {
    auto writer = store::RowWriter::Create(db, spec, columns);
    if (!writer.ok()) return writer.status();
    auto updated = (*writer)->Update(id, after, now);
    if (!updated.ok()) return updated.status();
    wrote = *updated;
  }
  if (input->external_id) {
    auto renamed = store::SetExternalId(db, spec, id, *input->external_id, now, !wrote);
    if (!renamed.ok()) return renamed.status();
    wrote = wrote || *renamed;
  }
  if (!wrote) return before;  // nothing differs: no write, no audit entry, same version

  auto record = LoadWritten(db, spec, id);
  if (!record.ok()) return record.status();
  TENURE_RETURN_IF_ERROR(store::AppendAuditChange(
      db, "update", spec.name, id, RecordJson(spec, before), RecordJson(spec, *record)));
  if (FeedsMetrics(spec)) {
    const int64_t customers[] = {*IntField(spec, before.values, "customer_id"),
                                 *IntField(spec, after, "customer_id")};
    TENURE_RETURN_IF_ERROR(RefreshMetrics(db, customers));
  }
  TENURE_RETURN_IF_ERROR(txn.Commit());
  return record;
}

}  // namespace tenure::engine
