#include "engine/history_age.h"

#include "store/queries.h"

namespace tenure::engine {

Result<std::optional<OldHistory>> CheckHistoryAge(store::Database& db, Date today,
                                                  int64_t threshold_days) {
  auto newest = store::NewestOrderDate(db);
  if (!newest.ok()) return newest.status();
  if (!*newest) return std::optional<OldHistory>();
  const int64_t days = today.days - (*newest)->days;
  if (days <= threshold_days) return std::optional<OldHistory>();
  return std::optional<OldHistory>(OldHistory{**newest, days});
}

}  // namespace tenure::engine
