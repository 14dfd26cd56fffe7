#include "store/stats_queries.h"

namespace tenure::store {
namespace {

// The SQL expression of a dimension over customers c, owners ou, teams t.
const char* KeyExpression(StatsDimension dimension) {
  switch (dimension) {
    case StatsDimension::kProvince:
      return "c.province";
    case StatsDimension::kCity:
      return "c.city";
    case StatsDimension::kType:
      return "c.type";
    case StatsDimension::kIndustry:
      return "c.industry";
    case StatsDimension::kLevel:
      return "c.level";
    case StatsDimension::kSource:
      return "c.source";
    case StatsDimension::kOwner:
      return "ou.username";
    case StatsDimension::kTeam:
      return "t.name";
  }
  return "NULL";
}

// "AND o.order_date >= ? AND o.order_date <= ?" for the bounds given, and
// binds them from `first`.
std::string PeriodClause(const OrderPeriod& period) {
  std::string sql;
  if (!period.from.empty()) sql += " AND o.order_date >= ?";
  if (!period.to.empty()) sql += " AND o.order_date <= ?";
  return sql;
}

int BindPeriod(Statement& stmt, const OrderPeriod& period, int first) {
  if (!period.from.empty()) stmt.BindText(first++, period.from);
  if (!period.to.empty()) stmt.BindText(first++, period.to);
  return first;
}

std::optional<std::string> OptText(const Statement& stmt, int column) {
  if (stmt.IsNull(column)) return std::nullopt;
  return std::string(stmt.Text(column));
}

std::optional<int64_t> OptInt(const Statement& stmt, int column) {
  if (stmt.IsNull(column)) return std::nullopt;
  return stmt.Int(column);
}

}  // namespace

Result<std::vector<GroupTotalsRow>> LoadGroupTotals(Database& db,
                                                    const std::vector<StatsDimension>& dimensions,
                                                    const OrderPeriod& period,
                                                    const CustomerScope& scope) {
  if (dimensions.empty()) return Status::InvalidArgument("no dimension to group by", "--by");
  std::string keys;
  std::string order_keys;
  std::string group_by;
  for (size_t i = 0; i < dimensions.size(); ++i) {
    group_by += (i ? ", k" : "k") + std::to_string(i);
    keys += std::string(KeyExpression(dimensions[i])) + " AS k" + std::to_string(i) + ", ";
    // Missing values sort last within their place.
    order_keys += ", k" + std::to_string(i) + " IS NULL, k" + std::to_string(i);
  }
  // Orders are summed per customer first (an index scan of orders_customer),
  // so each customer is counted once in its group.
  std::string sql = "SELECT " + keys +
                    "count(*), count(o.customer_id), coalesce(sum(o.n), 0), coalesce(sum(o.sales), "
                    "0) AS total_sales,"
                    " coalesce(sum(o.profit), 0), count(s.customer_id),"
                    " coalesce(sum(s.p_alive), 0), coalesce(sum(s.expected_purchases_365), 0),"
                    " coalesce(sum(s.clv), 0)"
                    " FROM customers c"
                    " LEFT JOIN users ou ON ou.id = c.owner_id"
                    " LEFT JOIN teams t ON t.id = coalesce(c.team_id, ou.team_id)"
                    " LEFT JOIN (SELECT o.customer_id, count(*) AS n, sum(o.amount) AS sales,"
                    "   sum(o.amount - coalesce(o.cost, 0)) AS profit FROM orders o"
                    "   WHERE o.status <> 2" +
                    PeriodClause(period) +
                    "   GROUP BY o.customer_id) o ON o.customer_id = c.id"
                    " LEFT JOIN customer_scores s ON s.customer_id = c.id"
                    " WHERE " +
                    CustomerScopeSql(scope) + " GROUP BY " + group_by +
                    " ORDER BY total_sales DESC" + order_keys;
  auto stmt = db.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  BindPeriod(s, period, 1);
  std::vector<GroupTotalsRow> rows;
  const int n = static_cast<int>(dimensions.size());
  Result<bool> step = s.Step();
  for (; step.ok() && *step; step = s.Step()) {
    GroupTotalsRow row;
    for (int i = 0; i < n; ++i) row.keys.push_back(OptText(s, i));
    row.customers = s.Int(n);
    row.buyers = s.Int(n + 1);
    row.orders = s.Int(n + 2);
    row.sales = s.Int(n + 3);
    row.gross_profit = s.Int(n + 4);
    row.scored_customers = s.Int(n + 5);
    row.p_alive_sum = s.Real(n + 6);
    row.expected_purchases_365 = s.Real(n + 7);
    row.clv = s.Int(n + 8);
    rows.push_back(std::move(row));
  }
  if (!step.ok()) return step.status();
  return rows;
}

Result<std::vector<CustomerValueRow>> LoadCustomerValues(Database& db, const OrderPeriod& period,
                                                         const CustomerScope& scope) {
  auto stmt = db.Prepare(
      "SELECT c.id, coalesce(c.external_id, ''), c.name, o.n, o.sales, o.profit"
      " FROM (SELECT o.customer_id, count(*) AS n, sum(o.amount) AS sales,"
      "   sum(o.amount - coalesce(o.cost, 0)) AS profit FROM orders o"
      "   WHERE o.status <> 2" +
      PeriodClause(period) +
      "   GROUP BY o.customer_id) o"
      " JOIN customers c ON c.id = o.customer_id WHERE " +
      CustomerScopeSql(scope) + " ORDER BY c.id");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  BindPeriod(s, period, 1);
  std::vector<CustomerValueRow> rows;
  Result<bool> step = s.Step();
  for (; step.ok() && *step; step = s.Step()) {
    rows.push_back(
        {s.Int(0), std::string(s.Text(1)), std::string(s.Text(2)), s.Int(3), s.Int(4), s.Int(5)});
  }
  if (!step.ok()) return step.status();
  return rows;
}

Result<std::vector<LeadRow>> LoadLeads(Database& db, bool open_only, const CustomerScope& scope) {
  // Stage codes: 0-4 are open (new .. negotiation), 5 won, 6 lost.
  std::string sql =
      "SELECT c.id, coalesce(c.external_id, ''), c.name, c.status, c.lead_stage, c.level,"
      " u.username,"
      " (SELECT max(a.occurred_at) FROM activities a WHERE a.customer_id = c.id) AS last_contact"
      " FROM customers c LEFT JOIN users u ON u.id = c.owner_id"
      " WHERE (c.status IN (0, 1) OR ";
  sql += open_only ? "c.lead_stage BETWEEN 0 AND 4)" : "c.lead_stage IS NOT NULL)";
  sql += " AND " + CustomerScopeSql(scope);
  sql +=
      " ORDER BY c.lead_stage IS NULL, c.lead_stage, last_contact IS NOT NULL, last_contact, c.id";
  auto stmt = db.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  std::vector<LeadRow> rows;
  Result<bool> step = s.Step();
  for (; step.ok() && *step; step = s.Step()) {
    LeadRow row;
    row.id = s.Int(0);
    row.external_id = std::string(s.Text(1));
    row.name = std::string(s.Text(2));
    row.status = s.Int(3);
    row.stage = OptInt(s, 4);
    row.level = OptText(s, 5);
    row.owner = OptText(s, 6);
    row.last_contact_at = OptInt(s, 7);
    rows.push_back(std::move(row));
  }
  if (!step.ok()) return step.status();
  return rows;
}

}  // namespace tenure::store
