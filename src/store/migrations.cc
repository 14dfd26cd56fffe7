#include "store/migrations.h"

#include "common/time.h"

namespace tenure::store {

extern const Migration k_sqlite_migrations[];
extern const size_t k_sqlite_migration_count;

std::span<const Migration> SqliteMigrations() {
  return {k_sqlite_migrations, k_sqlite_migration_count};
}

int LatestSchemaVersion() {
  auto all = SqliteMigrations();
  return all.empty() ? 0 : all.back().version;
}

Result<int> SchemaVersion(Database& db) {
  Result<int64_t> has_table = QueryInt(
      db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
  if (!has_table.ok()) return has_table.status();
  if (*has_table == 0) {
    Result<int64_t> tables =
        QueryInt(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'");
    if (!tables.ok()) return tables.status();
    if (*tables > 0) {
      return Status::Corruption(
          db.path() + " is not a Tenure database (it has tables but no schema_migrations)");
    }
    return 0;
  }
  Result<int64_t> version = QueryInt(db, "SELECT max(version) FROM schema_migrations", 0);
  if (!version.ok()) return version.status();
  return static_cast<int>(*version);
}

Status Migrate(Database& db) { return Migrate(db, SqliteMigrations()); }

Status Migrate(Database& db, std::span<const Migration> migrations) {
  Result<int> current = SchemaVersion(db);
  if (!current.ok()) return current.status();
  int latest = migrations.empty() ? 0 : migrations.back().version;
  if (*current > latest) {
    return Status::Corruption(db.path() + " has schema version " + std::to_string(*current) +
                              ", newer than this tenure understands (" + std::to_string(latest) +
                              "); upgrade tenure to open it");
  }
  for (const Migration& migration : migrations) {
    if (migration.version <= *current) continue;
    Transaction txn(db);
    TENURE_RETURN_IF_ERROR(txn.status());
    TENURE_RETURN_IF_ERROR(db.Exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT"));
    Status applied = db.Exec(migration.sql);
    if (!applied.ok()) {
      return applied.WithContext("schema migration " + std::string(migration.name));
    }
    auto record = db.Prepare(
        "INSERT INTO schema_migrations (version, name, applied_at) "
        "VALUES (?, ?, ?)");
    if (!record.ok()) return record.status();
    (*record)->BindInt(1, migration.version);
    (*record)->BindText(2, migration.name);
    (*record)->BindInt(3, NowUtc());
    TENURE_RETURN_IF_ERROR((*record)->Run());
    TENURE_RETURN_IF_ERROR(txn.Commit());
  }
  return Status::Ok();
}

Result<std::unique_ptr<Database>> OpenStore(const std::string& path, const OpenOptions& options) {
  auto db = Database::OpenSqlite(path, options);
  if (!db.ok()) return db.status();
  if (options.read_only) {
    Result<int> version = SchemaVersion(**db);
    if (!version.ok()) return version.status();
    if (*version < LatestSchemaVersion()) {
      return Status::IoError(path + " has schema version " + std::to_string(*version) +
                             " and this tenure needs " + std::to_string(LatestSchemaVersion()) +
                             ", but it is read-only here; open it once where it may be written");
    }
  }
  Status migrated = Migrate(**db);
  if (!migrated.ok()) return migrated;
  return db;
}

}  // namespace tenure::store
