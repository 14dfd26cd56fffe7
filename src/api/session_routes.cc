// POST /login, POST /logout, GET /me, GET /demo-logins.
#include "api/json_codec.h"
#include "api/routes.h"
#include "domain/enums.h"
#include "engine/demo.h"

namespace tenure::api {
namespace {

using nlohmann::json;

// The session cookie: Secure when the server says so or the request came
// over HTTPS through a proxy (a browser on plain HTTP would not send it back).
std::string Cookie(const Context& c, const std::string& token, int64_t max_age) {
  std::string cookie = "tenure_session=" + token +
                       "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age);
  if (c.options.secure_cookie || c.request.forwarded_https) cookie += "; Secure";
  return cookie;
}

Result<Reply> Login(Context& c) {
  auto username = BodyText(c.request, "username", true);
  if (!username.ok()) return username.status();
  auto password = BodyText(c.request, "password", true);
  if (!password.ok()) return password.status();
  auto session =
      engine::Login(c.db, *username, *password, c.request.client, c.now, c.options.sessions);
  if (!session.ok()) return session.status();
  Reply reply;
  reply.body = {{"token", session->token},
                {"expires_at", FormatTimestamp(session->expires_at)},
                {"user",
                 {{"id", session->user_id},
                  {"username", session->username},
                  {"role", domain::NameOf(domain::kUserRoleNames, session->role)}}},
                {"csrf_token", engine::CsrfToken(session->token)}};
  reply.headers.emplace_back("Set-Cookie", Cookie(c, session->token, session->expires_at - c.now));
  return reply;
}

Result<Reply> Logout(Context& c) {
  Status status = engine::Logout(c.db, c.request.token);
  if (!status.ok()) return status;
  Reply reply;
  reply.body = {{"logged_out", true}};
  reply.headers.emplace_back("Set-Cookie", Cookie(c, "", 0));
  return reply;
}

Result<Reply> Me(Context& c) {
  Reply reply;
  reply.body = {{"user",
                 {{"id", c.session->user_id},
                  {"username", c.session->username},
                  {"role", domain::NameOf(domain::kUserRoleNames, c.session->role)}}},
                {"expires_at", FormatTimestamp(c.session->expires_at)},
                {"scope", ScopeJson(c.scope)},
                {"csrf_token", engine::CsrfToken(c.request.token)}};
  return reply;
}

// What the login page of a demo company shows; nothing for a real one.
Result<Reply> DemoLogins(Context& c) {
  auto logins = engine::LoadDemoLogins(c.db);
  if (!logins.ok()) return logins.status();
  json users = json::array();
  for (const auto& [username, role] : logins->users) {
    users.push_back(
        {{"username", username}, {"role", domain::NameOf(domain::kUserRoleNames, role)}});
  }
  return Reply{
      .body = {{"demo", logins->demo},
               {"password", logins->password.empty() ? json(nullptr) : json(logins->password)},
               {"users", std::move(users)}}};
}

}  // namespace

void AddSessionRoutes(std::vector<Route>& routes) {
  routes.push_back(
      {.method = "POST",
       .path = "/login",
       .is_public = true,
       .tag = "session",
       .summary =
           "Log in: returns a bearer token and the anti-forgery token, and sets the session cookie",
       .response = "Session",
       .request = "LoginRequest",
       .handler = Login});
  routes.push_back({.method = "GET",
                    .path = "/demo-logins",
                    .is_public = true,
                    .tag = "session",
                    .summary = "On a demo company (tenure demo): one login per role and their "
                               "password, for the login page; on any other database, none",
                    .response = "DemoLogins",
                    .handler = DemoLogins});
  routes.push_back({.method = "POST",
                    .path = "/logout",
                    .tag = "session",
                    .summary = "End the session the request carries",
                    .response = "LoggedOut",
                    .handler = Logout});
  routes.push_back(
      {.method = "GET",
       .path = "/me",
       .tag = "session",
       .summary =
           "The logged-in user, the session's end, the user's scope and the anti-forgery token",
       .response = "Me",
       .handler = Me});
}

}  // namespace tenure::api
