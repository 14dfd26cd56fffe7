// `tenure customer show ID [--as-of DATE] [--json]`: one customer's whole
// profile. JSON: the customer's own fields and every metric at the top level
// (dates ISO, money a decimal number in the currency unit, unknown metrics
// null), a "scores" object (engine/scoring.h; every key null when not
// scored), then one array per related record kind.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "common/numbers.h"
#include "common/time.h"
#include "engine/customer_profile.h"

namespace tenure::cli {
namespace {

using domain::FieldSpec;
using domain::FieldType;
using nlohmann::json;

json MoneyJson(Money amount, int decimals) {
  return static_cast<double>(amount) / std::pow(10.0, decimals);
}

template <typename T, typename F>
json OrNull(const std::optional<T>& value, F convert) {
  return value ? json(convert(*value)) : json(nullptr);
}

json ValueJson(const FieldSpec& field, const domain::Value& value, int decimals) {
  if (std::holds_alternative<std::monostate>(value)) return nullptr;
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  if (const auto* real = std::get_if<double>(&value)) return *real;
  int64_t n = std::get<int64_t>(value);
  switch (field.type) {
    case FieldType::kMoney:
      return MoneyJson(n, decimals);
    case FieldType::kTimestamp:
      return FormatTimestamp(n);
    case FieldType::kBool:
      return n != 0;
    case FieldType::kEnum:
      if (n >= 0 && static_cast<size_t>(n) < field.enum_names.size()) {
        return std::string(field.enum_names[static_cast<size_t>(n)]);
      }
      return n;
    default:
      return n;
  }
}

json RowJson(const domain::EntitySpec& spec, const store::ExportRow& row, int decimals) {
  json out = {{"id", row.id},
              {"external_id", row.external_id.empty() ? json(nullptr) : json(row.external_id)}};
  for (size_t i = 0; i < spec.fields.size(); ++i) {
    out[std::string(spec.fields[i].name)] = ValueJson(spec.fields[i], row.values[i], decimals);
  }
  out["created_at"] = FormatTimestamp(row.created_at);
  out["updated_at"] = FormatTimestamp(row.updated_at);
  return out;
}

// The purchase-model scores (engine/scoring.h): every key null when the
// customer is not scored.
json ScoresJson(const std::optional<engine::CustomerScores>& s, int decimals) {
  if (!s) {
    json out;
    for (const char* key :
         {"p_alive", "expected_purchases_30", "expected_purchases_90", "expected_purchases_365",
          "clv", "model_next_purchase_date", "scored_at", "score_model", "as_of"}) {
      out[key] = nullptr;
    }
    return out;
  }
  return {{"p_alive", s->p_alive},
          {"expected_purchases_30", s->expected_purchases_30},
          {"expected_purchases_90", s->expected_purchases_90},
          {"expected_purchases_365", s->expected_purchases_365},
          {"clv", MoneyJson(s->clv, decimals)},
          {"model_next_purchase_date", FormatDate(s->model_next_purchase_date)},
          {"scored_at", FormatTimestamp(s->scored_at)},
          {"score_model", s->score_model},
          {"as_of", s->as_of ? json(FormatDate(*s->as_of)) : json(nullptr)}};
}

json ProfileJson(const engine::CustomerProfile& p, int decimals) {
  json out = RowJson(domain::SpecOf(domain::Entity::kCustomer), p.customer, decimals);
  const engine::CustomerMetrics& m = p.metrics;
  auto date = [](Date d) { return FormatDate(d); };
  auto money = [&](Money v) { return MoneyJson(v, decimals); };
  auto same = [](auto v) { return v; };
  out["as_of"] = FormatDate(p.as_of);
  out["first_order_date"] = OrNull(m.first_order_date, date);
  out["last_order_date"] = OrNull(m.last_order_date, date);
  out["order_count"] = m.order_count;
  out["order_days"] = m.order_days;
  out["cumulative_sales"] = money(m.cumulative_sales);
  out["gross_profit"] = money(m.gross_profit);
  out["average_purchase_cycle_days"] = OrNull(m.average_purchase_cycle_days, same);
  out["next_purchase_date"] = OrNull(m.next_purchase_date, date);
  out["days_overdue_to_buy"] = OrNull(m.days_overdue_to_buy, same);
  out["last_contact_at"] =
      OrNull(m.last_contact_at, [](Timestamp t) { return FormatTimestamp(t); });
  out["days_since_last_contact"] = OrNull(m.days_since_last_contact, same);
  out["receivables"] = money(m.receivables);
  out["overdue_receivables"] = money(m.overdue_receivables);
  out["oldest_open_due_on"] = OrNull(m.oldest_open_due_on, date);
  out["scores"] = ScoresJson(p.scores, decimals);
  for (const engine::ProfileSection& section : p.sections) {
    json rows = json::array();
    for (const store::ExportRow& row : section.rows) {
      rows.push_back(RowJson(*section.spec, row, decimals));
    }
    out[std::string(section.spec->name)] = std::move(rows);
  }
  return out;
}

void PrintProfile(const engine::CustomerProfile& p, const app::Config& config) {
  json j = ProfileJson(p, config.currency_decimals);
  const domain::EntitySpec& spec = domain::SpecOf(domain::Entity::kCustomer);
  fmt::print("Customer {} (id {})\n", j["name"].get<std::string>(), p.customer.id);
  for (const FieldSpec& field : spec.fields) {
    const json& v = j[std::string(field.name)];
    if (v.is_null() || field.name == "name") continue;
    fmt::print("  {:<24} {}\n", field.name, v.is_string() ? v.get<std::string>() : v.dump());
  }
  fmt::print("Metrics as of {}\n", FormatDate(p.as_of));
  for (const char* key :
       {"first_order_date", "last_order_date", "order_count", "cumulative_sales", "gross_profit",
        "average_purchase_cycle_days", "next_purchase_date", "days_overdue_to_buy",
        "days_since_last_contact", "receivables", "overdue_receivables"}) {
    const json& v = j[key];
    std::string text = v.is_null() ? "-" : v.is_string() ? v.get<std::string>() : v.dump();
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
      fmt::print("{}\n", ProfileJson(*profile, config.currency_decimals).dump(2));
    } else {
      PrintProfile(*profile, config);
    }
    return kExitOk;
  });
}

}  // namespace tenure::cli
