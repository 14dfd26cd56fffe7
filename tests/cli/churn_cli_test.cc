// `tenure churn` and `tenure handover` as a user runs them: exit codes,
// messages, and the keys of the --json output.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "testing/run_tenure.h"
#include "testing/temp_dir.h"

namespace tenure {
namespace {

using nlohmann::json;
using testing::TempDir;

using testing::Outcome;
using testing::Tenure;

class ChurnCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Import("users", "username,role\nann,sales\nben,sales\ncat,sales\n");
    Import("customers",
           "customer_id,name,owner,level,province,city,acquired_on\n"
           "C1,Acme,ann,A,North,Lyon,2025-01-01\nC2,Bolt,ann,B,South,Nice,2025-01-01\n"
           "C3,Cord,ann,B,South,Nice,2025-01-01\nC4,Dart,ben,A,North,Lyon,2025-01-01\n");
    Import("orders", "order_id,customer_id,date,amount\nO1,C1,2026-01-05,120.50\n");
  }
  void Import(const std::string& entity, const std::string& csv) {
    Outcome r = Tenure("import " + entity + " " + dir_.Write(entity + ".csv", csv) + Db());
    ASSERT_EQ(r.code, 0) << r.output;
  }
  std::string Db() { return " --db " + dir_.File("t.db"); }
  TempDir dir_;
};

void ExpectKeys(const json& j, std::initializer_list<const char*> keys) {
  for (const char* key : keys) EXPECT_TRUE(j.contains(key)) << key << " in " << j.dump();
}

TEST_F(ChurnCliTest, LostWonBackAndTheirRefusals) {
  Outcome lost = Tenure(
      "churn lost C1 --type negligence --reason no_contact,price --on 2026-02-01"
      " --by ann --notes 'nobody called'" +
      Db());
  EXPECT_EQ(lost.code, 0) << lost.output;
  EXPECT_NE(lost.output.find("customer C1 (Acme) lost on 2026-02-01"), std::string::npos)
      << lost.output;

  Outcome again = Tenure("churn lost C1 --type natural --reason other --on 2026-02-02" + Db());
  EXPECT_EQ(again.code, 1);
  EXPECT_NE(again.output.find("C1 is already lost since 2026-02-01"), std::string::npos)
      << again.output;

  Outcome reason = Tenure("churn lost C2 --type natural --reason weather" + Db());
  EXPECT_EQ(reason.code, 2);
  EXPECT_NE(reason.output.find("--reason: unknown reason 'weather' (one of: price,"),
            std::string::npos)
      << reason.output;

  Outcome type = Tenure("churn lost C2 --type boredom --reason other" + Db());
  EXPECT_EQ(type.code, 2);
  EXPECT_NE(type.output.find("--type: unknown churn type 'boredom'"), std::string::npos);

  Outcome missing = Tenure("churn lost C2 --type natural" + Db());
  EXPECT_EQ(missing.code, 2) << missing.output;  // --reason is required

  Outcome unknown = Tenure("churn won-back C9" + Db());
  EXPECT_EQ(unknown.code, 1);
  EXPECT_NE(unknown.output.find("unknown customer 'C9'"), std::string::npos);

  Outcome not_lost = Tenure("churn won-back C2 --on 2026-03-01" + Db());
  EXPECT_EQ(not_lost.code, 1);
  EXPECT_NE(not_lost.output.find("C2 is not lost"), std::string::npos);

  Outcome back = Tenure("churn won-back C1 --on 2026-03-01 --json" + Db(), false);
  EXPECT_EQ(back.code, 0) << back.output;
  json j = json::parse(back.output);
  ExpectKeys(
      j, {"event_id", "customer", "customer_id", "customer_name", "kind", "occurred_on", "status"});
  EXPECT_EQ(j["kind"], "won_back");
  EXPECT_EQ(j["status"], "active");
  EXPECT_EQ(j["occurred_on"], "2026-03-01");
}

