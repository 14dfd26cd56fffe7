#include "store/handover_queries.h"

#include "common/numbers.h"

namespace tenure::store {
namespace {

// kHandoverReasons as an SQL list.
constexpr std::string_view kHandoverReasonsSql = "('handover', 'salesperson left')";

// The open-item conditions, for a row aliased `t` and the user bound as ?1.
constexpr std::string_view kOpenActivity =
    "t.user_id = ?1 AND t.follow_up_done = 0 AND t.follow_up_on IS NOT NULL";
constexpr std::string_view kOpenOpportunity = "t.owner_id = ?1 AND t.stage NOT IN (5, 6)";
constexpr std::string_view kOpenComplaint = "t.assignee_id = ?1 AND t.status IN (0, 1)";

std::string S(std::string_view text) { return std::string(text); }

}  // namespace

Result<std::optional<UserRef>> FindUserRef(Database& db, std::string_view key) {
  auto stmt = db.Prepare(
      "SELECT id, username, active, team_id, 1 FROM users WHERE username = ?1"
      " UNION ALL SELECT id, username, active, team_id, 2 FROM users WHERE external_id = ?1"
      " UNION ALL SELECT id, username, active, team_id, 3 FROM users WHERE id = ?2"
      " ORDER BY 5 LIMIT 1");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  s.BindText(1, key);
  if (std::optional<int64_t> number = ParseInteger(key)) {
    s.BindInt(2, *number);
  } else {
    s.BindNull(2);
  }
  Result<bool> row = s.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<UserRef>();
  UserRef user;
  user.id = s.Int(0);
  user.username = s.Text(1);
  user.active = s.Int(2) != 0;
  if (!s.IsNull(3)) user.team_id = s.Int(3);
  return std::optional<UserRef>(std::move(user));
}

Result<std::vector<OwnedCustomer>> LoadOwnedCustomers(Database& db, int64_t user_id) {
  auto stmt = db.Prepare(
      "SELECT c.id, c.external_id, c.name, c.province, c.city,"
      " (SELECT count(*) FROM activities t WHERE t.customer_id = c.id AND " +
      S(kOpenActivity) +
      "),"
      " (SELECT count(*) FROM opportunities t WHERE t.customer_id = c.id AND " +
      S(kOpenOpportunity) +
      "),"
      " (SELECT count(*) FROM complaints t WHERE t.customer_id = c.id AND " +
      S(kOpenComplaint) + ") FROM customers c WHERE c.owner_id = ?1 ORDER BY c.id");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  s.BindInt(1, user_id);
  std::vector<OwnedCustomer> out;
  Result<bool> row = s.Step();
  for (; row.ok() && *row; row = s.Step()) {
    OwnedCustomer c;
    c.id = s.Int(0);
    if (!s.IsNull(1)) c.external_id = s.Text(1);
    c.name = s.Text(2);
    if (!s.IsNull(3)) c.province = s.Text(3);
    if (!s.IsNull(4)) c.city = s.Text(4);
    c.open_activities = s.Int(5);
    c.open_opportunities = s.Int(6);
    c.open_complaints = s.Int(7);
    out.push_back(std::move(c));
  }
  if (!row.ok()) return row.status();
  return out;
}

Result<int64_t> CountOpenItemsElsewhere(Database& db, int64_t user_id) {
  std::string elsewhere =
      " AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = t.customer_id AND c.owner_id = ?1)";
  auto stmt = db.Prepare(
      "SELECT (SELECT count(*) FROM activities t WHERE " + S(kOpenActivity) + elsewhere +
      ") + (SELECT count(*) FROM opportunities t WHERE " + S(kOpenOpportunity) + elsewhere +
      ") + (SELECT count(*) FROM complaints t WHERE " + S(kOpenComplaint) + elsewhere + ")");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindInt(1, user_id);
  Result<bool> row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  return *row ? (*stmt)->Int(0) : 0;
}

Result<std::unique_ptr<OwnershipMover>> OwnershipMover::Create(Database& db) {
  std::unique_ptr<OwnershipMover> m(new OwnershipMover());
  struct Sql {
    std::unique_ptr<Statement>* target;
    std::string text;
  };
  // ?1 customer, ?2 from, ?3 to, ?4 now (?5 team for the customer row).
  const std::string touch = " updated_at = ?4, version = version + 1";
  const Sql statements[] = {
      {&m->customer_, "UPDATE customers SET owner_id = ?3, team_id = coalesce(?5, team_id)," +
                          touch + " WHERE id = ?1 AND owner_id IS ?2"},
      {&m->activities_, "UPDATE activities SET user_id = ?3," + touch +
                            " WHERE customer_id = ?1 AND user_id = ?2"
                            " AND follow_up_done = 0 AND follow_up_on IS NOT NULL"},
      {&m->opportunities_, "UPDATE opportunities SET owner_id = ?3," + touch +
                               " WHERE customer_id = ?1 AND owner_id = ?2"
                               " AND stage NOT IN (5, 6)"},
      {&m->complaints_, "UPDATE complaints SET assignee_id = ?3," + touch +
                            " WHERE customer_id = ?1 AND assignee_id = ?2"
                            " AND status IN (0, 1)"},
      {&m->history_,
       "INSERT INTO ownership_changes (customer_id, from_user_id, to_user_id, changed_at,"
       " reason, created_at, updated_at) VALUES (?1, ?2, ?3, ?5, ?6, ?4, ?4)"},
  };
  for (const Sql& sql : statements) {
    auto stmt = db.Prepare(sql.text);
    if (!stmt.ok()) return stmt.status();
    *sql.target = std::move(*stmt);
  }
  return m;
}

Status OwnershipMover::Move(int64_t customer_id, std::optional<int64_t> from, int64_t to,
                            std::optional<int64_t> to_team, Timestamp at, std::string_view reason,
                            Timestamp now) {
  for (Statement* s : {customer_.get(), activities_.get(), opportunities_.get(), complaints_.get(),
                       history_.get()}) {
    s->BindInt(1, customer_id);
    BindOptionalInt(*s, 2, from);
    s->BindInt(3, to);
    s->BindInt(4, now);
  }
  if (to_team) {
    customer_->BindInt(5, *to_team);
  } else {
    customer_->BindNull(5);
  }
  history_->BindInt(5, at);
  history_->BindText(6, reason);
  TENURE_RETURN_IF_ERROR(customer_->Run());
  TENURE_RETURN_IF_ERROR(activities_->Run());
  TENURE_RETURN_IF_ERROR(opportunities_->Run());
  TENURE_RETURN_IF_ERROR(complaints_->Run());
  return history_->Run();
}

Status DeactivateUser(Database& db, int64_t user_id, Date left_on, Timestamp now) {
  auto stmt = db.Prepare(
      "UPDATE users SET active = 0, left_on = ?2, updated_at = ?3, version = version + 1"
      " WHERE id = ?1");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindInt(1, user_id);
  (*stmt)->BindText(2, FormatDate(left_on));
  (*stmt)->BindInt(3, now);
  return (*stmt)->Run();
}

Result<std::optional<HandoverSpan>> LoadHandoverSpan(Database& db, int64_t user_id) {
  auto stmt = db.Prepare(
      "SELECT min(changed_at), count(DISTINCT customer_id) FROM ownership_changes"
      " WHERE from_user_id = ?1 AND reason IN " +
      S(kHandoverReasonsSql));
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindInt(1, user_id);
  Result<bool> row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  if (!*row || (*stmt)->IsNull(0)) return std::optional<HandoverSpan>();
  return std::optional<HandoverSpan>(HandoverSpan{(*stmt)->Int(0), (*stmt)->Int(1)});
}

Result<std::pair<FaredGroup, FaredGroup>> LoadFaredGroups(Database& db, int64_t user_id,
                                                          Date handover_day, Date as_of) {
  // ?1 user, ?2 handover day, ?3 as-of day, ?4/?5 the window as event times.
  auto stmt = db.Prepare(
      "WITH base AS (SELECT c.id, c.id IN (SELECT customer_id FROM ownership_changes"
      "     WHERE from_user_id = ?1 AND reason IN " +
      S(kHandoverReasonsSql) +
      ") AS handed FROM customers c"
      "   WHERE c.status IN (2, 3)"
      "     AND coalesce(c.acquired_on, date(c.created_at, 'unixepoch')) <= ?2"
      "     AND coalesce((SELECT e.kind FROM churn_events e WHERE e.customer_id = c.id"
      "       AND e.occurred_on <= ?2 ORDER BY e.occurred_on DESC, e.id DESC LIMIT 1), 1) = 1),"
      " sold AS (SELECT customer_id, count(*) AS n, sum(amount) AS amount FROM orders"
      "   WHERE status <> 2 AND order_date > ?2 AND order_date <= ?3 GROUP BY customer_id)"
      " SELECT b.handed, count(*),"
      "  coalesce(sum(EXISTS (SELECT 1 FROM churn_events e WHERE e.customer_id = b.id"
      "    AND e.kind = 0 AND e.occurred_on > ?2 AND e.occurred_on <= ?3)), 0),"
      "  coalesce(sum(s.n), 0), coalesce(sum(s.amount), 0),"
      "  coalesce(sum(EXISTS (SELECT 1 FROM activities a WHERE a.customer_id = b.id"
      "    AND a.occurred_at >= ?4 AND a.occurred_at < ?5)), 0)"
      " FROM base b LEFT JOIN sold s ON s.customer_id = b.id GROUP BY b.handed");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  s.BindInt(1, user_id);
  s.BindText(2, FormatDate(handover_day));
  s.BindText(3, FormatDate(as_of));
  s.BindInt(4, StartOf(Date{handover_day.days + 1}));
  s.BindInt(5, StartOf(Date{as_of.days + 1}));
  std::pair<FaredGroup, FaredGroup> out;
  Result<bool> row = s.Step();
  for (; row.ok() && *row; row = s.Step()) {
    FaredGroup& g = s.Int(0) != 0 ? out.second : out.first;
    g.customers = s.Int(1);
    g.lost = s.Int(2);
    g.orders = s.Int(3);
    g.sales = s.Int(4);
    g.contacted = s.Int(5);
  }
  if (!row.ok()) return row.status();
  return out;
}

}  // namespace tenure::store
