// `tenure serve [--db PATH] [--listen HOST:PORT] [--threads N]`: the JSON API
// (api/server.h) until SIGINT or SIGTERM.
#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <thread>

#include "api/server.h"
#include "cli/commands.h"

namespace tenure::cli {
namespace {

struct Args {
  std::string db = "tenure.db";
  std::string listen = "127.0.0.1:8080";
  int threads = 0;
};

// "host:port" -> host, port. Errors name --listen.
Status ParseListen(const std::string& text, std::string& host, int& port) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Status::InvalidArgument("expected HOST:PORT, e.g. 127.0.0.1:8080", "--listen");
  }
  host = text.substr(0, colon);
  try {
    size_t used = 0;
    port = std::stoi(text.substr(colon + 1), &used);
    if (used != text.size() - colon - 1 || port < 0 || port > 65535) throw std::out_of_range("");
  } catch (const std::exception&) {
    return Status::InvalidArgument("not a port '" + text.substr(colon + 1) + "' (0-65535)",
                                   "--listen");
  }
  return Status::Ok();
}

}  // namespace

void AddServeCommand(CLI::App& app, Registry& registry) {
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("serve", "Serve the JSON API (/api/v1) over HTTP");
  cmd->add_option("--db", args->db, "Database file")->capture_default_str();
  cmd->add_option("--listen", args->listen, "Address and port (port 0: any free port)")
      ->capture_default_str();
  cmd->add_option("--threads", args->threads,
                  "Threads that answer reads (default: 4 per core, at least 8)");
  registry.emplace_back(cmd, [args](const app::Config& config) {
    api::ServerOptions options;
    Status parsed = ParseListen(args->listen, options.host, options.port);
    if (!parsed.ok()) return Fail(parsed);
    if (args->threads < 0) {
      return Fail(Status::InvalidArgument("expected 0 or more", "--threads"));
    }
    {
      auto db = OpenExisting(args->db);  // the usual message when there is no database
      if (!db.ok()) return Fail(db.status());
    }
    options.db_path = args->db;
    options.threads = args->threads;
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
    fmt::print("tenure: serving {} on http://{}:{}/api/v1 (Ctrl-C stops)\n", args->db, options.host,
               (*server)->port());
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
