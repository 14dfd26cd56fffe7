// Civil dates and UTC timestamps. Business dates (order date, due date) are
// civil dates with no time zone; event times are UTC seconds. Both are stored
// as ISO 8601 text ("1997-01-01", "1997-01-01T09:30:00Z") so they sort and
// read the same in SQLite and PostgreSQL.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tenure {

// A civil date as days since 1970-01-01 (proleptic Gregorian).
struct Date {
  int32_t days = 0;
  friend auto operator<=>(const Date&, const Date&) = default;
};

// Parses "YYYY-MM-DD" exactly (also "YYYYMMDD"); nullopt when malformed or
// not a real calendar day (e.g. 1997-02-30).
std::optional<Date> ParseIsoDate(std::string_view text);

// Parses with a strptime(3) format such as "%d/%m/%Y". The whole text must be
// consumed and the day must exist.
std::optional<Date> ParseDateWithFormat(std::string_view text, const std::string& format);

// "YYYY-MM-DD".
std::string FormatDate(Date date);
// Writes "YYYY-MM-DD" into out[0..10); no terminator.
inline constexpr size_t kDateTextLength = 10;
void FormatDateTo(Date date, char* out);

Date MakeDate(int year, unsigned month, unsigned day);
// Year, month (1-12), day (1-31) of a date.
struct CivilParts {
  int year;
  unsigned month;
  unsigned day;
};
CivilParts ToCivil(Date date);
Date AddMonths(Date date, int months);

// Today's date in UTC.
Date TodayUtc();

// Seconds since the Unix epoch, UTC.
using Timestamp = int64_t;

// Parses ISO 8601 "YYYY-MM-DD[( |T)HH:MM[:SS][.fff][Z|±HH[:MM]]]". A bare date
// is midnight UTC; an offset is converted to UTC. nullopt when malformed.
std::optional<Timestamp> ParseTimestamp(std::string_view text);
// "YYYY-MM-DDTHH:MM:SSZ".
std::string FormatTimestamp(Timestamp ts);
// Writes "YYYY-MM-DDTHH:MM:SSZ" into out[0..20); no terminator.
inline constexpr size_t kTimestampTextLength = 20;
void FormatTimestampTo(Timestamp ts, char* out);
Timestamp NowUtc();
inline Date DateOf(Timestamp ts) {
  int64_t days = ts >= 0 ? ts / 86400 : -((-ts + 86399) / 86400);
  return Date{static_cast<int32_t>(days)};
}
inline Timestamp StartOf(Date date) { return static_cast<Timestamp>(date.days) * 86400; }

}  // namespace tenure
