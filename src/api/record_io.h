// Between JSON bodies and engine::Record: internal to src/api.
#pragma once

#include <nlohmann/json.hpp>

#include "api/routes.h"
#include "engine/records.h"

namespace tenure::api {

// The fields of a JSON body for engine::CreateRecord/UpdateRecord. Money is
// given in the currency unit (12.5 or "12.50", `decimals` digits at most) and
// handed on in minor units, enums by name, references by id (or external id
// as text), booleans as true/false, times as ISO text or seconds. "version" is
// skipped (see ExpectedVersion). Errors: kInvalidArgument naming an unknown
// field, a value of the wrong JSON type, or a malformed amount.
Result<engine::FieldValues> FieldsOf(const domain::EntitySpec& spec, const nlohmann::json& body,
                                     int decimals);
// A query parameter's value for a filter on `field` (money in minor units).
Result<domain::Value> FilterValueOf(const domain::EntitySpec& spec, const std::string& field,
                                    const std::string& text, int decimals);

// The record as JSON with its version as the ETag.
Reply RecordReply(const domain::EntitySpec& spec, const engine::Record& record, int decimals,
                  int status);

}  // namespace tenure::api
