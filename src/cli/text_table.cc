#include "cli/text_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace tenure::cli {

size_t TextWidth(std::string_view text) {
  return std::ranges::count_if(
      text, [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

std::string Shorten(std::string_view text, size_t width) {
  if (TextWidth(text) <= width) return std::string(text);
  if (width == 0) return std::string();
  // Keep width - 1 characters and the ellipsis.
  size_t kept = 0;
  size_t end = 0;
  for (; end < text.size(); ++end) {
    bool starts = (static_cast<unsigned char>(text[end]) & 0xC0) != 0x80;
    if (starts && kept++ == width - 1) break;
  }
  return std::string(text.substr(0, end)) + "…";
}

void TextTable::AddRow(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  for (size_t c = 0; c < cells.size(); ++c) {
    std::ranges::replace(cells[c], '\n', ' ');
    std::ranges::replace(cells[c], '\r', ' ');
    std::ranges::replace(cells[c], '\t', ' ');
    if (columns_[c].max_width > 0) cells[c] = Shorten(cells[c], columns_[c].max_width);
  }
  rows_.push_back(std::move(cells));
}

void TextTable::Print(std::FILE* out, std::string_view indent) const {
  std::vector<size_t> width(columns_.size());
  for (size_t c = 0; c < columns_.size(); ++c) {
    width[c] = TextWidth(columns_[c].title);
    for (const auto& row : rows_) width[c] = std::max(width[c], TextWidth(row[c]));
  }
  auto line = [&](auto cell_of) {
    std::string text(indent);
    for (size_t c = 0; c < columns_.size(); ++c) {
      const std::string& cell = cell_of(c);
      std::string pad(width[c] - TextWidth(cell), ' ');
      if (c > 0) text += "  ";
      text += columns_[c].right ? pad + cell : cell + pad;
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    fmt::print(out, "{}\n", text);
  };
  line([&](size_t c) -> const std::string& { return columns_[c].title; });
  for (const auto& row : rows_) {
    line([&](size_t c) -> const std::string& { return row[c]; });
  }
}

}  // namespace tenure::cli
