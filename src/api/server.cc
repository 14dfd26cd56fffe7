#include "api/server.h"

#include <httplib.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <regex>
#include <thread>
#include <utility>
#include <vector>

#include "api/routes.h"
#include "store/migrations.h"

namespace tenure::api {
namespace {

using nlohmann::json;

constexpr std::string_view kCookieName = "tenure_session";

// Open connections for the worker threads: a request takes one and gives it
// back, so there are never more than there are threads at work.
class ConnectionPool {
 public:
  explicit ConnectionPool(std::string path) : path_(std::move(path)) {}

  // Hands the connection back when it goes away.
  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<store::Database> db)
        : pool_(pool), db_(std::move(db)) {}
    ~Lease() {
      if (db_) pool_.Give(std::move(db_));
    }
    Lease(Lease&& other) noexcept : pool_(other.pool_), db_(std::move(other.db_)) {}
    store::Database& operator*() { return *db_; }

   private:
    ConnectionPool& pool_;
    std::unique_ptr<store::Database> db_;
  };

  // Errors: the store's when a new connection cannot be opened.
  Result<Lease> Take() {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        std::unique_ptr<store::Database> db = std::move(idle_.back());
        idle_.pop_back();
        return Lease(*this, std::move(db));
      }
    }
    // The file was migrated when the server started; a small page cache per
    // connection, as there may be dozens. (A memory map of the file was
    // tried: reads gained little, and under writes p99 went from 24 ms to
    // over 300 ms.)
    auto db = store::Database::OpenSqlite(path_, {.create = false, .cache_kib = 16 * 1024});
    if (!db.ok()) return db.status();
    return Lease(*this, std::move(*db));
  }

 private:
  void Give(std::unique_ptr<store::Database> db) {
    db->set_actor(std::nullopt);
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(db));
  }

  std::string path_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<store::Database>> idle_;
};

// The HTTP status and code string of a failure.
std::pair<int, std::string_view> StatusOf(Status::Code code) {
  switch (code) {
    case Status::Code::kInvalidArgument:
      return {400, "invalid_argument"};
    case Status::Code::kUnauthenticated:
      return {401, "unauthenticated"};
    case Status::Code::kPermissionDenied:
      return {403, "forbidden"};
    case Status::Code::kNotFound:
      return {404, "not_found"};
    case Status::Code::kAlreadyExists:
      return {409, "already_exists"};
    case Status::Code::kConflict:
      return {409, "conflict"};
    case Status::Code::kResourceExhausted:
      return {429, "too_many_requests"};
    default:
      return {500, "internal"};
  }
}

// The engine names some fields as the CLI spells them ("--customer");
// outside the CLI the field is "customer".
std::string FieldName(const std::string& field) {
  if (field.rfind("--", 0) != 0) return field;
  std::string name = field.substr(2);
  for (char& c : name) {
    if (c == '-') c = '_';
  }
  return name;
}

json ErrorJson(std::string_view code, const std::string& message, const std::string& field) {
  return {{"error",
           {{"code", code},
            {"message", message},
            {"field", field.empty() ? json(nullptr) : json(field)}}}};
}

void SetSecurityHeaders(httplib::Response& res) {
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Cache-Control", "no-store");
}

void WriteError(httplib::Response& res, const Status& status) {
  auto [http_status, code] = StatusOf(status.code());
  std::string message = status.message();
  if (http_status == 500) {
    // The details go to the log, not to the client.
    std::fprintf(stderr, "tenure serve: %s\n", status.ToString().c_str());
    message = "internal error";
  }
  res.status = http_status;
  res.set_content(ErrorJson(code, message, FieldName(status.field())).dump(), "application/json");
  if (http_status == 401) res.set_header("WWW-Authenticate", "Bearer");
}

// The session token of a request: a bearer token wins over the cookie.
std::string TokenOf(const httplib::Request& req) {
  std::string auth = req.get_header_value("Authorization");
  if (auth.rfind("Bearer ", 0) == 0) return auth.substr(7);
  std::string cookies = req.get_header_value("Cookie");
  size_t pos = 0;
  while (pos < cookies.size()) {
    size_t end = cookies.find(';', pos);
    if (end == std::string::npos) end = cookies.size();
    std::string_view part(cookies.data() + pos, end - pos);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > kCookieName.size() && part.substr(0, kCookieName.size()) == kCookieName &&
        part[kCookieName.size()] == '=') {
      return std::string(part.substr(kCookieName.size() + 1));
    }
    pos = end + 1;
  }
  return {};
}

