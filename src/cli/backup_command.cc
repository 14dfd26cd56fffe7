// `tenure backup --to FILE` and `tenure restore --from FILE`: a copy of the
// database while the server goes on writing, and putting one back
// (store/backup.h, docs/reliability.md).
#include <fmt/format.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "common/stopwatch.h"
#include "common/text.h"
#include "store/backup.h"

namespace tenure::cli {
namespace {

std::string Megabytes(int64_t bytes) {
  return fmt::format("{:.1f} MB", static_cast<double>(bytes) / 1e6);
}

}  // namespace

void AddBackupCommands(CLI::App& app, Registry& registry) {
  struct Args {
    std::string db = "tenure.db";
    std::string file;
  };
  auto backup_args = std::make_shared<Args>();
  CLI::App* backup = app.add_subcommand(
      "backup", "Copy the database to a new file while it is in use (the server may go on)");
  backup->add_option("--to", backup_args->file, "The new file")->required();
  backup->add_option("--db", backup_args->db, "Database file")->capture_default_str();
  registry.emplace_back(backup, [backup_args](const app::Config&) {
    auto db = OpenExisting(backup_args->db);
    if (!db.ok()) return Fail(db.status());
    Stopwatch watch;
    auto copied = store::BackupDatabase(**db, backup_args->file);
    if (!copied.ok()) return Fail(copied.status());
    fmt::print("tenure: backed up {} to {} ({} pages, {}, checked) in {:.2f} s\n", backup_args->db,
               backup_args->file, GroupThousands(copied->pages), Megabytes(copied->bytes),
               watch.Total());
    return kExitOk;
  });

  auto restore_args = std::make_shared<Args>();
  CLI::App* restore = app.add_subcommand(
      "restore",
      "Replace the database with a backup (checked first; a missing database is created)");
  restore->add_option("--from", restore_args->file, "The backup")->required();
  restore->add_option("--db", restore_args->db, "Database file")->capture_default_str();
  registry.emplace_back(restore, [restore_args](const app::Config&) {
    struct stat info {};
    const bool exists = stat(restore_args->db.c_str(), &info) == 0;
    // A new file is created empty (no schema yet): the backup brings it.
    auto db =
        exists ? OpenExisting(restore_args->db) : store::Database::OpenSqlite(restore_args->db);
    if (!db.ok()) return Fail(db.status());
    Stopwatch watch;
    auto copied = store::RestoreDatabase(**db, restore_args->file);
    if (!copied.ok()) return Fail(copied.status());
    fmt::print("tenure: restored {} from {} ({} pages, {}) in {:.2f} s\n", restore_args->db,
               restore_args->file, GroupThousands(copied->pages), Megabytes(copied->bytes),
               watch.Total());
    return kExitOk;
  });
}

}  // namespace tenure::cli
