// The sales-team report (`tenure team report`, docs/reports.md): per
// salesperson, and optionally per day, how much they contacted customers, how
// well it went, how many deals they won and how many customers they lost; and
// one customer's contact history (`tenure team history`). Read-only.
//
// Definitions, for a period of days [from, to] (UTC days for activities):
//  * contacts: activities of any kind by the user; visits: those of kind visit;
//    effective, high-value, unsuccessful: by activities.outcome (an activity
//    without an outcome counts only as a contact);
//  * contact success rate = (effective + high-value) / contacts: a high-value
//    contact is an effective one that also moved the deal;
//  * win rate = opportunities won / closed, closed = stage won or lost with
//    closed_on in the period, by the opportunity's owner;
//  * loss rate = customers lost / customers owned at the start: the customers
//    the user owned at the start of `from` (see store::LoadOwnedAtStart for
//    how the owner is reconstructed from ownership_changes) that have a churn
//    event of kind lost in the period.
// A rate is nullopt when its denominator is 0.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "store/database.h"

namespace tenure::engine {

struct TeamReportOptions {
  Date from;
  Date to;
  bool by_day = false;  // also split each salesperson by day
  std::string user;     // only this username; empty: everyone
  std::string team;     // only this team's members; empty: every team
};

struct TeamCounts {
  int64_t contacts = 0;
  int64_t visits = 0;
  int64_t effective = 0;
  int64_t high_value = 0;
  int64_t unsuccessful = 0;
  int64_t opportunities_won = 0;
  int64_t opportunities_lost = 0;
  int64_t customers_lost = 0;  // of customers_at_start
  // Customers owned at the start of the period; the same on each day row.
  int64_t customers_at_start = 0;

  std::optional<double> ContactSuccessRate() const;
  std::optional<double> WinRate() const;
  std::optional<double> LossRate() const;
};

struct TeamDay {
  std::string day;  // ISO date
  TeamCounts counts;
};

struct Salesperson {
  int64_t user_id = 0;   // 0 for the row of activities and deals with no user
  std::string username;  // "(none)" for that row
  std::string full_name;
  std::string team;
  TeamCounts counts;
  std::vector<TeamDay> days;  // with by_day: days with any number, in order
};

struct TeamReport {
  Date from;
  Date to;
  bool by_day = false;
  // Active salespeople and managers of the selection, and anyone else with a
  // number in the period, by username.
  std::vector<Salesperson> people;
  TeamCounts total;
};

// Errors: kInvalidArgument on --to when to < from; kNotFound on --user or
// --team naming no user or team.
Result<TeamReport> BuildTeamReport(store::Database& db, const TeamReportOptions& options);

struct ContactEntry {
  int64_t id = 0;
  Timestamp occurred_at = 0;
  std::string user;     // username, empty when none
  std::string contact;  // the person contacted, empty when none
  std::string kind;     // activity kind name
  std::string outcome;  // outcome name, empty when none
  std::string notes;
  std::optional<Date> follow_up_on;
  bool follow_up_done = false;
};

struct ContactHistory {
  int64_t customer_id = 0;
  std::string external_id;
  std::string name;
  std::vector<ContactEntry> entries;  // newest first
};

// The contact history of the customer whose external id (or internal id) is
// `key`. Errors: kNotFound on --customer.
Result<ContactHistory> LoadContactHistory(store::Database& db, std::string_view key);

}  // namespace tenure::engine
