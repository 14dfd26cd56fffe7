// The server through real HTTP on 127.0.0.1 (an ephemeral port), on a small
// hand-built company whose scopes are known:
//
//   customer  owner  team     complaints (assignee)
//   C1 Acme   alice  North    K1 (sam)
//   C2 Bolt   alice  North
//   C3 Cask   bob    North    K2 (sam)
//   C4 Dune   carol  South    K3 (nobody)
//
// Logins: root (admin), mgr_n (manager of North), alice (sales, North),
// sam (service). So alice sees C1 C2, mgr_n C1 C2 C3, sam C1 C3, root all.
//
// For the reports: orders in 2025 (C1 100 + 50, C3 300, C4 1000), lead
// stages (C2 qualified, C4 proposal), unpaid invoices due early 2025 (C1 500,
// C4 200).
#include "api/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <tuple>

#include "api/routes.h"
#include "engine/accounts.h"
#include "engine/import/importer.h"
#include "store/migrations.h"
#include "store/score_queries.h"
#include "testing/import_text.h"
#include "testing/running_server.h"
#include "testing/temp_dir.h"

namespace tenure::api {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "correct horse 42";

struct Response {
  int status = 0;
  json body;
  httplib::Headers headers;
  std::string raw;
};

class ApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    std::string path = dir_->File("api.db");
    {
      auto db = store::OpenStore(path);
      ASSERT_TRUE(db.ok()) << db.status().ToString();
      auto import = [&](const std::string& entity, const std::string& csv) {
        testing::ImportText(**db, *dir_, entity, csv);
      };
      import("teams", "name\nNorth\nSouth\n");
      import("users",
             "username,role,team\nroot,admin,\nmgr_n,manager,North\nalice,sales,North\n"
             "bob,sales,North\ncarol,sales,South\nsam,service,North\n");
      import("customers",
             "customer_id,name,owner,team,status,phone,email,lead_stage\n"
             "C1,Acme,alice,North,active,555-0101,buy@acme.example,\n"
             "C2,Bolt,alice,North,active,,,qualified\nC3,Cask,bob,North,active,,,\n"
             "C4,Dune,carol,South,active,,,proposal\n");
      import("orders",
             "order_id,customer_id,order_date,amount,cost\n"
             "R1,C1,2025-03-01,100.00,60.00\nR2,C1,2025-04-01,50.00,20.00\n"
             "R3,C3,2025-05-01,300.00,\nR4,C4,2025-06-01,1000.00,\n");
      import("invoices",
             "invoice_id,customer_id,issued_on,due_on,amount\n"
             "V1,C1,2025-01-01,2025-01-31,500.00\nV2,C4,2025-02-01,2025-02-28,200.00\n");
      import("contacts", "customer_id,name,email\nC2,Zelda Quux,zelda@bolt.example\n");
      import("complaints",
             "complaint_id,customer_id,category,severity,assignee,opened_at\n"
             "K1,C1,delivery,high,sam,2026-06-01\nK2,C3,billing,low,sam,2026-06-02\n"
             "K3,C4,quality,medium,,2026-06-03\n");
      // A scoring run's figures for C1, C3 and C4 (C2 has no order, no score).
      {
        store::Transaction tx(**db);
        ASSERT_TRUE(tx.status().ok());
        auto writer = store::ScoreWriter::Begin(**db, {.scored_at = 1, .model = "bgnbd"});
        ASSERT_TRUE(writer.ok()) << writer.status().ToString();
        for (auto [customer, p_alive, clv] :
             {std::tuple{"C1", 0.9, 120000}, {"C3", 0.3, 40000}, std::tuple{"C4", 0.6, 250000}}) {
          auto id = (*db)->Prepare("SELECT id FROM customers WHERE external_id = ?1");
          ASSERT_TRUE(id.ok());
          (*id)->BindText(1, customer);
          Result<bool> row = (*id)->Step();
          ASSERT_TRUE(row.ok() && *row) << customer;
          Status s = (*writer)->Write(
              (*id)->Int(0),
              {.p_alive = p_alive, .clv = clv, .model_next_purchase_date = "2026-07-01"});
          ASSERT_TRUE(s.ok()) << s.ToString();
        }
        ASSERT_TRUE((*writer)->Finish().ok());
        ASSERT_TRUE(tx.Commit().ok());
      }
      for (const char* user : {"root", "mgr_n", "alice", "bob", "sam"}) {
        Status s = engine::SetPassword(**db, user, kPassword);
        ASSERT_TRUE(s.ok()) << s.ToString();
      }
    }
    ServerOptions options;
    options.db_path = path;
    options.threads = 4;
    options.max_body_bytes = 64 * 1024;
    options.busy_timeout_ms = 300;
    auto server = testing::RunningServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = server->release();
    for (const char* user : {"root", "mgr_n", "alice", "sam"}) tokens_[user] = Login(user);
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

  // Sends a request as `user` ("" for nobody).
  static Response Send(const std::string& method, const std::string& path, const std::string& user,
                       const json& body = nullptr, httplib::Headers headers = {}) {
    if (!user.empty()) headers.emplace("Authorization", "Bearer " + tokens_.at(user));
    return SendRaw(method, path, body.is_null() ? "" : body.dump(), "application/json", headers);
  }

  static Response SendRaw(const std::string& method, const std::string& path,
                          const std::string& body, const std::string& content_type,
                          const httplib::Headers& headers) {
    httplib::Client client = Client();
    std::string url = "/api/v1" + path;
    httplib::Result r = method == "GET"     ? client.Get(url, headers)
                        : method == "POST"  ? client.Post(url, headers, body, content_type)
                        : method == "PATCH" ? client.Patch(url, headers, body, content_type)
                                            : client.Delete(url, headers, body, content_type);
    Response out;
    if (!r) {
      ADD_FAILURE() << method << " " << path << ": no response";
      return out;
    }
    out.status = r->status;
    out.headers = r->headers;
    out.raw = r->body;
    out.body = json::parse(r->body, nullptr, false);
    return out;
  }

  // Writes `request` as it is to a new connection and returns the reply's
  // status and body (0 when no reply came): for what httplib's client never
  // sends, such as a POST without Content-Length.
  static std::pair<int, std::string> SendBytes(const std::string& request) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    timeval timeout{.tv_sec = 30, .tv_usec = 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(server_->port()));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string reply;
    if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size())) {
      char buffer[4096];
      for (ssize_t n; (n = recv(fd, buffer, sizeof buffer, 0)) > 0;) reply.append(buffer, n);
    }
    close(fd);
    int status = 0;
    std::sscanf(reply.c_str(), "HTTP/1.1 %d", &status);
    size_t body = reply.find("\r\n\r\n");
    return {status, body == std::string::npos ? "" : reply.substr(body + 4)};
  }

  static std::string Login(const std::string& user) {
    Response r = SendRaw("POST", "/login", json{{"username", user}, {"password", kPassword}}.dump(),
                         "application/json", {});
    EXPECT_EQ(r.status, 200) << user << ": " << r.raw;
    return r.body.value("token", "");
  }

  // The external ids of the customers `user` sees through GET /customers.
  static std::set<std::string> Customers(const std::string& user) {
    Response r = Send("GET", "/customers?limit=1000", user);
    EXPECT_EQ(r.status, 200) << r.raw;
    std::set<std::string> ids;
    for (const json& c : r.body["items"]) ids.insert(c["external_id"].get<std::string>());
    return ids;
  }

  static int64_t IdOf(const std::string& entity, const std::string& external_id) {
    Response r = Send("GET", "/" + entity + "?external_id=" + external_id, "root");
    EXPECT_EQ(r.status, 200) << r.raw;
    if (r.body["items"].empty()) return 0;
    return r.body["items"][0]["id"].get<int64_t>();
  }

  static int64_t CustomerId(const std::string& external_id) {
    Response r = Send("GET", "/customers?limit=1000", "root");
    for (const json& c : r.body["items"]) {
      if (c["external_id"] == external_id) return c["id"].get<int64_t>();
    }
    ADD_FAILURE() << "no customer " << external_id;
    return 0;
  }

  static void ExpectError(const Response& r, int status, const std::string& code,
                          const std::string& field = "") {
    EXPECT_EQ(r.status, status) << r.raw;
    ASSERT_TRUE(r.body.is_object() && r.body.contains("error")) << r.raw;
    EXPECT_EQ(r.body["error"]["code"], code) << r.raw;
    EXPECT_TRUE(r.body["error"]["message"].is_string()) << r.raw;
    if (!field.empty()) {
      EXPECT_EQ(r.body["error"]["field"], field) << r.raw;
    }
  }

  static testing::TempDir* dir_;
  static testing::RunningServer* server_;
  static std::map<std::string, std::string> tokens_;
};

