// The crash harness: `tenure serve` under the writes of 8 clients while the
// command line imports 60,000 orders, scores every customer and hands a
// salesperson's customers over, all killed (SIGKILL) at a random moment.
// After each kill the database must be whole (PRAGMA integrity_check), its
// references must hold (PRAGMA foreign_key_check), every write the server
// acknowledged must be there, the derived columns (metrics, record_tables,
// scores) must equal a fresh recomputation, and the import, run again, must
// give the orders an uninterrupted import gives.
//
// TENURE_CRASH_TRIALS sets the number of trials (default 32; `make bench`
// runs 500), TENURE_CRASH_SEED the random seed (printed, to repeat a run).
//
// Also here: a full disk (a small tmpfs) gives a clear error, writes
// nothing half, and reads go on.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "testing/paths.h"
#include "testing/run_tenure.h"
#include "testing/serve_process.h"
#include "testing/temp_dir.h"

namespace tenure {
namespace {

using nlohmann::json;
using testing::Outcome;
using testing::Tenure;
using Clock = std::chrono::steady_clock;

constexpr const char* kPassword = "crash-password";
constexpr const char* kAsOf = "2026-06-30";

// What the sqlite3 shell prints for `sql` on `db`.
std::string Sql(const std::string& db, const std::string& sql) {
  std::string command = "sqlite3 " + db + " \"" + sql + "\" 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  char buffer[1 << 16];
  for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  pclose(pipe);
  return out;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The orders as an import writes them (not the salesperson, which a
// handover may change).
std::string Orders(const std::string& db) {
  return Sql(db,
             "SELECT external_id, customer_id, order_date, amount, cost, quantity, status FROM"
             " orders ORDER BY external_id");
}

// The scores of the newest run, by customer.
std::string Scores(const std::string& db) {
  return Sql(db,
             "SELECT c.external_id, s.p_alive, s.expected_purchases_30, s.expected_purchases_90,"
             " s.expected_purchases_365, s.clv, s.model_next_purchase_date FROM customer_scores s"
             " JOIN customers c ON c.id = s.customer_id WHERE s.run_id = (SELECT max(id) FROM"
             " score_runs) ORDER BY c.external_id");
}

// Whether two score dumps agree to 1e-9 relative in every number.
bool SameScores(const std::string& a, const std::string& b) {
  std::vector<std::string> x = Lines(a), y = Lines(b);
  if (x.size() != y.size()) return false;
  for (size_t i = 0; i < x.size(); ++i) {
    std::istringstream p(x[i]), q(y[i]);
    for (std::string u, v; std::getline(p, u, '|');) {
      if (!std::getline(q, v, '|')) return false;
      if (u == v) continue;
      char* end_u = nullptr;
      char* end_v = nullptr;
      double du = std::strtod(u.c_str(), &end_u), dv = std::strtod(v.c_str(), &end_v);
      if (*end_u || *end_v || std::abs(du - dv) > 1e-9 * std::max(1.0, std::abs(du))) return false;
    }
  }
  return true;
}

// A `tenure` command as a child in its own process group (so that a kill
// reaches it and nothing else), its output to /dev/null.
pid_t Spawn(const std::vector<std::string>& args) {
  pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    int null = open("/dev/null", O_WRONLY);
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    std::vector<std::string> argv = {TENURE_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> raw;
    for (std::string& a : argv) raw.push_back(a.data());
    raw.push_back(nullptr);
    execv(TENURE_BINARY, raw.data());
    _exit(127);
  }
  return pid;
}

std::string Login(int port) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(30, 0);
  auto r = client.Post("/api/v1/login", json{{"username", "admin"}, {"password", kPassword}}.dump(),
                       "application/json");
  if (!r || r->status != 200) return "";
  return json::parse(r->body)["token"];
}

class CrashTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    base_ = dir_->File("base.db");
    Outcome made = testing::DemoToServe(
        *dir_, base_, "--customers 10000 --seed 5 --as-of " + std::string(kAsOf), kPassword);
    ASSERT_EQ(made.code, 0) << made.output;
    // The salesperson with the most customers hands them to another of the
    // same team.
    std::vector<std::string> pair = Lines(
        Sql(base_,
            "SELECT u.username FROM users u WHERE u.role = 2 AND u.active = 1 AND u.team_id ="
            " (SELECT s.team_id FROM users s JOIN customers c ON c.owner_id = s.id WHERE s.role"
            " = 2 GROUP BY s.id ORDER BY count(*) DESC, s.id LIMIT 1) ORDER BY (SELECT count(*)"
            " FROM customers c WHERE c.owner_id = u.id) DESC, u.id LIMIT 2"));
    ASSERT_EQ(pair.size(), 2u);
    from_ = pair[0];
    to_ = pair[1];
    // 60,000 orders of the demo's customers, the same every run.
    std::string csv = "order_id,customer_id,order_date,amount\n";
    std::mt19937 random(7);
    for (int i = 1; i <= 60000; ++i) {
      char line[80];
      std::snprintf(line, sizeof line, "IMP-%d,C%07d,2026-%02d-%02d,%d.%02d\n", i,
                    1 + static_cast<int>(random() % 10000), 1 + static_cast<int>(random() % 6),
                    1 + static_cast<int>(random() % 28), 1 + static_cast<int>(random() % 500),
                    static_cast<int>(random() % 100));
      csv += line;
    }
    orders_csv_ = dir_->Write("orders.csv", csv);
    // The reference: the same steps, never interrupted, timed.
    const std::string reference = dir_->File("reference.db");
    std::filesystem::copy_file(base_, reference);
    for (const std::vector<std::string>& step : Steps(reference)) {
      const auto started = Clock::now();
      pid_t pid = Spawn(step);
      int status = 0;
      waitpid(pid, &status, 0);
      ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << step[0];
      step_seconds_.push_back(std::chrono::duration<double>(Clock::now() - started).count());
    }
    reference_orders_ = Orders(reference);
    ASSERT_GT(Lines(reference_orders_).size(), 60000u);
  }

