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

}  // namespace
}  // namespace tenure::store
