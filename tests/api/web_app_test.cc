// The web app's files as the server hands them to a browser: index.html for
// every route of the app, hashed assets cached for good and sent compressed,
// security headers on every page, nothing outside the folder; and a browser
// session's writes only with the anti-forgery token.
#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "api/server.h"
#include "engine/accounts.h"
#include "engine/import/importer.h"
#include "store/migrations.h"
#include "testing/import_text.h"
#include "testing/running_server.h"
#include "testing/temp_dir.h"

namespace tenure::api {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "correct horse 42";
constexpr const char* kIndex =
    "<!doctype html><title>Tenure</title><script type=module "
    "src=/assets/index-3f2a9c.js></script>";
constexpr const char* kScript = "console.log('the app, long enough to be worth compressing');";

class WebAppTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    const std::string db_path = dir_->File("web.db");
    {
      auto db = store::OpenStore(db_path);
      ASSERT_TRUE(db.ok()) << db.status().ToString();
      testing::ImportText(**db, *dir_, "teams", "name\nNorth\n");
      testing::ImportText(**db, *dir_, "users", "username,role,team\nalice,sales,North\n");
      testing::ImportText(**db, *dir_, "customers",
                          "customer_id,name,owner,team\nC1,Acme,alice,North\n");
      ASSERT_TRUE(engine::SetPassword(**db, "alice", kPassword).ok());
    }
    web_ = dir_->File("web");
    dir_->Write("web/index.html", kIndex);
    dir_->Write("web/favicon.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>");
    const std::string script = dir_->Write("web/assets/index-3f2a9c.js", kScript);
    ASSERT_EQ(std::system(("gzip -kn9 " + script).c_str()), 0);

    ServerOptions options;
    options.db_path = db_path;
    options.threads = 2;
    options.web_dir = web_;
    auto server = testing::RunningServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = server->release();
  }

  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }

  static httplib::Client Client() {
    httplib::Client client("127.0.0.1", server_->port());
    client.set_read_timeout(30, 0);
    return client;
  }

  static std::string Header(const httplib::Result& r, const std::string& name) {
    return r->has_header(name) ? r->get_header_value(name) : "(none)";
  }

  static testing::TempDir* dir_;
  static std::string web_;
  static testing::RunningServer* server_;
};

testing::TempDir* WebAppTest::dir_ = nullptr;
std::string WebAppTest::web_;
testing::RunningServer* WebAppTest::server_ = nullptr;

