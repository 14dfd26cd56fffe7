#include "engine/stats.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <cstdio>
#include <map>

#include "common/text.h"
#include "domain/enums.h"
#include "engine/import/csv.h"

namespace tenure::engine {
namespace {

using store::StatsDimension;

constexpr std::pair<std::string_view, StatsDimension> kDimensions[] = {
    {"province", StatsDimension::kProvince}, {"city", StatsDimension::kCity},
    {"type", StatsDimension::kType},         {"industry", StatsDimension::kIndustry},
    {"level", StatsDimension::kLevel},       {"source", StatsDimension::kSource},
    {"owner", StatsDimension::kOwner},       {"team", StatsDimension::kTeam},
};

Result<store::OrderPeriod> ToOrderPeriod(const Period& period) {
  if (period.from && period.to && *period.from > *period.to) {
    return Status::InvalidArgument("the period ends (" + FormatDate(*period.to) +
                                       ") before it starts (" + FormatDate(*period.from) + ")",
                                   "--to");
  }
  store::OrderPeriod out;
  if (period.from) out.from = FormatDate(*period.from);
  if (period.to) out.to = FormatDate(*period.to);
  return out;
}

// Rounds half away from zero; REQUIRES: divisor > 0.
Money DivideRounded(Money amount, int64_t divisor) {
  Money half = divisor / 2;
  return amount >= 0 ? (amount + half) / divisor : -((-amount + half) / divisor);
}

// The averages: order value, and P(alive) over the scored customers.
void SetAverages(GroupStats& g) {
  if (g.orders > 0) g.average_order_value = DivideRounded(g.sales, g.orders);
  if (g.scored_customers > 0) {
    g.mean_p_alive = g.p_alive_sum / static_cast<double>(g.scored_customers);
  }
}

}  // namespace

Result<std::vector<StatsDimension>> ParseDimensions(std::string_view text) {
  std::vector<StatsDimension> out;
  std::string choices;
  for (const auto& [name, dimension] : kDimensions) {
    choices += (choices.empty() ? "" : ", ") + std::string(name);
  }
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string name = NormalizeName(Trim(text.substr(start, comma - start)));
    auto found = std::find_if(std::begin(kDimensions), std::end(kDimensions),
                              [&](const auto& d) { return d.first == name; });
    if (found == std::end(kDimensions)) {
      return Status::InvalidArgument(
          "unknown dimension '" + name + "' (expected one or more of " + choices + ")", "--by");
    }
    if (std::find(out.begin(), out.end(), found->second) != out.end()) {
      return Status::InvalidArgument("dimension '" + name + "' given twice", "--by");
    }
    out.push_back(found->second);
    start = comma + 1;
  }
  return out;
}

std::string_view DimensionName(StatsDimension dimension) {
  for (const auto& [name, d] : kDimensions) {
    if (d == dimension) return name;
  }
  return "?";
}

Result<StatsReport> GroupStatistics(store::Database& db,
                                    const std::vector<StatsDimension>& dimensions,
                                    const Period& period, const store::CustomerScope& scope) {
  auto order_period = ToOrderPeriod(period);
  if (!order_period.ok()) return order_period.status();
  auto rows = store::LoadGroupTotals(db, dimensions, *order_period, scope);
  if (!rows.ok()) return rows.status();
  StatsReport report;
  report.dimensions = dimensions;
  report.period = period;
  for (const store::GroupTotalsRow& row : *rows) {
    GroupStats g;
    for (const auto& key : row.keys) g.keys.push_back(key ? *key : std::string(kNoneLabel));
    g.customers = row.customers;
    g.buyers = row.buyers;
    g.orders = row.orders;
    g.sales = row.sales;
    g.gross_profit = row.gross_profit;
    g.scored_customers = row.scored_customers;
    g.p_alive_sum = row.p_alive_sum;
    g.expected_purchases_365 = row.expected_purchases_365;
    g.clv = row.clv;
    SetAverages(g);
    GroupStats& total = report.total;
    total.customers += g.customers;
    total.buyers += g.buyers;
    total.orders += g.orders;
    total.sales += g.sales;
    total.gross_profit += g.gross_profit;
    total.scored_customers += g.scored_customers;
    total.p_alive_sum += g.p_alive_sum;
    total.expected_purchases_365 += g.expected_purchases_365;
    total.clv += g.clv;
    report.groups.push_back(std::move(g));
  }
  SetAverages(report.total);
  return report;
}

