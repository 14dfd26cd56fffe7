// Handing over a departing salesperson's customers (docs/handover.md): every
// customer the user owns moves, with its open follow-ups, open opportunities
// and open complaints assigned to that user, to one of the receivers, in one
// transaction that leaves an ownership_changes row per customer (reason
// "handover") and an audit entry. And the report on how the handed-over
// customers fared afterwards compared with the others.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/numbers.h"
#include "common/status.h"
#include "common/time.h"
#include "engine/scope.h"
#include "store/database.h"
#include "store/handover_queries.h"

namespace tenure::engine {

enum class HandoverMethod {
  // Customers in id order dealt to the receivers in turn, in --to order.
  kRoundRobin,
  // Customers grouped by province; a province holding more than a fair share
  // (ceil(customers / receivers)) is split into its cities. Each group stays
  // together; groups go, largest first (ties by province, then city), to the
  // receiver with the fewest customers so far (ties: the earlier in --to).
  kRegion,
};
// "round-robin" or "region"; kInvalidArgument naming --by otherwise.
Result<HandoverMethod> ParseHandoverMethod(std::string_view text);

struct HandoverOptions {
  std::string from;             // username (or external or internal id)
  std::vector<std::string> to;  // receivers, same keys
  HandoverMethod method = HandoverMethod::kRoundRobin;
  Timestamp at = 0;         // changed_at of the ownership changes
  bool dry_run = false;     // plan only, write nothing
  bool deactivate = false;  // also set the departing user inactive, left_on = the day of `at`
};

struct HandoverReceiver {
  store::UserRef user;
  int64_t customers = 0;
  int64_t activities = 0;  // open follow-ups moved to this receiver
  int64_t opportunities = 0;
  int64_t complaints = 0;
};

struct HandoverAssignment {
  store::OwnedCustomer customer;
  size_t receiver = 0;  // index into HandoverPlan::receivers
};

struct HandoverPlan {
  store::UserRef from;
  std::vector<HandoverReceiver> receivers;
  std::vector<HandoverAssignment> assignments;  // in customer id order
  HandoverMethod method = HandoverMethod::kRoundRobin;
  Timestamp at = 0;
  // Open items assigned to the departing user on customers it does not own;
  // they stay with that user (a handover moves customers, not the user's desk).
  int64_t open_items_elsewhere = 0;
  bool applied = false;      // false for a dry run
  bool deactivated = false;  // the departing user was set inactive
};

// Plans the handover and, unless options.dry_run, carries it out in one
// transaction. Errors (nothing written): kNotFound for an unknown user
// ("--from", "--to"); kInvalidArgument for no receivers, a receiver named
// twice, --to containing --from, or an inactive receiver ("--to").
Result<HandoverPlan> RunHandover(store::Database& db, const HandoverOptions& options);

// A manager's or administrator's choice of customers for one salesperson.
struct Reassignment {
  std::vector<int64_t> customers;  // internal ids
  std::string to;                  // the receiver: username, external or internal id
  Timestamp at = 0;                // changed_at of the ownership changes
  std::string reason = "reassigned";
};
// Moves each customer, with its open items, to `to` (and its team), leaving
// an ownership_changes row per customer that changed owner and one audit
// entry, in one transaction. Returns how many changed owner. An
// administrator reassigns any customer to any active user; a manager their
// team's customers to their team's members. Errors (nothing written):
// kPermissionDenied for other roles or a receiver outside the manager's team
// ("to"); kNotFound for a customer outside the scope ("customers") or an
// unknown receiver ("to"); kInvalidArgument for no customers or an inactive
// receiver.
Result<int64_t> ReassignCustomers(store::Database& db, const Scope& scope, const Reassignment& r);

// The assignment rules on their own: for customers (in id order) the index of
// the receiver each goes to.
std::vector<size_t> AssignRoundRobin(size_t customers, size_t receivers);
std::vector<size_t> AssignByRegion(const std::vector<store::OwnedCustomer>& customers,
                                   size_t receivers);

// One group of the fared report, per customer.
struct FaredStats {
  int64_t customers = 0;
  int64_t lost = 0;
  double lost_share = 0;
  int64_t orders = 0;
  Money sales = 0;
  double orders_per_customer = 0;
  double sales_per_customer = 0;  // minor units
  int64_t contacted = 0;
  double contacted_share = 0;
};

struct HandoverReport {
  store::UserRef from;
  Date handover_on;  // the day of the user's first handover
  Date as_of;
  int64_t handed_over = 0;  // distinct customers ever handed over from the user
  FaredStats handed;        // of those, the ones active on the handover day
  FaredStats others;        // every other customer active on that day
};

// Compares, over the days after the handover day up to `as_of`, the customers
// handed over from `from` (ownership changes with reason "handover" or
// "salesperson left") with all other customers active on the handover day.
// Errors: kNotFound for an unknown user ("--from") or one with no handover.
Result<HandoverReport> BuildHandoverReport(store::Database& db, const std::string& from,
                                           Date as_of);

}  // namespace tenure::engine
