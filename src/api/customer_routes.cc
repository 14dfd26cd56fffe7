// GET /customers (filter, search, sort, keyset pages; or the whole filter as
// CSV or XLSX), POST /customers,
// GET /customers/{id} (the whole profile), PATCH /customers/{id},
// GET /customers/{id}/credit (the credit file).
#include "api/json_codec.h"
#include "api/openapi_schemas.h"
#include "api/record_io.h"
#include "api/report_json.h"
#include "api/routes.h"
#include "common/text.h"
#include "domain/enums.h"
#include "engine/customer_list.h"
#include "engine/customer_profile.h"
#include "engine/stats.h"
#include "store/customer_list_queries.h"

namespace tenure::api {
namespace {

using nlohmann::json;

const domain::EntitySpec& CustomerSpec() { return domain::SpecOf(domain::Entity::kCustomer); }

// The list query of GET /customers' parameters (engine/customer_list.h, as
// `tenure customer list` reads its options).
Result<store::CustomerListQuery> ListQuery(Context& c) {
  auto limit = IntParam(c.request, "limit", 50, 1, 1000);
  if (!limit.ok()) return limit.status();
  std::vector<engine::ListParam> params;
  for (const auto& [name, value] : c.request.query) {
    if (name == "limit" || name == "format") continue;
    params.emplace_back(name, value);
  }
  auto query = engine::CustomerListQueryOf(params, c.options.currency_decimals);
  if (!query.ok()) return query.status();
  query->limit = static_cast<int>(*limit);
  return query;
}

// At most this many rows in one download: the table is built in memory
// (about 1 KB a row). Every customer is GET /exports/customers, streamed.
constexpr size_t kMaxDownloadRows = 100'000;

// Every row the query selects (all pages, from `after` on) as a download:
// the list's columns, money in the currency unit.
Result<Reply> ListDownload(Context& c, store::CustomerListQuery query, const std::string& format) {
  using Kind = engine::ReportColumn::Kind;
  engine::ReportTable table;
  table.title = "customers";
  for (auto [name, kind] : std::initializer_list<std::pair<const char*, Kind>>{
           {"id", Kind::kText},
           {"name", Kind::kText},
           {"status", Kind::kText},
           {"lead_stage", Kind::kText},
           {"owner", Kind::kText},
           {"type", Kind::kText},
           {"industry", Kind::kText},
           {"level", Kind::kText},
           {"source", Kind::kText},
           {"province", Kind::kText},
           {"city", Kind::kText},
           {"phone", Kind::kText},
           {"email", Kind::kText},
           {"first_order_date", Kind::kText},
           {"last_order_date", Kind::kText},
           {"next_purchase_date", Kind::kText},
           {"order_count", Kind::kInteger},
           {"cumulative_sales", Kind::kMoney},
           {"gross_profit", Kind::kMoney},
           {"average_purchase_cycle_days", Kind::kDecimal},
           {"last_contact_at", Kind::kText},
           {"receivables", Kind::kMoney},
           {"p_alive", Kind::kDecimal},
           {"clv", Kind::kMoney},
           {"model_next_purchase_date", Kind::kText},
           {"risk_probability", Kind::kDecimal},
           {"value_at_risk", Kind::kMoney},
           {"health", Kind::kInteger}}) {
    table.columns.push_back({name, kind});
  }
  auto text = [](const std::string& s) -> engine::ReportCell {
    return s.empty() ? engine::ReportCell() : engine::ReportCell(s);
  };
  query.limit = 1000;
  for (;;) {
    auto page = store::ListCustomers(c.db, c.scope.customers, query);
    if (!page.ok()) return page.status();
    for (const store::CustomerListRow& r : page->rows) {
      table.rows.push_back(
          {r.external_id.empty() ? engine::ReportCell(std::to_string(r.id)) : r.external_id,
           r.name,
           std::string(domain::NameOf(domain::kCustomerStatusNames,
                                      static_cast<domain::CustomerStatus>(r.status))),
           r.lead_stage
               ? engine::ReportCell(std::string(domain::NameOf(
                     domain::kLeadStageNames, static_cast<domain::LeadStage>(*r.lead_stage))))
               : engine::ReportCell(),
           text(r.owner),
           text(r.type),
           text(r.industry),
           text(r.level),
           text(r.source),
           text(r.province),
           text(r.city),
           text(r.phone),
           text(r.email),
           text(r.first_order_date),
           text(r.last_order_date),
           text(r.next_purchase_date),
           r.order_count,
           r.cumulative_sales,
           r.gross_profit,
           r.avg_purchase_cycle_days ? engine::ReportCell(*r.avg_purchase_cycle_days)
                                     : engine::ReportCell(),
           r.last_contact_at ? engine::ReportCell(FormatTimestamp(*r.last_contact_at))
                             : engine::ReportCell(),
           r.receivables,
           r.p_alive ? engine::ReportCell(*r.p_alive) : engine::ReportCell(),
           r.clv ? engine::ReportCell(*r.clv) : engine::ReportCell(),
           text(r.model_next_purchase_date),
           r.risk_probability ? engine::ReportCell(*r.risk_probability) : engine::ReportCell(),
           r.value_at_risk ? engine::ReportCell(*r.value_at_risk) : engine::ReportCell(),
           r.health ? engine::ReportCell(*r.health) : engine::ReportCell()});
    }
    if (page->next_cursor.empty()) break;
    if (table.rows.size() >= kMaxDownloadRows) {
      return Status::InvalidArgument(
          "more than " + GroupThousands(static_cast<int64_t>(kMaxDownloadRows)) +
              " customers: narrow the filter, or download every customer with GET "
              "/exports/customers",
          "format");
    }
    query.after = page->next_cursor;
  }
  TempFile file("." + format);
  if (file.path().empty()) return Status::IoError("cannot create a temporary file");
  const int decimals = c.options.currency_decimals;
  Status written = format == "csv" ? engine::WriteTableCsv(table, file.path(), decimals)
                                   : engine::WriteTableXlsx(table, file.path(), decimals);
  if (!written.ok()) return written;
  auto reply = DownloadReply(file.path(), format, "customers." + format);
  if (!reply.ok()) return reply.status();
  reply->headers.emplace_back("X-Rows", std::to_string(table.rows.size()));
  return reply;
}

Result<Reply> List(Context& c) {
  auto query = ListQuery(c);
  if (!query.ok()) return query.status();
  std::string format = QueryParam(c.request, "format").value_or("json");
  if (format == "csv" || format == "xlsx") return ListDownload(c, std::move(*query), format);
  if (format != "json") return Status::InvalidArgument("expected json, csv or xlsx", "format");
  auto page = store::ListCustomers(c.db, c.scope.customers, *query);
  if (!page.ok()) return page.status();
  return Reply{.body = CustomerPageJson(*page, c.options.currency_decimals)};
}

// The customer of the path, read as of `as_of` (default today). A customer
// outside the scope answers as a missing one.
struct CustomerAsOf {
  int64_t id = 0;
  int64_t version = 0;
  Date as_of;
};
Result<CustomerAsOf> ReadCustomerAsOf(Context& c) {
  auto id = PathId(c.request);
  if (!id.ok()) return id.status();
  auto version = engine::GetRecordVersion(c.db, c.scope, CustomerSpec(), *id);
  if (!version.ok()) return version.status();
  auto as_of = DateParam(c.request, "as_of", DateOf(c.now));
  if (!as_of.ok()) return as_of.status();
  return CustomerAsOf{*id, *version, *as_of};
}

Result<Reply> Profile(Context& c) {
  auto customer = ReadCustomerAsOf(c);
  if (!customer.ok()) return customer.status();
  auto profile =
      engine::LoadCustomerProfile(c.db, store::RowKey::Internal(customer->id), customer->as_of);
  if (!profile.ok()) return profile.status();
  Reply reply{.raw = ProfileText(*profile, c.options.currency_decimals, customer->version),
              .content_type = "application/json"};
  reply.headers.emplace_back("ETag", "\"" + std::to_string(customer->version) + "\"");
  return reply;
}

Result<Reply> Credit(Context& c) {
  auto customer = ReadCustomerAsOf(c);
  if (!customer.ok()) return customer.status();
  auto file = engine::BuildCreditFile(c.db, store::RowKey::Internal(customer->id), customer->as_of,
                                      c.options.credit_rules);
  if (!file.ok()) return file.status();
  return Reply{.body = CreditFileJson(*file, c.options.currency_decimals)};
}

Result<Reply> Create(Context& c) {
  auto fields = FieldsOf(CustomerSpec(), c.request.body, c.options.currency_decimals);
  if (!fields.ok()) return fields.status();
  auto record = engine::CreateRecord(c.db, c.scope, CustomerSpec(), *fields);
  if (!record.ok()) return record.status();
  return RecordReply(c, CustomerSpec(), *record, 201);
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
  return RecordReply(c, CustomerSpec(), *record, 200);
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
                   "id (default), name, created_at, updated_at, a metric or a score; '-' first: "
                   "descending"},
                  {"after", "query", "string", false, "the next_cursor of the previous page"},
                  {"ids", "query", "string", false,
                   "only these customers: internal ids separated by ',' (at most 1,000)"},
                  {"limit", "query", "integer", false, "rows per page, 1-1000 (default 50)"},
                  {"format", "query", "string", false,
                   "json (default), or csv or xlsx: every row of the filter as a download"},
                  {"DIMENSION", "query", "string", false,
                   "type, industry, level, source, province, city, status, lead_stage, "
                   "credit_rating, owner_id or team_id equal to this"},
                  {"min_METRIC", "query", "string", false,
                   "a metric at least this (cumulative_sales, last_order_date, order_count, ...) "
                   "or a score (p_alive, clv, model_next_purchase_date) or the risk "
                   "(risk_probability, value_at_risk, health)"},
                  {"max_METRIC", "query", "string", false, "a metric at most this"}},
       .response = "CustomerPage",
       .downloads = {kCsvType, kXlsxType},
       .handler = List});
  const RecordSchemaNames schemas = RecordSchemasOf(CustomerSpec());
  routes.push_back({.method = "POST",
                    .path = "/customers",
                    .roles = kStaff,
                    .tag = "customers",
                    .summary = "Add a customer (a salesperson's own)",
                    .response = schemas.row,
                    .status = 201,
                    .request = schemas.create,
                    .handler = Create});
  routes.push_back({.method = "GET",
                    .path = "/customers/{id}",
                    .tag = "customers",
                    .summary = "The whole profile: fields, metrics, scores and every record",
                    .params = {{"id", "path", "integer", true, "the customer's id"},
                               {"as_of", "query", "string", false, "YYYY-MM-DD (default: today)"}},
                    .response = "CustomerProfile",
                    .handler = Profile});
  routes.push_back({.method = "GET",
                    .path = "/customers/{id}/credit",
                    .tag = "customers",
                    .summary =
                        "The customer's credit file: payments, open and overdue balances, the A-D "
                        "rating with its reasons",
                    .params = {{"id", "path", "integer", true, "the customer's id"},
                               {"as_of", "query", "string", false, "YYYY-MM-DD (default: today)"}},
                    .response = "CreditFile",
                    .handler = Credit});
  routes.push_back({.method = "PATCH",
                    .path = "/customers/{id}",
                    .roles = kStaff,
                    .tag = "customers",
                    .summary = "Change a customer's fields; with version, only if unchanged since",
                    .params = {{"id", "path", "integer", true, "the customer's id"}},
                    .response = schemas.row,
                    .request = schemas.change,
                    .handler = Update});
}

}  // namespace tenure::api
