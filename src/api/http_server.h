// The HTTP/1.1 transport under `tenure serve`, on Boost.Beast and Asio:
// event-driven, so a connection costs a socket and a buffer, not a thread,
// and slow clients cannot take the workers (docs/api.md, "Serving").
//
//  * Deadlines: a client has `head_timeout` to send a request's whole head
//    (from its connection, or from the end of its previous response), then
//    `body_timeout` for the body, and a response must be taken within
//    `send_timeout`. A client that misses one is dropped (its socket closed:
//    Beast's stream timer ends the read, and with it the connection).
//  * Limits: at most `max_connections` open connections, and
//    `max_connections_per_address` from one address (503 above either); a
//    head above `max_head_bytes` gets 431; a body above the limit the
//    BodyLimit callback sets for the request gets 413 before it is read.
//  * Requests on one connection are answered in order, pipelined or not.
//    A request with a Transfer-Encoding other than chunked, or with two
//    Content-Lengths that differ, is refused (400) and the connection closed.
//  * Handlers run on the I/O threads for GET and HEAD, and on a pool of
//    `write_threads` for everything else: a write may wait for the
//    database's write lock (a long import), and reads must not wait behind it.
//
// The API wrapper (server.cc) sees only HttpRequest and HttpResponse; no
// Boost type leaves http_server.cc.
//
// Thread safety: Start, Run, Stop, port and open_connections may be called
// from any thread; Stop may be called while Run blocks in another.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace tenure::api {

struct HttpRequest {
  std::string method;  // as sent: GET, HEAD, POST, ...
  std::string path;    // the target's path, still percent-encoded
  std::string query;   // the target after '?', still encoded; empty when none
  // Header fields with lower-case names, in the order sent.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string peer;  // the client's IP address

  // The first value of header `name` (lower case); empty when absent.
  std::string_view Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // Content-Type among them
  std::string body;
};

struct HttpOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port
  // Threads that run the I/O and the GET handlers; 0: 4 per core, at least 8.
  int io_threads = 0;
  // Threads that run the other handlers (writes). Default 4.
  int write_threads = 4;
  std::chrono::milliseconds head_timeout{10000};
  std::chrono::milliseconds body_timeout{60000};
  std::chrono::milliseconds send_timeout{60000};
  // Open connections at most (also bounded by the process's file limit).
  int max_connections = 10000;
  int max_connections_per_address = 512;
  size_t max_head_bytes = 16 * 1024;
};

class HttpServer {
 public:
  // Answers one request; runs on one of the server's threads.
  using Handler = std::function<void(const HttpRequest&, HttpResponse&)>;
  // The largest body a request with this method and (encoded) path may have.
  using BodyLimit = std::function<size_t(std::string_view method, std::string_view path)>;
  // The response to a request the transport refuses by itself: `status`
  // (400, 413, 431, 503; 500 when the handler threw), an error code and a
  // message for the client.
  using Refusal = std::function<void(int status, std::string_view code, const std::string& message,
                                     HttpResponse& response)>;

  // Binds the address. Errors: kIoError when it cannot be bound.
  static Result<std::unique_ptr<HttpServer>> Start(const HttpOptions& options, Handler handler,
                                                   BodyLimit body_limit, Refusal refusal);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const;
  // Serves until Stop(), on io_threads threads (the caller's among them).
  Status Run();
  // Stops accepting, closes the connections and makes Run return.
  void Stop();
  // Connections open now (for tests and benchmarks).
  int open_connections() const;

  // The state the connections share; defined in http_server.cc.
  struct Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tenure::api
