// Schema versions: a new database gets the latest schema, an older one is
// migrated, a newer one or a foreign one is refused and left untouched.
#include "store/migrations.h"

#include <gtest/gtest.h>

#include "testing/temp_dir.h"

namespace tenure::store {
namespace {

using tenure::testing::TempDir;

std::string Text(Database& db, const std::string& sql) {
  auto stmt = db.Prepare(sql);
  EXPECT_TRUE(stmt.ok()) << stmt.status().ToString();
  auto row = (*stmt)->Step();
  EXPECT_TRUE(row.ok() && *row);
  return std::string((*stmt)->Text(0));
}

TEST(MigrationsTest, NewDatabaseGetsLatestSchema) {
  TempDir dir;
  auto db = OpenStore(dir.File("t.db"));
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EXPECT_EQ(*SchemaVersion(**db), LatestSchemaVersion());
  EXPECT_GE(LatestSchemaVersion(), 1);
  for (const char* table :
       {"users", "teams", "customers", "contacts", "activities", "opportunities", "quotations",
        "orders", "contracts", "invoices", "expenses", "complaints", "churn_events",
        "churn_reasons", "churn_event_reasons", "ownership_changes", "audit_log"}) {
    EXPECT_EQ(*QueryInt(**db, std::string("SELECT count(*) FROM sqlite_master WHERE name = '") +
                                  table + "'"),
              1)
        << table;
  }
  EXPECT_EQ(*QueryInt(**db, "PRAGMA foreign_keys"), 1);
  EXPECT_EQ(Text(**db, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(*QueryInt(**db, "SELECT count(*) FROM churn_reasons"), 12);
}

TEST(MigrationsTest, ReopeningDoesNotMigrateAgain) {
  TempDir dir;
  ASSERT_TRUE(OpenStore(dir.File("t.db")).ok());
  auto db = OpenStore(dir.File("t.db"));
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(*QueryInt(**db, "SELECT count(*) FROM schema_migrations"),
            static_cast<int64_t>(SqliteMigrations().size()));
}

TEST(MigrationsTest, OlderDatabaseIsMigrated) {
  const Migration v1[] = {{1, "001_a", "CREATE TABLE a (x INTEGER);"}};
  const Migration v2[] = {{1, "001_a", "CREATE TABLE a (x INTEGER);"},
                          {2, "002_b", "ALTER TABLE a ADD COLUMN y TEXT; CREATE TABLE b (z);"}};
  TempDir dir;
  auto db = Database::OpenSqlite(dir.File("t.db"));
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(Migrate(**db, v1).ok());
  ASSERT_TRUE((*db)->Exec("INSERT INTO a (x) VALUES (7)").ok());
  ASSERT_TRUE(Migrate(**db, v2).ok());
  EXPECT_EQ(*SchemaVersion(**db), 2);
  EXPECT_EQ(*QueryInt(**db, "SELECT x FROM a WHERE y IS NULL"), 7);  // data kept
}

TEST(MigrationsTest, FailingMigrationIsRolledBack) {
  const Migration list[] = {{1, "001_a", "CREATE TABLE a (x INTEGER);"},
                            {2, "002_bad", "CREATE TABLE c (x); SELECT * FROM missing_table;"}};
  TempDir dir;
  auto db = Database::OpenSqlite(dir.File("t.db"));
  ASSERT_TRUE(db.ok());
  Status status = Migrate(**db, list);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("002_bad"), std::string::npos) << status.message();
  EXPECT_EQ(*SchemaVersion(**db), 1);
  EXPECT_EQ(*QueryInt(**db, "SELECT count(*) FROM sqlite_master WHERE name = 'c'"), 0);
}

TEST(MigrationsTest, ScoresMoveFromTheCustomerRowToTheirOwnTable) {
  // A database at schema 5 with two customers, one scored on the customer
  // row, then opened by this build: schema 6 moves the score to
  // customer_scores under a run carried over from schema 5, and drops the
  // columns from customers.
  std::span<const Migration> all = SqliteMigrations();
  ASSERT_GE(all.size(), 6u);
  ASSERT_EQ(all[5].version, 6);
  TempDir dir;
  {
    auto db = Database::OpenSqlite(dir.File("t.db"));
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(Migrate(**db, all.first(5)).ok());
    ASSERT_TRUE((*db)
                    ->Exec("INSERT INTO customers (external_id, name, created_at, updated_at,"
                           " p_alive, expected_purchases_30, expected_purchases_90,"
                           " expected_purchases_365, clv, model_next_purchase_date, scored_at,"
                           " score_model) VALUES ('C1', 'Acme', 0, 0, 0.75, 1.5, 2.5, 3.5, 1234,"
                           " '2025-02-01', 1735689600, 'pnbd');"
                           "INSERT INTO customers (external_id, name, created_at, updated_at)"
                           " VALUES ('C2', 'Bolt', 0, 0)")
                    .ok());
    EXPECT_EQ(*SchemaVersion(**db), 5);
  }
  auto db = OpenStore(dir.File("t.db"));
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EXPECT_GE(*SchemaVersion(**db), 6);
  EXPECT_EQ(*QueryInt(**db, "SELECT count(*) FROM customers"), 2);
  EXPECT_EQ(*QueryInt(**db,
                      "SELECT count(*) FROM customer_scores s JOIN customers c ON c.id ="
                      " s.customer_id JOIN score_runs r ON r.id = s.run_id WHERE c.external_id ="
                      " 'C1' AND s.p_alive = 0.75 AND s.expected_purchases_30 = 1.5 AND"
                      " s.expected_purchases_90 = 2.5 AND s.expected_purchases_365 = 3.5 AND"
                      " s.clv = 1234 AND s.model_next_purchase_date = '2025-02-01' AND"
                      " r.scored_at = 1735689600 AND r.model = 'pnbd' AND r.as_of IS NULL"),
            1);
  EXPECT_EQ(*QueryInt(**db, "SELECT count(*) FROM customer_scores"), 1);
  EXPECT_EQ(*QueryInt(**db,
                      "SELECT count(*) FROM pragma_table_info('customers') WHERE name IN"
                      " ('p_alive', 'clv', 'scored_at', 'score_model')"),
            0);
}

TEST(MigrationsTest, NewerDatabaseIsRefusedAndUntouched) {
  TempDir dir;
  {
    auto db = OpenStore(dir.File("t.db"));
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("INSERT INTO schema_migrations VALUES (999, '999_future', 0)").ok());
  }
  auto db = OpenStore(dir.File("t.db"));
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), Status::Code::kCorruption);
  EXPECT_NE(db.status().message().find("schema version 999"), std::string::npos)
      << db.status().message();
  EXPECT_NE(db.status().message().find("upgrade tenure"), std::string::npos);
  auto raw = Database::OpenSqlite(dir.File("t.db"));
  EXPECT_EQ(*QueryInt(**raw, "SELECT max(version) FROM schema_migrations"), 999);
}

