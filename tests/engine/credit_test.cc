// Credit: the numbers of a credit file from a hand-built payment history,
// every rating rule at and beyond its threshold, storing ratings, the credit
// limit on a new order (flag keeps and lists it, refuse writes nothing), and
// the defaulters list with its ordering.
#include "engine/credit.h"

#include <gtest/gtest.h>

#include "engine/import_fixture.h"

namespace tenure::engine {
namespace {

using domain::CreditRating;

Date D(const char* text) { return *ParseIsoDate(text); }

store::InvoiceFact Invoice(const char* due, Money amount, Money paid, const char* paid_on,
                           const char* issued = nullptr) {
  store::InvoiceFact f;
  f.due_on = D(due);
  f.amount = amount;
  f.paid_amount = paid;
  if (paid_on) f.paid_on = D(paid_on);
  if (issued) f.issued_on = D(issued);
  return f;
}

const Date kAsOf = D("2026-06-30");

CreditFile File(std::vector<store::InvoiceFact> invoices, std::optional<Money> limit = {},
                std::optional<Date> defaulted = {}, CreditRules rules = {}) {
  return ComputeCreditFile(invoices, limit, defaulted, kAsOf, rules);
}

TEST(CreditFileTest, NumbersFromAPaymentHistory) {
  CreditFile f = File(
      {
          Invoice("2026-01-31", 10000, 10000, "2026-01-20"),      // on time
          Invoice("2026-02-28", 20000, 20000, "2026-03-10"),      // 10 days late
          Invoice("2026-03-31", 5000, 5000, "2026-04-30"),        // 30 days late
          Invoice("2026-06-15", 8000, 3000, "2026-06-10"),        // 5000 open, 15 days overdue
          Invoice("2026-07-15", 4000, 0, nullptr),                // 4000 open, not due
          Invoice("2026-07-31", 9000, 0, nullptr, "2026-07-01"),  // issued after as_of
          Invoice("2026-05-01", 1000, 1000, "2026-07-05"),  // paid after as_of: 60 days overdue
      },
      20000);
  EXPECT_EQ(f.invoices, 6);
  EXPECT_EQ(f.paid, 3);
  EXPECT_EQ(f.paid_on_time, 1);
  EXPECT_EQ(f.paid_late, 2);
  EXPECT_DOUBLE_EQ(f.average_days_late, 20);
  EXPECT_EQ(f.max_days_late, 30);
  EXPECT_EQ(f.late_in_window, 2);
  EXPECT_EQ(f.open_invoices, 3);
  EXPECT_EQ(f.open_balance, 10000);
  EXPECT_EQ(f.overdue_invoices, 2);
  EXPECT_EQ(f.overdue_amount, 6000);
  EXPECT_EQ(f.oldest_overdue_days, 60);
  ASSERT_TRUE(f.limit_use);
  EXPECT_DOUBLE_EQ(*f.limit_use, 0.5);
  EXPECT_EQ(f.rating, CreditRating::kC);
  ASSERT_EQ(f.reasons.size(), 2u);
  EXPECT_EQ(f.reasons[0], "C: an invoice is 60 days overdue (more than 30)");
  EXPECT_EQ(f.reasons[1], "B: 2 payments late in the last 365 days");
}

TEST(CreditFileTest, AWhenEverythingIsPaidOnTime) {
  CreditFile f = File({Invoice("2026-05-31", 10000, 10000, "2026-05-30")}, 100000);
  EXPECT_EQ(f.rating, CreditRating::kA);
  ASSERT_EQ(f.reasons.size(), 1u);
  EXPECT_EQ(f.reasons[0],
            "A: nothing overdue, no late payment in the last 365 days, within the credit limit");
  EXPECT_EQ(File({}).rating, CreditRating::kA);
}

TEST(CreditFileTest, BForALatePaymentWithinTheWindowOnly) {
  EXPECT_EQ(File({Invoice("2026-01-01", 100, 100, "2026-01-06")}).rating, CreditRating::kB);
  // Paid 5 days late 366 days before as_of: outside the window.
  EXPECT_EQ(File({Invoice("2025-06-24", 100, 100, "2025-06-29")}).rating, CreditRating::kA);
  CreditRules lenient;
  lenient.b_late_grace_days = 5;
  EXPECT_EQ(File({Invoice("2026-01-01", 100, 100, "2026-01-06")}, {}, {}, lenient).rating,
            CreditRating::kA);
}

TEST(CreditFileTest, OverdueThresholdsForBCAndD) {
  auto overdue_days = [](int days) {
    return File({Invoice(FormatDate(Date{kAsOf.days - days}).c_str(), 100, 0, nullptr)});
  };
  EXPECT_EQ(overdue_days(0).rating, CreditRating::kA);  // due today: not overdue
  EXPECT_EQ(overdue_days(1).rating, CreditRating::kB);
  EXPECT_EQ(overdue_days(30).rating, CreditRating::kB);
  EXPECT_EQ(overdue_days(31).rating, CreditRating::kC);
  EXPECT_EQ(overdue_days(90).rating, CreditRating::kC);
  CreditFile d = overdue_days(91);
  EXPECT_EQ(d.rating, CreditRating::kD);
  EXPECT_EQ(d.reasons[0], "D: an invoice is 91 days overdue (more than 90)");
}

TEST(CreditFileTest, LimitUseThresholdsForBAndC) {
  auto use = [](Money open, std::optional<Money> limit) {
    return File({Invoice("2026-07-31", open, 0, nullptr)}, limit);
  };
  EXPECT_EQ(use(8000, 10000).rating, CreditRating::kA);  // 80 %: not above
  CreditFile b = use(8500, 10000);
  EXPECT_EQ(b.rating, CreditRating::kB);
  EXPECT_EQ(b.reasons[0], "B: open balances are 85% of the credit limit (more than 80%)");
  EXPECT_EQ(use(10000, 10000).rating, CreditRating::kB);  // 100 %: not above
  CreditFile c = use(10001, 10000);
  EXPECT_EQ(c.rating, CreditRating::kC);
  EXPECT_EQ(use(1, 0).rating, CreditRating::kC);                   // anything above a zero limit
  EXPECT_EQ(use(1000000, std::nullopt).rating, CreditRating::kA);  // no limit
}

TEST(CreditFileTest, DWhenLostAsADefaulter) {
  CreditFile f = File({}, {}, D("2026-05-01"));
  EXPECT_EQ(f.rating, CreditRating::kD);
  EXPECT_EQ(f.reasons[0], "D: lost as a defaulter on 2026-05-01");
  CreditRules off;
  off.d_on_default = false;
  EXPECT_EQ(File({}, {}, D("2026-05-01"), off).rating, CreditRating::kA);
}

class CreditDbTest : public ImportFixture {
 protected:
  // C1 limit 1000.00 with 600.00 open (100 days overdue); C2 no limit, 900.00
  // open 70 days overdue, ordered after that; C3 limit 500.00, 20 days
  // overdue; C4 paid on time but lost as a defaulter; C5 nothing at all.
  void ImportCompany() {
    ImportBasics();
    ImportClean("customers",
                "customer_id,name,owner,credit_limit\nC1,Acme,alice,1000\nC2,Bolt,alice,\n"
                "C3,Cask,sam,500\nC4,Dune,alice,100\nC5,Echo,,\n");
    ImportClean("invoices",
                "invoice_id,customer_id,issued_on,due_on,amount,paid_amount,paid_on\n"
                "I1,C1,2026-02-20,2026-03-22,600,0,\n"
                "I2,C1,2026-01-01,2026-01-31,200,200,2026-01-30\n"
                "I3,C2,2026-03-22,2026-04-21,1000,100,2026-04-01\n"
                "I4,C3,2026-05-11,2026-06-10,400,0,\n"
                "I5,C4,2026-01-01,2026-01-31,300,300,2026-01-31\n");
    ImportClean("orders",
                "order_id,customer_id,order_date,amount\n"
                "O1,C1,2026-02-20,600\nO2,C2,2026-03-22,1000\nO3,C2,2026-05-02,50\n");
    ImportClean("activities",
                "customer_id,kind,occurred_at\nC1,call,2026-06-20T10:00:00Z\n"
                "C2,visit,2026-03-01T10:00:00Z\n");
    ImportClean("churn_events",
                "customer_id,kind,occurred_on,churn_type,reasons\n"
                "C4,lost,2026-04-15,malicious,credit_default\n");
  }
};

TEST_F(CreditDbTest, CreditFileFromTheDatabase) {
  ImportCompany();
  auto f = BuildCreditFile(*db_, "C1", kAsOf, {});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->customer, "C1");
  EXPECT_EQ(f->owner, "alice");
  EXPECT_EQ(f->invoices, 2);
  EXPECT_EQ(f->paid_on_time, 1);
  EXPECT_EQ(f->open_balance, 60000);
  EXPECT_EQ(f->overdue_amount, 60000);
  EXPECT_EQ(f->oldest_overdue_days, 100);
  EXPECT_DOUBLE_EQ(*f->limit_use, 0.6);
  EXPECT_EQ(f->rating, CreditRating::kD);
  // As of an earlier day the history reads as it was then.
  auto march = BuildCreditFile(*db_, "C1", D("2026-03-31"), {});
  ASSERT_TRUE(march.ok());
  EXPECT_EQ(march->oldest_overdue_days, 9);
  EXPECT_EQ(march->rating, CreditRating::kB);
  auto lost = BuildCreditFile(*db_, "C4", kAsOf, {});
  ASSERT_TRUE(lost.ok());
  EXPECT_EQ(lost->rating, CreditRating::kD);
  EXPECT_EQ(*lost->defaulted_on, D("2026-04-15"));
  EXPECT_EQ(BuildCreditFile(*db_, "C4", D("2026-04-14"), {})->rating, CreditRating::kA);
  EXPECT_EQ(BuildCreditFile(*db_, "C9", kAsOf, {}).status().code(), Status::Code::kNotFound);
}

TEST_F(CreditDbTest, RateStoresEveryRatingInOneRun) {
  ImportCompany();
  auto run = RateCustomers(*db_, kAsOf, {});
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->customers, 5);
  // C1 D (100 days), C2 C (70 days), C3 B (20 days), C4 D (defaulter), C5 A.
  EXPECT_EQ(run->by_rating, (std::array<int64_t, 4>{1, 1, 1, 2}));
  EXPECT_EQ(run->changed, 5);
  EXPECT_EQ(Text("SELECT group_concat(external_id || credit_rating, ' ') FROM (SELECT * FROM "
                 "customers ORDER BY id)"),
            "C13 C22 C31 C43 C50");
  EXPECT_EQ(Count("SELECT version FROM customers WHERE external_id = 'C5'"), 2);
  EXPECT_EQ(Count("SELECT json_extract(after_json, '$.changed') FROM audit_log WHERE action = "
                  "'credit_rate'"),
            5);
  auto again = RateCustomers(*db_, kAsOf, {});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->changed, 0);
  EXPECT_EQ(Count("SELECT version FROM customers WHERE external_id = 'C5'"), 2);
}

