// Statistics over customers and orders (`tenure stats`, docs/reports.md):
//  * sums by classification: customers, orders, sales, gross profit and
//    average order value per province, city, type, industry, level, source,
//    owner or team (or a combination), with a totals row; and the
//    purchase-model scores of the group's customers (engine/scoring.h);
//  * the 80/20 view: which share of sales (or gross profit) the top 20 % of
//    customers bring, who they are, and the Lorenz curve;
//  * lead grading: leads by stage and level, and each lead's last contact.
// Orders are those that are not cancelled, as in the customer metrics. All
// order numbers are computed from the orders themselves, not from the stored
// metric columns, so they are exact for any period; the scores are the last
// `tenure score` run's, whatever the period. Read-only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/numbers.h"
#include "common/status.h"
#include "common/time.h"
#include "store/database.h"
#include "store/product_queries.h"
#include "store/stats_queries.h"

namespace tenure::engine {

// What a missing classification is shown as.
inline constexpr std::string_view kNoneLabel = "(none)";

// Parses "province,city" into dimensions. Errors: kInvalidArgument on --by
// naming the unknown dimension and listing the choices.
Result<std::vector<store::StatsDimension>> ParseDimensions(std::string_view text);
std::string_view DimensionName(store::StatsDimension dimension);

// An optional [from, to] order-date period; both ends inclusive.
struct Period {
  std::optional<Date> from;
  std::optional<Date> to;
};

struct GroupStats {
  std::vector<std::string> keys;  // one per dimension; kNoneLabel when missing
  int64_t customers = 0;          // customers in the group
  int64_t buyers = 0;             // of those, customers with an order in the period
  int64_t orders = 0;
  Money sales = 0;
  Money gross_profit = 0;  // amount - cost, an unknown cost counting as 0
  // sales / orders, rounded to the minor unit; nullopt without orders.
  std::optional<Money> average_order_value;
  // Scores (customer_scores) of the group's customers, whatever the period:
  // customers with a score; the mean of their P(alive) (nullopt when none is
  // scored) and its numerator; the sums of their expected purchases in the
  // next 365 days and of their CLV (0 when none is scored).
  int64_t scored_customers = 0;
  std::optional<double> mean_p_alive;
  double p_alive_sum = 0;
  double expected_purchases_365 = 0;
  Money clv = 0;
};

struct StatsReport {
  std::vector<store::StatsDimension> dimensions;
  Period period;
  std::vector<GroupStats> groups;  // by sales descending, then keys
  GroupStats total;                // keys empty
};

// Each report below counts only the customers `scope` allows (a manager's
// team, a salesperson's own: engine/scope.h); by default every customer.

// Groups the customers by `dimensions` (one SQL statement). Errors:
// kInvalidArgument when `dimensions` is empty or from > to.
Result<StatsReport> GroupStatistics(store::Database& db,
                                    const std::vector<store::StatsDimension>& dimensions,
                                    const Period& period, const store::CustomerScope& scope = {});

enum class ParetoMeasure { kSales, kProfit };

struct ParetoCustomer {
  int64_t id = 0;
  std::string external_id;
  std::string name;
  Money value = 0;
};

struct ParetoReport {
  ParetoMeasure measure = ParetoMeasure::kSales;
  int64_t customers = 0;  // customers with at least one order in the period
  int64_t top_count = 0;  // ceil(20 % of customers)
  Money total = 0;
  Money top_value = 0;
  double top_share = 0;  // top_value / total; 0 when total is not positive
  // The top_count customers, by value descending (ties: lower id first).
  std::vector<ParetoCustomer> top;
  // Lorenz curve (customers from the lowest value up): [customer share,
  // value share] at 0, 0.01, ..., 1, linear between customers. The line of
  // equality when total is not positive.
  std::vector<std::pair<double, double>> lorenz;
  double gini = 0;  // 1 - 2 * area under the Lorenz curve
};

Result<ParetoReport> ParetoAnalysis(store::Database& db, ParetoMeasure measure,
                                    const Period& period, const store::CustomerScope& scope = {});

struct LeadEntry {
  int64_t id = 0;
  std::string external_id;
  std::string name;
  std::string status;                // customer status name
  std::string stage;                 // lead stage name, kNoneLabel when none
  std::string level;                 // kNoneLabel when none
  std::string owner;                 // username, kNoneLabel when none
  std::optional<Date> last_contact;  // day (UTC) of the latest activity
};

struct LeadReport {
  std::vector<std::string> stages;           // matrix rows, in stage order, kNoneLabel last
  std::vector<std::string> levels;           // matrix columns, sorted, kNoneLabel last
  std::vector<std::vector<int64_t>> counts;  // [stage][level]
  std::vector<int64_t> stage_totals;
  std::vector<int64_t> level_totals;
  int64_t total = 0;
  // By stage, then last contact (never contacted first, then oldest first).
  std::vector<LeadEntry> leads;
};

// Leads are customers with status lead or prospect, or with an open lead
// stage (new .. negotiation); with `include_closed` also every customer with
// a won or lost stage. The matrix always has the open stages as rows.
Result<LeadReport> GradeLeads(store::Database& db, bool include_closed,
                              const store::CustomerScope& scope = {});

// Sales by product, or by product category, from the order lines (schema
// 013; `tenure stats products`): quantity and sales net of returns, orders
// and customers, most sales first, at most `limit` rows. Orders and returns
// are counted in the period by their own dates. Errors: kInvalidArgument
// when from > to.
Result<std::vector<store::ProductSalesRow>> ProductStatistics(store::Database& db, bool by_category,
                                                              const Period& period, int64_t limit);

// A table of typed cells for CSV, XLSX and text output.
struct ReportColumn {
  // kRatio: a fraction, 4 decimals; kDecimal: any other real, 2 decimals.
  enum class Kind { kText, kInteger, kMoney, kRatio, kDecimal };
  std::string name;
  Kind kind = Kind::kText;
};
using ReportCell = std::variant<std::monostate, std::string, int64_t, double>;  // money: int64_t
struct ReportTable {
  std::string title;  // the worksheet name
  std::vector<ReportColumn> columns;
  std::vector<std::vector<ReportCell>> rows;
};

// The stats report as a table: the keys, then customers, buyers, orders,
// sales, gross_profit, average_order_value, scored_customers, mean_p_alive,
// expected_purchases_365, clv; the last row is the totals.
ReportTable StatsTable(const StatsReport& report);

// A cell as text: money with FormatMoney, ratios with 4 decimals, other
// reals with 2, missing values empty.
std::string FormatReportCell(const ReportColumn& column, const ReportCell& cell,
                             int currency_decimals);

// Writes the table as CSV to `path` (empty: standard output). Errors: kIoError.
Status WriteTableCsv(const ReportTable& table, const std::string& path, int currency_decimals);
// Writes the table as one XLSX worksheet with a bold header and money as
// numbers in the currency unit. Errors: kInvalidArgument on --out without a
// path, kIoError.
Status WriteTableXlsx(const ReportTable& table, const std::string& path, int currency_decimals);

}  // namespace tenure::engine
