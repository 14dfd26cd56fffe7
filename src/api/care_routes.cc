// Writes with rules of their own: recording a complaint and moving it through
// its statuses (engine/complaints.h), orders with the credit check
// (engine/credit.h), losing and winning back a customer (engine/churn.h), and
// the handover of a departing salesperson's customers (engine/handover.h).
// Each first reads the row through engine/records.h, so the user's scope
// applies (kNotFound outside it) and a given version is checked.
#include "api/json_codec.h"
#include "api/record_io.h"
#include "api/routes.h"
#include "engine/churn.h"
#include "engine/credit.h"
#include "engine/handover.h"
#include "store/workbench_queries.h"

namespace tenure::api {
namespace {

using nlohmann::json;

const domain::EntitySpec& ComplaintSpec() { return domain::SpecOf(domain::Entity::kComplaint); }
const domain::EntitySpec& CustomerSpec() { return domain::SpecOf(domain::Entity::kCustomer); }

// The row at path parameter 0, in the user's scope, at the version the
// request expects (when it names one).
Result<engine::Record> ScopedRow(Context& c, const domain::EntitySpec& spec) {
  auto id = PathId(c.request);
  if (!id.ok()) return id.status();
  auto record = engine::GetRecord(c.db, c.scope, spec, *id);
  if (!record.ok()) return record.status();
  auto version = ExpectedVersion(c.request);
  if (!version.ok()) return version.status();
  if (*version && **version != record->version) {
    return Status::Conflict(std::string(spec.name) + " " + std::to_string(*id) + " is at version " +
                            std::to_string(record->version) + ", not " + std::to_string(**version) +
                            "; read it again");
  }
  return record;
}

Result<Reply> ComplaintReply(Context& c, int64_t id, int status) {
  auto record = engine::GetRecord(c.db, engine::EveryCustomer(), ComplaintSpec(), id);
  if (!record.ok()) return record.status();
  return RecordReply(c, ComplaintSpec(), *record, status);
}

Result<Timestamp> TimeField(Context& c, const std::string& name) {
  auto text = BodyText(c.request, name, false);
  if (!text.ok()) return text.status();
  if (text->empty()) return c.now;
  std::optional<Timestamp> at = ParseTimestamp(*text);
  if (!at) return Status::InvalidArgument("not a time '" + *text + "' (expected ISO 8601)", name);
  return *at;
}

Result<Reply> AddComplaint(Context& c) {
  engine::NewComplaint n;
  auto customer_text = BodyText(c.request, "customer_id", true);
  if (!customer_text.ok()) return customer_text.status();
  n.customer = *customer_text;
  for (auto [name, target, required] : {std::tuple{"kind", &n.kind, false},
                                        {"category", &n.category, true},
                                        {"severity", &n.severity, false},
                                        {"description", &n.description, false},
                                        {"assignee", &n.assignee, false},
                                        {"contact_id", &n.contact, false},
                                        {"external_id", &n.external_id, false}}) {
    auto text = BodyText(c.request, name, required);
    if (!text.ok()) return text.status();
    if (!text->empty()) *target = *text;
  }
  if (n.kind.empty()) n.kind = "complaint";
  if (n.severity.empty()) n.severity = "medium";
  auto opened = TimeField(c, "opened_at");
  if (!opened.ok()) return opened.status();
  n.opened_at = *opened;
  // A service agent takes in complaints about any customer and owns them
  // unless told otherwise; everyone else records them for their own customers.
  const bool service = c.scope.role == domain::UserRole::kService;
  if (service && n.assignee.empty()) n.assignee = c.scope.username;
  auto customer = engine::FindScopedCustomer(c.db, service ? engine::EveryCustomer() : c.scope,
                                             *customer_text, "customer_id");
  if (!customer.ok()) return customer.status();
  n.customer = store::RowKey::Internal(*customer);
  auto added = engine::AddComplaint(c.db, n);
  if (!added.ok()) return added.status();
  return ComplaintReply(c, added->id, 201);
}

// POST /complaints/{id}/{action}.
Handler Move(std::string action) {
  return [action](Context& c) -> Result<Reply> {
    auto row = ScopedRow(c, ComplaintSpec());
    if (!row.ok()) return row.status();
    store::RowKey key = store::RowKey::Internal(row->id);
    // Checked again inside the move's transaction: another move may land
    // between ScopedRow's read and it.
    auto expected = ExpectedVersion(c.request);
    if (!expected.ok()) return expected.status();
    const std::optional<int64_t> version = *expected;
    Result<store::ComplaintRecord> done = Status::Internal("unknown action");
    if (action == "assign") {
      auto user = BodyText(c.request, "assignee", true);
      if (!user.ok()) return user.status();
      done = engine::AssignComplaint(c.db, key, *user, version);
    } else if (action == "status") {
      auto name = BodyText(c.request, "status", true);
      if (!name.ok()) return name.status();
      std::optional<domain::ComplaintStatus> to;
      if (*name == "open") to = domain::ComplaintStatus::kOpen;
      if (*name == "in_progress") to = domain::ComplaintStatus::kInProgress;
      if (!to) {
        return Status::InvalidArgument(
            "expected open or in_progress (resolve, close and reopen have routes of their own)",
            "status");
      }
      done = engine::SetComplaintStatus(c.db, key, *to, version);
    } else if (action == "resolve") {
      auto resolution = BodyText(c.request, "resolution", true);
      if (!resolution.ok()) return resolution.status();
      int satisfaction = 0;
      const json& body = c.request.body;
      if (body.contains("satisfaction") && !body["satisfaction"].is_null()) {
        if (!body["satisfaction"].is_number_integer()) {
          return Status::InvalidArgument("expected a whole number 1-5", "satisfaction");
        }
        satisfaction = body["satisfaction"].get<int>();
      }
      auto at = TimeField(c, "resolved_at");
      if (!at.ok()) return at.status();
      done = engine::ResolveComplaint(c.db, key, *resolution, satisfaction, *at, version);
    } else if (action == "close") {
      done = engine::CloseComplaint(c.db, key, version);
    } else if (action == "reopen") {
      done = engine::ReopenComplaint(c.db, key, version);
    }
    if (!done.ok()) return done.status();
    return ComplaintReply(c, done->id, 200);
  };
}

Result<Reply> AddOrder(Context& c) {
  engine::NewOrder order;
  auto customer = BodyText(c.request, "customer_id", true);
  if (!customer.ok()) return customer.status();
  auto id = engine::FindScopedCustomer(c.db, c.scope, *customer, "customer_id");
  if (!id.ok()) return id.status();
  order.customer = store::RowKey::Internal(*id);
  // Taken by the user unless they name another (CheckAuthor says who may).
  order.user_id = c.scope.user_id;
  auto named = BodyText(c.request, "user_id", false);
  if (!named.ok()) return named.status();
  if (!named->empty()) {
    auto user = store::FindRowId(c.db, domain::SpecOf(domain::Entity::kUser), *named);
    if (!user.ok()) return user.status();
    if (!*user) return Status::InvalidArgument("no user '" + *named + "'", "user_id");
    TENURE_RETURN_IF_ERROR(engine::CheckAuthor(c.db, c.scope, **user, "user_id"));
    order.user_id = **user;
  }
  auto external_id = BodyText(c.request, "external_id", false);
  if (!external_id.ok()) return external_id.status();
  order.external_id = *external_id;
  auto date_text = BodyText(c.request, "order_date", false);
  if (!date_text.ok()) return date_text.status();
  order.order_date = DateOf(c.now);
  if (!date_text->empty()) {
    std::optional<Date> date = ParseIsoDate(*date_text);
    if (!date) return Status::InvalidArgument("not a date (expected YYYY-MM-DD)", "order_date");
    order.order_date = *date;
  }
  // Amounts are in the currency unit, as everywhere in the API.
  auto money = [&](const char* name, bool required) -> Result<std::optional<Money>> {
    const json& body = c.request.body;
    if (!body.contains(name) || body[name].is_null()) {
      if (required) return Status::InvalidArgument("required", name);
      return std::optional<Money>();
    }
    std::string text =
        body[name].is_string() ? body[name].get<std::string>() : JsonText(body[name]);
    std::string error;
    std::optional<Money> value = ParseMoney(text, c.options.currency_decimals, &error);
    if (!value || *value < 0) return Status::InvalidArgument("not an amount '" + text + "'", name);
    return value;
  };
  auto amount = money("amount", true);
  if (!amount.ok()) return amount.status();
  order.amount = **amount;
  auto cost = money("cost", false);
  if (!cost.ok()) return cost.status();
  order.cost = *cost;
  if (c.request.body.contains("quantity") && c.request.body["quantity"].is_number()) {
    order.quantity = c.request.body["quantity"].get<double>();
  }
  order.policy = c.options.credit_policy;
  order.currency_decimals = c.options.currency_decimals;
  auto added = engine::AddOrder(c.db, order);
  if (!added.ok()) return added.status();
  const domain::EntitySpec& spec = domain::SpecOf(domain::Entity::kOrder);
  auto record = engine::GetRecord(c.db, engine::EveryCustomer(), spec, added->order_id);
  if (!record.ok()) return record.status();
  Reply reply = RecordReply(c, spec, *record, 201);
  reply.body["credit_flagged"] = added->flagged;
  return reply;
}

Result<Reply> LoseCustomer(Context& c) {
  auto row = ScopedRow(c, CustomerSpec());
  if (!row.ok()) return row.status();
  engine::LossInput loss;
  loss.customer = store::RowKey::Internal(row->id);
  for (auto [name, target, required] : {std::tuple{"churn_type", &loss.type, true},
                                        {"reasons", &loss.reasons, true},
                                        {"competitor", &loss.competitor, false},
                                        {"notes", &loss.notes, false}}) {
    auto text = BodyText(c.request, name, required);
    if (!text.ok()) return text.status();
    *target = *text;
  }
  auto on = BodyText(c.request, "on", false);
  if (!on.ok()) return on.status();
  loss.on = DateOf(c.now);
  if (!on->empty()) {
    std::optional<Date> date = ParseIsoDate(*on);
    if (!date) return Status::InvalidArgument("not a date (expected YYYY-MM-DD)", "on");
    loss.on = *date;
  }
  loss.recorded_by = c.scope.username;
  auto event = engine::RecordLoss(c.db, loss);
  if (!event.ok()) return event.status();
  return Reply{.status = 201,
               .body = {{"churn_event_id", event->event_id},
                        {"customer_id", event->customer_id},
                        {"on", FormatDate(event->on)}}};
}

Result<Reply> WinBackCustomer(Context& c) {
  auto row = ScopedRow(c, CustomerSpec());
  if (!row.ok()) return row.status();
  engine::WinBackInput back;
  back.customer = store::RowKey::Internal(row->id);
  auto notes = BodyText(c.request, "notes", false);
  if (!notes.ok()) return notes.status();
  back.notes = *notes;
  auto on = BodyText(c.request, "on", false);
  if (!on.ok()) return on.status();
  back.on = DateOf(c.now);
  if (!on->empty()) {
    std::optional<Date> date = ParseIsoDate(*on);
    if (!date) return Status::InvalidArgument("not a date (expected YYYY-MM-DD)", "on");
    back.on = *date;
  }
  back.recorded_by = c.scope.username;
  auto event = engine::RecordWinBack(c.db, back);
  if (!event.ok()) return event.status();
  return Reply{.status = 201,
               .body = {{"churn_event_id", event->event_id},
                        {"customer_id", event->customer_id},
                        {"on", FormatDate(event->on)}}};
}

Result<Reply> Reassign(Context& c) {
  engine::Reassignment r;
  auto to = BodyText(c.request, "to", true);
  if (!to.ok()) return to.status();
  r.to = *to;
  const json& body = c.request.body;
  if (!body.contains("customers") || !body["customers"].is_array() || body["customers"].empty()) {
    return Status::InvalidArgument("expected a list of customer ids", "customers");
  }
  if (body["customers"].size() > 1000) {
    return Status::InvalidArgument("at most 1,000 customers at a time", "customers");
  }
  for (const json& id : body["customers"]) {
    if (!id.is_number_integer())
      return Status::InvalidArgument("expected customer ids", "customers");
    r.customers.push_back(id.get<int64_t>());
  }
  auto reason = BodyText(c.request, "reason", false);
  if (!reason.ok()) return reason.status();
  if (!reason->empty()) r.reason = *reason;
  r.at = c.now;
  auto moved = engine::ReassignCustomers(c.db, c.scope, r);
  if (!moved.ok()) return moved.status();
  return Reply{.body = {{"reassigned", *moved}, {"to", r.to}}};
}

Result<Reply> Handover(Context& c) {
  engine::HandoverOptions options;
  auto from = BodyText(c.request, "from", true);
  if (!from.ok()) return from.status();
  options.from = *from;
  const json& body = c.request.body;
  if (!body.contains("to") || !body["to"].is_array() || body["to"].empty()) {
    return Status::InvalidArgument("expected a list of usernames", "to");
  }
  for (const json& to : body["to"]) {
    if (!to.is_string()) return Status::InvalidArgument("expected usernames", "to");
    options.to.push_back(to.get<std::string>());
  }
  auto method = BodyText(c.request, "method", false);
  if (!method.ok()) return method.status();
  if (!method->empty()) {
    auto parsed = engine::ParseHandoverMethod(*method);
    if (!parsed.ok()) return Status::InvalidArgument(parsed.status().message(), "method");
    options.method = *parsed;
  }
  options.at = c.now;
  auto dry_run = BodyFlag(c.request, "dry_run");
  if (!dry_run.ok()) return dry_run.status();
  options.dry_run = *dry_run;
  auto deactivate = BodyFlag(c.request, "deactivate");
  if (!deactivate.ok()) return deactivate.status();
  options.deactivate = *deactivate;
  if (c.scope.role == domain::UserRole::kManager) {
    // A manager hands over within the team.
    for (const std::string& user : [&] {
           std::vector<std::string> all = options.to;
           all.push_back(options.from);
           return all;
         }()) {
      auto found = store::FindScopeUser(c.db, user);
      if (!found.ok()) return found.status();
      if (*found && (*found)->team_id != c.scope.team_id) {
        return Status::PermissionDenied("user '" + user + "' is not in your team");
      }
    }
  }
  auto plan = engine::RunHandover(c.db, options);
  if (!plan.ok()) return plan.status();
  json receivers = json::array();
  for (const engine::HandoverReceiver& r : plan->receivers) {
    receivers.push_back({{"user", r.user.username},
                         {"customers", r.customers},
                         {"activities", r.activities},
                         {"opportunities", r.opportunities},
                         {"complaints", r.complaints}});
  }
  return Reply{.body = {{"from", plan->from.username},
                        {"customers", plan->assignments.size()},
                        {"receivers", receivers},
                        {"open_items_elsewhere", plan->open_items_elsewhere},
                        {"applied", plan->applied},
                        {"deactivated", plan->deactivated}}};
}

}  // namespace

void AddCareRoutes(std::vector<Route>& routes) {
  constexpr uint8_t kCare = kAdmin | kManager | kService;
  routes.push_back(
      {.method = "POST",
       .path = "/complaints",
       .tag = "complaints",
       .summary = "Record a complaint or demand (a service agent's own unless assigned)",
       .response = "Complaint",
       .status = 201,
       .request = "ComplaintIntake",
       .handler = AddComplaint});
  struct MoveDoc {
    const char* action;
    const char* summary;
    const char* request;  // the body's schema: the action's fields and the version
  };
  const MoveDoc moves[] = {
      {"assign", "Assign a complaint", "ComplaintAssignment"},
      {"status", "Move a complaint between open and in_progress", "ComplaintStatusChange"},
      {"resolve", "Resolve a complaint", "ComplaintResolution"},
      {"close", "Close a resolved complaint", "VersionCheck"},
      {"reopen", "Reopen a resolved or closed complaint", "VersionCheck"},
  };
  for (const MoveDoc& move : moves) {
    routes.push_back({.method = "POST",
                      .path = std::string("/complaints/{id}/") + move.action,
                      .roles = kCare,
                      .tag = "complaints",
                      .summary = move.summary,
                      .params = {{"id", "path", "integer", true, "the complaint's id"}},
                      .response = "Complaint",
                      .request = move.request,
                      .handler = Move(move.action)});
  }
  routes.push_back(
      {.method = "POST",
       .path = "/orders",
       .roles = kAdmin | kManager | kSales,
       .tag = "orders",
       .summary = "Record a completed order (checked against the customer's credit limit)",
       .response = "PlacedOrder",
       .status = 201,
       .request = "OrderIntake",
       .handler = AddOrder});
  routes.push_back({.method = "POST",
                    .path = "/customers/{id}/lost",
                    .roles = kAdmin | kManager | kSales,
                    .tag = "churn",
                    .summary = "Record that a customer was lost, with its type and reasons",
                    .params = {{"id", "path", "integer", true, "the customer's id"}},
                    .response = "ChurnRecorded",
                    .status = 201,
                    .request = "Loss",
                    .handler = LoseCustomer});
  routes.push_back({.method = "POST",
                    .path = "/customers/{id}/won-back",
                    .roles = kAdmin | kManager | kSales,
                    .tag = "churn",
                    .summary = "Record that a lost customer came back",
                    .params = {{"id", "path", "integer", true, "the customer's id"}},
                    .response = "ChurnRecorded",
                    .status = 201,
                    .request = "WinBack",
                    .handler = WinBackCustomer});
  routes.push_back({.method = "POST",
                    .path = "/customers/reassign",
                    .roles = kAdmin | kManager,
                    .tag = "handover",
                    .summary = "Give chosen customers, with their open items, to one salesperson",
                    .response = "Reassigned",
                    .request = "Reassignment",
                    .handler = Reassign});
  routes.push_back(
      {.method = "POST",
       .path = "/handover",
       .roles = kAdmin | kManager,
       .tag = "handover",
       .summary = "Hand a departing salesperson's customers, with their history, to others",
       .response = "Handover",
       .request = "HandoverRequest",
       .handler = Handover});
}

}  // namespace tenure::api
