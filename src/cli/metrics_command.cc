// `tenure metrics rebuild`: recomputes every customer's stored metrics from
// the orders, invoices and activities, and which tables hold its records
// (both are kept current on every write; this repairs a database changed
// behind Tenure's back).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>

#include "cli/commands.h"
#include "common/text.h"
#include "engine/metrics.h"

namespace tenure::cli {

void AddMetricsCommand(CLI::App& app, Registry& registry) {
  CLI::App* metrics = app.add_subcommand("metrics", "Derived customer metrics");
  metrics->require_subcommand(1);
  auto db_path = std::make_shared<std::string>("tenure.db");
  CLI::App* rebuild =
      metrics->add_subcommand("rebuild", "Recompute every customer's metrics from scratch");
  rebuild->add_option("--db", *db_path, "Database file")->capture_default_str();
  registry.emplace_back(rebuild, [db_path](const app::Config&) {
    auto db = OpenExisting(*db_path);
    if (!db.ok()) return Fail(db.status());
    auto started = std::chrono::steady_clock::now();
    auto changed = engine::RebuildMetrics(**db);
    if (!changed.ok()) return Fail(changed.status());
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    fmt::print(
        "metrics rebuilt: {} customers changed, {} customers' record tables changed ({:.2f} s)\n",
        GroupThousands(changed->metrics_changed), GroupThousands(changed->record_tables_changed),
        seconds);
    return kExitOk;
  });
}

}  // namespace tenure::cli
