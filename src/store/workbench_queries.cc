#include "store/workbench_queries.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <variant>

namespace tenure::store {
namespace {

using Bind = std::variant<int64_t, double, std::string>;

// One list as SQL pieces. A list on the customers table leaves `child` empty;
// otherwise `child` is "table alias" and the row's customer is
// alias.customer_id.
struct ListSql {
  std::string child;
  std::string alias;
  std::string where;  // conditions with '?' placeholders, never empty
  std::vector<Bind> binds;
  std::string order_by;
  std::string date = "NULL";    // expression of the row's date
  std::string amount = "NULL";  // expression of the row's amount
  std::string note = "NULL";    // expression of the row's note
  std::string task = "NULL";    // expression of the row's playbook task id
  std::string action = "NULL";  // expression of that task's action
  // The index a salesperson's or a team's customers are read from.
  std::string owner_index = "customers_owner";
  std::string team_index = "customers_team";
};

// A list on another table than customers.
ListSql OnTable(std::string child, std::string alias) {
  ListSql q;
  q.child = std::move(child);
  q.alias = std::move(alias);
  return q;
}

void BindAll(Statement& stmt, const std::vector<Bind>& binds) {
  int index = 1;
  for (const Bind& bind : binds) {
    if (const int64_t* i = std::get_if<int64_t>(&bind)) {
      stmt.BindInt(index++, *i);
    } else if (const double* d = std::get_if<double>(&bind)) {
      stmt.BindReal(index++, *d);
    } else {
      stmt.BindText(index++, std::get<std::string>(bind));
    }
  }
}

// Pages order by the columns of the list's index and no further: SQLite
// 3.40 sorts the rows of equal keys again when asked for the id as well
// (with a partial index's condition in the WHERE), while the index already
// returns them by id.
//
// The FROM clause of a list, counting (`page` false) or reading rows. For
// every customer, a list on another table starts from that table's index and
// joins the customer (the page's 20 rows only); scoped, it starts from the
// scope's customers (a few hundred or thousand) and probes the other table by
// customer id. CROSS JOIN fixes that order for SQLite's planner. A scoped list
// on the customers table reads the scope's customer rows and sorts the page.
// A scope's customers come from its own index (INDEXED BY, so that the
// planner never walks a list's index for everyone instead, filtering by
// owner); a complaint assignee's by row id.
std::string FromClause(const CustomerScope& scope, const ListSql& q, bool page) {
  std::string customers = "customers c";
  if (scope.kind == CustomerScope::Kind::kOwner) customers += " INDEXED BY " + q.owner_index;
  if (scope.kind == CustomerScope::Kind::kTeam) customers += " INDEXED BY " + q.team_index;
  if (q.child.empty()) return customers;
  if (scope.kind != CustomerScope::Kind::kAll) {
    return customers + " CROSS JOIN " + q.child + " ON " + q.alias + ".customer_id = c.id";
  }
  if (!page) return q.child;
  return q.child + " CROSS JOIN customers c ON c.id = " + q.alias + ".customer_id";
}

std::string WhereClause(const CustomerScope& scope, const ListSql& q) {
  if (scope.kind == CustomerScope::Kind::kAll) return q.where;
  return q.where + " AND " + CustomerScopeSql(scope);
}

Result<int64_t> CountList(Database& db, const CustomerScope& scope, const ListSql& q) {
  auto stmt = db.Prepare("SELECT count(*) FROM " + FromClause(scope, q, false) + " WHERE " +
                         WhereClause(scope, q));
  if (!stmt.ok()) return stmt.status();
  BindAll(**stmt, q.binds);
  Result<bool> row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  return *row ? (*stmt)->Int(0) : 0;
}

// The column list of a page's SELECT, read back by ReadRows: the customer,
// its owner's username (users u), then the row's date and amount.
std::string PageColumns(const ListSql& q) {
  return "c.id, c.external_id, c.name, u.username, " + q.date + ", " + q.amount + ", " + q.note +
         ", " + q.task + ", " + q.action;
}

// Appends the rows of a prepared, bound page statement to `page`, up to
// `keep` of them; steps through the rest without reading them. Returns how
// many rows the statement gave.
Result<int64_t> ReadRows(Statement& stmt, WorkbenchPage& page,
                         size_t keep = std::numeric_limits<size_t>::max()) {
  int64_t seen = 0;
  Result<bool> row = stmt.Step();
  for (; row.ok() && *row; row = stmt.Step(), ++seen) {
    if (page.rows.size() >= keep) continue;
    WorkbenchRow r;
    r.customer_id = stmt.Int(0);
    if (!stmt.IsNull(1)) r.external_id = stmt.Text(1);
    r.name = stmt.Text(2);
    if (!stmt.IsNull(3)) r.owner = stmt.Text(3);
    if (!stmt.IsNull(4)) r.date = stmt.Text(4);
    if (!stmt.IsNull(5)) r.amount = stmt.Int(5);
    if (!stmt.IsNull(6)) r.note = stmt.Text(6);
    if (!stmt.IsNull(7)) r.task_id = stmt.Int(7);
    if (!stmt.IsNull(8)) r.task_action = stmt.Text(8);
    page.rows.push_back(std::move(r));
  }
  if (!row.ok()) return row.status();
  return seen;
}

// `known_count`: the list's count when the caller has it already.
Result<WorkbenchPage> RunList(Database& db, const CustomerScope& scope, const ListSql& q, int limit,
                              std::optional<int64_t> known_count = std::nullopt) {
  WorkbenchPage page;
  // A scoped list reads its scope's customers once: the page's rows first,
  // then the other matches only counted, rather than a COUNT and a page that
  // both probe every customer of the scope.
  const bool one_pass = scope.kind != CustomerScope::Kind::kAll && !known_count && limit > 0;
  if (known_count) {
    page.count = *known_count;
  } else if (!one_pass) {
    Result<int64_t> count = CountList(db, scope, q);
    if (!count.ok()) return count.status();
    page.count = *count;
  }
  if (!one_pass && (page.count == 0 || limit <= 0)) return page;
  std::string from = FromClause(scope, q, true);
  std::string where = WhereClause(scope, q);
  const bool page_first = scope.kind == CustomerScope::Kind::kAll && !q.child.empty();
  if (page_first) {
    // The page's rows of the other table first, from its index alone, then
    // their customers: a list not in its index's order (overdue complaints)
    // then sorts index entries, not joined rows.
    from = "(SELECT " + q.alias + ".rowid AS page_id FROM " + q.child + " WHERE " + q.where +
           " ORDER BY " + q.order_by + " LIMIT ?) page CROSS JOIN " + q.child + " ON " + q.alias +
           ".rowid = page.page_id CROSS JOIN customers c ON c.id = " + q.alias + ".customer_id";
    where = "1";
  }
  auto stmt = db.Prepare("SELECT " + PageColumns(q) + " FROM " + from +
                         " LEFT JOIN users u ON u.id = c.owner_id WHERE " + where + " ORDER BY " +
                         q.order_by + " LIMIT ?");
  if (!stmt.ok()) return stmt.status();
  BindAll(**stmt, q.binds);
  // One LIMIT after the binds of the WHERE; two when the page comes first.
  // A negative LIMIT is none.
  int limit_index = static_cast<int>(q.binds.size()) + 1;
  (*stmt)->BindInt(limit_index, one_pass ? -1 : limit);
  if (page_first) (*stmt)->BindInt(limit_index + 1, limit);
  Result<int64_t> read = ReadRows(**stmt, page, static_cast<size_t>(limit));
  if (!read.ok()) return read.status();
  if (one_pass) page.count = *read;
  return page;
}

// A SQL literal for a real number that reads back the same ("3.0", "2.5"), so
// the dormant expression matches the index's text for the default multiple.
std::string RealLiteral(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", value);
  std::string out = text;
  if (out.find_first_of(".en") == std::string::npos) out += ".0";
  return out;
}

// The day a contract stops counting: its end date, or its cancellation when
// cancelled (status 2) earlier; '9999-12-31' when open-ended; '0000-01-01'
// when cancelled before it started (never current). Written exactly as in the
// contracts index of 003_workbench.sql, so the index serves it.
#define TENURE_CONTRACT_STOP                                       \
  "min(coalesce(k.end_date, '9999-12-31'), CASE WHEN k.status = 2" \
  " THEN coalesce(k.cancelled_on, '0000-01-01') ELSE '9999-12-31' END)"
constexpr const char* kContractEnd =
    "CASE WHEN " TENURE_CONTRACT_STOP " < k.start_date THEN '0000-01-01' ELSE " TENURE_CONTRACT_STOP
    " END";
#undef TENURE_CONTRACT_STOP

}  // namespace

Result<std::optional<ScopeUserRow>> FindScopeUser(Database& db, const std::string& username) {
  auto stmt = db.Prepare(
      "SELECT u.id, u.role, u.team_id, coalesce(t.name, '') FROM users u"
      " LEFT JOIN teams t ON t.id = u.team_id WHERE u.username = ?");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindText(1, username);
  Result<bool> row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<ScopeUserRow>();
  const Statement& s = **stmt;
  ScopeUserRow user;
  user.id = s.Int(0);
  user.role = s.Int(1);
  if (!s.IsNull(2)) user.team_id = s.Int(2);
  user.team = s.Text(3);
  return std::optional<ScopeUserRow>(std::move(user));
}

Result<std::optional<int64_t>> FindTeamId(Database& db, const std::string& name) {
  auto stmt = db.Prepare("SELECT id FROM teams WHERE name = ?");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindText(1, name);
  Result<bool> row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<int64_t>();
  return std::optional<int64_t>((*stmt)->Int(0));
}

Result<WorkbenchPage> OpenFollowUps(Database& db, const CustomerScope& scope,
                                    const std::string& from, const std::string& to, int limit) {
  ListSql q = OnTable("activities a", "a");
  q.where = "a.follow_up_done = 0 AND a.follow_up_on <= ?";
  q.binds = {to};
  if (!from.empty()) {
    q.where += " AND a.follow_up_on >= ?";
    q.binds.push_back(from);
  }
  q.order_by = "a.follow_up_on, a.follow_up_done";
  if (scope.kind == CustomerScope::Kind::kOwner || scope.kind == CustomerScope::Kind::kTeam) {
    // Only customers whose window of open follow-ups (008) meets [from, to]
    // can have a row; the scope's index on that window names them, and only
    // their activities are probed.
    q.owner_index = "wb_customers_owner_follow_ups";
    q.team_index = "wb_customers_team_follow_ups";
    q.where += " AND c.open_follow_up_first <= ?";
    q.binds.push_back(to);
    if (!from.empty()) {
      q.where += " AND c.open_follow_up_last >= ?";
      q.binds.push_back(from);
    }
  }
  // A scoped page is sorted anyway: rows of one day by customer and activity,
  // as the customer scan of the scope read them before the window.
  if (scope.kind != CustomerScope::Kind::kAll) q.order_by += ", c.id, a.id";
  q.date = "a.follow_up_on";
  return RunList(db, scope, q, limit);
}

Result<WorkbenchPage> OrderedRecently(Database& db, const CustomerScope& scope,
                                      const std::string& from, const std::string& to, int limit) {
  ListSql q;
  q.where = "c.last_order_date >= ? AND c.last_order_date <= ?";
  q.binds = {from, to};
  q.order_by = "c.last_order_date DESC";
  q.date = "c.last_order_date";
  q.amount = "c.cumulative_sales";
  return RunList(db, scope, q, limit);
}

Result<WorkbenchPage> OverdueToBuy(Database& db, const CustomerScope& scope,
                                   const std::string& before, int limit) {
  ListSql q;
  q.where = "c.status <> 3 AND c.next_purchase_date < ?";  // 3: lost
  q.binds = {before};
  q.order_by = "c.next_purchase_date, c.status";
  q.date = "c.next_purchase_date";
  return RunList(db, scope, q, limit);
}

Result<WorkbenchPage> Dormant(Database& db, const CustomerScope& scope, const std::string& as_of,
                              double multiple, int default_days, int limit) {
  std::string key = "julianday(c.last_order_date) + coalesce(" + RealLiteral(multiple) +
                    " * c.avg_purchase_cycle_days, " + std::to_string(default_days) + ")";
  ListSql q;
  q.where = "c.status <> 3 AND " + key + " < julianday(?)";
  q.binds = {as_of};
  q.order_by = key + ", c.last_order_date, c.avg_purchase_cycle_days, c.status";
  q.date = "c.last_order_date";
  return RunList(db, scope, q, limit);
}

namespace {

// A list of the rows of a per-customer score table (customer_scores s,
// customer_risk k) whose `column` is at least `at_least`, of customers not
// lost, ordered by `order` descending through the index `order_index`.
struct ScoreList {
  std::string table;  // "customer_risk k"
  std::string alias;  // "k"
  std::string column, order, order_index, amount;
  // Whether the table can hold customers marked lost; customer_risk cannot
  // (migration 017), so its count needs no check against them.
  bool holds_lost = true;
};

Result<WorkbenchPage> RunScoreList(Database& db, const CustomerScope& scope, const ScoreList& l,
                                   double at_least, int limit) {
  ListSql q = OnTable(l.table, l.alias);
  q.where = l.alias + "." + l.column + " >= ? AND c.status <> 3";  // 3: lost
  q.binds = {at_least};
  q.date = "c.last_order_date";
  q.amount = l.alias + "." + l.amount;
  // A scope's customers are read and their scores probed by customer id (as
  // every scoped list on another table); the few that qualify are sorted.
  q.order_by = l.alias + "." + l.order + " DESC, c.id";
  if (scope.kind != CustomerScope::Kind::kAll) return RunList(db, scope, q, limit);

  // Every customer's. The condition is on two tables, so RunList's count and
  // page (which read the other table's index alone) do not apply.
  // The count: the scores at or above the threshold, a range of the
  // column's index; in a table that can hold customers marked lost, each
  // checked against them in customers_status, an index probe on (status,
  // id) rather than a read of the wide customer row (84 ms against 3 ms for
  // 139,163 scores). Every score has its customer (customers are never
  // deleted, 006_score_tables.sql), so this counts what the page's join
  // lists.
  WorkbenchPage page;
  auto count = db.Prepare(
      "SELECT count(*) FROM " + l.table + " WHERE " + l.alias + "." + l.column + " >= ?" +
      (l.holds_lost ? " AND NOT EXISTS (SELECT 1 FROM customers lost INDEXED BY customers_status"
                      "  WHERE lost.status = 3 AND lost.id = " +
                          l.alias + ".customer_id)"
                    : std::string()));
  if (!count.ok()) return count.status();
  (*count)->BindReal(1, at_least);
  Result<bool> counted = (*count)->Step();
  if (!counted.ok()) return counted.status();
  page.count = *counted ? (*count)->Int(0) : 0;
  if (page.count == 0 || limit <= 0) return page;
  // The page: the order's index from the top, reading the customer of each
  // entry at or above the threshold, until `limit` customers not lost. The
  // index returns equal values by id descending; SQLite sorts each run of
  // equal values by id ascending as it goes (no full sort).
  auto stmt = db.Prepare("SELECT " + PageColumns(q) + " FROM " + l.table + " INDEXED BY " +
                         l.order_index + " CROSS JOIN customers c ON c.id = " + l.alias +
                         ".customer_id LEFT JOIN users u ON u.id = c.owner_id WHERE " + q.where +
                         " ORDER BY " + l.alias + "." + l.order + " DESC, " + l.alias +
                         ".customer_id LIMIT ?");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindReal(1, at_least);
  (*stmt)->BindInt(2, limit);
  Result<int64_t> read = ReadRows(**stmt, page);
  if (!read.ok()) return read.status();
  return page;
}

const ScoreList kAtRisk = {"customer_risk k",     "k",
                           "probability",         "value_at_risk",
                           "customer_risk_value", "value_at_risk",
                           /*holds_lost=*/false};
const ScoreList kSlippingByRisk = {
    "customer_risk k",   "k", "probability", "probability", "customer_risk_probability",
    "value_at_risk",
    /*holds_lost=*/false};
const ScoreList kSlippingByPurchases = {"customer_scores s",
                                        "s",
                                        "p_no_purchase_90",
                                        "p_no_purchase_90",
                                        "customer_scores_p_no_purchase",
                                        "clv"};

}  // namespace

Result<WorkbenchPage> PlaybookTasks(Database& db, const CustomerScope& scope, int limit) {
  ListSql q = OnTable("playbook_tasks t", "t");
  q.where = "t.status = 0";
  q.order_by = "t.due_on, t.status";
  q.date = "t.due_on";
  q.note = "'#' || t.id || ' ' || t.title || ' (' || t.why || ')'";
  q.task = "t.id";
  q.action = "t.action";
  return RunList(db, scope, q, limit);
}

Result<bool> HasRiskScores(Database& db) {
  auto stmt = db.Prepare("SELECT EXISTS (SELECT 1 FROM customer_risk)");
  if (!stmt.ok()) return stmt.status();
  Result<bool> row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  return *row && (*stmt)->Int(0) != 0;
}

Result<WorkbenchPage> AtRisk(Database& db, const CustomerScope& scope, double probability,
                             int limit) {
  return RunScoreList(db, scope, kAtRisk, probability, limit);
}

Result<WorkbenchPage> SlippingAway(Database& db, const CustomerScope& scope, double probability,
                                   bool by_risk, int limit) {
  return RunScoreList(db, scope, by_risk ? kSlippingByRisk : kSlippingByPurchases, probability,
                      limit);
}

Result<WorkbenchPage> LostEvents(Database& db, const CustomerScope& scope, const std::string& to,
                                 int limit, std::optional<int64_t> known_count) {
  ListSql q = OnTable("churn_events e", "e");
  q.where = "e.kind = 0 AND e.occurred_on <= ?";  // 0: lost
  q.binds = {to};
  q.order_by = "e.occurred_on DESC, e.kind DESC";
  q.date = "e.occurred_on";
  return RunList(db, scope, q, limit, known_count);
}

Result<std::vector<YearCount>> LostByYear(Database& db, const CustomerScope& scope,
                                          const std::string& to) {
  ListSql q = OnTable("churn_events e", "e");
  q.where = "e.kind = 0 AND e.occurred_on <= ?";
  q.binds = {to};
  std::vector<YearCount> years;
  if (scope.kind != CustomerScope::Kind::kAll) {
    // A scope's events are few: group them in one pass.
    auto grouped =
        db.Prepare("SELECT CAST(substr(e.occurred_on, 1, 4) AS INTEGER) AS y, count(*) FROM " +
                   FromClause(scope, q, false) + " WHERE " + WhereClause(scope, q) +
                   " GROUP BY y ORDER BY y DESC");
    if (!grouped.ok()) return grouped.status();
    BindAll(**grouped, q.binds);
    Result<bool> step = (*grouped)->Step();
    for (; step.ok() && *step; step = (*grouped)->Step()) {
      years.push_back({static_cast<int>((*grouped)->Int(0)), (*grouped)->Int(1)});
    }
    if (!step.ok()) return step.status();
    return years;
  }
  // Every customer's: one index range count per year (no sort of the
  // events); the first year comes from the index's first entry.
  auto first = db.Prepare("SELECT min(e.occurred_on) FROM " + FromClause(scope, q, false) +
                          " WHERE " + WhereClause(scope, q));
  if (!first.ok()) return first.status();
  BindAll(**first, q.binds);
  Result<bool> row = (*first)->Step();
  if (!row.ok()) return row.status();
  if (!*row || (*first)->IsNull(0)) return years;
  int first_year = std::atoi(std::string((*first)->Text(0).substr(0, 4)).c_str());
  int last_year = std::atoi(to.substr(0, 4).c_str());
  for (int year = last_year; year >= first_year; --year) {
    char start[16];
    char end[16];
    std::snprintf(start, sizeof start, "%04d-01-01", year);
    std::snprintf(end, sizeof end, "%04d-12-31", year);
    ListSql y = q;
    y.where = "e.kind = 0 AND e.occurred_on >= ? AND e.occurred_on <= ?";
    y.binds = {std::string(start), std::min(std::string(end), to)};
    Result<int64_t> n = CountList(db, scope, y);
    if (!n.ok()) return n.status();
    if (*n > 0) years.push_back({year, *n});
  }
  return years;
}

Result<WorkbenchPage> CreatedBetween(Database& db, const CustomerScope& scope, Timestamp from,
                                     Timestamp to, int limit) {
  ListSql q;
  q.where = "c.created_at >= ? AND c.created_at < ?";
  q.binds = {from, to};
  q.order_by = "c.created_at DESC";
  q.date = "date(c.created_at, 'unixepoch')";
  return RunList(db, scope, q, limit);
}

Result<WorkbenchPage> UpdatedBetween(Database& db, const CustomerScope& scope, Timestamp from,
                                     Timestamp to, int limit) {
  ListSql q;
  q.where = "c.updated_at > c.created_at AND c.updated_at >= ? AND c.updated_at < ?";
  q.binds = {from, to};
  q.order_by = "c.updated_at DESC, c.created_at DESC";
  q.date = "date(c.updated_at, 'unixepoch')";
  return RunList(db, scope, q, limit);
}

Result<WorkbenchPage> LostOpportunities(Database& db, const CustomerScope& scope,
                                        const std::string& from, const std::string& to, int limit) {
  ListSql q = OnTable("opportunities o", "o");
  q.where = "o.stage = 6 AND o.closed_on >= ? AND o.closed_on <= ?";  // 6: lost
  q.binds = {from, to};
  q.order_by = "o.closed_on DESC, o.stage DESC";
  q.date = "o.closed_on";
  q.amount = "o.amount";
  return RunList(db, scope, q, limit);
}

Result<WorkbenchPage> CurrentContracts(Database& db, const CustomerScope& scope,
                                       const std::string& from, const std::string& to, int limit) {
  std::string end = kContractEnd;
  ListSql q = OnTable("contracts k", "k");
  q.where = end + " >= ? AND k.start_date <= ?";
  q.binds = {from, to};
  q.order_by = end + ", k.start_date, k.end_date, k.status, k.cancelled_on";
  q.date = "nullif(" + end + ", '9999-12-31')";
  q.amount = "k.value";
  return RunList(db, scope, q, limit);
}

Result<WorkbenchPage> SignedContracts(Database& db, const CustomerScope& scope,
                                      const std::string& from, const std::string& to, int limit) {
  ListSql q = OnTable("contracts k", "k");
  q.where = "k.renewal_of IS NULL AND k.signed_on >= ? AND k.signed_on <= ?";
  q.binds = {from, to};
  q.order_by = "k.signed_on DESC, k.renewal_of DESC";
  q.date = "k.signed_on";
  q.amount = "k.value";
  return RunList(db, scope, q, limit);
}

Result<WorkbenchPage> OverdueComplaints(Database& db, const CustomerScope& scope, Timestamp before,
                                        const std::array<int64_t, 4>& deadline_seconds, int limit) {
  // Numbered placeholders, because the deadline appears in the date, the
  // condition and the order: ?1 the bound on opened_at alone (which makes the
  // condition an index range), ?2..?5 the deadlines by severity, ?6 `before`.
  std::string deadline =
      "(p.opened_at + CASE p.severity WHEN 0 THEN ?2 WHEN 1 THEN ?3 WHEN 2 THEN ?4 ELSE ?5 END)";
  int64_t shortest = deadline_seconds[0];
  for (int64_t s : deadline_seconds) shortest = std::min(shortest, s);
  ListSql q = OnTable("complaints p", "p");
  q.where =
      "p.status IN (0, 1) AND p.opened_at < ?1 AND " + deadline + " < ?6";  // open, in progress
  q.binds = {before - shortest,   deadline_seconds[0], deadline_seconds[1],
             deadline_seconds[2], deadline_seconds[3], before};
  q.date = "strftime('%Y-%m-%dT%H:%M:%SZ', " + deadline + ", 'unixepoch')";
  q.order_by = deadline + ", p.id";
  return RunList(db, scope, q, limit);
}

Result<WorkbenchPage> OverdueReceivables(Database& db, const CustomerScope& scope,
                                         const std::string& before, int limit) {
  ListSql q;
  q.where = "c.oldest_open_due_on < ?";
  q.binds = {before};
  q.order_by = "c.oldest_open_due_on";
  q.date = "c.oldest_open_due_on";
  q.amount = "c.receivables";
  return RunList(db, scope, q, limit);
}

Result<WorkbenchPage> OverCreditLimit(Database& db, const CustomerScope& scope, int limit) {
  ListSql q;
  q.where = "c.receivables > c.credit_limit";
  q.order_by = "c.receivables DESC, c.credit_limit DESC";
  q.amount = "c.receivables";
  return RunList(db, scope, q, limit);
}

}  // namespace tenure::store
