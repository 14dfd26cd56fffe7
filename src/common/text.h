// Small string helpers shared by the layers.
#pragma once

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

}  // namespace tenure
