// The subcommands of `tenure`, one file each. Each Add*Command registers its
// options on the CLI11 app and a function that runs it after parsing.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/config.h"
#include "common/status.h"
#include "common/time.h"
#include "store/migrations.h"

namespace CLI {
class App;
}

namespace tenure::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitRejected = 3;  // some rows rejected, the others in
inline constexpr int kExitNoneIn = 4;    // rows were rejected and none went in

using Runner = std::function<int(const app::Config&)>;
using Registry = std::vector<std::pair<CLI::App*, Runner>>;

void AddImportCommand(CLI::App& app, Registry& registry);
void AddExportCommand(CLI::App& app, Registry& registry);
void AddDemoCommand(CLI::App& app, Registry& registry);
void AddSummaryCommand(CLI::App& app, Registry& registry);
void AddCustomerCommand(CLI::App& app, Registry& registry);
void AddMetricsCommand(CLI::App& app, Registry& registry);
void AddStatsCommand(CLI::App& app, Registry& registry);
void AddTeamCommand(CLI::App& app, Registry& registry);
void AddChurnCommand(CLI::App& app, Registry& registry);
void AddHandoverCommand(CLI::App& app, Registry& registry);
void AddComplaintCommand(CLI::App& app, Registry& registry);
void AddCreditCommand(CLI::App& app, Registry& registry);
void AddOrderCommand(CLI::App& app, Registry& registry);
void AddWorkbenchCommand(CLI::App& app, Registry& registry);
void AddModelCommand(CLI::App& app, Registry& registry);
void AddRiskCommand(CLI::App& app, Registry& registry);
// risk train, evaluate and score, under AddRiskCommand's `risk`.
void AddRiskModelCommands(CLI::App* risk, Registry& registry);
// health backtest
void AddHealthCommand(CLI::App& app, Registry& registry);
// playbooks run, close, report
void AddPlaybooksCommand(CLI::App& app, Registry& registry);
void AddScoreCommand(CLI::App& app, Registry& registry);
void AddServeCommand(CLI::App& app, Registry& registry);
void AddOpenApiCommand(CLI::App& app, Registry& registry);
void AddUserCommand(CLI::App& app, Registry& registry);
// backup and restore
void AddBackupCommands(CLI::App& app, Registry& registry);

// Opens a database that must already exist (and migrates it).
Result<std::unique_ptr<store::Database>> OpenExisting(const std::string& path);
// Prints "tenure: message" on stderr and returns the exit code for it.
int Fail(const Status& status);

// The date an option gives (YYYY-MM-DD), or `fallback` when it is empty.
// Errors: kInvalidArgument naming `option`.
Result<Date> ParseDateOption(const std::string& text, std::string_view option, Date fallback);

// For a command that computes as of today because `option` (--as-of, or
// --to) was not given: when the newest order in `db` (at `db_path`) is more
// than engine::kOldHistoryDays before today, prints one line on stderr
// saying so, what was computed against today (`computed`), and the option
// with that date to pass instead (`to_see`: what it would show). A failed
// check prints nothing: it is advice, and the command's own reads report the
// database's errors.
void WarnIfHistoryIsOld(store::Database& db, const std::string& db_path,
                        std::string_view option = "--as-of",
                        std::string_view computed = "the figures are computed as of today",
                        std::string_view to_see = "to see them as of the end of the history");

}  // namespace tenure::cli
