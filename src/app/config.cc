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

// A whole number of days (or rows) from 1 to 100,000.
Option DaysOption(const char* key, const char* meaning, int Config::*field) {
  return {key, meaning,
          [field](Config& c, std::string_view v) {
            auto n = ParseInteger(v);
            if (!n || *n < 1 || *n > 100000) return false;
            c.*field = static_cast<int>(*n);
            return true;
          },
          [field](const Config& c) { return std::to_string(c.*field); }};
}

// A whole number from `min` to `max`.
Option IntOption(const char* key, const char* meaning, int Config::*field, int min, int max) {
  return {key, meaning,
          [field, min, max](Config& c, std::string_view v) {
            auto n = ParseInteger(v);
            if (!n || *n < min || *n > max) return false;
            c.*field = static_cast<int>(*n);
            return true;
          },
          [field](const Config& c) { return std::to_string(c.*field); }};
}

// Hours to resolve a complaint of one severity, 1 to 100,000.
Option HoursOption(const char* key, int severity) {
  return {
      key, "complaints: hours to resolve one of this severity",
      [severity](Config& c, std::string_view v) {
        auto n = ParseInteger(v);
        if (!n || *n < 1 || *n > 100000) return false;
        c.complaint_deadline_hours[severity] = static_cast<int>(*n);
        return true;
      },
      [severity](const Config& c) { return std::to_string(c.complaint_deadline_hours[severity]); }};
}

