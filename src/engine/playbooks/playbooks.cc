#include "engine/playbooks/playbooks.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <unordered_map>

#include "common/numbers.h"
#include "engine/churn.h"
#include "engine/records.h"
#include "engine/risk/features.h"
#include "engine/risk/history.h"
#include "engine/risk/snapshots.h"
#include "store/care_queries.h"
#include "store/playbook_queries.h"

namespace tenure::engine::playbooks {
namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

// One customer's values of the rule variables (rules.h).
struct Signals {
  std::map<std::string, double, std::less<>> numbers;
  std::map<std::string, std::string, std::less<>> texts;
};

bool Meets(const Condition& c, const Signals& s) {
  if (c.text) {
    auto it = s.texts.find(c.variable);
    if (it == s.texts.end()) return false;
    return c.op == Op::kEq ? it->second == c.value : it->second != c.value;
  }
  auto it = s.numbers.find(c.variable);
  if (it == s.numbers.end() || std::isnan(it->second)) return false;
  const double v = it->second;
  switch (c.op) {
    case Op::kGe:
      return v >= c.number;
    case Op::kLe:
      return v <= c.number;
    case Op::kGt:
      return v > c.number;
    case Op::kLt:
      return v < c.number;
    case Op::kEq:
      return v == c.number;
    case Op::kNe:
      return v != c.number;
  }
  return false;
}

// "risk 0.72, value_tier A": the values the rule's conditions read.
std::string Why(const Rule& rule, const Signals& s) {
  std::string out;
  for (const Condition& c : rule.when) {
    out += out.empty() ? "" : ", ";
    if (c.text) {
      out += c.variable + " " + s.texts.at(c.variable);
    } else {
      double v = s.numbers.at(c.variable);
      out += c.variable + " " +
             (v == std::floor(v) ? std::to_string(std::llround(v))
                                 : FormatDecimal(std::round(v * 100) / 100));
    }
  }
  return out;
}

size_t Column(const risk::FeatureLayout& layout, std::string_view name) {
  for (size_t k = 0; k < layout.size(); ++k) {
    if (layout.names[k] == name) return k;
  }
  return SIZE_MAX;  // every fixed feature is there (features.h)
}

}  // namespace

