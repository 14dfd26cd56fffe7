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

Result<Scope> ScopeOfUser(store::Database& db, const std::string& username) {
  auto user = store::FindScopeUser(db, username);
  if (!user.ok()) return user.status();
  if (!user->has_value()) return Status::NotFound("no user '" + username + "'", "--user");
  const store::ScopeUserRow& row = **user;
  Scope scope;
  scope.username = username;
  scope.role = static_cast<domain::UserRole>(row.role);
  scope.user_id = row.id;
  scope.team_id = row.team_id;
  scope.team = row.team;
  switch (scope.role) {
    case domain::UserRole::kAdmin:
      scope.customers = {Kind::kAll, 0};
      break;
    case domain::UserRole::kManager:
      if (!row.team_id) {
        return Status::InvalidArgument(
            "manager '" + username + "' belongs to no team; give the team with --team", "--user");
      }
      scope.customers = {Kind::kTeam, *row.team_id};
      break;
    case domain::UserRole::kSales:
      scope.customers = {Kind::kOwner, row.id};
      break;
    case domain::UserRole::kService:
      scope.customers = {Kind::kComplaintAssignee, row.id};
      break;
  }
  return scope;
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
