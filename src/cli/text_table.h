// The tables the `tenure` command prints: a header row, then a line per
// row, each column as wide as its widest cell (in characters, not bytes),
// numbers right-aligned, trailing blanks trimmed.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace tenure::cli {

struct TextColumn {
  std::string title;
  bool right = false;    // right-aligned (numbers)
  size_t max_width = 0;  // 0: any width; else longer cells are cut and end with "…"
};

class TextTable {
 public:
  explicit TextTable(std::vector<TextColumn> columns) : columns_(std::move(columns)) {}

  // REQUIRES: one cell per column. Line breaks in a cell print as spaces.
  void AddRow(std::vector<std::string> cells);
  size_t rows() const { return rows_.size(); }

  // Prints the header and the rows to `out`, each line after `indent`.
  void Print(std::FILE* out = stdout, std::string_view indent = "") const;

 private:
  std::vector<TextColumn> columns_;
  std::vector<std::vector<std::string>> rows_;
};

// The number of characters (UTF-8 code points) of `text`.
size_t TextWidth(std::string_view text);

// `text` cut to at most `width` characters, never inside a UTF-8 sequence;
// a cut text ends with "…".
std::string Shorten(std::string_view text, size_t width);

}  // namespace tenure::cli