testing::TempDir* ApiTest::dir_ = nullptr;
testing::RunningServer* ApiTest::server_ = nullptr;
std::map<std::string, std::string> ApiTest::tokens_;

// Who may use each route: A admin, M manager, S sales, V service; "public"
// for routes that need no login. Written out here, apart from the server's
// own table, so a change of either shows.
const std::map<std::string, std::string> kExpectedRoles = {
    {"POST /login", "public"},
    {"POST /logout", "AMSV"},
    {"GET /me", "AMSV"},
    {"GET /demo-logins", "public"},
    {"GET /customers", "AMSV"},
    {"POST /customers", "AMS"},
    {"GET /customers/{id}", "AMSV"},
    {"PATCH /customers/{id}", "AMS"},
    {"GET /customers/{id}/credit", "AMSV"},
    {"POST /customers/reassign", "AM"},
    {"POST /customers/{id}/lost", "AMS"},
    {"POST /customers/{id}/won-back", "AMS"},
    {"GET /workbench", "AMSV"},
    {"GET /workbench/{list}", "AMSV"},
    {"POST /playbook-tasks/{id}/close", "AMS"},
    {"POST /complaints", "AMSV"},
    {"POST /complaints/{id}/assign", "AMV"},
    {"POST /complaints/{id}/status", "AMV"},
    {"POST /complaints/{id}/resolve", "AMV"},
    {"POST /complaints/{id}/close", "AMV"},
    {"POST /complaints/{id}/reopen", "AMV"},
    {"POST /orders", "AMS"},
    {"POST /handover", "AM"},
    {"POST /users", "A"},
    {"POST /users/{id}/password", "A"},
    {"POST /users/{id}/disable", "A"},
    {"GET /audit", "AMSV"},
    {"POST /imports/{entity}", "A"},
    {"GET /exports/{entity}", "A"},
    {"GET /stats", "AMS"},
    {"GET /stats/pareto", "AMS"},
    {"GET /stats/leads", "AMS"},
    {"GET /reports/churn", "AM"},
    {"GET /reports/playbooks", "AM"},
    {"GET /reports/team", "AMS"},
    {"GET /reports/complaints", "AMV"},
    {"GET /reports/defaulters", "AMS"},
    {"GET /contacts", "AMSV"},
    {"GET /contacts/{id}", "AMSV"},
    {"POST /contacts", "AMSV"},
    {"PATCH /contacts/{id}", "AMSV"},
    {"GET /activities", "AMSV"},
    {"GET /activities/{id}", "AMSV"},
    {"POST /activities", "AMSV"},
    {"PATCH /activities/{id}", "AMSV"},
    {"GET /opportunities", "AMSV"},
    {"GET /opportunities/{id}", "AMSV"},
    {"POST /opportunities", "AMS"},
    {"PATCH /opportunities/{id}", "AMS"},
    {"GET /quotations", "AMSV"},
    {"GET /quotations/{id}", "AMSV"},
    {"POST /quotations", "AMS"},
    {"PATCH /quotations/{id}", "AMS"},
    {"GET /contracts", "AMSV"},
    {"GET /contracts/{id}", "AMSV"},
    {"POST /contracts", "AMS"},
    {"PATCH /contracts/{id}", "AMS"},
    {"GET /orders", "AMSV"},
    {"GET /orders/{id}", "AMSV"},
    {"PATCH /orders/{id}", "AMS"},
    {"GET /invoices", "AMSV"},
    {"GET /invoices/{id}", "AMSV"},
    {"POST /invoices", "AMS"},
    {"PATCH /invoices/{id}", "AMS"},
    {"GET /expenses", "AMSV"},
    {"GET /expenses/{id}", "AMSV"},
    {"POST /expenses", "AMS"},
    {"PATCH /expenses/{id}", "AMS"},
    {"GET /complaints", "AMSV"},
    {"GET /complaints/{id}", "AMSV"},
    {"PATCH /complaints/{id}", "AMV"},
    {"GET /churn_events", "AMSV"},
    {"GET /churn_events/{id}", "AMSV"},
    {"PATCH /churn_events/{id}", "AM"},
    {"GET /ownership_changes", "AMSV"},
    {"GET /ownership_changes/{id}", "AMSV"},
    {"GET /users", "AMSV"},
    {"GET /users/{id}", "AMSV"},
    {"PATCH /users/{id}", "A"},
    {"GET /teams", "AMSV"},
    {"GET /teams/{id}", "AMSV"},
    {"POST /teams", "A"},
    {"PATCH /teams/{id}", "A"},
    {"GET /churn_reasons", "AMSV"},
    {"GET /churn_reasons/{id}", "AMSV"},
    {"POST /churn_reasons", "A"},
    {"PATCH /churn_reasons/{id}", "A"},
};

std::string Upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

TEST_F(ApiTest, OpenApiDocumentHasEveryRouteAndTheTestKnowsEveryOne) {
  Response doc = SendRaw("GET", "/openapi.json", "", "", {});
  ASSERT_EQ(doc.status, 200);
  EXPECT_EQ(doc.body["openapi"], "3.0.3");
  std::set<std::string> documented;
  for (const auto& [path, operations] : doc.body["paths"].items()) {
    for (const auto& [method, operation] : operations.items()) {
      if (path == "/openapi.json") continue;
      documented.insert(Upper(method) + " " + path);
      EXPECT_TRUE(operation.contains("responses")) << method << " " << path;
    }
  }
  std::set<std::string> served;
  for (const Route& route : AllRoutes()) served.insert(route.method + " " + route.path);
  EXPECT_EQ(documented, served);
  std::set<std::string> expected;
  for (const auto& [route, roles] : kExpectedRoles) expected.insert(route);
  EXPECT_EQ(served, expected) << "a route was added or removed: update kExpectedRoles";
}

// Every route as every role: forbidden roles get 403, allowed ones get past
// the role check (anything but 401 and 403), nobody without a session gets
// in. Path ids name no row, and bodies are empty, so nothing is changed.
TEST_F(ApiTest, EveryRouteAsEveryRole) {
  const std::map<char, std::string> users = {
      {'A', "root"}, {'M', "mgr_n"}, {'S', "alice"}, {'V', "sam"}};
  for (const auto& [key, roles] : kExpectedRoles) {
    std::string method = key.substr(0, key.find(' '));
    std::string path = key.substr(key.find(' ') + 1);
    for (auto [from, to] : {std::pair<std::string, std::string>{"{id}", "999999"},
                            {"{list}", "contact_today"},
                            {"{entity}", "nosuch"}}) {
      size_t at = path.find(from);
      if (at != std::string::npos) path.replace(at, from.size(), to);
    }
    json body = method == "GET" ? json(nullptr) : json::object();
    if (roles == "public") {
      Response r = Send(method, path, "", body);
      EXPECT_NE(r.status, 401) << key;
      EXPECT_NE(r.status, 403) << key;
      continue;
    }
    ExpectError(Send(method, path, "", body), 401, "unauthenticated");
    for (const auto& [letter, user] : users) {
      if (key == "POST /logout") {
        // Its own session, so the others stay logged in.
        std::string token = Login(user);
        Response r = Send(method, path, "", body, {{"Authorization", "Bearer " + token}});
        EXPECT_EQ(r.status, 200) << key << " as " << user;
        continue;
      }
      Response r = Send(method, path, user, body);
      if (roles.find(letter) != std::string::npos) {
        EXPECT_NE(r.status, 403) << key << " as " << user << ": " << r.raw;
        EXPECT_NE(r.status, 401) << key << " as " << user << ": " << r.raw;
        EXPECT_LT(r.status, 500) << key << " as " << user << ": " << r.raw;
      } else {
        ExpectError(r, 403, "forbidden");
        if (r.status != 403) ADD_FAILURE() << key << " as " << user;
      }
    }
  }
}

