// Reading and writing rows of any entity on behalf of a user, on a small
// hand-built company in a real SQLite file:
//
//   teams North, South; users root (admin), mgr_n (manager, North),
//   alice and bob (sales, North), carol (sales, South), sam (service, North).
//   Customers (ids 1-5): C1 Acme alice North, C2 Bolt alice North, C3 Cask
//   bob North, C4 Dune carol South, C5 Echo alice North (lost).
//   Contacts P1 (C1), P2 (C3), P3 (C4). Activities A1 call C1, A2 visit C3,
//   A3 email C4, A4 visit C1. Complaint K1 on C3, assigned to sam.
//
// So alice sees C1, C2, C5; mgr_n C1, C2, C3, C5; sam C3; root everything.
#include "engine/records.h"

#include <gtest/gtest.h>

#include "engine/churn.h"
#include "engine/customer_profile.h"
#include "engine/import_fixture.h"
#include "engine/metrics.h"
#include "store/record_tables.h"

namespace tenure::engine {
namespace {

using domain::Value;
using Code = Status::Code;

Value Str(const char* text) { return std::string(text); }
Value Int(int64_t n) { return n; }

class RecordsTest : public ImportFixture {
 protected:
  void SetUp() override {
    ImportFixture::SetUp();
    ImportClean("teams", "name\nNorth\nSouth\n");
    ImportClean("users",
                "username,role,team\nroot,admin,\nmgr_n,manager,North\nalice,sales,North\n"
                "bob,sales,North\ncarol,sales,South\nsam,service,North\n");
    ImportClean("customers",
                "customer_id,name,owner,team,status\nC1,Acme,alice,North,active\n"
                "C2,Bolt,alice,North,active\nC3,Cask,bob,North,active\n"
                "C4,Dune,carol,South,active\nC5,Echo,alice,North,lost\n");
    ImportClean("contacts", "contact_id,customer_id,name\nP1,C1,Ann\nP2,C3,Ben\nP3,C4,Cid\n");
    ImportClean("activities",
                "activity_id,customer_id,kind,occurred_at\nA1,C1,call,2026-01-05\n"
                "A2,C3,visit,2026-01-06\nA3,C4,email,2026-01-07\nA4,C1,visit,2026-01-08\n");
    ImportClean("complaints",
                "complaint_id,customer_id,category,assignee,opened_at\n"
                "K1,C3,delivery,sam,2026-01-10\n");
  }

  Scope As(const std::string& username) {
    auto scope = ScopeOfUser(*db_, username);
    EXPECT_TRUE(scope.ok()) << scope.status().ToString();
    return scope.ok() ? *scope : Scope{};
  }

  static const domain::EntitySpec& Spec(const char* name) { return *domain::FindEntity(name); }

  static const Value& Field(const domain::EntitySpec& spec, const Record& record,
                            const char* name) {
    return record.values.at(*spec.FieldIndex(name));
  }

  int64_t IdOf(const std::string& table, const std::string& external_id) {
    return Count("SELECT id FROM " + table + " WHERE external_id = '" + external_id + "'");
  }

  static std::vector<std::string> ExternalIds(const RecordPage& page) {
    std::vector<std::string> ids;
    for (const Record& r : page.rows) ids.push_back(r.external_id);
    return ids;
  }

  std::vector<std::string> List(const Scope& scope, const char* entity, FieldValues equals = {}) {
    RecordQuery query;
    query.equals = std::move(equals);
    query.limit = 1000;
    auto page = ListRecords(*db_, scope, Spec(entity), query);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? ExternalIds(*page) : std::vector<std::string>{"<error>"};
  }

  // Rows in every table a write may touch, and audit entries.
  int64_t Footprint() {
    return Count(
        "SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM activities) +"
        " (SELECT count(*) FROM orders) + (SELECT count(*) FROM users) +"
        " (SELECT count(*) FROM complaints) + (SELECT count(*) FROM churn_events) +"
        " (SELECT count(*) FROM churn_event_reasons) + (SELECT count(*) FROM audit_log)");
  }

