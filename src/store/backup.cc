#include "store/backup.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <system_error>

#include "store/migrations.h"

namespace tenure::store {
namespace {

// "ok", or what the check found (its first rows).
Result<std::string> Check(Database& db, std::string_view pragma) {
  auto stmt = db.Prepare(std::string("PRAGMA ") + std::string(pragma) + "(10)");
  if (!stmt.ok()) return stmt.status();
  std::string found;
  Result<bool> row = (*stmt)->Step();
  for (; row.ok() && *row; row = (*stmt)->Step()) {
    if (!found.empty()) found += "; ";
    found += (*stmt)->Text(0);
  }
  if (!row.ok()) return row.status();
  return found;
}

int64_t FileSize(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<int64_t>(size);
}

// Makes a rename in `path`'s folder durable.
void SyncFolder(const std::string& path) {
  std::string folder = std::filesystem::path(path).parent_path().string();
  int fd = open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
}

}  // namespace

Result<CopyReport> BackupDatabase(Database& db, const std::string& to) {
  std::error_code ec;
  if (std::filesystem::exists(to, ec)) {
    return Status::AlreadyExists(to + " exists already; name a new file", "--to");
  }
  const std::string partial = to + ".partial";
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(partial + suffix, ec);
  }
  // A copy that fails is not left behind.
  auto discard = [&](Status status) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::filesystem::remove(partial + suffix, ec);
    }
    return status;
  };
  auto pages = db.CopyTo(partial);
  if (!pages.ok()) return discard(pages.status());
  {
    auto copy = Database::OpenSqlite(partial, {.create = false, .cache_kib = 8 * 1024});
    if (!copy.ok()) return discard(copy.status());
    auto checked = Check(**copy, "quick_check");
    if (!checked.ok()) return discard(checked.status());
    if (*checked != "ok") {
      return discard(
          Status::Corruption("the copy of " + db.path() + " fails its check: " + *checked));
    }
  }
  for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(partial + suffix, ec);
  std::filesystem::rename(partial, to, ec);
  if (ec) return Status::IoError("cannot rename " + partial + " to " + to + ": " + ec.message());
  SyncFolder(to);
  return CopyReport{.pages = *pages, .bytes = FileSize(to)};
}

Result<CopyReport> RestoreDatabase(Database& db, const std::string& from) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(from, ec)) {
    return Status::NotFound("no backup at " + from, "--from");
  }
  if (std::filesystem::equivalent(from, db.path(), ec)) {
    return Status::InvalidArgument(from + " is the database itself", "--from");
  }
  {
    auto source = Database::OpenSqlite(from, {.create = false, .read_only = true});
    if (!source.ok()) return source.status();
    auto checked = Check(**source, "integrity_check");
    if (!checked.ok()) {
      return Status::Corruption(from +
                                " cannot be read as a database: " + checked.status().message());
    }
    if (*checked != "ok") return Status::Corruption(from + " fails its check: " + *checked);
    auto version = SchemaVersion(**source);
    if (!version.ok()) return version.status();
    if (*version == 0) return Status::Corruption(from + " is an empty database, not a backup");
    if (*version > LatestSchemaVersion()) {
      return Status::Corruption(from + " has schema version " + std::to_string(*version) +
                                ", newer than this tenure understands (" +
                                std::to_string(LatestSchemaVersion()) + ")");
    }
  }
  auto pages = db.CopyFrom(from);
  if (!pages.ok()) return pages.status();
  TENURE_RETURN_IF_ERROR(Migrate(db));
  return CopyReport{.pages = *pages, .bytes = FileSize(from)};
}

}  // namespace tenure::store
