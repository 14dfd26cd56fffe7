#include "common/parallel.h"

#include <algorithm>
#include <thread>
#include <vector>

namespace tenure {

size_t ParallelThreads() { return std::max<size_t>(1, std::thread::hardware_concurrency()); }

void ParallelFor(size_t n, size_t min_per_part,
                 const std::function<void(size_t begin, size_t end, size_t part)>& body) {
  const size_t parts =
      std::max<size_t>(1, std::min(ParallelThreads(), n / std::max<size_t>(1, min_per_part)));
  std::vector<std::thread> threads;
  threads.reserve(parts - 1);
  const size_t step = (n + parts - 1) / parts;
  for (size_t part = 1; part < parts; ++part) {
    const size_t begin = std::min(n, part * step), end = std::min(n, begin + step);
    threads.emplace_back(body, begin, end, part);
  }
  body(0, std::min(n, step), 0);
  for (std::thread& thread : threads) thread.join();
}

}  // namespace tenure