Result<ParetoReport> ParetoAnalysis(store::Database& db, ParetoMeasure measure,
                                    const Period& period, const store::CustomerScope& scope) {
  auto order_period = ToOrderPeriod(period);
  if (!order_period.ok()) return order_period.status();
  auto rows = store::LoadCustomerValues(db, *order_period, scope);
  if (!rows.ok()) return rows.status();
  ParetoReport report;
  report.measure = measure;
  std::vector<ParetoCustomer> customers;
  customers.reserve(rows->size());
  for (store::CustomerValueRow& row : *rows) {
    Money value = measure == ParetoMeasure::kSales ? row.sales : row.gross_profit;
    customers.push_back({row.id, std::move(row.external_id), std::move(row.name), value});
    report.total += value;
  }
  const auto n = static_cast<int64_t>(customers.size());
  report.customers = n;
  report.top_count = (n * 20 + 99) / 100;  // ceil(20 % of n), exact in integers
  // Highest value first; rows come in id order, so a stable sort breaks ties by id.
  std::stable_sort(
      customers.begin(), customers.end(),
      [](const ParetoCustomer& a, const ParetoCustomer& b) { return a.value > b.value; });
  for (int64_t i = 0; i < report.top_count; ++i) report.top_value += customers[i].value;
  const bool positive = report.total > 0;
  const double total = static_cast<double>(report.total);
  if (positive) report.top_share = static_cast<double>(report.top_value) / total;
  report.top.assign(customers.begin(), customers.begin() + report.top_count);

  // The Lorenz curve runs from the lowest value up: cumulative[i] is the sum
  // of the i lowest values, and the curve is linear between customers.
  std::vector<Money> cumulative(static_cast<size_t>(n) + 1, 0);
  for (int64_t i = 0; i < n; ++i) {
    cumulative[static_cast<size_t>(i + 1)] =
        cumulative[static_cast<size_t>(i)] + customers[static_cast<size_t>(n - 1 - i)].value;
  }
  for (int64_t k = 0; k <= 100; ++k) {
    double x = static_cast<double>(k) / 100;
    if (!positive || n == 0) {
      report.lorenz.emplace_back(x, x);
      continue;
    }
    int64_t whole = k * n / 100;
    double fraction = static_cast<double>(k * n % 100) / 100;
    double y = static_cast<double>(cumulative[static_cast<size_t>(whole)]);
    if (whole < n) {
      y += fraction * static_cast<double>(customers[static_cast<size_t>(n - 1 - whole)].value);
    }
    report.lorenz.emplace_back(x, y / total);
  }
  if (positive && n > 0) {
    double area = 0;  // trapezoids of width 1/n
    for (int64_t i = 1; i <= n; ++i) {
      area += static_cast<double>(cumulative[static_cast<size_t>(i - 1)] +
                                  cumulative[static_cast<size_t>(i)]);
    }
    report.gini = 1 - area / (static_cast<double>(n) * total);
  }
  return report;
}

