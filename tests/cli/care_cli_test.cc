// `tenure complaint ...`, `tenure credit ...` and `tenure order add` as a user
// runs them: exit codes (0 ok, 1 refused, 2 bad usage), messages, --json keys,
// and a refused order that leaves the orders as they were.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "testing/run_tenure.h"
#include "testing/temp_dir.h"

namespace tenure {
namespace {

using nlohmann::json;
using testing::TempDir;

using testing::Outcome;
using testing::Tenure;

bool Has(const Outcome& o, const std::string& text) {
  return o.output.find(text) != std::string::npos;
}

json Json(const Outcome& o) {
  json j = json::parse(o.output, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(j.is_discarded()) << o.output;
  return j;
}

class CareCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Import("users", "username,role\nalice,sales\nsam,service\n");
    Import("customers",
           "customer_id,name,owner,credit_limit\nC1,Acme,alice,1000\nC2,Bolt,alice,\n");
    Import("invoices",
           "invoice_id,customer_id,issued_on,due_on,amount,paid_amount,paid_on\n"
           "I1,C1,2026-02-20,2026-03-22,600,0,\n"
           "I2,C2,2026-06-01,2026-06-20,50,0,\n");
    Import("orders", "order_id,customer_id,order_date,amount\nO1,C1,2026-02-20,600\n");
    Import("complaints",
           "complaint_id,customer_id,category,severity,status,opened_at,resolved_at,satisfaction\n"
           "K2,C2,billing,low,closed,2026-02-01T00:00:00Z,2026-02-01T10:00:00Z,5\n");
  }

  void Import(const std::string& entity, const std::string& csv) {
    Outcome o = Tenure("import " + entity + " " + dir_.Write(entity + ".csv", csv) + Db());
    ASSERT_EQ(o.code, 0) << o.output;
  }

  std::string Db() { return " --db " + dir_.File("t.db"); }

  int Orders() {
    Outcome csv = Tenure("export orders" + Db());
    int lines = 0;
    for (char c : csv.output) lines += c == '\n';
    return lines - 1;  // the header
  }

