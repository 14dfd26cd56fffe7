#include "engine/playbooks/rules.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "common/numbers.h"
#include "common/text.h"

namespace tenure::engine::playbooks {
namespace {

constexpr Variable kVariables[] = {
    {"risk", false, "the risk model's probability of being lost (tenure risk score)"},
    {"value_at_risk", false, "CLV x risk, in the currency unit"},
    {"health", false, "0-100, 100 x (1 - risk)"},
    {"value_tier", true,
     "A: the customers making the first 80 % of the last year's sales, "
     "B: the next 15 %, C: the rest"},
    {"p_alive", false, "BG/NBD P(alive) today"},
    {"p_alive_month_ago", false, "BG/NBD P(alive) 30 days ago"},
    {"days_since_order", false, "days since the last order"},
    {"cycles_since_order", false, "days since the last order over the customer's own cycle"},
    {"days_since_contact", false, "days since the last activity"},
    {"complaints_open", false, "complaints open"},
    {"complaints_overdue", false, "complaints open past their deadline"},
    {"overdue_amount", false, "invoices past due and unpaid, in the currency unit"},
    {"days_overdue", false, "days since the oldest unpaid invoice fell due"},
    {"days_to_contract_end", false, "days until a current contract not yet renewed ends"},
    {"days_since_owner_change", false, "days since the customer changed owner"},
    {"level", true, "the customer's level"},
    {"industry", true, "the customer's industry"},
    {"source", true, "the customer's source"},
    {"province", true, "the customer's province"},
};

constexpr std::string_view kActions[] = {"call",         "escalate", "credit_review", "renewal",
                                         "introduction", "win_back", "confirm_loss"};

const Variable* FindVariable(std::string_view name) {
  for (const Variable& v : kVariables) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

Status Error(const std::string& path, int line, const std::string& message) {
  return Status::InvalidArgument(path + ":" + std::to_string(line) + ": " + message);
}

// "a >= 1 and b = X" -> conditions.
Result<std::vector<Condition>> ParseWhen(std::string_view text, const std::string& path, int line) {
  std::vector<Condition> out;
  std::string rest(text);
  while (true) {
    size_t cut = rest.find(" and ");
    std::string part(Trim(std::string_view(rest).substr(0, cut)));
    if (part.empty()) return Error(path, line, "an empty condition in 'when'");
    // The operator: the first of the two-character ones, else one character.
    static constexpr std::pair<std::string_view, Op> kOps[] = {{">=", Op::kGe}, {"<=", Op::kLe},
                                                               {"!=", Op::kNe}, {">", Op::kGt},
                                                               {"<", Op::kLt},  {"=", Op::kEq}};
    size_t at = std::string::npos, size = 0;
    Op op = Op::kEq;
    for (const auto& [symbol, code] : kOps) {
      size_t found = part.find(symbol);
      if (found != std::string::npos && (at == std::string::npos || found < at)) {
        at = found;
        size = symbol.size();
        op = code;
      }
    }
    if (at == std::string::npos) {
      return Error(path, line, "'" + part + "' is not 'variable op value' (op: >= <= > < = !=)");
    }
    Condition c;
    c.variable = std::string(Trim(std::string_view(part).substr(0, at)));
    c.op = op;
    c.value = std::string(Trim(std::string_view(part).substr(at + size)));
    const Variable* v = FindVariable(c.variable);
    if (v == nullptr) {
      std::string known;
      for (const Variable& k : kVariables)
        known += (known.empty() ? "" : ", ") + std::string(k.name);
      return Error(path, line, "unknown variable '" + c.variable + "' (known: " + known + ")");
    }
    c.text = v->text;
    if (c.value.empty()) return Error(path, line, "no value after '" + c.variable + "'");
    if (c.text) {
      if (op != Op::kEq && op != Op::kNe) {
        return Error(path, line, "'" + c.variable + "' is text: compare it with = or !=");
      }
    } else {
      auto number = ParseDecimal(c.value);
      if (!number) {
        return Error(path, line, "'" + c.value + "' is not a number (" + c.variable + ")");
      }
      c.number = *number;
    }
    out.push_back(std::move(c));
    if (cut == std::string::npos) return out;
    rest = rest.substr(cut + 5);
  }
}

}  // namespace

std::vector<Variable> PlaybookVariables() { return {std::begin(kVariables), std::end(kVariables)}; }

std::vector<std::string_view> PlaybookActions() {
  return {std::begin(kActions), std::end(kActions)};
}

Result<std::vector<Rule>> ParseRules(std::string_view text, const std::string& path) {
  std::vector<Rule> rules;
  std::set<std::string, std::less<>> names;
  std::istringstream in{std::string(text)};
  std::string raw;
  int line = 0;
  auto finish = [&]() -> Status {
    if (rules.empty()) return Status::Ok();
    const Rule& r = rules.back();
    if (r.when.empty()) return Error(path, r.line, "rule '" + r.name + "' has no 'when'");
    if (r.action.empty()) return Error(path, r.line, "rule '" + r.name + "' has no 'action'");
    return Status::Ok();
  };
  while (std::getline(in, raw)) {
    ++line;
    std::string_view l = Trim(raw);
    if (l.empty() || l.front() == '#') continue;
    if (l.front() == '[') {
      if (l.back() != ']' || l.size() < 3) return Error(path, line, "expected [rule_name]");
      TENURE_RETURN_IF_ERROR(finish());
      Rule rule;
      rule.name = std::string(Trim(l.substr(1, l.size() - 2)));
      rule.line = line;
      if (!names.insert(rule.name).second) {
        return Error(path, line, "a second rule named '" + rule.name + "'");
      }
      rules.push_back(std::move(rule));
      continue;
    }
    size_t eq = l.find('=');
    if (eq == std::string_view::npos) return Error(path, line, "expected key = value");
    if (rules.empty()) return Error(path, line, "a setting before the first [rule]");
    Rule& r = rules.back();
    const std::string key(Trim(l.substr(0, eq)));
    const std::string value(Trim(l.substr(eq + 1)));
    if (key == "when") {
      auto when = ParseWhen(value, path, line);
      if (!when.ok()) return when.status();
      r.when = std::move(*when);
    } else if (key == "action") {
      if (std::find(std::begin(kActions), std::end(kActions), value) == std::end(kActions)) {
        std::string known;
        for (std::string_view a : kActions) known += (known.empty() ? "" : ", ") + std::string(a);
        return Error(path, line, "unknown action '" + value + "' (known: " + known + ")");
      }
      r.action = value;
      if (r.title.empty()) r.title = value;
    } else if (key == "assignee") {
      if (value == "owner") {
        r.assignee = Assignee::kOwner;
      } else if (value == "manager") {
        r.assignee = Assignee::kManager;
      } else {
        return Error(path, line, "assignee is owner or manager, not '" + value + "'");
      }
    } else if (key == "due_days") {
      auto days = ParseInteger(value);
      if (!days || *days < 0 || *days > 365) {
        return Error(path, line, "due_days is a whole number of days, 0 to 365");
      }
      r.due_days = static_cast<int>(*days);
    } else if (key == "title") {
      r.title = value;
    } else {
      return Error(path, line,
                   "unknown key '" + key + "' (when, action, assignee, due_days, title)");
    }
  }
  TENURE_RETURN_IF_ERROR(finish());
  if (rules.empty()) return Status::InvalidArgument(path + ": no [rule] in the file");
  return rules;
}

Result<std::vector<Rule>> LoadRules(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Status::NotFound("cannot read the playbooks file " + path);
  std::ostringstream text;
  text << file.rdbuf();
  return ParseRules(text.str(), path);
}

}  // namespace tenure::engine::playbooks
