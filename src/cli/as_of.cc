// The dates of the commands' options, and the warning of the commands that
// compute as of today on a database whose history ended long before
// (engine/history_age.h).
#include <fmt/format.h>

#include <cstdio>

#include "cli/commands.h"
#include "common/text.h"
#include "common/time.h"
#include "engine/history_age.h"

namespace tenure::cli {

Result<Date> ParseDateOption(const std::string& text, std::string_view option, Date fallback) {
  if (text.empty()) return fallback;
  std::optional<Date> day = ParseIsoDate(text);
  if (!day) {
    return Status::InvalidArgument("not a date '" + text + "' (expected YYYY-MM-DD)",
                                   std::string(option));
  }
  return *day;
}

void WarnIfHistoryIsOld(store::Database& db, const std::string& db_path, std::string_view option,
                        std::string_view computed, std::string_view to_see) {
  auto old = engine::CheckHistoryAge(db, TodayUtc());
  if (!old.ok() || !*old) return;
  const std::string newest = FormatDate((*old)->newest_order);
  fmt::print(
      stderr, "tenure: the newest order in {} is {}, {} days before today; {} — pass {} {} {}\n",
      db_path, newest, GroupThousands((*old)->days_before), computed, option, newest, to_see);
}

}  // namespace tenure::cli
