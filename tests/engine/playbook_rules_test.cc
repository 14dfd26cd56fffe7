// Reading playbook rules (engine/playbooks/rules.h): the file format of
// docs/playbooks.md, and errors that name the file, the line and the word.
#include <gtest/gtest.h>

#include "engine/playbooks/rules.h"

namespace tenure::engine::playbooks {
namespace {

TEST(PlaybookRulesTest, ReadsSectionsConditionsAndDefaults) {
  auto rules = ParseRules(
      "# comment\n\n[call_at_risk]\nwhen = risk >= 0.6 and value_tier = A\naction = call\n"
      "assignee = owner\ndue_days = 2\ntitle = Call: a top customer at risk\n"
      "[escalate]\n  when = complaints_overdue>=1 and level != C  \naction = escalate\n"
      "assignee = manager\n",
      "p.conf");
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  ASSERT_EQ(rules->size(), 2u);
  const Rule& call = (*rules)[0];
  EXPECT_EQ(call.name, "call_at_risk");
  EXPECT_EQ(call.line, 3);
  ASSERT_EQ(call.when.size(), 2u);
  EXPECT_EQ(call.when[0].variable, "risk");
  EXPECT_EQ(call.when[0].op, Op::kGe);
  EXPECT_FALSE(call.when[0].text);
  EXPECT_DOUBLE_EQ(call.when[0].number, 0.6);
  EXPECT_EQ(call.when[1].variable, "value_tier");
  EXPECT_TRUE(call.when[1].text);
  EXPECT_EQ(call.when[1].value, "A");
  EXPECT_EQ(call.due_days, 2);
  EXPECT_EQ(call.title, "Call: a top customer at risk");
  const Rule& escalate = (*rules)[1];
  EXPECT_EQ(escalate.assignee, Assignee::kManager);
  EXPECT_EQ(escalate.when[0].op, Op::kGe);
  EXPECT_DOUBLE_EQ(escalate.when[0].number, 1);
  EXPECT_EQ(escalate.when[1].op, Op::kNe);
  EXPECT_EQ(escalate.title, "escalate");  // the action when no title
  EXPECT_EQ(escalate.due_days, 2);        // the default
}

TEST(PlaybookRulesTest, ErrorsNameTheFileLineAndWord) {
  auto error = [](const std::string& text) {
    auto rules = ParseRules(text, "p.conf");
    EXPECT_FALSE(rules.ok()) << text;
    return rules.ok() ? std::string() : rules.status().message();
  };
  EXPECT_EQ(
      error("[a]\nwhen = mood > 1\naction = call\n").rfind("p.conf:2: unknown variable 'mood'", 0),
      0u);
  EXPECT_NE(
      error("[a]\nwhen = risk > high\naction = call\n").find("p.conf:2: 'high' is not a number"),
      std::string::npos);
  EXPECT_NE(error("[a]\nwhen = level > A\naction = call\n").find("compare it with = or !="),
            std::string::npos);
  EXPECT_NE(error("[a]\nwhen = risk 0.5\naction = call\n").find("p.conf:2:"), std::string::npos);
  EXPECT_NE(
      error("[a]\nwhen = risk > 0.5\naction = shout\n").find("p.conf:3: unknown action 'shout'"),
      std::string::npos);
  EXPECT_NE(error("[a]\nwhen = risk > 0.5\n").find("p.conf:1: rule 'a' has no 'action'"),
            std::string::npos);
  EXPECT_NE(error("[a]\naction = call\n[b]\n").find("rule 'a' has no 'when'"), std::string::npos);
  EXPECT_NE(error("when = risk > 0.5\n").find("p.conf:1: a setting before the first [rule]"),
            std::string::npos);
  EXPECT_NE(error("[a]\nwhen = risk > 0.5\naction = call\n[a]\n").find("p.conf:4: a second rule"),
            std::string::npos);
  EXPECT_NE(
      error("[a]\nwhen = risk > 0.5\naction = call\ncolour = red\n").find("unknown key 'colour'"),
      std::string::npos);
  EXPECT_NE(
      error("[a]\nwhen = risk > 0.5\naction = call\nassignee = boss\n").find("owner or manager"),
      std::string::npos);
  EXPECT_NE(error("# nothing\n").find("no [rule]"), std::string::npos);
  EXPECT_FALSE(LoadRules("/nonexistent/playbooks.conf").ok());
}

}  // namespace
}  // namespace tenure::engine::playbooks
