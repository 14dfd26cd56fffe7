// Transaction log -> per-customer calibration summary: the (x, t_x, T, m_x)
// columns the purchase models (BG/NBD, Pareto/NBD, Gamma-Gamma) are fitted
// on, plus the holdout counts their forecasts are checked against.
//
// Conventions are those of Fader, Hardie & Lee (2005) and the BTYD package:
// a customer's purchases on one day are merged into one transaction (amounts
// summed); the first purchase is "birth" and not a repeat purchase; time is
// counted in units of `days_per_unit` days from the first purchase.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/status.h"

namespace tenure::analytics {

// A transaction log as parallel columns (row i is one purchase). The caller
// owns the memory; it only has to outlive the call that reads it.
struct TransactionColumns {
  // Dense customer index, 0 <= customer < (number of customers), e.g. from
  // an IdIndex. Memory used is proportional to the largest index.
  std::span<const int32_t> customer;
  // Purchase date as a day number (tenure::Date::days).
  std::span<const int32_t> day;
  // Purchase value, >= 0, in any unit (the summary averages it).
  std::span<const double> amount;
};

struct SummaryOptions {
  // Last day (inclusive) of the calibration period. Required.
  int32_t calibration_end_day = 0;
  // Length of the model's time unit in days: 7 for weeks (the literature's
  // choice for CDNOW), 1 for days. Must be > 0.
  double days_per_unit = 7;
  // Last day (inclusive) of the holdout period; when set it must be after
  // the calibration end. Default: the last day in the log, and no holdout
  // (empty holdout columns) when the log ends by the calibration end.
  std::optional<int32_t> holdout_end_day;
};

// One row per customer whose first purchase is on or before the calibration
// end, in increasing customer index. Customers with no purchase, or whose
// first purchase is after the calibration end, have no row: they are not yet
// "born" in the calibration period, so the models cannot say anything about
// them. `customer` maps each row back to its index, and
// `customers_born_after_calibration` counts the ones left out that way.
struct CustomerSummary {
  std::vector<int32_t> customer;
  // Repeat frequency: distinct purchase days in the calibration period,
  // minus one (the first purchase).
  std::vector<double> x;
  // Recency: last calibration purchase day - first purchase day, in units.
  std::vector<double> t_x;
  // Age: calibration end day - first purchase day, in units.
  std::vector<double> T;
  // Mean value of the repeat (merged) calibration transactions; 0 when
  // x = 0 (as in Hardie's summary).
  std::vector<double> m_x;
  // Repeat transactions (merged days) after the calibration end up to the
  // holdout end, and the holdout length in units (the same for every row).
  // Both empty when there is no holdout period.
  std::vector<double> holdout_x;
  std::vector<double> holdout_length;
  int64_t customers_born_after_calibration = 0;
};

// Summarises `log` in O(n + customers), without a comparison sort of the
// whole log: a log already grouped by customer (ORDER BY customer) is read
// in place in one pass; any other is first bucketed by customer with a
// stable counting sort (about 28 bytes of scratch per transaction). Within
// a customer, purchases are sorted by day only when they are not already in
// order. Reentrant; `log` must not change during the call.
//
// Errors (kInvalidArgument, field naming the column or option): the
// columns are empty or of different lengths, there are 2^32 or more rows,
// a customer index or an amount is negative, an amount is not finite,
// days_per_unit is not positive, or holdout_end_day is set but not after
// the calibration end.
Result<CustomerSummary> SummarizeTransactions(const TransactionColumns& log,
                                              const SummaryOptions& options);

}  // namespace tenure::analytics
