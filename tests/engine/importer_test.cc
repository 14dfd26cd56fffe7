// Bulk CSV import: header recognition, validation of every field type, the
// rejects file, idempotent re-import, corrections, and all-or-nothing errors.
#include "engine/import/importer.h"

#include <gtest/gtest.h>

#include "engine/import_fixture.h"

namespace tenure::engine {
namespace {

using tenure::testing::ReadFile;

TEST_F(ImportFixture, RecognisesCommonHeaderNames) {
  ImportBasics();
  ImportReport r = ImportClean("orders",
                               "Order ID,Customer,Date,Amount,Qty,Cost\n"
                               "O1,C1,1997-01-01,11.77,1,5.00\n"
                               "O2,C2,1997-01-02,20,2,\n");
  EXPECT_EQ(r.inserted, 2);
  EXPECT_EQ(Count("SELECT amount FROM orders WHERE external_id = 'O1'"), 1177);
  EXPECT_EQ(Count("SELECT cost FROM orders WHERE external_id = 'O1'"), 500);
  EXPECT_EQ(Text("SELECT cost FROM orders WHERE external_id = 'O2'"), "<null>");
  EXPECT_EQ(Count("SELECT c.external_id = 'C2' FROM orders o JOIN customers c ON c.id = "
                  "o.customer_id WHERE o.external_id = 'O2'"),
            1);
  EXPECT_EQ(Text("SELECT status FROM orders WHERE external_id = 'O2'"), "0");  // completed
}

TEST_F(ImportFixture, UnknownCustomerIsRejectedUnlessCreateCustomers) {
  ImportBasics();
  auto r = Import("orders", "order_id,customer_id,date,amount\nO1,C9,1997-01-01,10\n");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->rejected, 1);
  EXPECT_EQ(r->rejects[0].line, 2);
  EXPECT_EQ(r->rejects[0].column, "customer_id");
  EXPECT_NE(r->rejects[0].reason.find("unknown customer 'C9'"), std::string::npos);
  EXPECT_EQ(Count("SELECT count(*) FROM orders"), 0);

  ImportOptions create;
  create.create_customers = true;
  ImportReport ok = ImportClean("orders",
                                "order_id,customer_id,date,amount\nO1,C9,1997-01-01,10\n"
                                "O2,C9,1997-01-05,12\n",
                                create);
  EXPECT_EQ(ok.customers_created, 1);
  EXPECT_EQ(ok.inserted, 2);
  EXPECT_EQ(Text("SELECT name FROM customers WHERE external_id = 'C9'"), "Customer C9");
}

TEST_F(ImportFixture, BadRowsAreReportedWithLineColumnAndReasonAndGoodRowsKept) {
  ImportBasics();
  std::string csv =
      "order_id,customer_id,date,amount,quantity,status\n"
      "O1,C1,1997-01-01,10.00,1,completed\n"  // line 2: good
      "O2,C1,1997-02-30,10.00,1,completed\n"  // line 3: impossible date
      "O3,C1,1997-01-03,ten,1,completed\n"    // line 4: not a number
      "O4,C1,1997-01-04,-5,1,completed\n"     // line 5: negative
      "O5,C1,1997-01-05,5,1,shipped\n"        // line 6: unknown enum
      "O6,,1997-01-06,5,1,completed\n"        // line 7: required empty
      "O7,C1,1997-01-07,5\n"                  // line 8: too few columns
      "O8,C1,1997-01-08,5.001,1,completed\n"  // line 9: sub-cent amount
      "O1,C2,1997-01-09,5,1,completed\n"      // line 10: duplicate id
      "O10,C2,1997-01-10,5,x,completed\n"     // line 11: bad quantity
      "O11,C2,1997-01-11,\"7.50\",2,open\n";  // line 12: good (quoted)
  auto r = Import("orders", csv);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows, 11);
  EXPECT_EQ(r->inserted, 2);
  EXPECT_EQ(r->rejected, 9);
  struct Want {
    int64_t line;
    const char* column;
    const char* reason;
  };
  const Want want[] = {
      {3, "date", "not a date '1997-02-30'"},
      {4, "amount", "not a number: 'ten'"},
      {5, "amount", "must not be negative"},
      {6, "status", "unknown value 'shipped' (one of: completed, open, cancelled)"},
      {7, "customer_id", "required value is empty"},
      {8, "", "expected 6 columns, found 4"},
      {9, "amount", "more decimal places than the currency has"},
      {10, "order_id", "duplicate of line 2"},
      {11, "quantity", "not a number: 'x'"},
  };
  ASSERT_EQ(r->rejects.size(), std::size(want));
  for (size_t i = 0; i < std::size(want); ++i) {
    EXPECT_EQ(r->rejects[i].line, want[i].line);
    EXPECT_EQ(r->rejects[i].column, want[i].column) << "line " << want[i].line;
    EXPECT_NE(r->rejects[i].reason.find(want[i].reason), std::string::npos)
        << "line " << want[i].line << ": " << r->rejects[i].reason;
  }
  // The rejects file holds each bad row as it was, after its line, column and reason.
  ASSERT_EQ(r->rejects_path, dir_.File("orders.rejects.csv"));
  std::string rejects = ReadFile(r->rejects_path);
  EXPECT_EQ(rejects.substr(0, rejects.find('\n')),
            "_line,_column,_reason,order_id,customer_id,date,amount,quantity,status");
  EXPECT_NE(rejects.find("\n3,date,"), std::string::npos) << rejects;
  EXPECT_NE(rejects.find("O2,C1,1997-02-30,10.00,1,completed\n"), std::string::npos) << rejects;
  EXPECT_NE(rejects.find("\n8,,\"expected 6 columns, found 4\",O7,C1,1997-01-07,5\n"),
            std::string::npos)
      << rejects;
  EXPECT_EQ(Count("SELECT count(*) FROM orders"), 2);
}

