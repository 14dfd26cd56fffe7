#include "api/http_server.h"

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

namespace tenure::api {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using ErrorCode = boost::system::error_code;

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// Descriptors kept for everything but client connections: the database's
// files, one per thread, the listener, logs.
constexpr int kReservedDescriptors = 256;

// Raises the soft limit on open files to the hard one and returns the number
// of client connections it leaves room for.
int ConnectionRoom() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024 - kReservedDescriptors;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  const rlim_t room = limit.rlim_cur > 2 * kReservedDescriptors
                          ? limit.rlim_cur - kReservedDescriptors
                          : limit.rlim_cur / 2;
  return static_cast<int>(std::min<rlim_t>(room, 1 << 20));
}

}  // namespace

std::string_view HttpRequest::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return {};
}

bool HttpRequest::HasHeader(std::string_view name) const {
  for (const auto& header : headers) {
    if (header.first == name) return true;
  }
  return false;
}

struct HttpServer::Impl {
  // Counters first: connections still alive while the I/O context goes
  // away give their places back here.
  mutable std::mutex mutex;
  std::unordered_map<std::string, int> per_address;
  int open = 0;

  HttpOptions options;
  Handler handler;
  BodyLimit body_limit;
  Refusal refusal;
  int max_connections = 0;
  int port = 0;
  std::atomic<bool> stopping{false};

  net::io_context ioc;
  net::thread_pool writers;
  tcp::acceptor acceptor{ioc};
  net::steady_timer accept_retry{ioc};

  Impl(const HttpOptions& o, Handler h, BodyLimit b, Refusal r)
      : options(o),
        handler(std::move(h)),
        body_limit(std::move(b)),
        refusal(std::move(r)),
        ioc(o.io_threads),
        writers(static_cast<size_t>(std::max(1, o.write_threads))) {}

  // Takes a place for a connection from `peer`; false when none is left.
  bool Admit(const std::string& peer) {
    std::lock_guard lock(mutex);
    int& from_peer = per_address[peer];
    if (open >= max_connections || from_peer >= options.max_connections_per_address) {
      if (from_peer == 0) per_address.erase(peer);
      return false;
    }
    ++from_peer;
    ++open;
    return true;
  }

  void Release(const std::string& peer) {
    std::lock_guard lock(mutex);
    --open;
    auto it = per_address.find(peer);
    if (it != per_address.end() && --it->second == 0) per_address.erase(it);
  }

  // A response as Beast sends it.
  static http::response<http::string_body> Message(HttpResponse&& r, bool keep_alive, bool head) {
    http::response<http::string_body> message{static_cast<http::status>(r.status), 11};
    for (auto& [name, value] : r.headers) message.insert(name, value);
    message.body() = std::move(r.body);
    message.keep_alive(keep_alive);
    message.prepare_payload();
    if (head) message.body().clear();  // Content-Length stays that of the GET
    return message;
  }

  void Accept();
  void Refuse(tcp::socket socket);
};

namespace {

// One client connection: reads a request, answers it, reads the next.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, HttpServer::Impl& server, std::string peer)
      : stream_(std::move(socket)), server_(server), peer_(std::move(peer)) {}
  ~Connection() { server_.Release(peer_); }

  void Start() { ReadHead(); }

