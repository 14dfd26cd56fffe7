// The customer list of the API (GET /api/v1/customers): filters on every
// classification dimension, status and metric, a search by name, contact,
// phone or e-mail, a sort, and keyset pagination. A page never counts the
// whole list.
//
// Thread safety: as Database.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "store/database.h"
#include "store/workbench_queries.h"

namespace tenure::store {

// The columns a list may filter by equality: the classification dimensions
// (text), and status, lead_stage, credit_rating, owner_id, team_id (integers).
// The metrics a list may filter by range and sort by, the scores of the
// latest scoring run (p_alive, clv, model_next_purchase_date) and the risk
// of the latest risk scoring run (risk_probability, value_at_risk, health).
bool IsCustomerDimension(std::string_view column);
bool IsCustomerMetric(std::string_view column);
// Every dimension and every metric by name, in a fixed order (for a caller
// that offers them one by one, as the CLI's options do).
std::vector<std::string_view> CustomerDimensions();
std::vector<std::string_view> CustomerMetrics();

struct CustomerListQuery {
  // column = value; the value is text for text dimensions and a whole number
  // for the integer ones (the caller converts enum names to codes).
  std::vector<std::pair<std::string, std::string>> equals;
  // Metric ranges: column, lowest, highest (inclusive; either may be empty).
  // Dates compare as ISO text, numbers as numbers.
  struct Range {
    std::string column;
    std::string min;
    std::string max;
  };
  std::vector<Range> ranges;
  // Only these customers (internal ids); none: any. At most 1000.
  std::vector<int64_t> ids;
  // Customers whose name, phone or e-mail, or one of whose contacts' name,
  // phone, mobile or e-mail, contains this text (case-insensitive for ASCII).
  std::string search;
  // "id" (default), "name", "created_at", "updated_at" or a metric.
  std::string sort = "id";
  bool descending = false;
  // The cursor of the previous page (CustomerListPage::next_cursor); empty
  // for the first page.
  std::string after;
  int limit = 50;
};

struct CustomerListRow {
  int64_t id = 0;
  std::string external_id;
  std::string name;
  std::string type, industry, level, source, province, city;
  std::string phone, email;
  int64_t status = 0;
  std::optional<int64_t> lead_stage;
  std::optional<int64_t> owner_id;
  std::string owner;  // username
  std::optional<int64_t> team_id;
  std::string first_order_date, last_order_date, next_purchase_date;  // empty when none
  int64_t order_count = 0;
  int64_t cumulative_sales = 0;  // minor units
  int64_t gross_profit = 0;
  std::optional<double> avg_purchase_cycle_days;
  std::optional<int64_t> last_contact_at;
  int64_t receivables = 0;
  int64_t version = 1;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  // The latest scoring run's (customer_scores); none when not scored.
  std::optional<double> p_alive;
  std::optional<int64_t> clv;  // minor units
  std::string model_next_purchase_date;
  // The latest risk scoring run's (customer_risk); none when not scored.
  std::optional<double> risk_probability;
  std::optional<int64_t> value_at_risk;  // minor units
  std::optional<int64_t> health;
};

struct CustomerListPage {
  std::vector<CustomerListRow> rows;
  std::string next_cursor;  // empty on the last page
};

// A page of the scope's customers. Errors: kInvalidArgument naming the
// column ("sort", "after", or a filter's column) for an unknown column or a
// malformed cursor.
Result<CustomerListPage> ListCustomers(Database& db, const CustomerScope& scope,
                                       const CustomerListQuery& query);

}  // namespace tenure::store
