// `tenure user add|passwd|disable|list` as an administrator runs them:
// passwords from stdin (never from the command line), the listing, exit codes
// (0 ok, 1 refused, 2 bad usage) and messages that name the field.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <string>

#include "testing/paths.h"
#include "testing/run_tenure.h"
#include "testing/temp_dir.h"

namespace tenure {
namespace {

using nlohmann::json;
using testing::Outcome;
using testing::TempDir;
using testing::Tenure;
using testing::TenureJson;

bool Has(const Outcome& o, const std::string& text) {
  return o.output.find(text) != std::string::npos;
}

class UserCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Outcome o = Tenure("import teams " + dir_.Write("teams.csv", "name\nNorth\n") + Db());
    ASSERT_EQ(o.code, 0) << o.output;
  }

  std::string Db() { return " --db " + dir_.File("t.db"); }

  // " < FILE" where FILE holds `text`: what the command reads on stdin.
  std::string Stdin(const std::string& text) {
    return " < " + dir_.Write("stdin" + std::to_string(files_++) + ".txt", text);
  }

  // The user named `username` in `tenure user list --json`; null when absent.
  json Listed(const std::string& username) {
    json list = TenureJson("user list --json" + Db());
    for (const json& u : list["users"]) {
      if (u["username"] == username) return u;
    }
    return json();
  }

  TempDir dir_;
  int files_ = 0;
};

TEST_F(UserCliTest, AddWithPasswordFromStdinThenList) {
  Outcome add = Tenure(
      "user add bob --role manager --team North --name 'Bob B' --email bob@example.org"
      " --password-stdin" +
      Db() + Stdin("correct horse battery\n"));
  ASSERT_EQ(add.code, 0) << add.output;
  EXPECT_TRUE(Has(add, "Added user bob (id 1): manager, team North")) << add.output;

  json bob = Listed("bob");
  ASSERT_FALSE(bob.is_null());
  EXPECT_EQ(bob["id"], 1);
  EXPECT_EQ(bob["full_name"], "Bob B");
  EXPECT_EQ(bob["email"], "bob@example.org");
  EXPECT_EQ(bob["role"], "manager");
  EXPECT_EQ(bob["team"], "North");
  EXPECT_EQ(bob["active"], true);
  EXPECT_EQ(bob["has_password"], true);

  Outcome text = Tenure("user list" + Db());
  ASSERT_EQ(text.code, 0) << text.output;
  EXPECT_TRUE(Has(text, "bob")) << text.output;
  EXPECT_TRUE(Has(text, "Bob B")) << text.output;
  EXPECT_FALSE(Has(text, "argon2")) << text.output;
}

TEST_F(UserCliTest, AddWithoutAPasswordWhenStdinIsEmpty) {
  Outcome add = Tenure("user add carol --role sales" + Db() + " < /dev/null");
  ASSERT_EQ(add.code, 0) << add.output;
  EXPECT_TRUE(Has(add, "cannot log in until `tenure user passwd carol`")) << add.output;
  json carol = Listed("carol");
  ASSERT_FALSE(carol.is_null());
  EXPECT_EQ(carol["has_password"], false);
  EXPECT_TRUE(carol["team"].is_null());
}

TEST_F(UserCliTest, PasswdSetsThePassword) {
  ASSERT_EQ(Tenure("user add carol --role service" + Db() + " < /dev/null").code, 0);
  Outcome set = Tenure("user passwd carol --password-stdin" + Db() + Stdin("a long password\n"));
  ASSERT_EQ(set.code, 0) << set.output;
  EXPECT_TRUE(Has(set, "Password of carol set")) << set.output;
  EXPECT_EQ(Listed("carol")["has_password"], true);

  // Without the flag, a stdin that is not a terminal is read the same way.
  EXPECT_EQ(Tenure("user passwd carol" + Db() + Stdin("another password\n")).code, 0);

  Outcome shorter = Tenure("user passwd carol --password-stdin" + Db() + Stdin("short\n"));
  EXPECT_EQ(shorter.code, 1) << shorter.output;
  EXPECT_TRUE(Has(shorter, "password: must be at least 8 characters")) << shorter.output;
  Outcome nobody = Tenure("user passwd zed --password-stdin" + Db() + Stdin("a long password\n"));
  EXPECT_EQ(nobody.code, 1) << nobody.output;
  EXPECT_TRUE(Has(nobody, "username: no user 'zed'")) << nobody.output;
}

