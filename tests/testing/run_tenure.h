// Runs the `tenure` binary under test (TENURE_BINARY, testing/paths.h)
// as a user would, and captures what it printed and its exit code.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "testing/paths.h"

namespace tenure::testing {

struct Outcome {
  int code;
  std::string output;  // stdout, and stderr too unless left out
};

// Runs `tenure ARGS`; with `with_stderr` false, stderr is dropped (for output
// that must parse as JSON or CSV).
inline Outcome Tenure(const std::string& args, bool with_stderr = true) {
  std::string command =
      std::string(TENURE_BINARY) + " " + args + (with_stderr ? " 2>&1" : " 2>/dev/null");
  FILE* pipe = popen(command.c_str(), "r");
  Outcome run{-1, ""};
  if (pipe == nullptr) return run;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) run.output.append(buffer, n);
  int status = pclose(pipe);
  run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

// Runs `tenure ARGS` for a command that prints JSON: fails the test unless it
// exits 0 with JSON on stdout, and returns it parsed (discarded otherwise).
inline nlohmann::json TenureJson(const std::string& args) {
  Outcome run = Tenure(args, /*with_stderr=*/false);
  EXPECT_EQ(run.code, 0) << args << "\n" << run.output;
  nlohmann::json parsed = nlohmann::json::parse(run.output, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(parsed.is_discarded()) << args << "\n" << run.output;
  return parsed;
}

// The lines of a command's output.
inline std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The cells of a line of a table the CLI prints (cli/text_table.h):
// separated by two spaces or more, the indent dropped.
inline std::vector<std::string> Cells(const std::string& line) {
  static const std::regex kGap(" {2,}");
  std::vector<std::string> cells;
  std::sregex_token_iterator it(line.begin(), line.end(), kGap, -1), end;
  for (; it != end; ++it) {
    if (!it->str().empty()) cells.push_back(*it);
  }
  return cells;
}

// The rows of the first table in `text` whose header row is `header`: the
// lines after it, until one with a different number of cells (a blank line,
// a count); nullopt when no line is that header row.
inline std::optional<std::vector<std::vector<std::string>>> TableUnder(
    const std::string& text, const std::vector<std::string>& header) {
  std::vector<std::string> lines = Lines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    if (Cells(lines[i]) != header) continue;
    std::vector<std::vector<std::string>> rows;
    for (size_t j = i + 1; j < lines.size(); ++j) {
      std::vector<std::string> cells = Cells(lines[j]);
      if (cells.size() != header.size()) break;
      rows.push_back(std::move(cells));
    }
    return rows;
  }
  return std::nullopt;
}

}  // namespace tenure::testing
