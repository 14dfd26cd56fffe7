// Every route of the OpenAPI document × every kind of caller (nobody, a
// salesperson, a service agent, a manager, an administrator) × a row of the
// caller's own team, a row of another team and a row that does not exist,
// with the expected answer of each cell written out in kMatrix below. A
// route the table does not know fails the test, so no new route is
// forgotten.
//
// The company (the same shape as server_test.cc's):
//
//   customer  owner  team   its rows (external ids)
//   C1 Acme   alice  North  P1 A1 Y1 Q1 T1 R1 V1 X1 K1(sam) E1 O1
//   C2 Bolt   alice  North
//   C3 Cask   bob    North  K2 (sam)
//   C4 Dune   carol  South  P4 A4 Y4 Q4 T4 R4 V4 X4 K3(nobody) E4 O4
//
// Callers: alice (sales, North), sam (service; sees C1 and C3 through his
// complaints), mgr_n (manager of North), root (admin). The "own" row is C1's,
// the "other" row C4's; for users, teams and churn reasons (which everybody
// reads) bob / carol, North / South, price / product_quality.
//
// Each (route, caller) runs on a fresh copy of the company, its three
// requests in order (own, other, missing), so a write in one cell changes
// no other caller's cells.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "api/routes.h"
#include "api/server.h"
#include "engine/accounts.h"
#include "engine/import/importer.h"
#include "engine/records.h"
#include "store/migrations.h"
#include "store/playbook_queries.h"
#include "testing/import_text.h"
#include "testing/running_server.h"
#include "testing/temp_dir.h"

