// Live customer metrics: each write that changes orders, invoices or
// activities updates the customers it touches, in the same transaction, and a
// rebuild from scratch gives the same columns.
#include "engine/metrics.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "engine/customer_profile.h"
#include "engine/import_fixture.h"
#include "store/customer_metrics.h"

namespace tenure::engine {
namespace {

class MetricsTest : public ImportFixture {
 protected:
  // Every customer's metric columns as one text, for comparing states.
  std::string Snapshot() {
    std::string row;
    for (const char* column :
         {"id", "first_order_date", "last_order_date", "order_count", "order_days",
          "cumulative_sales", "gross_profit", "printf('%.9f', avg_purchase_cycle_days)",
          "next_purchase_date", "last_contact_at", "receivables", "oldest_open_due_on"}) {
      row += std::string(row.empty() ? "" : " || ',' || ") + "quote(" + column + ")";
    }
    return Text("SELECT group_concat(row, '|') FROM (SELECT " + row +
                " AS row FROM customers ORDER BY id)");
  }

  CustomerMetrics Metrics(const std::string& external_id, const std::string& as_of) {
    auto profile = LoadCustomerProfile(*db_, external_id, *ParseIsoDate(as_of));
    EXPECT_TRUE(profile.ok()) << profile.status().ToString();
    return profile.ok() ? profile->metrics : CustomerMetrics{};
  }
};

TEST_F(MetricsTest, OrdersGiveDatesSalesProfitAndCycle) {
  ImportBasics();
  // C1: three order days (two orders on 2024-01-01), a cancelled order that
  // does not count, an order without a cost.
  ImportClean("orders",
              "id,customer,date,amount,cost,status\n"
              "o1,C1,2024-01-01,100.00,60.00,completed\n"
              "o2,C1,2024-01-01,50.00,20.00,completed\n"
              "o3,C1,2024-01-11,30.00,,completed\n"
              "o4,C1,2024-02-10,20.00,5.00,completed\n"
              "o5,C1,2024-06-01,999.00,1.00,cancelled\n");
  CustomerMetrics m = Metrics("C1", "2024-03-31");
  EXPECT_EQ(FormatDate(*m.first_order_date), "2024-01-01");
  EXPECT_EQ(FormatDate(*m.last_order_date), "2024-02-10");
  EXPECT_EQ(m.order_count, 4);
  EXPECT_EQ(m.order_days, 3);
  EXPECT_EQ(m.cumulative_sales, 20000);
  EXPECT_EQ(m.gross_profit, 20000 - 6000 - 2000 - 500);
  // (2024-02-10 - 2024-01-01) = 40 days over 2 gaps.
  ASSERT_TRUE(m.average_purchase_cycle_days);
  EXPECT_DOUBLE_EQ(*m.average_purchase_cycle_days, 20.0);
  EXPECT_EQ(FormatDate(*m.next_purchase_date), "2024-03-01");
  EXPECT_EQ(*m.days_overdue_to_buy, 30);  // 2024-03-31 - 2024-03-01

  // C2 never ordered: counts are zero and the rest unknown.
  CustomerMetrics none = Metrics("C2", "2024-03-31");
  EXPECT_EQ(none.order_count, 0);
  EXPECT_FALSE(none.first_order_date);
  EXPECT_FALSE(none.average_purchase_cycle_days);
  EXPECT_FALSE(none.next_purchase_date);
  EXPECT_FALSE(none.days_overdue_to_buy);
}

TEST_F(MetricsTest, OneOrderDayHasNoCycle) {
  ImportBasics();
  ImportClean("orders", "id,customer,date,amount\na,C2,2024-05-05,10\nb,C2,2024-05-05,5\n");
  CustomerMetrics m = Metrics("C2", "2024-06-01");
  EXPECT_EQ(m.order_count, 2);
  EXPECT_EQ(m.order_days, 1);
  EXPECT_FALSE(m.average_purchase_cycle_days);
  EXPECT_FALSE(m.next_purchase_date);
}

TEST_F(MetricsTest, ReceivablesAndContacts) {
  ImportBasics();
  ImportClean("invoices",
              "id,customer,due_on,amount,paid_amount\n"
              "i1,C1,2024-01-31,100.00,100.00\n"  // paid
              "i2,C1,2024-02-29,80.00,30.00\n"    // 50 open, due before as-of
              "i3,C1,2024-04-30,40.00,0\n");      // 40 open, not yet due
  ImportClean("activities",
              "id,customer,kind,occurred_at\n"
              "a1,C1,call,2024-03-01T10:00:00Z\n"
              "a2,C1,visit,2024-03-20T09:30:00Z\n");
  CustomerMetrics m = Metrics("C1", "2024-03-31");
  EXPECT_EQ(m.receivables, 9000);
  EXPECT_EQ(m.overdue_receivables, 5000);
  EXPECT_EQ(FormatDate(*m.oldest_open_due_on), "2024-02-29");
  EXPECT_EQ(FormatTimestamp(*m.last_contact_at), "2024-03-20T09:30:00Z");
  EXPECT_EQ(*m.days_since_last_contact, 11);
}

TEST_F(MetricsTest, ACorrectedFileUpdatesTheOldAndTheNewCustomer) {
  ImportBasics();
  ImportClean("orders", "id,customer,date,amount\no1,C1,2024-01-01,10\no2,C1,2024-01-05,20\n");
  EXPECT_EQ(Metrics("C1", "2024-02-01").cumulative_sales, 3000);
  // o2 moves to C2 and changes its amount.
  ImportClean("orders", "id,customer,date,amount\no1,C1,2024-01-01,10\no2,C2,2024-01-05,25\n");
  EXPECT_EQ(Metrics("C1", "2024-02-01").cumulative_sales, 1000);
  EXPECT_EQ(Metrics("C1", "2024-02-01").order_count, 1);
  EXPECT_EQ(Metrics("C2", "2024-02-01").cumulative_sales, 2500);
}

TEST_F(MetricsTest, RebuildGivesTheSameColumnsAsTheLiveUpdates) {
  ImportBasics();
  ImportClean("orders",
              "id,customer,date,amount,cost\no1,C1,2024-01-01,10,4\no2,C1,2024-01-09,20,\n"
              "o3,C2,2024-02-01,7.5,1\no4,C1,2024-03-03,1,1\n");
  ImportClean("invoices", "id,customer,due_on,amount,paid\ni1,C2,2024-02-15,7.5,2\n");
  ImportClean("activities", "id,customer,kind,occurred_at\na1,C2,call,2024-02-02T08:00:00Z\n");
  std::string live = Snapshot();
  ASSERT_NE(live, "<null>");
  auto changed = RebuildMetrics(*db_);
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_EQ(changed->metrics_changed, 0);
  EXPECT_EQ(changed->record_tables_changed, 0);
  EXPECT_EQ(Snapshot(), live);

  // Wipe the columns behind Tenure's back: the rebuild restores them.
  ASSERT_TRUE(db_->Exec("UPDATE customers SET order_count = 0, cumulative_sales = 0,"
                        " first_order_date = NULL, avg_purchase_cycle_days = NULL,"
                        " receivables = 0, last_contact_at = NULL")
                  .ok());
  // The per-customer path (one index lookup per customer) restores only the
  // customers it is given.
  {
    store::Transaction txn(*db_);
    int64_t c2 = Count("SELECT id FROM customers WHERE external_id = 'C2'");
    std::vector<int64_t> ids = {c2};
    ASSERT_TRUE(RefreshMetrics(*db_, ids).ok());
    ASSERT_TRUE(txn.Commit().ok());
  }
  EXPECT_EQ(Count("SELECT cumulative_sales FROM customers WHERE external_id = 'C2'"), 750);
  EXPECT_EQ(Count("SELECT cumulative_sales FROM customers WHERE external_id = 'C1'"), 0);
  changed = RebuildMetrics(*db_);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->metrics_changed, 1);
  EXPECT_EQ(Snapshot(), live);
}

TEST_F(MetricsTest, ABulkRefreshRebuildsTheMetricIndexesTheSame) {
  ImportBasics();
  ImportClean("customers", "customer_id,name\nC3,Core\nC4,Dune\n");
  const std::string indexes =
      "SELECT group_concat(name || ': ' || sql, '\n') FROM (SELECT name, sql FROM sqlite_master"
      " WHERE type = 'index' AND tbl_name = 'customers' ORDER BY name)";
  const std::string before = Text(indexes);
  ASSERT_NE(before.find("wb_customers_dormant"), std::string::npos);
  // Three of four customers change: the refresh drops the indexes on metric
  // columns, writes, and builds them again.
  ImportClean("orders",
              "id,customer,date,amount\no1,C1,2024-01-01,10\no2,C1,2024-01-21,10\n"
              "o3,C2,2024-02-01,10\no4,C4,2024-01-15,10\no5,C4,2024-03-15,10\n");
  EXPECT_EQ(Text(indexes), before);
  EXPECT_EQ(Text("PRAGMA integrity_check"), "ok");
  // The rebuilt indexes hold the new values.
  EXPECT_EQ(Text("SELECT group_concat(external_id, ' ') FROM customers"
                 " INDEXED BY wb_customers_last_order WHERE last_order_date > '2024-01-01'"),
            "C1 C2 C4");
  EXPECT_EQ(Text("SELECT group_concat(external_id, ' ') FROM customers"
                 " INDEXED BY wb_customers_next_purchase"
                 " WHERE next_purchase_date < '2024-06-01' AND status <> 3"),
            "C1 C4");
}

// A refresh writes only the columns that changed, and a bulk one rebuilds
// only the indexes on them: an import of orders leaves the indexes on
// receivables and follow-ups alone. Customers with orders get the orders bit
// of record_tables in the same write.
TEST_F(MetricsTest, TheWriterSetsOnlyTheColumnsItIsGiven) {
  ImportBasics();
  store::MetricColumns stored;
  store::MetricColumns fresh;
  fresh.order_count = 2;
  fresh.cumulative_sales = 500;
  fresh.receivables = 70;
  EXPECT_EQ(store::DifferingColumns(stored, stored), 0u);
  const std::vector<std::string> names = store::MetricColumnNames();
  auto column = [&](const std::string& name) {
    auto at = std::find(names.begin(), names.end(), name);
    EXPECT_NE(at, names.end()) << name;
    return 1u << (at - names.begin());
  };
  EXPECT_EQ(store::DifferingColumns(stored, fresh),
            column("order_count") | column("cumulative_sales") | column("receivables"));

  store::Transaction txn(*db_);
  ASSERT_TRUE(db_->Exec("UPDATE customers SET record_tables = 0").ok());
  int64_t c1 = Count("SELECT id FROM customers WHERE external_id = 'C1'");
  int64_t c2 = Count("SELECT id FROM customers WHERE external_id = 'C2'");
  auto writer =
      store::MetricColumnsWriter::Create(*db_, column("order_count") | column("cumulative_sales"));
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  ASSERT_TRUE((*writer)->Write(c1, fresh).ok());
  ASSERT_TRUE((*writer)->Write(c2, store::MetricColumns()).ok());
  EXPECT_EQ(Text("SELECT group_concat(external_id || ':' || order_count || ':' ||"
                 " cumulative_sales || ':' || receivables || ':' || record_tables, ' ')"
                 " FROM (SELECT * FROM customers WHERE id IN (" +
                 std::to_string(c1) + ", " + std::to_string(c2) + ") ORDER BY id)"),
            "C1:2:500:0:16 C2:0:0:0:0");

  // Dropping the indexes on cumulative_sales drops customers_sales alone.
  const std::string indexes =
      "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master"
      " WHERE type = 'index' AND tbl_name = 'customers' ORDER BY name)";
  const std::string before = Text(indexes);
  auto dropped = store::DropMetricIndexes(*db_, column("cumulative_sales"));
  ASSERT_TRUE(dropped.ok()) << dropped.status().ToString();
  ASSERT_EQ(dropped->size(), 1u);
  EXPECT_EQ((*dropped)[0], "CREATE INDEX customers_sales ON customers(cumulative_sales)");
  std::string without = before;
  without.erase(without.find("customers_sales "), std::string("customers_sales ").size());
  EXPECT_EQ(Text(indexes), without);
  ASSERT_TRUE(db_->Exec((*dropped)[0]).ok());
  EXPECT_EQ(Text(indexes), before);
}

TEST_F(MetricsTest, CdnowCustomerFive) {
  ImportCdnowOrders("cdnow_master.csv");
  CustomerMetrics m = Metrics("5", "1998-06-30");
  EXPECT_EQ(m.order_count, 11);
  EXPECT_EQ(FormatDate(*m.first_order_date), "1997-01-01");
  EXPECT_EQ(FormatDate(*m.last_order_date), "1998-01-03");
  EXPECT_EQ(m.cumulative_sales, 38561);
  EXPECT_NEAR(*m.average_purchase_cycle_days, 36.7, 1e-9);
  std::string live = Snapshot();
  auto changed = RebuildMetrics(*db_);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->metrics_changed, 0);
  EXPECT_EQ(Snapshot(), live);
}

