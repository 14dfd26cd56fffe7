// `tenure handover --from USER --to USER[,USER...]`: moves a departing
// salesperson's customers and their open items (docs/handover.md); and
// `tenure handover report --from USER`: how those customers fared since.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include "api/json_codec.h"
#include "cli/commands.h"
#include "cli/text_table.h"
#include "common/numbers.h"
#include "common/text.h"
#include "common/time.h"
#include "engine/handover.h"

namespace tenure::cli {
namespace {

using nlohmann::json;

json PlanJson(const engine::HandoverPlan& plan) {
  json receivers = json::array();
  for (const engine::HandoverReceiver& r : plan.receivers) {
    receivers.push_back({{"username", r.user.username},
                         {"customers", r.customers},
                         {"activities", r.activities},
                         {"opportunities", r.opportunities},
                         {"complaints", r.complaints}});
  }
  json assignments = json::array();
  for (const engine::HandoverAssignment& a : plan.assignments) {
    const store::OwnedCustomer& c = a.customer;
    assignments.push_back(
        {{"customer_id", c.id},
         {"customer", c.external_id.empty() ? std::to_string(c.id) : c.external_id},
         {"name", c.name},
         {"province", c.province},
         {"city", c.city},
         {"to", plan.receivers[a.receiver].user.username},
         {"activities", c.open_activities},
         {"opportunities", c.open_opportunities},
         {"complaints", c.open_complaints}});
  }
  return {{"from", plan.from.username},
          {"method", plan.method == engine::HandoverMethod::kRegion ? "region" : "round-robin"},
          {"at", FormatTimestamp(plan.at)},
          {"dry_run", !plan.applied},
          {"deactivated", plan.deactivated},
          {"customers", plan.assignments.size()},
          {"open_items_elsewhere", plan.open_items_elsewhere},
          {"receivers", receivers},
          {"assignments", assignments}};
}

void PrintPlan(const engine::HandoverPlan& plan) {
  fmt::print("{} {} customers of {} at {} ({})\n", plan.applied ? "Handed over" : "Plan: hand over",
             plan.assignments.size(), plan.from.username, FormatTimestamp(plan.at),
             plan.method == engine::HandoverMethod::kRegion ? "by region" : "round-robin");
  fmt::print("  {:<20} {:>9} {:>10} {:>13} {:>10}\n", "to", "customers", "follow-ups",
             "opportunities", "complaints");
  for (const engine::HandoverReceiver& r : plan.receivers) {
    fmt::print("  {:<20} {:>9} {:>10} {:>13} {:>10}\n", r.user.username, r.customers, r.activities,
               r.opportunities, r.complaints);
  }
  if (!plan.assignments.empty()) {
    fmt::print("\n");
    TextTable table({{"customer"}, {"name", false, 32}, {"region", false, 24}, {"to"}});
    for (const engine::HandoverAssignment& a : plan.assignments) {
      const store::OwnedCustomer& c = a.customer;
      std::string region = c.province + (c.city.empty() ? "" : "/" + c.city);
      table.AddRow({c.external_id.empty() ? std::to_string(c.id) : c.external_id, c.name,
                    region.empty() ? "-" : region, plan.receivers[a.receiver].user.username});
    }
    table.Print(stdout, "  ");
  }
  if (plan.open_items_elsewhere > 0) {
    fmt::print("  {} open items of {} on other owners' customers stay assigned to {}\n",
               plan.open_items_elsewhere, plan.from.username, plan.from.username);
  }
  if (plan.deactivated) fmt::print("  {} is now inactive\n", plan.from.username);
  if (!plan.applied) fmt::print("  dry run: nothing was written\n");
}

json StatsJson(const engine::FaredStats& s, int decimals) {
  double unit = std::pow(10.0, decimals);
  return {{"customers", s.customers},
          {"lost", s.lost},
          {"lost_share", s.lost_share},
          {"orders", s.orders},
          {"sales", static_cast<double>(s.sales) / unit},
          {"orders_per_customer", s.orders_per_customer},
          {"sales_per_customer", s.sales_per_customer / unit},
          {"contacted", s.contacted},
          {"contacted_share", s.contacted_share}};
}

void PrintFared(const engine::HandoverReport& r, const app::Config& config) {
  double unit = std::pow(10.0, config.currency_decimals);
  fmt::print("Customers handed over from {} on {} ({} in all), {} days to {}\n", r.from.username,
             FormatDate(r.handover_on), r.handed_over, r.as_of.days - r.handover_on.days,
             FormatDate(r.as_of));
  fmt::print("  {:<14} {:>9} {:>7} {:>14} {:>18} {:>10}\n", "group", "customers", "lost",
             "orders/cust.", "sales/cust. " + config.currency, "contacted");
  auto row = [&](const char* name, const engine::FaredStats& s) {
    fmt::print("  {:<14} {:>9} {:>6.1f}% {:>14.2f} {:>18.2f} {:>9.1f}%\n", name, s.customers,
               s.lost_share * 100, s.orders_per_customer, s.sales_per_customer / unit,
               s.contacted_share * 100);
  };
  row("handed over", r.handed);
  row("others", r.others);
}

}  // namespace

void AddHandoverCommand(CLI::App& app, Registry& registry) {
  struct Args {
    std::string db = "tenure.db";
    std::string from, to, by = "round-robin", at, as_of;
    bool dry_run = false, deactivate = false, json = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd =
      app.add_subcommand("handover", "Hand a departing salesperson's customers over to others");
  CLI::App* report = cmd->add_subcommand("report", "How handed-over customers fared since");
  report->add_option("--from", args->from, "The user whose customers were handed over")->required();
  report->add_option("--as-of", args->as_of, "End of the comparison (default: today)");
  report->add_flag("--json", args->json, "Print JSON");
  report->add_option("--db", args->db, "Database file")->capture_default_str();
  // Registered before the parent: main runs the first parsed command.
  registry.emplace_back(report, [args](const app::Config& config) {
    Date as_of = TodayUtc();
    if (!args->as_of.empty()) {
      std::optional<Date> parsed = ParseIsoDate(args->as_of);
      if (!parsed) {
        return Fail(Status::InvalidArgument("not a date '" + args->as_of + "'", "--as-of"));
      }
      as_of = *parsed;
    }
    auto db = OpenExisting(args->db);
    if (!db.ok()) return Fail(db.status());
    if (args->as_of.empty()) {
      WarnIfHistoryIsOld(**db, args->db, "--as-of", "the comparison runs to today",
                         "to end it with the history");
    }
    auto r = engine::BuildHandoverReport(**db, args->from, as_of);
    if (!r.ok()) return Fail(r.status());
    if (args->json) {
      json out = {{"from", r->from.username},
                  {"handover_on", FormatDate(r->handover_on)},
                  {"as_of", FormatDate(r->as_of)},
                  {"handed_over", r->handed_over},
                  {"handed", StatsJson(r->handed, config.currency_decimals)},
                  {"others", StatsJson(r->others, config.currency_decimals)}};
      fmt::print("{}\n", api::JsonText(out, 2));
    } else {
      PrintFared(*r, config);
    }
    return kExitOk;
  });

  cmd->add_option("--from", args->from, "The departing user (username)");
  cmd->add_option("--to", args->to, "Receivers, comma-separated usernames");
  cmd->add_option("--by", args->by, "region or round-robin")->capture_default_str();
  cmd->add_option("--at", args->at, "Time of the handover (default: now)");
  cmd->add_flag("--dry-run", args->dry_run, "Print the plan, write nothing");
  cmd->add_flag("--deactivate", args->deactivate, "Set the departing user inactive");
  cmd->add_flag("--json", args->json, "Print JSON");
  cmd->add_option("--db", args->db, "Database file")->capture_default_str();
  registry.emplace_back(cmd, [args](const app::Config&) {
    if (args->from.empty()) return Fail(Status::InvalidArgument("is required", "--from"));
    if (args->to.empty()) return Fail(Status::InvalidArgument("is required", "--to"));
    engine::HandoverOptions options;
    options.from = args->from;
    options.to = SplitList(args->to, ',');
    auto method = engine::ParseHandoverMethod(args->by);
    if (!method.ok()) return Fail(method.status());
    options.method = *method;
    options.at = NowUtc();
    if (!args->at.empty()) {
      std::optional<Timestamp> at = ParseTimestamp(args->at);
      if (!at) {
        return Fail(Status::InvalidArgument(
            "not a time '" + args->at + "' (expected YYYY-MM-DD[THH:MM[:SS]])", "--at"));
      }
      options.at = *at;
    }
    options.dry_run = args->dry_run;
    options.deactivate = args->deactivate;
    auto db = OpenExisting(args->db);
    if (!db.ok()) return Fail(db.status());
    auto plan = engine::RunHandover(**db, options);
    if (!plan.ok()) return Fail(plan.status());
    if (args->json) {
      fmt::print("{}\n", api::JsonText(PlanJson(*plan), 2));
    } else {
      PrintPlan(*plan);
    }
    return kExitOk;
  });
}

}  // namespace tenure::cli
