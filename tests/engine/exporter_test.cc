// Export to CSV and XLSX; a CSV export imports back into an empty database
// and exports the same again.
#include "engine/exporter.h"

#include <gtest/gtest.h>

#include "engine/import_fixture.h"

namespace tenure::engine {
namespace {

using tenure::testing::ReadFile;

// Drops the created_at,updated_at columns (the last two) of every CSV line.
std::string WithoutTimes(const std::string& csv) {
  std::string out;
  size_t start = 0;
  while (start < csv.size()) {
    size_t end = csv.find('\n', start);
    std::string line = csv.substr(start, end - start);
    for (int i = 0; i < 2; ++i) line = line.substr(0, line.rfind(','));
    out += line + "\n";
    start = end + 1;
  }
  return out;
}

TEST_F(ImportFixture, CsvExportReadsBackAsTheSameData) {
  ImportBasics();
  ImportClean("orders",
              "order_id,customer_id,date,amount,cost,quantity,status\n"
              "O1,C1,1997-01-01,11.77,5,1,completed\nO2,C2,1997-01-02,0.5,,2.5,cancelled\n");
  ImportClean("churn_events",
              "customer_id,date,type,reasons\nC2,1998-01-01,competition,price;competitor_offer\n");

  ExportOptions options;
  options.spec = domain::FindEntity("orders");
  options.out_path = dir_.File("orders-out.csv");
  auto rows = ExportEntity(*db_, options);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, 2);
  std::string orders = ReadFile(options.out_path);
  EXPECT_EQ(WithoutTimes(orders),
            "id,customer_id,user_id,contract_id,order_date,amount,cost,quantity,status\n"
            "O1,C1,,,1997-01-01,11.77,5.00,1,completed\n"
            "O2,C2,,,1997-01-02,0.50,,2.5,cancelled\n");

  options.spec = domain::FindEntity("churn_events");
  options.out_path = dir_.File("events-out.csv");
  ASSERT_TRUE(ExportEntity(*db_, options).ok());
  std::string events = ReadFile(options.out_path);
  EXPECT_NE(events.find(",C2,lost,1998-01-01,competition,competitor_offer;price,"),
            std::string::npos)
      << events;

  // Into a fresh database, in dependency order; the export there is the same.
  auto other = store::OpenStore(dir_.File("other.db"));
  ASSERT_TRUE(other.ok());
  for (const char* entity : {"teams", "users", "customers", "orders"}) {
    ExportOptions out;
    out.spec = domain::FindEntity(entity);
    out.out_path = dir_.File(std::string(entity) + "-1.csv");
    ASSERT_TRUE(ExportEntity(*db_, out).ok());
    ImportOptions in;
    in.spec = out.spec;
    in.path = out.out_path;
    auto r = ImportCsv(**other, in);
    ASSERT_TRUE(r.ok()) << entity << ": " << r.status().ToString();
    EXPECT_EQ(r->rejected, 0) << entity;
    EXPECT_TRUE(r->ignored_columns.size() == 2) << entity;  // created_at, updated_at
    ExportOptions again = out;
    again.out_path = dir_.File(std::string(entity) + "-2.csv");
    ASSERT_TRUE(ExportEntity(**other, again).ok());
    EXPECT_EQ(WithoutTimes(ReadFile(again.out_path)), WithoutTimes(ReadFile(out.out_path)))
        << entity;
  }
}

// A reference reads as the referenced row's external id, or as its internal
// id when it has none; a table where no row has an external id is read
// without a lookup per row, one where some rows have one with it.
TEST_F(ImportFixture, ReferencesReadAsExternalIdsOrInternalIds) {
  ImportBasics();
  ImportClean("orders",
              "order_id,customer_id,user,date,amount,status\n"
              "O1,C1,alice,1997-01-01,1.00,completed\nO2,C2,sam,1997-01-02,2.00,completed\n");
  const std::string alice = Text("SELECT id FROM users WHERE username = 'alice'");
  const std::string sam = Text("SELECT id FROM users WHERE username = 'sam'");
  // Users made in Tenure (`tenure user add`) have no external id.
  ASSERT_TRUE(db_->Exec("UPDATE users SET external_id = NULL").ok());
  ExportOptions options;
  options.spec = domain::FindEntity("orders");
  options.out_path = dir_.File("orders-out.csv");
  auto user_ids = [&] {
    EXPECT_TRUE(ExportEntity(*db_, options).ok());
    std::string csv = ReadFile(options.out_path);
    std::string out;
    for (const char* order : {"O1,", "O2,"}) {
      size_t at = csv.find(std::string("\n") + order);
      EXPECT_NE(at, std::string::npos) << csv;
      if (at == std::string::npos) return out;
      size_t user = csv.find(',', csv.find(',', at + 1) + 1) + 1;  // after id, customer_id
      out += csv.substr(user, csv.find(',', user) - user) + " ";
    }
    return out;
  };
  EXPECT_EQ(user_ids(), alice + " " + sam + " ");
  ASSERT_TRUE(db_->Exec("UPDATE users SET external_id = 'U-ALICE' WHERE username = 'alice'").ok());
  EXPECT_EQ(user_ids(), "U-ALICE " + sam + " ");
}

TEST_F(ImportFixture, XlsxExportWritesAWorkbook) {
  ImportBasics();
  ExportOptions options;
  options.spec = domain::FindEntity("customers");
  options.format = ExportFormat::kXlsx;
  options.out_path = dir_.File("customers.xlsx");
  auto rows = ExportEntity(*db_, options);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, 2);
  std::string book = ReadFile(options.out_path);
  ASSERT_GT(book.size(), 1000u);
  EXPECT_EQ(book.substr(0, 2), "PK");  // an XLSX file is a zip archive
  EXPECT_NE(book.find("xl/worksheets/sheet1.xml"), std::string::npos);

  options.out_path.clear();
  auto no_file = ExportEntity(*db_, options);
  ASSERT_FALSE(no_file.ok());
  EXPECT_EQ(no_file.status().field(), "--out");

  options.out_path = dir_.File("no-such-dir/customers.xlsx");
  EXPECT_FALSE(ExportEntity(*db_, options).ok());
}

}  // namespace
}  // namespace tenure::engine
