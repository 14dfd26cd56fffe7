#include "engine/workbench.h"

#include <algorithm>

#include "common/numbers.h"

namespace tenure::engine {
namespace {

constexpr std::string_view kNames[] = {
    "contact_today",
    "contact_tomorrow",
    "contact_this_week",
    "follow_ups_past_due",
    "ordered_recently",
    "overdue_to_buy",
    "lost",
    "dormant",
    "slipping_away",
    "at_risk",
    "playbook_tasks",
    "new_customers",
    "updated_customers",
    "lost_opportunity",
    "contract_current_month",
    "contract_current_quarter",
    "contract_current_year",
    "new_contract_last_month",
    "new_contract_last_quarter",
    "new_contract_last_year",
    "complaints_overdue",
    "receivables_overdue",
    "over_credit_limit",
};

Date AddDays(Date date, int days) { return Date{date.days + days}; }

// Monday 0 .. Sunday 6; 1970-01-01 was a Thursday.
int IsoWeekday(Date date) { return ((date.days % 7) + 7 + 3) % 7; }

struct Period {
  Date from;
  Date to;
};

// The calendar month, quarter or year (months = 1, 3, 12) holding `date`.
Period PeriodOf(Date date, int months) {
  CivilParts parts = ToCivil(date);
  unsigned first_month = (parts.month - 1) / static_cast<unsigned>(months) * months + 1;
  Date from = MakeDate(parts.year, first_month, 1);
  return {from, AddDays(AddMonths(from, months), -1)};
}

// The period of the same length just before the one holding `date`.
Period PreviousPeriod(Date date, int months) {
  Period current = PeriodOf(date, months);
  return PeriodOf(AddDays(current.from, -1), months);
}

class Builder {
 public:
  Builder(store::Database& db, const Scope& scope, const WorkbenchOptions& options)
      : db_(db), scope_(scope.customers), o_(options), limit_(options.page_size) {}

  Result<WorkbenchList> Build(std::string_view name) {
    WorkbenchList list;
    list.name = name;
    Result<store::WorkbenchPage> page = Fill(name, list);
    if (!page.ok()) return page.status();
    list.count = page->count;
    list.rows = std::move(page->rows);
    return list;
  }

 private:
  static std::string Iso(Date date) { return FormatDate(date); }

