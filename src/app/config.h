// Installation settings: one table of options, each with its default and
// meaning. Loaded once by the CLI and passed down; there are no globals.
#pragma once

#include <string>

#include "common/status.h"

namespace tenure::app {

struct Config {
  // ISO 4217 code of the installation's one currency. Default: USD.
  std::string currency = "USD";
  // Digits after the decimal point of that currency (2 for cents, 0 for yen).
  int currency_decimals = 2;
};

// Reads `key = value` lines ('#' starts a comment) over the defaults. A
// missing file is not an error when `optional`. Errors: kInvalidArgument naming
// the file, line and key for an unknown key or a bad value; kIoError.
Result<Config> LoadConfig(const std::string& path, bool optional);

// The option table as text, for `tenure config`.
std::string DescribeConfig(const Config& config);

}  // namespace tenure::app
