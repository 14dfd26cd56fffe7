#include "engine/churn.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "common/text.h"
#include "domain/entity.h"
#include "domain/enums.h"
#include "engine/field_codec.h"
#include "store/churn_queries.h"
#include "store/entity_table.h"
#include "store/handover_queries.h"

namespace tenure::engine {
namespace {

using domain::ChurnEventKind;
using domain::CustomerStatus;

std::string JoinNames(std::span<const std::string_view> names) {
  std::string out;
  for (std::string_view name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

Result<int64_t> ResolveCustomer(store::Database& db, const store::RowKey& key) {
  if (key.empty()) return Status::InvalidArgument("a customer is required", "customer");
  auto id = store::FindRowId(db, domain::SpecOf(domain::Entity::kCustomer), key);
  if (!id.ok()) return id.status();
  if (!*id) return Status::NotFound("unknown customer '" + key.ToString() + "'", "customer");
  return **id;
}

Result<std::optional<int64_t>> ResolveRecorder(store::Database& db, const std::string& key) {
  if (Trim(key).empty()) return std::optional<int64_t>();
  auto user = store::FindUserRef(db, Trim(key));
  if (!user.ok()) return user.status();
  if (!*user) return Status::NotFound("unknown user '" + key + "'", "--by");
  return std::optional<int64_t>((*user)->id);
}

// The reason ids of a comma-separated list of codes, without duplicates.
Result<std::vector<int64_t>> ResolveReasons(store::Database& db, const std::string& list) {
  auto reasons = store::LoadChurnReasons(db);
  if (!reasons.ok()) return reasons.status();
  std::string valid;
  for (const store::ChurnReasonRow& r : *reasons) valid += (valid.empty() ? "" : ", ") + r.code;
  std::vector<int64_t> ids;
  for (const std::string& code : SplitList(list, ',')) {
    std::string wanted = NormalizeName(code);
    auto match = std::find_if(reasons->begin(), reasons->end(),
                              [&](const store::ChurnReasonRow& r) { return r.code == wanted; });
    if (match == reasons->end()) {
      return Status::InvalidArgument("unknown reason '" + code + "' (one of: " + valid + ")",
                                     "--reason");
    }
    if (std::find(ids.begin(), ids.end(), match->id) == ids.end()) ids.push_back(match->id);
  }
  if (ids.empty()) {
    return Status::InvalidArgument("at least one reason is required (one of: " + valid + ")",
                                   "--reason");
  }
  return ids;
}

std::string CustomerLabel(const store::CustomerChurnState& state) {
  return state.external_id.empty() ? std::to_string(state.id) : state.external_id;
}

// Refuses an event dated before the customer's latest one: history is read in
// date order, so a back-dated event would rewrite what followed it.
Status CheckDate(const store::CustomerChurnState& state, Date on) {
  if (state.last_event_on && FormatDate(on) < *state.last_event_on) {
    return Status::InvalidArgument("customer " + CustomerLabel(state) + " has a churn event on " +
                                       *state.last_event_on + ", after " + FormatDate(on),
                                   "--on");
  }
  return Status::Ok();
}

// Writes the event, the status and the audit entry; the caller has checked.
Result<ChurnEventResult> WriteEvent(store::Database& db, const store::CustomerChurnState& state,
                                    const store::NewChurnEvent& event, CustomerStatus status) {
  Timestamp now = NowUtc();
  auto id = store::InsertChurnEvent(db, event, now);
  if (!id.ok()) return id.status();
  TENURE_RETURN_IF_ERROR(store::SetCustomerStatus(db, state.id, static_cast<int64_t>(status), now));
  nlohmann::json after = {
      {"customer_id", state.id},
      {"kind", domain::kChurnEventKindNames[event.kind]},
      {"occurred_on", event.occurred_on},
      {"status", domain::NameOf(domain::kCustomerStatusNames, status)},
  };
  if (event.churn_type) after["churn_type"] = domain::kChurnTypeNames[*event.churn_type];
  if (!event.reason_ids.empty()) after["reason_ids"] = event.reason_ids;
  TENURE_RETURN_IF_ERROR(
      store::AppendAudit(db, event.kind == 0 ? "churn_lost" : "churn_won_back", "churn_events", *id,
                         after.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
  ChurnEventResult result;
  result.event_id = *id;
  result.customer_id = state.id;
  result.customer = CustomerLabel(state);
  result.customer_name = state.name;
  result.on = *ParseIsoDate(event.occurred_on);
  return result;
}

}  // namespace

Result<ChurnEventResult> RecordLoss(store::Database& db, const LossInput& input) {
  store::Transaction txn(db);
  TENURE_RETURN_IF_ERROR(txn.status());
  auto result = RecordLossInTransaction(db, input);
  if (!result.ok()) return result.status();
  TENURE_RETURN_IF_ERROR(txn.Commit());
  return result;
}

Result<ChurnEventResult> RecordLossInTransaction(store::Database& db, const LossInput& input) {
  std::optional<int> type = domain::ParseEnumName(domain::kChurnTypeNames, input.type);
  if (!type) {
    return Status::InvalidArgument("unknown churn type '" + input.type +
                                       "' (one of: " + JoinNames(domain::kChurnTypeNames) + ")",
                                   "--type");
  }
  auto reasons = ResolveReasons(db, input.reasons);
  if (!reasons.ok()) return reasons.status();
  auto customer_id = ResolveCustomer(db, input.customer);
  if (!customer_id.ok()) return customer_id.status();
  auto recorder = ResolveRecorder(db, input.recorded_by);
  if (!recorder.ok()) return recorder.status();
  auto state = store::LoadCustomerChurnState(db, *customer_id);
  if (!state.ok()) return state.status();
  if (state->status == static_cast<int64_t>(CustomerStatus::kLost)) {
    std::string since = state->last_event_on ? " since " + *state->last_event_on : "";
    return Status::InvalidArgument("customer " + CustomerLabel(*state) + " is already lost" +
                                       since +
                                       " (record a win-back first; history is never edited)",
                                   "customer");
  }
  TENURE_RETURN_IF_ERROR(CheckDate(*state, input.on));
  store::NewChurnEvent event;
  event.customer_id = state->id;
  event.kind = static_cast<int64_t>(ChurnEventKind::kLost);
  event.occurred_on = FormatDate(input.on);
  event.churn_type = *type;
  TENURE_RETURN_IF_ERROR(CheckTextField(Trim(input.competitor), false, "competitor"));
  TENURE_RETURN_IF_ERROR(CheckTextField(input.notes, true, "notes"));
  event.competitor = std::string(Trim(input.competitor));
  event.recorded_by = *recorder;
  event.notes = input.notes;
  event.reason_ids = std::move(*reasons);
  return WriteEvent(db, *state, event, CustomerStatus::kLost);
}

Result<ChurnEventResult> RecordWinBack(store::Database& db, const WinBackInput& input) {
  store::Transaction txn(db);
  TENURE_RETURN_IF_ERROR(txn.status());
  auto customer_id = ResolveCustomer(db, input.customer);
  if (!customer_id.ok()) return customer_id.status();
  auto recorder = ResolveRecorder(db, input.recorded_by);
  if (!recorder.ok()) return recorder.status();
  auto state = store::LoadCustomerChurnState(db, *customer_id);
  if (!state.ok()) return state.status();
  if (state->status != static_cast<int64_t>(CustomerStatus::kLost)) {
    return Status::InvalidArgument("customer " + CustomerLabel(*state) + " is not lost (status " +
                                       std::string(domain::kCustomerStatusNames[state->status]) +
                                       ")",
                                   "customer");
  }
  TENURE_RETURN_IF_ERROR(CheckDate(*state, input.on));
  store::NewChurnEvent event;
  event.customer_id = state->id;
  event.kind = static_cast<int64_t>(ChurnEventKind::kWonBack);
  event.occurred_on = FormatDate(input.on);
  event.recorded_by = *recorder;
  TENURE_RETURN_IF_ERROR(CheckTextField(input.notes, true, "notes"));
  event.notes = input.notes;
  auto result = WriteEvent(db, *state, event, CustomerStatus::kActive);
  if (!result.ok()) return result.status();
  TENURE_RETURN_IF_ERROR(txn.Commit());
  return result;
}

// --- Report -------------------------------------------------------------------

namespace {

constexpr std::string_view kPeriodNames[] = {"month", "quarter", "year"};

int MonthsIn(ChurnPeriod period) {
  switch (period) {
    case ChurnPeriod::kMonth:
      return 1;
    case ChurnPeriod::kQuarter:
      return 3;
    case ChurnPeriod::kYear:
      return 12;
  }
  return 1;
}

// The first day of the calendar period holding `date`.
Date PeriodStart(ChurnPeriod period, Date date) {
  CivilParts p = ToCivil(date);
  unsigned month = period == ChurnPeriod::kMonth     ? p.month
                   : period == ChurnPeriod::kQuarter ? (p.month - 1) / 3 * 3 + 1
                                                     : 1;
  return MakeDate(p.year, month, 1);
}

// Sorts by losses (most first), then key; fills shares and the running total.
void Rank(std::vector<LossGroup>& groups, int64_t total, bool sort) {
  if (sort) {
    std::stable_sort(groups.begin(), groups.end(),
                     [](const LossGroup& a, const LossGroup& b) { return a.losses > b.losses; });
  }
  double running = 0;
  for (LossGroup& g : groups) {
    g.share = total > 0 ? static_cast<double>(g.losses) / static_cast<double>(total) : 0.0;
    running += g.share;
    g.cumulative_share = std::min(running, 1.0);
  }
}

// Groups losses by a key in key order (std::map), ready for Rank.
template <typename KeyOf>
std::vector<LossGroup> GroupBy(const std::vector<store::LossRow>& losses, KeyOf key_of) {
  std::map<std::string, LossGroup> groups;
  for (const store::LossRow& loss : losses) {
    std::string key = key_of(loss);
    LossGroup& g = groups[key];
    g.key = key;
    g.label = key.empty() ? "(none)" : key;
    ++g.losses;
    g.lost_revenue += loss.lost_revenue;
  }
  std::vector<LossGroup> out;
  for (auto& [key, group] : groups) out.push_back(std::move(group));
  return out;
}

// How many customers were active at the start of each period: acquired
// before it and not lost as of it (their latest earlier event is not "lost").
Result<std::vector<int64_t>> ActiveAtStarts(store::Database& db, const std::vector<Date>& starts,
                                            Date to, const store::CustomerScope& scope) {
  auto acquired = store::LoadAcquisitionDays(db, scope);
  if (!acquired.ok()) return acquired.status();
  auto timeline = store::LoadChurnTimeline(db, to, scope);
  if (!timeline.ok()) return timeline.status();
  std::vector<int64_t> active(starts.size());
  for (size_t p = 0; p < starts.size(); ++p) {
    int32_t s = starts[p].days;
    active[p] = std::lower_bound(acquired->begin(), acquired->end(), s) - acquired->begin();
  }
  const std::vector<store::ChurnTimelineRow>& events = *timeline;
  for (size_t first = 0; first < events.size();) {
    size_t last = first;
    while (last < events.size() && events[last].customer_id == events[first].customer_id) ++last;
    for (size_t p = 0; p < starts.size(); ++p) {
      int32_t s = starts[p].days;
      if (events[first].acquired >= s) continue;
      // The customer's latest event strictly before the period start.
      const store::ChurnTimelineRow* latest = nullptr;
      for (size_t i = first; i < last && events[i].on < s; ++i) latest = &events[i];
      if (latest && latest->kind == static_cast<int64_t>(ChurnEventKind::kLost)) --active[p];
    }
    first = last;
  }
  return active;
}

}  // namespace

Result<ChurnPeriod> ParseChurnPeriod(std::string_view text) {
  std::optional<int> code = domain::ParseEnumName(kPeriodNames, text);
  if (!code) {
    return Status::InvalidArgument(
        "unknown period '" + std::string(text) + "' (one of: month, quarter, year)", "--period");
  }
  return static_cast<ChurnPeriod>(*code);
}

std::string_view ChurnPeriodName(ChurnPeriod period) {
  return kPeriodNames[static_cast<size_t>(period)];
}

Date DefaultChurnFrom(ChurnPeriod period, Date to) {
  int count = period == ChurnPeriod::kMonth ? 12 : period == ChurnPeriod::kQuarter ? 8 : 5;
  return AddMonths(PeriodStart(period, to), -(count - 1) * MonthsIn(period));
}

Result<ChurnReport> BuildChurnReport(store::Database& db, const ChurnReportOptions& options) {
  if (options.from > options.to) {
    return Status::InvalidArgument(
        "--from " + FormatDate(options.from) + " is after --to " + FormatDate(options.to),
        "--from");
  }
  ChurnReport report;
  report.options = options;
  auto losses = store::LoadLosses(db, options.from, options.to, options.segment, options.scope);
  if (!losses.ok()) return losses.status();

  // Calendar periods clipped to [from, to].
  std::vector<Date> starts;
  for (Date s = PeriodStart(options.period, options.from); s <= options.to;
       s = AddMonths(s, MonthsIn(options.period))) {
    ChurnPeriodRow row;
    row.start = std::max(s, options.from);
    row.end = std::min(Date{AddMonths(s, MonthsIn(options.period)).days - 1}, options.to);
    starts.push_back(row.start);
    report.periods.push_back(row);
  }
  auto active = ActiveAtStarts(db, starts, options.to, options.scope);
  if (!active.ok()) return active.status();
  // Losses come in date order, so each period's losses follow the previous
  // period's. Customers are counted once per period: one may be lost, won
  // back and lost again.
  std::vector<std::vector<int64_t>> lost_ids(report.periods.size());
  size_t p = 0;
  for (const store::LossRow& loss : *losses) {
    while (report.periods[p].end.days < loss.on) ++p;
    report.periods[p].lost_revenue += loss.lost_revenue;
    lost_ids[p].push_back(loss.customer_id);
  }
  for (size_t i = 0; i < report.periods.size(); ++i) {
    ChurnPeriodRow& row = report.periods[i];
    row.active_at_start = (*active)[i];
    std::vector<int64_t>& ids = lost_ids[i];
    std::sort(ids.begin(), ids.end());
    row.lost = std::unique(ids.begin(), ids.end()) - ids.begin();
    if (row.active_at_start > 0) {
      row.churn_rate = static_cast<double>(row.lost) / static_cast<double>(row.active_at_start);
    }
  }

  report.losses = static_cast<int64_t>(losses->size());
  for (const store::LossRow& loss : *losses) report.lost_revenue += loss.lost_revenue;

  for (size_t t = 0; t < std::size(domain::kChurnTypeNames); ++t) {
    LossGroup g;
    g.key = g.label = std::string(domain::kChurnTypeNames[t]);
    for (const store::LossRow& loss : *losses) {
      if (loss.churn_type != static_cast<int64_t>(t)) continue;
      ++g.losses;
      g.lost_revenue += loss.lost_revenue;
    }
    report.by_type.push_back(std::move(g));
  }
  Rank(report.by_type, report.losses, /*sort=*/false);

  // Reasons: each mention of a reason on a lost event counts once.
  auto reasons = store::LoadChurnReasons(db);
  if (!reasons.ok()) return reasons.status();
  auto links = store::LoadLossReasons(db, options.from, options.to, options.scope);
  if (!links.ok()) return links.status();
  std::unordered_map<int64_t, Money> revenue_of;
  for (const store::LossRow& loss : *losses) revenue_of[loss.event_id] = loss.lost_revenue;
  for (const store::ChurnReasonRow& reason : *reasons) {
    LossGroup g;
    g.key = reason.code;
    g.label = reason.label;
    for (const auto& [event, reason_id] : *links) {
      if (reason_id != reason.id) continue;
      ++g.losses;
      g.lost_revenue += revenue_of[event];
    }
    if (g.losses > 0) report.by_reason.push_back(std::move(g));
  }
  report.reason_mentions = static_cast<int64_t>(links->size());
  Rank(report.by_reason, report.reason_mentions, /*sort=*/true);

  report.by_owner = GroupBy(*losses, [](const store::LossRow& l) { return l.owner_name; });
  Rank(report.by_owner, report.losses, /*sort=*/true);
  report.by_segment = GroupBy(*losses, [](const store::LossRow& l) { return l.segment; });
  Rank(report.by_segment, report.losses, /*sort=*/true);
  return report;
}

}  // namespace tenure::engine
