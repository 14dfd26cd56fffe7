// GET /workbench and GET /workbench/{list}: the daily lists, scoped to the
// user or, for managers and administrators, to a salesperson or team they
// pick (engine/workbench.h).
#include "api/json_codec.h"
#include "api/routes.h"
#include "store/account_queries.h"

namespace tenure::api {
namespace {

Result<engine::WorkbenchOptions> OptionsOf(Context& c) {
  engine::WorkbenchOptions options = c.options.workbench;
  auto as_of = DateParam(c.request, "as_of", DateOf(c.now));
  if (!as_of.ok()) return as_of.status();
  options.as_of = *as_of;
  auto page_size = IntParam(c.request, "page_size", c.options.workbench.page_size, 0, 500);
  if (!page_size.ok()) return page_size.status();
  options.page_size = static_cast<int>(*page_size);
  return options;
}

// The scope the lists are built for: the caller's own, or within it one
// salesperson's (`user`) or one team's (`team`), as a manager or an
// administrator picks them. Nobody sees past their own scope: a salesperson
// only themselves, a manager only their team and its members.
Result<engine::Scope> ChosenScope(Context& c) {
  std::string user = QueryParam(c.request, "user").value_or("");
  std::string team = QueryParam(c.request, "team").value_or("");
  if (!user.empty() && !team.empty()) {
    return Status::InvalidArgument("give user or team, not both", "team");
  }
  domain::UserRole role = c.scope.role;
  bool admin = role == domain::UserRole::kAdmin;
  if (!team.empty()) {
    if (!admin && !(role == domain::UserRole::kManager && team == c.scope.team)) {
      return Status::PermissionDenied("only an administrator picks another team", "team");
    }
    return engine::ScopeOfTeam(c.db, team);
  }
  if (user.empty() || user == c.scope.username) return c.scope;
  if (!admin && role != domain::UserRole::kManager) {
    return Status::PermissionDenied("only managers and administrators pick a salesperson", "user");
  }
  auto account = store::FindAccount(c.db, user);
  if (!account.ok()) return account.status();
  if (!*account) return Status::NotFound("no user '" + user + "'", "user");
  // A service agent's scope (their complaints' customers) may reach past the
  // team, so a manager picks only the team's salespeople.
  if (!admin && ((*account)->team_id != c.scope.team_id ||
                 (*account)->role != static_cast<int>(domain::UserRole::kSales))) {
    return Status::PermissionDenied("a manager picks only their own team's salespeople", "user");
  }
  return engine::ScopeOfUser(c.db, user);
}

Result<Reply> AllLists(Context& c) {
  auto options = OptionsOf(c);
  if (!options.ok()) return options.status();
  auto scope = ChosenScope(c);
  if (!scope.ok()) return scope.status();
  auto bench = engine::BuildWorkbench(c.db, *scope, *options);
  if (!bench.ok()) return bench.status();
  return Reply{.body = WorkbenchJson(*bench, c.options.currency_decimals)};
}

Result<Reply> OneList(Context& c) {
  auto options = OptionsOf(c);
  if (!options.ok()) return options.status();
  options->list = c.request.path_params.at(0);
  auto scope = ChosenScope(c);
  if (!scope.ok()) return scope.status();
  bool known = false;
  for (std::string_view name : engine::WorkbenchListNames()) known |= name == options->list;
  if (!known) return Status::NotFound("no workbench list '" + options->list + "'", "list");
  auto bench = engine::BuildWorkbench(c.db, *scope, *options);
  if (!bench.ok()) return bench.status();
  nlohmann::json body = WorkbenchListJson(bench->lists.at(0), c.options.currency_decimals);
  body["as_of"] = FormatDate(bench->as_of);
  body["scope"] = ScopeJson(bench->scope);
  return Reply{.body = std::move(body)};
}

}  // namespace

void AddWorkbenchRoutes(std::vector<Route>& routes) {
  std::vector<Param> params = {
      {"as_of", "query", "string", false, "today, YYYY-MM-DD (default: the server's today)"},
      {"page_size", "query", "integer", false, "rows per list, 0-500 (default 20)"},
      {"user", "query", "string", false,
       "only this salesperson's customers (managers: a salesperson of their team; admins: anyone)"},
      {"team", "query", "string", false,
       "only this team's customers (admins; a manager only their own)"}};
  routes.push_back({.method = "GET",
                    .path = "/workbench",
                    .tag = "workbench",
                    .summary = "Every workbench list of the user's scope: count and first page",
                    .params = params,
                    .response = "Workbench",
                    .handler = AllLists});
  params.insert(params.begin(), {"list", "path", "string", true,
                                 "contact_today, overdue_follow_ups, slipping_away, ... "
                                 "(docs/workbench.md)"});
  routes.push_back({.method = "GET",
                    .path = "/workbench/{list}",
                    .tag = "workbench",
                    .summary = "One workbench list: count and first page",
                    .params = params,
                    .response = "WorkbenchListPage",
                    .handler = OneList});
}

}  // namespace tenure::api