// A credit rating threshold: a whole number from `min` to `max`.
Option CreditOption(const char* key, const char* meaning, int engine::CreditRules::*field, int min,
                    int max) {
  return {key, meaning,
          [field, min, max](Config& c, std::string_view v) {
            auto n = ParseInteger(v);
            if (!n || *n < min || *n > max) return false;
            c.credit_rules.*field = static_cast<int>(*n);
            return true;
          },
          [field](const Config& c) { return std::to_string(c.credit_rules.*field); }};
}

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
    DaysOption("recent_order_days", "workbench: an order within this many days is recent",
               &Config::recent_order_days),
    DaysOption("overdue_grace_days",
               "workbench: days past the estimated next purchase date before a customer is overdue",
               &Config::overdue_grace_days),
    {"dormant_cycle_multiple",
     "workbench: a customer with no order for this many average purchase cycles is dormant",
     [](Config& c, std::string_view v) {
       auto d = ParseDecimal(v);
       if (!d || *d <= 0 || *d > 100) return false;
       c.dormant_cycle_multiple = *d;
       return true;
     },
     [](const Config& c) { return FormatDecimal(c.dormant_cycle_multiple); }},
    DaysOption("dormant_default_days",
               "workbench: days without an order before a customer with no cycle is dormant",
               &Config::dormant_default_days),
    DaysOption("new_customer_days", "workbench: a customer created within this many days is new",
               &Config::new_customer_days),
    DaysOption("updated_customer_days",
               "workbench: a customer changed within this many days is updated",
               &Config::updated_customer_days),
    DaysOption("lost_opportunity_days",
               "workbench: an opportunity lost within this many days is recent",
               &Config::lost_opportunity_days),
    {"at_risk_probability",
     "workbench: a customer not lost whose probability of being lost (the risk model's; before"
     " one is trained, of no purchase in 90 days) is at least this (0-1) is at risk and slipping"
     " away",
     [](Config& c, std::string_view v) {
       auto d = ParseDecimal(v);
       if (!d || *d < 0 || *d > 1) return false;
       c.at_risk_probability = *d;
       return true;
     },
     [](const Config& c) { return FormatDecimal(c.at_risk_probability); }},
    DaysOption("workbench_page_size", "workbench: rows shown per list",
               &Config::workbench_page_size),
    {"playbooks_file", "playbooks: the rules file (docs/playbooks.md)",
     [](Config& c, std::string_view v) {
       c.playbooks_file = std::string(v);
       return !v.empty();
     },
     [](const Config& c) { return c.playbooks_file; }},
    IntOption("playbooks_hour",
              "playbooks: the hour (UTC, 0-23) tenure serve runs them every day; -1: never",
              &Config::playbooks_hour, -1, 23),
    {"listen",
     "server: address and port tenure serve listens on without --listen (HOST:PORT, port 0-65535)",
     [](Config& c, std::string_view v) {
       size_t colon = v.rfind(':');
       if (colon == std::string_view::npos || colon == 0) return false;
       auto port = ParseInteger(v.substr(colon + 1));
       if (!port || *port < 0 || *port > 65535) return false;
       c.listen = std::string(v);
       return true;
     },
     [](const Config& c) { return c.listen; }},
    IntOption("busy_timeout_ms",
              "server: milliseconds a write waits for another's write lock (an import) before "
              "it is answered 503 with Retry-After",
              &Config::busy_timeout_ms, 0, 600000),
    IntOption("head_timeout_ms",
              "server: milliseconds a client has to send a request's whole head; one that has "
              "not is dropped",
              &Config::head_timeout_ms, 100, 600000),
    IntOption("body_timeout_ms",
              "server: milliseconds a client has to send a request's body after its head",
              &Config::body_timeout_ms, 100, 3600000),
    IntOption("max_connections", "server: open connections at most (503 above)",
              &Config::max_connections, 1, 1000000),
    IntOption("max_connections_per_address",
              "server: open connections at most from one address (503 above)",
              &Config::max_connections_per_address, 1, 1000000),
    HoursOption("complaint_deadline_hours_low", 0),
    HoursOption("complaint_deadline_hours_medium", 1),
    HoursOption("complaint_deadline_hours_high", 2),
    HoursOption("complaint_deadline_hours_critical", 3),
    {"credit_policy",
     "credit: an order over the credit limit is flagged (flag) or refused (refuse)",
     [](Config& c, std::string_view v) {
       std::string name = NormalizeName(v);
       if (name == "flag") return c.credit_policy = Config::CreditPolicy::kFlag, true;
       if (name == "refuse") return c.credit_policy = Config::CreditPolicy::kRefuse, true;
       return false;
     },
     [](const Config& c) {
       return std::string(c.credit_policy == Config::CreditPolicy::kFlag ? "flag" : "refuse");
     }},
    CreditOption("credit_d_overdue_days",
                 "credit: rating D when an open balance is more than this many days past due",
                 &engine::CreditRules::d_overdue_days, 1, 100000),
    {"credit_d_on_default", "credit: rating D for a customer lost as a defaulter (yes or no)",
     [](Config& c, std::string_view v) {
       std::string name = NormalizeName(v);
       bool yes = name == "yes" || name == "true" || name == "1";
       if (!yes && name != "no" && name != "false" && name != "0") return false;
       c.credit_rules.d_on_default = yes;
       return true;
     },
     [](const Config& c) { return std::string(c.credit_rules.d_on_default ? "yes" : "no"); }},
    CreditOption("credit_c_overdue_days",
                 "credit: rating C when an open balance is more than this many days past due",
                 &engine::CreditRules::c_overdue_days, 1, 100000),
    CreditOption("credit_c_limit_use_percent",
                 "credit: rating C when open balances exceed this percentage of the credit limit",
                 &engine::CreditRules::c_limit_use_percent, 1, 100000),
    CreditOption("credit_b_late_window_days",
                 "credit: rating B for a late payment within this many days",
                 &engine::CreditRules::b_late_window_days, 1, 100000),
    CreditOption("credit_b_late_grace_days",
                 "credit: a payment (or balance) this many days past due is not yet late",
                 &engine::CreditRules::b_late_grace_days, 0, 100000),
    CreditOption("credit_b_limit_use_percent",
                 "credit: rating B when open balances exceed this percentage of the credit limit",
                 &engine::CreditRules::b_limit_use_percent, 1, 100000),
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

engine::WorkbenchOptions WorkbenchOptionsOf(const Config& config) {
  engine::WorkbenchOptions options;
  options.page_size = config.workbench_page_size;
  options.recent_order_days = config.recent_order_days;
  options.overdue_grace_days = config.overdue_grace_days;
  options.dormant_cycle_multiple = config.dormant_cycle_multiple;
  options.dormant_default_days = config.dormant_default_days;
  options.new_customer_days = config.new_customer_days;
  options.updated_customer_days = config.updated_customer_days;
  options.lost_opportunity_days = config.lost_opportunity_days;
  options.at_risk_probability = config.at_risk_probability;
  options.complaint_deadline_hours = config.complaint_deadline_hours;
  return options;
}

std::string DescribeConfig(const Config& config) {
  std::string out;
  for (const Option& o : kOptions) {
    out += std::string(o.key) + " = " + o.get(config) + "    # " + o.meaning + "\n";
  }
  return out;
}

}  // namespace tenure::app
