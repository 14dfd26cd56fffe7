#include "engine/risk/history.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "common/stopwatch.h"
#include "common/time.h"
#include "store/risk_queries.h"

namespace tenure::engine::risk {

template <class T>
std::span<const T> PerCustomer<T>::Until(size_t customer, int32_t day) const {
  std::span<const T> all = Of(customer);
  auto end = std::upper_bound(all.begin(), all.end(), day,
                              [](int32_t d, const T& row) { return d < row.day; });
  return {all.begin(), end};
}

template struct PerCustomer<OrderEvent>;
template struct PerCustomer<ContactEvent>;
template struct PerCustomer<ComplaintEvent>;
template struct PerCustomer<InvoiceEvent>;
template struct PerCustomer<ContractEvent>;
template struct PerCustomer<MarkEvent>;
template struct PerCustomer<ChurnEvent>;

namespace {

// Lets the interning map be searched with a string_view (no string made).
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

// Customer id -> dense index: a table when the ids are dense enough, else a
// binary search over the sorted ids.
class CustomerIndex {
 public:
  explicit CustomerIndex(const std::vector<CustomerInfo>& customers) {
    ids_.reserve(customers.size());
    for (const CustomerInfo& c : customers) ids_.push_back(c.id);
    int64_t max_id = ids_.empty() ? 0 : ids_.back();
    if (max_id >= 0 && max_id <= static_cast<int64_t>(16 * ids_.size() + 1024)) {
      dense_.assign(static_cast<size_t>(max_id) + 1, -1);
      for (size_t i = 0; i < ids_.size(); ++i) dense_[static_cast<size_t>(ids_[i])] = int32_t(i);
    }
  }
  // -1 when the id is not a customer's.
  int32_t Of(int64_t id) const {
    if (!dense_.empty()) {
      return id >= 0 && static_cast<size_t>(id) < dense_.size() ? dense_[static_cast<size_t>(id)]
                                                                : -1;
    }
    auto it = std::lower_bound(ids_.begin(), ids_.end(), id);
    return it != ids_.end() && *it == id ? static_cast<int32_t>(it - ids_.begin()) : -1;
  }

 private:
  std::vector<int64_t> ids_;
  std::vector<int32_t> dense_;
};

// Collects (customer index, row) pairs of one table, then groups them.
template <class T>
class Grouper {
 public:
  void Add(int32_t customer, const T& row) {
    if (customer < 0) return;  // a row of no customer (a broken reference)
    owner_.push_back(customer);
    rows_.push_back(row);
  }
  PerCustomer<T> Build(size_t customers) {
    PerCustomer<T> out;
    out.offsets.assign(customers + 1, 0);
    for (int32_t c : owner_) ++out.offsets[static_cast<size_t>(c) + 1];
    for (size_t i = 0; i < customers; ++i) out.offsets[i + 1] += out.offsets[i];
    out.rows.resize(rows_.size());
    std::vector<uint32_t> next(out.offsets.begin(), out.offsets.end() - 1);
    for (size_t i = 0; i < rows_.size(); ++i) {
      out.rows[next[static_cast<size_t>(owner_[i])]++] = rows_[i];
    }
    owner_ = {};
    rows_ = {};
    for (size_t c = 0; c < customers; ++c) {
      auto first = out.rows.begin() + out.offsets[c];
      auto last = out.rows.begin() + out.offsets[c + 1];
      if (!std::is_sorted(first, last, [](const T& a, const T& b) { return a.day < b.day; })) {
        std::sort(first, last, [](const T& a, const T& b) { return a.day < b.day; });
      }
    }
    return out;
  }