  TempDir dir_;
};

TEST_F(CareCliTest, ComplaintLifecycle) {
  Outcome add = Tenure(
      "complaint add --customer C1 --category delivery --severity high --assignee sam"
      " --at 2026-03-01T08:00:00Z --id K1" +
      Db());
  EXPECT_EQ(add.code, 0) << add.output;
  EXPECT_TRUE(Has(add, "Recorded complaint K1")) << add.output;

  Outcome bad = Tenure("complaint add --customer C1 --category x --severity urgent" + Db());
  EXPECT_EQ(bad.code, 2) << bad.output;
  EXPECT_TRUE(Has(bad, "--severity: unknown severity 'urgent'")) << bad.output;
  Outcome nobody = Tenure("complaint add --customer C9 --category x" + Db());
  EXPECT_EQ(nobody.code, 1) << nobody.output;
  EXPECT_TRUE(Has(nobody, "unknown customer 'C9'")) << nobody.output;

  EXPECT_EQ(Tenure("complaint status K1 in_progress" + Db()).code, 0);
  Outcome same = Tenure("complaint status K1 in_progress" + Db());
  EXPECT_EQ(same.code, 1);
  EXPECT_TRUE(Has(same, "it is in_progress already")) << same.output;
  EXPECT_EQ(Tenure("complaint status K1 someday" + Db()).code, 2);

  Outcome resolved = Tenure(
      "complaint resolve K1 --resolution 'sent a replacement' --satisfaction 4"
      " --at 2026-03-01T18:00:00Z --json" +
      Db());
  ASSERT_EQ(resolved.code, 0) << resolved.output;
  json r = Json(resolved);
  EXPECT_EQ(r["status"], "resolved");
  EXPECT_EQ(r["satisfaction"], 4);
  EXPECT_EQ(r["resolved_at"], "2026-03-01T18:00:00Z");
  EXPECT_EQ(r["version"], 3);

  Outcome back = Tenure("complaint status K1 open" + Db());
  EXPECT_EQ(back.code, 1);
  EXPECT_TRUE(Has(back, "use `complaint reopen`")) << back.output;
  EXPECT_EQ(Tenure("complaint close K1" + Db()).code, 0);
  EXPECT_EQ(Tenure("complaint reopen K1" + Db()).code, 0);
  Outcome assign = Tenure("complaint assign K1 --to alice" + Db());
  EXPECT_EQ(assign.code, 0) << assign.output;
  EXPECT_TRUE(Has(assign, "assigned to alice")) << assign.output;
  EXPECT_EQ(Tenure("complaint close K9" + Db()).code, 1);

  // Reopened, K1 is open again: past its 24 hours since 2026-03-02T08:00Z.
  Outcome list = Tenure("complaint list --overdue --as-of 2026-03-31 --json" + Db());
  ASSERT_EQ(list.code, 0) << list.output;
  json l = Json(list);
  EXPECT_EQ(l["as_of"], "2026-03-31");
  ASSERT_EQ(l["complaints"].size(), 1u);
  json k1 = l["complaints"][0];
  EXPECT_EQ(k1["external_id"], "K1");
  EXPECT_EQ(k1["assignee"], "alice");
  EXPECT_EQ(k1["deadline"], "2026-03-02T08:00:00Z");
  EXPECT_DOUBLE_EQ(k1["hours_overdue"].get<double>(), 29 * 24 + 16);
  for (const char* key : {"id", "customer", "kind", "category", "severity", "status", "opened_at",
                          "resolved_at", "satisfaction", "overdue"}) {
    EXPECT_TRUE(k1.contains(key)) << key;
  }
  Outcome text = Tenure("complaint list --status closed" + Db());
  EXPECT_EQ(text.code, 0);
  EXPECT_TRUE(Has(text, "1 complaints")) << text.output;

  Outcome report = Tenure("complaint report --to 2026-03-31 --period quarter --json" + Db());
  ASSERT_EQ(report.code, 0) << report.output;
  json rep = Json(report);
  EXPECT_EQ(rep["opened"], 2);
  EXPECT_EQ(rep["time_to_resolve"]["all"]["resolved"], 1);
  EXPECT_DOUBLE_EQ(rep["time_to_resolve"]["all"]["mean_hours"].get<double>(), 10);
  EXPECT_EQ(rep["time_to_resolve"]["by_severity"]["low"]["within_deadline"], 1);
  EXPECT_EQ(rep["open"]["overdue"], 1);
  EXPECT_EQ(rep["open"]["by_severity"]["high"]["deadline_hours"], 24);
  ASSERT_EQ(rep["by_category"].size(), 2u);
  EXPECT_EQ(rep["by_category"][0]["period"], "2026-Q1");
  EXPECT_EQ(Tenure("complaint report --period week" + Db()).code, 2);
  Outcome plain = Tenure("complaint report --to 2026-03-31" + Db());
  EXPECT_EQ(plain.code, 0);
  EXPECT_TRUE(Has(plain, "Time to resolve")) << plain.output;
}

TEST_F(CareCliTest, CreditShowRateAndDefaulters) {
  Outcome show = Tenure("credit show C1 --as-of 2026-06-30 --json" + Db());
  ASSERT_EQ(show.code, 0) << show.output;
  json f = Json(show);
  EXPECT_EQ(f["rating"], "D");
  EXPECT_EQ(f["oldest_overdue_days"], 100);
  EXPECT_DOUBLE_EQ(f["open_balance"].get<double>(), 600);
  EXPECT_DOUBLE_EQ(f["limit_use"].get<double>(), 0.6);
  EXPECT_EQ(f["reasons"][0], "D: an invoice is 100 days overdue (more than 90)");
  for (const char* key : {"invoices", "paid_on_time", "paid_late", "average_days_late",
                          "max_days_late", "overdue_amount", "credit_limit", "stored_rating"}) {
    EXPECT_TRUE(f.contains(key)) << key;
  }
  // The thresholds come from tenure.conf: 100 days overdue is C when D
  // starts after 120 days.
  std::string lenient = dir_.Write("lenient.conf", "credit_d_overdue_days = 120\n");
  Outcome c = Tenure("--config " + lenient + " credit show C1 --as-of 2026-06-30 --json" + Db());
  ASSERT_EQ(c.code, 0) << c.output;
  EXPECT_EQ(Json(c)["rating"], "C");
  EXPECT_EQ(Json(c)["reasons"][0], "C: an invoice is 100 days overdue (more than 30)");
  std::string bad = dir_.Write("bad.conf", "credit_b_late_grace_days = -1\n");
  Outcome refused = Tenure("--config " + bad + " credit show C1" + Db(), true);
  EXPECT_EQ(refused.code, 1) << refused.output;
  EXPECT_TRUE(Has(refused, "bad.conf:1: bad value '-1'")) << refused.output;
  Outcome text = Tenure("credit show C1 --as-of 2026-06-30" + Db());
  EXPECT_EQ(text.code, 0);
  EXPECT_TRUE(Has(text, "rating              D")) << text.output;
  EXPECT_EQ(Tenure("credit show C9" + Db()).code, 1);
  EXPECT_EQ(Tenure("credit show C1 --as-of yesterday" + Db()).code, 2);

  Outcome rate = Tenure("credit rate --as-of 2026-06-30" + Db());
  EXPECT_EQ(rate.code, 0) << rate.output;
  EXPECT_TRUE(Has(rate, "Rated 2 customers as of 2026-06-30 (2 changed): A 0 B 1 C 0 D 1"))
      << rate.output;
  Outcome again = Tenure("credit rate --as-of 2026-06-30 --json" + Db());
  EXPECT_EQ(Json(again)["changed"], 0);

  Outcome defaulters = Tenure("credit defaulters --as-of 2026-06-30 --json" + Db());
  ASSERT_EQ(defaulters.code, 0) << defaulters.output;
  json d = Json(defaulters);
  EXPECT_EQ(d["min_days"], 60);
  ASSERT_EQ(d["defaulters"].size(), 1u);  // C2 is only 10 days overdue
  json c1 = d["defaulters"][0];
  EXPECT_EQ(c1["customer"], "C1");
  EXPECT_EQ(c1["owner"], "alice");
  EXPECT_EQ(c1["still_orders"], false);
  EXPECT_EQ(c1["last_order_date"], "2026-02-20");
  EXPECT_TRUE(c1.contains("days_since_last_contact"));
  Outcome both = Tenure("credit defaulters --as-of 2026-06-30 --min-days 5 --json" + Db());
  EXPECT_EQ(Json(both)["defaulters"].size(), 2u);
}

TEST_F(CareCliTest, OrderOverTheLimitIsRefusedOrFlagged) {
  std::string refuse = dir_.Write("refuse.conf", "credit_policy = refuse\n");
  int before = Orders();
  Outcome refused =
      Tenure("--config " + refuse +
             " order add --customer C1 --date 2026-06-30 --amount 500 --id O9" + Db());
  EXPECT_EQ(refused.code, 1) << refused.output;
  EXPECT_TRUE(Has(refused, "credit limit of 1000.00; receivables 600.00 + order 500.00 = 1100.00"))
      << refused.output;
  EXPECT_EQ(Orders(), before);

  Outcome within = Tenure("--config " + refuse +
                          " order add --customer C1 --date 2026-06-30 --amount 400 --id O8" + Db());
  EXPECT_EQ(within.code, 0) << within.output;
  EXPECT_EQ(Orders(), before + 1);

  Outcome flagged = Tenure(
      "order add --customer C1 --date 2026-06-30 --amount 500 --cost 300"
      " --quantity 2 --id O9 --json" +
      Db());
  ASSERT_EQ(flagged.code, 0) << flagged.output;
  json o = Json(flagged);
  EXPECT_EQ(o["flagged"], true);
  EXPECT_DOUBLE_EQ(o["receivables"].get<double>(), 600);
  EXPECT_DOUBLE_EQ(o["credit_limit"].get<double>(), 1000);
  EXPECT_EQ(Orders(), before + 2);
  EXPECT_EQ(Tenure("order add --customer C1 --date 2026-06-30 --amount 1 --id O9" + Db()).code, 1);
  EXPECT_EQ(Tenure("order add --customer C1 --date 2026-13-01 --amount 1" + Db()).code, 2);
  EXPECT_EQ(Tenure("order add --customer C1 --date 2026-06-01 --amount 1.234" + Db()).code, 2);

  Outcome list = Tenure("credit flagged --json" + Db());
  ASSERT_EQ(list.code, 0) << list.output;
  json flags = Json(list)["flags"];
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0]["order"], "O9");
  EXPECT_EQ(flags[0]["customer"], "C1");
  EXPECT_DOUBLE_EQ(flags[0]["amount"].get<double>(), 500);
  Outcome text = Tenure("credit flagged" + Db());
  EXPECT_TRUE(Has(text, "1 flagged orders")) << text.output;
}

}  // namespace
}  // namespace tenure
