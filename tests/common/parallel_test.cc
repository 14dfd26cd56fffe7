// ParallelFor: every index of [0, n) is visited exactly once, in contiguous
// parts numbered in order, and small loops stay on one part.
#include "common/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <vector>

namespace tenure {
namespace {

TEST(ParallelForTest, VisitsEveryIndexOnceInContiguousParts) {
  for (size_t n : {0u, 1u, 7u, 1000u, 100003u}) {
    std::vector<std::atomic<int>> visits(n);
    std::mutex mutex;
    std::vector<std::pair<size_t, size_t>> ranges(ParallelThreads(), {0, 0});
    ParallelFor(n, 1, [&](size_t begin, size_t end, size_t part) {
      ASSERT_LT(part, ParallelThreads());
      for (size_t i = begin; i < end; ++i) ++visits[i];
      std::lock_guard<std::mutex> lock(mutex);
      ranges[part] = {begin, end};
    });
    for (size_t i = 0; i < n; ++i) EXPECT_EQ(visits[i].load(), 1) << "n " << n << " i " << i;
    // Parts in order: each starts where the one before ended.
    size_t next = 0;
    for (const auto& [begin, end] : ranges) {
      if (begin == end) continue;
      EXPECT_EQ(begin, next) << "n " << n;
      next = end;
    }
    EXPECT_EQ(next, n);
  }
}

TEST(ParallelForTest, SmallLoopsRunOnThePartOfTheCaller) {
  std::atomic<int> calls = 0;
  ParallelFor(99, 100, [&](size_t begin, size_t end, size_t part) {
    ++calls;
    EXPECT_EQ(part, 0u);
    EXPECT_EQ(begin, 0u);
    EXPECT_EQ(end, 99u);
  });
  EXPECT_EQ(calls.load(), 1);
}

}  // namespace
}  // namespace tenure
