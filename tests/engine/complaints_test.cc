// Complaints and demands: recording with validation, every status move (the
// allowed ones and the refused ones with their messages), resolving with a
// satisfaction score, the audit trail; and the report's time to resolve,
// deadlines and counts by category, on hand-built data with known answers.
#include "engine/complaints.h"

#include <gtest/gtest.h>

#include "engine/import_fixture.h"

namespace tenure::engine {
namespace {

using domain::ComplaintStatus;

class ComplaintsTest : public ImportFixture {
 protected:
  Timestamp T(const char* text) { return *ParseTimestamp(text); }

  NewComplaint Complaint(const std::string& id) {
    NewComplaint c;
    c.customer = "C1";
    c.kind = "complaint";
    c.category = "delivery";
    c.severity = "high";
    c.assignee = "sam";
    c.external_id = id;
    c.opened_at = T("2026-03-01T08:00:00Z");
    return c;
  }

  // Eight complaints with known times (hours to resolve in brackets):
  // high: K1 [10], K2 [54], K3 [2]; low: K4 [168], K5 [24]; open: K6 critical,
  // K7 medium, K8 low demand (in progress).
  void ImportHistory() {
    ImportBasics();
    ImportClean(
        "complaints",
        "complaint_id,customer_id,kind,category,severity,status,opened_at,resolved_at,"
        "satisfaction\n"
        "K1,C1,complaint,delivery,high,closed,2026-01-05T00:00:00Z,2026-01-05T10:00:00Z,4\n"
        "K2,C1,complaint,delivery,high,resolved,2026-01-10T00:00:00Z,2026-01-12T06:00:00Z,2\n"
        "K3,C2,complaint,billing,high,closed,2026-02-01T00:00:00Z,2026-02-01T02:00:00Z,5\n"
        "K4,C2,complaint,delivery,low,closed,2026-02-03T00:00:00Z,2026-02-10T00:00:00Z,\n"
        "K5,C1,complaint,quality,low,resolved,2026-02-05T00:00:00Z,2026-02-06T00:00:00Z,3\n"
        "K6,C1,complaint,quality,critical,open,2026-03-01T00:00:00Z,,\n"
        "K7,C2,complaint,delivery,medium,open,2026-03-30T00:00:00Z,,\n"
        "K8,C2,demand,feature,low,in_progress,2026-03-02T00:00:00Z,,\n");
  }
};

TEST_F(ComplaintsTest, AddRecordsAnOpenComplaintWithAnAuditEntry) {
  ImportBasics();
  NewComplaint in = Complaint("K1");
  in.kind = "demand";
  in.description = "wants weekend delivery";
  auto c = AddComplaint(*db_, in);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->external_id, "K1");
  EXPECT_EQ(c->kind, 1);
  EXPECT_EQ(c->severity, 2);
  EXPECT_EQ(c->status, 0);
  EXPECT_EQ(c->assignee, "sam");
  EXPECT_EQ(c->customer, "C1");
  EXPECT_EQ(c->opened_at, T("2026-03-01T08:00:00Z"));
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'insert' AND entity = "
                  "'complaints' AND before_json IS NULL AND json_extract(after_json, '$.status') "
                  "= 'open'"),
            1);
}

