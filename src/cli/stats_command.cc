// `tenure stats`: sums by classification (--by), the 80/20 view (`stats
// pareto`) and lead grading (`stats leads`). Definitions in docs/reports.md;
// money in JSON is a decimal number in the currency unit.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "api/json_codec.h"
#include "api/report_json.h"
#include "cli/commands.h"
#include "cli/text_table.h"
#include "common/numbers.h"
#include "common/text.h"
#include "common/time.h"
#include "engine/stats.h"

namespace tenure::cli {
namespace {

Result<std::optional<Date>> ParseDateOption(const std::string& text, const char* option) {
  if (text.empty()) return std::optional<Date>();
  auto date = ParseIsoDate(text);
  if (!date) {
    return Status::InvalidArgument("not a date '" + text + "' (expected YYYY-MM-DD)", option);
  }
  return std::optional<Date>(*date);
}

Result<engine::Period> ParsePeriod(const std::string& from, const std::string& to) {
  auto f = ParseDateOption(from, "--from");
  if (!f.ok()) return f.status();
  auto t = ParseDateOption(to, "--to");
  if (!t.ok()) return t.status();
  return engine::Period{*f, *t};
}

// Where text output goes: standard output, or --out.
class Output {
 public:
  static Result<Output> Open(const std::string& path) {
    if (path.empty()) return Output(stdout, false);
    std::FILE* file = std::fopen(path.c_str(), "w");
    if (file == nullptr) return Status::IoError("cannot write " + path);
    return Output(file, true);
  }
  Output(Output&& other) noexcept : file_(other.file_), owned_(other.owned_) {
    other.file_ = nullptr;
  }
  ~Output() {
    if (owned_ && file_) std::fclose(file_);
  }
  std::FILE* file() { return file_; }

