// The server of the fuzz targets that send requests: a small company (two
// teams, four customers with a record of each kind, one login per role) in
// a database of the run's own, answered in-process through Server::Answer,
// so a crash anywhere in a route is the target's own.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/routes.h"
#include "api/server.h"
#include "common/text.h"
#include "domain/entity.h"
#include "engine/accounts.h"
#include "engine/import/importer.h"
#include "fuzz_util.h"
#include "store/migrations.h"

namespace tenure::fuzz {

struct FuzzServer {
  std::unique_ptr<api::Server> server;
  // Bearer tokens of nobody, root (admin), mgr_n (manager), alice (sales),
  // sam (service).
  std::vector<std::string> tokens;
  // Routes that neither end nor change a login (logout, passwords,
  // disabling, user changes), which would leave later inputs nobody to send
  // them as.
  std::vector<api::Route> routes;
};

inline FuzzServer& Server() {
  static FuzzServer* fuzz = [] {
    auto* s = new FuzzServer;
    const std::string path = Scratch() + "/api.db";
    {
      auto db = store::OpenStore(path);
      if (!db.ok()) abort();
      auto import = [&](const char* entity, const std::string& csv) {
        engine::ImportOptions options;
        options.path = WriteFile(std::string(entity) + ".csv", csv);
        options.spec = domain::FindEntity(entity);
        options.rejects_path = Scratch() + "/setup.rejects.csv";
        if (!engine::ImportCsv(**db, options).ok()) abort();
      };
      import("teams", "name\nNorth\nSouth\n");
      import("users",
             "username,role,team\nroot,admin,\nmgr_n,manager,North\nalice,sales,North\n"
             "carol,sales,South\nsam,service,North\n");
      import("customers",
             "customer_id,name,owner,team\nC1,Acme,alice,North\nC2,Bolt,alice,North\n"
             "C3,Cask,carol,South\nC4,Dune,carol,South\n");
      import("contacts", "customer_id,name\nC1,Ann\nC3,Cid\n");
      import("activities", "customer_id,user,kind,occurred_at\nC1,alice,call,2026-05-01\n");
      import("orders", "order_id,customer_id,order_date,amount\nR1,C1,2026-03-01,100\n");
      import("invoices", "customer_id,due_on,amount\nC1,2026-04-01,50\n");
      import("complaints",
             "customer_id,category,assignee,opened_at\nC1,delivery,sam,2026-06-01\n"
             "C3,quality,,2026-06-03\n");
      for (const char* user : {"root", "mgr_n", "alice", "sam"}) {
        if (!engine::SetPassword(**db, user, "fuzz password 1").ok()) abort();
      }
    }
    api::ServerOptions options;
    options.db_path = path;
    options.port = 0;
    auto started = api::Server::Start(options);
    if (!started.ok()) abort();
    s->server = std::move(*started);
    s->tokens.push_back("");
    for (const char* user : {"root", "mgr_n", "alice", "sam"}) {
      api::HttpRequest login;
      login.method = "POST";
      login.path = "/api/v1/login";
      login.body = std::string("{\"username\":\"") + user + "\",\"password\":\"fuzz password 1\"}";
      api::HttpResponse r = s->server->Answer(login);
      size_t at = r.body.find("\"token\":\"");
      if (r.status != 200 || at == std::string::npos) abort();
      s->tokens.push_back(r.body.substr(at + 9, r.body.find('"', at + 9) - at - 9));
    }
    for (api::Route& route : api::AllRoutes()) {
      if (route.path == "/logout" || route.path == "/users/{id}/password" ||
          route.path == "/users/{id}/disable" ||
          (route.method == "PATCH" && route.path == "/users/{id}")) {
        continue;
      }
      s->routes.push_back(std::move(route));
    }
    return s;
  }();
  return *fuzz;
}

// `route`'s path below /api/v1 with its parameters filled from `pick`.
inline std::string FillPath(const std::string& route, uint8_t pick) {
  static const char* const kEntities[] = {"customers", "orders", "teams", "nosuch", "users"};
  static const char* const kLists[] = {"contact_today", "overdue_to_buy", "receivables_overdue",
                                       "nope"};
  std::string path = "/api/v1" + route;
  auto replace = [&](const std::string& part, const std::string& with) {
    size_t at = path.find(part);
    if (at != std::string::npos) path.replace(at, part.size(), with);
  };
  replace("{id}", std::to_string(pick % 9));
  replace("{entity}", kEntities[pick % 5]);
  replace("{list}", kLists[pick % 4]);
  return path;
}

// The answer must be neither a failure of the server nor text a client
// cannot read.
inline void CheckAnswer(const api::HttpResponse& r) {
  Require(r.status != 500, "the server answered 500");
  Require(r.status >= 200 && r.status < 600, "a status that is no HTTP status");
  Require(!InvalidUtf8Offset(r.body) || r.body.rfind("PK", 0) == 0,
          "the answer is not UTF-8 (and no XLSX download)");
}

}  // namespace tenure::fuzz
