#include "store/customer_metrics.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <variant>

#include "store/record_tables.h"

namespace tenure::store {
namespace {

constexpr const char* kColumns =
    "first_order_date, last_order_date, order_count, order_days, cumulative_sales, gross_profit,"
    " avg_purchase_cycle_days, next_purchase_date, last_contact_at, receivables,"
    " oldest_open_due_on, open_follow_up_first, open_follow_up_last";
constexpr int kColumnCount = 13;
static_assert(kAllMetricColumns == (1u << kColumnCount) - 1);

// Reads kColumns starting at `first`.
MetricColumns ReadColumns(Statement& s, int first) {
  MetricColumns m;
  m.first_order_date = OptionalText(s, first);
  m.last_order_date = OptionalText(s, first + 1);
  m.order_count = s.Int(first + 2);
  m.order_days = s.Int(first + 3);
  m.cumulative_sales = s.Int(first + 4);
  m.gross_profit = s.Int(first + 5);
  if (!s.IsNull(first + 6)) m.avg_purchase_cycle_days = s.Real(first + 6);
  m.next_purchase_date = OptionalText(s, first + 7);
  if (!s.IsNull(first + 8)) m.last_contact_at = s.Int(first + 8);
  m.receivables = s.Int(first + 9);
  m.oldest_open_due_on = OptionalText(s, first + 10);
  m.open_follow_up_first = OptionalText(s, first + 11);
  m.open_follow_up_last = OptionalText(s, first + 12);
  return m;
}

// Column `column` (of kColumns) of `m` as it is stored: null, an integer, a
// real or a text.
using ColumnValue = std::variant<std::monostate, int64_t, double, std::string_view>;
ColumnValue ColumnOf(const MetricColumns& m, int column) {
  auto text = [](const std::optional<std::string>& value) -> ColumnValue {
    if (value) return std::string_view(*value);
    return std::monostate();
  };
  switch (column) {
    case 0:
      return text(m.first_order_date);
    case 1:
      return text(m.last_order_date);
    case 2:
      return m.order_count;
    case 3:
      return m.order_days;
    case 4:
      return m.cumulative_sales;
    case 5:
      return m.gross_profit;
    case 6:
      if (m.avg_purchase_cycle_days) return *m.avg_purchase_cycle_days;
      return std::monostate();
    case 7:
      return text(m.next_purchase_date);
    case 8:
      if (m.last_contact_at) return *m.last_contact_at;
      return std::monostate();
    case 9:
      return m.receivables;
    case 10:
      return text(m.oldest_open_due_on);
    case 11:
      return text(m.open_follow_up_first);
    case 12:
      return text(m.open_follow_up_last);
  }
  return std::monostate();
}

// Binds column `column` of `m` to parameter `index`.
void BindColumn(Statement& s, int index, const MetricColumns& m, int column) {
  ColumnValue value = ColumnOf(m, column);
  if (const int64_t* n = std::get_if<int64_t>(&value)) {
    s.BindInt(index, *n);
  } else if (const double* x = std::get_if<double>(&value)) {
    s.BindReal(index, *x);
  } else if (const std::string_view* t = std::get_if<std::string_view>(&value)) {
    s.BindText(index, *t);
  } else {
    s.BindNull(index);
  }
}

// Runs `sql` once for all (no parameter) or once per id of the set (the id
// bound to ?1), calling `row` for each result row.
Status ForSet(Database& db, const CustomerSet& set, const std::string& all_sql,
              const std::string& one_sql, const std::function<Status(Statement&)>& row) {
  auto stmt = db.Prepare(set.all ? all_sql : one_sql);
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  auto drain = [&]() -> Status {
    Result<bool> more = s.Step();
    for (; more.ok() && *more; more = s.Step()) {
      Status status = row(s);
      if (!status.ok()) {
        s.Reset();
        return status;
      }
    }
    s.Reset();
    return more.status();
  };
  if (set.all) return drain();
  for (int64_t id : set.ids) {
    s.BindInt(1, id);
    TENURE_RETURN_IF_ERROR(drain());
  }
  return Status::Ok();
}

// Non-cancelled orders in (customer, date) order, served by the covering
// index orders_customer (002): no table reads.
constexpr const char* kOrderFacts =
    "SELECT customer_id, order_date, amount, cost FROM orders WHERE status <> 2";
constexpr const char* kOrderFactsOrder = " ORDER BY customer_id, order_date";

OrderFact ReadOrderFact(const Statement& s) {
  OrderFact fact{s.Int(0), s.Text(1), s.Int(2), std::nullopt};
  if (!s.IsNull(3)) fact.cost = s.Int(3);
  return fact;
}

}  // namespace

Status ScanOrderFacts(Database& db, const CustomerSet& set,
                      const std::function<Status(const OrderFact&)>& visit) {
  const std::string select = kOrderFacts;
  return ForSet(db, set, select + kOrderFactsOrder,
                select + " AND customer_id = ?1" + kOrderFactsOrder,
                [&](Statement& s) { return visit(ReadOrderFact(s)); });
}

Status ScanOrderFactsInRange(Database& db, int64_t first_id, int64_t end_id,
                             const std::function<Status(const OrderFact&)>& visit) {
  auto stmt = db.Prepare(std::string(kOrderFacts) + " AND customer_id >= ?1 AND customer_id < ?2" +
                         kOrderFactsOrder);
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  s.BindInt(1, first_id);
  s.BindInt(2, end_id);
  Result<bool> more = s.Step();
  for (; more.ok() && *more; more = s.Step()) TENURE_RETURN_IF_ERROR(visit(ReadOrderFact(s)));
  return more.status();
}

Status ScanReturnTotals(Database& db, const CustomerSet& set,
                        const std::function<Status(int64_t, int64_t, int64_t)>& visit) {
  // Served by the covering index returns_customer (013).
  const std::string select = "SELECT customer_id, sum(amount), coalesce(sum(cost), 0) FROM returns";
  return ForSet(db, set, select + " GROUP BY customer_id",
                select + " WHERE customer_id = ?1 GROUP BY customer_id",
                [&](Statement& s) { return visit(s.Int(0), s.Int(1), s.Int(2)); });
}

Status ScanLastContacts(Database& db, const CustomerSet& set,
                        const std::function<Status(int64_t, int64_t)>& visit) {
  return ForSet(db, set,
                "SELECT customer_id, max(occurred_at) FROM activities GROUP BY customer_id",
                "SELECT customer_id, max(occurred_at) FROM activities WHERE customer_id = ?1"
                " GROUP BY customer_id",
                [&](Statement& s) { return visit(s.Int(0), s.Int(1)); });
}

Status ScanOpenReceivables(Database& db, const CustomerSet& set,
                           const std::function<Status(int64_t, int64_t, std::string_view)>& visit) {
  const std::string select =
      "SELECT customer_id, sum(amount - paid_amount), min(due_on) FROM invoices"
      " WHERE paid_amount < amount";
  return ForSet(db, set, select + " GROUP BY customer_id",
                select + " AND customer_id = ?1 GROUP BY customer_id",
                [&](Statement& s) { return visit(s.Int(0), s.Int(1), s.Text(2)); });
}

Status ScanOpenFollowUps(
    Database& db, const CustomerSet& set,
    const std::function<Status(int64_t, std::string_view, std::string_view)>& visit) {
  // Served by the partial index wb_activities_customer_follow_up (003) alone.
  const std::string select =
      "SELECT customer_id, min(follow_up_on), max(follow_up_on) FROM activities"
      " WHERE follow_up_done = 0 AND follow_up_on IS NOT NULL";
  return ForSet(db, set, select + " GROUP BY customer_id",
                select + " AND customer_id = ?1 GROUP BY customer_id",
                [&](Statement& s) { return visit(s.Int(0), s.Text(1), s.Text(2)); });
}

Status ScanMetricColumns(Database& db, const CustomerSet& set,
                         const std::function<Status(int64_t, const MetricColumns&)>& visit) {
  const std::string select = std::string("SELECT id, ") + kColumns + " FROM customers";
  return ForSet(db, set, select + " ORDER BY id", select + " WHERE id = ?1",
                [&](Statement& s) { return visit(s.Int(0), ReadColumns(s, 1)); });
}

Result<std::unique_ptr<MetricColumnsWriter>> MetricColumnsWriter::Create(Database& db,
                                                                         MetricColumnMask columns) {
  // UPDATE customers SET c1 = ?3, c2 = ?4, ..., record_tables = record_tables | ?1
  // WHERE id = ?2, with the columns of the mask in kColumns order.
  const std::vector<std::string> names = MetricColumnNames();
  std::string sql = "UPDATE customers SET ";
  int parameter = 3;
  for (size_t column = 0; column < names.size(); ++column) {
    if (columns & (1u << column)) {
      sql += names[column] + " = ?" + std::to_string(parameter++) + ", ";
    }
  }
  sql += "record_tables = record_tables | ?1 WHERE id = ?2";
  auto stmt = db.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  return std::unique_ptr<MetricColumnsWriter>(new MetricColumnsWriter(std::move(*stmt), columns));
}

Status MetricColumnsWriter::Write(int64_t customer_id, const MetricColumns& m) {
  update_->BindInt(1, m.order_count > 0 ? RecordTableBit(domain::Entity::kOrder) : 0);
  update_->BindInt(2, customer_id);
  int parameter = 3;
  for (int column = 0; column < kColumnCount; ++column) {
    if (columns_ & (1u << column)) BindColumn(*update_, parameter++, m, column);
  }
  return update_->Run();
}

MetricColumnMask DifferingColumns(const MetricColumns& a, const MetricColumns& b) {
  MetricColumnMask differ = 0;
  for (int column = 0; column < kColumnCount; ++column) {
    if (ColumnOf(a, column) != ColumnOf(b, column)) differ |= 1u << column;
  }
  return differ;
}

std::vector<std::string> MetricColumnNames() {
  std::vector<std::string> names;
  std::string_view columns = kColumns;
  while (!columns.empty()) {
    size_t comma = columns.find(',');
    std::string_view name = columns.substr(0, comma);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    names.emplace_back(name);
    columns = comma == std::string_view::npos ? "" : columns.substr(comma + 1);
  }
  return names;
}

void BindMetricColumns(Statement& s, int first, const MetricColumns& m) {
  for (int column = 0; column < kColumnCount; ++column) BindColumn(s, first + column, m, column);
}

Result<std::vector<std::string>> DropMetricIndexes(Database& db, MetricColumnMask columns) {
  auto stmt = db.Prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'customers'"
      " AND sql IS NOT NULL");
  if (!stmt.ok()) return stmt.status();
  std::vector<std::string> names;
  const std::vector<std::string> all = MetricColumnNames();
  for (size_t column = 0; column < all.size(); ++column) {
    if (columns & (1u << column)) names.push_back(all[column]);
  }
  std::vector<std::pair<std::string, std::string>> indexes;
  Result<bool> row = (*stmt)->Step();
  for (; row.ok() && *row; row = (*stmt)->Step()) {
    std::string sql((*stmt)->Text(1));
    bool metric = std::any_of(names.begin(), names.end(), [&](const std::string& column) {
      return sql.find(column) != std::string::npos;
    });
    if (metric) indexes.emplace_back((*stmt)->Text(0), std::move(sql));
  }
  if (!row.ok()) return row.status();
  stmt->reset();
  std::vector<std::string> recreate;
  for (auto& [name, sql] : indexes) {
    TENURE_RETURN_IF_ERROR(db.Exec("DROP INDEX " + name));
    recreate.push_back(std::move(sql));
  }
  return recreate;
}

