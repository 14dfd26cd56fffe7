// Playbooks (docs/playbooks.md): rules that turn a customer's signals into
// a task for the owner or the owner's manager, and the report of whether the
// tasks kept customers.
//
// RunPlaybooks evaluates every rule on every customer who counts at the
// as-of date (an order on or before it, not lost: engine/risk/features.h),
// from the same point-in-time signals as the risk model plus the stored
// risk, and adds a task for each (rule, customer) that fires unless one is
// open already. The workbench lists the open tasks (playbook_tasks).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "engine/playbooks/rules.h"
#include "engine/scope.h"
#include "store/database.h"
#include "store/playbook_queries.h"

namespace tenure::engine::playbooks {

struct RunOptions {
  Date as_of = TodayUtc();
  bool dry_run = false;  // evaluate and report; write nothing
  std::array<int, 4> deadline_hours = {168, 72, 24, 8};
};

struct FiredTask {
  std::string rule;
  int64_t customer_id = 0;
  std::optional<int64_t> assignee_id;  // none: no owner (or manager) to give it to
  std::string action, title, why;
  Date due;
  bool added = false;              // false: a task for this rule and customer is open already
  std::optional<int64_t> task_id;  // the task added (not on a dry run)
};

struct RuleCount {
  std::string rule;
  int64_t fired = 0, added = 0, already_open = 0;
};

struct RunReport {
  Date as_of;
  bool dry_run = false;
  int64_t customers = 0;  // evaluated
  std::vector<RuleCount> rules;
  std::vector<FiredTask> tasks;  // every (rule, customer) that fired
  int64_t added = 0, already_open = 0;
};

// Errors: store errors (nothing is written then: one transaction).
Result<RunReport> RunPlaybooks(store::Database& db, const std::vector<Rule>& rules,
                               const RunOptions& options);

// Closes an open task as done (with its outcome) or dismissed. For a
// confirm_loss task done with `lost_type` set, records the loss (churn
// event of that type and `reasons`, on `on`) in the same transaction.
struct CloseInput {
  int64_t task_id = 0;
  bool dismiss = false;
  std::string outcome;
  std::string lost_type, reasons;  // confirm_loss only
  Date on = TodayUtc();
  std::string closed_by;  // username, recorded on a loss
  // Who may close it (the API's caller): its assignee, or a user whose scope
  // holds its customer. nullopt: anybody (the command line).
  std::optional<Scope> scope;
};
// Closes the task, and for a confirm_loss task given a lost_type records the
// loss in the churn registry, in one transaction with an audit entry.
// Returns the closed task. Errors: kNotFound (no such task, or one the scope
// may not see), kConflict (not open), kInvalidArgument (a loss type on a
// task that is not confirm_loss or is dismissed, naming "lost_type"; the
// churn registry's errors for the loss), with nothing written.
Result<store::PlaybookTaskRow> CloseTask(store::Database& db, const CloseInput& input);

// The effect report: for each rule, the customers it fired on whose task
// was done against those whose task was not (open past its due day, or
// dismissed), and how many of each were retained, not lost within
// `horizon_days` of the task (engine/risk/features.h LostWithin). Tasks whose
// horizon is not over by as_of are counted as pending.
struct EffectOptions {
  Date as_of = TodayUtc();
  int horizon_days = 90;
  std::array<int, 4> deadline_hours = {168, 72, 24, 8};
};
struct RuleEffect {
  std::string rule;
  int64_t tasks = 0, pending = 0;
  int64_t done = 0, done_retained = 0;
  int64_t not_done = 0, not_done_retained = 0;
  // Retention rates and their difference (done - not done) with its 95 %
  // confidence interval (Wald, normal approximation); NaN without both groups.
  double done_rate = 0, not_done_rate = 0, difference = 0, low = 0, high = 0;
};
struct EffectReport {
  Date as_of;
  int horizon_days = 0;
  std::vector<RuleEffect> rules;
};
Result<EffectReport> BuildEffectReport(store::Database& db, const EffectOptions& options);

}  // namespace tenure::engine::playbooks