TEST_F(ApiTest, EachRoleSeesItsOwnCustomers) {
  EXPECT_EQ(Customers("root"), (std::set<std::string>{"C1", "C2", "C3", "C4"}));
  EXPECT_EQ(Customers("mgr_n"), (std::set<std::string>{"C1", "C2", "C3"}));
  EXPECT_EQ(Customers("alice"), (std::set<std::string>{"C1", "C2"}));
  EXPECT_EQ(Customers("sam"), (std::set<std::string>{"C1", "C3"}));

  int64_t c3 = CustomerId("C3");
  EXPECT_EQ(Send("GET", "/customers/" + std::to_string(c3), "mgr_n").status, 200);
  ExpectError(Send("GET", "/customers/" + std::to_string(c3), "alice"), 404, "not_found");
  ExpectError(Send("PATCH", "/customers/" + std::to_string(c3), "alice", {{"city", "Oslo"}}), 404,
              "not_found");
  // Records follow their customer: alice sees C2's contact, sam does not.
  Response contacts = Send("GET", "/contacts", "alice");
  ASSERT_EQ(contacts.status, 200);
  ASSERT_EQ(contacts.body["items"].size(), 1u);
  int64_t contact = contacts.body["items"][0]["id"].get<int64_t>();
  EXPECT_EQ(Send("GET", "/contacts", "sam").body["items"].size(), 0u);
  ExpectError(Send("GET", "/contacts/" + std::to_string(contact), "sam"), 404, "not_found");
  // Complaints: sam sees those of C1 and C3; alice those of her customers.
  EXPECT_EQ(Send("GET", "/complaints", "sam").body["items"].size(), 2u);
  EXPECT_EQ(Send("GET", "/complaints", "alice").body["items"].size(), 1u);
  EXPECT_EQ(Send("GET", "/complaints", "root").body["items"].size(), 3u);
  // A salesperson cannot write for another's customer, and is told the same
  // as for a customer that does not exist: which ids exist does not leak.
  const std::map<std::string, json> bodies = {
      {"/activities", {{"kind", "call"}, {"occurred_at", "2026-06-30"}}},
      {"/contacts", {{"name", "Ann"}}},
      {"/orders", {{"amount", 5}}},
      {"/complaints", {{"category", "billing"}}}};
  for (const auto& entry : bodies) {
    const std::string& route = entry.first;
    auto post = [&](const json& customer) {
      json body = entry.second;
      body["customer_id"] = customer;
      return Send("POST", route, "alice", body);
    };
    for (auto [outside, missing] :
         {std::pair{json(c3), json(c3 + 1000)}, {json("C3"), json("C3X")}}) {
      Response other = post(outside);
      Response absent = post(missing);
      ExpectError(other, 400, "invalid_argument", "customer_id");
      std::string message = other.body["error"]["message"];
      std::string shown = outside.is_string() ? outside.get<std::string>() : outside.dump();
      std::string instead = missing.is_string() ? missing.get<std::string>() : missing.dump();
      message.replace(message.find(shown), shown.size(), instead);
      EXPECT_EQ(absent.status, other.status) << route << " " << absent.raw;
      EXPECT_EQ(absent.body["error"]["message"], message) << route;
    }
  }
}

