// `tenure customer show ID [--as-of DATE] [--json]`: one customer's whole
// profile. JSON: the customer's own fields and every metric at the top level
// (dates ISO, money a decimal number in the currency unit, unknown metrics
// null), a "scores" object (engine/scoring.h; every key null when not
// scored), then one array per related record kind.
#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "api/json_codec.h"
#include "cli/commands.h"
#include "common/numbers.h"
#include "common/time.h"
#include "engine/customer_profile.h"

namespace tenure::cli {
namespace {

using api::ProfileJson;
using domain::FieldSpec;
using nlohmann::json;

void PrintProfile(const engine::CustomerProfile& p, const app::Config& config) {
  json j = ProfileJson(p, config.currency_decimals);
  const domain::EntitySpec& spec = domain::SpecOf(domain::Entity::kCustomer);
  fmt::print("Customer {} (id {})\n", j["name"].get<std::string>(), p.customer.id);
  for (const FieldSpec& field : spec.fields) {
    const json& v = j[std::string(field.name)];
    if (v.is_null() || field.name == "name") continue;
    fmt::print("  {:<24} {}\n", field.name,
               v.is_string() ? v.get<std::string>() : api::JsonText(v));
  }
  fmt::print("Metrics as of {}\n", FormatDate(p.as_of));
  for (const char* key :
       {"first_order_date", "last_order_date", "order_count", "cumulative_sales", "gross_profit",
        "average_purchase_cycle_days", "next_purchase_date", "days_overdue_to_buy",
        "days_since_last_contact", "receivables", "overdue_receivables"}) {
    const json& v = j[key];
    std::string text = v.is_null() ? "-" : v.is_string() ? v.get<std::string>() : api::JsonText(v);
    if (v.is_number_float()) text = fmt::format("{:.2f}", v.get<double>());
    fmt::print("  {:<28} {}\n", key, text);
  }
  if (p.scores) {
    const engine::CustomerScores& s = *p.scores;
    fmt::print("Scores ({}, as of {}, scored {})\n", s.score_model,
               s.as_of ? FormatDate(*s.as_of) : "-", FormatTimestamp(s.scored_at));
    fmt::print("  {:<28} {:.3f}\n", "p_alive", s.p_alive);
    fmt::print("  {:<28} {:.2f} / {:.2f} / {:.2f}\n", "expected_purchases_30/90/365",
               s.expected_purchases_30, s.expected_purchases_90, s.expected_purchases_365);
    fmt::print("  {:<28} {:.2f}\n", "clv", j["scores"]["clv"].get<double>());
    fmt::print("  {:<28} {}\n", "model_next_purchase_date", FormatDate(s.model_next_purchase_date));
  } else {
    fmt::print("Scores: not scored (run `tenure score`)\n");
  }
  for (const engine::ProfileSection& section : p.sections) {
    fmt::print("{}: {}\n", section.spec->name, section.rows.size());
  }
}

}  // namespace

void AddCustomerCommand(CLI::App& app, Registry& registry) {
  CLI::App* customer = app.add_subcommand("customer", "Look at one customer");
  customer->require_subcommand(1);
  struct Args {
    std::string db = "tenure.db";
    std::string key;
    std::string as_of;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* show = customer->add_subcommand("show", "The whole profile of a customer");
  show->add_option("ID", args->key, "The customer's external id (or internal id)")->required();
  show->add_option("--as-of", args->as_of,
                   "Date the aging metrics are computed for (default: today)");
  show->add_flag("--json", args->json, "Print JSON");
  show->add_option("--db", args->db, "Database file")->capture_default_str();
  registry.emplace_back(show, [args](const app::Config& config) {
    Date as_of = TodayUtc();
    if (!args->as_of.empty()) {
      auto parsed = ParseIsoDate(args->as_of);
      if (!parsed) {
        return Fail(Status::InvalidArgument(
            "not a date '" + args->as_of + "' (expected YYYY-MM-DD)", "--as-of"));
      }
      as_of = *parsed;
    }
    auto db = OpenExisting(args->db);
    if (!db.ok()) return Fail(db.status());
    auto profile = engine::LoadCustomerProfile(**db, args->key, as_of);
    if (!profile.ok()) return Fail(profile.status());
    if (args->json) {
      fmt::print("{}\n", api::JsonText(ProfileJson(*profile, config.currency_decimals), 2));
    } else {
      PrintProfile(*profile, config);
    }
    return kExitOk;
  });
}

}  // namespace tenure::cli
