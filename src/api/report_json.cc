#include "api/report_json.h"

#include <cmath>

#include "api/json_codec.h"
#include "domain/enums.h"

namespace tenure::api {
namespace {

using nlohmann::json;

json DateOrNull(const std::optional<Date>& date) {
  return date ? json(FormatDate(*date)) : json(nullptr);
}

json IntOrNull(const std::optional<int64_t>& value) { return value ? json(*value) : json(nullptr); }

json RateOrNull(const std::optional<double>& rate) { return rate ? json(*rate) : json(nullptr); }

json GroupJson(const engine::StatsReport& report, const engine::GroupStats& g, int decimals) {
  json out = json::object();
  for (size_t i = 0; i < g.keys.size(); ++i) {
    out[std::string(engine::DimensionName(report.dimensions[i]))] = g.keys[i];
  }
  out["customers"] = g.customers;
  out["buyers"] = g.buyers;
  out["orders"] = g.orders;
  out["sales"] = MoneyJson(g.sales, decimals);
  out["gross_profit"] = MoneyJson(g.gross_profit, decimals);
  out["average_order_value"] =
      g.average_order_value ? MoneyJson(*g.average_order_value, decimals) : json(nullptr);
  out["scored_customers"] = g.scored_customers;
  out["mean_p_alive"] = RateOrNull(g.mean_p_alive);
  out["expected_purchases_365"] = g.expected_purchases_365;
  out["clv"] = MoneyJson(g.clv, decimals);
  return out;
}

json LossGroupsJson(const std::vector<engine::LossGroup>& groups, int decimals) {
  json out = json::array();
  for (const engine::LossGroup& g : groups) {
    out.push_back({{"key", g.key},
                   {"label", g.label},
                   {"losses", g.losses},
                   {"share", g.share},
                   {"cumulative_share", g.cumulative_share},
                   {"lost_revenue", MoneyJson(g.lost_revenue, decimals)}});
  }
  return out;
}

json TeamCountsJson(const engine::TeamCounts& c) {
  return {{"contacts", c.contacts},
          {"visits", c.visits},
          {"effective", c.effective},
          {"high_value", c.high_value},
          {"unsuccessful", c.unsuccessful},
          {"contact_success_rate", RateOrNull(c.ContactSuccessRate())},
          {"opportunities_won", c.opportunities_won},
          {"opportunities_lost", c.opportunities_lost},
          {"win_rate", RateOrNull(c.WinRate())},
          {"customers_at_start", c.customers_at_start},
          {"customers_lost", c.customers_lost},
          {"loss_rate", RateOrNull(c.LossRate())}};
}

json ResolveTimesJson(const engine::ResolveTimes& t) {
  return {{"resolved", t.resolved},
          {"mean_hours", t.mean_hours},
          {"median_hours", t.median_hours},
          {"within_deadline", t.within_deadline},
          {"rated", t.rated},
          {"mean_satisfaction", t.rated > 0 ? json(t.mean_satisfaction) : json(nullptr)}};
}

}  // namespace

json StatsJson(const engine::StatsReport& report, const std::string& currency, int decimals) {
  json out;
  out["by"] = json::array();
  for (auto d : report.dimensions) out["by"].push_back(std::string(engine::DimensionName(d)));
  out["from"] = DateOrNull(report.period.from);
  out["to"] = DateOrNull(report.period.to);
  out["currency"] = currency;
  out["groups"] = json::array();
  for (const auto& g : report.groups) out["groups"].push_back(GroupJson(report, g, decimals));
  out["total"] = GroupJson(report, report.total, decimals);
  return out;
}

json ParetoJson(const engine::ParetoReport& p, const std::string& currency, int decimals) {
  json out = {{"measure", p.measure == engine::ParetoMeasure::kSales ? "sales" : "profit"},
              {"currency", currency},
              {"customers", p.customers},
              {"top20_customers", p.top_count},
              {"total", MoneyJson(p.total, decimals)},
              {"top20_value", MoneyJson(p.top_value, decimals)},
              {"top20_share", p.top_share},
              {"gini", p.gini}};
  json top = json::array();
  for (const auto& c : p.top) {
    top.push_back({{"id", c.id},
                   {"external_id", TextOrNull(c.external_id)},
                   {"name", c.name},
                   {"value", MoneyJson(c.value, decimals)}});
  }
  out["top_customers"] = std::move(top);
  json lorenz = json::array();
  for (const auto& [x, y] : p.lorenz) lorenz.push_back({x, y});
  out["lorenz"] = std::move(lorenz);
  return out;
}

json LeadsJson(const engine::LeadReport& r) {
  json matrix = json::array();
  for (size_t s = 0; s < r.stages.size(); ++s) {
    json counts = json::object();
    for (size_t l = 0; l < r.levels.size(); ++l) counts[r.levels[l]] = r.counts[s][l];
    matrix.push_back({{"stage", r.stages[s]}, {"counts", counts}, {"total", r.stage_totals[s]}});
  }
  json level_totals = json::object();
  for (size_t l = 0; l < r.levels.size(); ++l) level_totals[r.levels[l]] = r.level_totals[l];
  json leads = json::array();
  for (const auto& e : r.leads) {
    leads.push_back({{"id", e.id},
                     {"external_id", TextOrNull(e.external_id)},
                     {"name", e.name},
                     {"status", e.status},
                     {"stage", e.stage},
                     {"level", e.level},
                     {"owner", e.owner},
                     {"last_contact", DateOrNull(e.last_contact)}});
  }
  return {{"stages", r.stages},           {"levels", r.levels}, {"matrix", matrix},
          {"level_totals", level_totals}, {"total", r.total},   {"leads", leads}};
}

json ChurnReportJson(const engine::ChurnReport& r, int decimals) {
  json periods = json::array();
  for (const engine::ChurnPeriodRow& p : r.periods) {
    periods.push_back({{"start", FormatDate(p.start)},
                       {"end", FormatDate(p.end)},
                       {"active_at_start", p.active_at_start},
                       {"lost", p.lost},
                       {"churn_rate", RateOrNull(p.churn_rate)},
                       {"lost_revenue", MoneyJson(p.lost_revenue, decimals)}});
  }
  return {{"from", FormatDate(r.options.from)},
          {"to", FormatDate(r.options.to)},
          {"period", engine::ChurnPeriodName(r.options.period)},
          {"segment", r.options.segment},
          {"losses", r.losses},
          {"lost_revenue", MoneyJson(r.lost_revenue, decimals)},
          {"reason_mentions", r.reason_mentions},
          {"periods", periods},
          {"by_type", LossGroupsJson(r.by_type, decimals)},
          {"by_reason", LossGroupsJson(r.by_reason, decimals)},
          {"by_owner", LossGroupsJson(r.by_owner, decimals)},
          {"by_segment", LossGroupsJson(r.by_segment, decimals)}};
}

json TeamReportJson(const engine::TeamReport& r) {
  json people = json::array();
  for (const auto& p : r.people) {
    json person = {{"user_id", p.user_id},
                   {"username", p.username},
                   {"full_name", p.full_name},
                   {"team", TextOrNull(p.team)}};
    person.update(TeamCountsJson(p.counts));
    if (r.by_day) {
      json days = json::array();
      for (const auto& d : p.days) {
        json day = {{"day", d.day}};
        day.update(TeamCountsJson(d.counts));
        days.push_back(std::move(day));
      }
      person["days"] = std::move(days);
    }
    people.push_back(std::move(person));
  }
  return {{"from", FormatDate(r.from)},
          {"to", FormatDate(r.to)},
          {"by", r.by_day ? "day" : "total"},
          {"people", std::move(people)},
          {"total", TeamCountsJson(r.total)}};
}

json ComplaintReportJson(const engine::ComplaintReport& r,
                         const engine::ComplaintDeadlines& deadlines) {
  json severities = json::object();
  json open = json::object();
  for (size_t s = 0; s < 4; ++s) {
    std::string name(domain::kSeverityNames[s]);
    severities[name] = ResolveTimesJson(r.by_severity[s]);
    open[name] = {{"deadline_hours", deadlines.hours[s]},
                  {"open", r.open_by_severity[s]},
                  {"overdue", r.overdue_by_severity[s]}};
  }
  json categories = json::array();
  for (const engine::CategoryCount& c : r.by_category) {
    categories.push_back({{"period", c.period},
                          {"kind", domain::kComplaintKindNames[c.kind]},
                          {"category", c.category},
                          {"count", c.count}});
  }
  return {{"from", DateOrNull(r.from)},
          {"to", FormatDate(r.to)},
          {"period", engine::ReportPeriodName(r.period)},
          {"opened", r.opened},
          {"opened_by_kind", {{"complaint", r.opened_by_kind[0]}, {"demand", r.opened_by_kind[1]}}},
          {"time_to_resolve", {{"all", ResolveTimesJson(r.all)}, {"by_severity", severities}}},
          {"open", {{"total", r.open}, {"overdue", r.overdue}, {"by_severity", open}}},
          {"by_category", categories}};
}

json DefaultersJson(const std::vector<engine::Defaulter>& defaulters, Date as_of, int min_days,
                    int decimals) {
  json out = json::array();
  for (const engine::Defaulter& x : defaulters) {
    out.push_back({{"customer", x.customer},
                   {"customer_id", x.customer_id},
                   {"name", x.name},
                   {"owner", TextOrNull(x.owner)},
                   {"overdue_amount", MoneyJson(x.overdue_amount, decimals)},
                   {"receivables", MoneyJson(x.receivables, decimals)},
                   {"oldest_overdue_days", x.oldest_overdue_days},
                   {"oldest_due_on", FormatDate(x.oldest_due_on)},
                   {"last_order_date", DateOrNull(x.last_order_date)},
                   {"days_since_last_order", IntOrNull(x.days_since_last_order)},
                   {"days_since_last_contact", IntOrNull(x.days_since_last_contact)},
                   {"still_orders", x.still_orders},
                   {"rating", domain::NameOf(domain::kCreditRatingNames, x.rating)}});
  }
  return {{"as_of", FormatDate(as_of)}, {"min_days", min_days}, {"defaulters", std::move(out)}};
}

nlohmann::json CreditFileJson(const engine::CreditFile& f, int decimals) {
  return {{"customer", f.customer},
          {"name", f.name},
          {"owner", f.owner.empty() ? json() : json(f.owner)},
          {"as_of", FormatDate(f.as_of)},
          {"invoices", f.invoices},
          {"paid", f.paid},
          {"paid_on_time", f.paid_on_time},
          {"paid_late", f.paid_late},
          {"average_days_late", f.average_days_late},
          {"max_days_late", f.max_days_late},
          {"late_in_window", f.late_in_window},
          {"open_invoices", f.open_invoices},
          {"open_balance", MoneyJson(f.open_balance, decimals)},
          {"overdue_invoices", f.overdue_invoices},
          {"overdue_amount", MoneyJson(f.overdue_amount, decimals)},
          {"oldest_overdue_days", f.oldest_overdue_days},
          {"credit_limit", f.credit_limit ? MoneyJson(*f.credit_limit, decimals) : json()},
          {"limit_use", f.limit_use ? json(*f.limit_use) : json()},
          {"defaulted_on", f.defaulted_on ? json(FormatDate(*f.defaulted_on)) : json()},
          {"rating", domain::NameOf(domain::kCreditRatingNames, f.rating)},
          {"stored_rating", f.stored_rating
                                ? json(domain::NameOf(domain::kCreditRatingNames, *f.stored_rating))
                                : json()},
          {"reasons", f.reasons}};
}

nlohmann::json PlaybookEffectJson(const engine::playbooks::EffectReport& report) {
  auto number = [](double v) { return std::isnan(v) ? nlohmann::json() : nlohmann::json(v); };
  nlohmann::json rules = nlohmann::json::array();
  for (const auto& e : report.rules) {
    rules.push_back({{"rule", e.rule},
                     {"tasks", e.tasks},
                     {"pending", e.pending},
                     {"done", e.done},
                     {"done_retained", e.done_retained},
                     {"not_done", e.not_done},
                     {"not_done_retained", e.not_done_retained},
                     {"done_rate", number(e.done_rate)},
                     {"not_done_rate", number(e.not_done_rate)},
                     {"difference", number(e.difference)},
                     {"difference_low", number(e.low)},
                     {"difference_high", number(e.high)}});
  }
  return {{"as_of", FormatDate(report.as_of)},
          {"horizon_days", report.horizon_days},
          {"rules", std::move(rules)}};
}

}  // namespace tenure::api
