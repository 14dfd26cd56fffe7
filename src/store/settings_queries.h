// The settings table (schema 011): facts about the database as a whole, a
// text value per key.
//
// Thread safety: as Database (one thread at a time).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "store/database.h"

namespace tenure::store {

// The value of `key`; nullopt when the database has none.
Result<std::optional<std::string>> LoadSetting(Database& db, std::string_view key);

// Sets `key` to `value`, replacing what was there.
// REQUIRES: a transaction is open.
Status StoreSetting(Database& db, std::string_view key, std::string_view value);

}  // namespace tenure::store
