// The SQLite implementation of store::Database.
#include <sqlite3.h>

#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/text.h"
#include "store/database.h"

namespace tenure::store {
namespace {

Status ErrorFrom(sqlite3* db, int rc, std::string_view what) {
  std::string message = std::string(what) + ": " + sqlite3_errmsg(db);
  int primary = rc & 0xff;
  if (primary == SQLITE_CONSTRAINT) return Status::Conflict(message);
  // Busy: another connection (an import, a score run, another process) held
  // the write lock for longer than the busy timeout. Full: the disk is.
  // Both are worth trying again later, and neither wrote anything.
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return Status::Unavailable(
        "the database is busy with another write (an import, a score run "
        "or another process) and stayed busy; try again in a moment (" +
        message + ")");
  }
  if (primary == SQLITE_FULL) {
    return Status::Unavailable("the disk holding the database is full; nothing was written (" +
                               message + ")");
  }
  if (primary == SQLITE_READONLY) {
    return Status::IoError("the database is read-only here; nothing was written (" + message + ")");
  }
  if (primary == SQLITE_CANTOPEN || primary == SQLITE_IOERR) {
    return Status::IoError(message);
  }
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) return Status::Corruption(message);
  return Status::Internal(message);
}

// Compiled statements of one connection, by their SQL: a statement that goes
// away is reset and kept, and preparing the same SQL again takes it back
// instead of compiling it. A server request prepares a dozen statements;
// compiling them was most of its time. A statement finds its way back through
// its slot, so the SQL (some texts are over a kilobyte) is hashed once per
// Prepare and never copied after the first.
class StatementCache {
 public:
  // The statements of one SQL text.
  struct Slot {
    std::vector<sqlite3_stmt*> idle;
    int in_use = 0;
  };

  ~StatementCache() {
    for (auto& [sql, slot] : slots_) Finalize(slot);
  }

  // The slot of `sql`, made on first use. It stays put until DropUnused, which
  // spares the slots of statements in use.
  Slot& SlotOf(std::string_view sql) {
    auto it = slots_.find(sql);
    if (it == slots_.end()) {
      if (slots_.size() >= kMaxSlots) DropUnused();
      it = slots_.emplace(std::string(sql), Slot{}).first;
    }
    return it->second;
  }

  // An idle statement of the slot, or null.
  sqlite3_stmt* Take(Slot& slot) {
    if (slot.idle.empty()) return nullptr;
    sqlite3_stmt* stmt = slot.idle.back();
    slot.idle.pop_back();
    --idle_count_;
    return stmt;
  }

  void Give(Slot& slot, sqlite3_stmt* stmt) {
    --slot.in_use;
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    if (idle_count_ >= kMaxIdle) {
      sqlite3_finalize(stmt);
      return;
    }
    slot.idle.push_back(stmt);
    ++idle_count_;
  }

 private:
  static constexpr size_t kMaxIdle = 256;
  static constexpr size_t kMaxSlots = 1024;

  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view sql) const { return std::hash<std::string_view>()(sql); }
  };

  void Finalize(Slot& slot) {
    for (sqlite3_stmt* stmt : slot.idle) sqlite3_finalize(stmt);
    idle_count_ -= slot.idle.size();
    slot.idle.clear();
  }

  void DropUnused() {
    for (auto it = slots_.begin(); it != slots_.end();) {
      if (it->second.in_use > 0) {
        ++it;
      } else {
        Finalize(it->second);
        it = slots_.erase(it);
      }
    }
  }

  std::unordered_map<std::string, Slot, Hash, std::equal_to<>> slots_;
  size_t idle_count_ = 0;
};

