// `tenure workbench`: the lists a salesperson works through every morning,
// each with its count and first page, scoped to what the user may see.
#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "api/json_codec.h"
#include "cli/commands.h"
#include "cli/text_table.h"
#include "common/numbers.h"
#include "common/text.h"
#include "domain/enums.h"
#include "engine/scope.h"
#include "engine/workbench.h"

namespace tenure::cli {
namespace {

struct Args {
  std::string db = "tenure.db";
  std::string user;
  std::string team;
  std::string as_of;
  std::string list;
  int page_size = 0;  // when --page-size is given; else workbench_page_size
  bool json = false;
};

void PrintText(const engine::Workbench& bench, int decimals) {
  const engine::Scope& s = bench.scope;
  std::string who = s.username.empty() ? "everyone" : s.username;
  if (!s.team.empty()) who += ", team " + s.team;
  fmt::print("Workbench as of {} for {} ({} customers)\n", FormatDate(bench.as_of), who, s.kind());
  for (const engine::WorkbenchList& list : bench.lists) {
    std::string window;
    if (!list.from.empty() || !list.to.empty()) {
      window = " [" + (list.from.empty() ? std::string("…") : list.from) + " .. " +
               (list.to.empty() ? std::string("…") : list.to) + "]";
    }
    fmt::print("\n{} ({}){}: {}\n", list.title, list.name, window, GroupThousands(list.count));
    if (!list.by_year.empty()) {
      fmt::print("  by year:");
      for (const store::YearCount& y : list.by_year) {
        fmt::print(" {} {}", y.year, GroupThousands(y.count));
      }
      fmt::print("\n");
    }
    if (!list.rows.empty()) {
      // The date and the amount are what put the row on the list
      // (docs/workbench.md): a follow-up's day, the last order, a CLV...
      TextTable table({{"id", true},
                       {"customer", false, 12},
                       {"name", false, 32},
                       {"owner", false, 14},
                       {"date"},
                       {"amount", true}});
      for (const store::WorkbenchRow& r : list.rows) {
        table.AddRow({std::to_string(r.customer_id), r.external_id.empty() ? "-" : r.external_id,
                      r.name, r.owner.empty() ? "-" : r.owner, r.date.empty() ? "-" : r.date,
                      r.amount ? FormatMoney(*r.amount, decimals) : "-"});
      }
      table.Print(stdout, "  ");
    }
    if (list.count > static_cast<int64_t>(list.rows.size()) && !list.rows.empty()) {
      fmt::print("  … {} more\n",
                 GroupThousands(list.count - static_cast<int64_t>(list.rows.size())));
    }
  }
}

}  // namespace

void AddWorkbenchCommand(CLI::App& app, Registry& registry) {
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "workbench", "Whom to contact, who is overdue or slipping away: the daily lists");
  cmd->add_option("--db", args->db, "Database file")->capture_default_str();
  CLI::Option* user =
      cmd->add_option("--user", args->user, "Show what this user sees (by role); default: all");
  cmd->add_option("--team", args->team, "Show the customers of this team")->excludes(user);
  cmd->add_option("--as-of", args->as_of, "Today (YYYY-MM-DD; default: today)");
  cmd->add_option("--list", args->list, "Only this list (e.g. contact_today, dormant)");
  CLI::Option* page_size = cmd->add_option("--page-size", args->page_size,
                                           "Rows per list (default: workbench_page_size, 20)");
  cmd->add_flag("--json", args->json, "Print JSON");
  registry.emplace_back(cmd, [args, page_size](const app::Config& config) {
    engine::WorkbenchOptions options = app::WorkbenchOptionsOf(config);
    options.as_of = TodayUtc();
    if (!args->as_of.empty()) {
      std::optional<Date> date = ParseIsoDate(args->as_of);
      if (!date) {
        return Fail(Status::InvalidArgument(
            "not a date '" + args->as_of + "' (expected YYYY-MM-DD)", "--as-of"));
      }
      options.as_of = *date;
    }
    if (page_size->count()) options.page_size = args->page_size;
    options.list = args->list;

    auto db = OpenExisting(args->db);
    if (!db.ok()) return Fail(db.status());
    if (args->as_of.empty()) {
      WarnIfHistoryIsOld(**db, args->db, "--as-of", "the lists are built as of today",
                         "to see them as of the end of the history");
    }
    Result<engine::Scope> scope = engine::EveryCustomer();
    if (!args->user.empty()) scope = engine::ScopeOfUser(**db, args->user);
    if (!args->team.empty()) scope = engine::ScopeOfTeam(**db, args->team);
    if (!scope.ok()) return Fail(scope.status());
    auto bench = engine::BuildWorkbench(**db, *scope, options);
    if (!bench.ok()) return Fail(bench.status());
    if (args->json) {
      fmt::print("{}\n", api::JsonText(api::WorkbenchJson(*bench, config.currency_decimals), 2));
    } else {
      PrintText(*bench, config.currency_decimals);
    }
    return kExitOk;
  });
}

}  // namespace tenure::cli
