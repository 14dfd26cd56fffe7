#include "api/server.h"

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "api/http_server.h"
#include "api/json_codec.h"
#include "api/routes.h"
#include "api/web_files.h"
#include "common/text.h"
#include "store/migrations.h"

namespace tenure::api {
namespace {

using nlohmann::json;

constexpr std::string_view kCookieName = "tenure_session";

// Open connections for the worker threads: a request takes one and gives it
// back, so there are never more than there are threads at work.
class ConnectionPool {
 public:
  ConnectionPool(std::string path, int busy_timeout_ms)
      : path_(std::move(path)), busy_timeout_ms_(busy_timeout_ms) {}

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
    // The file was migrated when the server started. A small page cache per
    // connection: the operating system's cache holds the file anyway (2, 16
    // and 64 MiB made no difference to the profile's speed), and a larger
    // one makes the server's memory creep up for an hour as it fills (the
    // soak: 16 MiB caches took the resident size from 37 to 44 MiB over 10
    // minutes). (A memory map of the file was tried: reads gained little,
    // and under writes p99 went from 24 ms to over 300 ms.)
    auto db = store::Database::OpenSqlite(
        path_, {.create = false, .cache_kib = 4 * 1024, .busy_timeout_ms = busy_timeout_ms_});
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
  int busy_timeout_ms_;
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
    case Status::Code::kUnavailable:
      return {503, "unavailable"};
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

using Headers = std::vector<std::pair<std::string, std::string>>;

// The content security policy of the API's answers and the web app's files:
// scripts, styles, images and requests from this server only, no inline
// script or style element, no plug-ins, no framing, forms post here only.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

// Every answer's security headers; `cache_control` says how long it may be
// kept (the API's answers: never).
void AddSecurityHeaders(Headers& headers, std::string_view cache_control = "no-store") {
  headers.emplace_back("X-Content-Type-Options", "nosniff");
  headers.emplace_back("X-Frame-Options", "DENY");
  headers.emplace_back("Content-Security-Policy", kContentSecurityPolicy);
  headers.emplace_back("Referrer-Policy", "no-referrer");
  headers.emplace_back("Cache-Control", cache_control);
}

// Whether the request's Accept-Encoding takes gzip (not "gzip;q=0").
bool AcceptsGzip(const HttpRequest& req) {
  std::string_view accepted = req.Header("accept-encoding");
  size_t at = accepted.find("gzip");
  if (at == std::string_view::npos) return false;
  std::string_view rest = accepted.substr(at + 4);
  rest = rest.substr(0, rest.find(','));
  const size_t q = rest.find("q=");
  if (q == std::string_view::npos) return true;
  return std::strtod(std::string(rest.substr(q + 2)).c_str(), nullptr) > 0;
}

void SetJson(HttpResponse& res, int status, std::string body) {
  res.status = status;
  res.body = std::move(body);
  res.headers.emplace_back("Content-Type", "application/json");
}

void SetError(HttpResponse& res, int status, std::string_view code, const std::string& message,
              const std::string& field = "") {
  SetJson(res, status, JsonText(ErrorJson(code, message, field)));
}

struct Credential {
  std::string token;  // empty when the request carries none
  bool from_cookie = false;
};

// The session token of a request: a bearer token wins over the cookie.
Credential CredentialOf(const HttpRequest& req) {
  std::string_view auth = req.Header("authorization");
  if (auth.rfind("Bearer ", 0) == 0) return {std::string(auth.substr(7)), false};
  std::string_view cookies = req.Header("cookie");
  size_t pos = 0;
  while (pos < cookies.size()) {
    size_t end = cookies.find(';', pos);
    if (end == std::string::npos) end = cookies.size();
    std::string_view part(cookies.data() + pos, end - pos);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > kCookieName.size() && part.substr(0, kCookieName.size()) == kCookieName &&
        part[kCookieName.size()] == '=') {
      return {std::string(part.substr(kCookieName.size() + 1)), true};
    }
    pos = end + 1;
  }
  return {};
}

// %XX escapes decoded (and '+' as a space, in a query); a '%' not followed
// by two hex digits stays as it is.
std::string PercentDecode(std::string_view text, bool plus_is_space) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0 && hex(text[i + 2]) >= 0) {
      out += static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2]));
      i += 2;
    } else if (plus_is_space && text[i] == '+') {
      out += ' ';
    } else {
      out += text[i];
    }
  }
  return out;
}

// The query string as name -> value pairs. Errors: kInvalidArgument naming
// a parameter whose name or value is not UTF-8 once decoded.
Result<std::multimap<std::string, std::string>> ParseQuery(std::string_view query) {
  std::multimap<std::string, std::string> params;
  size_t pos = 0;
  while (pos <= query.size() && !query.empty()) {
    size_t end = query.find('&', pos);
    if (end == std::string_view::npos) end = query.size();
    std::string_view pair = query.substr(pos, end - pos);
    if (!pair.empty()) {
      size_t equals = pair.find('=');
      std::string name = PercentDecode(pair.substr(0, equals), true);
      std::string value =
          equals == std::string_view::npos ? "" : PercentDecode(pair.substr(equals + 1), true);
      if (InvalidUtf8Offset(name) || InvalidUtf8Offset(value)) {
        return Status::InvalidArgument("is not UTF-8 once decoded", RepairUtf8(name));
      }
      params.emplace(std::move(name), std::move(value));
    }
    pos = end + 1;
  }
  return params;
}

