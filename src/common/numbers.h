// Parsing and formatting of the numbers users type: money in minor units
// (cents, never floating point), integers and plain decimals.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tenure {

// Amounts are integer minor units of the installation's currency.
using Money = int64_t;

// Parses "1234", "-12.5", "12.50", "+3.07" into minor units with `decimals`
// fractional digits (2 for cents). Rejects more fractional digits than the
// currency has, exponents, thousands separators and empty text. Sets `error`
// to a short reason on failure.
std::optional<Money> ParseMoney(std::string_view text, int decimals, std::string* error);

// "1234.50", "-0.07" for decimals = 2.
std::string FormatMoney(Money amount, int decimals);

// A whole number; rejects fractions and trailing text.
std::optional<int64_t> ParseInteger(std::string_view text);

// A finite decimal such as "2", "0.5", "-1e3".
std::optional<double> ParseDecimal(std::string_view text);

// Shortest text that reads back to the same double ("3", "0.25").
std::string FormatDecimal(double value);

}  // namespace tenure
