#include "store/settings_queries.h"

namespace tenure::store {

Result<std::optional<std::string>> LoadSetting(Database& db, std::string_view key) {
  auto stmt = db.Prepare("SELECT value FROM settings WHERE key = ?1");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindText(1, key);
  Result<bool> row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(std::string((*stmt)->Text(0)));
}

Status StoreSetting(Database& db, std::string_view key, std::string_view value) {
  auto stmt = db.Prepare(
      "INSERT INTO settings (key, value) VALUES (?1, ?2)"
      " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindText(1, key);
  (*stmt)->BindText(2, value);
  return (*stmt)->Run();
}

}  // namespace tenure::store
