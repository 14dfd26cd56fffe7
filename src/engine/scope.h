// What part of the company a user may see: the one place that decides it.
// A salesperson sees the customers they own, a manager the customers of their
// team, a service agent the customers of the complaints assigned to them, an
// administrator (or nobody in particular) every customer. The SQL condition a
// scope implies is built by the store (store::CustomerScopeSql).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/status.h"
#include "domain/enums.h"
#include "store/database.h"
#include "store/workbench_queries.h"

namespace tenure::engine {

struct Scope {
  std::string username;  // empty: nobody in particular (the administrator's view)
  domain::UserRole role = domain::UserRole::kAdmin;
  std::optional<int64_t> user_id;
  std::optional<int64_t> team_id;
  std::string team;  // team name, empty when none

  store::CustomerScope customers;  // what the store filters on

  // "all", "owner", "team" or "assignee": how the customers are chosen.
  std::string_view kind() const;
};

// Every customer, for no user in particular.
Scope EveryCustomer();

// The scope of a user whose role and team are known (a session carries them):
// sales -> own customers, manager -> their team's, service -> their
// complaints' customers, admin -> all. Errors: kInvalidArgument (field
// "--user") for a manager who belongs to no team.
Result<Scope> ScopeOf(const std::string& username, int64_t user_id, domain::UserRole role,
                      std::optional<int64_t> team_id, const std::string& team);

// Resolves a user's scope from their role: sales -> own customers, manager ->
// their team's, service -> their complaints' customers, admin -> all.
// Errors: kNotFound (field "--user") for an unknown username;
// kInvalidArgument (field "--user") for a manager who belongs to no team.
Result<Scope> ScopeOfUser(store::Database& db, const std::string& username);

// The customers of the team called `team` (as its manager sees them).
// Errors: kNotFound (field "--team") for an unknown team.
Result<Scope> ScopeOfTeam(store::Database& db, const std::string& team);

}  // namespace tenure::engine
