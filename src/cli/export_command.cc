#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "common/text.h"
#include "engine/exporter.h"

namespace tenure::cli {
namespace {

struct ExportArgs {
  std::string entity;
  std::string format = "csv";
  std::string out;
  std::string db = "tenure.db";
};

int RunExport(const ExportArgs& args, const app::Config& config) {
  const domain::EntitySpec* spec = domain::FindEntity(args.entity);
  if (spec == nullptr) {
    return Fail(Status::InvalidArgument("unknown entity '" + args.entity + "'", "--entity"));
  }
  engine::ExportOptions options;
  options.spec = spec;
  options.out_path = args.out;
  options.currency_decimals = config.currency_decimals;
  if (args.format == "csv") {
    options.format = engine::ExportFormat::kCsv;
  } else if (args.format == "xlsx") {
    options.format = engine::ExportFormat::kXlsx;
  } else {
    return Fail(Status::InvalidArgument("'" + args.format + "' is not csv or xlsx", "--format"));
  }
  if (options.format == engine::ExportFormat::kXlsx && options.out_path.empty()) {
    options.out_path = std::string(spec->name) + ".xlsx";
  }
  auto db = OpenExisting(args.db);
  if (!db.ok()) return Fail(db.status());
  auto rows = engine::ExportEntity(**db, options);
  if (!rows.ok()) return Fail(rows.status());
  if (!options.out_path.empty()) {
    fmt::print(stderr, "{}: {} rows written to {}\n", spec->name, GroupThousands(*rows),
               options.out_path);
  }
  return kExitOk;
}

}  // namespace

void AddExportCommand(CLI::App& app, Registry& registry) {
  auto args = std::make_shared<ExportArgs>();
  CLI::App* cmd = app.add_subcommand("export", "Export an entity as CSV or XLSX");
  cmd->add_option("entity", args->entity, "What to export (customers, orders, ...)")->required();
  cmd->add_option("--format", args->format, "csv or xlsx")->capture_default_str();
  cmd->add_option("--out", args->out, "Output file (CSV default: standard output)");
  cmd->add_option("--db", args->db, "Database file")->capture_default_str();
  registry.emplace_back(cmd,
                        [args](const app::Config& config) { return RunExport(*args, config); });
}

}  // namespace tenure::cli
