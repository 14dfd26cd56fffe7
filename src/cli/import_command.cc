#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>

#include "cli/commands.h"
#include "common/text.h"
#include "engine/import/importer.h"
#include "engine/import/order_lines.h"

namespace tenure::cli {
namespace {

struct ImportArgs {
  std::string entity;
  std::string file;
  std::vector<std::string> maps;
  std::string date_format;
  std::string rejects;
  bool create_customers = false;
  std::string encoding;
  bool decimal_comma = false;
  bool day_first = false;
  bool month_first = false;
  bool dry_run = false;
  bool allow_new_ids = false;
  std::optional<std::string> return_prefix;
  std::string db = "tenure.db";
};

// The preview of --dry-run: what was found in the file and the first rows
// as they would be stored.
void PrintPreview(const std::string& file, const engine::ImportReport& r) {
  const engine::FileFormat& f = r.format;
  fmt::print("{}\n", file);
  fmt::print("  encoding:   {} ({}{})\n", f.encoding.name, f.encoding.how,
             f.encoding.utf8() ? "" : "; converted to UTF-8");
  std::string delimiter = f.delimiter == '\t' ? "tab" : std::string(1, f.delimiter);
  fmt::print("  separator:  {}\n", delimiter);
  fmt::print("  decimals:   {} ({})\n", f.decimal_comma ? "comma (1.234,50)" : "point (1234.50)",
             f.decimal_how);
  for (const auto& [column, how] : f.date_columns) {
    fmt::print("  dates:      {} {}\n", column, how);
  }
  fmt::print("  columns:\n");
  for (const auto& [column, field] : r.mapping) {
    fmt::print("    {:<24} -> {}\n", column, field);
  }
  for (const std::string& column : r.ignored_columns) {
    fmt::print("    {:<24}    (not imported)\n", column);
  }
  if (!r.preview.empty()) {
    fmt::print("  first rows as they would be stored:\n");
    for (const auto& row : r.preview) {
      std::string line;
      for (const auto& [field, value] : row) {
        line += (line.empty() ? "" : "  ") + field + "=" + value;
      }
      fmt::print("    {}\n", line);
    }
  }
}

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
  options.encoding = args.encoding;
  options.decimal_comma = args.decimal_comma;
  if (args.day_first && args.month_first) {
    return Fail(
        Status::InvalidArgument("give --day-first or --month-first, not both", "--day-first"));
  }
  if (args.day_first) options.date_order = engine::DateOrder::kDayFirst;
  if (args.month_first) options.date_order = engine::DateOrder::kMonthFirst;
  options.dry_run = args.dry_run;
  options.preview_rows = args.dry_run ? 5 : 0;
  options.allow_new_ids = args.allow_new_ids;
  options.return_prefix = args.return_prefix;
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
  auto report = spec->entity == domain::Entity::kOrderLine ? engine::ImportOrderLines(**db, options)
                                                           : engine::ImportCsv(**db, options);
  bar.Finish();
  if (!report.ok()) return Fail(report.status());
  const engine::ImportReport& r = *report;
  if (r.dry_run) PrintPreview(args.file, r);
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
  if (r.skipped > 0) fmt::print(", {} skipped", GroupThousands(r.skipped));
  if (r.customers_created > 0) {
    fmt::print("; {} customers created", GroupThousands(r.customers_created));
  }
  fmt::print(" ({:.2f} s, {} rows/s)\n", r.seconds, GroupThousands(static_cast<long long>(rate)));
  if (r.dry_run) fmt::print("nothing was written (--dry-run)\n");
  if (r.skipped > 0) fmt::print("skipped: {}\n", r.skipped_reason);
  if (r.tables.size() > 1) {
    fmt::print("{:<18} {:>10} {:>10} {:>10}\n", "table", "inserted", "updated", "unchanged");
    for (const engine::TableCount& t : r.tables) {
      fmt::print("{:<18} {:>10} {:>10} {:>10}\n", t.table, GroupThousands(t.inserted),
                 GroupThousands(t.updated), GroupThousands(t.unchanged));
    }
  }
  int64_t in = r.inserted + r.updated + r.unchanged;
  if (r.rejected > 0) {
    if (!r.dry_run) fmt::print("rejected rows written to {}\n", r.rejects_path);
    return in == 0 ? kExitNoneIn : kExitRejected;
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
      "Bad rows are reported and written to FILE.rejects.csv; exit code 3 when any was,\n"
      "4 when every row was. `order_lines` builds orders, returns and products from a\n"
      "line-level shop or ERP export.");
  cmd->add_option("entity", args->entity, "What the file holds: " + entities)->required();
  cmd->add_option("file", args->file, "CSV file with a header line")->required();
  cmd->add_option("--map", args->maps, "COLUMN=FIELD: read COLUMN as FIELD (repeatable)");
  cmd->add_option("--date-format", args->date_format,
                  "strptime format of dates, e.g. %d/%m/%Y (default ISO YYYY-MM-DD)");
  cmd->add_flag("--create-customers", args->create_customers,
                "Create customers that the file names but the database lacks");
  cmd->add_option("--rejects", args->rejects, "Where to write rejected rows");
  cmd->add_option("--encoding", args->encoding,
                  "The file's encoding (default: detected; UTF-8, UTF-16, WINDOWS-1252, LATIN-1)");
  cmd->add_flag("--decimal-comma", args->decimal_comma,
                "Numbers are written 1.234,50 (default: detected)");
  cmd->add_flag("--day-first", args->day_first, "Dates are dd/mm/yyyy (default: detected)");
  cmd->add_flag("--month-first", args->month_first, "Dates are mm/dd/yyyy (default: detected)");
  cmd->add_flag("--dry-run", args->dry_run,
                "Show what was detected, the first rows and the counts; write nothing");
  cmd->add_flag("--allow-new-ids", args->allow_new_ids,
                "Import even when the table's rows were identified another way before");
  cmd->add_option(
      "--return-prefix", args->return_prefix,
      "order_lines: order ids starting with it are cancellations (default: C + digits)");
  cmd->add_option("--db", args->db, "Database file")->capture_default_str();
  registry.emplace_back(cmd,
                        [args](const app::Config& config) { return RunImport(*args, config); });

  auto which = std::make_shared<std::string>();
  CLI::App* columns = app.add_subcommand("columns", "List the CSV columns each entity takes");
  columns->add_option("entity", *which, "One entity (default: all)");
  registry.emplace_back(columns, [which](const app::Config&) {
    for (const auto& spec : domain::AllEntities()) {
      if (!which->empty() && domain::FindEntity(*which) != &spec) continue;
      fmt::print("{}:\n{}", spec.name,
                 spec.entity == domain::Entity::kOrderLine ? engine::DescribeOrderLineColumns()
                                                           : engine::DescribeColumns(spec));
    }
    return kExitOk;
  });
}

}  // namespace tenure::cli
