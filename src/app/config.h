// Installation settings: one table of options, each with its default and
// meaning. Loaded once by the CLI and passed down; there are no globals.
#pragma once

#include <array>
#include <string>

#include "common/status.h"
#include "engine/credit.h"
#include "engine/workbench.h"

namespace tenure::app {

struct Config {
  // ISO 4217 code of the installation's one currency. Default: USD.
  std::string currency = "USD";
  // Digits after the decimal point of that currency (2 for cents, 0 for yen).
  int currency_decimals = 2;

  // Workbench thresholds (docs/workbench.md), in days unless said otherwise.
  int recent_order_days = 30;           // "ordered recently": last order within this many days
  int overdue_grace_days = 14;          // past the estimated next purchase date by more than this
  double dormant_cycle_multiple = 3.0;  // dormant: no order for this many average cycles
  int dormant_default_days = 365;       // dormant, for customers with no cycle (one order day)
  int new_customer_days = 30;           // "new": created within this many days
  int updated_customer_days = 7;        // "updated": changed within this many days
  int lost_opportunity_days = 30;       // "lost an opportunity": closed lost within this many days
  double at_risk_probability = 0.5;     // "at risk", "slipping away": P(lost) at least this (0-1)
  int workbench_page_size = 20;         // rows shown per list

  // Playbooks (docs/playbooks.md): the rules file, and the hour (UTC, 0-23)
  // at which `tenure serve` runs them every day; -1: no daily run.
  std::string playbooks_file;
  int playbooks_hour = -1;

  // The server: the address and port `tenure serve` listens on when no
  // --listen is given (HOST:PORT; port 0: any free one).
  std::string listen = "127.0.0.1:8080";
  // The server: milliseconds a write waits for another connection's write
  // lock (a long import, a score run) before it is answered 503.
  int busy_timeout_ms = 5000;
  // The server: a client has this long to send a request's whole head, and
  // then its body; one that does not is dropped (slow clients).
  int head_timeout_ms = 10000;
  int body_timeout_ms = 60000;
  // The server: open connections at most, in all and from one address.
  int max_connections = 10000;
  int max_connections_per_address = 512;

  // Complaints: hours to resolve, by severity (low, medium, high, critical).
  std::array<int, 4> complaint_deadline_hours = {168, 72, 24, 8};

  // Credit: whether an order that would take a customer over the credit limit
  // is only flagged (kept, and listed) or refused.
  enum class CreditPolicy { kFlag, kRefuse };
  CreditPolicy credit_policy = CreditPolicy::kFlag;
  // Credit: the thresholds of the ratings A-D (docs/credit.md).
  engine::CreditRules credit_rules;
};

// Reads `key = value` lines ('#' starts a comment) over the defaults. A
// missing file is not an error when `optional`. Errors: kInvalidArgument naming
// the file, line and key for an unknown key or a bad value; kIoError.
Result<Config> LoadConfig(const std::string& path, bool optional);

// The workbench thresholds of `config` (as_of, list and page size as the
// config says; callers set them per request).
engine::WorkbenchOptions WorkbenchOptionsOf(const Config& config);

// The option table as text, for `tenure config`.
std::string DescribeConfig(const Config& config);

}  // namespace tenure::app