class SqliteStatement final : public Statement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt, StatementCache& cache,
                  StatementCache::Slot& slot)
      : db_(db), stmt_(stmt), cache_(cache), slot_(slot) {}
  ~SqliteStatement() override { cache_.Give(slot_, stmt_); }

  void BindNull(int index) override { sqlite3_bind_null(stmt_, index); }
  void BindInt(int index, int64_t value) override { sqlite3_bind_int64(stmt_, index, value); }
  void BindReal(int index, double value) override { sqlite3_bind_double(stmt_, index, value); }
  void BindText(int index, std::string_view value) override {
    // No write path may store bytes that are not UTF-8 (every output would
    // have to guess at them): the statement is refused when it runs.
    if (std::optional<size_t> offset = InvalidUtf8Offset(value)) {
      bad_text_ = index;
      bad_text_offset_ = *offset;
    } else if (bad_text_ == index) {
      bad_text_ = 0;
    }
    sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  }

  Result<bool> Step() override {
    if (bad_text_ != 0) {
      return Status::InvalidArgument(
          "text is not valid UTF-8 (parameter " + std::to_string(bad_text_) + ", byte " +
          std::to_string(bad_text_offset_ + 1) + "); nothing was written");
    }
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
  StatementCache& cache_;
  StatementCache::Slot& slot_;
  int bad_text_ = 0;  // the parameter bound to text that is not UTF-8; 0: none
  size_t bad_text_offset_ = 0;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteDatabase() override {
    cache_.reset();  // finalizes the idle statements first
    sqlite3_close_v2(db_);
  }

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
    StatementCache::Slot& slot = cache_->SlotOf(sql);
    sqlite3_stmt* stmt = cache_->Take(slot);
    if (stmt == nullptr) {
      int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                  SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
      if (rc != SQLITE_OK) return ErrorFrom(db_, rc, "preparing SQL");
    }
    ++slot.in_use;
    return std::unique_ptr<Statement>(std::make_unique<SqliteStatement>(db_, stmt, *cache_, slot));
  }

  Status Begin() override { return RunCached("BEGIN IMMEDIATE"); }
  Status Commit() override { return RunCached("COMMIT"); }
  Status Rollback() override { return RunCached("ROLLBACK"); }
  Status BeginRead() override { return RunCached("BEGIN DEFERRED"); }
  int64_t ChangedRows() override { return sqlite3_changes64(db_); }
  const std::string& path() const override { return path_; }

  Result<int64_t> CopyTo(const std::string& path) override {
    sqlite3* to = nullptr;
    if (sqlite3_open_v2(path.c_str(), &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK) {
      std::string message =
          "cannot create " + path + ": " + (to ? sqlite3_errmsg(to) : "out of memory");
      sqlite3_close_v2(to);
      return Status::IoError(message);
    }
    auto pages = Copy(/*from=*/db_, /*to=*/to, path);
    sqlite3_close_v2(to);
    return pages;
  }

  Result<int64_t> CopyFrom(const std::string& path) override {
    sqlite3* from = nullptr;
    if (sqlite3_open_v2(path.c_str(), &from, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      std::string message =
          "cannot open " + path + ": " + (from ? sqlite3_errmsg(from) : "out of memory");
      sqlite3_close_v2(from);
      return Status::IoError(message);
    }
    auto pages = Copy(from, /*to=*/db_, path_);
    sqlite3_close_v2(from);
    return pages;
  }

 private:
  // Copies database `from` into `to` in one step: the source is read in one
  // read transaction (a consistent snapshot; WAL lets writers go on), the
  // destination written in one write transaction. `to_path` names the
  // destination in messages.
  static Result<int64_t> Copy(sqlite3* from, sqlite3* to, const std::string& to_path) {
    sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
    if (backup == nullptr) return ErrorFrom(to, sqlite3_errcode(to), "copying to " + to_path);
    const int rc = sqlite3_backup_step(backup, -1);
    const int64_t pages = sqlite3_backup_pagecount(backup);
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) return ErrorFrom(to, rc, "copying to " + to_path);
    return pages;
  }

  sqlite3* db_;
  std::string path_;
  // Runs one statement compiled once per connection: the server begins and
  // ends a transaction on every request, and Exec compiles its SQL each time.
  Status RunCached(std::string_view sql) {
    auto stmt = Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    return (*stmt)->Run();
  }

  std::unique_ptr<StatementCache> cache_ = std::make_unique<StatementCache>();
};

// Process-wide SQLite settings, once, before the first connection. Memory
// statistics off: with them SQLite takes one global mutex around every
// allocation, and the server's worker threads, each on its own connection,
// spent most of their time waiting for it.
void ConfigureSqliteOnce() {
  static const int configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return sqlite3_initialize();
  }();
  (void)configured;
}

