// `tenure team report`: contacts, visits, outcomes, success, win and loss
// rates per salesperson (and per day); `tenure team history`: one customer's
// contact history. Definitions in engine/team_report.h and docs/reports.md.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "api/json_codec.h"
#include "api/report_json.h"
#include "cli/commands.h"
#include "cli/text_table.h"
#include "common/time.h"
#include "engine/team_report.h"

namespace tenure::cli {
namespace {

using nlohmann::json;

std::string Percent(std::optional<double> rate) {
  return rate ? fmt::format("{:.1f}%", 100 * *rate) : "-";
}

void PrintRow(const std::string& who, const std::string& team, const engine::TeamCounts& c) {
  fmt::print(
      "{:<14} {:<12} {:>8} {:>6} {:>6} {:>6} {:>6} {:>7} {:>4} {:>4} {:>7} {:>6} {:>5} {:>6}\n",
      who, team, c.contacts, c.visits, c.effective, c.high_value, c.unsuccessful,
      Percent(c.ContactSuccessRate()), c.opportunities_won, c.opportunities_lost,
      Percent(c.WinRate()), c.customers_at_start, c.customers_lost, Percent(c.LossRate()));
}

void PrintReport(const engine::TeamReport& r) {
  fmt::print("Sales team, {} to {}\n", FormatDate(r.from), FormatDate(r.to));
  fmt::print(
      "{:<14} {:<12} {:>8} {:>6} {:>6} {:>6} {:>6} {:>7} {:>4} {:>4} {:>7} {:>6} {:>5} {:>6}\n",
      "salesperson", "team", "contacts", "visits", "effect", "high", "unsucc", "success", "won",
      "lost", "win", "owned", "lost", "loss");
  for (const auto& p : r.people) {
    PrintRow(p.username, p.team, p.counts);
    for (const auto& d : p.days) PrintRow("  " + d.day, "", d.counts);
  }
  PrintRow("total", "", r.total);
}

json HistoryJson(const engine::ContactHistory& h) {
  json entries = json::array();
  auto text = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  for (const auto& e : h.entries) {
    entries.push_back(
        {{"id", e.id},
         {"occurred_at", FormatTimestamp(e.occurred_at)},
         {"user", text(e.user)},
         {"contact", text(e.contact)},
         {"kind", e.kind},
         {"outcome", text(e.outcome)},
         {"notes", text(e.notes)},
         {"follow_up_on", e.follow_up_on ? json(FormatDate(*e.follow_up_on)) : json(nullptr)},
         {"follow_up_done", e.follow_up_done}});
  }
  return {{"customer_id", h.customer_id},
          {"external_id", text(h.external_id)},
          {"name", h.name},
          {"activities", std::move(entries)}};
}

void PrintHistory(const engine::ContactHistory& h) {
  fmt::print("{} ({}): {} contacts, newest first\n", h.name,
             h.external_id.empty() ? std::to_string(h.customer_id) : h.external_id,
             h.entries.size());
  TextTable table({{"when"}, {"user"}, {"kind"}, {"outcome"}, {"notes"}, {"follow up"}});
  for (const auto& e : h.entries) {
    std::string follow_up = "-";
    if (e.follow_up_on) {
      follow_up = FormatDate(*e.follow_up_on) + (e.follow_up_done ? " (done)" : "");
    }
    table.AddRow({FormatTimestamp(e.occurred_at), e.user.empty() ? "-" : e.user, e.kind,
                  e.outcome.empty() ? "-" : e.outcome, e.notes.empty() ? "-" : e.notes, follow_up});
  }
  table.Print();
}

Result<Date> ParseDate(const std::string& text, const char* option) {
  auto date = ParseIsoDate(text);
  if (!date)
    return Status::InvalidArgument("not a date '" + text + "' (expected YYYY-MM-DD)", option);
  return *date;
}

}  // namespace

void AddTeamCommand(CLI::App& app, Registry& registry) {
  CLI::App* team = app.add_subcommand("team", "The sales team's activity and results");
  team->require_subcommand(1);
  struct Args {
    std::string db = "tenure.db";
    std::string from;
    std::string to;
    std::string user;
    std::string team;
    std::string by = "total";
    std::string customer;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* report = team->add_subcommand("report", "Contacts, success, win and loss rates");
  report->add_option("--from", args->from, "First day (default: 29 days before --to)");
  report->add_option("--to", args->to, "Last day (default: today)");
  auto* user = report->add_option("--user", args->user, "Only this salesperson (username)");
  report->add_option("--team", args->team, "Only this team's members")->excludes(user);
  report->add_option("--by", args->by, "day or total")
      ->check(CLI::IsMember({"day", "total"}))
      ->capture_default_str();
  report->add_flag("--json", args->json, "Print JSON");
  report->add_option("--db", args->db, "Database file")->capture_default_str();

  CLI::App* history = team->add_subcommand("history", "A customer's contact history");
  history->add_option("--customer", args->customer, "The customer's external id (or internal id)")
      ->required();
  history->add_flag("--json", args->json, "Print JSON");
  history->add_option("--db", args->db, "Database file")->capture_default_str();

  registry.emplace_back(report, [args](const app::Config&) {
    engine::TeamReportOptions options;
    options.to = TodayUtc();
    if (!args->to.empty()) {
      auto to = ParseDate(args->to, "--to");
      if (!to.ok()) return Fail(to.status());
      options.to = *to;
    }
    options.from = Date{options.to.days - 29};
    if (!args->from.empty()) {
      auto from = ParseDate(args->from, "--from");
      if (!from.ok()) return Fail(from.status());
      options.from = *from;
    }
    options.by_day = args->by == "day";
    options.user = args->user;
    options.team = args->team;
    auto db = OpenExisting(args->db);
    if (!db.ok()) return Fail(db.status());
    if (args->to.empty()) {
      WarnIfHistoryIsOld(**db, args->db, "--to",
                         args->from.empty() ? "the report covers the 30 days to today"
                                            : "the report runs to today",
                         "to end it with the history");
    }
    auto result = engine::BuildTeamReport(**db, options);
    if (!result.ok()) return Fail(result.status());
    if (args->json) {
      fmt::print("{}\n", api::JsonText(api::TeamReportJson(*result), 2));
    } else {
      PrintReport(*result);
    }
    return kExitOk;
  });
  registry.emplace_back(history, [args](const app::Config&) {
    auto db = OpenExisting(args->db);
    if (!db.ok()) return Fail(db.status());
    auto result = engine::LoadContactHistory(**db, args->customer);
    if (!result.ok()) return Fail(result.status());
    if (args->json) {
      fmt::print("{}\n", api::JsonText(HistoryJson(*result), 2));
    } else {
      PrintHistory(*result);
    }
    return kExitOk;
  });
}

}  // namespace tenure::cli
