#include "engine/risk/history.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>

#include "common/parallel.h"
#include "common/time.h"
#include "domain/enums.h"
#include "store/risk_queries.h"

namespace tenure::engine::risk {

template <class T>
std::span<const T> PerCustomer<T>::Until(size_t customer, int32_t day) const {
  std::span<const T> all = Of(customer);
  auto end = std::upper_bound(all.begin(), all.end(), day,
                              [](int32_t d, const T& row) { return d < row.day; });
  return {all.begin(), end};
}

std::optional<size_t> History::IndexOf(int64_t id) const {
  auto it = std::lower_bound(customers.begin(), customers.end(), id,
                             [](const CustomerInfo& c, int64_t value) { return c.id < value; });
  if (it == customers.end() || it->id != id) return std::nullopt;
  return static_cast<size_t>(it - customers.begin());
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

// Classification values interned as they come (one string per distinct
// value, not per customer) and counted, so the most frequent can be kept.
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

// The rows of one table as read (or of one part of it), with the customer
// ids as stored (a part may be read before the customers are), a run of
// consecutive rows of one customer at a time: the reads come mostly by
// customer (always, for the orders' index). A cache line of its own: the
// reads fill neighbouring Rows on two threads at once, and a shared line
// would travel between the cores at every row.
template <class T>
struct alignas(64) Rows {
  struct Run {
    int64_t customer_id;
    uint32_t rows;
  };
  std::vector<Run> runs;
  std::vector<T> rows;
  void Add(int64_t customer_id, const T& row) {
    if (runs.empty() || runs.back().customer_id != customer_id) runs.push_back({customer_id, 0});
    ++runs.back().rows;
    rows.push_back(row);
  }
};

// Groups the rows of every part by customer index, sorted by day; rows of no
// customer (a broken reference) are dropped. Empties the parts.
template <class T>
PerCustomer<T> Group(std::span<Rows<T>> parts, const CustomerIndex& index, size_t customers) {
  PerCustomer<T> out;
  out.offsets.assign(customers + 1, 0);
  std::vector<int32_t> at;  // each run's customer index, part after part
  for (const Rows<T>& part : parts) {
    for (const typename Rows<T>::Run& run : part.runs) {
      const int32_t c = index.Of(run.customer_id);
      at.push_back(c);
      if (c >= 0) out.offsets[static_cast<size_t>(c) + 1] += run.rows;
    }
  }
  for (size_t i = 0; i < customers; ++i) out.offsets[i + 1] += out.offsets[i];
  out.rows.resize(out.offsets[customers]);
  std::vector<uint32_t> next(out.offsets.begin(), out.offsets.end() - 1);
  size_t k = 0;
  for (Rows<T>& part : parts) {
    auto row = part.rows.begin();
    for (const typename Rows<T>::Run& run : part.runs) {
      const int32_t c = at[k++];
      if (c >= 0) {
        std::copy_n(row, run.rows, out.rows.begin() + next[static_cast<size_t>(c)]);
        next[static_cast<size_t>(c)] += run.rows;
      }
      row += run.rows;
    }
    part = {};
  }
  auto by_day = [](const T& a, const T& b) { return a.day < b.day; };
  for (size_t c = 0; c < customers; ++c) {
    auto first = out.rows.begin() + out.offsets[c];
    auto last = out.rows.begin() + out.offsets[c + 1];
    if (!std::is_sorted(first, last, by_day)) std::sort(first, last, by_day);
  }
  return out;
}

template <class T>
PerCustomer<T> Group(Rows<T>& rows, const CustomerIndex& index, size_t customers) {
  return Group(std::span<Rows<T>>(&rows, 1), index, customers);
}

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

namespace {

// What the reads collect, before grouping.
struct RawHistory {
  std::vector<CustomerInfo> customers;
  std::array<Interned, kClassColumns> interned;
  std::vector<std::array<int32_t, kClassColumns>> classes;  // interned ids per customer
  std::array<Rows<OrderEvent>, 2> orders;                   // two parts
  Rows<ContactEvent> contacts;
  Rows<ComplaintEvent> complaints;
  std::array<Rows<InvoiceEvent>, 2> invoices;  // two parts
  struct Contract {
    int64_t id, renewal_of;
    ContractEvent e;
  };
  std::vector<Contract> contracts;
  Rows<ContractEvent> contract_rows;  // filled from `contracts` after the reads
  Rows<MarkEvent> owner_changes, lost_opportunities;
  Rows<ChurnEvent> churn;
};

Status ReadCustomers(store::Database& db, RawHistory& raw) {
  return store::ScanRiskCustomers(db, [&](const store::RiskCustomerRow& r) {
    CustomerInfo info;
    info.id = r.id;
    info.since_day = DateOf(r.created_at).days;
    auto acquired = DayOf("customers", "acquired_on", r.acquired_on);
    if (!acquired.ok()) return acquired.status();
    if (*acquired) info.since_day = **acquired;
    info.credit_rating = static_cast<int8_t>(r.credit_rating);
    info.marked_lost = r.status == static_cast<int>(domain::CustomerStatus::kLost);
    raw.classes.push_back({raw.interned[0].Of(r.industry), raw.interned[1].Of(r.level),
                           raw.interned[2].Of(r.source), raw.interned[3].Of(r.province)});
    raw.customers.push_back(info);
    return Status::Ok();
  });
}

Status ReadOrders(store::Database& db, store::IdRange customers, Rows<OrderEvent>& out) {
  return store::ScanRiskOrders(db, customers, [&](const store::RiskOrderRow& r) {
    auto day = DayOf("orders", "order_date", r.order_date);
    if (!day.ok()) return day.status();
    if (!*day) return BadDate("orders", "order_date", r.order_date);
    out.Add(r.customer_id, {**day, r.amount});
    return Status::Ok();
  });
}

Status ReadContacts(store::Database& db, Rows<ContactEvent>& out) {
  return store::ScanRiskActivities(db, [&](const store::RiskActivityRow& r) {
    out.Add(r.customer_id, {DateOf(r.occurred_at).days, static_cast<int8_t>(r.kind),
                            static_cast<int8_t>(r.outcome)});
    return Status::Ok();
  });
}

Status ReadComplaints(store::Database& db, const std::array<int, 4>& deadline_hours,
                      Rows<ComplaintEvent>& out) {
  return store::ScanRiskComplaints(db, [&](const store::RiskComplaintRow& r) {
    ComplaintEvent e;
    e.day = DateOf(r.opened_at).days;
    if (r.resolved_at >= 0) e.resolved_day = DateOf(r.resolved_at).days;
    int severity = std::clamp(r.severity, 0, 3);
    e.severity = static_cast<int8_t>(severity);
    e.deadline_day =
        DateOf(r.opened_at +
               static_cast<int64_t>(deadline_hours[static_cast<size_t>(severity)]) * 3600)
            .days;
    out.Add(r.customer_id, e);
    return Status::Ok();
  });
}

Status ReadInvoices(store::Database& db, const std::string& paid_since, store::IdRange ids,
                    Rows<InvoiceEvent>& out) {
  return store::ScanRiskInvoices(db, paid_since, ids, [&](const store::RiskInvoiceRow& r) {
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
    out.Add(r.customer_id, e);
    return Status::Ok();
  });
}

Status ReadContracts(store::Database& db, RawHistory& raw) {
  return store::ScanRiskContracts(db, [&](const store::RiskContractRow& r) {
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
    raw.contracts.push_back({r.id, r.renewal_of, e});
    raw.contract_rows.Add(r.customer_id, e);
    return Status::Ok();
  });
}

Status ReadMarks(store::Database& db, RawHistory& raw) {
  TENURE_RETURN_IF_ERROR(store::ScanOwnershipChanges(db, [&](const store::RiskMarkRow& r) {
    raw.owner_changes.Add(r.customer_id, {DateOf(r.at).days});
    return Status::Ok();
  }));
  TENURE_RETURN_IF_ERROR(store::ScanLostOpportunities(db, [&](const store::RiskMarkRow& r) {
    auto day = DayOf("opportunities", "closed_on", r.date);
    if (!day.ok()) return day.status();
    if (*day) raw.lost_opportunities.Add(r.customer_id, {**day});
    return Status::Ok();
  }));
  return store::ScanChurnMarks(db, [&](const store::RiskMarkRow& r) {
    auto day = DayOf("churn_events", "occurred_on", r.date);
    if (!day.ok()) return day.status();
    if (!*day) return BadDate("churn_events", "occurred_on", r.date);
    raw.churn.Add(r.customer_id, {**day, r.kind == 0});
    return Status::Ok();
  });
}

// Runs the reads on `db` and, when it is a file, on a second read-only
// connection beside it: each takes the next read not yet taken, so the two
// cores share the SQLite work. Returns the first failure in read order.
Status RunReads(store::Database& db,
                const std::vector<std::function<Status(store::Database&)>>& reads) {
  std::unique_ptr<store::Database> second;
  const std::string& path = db.path();
  if (ParallelThreads() > 1 && !path.empty() && path != ":memory:") {
    store::OpenOptions options;
    options.create = false;
    options.read_only = true;
    auto opened = store::Database::OpenSqlite(path, options);
    if (opened.ok()) second = std::move(*opened);  // else all on `db`
  }
  std::vector<Status> status(reads.size(), Status::Ok());
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  auto work = [&](store::Database& connection) {
    for (size_t i = next++; i < reads.size() && !failed; i = next++) {
      status[i] = reads[i](connection);
      if (!status[i].ok()) failed = true;
    }
  };
  if (second) {
    std::thread helper([&] { work(*second); });
    work(db);
    helper.join();
  } else {
    work(db);
  }
  for (const Status& s : status) TENURE_RETURN_IF_ERROR(s);
  return Status::Ok();
}

// Orders the customers by id (rows come in rowid order; this is defensive)
// and encodes their classification values.
void EncodeCustomers(RawHistory& raw, const ClassValues* class_values, History& h) {
  h.customers = std::move(raw.customers);
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
      values.push_back(raw.classes[i]);
    }
    h.customers = std::move(customers);
    raw.classes = std::move(values);
  }
  for (size_t k = 0; k < kClassColumns; ++k) {
    const Interned& column = raw.interned[k];
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
      const int32_t id = raw.classes[c][k];
      h.customers[c].classes[k] = id < 0 ? int16_t{-1} : code[static_cast<size_t>(id)];
    }
  }
  raw.classes = {};
}

}  // namespace

