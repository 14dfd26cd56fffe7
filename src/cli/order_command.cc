// `tenure order add`: records one order after checking the customer's credit
// limit (docs/credit.md). Over the limit, app::Config::credit_policy decides:
// "flag" keeps the order and lists it in `tenure credit flagged`, "refuse"
// writes nothing and exits 1.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include "api/json_codec.h"
#include "cli/commands.h"
#include "common/numbers.h"
#include "common/time.h"
#include "engine/credit.h"

namespace tenure::cli {

void AddOrderCommand(CLI::App& app, Registry& registry) {
  struct Args {
    std::string db = "tenure.db";
    std::string customer, date, amount, cost, quantity, id;
    bool json = false;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("order", "Orders");
  cmd->require_subcommand(1);
  CLI::App* add = cmd->add_subcommand("add", "Record an order (checked against the credit limit)");
  add->add_option("--customer", a->customer, "Customer external id")->required();
  add->add_option("--date", a->date, "Order date, YYYY-MM-DD")->required();
  add->add_option("--amount", a->amount, "Amount in currency units (12.50)")->required();
  add->add_option("--cost", a->cost, "Cost in currency units");
  add->add_option("--quantity", a->quantity, "Quantity");
  add->add_option("--id", a->id, "External id for the order");
  add->add_flag("--json", a->json, "Print JSON");
  add->add_option("--db", a->db, "Database file")->capture_default_str();
  registry.emplace_back(add, [a](const app::Config& config) {
    engine::NewOrder order;
    order.customer = a->customer;
    order.external_id = a->id;
    order.currency_decimals = config.currency_decimals;
    order.policy = config.credit_policy == app::Config::CreditPolicy::kRefuse
                       ? engine::CreditPolicy::kRefuse
                       : engine::CreditPolicy::kFlag;
    std::optional<Date> date = ParseIsoDate(a->date);
    if (!date) {
      return Fail(
          Status::InvalidArgument("not a date '" + a->date + "' (expected YYYY-MM-DD)", "--date"));
    }
    order.order_date = *date;
    std::string error;
    std::optional<Money> amount = ParseMoney(a->amount, config.currency_decimals, &error);
    if (!amount) return Fail(Status::InvalidArgument(error + ": '" + a->amount + "'", "--amount"));
    order.amount = *amount;
    if (!a->cost.empty()) {
      order.cost = ParseMoney(a->cost, config.currency_decimals, &error);
      if (!order.cost)
        return Fail(Status::InvalidArgument(error + ": '" + a->cost + "'", "--cost"));
    }
    if (!a->quantity.empty()) {
      order.quantity = ParseDecimal(a->quantity);
      if (!order.quantity) {
        return Fail(Status::InvalidArgument("not a number '" + a->quantity + "'", "--quantity"));
      }
    }
    auto db = OpenExisting(a->db);
    if (!db.ok()) return Fail(db.status());
    auto added = engine::AddOrder(**db, order);
    if (!added.ok()) return Fail(added.status());
    const engine::CreditCheck& c = added->check;
    int d = config.currency_decimals;
    if (a->json) {
      double unit = std::pow(10.0, d);
      nlohmann::json out = {
          {"order_id", added->order_id},
          {"customer", added->customer},
          {"amount", static_cast<double>(c.amount) / unit},
          {"credit_limit", c.credit_limit
                               ? nlohmann::json(static_cast<double>(*c.credit_limit) / unit)
                               : nlohmann::json()},
          {"receivables", static_cast<double>(c.receivables) / unit},
          {"flagged", added->flagged}};
      fmt::print("{}\n", api::JsonText(out, 2));
      return kExitOk;
    }
    fmt::print("Recorded order {} for {}: {} {}\n",
               a->id.empty() ? std::to_string(added->order_id) : a->id, added->customer,
               FormatMoney(c.amount, d), config.currency);
    if (added->flagged) {
      fmt::print("  flagged: over the credit limit of {} (receivables {} + order {} = {})\n",
                 FormatMoney(*c.credit_limit, d), FormatMoney(c.receivables, d),
                 FormatMoney(c.amount, d), FormatMoney(c.receivables + c.amount, d));
    }
    return kExitOk;
  });
}

}  // namespace tenure::cli