namespace tenure::api {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "correct horse 42";
const char* const kCallers[] = {"", "alice", "sam", "mgr_n", "root"};
enum Row { kOwn, kOther, kMissing };
constexpr int64_t kNoRow = 999999;

// Expected answers: five groups (nobody | sales | service | manager | admin)
// of three (own, other, missing). "200" is a status; "200:1" a status and,
// for a list, the number of rows it holds.
const std::string kNobody = "401 401 401 | ";
const std::string kSeesOwn = "200 404 404";
const std::string kSeesAll = "200 200 404";
const std::string kDenied = "403 403 403";
const std::string kListOwn = "200:1 200:0 200:0";
const std::string kListAll = "200:1 200:1 200:0";

std::string Cells(const std::string& sales, const std::string& service, const std::string& manager,
                  const std::string& admin) {
  return kNobody + sales + " | " + service + " | " + manager + " | " + admin;
}
std::string Same(const std::string& all) { return Cells(all, all, all, all); }

// A resource of engine/records.h: reads scoped by customer, writes by role.
void Resource(std::map<std::string, std::string>& m, const std::string& entity,
              const std::string& writers, bool creates, bool patches) {
  auto may = [&](char role, const std::string& yes) {
    return writers.find(role) != writers.npos ? yes : kDenied;
  };
  m["GET /" + entity] = Cells(kListOwn, kListOwn, kListOwn, kListAll);
  m["GET /" + entity + "/{id}"] = Cells(kSeesOwn, kSeesOwn, kSeesOwn, kSeesAll);
  if (creates) {
    m["POST /" + entity] = Cells(may('S', "201 400 400"), may('V', "201 400 400"),
                                 may('M', "201 400 400"), "201 201 400");
  }
  if (patches) {
    m["PATCH /" + entity + "/{id}"] =
        Cells(may('S', kSeesOwn), may('V', kSeesOwn), may('M', kSeesOwn), kSeesAll);
  }
}

std::map<std::string, std::string> Matrix() {
  std::map<std::string, std::string> m;
  // Sessions.
  m["POST /login"] = "200 401 401 | 200 401 401 | 200 401 401 | 200 401 401 | 200 401 401";
  m["POST /logout"] = Same("200 200 200");
  m["GET /me"] = Same("200 200 200");
  // Public: a database that is not a demo lists no logins.
  m["GET /demo-logins"] = "200 200 200 | 200 200 200 | 200 200 200 | 200 200 200 | 200 200 200";
  // Customers: sam may read his complaints' customers but not write them.
  m["GET /customers"] = Cells(kListOwn, kListOwn, kListOwn, kListAll);
  m["POST /customers"] = Cells("201 403 403", kDenied, "201 201 400", "201 201 400");
  m["GET /customers/{id}"] = Cells(kSeesOwn, kSeesOwn, kSeesOwn, kSeesAll);
  m["PATCH /customers/{id}"] = Cells(kSeesOwn, kDenied, kSeesOwn, kSeesAll);
  m["GET /customers/{id}/credit"] = Cells(kSeesOwn, kSeesOwn, kSeesOwn, kSeesAll);
  // Reassigned to bob (North): a manager within the team only.
  m["POST /customers/reassign"] = Cells(kDenied, kDenied, "200 404 404", "200 200 404");
  m["POST /customers/{id}/lost"] = Cells("201 404 404", kDenied, "201 404 404", "201 201 404");
  // No customer is lost, so none can be won back.
  m["POST /customers/{id}/won-back"] = Cells("400 404 404", kDenied, "400 404 404", "400 400 404");
  // Workbench: the row is the list (contact_today, overdue_to_buy, nosuch).
  m["GET /workbench"] = Same("200 200 200");
  m["GET /workbench/{list}"] = Same("200 200 404");
  // A playbook task on C1 (alice's) and one on C4 (carol's).
  m["POST /playbook-tasks/{id}/close"] = Cells(kSeesOwn, kDenied, kSeesOwn, kSeesAll);
  // Complaints: a service agent records them for any customer.
  m["POST /complaints"] = Cells("201 400 400", "201 201 400", "201 400 400", "201 201 400");
  for (const char* move : {"assign", "status", "resolve"}) {
    m[std::string("POST /complaints/{id}/") + move] = Cells(kDenied, kSeesOwn, kSeesOwn, kSeesAll);
  }
  // Open complaints can be neither closed (resolve first) nor reopened.
  for (const char* move : {"close", "reopen"}) {
    m[std::string("POST /complaints/{id}/") + move] =
        Cells(kDenied, "409 404 404", "409 404 404", "409 409 404");
  }
  m["POST /orders"] = Cells("201 400 400", kDenied, "201 400 400", "201 201 400");
  // Handover (a dry run) from bob (North), carol (South), nobody.
  m["POST /handover"] = Cells(kDenied, kDenied, "200 403 404", "200 200 404");
  // Accounts: an administrator's; new users in North, South, a missing team
  // (which, as any reference in a body to no row, is 400).
  m["POST /users"] = Cells(kDenied, kDenied, kDenied, "201 201 400");
  m["POST /users/{id}/password"] = Cells(kDenied, kDenied, kDenied, kSeesAll);
  m["POST /users/{id}/disable"] = Cells(kDenied, kDenied, kDenied, kSeesAll);
  // The audit log of customer C1, C4 and a missing one (each changed once).
  m["GET /audit"] = Cells(kListOwn, kListOwn, kListOwn, kListAll);
  // Imports and exports of teams, customers and an entity that is none.
  m["POST /imports/{entity}"] = Cells(kDenied, kDenied, kDenied, "200 200 404");
  m["GET /exports/{entity}"] = Cells(kDenied, kDenied, kDenied, "200 200 404");
  // Reports have no row: the same answer three times.
  const std::string all = "200 200 200";
  m["GET /stats"] = Cells(all, kDenied, all, all);
  m["GET /stats/pareto"] = Cells(all, kDenied, all, all);
  m["GET /stats/leads"] = Cells(all, kDenied, all, all);
  m["GET /reports/churn"] = Cells(kDenied, kDenied, all, all);
  m["GET /reports/playbooks"] = Cells(kDenied, kDenied, all, all);
  m["GET /reports/complaints"] = Cells(kDenied, all, all, all);
  m["GET /reports/defaulters"] = Cells(all, kDenied, all, all);
  // The team report of alice, carol and nobody.
  m["GET /reports/team"] = Cells("200 403 403", kDenied, "200 403 404", "200 200 404");
  // Records.
  Resource(m, "contacts", "AMSV", true, true);
  Resource(m, "activities", "AMSV", true, true);
  Resource(m, "opportunities", "AMS", true, true);
  Resource(m, "quotations", "AMS", true, true);
  Resource(m, "contracts", "AMS", true, true);
  Resource(m, "orders", "AMS", false, true);
  Resource(m, "invoices", "AMS", true, true);
  Resource(m, "expenses", "AMS", true, true);
  Resource(m, "complaints", "AMV", false, true);
  Resource(m, "churn_events", "AM", false, true);
  Resource(m, "ownership_changes", "", false, false);
  // Users, teams and churn reasons: everybody reads, an administrator writes.
  for (const char* shared : {"users", "teams", "churn_reasons"}) {
    const std::string e = shared;
    m["GET /" + e] = Same(kListAll);
    m["GET /" + e + "/{id}"] = Same(kSeesAll);
    m["PATCH /" + e + "/{id}"] = Cells(kDenied, kDenied, kDenied, kSeesAll);
  }
  // A new team, one named as an existing one, one without a name; likewise
  // for churn reasons.
  m["POST /teams"] = Cells(kDenied, kDenied, kDenied, "201 409 400");
  m["POST /churn_reasons"] = Cells(kDenied, kDenied, kDenied, "201 409 400");
  return m;
}

struct Call {
  std::string method;
  std::string path;  // below /api/v1
  std::string body;  // JSON, or CSV for imports
  std::string content_type = "application/json";
};

class RouteMatrixTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    const std::string path = dir_->File("live.db");
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
           "customer_id,name,owner,team\nC1,Acme,alice,North\nC2,Bolt,alice,North\n"
           "C3,Cask,bob,North\nC4,Dune,carol,South\n");
    import("contacts", "contact_id,customer_id,name\nP1,C1,Ann\nP4,C4,Dan\n");
    import("activities",
           "activity_id,customer_id,user,kind,occurred_at\nA1,C1,alice,call,2026-05-01\n"
           "A4,C4,carol,call,2026-05-01\n");
    import("opportunities",
           "opportunity_id,customer_id,name,owner\nY1,C1,Deal one,alice\nY4,C4,Deal four,carol\n");
    import("quotations",
           "quotation_id,customer_id,quoted_on,amount\nQ1,C1,2026-04-01,10\nQ4,C4,2026-04-01,10\n");
    import("contracts", "contract_id,customer_id,start_date\nT1,C1,2026-01-01\nT4,C4,2026-01-01\n");
    import("orders",
           "order_id,customer_id,order_date,amount\nR1,C1,2026-03-01,100\nR4,C4,2026-03-01,100\n");
    import("invoices",
           "invoice_id,customer_id,due_on,amount\nV1,C1,2026-04-01,50\nV4,C4,2026-04-01,50\n");
    import("expenses",
           "expense_id,customer_id,spent_on,amount\nX1,C1,2026-02-01,5\nX4,C4,2026-02-01,5\n");
    import("complaints",
           "complaint_id,customer_id,category,assignee,opened_at\n"
           "K1,C1,delivery,sam,2026-06-01\nK2,C3,billing,sam,2026-06-02\n"
           "K3,C4,quality,,2026-06-03\n");
    import("churn_events",
           "event_id,customer_id,kind,occurred_on,churn_type,reasons\n"
           "E1,C1,lost,2024-01-01,natural,price\nE4,C4,lost,2024-01-01,natural,price\n");
    import("ownership_changes",
           "change_id,customer_id,from_user_id,to_user_id,changed_at\n"
           "O1,C1,bob,alice,2025-01-01\nO4,C4,alice,carol,2025-01-01\n");
    for (const char* user : {"root", "mgr_n", "alice", "bob", "sam"}) {
      ASSERT_TRUE(engine::SetPassword(**db, user, kPassword).ok());
    }
    // One audited change to each of C1 and C4.
    const domain::EntitySpec& customers = *domain::FindEntity("customers");
    for (const char* id : {"C1", "C4"}) {
      auto row = store::FindRowId(**db, customers, id);
      ASSERT_TRUE(row.ok() && *row);
      ASSERT_TRUE(engine::UpdateRecord(**db, engine::EveryCustomer(), customers, **row,
                                       {{"city", std::string("Oslo")}}, std::nullopt)
                      .ok());
    }
    // Three sessions per caller (logout ends one per request).
    for (const char* user : {"root", "mgr_n", "alice", "sam"}) {
      for (int i = 0; i < 3; ++i) {
        auto session = engine::Login(**db, user, kPassword, "127.0.0.1", NowUtc());
        ASSERT_TRUE(session.ok()) << session.status().ToString();
        tokens_[user].push_back(session->token);
      }
    }
    for (const auto& [entity, own, other] : {std::tuple{"customers", "C1", "C4"},
                                             {"contacts", "P1", "P4"},
                                             {"activities", "A1", "A4"},
                                             {"opportunities", "Y1", "Y4"},
                                             {"quotations", "Q1", "Q4"},
                                             {"contracts", "T1", "T4"},
                                             {"orders", "R1", "R4"},
                                             {"invoices", "V1", "V4"},
                                             {"expenses", "X1", "X4"},
                                             {"complaints", "K1", "K3"},
                                             {"churn_events", "E1", "E4"},
                                             {"ownership_changes", "O1", "O4"},
                                             {"users", "bob", "carol"},
                                             {"teams", "North", "South"},
                                             {"churn_reasons", "price", "product_quality"}}) {
      for (auto [key, row] : {std::pair{own, kOwn}, {other, kOther}}) {
        auto id = store::FindRowId(**db, *domain::FindEntity(entity), key);
        ASSERT_TRUE(id.ok() && *id) << entity << " " << key;
        ids_[entity][row] = **id;
      }
      ids_[entity][kMissing] = kNoRow;
    }
    // A playbook task for each of C1 and C4, assigned to its owner.
    for (const auto& [key, owner, row] :
         {std::tuple{"C1", "alice", kOwn}, {"C4", "carol", kOther}}) {
      store::PlaybookTaskRow task;
      task.rule = "top_at_risk";
      task.customer_id = ids_["customers"][row];
      auto assignee = store::FindRowId(**db, *domain::FindEntity("users"), owner);
      ASSERT_TRUE(assignee.ok() && *assignee) << owner;
      task.assignee_id = **assignee;
      task.action = "call";
      task.title = "Call";
      task.why = "risk 0.7";
      task.created_on = "2026-06-01";
      task.due_on = "2026-06-03";
      auto id = store::InsertPlaybookTask(**db, task);
      ASSERT_TRUE(id.ok() && *id) << key;
      ids_["playbook-tasks"][row] = **id;
    }
    ids_["playbook-tasks"][kMissing] = kNoRow;
    // A copy without its WAL to start every cell from.
    std::filesystem::remove(dir_->File("base.db"));
    ASSERT_TRUE((*db)->Exec("VACUUM INTO '" + dir_->File("base.db") + "'").ok());
  }

  static void TearDownTestSuite() { delete dir_; }

  static std::string Id(const std::string& entity, Row row) {
    return std::to_string(ids_.at(entity).at(row));
  }

  // The request of `route` for `row`.
  static Call Build(const std::string& route, Row row) {
    const std::string method = route.substr(0, route.find(' '));
    std::string path = route.substr(route.find(' ') + 1);
    const std::string entity = path.substr(1, path.find('/', 1) - 1);
    auto pick = [row](const std::string& own, const std::string& other,
                      const std::string& missing) {
      return row == kOwn ? own : row == kOther ? other : missing;
    };
    const json customer = ids_.at("customers").at(row);
    Call call{method, path, ""};
    auto replace = [&](const std::string& part, const std::string& with) {
      call.path.replace(call.path.find(part), part.size(), with);
    };
    if (path.find("{id}") != std::string::npos) replace("{id}", Id(entity, row));
    if (path.find("{list}") != std::string::npos) {
      replace("{list}", pick("contact_today", "overdue_to_buy", "nosuch"));
    }
    if (path.find("{entity}") != std::string::npos) {
      const std::string target = pick("teams", "customers", "nosuch");
      replace("{entity}", target);
      if (method == "POST") {
        call.content_type = "text/csv";
        call.body = target == "customers" ? "customer_id,name\nC9,Nine\n" : "name\nEast\n";
      }
      return call;
    }
    json body;
    if (route == "POST /login") {
      body = {{"username", pick("alice", "alice", "nobody")},
              {"password", pick(kPassword, "wrong password", kPassword)}};
    } else if (route == "POST /customers") {
      body = {{"name", "New"}};
      if (row != kOwn) body["owner_id"] = pick("", "carol", "nobody");
    } else if (route == "POST /customers/{id}/lost") {
      body = {{"churn_type", "competition"}, {"reasons", "price"}, {"on", "2026-01-15"}};
    } else if (route == "POST /complaints") {
      body = {{"customer_id", customer}, {"category", "billing"}};
    } else if (route == "POST /complaints/{id}/assign") {
      body = {{"assignee", "mgr_n"}};
    } else if (route == "POST /complaints/{id}/status") {
      body = {{"status", "in_progress"}};
    } else if (route == "POST /complaints/{id}/resolve") {
      body = {{"resolution", "done"}, {"satisfaction", 4}};
    } else if (route == "POST /orders") {
      body = {{"customer_id", customer}, {"amount", 5}};
    } else if (route == "POST /customers/reassign") {
      body = {{"customers", {customer}}, {"to", "bob"}};
    } else if (route == "POST /handover") {
      body = {{"from", pick("bob", "carol", "nobody")}, {"to", {"alice"}}, {"dry_run", true}};
    } else if (route == "POST /users") {
      body = {{"username", pick("newbie1", "newbie2", "newbie3")},
              {"role", "sales"},
              {"team", pick("North", "South", "Nowhere")},
              {"password", "a long new password"}};
    } else if (route == "POST /users/{id}/password") {
      body = {{"password", "another long password"}};
    } else if (route == "POST /teams") {
      body = {{"name", pick("East", "North", "")}};
    } else if (route == "POST /churn_reasons") {
      body = {{"code", pick("late", "price", "")}, {"label", "Late"}};
    } else if (method == "POST" && path.find('{') == std::string::npos && route != "POST /logout") {
      // A new record of one of the customers.
      const std::map<std::string, json> fields = {
          {"contacts", {{"name", "New"}}},
          {"activities", {{"kind", "call"}, {"occurred_at", "2026-06-01"}}},
          {"opportunities", {{"name", "New deal"}}},
          {"quotations", {{"quoted_on", "2026-06-01"}, {"amount", 10}}},
          {"contracts", {{"start_date", "2026-06-01"}}},
          {"invoices", {{"due_on", "2026-07-01"}, {"amount", 10}}},
          {"expenses", {{"spent_on", "2026-06-01"}, {"amount", 10}}}};
      body = fields.at(entity);
      body["customer_id"] = customer;
    } else if (method == "PATCH") {
      body = {{"external_id", pick("patched-own", "patched-other", "patched-missing")}};
    } else if (method == "GET" && path.find('{') == std::string::npos) {
      // A list, filtered to the row's customer (or the row itself).
      const std::map<std::string, std::string> filters = {
          {"customers", "q=" + pick("Acme", "Dune", "Nobody")},
          {"users", "username=" + pick("bob", "carol", "nobody")},
          {"teams", "name=" + pick("North", "South", "Nowhere")},
          {"churn_reasons", "code=" + pick("price", "product_quality", "nosuch")},
          {"audit", "entity=customers&entity_id=" + Id("customers", row)},
          {"reports", "user=" + pick("alice", "carol", "nobody")}};
      auto filter = filters.find(entity);
      if (filter != filters.end()) {
        if (entity != "reports" || path == "/reports/team") call.path += "?" + filter->second;
      } else if (entity != "me" && entity != "workbench" && entity != "stats") {
        call.path += "?customer_id=" + Id("customers", row);
      }
      if (path == "/stats") call.path += "?by=city";
    }
    if (!body.is_null()) call.body = body.dump();
    return call;
  }

  // "status" or "status:rows" of the answer to `call` from `caller`.
  static std::string Answer(httplib::Client& client, const Call& call, const std::string& caller,
                            Row row) {
    httplib::Headers headers;
    if (!caller.empty()) {
      // A logout ends its session: each of its cells has its own.
      const size_t session = call.path == "/logout" ? static_cast<size_t>(row) : 0;
      headers.emplace("Authorization", "Bearer " + tokens_.at(caller).at(session));
    }
    const std::string url = "/api/v1" + call.path;
    httplib::Result r =
        call.method == "GET"     ? client.Get(url, headers)
        : call.method == "POST"  ? client.Post(url, headers, call.body, call.content_type)
        : call.method == "PATCH" ? client.Patch(url, headers, call.body, call.content_type)
                                 : client.Delete(url, headers, call.body, call.content_type);
    if (!r) return "no answer";
    std::string answer = std::to_string(r->status);
    json body = json::parse(r->body, nullptr, false);
    if (call.method == "GET" && r->status == 200 && body.is_object() && body.contains("items")) {
      answer += ":" + std::to_string(body["items"].size());
    }
    if (r->status >= 400 && !(body.is_object() && body.contains("error"))) {
      answer += " (no JSON error)";
    }
    return answer;
  }

  static testing::TempDir* dir_;
  static std::map<std::string, std::vector<std::string>> tokens_;
  static std::map<std::string, std::map<Row, int64_t>> ids_;
};

