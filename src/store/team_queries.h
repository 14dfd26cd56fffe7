// The SQL behind the sales-team report and the contact history
// (engine/team_report.h has the definitions). Read-only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "store/database.h"

namespace tenure::store {

struct TeamUserRow {
  int64_t id = 0;
  std::string username;
  std::string full_name;  // empty when none
  std::optional<int64_t> team_id;
  std::string team;  // team name, empty when none
  int64_t role = 0;  // domain::UserRole
  bool active = true;
};

// Every user, by username.
Result<std::vector<TeamUserRow>> LoadTeamUsers(Database& db);

// A closed day range [from, to] (ISO dates) and whether to split it by day.
struct TeamPeriod {
  Date from;
  Date to;
  bool by_day = false;
};

struct ActivityCountRow {
  std::optional<int64_t> user_id;
  std::string day;  // ISO date (UTC) with by_day, else empty
  int64_t contacts = 0;
  int64_t visits = 0;
  int64_t effective = 0;
  int64_t high_value = 0;
  int64_t unsuccessful = 0;
};

// Activities with occurred_at in the period (UTC days), by user (and day).
Result<std::vector<ActivityCountRow>> LoadActivityCounts(Database& db, const TeamPeriod& period);

struct OpportunityCloseRow {
  std::optional<int64_t> owner_id;
  std::string day;  // closed_on with by_day, else empty
  int64_t won = 0;
  int64_t lost = 0;
};

// Opportunities in stage won or lost with closed_on in the period, by
// opportunity owner (and day).
Result<std::vector<OpportunityCloseRow>> LoadOpportunityCloses(Database& db,
                                                               const TeamPeriod& period);

struct OwnedAtStartRow {
  int64_t owner_id = 0;
  std::optional<std::string> lost_on;  // first lost event in the period; nullopt: not lost
  int64_t customers = 0;
};

// The customers each user owned at the start of period.from, grouped by owner
// and by the day (if any) of their first churn event of kind lost within the
// period. The owner at the start is reconstructed from ownership_changes:
// the to_user_id of the latest change before that moment; with no change
// before it, the from_user_id of the earliest change after it; with no change
// at all, the current owner_id. A customer counts only when it was a customer
// at the start: not acquired after period.from, and not lost then (its latest
// churn event before period.from, if any, is not of kind lost).
Result<std::vector<OwnedAtStartRow>> LoadOwnedAtStart(Database& db, const TeamPeriod& period);

struct ContactHistoryRow {
  int64_t id = 0;
  Timestamp occurred_at = 0;
  std::optional<std::string> user;     // username
  std::optional<std::string> contact;  // contacts.name
  int64_t kind = 0;                    // domain::ActivityKind
  std::optional<int64_t> outcome;      // domain::ActivityOutcome
  std::optional<std::string> notes;
  std::optional<std::string> follow_up_on;
  bool follow_up_done = false;
};

struct CustomerHeader {
  int64_t id = 0;
  std::string external_id;  // empty when none
  std::string name;
};

// Errors: kNotFound when no customer has that id.
Result<CustomerHeader> LoadCustomerHeader(Database& db, int64_t customer_id);

// Every activity of the customer, newest first.
Result<std::vector<ContactHistoryRow>> LoadContactHistory(Database& db, int64_t customer_id);

}  // namespace tenure::store
