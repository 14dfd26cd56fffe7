// The SQLite implementation of store::Database.
#include <sqlite3.h>

#include <string>

#include "store/database.h"

namespace tenure::store {
namespace {

Status ErrorFrom(sqlite3* db, int rc, std::string_view what) {
  std::string message = std::string(what) + ": " + sqlite3_errmsg(db);
  int primary = rc & 0xff;
  if (primary == SQLITE_CONSTRAINT) return Status::Conflict(message);
  if (primary == SQLITE_CANTOPEN || primary == SQLITE_IOERR || primary == SQLITE_FULL ||
      primary == SQLITE_READONLY || primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return Status::IoError(message);
  }
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) return Status::Corruption(message);
  return Status::Internal(message);
}

class SqliteStatement final : public Statement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }

  void BindNull(int index) override { sqlite3_bind_null(stmt_, index); }
  void BindInt(int index, int64_t value) override { sqlite3_bind_int64(stmt_, index, value); }
  void BindReal(int index, double value) override { sqlite3_bind_double(stmt_, index, value); }
  void BindText(int index, std::string_view value) override {
    sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  }

  Result<bool> Step() override {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    Status error = ErrorFrom(db_, rc, "SQL");
    sqlite3_reset(stmt_);
    return error;
  }

  Status Run() override {
    Result<bool> row = Step();
    while (row.ok() && *row) row = Step();
    sqlite3_reset(stmt_);
    return row.status();
  }

  void Reset() override { sqlite3_reset(stmt_); }

  int ColumnCount() const override { return sqlite3_column_count(stmt_); }
  bool IsNull(int column) const override {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
  }
  int64_t Int(int column) const override { return sqlite3_column_int64(stmt_, column); }
  double Real(int column) const override { return sqlite3_column_double(stmt_, column); }
  std::string_view Text(int column) const override {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    if (text == nullptr) return {};
    return {reinterpret_cast<const char*>(text),
            static_cast<size_t>(sqlite3_column_bytes(stmt_, column))};
  }
  std::string_view ColumnName(int column) const override {
    return sqlite3_column_name(stmt_, column);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteDatabase() override { sqlite3_close_v2(db_); }

  Status Exec(std::string_view sql) override {
    std::string text(sql);
    char* error = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
    if (rc == SQLITE_OK) return Status::Ok();
    std::string message = error ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    if ((rc & 0xff) == SQLITE_CONSTRAINT) return Status::Conflict(message);
    return ErrorFrom(db_, rc, "SQL");
  }

  Result<std::unique_ptr<Statement>> Prepare(std::string_view sql) override {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return ErrorFrom(db_, rc, "preparing SQL");
    return std::unique_ptr<Statement>(std::make_unique<SqliteStatement>(db_, stmt));
  }

  Status Begin() override { return Exec("BEGIN IMMEDIATE"); }
  Status Commit() override { return Exec("COMMIT"); }
  Status Rollback() override { return Exec("ROLLBACK"); }
  int64_t ChangedRows() override { return sqlite3_changes64(db_); }
  const std::string& path() const override { return path_; }

 private:
  sqlite3* db_;
  std::string path_;
};

}  // namespace

Result<std::unique_ptr<Database>> Database::OpenSqlite(const std::string& path,
                                                       const OpenOptions& options) {
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (options.create) flags |= SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message =
        "cannot open database " + path + ": " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc));
    sqlite3_close_v2(raw);
    return Status::IoError(message);
  }
  auto db = std::make_unique<SqliteDatabase>(raw, path);
  // A writer waits up to 10 s for another writer before reporting busy.
  sqlite3_busy_timeout(raw, 10000);
  std::string pragmas =
      "PRAGMA foreign_keys = ON;"
      "PRAGMA synchronous = NORMAL;"
      "PRAGMA cache_size = -" +
      std::to_string(options.cache_kib) + ";";
  Status status = db->Exec(pragmas);
  if (status.ok()) {
    // journal_mode returns a row; WAL needs a file (not ":memory:").
    status = db->Exec("PRAGMA journal_mode = WAL");
  }
  if (!status.ok()) {
    return Status::IoError("cannot open database " + path + ": " + status.message());
  }
  return std::unique_ptr<Database>(std::move(db));
}

Result<int64_t> QueryInt(Database& db, std::string_view sql, int64_t fallback) {
  auto stmt = db.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  Result<bool> row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  if (!*row || (*stmt)->IsNull(0)) return fallback;
  return (*stmt)->Int(0);
}

}  // namespace tenure::store
