// The `tenure` command. Each subcommand parses its arguments, calls the
// engine and formats the result; errors become a message on stderr and an
// exit code:
//   0 success, 1 failure (nothing changed), 2 bad usage,
//   3 import finished but some rows were rejected.
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>

#include "app/config.h"
#include "cli/commands.h"

namespace tenure::cli {
namespace {

bool FileExists(const std::string& path) {
  struct stat info {};
  return stat(path.c_str(), &info) == 0;
}

}  // namespace

Result<std::unique_ptr<store::Database>> OpenExisting(const std::string& path) {
  if (!FileExists(path)) {
    return Status::NotFound("no database at " + path +
                                " (create one with `tenure import` or `tenure demo`, or pass --db)",
                            "--db");
  }
  // A file (or folder) this user may not write is opened for reading only,
  // so `summary`, `export`, `customer show` and `stats` still work on it; a
  // command that writes then fails with a message that says so.
  std::string folder = std::filesystem::path(path).parent_path().string();
  if (folder.empty()) folder = ".";
  const bool writable = access(path.c_str(), W_OK) == 0 && access(folder.c_str(), W_OK) == 0;
  return store::OpenStore(path, {.read_only = !writable});
}

int Fail(const Status& status) {
  std::fprintf(stderr, "tenure: %s\n", status.ToString().c_str());
  if (status.code() == Status::Code::kInvalidArgument && status.field().rfind("--", 0) == 0) {
    return kExitUsage;
  }
  return kExitFailure;
}

}  // namespace tenure::cli

int main(int argc, char** argv) {
  using namespace tenure;
  CLI::App app{"Tenure: the CRM that keeps customers from leaving."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "tenure 0.1.0");
  std::string config_path = "tenure.conf";
  app.add_option("--config", config_path, "Settings file (key = value)")->capture_default_str();

  cli::Registry registry;
  cli::AddImportCommand(app, registry);
  cli::AddExportCommand(app, registry);
  cli::AddDemoCommand(app, registry);
  cli::AddSummaryCommand(app, registry);
  cli::AddCustomerCommand(app, registry);
  cli::AddMetricsCommand(app, registry);
  cli::AddStatsCommand(app, registry);
  cli::AddTeamCommand(app, registry);
  cli::AddChurnCommand(app, registry);
  cli::AddHandoverCommand(app, registry);
  cli::AddComplaintCommand(app, registry);
  cli::AddCreditCommand(app, registry);
  cli::AddOrderCommand(app, registry);
  cli::AddWorkbenchCommand(app, registry);
  cli::AddModelCommand(app, registry);
  cli::AddRiskCommand(app, registry);
  cli::AddHealthCommand(app, registry);
  cli::AddPlaybooksCommand(app, registry);
  cli::AddScoreCommand(app, registry);
  cli::AddServeCommand(app, registry);
  cli::AddOpenApiCommand(app, registry);
  cli::AddUserCommand(app, registry);
  cli::AddBackupCommands(app, registry);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : cli::kExitUsage;
  }
  auto config = app::LoadConfig(config_path, /*optional=*/!app.get_option("--config")->count());
  if (!config.ok()) return cli::Fail(config.status());
  for (auto& [command, run] : registry) {
    if (!command->parsed()) continue;
    try {
      return run(*config);
    } catch (const std::exception& e) {
      // A library's exception that no adapter caught is a defect of tenure's
      // own; it still ends with a message, not an abort.
      return cli::Fail(Status::Internal(std::string("internal error: ") + e.what()));
    }
  }
  return cli::kExitUsage;
}
