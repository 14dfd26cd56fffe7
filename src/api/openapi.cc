// The OpenAPI 3 document, built from the route table itself so it cannot
// drift from what the server serves.
#include "api/routes.h"

namespace tenure::api {
namespace {

using nlohmann::json;

json RoleNames(uint8_t roles) {
  json names = json::array();
  if (roles & kAdmin) names.push_back("admin");
  if (roles & kManager) names.push_back("manager");
  if (roles & kSales) names.push_back("sales");
  if (roles & kService) names.push_back("service");
  return names;
}

json ErrorResponse(const std::string& description) {
  return {
      {"description", description},
      {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
}

json Operation(const Route& route) {
  json op = {{"summary", route.summary}, {"tags", {route.tag}}};
  json parameters = json::array();
  json properties = json::object();
  json required = json::array();
  for (const Param& p : route.params) {
    if (p.in == "body") {
      properties[p.name] = {{"type", p.type}, {"description", p.description}};
      if (p.type == "array") properties[p.name]["items"] = {{"type", "string"}};
      if (p.required) required.push_back(p.name);
      continue;
    }
    parameters.push_back({{"name", p.name},
                          {"in", p.in},
                          {"required", p.in == "path" || p.required},
                          {"description", p.description},
                          {"schema", {{"type", p.type}}}});
  }
  if (!parameters.empty()) op["parameters"] = parameters;
  if (!properties.empty()) {
    json schema = {{"type", "object"}, {"properties", properties}};
    if (!required.empty()) schema["required"] = required;
    op["requestBody"] = {{"content", {{"application/json", {{"schema", schema}}}}}};
  }
  json responses = {{"200", {{"description", "OK"}}},
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
  op["responses"] = responses;
  return op;
}

}  // namespace

json OpenApiDocument(const std::vector<Route>& routes) {
  json paths = json::object();
  for (const Route& route : routes) {
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    paths[route.path][method] = Operation(route);
  }
  paths["/openapi.json"]["get"] = {{"summary", "This document"},
                                   {"tags", {"meta"}},
                                   {"security", json::array()},
                                   {"responses", {{"200", {{"description", "OK"}}}}}};
  json error_schema = {{"type", "object"},
                       {"properties",
                        {{"error",
                          {{"type", "object"},
                           {"properties",
                            {{"code", {{"type", "string"}}},
                             {"message", {{"type", "string"}}},
                             {"field", {{"type", "string"}, {"nullable", true}}}}}}}}}};
  return {{"openapi", "3.0.3"},
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
            {"schemas", {{"Error", error_schema}}}}},
          {"paths", paths}};
}

}  // namespace tenure::api