  // Sets the title and window of `list` and reads its page.
  Result<store::WorkbenchPage> Fill(std::string_view name, WorkbenchList& list) {
    const Date as_of = o_.as_of;
    auto window = [&](const char* title, std::optional<Date> from, std::optional<Date> to) {
      list.title = title;
      if (from) list.from = Iso(*from);
      if (to) list.to = Iso(*to);
    };
    if (name == "contact_today") {
      window("To contact today", as_of, as_of);
      return store::OpenFollowUps(db_, scope_, list.from, list.to, limit_);
    }
    if (name == "contact_tomorrow") {
      window("To contact tomorrow", AddDays(as_of, 1), AddDays(as_of, 1));
      return store::OpenFollowUps(db_, scope_, list.from, list.to, limit_);
    }
    if (name == "contact_this_week") {
      window("To contact this week", as_of, AddDays(as_of, 6 - IsoWeekday(as_of)));
      return store::OpenFollowUps(db_, scope_, list.from, list.to, limit_);
    }
    if (name == "follow_ups_past_due") {
      window("Follow-ups past due", std::nullopt, AddDays(as_of, -1));
      return store::OpenFollowUps(db_, scope_, "", list.to, limit_);
    }
    if (name == "ordered_recently") {
      window("Ordered recently", AddDays(as_of, 1 - o_.recent_order_days), as_of);
      return store::OrderedRecently(db_, scope_, list.from, list.to, limit_);
    }
    if (name == "overdue_to_buy") {
      // next_purchase_date + grace < as_of.
      Date before = AddDays(as_of, -o_.overdue_grace_days);
      window("Overdue to buy", std::nullopt, AddDays(before, -1));
      return store::OverdueToBuy(db_, scope_, Iso(before), limit_);
    }
    if (name == "lost") {
      window("Lost, by year", std::nullopt, as_of);
      auto years = store::LostByYear(db_, scope_, list.to);
      if (!years.ok()) return years.status();
      list.by_year = std::move(*years);
      int64_t total = 0;
      for (const store::YearCount& y : list.by_year) total += y.count;
      return store::LostEvents(db_, scope_, list.to, limit_, total);
    }
    if (name == "dormant") {
      window("Gone dormant", std::nullopt, AddDays(as_of, -1));
      return store::Dormant(db_, scope_, Iso(as_of), o_.dormant_cycle_multiple,
                            o_.dormant_default_days, limit_);
    }
    if (name == "slipping_away") {
      // A snapshot of the last scoring run: no window of dates.
      auto by_risk = store::HasRiskScores(db_);
      if (!by_risk.ok()) return by_risk.status();
      window(*by_risk ? "Slipping away: most likely lost first"
                      : "Slipping away: most likely to buy nothing in 90 days",
             std::nullopt, std::nullopt);
      return store::SlippingAway(db_, scope_, o_.at_risk_probability, *by_risk, limit_);
    }
    if (name == "playbook_tasks") {
      window("Playbook tasks: the earliest due first", std::nullopt, std::nullopt);
      return store::PlaybookTasks(db_, scope_, limit_);
    }
    if (name == "at_risk") {
      window("At risk: most value at risk first", std::nullopt, std::nullopt);
      return store::AtRisk(db_, scope_, o_.at_risk_probability, limit_);
    }
    if (name == "new_customers") {
      Date from = AddDays(as_of, 1 - o_.new_customer_days);
      window("New customers", from, as_of);
      return store::CreatedBetween(db_, scope_, StartOf(from), StartOf(AddDays(as_of, 1)), limit_);
    }
    if (name == "updated_customers") {
      Date from = AddDays(as_of, 1 - o_.updated_customer_days);
      window("Updated customers", from, as_of);
      return store::UpdatedBetween(db_, scope_, StartOf(from), StartOf(AddDays(as_of, 1)), limit_);
    }
    if (name == "lost_opportunity") {
      window("Lost an opportunity", AddDays(as_of, 1 - o_.lost_opportunity_days), as_of);
      return store::LostOpportunities(db_, scope_, list.from, list.to, limit_);
    }
    const std::pair<std::string_view, int> periods[] = {{"month", 1}, {"quarter", 3}, {"year", 12}};
    for (const auto& [unit, months] : periods) {
      if (name == "contract_current_" + std::string(unit)) {
        Period p = PeriodOf(as_of, months);
        list.title = "Contract current this " + std::string(unit);
        list.from = Iso(p.from);
        list.to = Iso(p.to);
        return store::CurrentContracts(db_, scope_, list.from, list.to, limit_);
      }
      if (name == "new_contract_last_" + std::string(unit)) {
        Period p = PreviousPeriod(as_of, months);
        list.title = "New contract signed last " + std::string(unit);
        list.from = Iso(p.from);
        list.to = Iso(p.to);
        return store::SignedContracts(db_, scope_, list.from, list.to, limit_);
      }
    }
    if (name == "complaints_overdue") {
      window("Complaints past their deadline", std::nullopt, as_of);
      std::array<int64_t, 4> seconds{};
      for (size_t i = 0; i < seconds.size(); ++i) {
        seconds[i] = int64_t{o_.complaint_deadline_hours[i]} * 3600;
      }
      return store::OverdueComplaints(db_, scope_, StartOf(AddDays(as_of, 1)), seconds, limit_);
    }
    if (name == "receivables_overdue") {
      window("Receivables overdue", std::nullopt, AddDays(as_of, -1));
      return store::OverdueReceivables(db_, scope_, Iso(as_of), limit_);
    }
    if (name == "over_credit_limit") {
      window("Over the credit limit", std::nullopt, std::nullopt);
      return store::OverCreditLimit(db_, scope_, limit_);
    }
    return Status::Internal("workbench list without a definition: " + std::string(name));
  }

  store::Database& db_;
  store::CustomerScope scope_;
  const WorkbenchOptions& o_;
  int limit_;
};

}  // namespace

std::span<const std::string_view> WorkbenchListNames() { return kNames; }

Result<Workbench> BuildWorkbench(store::Database& db, const Scope& scope,
                                 const WorkbenchOptions& options) {
  if (options.page_size < 0) {
    return Status::InvalidArgument(
        "page size must not be negative, got " + std::to_string(options.page_size), "--page-size");
  }
  if (!(options.at_risk_probability >= 0 && options.at_risk_probability <= 1)) {
    return Status::InvalidArgument("probability threshold must be from 0 to 1, got " +
                                       FormatDecimal(options.at_risk_probability),
                                   "at_risk_probability");
  }
  if (!options.list.empty() &&
      std::find(std::begin(kNames), std::end(kNames), options.list) == std::end(kNames)) {
    std::string known;
    for (std::string_view name : kNames) known += (known.empty() ? "" : ", ") + std::string(name);
    return Status::InvalidArgument("unknown list '" + options.list + "' (one of: " + known + ")",
                                   "--list");
  }
  Workbench bench{options.as_of, scope, {}};
  Builder builder(db, scope, options);
  for (std::string_view name : kNames) {
    if (!options.list.empty() && name != options.list) continue;
    Result<WorkbenchList> list = builder.Build(name);
    if (!list.ok()) return list.status().WithContext("workbench list " + std::string(name));
    bench.lists.push_back(std::move(*list));
  }
  return bench;
}

}  // namespace tenure::engine