  static void TearDownTestSuite() { delete dir_; }

  // The command line's work, in order: import, score, handover.
  static std::vector<std::vector<std::string>> Steps(const std::string& db) {
    return {{"import", "orders", orders_csv_, "--db", db},
            {"score", "--as-of", kAsOf, "--db", db},
            {"handover", "--from", from_, "--to", to_, "--db", db}};
  }

  static testing::TempDir* dir_;
  static std::string base_, from_, to_, orders_csv_, reference_orders_;
  static std::vector<double> step_seconds_;
};

testing::TempDir* CrashTest::dir_ = nullptr;
std::string CrashTest::base_, CrashTest::from_, CrashTest::to_, CrashTest::orders_csv_,
    CrashTest::reference_orders_;
std::vector<double> CrashTest::step_seconds_;

TEST_F(CrashTest, KilledAtAnyMomentLosesNothingAndLeavesNothingHalfDone) {
  const char* trials_env = std::getenv("TENURE_CRASH_TRIALS");
  const char* seed_env = std::getenv("TENURE_CRASH_SEED");
  const int trials = trials_env ? std::atoi(trials_env) : 32;
  const unsigned seed = seed_env ? static_cast<unsigned>(std::strtoul(seed_env, nullptr, 10))
                                 : static_cast<unsigned>(std::random_device{}());
  std::printf("crash harness: %d trials, TENURE_CRASH_SEED=%u\n", trials, seed);
  std::mt19937 random(seed);
  // The time the work takes: the server starts, then the three steps.
  double span = 0.2;
  for (double s : step_seconds_) span += s;
  std::printf("crash harness: uninterrupted, import %.2f s, score %.2f s, handover %.2f s\n",
              step_seconds_[0], step_seconds_[1], step_seconds_[2]);
  std::map<std::string, int> killed_during;
  int64_t acknowledged_total = 0;

  for (int trial = 0; trial < trials; ++trial) {
    SCOPED_TRACE("trial " + std::to_string(trial) + " (TENURE_CRASH_SEED=" + std::to_string(seed) +
                 ")");
    const std::string db = dir_->File("trial.db");
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
    std::filesystem::copy_file(base_, db);
    // Trials take turns: a kill during the import, the scoring, the
    // handover (at a random moment of the step's usual time), or at a random
    // moment of the whole run.
    const int target = trial % 4;
    const double kill_after =
        std::uniform_real_distribution<>(0, target < 3 ? step_seconds_[target] : span)(random);

    testing::ServeProcess server(TENURE_BINARY, db, {}, dir_->File("serve.log"));
    ASSERT_TRUE(server.ok());
    const std::string token = Login(server.port());
    ASSERT_FALSE(token.empty());
    const auto started = Clock::now();

    // 8 clients log calls; an acknowledged one (201) is noted.
    std::atomic<bool> stop{false};
    std::mutex mutex;
    std::vector<std::string> acked;
    std::vector<std::thread> clients;
    const std::string tag = "crash-" + std::to_string(trial) + "-";
    for (int c = 0; c < 8; ++c) {
      clients.emplace_back([&, c] {
        httplib::Client client("127.0.0.1", server.port());
        client.set_read_timeout(30, 0);
        client.set_connection_timeout(1, 0);
        for (int n = 0; !stop; ++n) {
          const std::string notes = tag + std::to_string(c) + "-" + std::to_string(n);
          auto r = client.Post("/api/v1/activities", {{"Authorization", "Bearer " + token}},
                               json{{"customer_id", 1 + (c * 1237 + n * 7919) % 10000},
                                    {"kind", "visit"},
                                    {"occurred_at", "2026-06-29T10:00:00Z"},
                                    {"follow_up_on", "2026-07-0" + std::to_string(1 + n % 9)},
                                    {"notes", notes}}
                                   .dump(),
                               "application/json");
          if (r && r->status == 201) {
            std::lock_guard lock(mutex);
            acked.push_back(notes);
          } else if (!r) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
          }
        }
      });
    }
    // The command line's steps, one after another, until the kill.
    std::mutex step_mutex;
    pid_t step_pid = -1;
    int step_running = -1;  // the step at work, or 3 when all are done
    bool killed = false;
    std::thread runner([&] {
      std::vector<std::vector<std::string>> steps = Steps(db);
      for (int s = 0; s < 3; ++s) {
        {
          std::lock_guard lock(step_mutex);
          if (killed) return;
          step_pid = Spawn(steps[s]);
          step_running = s;
        }
        int status = 0;
        waitpid(step_pid, &status, 0);
        std::lock_guard lock(step_mutex);
        step_pid = -1;
        if (!killed) {
          EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "step " << s;
        }
      }
      std::lock_guard lock(step_mutex);
      step_running = 3;
    });
    if (target < 3) {
      // Wait for the step to start.
      for (;;) {
        {
          std::lock_guard lock(step_mutex);
          if (step_running >= target) break;
        }
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      }
      std::this_thread::sleep_for(std::chrono::duration<double>(kill_after));
    } else {
      std::this_thread::sleep_until(started + std::chrono::duration<double>(kill_after));
    }
    {
      std::lock_guard lock(step_mutex);
      killed = true;
      if (step_pid > 0) kill(-step_pid, SIGKILL);
      kill(-server.pid(), SIGKILL);
      const char* names[] = {"import", "score", "handover", "nothing (all done)"};
      ++killed_during[step_running < 0 ? "the start" : names[step_running]];
    }
    server.Kill(SIGKILL);
    runner.join();
    stop = true;
    for (std::thread& c : clients) c.join();
    acknowledged_total += static_cast<int64_t>(acked.size());

    // Whole, and its references hold.
    ASSERT_EQ(Sql(db, "PRAGMA integrity_check"), "ok\n");
    ASSERT_EQ(Sql(db, "PRAGMA foreign_key_check"), "");
    // Every acknowledged write is there.
    std::set<std::string> stored;
    for (const std::string& line :
         Lines(Sql(db, "SELECT notes FROM activities WHERE notes LIKE '" + tag + "%'"))) {
      stored.insert(line);
    }
    int lost = 0;
    for (const std::string& notes : acked) lost += stored.count(notes) == 0;
    ASSERT_EQ(lost, 0) << "of " << acked.size() << " acknowledged writes";
    // The derived columns equal a fresh computation: metrics and
    // record_tables by a rebuild that changes nothing...
    Outcome rebuild = Tenure("metrics rebuild --db " + db);
    ASSERT_EQ(rebuild.code, 0) << rebuild.output;
    EXPECT_NE(rebuild.output.find("0 customers changed, 0 customers' record tables changed"),
              std::string::npos)
        << rebuild.output;
    // ... and the scores, when a run got in, by scoring a copy again.
    const std::string runs = Sql(db, "SELECT count(*) FROM score_runs");
    ASSERT_TRUE(runs == "0\n" || runs == "1\n") << runs;
    if (runs == "1\n") {
      const std::string again = dir_->File("again.db");
      for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(again + suffix);
      ASSERT_EQ(Sql(db, "VACUUM INTO '" + again + "'"), "");
      ASSERT_EQ(Tenure("score --as-of " + std::string(kAsOf) + " --db " + again).code, 0);
      EXPECT_TRUE(SameScores(Scores(db), Scores(again))) << "stored scores differ from fresh ones";
    }
    // The import, run again to its end, gives what an uninterrupted one gave.
    Outcome import = Tenure("import orders " + orders_csv_ + " --db " + db);
    ASSERT_EQ(import.code, 0) << import.output;
    EXPECT_TRUE(Orders(db) == reference_orders_) << "the orders differ from the reference";
    Outcome after = Tenure("metrics rebuild --db " + db);
    EXPECT_NE(after.output.find("0 customers changed, 0 customers' record tables changed"),
              std::string::npos)
        << after.output;
    if (HasFatalFailure() || HasFailure()) break;
  }
  std::string during;
  for (const auto& [step, n] : killed_during) {
    during += (during.empty() ? "" : ", ") + step + " " + std::to_string(n);
  }
  std::printf("crash harness: %d kills (during %s), %lld acknowledged writes, 0 lost\n", trials,
              during.c_str(), static_cast<long long>(acknowledged_total));
}