TEST_F(CreditDbTest, CheckCreditLimit) {
  ImportCompany();
  int64_t c1 = Count("SELECT id FROM customers WHERE external_id = 'C1'");
  auto within = CheckCreditLimit(*db_, c1, 40000);  // 600 + 400 = 1000: not over
  ASSERT_TRUE(within.ok());
  EXPECT_FALSE(within->exceeds);
  EXPECT_EQ(within->receivables, 60000);
  EXPECT_EQ(*within->credit_limit, 100000);
  EXPECT_TRUE(CheckCreditLimit(*db_, c1, 40001)->exceeds);
  int64_t c2 = Count("SELECT id FROM customers WHERE external_id = 'C2'");
  EXPECT_FALSE(CheckCreditLimit(*db_, c2, 100000000)->exceeds);  // no limit
}

TEST_F(CreditDbTest, RefuseWritesNothing) {
  ImportCompany();
  NewOrder order;
  order.customer = "C1";
  order.external_id = "O9";
  order.order_date = D("2026-06-30");
  order.amount = 50000;
  order.policy = CreditPolicy::kRefuse;
  int64_t orders = Count("SELECT count(*) FROM orders");
  int64_t audits = Count("SELECT count(*) FROM audit_log");
  auto refused = AddOrder(*db_, order);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Status::Code::kConflict);
  EXPECT_EQ(refused.status().message(),
            "order refused: customer C1 has a credit limit of 1000.00; receivables 600.00 + "
            "order 500.00 = 1100.00");
  EXPECT_EQ(Count("SELECT count(*) FROM orders"), orders);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log"), audits);

  order.amount = 40000;  // exactly at the limit: written, not flagged
  auto ok = AddOrder(*db_, order);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_FALSE(ok->flagged);
  EXPECT_EQ(Count("SELECT count(*) FROM orders"), orders + 1);
  EXPECT_EQ(AddOrder(*db_, order).status().field(), "--id");
}

