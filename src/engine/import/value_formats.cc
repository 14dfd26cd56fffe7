#include "engine/import/value_formats.h"

#include <cctype>

namespace tenure::engine {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads 1..max_digits digits at `pos`; false when there are none.
bool ReadNumber(std::string_view text, size_t& pos, size_t max_digits, int& out, size_t& digits) {
  out = 0;
  digits = 0;
  while (pos < text.size() && IsDigit(text[pos]) && digits < max_digits) {
    out = out * 10 + (text[pos++] - '0');
    ++digits;
  }
  return digits > 0 && (pos == text.size() || !IsDigit(text[pos]));
}

// The parts of a local date "P1 sep P2 sep YEAR" and the rest after it.
struct LocalParts {
  int first = 0, second = 0, year = 0;
  char separator = 0;
  std::string_view rest;
};

std::optional<LocalParts> SplitLocalDate(std::string_view text) {
  LocalParts p;
  size_t pos = 0, digits = 0;
  if (!ReadNumber(text, pos, 2, p.first, digits)) return std::nullopt;
  if (pos >= text.size() || (text[pos] != '/' && text[pos] != '.' && text[pos] != '-')) {
    return std::nullopt;
  }
  p.separator = text[pos++];
  if (!ReadNumber(text, pos, 2, p.second, digits)) return std::nullopt;
  if (pos >= text.size() || text[pos] != p.separator) return std::nullopt;
  ++pos;
  if (!ReadNumber(text, pos, 4, p.year, digits) || (digits != 2 && digits != 4)) {
    return std::nullopt;
  }
  if (digits == 2) p.year += p.year < 70 ? 2000 : 1900;
  p.rest = text.substr(pos);
  return p;
}

// " 8:26", "T08:26:00", " 8:26:00 PM", ".5" fractions of seconds: seconds
// since midnight; nullopt when `rest` is not a time (empty rest: 0, no time).
std::optional<int> ParseTimeOfDay(std::string_view rest, bool& has_time) {
  has_time = false;
  if (rest.empty()) return 0;
  if (rest[0] != ' ' && rest[0] != 'T') return std::nullopt;
  size_t pos = 1;
  while (pos < rest.size() && rest[pos] == ' ') ++pos;
  int hour = 0, minute = 0, second = 0;
  size_t digits = 0;
  if (!ReadNumber(rest, pos, 2, hour, digits)) return std::nullopt;
  if (pos >= rest.size() || rest[pos] != ':') return std::nullopt;
  ++pos;
  if (!ReadNumber(rest, pos, 2, minute, digits) || digits != 2) return std::nullopt;
  if (pos < rest.size() && rest[pos] == ':') {
    ++pos;
    if (!ReadNumber(rest, pos, 2, second, digits) || digits != 2) return std::nullopt;
    if (pos < rest.size() && rest[pos] == '.') {
      ++pos;
      while (pos < rest.size() && IsDigit(rest[pos])) ++pos;
    }
  }
  while (pos < rest.size() && rest[pos] == ' ') ++pos;
  std::string_view meridiem = rest.substr(pos);
  if (!meridiem.empty()) {
    bool am = meridiem == "AM" || meridiem == "am";
    bool pm = meridiem == "PM" || meridiem == "pm";
    if ((!am && !pm) || hour < 1 || hour > 12) return std::nullopt;
    hour = hour % 12 + (pm ? 12 : 0);
  }
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  has_time = true;
  return hour * 3600 + minute * 60 + std::min(second, 59);
}

bool ValidDay(int year, int month, int day) {
  if (month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (day > kDays[month - 1]) return false;
  if (month == 2 && day == 29) {
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap;
  }
  return true;
}

std::optional<LocalDateTime> ParseIso(std::string_view text) {
  // "2011/12/31" reads as "2011-12-31".
  std::string slashed;
  if (text.size() >= 10 && text[4] == '/' && text[7] == '/') {
    slashed.assign(text);
    slashed[4] = slashed[7] = '-';
    text = slashed;
  }
  if (text.size() <= 10) {
    auto date = ParseIsoDate(text);
    if (!date) return std::nullopt;
    return LocalDateTime{*date, false, StartOf(*date)};
  }
  auto ts = ParseTimestamp(text);
  auto date = ParseIsoDate(text.substr(0, 10));
  if (!ts || !date) return std::nullopt;
  // The civil date as written, the time as an exact instant.
  return LocalDateTime{*date, true, *ts};
}

}  // namespace

const char* DateOrderName(DateOrder order) {
  switch (order) {
    case DateOrder::kIsoOnly:
      return "YYYY-MM-DD";
    case DateOrder::kDayFirst:
      return "DD/MM/YYYY";
    case DateOrder::kMonthFirst:
      return "MM/DD/YYYY";
    case DateOrder::kAmbiguous:
      return "DD/MM/YYYY or MM/DD/YYYY";
  }
  return "";
}

std::optional<LocalDateTime> ParseLocalDateTime(std::string_view text, DateOrder order) {
  if (text.size() >= 8 && IsDigit(text[0]) && IsDigit(text[1]) && IsDigit(text[2]) &&
      IsDigit(text[3])) {
    return ParseIso(text);
  }
  if (order != DateOrder::kDayFirst && order != DateOrder::kMonthFirst) return std::nullopt;
  auto parts = SplitLocalDate(text);
  if (!parts) return std::nullopt;
  int day = order == DateOrder::kDayFirst ? parts->first : parts->second;
  int month = order == DateOrder::kDayFirst ? parts->second : parts->first;
  if (!ValidDay(parts->year, month, day)) return std::nullopt;
  bool has_time = false;
  auto seconds = ParseTimeOfDay(parts->rest, has_time);
  if (!seconds) return std::nullopt;
  Date date = MakeDate(parts->year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return LocalDateTime{date, has_time, StartOf(date) + *seconds};
}

void DateOrderVote::Add(std::string_view text) {
  if (text.empty()) return;
  if (text.size() >= 8 && IsDigit(text[0]) && IsDigit(text[1]) && IsDigit(text[2]) &&
      IsDigit(text[3])) {
    ++iso_;
    return;
  }
  auto parts = SplitLocalDate(text);
  if (!parts) return;  // not a date at all: the parser will say so
  bool day_first = ValidDay(parts->year, parts->second, parts->first);
  bool month_first = ValidDay(parts->year, parts->first, parts->second);
  if (day_first && month_first) {
    if (parts->separator == '.') {
      ++dotted_;  // 01.02.2011: day first wherever dots are written
    } else {
      ++either_;
      if (example_.empty()) example_.assign(text);
    }
  } else if (day_first) {
    ++day_first_;
  } else if (month_first) {
    ++month_first_;
  }
}

bool DateOrderVote::open() const {
  if (day_first_ > 0 || month_first_ > 0) return false;
  return iso_ < 1000 || either_ > 0 || dotted_ > 0;
}

DateOrder DateOrderVote::Decide() const {
  if (day_first_ > 0 && month_first_ == 0) return DateOrder::kDayFirst;
  if (month_first_ > 0 && day_first_ == 0) return DateOrder::kMonthFirst;
  if (conflict()) return DateOrder::kAmbiguous;
  if (dotted_ > 0 && either_ == 0 && dotted_ >= iso_) return DateOrder::kDayFirst;
  // A few local dates among ISO ones are mistakes, rejected row by row.
  if (either_ > 0 && either_ + dotted_ > iso_) return DateOrder::kAmbiguous;
  return DateOrder::kIsoOnly;
}

void DecimalVote::Add(std::string_view text) {
  size_t comma = text.rfind(','), point = text.rfind('.');
  if (comma == std::string_view::npos && point == std::string_view::npos) return;
  if (comma != std::string_view::npos && point != std::string_view::npos) {
    // The later of the two is the decimal mark: 1.234,50 or 1,234.50.
    ++(comma > point ? comma_ : point_);
    return;
  }
  size_t mark = comma != std::string_view::npos ? comma : point;
  size_t after = 0;
  while (mark + 1 + after < text.size() && IsDigit(text[mark + 1 + after])) ++after;
  if (mark + 1 + after != text.size()) return;  // not a number
  // Three digits after one mark could be thousands: 1,234 or 1.234.
  if (after == 3) return;
  ++(mark == comma ? comma_ : point_);
}

std::optional<std::string> CanonicalNumber(std::string_view text, bool decimal_comma) {
  const char decimal = decimal_comma ? ',' : '.';
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) out += text[pos++];
  // Whole part: digits, possibly in groups of three after a separator.
  size_t group = 0;      // digits since the last separator
  bool grouped = false;  // a thousands separator was seen
  size_t digits = 0;
  for (; pos < text.size() && text[pos] != decimal; ++pos) {
    char c = text[pos];
    if (IsDigit(c)) {
      out += c;
      ++group;
      ++digits;
    } else if ((c == ',' || c == '.' || c == ' ' || c == '\'') && c != decimal) {
      if (digits == 0 || (grouped && group != 3) || (!grouped && group > 3)) return std::nullopt;
      grouped = true;
      group = 0;
    } else {
      return std::nullopt;
    }
  }
  if (grouped && group != 3) return std::nullopt;
  if (pos < text.size()) {  // the decimal mark
    out += '.';
    ++pos;
    for (; pos < text.size(); ++pos) {
      if (!IsDigit(text[pos])) return std::nullopt;
      out += text[pos];
    }
  }
  return out;
}

std::string_view CanonicalId(std::string_view text) {
  size_t point = text.find('.');
  if (point == std::string_view::npos || point == 0 || point + 1 == text.size()) return text;
  for (size_t i = 0; i < point; ++i) {
    if (!IsDigit(text[i]) && !(i == 0 && text[i] == '-' && point > 1)) return text;
  }
  for (size_t i = point + 1; i < text.size(); ++i) {
    if (text[i] != '0') return text;
  }
  return text.substr(0, point);
}

std::string LooseIdKey(std::string_view text) {
  std::string_view id = CanonicalId(text);
  std::string key;
  bool all_digits = !id.empty();
  for (char c : id) all_digits = all_digits && IsDigit(c);
  if (all_digits) {
    size_t first = id.find_first_not_of('0');
    return first == std::string_view::npos ? "0" : std::string(id.substr(first));
  }
  for (char c : id) {
    if (c == ' ' || c == '-' || c == '_') continue;
    key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return key;
}

}  // namespace tenure::engine
