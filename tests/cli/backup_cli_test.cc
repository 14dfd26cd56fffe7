// `tenure backup` while the server is writing, and `tenure restore`: the
// copy passes SQLite's integrity check and holds every write the server
// acknowledged before the backup began; writers never fail meanwhile; a
// restore under a running server swaps the whole database at once; a file
// that is no sound Tenure database is refused and nothing changes.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
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

constexpr const char* kPassword = "bench-password";

// The output of the sqlite3 shell on `db` (one row a line).
std::string Sql(const std::string& db, const std::string& sql) {
  std::string command = "sqlite3 " + db + " \"" + sql + "\" 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  pclose(pipe);
  return out;
}

struct Write {
  std::string notes;
  int64_t id = 0;
  Clock::time_point acked;
};

TEST(BackupCliTest, BackupWhileWritingRestoresEveryWriteAcknowledgedBeforeIt) {
  testing::TempDir dir;
  const std::string db = dir.File("live.db");
  Outcome made = testing::DemoToServe(dir, db, "--customers 20000 --seed 3", kPassword);
  ASSERT_EQ(made.code, 0) << made.output;
  testing::ServeProcess server(TENURE_BINARY, db, {}, dir.File("serve.log"));
  ASSERT_TRUE(server.ok());
  httplib::Client login("127.0.0.1", server.port());
  auto session =
      login.Post("/api/v1/login", json{{"username", "admin"}, {"password", kPassword}}.dump(),
                 "application/json");
  ASSERT_TRUE(session && session->status == 200);
  const std::string token = json::parse(session->body)["token"];

  // Four clients log calls until told to stop, noting when each was acknowledged.
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::vector<Write> acked;
  std::atomic<int> failed{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      httplib::Client client("127.0.0.1", server.port());
      client.set_read_timeout(30, 0);
      for (int n = 0; !stop; ++n) {
        const std::string notes = "backup-" + std::to_string(w) + "-" + std::to_string(n);
        auto r = client.Post("/api/v1/activities", {{"Authorization", "Bearer " + token}},
                             json{{"customer_id", 1 + (w * 7919 + n * 104729) % 20000},
                                  {"kind", "call"},
                                  {"occurred_at", "2026-06-29T10:00:00Z"},
                                  {"notes", notes}}
                                 .dump(),
                             "application/json");
        if (!r || r->status != 201) {
          ++failed;
          continue;
        }
        std::lock_guard lock(mutex);
        acked.push_back({notes, json::parse(r->body)["id"].get<int64_t>(), Clock::now()});
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto began = Clock::now();
  Outcome backup = Tenure("backup --to " + dir.File("copy.db") + " --db " + db);
  const auto ended = Clock::now();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  stop = true;
  for (std::thread& w : writers) w.join();
  ASSERT_EQ(backup.code, 0) << backup.output;
  EXPECT_EQ(failed.load(), 0) << "writes failed while the backup ran";

  int before = 0, during = 0;
  for (const Write& w : acked) {
    before += w.acked < began;
    during += w.acked >= began && w.acked < ended;
  }
  ASSERT_GT(before, 0);
  EXPECT_GT(during, 0) << "no write was acknowledged while the backup ran";

  // Restored to a new file: sound, and every write acknowledged before the
  // backup began is there.
  const std::string restored = dir.File("restored.db");
  Outcome restore = Tenure("restore --from " + dir.File("copy.db") + " --db " + restored);
  ASSERT_EQ(restore.code, 0) << restore.output;
  EXPECT_EQ(Sql(restored, "PRAGMA integrity_check"), "ok\n");
  EXPECT_EQ(Sql(restored, "PRAGMA foreign_key_check"), "");
  std::set<std::string> stored;
  std::string rows = Sql(restored, "SELECT notes FROM activities WHERE notes LIKE 'backup-%'");
  for (size_t at = 0, end; (end = rows.find('\n', at)) != std::string::npos; at = end + 1) {
    stored.insert(rows.substr(at, end - at));
  }
  int missing = 0;
  for (const Write& w : acked) {
    if (w.acked < began && !stored.count(w.notes)) ++missing;
  }
  EXPECT_EQ(missing, 0) << "of " << before << " writes acknowledged before the backup";
  std::printf("backup: %d writes acknowledged before it, %d while it ran, %zu in the copy\n",
              before, during, stored.size());

  // Restored under the running server: the database is the copy's at once.
  const Write& early = acked.front();
  const Write& late = acked.back();
  ASSERT_GE(late.acked, ended);
  Outcome live = Tenure("restore --from " + dir.File("copy.db") + " --db " + db);
  ASSERT_EQ(live.code, 0) << live.output;
  httplib::Client client("127.0.0.1", server.port());
  httplib::Headers auth = {{"Authorization", "Bearer " + token}};
  auto kept = client.Get("/api/v1/activities/" + std::to_string(early.id), auth);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->status, 200) << kept->body;
  auto gone = client.Get("/api/v1/activities/" + std::to_string(late.id), auth);
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->status, 404) << "a write from after the backup survived the restore";
  EXPECT_EQ(Sql(db, "PRAGMA integrity_check"), "ok\n");
}

TEST(BackupCliTest, WhatIsNoSoundDatabaseIsRefusedAndNothingChanges) {
  testing::TempDir dir;
  const std::string db = dir.File("live.db");
  ASSERT_EQ(Tenure("import teams " + dir.Write("teams.csv", "name\nNorth\n") + " --db " + db).code,
            0);
  const std::string before = Sql(db, "SELECT name FROM teams");
  // Garbage, a database cut short, and something that is not Tenure's.
  const std::string garbage = dir.Write("garbage.db", std::string(8192, 'x'));
  ASSERT_EQ(Tenure("backup --to " + dir.File("copy.db") + " --db " + db).code, 0);
  std::string whole = testing::ReadFile(dir.File("copy.db"));
  const std::string cut = dir.Write("cut.db", whole.substr(0, whole.size() / 2));
  const std::string foreign = dir.File("foreign.db");
  Sql(foreign, "CREATE TABLE t (x); INSERT INTO t VALUES (1)");
  for (const std::string& bad : {garbage, cut, foreign, dir.File("absent.db")}) {
    Outcome refused = Tenure("restore --from " + bad + " --db " + db);
    EXPECT_EQ(refused.code, 1) << bad << ": " << refused.output;
    EXPECT_NE(refused.output.find(bad), std::string::npos) << refused.output;
    EXPECT_EQ(Sql(db, "SELECT name FROM teams"), before);
  }
  // Nor the database onto itself.
  Outcome itself = Tenure("restore --from " + db + " --db " + db);
  EXPECT_NE(itself.code, 0);
  EXPECT_NE(itself.output.find("is the database itself"), std::string::npos) << itself.output;
  EXPECT_EQ(Sql(db, "SELECT name FROM teams"), before);
  // A backup never overwrites a file.
  Outcome again = Tenure("backup --to " + dir.File("copy.db") + " --db " + db);
  EXPECT_EQ(again.code, 1);
  EXPECT_NE(again.output.find("exists already"), std::string::npos) << again.output;
}

}  // namespace
}  // namespace tenure
