// The SQL behind the derived customer metrics. engine/metrics.cc holds the
// formulas; this file only reads their inputs and writes their results, for a
// chosen set of customers or for all, so the incremental refresh and the full
// rebuild share one computation and cannot drift apart.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/database.h"

namespace tenure::store {

// Which customers a scan covers: all, or those listed (each looked up through
// its customer_id index).
struct CustomerSet {
  bool all = false;
  std::span<const int64_t> ids;
};

// The inputs of the metrics, read in customer order (and, for orders, date
// order within a customer). Each scan calls `visit` per row and stops with its
// error. Cancelled orders (OrderStatus::kCancelled) are left out; cost is
// nullopt when unknown.
struct OrderFact {
  int64_t customer_id;
  std::string_view order_date;
  int64_t amount;
  std::optional<int64_t> cost;
};
// Returns (schema 013) by customer: what was credited and the cost of the
// goods that came back, summed.
Status ScanReturnTotals(Database& db, const CustomerSet& set,
                        const std::function<Status(int64_t, int64_t, int64_t)>& visit);
Status ScanOrderFacts(Database& db, const CustomerSet& set,
                      const std::function<Status(const OrderFact&)>& visit);
// The same for the customers whose id is in [first_id, end_id), in one range
// scan of the same index; readers on separate connections can split the
// customers by id range this way.
Status ScanOrderFactsInRange(Database& db, int64_t first_id, int64_t end_id,
                             const std::function<Status(const OrderFact&)>& visit);
// The latest activity time of each customer that has one.
Status ScanLastContacts(Database& db, const CustomerSet& set,
                        const std::function<Status(int64_t customer, int64_t at)>& visit);
// Open invoice balances (amount - paid, where paid < amount): their sum and
// the earliest due date, per customer that has one.
Status ScanOpenReceivables(Database& db, const CustomerSet& set,
                           const std::function<Status(int64_t customer, int64_t open,
                                                      std::string_view oldest_due)>& visit);

// The earliest and the latest date of the open follow-ups (activities not
// done, with a follow-up date), per customer that has one.
Status ScanOpenFollowUps(Database& db, const CustomerSet& set,
                         const std::function<Status(int64_t customer, std::string_view first,
                                                    std::string_view last)>& visit);

// The metric columns as stored on the customer row. open_follow_up_first and
// open_follow_up_last bound the dates of the customer's open follow-ups: a
// salesperson's follow-up lists probe the activities of only the customers
// whose window meets the list's dates (store/workbench_queries.h).
struct MetricColumns {
  std::optional<std::string> first_order_date, last_order_date, next_purchase_date,
      oldest_open_due_on, open_follow_up_first, open_follow_up_last;
  int64_t order_count = 0, order_days = 0, cumulative_sales = 0, gross_profit = 0;
  std::optional<double> avg_purchase_cycle_days;
  std::optional<int64_t> last_contact_at;
  int64_t receivables = 0;
  friend bool operator==(const MetricColumns&, const MetricColumns&) = default;
};
// Calls `visit` with every customer of the set (in id order) and its stored
// metric columns.
Status ScanMetricColumns(
    Database& db, const CustomerSet& set,
    const std::function<Status(int64_t customer, const MetricColumns&)>& visit);

// The metric columns' names, and binding their values to parameters first,
// first + 1, ... in that order (for an INSERT that fills them).
std::vector<std::string> MetricColumnNames();
void BindMetricColumns(Statement& stmt, int first, const MetricColumns& columns);

// A set of metric columns: bit i is the i-th of MetricColumnNames().
using MetricColumnMask = uint32_t;
inline constexpr MetricColumnMask kAllMetricColumns = (1u << 13) - 1;
// The columns whose values differ between `a` and `b`.
MetricColumnMask DifferingColumns(const MetricColumns& a, const MetricColumns& b);

// Writes the metric columns of `columns` to customer rows, without touching
// updated_at or version (metrics are not edits). A customer with orders also
// gets the orders bit of its record_tables (store/record_tables.h) in the
// same write: the bit the orders triggers keep, which a bulk load that drops
// them would otherwise set by rewriting every row a second time.
// REQUIRES: a transaction is open on `db`.
class MetricColumnsWriter {
 public:
  static Result<std::unique_ptr<MetricColumnsWriter>> Create(
      Database& db, MetricColumnMask columns = kAllMetricColumns);
  Status Write(int64_t customer_id, const MetricColumns& columns);

 private:
  MetricColumnsWriter(std::unique_ptr<Statement> update, MetricColumnMask columns)
      : update_(std::move(update)), columns_(columns) {}
  std::unique_ptr<Statement> update_;
  MetricColumnMask columns_;
};

// Drops the customers table's indexes that mention a metric column of
// `columns` (in a key, an expression or the WHERE of a partial index) and
// returns the SQL that recreates them. Writing most customers' metrics and
// then rebuilding those indexes takes about half the time of keeping them
// current row by row; an import of orders leaves the indexes on receivables
// and follow-ups alone.
Result<std::vector<std::string>> DropMetricIndexes(Database& db,
                                                   MetricColumnMask columns = kAllMetricColumns);

// Reads the stored metric columns of one customer, and the part of its open
// invoice balances due before `as_of` (ISO date). Errors: kNotFound.
Result<std::pair<MetricColumns, int64_t>> ReadCustomerMetrics(Database& db, int64_t customer_id,
                                                              std::string_view as_of);

// Reads the customer id of row `id` in `table` (orders, invoices or
// activities) before an update may move it to another customer. One
// prepared statement per table, kept for the reader's life.
class CustomerOfRow {
 public:
  static Result<std::unique_ptr<CustomerOfRow>> Create(Database& db, std::string_view table);
  // The row's customer_id, or nullopt when the row does not exist.
  Result<std::optional<int64_t>> Find(int64_t id);

 private:
  explicit CustomerOfRow(std::unique_ptr<Statement> stmt) : stmt_(std::move(stmt)) {}
  std::unique_ptr<Statement> stmt_;
};

}  // namespace tenure::store