// tenure_utf8_valid(x): 1 when x is not text or is well-formed UTF-8.
void Utf8Valid(sqlite3_context* context, int, sqlite3_value** args) {
  int valid = 1;
  if (sqlite3_value_type(args[0]) == SQLITE_TEXT) {
    const char* text = reinterpret_cast<const char*>(sqlite3_value_text(args[0]));
    size_t size = static_cast<size_t>(sqlite3_value_bytes(args[0]));
    valid = !InvalidUtf8Offset(std::string_view(text, size)).has_value();
  }
  sqlite3_result_int(context, valid);
}

// tenure_repair_utf8(x): x with every byte that is not part of well-formed
// UTF-8 replaced by U+FFFD; x itself when it is not text.
void RepairUtf8Text(sqlite3_context* context, int, sqlite3_value** args) {
  if (sqlite3_value_type(args[0]) != SQLITE_TEXT) {
    sqlite3_result_value(context, args[0]);
    return;
  }
  const char* text = reinterpret_cast<const char*>(sqlite3_value_text(args[0]));
  std::string repaired =
      RepairUtf8(std::string_view(text, static_cast<size_t>(sqlite3_value_bytes(args[0]))));
  sqlite3_result_text(context, repaired.data(), static_cast<int>(repaired.size()),
                      SQLITE_TRANSIENT);
}

// The functions Tenure's schema migrations call (010_valid_utf8.sql).
Status AddFunctions(sqlite3* db) {
  constexpr int kFlags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  if (sqlite3_create_function_v2(db, "tenure_utf8_valid", 1, kFlags, nullptr, Utf8Valid, nullptr,
                                 nullptr, nullptr) != SQLITE_OK ||
      sqlite3_create_function_v2(db, "tenure_repair_utf8", 1, kFlags, nullptr, RepairUtf8Text,
                                 nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Status::Internal(std::string("cannot add SQL functions: ") + sqlite3_errmsg(db));
  }
  return Status::Ok();
}

// "file:" URI of `path` (RFC 3986 escapes for the characters SQLite reads
// specially), with `query`.
std::string FileUri(const std::string& path, const std::string& query) {
  std::string uri = "file:";
  for (char c : path) {
    if (c == '%' || c == '?' || c == '#') {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", static_cast<unsigned char>(c));
      uri += escaped;
    } else {
      uri += c;
    }
  }
  return uri + "?" + query;
}

// Opens `path` with `flags` (and `uri`, when not empty, in its place).
Result<sqlite3*> OpenConnection(const std::string& path, const std::string& uri, int flags) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(uri.empty() ? path.c_str() : uri.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message =
        "cannot open database " + path + ": " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc));
    sqlite3_close_v2(raw);
    return Status::IoError(message);
  }
  return raw;
}

}  // namespace

Result<std::unique_ptr<Database>> Database::OpenSqlite(const std::string& path,
                                                       const OpenOptions& options) {
  ConfigureSqliteOnce();
  int flags = SQLITE_OPEN_NOMUTEX;
  if (options.read_only) {
    flags |= SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
  } else {
    flags |= SQLITE_OPEN_READWRITE;
    if (options.create) flags |= SQLITE_OPEN_CREATE;
  }
  auto raw = OpenConnection(path, options.read_only ? FileUri(path, "mode=ro") : "", flags);
  if (!raw.ok()) return raw.status();
  if (options.read_only && sqlite3_exec(*raw, "SELECT count(*) FROM sqlite_master", nullptr,
                                        nullptr, nullptr) != SQLITE_OK) {
    // A WAL file needs its shared-memory file beside it; where none can be
    // made (a read-only folder), nobody can be writing it either, and it is
    // read as immutable.
    sqlite3_close_v2(*raw);
    raw = OpenConnection(path, FileUri(path, "immutable=1"), flags);
    if (!raw.ok()) return raw.status();
  }
  auto db = std::make_unique<SqliteDatabase>(*raw, path);
  sqlite3_busy_timeout(*raw, options.busy_timeout_ms);
  TENURE_RETURN_IF_ERROR(AddFunctions(*raw));
  std::string pragmas =
      "PRAGMA foreign_keys = ON;"
      "PRAGMA synchronous = NORMAL;"
      "PRAGMA cache_size = -" +
      std::to_string(options.cache_kib) + ";";
  Status status = db->Exec(pragmas);
  if (status.ok() && !options.read_only) {
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
