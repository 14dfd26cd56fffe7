#include "engine/metrics.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/customer_metrics.h"
#include "store/entity_table.h"
#include "store/record_tables.h"

namespace tenure::engine {
namespace {

using store::MetricColumns;

std::optional<Date> DateOrNull(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return ParseIsoDate(*text);
}

// One set of customers. Every scan comes in customer order, orders in date
// order within a customer.
Result<int64_t> Recompute(store::Database& db, const store::CustomerSet& set) {
  std::unordered_map<int64_t, MetricsAccumulator> inputs;
  if (!set.all) inputs.reserve(set.ids.size());
  int64_t current = -1;
  MetricsAccumulator* a = nullptr;
  TENURE_RETURN_IF_ERROR(store::ScanOrderFacts(db, set, [&](const store::OrderFact& order) {
    if (order.customer_id != current) {
      current = order.customer_id;
      a = &inputs[current];
    }
    a->AddOrder(order.order_date, order.amount, order.cost);
    return Status::Ok();
  }));
  TENURE_RETURN_IF_ERROR(
      store::ScanReturnTotals(db, set, [&](int64_t customer, int64_t amount, int64_t cost) {
        inputs[customer].AddReturns(amount, cost);
        return Status::Ok();
      }));
  TENURE_RETURN_IF_ERROR(store::ScanLastContacts(db, set, [&](int64_t customer, int64_t at) {
    inputs[customer].AddContact(at);
    return Status::Ok();
  }));
  TENURE_RETURN_IF_ERROR(store::ScanOpenReceivables(
      db, set, [&](int64_t customer, int64_t open, std::string_view oldest_due) {
        inputs[customer].AddOpenBalance(open, oldest_due);
        return Status::Ok();
      }));
  TENURE_RETURN_IF_ERROR(store::ScanOpenFollowUps(
      db, set, [&](int64_t customer, std::string_view first, std::string_view last) {
        inputs[customer].AddOpenFollowUps(first, last);
        return Status::Ok();
      }));
  // Write only what changed; a customer with no inputs gets the empty values.
  auto fresh = [&](int64_t customer) {
    auto it = inputs.find(customer);
    return it == inputs.end() ? MetricColumns() : it->second.Finish();
  };
  std::vector<int64_t> changed;
  store::MetricColumnMask columns = 0;  // the columns that changed on any of them
  int64_t customers = 0;
  TENURE_RETURN_IF_ERROR(
      store::ScanMetricColumns(db, set, [&](int64_t customer, const MetricColumns& stored) {
        ++customers;
        store::MetricColumnMask differ = store::DifferingColumns(stored, fresh(customer));
        if (differ != 0) {
          changed.push_back(customer);
          columns |= differ;
        }
        return Status::Ok();
      }));
  // Most customers changed (a bulk load): the indexes on the columns that
  // changed are rebuilt once rather than kept current on every row.
  std::vector<std::string> indexes;
  if (set.all && static_cast<int64_t>(changed.size()) * 2 > customers) {
    auto dropped = store::DropMetricIndexes(db, columns);
    if (!dropped.ok()) return dropped.status();
    indexes = std::move(*dropped);
  }
  {
    auto writer = store::MetricColumnsWriter::Create(db, columns);
    if (!writer.ok()) return writer.status();
    for (int64_t customer : changed) {
      TENURE_RETURN_IF_ERROR((*writer)->Write(customer, fresh(customer)));
    }
  }
  for (const std::string& sql : indexes) TENURE_RETURN_IF_ERROR(db.Exec(sql));
  return static_cast<int64_t>(changed.size());
}

}  // namespace

void MetricsAccumulator::AddOrder(std::string_view order_date, Money amount,
                                  std::optional<Money> cost) {
  if (m_.order_count == 0) {
    m_.first_order_date = std::string(order_date);
    m_.last_order_date = m_.first_order_date;
    m_.order_days = 1;
  } else if (order_date != *m_.last_order_date) {
    m_.last_order_date = std::string(order_date);
    ++m_.order_days;  // orders come in date order: a new date is a new order day
  }
  ++m_.order_count;
  m_.cumulative_sales += amount;
  m_.gross_profit += amount - cost.value_or(0);
}

void MetricsAccumulator::AddReturns(Money amount, Money cost) {
  m_.cumulative_sales -= amount;
  m_.gross_profit -= amount - cost;
}

void MetricsAccumulator::AddContact(Timestamp at) {
  m_.last_contact_at = std::max(m_.last_contact_at.value_or(at), at);
}

void MetricsAccumulator::AddOpenBalance(Money open, std::string_view due_on) {
  m_.receivables += open;
  if (!m_.oldest_open_due_on || due_on < *m_.oldest_open_due_on) {
    m_.oldest_open_due_on = std::string(due_on);
  }
}

void MetricsAccumulator::AddOpenFollowUps(std::string_view first, std::string_view last) {
  if (!m_.open_follow_up_first || first < *m_.open_follow_up_first) {
    m_.open_follow_up_first = std::string(first);
  }
  if (!m_.open_follow_up_last || last > *m_.open_follow_up_last) {
    m_.open_follow_up_last = std::string(last);
  }
}

store::MetricColumns MetricsAccumulator::Finish() const {
  MetricColumns columns = m_;
  if (columns.order_days < 2) return columns;  // no cycle below two order days
  Date first = *ParseIsoDate(*columns.first_order_date);
  Date last = *ParseIsoDate(*columns.last_order_date);
  double cycle = static_cast<double>(last.days - first.days) / (columns.order_days - 1);
  columns.avg_purchase_cycle_days = cycle;
  columns.next_purchase_date =
      FormatDate(Date{last.days + static_cast<int32_t>(std::llround(cycle))});
  return columns;
}

Status RefreshMetrics(store::Database& db, std::span<const int64_t> customer_ids) {
  std::vector<int64_t> ids(customer_ids.begin(), customer_ids.end());
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return Recompute(db, store::CustomerSet{false, ids}).status();
}

Status RefreshMetricsAfterImport(store::Database& db, std::vector<int64_t>& customers) {
  std::sort(customers.begin(), customers.end());
  customers.erase(std::unique(customers.begin(), customers.end()), customers.end());
  if (customers.empty()) return Status::Ok();
  auto total = store::CountRows(db, domain::SpecOf(domain::Entity::kCustomer));
  if (!total.ok()) return total.status();
  if (static_cast<int64_t>(customers.size()) * 4 > *total) return RefreshAllMetrics(db).status();
  return RefreshMetrics(db, customers);
}

Result<int64_t> RefreshAllMetrics(store::Database& db) {
  return Recompute(db, store::CustomerSet{true, {}});
}

Result<MetricsRebuild> RebuildMetrics(store::Database& db) {
  store::Transaction txn(db);
  TENURE_RETURN_IF_ERROR(txn.status());
  Result<int64_t> metrics = RefreshAllMetrics(db);
  if (!metrics.ok()) return metrics.status();
  Result<int64_t> record_tables = store::RebuildRecordTables(db);
  if (!record_tables.ok()) return record_tables.status();
  TENURE_RETURN_IF_ERROR(txn.Commit());
  return MetricsRebuild{*metrics, *record_tables};
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
