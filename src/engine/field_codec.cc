#include "engine/field_codec.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "common/numbers.h"
#include "common/text.h"
#include "common/time.h"
#include "domain/enums.h"
#include "engine/import/import_columns.h"

namespace tenure::engine {
namespace {

using domain::FieldType;

// The number as ParseMoney/ParseDecimal read it: a decimal comma or grouped
// thousands rewritten (CanonicalNumber); plain text passes through.
std::string_view PlainNumber(std::string_view text, const ParseContext& context,
                             std::string& buffer) {
  bool plain = text.find_first_of(", '") == std::string_view::npos;
  if (plain && !context.decimal_comma) return text;
  if (auto canonical = CanonicalNumber(text, context.decimal_comma)) {
    buffer = std::move(*canonical);
    return buffer;
  }
  return text;
}

}  // namespace

std::optional<bool> ParseYesNo(std::string_view text) {
  std::string t = NormalizeName(text);
  if (t == "1" || t == "true" || t == "yes" || t == "y" || t == "t") return true;
  if (t == "0" || t == "false" || t == "no" || t == "n" || t == "f") return false;
  return std::nullopt;
}

bool CheckText(std::string_view text, bool multi_line, std::string& error) {
  if (std::optional<size_t> at = InvalidUtf8Offset(text)) {
    error = "not valid UTF-8 at byte " + std::to_string(*at + 1) +
            " of the value (is the file Latin-1 or Windows-1252? save it as UTF-8)";
    return false;
  }
  if (std::optional<size_t> at = ControlCharOffset(text, multi_line)) {
    char code[8];
    std::snprintf(code, sizeof code, "0x%02X", static_cast<unsigned char>(text[*at]));
    error = std::string("a control character (") + code + ") at byte " + std::to_string(*at + 1) +
            (multi_line ? "; only tabs and line breaks may be in it" : "; it is one line of text");
    return false;
  }
  return true;
}

Status CheckTextField(std::string_view text, bool multi_line, const std::string& field) {
  std::string error;
  if (!CheckText(text, multi_line, error)) return Status::InvalidArgument(error, field);
  return Status::Ok();
}

bool ParseFieldText(const domain::FieldSpec& field, std::string_view text,
                    const ParseContext& context, domain::Value& out, std::string& error) {
  auto quoted = [&] { return " '" + std::string(text) + "'"; };
  switch (field.type) {
    case FieldType::kText:
      if (!CheckText(text, field.multi_line(), error)) return false;
      out = std::string(text);
      return true;
    case FieldType::kInteger: {
      auto n = ParseInteger(text);
      if (!n) return error = "not a whole number:" + quoted(), false;
      if (field.min_value < field.max_value && (*n < field.min_value || *n > field.max_value)) {
        error = "must be between " + std::to_string(field.min_value) + " and " +
                std::to_string(field.max_value) + ", got" + quoted();
        return false;
      }
      if (field.non_negative() && *n < 0) return error = "must not be negative:" + quoted(), false;
      out = *n;
      return true;
    }
    case FieldType::kDecimal: {
      std::string buffer;
      auto d = ParseDecimal(PlainNumber(text, context, buffer));
      if (!d) return error = "not a number:" + quoted(), false;
      if (field.non_negative() && *d < 0) return error = "must not be negative:" + quoted(), false;
      out = *d;
      return true;
    }
    case FieldType::kMoney: {
      std::string why;
      std::string buffer;
      auto m = ParseMoney(PlainNumber(text, context, buffer), context.currency_decimals, &why);
      if (!m) return error = why + ":" + quoted(), false;
      if (field.non_negative() && *m < 0) return error = "must not be negative:" + quoted(), false;
      out = *m;
      return true;
    }
    case FieldType::kDate: {
      std::optional<Date> d;
      if (!context.date_format.empty()) {
        d = ParseDateWithFormat(text, context.date_format);
      } else if (auto local = ParseLocalDateTime(text, context.date_order)) {
        d = local->date;  // a time of day is dropped: the field is a date
      }
      if (!d) {
        error = "not a date" + quoted() + " (expected " +
                (context.date_format.empty() ? std::string(DateOrderName(context.date_order))
                                             : "--date-format " + context.date_format) +
                ")";
        return false;
      }
      std::string iso(10, ' ');
      FormatDateTo(*d, iso.data());
      out = std::move(iso);
      return true;
    }
    case FieldType::kTimestamp: {
      std::optional<Timestamp> ts;
      if (auto local = ParseLocalDateTime(text, context.date_order)) ts = local->utc;
      if (!ts && !context.date_format.empty()) {
        if (auto d = ParseDateWithFormat(text, context.date_format)) ts = StartOf(*d);
      }
      if (!ts) {
        return error = "not a date and time" + quoted() + " (expected " +
                       (context.date_order == DateOrder::kIsoOnly
                            ? std::string("YYYY-MM-DD[THH:MM[:SS]][Z]")
                            : std::string(DateOrderName(context.date_order)) + " [HH:MM[:SS]]") +
                       ")",
               false;
      }
      out = *ts;
      return true;
    }
    case FieldType::kBool: {
      std::optional<bool> b = ParseYesNo(text);
      if (!b) return error = "not true/false:" + quoted(), false;
      out = int64_t{*b ? 1 : 0};
      return true;
    }
    case FieldType::kEnum: {
      auto code = domain::ParseEnumName(field.enum_names, text);
      if (!code)
        return error = "unknown value" + quoted() + " (one of: " + EnumChoices(field) + ")", false;
      out = static_cast<int64_t>(*code);
      return true;
    }
    case FieldType::kRef:
      error = "a reference is resolved by the caller";
      return false;
    case FieldType::kReasonList: {
      std::vector<std::string> codes;
      for (char separator : {';', '|'}) {
        if (text.find(separator) != std::string_view::npos) {
          codes = SplitList(text, separator);
          break;
        }
      }
      if (codes.empty()) codes.push_back(std::string(text));
      for (std::string& code : codes) {
        code = NormalizeName(code);
        if (!context.reason_codes || !context.reason_codes->count(code)) {
          error = "unknown churn reason '" + code + "' (import it into churn_reasons first)";
          return false;
        }
      }
      std::sort(codes.begin(), codes.end());
      codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
      std::string joined;
      for (const std::string& code : codes) joined += (joined.empty() ? "" : ";") + code;
      out = std::move(joined);
      return true;
    }
  }
  return false;
}

std::string FormatFieldText(const domain::FieldSpec& field, const domain::Value& value,
                            int decimals) {
  if (std::holds_alternative<std::monostate>(value)) return {};
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  if (const auto* real = std::get_if<double>(&value)) return FormatDecimal(*real);
  int64_t n = std::get<int64_t>(value);
  switch (field.type) {
    case FieldType::kMoney:
      return FormatMoney(n, decimals);
    case FieldType::kTimestamp:
      return FormatTimestamp(n);
    case FieldType::kBool:
      return n ? "true" : "false";
    case FieldType::kEnum:
      return n >= 0 && static_cast<size_t>(n) < field.enum_names.size()
                 ? std::string(field.enum_names[static_cast<size_t>(n)])
                 : std::to_string(n);
    default:
      return std::to_string(n);
  }
}

}  // namespace tenure::engine