// A full disk: an import fails with a message that says so and writes
// nothing; the server answers writes 503 (never 500), goes on answering
// reads, and writes again once there is room. The disk is a 24 MiB tmpfs
// (mounting one needs root; elsewhere the test is skipped and says why).
TEST(DiskFullTest, AClearErrorNothingHalfWrittenReadsGoOn) {
  if (geteuid() != 0) GTEST_SKIP() << "mounting a small tmpfs needs root";
  testing::TempDir dir;
  const std::string disk = dir.File("disk");
  std::filesystem::create_directory(disk);
  ASSERT_EQ(mount("tmpfs", disk.c_str(), "tmpfs", 0, "size=24m"), 0) << std::strerror(errno);
  struct Unmount {
    std::string path;
    ~Unmount() { umount2(path.c_str(), MNT_DETACH); }
  } unmount{disk};
  const std::string db = disk + "/full.db";
  Outcome made = testing::DemoToServe(
      dir, db, "--customers 2000 --seed 5 --as-of " + std::string(kAsOf), kPassword);
  ASSERT_EQ(made.code, 0) << made.output;
  // Fill the disk but for 256 KiB.
  const std::string filler = disk + "/filler";
  {
    const auto space = std::filesystem::space(disk);
    std::ofstream out(filler, std::ios::binary);
    const std::string block(1 << 16, 'x');
    for (uintmax_t left = space.available - (256 << 10); left >= block.size();
         left -= block.size()) {
      out.write(block.data(), static_cast<std::streamsize>(block.size()));
    }
  }
  std::string csv = "order_id,customer_id,order_date,amount\n";
  for (int i = 1; i <= 40000; ++i) {
    csv += "FULL-" + std::to_string(i) + ",C" +
           std::string(7 - std::to_string(1 + i % 2000).size(), '0') +
           std::to_string(1 + i % 2000) + ",2026-05-01,12.50\n";
  }
  const std::string orders = dir.Write("orders.csv", csv);
  const std::string before = Sql(db, "SELECT count(*), sum(amount) FROM orders");
  Outcome import = Tenure("import orders " + orders + " --db " + db);
  EXPECT_EQ(import.code, 1) << import.output;
  EXPECT_NE(import.output.find("disk holding the database is full"), std::string::npos)
      << import.output;
  EXPECT_EQ(Sql(db, "SELECT count(*), sum(amount) FROM orders"), before);
  EXPECT_EQ(Sql(db, "PRAGMA integrity_check"), "ok\n");

  testing::ServeProcess server(TENURE_BINARY, db, {}, dir.File("serve.log"));
  ASSERT_TRUE(server.ok());
  const std::string token = Login(server.port());
  ASSERT_FALSE(token.empty());
  httplib::Client client("127.0.0.1", server.port());
  client.set_read_timeout(30, 0);
  const httplib::Headers auth = {{"Authorization", "Bearer " + token}};
  std::vector<std::string> acked;
  auto post = [&](int n) {
    const std::string notes = "full-" + std::to_string(n) + "-" + std::string(8000, 'n');
    auto r = client.Post("/api/v1/activities", auth,
                         json{{"customer_id", 1 + n % 2000},
                              {"kind", "call"},
                              {"occurred_at", "2026-06-29T10:00:00Z"},
                              {"notes", notes}}
                             .dump(),
                         "application/json");
    if (r && r->status == 201) acked.push_back(notes.substr(0, notes.find('-', 5)));
    if (!r) return std::pair<int, std::string>{0, "no answer"};
    return std::pair<int, std::string>{r->status,
                                       r->get_header_value("Retry-After") + " " + r->body};
  };
  std::pair<int, std::string> refused;
  for (int n = 0; n < 200; ++n) {
    refused = post(n);
    if (refused.first != 201) break;
  }
  EXPECT_EQ(refused.first, 503) << refused.second;
  EXPECT_NE(refused.second.find("full"), std::string::npos) << refused.second;
  EXPECT_EQ(refused.second.substr(0, 2), "5 ") << "no Retry-After: " << refused.second;
  auto read = client.Get("/api/v1/customers/1", auth);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->status, 200) << "reads stop on a full disk";
  // Room again: writes go on.
  std::filesystem::remove(filler);
  auto again = post(1000);
  EXPECT_EQ(again.first, 201) << again.second;
  server.Kill(SIGTERM);
  EXPECT_EQ(Sql(db, "PRAGMA integrity_check"), "ok\n");
  for (const std::string& notes : acked) {
    EXPECT_EQ(Sql(db, "SELECT count(*) FROM activities WHERE notes LIKE '" + notes + "-%'"), "1\n");
  }
  std::printf("disk full: %zu writes acknowledged before the disk filled, then 503\n",
              acked.size() - 1);
}

