// How the text a user types for a field (a CSV cell, a JSON string) becomes
// the field's typed domain::Value: the one conversion behind the importer and
// engine/records.h, so a value means the same thing whichever way it arrives.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "common/status.h"
#include "domain/entity.h"
#include "engine/import/value_formats.h"

namespace tenure::engine {

struct ParseContext {
  // strptime(3) format for dates; empty: ISO 8601 (YYYY-MM-DD), and local
  // dates in `date_order` (engine/import/value_formats.h). Timestamps are
  // ISO 8601 or a local date and time in `date_order`, or a date in this
  // format (midnight UTC).
  std::string date_format;
  DateOrder date_order = DateOrder::kIsoOnly;
  // Amounts and numbers written with a decimal comma ("1.234,50"); without,
  // thousands grouped with ',' are read ("1,234.50").
  bool decimal_comma = false;
  // Fractional digits of the currency: 2 for cents.
  int currency_decimals = 2;
  // kReasonList: the churn reason codes that exist. Not owned; must be set
  // for reason lists.
  const std::unordered_set<std::string>* reason_codes = nullptr;
};

// Checks text a user gives for a text field or an external id: it must be
// well-formed UTF-8 and hold no control character (NUL, escape, ...), except
// tab and line breaks when `multi_line` (notes). Returns false with `error`
// naming the byte (1-based) and what was found.
bool CheckText(std::string_view text, bool multi_line, std::string& error);
// The same as a Status: kInvalidArgument naming `field`.
Status CheckTextField(std::string_view text, bool multi_line, const std::string& field);

// A yes/no value as imports read it: true/false, yes/no, y/n, t/f, 1/0, in
// any case; nullopt for anything else.
std::optional<bool> ParseYesNo(std::string_view text);

// Converts `text` (trimmed, not empty) into the value of `field`:
//  * kText: the text, checked by CheckText; kInteger: a whole number within the field's bounds;
//  * kDecimal: a number; kMoney: decimal text in major units ("12.50") into
//    minor units; kNonNegative fields refuse numbers below zero;
//  * kDate: ISO text (YYYY-MM-DD) whatever the input format; kTimestamp: seconds;
//  * kBool: 1/0 from true/false, yes/no, 1/0, y/n, t/f;
//  * kEnum: the code of a name of FieldSpec::enum_names;
//  * kReasonList: codes separated by ';' or '|', normalized, each one of
//    context.reason_codes, sorted, deduplicated and joined by ';'.
// Returns false with `error` set to a short reason that quotes the text.
// REQUIRES: field.type != kRef (references are resolved by the caller, who
// knows which rows exist).
bool ParseFieldText(const domain::FieldSpec& field, std::string_view text,
                    const ParseContext& context, domain::Value& out, std::string& error);

// The text of a stored value as ParseFieldText reads it back: money in major
// units with the currency's `decimals`, timestamps ISO, booleans
// true/false, enumerations by name; empty for NULL. References are the
// caller's (it knows the referenced row's external id).
std::string FormatFieldText(const domain::FieldSpec& field, const domain::Value& value,
                            int decimals);

}  // namespace tenure::engine
