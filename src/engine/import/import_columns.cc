#include "engine/import/import_columns.h"

#include <algorithm>

#include "common/text.h"
#include "engine/import/importer.h"

namespace tenure::engine {
namespace {

using domain::EntitySpec;
using domain::FieldSpec;
using domain::FieldType;

std::vector<std::string_view> SplitAliases(std::string_view aliases) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start < aliases.size()) {
    size_t end = aliases.find(',', start);
    if (end == std::string_view::npos) end = aliases.size();
    if (end > start) out.push_back(aliases.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool Contains(std::string_view list, std::string_view name) {
  for (std::string_view alias : SplitAliases(list)) {
    if (alias == name) return true;
  }
  return false;
}

// A header as the field names are written: NormalizeName, with camelCase
// split into words first ("CustomerID" -> "customer_id", "InvoiceNo" ->
// "invoice_no").
std::string HeaderKey(std::string_view header) {
  std::string split;
  for (size_t i = 0; i < header.size(); ++i) {
    char c = header[i];
    bool upper = c >= 'A' && c <= 'Z';
    if (upper && i > 0 && header[i - 1] >= 'a' && header[i - 1] <= 'z') split += '_';
    split += c;
  }
  return NormalizeName(split);
}

std::string FieldList(const EntitySpec& spec) {
  std::string out = "id";
  for (const FieldSpec& field : spec.fields) out += ", " + std::string(field.name);
  return out;
}

}  // namespace

Result<ColumnPlan> PlanColumns(const EntitySpec& spec, const std::string& path,
                               const std::vector<std::string_view>& header,
                               const std::vector<std::pair<std::string, std::string>>& maps) {
  ColumnPlan plan;
  plan.field_column.assign(spec.fields.size(), -1);
  std::vector<std::string> normalized;
  for (std::string_view h : header) {
    plan.headers.emplace_back(Trim(h));
    normalized.push_back(HeaderKey(h));
  }
  std::vector<bool> taken(header.size(), false);
  auto assign = [&](int column, std::string_view target) -> Status {
    std::string field = NormalizeName(target);
    if (field == "id" || field == "external_id") {
      if (plan.id_column >= 0 && plan.id_column != column) {
        return Status::InvalidArgument(path + ": columns '" + plan.headers[plan.id_column] +
                                       "' and '" + plan.headers[column] +
                                       "' both give the id; use --map to choose one");
      }
      plan.id_column = column;
    } else {
      std::optional<size_t> index = spec.FieldIndex(field);
      if (!index) {
        return Status::InvalidArgument("unknown field '" + std::string(target) + "' for " +
                                           std::string(spec.name) +
                                           "; fields are: " + FieldList(spec),
                                       "--map");
      }
      int& slot = plan.field_column[*index];
      if (slot >= 0 && slot != column) {
        return Status::InvalidArgument(path + ": columns '" + plan.headers[slot] + "' and '" +
                                       plan.headers[column] + "' both map to " + field +
                                       "; use --map to choose one");
      }
      slot = column;
    }
    taken[column] = true;
    return Status::Ok();
  };

  for (const auto& [column_name, field] : maps) {
    std::string wanted = HeaderKey(column_name);
    auto it = std::find(normalized.begin(), normalized.end(), wanted);
    if (it == normalized.end()) {
      std::string columns;
      for (const std::string& h : plan.headers) columns += (columns.empty() ? "" : ", ") + h;
      return Status::InvalidArgument(
          "unknown column '" + column_name + "' in --map; " + path + " has: " + columns, "--map");
    }
    TENURE_RETURN_IF_ERROR(assign(static_cast<int>(it - normalized.begin()), field));
  }
  // Recognised names, strongest first: a field's own name, an id header, an alias.
  for (int pass = 0; pass < 3; ++pass) {
    for (size_t c = 0; c < header.size(); ++c) {
      if (taken[c]) continue;
      const std::string& name = normalized[c];
      int column = static_cast<int>(c);
      if (pass == 1 && (name == "external_id" || Contains(spec.id_aliases, name))) {
        if (plan.id_column < 0) TENURE_RETURN_IF_ERROR(assign(column, "id"));
        continue;
      }
      for (size_t f = 0; f < spec.fields.size(); ++f) {
        const FieldSpec& field = spec.fields[f];
        bool match = pass == 0 ? name == field.name : pass == 2 && Contains(field.aliases, name);
        if (match && plan.field_column[f] < 0) {
          TENURE_RETURN_IF_ERROR(assign(column, field.name));
          break;
        }
      }
    }
  }
  for (size_t c = 0; c < header.size(); ++c) {
    // Columns starting with '_' are our own (the rejects file's _line, _reason).
    if (!taken[c] && !normalized[c].empty() && normalized[c][0] != '_') {
      plan.ignored.push_back(plan.headers[c]);
    }
  }
  for (size_t f = 0; f < spec.fields.size(); ++f) {
    const FieldSpec& field = spec.fields[f];
    if (plan.field_column[f] >= 0) {
      plan.mapped.push_back(f);
    } else if (spec.entity == domain::Entity::kCustomer && field.name == "name" &&
               plan.id_column >= 0) {
      // A customer file without names: a new customer is named by its id.
      plan.name_from_id = f;
    } else if (field.required()) {
      std::string accepted(field.name);
      for (std::string_view alias : SplitAliases(field.aliases))
        accepted += ", " + std::string(alias);
      return Status::InvalidArgument(path + ": no column for the required field '" +
                                         std::string(field.name) +
                                         "' (accepted headers: " + accepted +
                                         "; or use --map COLUMN=" + std::string(field.name) + ")",
                                     std::string(field.name));
    }
  }
  return plan;
}

std::string EnumChoices(const FieldSpec& field) {
  std::string out;
  for (std::string_view name : field.enum_names)
    out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

std::string DescribeColumns(const EntitySpec& spec) {
  auto type_name = [](const FieldSpec& field) -> std::string {
    switch (field.type) {
      case FieldType::kText:
        return "text";
      case FieldType::kInteger:
        return field.min_value < field.max_value
                   ? "whole number " + std::to_string(field.min_value) + "-" +
                         std::to_string(field.max_value)
                   : "whole number";
      case FieldType::kDecimal:
        return "number";
      case FieldType::kMoney:
        return "amount";
      case FieldType::kDate:
        return "date";
      case FieldType::kTimestamp:
        return "date and time";
      case FieldType::kBool:
        return "true/false";
      case FieldType::kEnum:
        return "one of " + EnumChoices(field);
      case FieldType::kRef: {
        const EntitySpec& target = domain::SpecOf(field.ref);
        std::string key =
            target.natural_key.empty() ? "" : " or " + std::string(target.natural_key);
        return "id" + key + " of a row of " + std::string(target.name);
      }
      case FieldType::kReasonList:
        return "churn reason codes separated by ';'";
    }
    return "";
  };
  std::string out = "  id: the row's own id (headers: " + std::string(spec.id_aliases) + ")";
  if (!spec.natural_key.empty())
    out += "; without it, " + std::string(spec.natural_key) + " is the id";
  out += "\n";
  for (const FieldSpec& field : spec.fields) {
    out += "  " + std::string(field.name) + ": " + type_name(field);
    if (field.required()) out += ", required";
    if (field.non_negative()) out += ", not negative";
    if (field.identity() && spec.natural_key.empty()) out += ", identity";
    if (!field.default_value.empty()) out += ", default " + std::string(field.default_value);
    if (!field.aliases.empty()) out += " (also: " + std::string(field.aliases) + ")";
    out += '\n';
  }
  return out;
}

}  // namespace tenure::engine
