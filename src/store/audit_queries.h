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

struct AuditQuery {
  std::string entity;                // only this table's entries; empty: all
  std::optional<int64_t> entity_id;  // only this row's
  std::optional<int64_t> user_id;    // only this user's
  int64_t before_id = 0;             // keyset: entries with a smaller id; 0: the newest
  int limit = 50;
};

// A page of entries, newest (largest id) first.
Result<std::vector<AuditEntry>> ReadAuditLog(Database& db, const AuditQuery& query);

}  // namespace tenure::store