TEST_F(UserCliTest, DisableMarksTheUserInactive) {
  ASSERT_EQ(
      Tenure("user add bob --role sales --password-stdin" + Db() + Stdin("a long password\n")).code,
      0);
  Outcome disable = Tenure("user disable bob" + Db());
  ASSERT_EQ(disable.code, 0) << disable.output;
  EXPECT_TRUE(Has(disable, "Disabled bob")) << disable.output;
  EXPECT_EQ(Listed("bob")["active"], false);
  Outcome nobody = Tenure("user disable zed" + Db());
  EXPECT_EQ(nobody.code, 1) << nobody.output;
  EXPECT_TRUE(Has(nobody, "username: no user 'zed'")) << nobody.output;
}

TEST_F(UserCliTest, RefusalsNameTheField) {
  ASSERT_EQ(Tenure("user add bob --role sales" + Db() + " < /dev/null").code, 0);
  Outcome twice = Tenure("user add bob --role sales" + Db() + " < /dev/null");
  EXPECT_EQ(twice.code, 1) << twice.output;
  EXPECT_TRUE(Has(twice, "username: user 'bob' exists already")) << twice.output;

  Outcome role = Tenure("user add dan --role boss" + Db() + " < /dev/null");
  EXPECT_EQ(role.code, 2) << role.output;
  EXPECT_TRUE(Has(role, "--role: unknown role 'boss'")) << role.output;

  Outcome team = Tenure("user add dan --role manager" + Db() + " < /dev/null");
  EXPECT_EQ(team.code, 1) << team.output;
  EXPECT_TRUE(Has(team, "team: a manager needs a team")) << team.output;
  Outcome south = Tenure("user add dan --role sales --team South" + Db() + " < /dev/null");
  EXPECT_EQ(south.code, 1) << south.output;
  EXPECT_TRUE(Has(south, "team: unknown team 'South'")) << south.output;

  Outcome shorter = Tenure("user add dan --role sales --password-stdin" + Db() + Stdin("short\n"));
  EXPECT_EQ(shorter.code, 1) << shorter.output;
  EXPECT_TRUE(Has(shorter, "password: must be at least 8 characters")) << shorter.output;

  // A password is never a command-line argument: `ps` would show it.
  Outcome argument = Tenure("user add dan --role sales --password 'a long password'" + Db());
  EXPECT_EQ(argument.code, 2) << argument.output;
  EXPECT_TRUE(Listed("dan").is_null());
}

TEST_F(UserCliTest, MissingDatabaseIsNotCreated) {
  Outcome list = Tenure("user list --db " + dir_.File("missing.db"));
  EXPECT_EQ(list.code, 1) << list.output;
  EXPECT_TRUE(Has(list, "no database at")) << list.output;
}

TEST_F(UserCliTest, InterruptedPromptLeavesTheTerminalEchoing) {
  // stdin a pseudo-terminal, as when an administrator types the password;
  // the test holds the other end.
  int terminal = posix_openpt(O_RDWR | O_NOCTTY);
  ASSERT_GE(terminal, 0);
  ASSERT_EQ(grantpt(terminal), 0);
  ASSERT_EQ(unlockpt(terminal), 0);
  const std::string tty = ptsname(terminal);
  int err[2];
  ASSERT_EQ(pipe(err), 0);
  const std::string db = dir_.File("t.db");
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    int in = open(tty.c_str(), O_RDWR | O_NOCTTY);
    dup2(in, STDIN_FILENO);
    dup2(err[1], STDERR_FILENO);
    close(err[0]);
    execl(TENURE_BINARY, TENURE_BINARY, "user", "add", "zoe", "--role", "sales", "--db", db.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(err[1]);
  std::string prompt;
  char buffer[256];
  while (prompt.find("Password for zoe") == std::string::npos) {
    ssize_t n = read(err[0], buffer, sizeof buffer);
    if (n <= 0) break;
    prompt.append(buffer, static_cast<size_t>(n));
  }
  close(err[0]);
  int tty_fd = open(tty.c_str(), O_RDWR | O_NOCTTY);
  ASSERT_GE(tty_fd, 0);
  termios settings{};
  auto echoing = [&] {
    EXPECT_EQ(tcgetattr(tty_fd, &settings), 0);
    return (settings.c_lflag & ECHO) != 0;
  };
  // The prompt comes first, then the echo goes off: wait for that (5 s at
  // most), then interrupt as Ctrl-C would.
  for (int i = 0; i < 500 && echoing(); ++i) usleep(10000);
  EXPECT_FALSE(echoing()) << "the prompt did not turn the echo off: " << prompt;
  kill(pid, SIGINT);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT) << status;
  EXPECT_TRUE(echoing());
  close(tty_fd);
  close(terminal);
  EXPECT_TRUE(Listed("zoe").is_null());
}

}  // namespace
}  // namespace tenure