 private:
  Output(std::FILE* file, bool owned) : file_(file), owned_(owned) {}
  std::FILE* file_;
  bool owned_;
};

// Columns padded to their widest cell; numbers right-aligned.
void PrintTable(std::FILE* out, const engine::ReportTable& table, int decimals) {
  std::vector<std::vector<std::string>> text;
  std::vector<size_t> width(table.columns.size(), 0);
  std::vector<std::string> header;
  for (size_t c = 0; c < table.columns.size(); ++c) {
    header.push_back(table.columns[c].name);
    width[c] = header[c].size();
  }
  for (const auto& row : table.rows) {
    std::vector<std::string> cells;
    for (size_t c = 0; c < table.columns.size(); ++c) {
      const engine::ReportColumn& column = table.columns[c];
      std::string cell = engine::FormatReportCell(column, row[c], decimals);
      if (column.kind == engine::ReportColumn::Kind::kInteger && !cell.empty()) {
        cell = GroupThousands(std::stoll(cell));
      }
      if (cell.empty() && column.kind != engine::ReportColumn::Kind::kText) cell = "-";
      width[c] = std::max(width[c], cell.size());
      cells.push_back(std::move(cell));
    }
    text.push_back(std::move(cells));
  }
  auto print = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t c = 0; c < cells.size(); ++c) {
      bool left = table.columns[c].kind == engine::ReportColumn::Kind::kText;
      line += c ? "  " : "";
      line += left ? fmt::format("{:<{}}", cells[c], width[c])
                   : fmt::format("{:>{}}", cells[c], width[c]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    fmt::print(out, "{}\n", line);
  };
  print(header);
  for (const auto& cells : text) print(cells);
}

void PrintPareto(const engine::ParetoReport& p, size_t top_n, const app::Config& config) {
  auto money = [&](Money v) {
    return FormatMoney(v, config.currency_decimals) + " " + config.currency;
  };
  const char* what = p.measure == engine::ParetoMeasure::kSales ? "sales" : "gross profit";
  fmt::print("{} customers with orders; total {} {}\n", GroupThousands(p.customers), what,
             money(p.total));
  fmt::print("top 20 % ({} customers) bring {:.1f} % of {} ({}); Gini {:.3f}\n",
             GroupThousands(p.top_count), 100 * p.top_share, what, money(p.top_value), p.gini);
  size_t shown = std::min(top_n, p.top.size());
  if (shown > 0) {
    fmt::print("\n{:>5}  {:<12}  {:<32}  {:>16}  {:>7}\n", "rank", "id", "name", what, "share");
    for (size_t i = 0; i < shown; ++i) {
      const auto& c = p.top[i];
      double share = p.total > 0 ? 100.0 * static_cast<double>(c.value) / p.total : 0;
      fmt::print("{:>5}  {:<12}  {:<32.32}  {:>16}  {:>6.2f}%\n", i + 1,
                 c.external_id.empty() ? std::to_string(c.id) : c.external_id, c.name,
                 FormatMoney(c.value, config.currency_decimals), share);
    }
  }
  fmt::print("\nLorenz curve (lowest customers first): their share of {}\n", what);
  TextTable lorenz({{"customers", true}, {what, true}});
  for (size_t k = 0; k < p.lorenz.size(); k += 10) {
    lorenz.AddRow({fmt::format("{:.0f} %", 100 * p.lorenz[k].first),
                   fmt::format("{:.1f} %", 100 * p.lorenz[k].second)});
  }
  lorenz.Print(stdout, "  ");
}

void PrintLeads(const engine::LeadReport& r) {
  std::vector<size_t> width;
  for (const auto& level : r.levels) width.push_back(std::max<size_t>(level.size(), 5));
  fmt::print("{:<12}", "stage");
  for (size_t l = 0; l < r.levels.size(); ++l) fmt::print("  {:>{}}", r.levels[l], width[l]);
  fmt::print("  {:>7}\n", "total");
  for (size_t s = 0; s < r.stages.size(); ++s) {
    fmt::print("{:<12}", r.stages[s]);
    for (size_t l = 0; l < r.levels.size(); ++l) fmt::print("  {:>{}}", r.counts[s][l], width[l]);
    fmt::print("  {:>7}\n", r.stage_totals[s]);
  }
  fmt::print("{:<12}", "total");
  for (size_t l = 0; l < r.levels.size(); ++l) fmt::print("  {:>{}}", r.level_totals[l], width[l]);
  fmt::print("  {:>7}\n\n", r.total);
  fmt::print("{:<12}  {:<8}  {:<12}  {:<32}  {:<10}  {:<12}  {}\n", "stage", "status", "id", "name",
             "level", "owner", "last contact");
  for (const auto& e : r.leads) {
    fmt::print("{:<12}  {:<8}  {:<12}  {:<32.32}  {:<10}  {:<12}  {}\n", e.stage, e.status,
               e.external_id.empty() ? std::to_string(e.id) : e.external_id, e.name, e.level,
               e.owner, e.last_contact ? FormatDate(*e.last_contact) : "never");
  }
}

// Sales by product or category, a header row first.
void PrintProducts(const std::vector<store::ProductSalesRow>& rows, bool by_category,
                   const app::Config& config) {
  if (by_category) {
    fmt::print("{:<24}  {:>12}  {:>14}  {:>12}  {:>8}  {:>9}\n", "category", "quantity", "sales",
               "returned", "orders", "customers");
  } else {
    fmt::print("{:<12}  {:<36}  {:>10}  {:>12}  {:>10}  {:>7}  {:>9}  {:<10}\n", "product", "name",
               "quantity", "sales", "returned", "orders", "customers", "last order");
  }
  for (const store::ProductSalesRow& r : rows) {
    std::string sales = FormatMoney(r.amount, config.currency_decimals);
    std::string returned = FormatMoney(r.returned, config.currency_decimals);
    if (by_category) {
      fmt::print("{:<24.24}  {:>12}  {:>14}  {:>12}  {:>8}  {:>9}\n",
                 r.key.empty() ? std::string(engine::kNoneLabel) : r.key, FormatDecimal(r.quantity),
                 sales, returned, r.orders, r.customers);
    } else {
      fmt::print("{:<12.12}  {:<36.36}  {:>10}  {:>12}  {:>10}  {:>7}  {:>9}  {:<10}\n", r.key,
                 r.name, FormatDecimal(r.quantity), sales, returned, r.orders, r.customers,
                 r.last_order_date.empty() ? "-" : r.last_order_date);
    }
  }
}

}  // namespace

void AddStatsCommand(CLI::App& app, Registry& registry) {
  struct Args {
    std::string db = "tenure.db";
    std::string by;
    std::string from;
    std::string to;
    std::string format = "table";
    std::string out;
    std::string measure = "sales";
    size_t top = 10;
    std::string product_by = "product";
    bool json = false;
    bool all = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* stats = app.add_subcommand(
      "stats",
      "Customers, orders, sales, profit and scores by classification; see also pareto, leads");
  stats->require_subcommand(0, 1);
  stats->add_option("--by", args->by,
                    "Dimensions, comma-separated: province, city, type, industry, level, source, "
                    "owner, team");
  stats->add_option("--from", args->from, "First order date counted (YYYY-MM-DD)");
  stats->add_option("--to", args->to, "Last order date counted (YYYY-MM-DD)");
  stats->add_option("--format", args->format, "table, csv, xlsx or json")
      ->check(CLI::IsMember({"table", "csv", "xlsx", "json"}))
      ->capture_default_str();
  stats->add_option("--out", args->out, "Write to this file (needed for xlsx)");
  stats->add_option("--db", args->db, "Database file")->capture_default_str();

  CLI::App* pareto =
      stats->add_subcommand("pareto", "The 80/20 view: the top 20 % of customers' share");
  pareto->add_option("--by", args->measure, "sales or profit")
      ->check(CLI::IsMember({"sales", "profit"}))
      ->capture_default_str();
  pareto->add_option("--top", args->top, "Top customers listed in the table")
      ->capture_default_str();
  pareto->add_option("--from", args->from, "First order date counted (YYYY-MM-DD)");
  pareto->add_option("--to", args->to, "Last order date counted (YYYY-MM-DD)");
  pareto->add_flag("--json", args->json, "Print JSON");
  pareto->add_option("--db", args->db, "Database file")->capture_default_str();

  CLI::App* products =
      stats->add_subcommand("products", "Sales by product or by category, net of returns");
  products->add_option("--by", args->product_by, "product or category")
      ->check(CLI::IsMember({"product", "category"}))
      ->capture_default_str();
  products->add_option("--from", args->from, "First order date counted (YYYY-MM-DD)");
  products->add_option("--to", args->to, "Last order date counted (YYYY-MM-DD)");
  products->add_option("--top", args->top, "Rows listed")->capture_default_str();
  products->add_option("--db", args->db, "Database file")->capture_default_str();

  CLI::App* leads = stats->add_subcommand("leads", "Leads by stage and level, with last contact");
  leads->add_flag("--all", args->all, "Also customers whose lead stage is won or lost");
  leads->add_flag("--json", args->json, "Print JSON");
  leads->add_option("--db", args->db, "Database file")->capture_default_str();

  // The subcommands come first: `stats` itself is parsed whenever they are.
  registry.emplace_back(products, [args](const app::Config& config) {
    auto period = ParsePeriod(args->from, args->to);
    if (!period.ok()) return Fail(period.status());
    auto db = OpenExisting(args->db);
    if (!db.ok()) return Fail(db.status());
    const bool by_category = args->product_by == "category";
    auto rows =
        engine::ProductStatistics(**db, by_category, *period, static_cast<int64_t>(args->top));
    if (!rows.ok()) return Fail(rows.status());
    PrintProducts(*rows, by_category, config);
    return kExitOk;
  });
  registry.emplace_back(pareto, [args](const app::Config& config) {
    auto period = ParsePeriod(args->from, args->to);
    if (!period.ok()) return Fail(period.status());
    auto db = OpenExisting(args->db);
    if (!db.ok()) return Fail(db.status());
    auto measure =
        args->measure == "profit" ? engine::ParetoMeasure::kProfit : engine::ParetoMeasure::kSales;
    auto report = engine::ParetoAnalysis(**db, measure, *period);
    if (!report.ok()) return Fail(report.status());
    if (args->json) {
      fmt::print(
          "{}\n",
          api::JsonText(api::ParetoJson(*report, config.currency, config.currency_decimals), 2));
    } else {
      PrintPareto(*report, args->top, config);
    }
    return kExitOk;
  });
  registry.emplace_back(leads, [args](const app::Config&) {
    auto db = OpenExisting(args->db);
    if (!db.ok()) return Fail(db.status());
    auto report = engine::GradeLeads(**db, args->all);
    if (!report.ok()) return Fail(report.status());
    if (args->json) {
      fmt::print("{}\n", api::JsonText(api::LeadsJson(*report), 2));
    } else {
      PrintLeads(*report);
    }
    return kExitOk;
  });
  registry.emplace_back(stats, [args](const app::Config& config) {
    if (args->by.empty()) {
      return Fail(Status::InvalidArgument(
          "required (one or more of province, city, type, industry, level, source, owner, team)",
          "--by"));
    }
    auto dimensions = engine::ParseDimensions(args->by);
    if (!dimensions.ok()) return Fail(dimensions.status());
    auto period = ParsePeriod(args->from, args->to);
    if (!period.ok()) return Fail(period.status());
    if (args->format == "xlsx" && args->out.empty()) {
      return Fail(Status::InvalidArgument("xlsx output needs a file", "--out"));
    }
    auto db = OpenExisting(args->db);
    if (!db.ok()) return Fail(db.status());
    auto report = engine::GroupStatistics(**db, *dimensions, *period);
    if (!report.ok()) return Fail(report.status());
    const int decimals = config.currency_decimals;
    if (args->format == "csv") {
      Status written = engine::WriteTableCsv(engine::StatsTable(*report), args->out, decimals);
      return written.ok() ? kExitOk : Fail(written);
    }
    if (args->format == "xlsx") {
      Status written = engine::WriteTableXlsx(engine::StatsTable(*report), args->out, decimals);
      return written.ok() ? kExitOk : Fail(written);
    }
    auto out = Output::Open(args->out);
    if (!out.ok()) return Fail(out.status());
    if (args->format == "json") {
      fmt::print(out->file(), "{}\n",
                 api::JsonText(api::StatsJson(*report, config.currency, decimals), 2));
    } else {
      PrintTable(out->file(), engine::StatsTable(*report), decimals);
    }
    return kExitOk;
  });
}

}  // namespace tenure::cli
