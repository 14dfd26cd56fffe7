// The OpenAPI document says what every route answers and reads: each route
// names the schema of its answer (a route without one is refused, naming
// it), every schema it names exists, and the records' schemas follow the
// entity tables and the database's columns (a column that can hold NULL is
// nullable, and only such a one). Whether real answers match their schemas
// is the contract test's (web/e2e/api_contract.test.mjs).
#include "api/openapi.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "api/openapi_schemas.h"
#include "api/routes.h"
#include "store/migrations.h"
#include "testing/temp_dir.h"

namespace tenure::api {
namespace {

using nlohmann::json;

std::string NameOf(const Route& route) { return route.method + " " + route.path; }

Result<Reply> Nothing(Context&) { return Reply{}; }

void CollectRefs(const json& value, std::set<std::string>& refs) {
  if (value.is_object()) {
    if (value.contains("$ref")) refs.insert(value["$ref"].get<std::string>());
    for (const auto& [key, member] : value.items()) CollectRefs(member, refs);
  } else if (value.is_array()) {
    for (const json& member : value) CollectRefs(member, refs);
  }
}

TEST(OpenApiTest, EveryRouteNamesTheSchemasOfWhatItAnswersAndReads) {
  const json& schemas = ComponentSchemas();
  // The writes that read no body at all.
  const std::set<std::string> no_body = {"POST /logout", "POST /users/{id}/disable"};
  for (const Route& route : AllRoutes()) {
    SCOPED_TRACE(NameOf(route));
    if (route.downloads.empty()) {
      ASSERT_FALSE(route.response.empty());
    }
    if (!route.response.empty()) {
      EXPECT_TRUE(schemas.contains(route.response)) << route.response;
    }
    if (route.method == "GET") {
      EXPECT_TRUE(route.request.empty());
      EXPECT_EQ(route.status, 200);
      continue;
    }
    if (!route.request.empty()) {
      EXPECT_TRUE(schemas.contains(route.request)) << route.request;
    } else if (route.request_type != "text/csv") {
      EXPECT_TRUE(no_body.contains(NameOf(route))) << "reads a body the document does not describe";
    }
  }
}

TEST(OpenApiTest, CreatesAnswer201AndTheRestOfTheWrites200) {
  std::set<std::string> created;
  for (const Route& route : AllRoutes()) {
    if (route.status == 201) created.insert(NameOf(route));
  }
  EXPECT_TRUE(created.contains("POST /customers"));
  EXPECT_TRUE(created.contains("POST /contacts"));
  EXPECT_TRUE(created.contains("POST /orders"));
  EXPECT_TRUE(created.contains("POST /complaints"));
  EXPECT_TRUE(created.contains("POST /users"));
  EXPECT_TRUE(created.contains("POST /customers/{id}/lost"));
  EXPECT_FALSE(created.contains("POST /complaints/{id}/resolve"));
  EXPECT_FALSE(created.contains("PATCH /contacts/{id}"));
  EXPECT_FALSE(created.contains("POST /login"));
}

TEST(OpenApiTest, ARouteWithoutAResponseSchemaIsRefusedByName) {
  std::vector<Route> routes = AllRoutes();
  routes.push_back({.method = "GET", .path = "/things", .tag = "things", .handler = Nothing});
  auto document = OpenApiDocument(routes);
  ASSERT_FALSE(document.ok());
  EXPECT_NE(document.status().message().find("GET /things"), std::string::npos)
      << document.status().ToString();

  routes.back().response = "NoSuchSchema";
  document = OpenApiDocument(routes);
  ASSERT_FALSE(document.ok());
  EXPECT_NE(document.status().message().find("NoSuchSchema"), std::string::npos);

  // A download alone needs no JSON schema; a 204 no body.
  routes.back().response = "";
  routes.back().downloads = {kCsvType};
  EXPECT_TRUE(OpenApiDocument(routes).ok());
  routes.back() = {.method = "POST", .path = "/things", .status = 204, .handler = Nothing};
  EXPECT_TRUE(OpenApiDocument(routes).ok());
}

TEST(OpenApiTest, TheDocumentHasTheSchemasItRefersToAndNamesTheAnswers) {
  auto document = OpenApiDocument(AllRoutes());
  ASSERT_TRUE(document.ok()) << document.status().ToString();
  const json& doc = *document;
  EXPECT_EQ(doc["openapi"], "3.0.3");
  const json& schemas = doc["components"]["schemas"];
  for (const char* name : {"Customer",        "CustomerRow", "CustomerPage",  "CustomerProfile",
                           "CreditFile",      "Workbench",   "WorkbenchList", "Complaint",
                           "ComplaintPage",   "User",        "Session",       "Me",
                           "AuditEntry",      "Stats",       "ChurnReport",   "TeamReport",
                           "ComplaintReport", "Defaulters",  "ImportReport",  "NewContact",
                           "ContactChanges",  "OrderIntake", "Error"}) {
    EXPECT_TRUE(schemas.contains(name)) << name;
  }
  std::set<std::string> refs;
  CollectRefs(doc, refs);
  std::set<std::string> defined;
  for (const auto& [name, schema] : schemas.items()) {
    defined.insert("#/components/schemas/" + name);
  }
  // Every reference resolves, and the document carries no schema it does
  // not use.
  EXPECT_EQ(refs, defined);
  for (const auto& [path, operations] : doc["paths"].items()) {
    for (const auto& [method, operation] : operations.items()) {
      SCOPED_TRACE(method + " " + path);
      const json& responses = operation["responses"];
      bool answered = false;
      for (const char* status : {"200", "201", "204"}) {
        if (!responses.contains(status)) continue;
        answered = true;
        if (std::string(status) != "204") {
          EXPECT_TRUE(responses[status].contains("content"));
        }
      }
      EXPECT_TRUE(answered);
    }
  }
  EXPECT_EQ(doc["paths"]["/customers/{id}"]["get"]["responses"]["200"]["content"]
               ["application/json"]["schema"]["$ref"],
            "#/components/schemas/CustomerProfile");
  EXPECT_TRUE(doc["paths"]["/customers"]["get"]["responses"]["200"]["content"].contains(kCsvType));
  EXPECT_EQ(doc["paths"]["/contacts"]["post"]["requestBody"]["content"]["application/json"]
               ["schema"]["$ref"],
            "#/components/schemas/NewContact");
  EXPECT_TRUE(
      doc["paths"]["/imports/{entity}"]["post"]["requestBody"]["content"].contains("text/csv"));
}

TEST(OpenApiTest, TheTextIsTheDocument) {
  auto text = OpenApiText();
  ASSERT_TRUE(text.ok());
  json parsed = json::parse(*text);
  EXPECT_EQ(parsed, *OpenApiDocument(AllRoutes()));
}

// A record's schema lists its row's members, and a field is nullable exactly
// when its column can hold NULL.
TEST(OpenApiTest, RecordSchemasFollowTheEntityTablesAndTheColumns) {
  testing::TempDir dir;
  auto db = store::OpenStore(dir.File("t.db"));
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  const json& schemas = ComponentSchemas();
  for (const domain::EntitySpec& spec : domain::AllEntities()) {
    SCOPED_TRACE(spec.name);
    std::map<std::string, bool> not_null;
    auto stmt = (*db)->Prepare("SELECT name, \"notnull\" FROM pragma_table_info(?1)");
    ASSERT_TRUE(stmt.ok()) << stmt.status().ToString();
    (*stmt)->BindText(1, spec.name);
    for (auto row = (*stmt)->Step(); row.ok() && *row; row = (*stmt)->Step()) {
      not_null[std::string((*stmt)->Text(0))] = (*stmt)->Int(1) != 0;
    }
    const RecordSchemaNames names = RecordSchemasOf(spec);
    const json& row = schemas.at(names.row);
    const json& profile = schemas.at(names.profile);
    std::set<std::string> members = {"id", "external_id", "version", "created_at", "updated_at"};
    for (const domain::FieldSpec& field : spec.fields) {
      std::string name(field.name);
      members.insert(name);
      const bool nullable = row["properties"][name].value("nullable", false);
      // A reason list lives in a table of its own: no reasons, no text.
      if (field.type == domain::FieldType::kReasonList) {
        EXPECT_TRUE(nullable);
        continue;
      }
      ASSERT_TRUE(not_null.contains(name)) << name;
      EXPECT_EQ(nullable, !not_null[name]) << name;
      EXPECT_EQ(profile["properties"][name].value("nullable", false), nullable) << name;
    }
    // A complaint also answers its deadline and whether it is overdue (computed, not stored).
    if (spec.entity == domain::Entity::kComplaint) {
      members.insert("deadline");
      members.insert("overdue");
      EXPECT_FALSE(profile["properties"].contains("deadline"));
    }
    std::set<std::string> properties;
    for (const auto& [name, schema] : row["properties"].items()) properties.insert(name);
    EXPECT_EQ(properties, members);
    EXPECT_EQ(row["additionalProperties"], false);
    EXPECT_EQ(row["required"].size(), members.size());
    EXPECT_FALSE(profile["properties"].contains("version"));
  }
}

}  // namespace
}  // namespace tenure::api