// A database file damaged behind the server's back (a page overwritten):
// what cannot be read is answered 500 with no detail for the client, and the
// server's log names the request and the cause; the server itself goes on.
TEST(CorruptionTest, WhatCannotBeReadIs500AndLoggedWithTheRequest) {
  testing::TempDir dir;
  const std::string db = dir.File("damaged.db");
  Outcome made = testing::DemoToServe(
      dir, db, "--customers 2000 --seed 5 --as-of " + std::string(kAsOf), kPassword);
  ASSERT_EQ(made.code, 0) << made.output;
  const std::string log = dir.File("serve.log");
  testing::ServeProcess server(TENURE_BINARY, db, {}, log);
  ASSERT_TRUE(server.ok());
  const std::string token = Login(server.port());
  ASSERT_FALSE(token.empty());
  // Overwrite every page of the file's second half with noise.
  {
    const auto size = std::filesystem::file_size(db);
    std::fstream file(db, std::ios::in | std::ios::out | std::ios::binary);
    std::mt19937 random(11);
    std::string noise(4096, '\0');
    for (uintmax_t at = size / 2 / 4096 * 4096; at + 4096 <= size; at += 4096) {
      for (char& c : noise) c = static_cast<char>(random());
      file.seekp(static_cast<std::streamoff>(at));
      file.write(noise.data(), static_cast<std::streamsize>(noise.size()));
    }
  }
  httplib::Client client("127.0.0.1", server.port());
  client.set_read_timeout(30, 0);
  const httplib::Headers auth = {{"Authorization", "Bearer " + token}};
  int internal = 0;
  for (int id = 1; id <= 2000 && internal == 0; id += 97) {
    auto r = client.Get("/api/v1/customers/" + std::to_string(id), auth);
    ASSERT_TRUE(r) << "no answer for customer " << id;
    if (r->status == 500) {
      ++internal;
      EXPECT_NE(r->body.find("\"message\":\"internal error\""), std::string::npos) << r->body;
      EXPECT_EQ(r->body.find("malformed"), std::string::npos) << "detail leaked: " << r->body;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      const std::string logged = testing::ReadFile(log);
      EXPECT_NE(logged.find("500 on GET /api/v1/customers/" + std::to_string(id) + " from "),
                std::string::npos)
          << logged;
      EXPECT_NE(logged.find("malformed"), std::string::npos) << logged;
    }
  }
  EXPECT_EQ(internal, 1) << "no profile read the damaged pages";
  auto me = client.Get("/api/v1/me", auth);
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200) << "the server stopped answering";
}

}  // namespace
}  // namespace tenure
