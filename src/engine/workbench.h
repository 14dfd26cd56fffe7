// The salesperson's workbench: the lists a user works through every morning
// (whom to contact, who is overdue to buy, who is slipping away, what needs
// attention), each with its count and first page, for an explicit as-of date
// and scoped to what the user may see (engine/scope.h). docs/workbench.md
// defines every list and its thresholds.
//
// Lists built from the stored customer metrics (ordered recently, overdue,
// dormant, receivables) read them as they are now; the as-of date sets the
// thresholds they are compared with. "At risk" reads the risk of the last
// `tenure risk score` (engine/risk/risk_model.h), whatever the as-of date;
// "slipping away" the same, or before a risk model has scored, the
// purchase-model scores of the last `tenure score` (engine/scoring.h). Both
// are empty until such scores exist.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "engine/scope.h"
#include "store/database.h"
#include "store/workbench_queries.h"

namespace tenure::engine {

// Thresholds, in days unless said otherwise; the CLI copies them from
// app::Config (same names), where their defaults are documented.
struct WorkbenchOptions {
  Date as_of;
  int page_size = 20;  // rows per list; 0 gives counts only
  std::string list;    // only the list of this name; empty: every list
  int recent_order_days = 30;
  int overdue_grace_days = 14;
  double dormant_cycle_multiple = 3.0;
  int dormant_default_days = 365;
  int new_customer_days = 30;
  int updated_customer_days = 7;
  int lost_opportunity_days = 30;
  // "At risk" and "slipping away": a customer whose probability of being
  // lost is at least this; 0..1.
  double at_risk_probability = 0.5;
  std::array<int, 4> complaint_deadline_hours = {168, 72, 24, 8};  // by domain::Severity
};

struct WorkbenchList {
  std::string name;   // e.g. "contact_today"; see WorkbenchListNames()
  std::string title;  // e.g. "To contact today"
  // The window of the date that puts a row on the list (closed range, ISO
  // dates); empty when open on that side.
  std::string from;
  std::string to;
  int64_t count = 0;                      // rows in the whole list
  std::vector<store::WorkbenchRow> rows;  // the first page
  std::vector<store::YearCount> by_year;  // "lost": counts by year, latest first
};

struct Workbench {
  Date as_of;
  Scope scope;
  std::vector<WorkbenchList> lists;
};

// The names of the lists, in the order they are shown.
std::span<const std::string_view> WorkbenchListNames();

// Builds every list (or options.list alone) for `scope`. Errors:
// kInvalidArgument naming "--list" for an unknown list, "--page-size" for a
// negative page size, "at_risk_probability" for one outside 0..1; store errors.
Result<Workbench> BuildWorkbench(store::Database& db, const Scope& scope,
                                 const WorkbenchOptions& options);

}  // namespace tenure::engine