 private:
  std::vector<int32_t> owner_;
  std::vector<T> rows_;
};

Status BadDate(std::string_view table, std::string_view column, std::string_view text) {
  return Status::Corruption("risk: " + std::string(table) + "." + std::string(column) +
                            " holds \"" + std::string(text) + "\", not a date");
}

// Days of an ISO date column; nullopt for an empty one.
Result<std::optional<int32_t>> DayOf(std::string_view table, std::string_view column,
                                     std::string_view text) {
  if (text.empty()) return std::optional<int32_t>();
  std::optional<Date> date = ParseIsoDate(text.substr(0, std::min<size_t>(text.size(), 10)));
  if (!date) return BadDate(table, column, text);
  return std::optional<int32_t>(date->days);
}

}  // namespace

Result<History> LoadHistory(store::Database& db, const std::array<int, 4>& deadline_hours,
                            const ClassValues* class_values, std::optional<Date> invoices_since) {
  Stopwatch dbg;
  History h;
  // Classification values are interned as they come (one string per
  // distinct value, not per customer), counted, and the most frequent kept.
  struct Interned {
    std::unordered_map<std::string, int32_t, StringHash, std::equal_to<>> ids;
    std::vector<std::string> values;
    std::vector<int64_t> counts;
    int32_t Of(std::string_view value) {
      if (value.empty()) return -1;
      auto it = ids.find(value);
      if (it != ids.end()) {
        ++counts[static_cast<size_t>(it->second)];
        return it->second;
      }
      const auto id = static_cast<int32_t>(values.size());
      ids.emplace(std::string(value), id);
      values.emplace_back(value);
      counts.push_back(1);
      return id;
    }
  };
  std::array<Interned, kClassColumns> interned;
  std::vector<std::array<int32_t, kClassColumns>> raw;  // interned ids per customer
  TENURE_RETURN_IF_ERROR(store::ScanRiskCustomers(db, [&](const store::RiskCustomerRow& r) {
    CustomerInfo info;
    info.id = r.id;
    info.since_day = DateOf(r.created_at).days;
    auto acquired = DayOf("customers", "acquired_on", r.acquired_on);
    if (!acquired.ok()) return acquired.status();
    if (*acquired) info.since_day = **acquired;
    info.credit_rating = static_cast<int8_t>(r.credit_rating);
    raw.push_back({interned[0].Of(r.industry), interned[1].Of(r.level), interned[2].Of(r.source),
                   interned[3].Of(r.province)});
    h.customers.push_back(info);
    return Status::Ok();
  }));
  // Rows come in rowid order; sort defensively (ids must ascend for the index).
  if (!std::is_sorted(h.customers.begin(), h.customers.end(),
                      [](const CustomerInfo& a, const CustomerInfo& b) { return a.id < b.id; })) {
    std::vector<size_t> order(h.customers.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return h.customers[a].id < h.customers[b].id; });
    std::vector<CustomerInfo> customers;
    std::vector<std::array<int32_t, kClassColumns>> values;
    for (size_t i : order) {
      customers.push_back(h.customers[i]);
      values.push_back(raw[i]);
    }
    h.customers = std::move(customers);
    raw = std::move(values);
  }
  for (size_t k = 0; k < kClassColumns; ++k) {
    const Interned& column = interned[k];
    if (class_values != nullptr) {
      h.class_values[k] = (*class_values)[k];
    } else {
      std::vector<int32_t> ranked(column.values.size());
      for (size_t i = 0; i < ranked.size(); ++i) ranked[i] = static_cast<int32_t>(i);
      // Most frequent first; equal counts by value, so the order repeats.
      std::sort(ranked.begin(), ranked.end(), [&](int32_t a, int32_t b) {
        const auto ca = column.counts[static_cast<size_t>(a)];
        const auto cb = column.counts[static_cast<size_t>(b)];
        return ca != cb
                   ? ca > cb
                   : column.values[static_cast<size_t>(a)] < column.values[static_cast<size_t>(b)];
      });
      for (size_t i = 0; i < ranked.size() && i < kMaxClassValues; ++i) {
        h.class_values[k].push_back(column.values[static_cast<size_t>(ranked[i])]);
      }
    }
    // Interned id -> code in class_values (-1: not encoded).
    std::vector<int16_t> code(column.values.size(), -1);
    for (size_t i = 0; i < h.class_values[k].size(); ++i) {
      auto it = column.ids.find(h.class_values[k][i]);
      if (it != column.ids.end()) code[static_cast<size_t>(it->second)] = static_cast<int16_t>(i);
    }
    for (size_t c = 0; c < h.customers.size(); ++c) {
      const int32_t id = raw[c][k];
      h.customers[c].classes[k] = id < 0 ? int16_t{-1} : code[static_cast<size_t>(id)];
    }
  }
  raw = {};
  const size_t n = h.customers.size();
  CustomerIndex index(h.customers);
  if (getenv("HDBG")) fprintf(stderr, "%s %.2f\n", "CustomerIndex index(", dbg.Lap());

