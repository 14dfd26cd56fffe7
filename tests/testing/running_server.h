// A tenure::api::Server in the test's own process, on 127.0.0.1 and a free
// port, answering on a thread of its own until the object goes away.
#pragma once

#include <memory>
#include <thread>
#include <utility>

#include "api/server.h"
#include "common/status.h"

namespace tenure::testing {

class RunningServer {
 public:
  // Starts a server with `options` (its port set to 0: any free one).
  static Result<std::unique_ptr<RunningServer>> Start(api::ServerOptions options) {
    options.port = 0;
    auto server = api::Server::Start(options);
    if (!server.ok()) return server.status();
    return std::unique_ptr<RunningServer>(new RunningServer(std::move(*server)));
  }
  ~RunningServer() {
    server_->Stop();
    thread_.join();
  }
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;

  api::Server& server() { return *server_; }
  int port() const { return server_->port(); }
  int open_connections() const { return server_->open_connections(); }

 private:
  explicit RunningServer(std::unique_ptr<api::Server> server)
      : server_(std::move(server)), thread_([this] { (void)server_->Run(); }) {}

  std::unique_ptr<api::Server> server_;
  std::thread thread_;
};

}  // namespace tenure::testing
