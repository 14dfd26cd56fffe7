// `tenure import order_lines`: the first 3,000 lines of the UCI Online Retail
// export (tests/data/online_retail) become customers, products, orders,
// returns and lines. The expected figures were computed from the file alone
// with the sqlite3 shell (.import, then GROUP BY InvoiceNo over the lines
// with a CustomerID; InvoiceNo 'C...' are cancellations); the whole file is
// checked the same way, live, by tests/cli/online_retail_test.sh.
#include "engine/import/order_lines.h"

#include <gtest/gtest.h>

#include "import_fixture.h"

namespace tenure::engine {
namespace {

class OrderLinesTest : public ImportFixture {
 protected:
  Result<ImportReport> ImportLines(ImportOptions options) {
    options.path = std::string(TENURE_TEST_DATA) + "/online_retail/online_retail_head.csv";
    options.rejects_path = dir_.File("lines.rejects.csv");
    return ImportOrderLines(*db_, options);
  }
};

TEST_F(OrderLinesTest, AShopExportBecomesOrdersReturnsAndProducts) {
  ImportOptions options;
  options.create_customers = true;
  auto r = ImportLines(options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows, 3000);
  EXPECT_EQ(r->rejected, 0);
  EXPECT_EQ(r->skipped, 1081);  // no CustomerID
  EXPECT_EQ(r->inserted, 1919);
  EXPECT_EQ(Count("SELECT count(*) FROM customers"), 94);
  EXPECT_EQ(Count("SELECT count(*) FROM products"), 927);
  EXPECT_EQ(Count("SELECT count(*) FROM orders"), 117);
  EXPECT_EQ(Count("SELECT sum(amount) FROM orders"), 4576330);
  EXPECT_EQ(Count("SELECT count(*) FROM returns"), 6);
  EXPECT_EQ(Count("SELECT sum(amount) FROM returns"), 32523);
  EXPECT_EQ(Count("SELECT count(*) FROM order_lines WHERE return_id IS NOT NULL"), 26);
  // One invoice, line by line: 7 lines, 139.12 in all.
  EXPECT_EQ(Text("SELECT customer_id || '|' || order_date || '|' || amount || '|' || quantity "
                 "FROM orders WHERE external_id = '536365'"),
            "1|2010-12-01|13912|40.0");
  EXPECT_EQ(
      Text("SELECT group_concat(p.external_id || 'x' || l.quantity || '@' || l.unit_price, ' ')"
           " FROM order_lines l JOIN products p ON p.id = l.product_id"
           " JOIN orders o ON o.id = l.order_id WHERE o.external_id = '536365'"),
      "85123Ax6.0@2.55 71053x6.0@3.39 84406Bx8.0@2.75 84029Gx6.0@3.39 84029Ex6.0@3.39 "
      "22752x2.0@7.65 21730x6.0@4.25");
  EXPECT_EQ(Text("SELECT name FROM customers WHERE external_id = '17850'"), "Customer 17850");
  EXPECT_EQ(Text("SELECT name FROM products WHERE external_id = '85123A'"),
            "WHITE HANGING HEART T-LIGHT HOLDER");
  // Cumulative sales are net of returns; a return is no order.
  EXPECT_EQ(Count("SELECT sum(cumulative_sales) FROM customers"), 4576330 - 32523);
  EXPECT_EQ(Count("SELECT sum(order_count) FROM customers"), 117);

  // Again: nothing changes.
  auto again = ImportLines(options);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->inserted, 0);
  EXPECT_EQ(again->unchanged, 1919);
  EXPECT_EQ(Count("SELECT count(*) FROM orders"), 117);
}

TEST_F(OrderLinesTest, WithoutCreateCustomersUnknownOnesAreRejectedAndNoneInIsSaid) {
  auto r = ImportLines({});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rejected, 1919);
  EXPECT_EQ(r->inserted, 0);
  EXPECT_NE(r->rejects[0].reason.find("unknown customer '17850'"), std::string::npos);
  EXPECT_EQ(Count("SELECT count(*) FROM orders"), 0);
}

TEST_F(OrderLinesTest, ReturnPrefixAndOriginalOrderAreHonoured) {
  ImportOptions options;
  options.create_customers = true;
  options.path = dir_.Write("lines.csv",
                            "Order,Customer,Date,SKU,Qty,Price,Original Order,Unit Cost\n"
                            "S-1,K1,2011-01-01,P1,2,10.00,,4\n"
                            "S-1,K1,2011-01-01,P2,1,5.50,,\n"
                            "R-1,K1,2011-01-05,P1,1,10.00,S-1,4\n");
  options.return_prefix = "R-";
  auto r = ImportOrderLines(*db_, options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rejected, 0);
  EXPECT_EQ(Text("SELECT amount || '|' || ifnull(cost, 'null') FROM orders"), "2550|null");
  EXPECT_EQ(Text("SELECT r.amount || '|' || r.cost || '|' || o.external_id FROM returns r"
                 " JOIN orders o ON o.id = r.order_id"),
            "1000|400|S-1");
  EXPECT_EQ(Text("SELECT cumulative_sales || '|' || gross_profit FROM customers"), "1550|1950");
}

}  // namespace
}  // namespace tenure::engine
