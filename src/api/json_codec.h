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
#include <optional>
#include <string>
#include <string_view>

#include "common/numbers.h"
#include "domain/entity.h"
#include "engine/customer_profile.h"
#include "engine/records.h"
#include "engine/scope.h"
#include "engine/workbench.h"
#include "store/customer_list_queries.h"
#include "store/entity_table.h"

namespace tenure::api {

// The text of `value` (`indent` spaces per level; -1: one line). Bytes that
// are not UTF-8 (text stored before Tenure refused it, or by another
// program) come out as U+FFFD instead of an exception: no stored text may
// break an output.
std::string JsonText(const nlohmann::json& value, int indent = -1);

// An amount in the currency unit: `amount` / 10^decimals.
double MoneyValue(Money amount, int decimals);
nlohmann::json MoneyJson(Money amount, int decimals);
// The text, or null when it is empty.
nlohmann::json TextOrNull(const std::string& text);
// The number, or null when it is NaN or infinite (no fit, an empty set).
nlohmann::json NumberOrNull(double value);

// One typed value of `field` (domain::Value as store::ExportRow and
// engine::Record hold it). References are whatever the value holds: the
// referenced row's external id in an ExportRow, its internal id in a Record.
nlohmann::json ValueJson(const domain::FieldSpec& field, const domain::Value& value, int decimals);

// {"id", "external_id", every field, "version", "created_at", "updated_at"};
// references are internal ids.
nlohmann::json RecordJson(const domain::EntitySpec& spec, const engine::Record& record,
                          int decimals);

// The profile as JSON text: the customer's fields and metrics at the top
// level, "scores" (the purchase-model scores, every key null when the
// customer is not scored), one array per related record kind (docs/api.md),
// and "version" when given. Written straight to text (json_writer.h): the
// server's largest reply.
std::string ProfileText(const engine::CustomerProfile& profile, int decimals,
                        std::optional<int64_t> version);
// ProfileText's document as a tree, without "version".
nlohmann::json ProfileJson(const engine::CustomerProfile& profile, int decimals);

// A request's JSON body: a JSON object whose every number can be held as it
// was written. Errors: kInvalidArgument, field "body" for text that is not
// a JSON object, or the number's key for a number too large for a 64-bit
// integer or a double, or so small a double reads it as 0 (1e-400).
Result<nlohmann::json> ParseBody(std::string_view text);

// A row of the customer list (GET /customers, `tenure customer list
// --json`): the classification, the owner's id and username, the stored
// metrics and the latest scores; and a page of them, {"items",
// "next_cursor"} (null on the last page).
nlohmann::json CustomerRowJson(const store::CustomerListRow& row, int decimals);
nlohmann::json CustomerPageJson(const store::CustomerListPage& page, int decimals);

nlohmann::json ScopeJson(const engine::Scope& scope);
nlohmann::json WorkbenchListJson(const engine::WorkbenchList& list, int decimals);
nlohmann::json WorkbenchJson(const engine::Workbench& bench, int decimals);

}  // namespace tenure::api
