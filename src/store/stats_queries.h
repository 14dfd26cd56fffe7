// The SQL behind the statistics reports (engine/stats.h has the definitions):
// customers and orders grouped by classification, per-customer totals for the
// 80/20 view, and the open leads. Read-only.
//
// "Orders" everywhere here are orders that are not cancelled (completed and
// open), as in the derived customer metrics (docs/metrics.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/numbers.h"
#include "common/status.h"
#include "store/customer_scope.h"
#include "store/database.h"

namespace tenure::store {

// A classification of customers that statistics can group by.
enum class StatsDimension { kProvince, kCity, kType, kIndustry, kLevel, kSource, kOwner, kTeam };

// Optional order-date bounds, ISO dates, both inclusive; empty: open.
struct OrderPeriod {
  std::string from;
  std::string to;
};

struct GroupTotalsRow {
  // One key per requested dimension; nullopt when the customer has no value.
  std::vector<std::optional<std::string>> keys;
  int64_t customers = 0;  // customers in the group
  int64_t buyers = 0;     // of those, customers with an order in the period
  int64_t orders = 0;
  Money sales = 0;
  Money gross_profit = 0;  // amount - cost, cost unknown counting as 0
  // The purchase-model scores (customer_scores, the last `tenure score`) of
  // the group's customers, whatever the period: how many are scored, and the
  // sums of their P(alive), expected purchases in 365 days and CLV.
  int64_t scored_customers = 0;
  double p_alive_sum = 0;
  double expected_purchases_365 = 0;
  Money clv = 0;
};

// Every function here counts only the customers `scope` allows.

// One statement, grouped by `dimensions` (at least one), ordered by sales
// descending, then by the keys. Owner groups by the owner's username; team by
// the customer's team, else its owner's team. Scores are joined by customer
// id (customer_scores' primary key).
Result<std::vector<GroupTotalsRow>> LoadGroupTotals(Database& db,
                                                    const std::vector<StatsDimension>& dimensions,
                                                    const OrderPeriod& period,
                                                    const CustomerScope& scope);

struct CustomerValueRow {
  int64_t id = 0;
  std::string external_id;  // empty when none
  std::string name;
  int64_t orders = 0;
  Money sales = 0;
  Money gross_profit = 0;
};

// Every customer with at least one order in the period, in id order.
Result<std::vector<CustomerValueRow>> LoadCustomerValues(Database& db, const OrderPeriod& period,
                                                         const CustomerScope& scope);

struct LeadRow {
  int64_t id = 0;
  std::string external_id;
  std::string name;
  int64_t status = 0;            // domain::CustomerStatus
  std::optional<int64_t> stage;  // domain::LeadStage
  std::optional<std::string> level;
  std::optional<std::string> owner;        // username
  std::optional<int64_t> last_contact_at;  // latest activities.occurred_at, epoch seconds
};

// Customers with status lead or prospect or with a lead stage; with
// `open_only`, a lead stage of won or lost counts only when the status is
// still lead or prospect. Ordered by stage (none last), then by last contact
// (never contacted first, then oldest first), then id.
Result<std::vector<LeadRow>> LoadLeads(Database& db, bool open_only, const CustomerScope& scope);

}  // namespace tenure::store
