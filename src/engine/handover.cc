#include "engine/handover.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "common/text.h"
#include "domain/enums.h"
#include "engine/records.h"
#include "store/entity_table.h"

namespace tenure::engine {
namespace {

constexpr std::string_view kMethodNames[] = {"round_robin", "region"};

Result<store::UserRef> ResolveUser(store::Database& db, const std::string& key,
                                   const std::string& field) {
  if (Trim(key).empty()) return Status::InvalidArgument("a user is required", field);
  auto user = store::FindUserRef(db, Trim(key));
  if (!user.ok()) return user.status();
  if (!*user) return Status::NotFound("unknown user '" + key + "'", field);
  return **user;
}

// Checks the users and builds the plan; reads only.
Result<HandoverPlan> Plan(store::Database& db, const HandoverOptions& options) {
  HandoverPlan plan;
  plan.method = options.method;
  plan.at = options.at;
  auto from = ResolveUser(db, options.from, "--from");
  if (!from.ok()) return from.status();
  plan.from = *from;
  if (options.to.empty()) return Status::InvalidArgument("at least one receiver is needed", "--to");
  for (const std::string& key : options.to) {
    auto user = ResolveUser(db, key, "--to");
    if (!user.ok()) return user.status();
    if (user->id == plan.from.id) {
      return Status::InvalidArgument("--to names the departing user '" + plan.from.username + "'",
                                     "--to");
    }
    if (!user->active) {
      return Status::InvalidArgument("user '" + user->username + "' is inactive", "--to");
    }
    for (const HandoverReceiver& r : plan.receivers) {
      if (r.user.id == user->id) {
        return Status::InvalidArgument("user '" + user->username + "' is named twice", "--to");
      }
    }
    plan.receivers.push_back({*user});
  }
  auto customers = store::LoadOwnedCustomers(db, plan.from.id);
  if (!customers.ok()) return customers.status();
  std::vector<size_t> receiver = options.method == HandoverMethod::kRegion
                                     ? AssignByRegion(*customers, plan.receivers.size())
                                     : AssignRoundRobin(customers->size(), plan.receivers.size());
  for (size_t i = 0; i < customers->size(); ++i) {
    HandoverReceiver& r = plan.receivers[receiver[i]];
    const store::OwnedCustomer& c = (*customers)[i];
    ++r.customers;
    r.activities += c.open_activities;
    r.opportunities += c.open_opportunities;
    r.complaints += c.open_complaints;
    plan.assignments.push_back({std::move((*customers)[i]), receiver[i]});
  }
  auto elsewhere = store::CountOpenItemsElsewhere(db, plan.from.id);
  if (!elsewhere.ok()) return elsewhere.status();
  plan.open_items_elsewhere = *elsewhere;
  return plan;
}

std::string AuditJson(const HandoverPlan& plan) {
  nlohmann::json receivers = nlohmann::json::array();
  for (const HandoverReceiver& r : plan.receivers) {
    receivers.push_back({{"user_id", r.user.id},
                         {"customers", r.customers},
                         {"activities", r.activities},
                         {"opportunities", r.opportunities},
                         {"complaints", r.complaints}});
  }
  nlohmann::json after = {{"from_user_id", plan.from.id},
                          {"method", kMethodNames[static_cast<size_t>(plan.method)]},
                          {"changed_at", FormatTimestamp(plan.at)},
                          {"customers", plan.assignments.size()},
                          {"receivers", receivers},
                          {"deactivated", plan.deactivated}};
  return after.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

Result<HandoverMethod> ParseHandoverMethod(std::string_view text) {
  std::optional<int> code = domain::ParseEnumName(kMethodNames, text);
  if (!code) {
    return Status::InvalidArgument(
        "unknown method '" + std::string(text) + "' (one of: region, round-robin)", "--by");
  }
  return static_cast<HandoverMethod>(*code);
}

std::vector<size_t> AssignRoundRobin(size_t customers, size_t receivers) {
  std::vector<size_t> out(customers);
  for (size_t i = 0; i < customers; ++i) out[i] = receivers == 0 ? 0 : i % receivers;
  return out;
}

std::vector<size_t> AssignByRegion(const std::vector<store::OwnedCustomer>& customers,
                                   size_t receivers) {
  std::vector<size_t> out(customers.size(), 0);
  if (receivers <= 1) return out;
  using Key = std::pair<std::string, std::string>;  // province, city ("" for the whole province)
  std::map<std::string, std::vector<size_t>> provinces;
  for (size_t i = 0; i < customers.size(); ++i) provinces[customers[i].province].push_back(i);
  size_t fair = (customers.size() + receivers - 1) / receivers;
  std::vector<std::pair<Key, std::vector<size_t>>> groups;
  for (auto& [province, members] : provinces) {
    if (members.size() <= fair) {
      groups.push_back({{province, ""}, std::move(members)});
      continue;
    }
    std::map<std::string, std::vector<size_t>> cities;
    for (size_t i : members) cities[customers[i].city].push_back(i);
    for (auto& [city, in_city] : cities) groups.push_back({{province, city}, std::move(in_city)});
  }
  std::stable_sort(groups.begin(), groups.end(), [](const auto& a, const auto& b) {
    return a.second.size() > b.second.size();  // ties keep key order
  });
  std::vector<size_t> load(receivers, 0);
  for (const auto& [key, members] : groups) {
    size_t r = std::min_element(load.begin(), load.end()) - load.begin();
    load[r] += members.size();
    for (size_t i : members) out[i] = r;
  }
  return out;
}

Result<HandoverPlan> RunHandover(store::Database& db, const HandoverOptions& options) {
  if (options.dry_run) return Plan(db, options);
  store::Transaction txn(db);
  TENURE_RETURN_IF_ERROR(txn.status());
  auto plan = Plan(db, options);
  if (!plan.ok()) return plan.status();
  Timestamp now = NowUtc();
  auto mover = store::OwnershipMover::Create(db);
  if (!mover.ok()) return mover.status();
  for (const HandoverAssignment& a : plan->assignments) {
    const store::UserRef& to = plan->receivers[a.receiver].user;
    TENURE_RETURN_IF_ERROR((*mover)->Move(a.customer.id, plan->from.id, to.id, to.team_id,
                                          options.at, "handover", now));
  }
  if (options.deactivate) {
    TENURE_RETURN_IF_ERROR(store::DeactivateUser(db, plan->from.id, DateOf(options.at), now));
    plan->deactivated = true;
  }
  plan->applied = true;
  TENURE_RETURN_IF_ERROR(
      store::AppendAudit(db, "handover", "users", plan->from.id, AuditJson(*plan)));
  TENURE_RETURN_IF_ERROR(txn.Commit());
  return plan;
}

namespace {

FaredStats Stats(const store::FaredGroup& g) {
  FaredStats s;
  s.customers = g.customers;
  s.lost = g.lost;
  s.orders = g.orders;
  s.sales = g.sales;
  s.contacted = g.contacted;
  if (g.customers > 0) {
    double n = static_cast<double>(g.customers);
    s.lost_share = static_cast<double>(g.lost) / n;
    s.orders_per_customer = static_cast<double>(g.orders) / n;
    s.sales_per_customer = static_cast<double>(g.sales) / n;
    s.contacted_share = static_cast<double>(g.contacted) / n;
  }
  return s;
}

}  // namespace

Result<HandoverReport> BuildHandoverReport(store::Database& db, const std::string& from,
                                           Date as_of) {
  auto user = ResolveUser(db, from, "--from");
  if (!user.ok()) return user.status();
  auto span = store::LoadHandoverSpan(db, user->id);
  if (!span.ok()) return span.status();
  if (!*span) {
    return Status::NotFound("no customers were handed over from '" + user->username + "'",
                            "--from");
  }
  HandoverReport report;
  report.from = *user;
  report.handover_on = DateOf((*span)->first_at);
  report.as_of = as_of;
  report.handed_over = (*span)->customers;
  auto groups = store::LoadFaredGroups(db, user->id, report.handover_on, as_of);
  if (!groups.ok()) return groups.status();
  report.others = Stats(groups->first);
  report.handed = Stats(groups->second);
  return report;
}

Result<int64_t> ReassignCustomers(store::Database& db, const Scope& scope, const Reassignment& r) {
  using domain::UserRole;
  if (scope.role != UserRole::kAdmin && scope.role != UserRole::kManager) {
    return Status::PermissionDenied("only managers and administrators reassign customers", "to");
  }
  if (r.customers.empty()) return Status::InvalidArgument("no customers to reassign", "customers");
  store::Transaction txn(db);
  TENURE_RETURN_IF_ERROR(txn.status());
  auto to = store::FindUserRef(db, r.to);
  if (!to.ok()) return to.status();
  if (!*to) return Status::NotFound("no user '" + r.to + "'", "to");
  if (!(*to)->active) return Status::InvalidArgument("'" + r.to + "' is inactive", "to");
  if (scope.role == UserRole::kManager && (*to)->team_id != scope.team_id) {
    return Status::PermissionDenied("a manager reassigns only to their own team's members", "to");
  }
  const domain::EntitySpec& spec = domain::SpecOf(domain::Entity::kCustomer);
  auto mover = store::OwnershipMover::Create(db);
  if (!mover.ok()) return mover.status();
  const Timestamp now = NowUtc();
  nlohmann::json moved = nlohmann::json::array();
  for (int64_t id : r.customers) {
    auto customer = GetRecord(db, scope, spec, id);
    if (!customer.ok()) {
      return customer.status().code() == Status::Code::kNotFound
                 ? Status::NotFound("no customer " + std::to_string(id), "customers")
                 : customer.status();
    }
    const auto* owner = std::get_if<int64_t>(&customer->values[*spec.FieldIndex("owner_id")]);
    std::optional<int64_t> from = owner ? std::optional<int64_t>(*owner) : std::nullopt;
    if (from == (*to)->id) continue;
    TENURE_RETURN_IF_ERROR(
        (*mover)->Move(id, from, (*to)->id, (*to)->team_id, r.at, r.reason, now));
    moved.push_back(id);
  }
  if (!moved.empty()) {
    nlohmann::json after = {{"to_user_id", (*to)->id},
                            {"customers", moved},
                            {"changed_at", FormatTimestamp(r.at)},
                            {"reason", r.reason}};
    TENURE_RETURN_IF_ERROR(
        store::AppendAudit(db, "reassign", "users", (*to)->id,
                           after.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
  }
  TENURE_RETURN_IF_ERROR(txn.Commit());
  return static_cast<int64_t>(moved.size());
}

}  // namespace tenure::engine
