// GET /customers (filter, search, sort, keyset pages), POST /customers,
// GET /customers/{id} (the whole profile), PATCH /customers/{id}.
#include "api/json_codec.h"
#include "api/record_io.h"
#include "api/routes.h"
#include "domain/enums.h"
#include "engine/customer_profile.h"
#include "store/customer_list_queries.h"

namespace tenure::api {
namespace {

using nlohmann::json;

const domain::EntitySpec& CustomerSpec() { return domain::SpecOf(domain::Entity::kCustomer); }

bool IsMoneyMetric(std::string_view column) {
  return column == "cumulative_sales" || column == "gross_profit" || column == "receivables" ||
         column == "credit_limit";
}

// A filter value as the store compares it: enum names become codes, money
// becomes minor units, times become seconds.
Result<std::string> FilterValue(Context& c, const std::string& column, const std::string& text,
                                const std::string& param) {
  auto by_name = [&](std::span<const std::string_view> names) -> Result<std::string> {
    std::optional<int> code = domain::ParseEnumName(names, text);
    if (!code) return Status::InvalidArgument("unknown value '" + text + "'", param);
    return std::to_string(*code);
  };
  if (column == "status") return by_name(domain::kCustomerStatusNames);
  if (column == "lead_stage") return by_name(domain::kLeadStageNames);
  if (column == "credit_rating") return by_name(domain::kCreditRatingNames);
  if (IsMoneyMetric(column)) {
    std::string error;
    std::optional<Money> amount = ParseMoney(text, c.options.currency_decimals, &error);
    if (!amount) return Status::InvalidArgument("not an amount '" + text + "'", param);
    return std::to_string(*amount);
  }
  if (column == "last_contact_at") {
    std::optional<Timestamp> at = ParseTimestamp(text);
    if (!at) return Status::InvalidArgument("not a time '" + text + "'", param);
    return std::to_string(*at);
  }
  return text;
}

json RowJson(const store::CustomerListRow& r, int decimals) {
  auto text = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  auto opt = [](const auto& v) { return v ? json(*v) : json(nullptr); };
  return {{"id", r.id},
          {"external_id", text(r.external_id)},
          {"name", r.name},
          {"type", text(r.type)},
          {"industry", text(r.industry)},
          {"level", text(r.level)},
          {"source", text(r.source)},
          {"province", text(r.province)},
          {"city", text(r.city)},
          {"phone", text(r.phone)},
          {"email", text(r.email)},
          {"status", domain::NameOf(domain::kCustomerStatusNames,
                                    static_cast<domain::CustomerStatus>(r.status))},
          {"lead_stage", r.lead_stage
                             ? json(domain::NameOf(domain::kLeadStageNames,
                                                   static_cast<domain::LeadStage>(*r.lead_stage)))
                             : json(nullptr)},
          {"owner_id", opt(r.owner_id)},
          {"owner", text(r.owner)},
          {"team_id", opt(r.team_id)},
          {"first_order_date", text(r.first_order_date)},
          {"last_order_date", text(r.last_order_date)},
          {"next_purchase_date", text(r.next_purchase_date)},
          {"order_count", r.order_count},
          {"cumulative_sales", MoneyJson(r.cumulative_sales, decimals)},
          {"gross_profit", MoneyJson(r.gross_profit, decimals)},
          {"average_purchase_cycle_days", opt(r.avg_purchase_cycle_days)},
          {"last_contact_at",
           r.last_contact_at ? json(FormatTimestamp(*r.last_contact_at)) : json(nullptr)},
          {"receivables", MoneyJson(r.receivables, decimals)},
          {"version", r.version},
          {"created_at", FormatTimestamp(r.created_at)},
          {"updated_at", FormatTimestamp(r.updated_at)}};
}

Result<Reply> List(Context& c) {
  store::CustomerListQuery query;
  auto limit = IntParam(c.request, "limit", 50, 1, 1000);
  if (!limit.ok()) return limit.status();
  query.limit = static_cast<int>(*limit);
  for (const auto& [name, value] : c.request.query) {
    if (name == "limit") continue;
    if (name == "q") {
      query.search = value;
    } else if (name == "after") {
      query.after = value;
    } else if (name == "sort") {
      query.descending = !value.empty() && value[0] == '-';
      query.sort = query.descending ? value.substr(1) : value;
    } else if (store::IsCustomerDimension(name)) {
      auto v = FilterValue(c, name, value, name);
      if (!v.ok()) return v.status();
      query.equals.emplace_back(name, *v);
    } else if ((name.rfind("min_", 0) == 0 || name.rfind("max_", 0) == 0) &&
               store::IsCustomerMetric(name.substr(4))) {
      std::string column = name.substr(4);
      auto v = FilterValue(c, column, value, name);
      if (!v.ok()) return v.status();
      store::CustomerListQuery::Range range{column, "", ""};
      (name[1] == 'i' ? range.min : range.max) = *v;
      query.ranges.push_back(std::move(range));
    } else {
      return Status::InvalidArgument(
          "unknown parameter (q, sort, after, limit, a dimension, or min_/max_ a metric)", name);
    }
  }
  auto page = store::ListCustomers(c.db, c.scope.customers, query);
  if (!page.ok()) return page.status();
  json items = json::array();
  for (const store::CustomerListRow& row : page->rows) {
    items.push_back(RowJson(row, c.options.currency_decimals));
  }
  return Reply{.body = {{"items", std::move(items)},
                        {"next_cursor",
                         page->next_cursor.empty() ? json(nullptr) : json(page->next_cursor)}}};
}

Result<Reply> Profile(Context& c) {
  auto id = PathId(c.request);
  if (!id.ok()) return id.status();
  auto version = engine::GetRecordVersion(c.db, c.scope, CustomerSpec(), *id);
  if (!version.ok()) return version.status();
  auto as_of = DateParam(c.request, "as_of", DateOf(c.now));
  if (!as_of.ok()) return as_of.status();
  auto profile = engine::LoadCustomerProfile(c.db, store::RowKey::Internal(*id), *as_of);
  if (!profile.ok()) return profile.status();
  Reply reply{.raw = ProfileText(*profile, c.options.currency_decimals, *version),
              .content_type = "application/json"};
  reply.headers.emplace_back("ETag", "\"" + std::to_string(*version) + "\"");
  return reply;
}

Result<Reply> Create(Context& c) {
  auto fields = FieldsOf(CustomerSpec(), c.request.body, c.options.currency_decimals);
  if (!fields.ok()) return fields.status();
  auto record = engine::CreateRecord(c.db, c.scope, CustomerSpec(), *fields);
  if (!record.ok()) return record.status();
  return RecordReply(CustomerSpec(), *record, c.options.currency_decimals, 201);
}

Result<Reply> Update(Context& c) {
  auto id = PathId(c.request);
  if (!id.ok()) return id.status();
  auto version = ExpectedVersion(c.request);
  if (!version.ok()) return version.status();
  auto fields = FieldsOf(CustomerSpec(), c.request.body, c.options.currency_decimals);
  if (!fields.ok()) return fields.status();
  auto record = engine::UpdateRecord(c.db, c.scope, CustomerSpec(), *id, *fields, *version);
  if (!record.ok()) return record.status();
  return RecordReply(CustomerSpec(), *record, c.options.currency_decimals, 200);
}

}  // namespace

void AddCustomerRoutes(std::vector<Route>& routes) {
  constexpr uint8_t kStaff = kAdmin | kManager | kSales;
  routes.push_back(
      {.method = "GET",
       .path = "/customers",
       .tag = "customers",
       .summary = "A page of the user's customers: filtered, searched, sorted",
       .params = {{"q", "query", "string", false,
                   "search: name, phone or e-mail of the customer or of a contact"},
                  {"sort", "query", "string", false,
                   "id (default), name, created_at, updated_at or a metric; '-' first: descending"},
                  {"after", "query", "string", false, "the next_cursor of the previous page"},
                  {"limit", "query", "integer", false, "rows per page, 1-1000 (default 50)"},
                  {"DIMENSION", "query", "string", false,
                   "type, industry, level, source, province, city, status, lead_stage, "
                   "credit_rating, owner_id or team_id equal to this"},
                  {"min_METRIC", "query", "string", false,
                   "a metric at least this (cumulative_sales, last_order_date, order_count, ...)"},
                  {"max_METRIC", "query", "string", false, "a metric at most this"}},
       .handler = List});
  routes.push_back({.method = "POST",
                    .path = "/customers",
                    .roles = kStaff,
                    .tag = "customers",
                    .summary = "Add a customer (a salesperson's own)",
                    .params = FieldParams(CustomerSpec()),
                    .handler = Create});
  routes.push_back({.method = "GET",
                    .path = "/customers/{id}",
                    .tag = "customers",
                    .summary = "The whole profile: fields, metrics, scores and every record",
                    .params = {{"id", "path", "integer", true, "the customer's id"},
                               {"as_of", "query", "string", false, "YYYY-MM-DD (default: today)"}},
                    .handler = Profile});
  std::vector<Param> params = FieldParams(CustomerSpec(), /*for_update=*/true);
  params.insert(params.begin(), {"id", "path", "integer", true, "the customer's id"});
  routes.push_back({.method = "PATCH",
                    .path = "/customers/{id}",
                    .roles = kStaff,
                    .tag = "customers",
                    .summary = "Change a customer's fields; with version, only if unchanged since",
                    .params = std::move(params),
                    .handler = Update});
}

}  // namespace tenure::api
