// Backing up a Tenure database while it is in use, and restoring one
// (docs/reliability.md). SQLite's online backup copies the pages of one
// read snapshot, so a backup holds every write committed before it began and
// none of the writes that came while it ran, and the writers never wait.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "store/database.h"

namespace tenure::store {

struct CopyReport {
  int64_t pages = 0;
  int64_t bytes = 0;  // the size of the file written or read
};

// Writes a copy of `db` as it is now to the new file `to`, while other
// connections go on writing. The copy is written to `to`.partial, checked
// (PRAGMA quick_check) and only then renamed, so `to` is either a whole,
// checked copy or absent. Errors: kAlreadyExists (field "--to") when `to`
// exists; kCorruption when the copy fails its check; kIoError.
Result<CopyReport> BackupDatabase(Database& db, const std::string& to);

// Checks that `from` is a whole Tenure database (PRAGMA integrity_check, and a
// schema this build knows), then replaces `db` with it in one transaction
// (other connections, a running server's, see the old database or the
// restored one, never a mix), and brings it to this build's schema.
// Errors, with `db` unchanged: kNotFound (field "--from") when there is no
// such file; kInvalidArgument (field "--from") when it is `db`'s own file; kCorruption when it
// fails the check or is not a Tenure database, or is newer than this build; kUnavailable when
// another write held the database for longer than the busy timeout; kIoError.
Result<CopyReport> RestoreDatabase(Database& db, const std::string& from);

}  // namespace tenure::store
