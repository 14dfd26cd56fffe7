#include "common/id_index.h"

#include <gtest/gtest.h>

#include <string>
#include <unordered_map>

namespace tenure {
namespace {

TEST(IdIndexTest, InsertFindAssignErase) {
  IdIndex index;
  EXPECT_FALSE(index.Find("a"));
  EXPECT_TRUE(index.Insert("a", 1));
  EXPECT_FALSE(index.Insert("a", 2));  // present: unchanged
  EXPECT_EQ(*index.Find("a"), 1);
  index.Assign("a", 3);
  EXPECT_EQ(*index.Find("a"), 3);
  index.Assign("", 4);  // the empty key is a key
  EXPECT_EQ(*index.Find(""), 4);
  EXPECT_EQ(index.size(), 2u);
  EXPECT_TRUE(index.Erase("a"));
  EXPECT_FALSE(index.Erase("a"));
  EXPECT_FALSE(index.Find("a"));
  EXPECT_TRUE(index.Insert("a", 5));
  EXPECT_EQ(*index.Find("a"), 5);
  EXPECT_EQ(index.size(), 2u);
}

TEST(IdIndexTest, AgreesWithUnorderedMapUnderChurn) {
  IdIndex index;
  std::unordered_map<std::string, int64_t> expected;
  uint64_t x = 12345;
  for (int step = 0; step < 200000; ++step) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    std::string key = "K" + std::to_string((x >> 33) % 5000);
    switch ((x >> 20) % 4) {
      case 0:
        EXPECT_EQ(index.Insert(key, step), expected.emplace(key, step).second);
        break;
      case 1:
        index.Assign(key, step);
        expected[key] = step;
        break;
      case 2:
        EXPECT_EQ(index.Erase(key), expected.erase(key) == 1);
        break;
      default: {
        auto it = expected.find(key);
        auto found = index.Find(key);
        ASSERT_EQ(found.has_value(), it != expected.end()) << key;
        if (found) {
          EXPECT_EQ(*found, it->second);
        }
      }
    }
  }
  EXPECT_EQ(index.size(), expected.size());
  size_t seen = 0;
  index.ForEach([&](std::string_view key, int64_t id) {
    ++seen;
    EXPECT_EQ(expected.at(std::string(key)), id);
  });
  EXPECT_EQ(seen, expected.size());
}

TEST(IdIndexTest, ReserveKeepsEntries) {
  IdIndex index;
  for (int i = 0; i < 1000; ++i) index.Insert(std::to_string(i), i);
  index.Reserve(100000);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(*index.Find(std::to_string(i)), i);
}

}  // namespace
}  // namespace tenure
