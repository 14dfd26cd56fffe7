// GET /stats (by classification, also as CSV or XLSX), /stats/pareto,
// /stats/leads and the reports: churn, team, complaints, defaulters. Each
// counts only the user's scope: a salesperson's own customers, a manager's
// team, a service agent's complaint customers; the team report shows a
// salesperson their own row and a manager their team's members.
#include "api/report_json.h"
#include "api/routes.h"
#include "common/text.h"
#include "domain/entity.h"
#include "engine/records.h"
#include "store/account_queries.h"

namespace tenure::api {
namespace {

const domain::EntitySpec& CustomerSpec() { return domain::SpecOf(domain::Entity::kCustomer); }

// An optional date parameter.
Result<std::optional<Date>> OptionalDate(const Request& request, const std::string& name) {
  if (!QueryParam(request, name)) return std::optional<Date>();
  auto date = DateParam(request, name, Date{});
  if (!date.ok()) return date.status();
  return std::optional<Date>(*date);
}

Result<engine::Period> PeriodOf(const Request& request) {
  auto from = OptionalDate(request, "from");
  if (!from.ok()) return from.status();
  auto to = OptionalDate(request, "to");
  if (!to.ok()) return to.status();
  return engine::Period{*from, *to};
}

Result<Reply> Stats(Context& c) {
  std::optional<std::string> by = QueryParam(c.request, "by");
  if (!by || by->empty()) {
    return Status::InvalidArgument(
        "required (one or more of province, city, type, industry, level, source, owner, team)",
        "by");
  }
  auto dimensions = engine::ParseDimensions(*by);
  if (!dimensions.ok()) return dimensions.status();
  std::string format = QueryParam(c.request, "format").value_or("json");
  if (format != "json" && format != "csv" && format != "xlsx") {
    return Status::InvalidArgument("expected json, csv or xlsx", "format");
  }
  auto period = PeriodOf(c.request);
  if (!period.ok()) return period.status();
  auto report = engine::GroupStatistics(c.db, *dimensions, *period, c.scope.customers);
  if (!report.ok()) return report.status();
  const int decimals = c.options.currency_decimals;
  if (format == "json") return Reply{.body = StatsJson(*report, c.options.currency, decimals)};
  TempFile file("." + format);
  if (file.path().empty()) return Status::IoError("cannot create a temporary file");
  engine::ReportTable table = engine::StatsTable(*report);
  Status written = format == "csv" ? engine::WriteTableCsv(table, file.path(), decimals)
                                   : engine::WriteTableXlsx(table, file.path(), decimals);
  if (!written.ok()) return written;
  return DownloadReply(file.path(), format, "stats." + format);
}

Result<Reply> Pareto(Context& c) {
  std::string measure = QueryParam(c.request, "measure").value_or("sales");
  if (measure != "sales" && measure != "profit") {
    return Status::InvalidArgument("expected sales or profit", "measure");
  }
  auto top = IntParam(c.request, "top", 20, 0, 1000);
  if (!top.ok()) return top.status();
  auto period = PeriodOf(c.request);
  if (!period.ok()) return period.status();
  auto report = engine::ParetoAnalysis(
      c.db, measure == "sales" ? engine::ParetoMeasure::kSales : engine::ParetoMeasure::kProfit,
      *period, c.scope.customers);
  if (!report.ok()) return report.status();
  // The top 20 % may be 200,000 customers: the first `top` of them are sent.
  if (report->top.size() > static_cast<size_t>(*top)) report->top.resize(*top);
  return Reply{.body = ParetoJson(*report, c.options.currency, c.options.currency_decimals)};
}

Result<Reply> Leads(Context& c) {
  std::string all = QueryParam(c.request, "all").value_or("false");
  if (all != "true" && all != "false")
    return Status::InvalidArgument("expected true or false", "all");
  auto limit = IntParam(c.request, "limit", 100, 0, 1000);
  if (!limit.ok()) return limit.status();
  auto report = engine::GradeLeads(c.db, all == "true", c.scope.customers);
  if (!report.ok()) return report.status();
  size_t leads = report->leads.size();
  if (leads > static_cast<size_t>(*limit)) report->leads.resize(*limit);
  nlohmann::json body = LeadsJson(*report);
  body["leads_total"] = leads;
  return Reply{.body = std::move(body)};
}

Result<Reply> ChurnReport(Context& c) {
  engine::ChurnReportOptions options;
  auto period = engine::ParseChurnPeriod(QueryParam(c.request, "period").value_or("month"));
  if (!period.ok()) return period.status();
  options.period = *period;
  auto as_of = DateParam(c.request, "as_of", DateOf(c.now));
  if (!as_of.ok()) return as_of.status();
  auto to = DateParam(c.request, "to", *as_of);
  if (!to.ok()) return to.status();
  auto from = DateParam(c.request, "from", engine::DefaultChurnFrom(*period, *to));
  if (!from.ok()) return from.status();
  options.from = *from;
  options.to = *to;
  options.segment = NormalizeName(QueryParam(c.request, "segment").value_or("level"));
  options.scope = c.scope.customers;
  auto report = engine::BuildChurnReport(c.db, options);
  if (!report.ok()) return report.status();
  return Reply{.body = ChurnReportJson(*report, c.options.currency_decimals)};
}

Result<Reply> PlaybookReport(Context& c) {
  engine::playbooks::EffectOptions options;
  auto as_of = DateParam(c.request, "as_of", DateOf(c.now));
  if (!as_of.ok()) return as_of.status();
  options.as_of = *as_of;
  auto horizon = IntParam(c.request, "horizon", 90, 1, 3650);
  if (!horizon.ok()) return horizon.status();
  options.horizon_days = *horizon;
  options.deadline_hours = c.options.complaint_deadlines.hours;
  auto report = engine::playbooks::BuildEffectReport(c.db, options);
  if (!report.ok()) return report.status();
  return Reply{.body = PlaybookEffectJson(*report)};
}

Result<Reply> TeamReport(Context& c) {
  engine::TeamReportOptions options;
  auto to = DateParam(c.request, "to", DateOf(c.now));
  if (!to.ok()) return to.status();
  options.to = *to;
  auto from = DateParam(c.request, "from", Date{to->days - 29});
  if (!from.ok()) return from.status();
  options.from = *from;
  std::string by = QueryParam(c.request, "by").value_or("total");
  if (by != "day" && by != "total") return Status::InvalidArgument("expected day or total", "by");
  options.by_day = by == "day";
  options.user = QueryParam(c.request, "user").value_or("");
  options.team = QueryParam(c.request, "team").value_or("");
  // A salesperson sees their own row, a manager their team's members.
  if (c.scope.role == domain::UserRole::kSales) {
    if (!options.team.empty() || (!options.user.empty() && options.user != c.scope.username)) {
      return Status::PermissionDenied("a salesperson sees only their own figures", "user");
    }
    options.user = c.scope.username;
  } else if (c.scope.role == domain::UserRole::kManager) {
    if (!options.team.empty() && options.team != c.scope.team) {
      return Status::PermissionDenied("a manager sees only their own team", "team");
    }
    if (!options.user.empty()) {
      auto user = store::FindAccount(c.db, options.user);
      if (!user.ok()) return user.status();
      if (*user && (*user)->team_id != c.scope.team_id) {
        return Status::PermissionDenied("a manager sees only their own team's members", "user");
      }
    }
    options.team = c.scope.team;
  }
  auto report = engine::BuildTeamReport(c.db, options);
  if (!report.ok()) return report.status();
  return Reply{.body = TeamReportJson(*report)};
}

Result<Reply> ComplaintReport(Context& c) {
  engine::ComplaintReportOptions options;
  auto to = DateParam(c.request, "to", DateOf(c.now));
  if (!to.ok()) return to.status();
  options.to = *to;
  auto from = OptionalDate(c.request, "from");
  if (!from.ok()) return from.status();
  options.from = *from;
  auto period = engine::ParseReportPeriod(QueryParam(c.request, "period").value_or("month"));
  if (!period.ok()) return period.status();
  options.period = *period;
  options.deadlines = c.options.complaint_deadlines;
  options.scope = c.scope.customers;
  auto report = engine::BuildComplaintReport(c.db, options);
  if (!report.ok()) return report.status();
  return Reply{.body = ComplaintReportJson(*report, options.deadlines)};
}

Result<Reply> Defaulters(Context& c) {
  auto as_of = DateParam(c.request, "as_of", DateOf(c.now));
  if (!as_of.ok()) return as_of.status();
  auto min_days = IntParam(c.request, "min_days", 60, 0, 36500);
  if (!min_days.ok()) return min_days.status();
  auto found =
      engine::FindDefaulters(c.db, *as_of, static_cast<int>(*min_days), c.options.credit_rules);
  if (!found.ok()) return found.status();
  std::vector<engine::Defaulter> visible;
  for (engine::Defaulter& d : *found) {
    if (c.scope.customers.kind != store::CustomerScope::Kind::kAll) {
      auto record = engine::GetRecord(c.db, c.scope, CustomerSpec(), d.customer_id);
      if (!record.ok()) {
        if (record.status().code() == Status::Code::kNotFound) continue;
        return record.status();
      }
    }
    visible.push_back(std::move(d));
  }
  return Reply{.body = DefaultersJson(visible, *as_of, static_cast<int>(*min_days),
                                      c.options.currency_decimals)};
}

}  // namespace

void AddReportRoutes(std::vector<Route>& routes) {
  const std::vector<Param> period = {
      {"from", "query", "string", false, "first order day counted, YYYY-MM-DD"},
      {"to", "query", "string", false, "last order day counted, YYYY-MM-DD"}};
  std::vector<Param> stats = period;
  stats.insert(stats.begin(),
               {{"by", "query", "string", true,
                 "dimensions, comma-separated: province, city, type, industry, level, source, "
                 "owner, team"},
                {"format", "query", "string", false, "json (default), csv or xlsx (a download)"}});
  routes.push_back({.method = "GET",
                    .path = "/stats",
                    .roles = kAdmin | kManager | kSales,
                    .tag = "reports",
                    .summary = "Customers, orders, sales, profit and scores by classification",
                    .params = stats,
                    .response = "Stats",
                    .downloads = {kCsvType, kXlsxType},
                    .handler = Stats});
  std::vector<Param> pareto = period;
  pareto.push_back({"measure", "query", "string", false, "sales (default) or profit"});
  pareto.push_back({"top", "query", "integer", false, "top customers listed, 0-1000 (default 20)"});
  routes.push_back({.method = "GET",
                    .path = "/stats/pareto",
                    .roles = kAdmin | kManager | kSales,
                    .tag = "reports",
                    .summary = "The 80/20 view: the top 20 % of customers' share, Lorenz curve",
                    .params = pareto,
                    .response = "Pareto",
                    .handler = Pareto});
  routes.push_back(
      {.method = "GET",
       .path = "/stats/leads",
       .roles = kAdmin | kManager | kSales,
       .tag = "reports",
       .summary = "Leads by stage and level, with each lead's last contact",
       .params = {{"all", "query", "boolean", false, "also leads whose stage is won or lost"},
                  {"limit", "query", "integer", false, "leads listed, 0-1000 (default 100)"}},
       .response = "Leads",
       .handler = Leads});
  routes.push_back(
      {.method = "GET",
       .path = "/reports/churn",
       .roles = kAdmin | kManager,
       .tag = "reports",
       .summary = "Churn rate per period, lost revenue, losses by type, reason, owner, segment",
       .params = {{"period", "query", "string", false, "month (default), quarter or year"},
                  {"from", "query", "string", false, "first day (default: 12 periods back)"},
                  {"to", "query", "string", false, "last day (default: as_of)"},
                  {"as_of", "query", "string", false, "today (default: the server's today)"},
                  {"segment", "query", "string", false,
                   "industry, level (default), type, source, province or city"}},
       .response = "ChurnReport",
       .handler = ChurnReport});
  routes.push_back(
      {.method = "GET",
       .path = "/reports/playbooks",
       .roles = kAdmin | kManager,
       .tag = "reports",
       .summary = "Which playbook keeps customers: retention when its task was done or not",
       .params = {{"as_of", "query", "string", false, "today (default: the server's today)"},
                  {"horizon", "query", "integer", false,
                   "retained: not lost within this many days of the task (default 90)"}},
       .response = "PlaybookReport",
       .handler = PlaybookReport});
  routes.push_back(
      {.method = "GET",
       .path = "/reports/team",
       .roles = kAdmin | kManager | kSales,
       .tag = "reports",
       .summary = "Contacts, visits, success, win and loss rates per salesperson",
       .params = {{"from", "query", "string", false, "first day (default: 29 days before to)"},
                  {"to", "query", "string", false, "last day (default: today)"},
                  {"by", "query", "string", false, "total (default) or day"},
                  {"user", "query", "string", false, "only this salesperson"},
                  {"team", "query", "string", false, "only this team (admin)"}},
       .response = "TeamReport",
       .handler = TeamReport});
  routes.push_back(
      {.method = "GET",
       .path = "/reports/complaints",
       .roles = kAdmin | kManager | kService,
       .tag = "reports",
       .summary = "Complaints opened, time to resolve, open and overdue, by category",
       .params = {{"from", "query", "string", false, "first opening day (default: the first)"},
                  {"to", "query", "string", false, "last opening day (default: today)"},
                  {"period", "query", "string", false, "month (default), quarter or year"}},
       .response = "ComplaintReport",
       .handler = ComplaintReport});
  routes.push_back(
      {.method = "GET",
       .path = "/reports/defaulters",
       .roles = kAdmin | kManager | kSales,
       .tag = "reports",
       .summary = "Customers with balances long past due, who may leave to escape the debt",
       .params = {{"as_of", "query", "string", false, "day of the list (default: today)"},
                  {"min_days", "query", "integer", false, "overdue more than this (default 60)"}},
       .response = "Defaulters",
       .handler = Defaulters});
}

}  // namespace tenure::api