Result<RunReport> RunPlaybooks(store::Database& db, const std::vector<Rule>& rules,
                               const RunOptions& options) {
  auto history =
      risk::LoadHistory(db, options.deadline_hours, nullptr, Date{options.as_of.days - 31});
  if (!history.ok()) return history.status();
  const risk::FeatureLayout layout = risk::LayoutOf(*history);
  risk::SnapshotRows now = risk::BuildSnapshot(*history, {options.as_of.days, 90, false});
  risk::SnapshotRows before = risk::BuildSnapshot(*history, {options.as_of.days - 30, 90, false});
  std::unordered_map<uint32_t, double> p_alive_before;
  const size_t p_alive = Column(layout, "p_alive");
  for (size_t i = 0; i < before.rows(); ++i) {
    p_alive_before[before.customer[i]] = before.values[i * before.columns + p_alive];
  }
  // The owner, the manager, the stored risk and the classification of each
  // customer (the row's text copied: it lives only during the visit).
  struct Customer {
    store::PlaybookCustomerRow row;
    std::array<std::string, 4> classes;  // level, industry, source, province
  };
  std::unordered_map<int64_t, Customer> customers;
  TENURE_RETURN_IF_ERROR(store::ScanPlaybookCustomers(db, [&](const store::PlaybookCustomerRow& r) {
    Customer c{r,
               {std::string(r.level), std::string(r.industry), std::string(r.source),
                std::string(r.province)}};
    c.row.level = c.row.industry = c.row.source = c.row.province = {};
    customers.emplace(r.id, std::move(c));
    return Status::Ok();
  }));

  // Value tiers by the last year's sales: A makes the first 80 %, B the next 15 %.
  const size_t sales = Column(layout, "sales_365");
  std::vector<size_t> order(now.rows());
  std::iota(order.begin(), order.end(), 0);
  auto sales_of = [&](size_t i) {
    double v = now.values[i * now.columns + sales];
    return std::isnan(v) ? 0.0 : v;
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return sales_of(a) > sales_of(b); });
  double total = 0;
  for (size_t i = 0; i < now.rows(); ++i) total += sales_of(i);
  std::vector<char> tier(now.rows(), 'C');
  double running = 0;
  for (size_t i : order) {
    const double share = total > 0 ? running / total : 1;
    tier[i] = share < 0.80 ? 'A' : share < 0.95 ? 'B' : 'C';
    running += sales_of(i);
  }

  RunReport report;
  report.as_of = options.as_of;
  report.dry_run = options.dry_run;
  report.customers = static_cast<int64_t>(now.rows());
  for (const Rule& rule : rules) report.rules.push_back({rule.name});
  const std::pair<const char*, const char*> kFeatures[] = {
      {"days_since_order", "recency_days"},
      {"cycles_since_order", "cycles_since_order"},
      {"days_since_contact", "days_since_contact"},
      {"complaints_open", "complaints_open"},
      {"complaints_overdue", "complaints_overdue"},
      {"overdue_amount", "overdue_amount"},
      {"days_overdue", "days_overdue"},
      {"days_to_contract_end", "days_to_contract_end"},
      {"days_since_owner_change", "days_since_owner_change"},
      {"p_alive", "p_alive"},
  };
  std::vector<std::pair<std::string, size_t>> columns;
  for (const auto& [variable, feature] : kFeatures) {
    columns.emplace_back(variable, Column(layout, feature));
  }

  for (size_t i = 0; i < now.rows(); ++i) {
    const uint32_t c = now.customer[i];
    const int64_t id = history->customers[c].id;
    auto row = customers.find(id);
    if (row == customers.end()) continue;
    Signals s;
    for (const auto& [variable, column] : columns) {
      s.numbers[variable] = now.values[i * now.columns + column];
    }
    auto was = p_alive_before.find(c);
    s.numbers["p_alive_month_ago"] = was == p_alive_before.end() ? kMissing : was->second;
    const store::PlaybookCustomerRow& r = row->second.row;
    s.numbers["risk"] = r.risk_probability.value_or(kMissing);
    s.numbers["value_at_risk"] =
        r.value_at_risk ? static_cast<double>(*r.value_at_risk) / 100.0 : kMissing;
    s.numbers["health"] = r.health ? static_cast<double>(*r.health) : kMissing;
    s.texts["value_tier"] = std::string(1, tier[i]);
    const auto& names = row->second.classes;
    const char* kClass[] = {"level", "industry", "source", "province"};
    for (size_t k = 0; k < 4; ++k) {
      if (!names[k].empty()) s.texts[kClass[k]] = names[k];
    }
    for (size_t k = 0; k < rules.size(); ++k) {
      const Rule& rule = rules[k];
      if (!std::all_of(rule.when.begin(), rule.when.end(),
                       [&](const Condition& cond) { return Meets(cond, s); })) {
        continue;
      }
      FiredTask task;
      task.rule = rule.name;
      task.customer_id = id;
      task.assignee_id = rule.assignee == Assignee::kOwner ? r.owner_id : r.manager_id;
      task.action = rule.action;
      task.title = rule.title;
      task.why = Why(rule, s);
      task.due = Date{options.as_of.days + rule.due_days};
      report.tasks.push_back(std::move(task));
      ++report.rules[k].fired;
    }
  }

  store::Transaction tx(db);
  TENURE_RETURN_IF_ERROR(tx.status());
  std::map<std::string, size_t> rule_index;
  for (size_t k = 0; k < rules.size(); ++k) rule_index[rules[k].name] = k;
  for (FiredTask& task : report.tasks) {
    RuleCount& count = report.rules[rule_index[task.rule]];
    if (options.dry_run) {
      auto open = store::HasOpenPlaybookTask(db, task.rule, task.customer_id);
      if (!open.ok()) return open.status();
      task.added = !*open;
    } else {
      store::PlaybookTaskRow row;
      row.rule = task.rule;
      row.customer_id = task.customer_id;
      row.assignee_id = task.assignee_id;
      row.action = task.action;
      row.title = task.title;
      row.why = task.why;
      row.created_on = FormatDate(options.as_of);
      row.due_on = FormatDate(task.due);
      auto added = store::InsertPlaybookTask(db, row);
      if (!added.ok()) return added.status();
      task.task_id = *added;
      task.added = added->has_value();
    }
    (task.added ? count.added : count.already_open) += 1;
    (task.added ? report.added : report.already_open) += 1;
  }
  if (options.dry_run) return report;  // the transaction rolls back: nothing was written
  TENURE_RETURN_IF_ERROR(tx.Commit());
  return report;
}