TEST_F(ChurnCliTest, ReportTableAndJson) {
  ASSERT_EQ(
      Tenure("churn lost C1 --type negligence --reason no_contact,price --on 2026-02-01" + Db())
          .code,
      0);
  ASSERT_EQ(Tenure("churn lost C4 --type competition --reason price --on 2026-03-10" + Db()).code,
            0);
  Outcome table = Tenure("churn report --by reason --from 2026-01-01 --to 2026-03-31" + Db());
  EXPECT_EQ(table.code, 0) << table.output;
  EXPECT_NE(table.output.find("Losses by reason (3 mentions)"), std::string::npos) << table.output;
  EXPECT_NE(table.output.find("2026-02-01 2026-02-28         4      1   25.0%"), std::string::npos)
      << table.output;

  Outcome out = Tenure(
      "churn report --json --period quarter --as-of 2026-03-31 --segment city" + Db(), false);
  ASSERT_EQ(out.code, 0) << out.output;
  json j = json::parse(out.output);
  ExpectKeys(j, {"from", "to", "period", "segment", "losses", "lost_revenue", "reason_mentions",
                 "periods", "by_type", "by_reason", "by_owner", "by_segment"});
  EXPECT_EQ(j["from"], "2024-04-01");  // 8 quarters
  EXPECT_EQ(j["periods"].size(), 8u);
  ExpectKeys(j["periods"][7],
             {"start", "end", "active_at_start", "lost", "churn_rate", "lost_revenue"});
  EXPECT_EQ(j["periods"][7]["lost"], 2);
  EXPECT_DOUBLE_EQ(j["periods"][7]["churn_rate"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(j["lost_revenue"].get<double>(), 120.5);
  ExpectKeys(j["by_reason"][0],
             {"key", "label", "losses", "share", "cumulative_share", "lost_revenue"});
  EXPECT_EQ(j["by_reason"][0]["key"], "price");
  EXPECT_EQ(j["by_segment"][0]["key"], "Lyon");

  EXPECT_EQ(Tenure("churn report --period week" + Db()).code, 2);
  EXPECT_EQ(Tenure("churn report --by colour" + Db()).code, 2);
  EXPECT_EQ(Tenure("churn report --segment colour" + Db()).code, 2);
  EXPECT_EQ(Tenure("churn report --from 2026-13-01" + Db()).code, 2);
}

TEST_F(ChurnCliTest, HandoverDryRunRunAndReport) {
  Outcome dry = Tenure("handover --from ann --to ben,cat --dry-run --json" + Db(), false);
  ASSERT_EQ(dry.code, 0) << dry.output;
  json plan = json::parse(dry.output);
  ExpectKeys(plan, {"from", "method", "at", "dry_run", "deactivated", "customers",
                    "open_items_elsewhere", "receivers", "assignments"});
  EXPECT_EQ(plan["dry_run"], true);
  EXPECT_EQ(plan["customers"], 3);
  ExpectKeys(plan["assignments"][0], {"customer_id", "customer", "name", "province", "city", "to",
                                      "activities", "opportunities", "complaints"});
  EXPECT_EQ(plan["assignments"][1]["to"], "cat");
  Outcome still = Tenure("handover --from ann --to ben --dry-run" + Db());
  EXPECT_NE(still.output.find("Plan: hand over 3 customers of ann"), std::string::npos)
      << still.output;
  EXPECT_NE(still.output.find("dry run: nothing was written"), std::string::npos);
  auto moved = testing::TableUnder(still.output, {"customer", "name", "region", "to"});
  ASSERT_TRUE(moved) << still.output;
  EXPECT_EQ(*moved, (std::vector<std::vector<std::string>>{{"C1", "Acme", "North/Lyon", "ben"},
                                                           {"C2", "Bolt", "South/Nice", "ben"},
                                                           {"C3", "Cord", "South/Nice", "ben"}}))
      << still.output;

  EXPECT_EQ(Tenure("handover --from ann --to ann,ben" + Db()).code, 2);
  EXPECT_EQ(Tenure("handover --from zed --to ben" + Db()).code, 1);
  EXPECT_EQ(Tenure("handover --from ann --to ben --by alphabet" + Db()).code, 2);
  Outcome none = Tenure("handover report --from ann --as-of 2026-06-30" + Db());
  EXPECT_EQ(none.code, 1);
  EXPECT_NE(none.output.find("no customers were handed over from 'ann'"), std::string::npos);

  Outcome run = Tenure(
      "handover --from ann --to ben,cat --by region --at 2026-05-01T09:00:00Z"
      " --deactivate" +
      Db());
  EXPECT_EQ(run.code, 0) << run.output;
  EXPECT_NE(run.output.find("Handed over 3 customers of ann at 2026-05-01T09:00:00Z (by region)"),
            std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("ann is now inactive"), std::string::npos);
  // ann is inactive now: she cannot receive.
  EXPECT_EQ(Tenure("handover --from ben --to ann" + Db()).code, 2);

  Outcome report = Tenure("handover report --from ann --as-of 2026-06-30 --json" + Db(), false);
  ASSERT_EQ(report.code, 0) << report.output;
  json r = json::parse(report.output);
  ExpectKeys(r, {"from", "handover_on", "as_of", "handed_over", "handed", "others"});
  ExpectKeys(r["handed"],
             {"customers", "lost", "lost_share", "orders", "sales", "orders_per_customer",
              "sales_per_customer", "contacted", "contacted_share"});
  EXPECT_EQ(r["handover_on"], "2026-05-01");
  EXPECT_EQ(r["handed"]["customers"], 3);
  EXPECT_EQ(r["others"]["customers"], 1);
  Outcome text = Tenure("handover report --from ann --as-of 2026-06-30" + Db());
  EXPECT_EQ(text.code, 0);
  EXPECT_NE(text.output.find("Customers handed over from ann on 2026-05-01 (3 in all), 60 days"),
            std::string::npos)
      << text.output;
  // Without --as-of, to today: the only order (2026-01-05) is more than
  // half a year old by now, which the report says (engine/history_age.h).
  Outcome today = Tenure("handover report --from ann" + Db());
  EXPECT_EQ(today.code, 0) << today.output;
  EXPECT_NE(today.output.find("the comparison runs to today — pass --as-of 2026-01-05 to end it "
                              "with the history"),
            std::string::npos)
      << today.output;
}

}  // namespace
}  // namespace tenure