Result<LeadReport> GradeLeads(store::Database& db, bool include_closed,
                              const store::CustomerScope& scope) {
  auto rows = store::LoadLeads(db, /*open_only=*/!include_closed, scope);
  if (!rows.ok()) return rows.status();
  LeadReport report;
  const std::string none(kNoneLabel);
  // Rows: the open stages always, then the closed ones and (none) when present.
  std::vector<int> stage_codes = {0, 1, 2, 3, 4};
  bool closed_present[2] = {false, false};
  bool stage_none = false;
  std::map<std::string, size_t> level_index;  // sorted; (none) handled apart
  bool level_none = false;
  for (const store::LeadRow& row : *rows) {
    if (!row.stage) stage_none = true;
    if (row.stage && *row.stage >= 5) closed_present[*row.stage - 5] = true;
    if (row.level) {
      level_index.emplace(*row.level, 0);
    } else {
      level_none = true;
    }
  }
  for (int code : {5, 6}) {
    if (closed_present[code - 5]) stage_codes.push_back(code);
  }
  for (int code : stage_codes) report.stages.emplace_back(domain::kLeadStageNames[code]);
  if (stage_none) report.stages.push_back(none);
  for (auto& [level, index] : level_index) {
    index = report.levels.size();
    report.levels.push_back(level);
  }
  if (level_none) report.levels.push_back(none);
  report.counts.assign(report.stages.size(), std::vector<int64_t>(report.levels.size(), 0));
  report.stage_totals.assign(report.stages.size(), 0);
  report.level_totals.assign(report.levels.size(), 0);

  for (const store::LeadRow& row : *rows) {
    size_t s = row.stage ? static_cast<size_t>(std::find(stage_codes.begin(), stage_codes.end(),
                                                         static_cast<int>(*row.stage)) -
                                               stage_codes.begin())
                         : report.stages.size() - 1;
    size_t l = row.level ? level_index[*row.level] : report.levels.size() - 1;
    ++report.counts[s][l];
    ++report.stage_totals[s];
    ++report.level_totals[l];
    ++report.total;
    LeadEntry entry;
    entry.id = row.id;
    entry.external_id = row.external_id;
    entry.name = row.name;
    entry.status = std::string(domain::kCustomerStatusNames[row.status]);
    entry.stage = report.stages[s];
    entry.level = row.level ? *row.level : none;
    entry.owner = row.owner ? *row.owner : none;
    if (row.last_contact_at) entry.last_contact = DateOf(*row.last_contact_at);
    report.leads.push_back(std::move(entry));
  }
  return report;
}

ReportTable StatsTable(const StatsReport& report) {
  using Kind = ReportColumn::Kind;
  ReportTable table;
  table.title = "stats";
  for (StatsDimension d : report.dimensions) {
    table.columns.push_back({std::string(DimensionName(d)), Kind::kText});
  }
  for (const char* name : {"customers", "buyers", "orders"}) {
    table.columns.push_back({name, Kind::kInteger});
  }
  for (const char* name : {"sales", "gross_profit", "average_order_value"}) {
    table.columns.push_back({name, Kind::kMoney});
  }
  table.columns.push_back({"scored_customers", Kind::kInteger});
  table.columns.push_back({"mean_p_alive", Kind::kRatio});
  table.columns.push_back({"expected_purchases_365", Kind::kDecimal});
  table.columns.push_back({"clv", Kind::kMoney});
  auto add = [&](const GroupStats& g, bool total) {
    std::vector<ReportCell> cells;
    for (size_t i = 0; i < report.dimensions.size(); ++i) {
      cells.emplace_back(total ? (i == 0 ? std::string("total") : std::string()) : g.keys[i]);
    }
    cells.emplace_back(g.customers);
    cells.emplace_back(g.buyers);
    cells.emplace_back(g.orders);
    cells.emplace_back(g.sales);
    cells.emplace_back(g.gross_profit);
    cells.emplace_back(g.average_order_value ? ReportCell(*g.average_order_value) : ReportCell());
    cells.emplace_back(g.scored_customers);
    cells.emplace_back(g.mean_p_alive ? ReportCell(*g.mean_p_alive) : ReportCell());
    cells.emplace_back(g.expected_purchases_365);
    cells.emplace_back(g.clv);
    table.rows.push_back(std::move(cells));
  };
  for (const GroupStats& g : report.groups) add(g, false);
  add(report.total, true);
  return table;
}

