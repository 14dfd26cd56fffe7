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

// The record as JSON. A complaint also carries its "deadline" (opened_at +
// its severity's hours of ServerOptions::complaint_deadlines) and whether it
// is "overdue" as of the end of the server's today, as the workbench's
// complaints_overdue list counts it (docs/complaints.md), so a board needs
// no report to mark it.
nlohmann::json RecordBody(const Context& c, const domain::EntitySpec& spec,
                          const engine::Record& record);
// RecordBody with the record's version as the ETag.
Reply RecordReply(const Context& c, const domain::EntitySpec& spec, const engine::Record& record,
                  int status);

}  // namespace tenure::api
