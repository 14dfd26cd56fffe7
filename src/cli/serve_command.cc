// `tenure serve [--db PATH] [--create] [--listen HOST:PORT] [--threads N]
// [--web DIR] [--secure-cookies]`: the JSON API and the web app
// (api/server.h) until SIGINT or SIGTERM. The address is --listen, else the
// configuration's `listen`; the web app is --web, else the installed one
// (share/tenure/web beside the binary's bin/), else the build's.
#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <thread>

#include "api/server.h"
#include "cli/commands.h"

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
    for (size_t i = 0; i < options.complaint_deadlines.hours.size(); ++i) {
      options.complaint_deadlines.hours[i] = config.complaint_deadline_hours[i];
    }
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

    auto server = api::Server::Start(options);
    if (!server.ok()) return Fail(server.status());
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
    if (!status.ok()) return Fail(status);
    fmt::print("tenure: stopped\n");
    return kExitOk;
  });
}

}  // namespace tenure::cli
