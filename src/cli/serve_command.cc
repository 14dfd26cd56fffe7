// `tenure serve [--db PATH] [--create] [--listen HOST:PORT] [--threads N]
// [--web DIR] [--secure-cookies]`: the JSON API and the web app
// (api/server.h) until SIGINT or SIGTERM. The address is --listen, else the
// configuration's `listen`; the web app is --web, else the installed one
// (share/tenure/web beside the binary's bin/), else the build's.
#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include "api/server.h"
#include "cli/commands.h"
#include "engine/playbooks/playbooks.h"

namespace tenure::cli {
namespace {

struct Args {
  std::string db = "tenure.db";
  bool create = false;
  std::string listen;  // empty: the configuration's
  int threads = 0;
  std::string web;  // empty: the installed web app, else the build's (DefaultWebDir)
  bool secure_cookies = false;
};

// The daily playbooks run (the playbooks_hour setting, docs/playbooks.md): a
// thread that sleeps until that hour (UTC), runs the rules on a connection
// of its own and prints what it added; the first run is the next time the
// clock reaches the hour after the server starts. Stop() wakes and ends it.
class DailyPlaybooks {
 public:
  DailyPlaybooks(std::string db, std::vector<engine::playbooks::Rule> rules, int hour,
                 std::array<int, 4> deadlines)
      : db_(std::move(db)), rules_(std::move(rules)), hour_(hour), deadlines_(deadlines) {
    thread_ = std::thread([this] { Loop(); });
  }
  ~DailyPlaybooks() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  void Loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stop_) {
      const Timestamp now = NowUtc();
      Timestamp next = StartOf(DateOf(now)) + static_cast<Timestamp>(hour_) * 3600;
      if (next <= now) next += 86400;
      if (wake_.wait_for(lock, std::chrono::seconds(next - now), [this] { return stop_; })) break;
      lock.unlock();
      RunOnce();
      lock.lock();
    }
  }
  void RunOnce() {
    engine::playbooks::RunOptions options;
    options.as_of = TodayUtc();
    options.deadline_hours = deadlines_;
    auto db = OpenExisting(db_);
    Status status = db.status();
    if (db.ok()) {
      auto report = engine::playbooks::RunPlaybooks(**db, rules_, options);
      status = report.status();
      if (report.ok()) {
        fmt::print("tenure: playbooks as of {}: {} tasks added, {} open already\n",
                   FormatDate(report->as_of), report->added, report->already_open);
      }
    }
    if (!status.ok()) fmt::print(stderr, "tenure: playbooks: {}\n", status.ToString());
    std::fflush(stdout);
  }

  std::string db_;
  std::vector<engine::playbooks::Rule> rules_;
  int hour_;
  std::array<int, 4> deadlines_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

#ifndef TENURE_WEB_DIR
#define TENURE_WEB_DIR ""
#endif

// "host:port" -> host, port. Errors name `field` (--listen, or the
// configuration's listen).
Status ParseListen(const std::string& text, std::string& host, int& port,
                   const std::string& field) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Status::InvalidArgument("expected HOST:PORT, e.g. 127.0.0.1:8080", field);
  }
  host = text.substr(0, colon);
  try {
    size_t used = 0;
    port = std::stoi(text.substr(colon + 1), &used);
    if (used != text.size() - colon - 1 || port < 0 || port > 65535) throw std::out_of_range("");
  } catch (const std::exception&) {
    return Status::InvalidArgument("not a port '" + text.substr(colon + 1) + "' (0-65535)", field);
  }
  return Status::Ok();
}

// The web app `tenure serve` serves without --web: the installed one
// (PREFIX/share/tenure/web for PREFIX/bin/tenure, as `make install` and the
// Debian package lay it out), else the build's (make build). Empty when
// neither has an index.html.
std::string DefaultWebDir() {
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    std::filesystem::path installed = self.parent_path().parent_path() / "share/tenure/web";
    if (std::filesystem::exists(installed / "index.html", ec)) return installed.string();
  }
  if (std::filesystem::exists(std::string(TENURE_WEB_DIR) + "/index.html", ec)) {
    return TENURE_WEB_DIR;
  }
  return "";
}

}  // namespace

