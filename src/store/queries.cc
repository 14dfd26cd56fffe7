#include "store/queries.h"

namespace tenure::store {

Result<CompanySummary> LoadCompanySummary(Database& db) {
  CompanySummary s;
  struct Count {
    int64_t* target;
    const char* sql;
  };
  const Count counts[] = {
      {&s.users, "SELECT count(*) FROM users"},
      {&s.teams, "SELECT count(*) FROM teams"},
      {&s.customers, "SELECT count(*) FROM customers"},
      {&s.active_customers, "SELECT count(*) FROM customers WHERE status = 2"},
      {&s.contacts, "SELECT count(*) FROM contacts"},
      {&s.activities, "SELECT count(*) FROM activities"},
      {&s.orders, "SELECT count(*) FROM orders"},
      {&s.sales, "SELECT coalesce(sum(amount), 0) FROM orders WHERE status <> 2"},
      {&s.contracts, "SELECT count(*) FROM contracts"},
      {&s.invoices, "SELECT count(*) FROM invoices"},
      {&s.open_receivables, "SELECT coalesce(sum(amount - paid_amount), 0) FROM invoices"},
      {&s.complaints, "SELECT count(*) FROM complaints"},
      {&s.open_complaints, "SELECT count(*) FROM complaints WHERE status IN (0, 1)"},
      {&s.won_back, "SELECT count(*) FROM churn_events WHERE kind = 1"},
  };
  for (const Count& count : counts) {
    Result<int64_t> value = QueryInt(db, count.sql);
    if (!value.ok()) return value.status();
    *count.target = *value;
  }
  // The latest event per customer decides whether the customer is lost now.
  auto stmt = db.Prepare(
      "SELECT e.churn_type, count(*) FROM churn_events e"
      " WHERE e.kind = 0 AND NOT EXISTS (SELECT 1 FROM churn_events later"
      "   WHERE later.customer_id = e.customer_id AND (later.occurred_on > e.occurred_on"
      "     OR (later.occurred_on = e.occurred_on AND later.id > e.id)))"
      " GROUP BY e.churn_type");
  if (!stmt.ok()) return stmt.status();
  Result<bool> row = (*stmt)->Step();
  for (; row.ok() && *row; row = (*stmt)->Step()) {
    int64_t type = (*stmt)->Int(0);
    if (type >= 0 && type < 4) s.lost_by_type[static_cast<size_t>(type)] = (*stmt)->Int(1);
  }
  if (!row.ok()) return row.status();
  return s;
}

Result<std::optional<Date>> NewestOrderDate(Database& db) {
  auto stmt = db.Prepare("SELECT max(last_order_date) FROM customers");
  if (!stmt.ok()) return stmt.status();
  Result<bool> row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  if (!*row || (*stmt)->IsNull(0)) return std::optional<Date>();
  // A date, or a date and a time: the day is the first ten characters.
  std::string_view text = (*stmt)->Text(0);
  std::optional<Date> date = ParseIsoDate(text.substr(0, 10));
  if (!date) {
    return Status::Internal("customers.last_order_date holds '" + std::string(text) +
                            "', not a date");
  }
  return date;
}

}  // namespace tenure::store