 private:
  void ReadHead() {
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(server_.options.max_head_bytes));
    // The whole head within the deadline: the timer is not reset by each
    // byte, so a client sending a line a second is dropped all the same.
    stream_.expires_after(server_.options.head_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](ErrorCode ec, size_t) { self->OnHead(ec); });
  }

  void OnHead(ErrorCode ec) {
    if (ec == http::error::header_limit) {
      return Refuse(431, "header_too_large",
                    "the request's head is larger than " +
                        std::to_string(server_.options.max_head_bytes) + " bytes");
    }
    if (ec) return Malformed(ec);
    const auto& request = parser_->get();
    // RFC 9112, 6.1: a request whose body length cannot be known.
    if (request.count(http::field::transfer_encoding) > 0 && !parser_->chunked()) {
      return Refuse(400, "bad_request", "a Transfer-Encoding other than chunked");
    }
    const std::string_view target(request.target().data(), request.target().size());
    const std::string_view path = target.substr(0, target.find('?'));
    const std::string_view method(request.method_string().data(), request.method_string().size());
    const size_t limit = server_.body_limit(method, path);
    if (parser_->content_length() && *parser_->content_length() > limit) {
      return Refuse(413, "payload_too_large",
                    "the body is larger than " + std::to_string(limit) + " bytes");
    }
    parser_->body_limit(limit);
    if (parser_->is_done()) return Handle();
    if (beast::iequals(request[http::field::expect], "100-continue")) {
      stream_.expires_after(server_.options.send_timeout);
      net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                       [self = shared_from_this()](ErrorCode ec, size_t) {
                         if (ec) return self->Close();
                         self->ReadBody();
                       });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    stream_.expires_after(server_.options.body_timeout);
    http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](ErrorCode ec, size_t) {
      if (ec == http::error::body_limit) {
        return self->Refuse(413, "payload_too_large", "the body is larger than the limit");
      }
      if (ec) return self->Malformed(ec);
      self->Handle();
    });
  }

  // A read that failed: the client went away, missed its deadline (the
  // stream is closed then), or sent what is not HTTP.
  void Malformed(ErrorCode ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::eof ||
        ec == net::error::connection_reset || ec == net::error::operation_aborted ||
        ec == http::error::partial_message || !stream_.socket().is_open()) {
      return Close();
    }
    Refuse(400, "bad_request", "a malformed request: " + ec.message());
  }

  void Handle() {
    stream_.expires_never();
    auto message = parser_->release();
    parser_.reset();
    HttpRequest request;
    request.method = std::string(message.method_string());
    const std::string_view target(message.target().data(), message.target().size());
    const size_t question = target.find('?');
    request.path = std::string(target.substr(0, question));
    if (question != std::string_view::npos)
      request.query = std::string(target.substr(question + 1));
    request.headers.reserve(16);
    for (const auto& field : message) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      request.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    request.body = std::move(message.body());
    request.peer = peer_;
    const bool keep_alive = message.keep_alive();
    const bool head = message.method() == http::verb::head;
    auto answer = [self = shared_from_this(), request = std::move(request), keep_alive, head] {
      HttpResponse response;
      try {
        self->server_.handler(request, response);
      } catch (const std::exception& e) {
        // Escaping here it would end the thread and the process; the handler
        // catches what it expects, so this is a defect, answered and logged.
        std::fprintf(stderr, "tenure serve: 500 on %s from %s: uncaught exception: %s\n",
                     request.method.c_str(), request.peer.c_str(), e.what());
        response = HttpResponse{};
        self->server_.refusal(500, "internal", "internal error", response);
        response.status = 500;
      }
      net::dispatch(self->stream_.get_executor(),
                    [self, response = std::move(response), keep_alive, head]() mutable {
                      self->Send(std::move(response), keep_alive, head);
                    });
    };
    const bool reads = message.method() == http::verb::get || head;
    if (reads) {
      answer();
    } else {
      net::post(server_.writers, std::move(answer));
    }
  }

  void Send(HttpResponse&& response, bool keep_alive, bool head) {
    keep_alive = keep_alive && !server_.stopping;
    response_ = HttpServer::Impl::Message(std::move(response), keep_alive, head);
    stream_.expires_after(server_.options.send_timeout);
    http::async_write(stream_, response_,
                      [self = shared_from_this(), keep_alive](ErrorCode ec, size_t) {
                        if (ec || !keep_alive) return self->Close();
                        self->ReadHead();
                      });
  }

  // Answers `status` and closes the connection: after a malformed or refused
  // request, what follows on it cannot be trusted.
  void Refuse(int status, std::string_view code, const std::string& message) {
    parser_.reset();
    HttpResponse response;
    server_.refusal(status, code, message, response);
    response.status = status;
    Send(std::move(response), /*keep_alive=*/false, /*head=*/false);
  }

  // Closes the connection. What the client may still be sending (the body
  // of a refused request) is read and dropped for a moment first: closing a
  // socket with unread data resets it, and the client could lose the answer.
  void Close() {
    if (!stream_.socket().is_open()) return;
    ErrorCode ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kDrainTime);
    drain_ = std::make_unique<std::array<char, 4096>>();
    Drain();
  }

  void Drain() {
    stream_.async_read_some(net::buffer(*drain_),
                            [self = shared_from_this()](ErrorCode ec, size_t n) {
                              self->drained_ += n;
                              if (ec || self->drained_ > kDrainBytes) return self->stream_.close();
                              self->Drain();
                            });
  }

  static constexpr std::chrono::seconds kDrainTime{2};
  static constexpr size_t kDrainBytes = 64 << 20;

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  HttpServer::Impl& server_;
  const std::string peer_;
  std::unique_ptr<std::array<char, 4096>> drain_;  // made when draining
  size_t drained_ = 0;
};

}  // namespace

