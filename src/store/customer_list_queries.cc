#include "store/customer_list_queries.h"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <variant>

namespace tenure::store {
namespace {

enum class Kind { kText, kInteger, kReal };

struct Column {
  std::string_view name;
  Kind kind;
  // "c": customers; "s": customer_scores, "k": customer_risk (NULL for a
  // customer not scored).
  std::string_view table = "c";
  bool nullable = true;          // false: the column is NOT NULL
  std::string_view column = {};  // the SQL column when it is not `name`
  std::string Sql() const {
    return std::string(table) + "." + std::string(column.empty() ? name : column);
  }
};

constexpr Column kDimensions[] = {
    {"type", Kind::kText},        {"industry", Kind::kText},      {"level", Kind::kText},
    {"source", Kind::kText},      {"province", Kind::kText},      {"city", Kind::kText},
    {"status", Kind::kInteger},   {"lead_stage", Kind::kInteger}, {"credit_rating", Kind::kInteger},
    {"owner_id", Kind::kInteger}, {"team_id", Kind::kInteger},
};

constexpr Column kMetrics[] = {
    {"first_order_date", Kind::kText},
    {"last_order_date", Kind::kText},
    {"next_purchase_date", Kind::kText},
    {"oldest_open_due_on", Kind::kText},
    {"order_count", Kind::kInteger, "c", false},
    {"cumulative_sales", Kind::kInteger, "c", false},
    {"gross_profit", Kind::kInteger, "c", false},
    {"receivables", Kind::kInteger, "c", false},
    {"credit_limit", Kind::kInteger},
    {"last_contact_at", Kind::kInteger},
    {"avg_purchase_cycle_days", Kind::kReal},
    {"p_alive", Kind::kReal, "s"},
    {"clv", Kind::kInteger, "s"},
    {"model_next_purchase_date", Kind::kText, "s"},
    {"risk_probability", Kind::kReal, "k", true, "probability"},
    {"value_at_risk", Kind::kInteger, "k"},
    {"health", Kind::kInteger, "k"},
};

constexpr Column kOtherSorts[] = {
    {"id", Kind::kInteger, "c", false},
    {"name", Kind::kText, "c", false},
    {"created_at", Kind::kInteger, "c", false},
    {"updated_at", Kind::kInteger, "c", false},
};

template <size_t N>
const Column* Find(const Column (&columns)[N], std::string_view name) {
  for (const Column& c : columns) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

using Bound = std::variant<std::monostate, int64_t, double, std::string>;

// `text` as a value of `kind`; nullopt when it is not one.
std::optional<Bound> Convert(Kind kind, const std::string& text) {
  if (kind == Kind::kText) return Bound(text);
  if (kind == Kind::kInteger) {
    int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return Bound(v);
  }
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size()) return std::nullopt;
  return Bound(v);
}

void Bind(Statement& s, int index, const Bound& value) {
  if (const auto* i = std::get_if<int64_t>(&value)) {
    s.BindInt(index, *i);
  } else if (const auto* d = std::get_if<double>(&value)) {
    s.BindReal(index, *d);
  } else if (const auto* t = std::get_if<std::string>(&value)) {
    s.BindText(index, *t);
  } else {
    s.BindNull(index);
  }
}

// '%text%' for LIKE with '\' escaping the wildcards.
std::string LikePattern(const std::string& text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

std::string TextOrEmpty(const Statement& s, int column) {
  return s.IsNull(column) ? std::string() : std::string(s.Text(column));
}

constexpr std::string_view kColumns =
    "c.id, c.external_id, c.name, c.type, c.industry, c.level, c.source, c.province, c.city,"
    " c.phone, c.email, c.status, c.lead_stage, c.owner_id, u.username, c.team_id,"
    " c.first_order_date, c.last_order_date, c.next_purchase_date, c.order_count,"
    " c.cumulative_sales, c.gross_profit, c.avg_purchase_cycle_days, c.last_contact_at,"
    " c.receivables, c.version, c.created_at, c.updated_at,"
    " s.p_alive, s.clv, s.model_next_purchase_date, k.probability, k.value_at_risk, k.health";
constexpr int kSortColumn = 34;  // the sort column follows kColumns

// The tables of a page's query: customers with their scores and risk, led
// by the scores or the risk table when every row needs one (`lead` "s" or
// "k"), so that its index gives the order.
std::string FromSql(std::string_view lead) {
  if (lead == "s") {
    return "customer_scores s JOIN customers c ON c.id = s.customer_id"
           " LEFT JOIN customer_risk k ON k.customer_id = c.id";
  }
  if (lead == "k") {
    return "customer_risk k JOIN customers c ON c.id = k.customer_id"
           " LEFT JOIN customer_scores s ON s.customer_id = c.id";
  }
  return "customers c LEFT JOIN customer_scores s ON s.customer_id = c.id"
         " LEFT JOIN customer_risk k ON k.customer_id = c.id";
}

CustomerListRow ReadRow(const Statement& s) {
  CustomerListRow r;
  r.id = s.Int(0);
  r.external_id = TextOrEmpty(s, 1);
  r.name = TextOrEmpty(s, 2);
  r.type = TextOrEmpty(s, 3);
  r.industry = TextOrEmpty(s, 4);
  r.level = TextOrEmpty(s, 5);
  r.source = TextOrEmpty(s, 6);
  r.province = TextOrEmpty(s, 7);
  r.city = TextOrEmpty(s, 8);
  r.phone = TextOrEmpty(s, 9);
  r.email = TextOrEmpty(s, 10);
  r.status = s.Int(11);
  r.lead_stage = OptionalInt(s, 12);
  r.owner_id = OptionalInt(s, 13);
  r.owner = TextOrEmpty(s, 14);
  r.team_id = OptionalInt(s, 15);
  r.first_order_date = TextOrEmpty(s, 16);
  r.last_order_date = TextOrEmpty(s, 17);
  r.next_purchase_date = TextOrEmpty(s, 18);
  r.order_count = s.Int(19);
  r.cumulative_sales = s.Int(20);
  r.gross_profit = s.Int(21);
  if (!s.IsNull(22)) r.avg_purchase_cycle_days = s.Real(22);
  r.last_contact_at = OptionalInt(s, 23);
  r.receivables = s.Int(24);
  r.version = s.Int(25);
  r.created_at = s.Int(26);
  r.updated_at = s.Int(27);
  if (!s.IsNull(28)) r.p_alive = s.Real(28);
  r.clv = OptionalInt(s, 29);
  r.model_next_purchase_date = TextOrEmpty(s, 30);
  if (!s.IsNull(31)) r.risk_probability = s.Real(31);
  r.value_at_risk = OptionalInt(s, 32);
  r.health = OptionalInt(s, 33);
  return r;
}

}  // namespace

bool IsCustomerDimension(std::string_view column) { return Find(kDimensions, column) != nullptr; }
bool IsCustomerMetric(std::string_view column) { return Find(kMetrics, column) != nullptr; }

std::vector<std::string_view> CustomerDimensions() {
  std::vector<std::string_view> names;
  for (const Column& c : kDimensions) names.push_back(c.name);
  return names;
}

std::vector<std::string_view> CustomerMetrics() {
  std::vector<std::string_view> names;
  for (const Column& c : kMetrics) names.push_back(c.name);
  return names;
}

Result<CustomerListPage> ListCustomers(Database& db, const CustomerScope& scope,
                                       const CustomerListQuery& query) {
  const Column* sort = Find(kMetrics, query.sort);
  if (!sort) sort = Find(kOtherSorts, query.sort);
  if (!sort) {
    return Status::InvalidArgument(
        "cannot sort by '" + query.sort + "' (id, name, created_at, updated_at or a metric)",
        "sort");
  }
  std::string col = sort->Sql();
  std::string where = CustomerScopeSql(scope);
  std::vector<Bound> binds;
  auto param = [&](Bound value) {
    binds.push_back(std::move(value));
    return "?" + std::to_string(binds.size());
  };
  for (const auto& [column, value] : query.equals) {
    const Column* c = Find(kDimensions, column);
    if (!c) return Status::InvalidArgument("not a customer dimension", column);
    std::optional<Bound> v = Convert(c->kind, value);
    if (!v) return Status::InvalidArgument("expected a whole number, not '" + value + "'", column);
    // Only the owner and team narrow the list enough for their index to beat
    // reading the sort column's in order; a unary + keeps SQLite (which has
    // no statistics) off customers_status, which leaves a quarter of the
    // customers to sort.
    bool indexed = c->name == "owner_id" || c->name == "team_id";
    where += " AND " + std::string(indexed ? "" : "+") + c->Sql() + " = " + param(*v);
  }
  // The table a range filter needs a row of ("s" or "k"; the sort's first).
  std::string_view needed;
  for (const CustomerListQuery::Range& range : query.ranges) {
    const Column* c = Find(kMetrics, range.column);
    if (!c) return Status::InvalidArgument("not a customer metric", range.column);
    if (c->table != "c" && (needed.empty() || c->table == sort->table)) needed = c->table;
    for (auto [text, op] : {std::pair{&range.min, " >= "}, std::pair{&range.max, " <= "}}) {
      if (text->empty()) continue;
      std::optional<Bound> v = Convert(c->kind, *text);
      if (!v)
        return Status::InvalidArgument("expected a number, not '" + *text + "'", range.column);
      where += " AND " + c->Sql() + op + param(*v);
    }
  }
  if (!query.ids.empty()) {
    std::string in;
    for (int64_t id : query.ids) in += (in.empty() ? "" : ", ") + param(Bound(id));
    where += " AND c.id IN (" + in + ")";
  }
  if (!query.search.empty()) {
    std::string p = param(LikePattern(query.search));
    std::string like = " LIKE " + p + " ESCAPE '\\'";
    where += " AND (c.name" + like + " OR c.phone" + like + " OR c.email" + like +
             " OR EXISTS (SELECT 1 FROM contacts k WHERE k.customer_id = c.id AND (k.name" + like +
             " OR k.phone" + like + " OR k.mobile" + like + " OR k.email" + like + ")))";
  }
  if (query.limit < 1 || query.limit > 1000) {
    return Status::InvalidArgument("expected 1-1000", "limit");
  }

  // The list in the sort order is, for a column that may be NULL, two
  // segments: the rows where it is NULL (by id) and the others (by value,
  // then id). SQLite puts NULL first ascending and last descending. Each
  // segment is read with its own query whose bound is a range on the
  // column's index (a row value), so a next page seeks to the cursor
  // instead of sorting every row the filter leaves; the id breaks ties in
  // the same direction as the sort, so an index on the column alone (which
  // ends with the rowid) gives the whole order either way.
  const char* dir = query.descending ? " DESC" : "";
  const char* beyond = query.descending ? " < " : " > ";
  struct Segment {
    bool nulls;         // the rows whose sort value is NULL
    std::string bound;  // SQL after the filter: where this page starts
    std::vector<Bound> binds;
    // Every row needs scores or risk (a range on one, or the non-NULL
    // segment of a sort on one): that table leads ("s" or "k"), so its index
    // gives the order, and its customer_id, the rowid that index ends with,
    // breaks the ties (many customers share P(alive) 1).
    std::string_view lead;
    std::string Id() const { return lead.empty() ? "c.id" : std::string(lead) + ".customer_id"; }
  };
  std::vector<Segment> segments;
  if (sort->name == "id") {
    segments.push_back({false, "", {}});
  } else if (!sort->nullable) {
    segments.push_back({false, " AND " + col + " IS NOT NULL", {}});
  } else if (query.descending) {
    segments.push_back({false, " AND " + col + " IS NOT NULL", {}});
    segments.push_back({true, " AND " + col + " IS NULL", {}});
  } else {
    segments.push_back({true, " AND " + col + " IS NULL", {}});
    segments.push_back({false, " AND " + col + " IS NOT NULL", {}});
  }
  for (Segment& segment : segments) {
    segment.lead = sort->table != "c" && !segment.nulls ? sort->table : needed;
  }
  if (!query.after.empty()) {
    // "<id>n" (the sort value was NULL) or "<id>v<value>".
    size_t flag = query.after.find_first_of("nv");
    std::optional<Bound> id = flag == std::string::npos
                                  ? std::nullopt
                                  : Convert(Kind::kInteger, query.after.substr(0, flag));
    std::optional<Bound> value;
    if (id && query.after[flag] == 'v') value = Convert(sort->kind, query.after.substr(flag + 1));
    if (!id || (query.after[flag] == 'v' && !value)) {
      return Status::InvalidArgument("not a cursor of this list (use next_cursor as given)",
                                     "after");
    }
    bool in_nulls = !value;
    // The segments before the cursor's are done.
    while (!segments.empty() && sort->name != "id" && segments.front().nulls != in_nulls) {
      segments.erase(segments.begin());
    }
    if (segments.empty()) return CustomerListPage{};
    Segment& first = segments.front();
    size_t n = binds.size() + first.binds.size();
    if (sort->name == "id" || in_nulls) {
      first.bound += " AND " + first.Id() + beyond + "?" + std::to_string(n + 1);
      first.binds.push_back(*id);
    } else {
      first.bound += " AND (" + col + ", " + first.Id() + ")" + beyond + "(?" +
                     std::to_string(n + 1) + ", ?" + std::to_string(n + 2) + ")";
      first.binds.push_back(*value);
      first.binds.push_back(*id);
    }
  }

  CustomerListPage page;
  std::string last_cursor;
  for (const Segment& segment : segments) {
    int wanted = query.limit + 1 - static_cast<int>(page.rows.size());
    std::string id = segment.Id();
    std::string order =
        segment.nulls || sort->name == "id" ? id + dir : col + dir + ", " + id + dir;
    std::string sql = "SELECT " + std::string(kColumns) + ", " + col + " FROM " +
                      FromSql(segment.lead) + " LEFT JOIN users u ON u.id = c.owner_id WHERE " +
                      where + segment.bound + " ORDER BY " + order + " LIMIT " +
                      std::to_string(wanted);
    auto stmt = db.Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    Statement& s = **stmt;
    int index = 1;
    for (const Bound& b : binds) Bind(s, index++, b);
    for (const Bound& b : segment.binds) Bind(s, index++, b);
    Result<bool> row = s.Step();
    for (; row.ok() && *row; row = s.Step()) {
      if (static_cast<int>(page.rows.size()) == query.limit) {
        page.next_cursor = last_cursor;
        return page;
      }
      page.rows.push_back(ReadRow(s));
      last_cursor = std::to_string(page.rows.back().id);
      if (s.IsNull(kSortColumn)) {
        last_cursor += "n";
      } else if (sort->kind == Kind::kReal) {
        // All 17 digits, so the next page compares with the stored double.
        char text[32];
        std::snprintf(text, sizeof text, "%.17g", s.Real(kSortColumn));
        last_cursor += "v" + std::string(text);
      } else {
        last_cursor += "v" + std::string(s.Text(kSortColumn));
      }
    }
    if (!row.ok()) return row.status();
  }
  return page;
}

}  // namespace tenure::store
