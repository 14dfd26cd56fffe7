// Splitting a loop over [0, n) across the machine's cores.
#pragma once

#include <cstddef>
#include <functional>

namespace tenure {

// The number of threads ParallelFor uses: the machine's hardware threads
// (at least 1).
size_t ParallelThreads();

// Calls body(begin, end, part) on up to ParallelThreads() contiguous parts of
// [0, n), each on its own thread (the first on the calling thread), and
// returns when all have finished. Parts are numbered 0.. in order; a loop of
// fewer than `min_per_part` items per part uses fewer parts, so small loops
// run on the caller alone. `body` must not throw.
void ParallelFor(size_t n, size_t min_per_part,
                 const std::function<void(size_t begin, size_t end, size_t part)>& body);

}  // namespace tenure
