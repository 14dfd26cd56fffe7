// The component schemas of the OpenAPI document (#/components/schemas): the
// JSON of every body the API answers with or reads, by name. Each answer's
// schema is read off the code that writes it (the handlers of *_routes.cc,
// json_codec.cc, report_json.cc), the records' from the entity tables
// (domain/entity.h) as RecordJson and ProfileText write them: a member the
// code can write as null is nullable, one it always writes is required, and
// no other member is allowed, so the contract test
// (web/e2e/api_contract.test.mjs) fails when a writer adds or renames a
// member and this file does not follow. A request schema lists the fields
// its handler reads, with the JSON types the handler accepts.
//
// Internal to src/api.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "domain/entity.h"

namespace tenure::api {

// Every component schema, by name (built once).
const nlohmann::json& ComponentSchemas();

// The names of an entity's record schemas, from its singular name
// ("Contact"): a stored row as GET /contacts/{id} and the writes answer it,
// a page of them (GET /contacts), the bodies of POST and PATCH, and a row as
// the customer profile lists it (references as external ids).
struct RecordSchemaNames {
  std::string row;      // "Contact"
  std::string page;     // "ContactPage"
  std::string create;   // "NewContact"
  std::string change;   // "ContactChanges"
  std::string profile;  // "ProfileContact"
};
RecordSchemaNames RecordSchemasOf(const domain::EntitySpec& spec);

}  // namespace tenure::api