TEST_F(MetricsTest, ProfileHoldsTheRecordsNewestFirst) {
  ImportBasics();
  ImportClean("contacts", "id,customer,name,email\nk2,C1,Kim,kim@acme.test\nk1,C1,Lee,\n");
  // o4 ties with o2 on the date, and o5 came in last but is the oldest.
  ImportClean("orders",
              "id,customer,date,amount\no1,C1,2024-01-01,10\no2,C1,2024-03-01,20\n"
              "o3,C2,2024-03-01,5\no4,C1,2024-03-01,7\no5,C1,2023-06-01,3\n");
  auto profile = LoadCustomerProfile(*db_, "C1", *ParseIsoDate("2024-04-01"));
  ASSERT_TRUE(profile.ok()) << profile.status().ToString();
  EXPECT_EQ(profile->customer.external_id, "C1");
  std::map<std::string, std::vector<std::string>> ids;
  for (const ProfileSection& section : profile->sections) {
    for (const store::ExportRow& row : section.rows) {
      ids[std::string(section.spec->name)].push_back(row.external_id);
    }
  }
  // Contacts in the order they came in; orders newest first, the later entry
  // first on the same day.
  EXPECT_EQ(ids["contacts"], (std::vector<std::string>{"k2", "k1"}));
  EXPECT_EQ(ids["orders"], (std::vector<std::string>{"o4", "o2", "o1", "o5"}));
  EXPECT_TRUE(ids["complaints"].empty());
  // Every record names its customer by the customer's external id.
  for (const ProfileSection& section : profile->sections) {
    size_t customer = *section.spec->FieldIndex("customer_id");
    for (const store::ExportRow& row : section.rows) {
      EXPECT_EQ(std::get<std::string>(row.values[customer]), "C1") << row.external_id;
    }
  }

  // By internal id too; an unknown key is NotFound.
  auto c2 = LoadCustomerProfile(*db_, std::to_string(profile->customer.id + 1),
                                *ParseIsoDate("2024-04-01"));
  ASSERT_TRUE(c2.ok());
  EXPECT_EQ(c2->customer.external_id, "C2");
  auto missing = LoadCustomerProfile(*db_, "nope", *ParseIsoDate("2024-04-01"));
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace tenure::engine
