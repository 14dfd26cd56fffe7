#include "store/churn_queries.h"

#include <algorithm>

namespace tenure::store {
namespace {

int32_t DayOf(std::string_view iso) {
  std::optional<Date> date = ParseIsoDate(iso);
  return date ? date->days : 0;
}

// The acquisition day of customer row `c`, as ISO text.
constexpr std::string_view kAcquiredSql =
    "coalesce(c.acquired_on, date(c.created_at, 'unixepoch'))";

}  // namespace

Result<std::vector<ChurnReasonRow>> LoadChurnReasons(Database& db) {
  auto stmt = db.Prepare("SELECT id, code, label FROM churn_reasons ORDER BY id");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  std::vector<ChurnReasonRow> out;
  Result<bool> row = s.Step();
  for (; row.ok() && *row; row = s.Step()) {
    out.push_back({s.Int(0), std::string(s.Text(1)), std::string(s.Text(2))});
  }
  if (!row.ok()) return row.status();
  return out;
}

Result<CustomerChurnState> LoadCustomerChurnState(Database& db, int64_t customer_id) {
  auto stmt = db.Prepare(
      "SELECT c.id, c.external_id, c.name, c.status, e.kind, e.occurred_on FROM customers c"
      " LEFT JOIN churn_events e ON e.id = (SELECT id FROM churn_events"
      "   WHERE customer_id = c.id ORDER BY occurred_on DESC, id DESC LIMIT 1)"
      " WHERE c.id = ?1");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  s.BindInt(1, customer_id);
  Result<bool> row = s.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("no customer with id " + std::to_string(customer_id));
  CustomerChurnState state;
  state.id = s.Int(0);
  if (!s.IsNull(1)) state.external_id = s.Text(1);
  state.name = s.Text(2);
  state.status = s.Int(3);
  if (!s.IsNull(4)) {
    state.last_event_kind = s.Int(4);
    state.last_event_on = std::string(s.Text(5));
  }
  return state;
}

Result<int64_t> InsertChurnEvent(Database& db, const NewChurnEvent& event, Timestamp now) {
  auto insert = db.Prepare(
      "INSERT INTO churn_events (customer_id, kind, occurred_on, churn_type, competitor,"
      " recorded_by, notes, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)"
      " RETURNING id");
  if (!insert.ok()) return insert.status();
  Statement& s = **insert;
  s.BindInt(1, event.customer_id);
  s.BindInt(2, event.kind);
  s.BindText(3, event.occurred_on);
  BindOptionalInt(s, 4, event.churn_type);
  BindTextOrNull(s, 5, event.competitor);
  BindOptionalInt(s, 6, event.recorded_by);
  BindTextOrNull(s, 7, event.notes);
  s.BindInt(8, now);
  Result<bool> row = s.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal("INSERT INTO churn_events returned no id");
  int64_t id = s.Int(0);
  s.Reset();
  auto link =
      db.Prepare("INSERT INTO churn_event_reasons (churn_event_id, reason_id) VALUES (?1, ?2)");
  if (!link.ok()) return link.status();
  for (int64_t reason : event.reason_ids) {
    (*link)->BindInt(1, id);
    (*link)->BindInt(2, reason);
    TENURE_RETURN_IF_ERROR((*link)->Run());
  }
  return id;
}

Status SetCustomerStatus(Database& db, int64_t customer_id, int64_t status, Timestamp now) {
  auto stmt = db.Prepare(
      "UPDATE customers SET status = ?2, updated_at = ?3, version = version + 1 WHERE id = ?1");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindInt(1, customer_id);
  (*stmt)->BindInt(2, status);
  (*stmt)->BindInt(3, now);
  return (*stmt)->Run();
}

Result<std::vector<int32_t>> LoadAcquisitionDays(Database& db, const CustomerScope& scope) {
  auto stmt =
      db.Prepare("SELECT " + std::string(kAcquiredSql) +
                 " FROM customers c WHERE c.status IN (2, 3) AND " + CustomerScopeSql(scope));
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  std::vector<int32_t> out;
  Result<bool> row = s.Step();
  for (; row.ok() && *row; row = s.Step()) out.push_back(DayOf(s.Text(0)));
  if (!row.ok()) return row.status();
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::vector<ChurnTimelineRow>> LoadChurnTimeline(Database& db, Date to,
                                                        const CustomerScope& scope) {
  auto stmt =
      db.Prepare("SELECT e.customer_id, e.kind, e.occurred_on, " + std::string(kAcquiredSql) +
                 " FROM churn_events e JOIN customers c ON c.id = e.customer_id"
                 " WHERE c.status IN (2, 3) AND e.occurred_on <= ?1 AND " +
                 CustomerScopeSql(scope) + " ORDER BY e.customer_id, e.occurred_on, e.id");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  s.BindText(1, FormatDate(to));
  std::vector<ChurnTimelineRow> out;
  Result<bool> row = s.Step();
  for (; row.ok() && *row; row = s.Step()) {
    out.push_back({s.Int(0), s.Int(1), DayOf(s.Text(2)), DayOf(s.Text(3))});
  }
  if (!row.ok()) return row.status();
  return out;
}

Result<std::vector<LossRow>> LoadLosses(Database& db, Date from, Date to,
                                        std::string_view segment_column,
                                        const CustomerScope& scope) {
  if (std::find(std::begin(kSegmentColumns), std::end(kSegmentColumns), segment_column) ==
      std::end(kSegmentColumns)) {
    return Status::InvalidArgument("unknown segment '" + std::string(segment_column) + "'",
                                   "--segment");
  }
  // Ownership changes are event times; the loss day ends at midnight UTC.
  std::string sql =
      "SELECT x.id, x.customer_id, x.occurred_on, x.churn_type, x.owner_id, u.username, x.segment,"
      " (SELECT coalesce(sum(r.amount), 0) FROM orders r WHERE r.customer_id = x.customer_id"
      "    AND r.status <> 2 AND r.order_date > date(x.occurred_on, '-12 months')"
      "    AND r.order_date <= x.occurred_on)"
      " FROM (SELECT e.id, e.customer_id, e.occurred_on, e.churn_type, c." +
      std::string(segment_column) +
      " AS segment, coalesce("
      "     (SELECT h.to_user_id FROM ownership_changes h WHERE h.customer_id = e.customer_id"
      "        AND h.changed_at < CAST(strftime('%s', e.occurred_on, '+1 day') AS INTEGER)"
      "        ORDER BY h.changed_at DESC, h.id DESC LIMIT 1),"
      "     (SELECT h.from_user_id FROM ownership_changes h WHERE h.customer_id = e.customer_id"
      "        AND h.changed_at >= CAST(strftime('%s', e.occurred_on, '+1 day') AS INTEGER)"
      "        ORDER BY h.changed_at, h.id LIMIT 1),"
      "     c.owner_id) AS owner_id"
      "   FROM churn_events e JOIN customers c ON c.id = e.customer_id"
      "   WHERE e.kind = 0 AND e.occurred_on BETWEEN ?1 AND ?2 AND " +
      CustomerScopeSql(scope) +
      ") x"
      " LEFT JOIN users u ON u.id = x.owner_id"
      " ORDER BY x.occurred_on, x.id";
  auto stmt = db.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  s.BindText(1, FormatDate(from));
  s.BindText(2, FormatDate(to));
  std::vector<LossRow> out;
  Result<bool> row = s.Step();
  for (; row.ok() && *row; row = s.Step()) {
    LossRow loss;
    loss.event_id = s.Int(0);
    loss.customer_id = s.Int(1);
    loss.on = DayOf(s.Text(2));
    loss.churn_type = s.IsNull(3) ? 0 : s.Int(3);
    if (!s.IsNull(4)) loss.owner_id = s.Int(4);
    if (!s.IsNull(5)) loss.owner_name = s.Text(5);
    if (!s.IsNull(6)) loss.segment = s.Text(6);
    loss.lost_revenue = s.Int(7);
    out.push_back(std::move(loss));
  }
  if (!row.ok()) return row.status();
  return out;
}

Result<std::vector<std::pair<int64_t, int64_t>>> LoadLossReasons(Database& db, Date from, Date to,
                                                                 const CustomerScope& scope) {
  auto stmt = db.Prepare(
      "SELECT r.churn_event_id, r.reason_id FROM churn_event_reasons r"
      " JOIN churn_events e ON e.id = r.churn_event_id JOIN customers c ON c.id = e.customer_id"
      " WHERE e.kind = 0 AND e.occurred_on BETWEEN ?1 AND ?2 AND " +
      CustomerScopeSql(scope) + " ORDER BY 1, 2");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  s.BindText(1, FormatDate(from));
  s.BindText(2, FormatDate(to));
  std::vector<std::pair<int64_t, int64_t>> out;
  Result<bool> row = s.Step();
  for (; row.ok() && *row; row = s.Step()) out.emplace_back(s.Int(0), s.Int(1));
  if (!row.ok()) return row.status();
  return out;
}

}  // namespace tenure::store