TEST_F(CreditDbTest, FlagWritesTheOrderAndListsTheFlag) {
  ImportCompany();
  NewOrder order;
  order.customer = "C1";
  order.order_date = D("2026-06-30");
  order.amount = 50000;
  order.cost = 30000;
  order.policy = CreditPolicy::kFlag;
  auto added = AddOrder(*db_, order);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_TRUE(added->flagged);
  EXPECT_EQ(added->check.receivables, 60000);
  EXPECT_EQ(Count("SELECT count(*) FROM orders WHERE amount = 50000 AND cost = 30000"), 1);
  // The metrics of C1 are refreshed in the same transaction.
  EXPECT_EQ(Count("SELECT order_count FROM customers WHERE external_id = 'C1'"), 2);
  EXPECT_EQ(Text("SELECT last_order_date FROM customers WHERE external_id = 'C1'"), "2026-06-30");
  auto flags = store::LoadCreditFlags(*db_);
  ASSERT_TRUE(flags.ok()) << flags.status().ToString();
  ASSERT_EQ(flags->size(), 1u);
  EXPECT_EQ((*flags)[0].order_id, added->order_id);
  EXPECT_EQ((*flags)[0].customer, "C1");
  EXPECT_EQ((*flags)[0].amount, 50000);
  EXPECT_EQ((*flags)[0].credit_limit, 100000);
  EXPECT_EQ((*flags)[0].receivables, 60000);

  order.customer = "C2";  // no limit: never flagged
  auto unlimited = AddOrder(*db_, order);
  ASSERT_TRUE(unlimited.ok());
  EXPECT_FALSE(unlimited->flagged);
  order.customer = "C9";
  EXPECT_EQ(AddOrder(*db_, order).status().field(), "--customer");
  order.customer = "C1";
  order.amount = -1;
  EXPECT_EQ(AddOrder(*db_, order).status().field(), "--amount");
}

