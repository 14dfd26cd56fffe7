// `tenure credit show|rate|flagged|defaulters`: credit files, A-D ratings,
// orders flagged over their credit limit, and customers who may leave to
// escape a debt (docs/credit.md).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include "api/json_codec.h"
#include "api/report_json.h"
#include "cli/commands.h"
#include "common/numbers.h"
#include "common/time.h"
#include "domain/enums.h"
#include "engine/credit.h"

namespace tenure::cli {
namespace {

using nlohmann::json;

std::string RatingName(domain::CreditRating r) {
  return std::string(domain::NameOf(domain::kCreditRatingNames, r));
}

// Amounts in JSON are in currency units, as everywhere else in the CLI.
double Units(Money m, int decimals) { return static_cast<double>(m) / std::pow(10.0, decimals); }

void PrintFile(const engine::CreditFile& f, const app::Config& config) {
  auto money = [&](Money m) {
    return FormatMoney(m, config.currency_decimals) + " " + config.currency;
  };
  fmt::print("Credit file of {} {} (owner {}) as of {}\n", f.customer, f.name,
             f.owner.empty() ? "-" : f.owner, FormatDate(f.as_of));
  fmt::print("  invoices            {}\n", f.invoices);
  fmt::print("  paid on time        {}\n", f.paid_on_time);
  fmt::print("  paid late           {} (average {:.1f} days, max {} days)\n", f.paid_late,
             f.average_days_late, f.max_days_late);
  fmt::print("  open balance        {} on {} invoices\n", money(f.open_balance), f.open_invoices);
  fmt::print("  overdue             {} on {} invoices, oldest {} days\n", money(f.overdue_amount),
             f.overdue_invoices, f.oldest_overdue_days);
  fmt::print("  credit limit        {}\n", f.credit_limit ? money(*f.credit_limit) : "none");
  fmt::print("  limit use           {}\n",
             f.limit_use ? fmt::format("{:.1f}%", *f.limit_use * 100) : "-");
  if (f.defaulted_on) fmt::print("  lost as defaulter   {}\n", FormatDate(*f.defaulted_on));
  fmt::print("  rating              {} (stored: {})\n", RatingName(f.rating),
             f.stored_rating ? RatingName(*f.stored_rating) : "none");
  for (const std::string& r : f.reasons) fmt::print("    {}\n", r);
}

// At most `width` bytes of `text`, never cutting a UTF-8 sequence, so that
// long names keep the table's columns in place.
std::string Clip(const std::string& text, size_t width) {
  if (text.size() <= width) return text;
  size_t end = width - 1;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "~";
}

}  // namespace

void AddCreditCommand(CLI::App& app, Registry& registry) {
  struct Args {
    std::string db = "tenure.db";
    std::string customer, as_of;
    int min_days = 60;
    bool json = false;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("credit", "Credit files, ratings and defaulters");
  cmd->require_subcommand(1);

  CLI::App* show = cmd->add_subcommand("show", "A customer's credit file and rating");
  show->add_option("CUSTOMER", a->customer, "Customer external id (or internal id)")->required();
  show->add_option("--as-of", a->as_of, "Day of the file (default: today)");
  show->add_flag("--json", a->json, "Print JSON");
  show->add_option("--db", a->db, "Database file")->capture_default_str();
  registry.emplace_back(show, [a](const app::Config& config) {
    auto as_of = ParseDateOption(a->as_of, "--as-of", TodayUtc());
    if (!as_of.ok()) return Fail(as_of.status());
    auto db = OpenExisting(a->db);
    if (!db.ok()) return Fail(db.status());
    if (a->as_of.empty()) WarnIfHistoryIsOld(**db, a->db);
    auto f = engine::BuildCreditFile(**db, a->customer, *as_of, config.credit_rules);
    if (!f.ok()) return Fail(f.status());
    if (a->json) {
      fmt::print("{}\n", api::JsonText(api::CreditFileJson(*f, config.currency_decimals), 2));
    } else {
      PrintFile(*f, config);
    }
    return kExitOk;
  });

  CLI::App* rate = cmd->add_subcommand("rate", "Recompute and store every customer's rating");
  rate->add_option("--as-of", a->as_of, "Day of the ratings (default: today)");
  rate->add_flag("--json", a->json, "Print JSON");
  rate->add_option("--db", a->db, "Database file")->capture_default_str();
  registry.emplace_back(rate, [a](const app::Config& config) {
    auto as_of = ParseDateOption(a->as_of, "--as-of", TodayUtc());
    if (!as_of.ok()) return Fail(as_of.status());
    auto db = OpenExisting(a->db);
    if (!db.ok()) return Fail(db.status());
    if (a->as_of.empty()) {
      WarnIfHistoryIsOld(**db, a->db, "--as-of", "the ratings are computed as of today",
                         "to rate as of the end of the history");
    }
    auto run = engine::RateCustomers(**db, *as_of, config.credit_rules);
    if (!run.ok()) return Fail(run.status());
    if (a->json) {
      json by = json::object();
      for (size_t r = 0; r < 4; ++r)
        by[std::string(domain::kCreditRatingNames[r])] = run->by_rating[r];
      fmt::print("{}\n", api::JsonText(json{{"as_of", FormatDate(*as_of)},
                                            {"customers", run->customers},
                                            {"changed", run->changed},
                                            {"by_rating", by}},
                                       2));
      return kExitOk;
    }
    fmt::print("Rated {} customers as of {} ({} changed):", run->customers, FormatDate(*as_of),
               run->changed);
    for (size_t r = 0; r < 4; ++r) {
      fmt::print(" {} {}", domain::kCreditRatingNames[r], run->by_rating[r]);
    }
    fmt::print("\n");
    return kExitOk;
  });

  CLI::App* flagged = cmd->add_subcommand("flagged", "Orders flagged over the credit limit");
  flagged->add_flag("--json", a->json, "Print JSON");
  flagged->add_option("--db", a->db, "Database file")->capture_default_str();
  registry.emplace_back(flagged, [a](const app::Config& config) {
    auto db = OpenExisting(a->db);
    if (!db.ok()) return Fail(db.status());
    auto flags = store::LoadCreditFlags(**db);
    if (!flags.ok()) return Fail(flags.status());
    int d = config.currency_decimals;
    if (a->json) {
      json out = json::array();
      for (const auto& f : *flags) {
        out.push_back({{"at", FormatTimestamp(f.at)},
                       {"order", f.order},
                       {"customer", f.customer},
                       {"name", f.customer_name},
                       {"order_date", f.order_date},
                       {"amount", Units(f.amount, d)},
                       {"credit_limit", Units(f.credit_limit, d)},
                       {"receivables", Units(f.receivables, d)}});
      }
      fmt::print("{}\n", api::JsonText(json{{"flags", out}}, 2));
      return kExitOk;
    }
    fmt::print("{:<20} {:<10} {:<10} {:<24} {:<10} {:>12} {:>12} {:>12}\n", "flagged at", "order",
               "customer", "name", "date", "amount", "receivables", "limit");
    for (const auto& f : *flags) {
      fmt::print("{:<20} {:<10} {:<10} {:<24} {:<10} {:>12} {:>12} {:>12}\n", FormatTimestamp(f.at),
                 f.order, f.customer, Clip(f.customer_name, 24), f.order_date,
                 FormatMoney(f.amount, d), FormatMoney(f.receivables, d),
                 FormatMoney(f.credit_limit, d));
    }
    fmt::print("{} flagged orders\n", flags->size());
    return kExitOk;
  });

  CLI::App* defaulters =
      cmd->add_subcommand("defaulters", "Customers who may leave to escape a debt");
  defaulters->add_option("--as-of", a->as_of, "Day of the list (default: today)");
  defaulters->add_option("--min-days", a->min_days, "Overdue more than this many days")
      ->capture_default_str();
  defaulters->add_flag("--json", a->json, "Print JSON");
  defaulters->add_option("--db", a->db, "Database file")->capture_default_str();
  registry.emplace_back(defaulters, [a](const app::Config& config) {
    auto as_of = ParseDateOption(a->as_of, "--as-of", TodayUtc());
    if (!as_of.ok()) return Fail(as_of.status());
    auto db = OpenExisting(a->db);
    if (!db.ok()) return Fail(db.status());
    if (a->as_of.empty()) WarnIfHistoryIsOld(**db, a->db);
    auto rows = engine::FindDefaulters(**db, *as_of, a->min_days, config.credit_rules);
    if (!rows.ok()) return Fail(rows.status());
    int d = config.currency_decimals;
    if (a->json) {
      fmt::print("{}\n", api::JsonText(api::DefaultersJson(*rows, *as_of, a->min_days, d), 2));
      return kExitOk;
    }
    auto days = [](const std::optional<int64_t>& v) { return v ? std::to_string(*v) + "d" : "-"; };
    fmt::print("{:<10} {:<24} {:<12} {:>12} {:>8} {:<11} {:>10} {:>12} {:<6} {}\n", "customer",
               "name", "owner", "overdue", "oldest", "last order", "days ago", "last contact",
               "orders", "rating");
    for (const engine::Defaulter& x : *rows) {
      fmt::print("{:<10} {:<24} {:<12} {:>12} {:>7}d {:<11} {:>10} {:>12} {:<6} {}\n", x.customer,
                 Clip(x.name, 24), x.owner.empty() ? "-" : Clip(x.owner, 12),
                 FormatMoney(x.overdue_amount, d), x.oldest_overdue_days,
                 x.last_order_date ? FormatDate(*x.last_order_date) : "-",
                 days(x.days_since_last_order), days(x.days_since_last_contact),
                 x.still_orders ? "yes" : "no", RatingName(x.rating));
    }
    fmt::print("{} customers overdue more than {} days as of {}\n", rows->size(), a->min_days,
               FormatDate(*as_of));
    return kExitOk;
  });
}

}  // namespace tenure::cli
