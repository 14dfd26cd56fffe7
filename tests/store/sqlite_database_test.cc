// The SQLite store's statement cache: a statement that goes away is kept and
// handed out again for the same SQL, and a statement in use survives the
// cache dropping its other texts when it holds too many.
#include <gtest/gtest.h>

#include <string>

#include "store/database.h"
#include "testing/temp_dir.h"

namespace tenure::store {
namespace {

using tenure::testing::TempDir;

TEST(SqliteDatabaseTest, StatementsInUseOutliveTheCacheDroppingOtherTexts) {
  TempDir dir;
  auto db = Database::OpenSqlite(dir.File("t.db"));
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  auto held = (*db)->Prepare("SELECT ?1 + 1");
  ASSERT_TRUE(held.ok());
  (*held)->BindInt(1, 41);
  // More distinct texts than the cache keeps (1,024), each run once.
  for (int i = 0; i < 1500; ++i) {
    auto stmt = (*db)->Prepare("SELECT " + std::to_string(i));
    ASSERT_TRUE(stmt.ok()) << i;
    Result<bool> row = (*stmt)->Step();
    ASSERT_TRUE(row.ok() && *row) << i;
    EXPECT_EQ((*stmt)->Int(0), i);
  }
  Result<bool> row = (*held)->Step();
  ASSERT_TRUE(row.ok() && *row) << row.status().ToString();
  EXPECT_EQ((*held)->Int(0), 42);
  held->reset();  // back to the cache, reset and unbound

  // The same text again, twice at once: the kept statement and a new one.
  auto first = (*db)->Prepare("SELECT ?1 + 1");
  auto second = (*db)->Prepare("SELECT ?1 + 1");
  ASSERT_TRUE(first.ok() && second.ok());
  row = (*first)->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_TRUE((*first)->IsNull(0));  // the binding was cleared: NULL + 1
  (*second)->BindInt(1, 1);
  row = (*second)->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ((*second)->Int(0), 2);
}

// No write path can store text that is not UTF-8: a statement with such a
// parameter is refused when it runs, naming the parameter and the byte, and
// writes nothing; the same statement runs once the text is valid.
TEST(SqliteDatabaseTest, TextThatIsNotUtf8IsRefused) {
  TempDir dir;
  auto db = Database::OpenSqlite(dir.File("t.db"));
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  ASSERT_TRUE((*db)->Exec("CREATE TABLE t (name TEXT)").ok());
  auto insert = (*db)->Prepare("INSERT INTO t (name) VALUES (?1)");
  ASSERT_TRUE(insert.ok());
  for (std::string bad :
       {std::string("Caf\xE9"), std::string("\xC0\xAF"), std::string("ok \xED\xA0\x80 surrogate"),
        std::string("\xF5\x80\x80\x80")}) {
    (*insert)->BindText(1, bad);
    Status refused = (*insert)->Run();
    EXPECT_EQ(refused.code(), Status::Code::kInvalidArgument) << bad;
    EXPECT_NE(refused.message().find("not valid UTF-8"), std::string::npos) << refused.message();
  }
  EXPECT_EQ(*QueryInt(**db, "SELECT count(*) FROM t"), 0);
  (*insert)->BindText(1, "Caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80");
  EXPECT_TRUE((*insert)->Run().ok());
  EXPECT_EQ(*QueryInt(**db, "SELECT count(*) FROM t"), 1);
}

// A file that may not be written is opened for reading: it reads, and a
// write says the database is read-only rather than failing at open.
TEST(SqliteDatabaseTest, ReadOnlyOpenReadsAndRefusesWrites) {
  TempDir dir;
  {
    auto db = Database::OpenSqlite(dir.File("t.db"));
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (7)").ok());
  }
  auto db = Database::OpenSqlite(dir.File("t.db"), {.create = false, .read_only = true});
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EXPECT_EQ(*QueryInt(**db, "SELECT n FROM t"), 7);
  Status write = (*db)->Exec("INSERT INTO t VALUES (8)");
  EXPECT_FALSE(write.ok());
  EXPECT_NE(write.message().find("read-only"), std::string::npos) << write.message();
}

}  // namespace
}  // namespace tenure::store
