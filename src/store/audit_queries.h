// Reading the audit log (table audit_log: who changed what, when, before and
// after), newest first. Writing it: AppendAudit (entity_table.h) and
// AppendAuditChange (care_queries.h).
//
// Thread safety: as Database.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "store/customer_scope.h"
#include "store/database.h"

namespace tenure::store {

struct AuditEntry {
  int64_t id = 0;
  Timestamp at = 0;
  std::optional<int64_t> user_id;
  std::string username;  // empty when no user (the command line)
  std::string action;
  std::string entity;
  std::optional<int64_t> entity_id;
  std::string before_json;  // empty when none
  std::string after_json;
};

// Who reads the audit log, when not an administrator: they see the entries
// of the customers in `customers` and of those customers' records, the
// entries of their own account and (a manager) of the accounts and the team
// of `team_id`, and the churn reasons. Logins and logouts of others, and
// entries of no row (imports, the demo), only an administrator sees.
struct AuditReader {
  CustomerScope customers;
  int64_t user_id = 0;
  std::optional<int64_t> team_id;  // a manager's team; nullopt for others
};

struct AuditQuery {
  std::optional<AuditReader> reader;  // nullopt: every entry (an administrator)
  std::string entity;                 // only this table's entries; empty: all
  std::optional<int64_t> entity_id;   // only this row's
  std::optional<int64_t> user_id;     // only this user's
  int64_t before_id = 0;              // keyset: entries with a smaller id; 0: the newest
  int limit = 50;
};

// A page of entries, newest (largest id) first. An entry is judged by its
// row as it is now: the entries of a customer moved to another team go with
// it.
Result<std::vector<AuditEntry>> ReadAuditLog(Database& db, const AuditQuery& query);

}  // namespace tenure::store