// "/customers/{id}/history" -> "/api/v1/customers/([^/]+)/history".
std::string PathRegex(const std::string& path) {
  std::string out = "/api/v1";
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '{') {
      i = path.find('}', i);
      out += "([^/]+)";
    } else if (path[i] == '.') {
      out += "\\.";
    } else {
      out += path[i];
    }
  }
  return out;
}

bool IsImport(const std::string& path) { return path.rfind("/api/v1/imports/", 0) == 0; }

}  // namespace

struct Server::Impl {
  ServerOptions options;
  httplib::Server http;
  ConnectionPool pool;
  std::vector<Route> routes;
  // Every route but the GETs with its path pattern, for ServeWithoutBody.
  std::vector<std::pair<const Route*, std::regex>> write_routes;
  json openapi;
  int port = 0;

  explicit Impl(const ServerOptions& o) : options(o), pool(o.db_path) {}

  Result<Reply> Dispatch(const Route& route, const httplib::Request& req);
  void Serve(const Route& route, const httplib::Request& req, httplib::Response& res);
  void ServeWithoutBody(const httplib::Request& req, httplib::Response& res);
};

Result<Reply> Server::Impl::Dispatch(const Route& route, const httplib::Request& req) {
  Request request;
  request.method = req.method;
  for (size_t i = 1; i < req.matches.size(); ++i) request.path_params.push_back(req.matches[i]);
  request.query.insert(req.params.begin(), req.params.end());
  request.if_match = req.get_header_value("If-Match");
  request.token = TokenOf(req);
  request.client = req.remote_addr;
  if (IsImport(req.path)) {
    request.raw_body = req.body;
  } else if (!req.body.empty()) {
    request.body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
    if (request.body.is_discarded() || !request.body.is_object()) {
      return Status::InvalidArgument("the body is not a JSON object", "body");
    }
  }

  auto lease = pool.Take();
  if (!lease.ok()) return lease.status();
  store::Database& db = **lease;
  Context context{request, db, options, NowUtc()};
  // A GET reads one snapshot: the session, the scope and the route's queries.
  std::optional<store::ReadTransaction> snapshot;
  if (route.method == "GET") {
    snapshot.emplace(db);
    if (!snapshot->status().ok()) return snapshot->status();
  }
  std::optional<engine::Session> session;
  if (!route.is_public) {
    if (request.token.empty()) {
      return Status::Unauthenticated("log in first: POST /api/v1/login");
    }
    auto found = engine::FindSession(db, request.token, context.now);
    if (!found.ok()) return found.status();
    if (!*found) return Status::Unauthenticated("the session has expired or ended; log in again");
    session = std::move(*found);
    if (!(route.roles & RoleBit(session->role))) {
      return Status::PermissionDenied(
          std::string("a user with the role ") +
          std::string(domain::NameOf(domain::kUserRoleNames, session->role)) + " may not " +
          route.method + " " + route.path);
    }
    auto scope = engine::ScopeOf(session->username, session->user_id, session->role,
                                 session->team_id, session->team);
    if (!scope.ok()) {
      if (scope.status().code() == Status::Code::kInvalidArgument) {
        return Status::PermissionDenied(scope.status().message());
      }
      return scope.status();
    }
    context.session = &*session;
    context.scope = std::move(*scope);
    db.set_actor(session->user_id);
  }
  try {
    return route.handler(context);
  } catch (const json::exception& e) {
    // A body field of the wrong JSON type reached a handler's get<>().
    return Status::InvalidArgument(std::string("a value has the wrong type: ") + e.what(), "body");
  }
}

void Server::Impl::Serve(const Route& route, const httplib::Request& req, httplib::Response& res) {
  SetSecurityHeaders(res);
  Result<Reply> reply = Status::Internal("no reply");
  try {
    reply = Dispatch(route, req);
  } catch (const std::exception& e) {
    reply = Status::Internal(std::string("unexpected exception: ") + e.what());
  }
  if (!reply.ok()) {
    WriteError(res, reply.status());
    return;
  }
  res.status = reply->status;
  for (const auto& [name, value] : reply->headers) res.set_header(name, value);
  if (!reply->raw.empty() || !reply->content_type.empty()) {
    res.set_content(reply->raw, reply->content_type);
  } else if (reply->status != 204) {
    res.set_content(reply->body.dump(), "application/json");
  }
}

