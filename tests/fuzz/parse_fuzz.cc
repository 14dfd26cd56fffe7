// The parsers of text a user types: dates, times, money, numbers, and the
// typed value of every field of every entity (engine/field_codec.h), with
// the UTF-8 and control-character checks. Properties: an amount read back
// from its own text is the same amount; repaired text is UTF-8; a value that
// parses as a date prints as that date.
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_set>

#include "common/numbers.h"
#include "common/text.h"
#include "common/time.h"
#include "domain/entity.h"
#include "engine/field_codec.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tenure;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (int decimals = 0; decimals <= 4; ++decimals) {
    if (auto money = ParseMoney(text, decimals, nullptr)) {
      auto again = ParseMoney(FormatMoney(*money, decimals), decimals, nullptr);
      fuzz::Require(again && *again == *money, "money does not read back from its own text");
    }
  }
  if (auto date = ParseIsoDate(text)) {
    fuzz::Require(ParseIsoDate(FormatDate(*date)) == date, "a date does not read back");
  }
  for (const char* format : {"%d/%m/%Y", "%m/%d/%Y %H:%M", "%Y%m%d", "%d.%m.%Y"}) {
    (void)ParseDateWithFormat(text, format);
  }
  if (auto at = ParseTimestamp(text)) {
    fuzz::Require(ParseTimestamp(FormatTimestamp(*at)) == at, "a time does not read back");
  }
  (void)ParseInteger(text);
  (void)ParseDecimal(text);
  const std::string repaired = RepairUtf8(text);
  fuzz::Require(!InvalidUtf8Offset(repaired), "repaired text is not UTF-8");
  fuzz::Require(InvalidUtf8Offset(text).has_value() == (repaired != text),
                "the UTF-8 check and the repair disagree");
  std::string error;
  (void)engine::CheckText(text, true, error);
  static const std::unordered_set<std::string> reasons = {"price", "product_quality", "other"};
  engine::ParseContext context;
  context.reason_codes = &reasons;
  for (const domain::EntitySpec& spec : domain::AllEntities()) {
    for (const domain::FieldSpec& field : spec.fields) {
      if (field.type == domain::FieldType::kRef) continue;
      domain::Value value;
      (void)engine::ParseFieldText(field, text, context, value, error);
    }
  }
  return 0;
}
