// How the columns of a CSV file map to the fields of an entity: the part of
// the importer that reads the header line (and `--map`).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "domain/entity.h"

namespace tenure::engine {

// Which CSV column feeds which field.
struct ColumnPlan {
  std::vector<std::string> headers;
  int id_column = -1;
  std::vector<int> field_column;  // per spec field; -1 when not in the file
  std::vector<size_t> mapped;     // spec fields that have a column
  std::vector<std::string> ignored;
  // Customers without a name column: the name field, which a new row takes
  // from its id (an existing row keeps its name).
  std::optional<size_t> name_from_id;
};

// Maps the header line `header` of `path` to the fields of `spec`: explicit
// `maps` (column -> field, or "id") first, then a field's own name, an id
// header, and a field's other names. Errors (kInvalidArgument, nothing
// imported): an unknown column or field in --map, two columns for one field,
// a required field without a column.
Result<ColumnPlan> PlanColumns(const domain::EntitySpec& spec, const std::string& path,
                               const std::vector<std::string_view>& header,
                               const std::vector<std::pair<std::string, std::string>>& maps);

// "completed, open, cancelled": the names of an enumerated field.
std::string EnumChoices(const domain::FieldSpec& field);

}  // namespace tenure::engine
