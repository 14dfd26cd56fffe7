#include "app/config.h"

#include <fstream>
#include <functional>

#include "common/numbers.h"
#include "common/text.h"

namespace tenure::app {
namespace {

struct Option {
  const char* key;
  const char* meaning;
  std::function<bool(Config&, std::string_view)> set;
  std::function<std::string(const Config&)> get;
};

const Option kOptions[] = {
    {"currency", "ISO 4217 code of the installation's currency",
     [](Config& c, std::string_view v) {
       if (v.size() != 3) return false;
       c.currency = std::string(v);
       return true;
     },
     [](const Config& c) { return c.currency; }},
    {"currency_decimals", "digits after the decimal point of the currency (0-4)",
     [](Config& c, std::string_view v) {
       auto n = ParseInteger(v);
       if (!n || *n < 0 || *n > 4) return false;
       c.currency_decimals = static_cast<int>(*n);
       return true;
     },
     [](const Config& c) { return std::to_string(c.currency_decimals); }},
};

}  // namespace

Result<Config> LoadConfig(const std::string& path, bool optional) {
  Config config;
  std::ifstream in(path);
  if (!in) {
    if (optional) return config;
    return Status::IoError("cannot read configuration " + path);
  }
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    std::string_view text = Trim(std::string_view(line).substr(0, line.find('#')));
    if (text.empty()) continue;
    size_t eq = text.find('=');
    std::string where = path + ":" + std::to_string(number);
    if (eq == std::string_view::npos) {
      return Status::InvalidArgument(where + ": expected key = value");
    }
    std::string key = NormalizeName(text.substr(0, eq));
    std::string_view value = Trim(text.substr(eq + 1));
    const Option* option = nullptr;
    for (const Option& o : kOptions) {
      if (key == o.key) option = &o;
    }
    if (!option) return Status::InvalidArgument(where + ": unknown setting '" + key + "'", key);
    if (!option->set(config, value)) {
      return Status::InvalidArgument(
          where + ": bad value '" + std::string(value) + "' (" + option->meaning + ")", key);
    }
  }
  return config;
}

std::string DescribeConfig(const Config& config) {
  std::string out;
  for (const Option& o : kOptions) {
    out += std::string(o.key) + " = " + o.get(config) + "    # " + o.meaning + "\n";
  }
  return out;
}

}  // namespace tenure::app
