// The generic row writer and reader behind import, export and the demo.
#include "store/entity_table.h"

#include <gtest/gtest.h>

#include "store/migrations.h"
#include "testing/temp_dir.h"

namespace tenure::store {
namespace {

using domain::Entity;
using domain::Row;
using domain::SpecOf;
using tenure::testing::TempDir;

const Timestamp kJan1 = StartOf(MakeDate(2026, 1, 1));

class EntityTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = OpenStore(dir_.File("t.db"));
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    db_ = std::move(*opened);
  }
  // Writes a customer with only a name.
  void AddCustomer(int64_t id, const std::string& external_id, const std::string& name) {
    const auto& spec = SpecOf(Entity::kCustomer);
    auto writer = RowWriter::Create(*db_, spec, {*spec.FieldIndex("name")});
    ASSERT_TRUE(writer.ok());
    Row row(spec.fields.size());
    row[*spec.FieldIndex("name")] = name;
    ASSERT_TRUE((*writer)->Insert(id, external_id, row, kJan1).ok());
  }

  TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(EntityTableTest, UpdateReportsWhetherAnythingChanged) {
  AddCustomer(1, "C1", "Acme");
  const auto& spec = SpecOf(Entity::kCustomer);
  size_t name = *spec.FieldIndex("name");
  size_t city = *spec.FieldIndex("city");
  auto writer = RowWriter::Create(*db_, spec, {name, city});
  ASSERT_TRUE(writer.ok());
  Row row(spec.fields.size());
  row[name] = std::string("Acme");
  row[city] = std::string("Lyon");
  EXPECT_TRUE(*(*writer)->Update(1, row, kJan1 + 86400));
  EXPECT_FALSE(*(*writer)->Update(1, row, kJan1 + 2 * 86400));
  EXPECT_EQ(*QueryInt(*db_, "SELECT version FROM customers WHERE id = 1"), 2);
  EXPECT_EQ(*QueryInt(*db_, "SELECT updated_at FROM customers WHERE id = 1"), kJan1 + 86400);
}

TEST_F(EntityTableTest, ConstraintViolationIsAConflictAndWritesNothing) {
  const auto& spec = SpecOf(Entity::kOrder);
  std::vector<size_t> columns = {*spec.FieldIndex("customer_id"), *spec.FieldIndex("order_date"),
                                 *spec.FieldIndex("amount")};
  auto writer = RowWriter::Create(*db_, spec, columns);
  ASSERT_TRUE(writer.ok());
  Row row(spec.fields.size());
  row[columns[0]] = int64_t{42};  // no such customer
  row[columns[1]] = std::string("1997-01-01");
  row[columns[2]] = int64_t{100};
  Status status = (*writer)->Insert(1, "", row, kJan1);
  EXPECT_EQ(status.code(), Status::Code::kConflict) << status.ToString();
  EXPECT_EQ(*QueryInt(*db_, "SELECT count(*) FROM orders"), 0);
}

TEST_F(EntityTableTest, IdIndexHoldsExternalIdsAndNaturalKeys) {
  const auto& users = SpecOf(Entity::kUser);
  size_t username = *users.FieldIndex("username");
  auto writer = RowWriter::Create(*db_, users, {username});
  Row row(users.fields.size());
  row[username] = std::string("alice");
  ASSERT_TRUE((*writer)->Insert(5, "U-5", row, kJan1).ok());
  IdIndex index;
  ASSERT_TRUE(LoadIdIndex(*db_, users, index).ok());
  EXPECT_EQ(*index.Find("U-5"), 5);
  EXPECT_EQ(*index.Find("alice"), 5);
  EXPECT_EQ(*MaxRowId(*db_, users), 5);
}

TEST_F(EntityTableTest, ScanShowsReferencesByExternalIdAndReasonsByCode) {
  AddCustomer(1, "C1", "Acme");
  const auto& spec = SpecOf(Entity::kChurnEvent);
  std::vector<size_t> columns = {*spec.FieldIndex("customer_id"), *spec.FieldIndex("occurred_on"),
                                 *spec.FieldIndex("churn_type"), *spec.FieldIndex("reasons")};
  auto writer = RowWriter::Create(*db_, spec, columns);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  Row row(spec.fields.size());
  row[columns[0]] = int64_t{1};
  row[columns[1]] = std::string("2026-02-01");
  row[columns[2]] = int64_t{2};
  row[columns[3]] = std::string("competitor_offer;price");
  ASSERT_TRUE((*writer)->Insert(1, "", row, kJan1).ok());
  EXPECT_EQ(*QueryInt(*db_, "SELECT count(*) FROM churn_event_reasons"), 2);

  // Same reasons: unchanged; different reasons: replaced.
  EXPECT_FALSE(*(*writer)->Update(1, row, kJan1 + 86400));
  row[columns[3]] = std::string("price");
  EXPECT_TRUE(*(*writer)->Update(1, row, kJan1 + 86400));
  EXPECT_EQ(*QueryInt(*db_, "SELECT count(*) FROM churn_event_reasons"), 1);

  std::vector<ExportRow> rows;
  ASSERT_TRUE(ScanRows(*db_, spec, [&](const ExportRow& r) {
                rows.push_back(r);
                return Status::Ok();
              }).ok());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(std::get<std::string>(rows[0].values[columns[0]]), "C1");
  EXPECT_EQ(std::get<std::string>(rows[0].values[columns[3]]), "price");
  EXPECT_EQ(std::get<int64_t>(rows[0].values[columns[2]]), 2);
  // By the customer: its reference text comes from the caller, who must give it.
  rows.clear();
  auto collect = [&](const ExportRow& r) {
    rows.push_back(r);
    return Status::Ok();
  };
  EXPECT_EQ(ScanRows(*db_, spec, ScanFilter{"customer_id", 1}, collect).code(),
            Status::Code::kInvalidArgument);
  ASSERT_TRUE(ScanRows(*db_, spec, ScanFilter{"customer_id", 1, "C1"}, collect).ok());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(std::get<std::string>(rows[0].values[columns[0]]), "C1");

  // A code that names no reason is refused rather than dropped (the importer
  // and the API check the codes before they get here).
  row[columns[3]] = std::string("price;weather");
  Status unknown = (*writer)->Insert(2, "", row, kJan1);
  EXPECT_EQ(unknown.code(), Status::Code::kInvalidArgument) << unknown.ToString();
  EXPECT_EQ(unknown.field(), "reasons");
  EXPECT_NE(unknown.message().find("'weather'"), std::string::npos) << unknown.ToString();
}

TEST_F(EntityTableTest, DropIndexesReturnsWhatRecreatesThem) {
  auto before = QueryInt(
      *db_, "SELECT count(*) FROM sqlite_master WHERE tbl_name = 'orders' AND type = 'index'");
  auto sql = DropIndexes(*db_, "orders");
  ASSERT_TRUE(sql.ok());
  EXPECT_EQ(static_cast<int64_t>(sql->size()), *before);
  EXPECT_EQ(
      *QueryInt(*db_,
                "SELECT count(*) FROM sqlite_master WHERE tbl_name = 'orders' AND type = 'index'"),
      0);
  for (const std::string& statement : *sql) ASSERT_TRUE(db_->Exec(statement).ok());
  EXPECT_EQ(
      *QueryInt(*db_,
                "SELECT count(*) FROM sqlite_master WHERE tbl_name = 'orders' AND type = 'index'"),
      *before);
}

TEST_F(EntityTableTest, BulkLoadSwitchesSettingsAndRestoresThem) {
  auto mode = [&] {
    auto stmt = db_->Prepare("PRAGMA journal_mode");
    EXPECT_TRUE(stmt.ok() && (*stmt)->Step().ok());
    return std::string((*stmt)->Text(0));
  };
  {
    BulkLoad bulk(*db_);
    EXPECT_EQ(mode(), "delete");
    EXPECT_EQ(*QueryInt(*db_, "PRAGMA foreign_keys"), 0);
  }
  EXPECT_EQ(mode(), "wal");
  EXPECT_EQ(*QueryInt(*db_, "PRAGMA foreign_keys"), 1);
  // With another connection on the file, WAL stays (and still is restored).
  auto other = OpenStore(dir_.File("t.db"));
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE((*other)->Exec("SELECT count(*) FROM customers").ok());
  {
    BulkLoad bulk(*db_);
    EXPECT_EQ(mode(), "wal");
  }
  EXPECT_EQ(mode(), "wal");
}

}  // namespace
}  // namespace tenure::store
