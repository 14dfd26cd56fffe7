// The OpenAPI 3 document, built from the route table itself so it cannot
// drift from what the server serves; the bodies' schemas come from
// openapi_schemas.cc.
#include "api/openapi.h"

#include <set>

#include "api/json_codec.h"
#include "api/openapi_schemas.h"
#include "api/routes.h"

namespace tenure::api {
namespace {

using nlohmann::json;

constexpr std::string_view kSchemaPrefix = "#/components/schemas/";

json RoleNames(uint8_t roles) {
  json names = json::array();
  if (roles & kAdmin) names.push_back("admin");
  if (roles & kManager) names.push_back("manager");
  if (roles & kSales) names.push_back("sales");
  if (roles & kService) names.push_back("service");
  return names;
}

json SchemaRef(const std::string& name) { return {{"$ref", std::string(kSchemaPrefix) + name}}; }

json ErrorResponse(const std::string& description) {
  return {{"description", description},
          {"content", {{"application/json", {{"schema", SchemaRef("Error")}}}}}};
}

// "GET /customers/{id}", as errors name a route.
std::string NameOf(const Route& route) { return route.method + " " + route.path; }

// Checks what the document needs of `route`: a known success status, the
// schema of its answer (unless it answers 204 or only downloads), and
// schemas that exist.
Status CheckRoute(const Route& route, const json& schemas) {
  if (route.status != 200 && route.status != 201 && route.status != 204) {
    return Status::Internal(NameOf(route) + ": success status " + std::to_string(route.status) +
                            " (expected 200, 201 or 204)");
  }
  if (route.response.empty() && route.status != 204 && route.downloads.empty()) {
    return Status::Internal(NameOf(route) +
                            " names no response schema (Route::response, openapi_schemas.cc)");
  }
  for (const std::string* name : {&route.response, &route.request}) {
    if (!name->empty() && !schemas.contains(*name)) {
      return Status::Internal(NameOf(route) + " names the schema '" + *name +
                              "', which openapi_schemas.cc does not define");
    }
  }
  return Status::Ok();
}

Result<json> Operation(const Route& route, const json& schemas) {
  TENURE_RETURN_IF_ERROR(CheckRoute(route, schemas));
  json op = {{"summary", route.summary}, {"tags", {route.tag}}};
  json parameters = json::array();
  for (const Param& p : route.params) {
    parameters.push_back({{"name", p.name},
                          {"in", p.in},
                          {"required", p.in == "path" || p.required},
                          {"description", p.description},
                          {"schema", {{"type", p.type}}}});
  }
  if (!parameters.empty()) op["parameters"] = parameters;
  if (!route.request.empty()) {
    // Required when the body has required fields; close and reopen take an
    // optional version alone.
    const json& schema = schemas.at(route.request);
    op["requestBody"] = {
        {"required", schema.contains("required")},
        {"content", {{"application/json", {{"schema", SchemaRef(route.request)}}}}}};
  } else if (!route.request_type.empty()) {
    op["requestBody"] = {{"required", true},
                         {"content", {{route.request_type, {{"schema", {{"type", "string"}}}}}}}};
  }

  json success = {{"description", route.status == 201   ? "Created"
                                  : route.status == 204 ? "No content"
                                                        : "OK"}};
  json content = json::object();
  if (!route.response.empty()) {
    content["application/json"] = {{"schema", SchemaRef(route.response)}};
  }
  for (const std::string& type : route.downloads) {
    content[type] = {{"schema", {{"type", "string"}, {"format", "binary"}}}};
  }
  if (!content.empty()) success["content"] = std::move(content);
  json responses = {{std::to_string(route.status), std::move(success)},
                    {"400", ErrorResponse("invalid input; error.field names it")},
                    {"404", ErrorResponse("no such row, or not in the user's scope")},
                    {"413", ErrorResponse("the body is too large")},
                    {"500", ErrorResponse("internal error")}};
  if (route.is_public) {
    op["security"] = json::array();
  } else {
    responses["401"] = ErrorResponse("not logged in, or the session has ended");
    responses["403"] = ErrorResponse("the user's role may not use this route");
    op["x-roles"] = RoleNames(route.roles);
  }
  if (route.method == "PATCH" || route.method == "POST") {
    responses["409"] = ErrorResponse("a stale version, or a duplicate");
  }
  op["responses"] = std::move(responses);
  return op;
}

// Adds to `names` every schema `value` refers to.
void CollectRefs(const json& value, std::set<std::string>& names) {
  if (value.is_object()) {
    auto ref = value.find("$ref");
    if (ref != value.end() && ref->is_string()) {
      std::string target = ref->get<std::string>();
      if (target.rfind(kSchemaPrefix, 0) == 0) names.insert(target.substr(kSchemaPrefix.size()));
    }
    for (const auto& [key, member] : value.items()) CollectRefs(member, names);
  } else if (value.is_array()) {
    for (const json& member : value) CollectRefs(member, names);
  }
}

// The schemas the paths use, and those they use in turn: the catalogue has
// some no route takes (the bodies of records no route writes).
Result<json> UsedSchemas(const json& paths, const json& schemas) {
  std::set<std::string> wanted;
  CollectRefs(paths, wanted);
  json used = json::object();
  while (!wanted.empty()) {
    std::string name = *wanted.begin();
    wanted.erase(wanted.begin());
    if (used.contains(name)) continue;
    if (!schemas.contains(name)) {
      return Status::Internal("the schema '" + name + "' is referred to but not defined");
    }
    used[name] = schemas.at(name);
    CollectRefs(used[name], wanted);
  }
  return used;
}

}  // namespace

Result<json> OpenApiDocument(const std::vector<Route>& routes) {
  const json& schemas = ComponentSchemas();
  json paths = json::object();
  for (const Route& route : routes) {
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto operation = Operation(route, schemas);
    if (!operation.ok()) return operation.status();
    paths[route.path][method] = std::move(*operation);
  }
  paths["/openapi.json"]["get"] = {
      {"summary", "This document"},
      {"tags", {"meta"}},
      {"security", json::array()},
      {"responses",
       {{"200",
         {{"description", "OK"},
          {"content", {{"application/json", {{"schema", SchemaRef("OpenApiDocument")}}}}}}}}}};
  auto used = UsedSchemas(paths, schemas);
  if (!used.ok()) return used.status();
  return json{{"openapi", "3.0.3"},
              {"info",
               {{"title", "Tenure API"},
                {"version", "1"},
                {"description",
                 "The JSON API of Tenure, the CRM that keeps customers from leaving. Log in with "
                 "POST /login; send the token as a bearer token or the session cookie. "
                 "x-roles lists the roles that may use an operation."}}},
              {"servers", {{{"url", "/api/v1"}}}},
              {"security", {{{"bearer", json::array()}}, {{"cookie", json::array()}}}},
              {"components",
               {{"securitySchemes",
                 {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}},
                  {"cookie", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "tenure_session"}}}}},
                {"schemas", std::move(*used)}}},
              {"paths", std::move(paths)}};
}

Result<std::string> OpenApiText(int indent) {
  auto document = OpenApiDocument(AllRoutes());
  if (!document.ok()) return document.status();
  return JsonText(*document, indent);
}

}  // namespace tenure::api