  FieldValues NewActivity(const char* customer) {
    return {{"customer_id", Str(customer)},
            {"kind", Str("visit")},
            {"occurred_at", Str("2026-03-01T10:00:00Z")},
            {"notes", Str("brought samples")}};
  }
};

TEST_F(RecordsTest, ListPagesInIdOrderWithTheNextAfterId) {
  const Scope root = As("root");
  RecordQuery query;
  query.limit = 2;
  auto first = ListRecords(*db_, root, Spec("customers"), query);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(ExternalIds(*first), (std::vector<std::string>{"C1", "C2"}));
  ASSERT_TRUE(first->next_after_id.has_value());
  EXPECT_EQ(*first->next_after_id, 2);

  query.after_id = *first->next_after_id;
  auto second = ListRecords(*db_, root, Spec("customers"), query);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(ExternalIds(*second), (std::vector<std::string>{"C3", "C4"}));
  EXPECT_EQ(second->next_after_id, std::optional<int64_t>(4));

  query.after_id = 4;
  auto last = ListRecords(*db_, root, Spec("customers"), query);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(ExternalIds(*last), (std::vector<std::string>{"C5"}));
  EXPECT_FALSE(last->next_after_id.has_value());

  // A page that ends exactly at the last row has no next page.
  query.after_id = 3;
  auto exact = ListRecords(*db_, root, Spec("customers"), query);
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(ExternalIds(*exact), (std::vector<std::string>{"C4", "C5"}));
  EXPECT_FALSE(exact->next_after_id.has_value());

  // The record carries the row's identity and typed values.
  const Record& acme = first->rows[0];
  EXPECT_EQ(acme.id, 1);
  EXPECT_EQ(acme.version, 1);
  EXPECT_GT(acme.created_at, 0);
  EXPECT_EQ(Field(Spec("customers"), acme, "name"), Str("Acme"));
  EXPECT_EQ(Field(Spec("customers"), acme, "owner_id"), Int(IdOf("users", "alice")));
  EXPECT_EQ(Field(Spec("customers"), acme, "status"), Int(2));  // active
  EXPECT_EQ(Field(Spec("customers"), acme, "credit_limit"), Value());

  for (int limit : {0, 1001, -1}) {
    query.limit = limit;
    auto refused = ListRecords(*db_, root, Spec("customers"), query);
    ASSERT_FALSE(refused.ok()) << limit;
    EXPECT_EQ(refused.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(refused.status().field(), "limit");
  }
  query.limit = 1000;
  query.after_id = 0;
  auto widest = ListRecords(*db_, root, Spec("customers"), query);
  ASSERT_TRUE(widest.ok());
  EXPECT_EQ(widest->rows.size(), 5u);
  query.limit = 1;
  auto narrowest = ListRecords(*db_, root, Spec("customers"), query);
  ASSERT_TRUE(narrowest.ok());
  EXPECT_EQ(ExternalIds(*narrowest), (std::vector<std::string>{"C1"}));
  EXPECT_EQ(narrowest->next_after_id, std::optional<int64_t>(1));
}

TEST_F(RecordsTest, ListFiltersByEqualityAfterTheWriteConversion) {
  const Scope root = As("root");
  EXPECT_EQ(List(root, "activities", {{"kind", Str("visit")}}),
            (std::vector<std::string>{"A2", "A4"}));
  EXPECT_EQ(List(root, "activities", {{"kind", Int(1)}}), (std::vector<std::string>{"A2", "A4"}));
  EXPECT_EQ(List(root, "activities", {{"kind", Str("Visit")}, {"customer_id", Str("C1")}}),
            (std::vector<std::string>{"A4"}));
  EXPECT_EQ(List(root, "activities", {{"customer_id", Int(IdOf("customers", "C3"))}}),
            (std::vector<std::string>{"A2"}));
  EXPECT_EQ(List(root, "customers", {{"owner_id", Str("alice")}}),  // a user by username
            (std::vector<std::string>{"C1", "C2", "C5"}));
  EXPECT_EQ(List(root, "customers", {{"status", Str("lost")}}), (std::vector<std::string>{"C5"}));
  EXPECT_EQ(List(root, "customers", {{"external_id", Str("C4")}}),
            (std::vector<std::string>{"C4"}));
  EXPECT_EQ(List(root, "activities", {{"occurred_at", Str("2026-01-07")}}),
            (std::vector<std::string>{"A3"}));
  EXPECT_EQ(List(root, "activities", {{"outcome", Value()}}).size(), 4u);  // NULL matches NULL
  EXPECT_TRUE(List(root, "activities", {{"customer_id", Str("C99")}}).empty());

  auto expect_refused = [&](FieldValues equals, const std::string& field) {
    RecordQuery query;
    query.equals = std::move(equals);
    auto page = ListRecords(*db_, root, Spec("activities"), query);
    ASSERT_FALSE(page.ok()) << field;
    EXPECT_EQ(page.status().code(), Code::kInvalidArgument) << page.status().ToString();
    EXPECT_EQ(page.status().field(), field) << page.status().ToString();
  };
  expect_refused({{"colour", Str("red")}}, "colour");
  expect_refused({{"kind", Str("telepathy")}}, "kind");
  expect_refused({{"kind", Int(9)}}, "kind");
  expect_refused({{"occurred_at", Str("yesterday")}}, "occurred_at");
  expect_refused({{"notes", Int(3)}}, "notes");
  expect_refused({{"customer_id; DROP TABLE activities", Int(1)}},
                 "customer_id; DROP TABLE activities");
  EXPECT_EQ(Count("SELECT count(*) FROM activities"), 4);
}

TEST_F(RecordsTest, EachRoleSeesItsOwnCustomersRows) {
  EXPECT_EQ(List(As("alice"), "customers"), (std::vector<std::string>{"C1", "C2", "C5"}));
  EXPECT_EQ(List(As("alice"), "contacts"), (std::vector<std::string>{"P1"}));
  EXPECT_EQ(List(As("alice"), "activities"), (std::vector<std::string>{"A1", "A4"}));
  EXPECT_EQ(List(As("bob"), "activities"), (std::vector<std::string>{"A2"}));
  EXPECT_EQ(List(As("mgr_n"), "customers"), (std::vector<std::string>{"C1", "C2", "C3", "C5"}));
  EXPECT_EQ(List(As("mgr_n"), "contacts"), (std::vector<std::string>{"P1", "P2"}));
  EXPECT_EQ(List(As("sam"), "customers"), (std::vector<std::string>{"C3"}));
  EXPECT_EQ(List(As("sam"), "activities"), (std::vector<std::string>{"A2"}));
  EXPECT_EQ(List(As("sam"), "complaints"), (std::vector<std::string>{"K1"}));
  EXPECT_EQ(List(As("root"), "activities"), (std::vector<std::string>{"A1", "A2", "A3", "A4"}));
  EXPECT_EQ(List(EveryCustomer(), "contacts"), (std::vector<std::string>{"P1", "P2", "P3"}));
  // Users and teams are everybody's.
  EXPECT_EQ(List(As("alice"), "users").size(), 6u);
  EXPECT_EQ(List(As("sam"), "teams").size(), 2u);
  EXPECT_EQ(List(As("alice"), "churn_reasons").size(),
            static_cast<size_t>(Count("SELECT count(*) FROM churn_reasons")));

  auto own = GetRecord(*db_, As("alice"), Spec("contacts"), IdOf("contacts", "P1"));
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  EXPECT_EQ(own->external_id, "P1");
  EXPECT_EQ(Field(Spec("contacts"), *own, "name"), Str("Ann"));
  // Another's row reads as missing, like a row that does not exist.
  for (int64_t id : {IdOf("contacts", "P2"), int64_t{999}}) {
    auto hidden = GetRecord(*db_, As("alice"), Spec("contacts"), id);
    ASSERT_FALSE(hidden.ok());
    EXPECT_EQ(hidden.status().code(), Code::kNotFound) << hidden.status().ToString();
  }
  EXPECT_EQ(
      GetRecord(*db_, As("alice"), Spec("activities"), IdOf("activities", "A2")).status().code(),
      Code::kNotFound);
  EXPECT_EQ(
      GetRecord(*db_, As("alice"), Spec("customers"), IdOf("customers", "C3")).status().code(),
      Code::kNotFound);
  EXPECT_TRUE(GetRecord(*db_, As("mgr_n"), Spec("contacts"), IdOf("contacts", "P2")).ok());
  EXPECT_FALSE(GetRecord(*db_, As("mgr_n"), Spec("contacts"), IdOf("contacts", "P3")).ok());
  EXPECT_TRUE(GetRecord(*db_, As("sam"), Spec("customers"), IdOf("customers", "C3")).ok());
  EXPECT_FALSE(GetRecord(*db_, As("sam"), Spec("customers"), IdOf("customers", "C1")).ok());
  EXPECT_TRUE(GetRecord(*db_, As("root"), Spec("contacts"), IdOf("contacts", "P3")).ok());
  EXPECT_TRUE(GetRecord(*db_, As("sam"), Spec("users"), IdOf("users", "root")).ok());
}

TEST_F(RecordsTest, CreateForOwnCustomerStoresAndRefreshesLastContact) {
  const Scope alice = As("alice");
  db_->set_actor(alice.user_id);
  const auto& spec = Spec("activities");
  FieldValues fields = NewActivity("C2");
  fields.emplace_back("external_id", Str("A9"));
  fields.emplace_back("contact_id", Value());
  auto created = CreateRecord(*db_, alice, spec, fields);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->id, 5);
  EXPECT_EQ(created->external_id, "A9");
  EXPECT_EQ(created->version, 1);
  EXPECT_GT(created->created_at, 0);
  EXPECT_EQ(created->updated_at, created->created_at);
  EXPECT_EQ(Field(spec, *created, "customer_id"), Int(IdOf("customers", "C2")));
  EXPECT_EQ(Field(spec, *created, "kind"), Int(1));
  EXPECT_EQ(Field(spec, *created, "occurred_at"), Int(*ParseTimestamp("2026-03-01T10:00:00Z")));
  EXPECT_EQ(Field(spec, *created, "follow_up_done"), Int(0));  // the field's default
  EXPECT_EQ(Field(spec, *created, "contact_id"), Value());

  // The customer's derived metric is current.
  EXPECT_EQ(Count("SELECT last_contact_at FROM customers WHERE external_id = 'C2'"),
            *ParseTimestamp("2026-03-01T10:00:00Z"));
  auto read = GetRecord(*db_, alice, spec, created->id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->values, created->values);
}

// Another salesperson's customer gets the same answer as a customer that
// does not exist, by external id and by internal id, so which customers
// exist does not leak (issue 16, defect 4).
TEST_F(RecordsTest, CreateForAnotherSalespersonsCustomerIsDenied) {
  const int64_t before = Footprint();
  auto answer = [&](const Value& customer) {
    auto created = CreateRecord(
        *db_, As("alice"), Spec("activities"),
        {{"customer_id", customer}, {"kind", Str("call")}, {"occurred_at", Str("2026-03-01")}});
    EXPECT_FALSE(created.ok());
    return created.status();
  };
  const int64_t c3 = IdOf("customers", "C3");
  for (auto [outside, missing] : {std::pair{Str("C3"), Str("C9")}, {Int(c3), Int(c3 + 1000)}}) {
    Status denied = answer(outside);
    Status absent = answer(missing);
    EXPECT_EQ(denied.code(), Code::kInvalidArgument) << denied.ToString();
    EXPECT_EQ(absent.code(), denied.code()) << absent.ToString();
    EXPECT_EQ(denied.field(), "customer_id");
    EXPECT_EQ(absent.field(), "customer_id");
    auto as_text = [](const Value& v) {
      return std::holds_alternative<int64_t>(v) ? std::to_string(std::get<int64_t>(v))
                                                : std::get<std::string>(v);
    };
    std::string message = denied.message();
    message.replace(message.find(as_text(outside)), as_text(outside).size(), as_text(missing));
    EXPECT_EQ(message, absent.message());
    EXPECT_EQ(absent.message(),
              "no customer '" + as_text(missing) + "' among the customers you may see");
  }
  // For an administrator, a missing customer is simply missing.
  auto root_missing = CreateRecord(
      *db_, As("root"), Spec("activities"),
      {{"customer_id", Int(999)}, {"kind", Str("call")}, {"occurred_at", Str("2026-03-01")}});
  ASSERT_FALSE(root_missing.ok());
  EXPECT_EQ(root_missing.status().message(), "no customer '999'");
  // Another customer's contact reads as missing.
  FieldValues with_contact = NewActivity("C1");
  with_contact.emplace_back("contact_id", Str("P2"));
  auto contact = CreateRecord(*db_, As("alice"), Spec("activities"), with_contact);
  ASSERT_FALSE(contact.ok());
  EXPECT_EQ(contact.status().code(), Code::kInvalidArgument) << contact.status().ToString();
  EXPECT_EQ(contact.status().field(), "contact_id");
  EXPECT_EQ(Footprint(), before);
  // The manager of the team may.
  EXPECT_TRUE(CreateRecord(*db_, As("mgr_n"), Spec("activities"), NewActivity("C3")).ok());
}

TEST_F(RecordsTest, CreateValidatesLikeTheImporterAndNamesTheField) {
  const Scope root = As("root");
  const int64_t before = Footprint();
  auto expect_refused = [&](FieldValues fields, const std::string& field,
                            const std::string& message_part = "") {
    auto created = CreateRecord(*db_, root, Spec("activities"), fields);
    ASSERT_FALSE(created.ok()) << field;
    EXPECT_EQ(created.status().code(), Code::kInvalidArgument) << created.status().ToString();
    EXPECT_EQ(created.status().field(), field) << created.status().ToString();
    EXPECT_NE(created.status().message().find(message_part), std::string::npos)
        << created.status().ToString();
  };
  expect_refused({{"customer_id", Str("C1")}, {"kind", Str("call")}}, "occurred_at", "required");
  expect_refused({{"customer_id", Str("C1")}, {"kind", Str("call")}, {"occurred_at", Str("  ")}},
                 "occurred_at", "required");
  expect_refused(
      {{"customer_id", Str("C1")}, {"kind", Str("telepathy")}, {"occurred_at", Str("2026-03-01")}},
      "kind", "telepathy");
  expect_refused({{"customer_id", Str("C1")},
                  {"kind", Str("call")},
                  {"occurred_at", Str("2026-03-01")},
                  {"follow_up_on", Str("31/12/2026")}},
                 "follow_up_on", "YYYY-MM-DD");
  expect_refused({{"customer_id", Str("C1")},
                  {"kind", Str("call")},
                  {"occurred_at", Str("2026-03-01")},
                  {"colour", Str("red")}},
                 "colour", "no field");
  expect_refused({{"customer_id", Str("C1")},
                  {"kind", Str("call")},
                  {"occurred_at", Str("2026-03-01")},
                  {"kind", Str("visit")}},
                 "kind", "twice");
  expect_refused({{"customer_id", Str("C1")},
                  {"kind", Str("call")},
                  {"occurred_at", Str("2026-03-01")},
                  {"version", Int(3)}},
                 "version");
  expect_refused(
      {{"customer_id", Str("C9")}, {"kind", Str("call")}, {"occurred_at", Str("2026-03-01")}},
      "customer_id", "no customer 'C9'");
  expect_refused(
      {{"customer_id", Str("C1")}, {"kind", Value(2.5)}, {"occurred_at", Str("2026-03-01")}},
      "kind");
  // The rules that span fields (domain::CheckRowRules).
  auto invoice = CreateRecord(*db_, root, Spec("invoices"),
                              {{"customer_id", Str("C1")},
                               {"due_on", Str("2026-03-01")},
                               {"amount", Str("10.00")},
                               {"paid_amount", Str("12.00")}});
  ASSERT_FALSE(invoice.ok());
  EXPECT_EQ(invoice.status().field(), "paid_amount");
  auto complaint = CreateRecord(
      *db_, root, Spec("complaints"),
      {{"customer_id", Str("C1")}, {"opened_at", Str("2026-03-01")}, {"satisfaction", Int(7)}});
  ASSERT_FALSE(complaint.ok());
  EXPECT_EQ(complaint.status().field(), "satisfaction");
  EXPECT_EQ(Footprint(), before);
}

TEST_F(RecordsTest, MoneyAsDecimalTextOrMinorUnitsStoresMinorUnits) {
  const Scope root = As("root");
  for (const Value& amount : {Str("12.50"), Int(1250), Str(" 12.5 ")}) {
    auto order = CreateRecord(
        *db_, root, Spec("orders"),
        {{"customer_id", Str("C1")}, {"order_date", Str("2026-02-01")}, {"amount", amount}});
    ASSERT_TRUE(order.ok()) << order.status().ToString();
    EXPECT_EQ(Field(Spec("orders"), *order, "amount"), Int(1250));
    EXPECT_EQ(Field(Spec("orders"), *order, "status"), Int(0));  // completed by default
  }
  EXPECT_EQ(Count("SELECT count(*) FROM orders WHERE amount = 1250"), 3);
  // Orders feed the customer's metrics.
  EXPECT_EQ(Count("SELECT order_count FROM customers WHERE external_id = 'C1'"), 3);
  EXPECT_EQ(Count("SELECT cumulative_sales FROM customers WHERE external_id = 'C1'"), 3750);

  for (const Value& amount : {Int(-5), Str("-1.00"), Str("12.505"), Value(12.5)}) {
    auto refused = CreateRecord(
        *db_, root, Spec("orders"),
        {{"customer_id", Str("C1")}, {"order_date", Str("2026-02-01")}, {"amount", amount}});
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(refused.status().field(), "amount") << refused.status().ToString();
  }
  EXPECT_EQ(Count("SELECT count(*) FROM orders"), 3);
}

TEST_F(RecordsTest, UpdateChecksTheExpectedVersion) {
  const Scope alice = As("alice");
  const auto& spec = Spec("activities");
  const int64_t id = IdOf("activities", "A1");
  const int64_t audits = Count("SELECT count(*) FROM audit_log");

  auto stale = UpdateRecord(*db_, alice, spec, id, {{"notes", Str("late")}}, 2);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.status().code(), Code::kConflict);
  EXPECT_NE(stale.status().message().find("version 1, not 2"), std::string::npos)
      << stale.status().ToString();
  EXPECT_EQ(Text("SELECT notes FROM activities WHERE id = " + std::to_string(id)), "<null>");
  EXPECT_EQ(Count("SELECT version FROM activities WHERE id = " + std::to_string(id)), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log"), audits);

  auto updated =
      UpdateRecord(*db_, alice, spec, id, {{"notes", Str("called back")}, {"kind", Int(0)}}, 1);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(Field(spec, *updated, "notes"), Str("called back"));
  EXPECT_EQ(Count("SELECT version FROM activities WHERE id = " + std::to_string(id)), 2);

  // Writing what is stored changes nothing: same version, no audit entry.
  auto same = UpdateRecord(*db_, alice, spec, id, {{"notes", Str("called back")}}, 2);
  ASSERT_TRUE(same.ok()) << same.status().ToString();
  EXPECT_EQ(same->version, 2);
  EXPECT_EQ(same->updated_at, updated->updated_at);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log"), audits + 1);
  auto unversioned = UpdateRecord(*db_, alice, spec, id, {{"notes", Str("again")}}, std::nullopt);
  ASSERT_TRUE(unversioned.ok());
  EXPECT_EQ(unversioned->version, 3);

  // A new external id is a change too, counted once with the fields.
  auto renamed = UpdateRecord(*db_, alice, spec, id,
                              {{"external_id", Str("A1-new")}, {"notes", Str("renamed")}}, 3);
  ASSERT_TRUE(renamed.ok()) << renamed.status().ToString();
  EXPECT_EQ(renamed->external_id, "A1-new");
  EXPECT_EQ(renamed->version, 4);
  auto taken = UpdateRecord(*db_, alice, spec, id, {{"external_id", Str("A4")}}, std::nullopt);
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(taken.status().field(), "external_id");

  // Rows outside the scope cannot be updated, and read as missing.
  auto hidden = UpdateRecord(*db_, alice, spec, IdOf("activities", "A2"), {{"notes", Str("x")}}, 1);
  ASSERT_FALSE(hidden.ok());
  EXPECT_EQ(hidden.status().code(), Code::kNotFound);
}

TEST_F(RecordsTest, AuditEntriesHoldBeforeAndAfterAndTheActor) {
  const Scope alice = As("alice");
  db_->set_actor(alice.user_id);
  auto created = CreateRecord(*db_, alice, Spec("activities"), NewActivity("C1"));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  auto updated =
      UpdateRecord(*db_, alice, Spec("activities"), created->id,
                   {{"kind", Str("meeting")}, {"follow_up_done", Str("yes")}}, std::nullopt);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();

  const std::string entry =
      "FROM audit_log WHERE entity = 'activities' AND entity_id = " + std::to_string(created->id) +
      " AND user_id = " + std::to_string(*alice.user_id);
  EXPECT_EQ(Count("SELECT count(*) " + entry), 2);
  EXPECT_EQ(Count("SELECT count(*) " + entry +
                  " AND action = 'insert' AND before_json IS NULL"
                  " AND json_extract(after_json, '$.kind') = 'visit'"
                  " AND json_extract(after_json, '$.customer_id') = 1"
                  " AND json_extract(after_json, '$.occurred_at') = '2026-03-01T10:00:00Z'"
                  " AND json_extract(after_json, '$.notes') = 'brought samples'"
                  " AND json_type(after_json, '$.contact_id') = 'null'"),
            1);
  EXPECT_EQ(Count("SELECT count(*) " + entry +
                  " AND action = 'update'"
                  " AND json_extract(before_json, '$.kind') = 'visit'"
                  " AND json_extract(before_json, '$.version') = 1"
                  " AND json_extract(after_json, '$.kind') = 'meeting'"
                  " AND json_type(after_json, '$.follow_up_done') = 'true'"
                  " AND json_extract(after_json, '$.version') = 2"),
            1);
  // Without an actor, nobody in particular.
  db_->set_actor(std::nullopt);
  ASSERT_TRUE(CreateRecord(*db_, EveryCustomer(), Spec("activities"), NewActivity("C4")).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE entity = 'activities' AND "
                  "action = 'insert' AND user_id IS NULL"),
            1);
}

TEST_F(RecordsTest, FieldsOfTheirOwnUseCaseAreRefused) {
  const Scope root = As("root");
  const int64_t before = Footprint();
  auto expect_refused = [&](const Result<Record>& result, const std::string& field) {
    ASSERT_FALSE(result.ok()) << field;
    EXPECT_EQ(result.status().code(), Code::kInvalidArgument) << result.status().ToString();
    EXPECT_EQ(result.status().field(), field) << result.status().ToString();
  };
  FieldValues complaint = {{"customer_id", Str("C1")}, {"opened_at", Str("2026-03-01")}};
  FieldValues resolved = complaint;
  resolved.emplace_back("status", Str("resolved"));
  expect_refused(CreateRecord(*db_, root, Spec("complaints"), resolved), "status");
  FieldValues resolved_at = complaint;
  resolved_at.emplace_back("resolved_at", Str("2026-03-02"));
  expect_refused(CreateRecord(*db_, root, Spec("complaints"), resolved_at), "resolved_at");
  const int64_t k1 = IdOf("complaints", "K1");
  expect_refused(
      UpdateRecord(*db_, root, Spec("complaints"), k1, {{"status", Str("closed")}}, std::nullopt),
      "status");
  expect_refused(UpdateRecord(*db_, root, Spec("complaints"), k1,
                              {{"resolved_at", Str("2026-02-01")}}, std::nullopt),
                 "resolved_at");
  expect_refused(UpdateRecord(*db_, root, Spec("customers"), IdOf("customers", "C1"),
                              {{"status", Str("lost")}}, std::nullopt),
                 "status");
  expect_refused(UpdateRecord(*db_, root, Spec("customers"), IdOf("customers", "C5"),
                              {{"status", Int(2)}}, std::nullopt),
                 "status");
  FieldValues lost_customer = {{"name", Str("Gone")}, {"status", Str("lost")}};
  expect_refused(CreateRecord(*db_, root, Spec("customers"), lost_customer), "status");
  EXPECT_EQ(Footprint(), before);

  // What they allow: an open complaint, other fields, other statuses, the same status.
  FieldValues open = complaint;
  open.emplace_back("status", Str("open"));
  auto opened = CreateRecord(*db_, root, Spec("complaints"), open);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(Field(Spec("complaints"), *opened, "status"), Int(0));
  EXPECT_EQ(Field(Spec("complaints"), *opened, "severity"), Int(1));  // medium by default
  EXPECT_TRUE(UpdateRecord(*db_, root, Spec("complaints"), k1,
                           {{"severity", Str("high")}, {"status", Str("open")}}, std::nullopt)
                  .ok());
  EXPECT_TRUE(UpdateRecord(*db_, root, Spec("customers"), IdOf("customers", "C1"),
                           {{"status", Str("prospect")}}, std::nullopt)
                  .ok());
  EXPECT_TRUE(UpdateRecord(*db_, root, Spec("customers"), IdOf("customers", "C5"),
                           {{"notes", Str("moved away")}, {"status", Str("lost")}}, std::nullopt)
                  .ok());
}

// A churn event's customer, kind and day decide the customer's status: a
// plain update may not change them, only what describes the loss.
TEST_F(RecordsTest, ChurnEventsKeepWhatDecidesTheStatus) {
  LossInput loss;
  loss.customer = "C1";
  loss.type = "competition";
  loss.reasons = "price";
  loss.on = *ParseIsoDate("2026-02-01");
  auto recorded = RecordLoss(*db_, loss);
  ASSERT_TRUE(recorded.ok()) << recorded.status().ToString();
  const Scope root = As("root");
  const int64_t event = recorded->event_id;
  const int64_t before = Footprint();
  for (auto [field, value] : {std::pair<const char*, Value>{"kind", Str("won_back")},
                              {"occurred_on", Str("2026-03-01")},
                              {"customer_id", Str("C2")}}) {
    auto changed =
        UpdateRecord(*db_, root, Spec("churn_events"), event, {{field, value}}, std::nullopt);
    ASSERT_FALSE(changed.ok()) << field;
    EXPECT_EQ(changed.status().code(), Code::kInvalidArgument) << changed.status().ToString();
    EXPECT_EQ(changed.status().field(), field);
  }
  EXPECT_EQ(Footprint(), before);
  auto noted = UpdateRecord(*db_, root, Spec("churn_events"), event,
                            {{"notes", Str("cheaper offer")}, {"kind", Str("lost")}}, std::nullopt);
  EXPECT_TRUE(noted.ok()) << noted.status().ToString();
}

TEST_F(RecordsTest, CustomersStayInTheirCreatorsScope) {
  const Scope alice = As("alice");
  const auto& spec = Spec("customers");
  auto own = CreateRecord(*db_, alice, spec, {{"name", Str("Fjord")}});
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  EXPECT_EQ(Field(spec, *own, "owner_id"), Int(*alice.user_id));
  EXPECT_EQ(Field(spec, *own, "team_id"), Int(*alice.team_id));
  EXPECT_EQ(Field(spec, *own, "status"), Int(2));
  EXPECT_TRUE(GetRecord(*db_, alice, spec, own->id).ok());

  auto for_bob = CreateRecord(*db_, alice, spec, {{"name", Str("Gale")}, {"owner_id", Str("bob")}});
  ASSERT_FALSE(for_bob.ok());
  EXPECT_EQ(for_bob.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(for_bob.status().field(), "owner_id");
  auto give_away = UpdateRecord(*db_, alice, spec, own->id, {{"owner_id", Str("bob")}}, 1);
  ASSERT_FALSE(give_away.ok());
  EXPECT_EQ(give_away.status().code(), Code::kPermissionDenied);

  const Scope manager = As("mgr_n");
  auto team = CreateRecord(*db_, manager, spec, {{"name", Str("Hull")}, {"owner_id", Str("bob")}});
  ASSERT_TRUE(team.ok()) << team.status().ToString();
  EXPECT_EQ(Field(spec, *team, "team_id"), Int(*manager.team_id));
  auto south =
      CreateRecord(*db_, manager, spec, {{"name", Str("Isle")}, {"team_id", Str("South")}});
  ASSERT_FALSE(south.ok());
  EXPECT_EQ(south.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(south.status().field(), "team_id");
  // The manager may move a customer within the team.
  EXPECT_TRUE(UpdateRecord(*db_, manager, spec, own->id, {{"owner_id", Str("bob")}}, 1).ok());

  auto service = CreateRecord(*db_, As("sam"), spec, {{"name", Str("Jade")}});
  ASSERT_FALSE(service.ok());
  EXPECT_EQ(service.status().code(), Code::kPermissionDenied);

  // A row moved to a customer outside the scope is refused.
  auto moved = UpdateRecord(*db_, alice, Spec("activities"), IdOf("activities", "A1"),
                            {{"customer_id", Str("C3")}}, std::nullopt);
  ASSERT_FALSE(moved.ok());
  EXPECT_EQ(moved.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(moved.status().field(), "customer_id");
  EXPECT_EQ(Count("SELECT customer_id FROM activities WHERE external_id = 'A1'"), 1);
}

TEST_F(RecordsTest, MovingARowRefreshesBothCustomersMetrics) {
  const Scope root = As("root");
  auto order = CreateRecord(
      *db_, root, Spec("orders"),
      {{"customer_id", Str("C1")}, {"order_date", Str("2026-02-01")}, {"amount", Str("30.00")}});
  ASSERT_TRUE(order.ok()) << order.status().ToString();
  EXPECT_EQ(Count("SELECT cumulative_sales FROM customers WHERE external_id = 'C1'"), 3000);
  auto moved = UpdateRecord(*db_, root, Spec("orders"), order->id, {{"customer_id", Str("C2")}},
                            std::nullopt);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(Count("SELECT cumulative_sales FROM customers WHERE external_id = 'C1'"), 0);
  EXPECT_EQ(Count("SELECT cumulative_sales FROM customers WHERE external_id = 'C2'"), 3000);
  EXPECT_EQ(Text("SELECT last_order_date FROM customers WHERE external_id = 'C2'"), "2026-02-01");
  auto cancelled = UpdateRecord(*db_, root, Spec("orders"), order->id,
                                {{"status", Str("cancelled")}}, std::nullopt);
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(Count("SELECT order_count FROM customers WHERE external_id = 'C2'"), 0);
}

// customers.record_tables: one bit per table holding the customer's records,
// which the profile reads to skip the tables that hold none.
TEST_F(RecordsTest, RecordTablesSayWhichTablesHoldACustomersRecords) {
  auto bits = [&] {
    return Text(
        "SELECT group_concat(external_id || ':' || record_tables, ' ') FROM"
        " (SELECT external_id, record_tables FROM customers ORDER BY id)");
  };
  // Set row by row as the fixture imported contacts (1), activities (2) and a
  // complaint (256).
  EXPECT_EQ(bits(), "C1:3 C2:0 C3:259 C4:3 C5:0");
  // Each table's triggers set the bit the code reads for it.
  for (domain::Entity entity : store::kRecordTables) {
    const std::string table(domain::SpecOf(entity).name);
    const std::string bit = std::to_string(store::RecordTableBit(entity));
    for (const char* event : {"insert", "move"}) {
      const std::string sql =
          Text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '" + table +
               "' AND name = '" + table + "_record_tables_" + event + "'");
      EXPECT_NE(sql.find("SET record_tables = record_tables | " + bit + "\n"), std::string::npos)
          << table << " " << event << ": " << sql;
      EXPECT_NE(sql.find("AND record_tables & " + bit + " = 0;"), std::string::npos)
          << table << " " << event << ": " << sql;
    }
  }

  const Scope root = As("root");
  auto order = CreateRecord(
      *db_, root, Spec("orders"),
      {{"customer_id", Str("C2")}, {"order_date", Str("2026-02-01")}, {"amount", Str("30.00")}});
  ASSERT_TRUE(order.ok()) << order.status().ToString();
  auto deal = CreateRecord(*db_, root, Spec("opportunities"),
                           {{"customer_id", Str("C5")}, {"name", Str("Renewal")}});
  ASSERT_TRUE(deal.ok()) << deal.status().ToString();
  EXPECT_EQ(bits(), "C1:3 C2:16 C3:259 C4:3 C5:4");
  // A row moved to another customer marks that customer; its old customer
  // keeps the bit (a bit may be set for a table with no rows, never clear for
  // one with rows) until a rebuild clears it.
  auto moved = UpdateRecord(*db_, root, Spec("orders"), order->id, {{"customer_id", Str("C5")}},
                            std::nullopt);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(bits(), "C1:3 C2:16 C3:259 C4:3 C5:20");
  auto rebuilt = RebuildMetrics(*db_);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status().ToString();
  EXPECT_EQ(rebuilt->record_tables_changed, 1);
  EXPECT_EQ(bits(), "C1:3 C2:0 C3:259 C4:3 C5:20");

  // The profile reads only the tables whose bit is set: with C1's bits
  // cleared behind Tenure's back its contact and activities are not read;
  // a rebuild brings them back.
  auto rows_of = [&](const char* customer) {
    auto profile = LoadCustomerProfile(*db_, store::RowKey{customer}, *ParseIsoDate("2026-03-01"));
    EXPECT_TRUE(profile.ok()) << profile.status().ToString();
    std::string out;
    if (!profile.ok()) return out;
    for (const ProfileSection& section : profile->sections) {
      for (const store::ExportRow& row : section.rows) {
        out += (out.empty() ? "" : " ") + std::string(section.spec->name) + ":" +
               (row.external_id.empty() ? std::to_string(row.id) : row.external_id);
      }
    }
    return out;
  };
  EXPECT_EQ(rows_of("C1"), "contacts:P1 activities:A4 activities:A1");
  ASSERT_TRUE(db_->Exec("UPDATE customers SET record_tables = 0 WHERE external_id = 'C1'").ok());
  EXPECT_EQ(rows_of("C1"), "");
  rebuilt = RebuildMetrics(*db_);
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_EQ(rebuilt->record_tables_changed, 1);
  EXPECT_EQ(rows_of("C1"), "contacts:P1 activities:A4 activities:A1");
  EXPECT_EQ(rows_of("C2"), "");
  EXPECT_EQ(rows_of("C5"),
            "opportunities:" + std::to_string(deal->id) + " orders:" + std::to_string(order->id));
}

TEST_F(RecordsTest, ProfileNamesACustomerWithoutExternalIdByItsInternalId) {
  const Scope root = As("root");
  auto customer = CreateRecord(*db_, root, Spec("customers"), {{"name", Str("Walk-in")}});
  ASSERT_TRUE(customer.ok()) << customer.status().ToString();
  const std::string id = std::to_string(customer->id);
  auto order = CreateRecord(
      *db_, root, Spec("orders"),
      {{"customer_id", Value(id)}, {"order_date", Str("2026-02-01")}, {"amount", Str("30.00")}});
  ASSERT_TRUE(order.ok()) << order.status().ToString();
  auto profile =
      LoadCustomerProfile(*db_, store::RowKey::Internal(customer->id), *ParseIsoDate("2026-03-01"));
  ASSERT_TRUE(profile.ok()) << profile.status().ToString();
  EXPECT_EQ(profile->customer.external_id, "");
  size_t orders = 0;
  for (const ProfileSection& section : profile->sections) {
    for (const store::ExportRow& row : section.rows) {
      EXPECT_EQ(row.values[*section.spec->FieldIndex("customer_id")], Value(id))
          << section.spec->name;
      orders += section.spec->entity == domain::Entity::kOrder;
    }
  }
  EXPECT_EQ(orders, 1u);
}

TEST_F(RecordsTest, SharedEntitiesAreWrittenByAdministratorsOnly) {
  const int64_t before = Footprint();
  FieldValues user = {{"username", Str("dave")}, {"role", Str("sales")}, {"team_id", Str("North")}};
  for (const char* who : {"alice", "mgr_n", "sam"}) {
    auto denied = CreateRecord(*db_, As(who), Spec("users"), user);
    ASSERT_FALSE(denied.ok()) << who;
    EXPECT_EQ(denied.status().code(), Code::kPermissionDenied);
  }
  auto rename = UpdateRecord(*db_, As("alice"), Spec("teams"), IdOf("teams", "North"),
                             {{"name", Str("Nord")}}, std::nullopt);
  EXPECT_EQ(rename.status().code(), Code::kPermissionDenied);
  auto reason = CreateRecord(*db_, As("mgr_n"), Spec("churn_reasons"),
                             {{"code", Str("weather")}, {"label", Str("Weather")}});
  EXPECT_EQ(reason.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(Footprint(), before);

  auto created = CreateRecord(*db_, As("root"), Spec("users"), user);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(Field(Spec("users"), *created, "team_id"), Int(IdOf("teams", "North")));
  EXPECT_EQ(Field(Spec("users"), *created, "active"), Int(1));
  EXPECT_EQ(Text("SELECT password_hash FROM users WHERE username = 'dave'"), "<null>");
  auto promoted = UpdateRecord(*db_, As("root"), Spec("users"), created->id,
                               {{"role", Str("manager")}}, created->version);
  ASSERT_TRUE(promoted.ok()) << promoted.status().ToString();
  EXPECT_EQ(Field(Spec("users"), *promoted, "role"), Int(1));
}

TEST_F(RecordsTest, AFailedCreateLeavesNothingWritten) {
  const Scope root = As("root");
  const int64_t before = Footprint();
  // A taken external id.
  FieldValues taken = NewActivity("C1");
  taken.emplace_back("external_id", Str("A1"));
  auto duplicate = CreateRecord(*db_, root, Spec("activities"), taken);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(duplicate.status().field(), "external_id");
  // A constraint the database enforces (usernames are unique).
  auto same_name = CreateRecord(*db_, root, Spec("users"), {{"username", Str("alice")}});
  ASSERT_FALSE(same_name.ok());
  EXPECT_EQ(same_name.status().code(), Code::kConflict) << same_name.status().ToString();
  // A lost churn event needs its type and reasons; reasons must exist.
  auto no_reasons = CreateRecord(*db_, root, Spec("churn_events"),
                                 {{"customer_id", Str("C2")},
                                  {"occurred_on", Str("2026-03-01")},
                                  {"churn_type", Str("competition")}});
  ASSERT_FALSE(no_reasons.ok());
  EXPECT_EQ(no_reasons.status().field(), "reasons");
  auto unknown_reason = CreateRecord(*db_, root, Spec("churn_events"),
                                     {{"customer_id", Str("C2")},
                                      {"occurred_on", Str("2026-03-01")},
                                      {"churn_type", Str("competition")},
                                      {"reasons", Str("price;weather")}});
  ASSERT_FALSE(unknown_reason.ok());
  EXPECT_EQ(unknown_reason.status().field(), "reasons");
  EXPECT_EQ(Footprint(), before);

  // Reason lists are written to their link table and read back sorted.
  auto event = CreateRecord(*db_, root, Spec("churn_events"),
                            {{"customer_id", Str("C2")},
                             {"occurred_on", Str("2026-03-01")},
                             {"churn_type", Str("competition")},
                             {"reasons", Str("price|competitor_offer|price")}});
  ASSERT_TRUE(event.ok()) << event.status().ToString();
  EXPECT_EQ(Field(Spec("churn_events"), *event, "reasons"), Str("competitor_offer;price"));
  EXPECT_EQ(Count("SELECT count(*) FROM churn_event_reasons"), 2);
  EXPECT_EQ(List(root, "churn_events", {{"reasons", Str("price;competitor_offer")}}).size(), 1u);
  auto fewer =
      UpdateRecord(*db_, root, Spec("churn_events"), event->id, {{"reasons", Str("price")}}, 1);
  ASSERT_TRUE(fewer.ok()) << fewer.status().ToString();
  EXPECT_EQ(fewer->version, 2);
  EXPECT_EQ(Field(Spec("churn_events"), *fewer, "reasons"), Str("price"));
}

}  // namespace
}  // namespace tenure::engine
