#include "api/openapi_schemas.h"

#include <nlohmann/json.hpp>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/enums.h"
#include "engine/churn.h"
#include "engine/complaints.h"
#include "engine/scope.h"
#include "engine/stats.h"
#include "engine/workbench.h"

namespace tenure::api {
namespace {

using domain::FieldType;
using nlohmann::json;
using Members = std::vector<std::pair<std::string, json>>;

// ------------------------------------------------------------------ helpers

json Type(const char* type) { return {{"type", type}}; }
json Text() { return Type("string"); }
json Integer() { return Type("integer"); }
json Number() { return Type("number"); }
json Boolean() { return Type("boolean"); }
json DateText() { return {{"type", "string"}, {"format", "date"}}; }
json TimeText() { return {{"type", "string"}, {"format", "date-time"}}; }
// Money goes out as a number in the currency unit (MoneyJson).
json Money() { return {{"type", "number"}, {"description", "in the currency unit"}}; }

json Described(json schema, std::string_view description) {
  schema["description"] = description;
  return schema;
}

// Null allowed as well. An enum lists null too: OpenAPI 3.0.3 reads
// `nullable` as adding null to the values, and validators such as ajv check
// `enum` on its own.
json Nullable(json schema) {
  schema["nullable"] = true;
  if (schema.contains("enum")) schema["enum"].push_back(nullptr);
  return schema;
}

json ArrayOf(json items) { return {{"type", "array"}, {"items", std::move(items)}}; }

json EnumOf(std::span<const std::string_view> names) {
  json values = json::array();
  for (std::string_view name : names) values.push_back(name);
  return {{"type", "string"}, {"enum", std::move(values)}};
}
json EnumOf(std::initializer_list<std::string_view> names) {
  return EnumOf(std::span<const std::string_view>(names.begin(), names.size()));
}

json Ref(std::string_view name) { return {{"$ref", "#/components/schemas/" + std::string(name)}}; }

// An object whose keys are data (a level, a severity), each value `values`.
json MapOf(json values) {
  return {{"type", "object"}, {"additionalProperties", std::move(values)}};
}

// An answer: every member of `always` is written every time, those of
// `sometimes` only in some answers; no other member is allowed, so a writer
// that adds or renames one fails the contract test.
json Answer(const Members& always, const Members& sometimes = {}) {
  json properties = json::object();
  json required = json::array();
  for (const auto& [name, schema] : always) {
    properties[name] = schema;
    required.push_back(name);
  }
  for (const auto& [name, schema] : sometimes) properties[name] = schema;
  json out = {
      {"type", "object"}, {"properties", std::move(properties)}, {"additionalProperties", false}};
  if (!required.empty()) out["required"] = std::move(required);
  return out;
}

Members Concat(Members a, const Members& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// A request body: the fields the handler reads, `required` among them. The
// handlers built on BodyText ignore other members; `closed` bodies (the
// records') refuse them.
json Body(const Members& fields, std::vector<std::string> required, bool closed = false) {
  json properties = json::object();
  for (const auto& [name, schema] : fields) properties[name] = schema;
  json out = {{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) out["required"] = std::move(required);
  if (closed) out["additionalProperties"] = false;
  return out;
}

// A field the handler reads with BodyText: text, or a whole number it takes
// as its digits; null or absent is "not given".
json TextField(std::string_view description = {}) {
  json out = {{"anyOf", {Nullable(Text()), Integer()}}};
  if (!description.empty()) out["description"] = description;
  return out;
}

// "version" of a change (ExpectedVersion): the row must still be at it.
json VersionField() {
  return Described(Nullable(Integer()),
                   "change only if the row is still at this version (409 otherwise); or "
                   "If-Match");
}

// ------------------------------------------------------------------ records

struct EntityName {
  domain::Entity entity;
  const char* name;
};
constexpr EntityName kEntityNames[] = {
    {domain::Entity::kTeam, "Team"},
    {domain::Entity::kUser, "User"},
    {domain::Entity::kCustomer, "Customer"},
    {domain::Entity::kContact, "Contact"},
    {domain::Entity::kActivity, "Activity"},
    {domain::Entity::kOpportunity, "Opportunity"},
    {domain::Entity::kQuotation, "Quotation"},
    {domain::Entity::kContract, "Contract"},
    {domain::Entity::kOrder, "Order"},
    {domain::Entity::kInvoice, "Invoice"},
    {domain::Entity::kExpense, "Expense"},
    {domain::Entity::kComplaint, "Complaint"},
    {domain::Entity::kChurnReason, "ChurnReason"},
    {domain::Entity::kChurnEvent, "ChurnEvent"},
    {domain::Entity::kOwnershipChange, "OwnershipChange"},
    {domain::Entity::kProduct, "Product"},
    {domain::Entity::kReturn, "Return"},
    {domain::Entity::kOrderLine, "OrderLine"},
};

std::string RefTarget(const domain::FieldSpec& field) {
  return std::string(domain::SpecOf(field.ref).name);
}

// A field as an answer writes it (EmitValue in json_codec.cc, on the values
// record_queries.cc and entity_table.cc read by the field's type). The
// column is NOT NULL when the field is required or has a default (the
// schema's tables; openapi_test checks it), else the value may be null.
// References are internal ids in a record (RecordJson) and, in the rows of
// the profile (ProfileText), the referenced row's external id or else its id,
// as text.
json FieldAnswer(const domain::FieldSpec& field, bool refs_as_text) {
  json out;
  switch (field.type) {
    case FieldType::kText:
      out = Text();
      break;
    case FieldType::kReasonList:
      out = Described(Text(), "churn reason codes separated by ';'");
      break;
    case FieldType::kDate:
      out = DateText();
      break;
    case FieldType::kTimestamp:
      out = TimeText();
      break;
    case FieldType::kInteger:
      out = Integer();
      break;
    case FieldType::kDecimal:
      out = Number();
      break;
    case FieldType::kMoney:
      out = Money();
      break;
    case FieldType::kBool:
      out = Boolean();
      break;
    case FieldType::kEnum:
      out = EnumOf(field.enum_names);
      break;
    case FieldType::kRef:
      out = refs_as_text ? Described(Text(), "the external id of the row of " + RefTarget(field) +
                                                 ", else its id")
                         : Described(Integer(), "the id of a row of " + RefTarget(field));
      break;
  }
  if (!field.required() && field.default_value.empty()) out = Nullable(std::move(out));
  return out;
}

// A field as FieldsOf (record_io.cc) and engine/records.h's ConvertValue take
// it: text is parsed as an imported cell would be; numbers, true/false and
// null as each type allows.
json FieldInput(const domain::FieldSpec& field) {
  auto either = [](json first, json second, std::string description) {
    return json{{"anyOf", {Nullable(std::move(first)), std::move(second)}},
                {"description", std::move(description)}};
  };
  switch (field.type) {
    case FieldType::kText:
      return Nullable(Text());
    case FieldType::kReasonList:
      return Described(Nullable(Text()), "churn reason codes separated by ';'");
    case FieldType::kDate:
      return Described(Nullable(Text()), "YYYY-MM-DD");
    case FieldType::kTimestamp:
      return either(Text(), Integer(), "UTC time, YYYY-MM-DDTHH:MM:SSZ, or seconds since 1970");
    case FieldType::kInteger:
      return either(Integer(), Text(), "a whole number");
    case FieldType::kDecimal:
      return either(Number(), Text(), "a number");
    case FieldType::kMoney:
      return either(Number(), Text(), "an amount in the currency unit");
    case FieldType::kBool:
      return {{"anyOf",
               {Nullable(Boolean()), Described(Text(), "true, false, yes, no, y, n, t, f, 1 or 0"),
                json{{"type", "integer"}, {"minimum", 0}, {"maximum", 1}}}}};
    case FieldType::kEnum:
      return either(EnumOf(field.enum_names),
                    {{"type", "integer"},
                     {"minimum", 0},
                     {"maximum", static_cast<int64_t>(field.enum_names.size()) - 1}},
                    "the name, or its code");
    case FieldType::kRef:
      return either(Integer(), Text(),
                    "the id of a row of " + RefTarget(field) + ", or its external id as text" +
                        (field.author() ? " (default: you)" : ""));
  }
  return Nullable(Text());
}

// {"id", "external_id", every field, ["version"], "created_at", "updated_at"}.
Members RowMembers(const domain::EntitySpec& spec, bool refs_as_text, bool with_version) {
  Members members = {{"id", Integer()}, {"external_id", Nullable(Text())}};
  for (const domain::FieldSpec& field : spec.fields) {
    members.emplace_back(std::string(field.name), FieldAnswer(field, refs_as_text));
  }
  if (with_version) members.emplace_back("version", Integer());
  members.emplace_back("created_at", TimeText());
  members.emplace_back("updated_at", TimeText());
  return members;
}

// The body of POST (`create`) or PATCH of the entity's records.
json RecordBody(const domain::EntitySpec& spec, bool create) {
  Members fields = {
      {"external_id",
       {{"anyOf", {Nullable(Text()), Integer()}}, {"description", "the id in the outside world"}}}};
  std::vector<std::string> required;
  for (const domain::FieldSpec& field : spec.fields) {
    fields.emplace_back(std::string(field.name), FieldInput(field));
    if (create && field.required() && field.default_value.empty()) {
      required.emplace_back(field.name);
    }
  }
  if (!create) fields.emplace_back("version", VersionField());
  return Body(fields, std::move(required), /*closed=*/true);
}

void AddRecordSchemas(json& schemas) {
  for (const domain::EntitySpec& spec : domain::AllEntities()) {
    RecordSchemaNames names = RecordSchemasOf(spec);
    Members row = RowMembers(spec, /*refs_as_text=*/false, /*with_version=*/true);
    if (spec.entity == domain::Entity::kComplaint) {
      // RecordBody of record_io.cc adds them to every complaint it answers.
      row =
          Concat(std::move(row),
                 {{"deadline", Described(TimeText(), "opened_at + the severity's deadline hours")},
                  {"overdue", Described(Boolean(),
                                        "open or in progress with the deadline before the end "
                                        "of the server's today")}});
    }
    schemas[names.row] = Answer(std::move(row));
    schemas[names.profile] = Answer(RowMembers(spec, /*refs_as_text=*/true, false));
    schemas[names.create] = RecordBody(spec, /*create=*/true);
    schemas[names.change] = RecordBody(spec, /*create=*/false);
    // GET /customers has a list of its own (CustomerPage, below).
    if (spec.entity != domain::Entity::kCustomer) {
      schemas[names.page] = Answer({{"items", ArrayOf(Ref(names.row))},
                                    {"next_after", Described(Nullable(Integer()),
                                                             "the after= of the next page; null "
                                                             "on the last")}});
    }
  }
  // POST /orders answers the order and whether it went over the credit limit.
  const domain::EntitySpec& orders = domain::SpecOf(domain::Entity::kOrder);
  schemas["PlacedOrder"] =
      Answer(Concat(RowMembers(orders, false, true), {{"credit_flagged", Boolean()}}));
}

// ------------------------------------------------------------------ sessions

json Role() { return EnumOf(domain::kUserRoleNames); }

void AddSessionSchemas(json& schemas) {
  schemas["LoginRequest"] =
      Body({{"username", TextField()}, {"password", TextField()}}, {"username", "password"});
  schemas["SessionUser"] = Answer({{"id", Integer()}, {"username", Text()}, {"role", Role()}});
  schemas["Session"] = Answer({{"token", Described(Text(), "send as Authorization: Bearer")},
                               {"expires_at", TimeText()},
                               {"user", Ref("SessionUser")},
                               {"csrf_token", Described(Text(), "send as X-CSRF-Token")}});
  schemas["LoggedOut"] = Answer({{"logged_out", Boolean()}});
  // ScopeJson.
  json kinds = json::array();
  for (auto kind :
       {store::CustomerScope::Kind::kAll, store::CustomerScope::Kind::kOwner,
        store::CustomerScope::Kind::kTeam, store::CustomerScope::Kind::kComplaintAssignee}) {
    engine::Scope scope;
    scope.customers.kind = kind;
    kinds.push_back(scope.kind());
  }
  schemas["Scope"] = Answer({{"kind", {{"type", "string"}, {"enum", kinds}}},
                             {"user", Nullable(Text())},
                             {"role", Role()},
                             {"user_id", Nullable(Integer())},
                             {"team_id", Nullable(Integer())},
                             {"team", Nullable(Text())}});
  schemas["Me"] = Answer({{"user", Ref("SessionUser")},
                          {"expires_at", TimeText()},
                          {"scope", Ref("Scope")},
                          {"csrf_token", Text()}});
  schemas["DemoLogins"] =
      Answer({{"demo", Boolean()},
              {"password", Nullable(Text())},
              {"users", ArrayOf(Answer({{"username", Text()}, {"role", Role()}}))}});
}

// ------------------------------------------------------------------ customers

// ProfileText: the customer's row, its metrics, its scores, every related
// record, its version.
json CustomerProfile() {
  const domain::EntitySpec& customers = domain::SpecOf(domain::Entity::kCustomer);
  Members members = RowMembers(customers, /*refs_as_text=*/true, /*with_version=*/false);
  Members metrics = {{"as_of", DateText()},
                     {"first_order_date", Nullable(DateText())},
                     {"last_order_date", Nullable(DateText())},
                     {"order_count", Integer()},
                     {"order_days", Integer()},
                     {"cumulative_sales", Money()},
                     {"gross_profit", Money()},
                     {"average_purchase_cycle_days", Nullable(Number())},
                     {"next_purchase_date", Nullable(DateText())},
                     {"days_overdue_to_buy", Nullable(Integer())},
                     {"last_contact_at", Nullable(TimeText())},
                     {"days_since_last_contact", Nullable(Integer())},
                     {"receivables", Money()},
                     {"overdue_receivables", Money()},
                     {"oldest_open_due_on", Nullable(DateText())},
                     {"scores", Ref("Scores")},
                     {"risk", Ref("Risk")}};
  members = Concat(std::move(members), metrics);
  // LoadCustomerProfile's sections, in its order.
  for (domain::Entity entity :
       {domain::Entity::kContact, domain::Entity::kActivity, domain::Entity::kOpportunity,
        domain::Entity::kQuotation, domain::Entity::kOrder, domain::Entity::kContract,
        domain::Entity::kInvoice, domain::Entity::kExpense, domain::Entity::kComplaint,
        domain::Entity::kChurnEvent, domain::Entity::kOwnershipChange, domain::Entity::kReturn}) {
    const domain::EntitySpec& spec = domain::SpecOf(entity);
    members.emplace_back(std::string(spec.name), ArrayOf(Ref(RecordSchemasOf(spec).profile)));
  }
  members.emplace_back(
      "products",
      Described(ArrayOf(Answer({{"product_id", Text()},
                                {"name", Text()},
                                {"category", Nullable(Text())},
                                {"quantity", Number()},
                                {"amount", Money()},
                                {"returned", Money()},
                                {"orders", Integer()},
                                {"last_order_date", Nullable(DateText())}})),
                "the products the customer buys (order lines), most sales net of returns first; "
                "at most 20"));
  members.emplace_back("version", Integer());
  return Answer(members);
}

void AddCustomerSchemas(json& schemas) {
  // CustomerRowJson of json_codec.cc.
  schemas["CustomerRow"] = Answer({{"id", Integer()},
                                   {"external_id", Nullable(Text())},
                                   {"name", Text()},
                                   {"type", Nullable(Text())},
                                   {"industry", Nullable(Text())},
                                   {"level", Nullable(Text())},
                                   {"source", Nullable(Text())},
                                   {"province", Nullable(Text())},
                                   {"city", Nullable(Text())},
                                   {"phone", Nullable(Text())},
                                   {"email", Nullable(Text())},
                                   {"status", EnumOf(domain::kCustomerStatusNames)},
                                   {"lead_stage", Nullable(EnumOf(domain::kLeadStageNames))},
                                   {"owner_id", Nullable(Integer())},
                                   {"owner", Nullable(Described(Text(), "the owner's username"))},
                                   {"team_id", Nullable(Integer())},
                                   {"first_order_date", Nullable(DateText())},
                                   {"last_order_date", Nullable(DateText())},
                                   {"next_purchase_date", Nullable(DateText())},
                                   {"order_count", Integer()},
                                   {"cumulative_sales", Money()},
                                   {"gross_profit", Money()},
                                   {"average_purchase_cycle_days", Nullable(Number())},
                                   {"last_contact_at", Nullable(TimeText())},
                                   {"receivables", Money()},
                                   {"version", Integer()},
                                   {"created_at", TimeText()},
                                   {"updated_at", TimeText()},
                                   {"p_alive", Nullable(Number())},
                                   {"clv", Nullable(Money())},
                                   {"model_next_purchase_date", Nullable(DateText())},
                                   {"risk_probability", Nullable(Number())},
                                   {"value_at_risk", Nullable(Money())},
                                   {"health", Nullable(Integer())}});
  schemas["CustomerPage"] =
      Answer({{"items", ArrayOf(Ref("CustomerRow"))},
              {"next_cursor",
               Described(Nullable(Text()), "the after= of the next page; null on the last")}});
  // The purchase-model scores; every one null when the customer is not scored
  // (and a score that is not a finite number is written as null).
  schemas["Scores"] =
      Answer({{"p_alive", Nullable(Number())},
              {"expected_purchases_30", Nullable(Number())},
              {"expected_purchases_90", Nullable(Number())},
              {"expected_purchases_365", Nullable(Number())},
              {"clv", Nullable(Money())},
              {"model_next_purchase_date", Nullable(DateText())},
              {"p_no_purchase_90",
               Described(Nullable(Number()), "the chance of no purchase in the next 90 days")},
              {"scored_at", Nullable(TimeText())},
              {"score_model", Nullable(Text())},
              {"as_of", Nullable(DateText())}});
  // The risk of losing the customer (`tenure risk score`); every member null
  // when the customer is not scored.
  schemas["Risk"] = Answer(
      {{"probability", Described(Nullable(Number()), "of being lost within horizon_days")},
       {"value_at_risk", Described(Nullable(Money()), "CLV x probability")},
       {"health", Described(Nullable(Integer()), "0-100, 100 x (1 - probability)")},
       {"health_month_ago", Nullable(Integer())},
       {"horizon_days", Nullable(Integer())},
       {"as_of", Nullable(DateText())},
       {"reasons", Described(Nullable(ArrayOf(Answer(
                                 {{"reason", Text()}, {"points", Integer()}, {"text", Text()}}))),
                             "up to three, the most health points first")},
       {"history",
        Described(Nullable(ArrayOf(Answer({{"as_of", DateText()}, {"health", Integer()}}))),
                  "the days the health changed, oldest first: from each as_of on, that health")}});
  schemas["CustomerProfile"] = CustomerProfile();
  // CreditFileJson.
  schemas["CreditFile"] =
      Answer({{"customer", Described(Text(), "the customer's external id, else its id")},
              {"name", Text()},
              {"owner", Nullable(Text())},
              {"as_of", DateText()},
              {"invoices", Integer()},
              {"paid", Integer()},
              {"paid_on_time", Integer()},
              {"paid_late", Integer()},
              {"average_days_late", Number()},
              {"max_days_late", Integer()},
              {"late_in_window", Integer()},
              {"open_invoices", Integer()},
              {"open_balance", Money()},
              {"overdue_invoices", Integer()},
              {"overdue_amount", Money()},
              {"oldest_overdue_days", Integer()},
              {"credit_limit", Nullable(Money())},
              {"limit_use", Nullable(Described(Number(), "open balance / credit limit"))},
              {"defaulted_on", Nullable(DateText())},
              {"rating", EnumOf(domain::kCreditRatingNames)},
              {"stored_rating", Nullable(EnumOf(domain::kCreditRatingNames))},
              {"reasons", ArrayOf(Text())}});
  // LoseCustomer and WinBackCustomer (care_routes.cc).
  schemas["Loss"] =
      Body({{"churn_type", TextField("natural, malicious, competition or negligence")},
            {"reasons", TextField("churn reason codes separated by ','")},
            {"competitor", TextField()},
            {"on", TextField("YYYY-MM-DD (default: today)")},
            {"notes", TextField()}},
           {"churn_type", "reasons"});
  schemas["WinBack"] =
      Body({{"on", TextField("YYYY-MM-DD (default: today)")}, {"notes", TextField()}}, {});
  schemas["ChurnRecorded"] =
      Answer({{"churn_event_id", Integer()}, {"customer_id", Integer()}, {"on", DateText()}});
  // Reassign and Handover (care_routes.cc).
  schemas["Reassignment"] = Body({{"customers", json{{"type", "array"},
                                                     {"items", Integer()},
                                                     {"minItems", 1},
                                                     {"maxItems", 1000},
                                                     {"description", "the customers' ids"}}},
                                  {"to", TextField("the receiver's username")},
                                  {"reason", TextField("default: reassigned")}},
                                 {"customers", "to"});
  schemas["Reassigned"] = Answer({{"reassigned", Integer()}, {"to", Text()}});
  schemas["HandoverRequest"] =
      Body({{"from", TextField("the departing user's username")},
            {"to", json{{"type", "array"},
                        {"items", Text()},
                        {"minItems", 1},
                        {"description", "the receivers' usernames"}}},
            {"method", TextField("region or round-robin (default)")},
            {"dry_run", Described(Boolean(), "plan only")},
            {"deactivate", Described(Boolean(), "also disable the departing user")}},
           {"from", "to"});
  schemas["Handover"] = Answer({{"from", Text()},
                                {"customers", Integer()},
                                {"receivers", ArrayOf(Answer({{"user", Text()},
                                                              {"customers", Integer()},
                                                              {"activities", Integer()},
                                                              {"opportunities", Integer()},
                                                              {"complaints", Integer()}}))},
                                {"open_items_elsewhere", Integer()},
                                {"applied", Boolean()},
                                {"deactivated", Boolean()}});
}

// ------------------------------------------------------------------ care

void AddCareSchemas(json& schemas) {
  // AddComplaint.
  schemas["ComplaintIntake"] =
      Body({{"customer_id", TextField("the customer's external id, else its id")},
            {"category", TextField("delivery, billing, ...")},
            {"kind", TextField("complaint (default) or demand")},
            {"severity", TextField("low, medium (default), high or critical")},
            {"description", TextField()},
            {"assignee", TextField("a username (a service agent: default themselves)")},
            {"contact_id", TextField("a contact of the customer")},
            {"opened_at", TextField("ISO time (default: now)")},
            {"external_id", TextField()}},
           {"customer_id", "category"});
  // Move: each action's fields and the version.
  schemas["ComplaintAssignment"] =
      Body({{"assignee", TextField("username")}, {"version", VersionField()}}, {"assignee"});
  schemas["ComplaintStatusChange"] =
      Body({{"status", Described(EnumOf({"open", "in_progress"}),
                                 "resolve, close and reopen have routes of their own")},
            {"version", VersionField()}},
           {"status"});
  schemas["ComplaintResolution"] =
      Body({{"resolution", TextField("what was done")},
            {"satisfaction", Described(Nullable(Integer()), "the customer's satisfaction, 1-5")},
            {"resolved_at", TextField("ISO time (default: now)")},
            {"version", VersionField()}},
           {"resolution"});
  schemas["VersionCheck"] = Body({{"version", VersionField()}}, {});
  // AddOrder.
  auto amount = [](std::string_view description) {
    return json{{"anyOf", {Nullable(Number()), Text()}}, {"description", description}};
  };
  schemas["OrderIntake"] =
      Body({{"customer_id", TextField("the customer's external id, else its id")},
            {"amount", amount("in the currency unit")},
            {"cost", amount("in the currency unit")},
            {"quantity", Described(Nullable(Number()), "taken when a number")},
            {"order_date", TextField("YYYY-MM-DD (default: today)")},
            {"user_id", TextField("who took it, an id or external id (default: you)")},
            {"external_id", TextField()}},
           {"customer_id", "amount"});
}

// ------------------------------------------------------------------ admin

void AddAdminSchemas(json& schemas) {
  schemas["NewAccount"] = Body({{"username", TextField()},
                                {"role", TextField("admin, manager, sales or service")},
                                {"team", TextField("the team's name (a manager needs one)")},
                                {"full_name", TextField()},
                                {"email", TextField()},
                                {"password", TextField("at least 8 characters")}},
                               {"username", "role"});
  // AccountJson of admin_routes.cc.
  schemas["Account"] = Answer({{"id", Integer()},
                               {"username", Text()},
                               {"full_name", Nullable(Text())},
                               {"email", Nullable(Text())},
                               {"role", Role()},
                               {"team", Nullable(Text())},
                               {"active", Boolean()},
                               {"has_password", Boolean()}});
  schemas["NewPassword"] = Body({{"password", TextField("at least 8 characters")}}, {"password"});
  schemas["PasswordSet"] = Answer({{"username", Text()}, {"password_set", Boolean()}});
  schemas["UserDisabled"] = Answer({{"username", Text()}, {"active", Boolean()}});
  // Audit: before and after are the stored JSON of the row, or the stored
  // text when it is not JSON, or null when there is none.
  json snapshot = {
      {"anyOf", {Nullable(json{{"type", "object"}, {"additionalProperties", true}}), Text()}}};
  schemas["AuditEntry"] = Answer({{"id", Integer()},
                                  {"at", TimeText()},
                                  {"user_id", Nullable(Integer())},
                                  {"user", Nullable(Text())},
                                  {"action", Text()},
                                  {"entity", Text()},
                                  {"entity_id", Nullable(Integer())},
                                  {"before", snapshot},
                                  {"after", snapshot}});
  schemas["AuditPage"] =
      Answer({{"items", ArrayOf(Ref("AuditEntry"))},
              {"next_before",
               Described(Nullable(Integer()), "the before= of the next page; null on the last")}});
  schemas["ImportReport"] = Answer(
      {{"entity", Text()},
       {"rows", Integer()},
       {"inserted", Integer()},
       {"updated", Integer()},
       {"unchanged", Integer()},
       {"rejected", Integer()},
       {"customers_created", Integer()},
       {"ignored_columns", ArrayOf(Text())},
       {"rejects",
        ArrayOf(Answer({{"line", Integer()}, {"column", Nullable(Text())}, {"reason", Text()}}))}});
}

// ------------------------------------------------------------------ workbench

Members WorkbenchListMembers() {
  json names = EnumOf(engine::WorkbenchListNames());
  return {{"name", names},
          {"title", Text()},
          {"from", Nullable(DateText())},
          {"to", Nullable(DateText())},
          {"count", Integer()},
          {"rows", ArrayOf(Ref("WorkbenchRow"))}};
}

void AddWorkbenchSchemas(json& schemas) {
  schemas["WorkbenchRow"] = Answer(
      {{"customer_id", Integer()},
       {"external_id", Nullable(Text())},
       {"name", Text()},
       {"owner", Nullable(Text())},
       {"date", Nullable(Described(Text(), "the list's date: an ISO day or time"))},
       {"amount", Nullable(Money())},
       {"note", Described(Nullable(Text()), "playbook_tasks: what to do and why")},
       {"task_id", Described(Nullable(Integer()),
                             "playbook_tasks: the task, for POST /playbook-tasks/{id}/close")},
       {"task_action",
        Described(Nullable(Text()),
                  "playbook_tasks: the task's action (call, escalate, credit_review, renewal,"
                  " introduction, win_back, confirm_loss); a confirm_loss task done with a"
                  " churn_type records the loss")}});
  schemas["PlaybookTaskClose"] = Body(
      {{"outcome", TextField("what came of it, in words (default: done or dismissed)")},
       {"dismiss", Described(Boolean(), "not done: dismissed (default: false)")},
       {"churn_type", TextField("confirm_loss only: natural, malicious, competition or negligence; "
                                "records the loss")},
       {"reasons", TextField("with churn_type: churn reason codes separated by ','")},
       {"on", TextField("with churn_type: the day lost, YYYY-MM-DD (default: today)")}},
      {});
  schemas["PlaybookTask"] = Answer({{"id", Integer()},
                                    {"rule", Text()},
                                    {"customer_id", Integer()},
                                    {"assignee", Nullable(Text())},
                                    {"action", Text()},
                                    {"title", Text()},
                                    {"why", Text()},
                                    {"created_on", DateText()},
                                    {"due_on", DateText()},
                                    {"status", EnumOf({"open", "done", "dismissed"})},
                                    {"closed_at", Nullable(TimeText())},
                                    {"outcome", Text()}});
  // by_year only on the list "lost".
  const Members by_year = {
      {"by_year", ArrayOf(Answer({{"year", Integer()}, {"count", Integer()}}))}};
  schemas["WorkbenchList"] = Answer(WorkbenchListMembers(), by_year);
  schemas["WorkbenchListPage"] = Answer(
      Concat(WorkbenchListMembers(), {{"as_of", DateText()}, {"scope", Ref("Scope")}}), by_year);
  schemas["Workbench"] = Answer(
      {{"as_of", DateText()}, {"scope", Ref("Scope")}, {"lists", ArrayOf(Ref("WorkbenchList"))}});
}

// ------------------------------------------------------------------ reports

// The period names of the churn report and of the complaint report.
json ChurnPeriods() {
  json values = json::array();
  for (auto p :
       {engine::ChurnPeriod::kMonth, engine::ChurnPeriod::kQuarter, engine::ChurnPeriod::kYear}) {
    values.push_back(engine::ChurnPeriodName(p));
  }
  return {{"type", "string"}, {"enum", values}};
}
json ReportPeriods() {
  json values = json::array();
  for (auto p : {engine::ReportPeriod::kMonth, engine::ReportPeriod::kQuarter,
                 engine::ReportPeriod::kYear}) {
    values.push_back(engine::ReportPeriodName(p));
  }
  return {{"type", "string"}, {"enum", values}};
}

Members TeamCounts() {
  return {{"contacts", Integer()},          {"visits", Integer()},
          {"effective", Integer()},         {"high_value", Integer()},
          {"unsuccessful", Integer()},      {"contact_success_rate", Nullable(Number())},
          {"opportunities_won", Integer()}, {"opportunities_lost", Integer()},
          {"win_rate", Nullable(Number())}, {"customers_at_start", Integer()},
          {"customers_lost", Integer()},    {"loss_rate", Nullable(Number())}};
}

void AddReportSchemas(json& schemas) {
  // StatsJson: a group has a key per dimension asked for (by=).
  json dimensions = json::array();
  Members keys;
  for (int d = 0; d <= static_cast<int>(store::StatsDimension::kTeam); ++d) {
    std::string name(engine::DimensionName(static_cast<store::StatsDimension>(d)));
    dimensions.push_back(name);
    keys.emplace_back(name, Described(Text(), "the group's value, (none) when missing"));
  }
  schemas["StatsGroup"] = Answer({{"customers", Integer()},
                                  {"buyers", Integer()},
                                  {"orders", Integer()},
                                  {"sales", Money()},
                                  {"gross_profit", Money()},
                                  {"average_order_value", Nullable(Money())},
                                  {"scored_customers", Integer()},
                                  {"mean_p_alive", Nullable(Number())},
                                  {"expected_purchases_365", Number()},
                                  {"clv", Money()}},
                                 keys);
  schemas["Stats"] = Answer({{"by", ArrayOf({{"type", "string"}, {"enum", dimensions}})},
                             {"from", Nullable(DateText())},
                             {"to", Nullable(DateText())},
                             {"currency", Text()},
                             {"groups", ArrayOf(Ref("StatsGroup"))},
                             {"total", Ref("StatsGroup")}});
  // ParetoJson.
  schemas["Pareto"] = Answer(
      {{"measure", EnumOf({"sales", "profit"})},
       {"currency", Text()},
       {"customers", Integer()},
       {"top20_customers", Integer()},
       {"total", Money()},
       {"top20_value", Money()},
       {"top20_share", Number()},
       {"gini", Number()},
       {"top_customers", ArrayOf(Answer({{"id", Integer()},
                                         {"external_id", Nullable(Text())},
                                         {"name", Text()},
                                         {"value", Money()}}))},
       {"lorenz",
        Described(
            ArrayOf({{"type", "array"}, {"items", Number()}, {"minItems", 2}, {"maxItems", 2}}),
            "[customer share, value share] points")}});
  // LeadsJson, and leads_total of the route.
  schemas["Leads"] = Answer(
      {{"stages", ArrayOf(Text())},
       {"levels", ArrayOf(Text())},
       {"matrix",
        ArrayOf(Answer({{"stage", Text()}, {"counts", MapOf(Integer())}, {"total", Integer()}}))},
       {"level_totals", MapOf(Integer())},
       {"total", Integer()},
       {"leads", ArrayOf(Answer({{"id", Integer()},
                                 {"external_id", Nullable(Text())},
                                 {"name", Text()},
                                 {"status", Text()},
                                 {"stage", Text()},
                                 {"level", Text()},
                                 {"owner", Text()},
                                 {"last_contact", Nullable(DateText())}}))},
       {"leads_total", Integer()}});
  // ChurnReportJson.
  schemas["LossGroup"] = Answer({{"key", Text()},
                                 {"label", Text()},
                                 {"losses", Integer()},
                                 {"share", Number()},
                                 {"cumulative_share", Number()},
                                 {"lost_revenue", Money()}});
  // PlaybookEffectJson.
  schemas["PlaybookReport"] = Answer(
      {{"as_of", DateText()},
       {"horizon_days", Integer()},
       {"rules",
        ArrayOf(Answer({{"rule", Text()},
                        {"tasks", Integer()},
                        {"pending", Described(Integer(), "horizon not over, or open and not due")},
                        {"done", Integer()},
                        {"done_retained", Integer()},
                        {"not_done", Described(Integer(), "dismissed, or open past its due day")},
                        {"not_done_retained", Integer()},
                        {"done_rate", Nullable(Number())},
                        {"not_done_rate", Nullable(Number())},
                        {"difference", Nullable(Number())},
                        {"difference_low", Described(Nullable(Number()), "95 % interval")},
                        {"difference_high", Nullable(Number())}}))}});
  schemas["ChurnReport"] = Answer({{"from", DateText()},
                                   {"to", DateText()},
                                   {"period", ChurnPeriods()},
                                   {"segment", Text()},
                                   {"losses", Integer()},
                                   {"lost_revenue", Money()},
                                   {"reason_mentions", Integer()},
                                   {"periods", ArrayOf(Answer({{"start", DateText()},
                                                               {"end", DateText()},
                                                               {"active_at_start", Integer()},
                                                               {"lost", Integer()},
                                                               {"churn_rate", Nullable(Number())},
                                                               {"lost_revenue", Money()}}))},
                                   {"by_type", ArrayOf(Ref("LossGroup"))},
                                   {"by_reason", ArrayOf(Ref("LossGroup"))},
                                   {"by_owner", ArrayOf(Ref("LossGroup"))},
                                   {"by_segment", ArrayOf(Ref("LossGroup"))}});
  // TeamReportJson: a person's days only with by=day.
  schemas["TeamCounts"] = Answer(TeamCounts());
  schemas["TeamDay"] = Answer(Concat({{"day", DateText()}}, TeamCounts()));
  schemas["TeamMember"] = Answer(Concat({{"user_id", Integer()},
                                         {"username", Text()},
                                         {"full_name", Text()},
                                         {"team", Nullable(Text())}},
                                        TeamCounts()),
                                 {{"days", ArrayOf(Ref("TeamDay"))}});
  schemas["TeamReport"] = Answer({{"from", DateText()},
                                  {"to", DateText()},
                                  {"by", EnumOf({"day", "total"})},
                                  {"people", ArrayOf(Ref("TeamMember"))},
                                  {"total", Ref("TeamCounts")}});
  // ComplaintReportJson: objects keyed by every severity.
  schemas["ResolveTimes"] = Answer({{"resolved", Integer()},
                                    {"mean_hours", Number()},
                                    {"median_hours", Number()},
                                    {"within_deadline", Integer()},
                                    {"rated", Integer()},
                                    {"mean_satisfaction", Nullable(Number())}});
  auto by_severity = [](const json& value) {
    Members members;
    for (std::string_view severity : domain::kSeverityNames) {
      members.emplace_back(std::string(severity), value);
    }
    return Answer(members);
  };
  json kinds = EnumOf(domain::kComplaintKindNames);
  Members opened_by_kind;
  for (std::string_view kind : domain::kComplaintKindNames) {
    opened_by_kind.emplace_back(std::string(kind), Integer());
  }
  schemas["ComplaintReport"] = Answer(
      {{"from", Nullable(DateText())},
       {"to", DateText()},
       {"period", ReportPeriods()},
       {"opened", Integer()},
       {"opened_by_kind", Answer(opened_by_kind)},
       {"time_to_resolve",
        Answer({{"all", Ref("ResolveTimes")}, {"by_severity", by_severity(Ref("ResolveTimes"))}})},
       {"open", Answer({{"total", Integer()},
                        {"overdue", Integer()},
                        {"by_severity", by_severity(Answer({{"deadline_hours", Integer()},
                                                            {"open", Integer()},
                                                            {"overdue", Integer()}}))}})},
       {"by_category",
        ArrayOf(Answer(
            {{"period", Text()}, {"kind", kinds}, {"category", Text()}, {"count", Integer()}}))}});
  // DefaultersJson.
  schemas["Defaulter"] =
      Answer({{"customer", Described(Text(), "the customer's external id, else its id")},
              {"customer_id", Integer()},
              {"name", Text()},
              {"owner", Nullable(Text())},
              {"overdue_amount", Money()},
              {"receivables", Money()},
              {"oldest_overdue_days", Integer()},
              {"oldest_due_on", DateText()},
              {"last_order_date", Nullable(DateText())},
              {"days_since_last_order", Nullable(Integer())},
              {"days_since_last_contact", Nullable(Integer())},
              {"still_orders", Boolean()},
              {"rating", EnumOf(domain::kCreditRatingNames)}});
  schemas["Defaulters"] = Answer(
      {{"as_of", DateText()}, {"min_days", Integer()}, {"defaulters", ArrayOf(Ref("Defaulter"))}});
}

// ------------------------------------------------------------------ the rest

void AddMetaSchemas(json& schemas) {
  // ErrorJson of server.cc: every error.
  schemas["Error"] = Answer(
      {{"error", Answer({{"code", Text()}, {"message", Text()}, {"field", Nullable(Text())}})}});
  // OpenApiDocument's own top level.
  json object = {{"type", "object"}, {"additionalProperties", true}};
  schemas["OpenApiDocument"] = Answer({{"openapi", EnumOf({"3.0.3"})},
                                       {"info", object},
                                       {"servers", ArrayOf(object)},
                                       {"security", ArrayOf(object)},
                                       {"components", object},
                                       {"paths", object}});
}

json BuildSchemas() {
  json schemas = json::object();
  AddRecordSchemas(schemas);
  AddSessionSchemas(schemas);
  AddCustomerSchemas(schemas);
  AddCareSchemas(schemas);
  AddAdminSchemas(schemas);
  AddWorkbenchSchemas(schemas);
  AddReportSchemas(schemas);
  AddMetaSchemas(schemas);
  return schemas;
}

}  // namespace

const json& ComponentSchemas() {
  static const json schemas = BuildSchemas();
  return schemas;
}

RecordSchemaNames RecordSchemasOf(const domain::EntitySpec& spec) {
  std::string name = "Record";
  for (const EntityName& e : kEntityNames) {
    if (e.entity == spec.entity) name = e.name;
  }
  return {name, name + "Page", "New" + name, name + "Changes", "Profile" + name};
}

}  // namespace tenure::api
