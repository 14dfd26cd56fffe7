// The demo company: a realistic, reproducible CRM data set generated into an
// empty database, for trying Tenure out, for the workbench and for the churn
// models (its purchases follow a buy-till-you-die process, so the models find
// signal) and for benchmarks at a million customers.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "domain/enums.h"
#include "store/database.h"

namespace tenure::engine {

struct DemoOptions {
  // How many customers to generate; must be positive. Default: 0 (refused).
  int64_t customers = 0;
  // Seeds every random draw: the same (customers, seed, as_of) always gives
  // the same rows. Default: 1.
  uint64_t seed = 1;
  // The last day of the generated history, "YYYY-MM-DD"; the history covers
  // the three years before it. Empty: today (UTC).
  std::string as_of;
  // Threads that generate customers while the calling thread writes. The
  // output does not depend on it. Default: 1.
  int generator_threads = 1;
  // Called now and then from the calling thread with the customers written
  // so far; may be empty.
  std::function<void(int64_t done, int64_t total)> progress;
};

struct DemoReport {
  Date as_of;
  // Rows written per table, in the order they were written.
  std::vector<std::pair<std::string, int64_t>> rows;
  // Wall time in total, and of its phases: generating and writing the rows,
  // building the secondary indexes, committing.
  double seconds = 0;
  double write_seconds = 0;
  double index_seconds = 0;
  double commit_seconds = 0;
};

// Generates the demo company into `db`, which must hold no users, teams or
// customers yet (a new database, or one freshly migrated). Writes in one
// transaction: on any error nothing is left behind.
//
// What it writes: teams of salespeople with a manager each (some salespeople
// leave and their customers are handed over, with ownership_changes rows),
// one login per role (admin, manager, sales, service; no password yet),
// customers with contacts, activities and follow-ups, opportunities,
// quotations, contracts with renewals and cancellations, orders, invoices
// with late payers and defaulters, expenses, complaints and demands, and
// churn events (lost with a type and reasons; won back). The customers'
// derived metric columns are left at their defaults.
//
// Deterministic: every row, including created_at and updated_at (stamped
// with the as-of date at 18:00 UTC), depends only on the options'
// customers, seed and as_of. The one row that is not is the "demo" entry
// it appends to the audit log, stamped like every audit entry with the real
// time it was written.
//
// Threads: `db` is used from the calling thread only; the generator threads
// never touch it. Takes the write lock for the whole run.
//
// Errors: kInvalidArgument naming --customers or --as-of for a bad option;
// kAlreadyExists naming --db when the database already holds data; the
// store's errors.
Result<DemoReport> GenerateDemo(store::Database& db, const DemoOptions& options);

// The logins a demo company's login page shows: the first active user (by
// id) of each role, and the password SetDemoPassword gave them.
struct DemoLogins {
  bool demo = false;                                            // GenerateDemo wrote this database
  std::string password;                                         // empty when none was set
  std::vector<std::pair<std::string, domain::UserRole>> users;  // admin, manager, sales, service
};
// Errors: the store's. A database that is not a demo gives demo = false and
// nothing else, so a real company's users are never listed.
Result<DemoLogins> LoadDemoLogins(store::Database& db);

// Gives the demo logins (above) `password` and records it, so the login page
// can say it. Errors: kFailedPrecondition (field "--db") when the database
// is not a demo company; SetPassword's.
Status SetDemoPassword(store::Database& db, std::string_view password);

// Checks --customers and --as-of as GenerateDemo does, without a database, so
// a caller can refuse bad options before creating a file.
Status ValidateDemoOptions(const DemoOptions& options);

}  // namespace tenure::engine
