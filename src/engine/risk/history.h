// Everything the CRM knows about each customer, as dated events in memory:
// the input of the risk model's point-in-time features and labels
// (engine/risk/features.h). Loaded once per command (LoadHistory), grouped
// by customer and sorted by date, so that "what was known on day d" is a
// binary search per table.
#pragma once

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "store/database.h"

namespace tenure::engine::risk {

// A day that never comes (an unpaid invoice's payment day, an unresolved
// complaint's resolution).
inline constexpr int32_t kNever = INT32_MAX;

struct OrderEvent {
  int32_t day = 0;
  int64_t amount = 0;  // minor units
};
struct ContactEvent {
  int32_t day = 0;
  int8_t kind = 0;      // domain::ActivityKind
  int8_t outcome = -1;  // domain::ActivityOutcome, -1 when not recorded
};
struct ComplaintEvent {
  int32_t day = 0;                // opened
  int32_t resolved_day = kNever;  // resolved (or closed)
  int32_t deadline_day = kNever;  // opened + the severity's hours to resolve
  int8_t severity = 1;
};
struct InvoiceEvent {
  int32_t day = 0;  // issued (its creation day when no issue date)
  int32_t due_day = 0;
  int32_t paid_day = kNever;  // the day it was paid in full
  int64_t amount = 0;
};
struct ContractEvent {
  int32_t day = 0;  // signed (its start when not recorded)
  int32_t start_day = 0;
  int32_t end_day = kNever;        // its planned end
  int32_t cancelled_day = kNever;  // cancelled on (known from that day on)
  int32_t renewed_day = kNever;    // the day a contract renewing it was signed
  // The day it stops counting: its end, or its cancellation.
  int32_t StopDay() const { return std::min(end_day, cancelled_day); }
};
// Ownership changes, lost opportunities: a date each.
struct MarkEvent {
  int32_t day = 0;
};
struct ChurnEvent {
  int32_t day = 0;
  bool lost = true;  // false: won back
};

// Rows of one table for every customer: the rows of customer i are
// rows[offsets[i] .. offsets[i + 1]), sorted by day.
template <class T>
struct PerCustomer {
  std::vector<uint32_t> offsets;  // customers + 1 entries
  std::vector<T> rows;
  std::span<const T> Of(size_t customer) const {
    return {rows.data() + offsets[customer], rows.data() + offsets[customer + 1]};
  }
  // The rows of `customer` dated on or before `day`.
  std::span<const T> Until(size_t customer, int32_t day) const;
};

// The classification columns the model one-hot encodes.
inline constexpr size_t kClassColumns = 4;
inline constexpr std::array<const char*, kClassColumns> kClassColumnNames = {"industry", "level",
                                                                             "source", "province"};

struct CustomerInfo {
  int64_t id = 0;
  int32_t since_day = 0;  // acquired, else created
  // Per classification column, the index of the customer's value in
  // History::class_values, or -1 (empty, or too rare to encode).
  std::array<int16_t, kClassColumns> classes{};
  int8_t credit_rating = -1;  // domain::CreditRating, -1 when not rated
  // Marked lost (domain::CustomerStatus) now: scoring skips it, though the
  // point-in-time population goes by the churn events.
  bool marked_lost = false;
};

struct History {
  std::vector<CustomerInfo> customers;  // by id
  // Per classification column, the values encoded (the most frequent, at
  // most kMaxClassValues).
  std::array<std::vector<std::string>, kClassColumns> class_values;  // a ClassValues
  PerCustomer<OrderEvent> orders;                                    // not cancelled
  PerCustomer<ContactEvent> contacts;
  PerCustomer<ComplaintEvent> complaints;
  PerCustomer<InvoiceEvent> invoices;
  PerCustomer<ContractEvent> contracts;
  PerCustomer<MarkEvent> owner_changes;
  PerCustomer<MarkEvent> lost_opportunities;
  PerCustomer<ChurnEvent> churn;
  // The newest day of any order, contact or churn event: a label needs its
  // whole horizon on or before it.
  int32_t last_day = 0;

  size_t size() const { return customers.size(); }
  // The index of the customer with this id; nullopt when there is none.
  std::optional<size_t> IndexOf(int64_t id) const;
};

inline constexpr size_t kMaxClassValues = 24;

using ClassValues = std::array<std::vector<std::string>, kClassColumns>;

// Reads every customer and their rows. `deadline_hours` are the hours to
// resolve a complaint by severity (app::Config::complaint_deadline_hours).
// The classification values encoded are the most frequent ones, or
// `class_values` when given (those a stored model was trained with).
// Errors: store errors; kCorruption for a stored date that does not parse
// (the table named).
// Invoices paid in full before `invoices_since` are left out: they are open
// at no snapshot on or after it (features.h), and most of a long history's
// invoices are such.
// The tables are read on `db` and, when it is a file and there are two
// cores, on a second read-only connection at once; so a row committed by
// another connection while they run may be seen by one read and not by
// another (as between any two reads outside one transaction).
Result<History> LoadHistory(store::Database& db, const std::array<int, 4>& deadline_hours,
                            const ClassValues* class_values = nullptr,
                            std::optional<Date> invoices_since = std::nullopt);

}  // namespace tenure::engine::risk
