// The SQL behind the salesperson's workbench (engine/workbench.h has the
// definitions of the lists, docs/workbench.md the thresholds). Read-only.
//
// A list for every customer is two statements on indexes of
// 003_workbench.sql: a COUNT that is an index range count, and a page that is
// an index-ordered scan with LIMIT. A list seen by an owner or a team starts
// from that owner's or team's customers (customers_owner, customers_team): on
// the customers table it keeps the rows the list wants and sorts them for the
// page; on another table (activities, contracts, ...) it probes that table's
// customer index. That is one statement, which reads the page's rows and
// counts the other matches in the same pass.
// The exceptions are AtRisk and SlippingAway, whose condition spans a score
// table and customers: their count for every customer reads the scores at or
// above the threshold.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "store/customer_scope.h"
#include "store/database.h"

namespace tenure::store {

// A user as the scope needs it; nullopt when there is no such username.
struct ScopeUserRow {
  int64_t id = 0;
  int64_t role = 0;  // domain::UserRole
  std::optional<int64_t> team_id;
  std::string team;  // team name, empty when none
};
Result<std::optional<ScopeUserRow>> FindScopeUser(Database& db, const std::string& username);
// The id of the team called `name`; nullopt when there is none.
Result<std::optional<int64_t>> FindTeamId(Database& db, const std::string& name);

// One row of a list: the customer and the date/amount that put it there.
struct WorkbenchRow {
  int64_t customer_id = 0;
  std::string external_id;  // empty when none
  std::string name;
  std::string owner;               // username, empty when none
  std::string date;                // ISO date or timestamp, empty when none
  std::optional<int64_t> amount;   // minor units
  std::string note;                // what to do (playbook_tasks), empty otherwise
  std::optional<int64_t> task_id;  // the playbook task (playbook_tasks), nullopt otherwise
  std::string task_action;         // its action (call, renewal, confirm_loss, ...), else empty
};

struct WorkbenchPage {
  int64_t count = 0;  // rows in the whole list
  std::vector<WorkbenchRow> rows;
};

// The first `limit` rows and the count of each list. Dates are ISO text;
// ranges are closed [from, to] unless said otherwise.

// Activities with an open follow-up (follow_up_done = 0) due in [from, to],
// by due date. `from` empty: no lower bound.
Result<WorkbenchPage> OpenFollowUps(Database& db, const CustomerScope& scope,
                                    const std::string& from, const std::string& to, int limit);
// Customers whose last_order_date is in [from, to], latest first.
Result<WorkbenchPage> OrderedRecently(Database& db, const CustomerScope& scope,
                                      const std::string& from, const std::string& to, int limit);
// Customers not lost whose next_purchase_date is before `before`, most overdue first.
Result<WorkbenchPage> OverdueToBuy(Database& db, const CustomerScope& scope,
                                   const std::string& before, int limit);
// Customers not lost, with an order, whose last order is more than
// `multiple` average purchase cycles (or `default_days` without a cycle)
// before `as_of`; longest dormant first. The index serves multiple 3.0 and
// default_days 365 (the defaults); other values give the same answer by a scan.
Result<WorkbenchPage> Dormant(Database& db, const CustomerScope& scope, const std::string& as_of,
                              double multiple, int default_days, int limit);
// Open playbook tasks (playbook_tasks, status 0), the earliest due first.
// Date: the due day; note: the task's id, title and why ("#12 Call: a top
// customer at risk (risk 0.72, value_tier A)").
Result<WorkbenchPage> PlaybookTasks(Database& db, const CustomerScope& scope, int limit);
// Whether `tenure risk score` has stored any customer's risk.
Result<bool> HasRiskScores(Database& db);
// Customers with a stored risk (customer_risk: the last `tenure risk
// score`) not lost whose probability of being lost is at least
// `probability`, the most value at risk first (ties: lower id first). Date:
// the last order; amount: the value at risk. For every customer the page
// reads customer_risk_value from the top and the count the range of
// customer_risk_probability (docs/workbench.md).
Result<WorkbenchPage> AtRisk(Database& db, const CustomerScope& scope, double probability,
                             int limit);
// Customers not lost whose probability of being lost is at least
// `probability`, the most likely first: with `by_risk` the risk model's
// (customer_risk; amount: the value at risk), else the purchase model's
// probability of no purchase in the next 90 days (customer_scores; amount:
// the CLV). Date: the last order.
Result<WorkbenchPage> SlippingAway(Database& db, const CustomerScope& scope, double probability,
                                   bool by_risk, int limit);

struct YearCount {
  int year = 0;
  int64_t count = 0;
};
// Churn events of kind lost on or before `to`, latest first, and their counts
// by year of occurred_on (latest year first).
// `known_count`: the count when the caller has it (the sum of LostByYear).
Result<WorkbenchPage> LostEvents(Database& db, const CustomerScope& scope, const std::string& to,
                                 int limit, std::optional<int64_t> known_count = std::nullopt);
Result<std::vector<YearCount>> LostByYear(Database& db, const CustomerScope& scope,
                                          const std::string& to);

// Customers created in [from, to) (UTC seconds), newest first.
Result<WorkbenchPage> CreatedBetween(Database& db, const CustomerScope& scope, Timestamp from,
                                     Timestamp to, int limit);
// Customers updated in [from, to) and updated after they were created, latest first.
Result<WorkbenchPage> UpdatedBetween(Database& db, const CustomerScope& scope, Timestamp from,
                                     Timestamp to, int limit);
// Opportunities in stage lost closed in [from, to], latest first; amount: the opportunity's.
Result<WorkbenchPage> LostOpportunities(Database& db, const CustomerScope& scope,
                                        const std::string& from, const std::string& to, int limit);
// Contracts overlapping [from, to]: started on or before `to`, and ending
// (end_date, or cancelled_on when cancelled) on or after `from` and not
// before they started; soonest ending first. Date: the end (empty when open-ended); amount: the
// value.
Result<WorkbenchPage> CurrentContracts(Database& db, const CustomerScope& scope,
                                       const std::string& from, const std::string& to, int limit);
// New contracts (renewal_of IS NULL) signed in [from, to], latest first.
Result<WorkbenchPage> SignedContracts(Database& db, const CustomerScope& scope,
                                      const std::string& from, const std::string& to, int limit);
// Complaints open or in progress whose deadline, opened_at +
// deadline_seconds[severity], is before `before`; most overdue first. Date:
// the deadline (ISO timestamp).
Result<WorkbenchPage> OverdueComplaints(Database& db, const CustomerScope& scope, Timestamp before,
                                        const std::array<int64_t, 4>& deadline_seconds, int limit);
// Customers whose oldest open invoice was due before `before`, oldest first.
// Amount: their receivables.
Result<WorkbenchPage> OverdueReceivables(Database& db, const CustomerScope& scope,
                                         const std::string& before, int limit);
// Customers whose receivables exceed their credit limit, largest first.
Result<WorkbenchPage> OverCreditLimit(Database& db, const CustomerScope& scope, int limit);

}  // namespace tenure::store