TEST_F(ComplaintsTest, AddRefusesBadInputAndWritesNothing) {
  ImportBasics();
  ASSERT_TRUE(AddComplaint(*db_, Complaint("K1")).ok());
  auto expect_refused = [&](NewComplaint in, Status::Code code, const std::string& field) {
    auto c = AddComplaint(*db_, in);
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.status().code(), code) << c.status().ToString();
    EXPECT_EQ(c.status().field(), field) << c.status().ToString();
  };
  NewComplaint in = Complaint("K2");
  in.kind = "praise";
  expect_refused(in, Status::Code::kInvalidArgument, "--kind");
  in = Complaint("K2");
  in.severity = "urgent";
  expect_refused(in, Status::Code::kInvalidArgument, "--severity");
  in = Complaint("K2");
  in.category = " ";
  expect_refused(in, Status::Code::kInvalidArgument, "--category");
  in = Complaint("K2");
  in.customer = "C9";
  expect_refused(in, Status::Code::kNotFound, "--customer");
  in = Complaint("K2");
  in.assignee = "nobody";
  expect_refused(in, Status::Code::kNotFound, "--assignee");
  expect_refused(Complaint("K1"), Status::Code::kAlreadyExists, "--id");
  EXPECT_EQ(Count("SELECT count(*) FROM complaints"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action <> 'import'"), 1);
}

TEST_F(ComplaintsTest, StatusMovesFollowTheLifecycle) {
  ImportBasics();
  auto added = AddComplaint(*db_, Complaint("K1"));
  ASSERT_TRUE(added.ok()) << added.status().ToString();

  auto moved = SetComplaintStatus(*db_, "K1", ComplaintStatus::kInProgress);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(moved->status, 1);
  EXPECT_EQ(moved->version, 2);

  auto same = SetComplaintStatus(*db_, "K1", ComplaintStatus::kInProgress);
  ASSERT_FALSE(same.ok());
  EXPECT_EQ(same.status().code(), Status::Code::kConflict);
  EXPECT_EQ(same.status().message(),
            "cannot move a complaint from in_progress to in_progress: it is in_progress already");

  auto closed_early = CloseComplaint(*db_, "K1");
  ASSERT_FALSE(closed_early.ok());
  EXPECT_EQ(closed_early.status().message(),
            "cannot move a complaint from in_progress to closed: resolve it first");

  // By internal id, too.
  std::string id = std::to_string(added->id);
  auto resolved = ResolveComplaint(*db_, id, "sent a replacement", 4, T("2026-03-02T08:00:00Z"));
  ASSERT_TRUE(resolved.ok()) << resolved.status().ToString();
  EXPECT_EQ(resolved->status, 2);
  EXPECT_EQ(resolved->satisfaction, 4);
  EXPECT_EQ(resolved->resolved_at, T("2026-03-02T08:00:00Z"));
  EXPECT_EQ(resolved->resolution, "sent a replacement");
  EXPECT_EQ(resolved->version, 3);

  auto back = SetComplaintStatus(*db_, "K1", ComplaintStatus::kOpen);
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(
      back.status().message(),
      "cannot move a complaint from resolved to open: it is resolved; use `complaint reopen`");

  ASSERT_TRUE(CloseComplaint(*db_, "K1").ok());
  auto again = ResolveComplaint(*db_, "K1", "again", 5, T("2026-03-03T08:00:00Z"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().message(),
            "cannot move a complaint from closed to resolved: it is closed already");

  auto reopened = ReopenComplaint(*db_, "K1");
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ(reopened->status, 0);
  EXPECT_FALSE(reopened->resolved_at);
  EXPECT_FALSE(reopened->satisfaction);
  EXPECT_EQ(reopened->version, 5);
  auto reopen_open = ReopenComplaint(*db_, "K1");
  ASSERT_FALSE(reopen_open.ok());
  EXPECT_EQ(reopen_open.status().message(),
            "cannot move a complaint from open to open: only resolved or closed complaints can "
            "be reopened");

  // Stored row and audit trail: insert, status, resolve, close, reopen.
  EXPECT_EQ(Count("SELECT version FROM complaints WHERE external_id = 'K1'"), 5);
  EXPECT_EQ(Text("SELECT group_concat(action, ',') FROM (SELECT action FROM audit_log WHERE "
                 "action <> 'import' ORDER BY id)"),
            "insert,status,resolve,close,reopen");
  EXPECT_EQ(Text("SELECT json_extract(before_json, '$.status') || '>' || "
                 "json_extract(after_json, '$.status') || ' ' || json_extract(after_json, "
                 "'$.satisfaction') FROM audit_log WHERE action = 'resolve'"),
            "in_progress>resolved 4");
  EXPECT_EQ(Text("SELECT json_extract(before_json, '$.resolved_at') FROM audit_log WHERE action "
                 "= 'reopen'"),
            "2026-03-02T08:00:00Z");
}

TEST_F(ComplaintsTest, ResolveAndAssignValidateAndWriteNothingWhenRefused) {
  ImportBasics();
  ASSERT_TRUE(AddComplaint(*db_, Complaint("K1")).ok());
  auto bad_score = ResolveComplaint(*db_, "K1", "done", 6, T("2026-03-02T08:00:00Z"));
  ASSERT_FALSE(bad_score.ok());
  EXPECT_EQ(bad_score.status().field(), "--satisfaction");
  auto too_early = ResolveComplaint(*db_, "K1", "done", 3, T("2026-03-01T07:59:59Z"));
  ASSERT_FALSE(too_early.ok());
  EXPECT_EQ(too_early.status().field(), "--at");
  auto unknown = ResolveComplaint(*db_, "K9", "done", 3, T("2026-03-02T08:00:00Z"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(Count("SELECT version FROM complaints"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM complaints WHERE resolved_at IS NULL AND status = 0"), 1);

  auto assigned = AssignComplaint(*db_, "K1", "alice");
  ASSERT_TRUE(assigned.ok()) << assigned.status().ToString();
  EXPECT_EQ(assigned->assignee, "alice");
  EXPECT_EQ(Text("SELECT u.username FROM complaints c JOIN users u ON u.id = c.assignee_id"),
            "alice");
  EXPECT_EQ(AssignComplaint(*db_, "K1", "ghost").status().field(), "--to");
}

// A move given the version it expects is refused, inside its transaction,
// once another change has moved the complaint on.
TEST_F(ComplaintsTest, MovesWithAStaleVersionAreRefused) {
  ImportBasics();
  ASSERT_TRUE(AddComplaint(*db_, Complaint("K1")).ok());
  EXPECT_EQ(Count("SELECT version FROM complaints"), 1);
  auto moved = SetComplaintStatus(*db_, "K1", ComplaintStatus::kInProgress, 1);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(moved->version, 2);
  auto stale = ResolveComplaint(*db_, "K1", "done", 4, T("2026-03-02T08:00:00Z"), 1);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.status().code(), Status::Code::kConflict);
  EXPECT_NE(stale.status().message().find("version 2"), std::string::npos)
      << stale.status().message();
  EXPECT_EQ(AssignComplaint(*db_, "K1", "alice", 1).status().code(), Status::Code::kConflict);
  EXPECT_EQ(CloseComplaint(*db_, "K1", 7).status().code(), Status::Code::kConflict);
  EXPECT_EQ(ReopenComplaint(*db_, "K1", 1).status().code(), Status::Code::kConflict);
  EXPECT_EQ(Count("SELECT version FROM complaints"), 2);
  EXPECT_EQ(Count("SELECT status FROM complaints"), 1);  // still in progress
  auto resolved = ResolveComplaint(*db_, "K1", "done", 4, T("2026-03-02T08:00:00Z"), 2);
  ASSERT_TRUE(resolved.ok()) << resolved.status().ToString();
  EXPECT_EQ(resolved->version, 3);
}

TEST_F(ComplaintsTest, MeanAndMedian) {
  auto [mean, median] = MeanAndMedian({3, 1, 2, 10});
  EXPECT_DOUBLE_EQ(mean, 4);
  EXPECT_DOUBLE_EQ(median, 2.5);
  auto [mean1, median1] = MeanAndMedian({7});
  EXPECT_DOUBLE_EQ(mean1, 7);
  EXPECT_DOUBLE_EQ(median1, 7);
  EXPECT_EQ(MeanAndMedian({}), std::make_pair(0.0, 0.0));
}

TEST_F(ComplaintsTest, ReportTimesDeadlinesAndCategories) {
  ImportHistory();
  ComplaintReportOptions o;
  o.to = *ParseIsoDate("2026-03-31");
  auto r = BuildComplaintReport(*db_, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->opened, 8);
  EXPECT_EQ(r->opened_by_kind[0], 7);
  EXPECT_EQ(r->opened_by_kind[1], 1);
  // All: 10, 54, 2, 168, 24 hours.
  EXPECT_EQ(r->all.resolved, 5);
  EXPECT_DOUBLE_EQ(r->all.mean_hours, 51.6);
  EXPECT_DOUBLE_EQ(r->all.median_hours, 24);
  const ResolveTimes& high = r->by_severity[2];
  EXPECT_EQ(high.resolved, 3);
  EXPECT_DOUBLE_EQ(high.mean_hours, 22);
  EXPECT_DOUBLE_EQ(high.median_hours, 10);
  EXPECT_EQ(high.within_deadline, 2);  // 24 h: K1 and K3, not K2
  EXPECT_DOUBLE_EQ(high.mean_satisfaction, 11.0 / 3);
  const ResolveTimes& low = r->by_severity[0];
  EXPECT_DOUBLE_EQ(low.mean_hours, 96);
  EXPECT_DOUBLE_EQ(low.median_hours, 96);
  EXPECT_EQ(low.within_deadline, 2);  // 168 h exactly is on time
  EXPECT_EQ(low.rated, 1);
  EXPECT_EQ(r->by_severity[3].resolved, 0);
  // Open at 2026-04-01T00:00Z: K6 (critical, 8 h: overdue), K7 (medium, 72 h
  // from 03-30: not yet), K8 (low, 168 h from 03-02: overdue).
  EXPECT_EQ(r->open, 3);
  EXPECT_EQ(r->overdue, 2);
  EXPECT_EQ(r->overdue_by_severity[3], 1);
  EXPECT_EQ(r->overdue_by_severity[0], 1);
  EXPECT_EQ(r->overdue_by_severity[1], 0);
  EXPECT_EQ(r->open_by_severity[1], 1);

  std::string categories;
  for (const CategoryCount& c : r->by_category) {
    categories += c.period + " " + std::to_string(c.kind) + " " + c.category + " " +
                  std::to_string(c.count) + "; ";
  }
  EXPECT_EQ(categories,
            "2026-01 0 delivery 2; 2026-02 0 billing 1; 2026-02 0 delivery 1; "
            "2026-02 0 quality 1; 2026-03 0 delivery 1; 2026-03 0 quality 1; "
            "2026-03 1 feature 1; ");

  o.period = ReportPeriod::kQuarter;
  o.from = *ParseIsoDate("2026-02-01");
  o.to = *ParseIsoDate("2026-02-28");
  auto feb = BuildComplaintReport(*db_, o);
  ASSERT_TRUE(feb.ok());
  EXPECT_EQ(feb->opened, 3);
  EXPECT_DOUBLE_EQ(feb->all.mean_hours, (2.0 + 168 + 24) / 3);
  ASSERT_EQ(feb->by_category.size(), 3u);
  EXPECT_EQ(feb->by_category[1].period, "2026-Q1");
  EXPECT_EQ(feb->by_category[1].category, "delivery");
  EXPECT_EQ(feb->open, 0);  // K2 was resolved on 01-12

  o.from = *ParseIsoDate("2026-04-01");
  EXPECT_EQ(BuildComplaintReport(*db_, o).status().field(), "--from");
}

TEST_F(ComplaintsTest, ListFiltersAndOverdueAsOfADay) {
  ImportHistory();
  ComplaintListOptions o;
  o.as_of = *ParseIsoDate("2026-03-31");
  o.overdue_only = true;
  auto overdue = ListComplaints(*db_, o);
  ASSERT_TRUE(overdue.ok()) << overdue.status().ToString();
  ASSERT_EQ(overdue->size(), 2u);
  EXPECT_EQ((*overdue)[0].external_id, "K6");
  EXPECT_EQ((*overdue)[1].external_id, "K8");

  // On 2026-01-11 K2 (high, opened 01-10) was past its 24 h and not resolved
  // until 01-12: overdue then, although resolved now.
  o.as_of = *ParseIsoDate("2026-01-11");
  auto then = ListComplaints(*db_, o);
  ASSERT_TRUE(then.ok());
  ASSERT_EQ(then->size(), 1u);
  EXPECT_EQ((*then)[0].external_id, "K2");

  ComplaintListOptions by_customer;
  by_customer.as_of = o.as_of;
  by_customer.customer = "C2";
  by_customer.status = ComplaintStatus::kClosed;
  auto closed = ListComplaints(*db_, by_customer);
  ASSERT_TRUE(closed.ok());
  ASSERT_EQ(closed->size(), 2u);
  EXPECT_EQ((*closed)[0].external_id, "K3");
  EXPECT_EQ((*closed)[1].external_id, "K4");
  by_customer.customer = "C9";
  EXPECT_EQ(ListComplaints(*db_, by_customer).status().field(), "--customer");
}

TEST_F(ComplaintsTest, DeadlinesComeFromTheOptions) {
  ImportHistory();
  ComplaintListOptions o;
  o.as_of = *ParseIsoDate("2026-03-31");
  o.overdue_only = true;
  o.deadlines.hours = {24 * 40, 24, 24, 24 * 40};  // low and critical: 40 days
  auto overdue = ListComplaints(*db_, o);
  ASSERT_TRUE(overdue.ok());
  ASSERT_EQ(overdue->size(), 1u);
  EXPECT_EQ((*overdue)[0].external_id, "K7");  // medium: 24 h from 03-30 passed
}

}  // namespace
}  // namespace tenure::engine
