// GET /workbench and GET /workbench/{list}: the daily lists, scoped to the
// user or, for managers and administrators, to a salesperson or team they
// pick (engine/workbench.h); POST /playbook-tasks/{id}/close, the end of a
// task the playbook_tasks list shows (engine/playbooks/playbooks.h).
#include "api/json_codec.h"
#include "api/routes.h"
#include "engine/playbooks/playbooks.h"
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

// POST /playbook-tasks/{id}/close: done with an outcome, or dismissed; a
// confirm_loss task done with a churn_type records the loss with it.
Result<Reply> ClosePlaybookTask(Context& c) {
  auto id = PathId(c.request);
  if (!id.ok()) return id.status();
  engine::playbooks::CloseInput input;
  input.task_id = *id;
  input.scope = c.scope;
  input.closed_by = c.scope.username;
  auto dismiss = BodyFlag(c.request, "dismiss");
  if (!dismiss.ok()) return dismiss.status();
  input.dismiss = *dismiss;
  for (auto [name, target] : {std::pair{"outcome", &input.outcome},
                              {"churn_type", &input.lost_type},
                              {"reasons", &input.reasons}}) {
    auto text = BodyText(c.request, name, false);
    if (!text.ok()) return text.status();
    *target = *text;
  }
  if (!input.lost_type.empty() && input.reasons.empty()) {
    return Status::InvalidArgument("a loss needs at least one reason", "reasons");
  }
  auto on = BodyText(c.request, "on", false);
  if (!on.ok()) return on.status();
  input.on = DateOf(c.now);
  if (!on->empty()) {
    std::optional<Date> date = ParseIsoDate(*on);
    if (!date) return Status::InvalidArgument("not a date (expected YYYY-MM-DD)", "on");
    input.on = *date;
  }
  auto closed = engine::playbooks::CloseTask(c.db, input);
  if (!closed.ok()) {
    const Status& s = closed.status();
    if (s.field() == "lost_type") return Status::InvalidArgument(s.message(), "churn_type");
    return s;
  }
  const store::PlaybookTaskRow& t = *closed;
  static constexpr const char* kStatus[] = {"open", "done", "dismissed"};
  return Reply{.body = {{"id", t.id},
                        {"rule", t.rule},
                        {"customer_id", t.customer_id},
                        {"assignee", TextOrNull(t.assignee)},
                        {"action", t.action},
                        {"title", t.title},
                        {"why", t.why},
                        {"created_on", t.created_on},
                        {"due_on", t.due_on},
                        {"status", kStatus[std::clamp(t.status, 0, 2)]},
                        {"closed_at", t.closed_at ? nlohmann::json(FormatTimestamp(*t.closed_at))
                                                  : nlohmann::json(nullptr)},
                        {"outcome", t.outcome}}};
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
  routes.push_back({.method = "POST",
                    .path = "/playbook-tasks/{id}/close",
                    .roles = kAdmin | kManager | kSales,
                    .tag = "workbench",
                    .summary = "Close a playbook task: done with its outcome, or dismissed; a "
                               "confirm_loss task done with churn_type records the loss",
                    .params = {{"id", "path", "integer", true,
                                "the task's id (the playbook_tasks list's task_id)"}},
                    .response = "PlaybookTask",
                    .request = "PlaybookTaskClose",
                    .handler = ClosePlaybookTask});
}

}  // namespace tenure::api
