// Runs the `tenure` binary under test (TENURE_BINARY, testing/paths.h)
// as a user would, and captures what it printed and its exit code.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

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

}  // namespace tenure::testing
