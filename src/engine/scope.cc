#include "engine/scope.h"

namespace tenure::engine {

using Kind = store::CustomerScope::Kind;

std::string_view Scope::kind() const {
  switch (customers.kind) {
    case Kind::kAll:
      return "all";
    case Kind::kOwner:
      return "owner";
    case Kind::kTeam:
      return "team";
    case Kind::kComplaintAssignee:
      return "assignee";
  }
  return "all";
}

Scope EveryCustomer() { return Scope{}; }

Result<Scope> ScopeOf(const std::string& username, int64_t user_id, domain::UserRole role,
                      std::optional<int64_t> team_id, const std::string& team) {
  Scope scope;
  scope.username = username;
  scope.role = role;
  scope.user_id = user_id;
  scope.team_id = team_id;
  scope.team = team;
  switch (role) {
    case domain::UserRole::kAdmin:
      scope.customers = {Kind::kAll, 0};
      break;
    case domain::UserRole::kManager:
      if (!team_id) {
        return Status::InvalidArgument(
            "manager '" + username + "' belongs to no team; give the team with --team", "--user");
      }
      scope.customers = {Kind::kTeam, *team_id};
      break;
    case domain::UserRole::kSales:
      scope.customers = {Kind::kOwner, user_id};
      break;
    case domain::UserRole::kService:
      scope.customers = {Kind::kComplaintAssignee, user_id};
      break;
  }
  return scope;
}

Result<Scope> ScopeOfUser(store::Database& db, const std::string& username) {
  auto user = store::FindScopeUser(db, username);
  if (!user.ok()) return user.status();
  if (!user->has_value()) return Status::NotFound("no user '" + username + "'", "--user");
  const store::ScopeUserRow& row = **user;
  return ScopeOf(username, row.id, static_cast<domain::UserRole>(row.role), row.team_id, row.team);
}

Result<Scope> ScopeOfTeam(store::Database& db, const std::string& team) {
  auto id = store::FindTeamId(db, team);
  if (!id.ok()) return id.status();
  if (!id->has_value()) return Status::NotFound("no team '" + team + "'", "--team");
  Scope scope;
  scope.role = domain::UserRole::kManager;
  scope.team_id = **id;
  scope.team = team;
  scope.customers = {Kind::kTeam, **id};
  return scope;
}

}  // namespace tenure::engine
