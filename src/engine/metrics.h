// Derived customer metrics (docs/metrics.md): first and last order date, order
// count, cumulative sales, gross profit, average purchase cycle, estimated
// next purchase date, last contact, receivables; and the window of the open
// follow-ups' dates, which the follow-up lists use to skip customers.
//
// They are stored on the customer row so that the workbench and reports are
// indexed queries. Every write that changes a customer's orders, invoices or
// activities calls RefreshMetrics for the customers it touched, inside its own
// transaction; RebuildMetrics recomputes everything from scratch (`tenure
// metrics rebuild`) and must give the same result.
//
// Stored columns never depend on "today". Metrics that age (days since last
// contact, overdue receivables, overdue to buy) are computed when read, for an
// explicit as-of date: see LoadMetrics.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/numbers.h"
#include "common/status.h"
#include "common/time.h"
#include "store/customer_metrics.h"
#include "store/database.h"

namespace tenure::engine {

// One customer's stored metric columns, built from its rows by the formulas
// of docs/metrics.md. The one computation behind RefreshMetrics,
// RefreshAllMetrics and the demo generator (which fills the metrics of the
// customers it makes from their rows as it makes them).
class MetricsAccumulator {
 public:
  // An order that is not cancelled, with its ISO date; orders must come in
  // date order. An unknown cost counts as 0 in the gross profit.
  void AddOrder(std::string_view order_date, Money amount, std::optional<Money> cost);
  // What returns credited to the customer, and the cost of the goods that
  // came back: taken off cumulative sales and gross profit. A return is no
  // purchase: order days and the cycle stay.
  void AddReturns(Money amount, Money cost);
  // An activity (a contact) at `at`.
  void AddContact(Timestamp at);
  // An open invoice balance (amount - paid, when paid < amount), or the sum
  // of several with `due_on` the earliest of their due dates.
  void AddOpenBalance(Money open, std::string_view due_on);
  // An open follow-up (an activity not done) due on `on`, an ISO date; or
  // the earliest and latest of several.
  void AddOpenFollowUp(std::string_view on) { AddOpenFollowUps(on, on); }
  void AddOpenFollowUps(std::string_view first, std::string_view last);
  // The columns, with the purchase cycle and next purchase date derived.
  store::MetricColumns Finish() const;

 private:
  store::MetricColumns m_;
};

// Recomputes the stored metrics of `customer_ids` from their rows. Ids that
// name no customer are ignored. REQUIRES: a transaction is open on `db` (the
// caller's: the metrics then commit or roll back with the write).
Status RefreshMetrics(store::Database& db, std::span<const int64_t> customer_ids);

// After an import: the metrics of `customers` (sorted and deduplicated in
// place) row by row through the indexes when they are few, in one pass over
// every customer when they are more than a quarter of all (a bulk load),
// which is faster then.
Status RefreshMetricsAfterImport(store::Database& db, std::vector<int64_t>& customers);

// Recomputes the stored metrics of every customer in one pass over the
// orders, activities and invoices (faster than RefreshMetrics when most
// customers are touched, as after a bulk load). When most customers change,
// the customers' indexes on metric columns are dropped and built again after
// the writes. Returns the number of customers whose stored metrics changed.
// REQUIRES: a transaction is open.
Result<int64_t> RefreshAllMetrics(store::Database& db);

// What RebuildMetrics changed: the number of customers whose stored metrics
// differed, and whose record_tables (store/record_tables.h) did.
struct MetricsRebuild {
  int64_t metrics_changed = 0;
  int64_t record_tables_changed = 0;
};

// Recomputes the stored metrics and the record_tables of every customer, in
// one transaction of its own.
Result<MetricsRebuild> RebuildMetrics(store::Database& db);

// One customer's metrics as of a date. Unknown values are nullopt.
struct CustomerMetrics {
  std::optional<Date> first_order_date;
  std::optional<Date> last_order_date;
  int64_t order_count = 0;
  int64_t order_days = 0;  // distinct order dates
  Money cumulative_sales = 0;
  Money gross_profit = 0;  // sum of amount - cost (cost unknown counts as 0)
  std::optional<double> average_purchase_cycle_days;
  std::optional<Date> next_purchase_date;
  // as_of - next_purchase_date when positive, else 0; nullopt without a cycle.
  std::optional<int64_t> days_overdue_to_buy;
  std::optional<Timestamp> last_contact_at;
  std::optional<int64_t> days_since_last_contact;
  Money receivables = 0;          // open invoice balances (amount - paid)
  Money overdue_receivables = 0;  // of those, due before as_of
  std::optional<Date> oldest_open_due_on;
};

// Reads the stored metrics of one customer and the as-of ones. Errors:
// kNotFound when there is no such customer.
Result<CustomerMetrics> LoadMetrics(store::Database& db, int64_t customer_id, Date as_of);

}  // namespace tenure::engine