// A request with neither Content-Length nor Transfer-Encoding has no body
// (RFC 9112, 6.3), as `curl -X POST .../logout` sends it. httplib 0.11 waits
// for a body to such a POST, PATCH or DELETE until its read timeout (5 s) and
// then answers 400, so the pre-routing handler serves it here instead, before
// httplib reads.
void Server::Impl::ServeWithoutBody(const httplib::Request& req, httplib::Response& res) {
  httplib::Request request = req;  // the path's parts go into its matches
  for (const auto& [route, pattern] : write_routes) {
    if (route->method == req.method && std::regex_match(request.path, request.matches, pattern)) {
      Serve(*route, request, res);
      return;
    }
  }
  res.status = 404;  // the error handler writes the body, as for any unknown route
}

Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& options) {
  {
    // Migrates the file once, before any worker opens it.
    auto db = store::OpenStore(options.db_path, {.create = false});
    if (!db.ok()) return db.status();
  }
  auto impl = std::make_unique<Impl>(options);
  Impl& s = *impl;
  s.routes = AllRoutes();
  s.openapi = OpenApiDocument(s.routes);

  int threads = options.threads;
  if (threads <= 0) {
    threads = std::max(16, 8 * static_cast<int>(std::thread::hardware_concurrency()));
  }
  s.http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  s.http.set_tcp_nodelay(true);
  s.http.set_keep_alive_max_count(100000);
  s.http.set_payload_max_length(std::max(options.max_body_bytes, options.max_import_bytes));

  s.http.set_pre_routing_handler([&s](const httplib::Request& req, httplib::Response& res) {
    // Refuses a large body before it is read (imports may be larger).
    size_t limit = IsImport(req.path) ? s.options.max_import_bytes : s.options.max_body_bytes;
    std::string length = req.get_header_value("Content-Length");
    if (!length.empty() && std::strtoull(length.c_str(), nullptr, 10) > limit) {
      SetSecurityHeaders(res);
      res.status = 413;
      res.set_content(
          ErrorJson("payload_too_large",
                    "the body is larger than " + std::to_string(limit) + " bytes", "body")
              .dump(),
          "application/json");
      return httplib::Server::HandlerResponse::Handled;
    }
    const bool may_have_body = req.method == "POST" || req.method == "PUT" ||
                               req.method == "PATCH" || req.method == "DELETE";
    if (may_have_body && !req.has_header("Content-Length") &&
        !req.has_header("Transfer-Encoding")) {
      s.ServeWithoutBody(req, res);
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  s.http.set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        SetSecurityHeaders(res);
        std::string_view code = res.status == 404   ? "not_found"
                                : res.status == 413 ? "payload_too_large"
                                : res.status == 405 ? "method_not_allowed"
                                : res.status >= 500 ? "internal"
                                                    : "bad_request";
        std::string message = res.status == 404 ? "no route " + req.method + " " + req.path
                                                : "HTTP status " + std::to_string(res.status);
        res.set_content(ErrorJson(code, message, "").dump(), "application/json");
        return httplib::Server::HandlerResponse::Handled;
      }));

  for (const Route& route : s.routes) {
    std::string pattern = PathRegex(route.path);
    auto handler = [&s, &route](const httplib::Request& req, httplib::Response& res) {
      s.Serve(route, req, res);
    };
    if (route.method != "GET") s.write_routes.emplace_back(&route, std::regex(pattern));
    if (route.method == "GET") {
      s.http.Get(pattern, handler);
    } else if (route.method == "POST") {
      s.http.Post(pattern, handler);
    } else if (route.method == "PATCH") {
      s.http.Patch(pattern, handler);
    } else if (route.method == "DELETE") {
      s.http.Delete(pattern, handler);
    }
  }
  s.http.Get("/api/v1/openapi.json", [&s](const httplib::Request&, httplib::Response& res) {
    SetSecurityHeaders(res);
    res.set_content(s.openapi.dump(), "application/json");
  });

  if (options.port == 0) {
    s.port = s.http.bind_to_any_port(options.host);
  } else if (s.http.bind_to_port(options.host, options.port)) {
    s.port = options.port;
  } else {
    s.port = -1;
  }
  if (s.port <= 0) {
    return Status::IoError("cannot listen on " + options.host + ":" + std::to_string(options.port) +
                           " (in use, or not an address here)");
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() { Stop(); }

int Server::port() const { return impl_->port; }

Status Server::Run() {
  if (!impl_->http.listen_after_bind()) {
    return Status::IoError("the listener on port " + std::to_string(impl_->port) + " failed");
  }
  return Status::Ok();
}

void Server::Stop() { impl_->http.stop(); }

}  // namespace tenure::api
