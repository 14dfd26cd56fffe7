// The SQL behind customer care and credit: complaints and demands
// (engine/complaints.h has the rules), the payment history a credit file is
// built from, the receivables an order is checked against, and the audit
// entries that record changes and credit flags (engine/credit.h).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/numbers.h"
#include "common/status.h"
#include "common/time.h"
#include "store/customer_scope.h"
#include "store/database.h"
#include "store/entity_table.h"

namespace tenure::store {

// ---------------------------------------------------------------- complaints

// One complaint row with the names the outside world uses for its references.
struct ComplaintRecord {
  int64_t id = 0;
  std::string external_id;  // empty when none
  int64_t customer_id = 0;
  std::string customer;  // the customer's external id, else its id as text
  std::string customer_name;
  std::optional<int64_t> contact_id;
  int kind = 0;      // domain::ComplaintKind
  int severity = 1;  // domain::Severity
  int status = 0;    // domain::ComplaintStatus
  std::string category;
  std::optional<int64_t> assignee_id;
  std::string assignee;  // username; empty when unassigned
  Timestamp opened_at = 0;
  std::optional<Timestamp> resolved_at;
  std::optional<int> satisfaction;  // 1..5
  std::string description;          // empty when NULL
  std::string resolution;
  int64_t version = 1;
  Timestamp updated_at = 0;
};

// The complaint whose external id is `key`; failing that, whose internal id
// is `key` (a whole number). nullopt when neither exists.
Result<std::optional<ComplaintRecord>> FindComplaint(Database& db, const RowKey& key);
// The complaint with internal id `id`; nullopt when none.
Result<std::optional<ComplaintRecord>> LoadComplaint(Database& db, int64_t id);
// The customer of contact `contact_id`; nullopt when there is no such contact.
Result<std::optional<int64_t>> ContactCustomer(Database& db, int64_t contact_id);

// Inserts a complaint (id, customer, assignee names and version are ignored;
// an empty external id is stored as NULL) and returns its id. Errors:
// kConflict on a constraint violation. REQUIRES: a transaction is open.
Result<int64_t> InsertComplaint(Database& db, const ComplaintRecord& c, Timestamp now);

// Writes the mutable columns (status, assignee_id, resolved_at, satisfaction,
// resolution) of row c.id when its stored version is still c.version, and
// bumps version and updated_at. Errors: kConflict when the row changed since
// it was read. REQUIRES: a transaction is open.
Status UpdateComplaint(Database& db, const ComplaintRecord& c, Timestamp now);

// Which complaints LoadComplaints returns; unset members do not filter.
struct ComplaintFilter {
  std::optional<int> status;
  std::optional<int64_t> customer_id;
  std::optional<int64_t> assignee_id;
  std::optional<Timestamp> opened_from;    // opened_at >= this
  std::optional<Timestamp> opened_before;  // opened_at < this
  // Keep only rows open at `unresolved_at`: opened before it, and resolved
  // at or after it (or, without resolved_at, open or in progress now).
  bool unresolved_at_only = false;
  Timestamp unresolved_at = 0;
  // Only complaints of the customers this scope allows.
  CustomerScope scope;
};
// The matching complaints, oldest opened first (id breaks ties).
Result<std::vector<ComplaintRecord>> LoadComplaints(Database& db, const ComplaintFilter& filter);

// An audit entry with the row before and after a change.
Status AppendAuditChange(Database& db, std::string_view action, std::string_view entity,
                         int64_t entity_id, std::string_view before_json,
                         std::string_view after_json);

// ------------------------------------------------------------------- credit

// A customer with its credit terms and owner.
struct CustomerCredit {
  int64_t id = 0;
  std::string external_id;  // empty when none
  std::string name;
  std::optional<Money> credit_limit;  // NULL: no limit
  std::optional<int> credit_rating;   // domain::CreditRating
  std::string owner;                  // username; empty when none
};
// The customer whose external id is `key`; failing that, whose internal id
// is `key`. nullopt when neither exists.
Result<std::optional<CustomerCredit>> FindCustomerCredit(Database& db, const RowKey& key);
// The customer with internal id `id`; nullopt when none.
Result<std::optional<CustomerCredit>> LoadCustomerCredit(Database& db, int64_t id);
// Every customer, in id order.
Status ScanCustomerCredit(Database& db, const std::function<Status(const CustomerCredit&)>& visit);

// One invoice as the credit file reads it.
struct InvoiceFact {
  int64_t customer_id = 0;
  std::optional<Date> issued_on;
  Date due_on;
  Money amount = 0;
  Money paid_amount = 0;
  std::optional<Date> paid_on;
};
// The invoices of one customer (or of all, when `customer_id` is nullopt), in
// customer order, then due date.
Status ScanInvoiceFacts(Database& db, std::optional<int64_t> customer_id,
                        const std::function<Status(const InvoiceFact&)>& visit);

// Customers whose latest churn event on or before `as_of` is "lost" with
// churn type malicious or the reason credit_default: customers who left owing
// money. Calls `visit` with the customer and the day of that event.
Status ScanDefaults(Database& db, Date as_of, std::optional<int64_t> customer_id,
                    const std::function<Status(int64_t customer, Date on)>& visit);

// Open invoice balances now: the sum of amount - paid_amount where paid is
// below amount (the definition of receivables, docs/metrics.md).
Result<Money> CurrentReceivables(Database& db, int64_t customer_id);

// Sets customers.credit_rating, bumping version and updated_at; reuses one
// prepared statement. REQUIRES: a transaction is open.
class CreditRatingWriter {
 public:
  static Result<std::unique_ptr<CreditRatingWriter>> Create(Database& db);
  Status Write(int64_t customer_id, int rating, Timestamp now);

 private:
  explicit CreditRatingWriter(std::unique_ptr<Statement> stmt) : stmt_(std::move(stmt)) {}
  std::unique_ptr<Statement> stmt_;
};

// What a customer did up to a day: its last order that is not cancelled and
// its last activity (both on or before `as_of`).
struct CustomerActivityAsOf {
  std::optional<Date> last_order_date;
  std::optional<Timestamp> last_contact_at;
};
Result<CustomerActivityAsOf> LoadCustomerActivity(Database& db, int64_t customer_id, Date as_of);

// -------------------------------------------------------------------- orders

struct NewOrderRow {
  std::string external_id;  // empty: NULL
  int64_t customer_id = 0;
  Date order_date;
  Money amount = 0;
  std::optional<Money> cost;
  std::optional<double> quantity;
  std::optional<int64_t> user_id;  // the salesperson who took it
};
// Whether an order with this external id exists.
Result<bool> OrderExternalIdExists(Database& db, std::string_view external_id);
// Inserts a completed order and returns its id. REQUIRES: a transaction.
Result<int64_t> InsertOrder(Database& db, const NewOrderRow& order, Timestamp now);
Result<int64_t> CountOrders(Database& db);

// An order flagged for going over its customer's credit limit: an audit
// entry with action 'credit_flag' on the order, whose after_json holds the
// limit, receivables and amount at the time.
struct CreditFlagRow {
  Timestamp at = 0;
  int64_t order_id = 0;
  std::string order;  // the order's external id, else its id as text
  std::string customer;
  std::string customer_name;
  std::string order_date;
  Money amount = 0;
  Money credit_limit = 0;
  Money receivables = 0;
};
// Every credit flag, newest first.
Result<std::vector<CreditFlagRow>> LoadCreditFlags(Database& db);

}  // namespace tenure::store
