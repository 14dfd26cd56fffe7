// `tenure complaint add|assign|status|resolve|close|reopen|list|report`:
// complaints and demands from recording to resolution (docs/complaints.md).
// ID is a complaint's external id or, failing that, its internal id.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "api/json_codec.h"
#include "api/report_json.h"
#include "cli/commands.h"
#include "common/time.h"
#include "domain/enums.h"
#include "engine/complaints.h"

namespace tenure::cli {
namespace {

using nlohmann::json;

engine::ComplaintDeadlines Deadlines(const app::Config& config) {
  return {config.complaint_deadline_hours};
}

Result<Timestamp> ParseTime(const std::string& text, const std::string& field) {
  if (text.empty()) return NowUtc();
  std::optional<Timestamp> at = ParseTimestamp(text);
  if (!at) {
    return Status::InvalidArgument(
        "not a time '" + text + "' (expected YYYY-MM-DD[THH:MM[:SS][Z]])", field);
  }
  return *at;
}

std::string Key(const store::ComplaintRecord& c) {
  return c.external_id.empty() ? std::to_string(c.id) : c.external_id;
}

json RecordJson(const store::ComplaintRecord& c, const engine::ComplaintDeadlines& d,
                std::optional<Timestamp> at) {
  json j = {{"id", c.id},
            {"external_id", c.external_id.empty() ? json() : json(c.external_id)},
            {"customer", c.customer},
            {"customer_name", c.customer_name},
            {"kind", domain::kComplaintKindNames[c.kind]},
            {"category", c.category},
            {"severity", domain::kSeverityNames[c.severity]},
            {"status", domain::kComplaintStatusNames[c.status]},
            {"assignee", c.assignee.empty() ? json() : json(c.assignee)},
            {"opened_at", FormatTimestamp(c.opened_at)},
            {"deadline", FormatTimestamp(d.DeadlineOf(c))},
            {"resolved_at", c.resolved_at ? json(FormatTimestamp(*c.resolved_at)) : json()},
            {"satisfaction", c.satisfaction ? json(*c.satisfaction) : json()},
            {"description", c.description},
            {"resolution", c.resolution},
            {"version", c.version}};
  if (at) {
    bool overdue = engine::IsOverdue(c, *at, d);
    j["overdue"] = overdue;
    j["hours_overdue"] = overdue ? static_cast<double>(*at - d.DeadlineOf(c)) / 3600.0 : 0.0;
  }
  return j;
}

void PrintRecord(const std::string& verb, const store::ComplaintRecord& c) {
  fmt::print("{} complaint {} (id {}): {} {} {}, {}{}\n", verb, Key(c), c.id,
             domain::kSeverityNames[c.severity], domain::kComplaintKindNames[c.kind], c.category,
             domain::kComplaintStatusNames[c.status],
             c.assignee.empty() ? "" : ", assigned to " + c.assignee);
}

// Registers a subcommand that changes one complaint and prints it after.
void AddMove(
    CLI::App* parent, Registry& registry, const std::string& name, const std::string& help,
    std::shared_ptr<std::string> db, std::function<void(CLI::App*)> options,
    std::function<Result<store::ComplaintRecord>(store::Database&, const std::string&)> run,
    const std::string& verb) {
  auto id = std::make_shared<std::string>();
  auto as_json = std::make_shared<bool>(false);
  CLI::App* cmd = parent->add_subcommand(name, help);
  cmd->add_option("ID", *id, "Complaint external id, or internal id")->required();
  if (options) options(cmd);
  cmd->add_flag("--json", *as_json, "Print JSON");
  cmd->add_option("--db", *db, "Database file")->capture_default_str();
  registry.emplace_back(cmd, [=](const app::Config& config) {
    auto opened = OpenExisting(*db);
    if (!opened.ok()) return Fail(opened.status());
    auto c = run(**opened, *id);
    if (!c.ok()) return Fail(c.status());
    if (*as_json) {
      fmt::print("{}\n", api::JsonText(RecordJson(*c, Deadlines(config), std::nullopt), 2));
    } else {
      PrintRecord(verb, *c);
    }
    return kExitOk;
  });
}

void PrintReport(const engine::ComplaintReport& r, const engine::ComplaintDeadlines& d) {
  fmt::print("Complaints opened {} to {}: {} ({} complaints, {} demands)\n",
             r.from ? FormatDate(*r.from) : "from the first", FormatDate(r.to), r.opened,
             r.opened_by_kind[0], r.opened_by_kind[1]);
  fmt::print("\nTime to resolve (hours)\n  {:<10} {:>8} {:>10} {:>10} {:>10} {:>13}\n", "severity",
             "resolved", "mean", "median", "on time", "satisfaction");
  auto row = [](std::string_view name, const engine::ResolveTimes& t) {
    fmt::print("  {:<10} {:>8} {:>10.1f} {:>10.1f} {:>10} {:>13}\n", name, t.resolved, t.mean_hours,
               t.median_hours, t.within_deadline,
               t.rated > 0 ? fmt::format("{:.2f}", t.mean_satisfaction) : "-");
  };
  for (size_t s = 0; s < 4; ++s) row(domain::kSeverityNames[s], r.by_severity[s]);
  row("all", r.all);
  fmt::print("\nOpen at the end of {}: {}, past the deadline: {}\n", FormatDate(r.to), r.open,
             r.overdue);
  fmt::print("  {:<10} {:>9} {:>6} {:>9}\n", "severity", "deadline", "open", "overdue");
  for (size_t s = 0; s < 4; ++s) {
    fmt::print("  {:<10} {:>8}h {:>6} {:>9}\n", domain::kSeverityNames[s], d.hours[s],
               r.open_by_severity[s], r.overdue_by_severity[s]);
  }
  fmt::print("\nBy category\n  {:<8} {:<9} {:<24} {:>6}\n", "period", "kind", "category", "count");
  for (const engine::CategoryCount& c : r.by_category) {
    fmt::print("  {:<8} {:<9} {:<24} {:>6}\n", c.period, domain::kComplaintKindNames[c.kind],
               c.category.empty() ? "-" : c.category, c.count);
  }
}

}  // namespace

void AddComplaintCommand(CLI::App& app, Registry& registry) {
  auto db = std::make_shared<std::string>("tenure.db");
  CLI::App* cmd = app.add_subcommand("complaint", "Complaints and demands");
  cmd->require_subcommand(1);

  // add
  {
    struct Args {
      engine::NewComplaint c;
      std::string customer;
      std::string at;
      bool json = false;
    };
    auto a = std::make_shared<Args>();
    CLI::App* add = cmd->add_subcommand("add", "Record a complaint or demand");
    add->add_option("--customer", a->customer, "Customer external id")->required();
    add->add_option("--kind", a->c.kind, "complaint or demand")->capture_default_str();
    add->add_option("--category", a->c.category, "Category (delivery, billing, ...)")->required();
    add->add_option("--severity", a->c.severity, "low, medium, high or critical")
        ->capture_default_str();
    add->add_option("--description", a->c.description, "What the customer said");
    add->add_option("--assignee", a->c.assignee, "Username of the agent in charge");
    add->add_option("--contact", a->c.contact, "External id of the contact who raised it");
    add->add_option("--at", a->at, "When it was opened (default: now)");
    add->add_option("--id", a->c.external_id, "External id for the complaint");
    add->add_flag("--json", a->json, "Print JSON");
    add->add_option("--db", *db, "Database file")->capture_default_str();
    registry.emplace_back(add, [a, db](const app::Config& config) {
      auto at = ParseTime(a->at, "--at");
      if (!at.ok()) return Fail(at.status());
      a->c.opened_at = *at;
      a->c.customer = a->customer;
      auto opened = OpenExisting(*db);
      if (!opened.ok()) return Fail(opened.status());
      auto c = engine::AddComplaint(**opened, a->c);
      if (!c.ok()) return Fail(c.status());
      if (a->json) {
        fmt::print("{}\n", api::JsonText(RecordJson(*c, Deadlines(config), std::nullopt), 2));
      } else {
        PrintRecord("Recorded", *c);
      }
      return kExitOk;
    });
  }

  auto user = std::make_shared<std::string>();
  AddMove(
      cmd, registry, "assign", "Assign a complaint to a user", db,
      [user](CLI::App* c) { c->add_option("--to", *user, "Username")->required(); },
      [user](store::Database& d, const std::string& id) {
        return engine::AssignComplaint(d, id, *user);
      },
      "Assigned");

  auto status = std::make_shared<std::string>();
  AddMove(
      cmd, registry, "status", "Move a complaint between open and in_progress", db,
      [status](CLI::App* c) {
        c->add_option("STATUS", *status, "open or in_progress")->required();
      },
      [status](store::Database& d, const std::string& id) -> Result<store::ComplaintRecord> {
        std::optional<int> code = domain::ParseEnumName(domain::kComplaintStatusNames, *status);
        if (!code) {
          return Status::InvalidArgument("unknown status '" + *status + "' (open or in_progress)",
                                         "--status");
        }
        return engine::SetComplaintStatus(d, id, static_cast<domain::ComplaintStatus>(*code));
      },
      "Moved");

  struct ResolveArgs {
    std::string resolution, at;
    int satisfaction = 0;
  };
  auto resolve = std::make_shared<ResolveArgs>();
  AddMove(
      cmd, registry, "resolve", "Resolve a complaint", db,
      [resolve](CLI::App* c) {
        c->add_option("--resolution", resolve->resolution, "What was done")->required();
        c->add_option("--satisfaction", resolve->satisfaction, "Customer satisfaction, 1-5")
            ->required();
        c->add_option("--at", resolve->at, "When it was resolved (default: now)");
      },
      [resolve](store::Database& d, const std::string& id) -> Result<store::ComplaintRecord> {
        auto at = ParseTime(resolve->at, "--at");
        if (!at.ok()) return at.status();
        return engine::ResolveComplaint(d, id, resolve->resolution, resolve->satisfaction, *at);
      },
      "Resolved");

  AddMove(
      cmd, registry, "close", "Close a resolved complaint", db, nullptr,
      [](store::Database& d, const std::string& id) { return engine::CloseComplaint(d, id); },
      "Closed");
  AddMove(
      cmd, registry, "reopen", "Reopen a resolved or closed complaint", db, nullptr,
      [](store::Database& d, const std::string& id) { return engine::ReopenComplaint(d, id); },
      "Reopened");

  // list
  {
    struct Args {
      std::string status, customer, assignee, as_of;
      bool overdue = false, json = false;
    };
    auto a = std::make_shared<Args>();
    CLI::App* list = cmd->add_subcommand("list", "List complaints");
    list->add_option("--status", a->status, "open, in_progress, resolved or closed");
    list->add_option("--customer", a->customer, "Customer external id");
    list->add_option("--assignee", a->assignee, "Username");
    list->add_flag("--overdue", a->overdue, "Only those open past their deadline");
    list->add_option("--as-of", a->as_of,
                     "Judge deadlines at the end of this day (default: today)");
    list->add_flag("--json", a->json, "Print JSON");
    list->add_option("--db", *db, "Database file")->capture_default_str();
    registry.emplace_back(list, [a, db](const app::Config& config) {
      engine::ComplaintListOptions o;
      if (!a->status.empty()) {
        std::optional<int> code = domain::ParseEnumName(domain::kComplaintStatusNames, a->status);
        if (!code) {
          return Fail(Status::InvalidArgument(
              "unknown status '" + a->status + "' (open, in_progress, resolved or closed)",
              "--status"));
        }
        o.status = static_cast<domain::ComplaintStatus>(*code);
      }
      auto as_of = ParseDateOption(a->as_of, "--as-of", TodayUtc());
      if (!as_of.ok()) return Fail(as_of.status());
      o.as_of = *as_of;
      o.customer = a->customer;
      o.assignee = a->assignee;
      o.overdue_only = a->overdue;
      o.deadlines = Deadlines(config);
      auto opened = OpenExisting(*db);
      if (!opened.ok()) return Fail(opened.status());
      if (a->as_of.empty()) {
        WarnIfHistoryIsOld(**opened, *db, "--as-of", "deadlines are judged at the end of today",
                           "to judge them at the end of the history");
      }
      auto rows = engine::ListComplaints(**opened, o);
      if (!rows.ok()) return Fail(rows.status());
      Timestamp at = StartOf(Date{o.as_of.days + 1});
      if (a->json) {
        json out = json::array();
        for (const auto& c : *rows) out.push_back(RecordJson(c, o.deadlines, at));
        fmt::print("{}\n",
                   api::JsonText(json{{"as_of", FormatDate(o.as_of)}, {"complaints", out}}, 2));
        return kExitOk;
      }
      fmt::print("{:<10} {:<10} {:<9} {:<18} {:<8} {:<11} {:<12} {:<20} {:>8}\n", "id", "customer",
                 "kind", "category", "severity", "status", "assignee", "opened", "overdue");
      for (const auto& c : *rows) {
        bool overdue = engine::IsOverdue(c, at, o.deadlines);
        fmt::print(
            "{:<10} {:<10} {:<9} {:<18} {:<8} {:<11} {:<12} {:<20} {:>8}\n", Key(c), c.customer,
            domain::kComplaintKindNames[c.kind], c.category, domain::kSeverityNames[c.severity],
            domain::kComplaintStatusNames[c.status], c.assignee.empty() ? "-" : c.assignee,
            FormatTimestamp(c.opened_at),
            overdue ? fmt::format("{:.0f}h", (at - o.deadlines.DeadlineOf(c)) / 3600.0) : "");
      }
      fmt::print("{} complaints\n", rows->size());
      return kExitOk;
    });
  }

  // report
  {
    struct Args {
      std::string from, to, period = "month";
      bool json = false;
    };
    auto a = std::make_shared<Args>();
    CLI::App* report = cmd->add_subcommand("report", "Time to resolve, overdue, categories");
    report->add_option("--from", a->from, "First opening day (default: the first complaint)");
    report->add_option("--to", a->to,
                       "Last opening day; overdue is judged at its end (default: today)");
    report->add_option("--period", a->period, "month, quarter or year")->capture_default_str();
    report->add_flag("--json", a->json, "Print JSON");
    report->add_option("--db", *db, "Database file")->capture_default_str();
    registry.emplace_back(report, [a, db](const app::Config& config) {
      engine::ComplaintReportOptions o;
      auto to = ParseDateOption(a->to, "--to", TodayUtc());
      if (!to.ok()) return Fail(to.status());
      o.to = *to;
      if (!a->from.empty()) {
        auto from = ParseDateOption(a->from, "--from", *to);
        if (!from.ok()) return Fail(from.status());
        o.from = *from;
      }
      auto period = engine::ParseReportPeriod(a->period);
      if (!period.ok()) return Fail(period.status());
      o.period = *period;
      o.deadlines = Deadlines(config);
      auto opened = OpenExisting(*db);
      if (!opened.ok()) return Fail(opened.status());
      auto r = engine::BuildComplaintReport(**opened, o);
      if (!r.ok()) return Fail(r.status());
      if (!a->json) {
        PrintReport(*r, o.deadlines);
        return kExitOk;
      }
      fmt::print("{}\n", api::JsonText(api::ComplaintReportJson(*r, o.deadlines), 2));
      return kExitOk;
    });
  }
}

}  // namespace tenure::cli
