#include "common/numbers.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace tenure {

std::optional<Money> ParseMoney(std::string_view text, int decimals, std::string* error) {
  auto fail = [&](const char* reason) -> std::optional<Money> {
    if (error) *error = reason;
    return std::nullopt;
  };
  if (text.empty()) return fail("empty amount");
  bool negative = false;
  size_t pos = 0;
  if (text[0] == '-' || text[0] == '+') {
    negative = text[0] == '-';
    pos = 1;
  }
  constexpr int64_t kLimit = std::numeric_limits<int64_t>::max() / 10 - 10;
  int64_t whole = 0;
  size_t int_digits = 0;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    if (whole > kLimit) return fail("amount out of range");
    whole = whole * 10 + (text[pos] - '0');
    ++pos;
    ++int_digits;
  }
  int64_t frac = 0;
  int frac_digits = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (frac_digits == decimals) {
        // Trailing zeros beyond the currency's precision are harmless ("1.500").
        if (text[pos] != '0') return fail("more decimal places than the currency has");
      } else {
        frac = frac * 10 + (text[pos] - '0');
        ++frac_digits;
      }
      ++pos;
    }
    if (int_digits == 0 && frac_digits == 0) return fail("not a number");
  } else if (int_digits == 0) {
    return fail("not a number");
  }
  if (pos != text.size()) return fail("not a number");
  int64_t scale = 1;
  for (int i = 0; i < decimals; ++i) {
    if (whole > kLimit) return fail("amount out of range");
    whole *= 10;
    scale *= 10;
  }
  for (int i = frac_digits; i < decimals; ++i) frac *= 10;
  // The whole part scaled may leave less room than the fraction needs
  // ("9223372036854775.89" in thousandths): found by parse_fuzz.
  int64_t value = 0;
  if (__builtin_add_overflow(whole, frac, &value)) return fail("amount out of range");
  return negative ? -value : value;
}

std::string FormatMoney(Money amount, int decimals) {
  bool negative = amount < 0;
  uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(amount) : static_cast<uint64_t>(amount);
  uint64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  std::string out = negative ? "-" : "";
  out += std::to_string(magnitude / scale);
  if (decimals > 0) {
    std::string frac = std::to_string(magnitude % scale);
    out += '.';
    out.append(static_cast<size_t>(decimals) - frac.size(), '0');
    out += frac;
  }
  return out;
}

std::optional<int64_t> ParseInteger(std::string_view text) {
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::optional<double> ParseDecimal(std::string_view text) {
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty() ||
      !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::string FormatDecimal(double value) {
  char buf[32];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, ec == std::errc() ? ptr : buf);
}

}  // namespace tenure
