// How the dates, numbers and ids of a file are written: ISO or local dates
// (dd/mm/yyyy, mm/dd/yyyy, dd.mm.yyyy, with or without a time), a decimal
// comma or point with grouped thousands, and ids a spreadsheet wrote as
// numbers ("17850.0"). Detection looks at a column's values; parsing then
// reads every value of the column the same way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/time.h"

namespace tenure::engine {

// How a column writes the day and month of a date. ISO 8601 (2011-12-31,
// 2011/12/31, 20111231) is read whatever the order.
enum class DateOrder {
  kIsoOnly,     // nothing but ISO dates seen (or none): a local date is an error
  kDayFirst,    // 31/12/2011, 31.12.2011, 31-12-2011
  kMonthFirst,  // 12/31/2011
  kAmbiguous,   // only dates such as 01/02/2011: the user has to say which
};

// "DD/MM/YYYY" for messages.
const char* DateOrderName(DateOrder order);

// A date with the time of day it may carry (seconds since midnight, or an
// exact UTC time when the text had an offset or 'Z').
struct LocalDateTime {
  Date date;
  bool has_time = false;
  Timestamp utc = 0;  // midnight UTC of the date plus the time, offset applied
};

// Parses `text` as an ISO date or date and time, or, with kDayFirst /
// kMonthFirst, as a local one: day, month and year (4 digits, or 2 read as
// 1970-2069) separated by '/', '.' or '-', optionally followed by a time
// H:MM[:SS[.fff]] with AM/PM or not. nullopt when it is none of those or
// the day does not exist.
std::optional<LocalDateTime> ParseLocalDateTime(std::string_view text, DateOrder order);

// Tallies the shapes of a column's date values and decides its order.
class DateOrderVote {
 public:
  void Add(std::string_view text);
  // Whether more values could still change Decide(): false once one value
  // showed the order (a day above 12), or after 1,000 ISO values.
  bool open() const;
  DateOrder Decide() const;
  // A value that showed the order is ambiguous, for the error message.
  const std::string& example() const { return example_; }
  // Set when values contradict each other (13/01/2011 and 01/13/2011).
  bool conflict() const { return day_first_ > 0 && month_first_ > 0; }

 private:
  int64_t iso_ = 0, day_first_ = 0, month_first_ = 0, either_ = 0, dotted_ = 0;
  std::string example_;
};

// Decimal comma or point, detected from the numbers of a file.
class DecimalVote {
 public:
  void Add(std::string_view text);
  bool open() const { return comma_ == 0 && point_ == 0; }
  bool decimal_comma() const { return comma_ > 0 && point_ == 0; }
  bool conflict() const { return comma_ > 0 && point_ > 0; }

 private:
  int64_t comma_ = 0, point_ = 0;
};

// Rewrites a number as ParseMoney/ParseDecimal read it: with a decimal comma
// ("1.234,50", "1 234,5", "-0,25") or grouped thousands with a point
// ("1,234.50"). Thousands must come in groups of three. nullopt when the
// text is not such a number (it is then passed on as it is and reported by
// the parser).
std::optional<std::string> CanonicalNumber(std::string_view text, bool decimal_comma);

// An id as text: a whole number a spreadsheet wrote with a fraction of zeros
// ("17850.0", "17850.00") is the whole number ("17850"); anything else is
// returned unchanged.
std::string_view CanonicalId(std::string_view text);

// The key under which ids that differ only in how they are written meet:
// CanonicalId, leading zeros of a number dropped, letters lower-cased,
// spaces, '-' and '_' dropped ("C-0042" and "c0042").
std::string LooseIdKey(std::string_view text);

}  // namespace tenure::engine