TEST_F(ApiTest, CustomerListFiltersSearchesSortsAndPages) {
  Response found = Send("GET", "/customers?q=acme", "root");
  ASSERT_EQ(found.status, 200);
  ASSERT_EQ(found.body["items"].size(), 1u);
  EXPECT_EQ(found.body["items"][0]["name"], "Acme");
  // By a contact's e-mail and by phone.
  EXPECT_EQ(Send("GET", "/customers?q=zelda@bolt", "root").body["items"][0]["name"], "Bolt");
  EXPECT_EQ(Send("GET", "/customers?q=555-0101", "root").body["items"][0]["name"], "Acme");
  Response north = Send("GET", "/customers?team_id=1&status=active&sort=-name", "root");
  ASSERT_EQ(north.status, 200) << north.raw;
  std::vector<std::string> names;
  for (const json& c : north.body["items"]) names.push_back(c["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"Cask", "Bolt", "Acme"}));

  // Pages of one, by name, until the end: every customer once.
  std::vector<std::string> paged;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    Response r = Send(
        "GET", "/customers?sort=name&limit=1" + (cursor.empty() ? "" : "&after=" + cursor), "root");
    ASSERT_EQ(r.status, 200) << r.raw;
    for (const json& c : r.body["items"]) paged.push_back(c["name"]);
    if (r.body["next_cursor"].is_null()) break;
    cursor = r.body["next_cursor"];
  }
  EXPECT_EQ(paged, (std::vector<std::string>{"Acme", "Bolt", "Cask", "Dune"}));

  // By the latest scores: a range leaves out the customers not scored.
  Response alive = Send("GET", "/customers?min_p_alive=0.5&sort=-clv", "root");
  ASSERT_EQ(alive.status, 200) << alive.raw;
  names.clear();
  for (const json& c : alive.body["items"]) names.push_back(c["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"Dune", "Acme"}));
  EXPECT_EQ(alive.body["items"][1]["p_alive"], 0.9);
  EXPECT_EQ(alive.body["items"][1]["clv"], 1200.0);
  Response cheap = Send("GET", "/customers?max_clv=500&sort=p_alive", "root");
  ASSERT_EQ(cheap.body["items"].size(), 1u) << cheap.raw;
  EXPECT_EQ(cheap.body["items"][0]["name"], "Cask");
  Response by_score = Send("GET", "/customers?sort=p_alive&limit=2", "root");
  ASSERT_EQ(by_score.status, 200) << by_score.raw;
  EXPECT_EQ(by_score.body["items"][0]["name"], "Bolt");  // not scored: first, as NULL sorts
  EXPECT_TRUE(by_score.body["items"][0]["p_alive"].is_null());
  Response next = Send(
      "GET",
      "/customers?sort=p_alive&limit=2&after=" + by_score.body["next_cursor"].get<std::string>(),
      "root");
  ASSERT_EQ(next.status, 200) << next.raw;
  names.clear();
  for (const json& c : next.body["items"]) names.push_back(c["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"Dune", "Acme"}));

  // Several by id: only those in the caller's scope.
  Response some = Send(
      "GET",
      "/customers?ids=" + std::to_string(CustomerId("C1")) + "," + std::to_string(CustomerId("C4")),
      "alice");
  ASSERT_EQ(some.status, 200) << some.raw;
  ASSERT_EQ(some.body["items"].size(), 1u);
  EXPECT_EQ(some.body["items"][0]["name"], "Acme");
  ExpectError(Send("GET", "/customers?ids=1,x", "root"), 400, "invalid_argument", "ids");
  ExpectError(Send("GET", "/customers?sort=shoe_size", "root"), 400, "invalid_argument", "sort");
  ExpectError(Send("GET", "/customers?colour=red", "root"), 400, "invalid_argument", "colour");
  ExpectError(Send("GET", "/customers?status=happy", "root"), 400, "invalid_argument", "status");
  ExpectError(Send("GET", "/customers?limit=0", "root"), 400, "invalid_argument", "limit");
}

// The customers table's download: every row of the filter, in the caller's
// scope, as CSV or XLSX.
TEST_F(ApiTest, CustomerListDownloadsTheWholeFilter) {
  httplib::Headers manager = {{"Authorization", "Bearer " + tokens_.at("mgr_n")}};
  Response csv =
      SendRaw("GET", "/customers?format=csv&status=active&sort=name&limit=1", "", "", manager);
  ASSERT_EQ(csv.status, 200) << csv.raw;
  EXPECT_EQ(csv.headers.find("Content-Type")->second, "text/csv; charset=utf-8");
  EXPECT_EQ(csv.headers.find("X-Rows")->second, "3");  // every page, not the first
  EXPECT_EQ(csv.raw.substr(0, csv.raw.find('\n')),
            "id,name,status,lead_stage,owner,type,industry,level,source,province,city,phone,"
            "email,first_order_date,last_order_date,next_purchase_date,order_count,"
            "cumulative_sales,gross_profit,average_purchase_cycle_days,last_contact_at,"
            "receivables,p_alive,clv,model_next_purchase_date,risk_probability,value_at_risk,"
            "health");
  EXPECT_NE(csv.raw.find("\nC1,Acme,active,,alice,"), std::string::npos) << csv.raw;
  // Scored by the purchase model, not by the risk model.
  EXPECT_NE(csv.raw.find(",0.90,1200.00,2026-07-01,,,\n"), std::string::npos) << csv.raw;
  EXPECT_EQ(csv.raw.find("Dune"), std::string::npos);  // South's
  httplib::Headers alice = {{"Authorization", "Bearer " + tokens_.at("alice")}};
  Response xlsx = SendRaw("GET", "/customers?format=xlsx&q=Acme", "", "", alice);
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.raw.substr(0, 2), "PK");
  EXPECT_EQ(xlsx.headers.find("X-Rows")->second, "1");
  ExpectError(Send("GET", "/customers?format=pdf", "root"), 400, "invalid_argument", "format");
}

// Managers and administrators see the workbench of a salesperson or a team
// they pick; nobody sees past their own scope.
TEST_F(ApiTest, WorkbenchOfAChosenSalespersonOrTeam) {
  Response bob = Send("GET", "/workbench?page_size=0&user=bob", "mgr_n");
  ASSERT_EQ(bob.status, 200) << bob.raw;
  EXPECT_EQ(bob.body["scope"]["user"], "bob");
  EXPECT_EQ(bob.body["scope"]["kind"], "owner");
  Response south = Send("GET", "/workbench/contact_today?team=South", "root");
  ASSERT_EQ(south.status, 200) << south.raw;
  EXPECT_EQ(south.body["scope"]["team"], "South");
  EXPECT_EQ(Send("GET", "/workbench?user=alice", "alice").status, 200);  // herself
  ExpectError(Send("GET", "/workbench?user=bob", "alice"), 403, "forbidden", "user");
  ExpectError(Send("GET", "/workbench?user=carol", "mgr_n"), 403, "forbidden", "user");
  // sam (service, North) sees his complaints' customers, which may be
  // another team's.
  ExpectError(Send("GET", "/workbench?user=sam", "mgr_n"), 403, "forbidden", "user");
  ExpectError(Send("GET", "/workbench?team=South", "mgr_n"), 403, "forbidden", "team");
  ExpectError(Send("GET", "/workbench?user=nobody", "root"), 404, "not_found", "user");
  ExpectError(Send("GET", "/workbench?user=bob&team=North", "root"), 400, "invalid_argument",
              "team");
}

// The credit file of a customer in the scope: C1's invoice of 500 was due
// 2025-01-31 and is unpaid, more than 90 days: D.
TEST_F(ApiTest, CreditFileOfACustomer) {
  Response file =
      Send("GET", "/customers/" + std::to_string(CustomerId("C1")) + "/credit", "alice");
  ASSERT_EQ(file.status, 200) << file.raw;
  EXPECT_EQ(file.body["customer"], "C1");
  EXPECT_EQ(file.body["open_balance"], 500.0);
  EXPECT_EQ(file.body["overdue_invoices"], 1);
  EXPECT_EQ(file.body["rating"], "D");
  ASSERT_FALSE(file.body["reasons"].empty());
  EXPECT_EQ(file.body["reasons"][0].get<std::string>().substr(0, 2), "D:");
  EXPECT_EQ(
      Send("GET", "/customers/" + std::to_string(CustomerId("C4")) + "/credit", "alice").status,
      404);
}

// A real company's login page lists no logins.
// Every complaint says when it is due (opened_at + its severity's hours) and
// whether it is overdue by the end of today, so a salesperson's board marks it
// without the complaint report, which that role may not read.
TEST_F(ApiTest, ComplaintsCarryTheirDeadline) {
  Response k1 = Send("GET", "/complaints/" + std::to_string(IdOf("complaints", "K1")), "alice");
  ASSERT_EQ(k1.status, 200) << k1.raw;
  EXPECT_EQ(k1.body["deadline"], "2026-06-02T00:00:00Z");  // high: 24 hours
  EXPECT_EQ(k1.body["overdue"], true);
  Response list = Send("GET", "/complaints?category=billing", "sam");
  ASSERT_EQ(list.status, 200) << list.raw;
  ASSERT_EQ(list.body["items"].size(), 1u);
  EXPECT_EQ(list.body["items"][0]["deadline"], "2026-06-09T00:00:00Z");  // low: 168 hours
  // A resolved complaint is no longer overdue; its deadline stays.
  Response resolved =
      Send("POST", "/complaints/" + std::to_string(IdOf("complaints", "K2")) + "/resolve", "sam",
           {{"resolution", "refunded"}, {"satisfaction", 5}});
  ASSERT_EQ(resolved.status, 200) << resolved.raw;
  EXPECT_EQ(resolved.body["deadline"], "2026-06-09T00:00:00Z");
  EXPECT_EQ(resolved.body["overdue"], false);
  // Other records carry neither.
  Response contacts = Send("GET", "/contacts", "root");
  ASSERT_FALSE(contacts.body["items"].empty());
  EXPECT_FALSE(contacts.body["items"][0].contains("deadline"));
}

TEST_F(ApiTest, DemoLoginsOnlyOnADemo) {
  Response logins = Send("GET", "/demo-logins", "");
  ASSERT_EQ(logins.status, 200) << logins.raw;
  EXPECT_EQ(logins.body, json::parse(R"({"demo":false,"password":null,"users":[]})"));
}

// Issue 5's "done when": log in, work the workbench, log a contact, resolve a
// complaint, all over HTTP.
TEST_F(ApiTest, LogInWorkTheWorkbenchLogAContactResolveAComplaint) {
  Response login =
      SendRaw("POST", "/login", json{{"username", "alice"}, {"password", kPassword}}.dump(),
              "application/json", {});
  ASSERT_EQ(login.status, 200) << login.raw;
  std::string cookie = login.headers.find("Set-Cookie")->second;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
  std::string session = cookie.substr(0, cookie.find(';'));
  // A browser's writes carry the anti-forgery token besides the cookie.
  httplib::Headers with_cookie = {{"Cookie", session},
                                  {"X-CSRF-Token", login.body["csrf_token"].get<std::string>()}};

  // The cookie alone is a session.
  Response me = Send("GET", "/me", "", nullptr, with_cookie);
  ASSERT_EQ(me.status, 200) << me.raw;
  EXPECT_EQ(me.body["user"]["username"], "alice");
  EXPECT_EQ(me.body["scope"]["kind"], "owner");

  int64_t c1 = CustomerId("C1");
  Response logged = Send("POST", "/activities", "",
                         {{"customer_id", c1},
                          {"kind", "call"},
                          {"occurred_at", "2026-06-30T09:30:00Z"},
                          {"outcome", "effective"},
                          {"notes", "asked about renewal"},
                          {"follow_up_on", "2026-07-02"}},
                         with_cookie);
  ASSERT_EQ(logged.status, 201) << logged.raw;
  EXPECT_EQ(logged.body["kind"], "call");
  EXPECT_EQ(logged.body["customer_id"], c1);

  // The follow-up is on the workbench as of that day (due within the week).
  Response bench = Send("GET", "/workbench?as_of=2026-06-30", "", nullptr, with_cookie);
  ASSERT_EQ(bench.status, 200) << bench.raw;
  bool listed = false;
  for (const json& list : bench.body["lists"]) {
    for (const json& row : list["rows"]) listed |= row["customer_id"] == c1;
  }
  EXPECT_TRUE(listed) << bench.raw;
  Response week = Send("GET", "/workbench/contact_this_week?as_of=2026-06-30", "alice");
  ASSERT_EQ(week.status, 200) << week.raw;
  EXPECT_GE(week.body["count"].get<int>(), 1);

  // The profile shows the contact.
  Response profile = Send("GET", "/customers/" + std::to_string(c1), "alice");
  ASSERT_EQ(profile.status, 200) << profile.raw;
  EXPECT_EQ(profile.body["last_contact_at"], "2026-06-30T09:30:00Z");
  EXPECT_EQ(profile.body["activities"].size(), 1u);

  // sam resolves K1.
  int64_t k1 = IdOf("complaints", "K1");
  Response resolved = Send("POST", "/complaints/" + std::to_string(k1) + "/resolve", "sam",
                           {{"resolution", "re-sent the parcel"}, {"satisfaction", 4}});
  ASSERT_EQ(resolved.status, 200) << resolved.raw;
  EXPECT_EQ(resolved.body["status"], "resolved");
  EXPECT_EQ(resolved.body["satisfaction"], 4);
  // Resolving again is a conflict of statuses.
  ExpectError(Send("POST", "/complaints/" + std::to_string(k1) + "/resolve", "sam",
                   {{"resolution", "again"}, {"satisfaction", 4}}),
              409, "conflict");

  // The audit log says who did it, with before and after.
  Response audit = Send("GET", "/audit?entity=complaints&entity_id=" + std::to_string(k1), "root");
  ASSERT_EQ(audit.status, 200) << audit.raw;
  ASSERT_FALSE(audit.body["items"].empty()) << audit.raw;
  const json& entry = audit.body["items"][0];
  EXPECT_EQ(entry["user"], "sam");
  EXPECT_EQ(entry["before"]["status"], "open");
  EXPECT_EQ(entry["after"]["status"], "resolved");
  Response activity_audit = Send("GET", "/audit?entity=activities", "mgr_n");
  ASSERT_EQ(activity_audit.status, 200);
  ASSERT_FALSE(activity_audit.body["items"].empty());
  EXPECT_EQ(activity_audit.body["items"][0]["user"], "alice");

  // Logging out ends the cookie's session.
  EXPECT_EQ(Send("POST", "/logout", "", json::object(), with_cookie).status, 200);
  ExpectError(Send("GET", "/me", "", nullptr, with_cookie), 401, "unauthenticated");
}

TEST_F(ApiTest, StaleUpdatesAreRefused) {
  int64_t c2 = CustomerId("C2");
  std::string path = "/customers/" + std::to_string(c2);
  Response before = Send("GET", path, "alice");
  ASSERT_EQ(before.status, 200);
  int64_t version = before.body["version"];
  EXPECT_EQ(before.headers.find("ETag")->second, "\"" + std::to_string(version) + "\"");
  Response changed = Send("PATCH", path, "alice", {{"city", "Bergen"}, {"version", version}});
  ASSERT_EQ(changed.status, 200) << changed.raw;
  EXPECT_EQ(changed.body["version"], version + 1);
  // The same version again is stale, in the body and as If-Match.
  ExpectError(Send("PATCH", path, "alice", {{"city", "Oslo"}, {"version", version}}), 409,
              "conflict");
  ExpectError(Send("PATCH", path, "mgr_n", {{"city", "Oslo"}},
                   {{"If-Match", "\"" + std::to_string(version) + "\""}}),
              409, "conflict");
  EXPECT_EQ(Send("GET", path, "alice").body["city"], "Bergen");
}

TEST_F(ApiTest, ErrorsHaveTheirStatusCodeAndField) {
  // 400 names the field.
  ExpectError(Send("POST", "/activities", "alice", {{"kind", "call"}}), 400, "invalid_argument",
              "customer_id");
  ExpectError(Send("POST", "/activities", "alice",
                   {{"customer_id", CustomerId("C1")},
                    {"kind", "telepathy"},
                    {"occurred_at", "2026-06-30"}}),
              400, "invalid_argument", "kind");
  ExpectError(Send("POST", "/contacts", "alice",
                   {{"customer_id", CustomerId("C1")}, {"name", "X"}, {"shoe_size", 44}}),
              400, "invalid_argument", "shoe_size");
  // A flag that is not true or false (it was a 500: nlohmann's type_error).
  ExpectError(
      Send("POST", "/handover", "root", {{"from", "bob"}, {"to", {"alice"}}, {"dry_run", "yes"}}),
      400, "invalid_argument", "dry_run");
  ExpectError(
      Send("POST", "/handover", "root", {{"from", "bob"}, {"to", {"alice"}}, {"deactivate", 1}}),
      400, "invalid_argument", "deactivate");
  // A body that is not JSON.
  ExpectError(SendRaw("POST", "/contacts", "{not json", "application/json",
                      {{"Authorization", "Bearer " + tokens_.at("alice")}}),
              400, "invalid_argument", "body");
  // 401 for a token that is no session.
  ExpectError(Send("GET", "/me", "", nullptr, {{"Authorization", "Bearer 00ff"}}), 401,
              "unauthenticated");
  // 404: no such row, no such route.
  ExpectError(Send("GET", "/customers/424242", "root"), 404, "not_found");
  ExpectError(Send("GET", "/no/such/route", "root"), 404, "not_found");
  // 413 above the body limit (64 KiB in this server).
  ExpectError(Send("POST", "/contacts", "alice", {{"notes", std::string(70 * 1024, 'x')}}), 413,
              "payload_too_large");
}

TEST_F(ApiTest, LoginFailuresAreRateLimited) {
  for (int i = 0; i < 5; ++i) {
    Response r = SendRaw("POST", "/login", json{{"username", "bob"}, {"password", "wrong"}}.dump(),
                         "application/json", {});
    ExpectError(r, 401, "unauthenticated");
  }
  // Now even the right password waits.
  Response r = SendRaw("POST", "/login", json{{"username", "bob"}, {"password", kPassword}}.dump(),
                       "application/json", {});
  ExpectError(r, 429, "too_many_requests");
  // An unknown user gets the same answer as a wrong password.
  Response unknown =
      SendRaw("POST", "/login", json{{"username", "nobody"}, {"password", kPassword}}.dump(),
              "application/json", {});
  ExpectError(unknown, 401, "unauthenticated");
}

TEST_F(ApiTest, AWriteWithoutBodyNeedsNoContentLength) {
  // As `curl -X POST` sends it: no body, no Content-Length, no
  // Transfer-Encoding. (httplib alone waited 5 s for a body, then sent 400.)
  const std::string token = Login("sam");
  auto bodiless = [&](const std::string& method, const std::string& path) {
    return SendBytes(method + " /api/v1" + path +
                     " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
                     "\r\nConnection: close\r\n\r\n");
  };
  auto [missing, missing_body] = bodiless("POST", "/nowhere");
  EXPECT_EQ(missing, 404) << missing_body;
  EXPECT_EQ(json::parse(missing_body, nullptr, false)["error"]["code"], "not_found");
  // A route with an id in its path is found, and an empty PATCH changes
  // nothing.
  auto [patch, patch_body] =
      bodiless("PATCH", "/complaints/" + std::to_string(IdOf("complaints", "K1")));
  EXPECT_EQ(patch, 200) << patch_body;
  EXPECT_EQ(json::parse(patch_body, nullptr, false)["external_id"], "K1");
  auto [logout, logout_body] = bodiless("POST", "/logout");
  EXPECT_EQ(logout, 200) << logout_body;
  EXPECT_EQ(SendRaw("GET", "/me", "", "", {{"Authorization", "Bearer " + token}}).status, 401);
}

TEST_F(ApiTest, ResponsesCarrySecurityHeaders) {
  for (const Response& r :
       {Send("GET", "/me", "root"), Send("GET", "/nowhere", "root"), Send("GET", "/me", "")}) {
    EXPECT_EQ(r.headers.find("X-Content-Type-Options")->second, "nosniff");
    EXPECT_EQ(r.headers.find("X-Frame-Options")->second, "DENY");
    EXPECT_NE(r.headers.find("Content-Security-Policy"), r.headers.end());
    EXPECT_EQ(r.headers.find("Cache-Control")->second, "no-store");
  }
}

TEST_F(ApiTest, ImportReturnsRejectsAndExportDownloads) {
  httplib::Headers auth = {{"Authorization", "Bearer " + tokens_.at("root")}};
  Response imported = SendRaw("POST", "/imports/orders",
                              "order_id,customer_id,order_date,amount\n"
                              "O1,C4,2026-05-01,12.50\nO2,C4,not-a-date,3.00\n",
                              "text/csv", auth);
  ASSERT_EQ(imported.status, 200) << imported.raw;
  EXPECT_EQ(imported.body["inserted"], 1);
  EXPECT_EQ(imported.body["rejected"], 1);
  ASSERT_EQ(imported.body["rejects"].size(), 1u);
  EXPECT_EQ(imported.body["rejects"][0]["line"], 3);
  EXPECT_EQ(imported.body["rejects"][0]["column"], "order_date");

  Response csv = SendRaw("GET", "/exports/orders", "", "", auth);
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.headers.find("Content-Type")->second, "text/csv; charset=utf-8");
  EXPECT_NE(csv.raw.find("O1"), std::string::npos) << csv.raw;
  Response xlsx = SendRaw("GET", "/exports/orders?format=xlsx", "", "", auth);
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.raw.substr(0, 2), "PK");  // a zip file
}

TEST_F(ApiTest, OrdersGoThroughTheCreditCheckAndRefreshMetrics) {
  int64_t c2 = CustomerId("C2");
  Response order = Send("POST", "/orders", "alice",
                        {{"customer_id", c2}, {"amount", 120.5}, {"order_date", "2026-06-01"}});
  ASSERT_EQ(order.status, 201) << order.raw;
  EXPECT_EQ(order.body["amount"], 120.5);
  Response profile = Send("GET", "/customers/" + std::to_string(c2), "alice");
  EXPECT_EQ(profile.body["order_count"], 1);
  EXPECT_EQ(profile.body["cumulative_sales"], 120.5);
  ExpectError(Send("POST", "/orders", "alice", {{"customer_id", CustomerId("C4")}, {"amount", 1}}),
              400, "invalid_argument", "customer_id");
}

// Statistics and reports count only the user's scope: root every customer,
// mgr_n North's (C1 C2 C3), alice her own (C1 C2), sam his complaints' (C1 C3).
TEST_F(ApiTest, StatisticsAndReportsCountOnlyTheUsersScope) {
  const std::string y2025 = "from=2025-01-01&to=2025-12-31";
  auto sales = [&](const std::string& user) {
    Response r = Send("GET", "/stats?by=owner&" + y2025, user);
    EXPECT_EQ(r.status, 200) << r.raw;
    std::map<std::string, double> by_owner;
    for (const json& g : r.body["groups"]) by_owner[g["owner"]] = g["sales"];
    by_owner["total"] = r.body["total"]["sales"];
    return by_owner;
  };
  using Sales = std::map<std::string, double>;
  EXPECT_EQ(sales("root"), (Sales{{"alice", 150}, {"bob", 300}, {"carol", 1000}, {"total", 1450}}));
  EXPECT_EQ(sales("mgr_n"), (Sales{{"alice", 150}, {"bob", 300}, {"total", 450}}));
  EXPECT_EQ(sales("alice"), (Sales{{"alice", 150}, {"total", 150}}));
  Response alice = Send("GET", "/stats?by=team,level&" + y2025, "alice");
  ASSERT_EQ(alice.status, 200) << alice.raw;
  EXPECT_EQ(alice.body["total"]["customers"], 2);
  EXPECT_EQ(alice.body["total"]["buyers"], 1);
  EXPECT_EQ(alice.body["total"]["gross_profit"], 70);
  EXPECT_EQ(alice.body["groups"][0]["team"], "North");
  ExpectError(Send("GET", "/stats", "root"), 400, "invalid_argument", "by");
  ExpectError(Send("GET", "/stats?by=shoe", "root"), 400, "invalid_argument", "by");
  ExpectError(Send("GET", "/stats?by=city&from=2025-13-01", "root"), 400, "invalid_argument",
              "from");
  ExpectError(Send("GET", "/stats", "sam"), 403, "forbidden");
  Response csv = Send("GET", "/stats?by=owner&format=csv&" + y2025, "mgr_n");
  ASSERT_EQ(csv.status, 200) << csv.raw;
  EXPECT_EQ(csv.headers.find("Content-Type")->second, "text/csv; charset=utf-8");
  EXPECT_NE(csv.raw.find("bob"), std::string::npos) << csv.raw;
  EXPECT_EQ(csv.raw.find("carol"), std::string::npos) << csv.raw;
  Response xlsx = Send("GET", "/stats?by=owner&format=xlsx", "root");
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.raw.substr(0, 2), "PK");

  // 80/20: three buyers company-wide, the top one (C4) brings 1000 of 1450.
  Response pareto = Send("GET", "/stats/pareto?" + y2025, "root");
  ASSERT_EQ(pareto.status, 200) << pareto.raw;
  EXPECT_EQ(pareto.body["customers"], 3);
  EXPECT_EQ(pareto.body["top20_customers"], 1);
  EXPECT_EQ(pareto.body["top_customers"][0]["external_id"], "C4");
  EXPECT_NEAR(pareto.body["top20_share"].get<double>(), 1000.0 / 1450.0, 1e-9);
  Response own = Send("GET", "/stats/pareto?measure=profit&" + y2025, "alice");
  ASSERT_EQ(own.status, 200) << own.raw;
  EXPECT_EQ(own.body["customers"], 1);
  EXPECT_EQ(own.body["total"], 70);
  EXPECT_EQ(Send("GET", "/stats/pareto?top=0&" + y2025, "root").body["top_customers"].size(), 0u);
  ExpectError(Send("GET", "/stats/pareto?measure=joy", "root"), 400, "invalid_argument", "measure");

  // Leads: C2 (alice's) and C4 (carol's) have an open stage.
  auto leads = [&](const std::string& user) {
    Response r = Send("GET", "/stats/leads", user);
    EXPECT_EQ(r.status, 200) << r.raw;
    std::set<std::string> ids;
    for (const json& l : r.body["leads"]) ids.insert(l["external_id"].get<std::string>());
    EXPECT_EQ(r.body["leads_total"], ids.size());
    return ids;
  };
  EXPECT_EQ(leads("root"), (std::set<std::string>{"C2", "C4"}));
  EXPECT_EQ(leads("mgr_n"), (std::set<std::string>{"C2"}));
  EXPECT_EQ(leads("alice"), (std::set<std::string>{"C2"}));

  // Defaulters as of mid-2025: C1 owes 500, C4 200.
  auto defaulters = [&](const std::string& user) {
    Response r = Send("GET", "/reports/defaulters?as_of=2025-06-30&min_days=30", user);
    EXPECT_EQ(r.status, 200) << r.raw;
    std::set<std::string> ids;
    for (const json& d : r.body["defaulters"]) ids.insert(d["customer"].get<std::string>());
    return ids;
  };
  EXPECT_EQ(defaulters("root"), (std::set<std::string>{"C1", "C4"}));
  EXPECT_EQ(defaulters("mgr_n"), (std::set<std::string>{"C1"}));
  EXPECT_EQ(defaulters("alice"), (std::set<std::string>{"C1"}));

  // Complaints opened in June 2026: K1 (C1), K2 (C3), K3 (C4).
  auto opened = [&](const std::string& user) {
    Response r = Send("GET", "/reports/complaints?from=2026-06-01&to=2026-06-30", user);
    EXPECT_EQ(r.status, 200) << r.raw;
    return r.body["opened"].get<int>();
  };
  EXPECT_EQ(opened("root"), 3);
  EXPECT_EQ(opened("mgr_n"), 2);
  EXPECT_EQ(opened("sam"), 2);
  ExpectError(Send("GET", "/reports/complaints?period=week", "root"), 400, "invalid_argument",
              "period");

  // Churn: carol's C4 is lost to a competitor; only root's report counts it,
  // with the 1000 it bought in the 12 months before.
  int64_t c4 = CustomerId("C4");
  Response lost = Send("POST", "/customers/" + std::to_string(c4) + "/lost", "root",
                       {{"churn_type", "competition"}, {"reasons", "price"}, {"on", "2026-01-15"}});
  ASSERT_EQ(lost.status, 201) << lost.raw;
  const std::string january = "/reports/churn?from=2026-01-01&to=2026-01-31";
  Response all = Send("GET", january, "root");
  ASSERT_EQ(all.status, 200) << all.raw;
  EXPECT_EQ(all.body["losses"], 1);
  EXPECT_EQ(all.body["lost_revenue"], 1000);
  for (const json& type : all.body["by_type"]) {
    EXPECT_EQ(type["losses"], type["key"] == "competition" ? 1 : 0) << type;
  }
  ASSERT_EQ(all.body["by_owner"].size(), 1u) << all.raw;
  EXPECT_EQ(all.body["by_owner"][0]["key"], "carol");
  ASSERT_EQ(all.body["by_reason"].size(), 1u) << all.raw;
  EXPECT_EQ(all.body["by_reason"][0]["key"], "price");
  Response team = Send("GET", january, "mgr_n");
  ASSERT_EQ(team.status, 200) << team.raw;
  EXPECT_EQ(team.body["losses"], 0);
  ExpectError(Send("GET", "/reports/churn?segment=shoe", "root"), 400, "invalid_argument",
              "segment");

  // Team report: alice sees her own row, mgr_n North's members.
  auto people = [&](const std::string& user, const std::string& query) {
    Response r = Send("GET", "/reports/team?from=2026-06-01&to=2026-06-30" + query, user);
    EXPECT_EQ(r.status, 200) << r.raw;
    std::set<std::string> names;
    for (const json& p : r.body["people"]) names.insert(p["username"].get<std::string>());
    return names;
  };
  EXPECT_EQ(people("alice", ""), (std::set<std::string>{"alice"}));
  std::set<std::string> north = people("mgr_n", "");
  EXPECT_TRUE(north.count("bob")) << ::testing::PrintToString(north);
  EXPECT_FALSE(north.count("carol")) << ::testing::PrintToString(north);
  EXPECT_TRUE(people("root", "").count("carol"));
  EXPECT_EQ(people("root", "&team=South"), (std::set<std::string>{"carol"}));
  ExpectError(Send("GET", "/reports/team?user=bob", "alice"), 403, "forbidden", "user");
  ExpectError(Send("GET", "/reports/team?team=South", "mgr_n"), 403, "forbidden", "team");
}

// A path names a row by its internal id, also when another row's external id
// reads the same: the profile shown and the complaint moved are the ones the
// scope check saw.
// Six clients reading a profile and logging contacts on it at once: every
// request is answered, and every logged contact shows in the profile
// afterwards (each profile sees the customer's activities through the
// record_tables bit the first one set).
TEST_F(ApiTest, ConcurrentReadsAndWritesAllComplete) {
  const int64_t c3 = CustomerId("C3");
  const std::string profile_path = "/customers/" + std::to_string(c3);
  const size_t before = Send("GET", profile_path, "root").body["activities"].size();
  constexpr int kClients = 6;
  constexpr int kRounds = 8;
  std::atomic<int> answered{0};
  std::atomic<int> logged{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      for (int r = 0; r < kRounds; ++r) {
        if ((c + r) % 2 == 0) {
          Response read = Send("GET", profile_path, "mgr_n");
          answered += read.status == 200;
        } else {
          Response write = Send("POST", "/activities", "mgr_n",
                                {{"customer_id", c3},
                                 {"kind", "call"},
                                 {"occurred_at", "2026-06-29T10:00:00Z"},
                                 {"notes", "round " + std::to_string(r)}});
          answered += write.status == 201;
          logged += write.status == 201;
        }
      }
    });
  }
  for (std::thread& client : clients) client.join();
  EXPECT_EQ(answered.load(), kClients * kRounds);
  EXPECT_EQ(logged.load(), kClients * kRounds / 2);
  EXPECT_EQ(Send("GET", profile_path, "root").body["activities"].size(),
            before + static_cast<size_t>(logged.load()));
}

