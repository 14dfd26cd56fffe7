#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "common/numbers.h"
#include "common/text.h"
#include "domain/enums.h"
#include "store/queries.h"

namespace tenure::cli {

void AddSummaryCommand(CLI::App& app, Registry& registry) {
  auto db_path = std::make_shared<std::string>("tenure.db");
  CLI::App* cmd = app.add_subcommand("summary", "Print what the database holds");
  cmd->add_option("--db", *db_path, "Database file")->capture_default_str();
  registry.emplace_back(cmd, [db_path](const app::Config& config) {
    auto db = OpenExisting(*db_path);
    if (!db.ok()) return Fail(db.status());
    auto s = store::LoadCompanySummary(**db);
    if (!s.ok()) return Fail(s.status());
    auto money = [&](int64_t v) {
      return FormatMoney(v, config.currency_decimals) + " " + config.currency;
    };
    fmt::print("{}\n", *db_path);
    fmt::print("  users {:>14}    teams {:>10}\n", GroupThousands(s->users),
               GroupThousands(s->teams));
    fmt::print("  customers {:>10}    active {:>9}\n", GroupThousands(s->customers),
               GroupThousands(s->active_customers));
    fmt::print("  contacts {:>11}    activities {:>5}\n", GroupThousands(s->contacts),
               GroupThousands(s->activities));
    fmt::print("  orders {:>13}    sales {}\n", GroupThousands(s->orders), money(s->sales));
    fmt::print("  contracts {:>10}    invoices {:>7}    open receivables {}\n",
               GroupThousands(s->contracts), GroupThousands(s->invoices),
               money(s->open_receivables));
    fmt::print("  complaints {:>9}    open {:>11}\n", GroupThousands(s->complaints),
               GroupThousands(s->open_complaints));
    int64_t lost = 0;
    for (int64_t n : s->lost_by_type) lost += n;
    fmt::print("  lost customers {:>5}:", GroupThousands(lost));
    for (size_t t = 0; t < s->lost_by_type.size(); ++t) {
      fmt::print(" {} {}", domain::kChurnTypeNames[t], GroupThousands(s->lost_by_type[t]));
    }
    fmt::print("    won back {}\n", GroupThousands(s->won_back));
    return kExitOk;
  });
}

}  // namespace tenure::cli
