// Credit (docs/credit.md): a customer's credit file built from its payment
// history, the A-D rating with its reasons, storing the ratings of every
// customer, the credit-limit check on a new order (flag or refuse), and the
// customers who may leave to escape a debt.
//
// Payment history as of a day: an invoice counts when it was issued on or
// before that day (or has no issue date); its payment counts when paid_on is
// on or before that day (or paid_on is unknown). So a credit file for an
// earlier day reads as it would have then.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/numbers.h"
#include "common/status.h"
#include "common/time.h"
#include "domain/enums.h"
#include "store/care_queries.h"
#include "store/database.h"
#include "store/entity_table.h"

namespace tenure::engine {

// The rating rules, checked from D down; the first grade whose rule holds is
// the rating, and every rule that holds is a reason. Thresholds are "more
// than": 90 overdue days means 91 or more.
struct CreditRules {
  // D: an open balance more than this many days past due ...
  int d_overdue_days = 90;
  // ... or the customer was lost as a defaulter (latest churn event "lost",
  // type malicious or reason credit_default): the debt is written off.
  bool d_on_default = true;
  // C: an open balance more than this many days past due, or open balances
  // above this percentage of the credit limit.
  int c_overdue_days = 30;
  int c_limit_use_percent = 100;
  // B: a payment more than b_late_grace_days late within the last
  // b_late_window_days, anything overdue more than b_late_grace_days, or open
  // balances above b_limit_use_percent of the limit.
  int b_late_window_days = 365;
  int b_late_grace_days = 0;
  int b_limit_use_percent = 80;
  // A otherwise.
};

struct CreditFile {
  int64_t customer_id = 0;
  std::string customer;  // external id, else the id as text
  std::string name;
  std::string owner;
  Date as_of;
  int64_t invoices = 0;
  int64_t paid = 0;          // fully paid by as_of
  int64_t paid_on_time = 0;  // paid_on <= due_on (or paid_on unknown)
  int64_t paid_late = 0;
  double average_days_late = 0;  // over paid_late
  int64_t max_days_late = 0;
  int64_t late_in_window = 0;  // paid late (beyond the grace) within the B window
  int64_t open_invoices = 0;
  Money open_balance = 0;  // receivables: amount - payments, over open invoices
  int64_t overdue_invoices = 0;
  Money overdue_amount = 0;  // open balances past due
  int64_t oldest_overdue_days = 0;
  std::optional<Money> credit_limit;  // nullopt: no limit
  // open_balance / credit_limit; nullopt without a limit or with a zero one.
  std::optional<double> limit_use;
  std::optional<Date> defaulted_on;
  domain::CreditRating rating = domain::CreditRating::kA;
  std::vector<std::string> reasons;  // "D: ...", "B: ...", worst first
  std::optional<domain::CreditRating> stored_rating;
};

// The credit file from a customer's invoices (any order) on its own: no
// database. `customer_id`, names and the stored rating are left for the caller.
CreditFile ComputeCreditFile(std::span<const store::InvoiceFact> invoices,
                             std::optional<Money> credit_limit, std::optional<Date> defaulted_on,
                             Date as_of, const CreditRules& rules);

// The credit file of customer `key` (external or internal id as text, or
// RowKey::Internal). Errors: kNotFound naming CUSTOMER.
Result<CreditFile> BuildCreditFile(store::Database& db, const store::RowKey& key, Date as_of,
                                   const CreditRules& rules);

struct RatingRun {
  int64_t customers = 0;
  std::array<int64_t, 4> by_rating{};  // by domain::CreditRating code
  int64_t changed = 0;                 // customers whose stored rating changed
};
// Recomputes every customer's rating and stores the changed ones (bumping
// version and updated_at) in one transaction with one audit entry.
Result<RatingRun> RateCustomers(store::Database& db, Date as_of, const CreditRules& rules);

// ---------------------------------------------------------- credit limit

struct CreditCheck {
  std::optional<Money> credit_limit;  // nullopt: no limit, never exceeded
  Money receivables = 0;              // open invoice balances now
  Money amount = 0;                   // the new order
  bool exceeds = false;               // receivables + amount > credit_limit
};
// Whether an order of `amount` would take customer `customer_id` over its
// credit limit. Errors: kNotFound for no such customer.
Result<CreditCheck> CheckCreditLimit(store::Database& db, int64_t customer_id, Money amount);

enum class CreditPolicy { kFlag, kRefuse };

struct NewOrder {
  store::RowKey customer;
  std::string external_id;
  Date order_date;
  Money amount = 0;
  std::optional<Money> cost;
  std::optional<double> quantity;
  std::optional<int64_t> user_id;  // the salesperson who took it; none: nobody in particular
  CreditPolicy policy = CreditPolicy::kFlag;
  int currency_decimals = 2;  // for amounts in messages
};

struct OrderAdded {
  int64_t order_id = 0;
  std::string customer;
  CreditCheck check;
  bool flagged = false;  // over the limit and kept (policy flag)
};

// Writes a completed order in one transaction, after CheckCreditLimit: over
// the limit, with kRefuse it writes nothing and returns kConflict (message
// names the limit, the receivables and the amount); with kFlag it writes the
// order and an audit entry 'credit_flag'. Refreshes the customer's metrics.
// Errors (nothing written): kNotFound naming --customer; kInvalidArgument
// naming --amount, --cost or --quantity for negative numbers; kAlreadyExists
// naming --id.
Result<OrderAdded> AddOrder(store::Database& db, const NewOrder& order);

// --------------------------------------------------------------- defaulters

struct Defaulter {
  int64_t customer_id = 0;
  std::string customer;
  std::string name;
  std::string owner;
  Money overdue_amount = 0;  // every open balance past due
  Money receivables = 0;     // every open balance
  int64_t oldest_overdue_days = 0;
  Date oldest_due_on;  // due date of the oldest overdue balance
  std::optional<Date> last_order_date;
  std::optional<int64_t> days_since_last_order;
  std::optional<int64_t> days_since_last_contact;
  // Ordered on or after oldest_due_on: still buying while not paying. Those
  // who stopped are the likelier to leave to escape the debt.
  bool still_orders = false;
  domain::CreditRating rating = domain::CreditRating::kA;
};

// Customers with an open balance more than `min_days` past due as of
// `as_of`, by overdue amount (largest first; customer id breaks ties).
// Errors: kInvalidArgument naming --min-days when negative.
Result<std::vector<Defaulter>> FindDefaulters(store::Database& db, Date as_of, int min_days,
                                              const CreditRules& rules);

}  // namespace tenure::engine