TEST_F(ApiTest, PathIdsNeverMeanAnotherRowsExternalId) {
  const int64_t c1 = CustomerId("C1");
  const int64_t c4 = CustomerId("C4");
  const int64_t k1 = IdOf("complaints", "K1");
  const int64_t k3 = IdOf("complaints", "K3");
  auto rename = [&](const std::string& path, const std::string& external_id) {
    Response r = Send("PATCH", path, "root", {{"external_id", external_id}});
    ASSERT_EQ(r.status, 200) << r.raw;
  };
  // carol's Dune and the unassigned K3 take the internal ids of Acme and K1.
  rename("/customers/" + std::to_string(c4), std::to_string(c1));
  rename("/complaints/" + std::to_string(k3), std::to_string(k1));

  Response acme = Send("GET", "/customers/" + std::to_string(c1), "alice");
  ASSERT_EQ(acme.status, 200) << acme.raw;
  EXPECT_EQ(acme.body["name"], "Acme");
  EXPECT_EQ(acme.body["id"], c1);
  Response moved =
      Send("POST", "/complaints/" + std::to_string(k1) + "/assign", "root", {{"assignee", "root"}});
  ASSERT_EQ(moved.status, 200) << moved.raw;
  EXPECT_EQ(moved.body["id"], k1);
  EXPECT_EQ(Send("GET", "/complaints/" + std::to_string(k3), "root").body["assignee_id"], nullptr);

  rename("/customers/" + std::to_string(c4), "C4");
  rename("/complaints/" + std::to_string(k3), "K3");
}

