#include "engine/metrics.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/customer_metrics.h"

namespace tenure::engine {
namespace {

using store::MetricColumns;

std::optional<Date> DateOrNull(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return ParseIsoDate(*text);
}

// The formulas of DESIGN.md §2, over one set of customers. Orders arrive in
// customer and date order, so distinct order days are the date changes.
Result<int64_t> Recompute(store::Database& db, const store::CustomerSet& set) {
  std::unordered_map<int64_t, MetricColumns> fresh;
  if (!set.all) fresh.reserve(set.ids.size());
  int64_t current = -1;
  MetricColumns* m = nullptr;
  TENURE_RETURN_IF_ERROR(store::ScanOrderFacts(db, set, [&](const store::OrderFact& order) {
    if (order.customer_id != current) {
      current = order.customer_id;
      m = &fresh[current];
      m->first_order_date = std::string(order.order_date);
      m->last_order_date = m->first_order_date;
      m->order_days = 1;
    } else if (order.order_date != *m->last_order_date) {
      m->last_order_date = std::string(order.order_date);
      ++m->order_days;
    }
    ++m->order_count;
    m->cumulative_sales += order.amount;
    m->gross_profit += order.amount - order.cost.value_or(0);  // unknown cost counts as 0
    return Status::Ok();
  }));
  for (auto& [id, columns] : fresh) {
    if (columns.order_days < 2) continue;  // no cycle below two order days
    Date first = *ParseIsoDate(*columns.first_order_date);
    Date last = *ParseIsoDate(*columns.last_order_date);
    double cycle = static_cast<double>(last.days - first.days) / (columns.order_days - 1);
    columns.avg_purchase_cycle_days = cycle;
    columns.next_purchase_date =
        FormatDate(Date{last.days + static_cast<int32_t>(std::llround(cycle))});
  }
  TENURE_RETURN_IF_ERROR(store::ScanLastContacts(db, set, [&](int64_t customer, int64_t at) {
    fresh[customer].last_contact_at = at;
    return Status::Ok();
  }));
  TENURE_RETURN_IF_ERROR(store::ScanOpenReceivables(
      db, set, [&](int64_t customer, int64_t open, std::string_view oldest_due) {
        MetricColumns& columns = fresh[customer];
        columns.receivables = open;
        columns.oldest_open_due_on = std::string(oldest_due);
        return Status::Ok();
      }));

  // Write only what changed; a customer with no inputs gets the empty values.
  const MetricColumns none;
  std::vector<int64_t> changed;
  TENURE_RETURN_IF_ERROR(
      store::ScanMetricColumns(db, set, [&](int64_t customer, const MetricColumns& stored) {
        auto it = fresh.find(customer);
        if (stored != (it == fresh.end() ? none : it->second)) changed.push_back(customer);
        return Status::Ok();
      }));
  auto writer = store::MetricColumnsWriter::Create(db);
  if (!writer.ok()) return writer.status();
  for (int64_t customer : changed) {
    auto it = fresh.find(customer);
    TENURE_RETURN_IF_ERROR((*writer)->Write(customer, it == fresh.end() ? none : it->second));
  }
  return static_cast<int64_t>(changed.size());
}

}  // namespace

Status RefreshMetrics(store::Database& db, std::span<const int64_t> customer_ids) {
  std::vector<int64_t> ids(customer_ids.begin(), customer_ids.end());
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return Recompute(db, store::CustomerSet{false, ids}).status();
}

Result<int64_t> RefreshAllMetrics(store::Database& db) {
  return Recompute(db, store::CustomerSet{true, {}});
}

Result<int64_t> RebuildMetrics(store::Database& db) {
  store::Transaction txn(db);
  TENURE_RETURN_IF_ERROR(txn.status());
  Result<int64_t> changed = RefreshAllMetrics(db);
  if (!changed.ok()) return changed.status();
  TENURE_RETURN_IF_ERROR(txn.Commit());
  return changed;
}

Result<CustomerMetrics> LoadMetrics(store::Database& db, int64_t customer_id, Date as_of) {
  auto stored = store::ReadCustomerMetrics(db, customer_id, FormatDate(as_of));
  if (!stored.ok()) return stored.status();
  const MetricColumns& c = stored->first;
  CustomerMetrics m;
  m.first_order_date = DateOrNull(c.first_order_date);
  m.last_order_date = DateOrNull(c.last_order_date);
  m.order_count = c.order_count;
  m.order_days = c.order_days;
  m.cumulative_sales = c.cumulative_sales;
  m.gross_profit = c.gross_profit;
  m.average_purchase_cycle_days = c.avg_purchase_cycle_days;
  m.next_purchase_date = DateOrNull(c.next_purchase_date);
  if (m.next_purchase_date) {
    m.days_overdue_to_buy = std::max(0, as_of.days - m.next_purchase_date->days);
  }
  m.last_contact_at = c.last_contact_at;
  if (m.last_contact_at) {
    // Contacts later than the as-of date (a report for a past day) count as 0.
    m.days_since_last_contact = std::max(0, as_of.days - DateOf(*m.last_contact_at).days);
  }
  m.receivables = c.receivables;
  m.overdue_receivables = stored->second;
  m.oldest_open_due_on = DateOrNull(c.oldest_open_due_on);
  return m;
}

}  // namespace tenure::engine