TEST_F(CreditDbTest, DefaultersByOverdueAmount) {
  ImportCompany();
  auto rows = FindDefaulters(*db_, kAsOf, 60, {});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 2u);
  const Defaulter& first = (*rows)[0];  // C2: 900.00 overdue
  EXPECT_EQ(first.customer, "C2");
  EXPECT_EQ(first.overdue_amount, 90000);
  EXPECT_EQ(first.oldest_overdue_days, 70);
  EXPECT_EQ(first.oldest_due_on, D("2026-04-21"));
  EXPECT_EQ(*first.last_order_date, D("2026-05-02"));
  EXPECT_EQ(*first.days_since_last_order, 59);
  EXPECT_EQ(*first.days_since_last_contact, 121);
  EXPECT_TRUE(first.still_orders);
  EXPECT_EQ(first.rating, CreditRating::kC);
  const Defaulter& second = (*rows)[1];  // C1: 600.00, stopped ordering
  EXPECT_EQ(second.customer, "C1");
  EXPECT_EQ(second.owner, "alice");
  EXPECT_EQ(second.oldest_overdue_days, 100);
  EXPECT_FALSE(second.still_orders);
  EXPECT_EQ(*second.days_since_last_contact, 10);
  EXPECT_EQ(second.rating, CreditRating::kD);

  auto all = FindDefaulters(*db_, kAsOf, 0, {});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[2].customer, "C3");
  EXPECT_EQ(FindDefaulters(*db_, kAsOf, 100, {})->size(), 0u);  // 100 is not more than 100
  EXPECT_EQ(FindDefaulters(*db_, kAsOf, -1, {}).status().field(), "--min-days");
}

}  // namespace
}  // namespace tenure::engine