Result<std::pair<MetricColumns, int64_t>> ReadCustomerMetrics(Database& db, int64_t customer_id,
                                                              std::string_view as_of) {
  auto stmt = db.Prepare(std::string("SELECT ") + kColumns +
                         ", (SELECT coalesce(sum(amount - paid_amount), 0) FROM invoices"
                         "   WHERE customer_id = c.id AND paid_amount < amount AND due_on < ?2)"
                         " FROM customers c WHERE id = ?1");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  s.BindInt(1, customer_id);
  s.BindText(2, as_of);
  Result<bool> row = s.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("no customer with id " + std::to_string(customer_id));
  return std::make_pair(ReadColumns(s, 0), s.Int(kColumnCount));
}

Result<std::unique_ptr<CustomerOfRow>> CustomerOfRow::Create(Database& db, std::string_view table) {
  auto stmt = db.Prepare("SELECT customer_id FROM " + std::string(table) + " WHERE id = ?");
  if (!stmt.ok()) return stmt.status();
  return std::unique_ptr<CustomerOfRow>(new CustomerOfRow(std::move(*stmt)));
}

Result<std::optional<int64_t>> CustomerOfRow::Find(int64_t id) {
  stmt_->Reset();
  stmt_->BindInt(1, id);
  Result<bool> row = stmt_->Step();
  if (!row.ok()) return row.status();
  std::optional<int64_t> customer;
  if (*row) customer = stmt_->Int(0);
  stmt_->Reset();
  return customer;
}

}  // namespace tenure::store