TEST_F(WebAppTest, EveryRouteOfTheAppGetsIndexHtmlWithSecurityHeaders) {
  httplib::Client client = Client();
  for (const char* path : {"/", "/index.html", "/customers/42?tab=timeline", "/workbench",
                           "/../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd"}) {
    SCOPED_TRACE(path);
    auto r = client.Get(path);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, kIndex);
    EXPECT_EQ(Header(r, "Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(Header(r, "Cache-Control"), "no-cache");
    const std::string csp = Header(r, "Content-Security-Policy");
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
    EXPECT_EQ(Header(r, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(Header(r, "Referrer-Policy"), "no-referrer");
  }
  // Asked again with its ETag: not modified.
  auto first = client.Get("/");
  ASSERT_TRUE(first);
  const std::string etag = Header(first, "ETag");
  auto again = client.Get("/", {{"If-None-Match", etag}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
}

TEST_F(WebAppTest, HashedAssetsAreImmutableAndSentCompressedToWhoTakesIt) {
  httplib::Client client = Client();
  client.set_decompress(false);
  auto gzipped = client.Get("/assets/index-3f2a9c.js", {{"Accept-Encoding", "gzip, br"}});
  ASSERT_TRUE(gzipped);
  EXPECT_EQ(gzipped->status, 200);
  EXPECT_EQ(Header(gzipped, "Content-Encoding"), "gzip");
  EXPECT_EQ(Header(gzipped, "Vary"), "Accept-Encoding");
  EXPECT_EQ(Header(gzipped, "Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(Header(gzipped, "Cache-Control"), "public, max-age=31536000, immutable");
  ASSERT_GE(gzipped->body.size(), 2u);
  EXPECT_EQ(gzipped->body.substr(0, 2), "\x1f\x8b");  // gzip's magic number

  // Decompressed by a client that takes gzip, it is the file.
  httplib::Client decompressing = Client();
  auto plain = decompressing.Get("/assets/index-3f2a9c.js", {{"Accept-Encoding", "gzip"}});
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->body, kScript);

  // Not to one that does not, or refuses it.
  for (const char* accepted : {"identity", "gzip;q=0, identity", "br"}) {
    SCOPED_TRACE(accepted);
    auto r = client.Get("/assets/index-3f2a9c.js", {{"Accept-Encoding", accepted}});
    ASSERT_TRUE(r);
    EXPECT_EQ(Header(r, "Content-Encoding"), "(none)");
    EXPECT_EQ(r->body, kScript);
  }

  // A missing asset is 404, not the page; the icon is a file of its own.
  auto missing = client.Get("/assets/index-000000.js");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  auto icon = client.Get("/favicon.svg");
  ASSERT_TRUE(icon);
  EXPECT_EQ(Header(icon, "Content-Type"), "image/svg+xml");
  EXPECT_EQ(Header(icon, "Cache-Control"), "no-cache");

  // HEAD: the GET's headers without a body.
  auto head = client.Head("/assets/index-3f2a9c.js");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_TRUE(head->body.empty());
}

TEST_F(WebAppTest, PagesTakeNoWritesAndTheApiIsStillTheApi) {
  httplib::Client client = Client();
  auto post = client.Post("/workbench", "x=1", "application/x-www-form-urlencoded");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(Header(post, "Allow"), "GET, HEAD");
  auto me = client.Get("/api/v1/me");
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 401);
  EXPECT_EQ(json::parse(me->body)["error"]["code"], "unauthenticated");
  auto unknown = client.Get("/api/v1/no-such-route");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(Header(unknown, "Content-Type"), "application/json");
}

TEST_F(WebAppTest, AFolderWithoutTheAppIsRefusedAtStart) {
  ServerOptions options;
  options.db_path = dir_->File("web.db");
  options.port = 0;
  options.web_dir = dir_->File("no-such-folder");
  auto server = Server::Start(options);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().field(), "--web");
  EXPECT_NE(server.status().message().find("no-such-folder"), std::string::npos)
      << server.status().ToString();
}

TEST_F(WebAppTest, ABrowserSessionWritesOnlyWithItsAntiForgeryToken) {
  httplib::Client client = Client();
  auto login =
      client.Post("/api/v1/login", json{{"username", "alice"}, {"password", kPassword}}.dump(),
                  "application/json");
  ASSERT_TRUE(login);
  ASSERT_EQ(login->status, 200) << login->body;
  const std::string cookie = Header(login, "Set-Cookie");
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << cookie;  // plain HTTP
  const std::string session = cookie.substr(0, cookie.find(';'));
  const json logged_in = json::parse(login->body);
  const std::string csrf = logged_in["csrf_token"];
  ASSERT_EQ(csrf.size(), 32u);

  // GET /me gives a reloaded page the same token.
  auto me = client.Get("/api/v1/me", {{"Cookie", session}});
  ASSERT_TRUE(me);
  EXPECT_EQ(json::parse(me->body)["csrf_token"], csrf);

  auto customers = client.Get("/api/v1/customers", {{"Cookie", session}});
  ASSERT_TRUE(customers);
  const int64_t c1 = json::parse(customers->body)["items"][0]["id"];
  const std::string call =
      json{{"customer_id", c1}, {"kind", "call"}, {"occurred_at", "2026-06-30T09:30:00Z"}}.dump();

  // The cookie alone, as a forged request from another site would carry it.
  auto forged = client.Post("/api/v1/activities", {{"Cookie", session}}, call, "application/json");
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403) << forged->body;
  EXPECT_EQ(json::parse(forged->body)["error"]["field"], "X-CSRF-Token");
  // Another session's token does not do either.
  auto other = client.Post("/api/v1/activities",
                           {{"Cookie", session}, {"X-CSRF-Token", engine::CsrfToken("other")}},
                           call, "application/json");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 403) << other->body;
  // With the session's token: written.
  auto written = client.Post("/api/v1/activities", {{"Cookie", session}, {"X-CSRF-Token", csrf}},
                             call, "application/json");
  ASSERT_TRUE(written);
  EXPECT_EQ(written->status, 201) << written->body;
  // A bearer token is no cookie a browser sends by itself: no token needed.
  auto bearer = client.Post("/api/v1/activities",
                            {{"Authorization", "Bearer " + logged_in["token"].get<std::string>()}},
                            call, "application/json");
  ASSERT_TRUE(bearer);
  EXPECT_EQ(bearer->status, 201) << bearer->body;

  // Logging out is a write too; then the cookie is no session.
  auto forged_logout = client.Post("/api/v1/logout", {{"Cookie", session}}, "", "application/json");
  ASSERT_TRUE(forged_logout);
  EXPECT_EQ(forged_logout->status, 403);
  auto logout = client.Post("/api/v1/logout", {{"Cookie", session}, {"X-CSRF-Token", csrf}}, "",
                            "application/json");
  ASSERT_TRUE(logout);
  EXPECT_EQ(logout->status, 200) << logout->body;
  auto after = client.Get("/api/v1/me", {{"Cookie", session}});
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 401);
}

TEST_F(WebAppTest, BehindAnHttpsProxyTheCookieIsSecure) {
  httplib::Client client = Client();
  auto login =
      client.Post("/api/v1/login", {{"X-Forwarded-Proto", "https"}},
                  json{{"username", "alice"}, {"password", kPassword}}.dump(), "application/json");
  ASSERT_TRUE(login);
  ASSERT_EQ(login->status, 200) << login->body;
  EXPECT_NE(Header(login, "Set-Cookie").find("; Secure"), std::string::npos);
}

}  // namespace
}  // namespace tenure::api
