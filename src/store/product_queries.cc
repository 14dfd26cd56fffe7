#include "store/product_queries.h"

#include <functional>

namespace tenure::store {
namespace {

// Every line of the orders and returns that `where_order` / `where_return`
// select, returns negative: product, quantity, amount, returned amount, order,
// customer, order date.
std::string Lines(const std::string& where_order, const std::string& where_return) {
  return "WITH lines AS ("
         " SELECT l.product_id AS product, l.quantity AS q, l.amount AS a, 0 AS back,"
         " o.id AS order_id, o.customer_id AS customer, o.order_date AS d"
         " FROM orders o JOIN order_lines l ON l.order_id = o.id"
         " WHERE o.status <> 2 AND " +
         where_order +
         " UNION ALL"
         " SELECT l.product_id, -l.quantity, -l.amount, l.amount, NULL, r.customer_id, NULL"
         " FROM returns r JOIN order_lines l ON l.return_id = r.id WHERE " +
         where_return + ")";
}

constexpr const char* kTotals =
    " sum(q), sum(a), sum(back), count(DISTINCT order_id), count(DISTINCT customer), max(d)";

Result<std::vector<ProductSalesRow>> Collect(Database& db, const std::string& sql,
                                             const std::function<void(Statement&)>& bind) {
  auto stmt = db.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  bind(s);
  std::vector<ProductSalesRow> rows;
  Result<bool> more = s.Step();
  for (; more.ok() && *more; more = s.Step()) {
    ProductSalesRow& row = rows.emplace_back();
    row.key = std::string(s.Text(0));
    row.name = std::string(s.Text(1));
    row.category = s.IsNull(2) ? "" : std::string(s.Text(2));
    row.quantity = s.Real(3);
    row.amount = s.Int(4);
    row.returned = s.Int(5);
    row.orders = s.Int(6);
    row.customers = s.Int(7);
    row.last_order_date = s.IsNull(8) ? "" : std::string(s.Text(8));
  }
  if (!more.ok()) return more.status();
  return rows;
}

}  // namespace

Result<std::vector<ProductSalesRow>> LoadCustomerProducts(Database& db, int64_t customer_id,
                                                          int64_t limit) {
  // Served by orders_customer and returns_customer, then the lines' indexes.
  const std::string sql = Lines("o.customer_id = ?1", "r.customer_id = ?1") +
                          " SELECT coalesce(p.external_id, p.id), p.name, p.category," + kTotals +
                          " FROM lines JOIN products p ON p.id = lines.product"
                          " GROUP BY p.id ORDER BY sum(a) DESC, 1 LIMIT ?2";
  return Collect(db, sql, [&](Statement& s) {
    s.BindInt(1, customer_id);
    s.BindInt(2, limit);
  });
}

Result<std::vector<ProductSalesRow>> LoadProductSales(Database& db, bool by_category,
                                                      const OrderPeriod& period, int64_t limit) {
  const std::string in_period_order =
      "(?1 = '' OR o.order_date >= ?1) AND (?2 = '' OR o.order_date <= ?2)";
  const std::string in_period_return =
      "(?1 = '' OR r.returned_on >= ?1) AND (?2 = '' OR r.returned_on <= ?2)";
  const std::string group =
      by_category ? " SELECT coalesce(p.category, ''), coalesce(p.category, ''), p.category,"
                  : " SELECT coalesce(p.external_id, p.id), p.name, p.category,";
  const std::string sql = Lines(in_period_order, in_period_return) + group + kTotals +
                          " FROM lines JOIN products p ON p.id = lines.product GROUP BY " +
                          (by_category ? "coalesce(p.category, '')" : "p.id") +
                          " ORDER BY sum(a) DESC, 1 LIMIT ?3";
  return Collect(db, sql, [&](Statement& s) {
    s.BindText(1, period.from);
    s.BindText(2, period.to);
    s.BindInt(3, limit);
  });
}

}  // namespace tenure::store
