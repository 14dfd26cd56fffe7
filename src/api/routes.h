// The routes of /api/v1 as data: method, path, the roles allowed, what the
// OpenAPI document says of them, and the handler. server.cc registers them
// all through one wrapper (authentication, role check, scope, errors,
// headers), so a handler only parses its input, calls the engine and builds
// its JSON. Handlers see no HTTP library type.
//
// Internal to src/api.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/server.h"
#include "common/status.h"
#include "common/time.h"
#include "engine/accounts.h"
#include "engine/scope.h"
#include "store/database.h"

namespace tenure::api {

// Role bits of Route::roles, one per domain::UserRole.
inline constexpr uint8_t kAdmin = 1;
inline constexpr uint8_t kManager = 2;
inline constexpr uint8_t kSales = 4;
inline constexpr uint8_t kService = 8;
inline constexpr uint8_t kAnyRole = kAdmin | kManager | kSales | kService;
uint8_t RoleBit(domain::UserRole role);

struct Request {
  std::string method;
  std::vector<std::string> path_params;  // the {name} parts of the path, in order
  std::multimap<std::string, std::string> query;
  nlohmann::json body;   // the parsed JSON body; null when there is none
  std::string raw_body;  // the body as sent (CSV imports)
  std::string if_match;  // the If-Match header, empty when none
  std::string token;     // the session token the request carried, empty when none
  std::string client;    // the peer's address
  // The request reached a proxy over HTTPS (X-Forwarded-Proto: https).
  bool forwarded_https = false;
};

struct Context {
  const Request& request;
  store::Database& db;
  const ServerOptions& options;
  Timestamp now;
  // Set for every route but the public ones.
  const engine::Session* session = nullptr;
  engine::Scope scope;
};

struct Reply {
  int status = 200;
  nlohmann::json body;       // sent as JSON unless `raw` is set
  std::string raw;           // a download (CSV, XLSX), or JSON already written as text
  std::string content_type;  // of `raw`
  std::vector<std::pair<std::string, std::string>> headers;
};

using Handler = std::function<Result<Reply>(Context&)>;

// A documented query or path parameter for OpenAPI. Bodies are schemas
// (Route::request).
struct Param {
  std::string name;
  std::string in;  // "query" or "path"
  std::string type = "string";
  bool required = false;
  std::string description;
};

struct Route {
  std::string method;  // GET, POST, PATCH, DELETE
  std::string path;    // below /api/v1, with {name} parts: "/customers/{id}"
  uint8_t roles = kAnyRole;
  bool is_public = false;  // no session needed (login, the OpenAPI document)
  std::string tag;         // OpenAPI tag (resource group)
  std::string summary;
  std::vector<Param> params;
  // What the OpenAPI document says the route answers and reads, by the names
  // of component schemas (openapi_schemas.h). Every route names the schema of
  // its success answer's JSON body, unless it answers 204 or only downloads;
  // OpenApiDocument refuses a route that does not, so none can ship without.
  std::string response;
  int status = 200;     // the success status: 200, 201 or 204 (no body)
  std::string request;  // the JSON body's schema; empty: the route reads no body
  // The body's media type when it is not JSON ("text/csv": an import, whose
  // body is the file).
  std::string request_type;
  // Content types the route answers instead of JSON when asked for a
  // download (format=csv|xlsx), or always when `response` is empty.
  std::vector<std::string> downloads;
  Handler handler;
};

// The content types of a CSV and an XLSX download (DownloadReply).
inline constexpr const char* kCsvType = "text/csv; charset=utf-8";
inline constexpr const char* kXlsxType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// The route groups, one file each.
void AddSessionRoutes(std::vector<Route>& routes);
void AddCustomerRoutes(std::vector<Route>& routes);
void AddRecordRoutes(std::vector<Route>& routes);
void AddWorkbenchRoutes(std::vector<Route>& routes);
void AddCareRoutes(std::vector<Route>& routes);
void AddAdminRoutes(std::vector<Route>& routes);
void AddReportRoutes(std::vector<Route>& routes);

// Every route, in the order they are matched.
std::vector<Route> AllRoutes();

// The OpenAPI 3.0.3 document of `routes` (served at /api/v1/openapi.json),
// with the component schemas of openapi_schemas.h. Errors: kInternal naming
// the route ("GET /things") that names no response schema (and neither
// answers 204 nor only downloads) or a schema that does not exist.
Result<nlohmann::json> OpenApiDocument(const std::vector<Route>& routes);

// Request helpers. Each error names the parameter or field.
std::optional<std::string> QueryParam(const Request& request, const std::string& name);
Result<int64_t> IntParam(const Request& request, const std::string& name, int64_t fallback,
                         int64_t min, int64_t max);
Result<Date> DateParam(const Request& request, const std::string& name, Date fallback);
// The path parameter `index` as a row id (kNotFound when it is not a number).
Result<int64_t> PathId(const Request& request, size_t index = 0);
// A text field of the JSON body; "" when absent and not `required`.
Result<std::string> BodyText(const Request& request, const std::string& name, bool required);
// A true/false field of the JSON body; false when absent or null.
Result<bool> BodyFlag(const Request& request, const std::string& name);
// A file in the temporary directory (/tmp/tenure-api-XXXXXX<suffix>),
// removed, with the rejects file an import may write beside it, when the
// object goes away. path() is empty when it could not be created.
class TempFile {
 public:
  explicit TempFile(const std::string& suffix);
  ~TempFile();
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The file at `path` as a download: `format` "csv" or "xlsx" sets the content
// type, `filename` the name the browser saves it as. Errors: kIoError.
Result<Reply> DownloadReply(const std::string& path, const std::string& format,
                            const std::string& filename);

// The expected version of a change: the body's "version" or the If-Match
// header (a number, optionally quoted, as the ETag the server sends).
Result<std::optional<int64_t>> ExpectedVersion(const Request& request);

}  // namespace tenure::api
