#include "store/team_queries.h"

namespace tenure::store {
namespace {

std::optional<int64_t> OptInt(const Statement& stmt, int column) {
  if (stmt.IsNull(column)) return std::nullopt;
  return stmt.Int(column);
}

std::optional<std::string> OptText(const Statement& stmt, int column) {
  if (stmt.IsNull(column)) return std::nullopt;
  return std::string(stmt.Text(column));
}

// Runs a prepared statement and calls `read` for each row.
template <typename Read>
Status EachRow(Statement& stmt, Read read) {
  Result<bool> step = stmt.Step();
  for (; step.ok() && *step; step = stmt.Step()) read(stmt);
  return step.status();
}

}  // namespace

Result<std::vector<TeamUserRow>> LoadTeamUsers(Database& db) {
  auto stmt = db.Prepare(
      "SELECT u.id, u.username, coalesce(u.full_name, ''), u.team_id, coalesce(t.name, ''),"
      " u.role, u.active FROM users u LEFT JOIN teams t ON t.id = u.team_id ORDER BY u.username");
  if (!stmt.ok()) return stmt.status();
  std::vector<TeamUserRow> rows;
  TENURE_RETURN_IF_ERROR(EachRow(**stmt, [&](const Statement& s) {
    rows.push_back({s.Int(0), std::string(s.Text(1)), std::string(s.Text(2)), OptInt(s, 3),
                    std::string(s.Text(4)), s.Int(5), s.Int(6) != 0});
  }));
  return rows;
}

Result<std::vector<ActivityCountRow>> LoadActivityCounts(Database& db, const TeamPeriod& period) {
  // Outcome codes: 0 effective, 1 high value, 2 unsuccessful; kind 1 is a visit.
  std::string day = period.by_day ? "date(a.occurred_at, 'unixepoch')" : "''";
  auto stmt = db.Prepare(
      "SELECT a.user_id, " + day +
      " AS day, count(*), sum(a.kind = 1), sum(a.outcome = 0), sum(a.outcome = 1),"
      " sum(a.outcome = 2) FROM activities a WHERE a.occurred_at >= ? AND a.occurred_at < ?"
      " GROUP BY a.user_id, day ORDER BY a.user_id, day");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindInt(1, StartOf(period.from));
  (*stmt)->BindInt(2, StartOf(period.to) + 86400);
  std::vector<ActivityCountRow> rows;
  TENURE_RETURN_IF_ERROR(EachRow(**stmt, [&](const Statement& s) {
    rows.push_back(
        {OptInt(s, 0), std::string(s.Text(1)), s.Int(2), s.Int(3), s.Int(4), s.Int(5), s.Int(6)});
  }));
  return rows;
}

Result<std::vector<OpportunityCloseRow>> LoadOpportunityCloses(Database& db,
                                                               const TeamPeriod& period) {
  // Stage codes: 5 won, 6 lost.
  std::string day = period.by_day ? "o.closed_on" : "''";
  auto stmt = db.Prepare("SELECT o.owner_id, " + day +
                         " AS day, sum(o.stage = 5), sum(o.stage = 6) FROM opportunities o"
                         " WHERE o.stage IN (5, 6) AND o.closed_on >= ? AND o.closed_on <= ?"
                         " GROUP BY o.owner_id, day ORDER BY o.owner_id, day");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindText(1, FormatDate(period.from));
  (*stmt)->BindText(2, FormatDate(period.to));
  std::vector<OpportunityCloseRow> rows;
  TENURE_RETURN_IF_ERROR(EachRow(**stmt, [&](const Statement& s) {
    rows.push_back({OptInt(s, 0), std::string(s.Text(1)), s.Int(2), s.Int(3)});
  }));
  return rows;
}

Result<std::vector<OwnedAtStartRow>> LoadOwnedAtStart(Database& db, const TeamPeriod& period) {
  // ?1 the start as epoch seconds, ?2 and ?3 the first and last day. Status
  // codes 0 and 1 are lead and prospect; churn event kind 0 is lost. Each
  // subquery is one probe of the (customer_id, time) indexes.
  auto stmt = db.Prepare(
      "WITH base AS ("
      " SELECT c.id AS id, coalesce("
      "   (SELECT x.to_user_id FROM ownership_changes x"
      "     WHERE x.customer_id = c.id AND x.changed_at < ?1"
      "     ORDER BY x.changed_at DESC, x.id DESC LIMIT 1),"
      "   CASE WHEN EXISTS (SELECT 1 FROM ownership_changes x WHERE x.customer_id = c.id)"
      "     THEN (SELECT x.from_user_id FROM ownership_changes x WHERE x.customer_id = c.id"
      "       ORDER BY x.changed_at, x.id LIMIT 1)"
      "     ELSE c.owner_id END) AS owner"
      " FROM customers c"
      " WHERE c.status NOT IN (0, 1) AND (c.acquired_on IS NULL OR c.acquired_on < ?2)"
      "   AND coalesce((SELECT e.kind FROM churn_events e"
      "     WHERE e.customer_id = c.id AND e.occurred_on < ?2"
      "     ORDER BY e.occurred_on DESC, e.id DESC LIMIT 1), 1) <> 0)"
      " SELECT b.owner, (SELECT min(e.occurred_on) FROM churn_events e"
      "   WHERE e.customer_id = b.id AND e.kind = 0 AND e.occurred_on >= ?2"
      "     AND e.occurred_on <= ?3) AS lost_on, count(*)"
      " FROM base b WHERE b.owner IS NOT NULL GROUP BY b.owner, lost_on ORDER BY b.owner, lost_on");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindInt(1, StartOf(period.from));
  (*stmt)->BindText(2, FormatDate(period.from));
  (*stmt)->BindText(3, FormatDate(period.to));
  std::vector<OwnedAtStartRow> rows;
  TENURE_RETURN_IF_ERROR(EachRow(**stmt, [&](const Statement& s) {
    rows.push_back({s.Int(0), OptText(s, 1), s.Int(2)});
  }));
  return rows;
}

Result<CustomerHeader> LoadCustomerHeader(Database& db, int64_t customer_id) {
  auto stmt = db.Prepare("SELECT id, coalesce(external_id, ''), name FROM customers WHERE id = ?");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindInt(1, customer_id);
  std::optional<CustomerHeader> found;
  TENURE_RETURN_IF_ERROR(EachRow(**stmt, [&](const Statement& s) {
    found = CustomerHeader{s.Int(0), std::string(s.Text(1)), std::string(s.Text(2))};
  }));
  if (!found) return Status::NotFound("no customer with id " + std::to_string(customer_id));
  return *found;
}

Result<std::vector<ContactHistoryRow>> LoadContactHistory(Database& db, int64_t customer_id) {
  auto stmt = db.Prepare(
      "SELECT a.id, a.occurred_at, u.username, k.name, a.kind, a.outcome, a.notes,"
      " a.follow_up_on, a.follow_up_done FROM activities a"
      " LEFT JOIN users u ON u.id = a.user_id LEFT JOIN contacts k ON k.id = a.contact_id"
      " WHERE a.customer_id = ? ORDER BY a.occurred_at DESC, a.id DESC");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindInt(1, customer_id);
  std::vector<ContactHistoryRow> rows;
  TENURE_RETURN_IF_ERROR(EachRow(**stmt, [&](const Statement& s) {
    rows.push_back({s.Int(0), s.Int(1), OptText(s, 2), OptText(s, 3), s.Int(4), OptInt(s, 5),
                    OptText(s, 6), OptText(s, 7), s.Int(8) != 0});
  }));
  return rows;
}

}  // namespace tenure::store
