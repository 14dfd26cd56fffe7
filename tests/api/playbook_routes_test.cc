// POST /playbook-tasks/{id}/close through the real server: the assignee or
// a user who sees the customer closes a task (done with an outcome, or
// dismissed); a confirm_loss task with a churn type records the loss in the
// same transaction, so a loss that cannot be recorded leaves the task open;
// the workbench row names the task; the close is in the audit log.
//
//   task         customer  owner  action        assignee
//   call_c1      C1 Acme   alice  call          alice
//   silent_c1    C1 Acme   alice  confirm_loss  alice
//   call_c4      C4 Dune   carol  call          carol
#include <gtest/gtest.h>
#include <httplib.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "api/server.h"
#include "engine/accounts.h"
#include "store/migrations.h"
#include "store/playbook_queries.h"
#include "testing/import_text.h"
#include "testing/running_server.h"
#include "testing/temp_dir.h"

namespace tenure::api {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "correct horse 42";

class PlaybookRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string path = dir_.File("api.db");
    {
      auto db = store::OpenStore(path);
      ASSERT_TRUE(db.ok()) << db.status().ToString();
      auto import = [&](const std::string& entity, const std::string& csv) {
        testing::ImportText(**db, dir_, entity, csv);
      };
      import("teams", "name\nNorth\nSouth\n");
      import("users",
             "username,role,team\nmgr_n,manager,North\nalice,sales,North\ncarol,sales,South\n");
      import("customers",
             "customer_id,name,owner,team\nC1,Acme,alice,North\nC4,Dune,carol,South\n");
      import("orders",
             "order_id,customer_id,order_date,amount\nR1,C1,2025-03-01,100\n"
             "R4,C4,2025-06-01,100\n");
      auto id = [&](const char* entity, const char* key) {
        auto row = store::FindRowId(**db, *domain::FindEntity(entity), key);
        EXPECT_TRUE(row.ok() && *row) << entity << " " << key;
        return row.ok() && *row ? **row : int64_t{0};
      };
      auto add = [&](const char* customer, const char* owner, const char* rule,
                     const char* action) {
        store::PlaybookTaskRow task;
        task.rule = rule;
        task.customer_id = id("customers", customer);
        task.assignee_id = id("users", owner);
        task.action = action;
        task.title = action == std::string("call") ? "Call" : "Confirm the loss";
        task.why = "risk 0.7";
        task.created_on = "2026-06-01";
        task.due_on = "2026-06-03";
        auto added = store::InsertPlaybookTask(**db, task);
        EXPECT_TRUE(added.ok() && *added) << rule;
        return added.ok() && *added ? **added : int64_t{0};
      };
      call_c1_ = add("C1", "alice", "top_at_risk", "call");
      silent_c1_ = add("C1", "alice", "silent", "confirm_loss");
      call_c4_ = add("C4", "carol", "top_at_risk", "call");
      c1_ = id("customers", "C1");
      for (const char* user : {"mgr_n", "alice", "carol"}) {
        ASSERT_TRUE(engine::SetPassword(**db, user, kPassword).ok());
      }
    }
    ServerOptions options;
    options.db_path = path;
    options.threads = 2;
    auto server = testing::RunningServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
    for (const char* user : {"mgr_n", "alice", "carol"}) {
      httplib::Client client("127.0.0.1", server_->port());
      auto r =
          client.Post("/api/v1/login", json{{"username", user}, {"password", kPassword}}.dump(),
                      "application/json");
      ASSERT_TRUE(r && r->status == 200) << user;
      tokens_[user] = json::parse(r->body)["token"];
    }
  }

  struct Answer {
    int status = 0;
    json body;
  };
  Answer Send(const std::string& method, const std::string& path, const std::string& user,
              const json& body = json::object()) {
    httplib::Client client("127.0.0.1", server_->port());
    httplib::Headers headers = {{"Authorization", "Bearer " + tokens_.at(user)}};
    auto r = method == "GET"
                 ? client.Get("/api/v1" + path, headers)
                 : client.Post("/api/v1" + path, headers, body.dump(), "application/json");
    if (!r) {
      ADD_FAILURE() << method << " " << path << ": no answer";
      return {};
    }
    return {r->status, json::parse(r->body, nullptr, false)};
  }
  Answer Close(int64_t task, const std::string& user, const json& body = json::object()) {
    return Send("POST", "/playbook-tasks/" + std::to_string(task) + "/close", user, body);
  }

  testing::TempDir dir_;
  std::unique_ptr<testing::RunningServer> server_;
  std::map<std::string, std::string> tokens_;
  int64_t call_c1_ = 0, silent_c1_ = 0, call_c4_ = 0, c1_ = 0;
};