TEST_F(ImportFixture, FixedRejectsFileCanBeImportedAgain) {
  ImportBasics();
  auto r = Import("orders",
                  "order_id,customer_id,date,amount\nO1,C1,1997-01-01,1\n"
                  "O2,C1,01/02/1997,2\n");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->rejected, 1);
  std::string fixed = ReadFile(r->rejects_path);
  size_t at = fixed.rfind("01/02/1997");  // the cell, not the reason quoting it
  ASSERT_NE(at, std::string::npos);
  fixed.replace(at, 10, "1997-02-01");
  auto again = Import("orders", fixed, {}, "orders_fixed");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->rejected, 0);
  EXPECT_EQ(again->inserted, 1);
  EXPECT_TRUE(again->ignored_columns.empty());  // _line, _column, _reason are ours
}

TEST_F(ImportFixture, ReimportChangesNothingAndCorrectionsUpdate) {
  ImportBasics();
  std::string csv = "order_id,customer_id,date,amount\nO1,C1,1997-01-01,10\nO2,C2,1997-01-02,20\n";
  ImportClean("orders", csv);
  std::string before =
      Text("SELECT group_concat(id || amount || updated_at || version) FROM orders");
  ImportReport again = ImportClean("orders", csv);
  EXPECT_EQ(again.inserted, 0);
  EXPECT_EQ(again.updated, 0);
  EXPECT_EQ(again.unchanged, 2);
  EXPECT_EQ(Text("SELECT group_concat(id || amount || updated_at || version) FROM orders"), before);

  ImportReport fixed = ImportClean(
      "orders", "order_id,customer_id,date,amount\nO1,C1,1997-01-01,10\nO2,C2,1997-01-02,25\n");
  EXPECT_EQ(fixed.updated, 1);
  EXPECT_EQ(fixed.unchanged, 1);
  EXPECT_EQ(Count("SELECT amount FROM orders WHERE external_id = 'O2'"), 2500);
  EXPECT_EQ(Count("SELECT version FROM orders WHERE external_id = 'O2'"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM orders"), 2);
}

TEST_F(ImportFixture, WithoutIdColumnIdentityIsTheContent) {
  ImportBasics();
  // Two identical rows are two orders; re-import keeps two.
  std::string csv =
      "customer_id,date,amount,quantity\nC1,1997-01-01,10,1\nC1,1997-01-01,10,1\n"
      "C1,1997-01-01,10.00,2\n";
  ImportReport first = ImportClean("orders", csv);
  EXPECT_EQ(first.inserted, 3);
  ImportReport second = ImportClean("orders", csv);
  EXPECT_EQ(second.inserted, 0);
  EXPECT_EQ(second.unchanged, 3);
  EXPECT_EQ(Count("SELECT count(*) FROM orders"), 3);
  EXPECT_EQ(Count("SELECT count(*) FROM orders WHERE external_id = 'row:C1|1997-01-01|1000|1#1'"),
            1);
  // A cost column added later updates the same rows.
  ImportReport with_cost =
      ImportClean("orders",
                  "customer_id,date,amount,quantity,cost\nC1,1997-01-01,10,1,4\n"
                  "C1,1997-01-01,10,1,4\nC1,1997-01-01,10.00,2,8\n");
  EXPECT_EQ(with_cost.updated, 3);
  EXPECT_EQ(Count("SELECT sum(cost) FROM orders"), 1600);
}

TEST_F(ImportFixture, MapAndDateFormat) {
  ImportBasics();
  ImportOptions options;
  options.maps = {
      {"Kunde", "customer_id"}, {"Betrag", "amount"}, {"Tag", "order_date"}, {"Nr", "id"}};
  options.date_format = "%d.%m.%Y";
  ImportReport r = ImportClean("orders", "Nr;Kunde;Tag;Betrag\nA1;C1;31.12.1997;9.99\n", options);
  EXPECT_EQ(r.inserted, 1);
  EXPECT_EQ(Text("SELECT order_date FROM orders WHERE external_id = 'A1'"), "1997-12-31");
}

TEST_F(ImportFixture, MistakesInTheCommandImportNothing) {
  ImportBasics();
  std::string csv = "order_id,customer_id,date,amount\nO1,C1,1997-01-01,10\n";
  ImportOptions unknown_column;
  unknown_column.maps = {{"nope", "amount"}};
  auto r = Import("orders", csv, unknown_column);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("unknown column 'nope' in --map"), std::string::npos);
  EXPECT_NE(r.status().message().find("order_id, customer_id, date, amount"), std::string::npos);

  ImportOptions unknown_field;
  unknown_field.maps = {{"amount", "price_per_kilo"}};
  r = Import("orders", csv, unknown_field);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("unknown field 'price_per_kilo'"), std::string::npos);

  r = Import("orders", "order_id,customer_id,amount\nO1,C1,10\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("no column for the required field 'order_date'"),
            std::string::npos)
      << r.status().message();
  EXPECT_EQ(r.status().field(), "order_date");

  r = Import("orders", "");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("empty"), std::string::npos);

  ImportOptions missing;
  missing.path = dir_.File("does-not-exist.csv");
  missing.spec = domain::FindEntity("orders");
  r = ImportCsv(*db_, missing);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kIoError);
  EXPECT_NE(r.status().message().find("does-not-exist.csv"), std::string::npos);

  EXPECT_EQ(Count("SELECT count(*) FROM orders"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM customers"), 2);
}

TEST_F(ImportFixture, QuotedFieldsWithNewlinesKeepLineNumbers) {
  ImportBasics();
  auto r = Import("customers",
                  "customer_id,name,notes,credit_limit\r\n"
                  "C3,\"Cargo, Ltd\",\"two\r\nlines\",100\r\n"  // lines 2-3
                  "\r\n"                                        // line 4: blank
                  "C4,Dyn,ok,-1\r\n");                          // line 5: bad
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->rejected, 1);
  EXPECT_EQ(r->rejects[0].line, 5);
  EXPECT_EQ(r->rejects[0].column, "credit_limit");
  EXPECT_EQ(Text("SELECT name FROM customers WHERE external_id = 'C3'"), "Cargo, Ltd");
  EXPECT_EQ(Text("SELECT notes FROM customers WHERE external_id = 'C3'"), "two\r\nlines");
}

