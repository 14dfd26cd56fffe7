// The demo company: reproducible from its seed, and holding what the demo
// promises (teams with managers, departures and handovers, every churn type,
// won-back customers, late payers and defaulters, overdue follow-ups,
// renewed and cancelled contracts, lost customers).
#include "engine/demo.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "engine/accounts.h"
#include "engine/exporter.h"
#include "engine/metrics.h"
#include "store/migrations.h"
#include "testing/temp_dir.h"

namespace tenure::engine {
namespace {

using tenure::testing::ReadFile;
using tenure::testing::TempDir;

constexpr int64_t kCustomers = 3000;
constexpr const char* kAsOf = "2025-06-30";

DemoOptions Options(uint64_t seed) {
  DemoOptions options;
  options.customers = kCustomers;
  options.seed = seed;
  options.as_of = kAsOf;
  return options;
}

class DemoTest : public ::testing::Test {
 protected:
  // Opens (creating) NAME.db in the test's directory.
  std::unique_ptr<store::Database> Open(const std::string& name) {
    auto db = store::OpenStore(dir_.File(name + ".db"));
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return db.ok() ? std::move(*db) : nullptr;
  }

  // A database holding the demo company for `options`.
  std::unique_ptr<store::Database> Generate(const std::string& name, const DemoOptions& options) {
    auto db = Open(name);
    if (!db) return nullptr;
    auto report = GenerateDemo(*db, options);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return db;
  }

  // Every entity of `db` exported as CSV text, by table name.
  std::map<std::string, std::string> ExportAll(store::Database& db, const std::string& name) {
    std::map<std::string, std::string> out;
    for (const domain::EntitySpec& spec : domain::AllEntities()) {
      ExportOptions options;
      options.spec = &spec;
      options.out_path = dir_.File(name + "-" + std::string(spec.name) + ".csv");
      auto rows = ExportEntity(db, options);
      EXPECT_TRUE(rows.ok()) << spec.name << ": " << rows.status().ToString();
      out[std::string(spec.name)] = ReadFile(options.out_path);
    }
    return out;
  }

  static int64_t Count(store::Database& db, const std::string& sql) {
    auto n = store::QueryInt(db, sql);
    EXPECT_TRUE(n.ok()) << sql << ": " << n.status().ToString();
    return n.ok() ? *n : -1;
  }

