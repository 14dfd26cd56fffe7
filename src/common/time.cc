#include "common/time.h"

#include <chrono>
#include <cstring>
#include <ctime>

namespace tenure {
namespace {

namespace chr = std::chrono;

bool ParseDigits(std::string_view text, size_t pos, size_t count, int& out) {
  if (pos + count > text.size()) return false;
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  out = value;
  return true;
}

std::optional<Date> FromParts(int year, int month, int day) {
  chr::year_month_day ymd{chr::year{year}, chr::month{static_cast<unsigned>(month)},
                          chr::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;
  return Date{static_cast<int32_t>(chr::sys_days{ymd}.time_since_epoch().count())};
}

}  // namespace

std::optional<Date> ParseIsoDate(std::string_view text) {
  int year, month, day;
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    if (!ParseDigits(text, 0, 4, year) || !ParseDigits(text, 5, 2, month) ||
        !ParseDigits(text, 8, 2, day)) {
      return std::nullopt;
    }
  } else if (text.size() == 8) {
    if (!ParseDigits(text, 0, 4, year) || !ParseDigits(text, 4, 2, month) ||
        !ParseDigits(text, 6, 2, day)) {
      return std::nullopt;
    }
  } else {
    return std::nullopt;
  }
  return FromParts(year, month, day);
}

std::optional<Date> ParseDateWithFormat(std::string_view text, const std::string& format) {
  std::string copy(text);
  std::tm tm{};
  tm.tm_mday = 0;
  const char* end = strptime(copy.c_str(), format.c_str(), &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return FromParts(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

Date MakeDate(int year, unsigned month, unsigned day) {
  chr::year_month_day ymd{chr::year{year}, chr::month{month}, chr::day{day}};
  return Date{static_cast<int32_t>(chr::sys_days{ymd}.time_since_epoch().count())};
}

CivilParts ToCivil(Date date) {
  chr::year_month_day ymd{chr::sys_days{chr::days{date.days}}};
  return {static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
          static_cast<unsigned>(ymd.day())};
}

Date AddMonths(Date date, int months) {
  chr::year_month_day ymd{chr::sys_days{chr::days{date.days}}};
  chr::year_month_day moved = ymd + chr::months{months};
  if (!moved.ok()) moved = moved.year() / moved.month() / chr::last;  // clamp Jan 31 + 1 month
  return Date{static_cast<int32_t>(chr::sys_days{moved}.time_since_epoch().count())};
}

void FormatDateTo(Date date, char* out) {
  CivilParts p = ToCivil(date);
  int y = p.year;
  out[0] = static_cast<char>('0' + (y / 1000) % 10);
  out[1] = static_cast<char>('0' + (y / 100) % 10);
  out[2] = static_cast<char>('0' + (y / 10) % 10);
  out[3] = static_cast<char>('0' + y % 10);
  out[4] = '-';
  out[5] = static_cast<char>('0' + p.month / 10);
  out[6] = static_cast<char>('0' + p.month % 10);
  out[7] = '-';
  out[8] = static_cast<char>('0' + p.day / 10);
  out[9] = static_cast<char>('0' + p.day % 10);
}

std::string FormatDate(Date date) {
  std::string out(kDateTextLength, ' ');
  FormatDateTo(date, out.data());
  return out;
}

Date TodayUtc() { return DateOf(NowUtc()); }

Timestamp NowUtc() {
  return chr::duration_cast<chr::seconds>(chr::system_clock::now().time_since_epoch()).count();
}

std::optional<Timestamp> ParseTimestamp(std::string_view text) {
  if (text.size() < 10) return std::nullopt;
  std::optional<Date> date = ParseIsoDate(text.substr(0, 10));
  if (!date) return std::nullopt;
  Timestamp ts = StartOf(*date);
  if (text.size() == 10) return ts;
  if (text[10] != 'T' && text[10] != ' ' && text[10] != 't') return std::nullopt;
  int hour, minute, second = 0;
  size_t pos = 11;
  if (!ParseDigits(text, pos, 2, hour) || pos + 2 >= text.size() || text[pos + 2] != ':' ||
      !ParseDigits(text, pos + 3, 2, minute)) {
    return std::nullopt;
  }
  pos += 5;
  if (pos < text.size() && text[pos] == ':') {
    if (!ParseDigits(text, pos + 1, 2, second)) return std::nullopt;
    pos += 3;
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {  // fraction: dropped
      ++pos;
      size_t digits = 0;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos, ++digits;
      if (digits == 0) return std::nullopt;
    }
  }
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  ts += hour * 3600 + minute * 60 + second;
  if (pos == text.size()) return ts;
  if ((text[pos] == 'Z' || text[pos] == 'z') && pos + 1 == text.size()) return ts;
  if (text[pos] == '+' || text[pos] == '-') {
    int sign = text[pos] == '+' ? 1 : -1;
    int off_h, off_m = 0;
    if (!ParseDigits(text, pos + 1, 2, off_h)) return std::nullopt;
    size_t rest = pos + 3;
    if (rest < text.size()) {
      if (text[rest] == ':') ++rest;
      if (!ParseDigits(text, rest, 2, off_m) || rest + 2 != text.size()) return std::nullopt;
    }
    if (off_h > 23 || off_m > 59) return std::nullopt;
    return ts - sign * (off_h * 3600 + off_m * 60);
  }
  return std::nullopt;
}

void FormatTimestampTo(Timestamp ts, char* out) {
  Date date = DateOf(ts);
  int64_t secs = ts - StartOf(date);
  FormatDateTo(date, out);
  auto two = [](char* at, int64_t n) {
    at[0] = static_cast<char>('0' + n / 10);
    at[1] = static_cast<char>('0' + n % 10);
  };
  out[10] = 'T';
  two(out + 11, secs / 3600);
  out[13] = ':';
  two(out + 14, secs / 60 % 60);
  out[16] = ':';
  two(out + 17, secs % 60);
  out[19] = 'Z';
}

std::string FormatTimestamp(Timestamp ts) {
  std::string out(kTimestampTextLength, '\0');
  FormatTimestampTo(ts, out.data());
  return out;
}

}  // namespace tenure
