// Users (add, password, disable), the audit log, CSV imports and CSV/XLSX
// exports.
#include <fstream>

#include "api/json_codec.h"
#include "api/routes.h"
#include "domain/enums.h"
#include "engine/exporter.h"
#include "engine/import/importer.h"
#include "store/audit_queries.h"

namespace tenure::api {
namespace {

using nlohmann::json;

const domain::EntitySpec& UserSpec() { return domain::SpecOf(domain::Entity::kUser); }

json AccountJson(const engine::UserAccount& u) {
  return {{"id", u.id},
          {"username", u.username},
          {"full_name", u.full_name.empty() ? json(nullptr) : json(u.full_name)},
          {"email", u.email.empty() ? json(nullptr) : json(u.email)},
          {"role", domain::NameOf(domain::kUserRoleNames, u.role)},
          {"team", u.team.empty() ? json(nullptr) : json(u.team)},
          {"active", u.active},
          {"has_password", u.has_password}};
}

Result<Reply> AddUser(Context& c) {
  engine::NewUser user;
  for (auto [name, target, required] : {std::tuple{"username", &user.username, true},
                                        {"full_name", &user.full_name, false},
                                        {"email", &user.email, false},
                                        {"team", &user.team, false},
                                        {"password", &user.password, false}}) {
    auto text = BodyText(c.request, name, required);
    if (!text.ok()) return text.status();
    *target = *text;
  }
  auto role = BodyText(c.request, "role", true);
  if (!role.ok()) return role.status();
  std::optional<int> code = domain::ParseEnumName(domain::kUserRoleNames, *role);
  if (!code) {
    return Status::InvalidArgument("expected admin, manager, sales or service", "role");
  }
  user.role = static_cast<domain::UserRole>(*code);
  auto added = engine::AddUser(c.db, user);
  if (!added.ok()) return added.status();
  return Reply{.status = 201, .body = AccountJson(*added)};
}

// The username of the user at path parameter 0.
Result<std::string> UsernameAt(Context& c) {
  auto id = PathId(c.request);
  if (!id.ok()) return id.status();
  auto record = engine::GetRecord(c.db, c.scope, UserSpec(), *id);
  if (!record.ok()) return record.status();
  size_t field = *UserSpec().FieldIndex("username");
  return std::get<std::string>(record->values[field]);
}

Result<Reply> SetPassword(Context& c) {
  auto username = UsernameAt(c);
  if (!username.ok()) return username.status();
  auto password = BodyText(c.request, "password", true);
  if (!password.ok()) return password.status();
  Status status = engine::SetPassword(c.db, *username, *password);
  if (!status.ok()) return status;
  return Reply{.body = {{"username", *username}, {"password_set", true}}};
}

Result<Reply> Disable(Context& c) {
  auto username = UsernameAt(c);
  if (!username.ok()) return username.status();
  if (*username == c.scope.username) {
    return Status::InvalidArgument("you cannot disable yourself", "id");
  }
  Status status = engine::DisableUser(c.db, *username);
  if (!status.ok()) return status;
  return Reply{.body = {{"username", *username}, {"active", false}}};
}

Result<Reply> Audit(Context& c) {
  store::AuditQuery query;
  // An administrator reads every entry; everyone else those of their scope.
  if (c.scope.role != domain::UserRole::kAdmin) {
    query.reader = store::AuditReader{
        .customers = c.scope.customers,
        .user_id = c.scope.user_id.value_or(0),
        .team_id = c.scope.role == domain::UserRole::kManager ? c.scope.team_id : std::nullopt};
  }
  query.entity = QueryParam(c.request, "entity").value_or("");
  auto entity_id = IntParam(c.request, "entity_id", 0, 0, INT64_MAX);
  if (!entity_id.ok()) return entity_id.status();
  if (*entity_id) query.entity_id = *entity_id;
  auto user_id = IntParam(c.request, "user_id", 0, 0, INT64_MAX);
  if (!user_id.ok()) return user_id.status();
  if (*user_id) query.user_id = *user_id;
  auto before = IntParam(c.request, "before", 0, 0, INT64_MAX);
  if (!before.ok()) return before.status();
  query.before_id = *before;
  auto limit = IntParam(c.request, "limit", 50, 1, 1000);
  if (!limit.ok()) return limit.status();
  query.limit = static_cast<int>(*limit);
  auto entries = store::ReadAuditLog(c.db, query);
  if (!entries.ok()) return entries.status();
  auto parsed = [](const std::string& text) {
    if (text.empty()) return json(nullptr);
    json j = json::parse(text, nullptr, false);
    return j.is_discarded() ? json(text) : j;
  };
  json items = json::array();
  for (const store::AuditEntry& e : *entries) {
    items.push_back({{"id", e.id},
                     {"at", FormatTimestamp(e.at)},
                     {"user_id", e.user_id ? json(*e.user_id) : json(nullptr)},
                     {"user", e.username.empty() ? json(nullptr) : json(e.username)},
                     {"action", e.action},
                     {"entity", e.entity},
                     {"entity_id", e.entity_id ? json(*e.entity_id) : json(nullptr)},
                     {"before", parsed(e.before_json)},
                     {"after", parsed(e.after_json)}});
  }
  json next =
      static_cast<int>(entries->size()) == query.limit ? json(entries->back().id) : json(nullptr);
  return Reply{.body = {{"items", std::move(items)}, {"next_before", next}}};
}

const domain::EntitySpec* EntityAt(Context& c) {
  return domain::FindEntity(c.request.path_params.at(0));
}

Result<Reply> Import(Context& c) {
  const domain::EntitySpec* spec = EntityAt(c);
  if (!spec) return Status::NotFound("no entity '" + c.request.path_params.at(0) + "'", "entity");
  if (c.request.raw_body.empty()) {
    return Status::InvalidArgument("send the CSV file as the body", "body");
  }
  TempFile file(".csv");
  if (file.path().empty()) return Status::IoError("cannot create a temporary file");
  {
    std::ofstream out(file.path(), std::ios::binary);
    out.write(c.request.raw_body.data(), static_cast<std::streamsize>(c.request.raw_body.size()));
    if (!out) return Status::IoError("cannot write " + file.path());
  }
  engine::ImportOptions options;
  options.path = file.path();
  options.spec = spec;
  options.date_format = QueryParam(c.request, "date_format").value_or("");
  options.create_customers = QueryParam(c.request, "create_customers").value_or("") == "true";
  options.currency_decimals = c.options.currency_decimals;
  auto report = engine::ImportCsv(c.db, options);
  if (!report.ok()) {
    // The engine names the temporary file; the client knows it as the body.
    Status s = report.status();
    if (s.code() == Status::Code::kInvalidArgument) {
      std::string message = s.message();
      for (size_t at = message.find(file.path()); at != std::string::npos;
           at = message.find(file.path())) {
        message.replace(at, file.path().size(), "the CSV");
      }
      return Status::InvalidArgument(message, s.field().empty() ? "body" : s.field());
    }
    return s;
  }
  json rejects = json::array();
  for (const engine::RejectedRow& r : report->rejects) {
    rejects.push_back({{"line", r.line},
                       {"column", r.column.empty() ? json(nullptr) : json(r.column)},
                       {"reason", r.reason}});
  }
  return Reply{.body = {{"entity", spec->name},
                        {"rows", report->rows},
                        {"inserted", report->inserted},
                        {"updated", report->updated},
                        {"unchanged", report->unchanged},
                        {"rejected", report->rejected},
                        {"customers_created", report->customers_created},
                        {"ignored_columns", report->ignored_columns},
                        {"rejects", rejects}}};
}

Result<Reply> Export(Context& c) {
  const domain::EntitySpec* spec = EntityAt(c);
  if (!spec) return Status::NotFound("no entity '" + c.request.path_params.at(0) + "'", "entity");
  std::string format = QueryParam(c.request, "format").value_or("csv");
  if (format != "csv" && format != "xlsx") {
    return Status::InvalidArgument("expected csv or xlsx", "format");
  }
  TempFile file("." + format);
  if (file.path().empty()) return Status::IoError("cannot create a temporary file");
  engine::ExportOptions options;
  options.spec = spec;
  options.format = format == "csv" ? engine::ExportFormat::kCsv : engine::ExportFormat::kXlsx;
  options.out_path = file.path();
  options.currency_decimals = c.options.currency_decimals;
  auto rows = engine::ExportEntity(c.db, options);
  if (!rows.ok()) return rows.status();
  auto reply = DownloadReply(file.path(), format, std::string(spec->name) + "." + format);
  if (!reply.ok()) return reply.status();
  reply->headers.emplace_back("X-Rows", std::to_string(*rows));
  return reply;
}

}  // namespace

void AddAdminRoutes(std::vector<Route>& routes) {
  routes.push_back({.method = "POST",
                    .path = "/users",
                    .roles = kAdmin,
                    .tag = "users",
                    .summary = "Add a user who can log in",
                    .response = "Account",
                    .status = 201,
                    .request = "NewAccount",
                    .handler = AddUser});
  routes.push_back({.method = "POST",
                    .path = "/users/{id}/password",
                    .roles = kAdmin,
                    .tag = "users",
                    .summary = "Set a user's password (ends their sessions)",
                    .params = {{"id", "path", "integer", true, "the user's id"}},
                    .response = "PasswordSet",
                    .request = "NewPassword",
                    .handler = SetPassword});
  routes.push_back({.method = "POST",
                    .path = "/users/{id}/disable",
                    .roles = kAdmin,
                    .tag = "users",
                    .summary = "Disable a user (ends their sessions)",
                    .params = {{"id", "path", "integer", true, "the user's id"}},
                    .response = "UserDisabled",
                    .handler = Disable});
  routes.push_back(
      {.method = "GET",
       .path = "/audit",
       .tag = "audit",
       .summary = "The audit log, newest first: who changed what, when, before and after. An "
                  "administrator reads every entry; others the entries of the customers they "
                  "see and their records, of their own account and (a manager) of their team's "
                  "accounts; logins of others only an administrator",
       .params = {{"entity", "query", "string", false, "only this table's entries"},
                  {"entity_id", "query", "integer", false, "only this row's entries"},
                  {"user_id", "query", "integer", false, "only this user's entries"},
                  {"before", "query", "integer", false, "the next_before of the previous page"},
                  {"limit", "query", "integer", false, "1-1000 (default 50)"}},
       .response = "AuditPage",
       .handler = Audit});
  routes.push_back(
      {.method = "POST",
       .path = "/imports/{entity}",
       .roles = kAdmin,
       .tag = "imports",
       .summary = "Import a CSV file (the body, text/csv); returns the counts and the rejects",
       .params = {{"entity", "path", "string", true, "customers, orders, contacts, ..."},
                  {"date_format", "query", "string", false, "strptime format of the dates"},
                  {"create_customers", "query", "boolean", false,
                   "create unknown customers named by the rows"}},
       .response = "ImportReport",
       .request_type = "text/csv",
       .handler = Import});
  routes.push_back({.method = "GET",
                    .path = "/exports/{entity}",
                    .roles = kAdmin,
                    .tag = "exports",
                    .summary = "Download every row of an entity as CSV or XLSX",
                    .params = {{"entity", "path", "string", true, "customers, orders, ..."},
                               {"format", "query", "string", false, "csv (default) or xlsx"}},
                    .downloads = {kCsvType, kXlsxType},
                    .handler = Export});
}

}  // namespace tenure::api