  TempDir dir_;
};

TEST_F(DemoTest, SameSeedGivesIdenticalTablesAndAnotherSeedDiffers) {
  auto first = Generate("first", Options(7));
  DemoOptions threaded = Options(7);
  threaded.generator_threads = 3;  // chunks finish out of order; the rows must not
  auto second = Generate("second", threaded);
  auto other = Generate("other", Options(8));
  ASSERT_TRUE(first && second && other);

  auto a = ExportAll(*first, "first");
  auto b = ExportAll(*second, "second");
  auto c = ExportAll(*other, "other");
  for (const auto& [table, csv] : a) {
    EXPECT_EQ(csv, b[table]) << table << " differs between two runs with the same seed";
  }
  for (const char* table : {"customers", "orders", "activities", "churn_events", "invoices"}) {
    EXPECT_GT(a[table].size(), 1000u) << table;
    EXPECT_NE(a[table], c[table]) << table << " is the same for seeds 7 and 8";
  }
  // Row times come from --as-of, never the clock: 2025-06-30T18:00:00Z.
  EXPECT_EQ(Count(*first,
                  "SELECT count(*) FROM orders WHERE created_at <> 1751306400"
                  " OR updated_at <> 1751306400"),
            0);
}

TEST_F(DemoTest, CompanyHasTeamsLoginsDeparturesAndHandovers) {
  auto db = Generate("demo", Options(1));
  ASSERT_TRUE(db);
  store::Database& d = *db;
  EXPECT_EQ(Count(d, "SELECT count(*) FROM customers"), kCustomers);
  EXPECT_EQ(Count(d, "SELECT count(*) FROM customers WHERE external_id = 'C0000001'"), 1);
  EXPECT_EQ(Count(d, "SELECT count(*) FROM customers WHERE external_id = 'C0003000'"), 1);

  // One login per role, no password yet.
  EXPECT_EQ(Count(d,
                  "SELECT count(*) FROM users WHERE password_hash IS NULL AND"
                  " ((username = 'admin' AND role = 0) OR (username = 'manager' AND role = 1)"
                  " OR (username = 'sales' AND role = 2) OR (username = 'service' AND role = 3))"),
            4);
  // Every team has a manager, a manager of that team.
  EXPECT_GE(Count(d, "SELECT count(*) FROM teams"), 2);
  EXPECT_EQ(Count(d,
                  "SELECT count(*) FROM teams t LEFT JOIN users u ON u.id = t.manager_id"
                  " WHERE u.role IS NOT 1 OR u.team_id IS NOT t.id"),
            0);
  // Salespeople left; their customers went to colleagues on the day they left.
  EXPECT_GT(Count(d,
                  "SELECT count(*) FROM users WHERE role = 2 AND active = 0"
                  " AND left_on IS NOT NULL"),
            0);
  EXPECT_GT(Count(d, "SELECT count(*) FROM ownership_changes"), 0);
  EXPECT_EQ(Count(d,
                  "SELECT count(*) FROM ownership_changes o JOIN users f ON f.id = o.from_user_id"
                  " JOIN users t ON t.id = o.to_user_id WHERE f.left_on IS NULL"
                  " OR date(o.changed_at, 'unixepoch') <> f.left_on OR t.role <> 2"),
            0);
  EXPECT_EQ(Count(d,
                  "SELECT count(*) FROM customers c JOIN users u ON u.id = c.owner_id"
                  " WHERE u.active = 0 OR u.role <> 2 OR u.team_id IS NOT c.team_id"),
            0);
  // Complaints go to service agents, activities are the salespeople's.
  EXPECT_EQ(Count(d,
                  "SELECT count(*) FROM complaints c JOIN users u ON u.id = c.assignee_id"
                  " WHERE u.role <> 3"),
            0);
  EXPECT_EQ(Count(d,
                  "SELECT count(*) FROM activities a JOIN users u ON u.id = a.user_id"
                  " WHERE u.role <> 2"),
            0);
  // The derived metrics are filled, and agree with a rebuild from scratch.
  EXPECT_EQ(Count(d, "SELECT count(*) FROM customers WHERE order_count <> 0"),
            Count(d, "SELECT count(DISTINCT customer_id) FROM orders WHERE status <> 2"));
  EXPECT_EQ(Count(d, "SELECT sum(cumulative_sales) FROM customers"),
            Count(d, "SELECT sum(amount) FROM orders WHERE status <> 2"));
  auto rebuilt = RebuildMetrics(d);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status().ToString();
  EXPECT_EQ(rebuilt->metrics_changed, 0);
  // So do the record tables written with each customer, and the triggers
  // that keep them are back after the load.
  EXPECT_EQ(rebuilt->record_tables_changed, 0);
  EXPECT_EQ(Count(d, "SELECT count(*) FROM customers WHERE record_tables & 16 <> 0"),
            Count(d, "SELECT count(DISTINCT customer_id) FROM orders"));
  EXPECT_EQ(Count(d,
                  "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                  " AND name LIKE '%record_tables%'"),
            22);
  // A customer's row was created on its first day (the acquisition, for a
  // customer that is not a lead) and last updated by a handover or a change
  // of status, never before it was created nor after the as-of date.
  EXPECT_EQ(Count(d,
                  "SELECT count(*) FROM customers WHERE acquired_on IS NOT NULL"
                  " AND date(created_at, 'unixepoch') <> acquired_on"),
            0);
  EXPECT_EQ(Count(d,
                  "SELECT count(*) FROM customers WHERE updated_at < created_at"
                  " OR updated_at > unixepoch('2025-06-30 23:59:59')"),
            0);
  EXPECT_GT(Count(d, "SELECT count(*) FROM customers WHERE updated_at > created_at"),
            kCustomers / 10);
  EXPECT_EQ(Count(d,
                  "SELECT count(*) FROM customers c WHERE updated_at = created_at AND"
                  " EXISTS (SELECT 1 FROM ownership_changes o WHERE o.customer_id = c.id)"),
            0);
  // The dropped indexes are back.
  EXPECT_EQ(Count(d,
                  "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                  " AND name IN ('orders_customer', 'activities_open_follow_up',"
                  " 'customers_external_id', 'churn_event_reasons_reason')"),
            4);
}

TEST_F(DemoTest, CustomersBuyLeaveForEveryReasonAndSomeComeBack) {
  auto db = Generate("demo", Options(1));
  ASSERT_TRUE(db);
  store::Database& d = *db;
  // About ten orders per buying customer, heterogeneous (far more spread than
  // Poisson's variance = mean), with cost 60-80% of the amount.
  int64_t buyers = Count(d, "SELECT count(DISTINCT customer_id) FROM orders");
  int64_t orders = Count(d, "SELECT count(*) FROM orders");
  EXPECT_GT(orders, 7 * buyers);
  EXPECT_LT(orders, 14 * buyers);
  EXPECT_GT(Count(d,
                  "SELECT CAST(avg(n * n) - avg(n) * avg(n) AS INTEGER) FROM"
                  " (SELECT count(*) AS n FROM orders GROUP BY customer_id)"),
            3 * orders / buyers);
  EXPECT_EQ(Count(d,
                  "SELECT count(*) FROM orders WHERE cost * 100 < amount * 59"
                  " OR cost * 100 > amount * 81"),
            0);

  // Every churn type, each lost event with reasons.
  for (int type = 0; type < 4; ++type) {
    EXPECT_GT(Count(d, "SELECT count(*) FROM churn_events WHERE kind = 0 AND churn_type = " +
                           std::to_string(type)),
              0)
        << "churn type " << type;
  }
  EXPECT_EQ(Count(d,
                  "SELECT count(*) FROM churn_events e WHERE kind = 0 AND NOT EXISTS"
                  " (SELECT 1 FROM churn_event_reasons r WHERE r.churn_event_id = e.id)"),
            0);
  auto with_reason = [&](const std::string& type, const std::string& code) {
    return Count(d,
                 "SELECT count(*) FROM churn_events e JOIN churn_event_reasons er"
                 " ON er.churn_event_id = e.id JOIN churn_reasons r ON r.id = er.reason_id"
                 " WHERE e.kind = 0 AND e.churn_type = " +
                     type + " AND r.code = '" + code + "'");
  };
  EXPECT_GT(with_reason("1", "credit_default"), 0);
  EXPECT_GT(with_reason("2", "price") + with_reason("2", "competitor_offer"), 0);
  EXPECT_GT(with_reason("3", "slow_response"), 0);
  EXPECT_GT(with_reason("3", "salesperson_left"), 0);
  EXPECT_EQ(
      Count(d, "SELECT count(*) FROM churn_events WHERE churn_type = 2 AND competitor IS NULL"), 0);
  // Customers handed over by a departing salesperson are lost more often.
  int64_t handed = Count(d, "SELECT count(DISTINCT customer_id) FROM ownership_changes");
  int64_t handed_lost = Count(d,
                              "SELECT count(*) FROM customers WHERE status = 3 AND id IN"
                              " (SELECT customer_id FROM ownership_changes)");
  int64_t lost = Count(d, "SELECT count(*) FROM customers WHERE status = 3");
  EXPECT_GT(handed_lost * kCustomers, lost * handed);

  // Won back, and status follows the latest event.
  EXPECT_GT(Count(d, "SELECT count(*) FROM churn_events WHERE kind = 1"), 0);
  EXPECT_GT(lost, 0);
  const std::string latest =
      "SELECT e.customer_id, e.kind FROM churn_events e WHERE NOT EXISTS (SELECT 1 FROM"
      " churn_events l WHERE l.customer_id = e.customer_id AND (l.occurred_on > e.occurred_on"
      " OR (l.occurred_on = e.occurred_on AND l.id > e.id)))";
  EXPECT_EQ(Count(d, "SELECT count(*) FROM (" + latest + ") x WHERE x.kind = 0"), lost);
  EXPECT_EQ(Count(d, "SELECT count(*) FROM (" + latest +
                         ") x JOIN customers c"
                         " ON c.id = x.customer_id WHERE x.kind = 1 AND c.status <> 2"),
            0);
}

// A silence of months before the last order (the owner stopped calling a
// customer used to calls) ends in a "no contact" loss far more often: 2.9
// times as often here (1.2 times before the generator planned such
// silences). 20,000 customers, so that the two shares are measured to a few
// points.
TEST_F(DemoTest, LongSilencesEndInNoContactLosses) {
  DemoOptions options = Options(1);
  options.customers = 20000;
  auto db = Generate("silences", options);
  ASSERT_TRUE(db);
  store::Database& d = *db;
  const std::string silences =
      "WITH last_order AS (SELECT customer_id, max(order_date) AS day FROM orders"
      " GROUP BY customer_id),"
      " silence AS (SELECT o.customer_id, julianday(o.day) - julianday((SELECT"
      " max(a.occurred_at) FROM activities a WHERE a.customer_id = o.customer_id"
      " AND a.occurred_at < unixepoch(o.day)), 'unixepoch') AS days FROM last_order o),"
      " lost AS (SELECT e.customer_id, max(r.code = 'no_contact') AS no_contact"
      " FROM churn_events e JOIN churn_event_reasons er ON er.churn_event_id = e.id"
      " JOIN churn_reasons r ON r.id = er.reason_id WHERE e.kind = 0 GROUP BY e.customer_id)"
      " SELECT no_contact FROM lost JOIN silence s USING (customer_id)"
      " JOIN customers c ON c.id = customer_id WHERE c.level IN ('A', 'B') AND s.days ";
  auto share = [&](const std::string& condition) {
    int64_t n = Count(d, "SELECT count(*) FROM (" + silences + condition + ")");
    int64_t no_contact = Count(d, "SELECT sum(no_contact) FROM (" + silences + condition + ")");
    EXPECT_GT(n, 300) << condition;
    return n <= 0 ? 0.0 : static_cast<double>(no_contact) / static_cast<double>(n);
  };
  EXPECT_GT(share("> 120"), 2 * share("<= 120"));
}

TEST_F(DemoTest, InvoicesContractsAndFollowUpsHaveTheirTroubles) {
  auto db = Generate("demo", Options(1));
  ASSERT_TRUE(db);
  store::Database& d = *db;
  // Late payers and defaulters; defaulters tend to leave as malicious.
  EXPECT_GT(Count(d, "SELECT count(*) FROM invoices WHERE paid_on > due_on"), 0);
  const std::string defaulted =
      "SELECT DISTINCT customer_id FROM invoices WHERE paid_amount < amount"
      " AND due_on < date('2025-06-30', '-60 days')";
  int64_t defaulters = Count(d, "SELECT count(*) FROM (" + defaulted + ")");
  EXPECT_GT(defaulters, 0);
  EXPECT_GT(2 * Count(d,
                      "SELECT count(DISTINCT customer_id) FROM churn_events WHERE"
                      " churn_type = 1 AND customer_id IN (" +
                          defaulted + ")"),
            defaulters);
  EXPECT_EQ(Count(d,
                  "SELECT count(*) FROM invoices WHERE paid_amount > amount"
                  " OR paid_on > '2025-06-30' OR due_on < issued_on"),
            0);

  // Renewals of the customer's own contracts, and cancellations.
  EXPECT_GT(Count(d, "SELECT count(*) FROM contracts WHERE renewal_of IS NOT NULL"), 0);
  EXPECT_EQ(Count(d,
                  "SELECT count(*) FROM contracts c JOIN contracts p ON p.id = c.renewal_of"
                  " WHERE p.customer_id <> c.customer_id OR c.start_date <= p.end_date"),
            0);
  EXPECT_GT(Count(d,
                  "SELECT count(*) FROM contracts WHERE status = 2 AND cancelled_on IS NOT NULL"
                  " AND cancelled_on >= signed_on"),
            0);

  // Follow-ups overdue, due today and due later this week.
  EXPECT_GT(Count(d,
                  "SELECT count(*) FROM activities WHERE follow_up_done = 0"
                  " AND follow_up_on < '2025-06-30'"),
            0);
  EXPECT_GT(Count(d,
                  "SELECT count(*) FROM activities WHERE follow_up_done = 0"
                  " AND follow_up_on = '2025-06-30'"),
            0);
  EXPECT_GT(Count(d,
                  "SELECT count(*) FROM activities WHERE follow_up_done = 0"
                  " AND follow_up_on BETWEEN '2025-07-01' AND '2025-07-06'"),
            0);
  // Nothing happens after the as-of date.
  EXPECT_EQ(Count(d, "SELECT count(*) FROM activities WHERE occurred_at > 1751306400"), 0);
  EXPECT_EQ(Count(d, "SELECT count(*) FROM orders WHERE order_date > '2025-06-30'"), 0);
  EXPECT_EQ(Count(d,
                  "SELECT count(*) FROM complaints WHERE resolved_at > 1751306400"
                  " OR resolved_at < opened_at"),
            0);
  // Won and lost opportunities, the lost ones with a reason.
  EXPECT_GT(Count(d, "SELECT count(*) FROM opportunities WHERE stage = 5"), 0);
  EXPECT_EQ(Count(d, "SELECT count(*) FROM opportunities WHERE stage = 6 AND lost_reason IS NULL"),
            0);
  EXPECT_GT(Count(d, "SELECT count(*) FROM quotations WHERE status = 2"), 0);
}

TEST_F(DemoTest, RefusesBadOptionsAndAFilledDatabase) {
  auto db = Open("demo");
  ASSERT_TRUE(db);
  for (int64_t customers : {0, -5}) {
    DemoOptions options = Options(1);
    options.customers = customers;
    auto report = GenerateDemo(*db, options);
    ASSERT_FALSE(report.ok());
    EXPECT_EQ(report.status().code(), Status::Code::kInvalidArgument);
    EXPECT_EQ(report.status().field(), "--customers");
  }
  for (const char* as_of : {"2025-13-01", "yesterday", "1969-12-31"}) {
    DemoOptions options = Options(1);
    options.as_of = as_of;
    auto report = GenerateDemo(*db, options);
    ASSERT_FALSE(report.ok()) << as_of;
    EXPECT_EQ(report.status().field(), "--as-of") << as_of;
    EXPECT_NE(report.status().message().find(as_of), std::string::npos);
  }
  EXPECT_EQ(Count(*db, "SELECT count(*) FROM users"), 0);

  DemoOptions small = Options(1);
  small.customers = 20;
  ASSERT_TRUE(GenerateDemo(*db, small).ok());
  auto again = GenerateDemo(*db, small);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), Status::Code::kAlreadyExists);
  EXPECT_EQ(again.status().field(), "--db");
  EXPECT_EQ(Count(*db, "SELECT count(*) FROM customers"), 20);
}

// The login page of a demo company lists one login per role and the password
// `tenure demo --login-password` gave them; a database that is not a demo
// lists nobody and refuses a demo password.
TEST_F(DemoTest, ADemoListsItsLoginsAndARealCompanyNone) {
  auto plain = Open("plain");
  ASSERT_TRUE(plain);
  auto none = LoadDemoLogins(*plain);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_FALSE(none->demo);
  EXPECT_TRUE(none->users.empty());
  Status refused = SetDemoPassword(*plain, "tenure-demo");
  EXPECT_EQ(refused.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(refused.field(), "--db");

  DemoOptions small = Options(1);
  small.customers = 20;
  auto db = Generate("logins", small);
  ASSERT_TRUE(db);
  auto logins = LoadDemoLogins(*db);
  ASSERT_TRUE(logins.ok()) << logins.status().ToString();
  EXPECT_TRUE(logins->demo);
  EXPECT_EQ(logins->password, "");
  ASSERT_EQ(logins->users.size(), 4u);
  for (size_t role = 0; role < 4; ++role) {
    EXPECT_EQ(logins->users[role].second, static_cast<domain::UserRole>(role));
  }
  EXPECT_EQ(SetDemoPassword(*db, "short").field(), "password");
  ASSERT_TRUE(SetDemoPassword(*db, "tenure-demo").ok());
  logins = LoadDemoLogins(*db);
  ASSERT_TRUE(logins.ok());
  EXPECT_EQ(logins->password, "tenure-demo");
  for (const auto& [username, role] : logins->users) {
    auto session = Login(*db, username, "tenure-demo", "127.0.0.1", NowUtc());
    EXPECT_TRUE(session.ok()) << username << ": " << session.status().ToString();
  }
}

}  // namespace
}  // namespace tenure::engine
