#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>

#include "cli/commands.h"
#include "common/text.h"
#include "engine/importer.h"

namespace tenure::cli {
namespace {

struct ImportArgs {
  std::string entity;
  std::string file;
  std::vector<std::string> maps;
  std::string date_format;
  std::string rejects;
  bool create_customers = false;
  std::string db = "tenure.db";
};

// Draws "  42% [########            ] 1,234,567 rows  280,000 rows/s" on stderr.
class ProgressBar {
 public:
  ProgressBar() : start_(std::chrono::steady_clock::now()) {}
  void Draw(const engine::ImportProgress& p) {
    double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    double fraction = p.bytes_total ? static_cast<double>(p.bytes_read) / p.bytes_total : 0;
    if (fraction > 1) fraction = 1;
    int filled = static_cast<int>(fraction * 30);
    long long rate = elapsed > 0 ? static_cast<long long>(p.rows / elapsed) : 0;
    fmt::print(stderr, "\r{:4.0f}% [{:<30}] {} rows  {} rows/s ", fraction * 100,
               std::string(filled, '#'), GroupThousands(p.rows), GroupThousands(rate));
    std::fflush(stderr);
    drawn_ = true;
  }
  void Finish() {
    if (drawn_) fmt::print(stderr, "\n");
  }

 private:
  std::chrono::steady_clock::time_point start_;
  bool drawn_ = false;
};

int RunImport(const ImportArgs& args, const app::Config& config) {
  const domain::EntitySpec* spec = domain::FindEntity(args.entity);
  if (spec == nullptr) {
    std::string names;
    for (const auto& e : domain::AllEntities())
      names += (names.empty() ? "" : ", ") + std::string(e.name);
    return Fail(Status::InvalidArgument("unknown entity '" + args.entity + "'; one of: " + names,
                                        "--entity"));
  }
  engine::ImportOptions options;
  options.path = args.file;
  options.spec = spec;
  options.date_format = args.date_format;
  options.create_customers = args.create_customers;
  options.rejects_path = args.rejects;
  options.currency_decimals = config.currency_decimals;
  for (const std::string& map : args.maps) {
    size_t eq = map.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == map.size()) {
      return Fail(Status::InvalidArgument("'" + map + "' is not COLUMN=FIELD", "--map"));
    }
    options.maps.emplace_back(map.substr(0, eq), map.substr(eq + 1));
  }
  ProgressBar bar;
  if (isatty(STDERR_FILENO)) {
    options.progress = [&bar](const engine::ImportProgress& p) { bar.Draw(p); };
  }
  auto db = store::OpenStore(args.db);
  if (!db.ok()) return Fail(db.status());
  auto report = engine::ImportCsv(**db, options);
  bar.Finish();
  if (!report.ok()) return Fail(report.status());
  const engine::ImportReport& r = *report;
  for (const std::string& column : r.ignored_columns) {
    fmt::print(stderr, "tenure: {}: column '{}' is not a field of {}; ignored\n", args.file, column,
               spec->name);
  }
  constexpr size_t kShown = 20;
  for (size_t i = 0; i < r.rejects.size() && i < kShown; ++i) {
    const engine::RejectedRow& bad = r.rejects[i];
    if (bad.column.empty()) {
      fmt::print(stderr, "{}:{}: {}\n", args.file, bad.line, bad.reason);
    } else {
      fmt::print(stderr, "{}:{}: column '{}': {}\n", args.file, bad.line, bad.column, bad.reason);
    }
  }
  if (r.rejected > static_cast<int64_t>(kShown)) {
    fmt::print(stderr, "... and {} more\n", GroupThousands(r.rejected - kShown));
  }
  double rate = r.seconds > 0 ? r.rows / r.seconds : 0;
  fmt::print("{}: {} rows read: {} inserted, {} updated, {} unchanged, {} rejected", spec->name,
             GroupThousands(r.rows), GroupThousands(r.inserted), GroupThousands(r.updated),
             GroupThousands(r.unchanged), GroupThousands(r.rejected));
  if (r.customers_created > 0) {
    fmt::print("; {} customers created", GroupThousands(r.customers_created));
  }
  fmt::print(" ({:.2f} s, {} rows/s)\n", r.seconds, GroupThousands(static_cast<long long>(rate)));
  if (r.rejected > 0) {
    fmt::print("rejected rows written to {}\n", r.rejects_path);
    return kExitRejected;
  }
  return kExitOk;
}

}  // namespace

void AddImportCommand(CLI::App& app, Registry& registry) {
  auto args = std::make_shared<ImportArgs>();
  std::string entities;
  for (const auto& e : domain::AllEntities())
    entities += (entities.empty() ? "" : ", ") + std::string(e.name);
  CLI::App* cmd = app.add_subcommand(
      "import",
      "Import a CSV file. Rows are matched by id, so importing again changes nothing.\n"
      "Bad rows are reported and written to FILE.rejects.csv; exit code 3 when any was.");
  cmd->add_option("entity", args->entity, "What the file holds: " + entities)->required();
  cmd->add_option("file", args->file, "CSV file with a header line")->required();
  cmd->add_option("--map", args->maps, "COLUMN=FIELD: read COLUMN as FIELD (repeatable)");
  cmd->add_option("--date-format", args->date_format,
                  "strptime format of dates, e.g. %d/%m/%Y (default ISO YYYY-MM-DD)");
  cmd->add_flag("--create-customers", args->create_customers,
                "Create customers that the file names but the database lacks");
  cmd->add_option("--rejects", args->rejects, "Where to write rejected rows");
  cmd->add_option("--db", args->db, "Database file")->capture_default_str();
  registry.emplace_back(cmd,
                        [args](const app::Config& config) { return RunImport(*args, config); });

  auto which = std::make_shared<std::string>();
  CLI::App* columns = app.add_subcommand("columns", "List the CSV columns each entity takes");
  columns->add_option("entity", *which, "One entity (default: all)");
  registry.emplace_back(columns, [which](const app::Config&) {
    for (const auto& spec : domain::AllEntities()) {
      if (!which->empty() && domain::FindEntity(*which) != &spec) continue;
      fmt::print("{}:\n{}", spec.name, engine::DescribeColumns(spec));
    }
    return kExitOk;
  });
}

}  // namespace tenure::cli