Result<History> LoadHistory(store::Database& db, const std::array<int, 4>& deadline_hours,
                            const ClassValues* class_values, std::optional<Date> invoices_since) {
  auto bounds = store::ReadRiskIdBounds(db);
  if (!bounds.ok()) return bounds.status();
  RawHistory raw;
  const std::string paid_since = invoices_since ? FormatDate(*invoices_since) : std::string();
  // The two biggest tables in halves, biggest reads first.
  const int64_t customer_half = bounds->customer / 2, invoice_half = bounds->invoice / 2;
  const std::vector<std::function<Status(store::Database&)>> reads = {
      [&](store::Database& d) {
        return ReadOrders(d, {INT64_MIN, customer_half}, raw.orders[0]);
      },
      [&](store::Database& d) {
        return ReadOrders(d, {customer_half + 1, INT64_MAX}, raw.orders[1]);
      },
      [&](store::Database& d) {
        return ReadInvoices(d, paid_since, {INT64_MIN, invoice_half}, raw.invoices[0]);
      },
      [&](store::Database& d) {
        return ReadInvoices(d, paid_since, {invoice_half + 1, INT64_MAX}, raw.invoices[1]);
      },
      [&](store::Database& d) { return ReadCustomers(d, raw); },
      [&](store::Database& d) { return ReadContacts(d, raw.contacts); },
      [&](store::Database& d) { return ReadContracts(d, raw); },
      [&](store::Database& d) { return ReadComplaints(d, deadline_hours, raw.complaints); },
      [&](store::Database& d) { return ReadMarks(d, raw); },
  };
  TENURE_RETURN_IF_ERROR(RunReads(db, reads));

  History h;
  EncodeCustomers(raw, class_values, h);
  const size_t n = h.customers.size();
  const CustomerIndex index(h.customers);
  // A renewal (renewal_of) marks the contract it renews as renewed on the
  // renewal's signing day.
  {
    std::unordered_map<int64_t, size_t> by_id;
    for (size_t i = 0; i < raw.contracts.size(); ++i) by_id[raw.contracts[i].id] = i;
    for (const RawHistory::Contract& c : raw.contracts) {
      if (c.renewal_of == 0) continue;
      auto it = by_id.find(c.renewal_of);
      if (it == by_id.end()) continue;
      int32_t& renewed = raw.contract_rows.rows[it->second].renewed_day;
      renewed = std::min(renewed, c.e.day);
    }
    raw.contracts = {};
  }
  // The orders grouped on a second thread beside the rest.
  std::thread orders([&] { h.orders = Group(std::span<Rows<OrderEvent>>(raw.orders), index, n); });
  h.contacts = Group(raw.contacts, index, n);
  h.complaints = Group(raw.complaints, index, n);
  h.invoices = Group(std::span<Rows<InvoiceEvent>>(raw.invoices), index, n);
  h.contracts = Group(raw.contract_rows, index, n);
  h.owner_changes = Group(raw.owner_changes, index, n);
  h.lost_opportunities = Group(raw.lost_opportunities, index, n);
  h.churn = Group(raw.churn, index, n);
  orders.join();
  // The newest day of any order, contact or churn event.
  for (const auto& row : h.orders.rows) h.last_day = std::max(h.last_day, row.day);
  for (const auto& row : h.contacts.rows) h.last_day = std::max(h.last_day, row.day);
  for (const auto& row : h.churn.rows) h.last_day = std::max(h.last_day, row.day);
  return h;
}

}  // namespace tenure::engine::risk