TEST(MigrationsTest, ForeignDatabaseIsRefused) {
  TempDir dir;
  {
    auto db = Database::OpenSqlite(dir.File("other.db"));
    ASSERT_TRUE((*db)->Exec("CREATE TABLE stuff (x)").ok());
  }
  auto db = OpenStore(dir.File("other.db"));
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.status().message().find("is not a Tenure database"), std::string::npos);
}

TEST(MigrationsTest, NonSqliteFileIsRefusedWithItsName) {
  TempDir dir;
  std::string path = dir.Write("notes.db", "this is not a database, just text\n");
  auto db = OpenStore(path);
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.status().message().find(path), std::string::npos) << db.status().message();
}

// Schema 10 repairs text stored before Tenure refused text that is not
// UTF-8: each stray byte becomes U+FFFD; valid text and NULLs stay as they
// were.
TEST(MigrationsTest, TextThatIsNotUtf8IsRepaired) {
  std::span<const Migration> all = SqliteMigrations();
  ASSERT_GE(all.size(), 10u);
  ASSERT_EQ(all[9].version, 10);
  TempDir dir;
  {
    auto db = Database::OpenSqlite(dir.File("t.db"));
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(Migrate(**db, all.first(9)).ok());
    ASSERT_TRUE((*db)
                    ->Exec("INSERT INTO customers (external_id, name, city, created_at, updated_at)"
                           " VALUES (CAST(X'4331E9' AS TEXT), CAST(X'436166E9204E6F6972' AS TEXT),"
                           " NULL, 0, 0), ('C2', 'Caf\xC3\xA9', 'Oslo', 0, 0)")
                    .ok());
  }
  auto db = OpenStore(dir.File("t.db"));
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  auto text = [&](const std::string& sql) {
    auto stmt = (*db)->Prepare(sql);
    EXPECT_TRUE(stmt.ok());
    EXPECT_TRUE(*(*stmt)->Step());
    return (*stmt)->IsNull(0) ? std::string("<null>") : std::string((*stmt)->Text(0));
  };
  EXPECT_EQ(text("SELECT name FROM customers WHERE id = 1"), "Caf\xEF\xBF\xBD Noir");
  EXPECT_EQ(text("SELECT external_id FROM customers WHERE id = 1"), "C1\xEF\xBF\xBD");
  EXPECT_EQ(text("SELECT city FROM customers WHERE id = 1"), "<null>");
  EXPECT_EQ(text("SELECT name FROM customers WHERE id = 2"), "Caf\xC3\xA9");
  EXPECT_EQ(text("SELECT city FROM customers WHERE id = 2"), "Oslo");
}

}  // namespace
}  // namespace tenure::store
