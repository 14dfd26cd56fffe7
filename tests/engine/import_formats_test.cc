// The files companies really have (docs/import.md): encodings, local dates
// and decimal commas, spreadsheet ids, customers without names, quotes left
// open, ids that change between imports, and the preview (--dry-run).
#include <gtest/gtest.h>

#include <fstream>

#include "engine/import/value_formats.h"
#include "import_fixture.h"

namespace tenure::engine {
namespace {

TEST(ValueFormatsTest, LocalDatesAndNumbersRead) {
  auto d = ParseLocalDateTime("31/12/2011 17:05", DateOrder::kDayFirst);
  ASSERT_TRUE(d);
  EXPECT_EQ(FormatDate(d->date), "2011-12-31");
  EXPECT_TRUE(d->has_time);
  EXPECT_EQ(FormatTimestamp(d->utc), "2011-12-31T17:05:00Z");
  EXPECT_EQ(FormatTimestamp(ParseLocalDateTime("12/1/2010 8:26 PM", DateOrder::kMonthFirst)->utc),
            "2010-12-01T20:26:00Z");
  EXPECT_EQ(FormatDate(ParseLocalDateTime("01.02.11", DateOrder::kDayFirst)->date), "2011-02-01");
  EXPECT_EQ(FormatDate(ParseLocalDateTime("2010-12-01 08:26:00", DateOrder::kIsoOnly)->date),
            "2010-12-01");
  EXPECT_FALSE(ParseLocalDateTime("31/12/2011", DateOrder::kIsoOnly));
  EXPECT_FALSE(ParseLocalDateTime("31/12/2011", DateOrder::kMonthFirst));
  EXPECT_FALSE(ParseLocalDateTime("29/02/2011", DateOrder::kDayFirst));
  EXPECT_FALSE(ParseLocalDateTime("12/01/2011 25:00", DateOrder::kDayFirst));

  DateOrderVote vote;
  vote.Add("01/02/2011");
  EXPECT_TRUE(vote.open());
  EXPECT_EQ(vote.Decide(), DateOrder::kAmbiguous);
  vote.Add("02/13/2011");
  EXPECT_FALSE(vote.open());
  EXPECT_EQ(vote.Decide(), DateOrder::kMonthFirst);

  EXPECT_EQ(*CanonicalNumber("1.234,50", true), "1234.50");
  EXPECT_EQ(*CanonicalNumber("-1 234,5", true), "-1234.5");
  EXPECT_EQ(*CanonicalNumber("1,234,567.25", false), "1234567.25");
  EXPECT_FALSE(CanonicalNumber("1,23.5", false));  // not groups of three
  DecimalVote decimals;
  decimals.Add("1,234");  // thousands or decimals: tells nothing
  EXPECT_TRUE(decimals.open());
  decimals.Add("12,5");
  EXPECT_TRUE(decimals.decimal_comma());

  EXPECT_EQ(CanonicalId("17850.0"), "17850");
  EXPECT_EQ(CanonicalId("17850.00"), "17850");
  EXPECT_EQ(CanonicalId("17850.5"), "17850.5");
  EXPECT_EQ(CanonicalId("A1.0"), "A1.0");
  EXPECT_EQ(LooseIdKey("C-0042"), LooseIdKey("c0042"));
  EXPECT_EQ(LooseIdKey("0042"), LooseIdKey("42.0"));
}

TEST_F(ImportFixture, Latin1IsDetectedAndConverted) {
  auto r = Import("customers", "customer_id,name,city\nC1,Caf\xE9 Noir,Z\xFCrich\nC2,Bolt,Nice\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rejected, 0);
  EXPECT_EQ(r->format.encoding.name, "WINDOWS-1252");
  EXPECT_EQ(r->format.encoding.how, "not valid UTF-8 at byte 29");
  EXPECT_EQ(Text("SELECT name || '/' || city FROM customers WHERE external_id = 'C1'"),
            "Caf\xC3\xA9 Noir/Z\xC3\xBCrich");
  // Windows-1252's own characters (0x80-0x9F): the euro sign, curly quotes.
  ImportClean("customers",
              "customer_id,name\nC3,\x93"
              "Euro\x94 \x80 Ltd\n");
  EXPECT_EQ(Text("SELECT name FROM customers WHERE external_id = 'C3'"),
            "\xE2\x80\x9C"
            "Euro\xE2\x80\x9D \xE2\x82\xAC Ltd");
}

TEST_F(ImportFixture, Utf16WithByteOrderMarkIsConverted) {
  std::string utf8 = "customer_id;name\r\nC1;Zo\xC3\xAB\r\n";
  std::string utf16 = "\xFF\xFE";  // little-endian byte-order mark
  for (size_t i = 0; i < utf8.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(utf8[i]);
    if (c == 0xC3) {  // the one non-ASCII character: U+00EB
      utf16 += '\xEB', utf16 += '\0';
      ++i;
      continue;
    }
    utf16 += static_cast<char>(c), utf16 += '\0';
  }
  auto r = Import("customers", utf16);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->format.encoding.name, "UTF-16LE");
  EXPECT_EQ(r->format.delimiter, ';');
  EXPECT_EQ(Text("SELECT name FROM customers"), "Zo\xC3\xAB");
}

TEST_F(ImportFixture, AQuoteNeverClosedIsReportedWhereItOpenedAndTheRestImports) {
  ImportBasics();
  auto r = Import("orders",
                  "order_id,customer_id,date,amount\n"
                  "O1,C1,1997-01-01,10\n"
                  "O2,C1,1997-01-02,\"20\n"  // line 3: the quote is never closed
                  "O3,C2,1997-01-03,30\n"
                  "O4,C2,1997-01-04,40\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->inserted, 3);
  ASSERT_EQ(r->rejected, 1);
  EXPECT_EQ(r->rejects[0].line, 3);
  EXPECT_NE(r->rejects[0].reason.find("never closed"), std::string::npos) << r->rejects[0].reason;
  EXPECT_EQ(Text("SELECT group_concat(external_id) FROM orders"), "O1,O3,O4");
}

TEST_F(ImportFixture, DatesAreReadInTheOrderTheirColumnShows) {
  ImportBasics();
  // One day above 12 tells the order for the whole column.
  auto r = Import("orders", "id,customer,date,amount\nO1,C1,02/03/2011,1\nO2,C1,25/03/2011,2\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(
      r->format.date_order[domain::SpecOf(domain::Entity::kOrder).FieldIndex("order_date").value()],
      DateOrder::kDayFirst);
  EXPECT_EQ(Text("SELECT group_concat(order_date) FROM orders"), "2011-03-02,2011-03-25");
  r = Import("orders", "id,customer,date,amount\nO3,C1,02/03/2011,1\nO4,C1,03/25/2011,2\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Text("SELECT group_concat(order_date) FROM orders WHERE external_id IN ('O3','O4')"),
            "2011-02-03,2011-03-25");
  // Nothing tells: the import asks, naming the column, and writes nothing.
  const std::string ambiguous = "id,customer,Order Date,amount\nO5,C1,02/03/2011,1\n";
  r = Import("orders", ambiguous);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "--day-first");
  EXPECT_NE(r.status().message().find("column 'Order Date'"), std::string::npos);
  EXPECT_EQ(Count("SELECT count(*) FROM orders"), 4);
  ImportOptions day_first;
  day_first.date_order = DateOrder::kDayFirst;
  ImportClean("orders", ambiguous, day_first);
  EXPECT_EQ(Text("SELECT order_date FROM orders WHERE external_id = 'O5'"), "2011-03-02");
  // A timestamp keeps its time where the field has one.
  ImportClean("activities",
              "customer,kind,occurred_at\nC1,call,12/1/2010 8:26 PM\nC1,call,12/13/2010 09:00\n");
  EXPECT_EQ(Text("SELECT group_concat(occurred_at) FROM activities"),
            std::to_string(StartOf(*ParseIsoDate("2010-12-01")) + 20 * 3600 + 26 * 60) + "," +
                std::to_string(StartOf(*ParseIsoDate("2010-12-13")) + 9 * 3600));
}

TEST_F(ImportFixture, DecimalCommasAreDetectedAndThousandsRead) {
  ImportBasics();
  auto r = Import("orders",
                  "Bestellnummer;Kunde;Datum;Betrag\nO1;C1;31.01.2011;1.234,50\n"
                  "O2;C1;01.02.2011;12,5\n",
                  [] {
                    ImportOptions o;
                    o.maps = {{"Bestellnummer", "id"},
                              {"Kunde", "customer_id"},
                              {"Datum", "order_date"},
                              {"Betrag", "amount"}};
                    return o;
                  }());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rejected, 0);
  EXPECT_TRUE(r->format.decimal_comma);
  EXPECT_EQ(Text("SELECT group_concat(order_date || '=' || amount) FROM orders"),
            "2011-01-31=123450,2011-02-01=1250");
  ImportClean("orders", "id,customer,date,amount\nO3,C1,2011-02-02,\"1,234.50\"\n");
  EXPECT_EQ(Count("SELECT amount FROM orders WHERE external_id = 'O3'"), 123450);
}

TEST_F(ImportFixture, SpreadsheetIdsAreTheIdsAndNamelessCustomersAreNamedByThem) {
  // CustomerID as a spreadsheet writes it; no name column.
  auto r = Import("customers", "CustomerID,City\n17850.0,Leeds\n13047.0,York\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->inserted, 2);
  EXPECT_EQ(Text("SELECT group_concat(external_id || ':' || name || ':' || city) FROM customers"),
            "17850:17850:Leeds,13047:13047:York");
  ImportClean("orders",
              "InvoiceNo,CustomerID,InvoiceDate,Total\n536365,17850.0,2010-12-01 "
              "08:26:00,139.12\n");
  EXPECT_EQ(Text("SELECT external_id || ':' || customer_id || ':' || order_date FROM orders"),
            "536365:1:2010-12-01");
  // Names given later stay when a file without them comes again.
  ImportClean("customers", "customer_id,name\n17850,Hearts & Co\n");
  ImportClean("customers", "CustomerID,City\n17850.0,Hull\n");
  EXPECT_EQ(Text("SELECT name || '/' || city FROM customers WHERE external_id = '17850'"),
            "Hearts & Co/Hull");
}

TEST_F(ImportFixture, CreateCustomersNeverCreatesAnIdWrittenDifferently) {
  ImportClean("customers", "customer_id,name\nC-0042,Acme\n");
  ImportOptions create;
  create.create_customers = true;
  auto r =
      Import("orders", "customer,date,amount\nc0042,2011-01-01,5\nC-0043,2011-01-02,6\n", create);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->customers_created, 1);
  ASSERT_EQ(r->rejected, 1);
  EXPECT_NE(r->rejects[0].reason.find("there is a customer 'C-0042'"), std::string::npos)
      << r->rejects[0].reason;
  EXPECT_EQ(Text("SELECT group_concat(external_id) FROM customers"), "C-0042,C-0043");
}

TEST_F(ImportFixture, AChangedIdMappingStopsBeforeDuplicatingRows) {
  ImportBasics();
  const std::string orders = "invoice,customer,date,amount\n536365,C1,2011-01-01,5\n";
  // First without ids: the rows are known by their content.
  ImportClean("orders", "customer,date,amount\nC1,2011-01-01,5\nC2,2011-01-02,6\n");
  auto r = Import("orders", orders);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "--allow-new-ids");
  EXPECT_NE(r.status().message().find("the 2 orders in the database were imported without ids"),
            std::string::npos)
      << r.status().message();
  EXPECT_EQ(Count("SELECT count(*) FROM orders"), 2);
  ImportOptions allow;
  allow.allow_new_ids = true;
  ImportClean("orders", orders, allow);
  EXPECT_EQ(Count("SELECT count(*) FROM orders"), 3);
  // From then on they are imported with ids: a file without stops.
  r = Import("orders", "customer,date,amount\nC1,2011-01-01,5\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("were imported with ids"), std::string::npos)
      << r.status().message();
}

TEST_F(ImportFixture, ADryRunWritesNothingAndSaysWhatWouldHappen) {
  ImportBasics();
  ImportClean("orders", "id,customer,date,amount\nO1,C1,2011-01-01,5\n");
  const std::string before = Text(
      "SELECT (SELECT group_concat(external_id || amount || version) FROM orders) || "
      "(SELECT count(*) FROM audit_log) || (SELECT cumulative_sales FROM customers WHERE id = 1)");
  ImportOptions dry;
  dry.dry_run = true;
  dry.preview_rows = 2;
  auto r = Import("orders",
                  "id,customer,date,amount,colour\nO1,C1,2011-01-01,7,red\nO2,C2,2011-01-02,8,"
                  "blue\nO3,C9,2011-01-03,9,green\nO4,C1,2011-01-04,4,red\n",
                  dry);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->dry_run);
  EXPECT_EQ(r->inserted, 2);
  EXPECT_EQ(r->updated, 1);
  EXPECT_EQ(r->rejected, 1);
  ASSERT_EQ(r->preview.size(), 2u);
  EXPECT_EQ(r->preview[0][0], (std::pair<std::string, std::string>{"id", "O1"}));
  EXPECT_EQ(r->mapping.front(), (std::pair<std::string, std::string>{"id", "id"}));
  EXPECT_EQ(r->ignored_columns, std::vector<std::string>{"colour"});
  EXPECT_EQ(Text("SELECT (SELECT group_concat(external_id || amount || version) FROM orders) || "
                 "(SELECT count(*) FROM audit_log) || (SELECT cumulative_sales FROM customers "
                 "WHERE id = 1)"),
            before);
  EXPECT_FALSE(std::ifstream(dir_.File("orders.rejects.csv")).good());
}

}  // namespace
}  // namespace tenure::engine