// The audit log shows each user their part of the company: a manager their
// team's customers, records and accounts, a salesperson their own customers;
// the logins of others and entries of no row only an administrator.
TEST_F(ApiTest, AuditLogShowsEachUserTheirScope) {
  // A change to each customer, as root.
  for (const char* id : {"C1", "C3", "C4"}) {
    Response r = Send("PATCH", "/customers/" + std::to_string(CustomerId(id)), "root",
                      {{"website", std::string("https://") + id + ".example"}});
    ASSERT_EQ(r.status, 200) << r.raw;
  }
  auto entries = [&](const std::string& user, const std::string& query) {
    std::vector<json> out;
    Response r = Send("GET", "/audit?limit=1000" + query, user);
    EXPECT_EQ(r.status, 200) << user << ": " << r.raw;
    for (const json& e : r.body["items"]) out.push_back(e);
    return out;
  };
  auto customers_changed = [&](const std::string& user) {
    std::set<std::string> ids;
    for (const json& e : entries(user, "&entity=customers")) {
      const json& after = e["after"];
      if (e["action"] == "update" && after["website"].is_string() &&
          after["website"].get<std::string>().ends_with(".example")) {
        ids.insert(after["external_id"].get<std::string>());
      }
    }
    return ids;
  };
  EXPECT_EQ(customers_changed("root"), (std::set<std::string>{"C1", "C3", "C4"}));
  EXPECT_EQ(customers_changed("mgr_n"), (std::set<std::string>{"C1", "C3"}));
  EXPECT_EQ(customers_changed("alice"), (std::set<std::string>{"C1"}));
  // sam sees the customers of the complaints assigned to him (C3's K2 at
  // least; K1 may have moved to root in another test).
  std::set<std::string> sam = customers_changed("sam");
  EXPECT_TRUE(sam.count("C3"));
  EXPECT_FALSE(sam.count("C4"));

  // Logins: root sees everyone's; others only their own.
  auto logins = [&](const std::string& user) {
    std::set<int64_t> whose;
    for (const json& e : entries(user, "&entity=users")) {
      if (e["action"] == "login") whose.insert(e["entity_id"].get<int64_t>());
    }
    return whose;
  };
  const int64_t me_alice = Send("GET", "/me", "alice").body["user"]["id"];
  const int64_t me_mgr = Send("GET", "/me", "mgr_n").body["user"]["id"];
  EXPECT_GE(logins("root").size(), 4u);
  EXPECT_EQ(logins("alice"), (std::set<int64_t>{me_alice}));
  EXPECT_EQ(logins("mgr_n"), (std::set<int64_t>{me_mgr}));
  // No entry shown to a non-administrator is of another team's row or of
  // no row at all.
  for (const char* user : {"mgr_n", "alice", "sam"}) {
    for (const json& e : entries(user, "")) {
      EXPECT_FALSE(e["entity_id"].is_null()) << user << ": " << e;
      if (e["entity"] == "customers") {
        EXPECT_NE(e["entity_id"], CustomerId("C4")) << user << ": " << e;
      }
    }
  }
}

