// `tenure serve` as an administrator starts it: it names the address it
// listens on (port 0: a free one), answers a login over HTTP on 127.0.0.1,
// and stops cleanly (exit 0) on SIGTERM; a bad --listen or a missing
// database is refused before anything listens. Without --listen the
// configuration's `listen` is the address; --create makes a missing database
// (a service's first start).
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "testing/paths.h"
#include "testing/run_tenure.h"
#include "testing/serve_process.h"
#include "testing/temp_dir.h"

namespace tenure {
namespace {

using nlohmann::json;
using testing::Outcome;
using testing::ServeProcess;
using testing::TempDir;
using testing::Tenure;

constexpr const char* kPassword = "correct horse 42";

class ServeCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Outcome o = Tenure("import teams " + dir_.Write("teams.csv", "name\nNorth\n") + Db());
    ASSERT_EQ(o.code, 0) << o.output;
    o = Tenure("user add root --role admin --password-stdin" + Db() + " < " +
               dir_.Write("password.txt", std::string(kPassword) + "\n"));
    ASSERT_EQ(o.code, 0) << o.output;
  }

  std::string Db() { return " --db " + dir_.File("t.db"); }

  TempDir dir_;
};

TEST_F(ServeCliTest, ServesOnTheNamedPortAndStopsOnSigterm) {
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    std::string db = dir_.File("t.db");
    execl(TENURE_BINARY, TENURE_BINARY, "serve", "--db", db.c_str(), "--listen", "127.0.0.1:0",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  // Kills the server if the test stops early.
  struct Reaper {
    pid_t pid;
    ~Reaper() {
      if (pid > 0) {
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
      }
    }
  } reaper{pid};
  FILE* from_server = fdopen(out[0], "r");
  char line[512] = {};
  ASSERT_NE(fgets(line, sizeof line, from_server), nullptr) << "the server printed nothing";
  std::string banner = line;
  // "tenure: serving DB on http://127.0.0.1:PORT/api/v1 (Ctrl-C stops)"
  size_t at = banner.find("http://127.0.0.1:");
  ASSERT_NE(at, std::string::npos) << banner;
  int port = std::stoi(banner.substr(at + 17));
  EXPECT_GT(port, 0) << banner;

  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(30, 0);
  auto login =
      client.Post("/api/v1/login", json{{"username", "root"}, {"password", kPassword}}.dump(),
                  "application/json");
  ASSERT_TRUE(login) << "no answer on port " << port;
  EXPECT_EQ(login->status, 200) << login->body;
  std::string token = json::parse(login->body).value("token", "");
  auto me = client.Get("/api/v1/me", {{"Authorization", "Bearer " + token}});
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200) << me->body;
  EXPECT_EQ(json::parse(me->body)["user"]["username"], "root");

  ASSERT_EQ(kill(pid, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  reaper.pid = 0;
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  std::string rest;
  while (fgets(line, sizeof line, from_server) != nullptr) rest += line;
  fclose(from_server);
  EXPECT_NE(rest.find("tenure: stopped"), std::string::npos) << rest;
}

TEST_F(ServeCliTest, RefusesABadAddressOrAMissingDatabase) {
  Outcome bad = Tenure("serve --listen localhost" + Db());
  EXPECT_NE(bad.code, 0);
  EXPECT_NE(bad.output.find("--listen"), std::string::npos) << bad.output;
  Outcome port = Tenure("serve --listen 127.0.0.1:70000" + Db());
  EXPECT_NE(port.code, 0);
  EXPECT_NE(port.output.find("--listen"), std::string::npos) << port.output;
  Outcome missing = Tenure("serve --db " + dir_.File("none.db"));
  EXPECT_NE(missing.code, 0);
  EXPECT_NE(missing.output.find("none.db"), std::string::npos) << missing.output;
}

TEST_F(ServeCliTest, ListensWhereTheConfigurationSaysWithoutListen) {
  std::string config = dir_.Write("tenure.conf", "# the service's\nlisten = 127.0.0.1:0\n");
  ServeProcess server(std::vector<std::string>{TENURE_BINARY, "--config", config, "serve", "--db",
                                               dir_.File("t.db")});
  ASSERT_TRUE(server.ok()) << "no banner with a port from the configuration's listen";
  httplib::Client client("127.0.0.1", server.port());
  auto logins = client.Get("/api/v1/demo-logins");
  ASSERT_TRUE(logins) << "no answer on port " << server.port();
  EXPECT_EQ(logins->status, 200) << logins->body;

  std::string bad = dir_.Write("bad.conf", "listen = localhost\n");
  Outcome refused = Tenure("--config " + bad + " serve" + Db());
  EXPECT_NE(refused.code, 0);
  EXPECT_NE(refused.output.find("bad.conf:1"), std::string::npos) << refused.output;
  EXPECT_NE(refused.output.find("listen"), std::string::npos) << refused.output;
}

// The daily playbooks run reads its rules when the server starts: a bad
// file, or an hour without a file, stops it naming what is wrong; good rules
// let it serve (the run itself waits for the hour: docs/playbooks.md).
TEST_F(ServeCliTest, ChecksTheDailyPlaybooksBeforeServing) {
  std::string no_file = dir_.Write("a.conf", "listen = 127.0.0.1:0\nplaybooks_hour = 6\n");
  Outcome refused = Tenure("--config " + no_file + " serve" + Db());
  EXPECT_NE(refused.code, 0);
  EXPECT_NE(refused.output.find("playbooks_file"), std::string::npos) << refused.output;
  std::string rules =
      dir_.Write("rules.conf", "[r]\nwhen = risk >= 2 and mood = 1\naction = call\n");
  std::string bad_rules = dir_.Write(
      "b.conf", "listen = 127.0.0.1:0\nplaybooks_hour = 6\nplaybooks_file = " + rules + "\n");
  refused = Tenure("--config " + bad_rules + " serve" + Db());
  EXPECT_NE(refused.code, 0);
  EXPECT_NE(refused.output.find("rules.conf:2: unknown variable 'mood'"), std::string::npos)
      << refused.output;
  std::string good = dir_.Write("rules.conf", "[r]\nwhen = risk >= 0.9\naction = call\n");
  std::string ok = dir_.Write(
      "c.conf", "listen = 127.0.0.1:0\nplaybooks_hour = 6\nplaybooks_file = " + good + "\n");
  ServeProcess server(
      std::vector<std::string>{TENURE_BINARY, "--config", ok, "serve", "--db", dir_.File("t.db")});
  ASSERT_TRUE(server.ok()) << "no banner with the daily playbooks set";
}

TEST_F(ServeCliTest, CreatesAMissingDatabaseOnlyWithCreate) {
  std::string db = dir_.File("new/tenure.db");
  std::filesystem::create_directories(dir_.File("new"));
  Outcome missing = Tenure("serve --listen 127.0.0.1:0 --db " + db);
  EXPECT_NE(missing.code, 0);
  EXPECT_FALSE(std::filesystem::exists(db));

  ServeProcess server(TENURE_BINARY, db, {"--create"});
  ASSERT_TRUE(server.ok()) << "serve --create did not start on a missing database";
  EXPECT_TRUE(std::filesystem::exists(db));
  httplib::Client client("127.0.0.1", server.port());
  auto logins = client.Get("/api/v1/demo-logins");
  ASSERT_TRUE(logins) << "no answer on port " << server.port();
  EXPECT_EQ(logins->status, 200) << logins->body;
  // A new database is no demo company: its login page lists no one.
  json answer = json::parse(logins->body);
  EXPECT_EQ(answer["demo"], false) << logins->body;
  EXPECT_TRUE(answer["users"].empty()) << logins->body;
  server.Kill(SIGTERM);
  // The database it made is one the other commands take.
  EXPECT_EQ(Tenure("summary --db " + db).code, 0);
}

}  // namespace
}  // namespace tenure
