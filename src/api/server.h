// `tenure serve`: the JSON API under /api/v1 (docs/api.md) and the web app
// (docs/web.md) over HTTP.
//
// One process, one SQLite file, a pool of connections (one per worker thread
// at most; SQLite's WAL lets them read beside the one writer). The HTTP
// transport (http_server.h) is event-driven, with deadlines and connection
// limits, so slow clients hold no thread. Every request
// goes through one wrapper (server.cc) that authenticates it (session cookie
// or bearer token, engine/accounts.h), checks its role against the route,
// resolves the user's scope (engine/scope.h), runs the route, and turns the
// result into JSON: errors as {"error":{"code","message","field"}} with the
// status their Status::Code maps to, every response with security headers.
//
// Thread safety: Start, Run, Stop and port may be called from any thread;
// Stop may be called while Run blocks in another.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "api/http_server.h"
#include "common/status.h"
#include "engine/accounts.h"
#include "engine/complaints.h"
#include "engine/credit.h"
#include "engine/workbench.h"

namespace tenure::api {

struct ServerOptions {
  // The database file; it must exist (and is migrated on start).
  std::string db_path;
  // Address to listen on. Default 127.0.0.1; port 0 picks a free port.
  std::string host = "127.0.0.1";
  int port = 8080;
  // Threads that do the I/O and answer reads; 0: 4 per core, at least 8.
  // Connections are not bound to threads: this bounds the reads answered at
  // the same time, not the clients connected.
  int threads = 0;
  // Threads that answer writes, which may wait for the database's write lock
  // (busy_timeout_ms) without holding up reads. Default 4.
  int write_threads = 4;
  // Deadlines: the whole head of a request (from the connection, or the end
  // of the previous response), its body, sending the response. A client that
  // misses one is dropped. Defaults 10 s, 60 s, 60 s.
  int head_timeout_ms = 10000;
  int body_timeout_ms = 60000;
  int send_timeout_ms = 60000;
  // Open connections at most, in all and from one address (503 above).
  int max_connections = 10000;
  int max_connections_per_address = 512;
  // Largest request body accepted (413 above it). Default 1 MiB; CSV imports
  // may be up to `max_import_bytes`.
  size_t max_body_bytes = 1 << 20;
  size_t max_import_bytes = 64 << 20;
  // How long a write waits for another's write lock (a long import, a score
  // run) before it is answered 503 with Retry-After. Default 5 s.
  int busy_timeout_ms = 5000;
  // The installation's currency (ISO 4217) and the digits after its decimal
  // point (app::Config).
  std::string currency = "USD";
  int currency_decimals = 2;
  engine::SessionOptions sessions;
  // Thresholds of the workbench lists (as_of, list and page_size are set per
  // request; the rest is app::Config's).
  engine::WorkbenchOptions workbench;
  engine::ComplaintDeadlines complaint_deadlines;
  // Orders over the customer's credit limit: flagged or refused (app::Config).
  engine::CreditPolicy credit_policy = engine::CreditPolicy::kFlag;
  // How credit files are rated (the defaulters report).
  engine::CreditRules credit_rules;
  // Send the session cookie with the Secure attribute (behind HTTPS). Default
  // false: the server itself speaks plain HTTP on loopback; a request a proxy
  // marks `X-Forwarded-Proto: https` gets a Secure cookie all the same.
  bool secure_cookie = false;
  // The web app's folder (Vite's output), served at `/` (api/web_files.h);
  // empty: the API only, and 404 outside /api/v1.
  std::string web_dir;
};

class Server {
 public:
  // Opens and migrates the database and binds the address. Errors: the
  // store's when the database cannot be opened; kIoError when the address
  // cannot be bound.
  static Result<std::unique_ptr<Server>> Start(const ServerOptions& options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The bound port (the chosen one when options.port was 0).
  int port() const;
  // Serves requests until Stop(). Returns kIoError when the listener fails.
  Status Run();
  // Stops accepting and makes Run return; safe from a signal-watching thread.
  void Stop();
  // Client connections open now (for tests and benchmarks).
  int open_connections() const;
  // Answers `request` as the server answers it over HTTP (authentication,
  // routes, errors, headers), without the transport; for the fuzz targets.
  // Thread-safe.
  HttpResponse Answer(const HttpRequest& request);

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tenure::api