// A write that waits longer than the busy timeout for another's write lock
// (an import) is answered 503 with Retry-After, never 500; reads go on.
TEST_F(ApiTest, ABusyDatabaseIs503WithRetryAfter) {
  auto holder = store::Database::OpenSqlite(dir_->File("api.db"), {.create = false});
  ASSERT_TRUE(holder.ok());
  ASSERT_TRUE((*holder)->Begin().ok());  // the write lock, as an import holds it
  const json body = {{"customer_id", CustomerId("C1")},
                     {"kind", "call"},
                     {"occurred_at", "2026-06-30"},
                     {"notes", "while busy"}};
  Response busy = Send("POST", "/activities", "alice", body);
  ExpectError(busy, 503, "unavailable");
  EXPECT_NE(busy.body["error"]["message"].get<std::string>().find("busy"), std::string::npos);
  ASSERT_NE(busy.headers.find("Retry-After"), busy.headers.end()) << busy.raw;
  EXPECT_GT(std::stoi(busy.headers.find("Retry-After")->second), 0);
  EXPECT_EQ(Send("GET", "/customers/" + std::to_string(CustomerId("C1")), "alice").status, 200);
  ASSERT_TRUE((*holder)->Rollback().ok());
  EXPECT_EQ(Send("POST", "/activities", "alice", body).status, 201);
}

