// The SQL behind the risk model (schema 014, engine/risk/): reading every
// dated row its features and labels are built from, and keeping the trained
// model (risk_runs), each customer's latest risk (customer_risk) and the
// health history (health_history).
//
// The scans hand over raw rows in no particular order; engine/risk/history.h
// groups them by customer and sorts them by date.
#pragma once

#include <climits>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/database.h"

namespace tenure::store {

// A customer as the risk model sees it: when it became one and the
// classification columns (empty text when NULL).
struct RiskCustomerRow {
  int64_t id = 0;
  int64_t created_at = 0;        // unix time
  std::string_view acquired_on;  // ISO date or empty
  std::string_view industry, level, source, province;
  int credit_rating = -1;  // domain::CreditRating code, -1 when NULL
  int status = 0;          // domain::CustomerStatus code
};

// Dates are ISO text as stored ("" for NULL), times unix seconds (-1 for
// NULL): converting is the caller's business.
struct RiskOrderRow {
  int64_t customer_id = 0;
  std::string_view order_date;
  int64_t amount = 0;
};
struct RiskActivityRow {
  int64_t customer_id = 0;
  int64_t occurred_at = 0;
  int kind = 0;
  int outcome = -1;  // -1 when NULL
};
struct RiskComplaintRow {
  int64_t customer_id = 0;
  int64_t opened_at = 0;
  int64_t resolved_at = -1;
  int severity = 1;
};
struct RiskInvoiceRow {
  int64_t customer_id = 0;
  std::string_view issued_on, due_on, paid_on;
  int64_t created_at = 0;
  int64_t amount = 0, paid_amount = 0;
};
struct RiskContractRow {
  int64_t id = 0;
  int64_t customer_id = 0;
  std::string_view signed_on, start_date, end_date, cancelled_on;
  int status = 0;
  int64_t renewal_of = 0;  // 0 when NULL
};
// Ownership changes, lost opportunities (closed_on) and churn events
// (occurred_on; kind 0 lost, 1 won back): one dated mark each.
struct RiskMarkRow {
  int64_t customer_id = 0;
  std::string_view date;  // ISO date
  int64_t at = -1;        // unix time, for ownership changes
  int kind = 0;
};

// Ids from `first` to `last`, both included: the big tables are read in
// parts, each on its own connection.
struct IdRange {
  int64_t first = INT64_MIN, last = INT64_MAX;
};
// The highest customer id and invoice id (0 when a table is empty), to cut
// the ranges.
struct RiskIdBounds {
  int64_t customer = 0, invoice = 0;
};
Result<RiskIdBounds> ReadRiskIdBounds(Database& db);

// One scan per table, every row (orders: not cancelled, of the customers in
// the range; opportunities: lost, stage 6, with a closing date). Errors:
// store errors, or what `visit` returns.
Status ScanRiskCustomers(Database& db, const std::function<Status(const RiskCustomerRow&)>& visit);
Status ScanRiskOrders(Database& db, IdRange customers,
                      const std::function<Status(const RiskOrderRow&)>& visit);
Status ScanRiskActivities(Database& db, const std::function<Status(const RiskActivityRow&)>& visit);
Status ScanRiskComplaints(Database& db,
                          const std::function<Status(const RiskComplaintRow&)>& visit);
// Invoices with an id in the range: only those not paid in full before
// `paid_since` (ISO date; empty: every invoice), the only ones that can be
// open on or after it.
Status ScanRiskInvoices(Database& db, std::string_view paid_since, IdRange invoices,
                        const std::function<Status(const RiskInvoiceRow&)>& visit);
Status ScanRiskContracts(Database& db, const std::function<Status(const RiskContractRow&)>& visit);
Status ScanOwnershipChanges(Database& db, const std::function<Status(const RiskMarkRow&)>& visit);
Status ScanLostOpportunities(Database& db, const std::function<Status(const RiskMarkRow&)>& visit);
Status ScanChurnMarks(Database& db, const std::function<Status(const RiskMarkRow&)>& visit);

// Each scored customer's CLV from the latest `tenure score` (customer_scores),
// by customer id.
Status ScanStoredClv(Database& db,
                     const std::function<Status(int64_t customer, int64_t clv)>& visit);

// A trained model as risk_runs keeps it.
struct RiskRun {
  int64_t id = 0;
  int64_t trained_at = 0;  // unix time
  std::string as_of;       // the validation snapshot, ISO date
  int horizon_days = 0;
  std::string features;  // feature names, one per line
  std::string model;     // XGBoost's JSON
  int rounds = 0;
  double calibration_a = 1, calibration_b = 0;  // Platt: p = 1 / (1 + exp(-(a * logit + b)))
  int64_t rows_train = 0, rows_validation = 0;
  double auc = 0, pr_auc = 0, brier = 0, lift = 0;  // on the validation snapshot
};

// Adds a run; returns its id.
Result<int64_t> InsertRiskRun(Database& db, const RiskRun& run);
// The newest run (highest id); nullopt when no model was trained.
Result<std::optional<RiskRun>> ReadLatestRiskRun(Database& db);

// One customer's latest risk as a scoring run writes it.
struct RiskValues {
  double probability = 0;     // of being lost within the run's horizon
  int64_t value_at_risk = 0;  // minor units
  int health = 100;           // 0..100
  std::optional<int> health_month_ago;
  std::string reasons;  // engine/risk's encoding of up to three reasons
  friend bool operator==(const RiskValues&, const RiskValues&) = default;
};

// Replaces every customer's stored risk with a scoring run's, and adds the
// run's health to health_history (replacing a row of the same day). When
// the stored risk is of the newest day in health_days and the run's day
// comes after it, only the customers whose health differs from the stored
// one (or who had none) get a history row: the history keeps the days a
// customer's health changed. Otherwise every customer gets one. Begin()
// empties customer_risk and drops its indexes; Finish() rebuilds them.
// REQUIRES: a transaction is open from Begin() to Finish(). Not thread-safe.
class RiskWriter {
 public:
  static constexpr size_t kBatchRows = 64;  // rows per INSERT statement

