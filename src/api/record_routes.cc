// The records of every entity but customers (customer_routes.cc), through
// engine/records.h: GET /{entity} (a page, filtered by any field, keyset by
// id), GET /{entity}/{id}, and, where a plain write makes sense, POST and
// PATCH. Writes with rules of their own (orders' credit check, complaints'
// statuses, churn events, users' passwords) are in care_routes.cc and
// admin_routes.cc.
#include "api/json_codec.h"
#include "api/openapi_schemas.h"
#include "api/record_io.h"
#include "api/routes.h"

namespace tenure::api {
namespace {

using nlohmann::json;

struct Resource {
  domain::Entity entity;
  uint8_t writers;  // roles that may POST and PATCH; 0: no plain writes
  bool plain_post;  // POST goes through engine::CreateRecord (else a route of its own)
};

constexpr uint8_t kStaff = kAdmin | kManager | kSales;

constexpr Resource kResources[] = {
    {domain::Entity::kContact, kAnyRole, true},
    {domain::Entity::kActivity, kAnyRole, true},
    {domain::Entity::kOpportunity, kStaff, true},
    {domain::Entity::kQuotation, kStaff, true},
    {domain::Entity::kContract, kStaff, true},
    {domain::Entity::kOrder, kStaff, false},
    {domain::Entity::kInvoice, kStaff, true},
    {domain::Entity::kExpense, kStaff, true},
    {domain::Entity::kComplaint, kAdmin | kManager | kService, false},
    {domain::Entity::kChurnEvent, kAdmin | kManager, false},
    {domain::Entity::kOwnershipChange, 0, false},
    {domain::Entity::kUser, kAdmin, false},
    {domain::Entity::kTeam, kAdmin, true},
    {domain::Entity::kChurnReason, kAdmin, true},
};

Handler List(const domain::EntitySpec& spec) {
  return [&spec](Context& c) -> Result<Reply> {
    engine::RecordQuery query;
    auto after = IntParam(c.request, "after", 0, 0, INT64_MAX);
    if (!after.ok()) return after.status();
    auto limit = IntParam(c.request, "limit", 50, 1, 1000);
    if (!limit.ok()) return limit.status();
    query.after_id = *after;
    query.limit = static_cast<int>(*limit);
    for (const auto& [name, value] : c.request.query) {
      if (name == "after" || name == "limit") continue;
      auto v = FilterValueOf(spec, name, value, c.options.currency_decimals);
      if (!v.ok()) return v.status();
      query.equals.emplace_back(name, std::move(*v));
    }
    auto page = engine::ListRecords(c.db, c.scope, spec, query);
    if (!page.ok()) return page.status();
    json items = json::array();
    for (const engine::Record& r : page->rows) {
      items.push_back(RecordBody(c, spec, r));
    }
    return Reply{
        .body = {{"items", std::move(items)},
                 {"next_after", page->next_after_id ? json(*page->next_after_id) : json(nullptr)}}};
  };
}

Handler Get(const domain::EntitySpec& spec) {
  return [&spec](Context& c) -> Result<Reply> {
    auto id = PathId(c.request);
    if (!id.ok()) return id.status();
    auto record = engine::GetRecord(c.db, c.scope, spec, *id);
    if (!record.ok()) return record.status();
    return RecordReply(c, spec, *record, 200);
  };
}

Handler Create(const domain::EntitySpec& spec) {
  return [&spec](Context& c) -> Result<Reply> {
    auto fields = FieldsOf(spec, c.request.body, c.options.currency_decimals);
    if (!fields.ok()) return fields.status();
    auto record = engine::CreateRecord(c.db, c.scope, spec, *fields);
    if (!record.ok()) return record.status();
    return RecordReply(c, spec, *record, 201);
  };
}

Handler Update(const domain::EntitySpec& spec) {
  return [&spec](Context& c) -> Result<Reply> {
    auto id = PathId(c.request);
    if (!id.ok()) return id.status();
    auto version = ExpectedVersion(c.request);
    if (!version.ok()) return version.status();
    auto fields = FieldsOf(spec, c.request.body, c.options.currency_decimals);
    if (!fields.ok()) return fields.status();
    auto record = engine::UpdateRecord(c.db, c.scope, spec, *id, *fields, *version);
    if (!record.ok()) return record.status();
    return RecordReply(c, spec, *record, 200);
  };
}

}  // namespace

void AddRecordRoutes(std::vector<Route>& routes) {
  for (const Resource& resource : kResources) {
    const domain::EntitySpec& spec = domain::SpecOf(resource.entity);
    std::string name(spec.name);
    std::string collection = "/" + name;
    std::string item = collection + "/{id}";
    const RecordSchemaNames schemas = RecordSchemasOf(spec);
    routes.push_back(
        {.method = "GET",
         .path = collection,
         .tag = name,
         .summary = "A page of " + name + " in the user's scope, by id",
         .params = {{"after", "query", "integer", false, "the next_after of the previous page"},
                    {"limit", "query", "integer", false, "rows per page, 1-1000 (default 50)"},
                    {"FIELD", "query", "string", false,
                     "any field of the entity: only rows whose field equals this value"}},
         .response = schemas.page,
         .handler = List(spec)});
    routes.push_back({.method = "GET",
                      .path = item,
                      .tag = name,
                      .summary = "One of " + name + "; the ETag is its version",
                      .params = {{"id", "path", "integer", true, "the row's id"}},
                      .response = schemas.row,
                      .handler = Get(spec)});
    if (resource.writers == 0) continue;
    if (resource.plain_post) {
      routes.push_back({.method = "POST",
                        .path = collection,
                        .roles = resource.writers,
                        .tag = name,
                        .summary = "Add one of " + name,
                        .response = schemas.row,
                        .status = 201,
                        .request = schemas.create,
                        .handler = Create(spec)});
    }
    routes.push_back({.method = "PATCH",
                      .path = item,
                      .roles = resource.writers,
                      .tag = name,
                      .summary = "Change fields of one of " + name +
                                 "; with version (or If-Match) only if it is still at that version",
                      .params = {{"id", "path", "integer", true, "the row's id"}},
                      .response = schemas.row,
                      .request = schemas.change,
                      .handler = Update(spec)});
  }
}

}  // namespace tenure::api
