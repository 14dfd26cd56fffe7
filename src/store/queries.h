// Read-only queries that summarise a database.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "common/status.h"
#include "common/time.h"
#include "store/database.h"

namespace tenure::store {

struct CompanySummary {
  int64_t users = 0;
  int64_t teams = 0;
  int64_t customers = 0;
  int64_t active_customers = 0;
  int64_t contacts = 0;
  int64_t activities = 0;
  int64_t orders = 0;
  int64_t sales = 0;  // minor units, orders that are not cancelled
  int64_t contracts = 0;
  int64_t invoices = 0;
  int64_t open_receivables = 0;  // minor units
  int64_t complaints = 0;
  int64_t open_complaints = 0;
  // Customers whose latest churn event is "lost", by domain::ChurnType code.
  std::array<int64_t, 4> lost_by_type{};
  int64_t won_back = 0;
};

Result<CompanySummary> LoadCompanySummary(Database& db);

// The date of the newest order that counts (not cancelled): the largest
// customers.last_order_date, which every write keeps current, read off its
// index (wb_customers_last_order) rather than by scanning the orders.
// nullopt when there is none. Errors: kInternal when the stored date is not
// ISO.
Result<std::optional<Date>> NewestOrderDate(Database& db);

}  // namespace tenure::store
