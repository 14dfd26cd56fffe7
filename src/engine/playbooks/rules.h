// Playbook rules (docs/playbooks.md): when a customer's signals meet a
// rule's conditions, a task for someone. Read from a file of sections:
//
//   [call_top_customers_at_risk]
//   when = risk >= 0.6 and value_tier = A
//   action = call
//   assignee = owner
//   due_days = 2
//   title = Call: a top customer at risk
//
// `#` starts a comment line. Conditions are `variable op value` joined by
// `and`; op is one of >= <= > < = !=. The variables are listed by
// PlaybookVariables(); a customer without a value for a variable (not scored,
// no contract, ...) does not meet a condition on it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace tenure::engine::playbooks {

enum class Op { kGe, kLe, kGt, kLt, kEq, kNe };

struct Condition {
  std::string variable;
  Op op = Op::kEq;
  bool text = false;  // compared as text (value_tier, level, ...) or as a number
  double number = 0;
  std::string value;  // as written
};

enum class Assignee { kOwner, kManager };

struct Rule {
  std::string name;
  std::vector<Condition> when;
  std::string action;  // call, escalate, credit_review, renewal, introduction, win_back,
                       // confirm_loss
  Assignee assignee = Assignee::kOwner;
  int due_days = 2;
  std::string title;
  int line = 0;  // of its [name] in the file
};

struct Variable {
  std::string_view name;
  bool text;
  std::string_view meaning;
};
// Every variable a condition may use, with its meaning (for the docs and
// the error that names an unknown one).
std::vector<Variable> PlaybookVariables();
// The actions a rule may ask for.
std::vector<std::string_view> PlaybookActions();

// Parses rules; `path` names the file in errors ("playbooks.conf:7: ...").
// Errors (kInvalidArgument): an unknown key, variable, operator or action, a
// value that is not a number for a numeric variable, a section without
// `when` or `action`, two sections of one name, a line outside a section.
Result<std::vector<Rule>> ParseRules(std::string_view text, const std::string& path);
// Reads and parses a file. Errors: kNotFound when it cannot be read; those of
// ParseRules.
Result<std::vector<Rule>> LoadRules(const std::string& path);

}  // namespace tenure::engine::playbooks