  Grouper<OrderEvent> orders;
  TENURE_RETURN_IF_ERROR(store::ScanRiskOrders(db, [&](const store::RiskOrderRow& r) {
    auto day = DayOf("orders", "order_date", r.order_date);
    if (!day.ok()) return day.status();
    if (!*day) return BadDate("orders", "order_date", r.order_date);
    orders.Add(index.Of(r.customer_id), {**day, r.amount});
    h.last_day = std::max(h.last_day, **day);
    return Status::Ok();
  }));
  h.orders = orders.Build(n);
  if (getenv("HDBG")) fprintf(stderr, "%s %.2f\n", "h.orders = orders.Bu", dbg.Lap());

  Grouper<ContactEvent> contacts;
  TENURE_RETURN_IF_ERROR(store::ScanRiskActivities(db, [&](const store::RiskActivityRow& r) {
    int32_t day = DateOf(r.occurred_at).days;
    contacts.Add(index.Of(r.customer_id),
                 {day, static_cast<int8_t>(r.kind), static_cast<int8_t>(r.outcome)});
    h.last_day = std::max(h.last_day, day);
    return Status::Ok();
  }));
  h.contacts = contacts.Build(n);
  if (getenv("HDBG")) fprintf(stderr, "%s %.2f\n", "h.contacts = contact", dbg.Lap());

  Grouper<ComplaintEvent> complaints;
  TENURE_RETURN_IF_ERROR(store::ScanRiskComplaints(db, [&](const store::RiskComplaintRow& r) {
    ComplaintEvent e;
    e.day = DateOf(r.opened_at).days;
    if (r.resolved_at >= 0) e.resolved_day = DateOf(r.resolved_at).days;
    int severity = std::clamp(r.severity, 0, 3);
    e.severity = static_cast<int8_t>(severity);
    e.deadline_day =
        DateOf(r.opened_at +
               static_cast<int64_t>(deadline_hours[static_cast<size_t>(severity)]) * 3600)
            .days;
    complaints.Add(index.Of(r.customer_id), e);
    return Status::Ok();
  }));
  h.complaints = complaints.Build(n);
  if (getenv("HDBG")) fprintf(stderr, "%s %.2f\n", "h.complaints = compl", dbg.Lap());

  Grouper<InvoiceEvent> invoices;
  const std::string paid_since = invoices_since ? FormatDate(*invoices_since) : std::string();
  TENURE_RETURN_IF_ERROR(
      store::ScanRiskInvoices(db, paid_since, [&](const store::RiskInvoiceRow& r) {
        InvoiceEvent e;
        auto issued = DayOf("invoices", "issued_on", r.issued_on);
        auto due = DayOf("invoices", "due_on", r.due_on);
        auto paid = DayOf("invoices", "paid_on", r.paid_on);
        for (auto* day : {&issued, &due, &paid}) {
          if (!day->ok()) return day->status();
        }
        if (!*due) return BadDate("invoices", "due_on", r.due_on);
        e.due_day = **due;
        e.day = *issued ? **issued : std::min(DateOf(r.created_at).days, e.due_day);
        // Paid in full on paid_on; a part payment leaves it open.
        if (*paid && r.paid_amount >= r.amount) e.paid_day = **paid;
        e.amount = r.amount;
        invoices.Add(index.Of(r.customer_id), e);
        return Status::Ok();
      }));
  h.invoices = invoices.Build(n);
  if (getenv("HDBG")) fprintf(stderr, "%s %.2f\n", "h.invoices = invoice", dbg.Lap());