std::string FormatReportCell(const ReportColumn& column, const ReportCell& cell,
                             int currency_decimals) {
  if (std::holds_alternative<std::monostate>(cell)) return {};
  if (const auto* text = std::get_if<std::string>(&cell)) return *text;
  if (const auto* real = std::get_if<double>(&cell)) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", column.kind == ReportColumn::Kind::kRatio ? 4 : 2,
                  *real);
    return buffer;
  }
  int64_t n = std::get<int64_t>(cell);
  return column.kind == ReportColumn::Kind::kMoney ? FormatMoney(n, currency_decimals)
                                                   : std::to_string(n);
}

Status WriteTableCsv(const ReportTable& table, const std::string& path, int currency_decimals) {
  std::unique_ptr<CsvWriter> out;
  if (path.empty()) {
    out = CsvWriter::ForStream(stdout, "standard output");
  } else {
    auto created = CsvWriter::Create(path);
    if (!created.ok()) return created.status();
    out = std::move(*created);
  }
  std::vector<std::string> cells;
  for (const ReportColumn& column : table.columns) cells.push_back(column.name);
  out->Write(cells);
  for (const auto& row : table.rows) {
    cells.clear();
    for (size_t c = 0; c < table.columns.size(); ++c) {
      cells.push_back(FormatReportCell(table.columns[c], row[c], currency_decimals));
    }
    out->Write(cells);
  }
  return out->Close();
}

Status WriteTableXlsx(const ReportTable& table, const std::string& path, int currency_decimals) {
  if (path.empty()) return Status::InvalidArgument("XLSX output needs a file", "--out");
  lxw_workbook* book = workbook_new(path.c_str());
  if (book == nullptr) return Status::IoError("cannot write " + path);
  lxw_format* bold = workbook_add_format(book);
  format_set_bold(bold);
  lxw_format* money = workbook_add_format(book);
  std::string money_format = "#,##0";
  if (currency_decimals > 0) money_format += "." + std::string(currency_decimals, '0');
  format_set_num_format(money, money_format.c_str());
  lxw_format* ratio = workbook_add_format(book);
  format_set_num_format(ratio, "0.0000");
  lxw_format* decimal = workbook_add_format(book);
  format_set_num_format(decimal, "#,##0.00");
  lxw_worksheet* sheet = workbook_add_worksheet(book, table.title.c_str());
  double scale = 1;
  for (int i = 0; i < currency_decimals; ++i) scale *= 10;
  for (size_t c = 0; c < table.columns.size(); ++c) {
    worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), table.columns[c].name.c_str(),
                           bold);
  }
  for (size_t r = 0; r < table.rows.size(); ++r) {
    auto row = static_cast<lxw_row_t>(r + 1);
    for (size_t c = 0; c < table.columns.size(); ++c) {
      auto col = static_cast<lxw_col_t>(c);
      const ReportCell& cell = table.rows[r][c];
      if (const auto* text = std::get_if<std::string>(&cell)) {
        worksheet_write_string(sheet, row, col, text->c_str(), nullptr);
      } else if (const auto* real = std::get_if<double>(&cell)) {
        bool is_ratio = table.columns[c].kind == ReportColumn::Kind::kRatio;
        worksheet_write_number(sheet, row, col, *real, is_ratio ? ratio : decimal);
      } else if (const auto* n = std::get_if<int64_t>(&cell)) {
        bool is_money = table.columns[c].kind == ReportColumn::Kind::kMoney;
        worksheet_write_number(sheet, row, col,
                               is_money ? static_cast<double>(*n) / scale : static_cast<double>(*n),
                               is_money ? money : nullptr);
      }
    }
  }
  lxw_error error = workbook_close(book);
  if (error != LXW_NO_ERROR) {
    return Status::IoError("cannot write " + path + ": " + lxw_strerror(error));
  }
  return Status::Ok();
}

Result<std::vector<store::ProductSalesRow>> ProductStatistics(store::Database& db, bool by_category,
                                                              const Period& period, int64_t limit) {
  auto order_period = ToOrderPeriod(period);
  if (!order_period.ok()) return order_period.status();
  return store::LoadProductSales(db, by_category, *order_period, limit);
}

}  // namespace tenure::engine