TEST_F(ImportFixture, UsersAreFoundByUsernameAndKeepItUnique) {
  ImportBasics();
  EXPECT_EQ(Count("SELECT count(*) FROM customers c JOIN users u ON u.id = c.owner_id "
                  "WHERE u.username = 'alice'"),
            2);
  // A second file naming users by id may not give an existing username to another user.
  auto r = Import("users", "user_id,username\nU7,alice\nU8,bob\n");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->rejected, 1);
  EXPECT_EQ(r->rejects[0].column, "username");
  EXPECT_NE(r->rejects[0].reason.find("belongs to another row"), std::string::npos);
}

}  // namespace
}  // namespace tenure::engine

namespace tenure::engine {
namespace {

// Large files take the bulk path (no per-row foreign-key checks, indexes built
// at the end, rollback journal); forced here on a small file.
TEST_F(ImportFixture, BulkPathValidatesTheSameAndRestoresTheConnection) {
  ImportBasics();
  ImportClean("customers", "customer_id,name\nC3,Cask\n");
  int64_t indexes =
      Count("SELECT count(*) FROM sqlite_master WHERE tbl_name = 'orders' AND type = 'index'");
  ImportOptions bulk;
  bulk.bulk_load_bytes = 0;
  auto r = Import("orders",
                  "order_id,customer_id,date,amount\nO1,C1,1997-01-01,10\nO2,C404,1997-01-02,20\n"
                  "O3,C2,1997-01-03,30\nO1,C2,1997-01-04,40\n",
                  bulk);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->inserted, 2);
  ASSERT_EQ(r->rejected, 2);
  EXPECT_NE(r->rejects[0].reason.find("unknown customer 'C404'"), std::string::npos);
  EXPECT_NE(r->rejects[1].reason.find("duplicate of line 2"), std::string::npos);
  EXPECT_EQ(
      Count("SELECT count(*) FROM sqlite_master WHERE tbl_name = 'orders' AND type = 'index'"),
      indexes);
  EXPECT_EQ(Count("SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id"), 2);
  EXPECT_EQ(Count("PRAGMA foreign_keys"), 1);
  EXPECT_EQ(Text("PRAGMA journal_mode"), "wal");
  // The unique index is back and enforced.
  EXPECT_FALSE(db_->Exec("INSERT INTO orders (external_id, customer_id, order_date, amount, "
                         "created_at, updated_at) VALUES ('O1', 1, '1997-01-01', 1, 0, 0)")
                   .ok());
  // The customers of the loaded rows are marked in customers.record_tables
  // after the load, and the triggers that mark them row by row are back.
  auto order_bits = [&] {
    return Text(
        "SELECT group_concat(external_id || ':' || (record_tables & 16), ' ') FROM"
        " (SELECT external_id, record_tables FROM customers ORDER BY id)");
  };
  EXPECT_EQ(order_bits(), "C1:16 C2:16 C3:0");
  EXPECT_EQ(Count("SELECT count(*) FROM sqlite_master WHERE tbl_name = 'orders' AND type ="
                  " 'trigger'"),
            2);
  // Into a table that has rows, a file at least twice as long as the table takes the
  // same path: updates (O3 moves to C3, marked with the metrics' write), a
  // new row, and the existing ids still unique.
  auto again = Import("orders",
                      "order_id,customer_id,date,amount\nO1,C1,1997-01-01,11\nO3,C3,1997-01-03,30\n"
                      "O4,C3,1997-02-03,5\nO2,C1,1997-02-04,5\n",
                      bulk);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->updated, 2);
  EXPECT_EQ(again->inserted, 2);
  EXPECT_EQ(Count("PRAGMA foreign_keys"), 1);
  EXPECT_EQ(
      Count("SELECT count(*) FROM sqlite_master WHERE tbl_name = 'orders' AND type = 'index'"),
      indexes);
  EXPECT_EQ(Text("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(Count("SELECT order_count FROM customers WHERE external_id = 'C3'"), 2);
  EXPECT_EQ(Count("SELECT cumulative_sales FROM customers WHERE external_id = 'C1'"), 1600);
  // A file shorter than the table keeps the indexes live instead; its rows
  // are written the same.
  auto short_file =
      Import("orders", "order_id,customer_id,date,amount\nO5,C2,1997-03-01,7\n", bulk);
  ASSERT_TRUE(short_file.ok()) << short_file.status().ToString();
  EXPECT_EQ(short_file->inserted, 1);
  EXPECT_EQ(Count("SELECT order_count FROM customers WHERE external_id = 'C2'"), 1);
  EXPECT_EQ(order_bits(), "C1:16 C2:16 C3:16");
}

// A file said to be UTF-8 (--encoding) is not stored as it is when it is
// not: each row with bytes that are not UTF-8 is rejected naming its line,
// column and byte; control characters are refused in one-line text and kept
// (tabs, line breaks) in notes. (Without --encoding such a file is read as
// Windows-1252: import_formats_test.cc.)
TEST_F(ImportFixture, TextThatIsNotUtf8OrHoldsControlCharactersIsRejected) {
  ImportOptions utf8;
  utf8.encoding = "UTF-8";
  auto r = Import("customers",
                  "customer_id,name,city,notes\n"
                  "C1,Caf\xE9 Noir,Lyon,\n"  // line 2: Latin-1 e-acute
                  "C2,Bolt,Z\xFCrich,\n"     // line 3: Latin-1 u-umlaut
                  "C\xE9"
                  "3,Cask,Oslo,\n"                         // line 4: in the id
                  "C4,Du\x01ne,Rome,\n"                    // line 5: a control character
                  "C5,Caf\xC3\xA9,Lyon,\"one\n\ttwo\"\n",  // line 6: good
                  utf8);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->inserted, 1);
  ASSERT_EQ(r->rejected, 4);
  struct Want {
    int64_t line;
    const char* column;
    const char* reason;
  };
  const Want want[] = {{2, "name", "not valid UTF-8 at byte 4 of the value"},
                       {3, "city", "not valid UTF-8 at byte 2 of the value"},
                       {4, "customer_id", "not valid UTF-8 at byte 2 of the value"},
                       {5, "name", "a control character (0x01) at byte 3"}};
  for (size_t i = 0; i < std::size(want); ++i) {
    EXPECT_EQ(r->rejects[i].line, want[i].line) << i;
    EXPECT_EQ(r->rejects[i].column, want[i].column) << i;
    EXPECT_NE(r->rejects[i].reason.find(want[i].reason), std::string::npos) << r->rejects[i].reason;
  }
  EXPECT_EQ(Text("SELECT name FROM customers"), "Caf\xC3\xA9");
  EXPECT_EQ(Text("SELECT notes FROM customers"), "one\n\ttwo");
}

}  // namespace
}  // namespace tenure::engine
