// Whether a database's history ends long before today. A database imported
// from an old export (its newest order years ago) gives every "as of today"
// figure an empty recent past: no customer bought lately, every one is
// overdue, the purchase models see years of silence. The commands that
// default their as-of date to today ask this, and say so.
#pragma once

#include <cstdint>
#include <optional>

#include "common/status.h"
#include "common/time.h"
#include "store/database.h"

namespace tenure::engine {

// A history counts as old when its newest order is more than this many days
// before today: half a year, longer than the purchase cycle of nearly every
// customer who still buys (docs/metrics.md), so a company in use never sees
// the warning, and an export from last year does.
inline constexpr int64_t kOldHistoryDays = 180;

struct OldHistory {
  Date newest_order;
  int64_t days_before = 0;  // today - newest_order
};

// The newest order's date and its distance from `today`, when that is more
// than `threshold_days`; nullopt when the history is recent, ends after
// today, or holds no order. Errors: those of store::NewestOrderDate.
Result<std::optional<OldHistory>> CheckHistoryAge(store::Database& db, Date today,
                                                  int64_t threshold_days = kOldHistoryDays);

}  // namespace tenure::engine
