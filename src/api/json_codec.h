// The JSON shapes of Tenure's records, profiles and lists, shared by the
// server's responses and the CLI's --json output, so both print the same
// thing. Conventions: dates ISO "YYYY-MM-DD", times ISO UTC
// "YYYY-MM-DDTHH:MM:SSZ", money a decimal number in the currency unit
// (`decimals` digits after the point), enums by name, absent values null.
//
// Includes nlohmann/json: include this header only from .cc files that
// build JSON.
#pragma once

#include <nlohmann/json.hpp>

#include "common/numbers.h"
#include "domain/entity.h"
#include "engine/customer_profile.h"
#include "engine/records.h"
#include "engine/scope.h"
#include "engine/workbench.h"
#include "store/entity_table.h"

namespace tenure::api {

nlohmann::json MoneyJson(Money amount, int decimals);
// The text, or null when it is empty.
nlohmann::json TextOrNull(const std::string& text);

// One typed value of `field` (domain::Value as store::ExportRow and
// engine::Record hold it). References are whatever the value holds: the
// referenced row's external id in an ExportRow, its internal id in a Record.
nlohmann::json ValueJson(const domain::FieldSpec& field, const domain::Value& value, int decimals);

// {"id", "external_id", every field, "created_at", "updated_at"}.
nlohmann::json RowJson(const domain::EntitySpec& spec, const store::ExportRow& row, int decimals);
// RowJson's shape plus "version"; references are internal ids.
nlohmann::json RecordJson(const domain::EntitySpec& spec, const engine::Record& record,
                          int decimals);

// The purchase-model scores; every key null when the customer is not scored.
nlohmann::json ScoresJson(const std::optional<engine::CustomerScores>& scores, int decimals);
// The customer's fields and metrics at the top level, "scores", then one
// array per related record kind (docs/api.md).
nlohmann::json ProfileJson(const engine::CustomerProfile& profile, int decimals);

nlohmann::json ScopeJson(const engine::Scope& scope);
nlohmann::json WorkbenchListJson(const engine::WorkbenchList& list, int decimals);
nlohmann::json WorkbenchJson(const engine::Workbench& bench, int decimals);

}  // namespace tenure::api
