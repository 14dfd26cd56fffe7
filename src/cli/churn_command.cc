// `tenure churn lost|won-back|report`: the churn registry and the loss
// analysis (docs/churn.md). JSON money is a decimal number in the currency
// unit; shares and rates are fractions (0.25 = 25%).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "api/json_codec.h"
#include "api/report_json.h"
#include "cli/commands.h"
#include "common/numbers.h"
#include "common/text.h"
#include "common/time.h"
#include "engine/churn.h"

namespace tenure::cli {
namespace {

using nlohmann::json;

Result<Date> DateOption(const std::string& text, Date fallback, const std::string& option) {
  if (text.empty()) return fallback;
  std::optional<Date> date = ParseIsoDate(text);
  if (!date) {
    return Status::InvalidArgument("not a date '" + text + "' (expected YYYY-MM-DD)", option);
  }
  return *date;
}

json EventJson(const engine::ChurnEventResult& r, std::string_view kind, std::string_view status) {
  return {{"event_id", r.event_id},
          {"customer", r.customer},
          {"customer_id", r.customer_id},
          {"customer_name", r.customer_name},
          {"kind", kind},
          {"occurred_on", FormatDate(r.on)},
          {"status", status}};
}

std::string Percent(double share) { return fmt::format("{:.1f}%", share * 100.0); }

void PrintReport(const engine::ChurnReport& r, const std::string& by, const app::Config& config) {
  auto money = [&](Money v) { return FormatMoney(v, config.currency_decimals); };
  fmt::print("Churn {} to {} by {} ({})\n", FormatDate(r.options.from), FormatDate(r.options.to),
             engine::ChurnPeriodName(r.options.period), config.currency);
  fmt::print("  {:<10} {:<10} {:>9} {:>6} {:>7} {:>16}\n", "start", "end", "active", "lost", "rate",
             "lost revenue");
  for (const engine::ChurnPeriodRow& p : r.periods) {
    fmt::print("  {:<10} {:<10} {:>9} {:>6} {:>7} {:>16}\n", FormatDate(p.start), FormatDate(p.end),
               GroupThousands(p.active_at_start), GroupThousands(p.lost),
               p.churn_rate ? Percent(*p.churn_rate) : "-", money(p.lost_revenue));
  }
  fmt::print("  losses {}, lost revenue {}\n", GroupThousands(r.losses), money(r.lost_revenue));
  const std::vector<engine::LossGroup>* groups = &r.by_type;
  std::string title = "type";
  if (by == "reason") {
    groups = &r.by_reason;
    title = fmt::format("reason ({} mentions)", r.reason_mentions);
  } else if (by == "owner") {
    groups = &r.by_owner;
    title = "owner at loss";
  } else if (by == "segment") {
    groups = &r.by_segment;
    title = r.options.segment;
  }
  fmt::print("\nLosses by {}\n", title);
  fmt::print("  {:<36} {:>7} {:>7} {:>7} {:>16}\n", by, "losses", "share", "cum.", "lost revenue");
  for (const engine::LossGroup& g : *groups) {
    fmt::print("  {:<36} {:>7} {:>7} {:>7} {:>16}\n", g.label, GroupThousands(g.losses),
               Percent(g.share), Percent(g.cumulative_share), money(g.lost_revenue));
  }
}

}  // namespace

void AddChurnCommand(CLI::App& app, Registry& registry) {
  CLI::App* churn = app.add_subcommand("churn", "The churn registry and loss analysis");
  churn->require_subcommand(1);
  struct Args {
    std::string db = "tenure.db";
    std::string customer, type, reasons, competitor, on, notes, by_user;
    std::string by = "type", period = "month", from, to, as_of, segment = "level";
    bool json = false;
  };
  auto args = std::make_shared<Args>();

  CLI::App* lost = churn->add_subcommand("lost", "Record that a customer was lost");
  lost->add_option("CUSTOMER", args->customer, "External id (or internal id)")->required();
  lost->add_option("--type", args->type, "natural, malicious, competition or negligence")
      ->required();
  lost->add_option("--reason", args->reasons, "Reason codes, comma-separated")->required();
  lost->add_option("--competitor", args->competitor, "Who took the customer");
  lost->add_option("--on", args->on, "Day it was lost (default: today)");
  lost->add_option("--notes", args->notes, "Notes");
  lost->add_option("--by", args->by_user, "Username of who records it");
  lost->add_flag("--json", args->json, "Print JSON");
  lost->add_option("--db", args->db, "Database file")->capture_default_str();
  registry.emplace_back(lost, [args](const app::Config&) {
    auto on = DateOption(args->on, TodayUtc(), "--on");
    if (!on.ok()) return Fail(on.status());
    auto db = OpenExisting(args->db);
    if (!db.ok()) return Fail(db.status());
    engine::LossInput input{args->customer, args->type,   args->reasons, args->competitor, *on,
                            args->notes,    args->by_user};
    auto r = engine::RecordLoss(**db, input);
    if (!r.ok()) return Fail(r.status());
    if (args->json) {
      fmt::print("{}\n", api::JsonText(EventJson(*r, "lost", "lost"), 2));
    } else {
      fmt::print("customer {} ({}) lost on {}: {} [{}]; event {}\n", r->customer, r->customer_name,
                 FormatDate(r->on), args->type, args->reasons, r->event_id);
    }
    return kExitOk;
  });

  CLI::App* back = churn->add_subcommand("won-back", "Record that a lost customer came back");
  back->add_option("CUSTOMER", args->customer, "External id (or internal id)")->required();
  back->add_option("--on", args->on, "Day it came back (default: today)");
  back->add_option("--notes", args->notes, "Notes");
  back->add_option("--by", args->by_user, "Username of who records it");
  back->add_flag("--json", args->json, "Print JSON");
  back->add_option("--db", args->db, "Database file")->capture_default_str();
  registry.emplace_back(back, [args](const app::Config&) {
    auto on = DateOption(args->on, TodayUtc(), "--on");
    if (!on.ok()) return Fail(on.status());
    auto db = OpenExisting(args->db);
    if (!db.ok()) return Fail(db.status());
    auto r = engine::RecordWinBack(**db, {args->customer, *on, args->notes, args->by_user});
    if (!r.ok()) return Fail(r.status());
    if (args->json) {
      fmt::print("{}\n", api::JsonText(EventJson(*r, "won_back", "active"), 2));
    } else {
      fmt::print("customer {} ({}) won back on {}; event {}\n", r->customer, r->customer_name,
                 FormatDate(r->on), r->event_id);
    }
    return kExitOk;
  });

  CLI::App* report = churn->add_subcommand("report", "Churn rate, lost revenue and loss causes");
  report->add_option("--by", args->by, "Breakdown shown: type, reason, owner or segment")
      ->check(CLI::IsMember({"type", "reason", "owner", "segment"}))
      ->capture_default_str();
  report->add_option("--period", args->period, "month, quarter or year")->capture_default_str();
  report->add_option("--from", args->from, "First day (default: 12 months, 8 quarters, 5 years)");
  report->add_option("--to", args->to, "Last day (default: the as-of date)");
  report->add_option("--as-of", args->as_of, "Today, for the default --to (default: today)");
  report
      ->add_option("--segment", args->segment,
                   "Dimension of --by segment: industry, level, type, source, province, city")
      ->capture_default_str();
  report->add_flag("--json", args->json, "Print JSON (every breakdown)");
  report->add_option("--db", args->db, "Database file")->capture_default_str();
  registry.emplace_back(report, [args](const app::Config& config) {
    engine::ChurnReportOptions options;
    auto period = engine::ParseChurnPeriod(args->period);
    if (!period.ok()) return Fail(period.status());
    options.period = *period;
    auto as_of = DateOption(args->as_of, TodayUtc(), "--as-of");
    if (!as_of.ok()) return Fail(as_of.status());
    auto to = DateOption(args->to, *as_of, "--to");
    if (!to.ok()) return Fail(to.status());
    auto from = DateOption(args->from, engine::DefaultChurnFrom(*period, *to), "--from");
    if (!from.ok()) return Fail(from.status());
    options.from = *from;
    options.to = *to;
    options.segment = NormalizeName(args->segment);
    auto db = OpenExisting(args->db);
    if (!db.ok()) return Fail(db.status());
    if (args->as_of.empty() && args->to.empty()) {
      WarnIfHistoryIsOld(**db, args->db, "--as-of", "the periods end today",
                         "to end them with the history");
    }
    auto r = engine::BuildChurnReport(**db, options);
    if (!r.ok()) return Fail(r.status());
    if (args->json) {
      fmt::print("{}\n", api::JsonText(api::ChurnReportJson(*r, config.currency_decimals), 2));
    } else {
      PrintReport(*r, args->by, config);
    }
    return kExitOk;
  });
}

}  // namespace tenure::cli