// A route's path below /api/v1 as segments; "{...}" segments match any one.
std::vector<std::string> Segments(std::string_view path) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < path.size()) {
    if (path[pos] == '/') {
      ++pos;
      continue;
    }
    size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    out.emplace_back(path.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

bool IsImport(std::string_view path) { return path.rfind("/api/v1/imports/", 0) == 0; }

constexpr std::string_view kApiPrefix = "/api/v1";

}  // namespace

struct Server::Impl {
  ServerOptions options;
  ConnectionPool pool;
  std::vector<Route> routes;
  std::vector<std::vector<std::string>> route_segments;  // by route
  std::string openapi;
  std::optional<WebFiles> web;  // the web app, when there is one
  std::unique_ptr<HttpServer> http;

  explicit Impl(const ServerOptions& o) : options(o), pool(o.db_path, o.busy_timeout_ms) {}

  // Answers any request: the API below /api/v1, the web app elsewhere.
  void Handle(const HttpRequest& req, HttpResponse& res);
  void ServeWeb(const HttpRequest& req, HttpResponse& res);
  Result<Reply> Dispatch(const Route& route, const HttpRequest& req,
                         std::vector<std::string> path_params);
  void Serve(const Route& route, const HttpRequest& req, std::vector<std::string> path_params,
             HttpResponse& res);
};

Result<Reply> Server::Impl::Dispatch(const Route& route, const HttpRequest& req,
                                     std::vector<std::string> path_params) {
  Request request;
  request.method = route.method;
  request.path_params = std::move(path_params);
  auto query = ParseQuery(req.query);
  if (!query.ok()) return query.status();
  request.query = std::move(*query);
  request.if_match = std::string(req.Header("if-match"));
  const Credential credential = CredentialOf(req);
  request.token = credential.token;
  request.client = req.peer;
  request.forwarded_https = req.Header("x-forwarded-proto") == "https";
  if (IsImport(req.path)) {
    request.raw_body = req.body;
  } else if (!req.body.empty()) {
    auto body = ParseBody(req.body);
    if (!body.ok()) return body.status();
    request.body = std::move(*body);
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
    // A browser sends its cookie with any request, a forged one from another
    // site too; only a page of ours can read the anti-forgery token.
    if (credential.from_cookie && route.method != "GET" &&
        !engine::CsrfTokenMatches(request.token, req.Header("x-csrf-token"))) {
      return Status::PermissionDenied(
          "a write with the session cookie needs the header X-CSRF-Token (csrf_token of POST "
          "/api/v1/login or GET /api/v1/me)",
          "X-CSRF-Token");
    }
    session.emplace(std::move(**found));
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

void Server::Impl::Serve(const Route& route, const HttpRequest& req,
                         std::vector<std::string> path_params, HttpResponse& res) {
  Result<Reply> reply = Status::Internal("no reply");
  try {
    reply = Dispatch(route, req, std::move(path_params));
  } catch (const std::exception& e) {
    reply = Status::Internal(std::string("unexpected exception: ") + e.what());
  }
  if (!reply.ok()) {
    const Status& status = reply.status();
    auto [http_status, code] = StatusOf(status.code());
    std::string message = status.message();
    if (http_status == 500) {
      // The details go to the log, with the request, not to the client.
      std::fprintf(stderr, "tenure serve: 500 on %s %s from %s: %s\n", req.method.c_str(),
                   RepairUtf8(req.path).c_str(), req.peer.c_str(),
                   RepairUtf8(status.ToString()).c_str());
      message = "internal error";
    }
    SetError(res, http_status, code, message, FieldName(status.field()));
    if (http_status == 401) res.headers.emplace_back("WWW-Authenticate", "Bearer");
    // A busy database or a full disk: worth trying again shortly.
    if (http_status == 503) res.headers.emplace_back("Retry-After", "5");
    return;
  }
  res.status = reply->status;
  for (auto& [name, value] : reply->headers) res.headers.emplace_back(name, value);
  if (!reply->raw.empty() || !reply->content_type.empty()) {
    res.body = std::move(reply->raw);
    res.headers.emplace_back("Content-Type", reply->content_type);
  } else if (reply->status != 204) {
    res.body = JsonText(reply->body);
    res.headers.emplace_back("Content-Type", "application/json");
  }
}

void Server::Impl::ServeWeb(const HttpRequest& req, HttpResponse& res) {
  if (req.method != "GET" && req.method != "HEAD") {
    AddSecurityHeaders(res.headers);
    SetError(res, 405, "method_not_allowed",
             req.method + " is not a method of " + RepairUtf8(req.path) + " (GET, HEAD)");
    res.headers.emplace_back("Allow", "GET, HEAD");
    return;
  }
  const WebFile* file = web->Find(PercentDecode(req.path, false));
  if (file == nullptr) {
    AddSecurityHeaders(res.headers);
    SetError(res, 404, "not_found", "no file " + RepairUtf8(req.path));
    return;
  }
  AddSecurityHeaders(res.headers,
                     file->immutable ? "public, max-age=31536000, immutable" : "no-cache");
  res.headers.emplace_back("ETag", file->etag);
  if (!file->gzipped.empty()) res.headers.emplace_back("Vary", "Accept-Encoding");
  if (req.Header("if-none-match") == file->etag) {
    res.status = 304;
    return;
  }
  res.status = 200;
  res.headers.emplace_back("Content-Type", file->content_type);
  if (!file->gzipped.empty() && AcceptsGzip(req)) {
    res.headers.emplace_back("Content-Encoding", "gzip");
    res.body = file->gzipped;
  } else {
    res.body = file->content;
  }
}

void Server::Impl::Handle(const HttpRequest& req, HttpResponse& res) {
  std::string_view path = req.path;
  const bool api =
      path == kApiPrefix || (path.rfind(kApiPrefix, 0) == 0 && path.size() > kApiPrefix.size() &&
                             path[kApiPrefix.size()] == '/');
  if (!api && web) return ServeWeb(req, res);
  AddSecurityHeaders(res.headers);
  if (!api) {
    SetError(res, 404, "not_found", "no route " + req.method + " " + RepairUtf8(req.path));
    return;
  }
  // HEAD is a GET whose body the transport leaves out.
  const std::string method = req.method == "HEAD" ? "GET" : req.method;
  std::vector<std::string> segments = Segments(path.substr(kApiPrefix.size()));
  for (std::string& segment : segments) segment = PercentDecode(segment, false);
  if (method == "GET" && segments.size() == 1 && segments[0] == "openapi.json") {
    SetJson(res, 200, openapi);
    return;
  }
  std::string allowed;  // the methods of the routes the path matches
  for (size_t r = 0; r < routes.size(); ++r) {
    const std::vector<std::string>& pattern = route_segments[r];
    if (pattern.size() != segments.size()) continue;
    std::vector<std::string> params;
    bool match = true;
    for (size_t i = 0; i < pattern.size() && match; ++i) {
      if (pattern[i].front() == '{') {
        params.push_back(segments[i]);
      } else {
        match = pattern[i] == segments[i];
      }
    }
    if (!match) continue;
    if (routes[r].method != method) {
      if (allowed.find(routes[r].method) == std::string::npos) {
        allowed += (allowed.empty() ? "" : ", ") + routes[r].method;
      }
      continue;
    }
    Serve(routes[r], req, std::move(params), res);
    return;
  }
  if (!allowed.empty()) {
    SetError(res, 405, "method_not_allowed",
             req.method + " is not a method of " + RepairUtf8(req.path) + " (" + allowed + ")");
    res.headers.emplace_back("Allow", allowed);
    return;
  }
  SetError(res, 404, "not_found", "no route " + req.method + " " + RepairUtf8(req.path));
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
  for (const Route& route : s.routes) s.route_segments.push_back(Segments(route.path));
  // A route the document cannot describe (no response schema) keeps the
  // server from starting, so none ships undocumented.
  auto openapi = OpenApiDocument(s.routes);
  if (!openapi.ok()) return openapi.status();
  s.openapi = JsonText(*openapi);
  if (!options.web_dir.empty()) {
    auto web = WebFiles::Load(options.web_dir);
    if (!web.ok()) return web.status();
    s.web = std::move(*web);
  }

  HttpOptions http;
  http.host = options.host;
  http.port = options.port;
  http.io_threads = options.threads;
  http.write_threads = options.write_threads;
  http.head_timeout = std::chrono::milliseconds(options.head_timeout_ms);
  http.body_timeout = std::chrono::milliseconds(options.body_timeout_ms);
  http.send_timeout = std::chrono::milliseconds(options.send_timeout_ms);
  http.max_connections = options.max_connections;
  http.max_connections_per_address = options.max_connections_per_address;
  auto server = HttpServer::Start(
      http, [&s](const HttpRequest& req, HttpResponse& res) { s.Handle(req, res); },
      [&s](std::string_view, std::string_view path) {
        return IsImport(path) ? s.options.max_import_bytes : s.options.max_body_bytes;
      },
      [](int status, std::string_view code, const std::string& message, HttpResponse& res) {
        AddSecurityHeaders(res.headers);
        SetError(res, status, code, message, status == 413 ? "body" : "");
      });
  if (!server.ok()) return server.status();
  s.http = std::move(*server);
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() {
  Stop();
  impl_->http.reset();  // waits for the handlers at work, which use the rest of Impl
}

int Server::port() const { return impl_->http->port(); }

int Server::open_connections() const { return impl_->http->open_connections(); }

HttpResponse Server::Answer(const HttpRequest& request) {
  HttpResponse response;
  impl_->Handle(request, response);
  return response;
}

Status Server::Run() { return impl_->http->Run(); }

void Server::Stop() {
  if (impl_->http) impl_->http->Stop();
}

}  // namespace tenure::api
