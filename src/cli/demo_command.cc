#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/commands.h"
#include "common/text.h"
#include "domain/enums.h"
#include "engine/demo.h"

namespace tenure::cli {
namespace {

struct DemoArgs {
  int64_t customers = 0;
  uint64_t seed = 1;
  std::string as_of;
  int threads = 1;
  std::string db = "tenure.db";
  std::string login_password;
};

int RunDemo(const DemoArgs& args) {
  engine::DemoOptions options;
  options.customers = args.customers;
  options.seed = args.seed;
  options.as_of = args.as_of;
  options.generator_threads = args.threads;
  bool drawn = false;
  if (isatty(STDERR_FILENO)) {
    options.progress = [&drawn](int64_t done, int64_t total) {
      fmt::print(stderr, "\r{:4.0f}% {} of {} customers ", 100.0 * done / total,
                 GroupThousands(done), GroupThousands(total));
      std::fflush(stderr);
      drawn = true;
    };
  }
  // Bad options are refused before a database file is created.
  Status valid = engine::ValidateDemoOptions(options);
  if (!valid.ok()) return Fail(valid);
  auto db = store::OpenStore(args.db);
  if (!db.ok()) return Fail(db.status());
  auto report = engine::GenerateDemo(**db, options);
  if (drawn) fmt::print(stderr, "\n");
  if (!report.ok()) return Fail(report.status());
  const engine::DemoReport& r = *report;
  fmt::print("{}: demo company as of {} (seed {})\n", args.db, FormatDate(r.as_of), args.seed);
  int64_t total = 0;
  fmt::print("  {:<20} {:>12}\n", "table", "rows");
  for (const auto& [table, rows] : r.rows) {
    fmt::print("  {:<20} {:>12}\n", table, GroupThousands(rows));
    total += rows;
  }
  fmt::print("{} rows in {:.1f} s (rows {:.1f} s, indexes {:.1f} s, commit {:.1f} s)\n",
             GroupThousands(total), r.seconds, r.write_seconds, r.index_seconds, r.commit_seconds);
  if (!args.login_password.empty()) {
    Status set = engine::SetDemoPassword(**db, args.login_password);
    if (!set.ok()) return Fail(set);
    auto logins = engine::LoadDemoLogins(**db);
    if (!logins.ok()) return Fail(logins.status());
    fmt::print("Logins (password {}):", args.login_password);
    for (const auto& [username, role] : logins->users) {
      fmt::print(" {} ({})", username, domain::NameOf(domain::kUserRoleNames, role));
    }
    fmt::print("\n");
  }
  return kExitOk;
}

}  // namespace

void AddDemoCommand(CLI::App& app, Registry& registry) {
  auto args = std::make_shared<DemoArgs>();
  CLI::App* cmd = app.add_subcommand(
      "demo",
      "Generate a realistic demo company (staff, customers, orders, contracts, invoices,\n"
      "complaints, activities, churn) into a new or empty database. The same\n"
      "--customers, --seed and --as-of always give the same data.");
  cmd->add_option("--customers", args->customers, "How many customers")->required();
  cmd->add_option("--seed", args->seed, "Random seed")->capture_default_str();
  cmd->add_option("--as-of", args->as_of,
                  "Last day of the three-year history, YYYY-MM-DD (default: today)");
  cmd->add_option("--threads", args->threads,
                  "Threads generating customers while another writes (same data for any count)")
      ->capture_default_str();
  cmd->add_option("--login-password", args->login_password,
                  "Give the first user of each role this password; the login page shows it\n"
                  "(a demo's logins are public: never use a real password here)");
  cmd->add_option("--db", args->db, "Database file")->capture_default_str();
  registry.emplace_back(cmd, [args](const app::Config&) { return RunDemo(*args); });
}

}  // namespace tenure::cli