  // Contracts: a renewal (renewal_of) marks the contract it renews as
  // renewed on the renewal's signing day.
  struct RawContract {
    int64_t id, renewal_of;
    int32_t customer;
    ContractEvent e;
  };
  std::vector<RawContract> raw_contracts;
  TENURE_RETURN_IF_ERROR(store::ScanRiskContracts(db, [&](const store::RiskContractRow& r) {
    ContractEvent e;
    auto signed_on = DayOf("contracts", "signed_on", r.signed_on);
    auto start = DayOf("contracts", "start_date", r.start_date);
    auto end = DayOf("contracts", "end_date", r.end_date);
    auto cancelled = DayOf("contracts", "cancelled_on", r.cancelled_on);
    for (auto* day : {&signed_on, &start, &end, &cancelled}) {
      if (!day->ok()) return day->status();
    }
    if (!*start) return BadDate("contracts", "start_date", r.start_date);
    e.start_day = **start;
    e.day = *signed_on ? std::min(**signed_on, e.start_day) : e.start_day;
    if (*end) e.end_day = **end;
    if (r.status == 2) e.cancelled_day = *cancelled ? std::max(**cancelled, e.day) : e.start_day;
    raw_contracts.push_back({r.id, r.renewal_of, index.Of(r.customer_id), e});
    return Status::Ok();
  }));
  {
    std::unordered_map<int64_t, size_t> by_id;
    for (size_t i = 0; i < raw_contracts.size(); ++i) by_id[raw_contracts[i].id] = i;
    for (const RawContract& c : raw_contracts) {
      if (c.renewal_of == 0) continue;
      auto it = by_id.find(c.renewal_of);
      if (it == by_id.end()) continue;
      int32_t& renewed = raw_contracts[it->second].e.renewed_day;
      renewed = std::min(renewed, c.e.day);
    }
    Grouper<ContractEvent> contracts;
    for (const RawContract& c : raw_contracts) contracts.Add(c.customer, c.e);
    h.contracts = contracts.Build(n);
  }

  Grouper<MarkEvent> owners;
  TENURE_RETURN_IF_ERROR(store::ScanOwnershipChanges(db, [&](const store::RiskMarkRow& r) {
    owners.Add(index.Of(r.customer_id), {DateOf(r.at).days});
    return Status::Ok();
  }));
  h.owner_changes = owners.Build(n);
  if (getenv("HDBG")) fprintf(stderr, "%s %.2f\n", "h.owner_changes = ow", dbg.Lap());

  Grouper<MarkEvent> lost;
  TENURE_RETURN_IF_ERROR(store::ScanLostOpportunities(db, [&](const store::RiskMarkRow& r) {
    auto day = DayOf("opportunities", "closed_on", r.date);
    if (!day.ok()) return day.status();
    if (*day) lost.Add(index.Of(r.customer_id), {**day});
    return Status::Ok();
  }));
  h.lost_opportunities = lost.Build(n);

  Grouper<ChurnEvent> churn;
  TENURE_RETURN_IF_ERROR(store::ScanChurnMarks(db, [&](const store::RiskMarkRow& r) {
    auto day = DayOf("churn_events", "occurred_on", r.date);
    if (!day.ok()) return day.status();
    if (!*day) return BadDate("churn_events", "occurred_on", r.date);
    churn.Add(index.Of(r.customer_id), {**day, r.kind == 0});
    h.last_day = std::max(h.last_day, **day);
    return Status::Ok();
  }));
  h.churn = churn.Build(n);
  if (getenv("HDBG")) fprintf(stderr, "%s %.2f\n", "h.churn = churn.Buil", dbg.Lap());
  return h;
}

}  // namespace tenure::engine::risk