// What a user records names them as its author, unless an administrator or a
// manager names another user in their scope.
TEST_F(ApiTest, RecordsNameTheirAuthor) {
  const int64_t alice = Send("GET", "/me", "alice").body["user"]["id"];
  const int64_t mgr = Send("GET", "/me", "mgr_n").body["user"]["id"];
  const int64_t bob = IdOf("users", "bob");
  const int64_t carol = IdOf("users", "carol");
  const int64_t c1 = CustomerId("C1");
  auto log = [&](const std::string& user, const json& extra) {
    json body = {{"customer_id", c1}, {"kind", "visit"}, {"occurred_at", "2026-06-29"}};
    body.update(extra);
    return Send("POST", "/activities", user, body);
  };
  Response own = log("alice", json::object());
  ASSERT_EQ(own.status, 201) << own.raw;
  EXPECT_EQ(own.body["user_id"], alice);
  ExpectError(log("alice", {{"user_id", bob}}), 403, "forbidden", "user_id");
  Response by_manager = log("mgr_n", json::object());
  EXPECT_EQ(by_manager.body["user_id"], mgr);
  Response for_bob = log("mgr_n", {{"user_id", bob}});
  ASSERT_EQ(for_bob.status, 201) << for_bob.raw;
  EXPECT_EQ(for_bob.body["user_id"], bob);
  ExpectError(log("mgr_n", {{"user_id", carol}}), 403, "forbidden", "user_id");
  EXPECT_EQ(log("root", {{"user_id", carol}}).body["user_id"], carol);
  // Orders, through the credit check, too.
  Response order = Send("POST", "/orders", "alice", {{"customer_id", c1}, {"amount", 3}});
  ASSERT_EQ(order.status, 201) << order.raw;
  EXPECT_EQ(order.body["user_id"], alice);
  ExpectError(
      Send("POST", "/orders", "alice", {{"customer_id", c1}, {"amount", 3}, {"user_id", "bob"}}),
      403, "forbidden", "user_id");
  // The team report counts alice's visit for her, not for "(none)".
  Response report = Send("GET", "/reports/team?from=2026-06-29&to=2026-06-29", "alice");
  ASSERT_EQ(report.status, 200) << report.raw;
  ASSERT_EQ(report.body["people"].size(), 1u) << report.raw;
  EXPECT_EQ(report.body["people"][0]["username"], "alice");
  EXPECT_GE(report.body["people"][0]["visits"].get<int>(), 1) << report.raw;
}

// Numbers the currency or a double cannot hold, and control characters in
// one-line text, are refused with the field named; nothing is stored.
TEST_F(ApiTest, ValuesTheStoreCannotHoldAreRefused) {
  const std::string c1 = std::to_string(CustomerId("C1"));
  auto raw_post = [&](const std::string& path, const std::string& body) {
    return SendRaw("POST", path, body, "application/json",
                   {{"Authorization", "Bearer " + tokens_.at("alice")}});
  };
  for (const char* amount : {"1e-400", "1e400", "-1e-400"}) {
    ExpectError(raw_post("/orders", "{\"customer_id\":" + c1 + ",\"amount\":" + amount + "}"), 400,
                "invalid_argument", "amount");
    ExpectError(
        raw_post("/expenses", "{\"customer_id\":" + c1 +
                                  ",\"spent_on\":\"2026-06-01\",\"amount\":" + amount + "}"),
        400, "invalid_argument", "amount");
  }
  ExpectError(raw_post("/contacts", "{\"customer_id\":18446744073709551615,\"name\":\"X\"}"), 400,
              "invalid_argument", "customer_id");
  ExpectError(Send("POST", "/contacts", "alice",
                   {{"customer_id", CustomerId("C1")}, {"name", std::string("Ann\0Bee", 7)}}),
              400, "invalid_argument", "name");
  ExpectError(
      Send("POST", "/contacts", "alice", {{"customer_id", CustomerId("C1")}, {"name", "Ann\tBee"}}),
      400, "invalid_argument", "name");
  ExpectError(Send("POST", "/contacts", "alice",
                   {{"customer_id", CustomerId("C1")}, {"name", "Ann"}, {"notes", "a\x1b[31mred"}}),
              400, "invalid_argument", "notes");
  // Tabs and line breaks are welcome in notes.
  Response notes = Send("POST", "/contacts", "alice",
                        {{"customer_id", CustomerId("C1")},
                         {"name", "Ann Tab"},
                         {"notes", "first line\n\tsecond line"}});
  ASSERT_EQ(notes.status, 201) << notes.raw;
  EXPECT_EQ(notes.body["notes"], "first line\n\tsecond line");
}

// Text stored before Tenure checked it (or by another program) that is not
// UTF-8 breaks no output: reports, searches and profiles answer 200 with
// U+FFFD in its place.
TEST_F(ApiTest, StoredTextThatIsNotUtf8BreaksNoOutput) {
  const int64_t c2 = CustomerId("C2");
  {
    auto db = store::Database::OpenSqlite(dir_->File("api.db"), {.create = false});
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)
                    ->Exec("UPDATE customers SET city = CAST(X'436166E9' AS TEXT), name ="
                           " CAST(X'426F6C74E9' AS TEXT) WHERE id = " +
                           std::to_string(c2))
                    .ok());
  }
  for (const std::string& path : std::vector<std::string>{
           "/stats?by=city", "/customers?q=Bolt", "/customers/" + std::to_string(c2), "/workbench",
           "/stats/leads", "/contacts"}) {
    Response r = Send("GET", path, "root");
    EXPECT_EQ(r.status, 200) << path << ": " << r.raw;
    EXPECT_FALSE(r.body.is_discarded()) << path;
  }
  Response stats = Send("GET", "/stats?by=city", "root");
  bool repaired = false;
  for (const json& g : stats.body["groups"]) repaired |= g["city"] == "Caf\xEF\xBF\xBD";
  EXPECT_TRUE(repaired) << stats.raw;
  {
    auto db = store::Database::OpenSqlite(dir_->File("api.db"), {.create = false});
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)
                    ->Exec("UPDATE customers SET city = NULL, name = 'Bolt' WHERE id = " +
                           std::to_string(c2))
                    .ok());
  }
}

}  // namespace
}  // namespace tenure::api
