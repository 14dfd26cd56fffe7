// Schema versions. The schema is a list of numbered SQL files per dialect
// (src/store/schema/<dialect>/NNN_name.sql), embedded at build time. A
// database records each applied version in schema_migrations.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"
#include "store/database.h"

namespace tenure::store {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

std::span<const Migration> SqliteMigrations();
// The newest schema version this build knows.
int LatestSchemaVersion();

// The database's schema version: 0 for an empty database. Errors:
// kCorruption when the file holds tables but is not a Tenure database.
Result<int> SchemaVersion(Database& db);

// Brings the database to LatestSchemaVersion(), each migration in its own
// transaction. Errors: kCorruption when the database is newer than this build
// (it is left untouched) or not a Tenure database; the failing migration's
// error otherwise (that migration is rolled back).
Status Migrate(Database& db);
// The same with an explicit list (ascending versions); for tests of the mechanism.
Status Migrate(Database& db, std::span<const Migration> migrations);

// Opens an SQLite database file and migrates it. The usual entry point.
Result<std::unique_ptr<Database>> OpenStore(const std::string& path,
                                            const OpenOptions& options = {});

}  // namespace tenure::store
