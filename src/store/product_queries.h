// What customers buy, product by product (schema 013: products and the lines
// of orders and returns): the products of one customer's profile, and sales
// by product or by category for the statistics. Read-only. Returned goods
// count against the product (quantity and amount net of returns); orders
// cancelled as a whole (status cancelled) count for nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/numbers.h"
#include "common/status.h"
#include "store/database.h"
#include "store/stats_queries.h"

namespace tenure::store {

struct ProductSalesRow {
  std::string key;       // the product's external id (or internal id), or the category
  std::string name;      // the product's name; the category again by category
  std::string category;  // empty when none
  double quantity = 0;   // bought less returned
  Money amount = 0;      // sales less returns
  Money returned = 0;    // the returns' part, as a positive amount
  int64_t orders = 0;    // orders it was on
  int64_t customers = 0;
  std::string last_order_date;  // empty when only returned
};

// The products customer `customer_id` bought, most sales first (then key),
// at most `limit`.
Result<std::vector<ProductSalesRow>> LoadCustomerProducts(Database& db, int64_t customer_id,
                                                          int64_t limit);

// Sales by product, or by category (products without one under ""), of the
// orders and returns dated in `period`, most sales first (then key), at
// most `limit` rows.
Result<std::vector<ProductSalesRow>> LoadProductSales(Database& db, bool by_category,
                                                      const OrderPeriod& period, int64_t limit);

}  // namespace tenure::store
