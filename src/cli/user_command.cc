// `tenure user add|passwd|disable|list`: the users who can log in to
// `tenure serve` (engine/accounts.h).
//
// A password is never a command-line argument, where `ps` and the shell's
// history would show it. It is read from stdin: one line with
// --password-stdin or when stdin is not a terminal (a pipe, a file), else
// typed twice at a prompt that does not echo.
#include <fmt/format.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "api/json_codec.h"
#include "cli/commands.h"
#include "domain/enums.h"
#include "engine/accounts.h"

namespace tenure::cli {
namespace {

using nlohmann::json;

// One line of stdin without its line end; empty at the end of input.
std::string ReadLine() {
  std::string line;
  if (!std::getline(std::cin, line)) return {};
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// The terminal's settings from before a prompt turned its echo off, and the
// signals that would otherwise end the process with the echo still off
// (Ctrl-C, quit, a closed terminal, kill): their handler restores the
// settings and then dies of the signal as it would have.
termios g_terminal_before_prompt;
constexpr int kPromptSignals[] = {SIGINT, SIGQUIT, SIGHUP, SIGTERM};

extern "C" void RestoreTerminalAndDie(int signal_number) {
  // tcsetattr, sigaction and raise are async-signal-safe.
  tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_terminal_before_prompt);
  struct sigaction fallback {};
  fallback.sa_handler = SIG_DFL;
  sigaction(signal_number, &fallback, nullptr);
  raise(signal_number);
}

// Prints `prompt` on stderr and reads a line from the terminal on stdin with
// echo off (the line end still echoes, ECHONL). Errors: kIoError when the
// terminal cannot be set; kInvalidArgument at the end of input.
Result<std::string> PromptHidden(const char* prompt) {
  std::fputs(prompt, stderr);
  std::fflush(stderr);
  termios saved{};
  if (tcgetattr(STDIN_FILENO, &saved) != 0) {
    return Status::IoError("cannot turn off the terminal's echo to read a password");
  }
  g_terminal_before_prompt = saved;
  struct sigaction restore {};
  restore.sa_handler = RestoreTerminalAndDie;
  sigemptyset(&restore.sa_mask);
  struct sigaction before[std::size(kPromptSignals)];
  for (size_t i = 0; i < std::size(kPromptSignals); ++i) {
    sigaction(kPromptSignals[i], &restore, &before[i]);
  }
  termios quiet = saved;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  quiet.c_lflag |= ECHONL;
  const bool hidden = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
  bool read = false;
  std::string line;
  if (hidden) {
    read = static_cast<bool>(std::getline(std::cin, line));
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
  }
  for (size_t i = 0; i < std::size(kPromptSignals); ++i) {
    sigaction(kPromptSignals[i], &before[i], nullptr);
  }
  if (!hidden) return Status::IoError("cannot turn off the terminal's echo to read a password");
  if (!read) return Status::InvalidArgument("none given", "password");
  return line;
}

// The password for `username`, read as the file comment says. With
// `optional`, an empty answer at the prompt means "no password".
Result<std::string> ReadPassword(bool from_stdin, const std::string& username, bool optional) {
  if (from_stdin || !isatty(STDIN_FILENO)) return ReadLine();
  std::string prompt = "Password for " + username +
                       (optional ? " (empty: none; cannot log in until one is set): " : ": ");
  auto first = PromptHidden(prompt.c_str());
  if (!first.ok()) return first.status();
  if (first->empty() && optional) return std::string();
  auto second = PromptHidden("Again: ");
  if (!second.ok()) return second.status();
  if (*first != *second) return Status::InvalidArgument("the two entries differ", "password");
  return std::move(*first);
}

json Nullable(const std::string& text) { return text.empty() ? json() : json(text); }

json UserJson(const engine::UserAccount& u) {
  return {{"id", u.id},
          {"username", u.username},
          {"full_name", Nullable(u.full_name)},
          {"email", Nullable(u.email)},
          {"role", domain::NameOf(domain::kUserRoleNames, u.role)},
          {"team", Nullable(u.team)},
          {"active", u.active},
          {"has_password", u.has_password}};
}

void PrintUsers(const std::vector<engine::UserAccount>& users) {
  size_t name_width = 8;
  size_t team_width = 4;
  for (const auto& u : users) {
    name_width = std::max(name_width, u.username.size());
    team_width = std::max(team_width, u.team.size());
  }
  auto line = [&](std::string_view username, std::string_view role, std::string_view team,
                  std::string_view active, std::string_view password, std::string_view name) {
    std::string text = fmt::format("{:<{}}  {:<7}  {:<{}}  {:<8}  {:<8}  {}", username, name_width,
                                   role, team, team_width, active, password, name);
    text.erase(text.find_last_not_of(' ') + 1);
    fmt::print("{}\n", text);
  };
  line("username", "role", "team", "active", "password", "name");
  for (const auto& u : users) {
    line(u.username, domain::NameOf(domain::kUserRoleNames, u.role), u.team.empty() ? "-" : u.team,
         u.active ? "yes" : "disabled", u.has_password ? "set" : "none", u.full_name);
  }
}

}  // namespace

void AddUserCommand(CLI::App& app, Registry& registry) {
  auto db = std::make_shared<std::string>("tenure.db");
  CLI::App* cmd = app.add_subcommand("user", "Users who can log in, and their passwords");
  cmd->require_subcommand(1);

  // add
  {
    struct Args {
      engine::NewUser user;
      std::string role;
      bool password_stdin = false;
    };
    auto a = std::make_shared<Args>();
    CLI::App* add = cmd->add_subcommand("add", "Add a user");
    add->add_option("USERNAME", a->user.username, "Login name")->required();
    add->add_option("--role", a->role, "admin, manager, sales or service")->required();
    add->add_option("--team", a->user.team, "Team name (a manager needs one)");
    add->add_option("--name", a->user.full_name, "Full name");
    add->add_option("--email", a->user.email, "E-mail address");
    add->add_flag("--password-stdin", a->password_stdin, "Read the password from stdin");
    add->add_option("--db", *db, "Database file")->capture_default_str();
    registry.emplace_back(add, [a, db](const app::Config&) {
      std::optional<int> role = domain::ParseEnumName(domain::kUserRoleNames, a->role);
      if (!role) {
        return Fail(Status::InvalidArgument(
            "unknown role '" + a->role + "' (admin, manager, sales or service)", "--role"));
      }
      a->user.role = static_cast<domain::UserRole>(*role);
      auto opened = OpenExisting(*db);
      if (!opened.ok()) return Fail(opened.status());
      auto password = ReadPassword(a->password_stdin, a->user.username, /*optional=*/true);
      if (!password.ok()) return Fail(password.status());
      a->user.password = std::move(*password);
      auto added = engine::AddUser(**opened, a->user);
      if (!added.ok()) return Fail(added.status());
      fmt::print("Added user {} (id {}): {}{}\n", added->username, added->id,
                 domain::NameOf(domain::kUserRoleNames, added->role),
                 added->team.empty() ? "" : ", team " + added->team);
      if (!added->has_password) {
        fmt::print("{} has no password and cannot log in until `tenure user passwd {}`\n",
                   added->username, added->username);
      }
      return kExitOk;
    });
  }

  // passwd
  {
    struct Args {
      std::string username;
      bool password_stdin = false;
    };
    auto a = std::make_shared<Args>();
    CLI::App* passwd = cmd->add_subcommand("passwd", "Set a user's password (ends their sessions)");
    passwd->add_option("USERNAME", a->username, "Login name")->required();
    passwd->add_flag("--password-stdin", a->password_stdin, "Read the password from stdin");
    passwd->add_option("--db", *db, "Database file")->capture_default_str();
    registry.emplace_back(passwd, [a, db](const app::Config&) {
      auto opened = OpenExisting(*db);
      if (!opened.ok()) return Fail(opened.status());
      auto password = ReadPassword(a->password_stdin, a->username, /*optional=*/false);
      if (!password.ok()) return Fail(password.status());
      Status set = engine::SetPassword(**opened, a->username, *password);
      if (!set.ok()) return Fail(set);
      fmt::print("Password of {} set; their sessions are ended\n", a->username);
      return kExitOk;
    });
  }

  // disable
  {
    auto username = std::make_shared<std::string>();
    CLI::App* disable =
        cmd->add_subcommand("disable", "Stop a user from logging in (ends their sessions)");
    disable->add_option("USERNAME", *username, "Login name")->required();
    disable->add_option("--db", *db, "Database file")->capture_default_str();
    registry.emplace_back(disable, [username, db](const app::Config&) {
      auto opened = OpenExisting(*db);
      if (!opened.ok()) return Fail(opened.status());
      Status disabled = engine::DisableUser(**opened, *username);
      if (!disabled.ok()) return Fail(disabled);
      fmt::print(
          "Disabled {}: they cannot log in and their sessions are ended; their customers stay "
          "theirs until `tenure handover`\n",
          *username);
      return kExitOk;
    });
  }

  // list
  {
    auto as_json = std::make_shared<bool>(false);
    CLI::App* list = cmd->add_subcommand("list", "Every user, by username");
    list->add_flag("--json", *as_json, "Print JSON");
    list->add_option("--db", *db, "Database file")->capture_default_str();
    registry.emplace_back(list, [as_json, db](const app::Config&) {
      auto opened = OpenExisting(*db);
      if (!opened.ok()) return Fail(opened.status());
      auto users = engine::ListUsers(**opened);
      if (!users.ok()) return Fail(users.status());
      if (*as_json) {
        json out = json::array();
        for (const auto& u : *users) out.push_back(UserJson(u));
        fmt::print("{}\n", api::JsonText(json{{"users", std::move(out)}}, 2));
      } else {
        PrintUsers(*users);
      }
      return kExitOk;
    });
  }
}

}  // namespace tenure::cli
