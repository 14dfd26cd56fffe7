// `tenure import` as a new user runs it: the whole UCI Online Retail export
// (tests/data/online_retail, 541,909 lines) in one command after a preview,
// checked against its README and against the same figures computed from the
// raw file by the sqlite3 shell; the exit codes of docs/import.md.
#include <gtest/gtest.h>

#include <cstdio>

#include "testing/run_tenure.h"
#include "testing/temp_dir.h"

namespace tenure {
namespace {

using testing::Outcome;
using testing::Tenure;

// Runs a shell command and returns what it printed on stdout.
std::string Shell(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  pclose(pipe);
  return out;
}

class ImportCliTest : public ::testing::Test {
 protected:
  std::string Db() { return " --db " + dir_.File("t.db"); }
  testing::TempDir dir_;
};

TEST_F(ImportCliTest, TheOnlineRetailExportImportsInOneCommandAfterAPreview) {
  const std::string csv = dir_.File("online_retail.csv");
  ASSERT_EQ(std::system(("gzip -dc " + std::string(TENURE_TEST_DATA) +
                         "/online_retail/online_retail.csv.gz > " + csv)
                            .c_str()),
            0);
  Outcome preview = Tenure("import order_lines " + csv + " --create-customers --dry-run" + Db());
  ASSERT_EQ(preview.code, 0) << preview.output;
  for (const char* shown :
       {"encoding:   UTF-8 (valid UTF-8)", "separator:  ,",
        "dates:      InvoiceDate YYYY-MM-DD (detected)", "InvoiceNo                -> order_id",
        "CustomerID               -> customer_id", "Country                     (not imported)",
        "order=536365  customer=17850  date=2010-12-01  product=85123A  "
        "quantity=6  unit_price=2.55  amount=15.30",
        "541,909 rows read", "135,080 skipped", "nothing was written"}) {
    EXPECT_NE(preview.output.find(shown), std::string::npos) << shown << "\n" << preview.output;
  }
  EXPECT_EQ(Shell("sqlite3 " + dir_.File("t.db") + " 'SELECT count(*) FROM orders'"), "0\n");

  Outcome imported = Tenure("import order_lines " + csv + " --create-customers" + Db());
  ASSERT_EQ(imported.code, 0) << imported.output;
  // The README's counts: 541,909 lines, 4,372 CustomerIDs, 135,080 lines
  // without one; 18,536 invoices of 4,339 customers that are not cancellations.
  EXPECT_NE(imported.output.find("541,909 rows read: 406,829 inserted"), std::string::npos)
      << imported.output;
  EXPECT_NE(imported.output.find("135,080 skipped"), std::string::npos) << imported.output;
  const std::string db = dir_.File("t.db");
  auto stored = [&](const std::string& sql) { return Shell("sqlite3 " + db + " '" + sql + "'"); };
  EXPECT_EQ(stored("SELECT count(*) FROM customers"), "4372\n");
  EXPECT_EQ(stored("SELECT count(*), count(DISTINCT customer_id) FROM orders"), "18536|4339\n");

  // The same figures from the raw file, by the sqlite3 shell alone.
  const std::string raw = dir_.File("raw.db");
  Shell("sqlite3 " + raw + " '.import --csv " + csv + " r'");
  auto computed = [&](const std::string& sql) {
    return Shell("sqlite3 " + raw + " \"" + sql + "\"");
  };
  EXPECT_EQ(computed("SELECT count(*) FROM r"), "541909\n");
  EXPECT_EQ(computed("SELECT count(*) FROM r WHERE InvoiceNo LIKE 'C%'"), "9288\n");
  EXPECT_EQ(stored("SELECT count(*), sum(amount) FROM orders"),
            computed("SELECT count(DISTINCT InvoiceNo), CAST(round(sum(Quantity * UnitPrice) * "
                     "100) AS INTEGER) FROM r WHERE CustomerID <> '' AND InvoiceNo NOT LIKE 'C%'"));
  EXPECT_EQ(stored("SELECT count(*), sum(amount), count(DISTINCT customer_id) FROM returns"),
            computed("SELECT count(DISTINCT InvoiceNo), CAST(round(-sum(Quantity * UnitPrice) * "
                     "100) AS INTEGER), count(DISTINCT CustomerID) FROM r"
                     " WHERE CustomerID <> '' AND InvoiceNo LIKE 'C%'"));
  EXPECT_EQ(stored("SELECT count(*) FROM order_lines WHERE return_id IS NOT NULL"),
            computed("SELECT count(*) FROM r WHERE CustomerID <> '' AND InvoiceNo LIKE 'C%'"));
  EXPECT_EQ(stored("SELECT count(*) FROM products"),
            computed("SELECT count(DISTINCT StockCode) FROM r WHERE CustomerID <> ''"));
  // Each customer's cumulative sales: what they bought less what they returned.
  EXPECT_EQ(stored("SELECT cumulative_sales FROM customers WHERE external_id = \"12346\""),
            computed("SELECT CAST(round(sum(Quantity * UnitPrice) * 100) AS INTEGER) FROM r"
                     " WHERE CustomerID = '12346.0'"));

  // The profile lists what the customer bought: 12346 bought 74,215 jars
  // in one order and returned them all.
  Outcome show = Tenure("customer show 12346 --as-of 2011-12-10" + Db());
  ASSERT_EQ(show.code, 0) << show.output;
  EXPECT_NE(show.output.find("products bought: 1"), std::string::npos) << show.output;
  EXPECT_NE(show.output.find("23166"), std::string::npos) << show.output;
  EXPECT_NE(show.output.find("77183.60"), std::string::npos) << show.output;  // returned
  EXPECT_NE(show.output.find("returns: 1"), std::string::npos) << show.output;
  // Sales by product: the best seller of the file, net of its returns.
  Outcome products = Tenure("stats products --top 1" + Db());
  ASSERT_EQ(products.code, 0) << products.output;
  EXPECT_NE(products.output.find("product "), std::string::npos) << products.output;  // header
  EXPECT_NE(products.output.find("22423"), std::string::npos) << products.output;
  EXPECT_EQ(
      Shell("sqlite3 " + db +
            " 'SELECT sum(l.amount) FROM order_lines l JOIN products p ON p.id = "
            "l.product_id WHERE p.external_id = \"22423\" AND l.order_id IS NOT NULL'"),
      computed("SELECT CAST(round(sum(Quantity * UnitPrice) * 100) AS INTEGER) FROM r"
               " WHERE StockCode = '22423' AND CustomerID <> '' AND InvoiceNo NOT LIKE 'C%'"));

  // Once more: nothing changes.
  Outcome again = Tenure("import order_lines " + csv + " --create-customers" + Db());
  ASSERT_EQ(again.code, 0) << again.output;
  EXPECT_NE(again.output.find("0 inserted, 0 updated, 406,829 unchanged"), std::string::npos)
      << again.output;
}

TEST_F(ImportCliTest, ExitCodesSayWhetherAllSomeOrNoneWentIn) {
  std::string customers = dir_.Write("customers.csv", "customer_id,name\nC1,Acme\n");
  EXPECT_EQ(Tenure("import customers " + customers + Db()).code, 0);
  std::string some = dir_.Write("some.csv",
                                "id,customer,date,amount\nO1,C1,2026-01-05,10\n"
                                "O2,C9,2026-01-06,5\n");
  EXPECT_EQ(Tenure("import orders " + some + Db()).code, 3);
  std::string none = dir_.Write("none.csv",
                                "id,customer,date,amount\nO3,C8,2026-01-05,10\n"
                                "O4,C9,2026-01-06,5\n");
  Outcome nothing = Tenure("import orders " + none + Db());
  EXPECT_EQ(nothing.code, 4) << nothing.output;
  EXPECT_NE(nothing.output.find("0 inserted, 0 updated, 0 unchanged, 2 rejected"),
            std::string::npos)
      << nothing.output;
}

}  // namespace
}  // namespace tenure