void HttpServer::Impl::Accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](ErrorCode ec, tcp::socket socket) {
    if (stopping || ec == net::error::operation_aborted) return;
    if (ec) {
      // Out of descriptors (or another passing failure): try again shortly
      // rather than spin.
      accept_retry.expires_after(std::chrono::milliseconds(50));
      accept_retry.async_wait([this](ErrorCode wait) {
        if (!wait) Accept();
      });
      return;
    }
    ErrorCode no_peer;
    const auto endpoint = socket.remote_endpoint(no_peer);
    std::string peer = no_peer ? std::string("?") : endpoint.address().to_string();
    if (Admit(peer)) {
      ErrorCode ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      std::make_shared<Connection>(std::move(socket), *this, std::move(peer))->Start();
    } else {
      Refuse(std::move(socket));
    }
    Accept();
  });
}

// Answers 503 at once to a connection there is no place for, and closes it.
void HttpServer::Impl::Refuse(tcp::socket socket) {
  HttpResponse response;
  refusal(503, "unavailable", "too many connections; try again in a moment", response);
  response.status = 503;
  response.headers.emplace_back("Retry-After", "1");
  auto message = Message(std::move(response), /*keep_alive=*/false, /*head=*/false);
  ErrorCode ignored;
  socket.non_blocking(true, ignored);
  http::write(socket, message, ignored);
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpOptions& options, Handler handler,
                                                      BodyLimit body_limit, Refusal refusal) {
  HttpOptions o = options;
  if (o.io_threads <= 0) {
    o.io_threads = std::max(8, 4 * static_cast<int>(std::thread::hardware_concurrency()));
  }
  auto impl =
      std::make_unique<Impl>(o, std::move(handler), std::move(body_limit), std::move(refusal));
  impl->max_connections = std::min(o.max_connections, ConnectionRoom());
  ErrorCode ec;
  const auto address = net::ip::make_address(o.host, ec);
  auto cannot = [&](const std::string& why) {
    return Status::IoError("cannot listen on " + o.host + ":" + std::to_string(o.port) + " (" +
                           why + ")");
  };
  if (ec) return cannot("not an address: " + ec.message());
  tcp::endpoint endpoint(address, static_cast<unsigned short>(o.port));
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return cannot(ec.message());
  impl->port = impl->acceptor.local_endpoint().port();
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() {
  Stop();
  impl_->writers.join();
}

int HttpServer::port() const { return impl_->port; }

int HttpServer::open_connections() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->open;
}

Status HttpServer::Run() {
  Impl& s = *impl_;
  net::post(s.ioc, [&s] { s.Accept(); });
  std::vector<std::thread> threads;
  for (int i = 1; i < s.options.io_threads; ++i) threads.emplace_back([&s] { s.ioc.run(); });
  s.ioc.run();
  for (std::thread& thread : threads) thread.join();
  return Status::Ok();
}

void HttpServer::Stop() {
  Impl& s = *impl_;
  if (s.stopping.exchange(true)) return;
  net::post(s.ioc, [&s] {
    ErrorCode ignored;
    s.acceptor.close(ignored);
    s.accept_retry.cancel();
  });
  s.ioc.stop();
}

}  // namespace tenure::api
