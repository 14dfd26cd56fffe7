// `tenure playbooks run | close | report` (docs/playbooks.md). Parsing and
// formatting only; engine/playbooks does the work.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include "api/json_codec.h"
#include "api/report_json.h"
#include "cli/commands.h"
#include "cli/text_table.h"
#include "common/numbers.h"
#include "common/text.h"
#include "engine/playbooks/playbooks.h"

namespace tenure::cli {
namespace {

using nlohmann::json;

}  // namespace

void AddPlaybooksCommand(CLI::App& app, Registry& registry) {
  CLI::App* playbooks =
      app.add_subcommand("playbooks", "Rules that turn risk into tasks (docs/playbooks.md)");
  playbooks->require_subcommand(1);

  struct RunArgs {
    std::string db = "tenure.db", rules, as_of;
    bool dry_run = false, json = false;
  };
  auto run = std::make_shared<RunArgs>();
  CLI::App* run_cmd = playbooks->add_subcommand(
      "run", "Evaluate every rule on every active customer and add the tasks that fire");
  run_cmd->add_option("--rules", run->rules, "The rules file (default: playbooks_file)");
  run_cmd->add_option("--as-of", run->as_of, "The day to evaluate (default: today)");
  run_cmd->add_flag("--dry-run", run->dry_run, "Show what would be added; write nothing");
  run_cmd->add_flag("--json", run->json, "Print JSON");
  run_cmd->add_option("--db", run->db, "Database file")->capture_default_str();
  registry.emplace_back(run_cmd, [run](const app::Config& config) {
    engine::playbooks::RunOptions options;
    auto as_of = ParseDateOption(run->as_of, "--as-of", options.as_of);
    if (!as_of.ok()) return Fail(as_of.status());
    options.as_of = *as_of;
    options.dry_run = run->dry_run;
    options.deadline_hours = config.complaint_deadline_hours;
    const std::string path = run->rules.empty() ? config.playbooks_file : run->rules;
    if (path.empty()) {
      return Fail(Status::InvalidArgument(
          "no rules file: pass --rules FILE or set playbooks_file in tenure.conf", "--rules"));
    }
    auto rules = engine::playbooks::LoadRules(path);
    if (!rules.ok()) return Fail(rules.status());
    auto db = OpenExisting(run->db);
    if (!db.ok()) return Fail(db.status());
    auto report = engine::playbooks::RunPlaybooks(**db, *rules, options);
    if (!report.ok()) return Fail(report.status());
    const auto& r = *report;
    if (run->json) {
      json out = {{"as_of", FormatDate(r.as_of)},
                  {"dry_run", r.dry_run},
                  {"customers", r.customers},
                  {"added", r.added},
                  {"already_open", r.already_open}};
      out["rules"] = json::array();
      for (const auto& c : r.rules) {
        out["rules"].push_back({{"rule", c.rule},
                                {"fired", c.fired},
                                {"added", c.added},
                                {"already_open", c.already_open}});
      }
      out["tasks"] = json::array();
      for (const auto& t : r.tasks) {
        out["tasks"].push_back({{"rule", t.rule},
                                {"customer_id", t.customer_id},
                                {"assignee_id", t.assignee_id ? json(*t.assignee_id) : json()},
                                {"action", t.action},
                                {"title", t.title},
                                {"why", t.why},
                                {"due_on", FormatDate(t.due)},
                                {"added", t.added},
                                {"task_id", t.task_id ? json(*t.task_id) : json()}});
      }
      fmt::print("{}\n", api::JsonText(out, 2));
      return kExitOk;
    }
    fmt::print("Playbooks as of {} on {} active customers{}\n", FormatDate(r.as_of),
               GroupThousands(r.customers), r.dry_run ? " (dry run: nothing written)" : "");
    TextTable table({{"rule"},
                     {"fired", true},
                     {r.dry_run ? "would add" : "added", true},
                     {"open already", true}});
    for (const auto& c : r.rules) {
      table.AddRow({c.rule, GroupThousands(c.fired), GroupThousands(c.added),
                    GroupThousands(c.already_open)});
    }
    table.Print();
    return kExitOk;
  });

  struct CloseArgs {
    std::string db = "tenure.db", outcome, lost_type, reasons, on, user;
    int64_t task = 0;
    bool dismiss = false;
  };
  auto close = std::make_shared<CloseArgs>();
  CLI::App* close_cmd =
      playbooks->add_subcommand("close", "Record that a task was done (or dismiss it)");
  close_cmd->add_option("task", close->task, "The task's id")->required();
  close_cmd->add_option("--outcome", close->outcome, "What came of it, in words");
  close_cmd->add_flag("--dismiss", close->dismiss, "Not done: dismissed");
  close_cmd->add_option("--lost-type", close->lost_type,
                        "confirm_loss: record the loss (natural, malicious, competition, "
                        "negligence)");
  close_cmd->add_option("--reasons", close->reasons, "confirm_loss: churn reason codes, ','");
  close_cmd->add_option("--on", close->on, "confirm_loss: the day lost (default: today)");
  close_cmd->add_option("--user", close->user, "Who closes it (recorded on a loss)");
  close_cmd->add_option("--db", close->db, "Database file")->capture_default_str();
  registry.emplace_back(close_cmd, [close](const app::Config&) {
    engine::playbooks::CloseInput input;
    input.task_id = close->task;
    input.dismiss = close->dismiss;
    input.outcome = close->outcome;
    input.lost_type = close->lost_type;
    input.reasons = close->reasons;
    input.closed_by = close->user;
    if (!close->on.empty()) {
      auto on = ParseIsoDate(close->on);
      if (!on) {
        return Fail(Status::InvalidArgument("not a date '" + close->on + "'", "--on"));
      }
      input.on = *on;
    }
    auto db = OpenExisting(close->db);
    if (!db.ok()) return Fail(db.status());
    if (auto closed = engine::playbooks::CloseTask(**db, input); !closed.ok()) {
      const Status& s = closed.status();
      // The engine names the API's field; here it is an option.
      if (s.field() == "lost_type")
        return Fail(Status::InvalidArgument(s.message(), "--lost-type"));
      return Fail(s);
    }
    fmt::print("Task {} {}{}\n", close->task, close->dismiss ? "dismissed" : "done",
               close->lost_type.empty() ? "" : "; the loss is recorded");
    return kExitOk;
  });

  struct ReportArgs {
    std::string db = "tenure.db", as_of;
    int horizon = 90;
    bool json = false;
  };
  auto report = std::make_shared<ReportArgs>();
  CLI::App* report_cmd = playbooks->add_subcommand(
      "report", "Which playbook keeps customers: retention when the task was done or not");
  report_cmd->add_option("--as-of", report->as_of, "The day of the report (default: today)");
  report_cmd->add_option("--horizon", report->horizon, "Retained: not lost within this many days")
      ->capture_default_str();
  report_cmd->add_flag("--json", report->json, "Print JSON (as GET /reports/playbooks)");
  report_cmd->add_option("--db", report->db, "Database file")->capture_default_str();
  registry.emplace_back(report_cmd, [report](const app::Config& config) {
    engine::playbooks::EffectOptions options;
    auto as_of = ParseDateOption(report->as_of, "--as-of", options.as_of);
    if (!as_of.ok()) return Fail(as_of.status());
    options.as_of = *as_of;
    if (report->horizon < 1 || report->horizon > 3650) {
      return Fail(Status::InvalidArgument("the horizon must be 1 to 3650 days", "--horizon"));
    }
    options.horizon_days = report->horizon;
    options.deadline_hours = config.complaint_deadline_hours;
    auto db = OpenExisting(report->db);
    if (!db.ok()) return Fail(db.status());
    auto r = engine::playbooks::BuildEffectReport(**db, options);
    if (!r.ok()) return Fail(r.status());
    if (report->json) {
      fmt::print("{}\n", api::JsonText(api::PlaybookEffectJson(*r), 2));
      return kExitOk;
    }
    fmt::print("Playbook effect as of {}: retained = not lost within {} days of the task\n",
               FormatDate(r->as_of), r->horizon_days);
    TextTable table({{"rule"},
                     {"tasks", true},
                     {"pending", true},
                     {"done: retained", true},
                     {"not done: retained", true},
                     {"difference (95 % CI)", true}});
    auto rate = [](int64_t kept, int64_t n) {
      return n == 0 ? std::string("-") : fmt::format("{}/{} ({:.0f} %)", kept, n, 100.0 * kept / n);
    };
    for (const auto& e : r->rules) {
      table.AddRow({e.rule, GroupThousands(e.tasks), GroupThousands(e.pending),
                    rate(e.done_retained, e.done), rate(e.not_done_retained, e.not_done),
                    std::isnan(e.difference)
                        ? std::string("-")
                        : fmt::format("{:+.0f} pts ({:+.0f} to {:+.0f})", 100 * e.difference,
                                      100 * e.low, 100 * e.high)});
    }
    table.Print();
    return kExitOk;
  });
}

}  // namespace tenure::cli
