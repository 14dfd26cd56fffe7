// Small string helpers shared by the layers.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tenure {

// Removes leading and trailing ASCII whitespace.
std::string_view Trim(std::string_view text);

// Lower-cases ASCII letters and turns spaces, hyphens and dots into '_', so
// "Order Date", "order-date" and "ORDER_DATE" all read "order_date".
std::string NormalizeName(std::string_view text);

// Splits on `separator`, trimming each part; empty parts are dropped.
std::vector<std::string> SplitList(std::string_view text, char separator);

// "1234567" -> "1,234,567".
std::string GroupThousands(long long value);

// The length of the well-formed UTF-8 sequence at the start of `text` (RFC
// 3629: no overlong forms, no surrogates, nothing past U+10FFFF); 0 when the
// bytes there are not one, or `text` is empty.
size_t Utf8SequenceLength(std::string_view text);

// The offset of the first byte of `text` that is not part of well-formed
// UTF-8; nullopt when all of it is. ASCII is checked eight bytes at a time.
std::optional<size_t> InvalidUtf8Offset(std::string_view text);

// `text` with each byte that is not part of well-formed UTF-8 replaced by
// U+FFFD, the replacement character.
std::string RepairUtf8(std::string_view text);

// The offset of the first control character of `text` (below U+0020, or
// DEL), sparing tab, line feed and carriage return when `multi_line`;
// nullopt when there is none.
std::optional<size_t> ControlCharOffset(std::string_view text, bool multi_line);

}  // namespace tenure