  static Result<std::unique_ptr<RiskWriter>> Begin(Database& db, int64_t run_id,
                                                   std::string_view as_of);
  Status Write(int64_t customer_id, const RiskValues& values);
  Status Finish();

 private:
  struct Statements {
    std::unique_ptr<Statement> risk, history;  // each for `rows` rows
  };
  RiskWriter(Database& db, int64_t run_id, std::string as_of, Statements batch, Statements single,
             std::vector<std::string> indexes, std::optional<std::vector<int8_t>> previous)
      : db_(db),
        run_id_(run_id),
        as_of_(std::move(as_of)),
        batch_(std::move(batch)),
        single_(std::move(single)),
        indexes_(std::move(indexes)),
        previous_(std::move(previous)) {}
  // Insert the first `rows` pending rows of customer_risk, of health_history.
  Status FlushRisk(Statement& statement, size_t rows);
  Status FlushHistory(Statement& statement, size_t rows);

  Database& db_;
  int64_t run_id_;
  std::string as_of_;
  Statements batch_, single_;
  std::vector<std::pair<int64_t, RiskValues>> pending_;
  std::vector<std::pair<int64_t, int>> pending_history_;  // customer, health
  std::vector<std::string> indexes_;
  // By customer id, the stored health (-1: none) when only changes go to
  // the history; nullopt when every customer gets a row.
  std::optional<std::vector<int8_t>> previous_;
};

// One customer's stored risk with its run's horizon and scoring date.
struct StoredRisk {
  RiskValues values;
  int horizon_days = 0;
  std::string scored_as_of;  // ISO date of the scoring run
};
// nullopt when the customer has no stored risk.
Result<std::optional<StoredRisk>> ReadCustomerRisk(Database& db, int64_t customer_id);

// A customer's health history, oldest first: (ISO date, health).
Result<std::vector<std::pair<std::string, int>>> ReadHealthHistory(Database& db,
                                                                   int64_t customer_id);

// Records the scoring date of the run that wrote customer_risk.
Status MarkRiskRunScored(Database& db, int64_t run_id, std::string_view as_of, int64_t at);

}  // namespace tenure::store