TEST_F(PlaybookRoutesTest, TheWorkbenchRowNamesTheTaskAndItsAssigneeClosesIt) {
  Answer list = Send("GET", "/workbench/playbook_tasks", "alice");
  ASSERT_EQ(list.status, 200) << list.body;
  std::map<int64_t, std::string> tasks;
  for (const json& row : list.body["rows"]) {
    tasks[row["task_id"].get<int64_t>()] = row["task_action"].get<std::string>();
  }
  // The action tells the page which close to offer (a confirm_loss task
  // records the loss).
  EXPECT_EQ(tasks,
            (std::map<int64_t, std::string>{{call_c1_, "call"}, {silent_c1_, "confirm_loss"}}));

  // Another team's task is not there for alice (as a missing one); her own
  // closes with its outcome, once.
  EXPECT_EQ(Close(call_c4_, "alice").status, 404);
  EXPECT_EQ(Close(999999, "alice").status, 404);
  Answer done = Close(call_c1_, "alice", {{"outcome", "called, renewing"}});
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.body["id"], call_c1_);
  EXPECT_EQ(done.body["status"], "done");
  EXPECT_EQ(done.body["outcome"], "called, renewing");
  EXPECT_EQ(done.body["assignee"], "alice");
  EXPECT_FALSE(done.body["closed_at"].is_null());
  EXPECT_EQ(Close(call_c1_, "alice").status, 409);
  // A loss only on a confirm_loss task, with its reasons.
  Answer not_a_loss =
      Close(call_c4_, "carol", {{"churn_type", "negligence"}, {"reasons", "price"}});
  EXPECT_EQ(not_a_loss.status, 400);
  EXPECT_EQ(not_a_loss.body["error"]["field"], "churn_type") << not_a_loss.body;
  EXPECT_EQ(Close(silent_c1_, "alice", {{"churn_type", "negligence"}}).body["error"]["field"],
            "reasons");
  // The manager of the team closes carol's? No: C4 is South's.
  EXPECT_EQ(Close(call_c4_, "mgr_n", {{"dismiss", true}}).status, 404);
  Answer dismissed = Close(call_c4_, "carol", {{"dismiss", true}});
  ASSERT_EQ(dismissed.status, 200) << dismissed.body;
  EXPECT_EQ(dismissed.body["status"], "dismissed");
  EXPECT_EQ(dismissed.body["outcome"], "dismissed");

  // Closes are audited, and alice reads the entries of her customers' tasks.
  Answer audit = Send("GET", "/audit?entity=playbook_tasks", "alice");
  ASSERT_EQ(audit.status, 200) << audit.body;
  std::set<int64_t> audited;
  for (const json& e : audit.body["items"]) audited.insert(e["entity_id"].get<int64_t>());
  EXPECT_EQ(audited, (std::set<int64_t>{call_c1_}));
}

TEST_F(PlaybookRoutesTest, AConfirmedLossIsRecordedWithTheCloseOrNotAtAll) {
  // No such reason: the loss fails, and so does the close.
  Answer bad = Close(silent_c1_, "mgr_n",
                     {{"churn_type", "negligence"}, {"reasons", "nosuch"}, {"on", "2026-06-30"}});
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(Send("GET", "/customers/" + std::to_string(c1_), "alice").body["status"], "active");
  Answer lost = Close(silent_c1_, "mgr_n",
                      {{"churn_type", "negligence"}, {"reasons", "price"}, {"on", "2026-06-30"}});
  ASSERT_EQ(lost.status, 200) << lost.body;
  EXPECT_EQ(lost.body["status"], "done");
  Answer customer = Send("GET", "/customers/" + std::to_string(c1_), "alice");
  EXPECT_EQ(customer.body["status"], "lost") << customer.body;
  Answer list = Send("GET", "/workbench/playbook_tasks", "alice");
  for (const json& row : list.body["rows"]) EXPECT_NE(row["task_id"], silent_c1_);
}

}  // namespace
}  // namespace tenure::api