void AddServeCommand(CLI::App& app, Registry& registry) {
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("serve", "Serve the JSON API (/api/v1) over HTTP");
  cmd->add_option("--db", args->db, "Database file")->capture_default_str();
  cmd->add_flag("--create", args->create,
                "Create an empty database at --db when there is none (a service's first start)");
  cmd->add_option("--listen", args->listen,
                  "Address and port (port 0: any free port; default: the configuration's listen, "
                  "127.0.0.1:8080)");
  cmd->add_option("--threads", args->threads,
                  "Threads that answer reads (default: 4 per core, at least 8)");
  cmd->add_option("--web", args->web,
                  std::string("The web app's folder, served at / (default: the installed "
                              "one, ../share/tenure/web from the binary, else the build's, ") +
                      TENURE_WEB_DIR + ")");
  cmd->add_flag("--secure-cookies", args->secure_cookies,
                "Mark the session cookie Secure (when a proxy in front speaks HTTPS)");
  registry.emplace_back(cmd, [args](const app::Config& config) {
    api::ServerOptions options;
    Status parsed = args->listen.empty()
                        ? ParseListen(config.listen, options.host, options.port, "listen")
                        : ParseListen(args->listen, options.host, options.port, "--listen");
    if (!parsed.ok()) return Fail(parsed);
    if (args->threads < 0) {
      return Fail(Status::InvalidArgument("expected 0 or more", "--threads"));
    }
    {
      // The usual message when there is no database; with --create, a new
      // one, migrated to the current schema.
      std::error_code ec;
      auto db = args->create && !std::filesystem::exists(args->db, ec) ? store::OpenStore(args->db)
                                                                       : OpenExisting(args->db);
      if (!db.ok()) return Fail(db.status());
    }
    options.db_path = args->db;
    options.threads = args->threads;
    options.secure_cookie = args->secure_cookies;
    options.web_dir = args->web.empty() ? DefaultWebDir() : args->web;
    if (options.web_dir.empty()) {
      fmt::print(stderr,
                 "tenure: no web app installed or in {} (make build builds it): the API only\n",
                 TENURE_WEB_DIR);
    }
    options.busy_timeout_ms = config.busy_timeout_ms;
    options.head_timeout_ms = config.head_timeout_ms;
    options.body_timeout_ms = config.body_timeout_ms;
    options.max_connections = config.max_connections;
    options.max_connections_per_address = config.max_connections_per_address;
    options.currency = config.currency;
    options.currency_decimals = config.currency_decimals;
    options.credit_rules = config.credit_rules;
    options.workbench = app::WorkbenchOptionsOf(config);
    options.complaint_deadlines.hours = config.complaint_deadline_hours;
    options.credit_policy = config.credit_policy == app::Config::CreditPolicy::kRefuse
                                ? engine::CreditPolicy::kRefuse
                                : engine::CreditPolicy::kFlag;

    // SIGINT and SIGTERM are taken by one thread that stops the server; the
    // workers inherit the blocked mask.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    // The rules are read before the server starts, so a bad file stops it.
    std::optional<std::vector<engine::playbooks::Rule>> rules;
    if (config.playbooks_hour >= 0) {
      if (config.playbooks_file.empty()) {
        return Fail(Status::InvalidArgument("playbooks_hour is set but playbooks_file is not",
                                            "playbooks_file"));
      }
      auto loaded = engine::playbooks::LoadRules(config.playbooks_file);
      if (!loaded.ok()) return Fail(loaded.status());
      rules = std::move(*loaded);
    }

    auto server = api::Server::Start(options);
    if (!server.ok()) return Fail(server.status());
    std::optional<DailyPlaybooks> daily;
    if (rules) {
      daily.emplace(args->db, std::move(*rules), config.playbooks_hour,
                    options.complaint_deadlines.hours);
    }
    if (options.web_dir.empty()) {
      fmt::print("tenure: serving {} on http://{}:{}/api/v1 (Ctrl-C stops)\n", args->db,
                 options.host, (*server)->port());
    } else {
      fmt::print(
          "tenure: serving {} on http://{}:{}/ (the web app; the API at /api/v1; Ctrl-C "
          "stops)\n",
          args->db, options.host, (*server)->port());
    }
    std::fflush(stdout);
    std::thread watcher([&signals, &server] {
      int signal = 0;
      sigwait(&signals, &signal);
      (*server)->Stop();
    });
    Status status = (*server)->Run();
    if (!status.ok()) {
      pthread_kill(watcher.native_handle(), SIGTERM);
    }
    watcher.join();
    daily.reset();
    if (!status.ok()) return Fail(status);
    fmt::print("tenure: stopped\n");
    return kExitOk;
  });
}

}  // namespace tenure::cli
