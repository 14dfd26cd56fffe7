// GET /workbench and GET /workbench/{list}: the daily lists, scoped to the
// user (engine/workbench.h).
#include "api/json_codec.h"
#include "api/routes.h"

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

Result<Reply> AllLists(Context& c) {
  auto options = OptionsOf(c);
  if (!options.ok()) return options.status();
  auto bench = engine::BuildWorkbench(c.db, c.scope, *options);
  if (!bench.ok()) return bench.status();
  return Reply{.body = WorkbenchJson(*bench, c.options.currency_decimals)};
}

Result<Reply> OneList(Context& c) {
  auto options = OptionsOf(c);
  if (!options.ok()) return options.status();
  options->list = c.request.path_params.at(0);
  bool known = false;
  for (std::string_view name : engine::WorkbenchListNames()) known |= name == options->list;
  if (!known) return Status::NotFound("no workbench list '" + options->list + "'", "list");
  auto bench = engine::BuildWorkbench(c.db, c.scope, *options);
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
      {"page_size", "query", "integer", false, "rows per list, 0-500 (default 20)"}};
  routes.push_back({.method = "GET",
                    .path = "/workbench",
                    .tag = "workbench",
                    .summary = "Every workbench list of the user's scope: count and first page",
                    .params = params,
                    .handler = AllLists});
  params.insert(params.begin(), {"list", "path", "string", true,
                                 "contact_today, overdue_follow_ups, slipping_away, ... "
                                 "(docs/workbench.md)"});
  routes.push_back({.method = "GET",
                    .path = "/workbench/{list}",
                    .tag = "workbench",
                    .summary = "One workbench list: count and first page",
                    .params = params,
                    .handler = OneList});
}

}  // namespace tenure::api