Result<store::PlaybookTaskRow> CloseTask(store::Database& db, const CloseInput& input) {
  // The write lock first, so no other close lands between the check that
  // the task is open and the close.
  store::Transaction txn(db);
  TENURE_RETURN_IF_ERROR(txn.status());
  auto task = store::LoadPlaybookTask(db, input.task_id);
  if (!task.ok()) return task.status();
  const Status missing =
      Status::NotFound("no playbook task " + std::to_string(input.task_id), "task");
  if (!*task) return missing;
  if (input.scope && (*task)->assignee_id != input.scope->user_id) {
    // Not theirs: theirs to close only when they may see its customer (the
    // same answer as a missing task otherwise, so nothing leaks).
    auto visible = GetRecordVersion(db, *input.scope, domain::SpecOf(domain::Entity::kCustomer),
                                    (*task)->customer_id);
    if (visible.status().code() == Status::Code::kNotFound) return missing;
    if (!visible.ok()) return visible.status();
  }
  if ((*task)->status != 0) {
    return Status::Conflict("playbook task " + std::to_string(input.task_id) +
                            " is closed already");
  }
  if (!input.lost_type.empty()) {
    if ((*task)->action != "confirm_loss") {
      return Status::InvalidArgument("only a confirm_loss task records a loss", "lost_type");
    }
    if (input.dismiss)
      return Status::InvalidArgument("a dismissed task records no loss", "lost_type");
    LossInput loss;
    loss.customer = store::RowKey::Internal((*task)->customer_id);
    loss.type = input.lost_type;
    loss.reasons = input.reasons;
    loss.on = input.on;
    loss.notes = "confirmed from playbook task " + std::to_string(input.task_id) + " (" +
                 (*task)->rule + ")";
    loss.recorded_by = input.closed_by;
    auto recorded = RecordLossInTransaction(db, loss);
    if (!recorded.ok()) return recorded.status();
  }
  std::string outcome = input.outcome;
  if (outcome.empty()) outcome = input.dismiss ? "dismissed" : "done";
  TENURE_RETURN_IF_ERROR(
      store::ClosePlaybookTask(db, input.task_id, input.dismiss ? 2 : 1, outcome, NowUtc()));
  auto closed = store::LoadPlaybookTask(db, input.task_id);
  if (!closed.ok()) return closed.status();
  if (!*closed) return missing;
  const nlohmann::json before = {{"status", "open"}};
  const nlohmann::json after = {{"status", input.dismiss ? "dismissed" : "done"},
                                {"outcome", outcome},
                                {"closed_at", *(*closed)->closed_at}};
  TENURE_RETURN_IF_ERROR(store::AppendAuditChange(db, "update", "playbook_tasks", input.task_id,
                                                  before.dump(), after.dump()));
  TENURE_RETURN_IF_ERROR(txn.Commit());
  return std::move(**closed);
}

Result<EffectReport> BuildEffectReport(store::Database& db, const EffectOptions& options) {
  auto history = risk::LoadHistory(db, options.deadline_hours);
  if (!history.ok()) return history.status();
  std::unordered_map<int64_t, size_t> index;
  for (size_t c = 0; c < history->size(); ++c) index[history->customers[c].id] = c;
  EffectReport report;
  report.as_of = options.as_of;
  report.horizon_days = options.horizon_days;
  std::map<std::string, RuleEffect> by_rule;
  TENURE_RETURN_IF_ERROR(store::ScanPlaybookTasks(db, [&](const store::PlaybookTaskRow& t) {
    RuleEffect& e = by_rule[t.rule];
    e.rule = t.rule;
    ++e.tasks;
    auto created = ParseIsoDate(t.created_on);
    auto due = ParseIsoDate(t.due_on);
    auto c = index.find(t.customer_id);
    if (!created || !due || c == index.end()) return Status::Ok();
    if (created->days + options.horizon_days > options.as_of.days) {
      ++e.pending;
      return Status::Ok();
    }
    const bool retained =
        !risk::LostWithin(*history, c->second, created->days, options.horizon_days);
    if (t.status == 1) {
      ++e.done;
      e.done_retained += retained ? 1 : 0;
    } else if (t.status == 2 || due->days < options.as_of.days) {
      ++e.not_done;
      e.not_done_retained += retained ? 1 : 0;
    } else {
      ++e.pending;  // open and not yet due
    }
    return Status::Ok();
  }));
  for (auto& [name, e] : by_rule) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    e.done_rate = e.done > 0 ? static_cast<double>(e.done_retained) / e.done : nan;
    e.not_done_rate = e.not_done > 0 ? static_cast<double>(e.not_done_retained) / e.not_done : nan;
    e.difference = e.low = e.high = nan;
    if (e.done > 0 && e.not_done > 0) {
      e.difference = e.done_rate - e.not_done_rate;
      const double se = std::sqrt(e.done_rate * (1 - e.done_rate) / e.done +
                                  e.not_done_rate * (1 - e.not_done_rate) / e.not_done);
      e.low = e.difference - 1.96 * se;
      e.high = e.difference + 1.96 * se;
    }
    report.rules.push_back(e);
  }
  return report;
}

}  // namespace tenure::engine::playbooks
