#include "engine/team_report.h"

#include <algorithm>
#include <map>

#include "domain/entity.h"
#include "domain/enums.h"
#include "store/entity_table.h"
#include "store/team_queries.h"

namespace tenure::engine {
namespace {

std::optional<double> Ratio(int64_t numerator, int64_t denominator) {
  if (denominator <= 0) return std::nullopt;
  return static_cast<double>(numerator) / static_cast<double>(denominator);
}

void Add(TeamCounts& into, const TeamCounts& from) {
  into.contacts += from.contacts;
  into.visits += from.visits;
  into.effective += from.effective;
  into.high_value += from.high_value;
  into.unsuccessful += from.unsuccessful;
  into.opportunities_won += from.opportunities_won;
  into.opportunities_lost += from.opportunities_lost;
  into.customers_lost += from.customers_lost;
  into.customers_at_start += from.customers_at_start;
}

bool HasNumbers(const TeamCounts& c) {
  return c.contacts || c.opportunities_won || c.opportunities_lost || c.customers_at_start;
}

// The numbers of one user while they are collected, by day ("" without by_day).
struct Collected {
  TeamCounts counts;
  std::map<std::string, TeamCounts> days;
};

}  // namespace

std::optional<double> TeamCounts::ContactSuccessRate() const {
  return Ratio(effective + high_value, contacts);
}
std::optional<double> TeamCounts::WinRate() const {
  return Ratio(opportunities_won, opportunities_won + opportunities_lost);
}
std::optional<double> TeamCounts::LossRate() const {
  return Ratio(customers_lost, customers_at_start);
}

Result<TeamReport> BuildTeamReport(store::Database& db, const TeamReportOptions& options) {
  if (options.to < options.from) {
    return Status::InvalidArgument("the period ends (" + FormatDate(options.to) +
                                       ") before it starts (" + FormatDate(options.from) + ")",
                                   "--to");
  }
  auto users = store::LoadTeamUsers(db);
  if (!users.ok()) return users.status();
  if (!options.user.empty() &&
      std::none_of(users->begin(), users->end(),
                   [&](const store::TeamUserRow& u) { return u.username == options.user; })) {
    return Status::NotFound("no user '" + options.user + "'", "--user");
  }
  if (!options.team.empty() &&
      std::none_of(users->begin(), users->end(),
                   [&](const store::TeamUserRow& u) { return u.team == options.team; })) {
    // A team with no members has nothing to report either; say which.
    return Status::NotFound("no team '" + options.team + "' with members", "--team");
  }
  auto selected = [&](const store::TeamUserRow& u) {
    return (options.user.empty() || u.username == options.user) &&
           (options.team.empty() || u.team == options.team);
  };
  const bool everyone = options.user.empty() && options.team.empty();

  store::TeamPeriod period{options.from, options.to, options.by_day};
  auto activities = store::LoadActivityCounts(db, period);
  if (!activities.ok()) return activities.status();
  auto deals = store::LoadOpportunityCloses(db, period);
  if (!deals.ok()) return deals.status();
  auto owned = store::LoadOwnedAtStart(db, period);
  if (!owned.ok()) return owned.status();

  // Key 0 collects activities and deals that name no user.
  std::map<int64_t, Collected> by_user;
  for (const store::ActivityCountRow& row : *activities) {
    Collected& c = by_user[row.user_id.value_or(0)];
    for (TeamCounts* t : {&c.counts, &c.days[row.day]}) {
      t->contacts += row.contacts;
      t->visits += row.visits;
      t->effective += row.effective;
      t->high_value += row.high_value;
      t->unsuccessful += row.unsuccessful;
    }
  }
  for (const store::OpportunityCloseRow& row : *deals) {
    Collected& c = by_user[row.owner_id.value_or(0)];
    for (TeamCounts* t : {&c.counts, &c.days[row.day]}) {
      t->opportunities_won += row.won;
      t->opportunities_lost += row.lost;
    }
  }
  for (const store::OwnedAtStartRow& row : *owned) {
    Collected& c = by_user[row.owner_id];
    c.counts.customers_at_start += row.customers;
    if (row.lost_on) {
      c.counts.customers_lost += row.customers;
      c.days[options.by_day ? *row.lost_on : ""].customers_lost += row.customers;
    }
  }

  TeamReport report;
  report.from = options.from;
  report.to = options.to;
  report.by_day = options.by_day;
  auto emit = [&](Salesperson person, const Collected* c) {
    if (c != nullptr) {
      person.counts = c->counts;
      if (options.by_day) {
        for (const auto& [day, counts] : c->days) {
          TeamDay d{day, counts};
          d.counts.customers_at_start = c->counts.customers_at_start;
          person.days.push_back(std::move(d));
        }
      }
    }
    Add(report.total, person.counts);
    report.people.push_back(std::move(person));
  };
  const auto kManager = static_cast<int64_t>(domain::UserRole::kManager);
  const auto kSales = static_cast<int64_t>(domain::UserRole::kSales);
  for (const store::TeamUserRow& u : *users) {
    if (!selected(u)) continue;
    auto found = by_user.find(u.id);
    const Collected* c = found == by_user.end() ? nullptr : &found->second;
    bool seller = u.active && (u.role == kSales || u.role == kManager);
    bool named = !options.user.empty();
    if (!seller && !named && (c == nullptr || !HasNumbers(c->counts))) continue;
    emit(Salesperson{u.id, u.username, u.full_name, u.team, {}, {}}, c);
  }
  auto nobody = by_user.find(0);
  if (everyone && nobody != by_user.end() && HasNumbers(nobody->second.counts)) {
    emit(Salesperson{0, "(none)", "", "", {}, {}}, &nobody->second);
  }
  return report;
}

Result<ContactHistory> LoadContactHistory(store::Database& db, std::string_view key) {
  auto id = store::FindRowId(db, domain::SpecOf(domain::Entity::kCustomer), key);
  if (!id.ok()) return id.status();
  if (!*id) return Status::NotFound("no customer '" + std::string(key) + "'", "--customer");
  auto header = store::LoadCustomerHeader(db, **id);
  if (!header.ok()) return header.status();
  auto rows = store::LoadContactHistory(db, **id);
  if (!rows.ok()) return rows.status();
  ContactHistory history{header->id, header->external_id, header->name, {}};
  for (const store::ContactHistoryRow& row : *rows) {
    ContactEntry e;
    e.id = row.id;
    e.occurred_at = row.occurred_at;
    e.user = row.user.value_or("");
    e.contact = row.contact.value_or("");
    e.kind = std::string(domain::kActivityKindNames[row.kind]);
    if (row.outcome) e.outcome = std::string(domain::kActivityOutcomeNames[*row.outcome]);
    e.notes = row.notes.value_or("");
    if (row.follow_up_on) e.follow_up_on = ParseIsoDate(*row.follow_up_on);
    e.follow_up_done = row.follow_up_done;
    history.entries.push_back(std::move(e));
  }
  return history;
}

}  // namespace tenure::engine