testing::TempDir* RouteMatrixTest::dir_ = nullptr;
std::map<std::string, std::vector<std::string>> RouteMatrixTest::tokens_;
std::map<std::string, std::map<Row, int64_t>> RouteMatrixTest::ids_;

TEST_F(RouteMatrixTest, EveryRouteAsEveryCallerOnOwnOtherAndMissingRows) {
  const std::map<std::string, std::string> matrix = Matrix();
  std::set<std::string> routes;
  for (const Route& route : AllRoutes()) routes.insert(route.method + " " + route.path);
  std::set<std::string> known;
  for (const auto& [route, cells] : matrix) known.insert(route);
  EXPECT_EQ(routes, known) << "a route was added or removed: give it its row in Matrix()";

  int cells = 0;
  for (const std::string& route : routes) {
    if (!matrix.count(route)) continue;
    std::istringstream expected_text(matrix.at(route));
    std::vector<std::string> expected;
    for (std::string cell; expected_text >> cell;) {
      if (cell != "|") expected.push_back(cell);
    }
    ASSERT_EQ(expected.size(), 15u) << route;
    std::vector<std::string> got;
    for (const char* caller : kCallers) {
      // A fresh copy of the company for each caller of each route.
      const std::string copy = dir_->File("cell.db");
      for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(copy + suffix);
      std::filesystem::copy_file(dir_->File("base.db"), copy);
      ServerOptions options;
      options.db_path = copy;
      options.threads = 2;
      auto server = testing::RunningServer::Start(options);
      ASSERT_TRUE(server.ok()) << server.status().ToString();
      httplib::Client client("127.0.0.1", (*server)->port());
      client.set_read_timeout(30, 0);
      for (Row row : {kOwn, kOther, kMissing}) {
        got.push_back(Answer(client, Build(route, row), caller, row));
        ++cells;
      }
    }
    std::string want_line, got_line;
    for (size_t i = 0; i < 15; ++i) {
      const char* gap = i == 0 ? "" : i % 3 == 0 ? " | " : " ";
      want_line += gap + expected[i];
      got_line += gap + got[i];
    }
    EXPECT_EQ(got_line, want_line) << route;
  }
  // The size of the matrix, for docs/reliability.md.
  std::printf("route matrix: %zu routes x 5 callers x 3 rows = %d cells\n", routes.size(), cells);
}

}  // namespace
}  // namespace tenure::api
