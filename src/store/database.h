// The whole storage surface the rest of Tenure sees: open a database, prepare a
// statement, bind, step, read columns, run in a transaction. Shaped after
// PowerDNS's SSql so that SQLite and PostgreSQL can sit behind one interface.
//
// Thread safety: a Database and its Statements belong to one thread at a time.
// Open one Database per thread; SQLite's WAL lets readers run beside a writer.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace tenure::store {

class Statement {
 public:
  virtual ~Statement() = default;

  // Parameters are numbered from 1, as in SQL's '?' placeholders.
  virtual void BindNull(int index) = 0;
  virtual void BindInt(int index, int64_t value) = 0;
  virtual void BindReal(int index, double value) = 0;
  // The text is copied; `value` need not outlive the call.
  virtual void BindText(int index, std::string_view value) = 0;

  // Advances to the next result row. Returns true when a row is available,
  // false when the statement has finished; an error status on failure
  // (constraint violations come back as kConflict).
  virtual Result<bool> Step() = 0;
  // Steps until done, then resets; for statements that return no rows.
  virtual Status Run() = 0;
  // Makes the statement ready to run again; bindings are kept.
  virtual void Reset() = 0;

  // Column readers for the current row; columns are numbered from 0.
  virtual int ColumnCount() const = 0;
  virtual bool IsNull(int column) const = 0;
  virtual int64_t Int(int column) const = 0;
  virtual double Real(int column) const = 0;
  // Valid until the next Step() or Reset().
  virtual std::string_view Text(int column) const = 0;
  virtual std::string_view ColumnName(int column) const = 0;
};

struct OpenOptions {
  // Create the file when missing. Default: true.
  bool create = true;
  // Page cache size in KiB for this connection. Default: 64 MiB.
  int cache_kib = 64 * 1024;
  // How long a write waits for another connection's write lock before it
  // fails with kUnavailable. Default: 10 s.
  int busy_timeout_ms = 10000;
  // Open for reading only: nothing is written, not even the journal mode, so
  // a file (or folder) that may not be written can still be read. When the
  // WAL's shared-memory file cannot be created beside it, the file is read
  // as immutable. Writes fail with kIoError. Default: false.
  bool read_only = false;
};

class Database {
 public:
  virtual ~Database() = default;

  // Opens (and with options.create, creates) an SQLite database file with
  // foreign keys on, WAL journaling and synchronous=NORMAL. Does not migrate:
  // see store/migrations.h. Errors: kIoError when the file cannot be opened.
  // Text bound to a statement must be valid UTF-8: Step() and Run() refuse
  // to run a statement with text that is not (kInvalidArgument), so no
  // write path can store bytes that would break an output.
  static Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path,
                                                      const OpenOptions& options = {});

  // Runs one or more statements that return no rows.
  virtual Status Exec(std::string_view sql) = 0;
  // Compiles one statement. The Statement must not outlive the Database.
  virtual Result<std::unique_ptr<Statement>> Prepare(std::string_view sql) = 0;

  // Starts a write transaction (taking the write lock at once, so ids handed
  // out inside it stay unique), commits, or rolls back.
  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;
  // Starts a read transaction: every statement until Commit() or Rollback()
  // sees the same snapshot, and the snapshot is taken once rather than per
  // statement. A write inside it may fail with kConflict ("busy").
  virtual Status BeginRead() = 0;

  // Rows changed by the most recent INSERT, UPDATE or DELETE.
  virtual int64_t ChangedRows() = 0;

  // The file or connection string, for messages.
  virtual const std::string& path() const = 0;

  // Copies the whole database as it is at one moment into the new file
  // `path` (SQLite's online backup): writers on other connections go on
  // meanwhile, and what they commit after that moment is not in the copy.
  // Returns the pages copied. REQUIRES: `path` does not exist; no transaction
  // is open on this connection. Errors: kIoError.
  virtual Result<int64_t> CopyTo(const std::string& path) = 0;
  // Replaces the whole database with the database in the file `path`, in one
  // write transaction: the other connections see the old database or the new
  // one, and a failure leaves the old one. Returns the pages copied.
  // REQUIRES: no transaction is open on this connection. Errors: kIoError,
  // kUnavailable (busy).
  virtual Result<int64_t> CopyFrom(const std::string& path) = 0;

  // The user on whose behalf this connection writes, recorded as the `user_id`
  // of every audit entry (store::AppendAudit); nullopt: nobody in particular
  // (the command line, an import). The server sets it for each request.
  void set_actor(std::optional<int64_t> user_id) { actor_ = user_id; }
  std::optional<int64_t> actor() const { return actor_; }

 private:
  std::optional<int64_t> actor_;
};

// Runs Begin() now and Rollback() on destruction unless Commit() was called,
// so every early return leaves nothing half-written.
class Transaction {
 public:
  explicit Transaction(Database& db) : db_(db) { status_ = db_.Begin(); }
  ~Transaction() {
    if (status_.ok() && !done_) (void)db_.Rollback();
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // The result of Begin(); check before writing.
  const Status& status() const { return status_; }
  Status Commit() {
    done_ = true;
    return db_.Commit();
  }

 private:
  Database& db_;
  Status status_;
  bool done_ = false;
};

// Runs BeginRead() now and ends the read transaction on destruction.
class ReadTransaction {
 public:
  explicit ReadTransaction(Database& db) : db_(db) { status_ = db_.BeginRead(); }
  ~ReadTransaction() {
    if (status_.ok()) (void)db_.Commit();
  }
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;
  const Status& status() const { return status_; }

 private:
  Database& db_;
  Status status_;
};

// Convenience: runs `sql` (no parameters) and returns the first column of the
// first row as an integer, or `fallback` when there is no row or it is NULL.
Result<int64_t> QueryInt(Database& db, std::string_view sql, int64_t fallback = 0);

// Binding and reading values that may be absent (SQL NULL).
inline void BindOptionalInt(Statement& s, int index, const std::optional<int64_t>& value) {
  if (value) {
    s.BindInt(index, *value);
  } else {
    s.BindNull(index);
  }
}
// An empty text binds NULL.
inline void BindTextOrNull(Statement& s, int index, std::string_view value) {
  if (value.empty()) {
    s.BindNull(index);
  } else {
    s.BindText(index, value);
  }
}
inline std::optional<int64_t> OptionalInt(const Statement& s, int column) {
  if (s.IsNull(column)) return std::nullopt;
  return s.Int(column);
}
inline std::optional<std::string> OptionalText(const Statement& s, int column) {
  if (s.IsNull(column)) return std::nullopt;
  return std::string(s.Text(column));
}

}  // namespace tenure::store
