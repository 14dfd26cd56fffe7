// The SQL behind the playbooks (schema 015, engine/playbooks/): the
// customers' facts a rule reads that the risk history does not hold, and
// the tasks the rules create.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/database.h"

namespace tenure::store {

// A customer as a playbook sees it.
struct PlaybookCustomerRow {
  int64_t id = 0;
  int status = 0;  // domain::CustomerStatus
  std::optional<int64_t> owner_id;
  std::optional<int64_t> manager_id;  // the owner's team's manager
  std::string_view level, industry, source, province;
  // The latest risk scoring's, when scored.
  std::optional<double> risk_probability;
  std::optional<int64_t> value_at_risk;
  std::optional<int64_t> health;
};
Status ScanPlaybookCustomers(Database& db,
                             const std::function<Status(const PlaybookCustomerRow&)>& visit);

struct PlaybookTaskRow {
  int64_t id = 0;
  std::string rule;
  int64_t customer_id = 0;
  std::optional<int64_t> assignee_id;
  std::string action, title, why;
  std::string created_on, due_on;  // ISO dates
  int status = 0;                  // 0 open, 1 done, 2 dismissed
  std::optional<int64_t> closed_at;
  std::string outcome;
  std::string assignee;  // username, read only
};

// Adds an open task unless one is open for the same rule and customer;
// returns its id, or nullopt when one was open.
Result<std::optional<int64_t>> InsertPlaybookTask(Database& db, const PlaybookTaskRow& task);
// Whether a task is open for (rule, customer).
Result<bool> HasOpenPlaybookTask(Database& db, std::string_view rule, int64_t customer_id);
// nullopt when there is no such task.
Result<std::optional<PlaybookTaskRow>> LoadPlaybookTask(Database& db, int64_t id);
// Closes an open task: status 1 (done) or 2 (dismissed), with the outcome.
// Errors: kConflict when it is not open.
Status ClosePlaybookTask(Database& db, int64_t id, int status, std::string_view outcome,
                         int64_t at);
// Every task, oldest first.
Status ScanPlaybookTasks(Database& db, const std::function<Status(const PlaybookTaskRow&)>& visit);

}  // namespace tenure::store
