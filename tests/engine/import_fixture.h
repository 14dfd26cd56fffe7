// A fresh database in a temporary directory, and helpers to import CSV text.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "engine/import/importer.h"
#include "store/migrations.h"
#include "testing/paths.h"
#include "testing/temp_dir.h"

namespace tenure::engine {

class ImportFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::OpenStore(dir_.File("t.db"));
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    db_ = std::move(*opened);
  }

  // Writes `csv` to NAME.csv and imports it as `entity`.
  Result<ImportReport> Import(const std::string& entity, const std::string& csv,
                              ImportOptions options = {}, const std::string& name = "") {
    options.path = dir_.Write((name.empty() ? entity : name) + ".csv", csv);
    options.spec = domain::FindEntity(entity);
    EXPECT_NE(options.spec, nullptr) << entity;
    return ImportCsv(*db_, options);
  }

  // Imports and expects success without rejects.
  ImportReport ImportClean(const std::string& entity, const std::string& csv,
                           ImportOptions options = {}) {
    auto report = Import(entity, csv, std::move(options));
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    if (!report.ok()) return {};
    for (const auto& r : report->rejects) {
      ADD_FAILURE() << entity << " line " << r.line << " column " << r.column << ": " << r.reason;
    }
    return *report;
  }

  // Imports tests/data/FILE, a CDNOW log (customer_id,date,quantity,amount),
  // as orders, creating their customers, and expects no reject.
  ImportReport ImportCdnowOrders(const std::string& file) {
    ImportOptions options;
    options.path = std::string(TENURE_TEST_DATA) + "/" + file;
    options.spec = domain::FindEntity("orders");
    options.create_customers = true;
    options.rejects_path = dir_.File("cdnow.rejects.csv");
    auto imported = ImportCsv(*db_, options);
    EXPECT_TRUE(imported.ok()) << imported.status().ToString();
    if (!imported.ok()) return {};
    EXPECT_EQ(imported->rejected, 0);
    return *imported;
  }

  int64_t Count(const std::string& sql) {
    auto n = store::QueryInt(*db_, sql);
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? *n : -1;
  }

  std::string Text(const std::string& sql) {
    auto stmt = db_->Prepare(sql);
    EXPECT_TRUE(stmt.ok()) << stmt.status().ToString();
    if (!stmt.ok()) return "<error>";
    auto row = (*stmt)->Step();
    if (!row.ok() || !*row || (*stmt)->IsNull(0)) return "<null>";
    return std::string((*stmt)->Text(0));
  }

  // A small company: a team, two users, two customers.
  void ImportBasics() {
    ImportClean("teams", "name\nNorth\n");
    ImportClean("users",
                "username,full_name,role,team\nalice,Alice A,sales,North\n"
                "sam,Sam S,service,North\n");
    ImportClean("customers",
                "customer_id,name,city,owner,level\nC1,Acme,Lyon,alice,A\n"
                "C2,Bolt,Nice,alice,B\n");
  }

  tenure::testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
};

}  // namespace tenure::engine
