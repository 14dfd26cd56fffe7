// The importable, exportable entities (docs/import.md) described as data: their
// fields, types, CSV header aliases, references and identity. The importer,
// the exporter and the store's row writer are driven by these tables, so an
// entity is described once.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace tenure::domain {

enum class Entity {
  kTeam,
  kUser,
  kCustomer,
  kContact,
  kActivity,
  kOpportunity,
  kQuotation,
  kContract,
  kOrder,
  kInvoice,
  kExpense,
  kComplaint,
  kChurnReason,
  kChurnEvent,
  kOwnershipChange,
  kProduct,
  kReturn,
  kOrderLine,
};

enum class FieldType {
  kText,
  kInteger,
  kDecimal,     // a plain number such as a quantity (REAL)
  kMoney,       // minor units (INTEGER)
  kDate,        // civil date, ISO text
  kTimestamp,   // UTC time, seconds since the epoch (INTEGER)
  kBool,        // 0/1
  kEnum,        // integer code; names in FieldSpec::enum_names
  kRef,         // the internal id of a row of FieldSpec::ref, given by external id
  kReasonList,  // churn reason codes separated by ';' or '|' (a link table)
};

// Flags of a field.
inline constexpr uint8_t kRequired = 1;     // a row without it is rejected
inline constexpr uint8_t kIdentity = 2;     // part of the row's identity when a file has no id
inline constexpr uint8_t kNonNegative = 4;  // numbers below zero are rejected
inline constexpr uint8_t kMultiLine = 8;    // text that may hold tabs and line breaks (notes)
inline constexpr uint8_t kAuthor = 16;      // a user reference: who did it; a user who records
                                            // the row is its author unless they name another

struct FieldSpec {
  std::string_view name;  // database column and canonical CSV header
  FieldType type;
  uint8_t flags = 0;
  std::string_view aliases = {};  // other CSV headers that mean this field, comma-separated
  std::span<const std::string_view> enum_names = {};  // kEnum: names by code
  Entity ref = Entity::kCustomer;                     // kRef: the referenced entity
  std::string_view default_value = {};                // used for an empty cell; empty: NULL
  int64_t min_value = 0;                              // kInteger: inclusive bounds when min < max
  int64_t max_value = 0;

  bool required() const { return flags & kRequired; }
  bool identity() const { return flags & kIdentity; }
  bool non_negative() const { return flags & kNonNegative; }
  bool multi_line() const { return flags & kMultiLine; }
  bool author() const { return flags & kAuthor; }
};

struct EntitySpec {
  Entity entity;
  std::string_view name;        // table name and the name used on the command line
  std::string_view id_aliases;  // CSV headers that carry the external id, comma-separated
  // A field that names the row uniquely (users.username, teams.name): with no id
  // column it becomes the external id, and references may use it. Empty: none.
  std::string_view natural_key;
  std::span<const FieldSpec> fields;

  // Index of the field called `name`; nullopt when there is none.
  std::optional<size_t> FieldIndex(std::string_view name) const;
};

// Every entity in dependency order (referenced entities first), so importing
// files in this order always resolves references.
std::span<const EntitySpec> AllEntities();
const EntitySpec& SpecOf(Entity entity);
// Finds an entity by its plural or singular name ("orders", "order").
const EntitySpec* FindEntity(std::string_view name);

// A typed cell: NULL, integer (also money, enum, bool, ref, timestamp), real,
// or text (also dates and reason lists in canonical form).
using Value = std::variant<std::monostate, int64_t, double, std::string>;
using Row = std::vector<Value>;  // one Value per EntitySpec::fields entry

struct FieldError {
  size_t field;  // index into EntitySpec::fields
  std::string message;
};

// Checks the rules that span several fields of one row (an end date before a
// start date, a lost customer without a churn type, ...). `present[i]` says
// whether field i was given. Returns the first violation.
std::optional<FieldError> CheckRowRules(const EntitySpec& spec, const Row& row,
                                        const std::vector<bool>& present);

}  // namespace tenure::domain
