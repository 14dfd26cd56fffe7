#include "engine/import/order_lines.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <unordered_map>

#include "common/numbers.h"
#include "common/text.h"
#include "engine/field_codec.h"
#include "engine/import/csv.h"
#include "engine/import/import_columns.h"
#include "engine/import/rejects.h"
#include "engine/import/value_formats.h"
#include "engine/metrics.h"
#include "store/entity_table.h"

namespace tenure::engine {
namespace {

using domain::Entity;
using domain::EntitySpec;
using domain::FieldSpec;
using domain::Row;
using domain::Value;
using F = domain::FieldType;

// The columns of a line-level export (not a table: they feed five).
enum Column : size_t {
  kOrderId,
  kCustomerId,
  kOrderDate,
  kProductId,
  kProductName,
  kCategory,
  kQuantity,
  kUnitPrice,
  kLineAmount,
  kUnitCost,
  kReturnOf,
  kColumnCount,
};

const FieldSpec kLineColumns[] = {
    {"order_id", F::kText, domain::kRequired,
     "order,order_no,order_number,invoice_no,invoice,invoice_number,invoice_id,receipt_no,"
     "document_no,transaction_id"},
    {"customer_id", F::kText, 0,
     "customer,cust_id,client_id,customer_no,customer_number,client,buyer_id,account_id"},
    {"order_date", F::kTimestamp, domain::kRequired,
     "date,invoice_date,ordered_on,purchase_date,order_time,transaction_date"},
    {"product_id", F::kText, 0,
     "product,sku,stock_code,item_code,item_id,article_no,product_code,item_no"},
    {"product_name", F::kText, 0,
     "description,product_description,item_name,item_description,title"},
    {"category", F::kText, 0, "product_category,category_name,product_type"},
    {"quantity", F::kDecimal, domain::kRequired, "qty,units,quantity_ordered"},
    {"unit_price", F::kDecimal, 0, "price,price_each,price_per_unit,item_price,sales_price"},
    {"line_amount", F::kMoney, 0, "amount,line_total,total,extended_price,revenue,sales"},
    {"unit_cost", F::kMoney, domain::kNonNegative, "cost,cost_price,purchase_price"},
    {"return_of", F::kText, 0, "original_order,original_invoice,returns_order,refers_to,cancels"},
};
static_assert(std::size(kLineColumns) == kColumnCount);
const EntitySpec kLineExport = {Entity::kOrderLine, "order_lines", "", "", kLineColumns};

constexpr int kMicro = 6;                 // unit prices to a millionth
constexpr int64_t kMicroPerCent = 10000;  // for two currency decimals

// An order or a return being built from its lines.
struct Group {
  std::string id;
  int64_t customer = 0;
  std::string customer_text;
  Date date;
  int64_t micro = 0;  // sum of quantity x unit price, in millionths
  double quantity = 0;
  int64_t cost = 0;
  bool cost_known = true;
  std::string return_of;
  int64_t first_line = 0;
  int64_t lines = 0;
};

struct Line {
  bool is_return;
  size_t group;
  int64_t number;  // within its group, from 1
  std::optional<int64_t> product;
  double quantity;
  std::optional<double> unit_price;
  int64_t amount;  // in minor units
};

int64_t MicroToMinor(int64_t micro, int decimals) {
  int64_t per = kMicroPerCent;
  for (int d = 2; d < decimals; ++d) per /= 10;
  for (int d = decimals; d < 2; ++d) per *= 10;
  return micro >= 0 ? (micro + per / 2) / per : -((-micro + per / 2) / per);
}

bool DefaultReturnPrefix(std::string_view id) {
  if (id.size() < 2 || id[0] != 'C') return false;
  for (char c : id.substr(1)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Inserts `row` as `external_id` when the index lacks it, else updates it;
// counts what happened in `count`. Returns the row id.
Result<int64_t> Upsert(store::RowWriter& writer, store::IdIndex& index, int64_t& next_id,
                       const std::string& external_id, const Row& row, Timestamp now,
                       TableCount& count) {
  if (auto id = index.Find(external_id)) {
    auto changed = writer.Update(*id, row, now);
    if (!changed.ok()) return changed.status();
    ++(*changed ? count.updated : count.unchanged);
    return *id;
  }
  int64_t id = next_id++;
  TENURE_RETURN_IF_ERROR(writer.Insert(id, external_id, row, now));
  index.Insert(external_id, id);
  ++count.inserted;
  return id;
}

class OrderLinesImport {
 public:
  OrderLinesImport(store::Database& db, const ImportOptions& options)
      : db_(db), options_(options) {}
  Result<ImportReport> Run();

 private:
  Status LoadIndexes();
  // Reads one line into groups_/lines_; false with column/reason when rejected.
  bool ReadLine(const std::vector<std::string_view>& fields, int64_t line, std::string& column,
                std::string& reason);
  Status Write();
  std::string_view Cell(const std::vector<std::string_view>& fields, Column c) const {
    int at = plan_.field_column[c];
    return at < 0 ? std::string_view() : Trim(fields[at]);
  }

  store::Database& db_;
  const ImportOptions& options_;
  ColumnPlan plan_;
  FileFormat format_;
  std::vector<ParseContext> contexts_;
  ImportReport report_;
  store::IdIndex customers_, products_, orders_, returns_, lines_index_;
  std::unordered_map<std::string, std::string> loose_customers_;
  int64_t next_customer_ = 1, next_product_ = 1;
  std::vector<std::pair<int64_t, std::string>> new_customers_;  // id, external id
  struct NewProduct {
    int64_t id;
    std::string external_id, name, category;
    std::optional<int64_t> unit_cost;
  };
  std::vector<NewProduct> new_products_;
  std::unordered_map<std::string, size_t> order_of_, return_of_;
  std::vector<Group> orders_list_, returns_list_;
  std::vector<Line> lines_;
};

Status OrderLinesImport::LoadIndexes() {
  TENURE_RETURN_IF_ERROR(store::LoadIdIndex(db_, domain::SpecOf(Entity::kCustomer), customers_));
  TENURE_RETURN_IF_ERROR(store::LoadIdIndex(db_, domain::SpecOf(Entity::kProduct), products_));
  TENURE_RETURN_IF_ERROR(store::LoadIdIndex(db_, domain::SpecOf(Entity::kOrder), orders_));
  TENURE_RETURN_IF_ERROR(store::LoadIdIndex(db_, domain::SpecOf(Entity::kReturn), returns_));
  TENURE_RETURN_IF_ERROR(store::LoadIdIndex(db_, domain::SpecOf(Entity::kOrderLine), lines_index_));
  customers_.ForEach([&](std::string_view id, int64_t) {
    loose_customers_.emplace(LooseIdKey(id), std::string(id));
  });
  auto max_customer = store::MaxRowId(db_, domain::SpecOf(Entity::kCustomer));
  if (!max_customer.ok()) return max_customer.status();
  next_customer_ = *max_customer + 1;
  auto max_product = store::MaxRowId(db_, domain::SpecOf(Entity::kProduct));
  if (!max_product.ok()) return max_product.status();
  next_product_ = *max_product + 1;
  return Status::Ok();
}

bool OrderLinesImport::ReadLine(const std::vector<std::string_view>& fields, int64_t line,
                                std::string& column, std::string& reason) {
  auto fail = [&](Column c, std::string why) {
    column = plan_.field_column[c] >= 0 ? plan_.headers[plan_.field_column[c]] : "";
    reason = std::move(why);
    return false;
  };
  if (fields.size() != plan_.headers.size()) {
    column.clear();
    reason = "expected " + std::to_string(plan_.headers.size()) + " columns, found " +
             std::to_string(fields.size());
    return false;
  }
  std::string_view order = Cell(fields, kOrderId);
  if (order.empty()) return fail(kOrderId, "required value is empty");
  if (!CheckText(order, false, reason)) return fail(kOrderId, reason);
  std::string_view customer_text = CanonicalId(Cell(fields, kCustomerId));
  if (customer_text.empty()) {
    ++report_.skipped;  // a sale to a buyer the shop did not register
    return true;
  }
  if (!CheckText(customer_text, false, reason)) return fail(kCustomerId, reason);
  // The date as written (a time of day is dropped: an order has a date).
  std::optional<Date> date;
  if (auto local = ParseLocalDateTime(Cell(fields, kOrderDate), contexts_[kOrderDate].date_order)) {
    date = local->date;
  } else {
    Value stamp;  // --date-format, or the error message
    if (!ParseFieldText(kLineColumns[kOrderDate], Cell(fields, kOrderDate), contexts_[kOrderDate],
                        stamp, reason)) {
      return fail(kOrderDate, reason);
    }
    date = DateOf(std::get<int64_t>(stamp));
  }
  Value quantity_value;
  std::string_view quantity_text = Cell(fields, kQuantity);
  if (quantity_text.empty()) return fail(kQuantity, "required value is empty");
  if (!ParseFieldText(kLineColumns[kQuantity], quantity_text, contexts_[kQuantity], quantity_value,
                      reason)) {
    return fail(kQuantity, reason);
  }
  double quantity = std::get<double>(quantity_value);

  // The line's value in millionths: quantity x unit price, or the amount.
  int64_t micro = 0;
  std::optional<double> unit_price;
  std::string_view price_text = Cell(fields, kUnitPrice);
  std::string_view amount_text = Cell(fields, kLineAmount);
  if (!price_text.empty()) {
    std::string buffer, why;
    std::string_view plain = price_text;
    if (auto canonical = CanonicalNumber(price_text, format_.decimal_comma)) {
      buffer = std::move(*canonical);
      plain = buffer;
    }
    auto price = ParseMoney(plain, kMicro, &why);
    if (!price) return fail(kUnitPrice, why + ": '" + std::string(price_text) + "'");
    if (*price < 0)
      return fail(kUnitPrice, "must not be negative: '" + std::string(price_text) + "'");
    unit_price = static_cast<double>(*price) / 1e6;
    double whole = std::round(quantity);
    micro = whole == quantity ? static_cast<int64_t>(whole) * *price
                              : std::llround(quantity * static_cast<double>(*price));
  } else if (!amount_text.empty()) {
    Value amount;
    if (!ParseFieldText(kLineColumns[kLineAmount], amount_text, contexts_[kLineAmount], amount,
                        reason)) {
      return fail(kLineAmount, reason);
    }
    int64_t minor = std::get<int64_t>(amount);
    int64_t per = MicroToMinor(1'000'000, options_.currency_decimals);  // minor units per unit
    micro = minor * (1'000'000 / std::max<int64_t>(per, 1));
  } else {
    return fail(kUnitPrice, "no unit price and no line amount");
  }

  std::string order_id(order);
  bool is_return = quantity < 0 || micro < 0;  // a credit line is a return too
  if (options_.return_prefix
          ? !options_.return_prefix->empty() && order_id.starts_with(*options_.return_prefix)
          : DefaultReturnPrefix(order_id)) {
    is_return = true;
  }
  quantity = std::fabs(quantity);
  micro = micro < 0 ? -micro : micro;

  // The customer, created when asked and not there.
  std::string customer_key(customer_text);
  std::optional<int64_t> customer = customers_.Find(customer_key);
  if (!customer) {
    auto loose = loose_customers_.find(LooseIdKey(customer_key));
    if (loose != loose_customers_.end()) {
      return fail(kCustomerId, "unknown customer '" + customer_key +
                                   "', but there is a customer '" + loose->second +
                                   "'; not created (write the id as it is in the database)");
    }
    if (!options_.create_customers) {
      return fail(kCustomerId, "unknown customer '" + customer_key +
                                   "' (import customers first, or use --create-customers)");
    }
    customer = next_customer_++;
    customers_.Insert(customer_key, *customer);
    loose_customers_.emplace(LooseIdKey(customer_key), customer_key);
    new_customers_.emplace_back(*customer, customer_key);
  }

  // The order or return the line belongs to.
  auto& index = is_return ? return_of_ : order_of_;
  auto& list = is_return ? returns_list_ : orders_list_;
  auto [it, added] = index.emplace(order_id, list.size());
  if (added) {
    Group& g = list.emplace_back();
    g.id = order_id;
    g.customer = *customer;
    g.customer_text = customer_key;
    g.date = *date;
    g.first_line = line;
    g.return_of = std::string(CanonicalId(Cell(fields, kReturnOf)));
  }
  Group& group = list[it->second];
  if (group.customer != *customer) {
    return fail(kCustomerId, "order '" + order_id + "' is customer '" + group.customer_text +
                                 "''s on line " + std::to_string(group.first_line) + ", not '" +
                                 customer_key + "''s");
  }

  // The product, added the first time it is named.
  std::optional<int64_t> product;
  std::string_view product_id = CanonicalId(Cell(fields, kProductId));
  std::string_view product_name = Cell(fields, kProductName);
  std::string product_key(product_id.empty() ? product_name : product_id);
  std::optional<int64_t> unit_cost;
  if (!Cell(fields, kUnitCost).empty()) {
    Value cost;
    if (!ParseFieldText(kLineColumns[kUnitCost], Cell(fields, kUnitCost), contexts_[kUnitCost],
                        cost, reason)) {
      return fail(kUnitCost, reason);
    }
    unit_cost = std::get<int64_t>(cost);
  }
  if (!product_key.empty()) {
    if (!CheckText(product_key, false, reason)) return fail(kProductId, reason);
    if (!CheckText(product_name, false, reason)) return fail(kProductName, reason);
    product = products_.Find(product_key);
    if (!product) {
      product = next_product_++;
      products_.Insert(product_key, *product);
      std::string category(Cell(fields, kCategory));
      new_products_.push_back({*product, product_key,
                               std::string(product_name.empty() ? product_key : product_name),
                               category, unit_cost});
    }
  }
  group.micro += micro;
  group.quantity += quantity;
  if (unit_cost) {
    group.cost += static_cast<int64_t>(std::llround(quantity * static_cast<double>(*unit_cost)));
  } else {
    group.cost_known = false;
  }
  ++group.lines;
  lines_.push_back({is_return, it->second, group.lines, product, quantity, unit_price,
                    MicroToMinor(micro, options_.currency_decimals)});
  return true;
}

Status OrderLinesImport::Write() {
  Timestamp now = NowUtc();
  const EntitySpec& customer_spec = domain::SpecOf(Entity::kCustomer);
  const EntitySpec& product_spec = domain::SpecOf(Entity::kProduct);
  const EntitySpec& order_spec = domain::SpecOf(Entity::kOrder);
  const EntitySpec& return_spec = domain::SpecOf(Entity::kReturn);
  const EntitySpec& line_spec = domain::SpecOf(Entity::kOrderLine);
  auto index_of = [](const EntitySpec& spec, std::string_view name) {
    return *spec.FieldIndex(name);
  };
  TableCount customers{"customers"}, products{"products"}, orders{"orders"}, returns{"returns"},
      lines{"order_lines"};

  {
    auto writer = store::RowWriter::Create(db_, customer_spec, {index_of(customer_spec, "name")});
    if (!writer.ok()) return writer.status();
    Row row(customer_spec.fields.size());
    for (const auto& [id, external_id] : new_customers_) {
      row[index_of(customer_spec, "name")] = "Customer " + external_id;  // as ImportCsv names them
      TENURE_RETURN_IF_ERROR((*writer)->Insert(id, external_id, row, now));
      ++customers.inserted;
    }
  }
  {
    std::vector<size_t> columns = {index_of(product_spec, "name"),
                                   index_of(product_spec, "category"),
                                   index_of(product_spec, "unit_cost")};
    auto writer = store::RowWriter::Create(db_, product_spec, columns);
    if (!writer.ok()) return writer.status();
    Row row(product_spec.fields.size());
    for (const NewProduct& p : new_products_) {
      row[columns[0]] = p.name;
      row[columns[1]] = p.category.empty() ? Value() : Value(p.category);
      row[columns[2]] = p.unit_cost ? Value(*p.unit_cost) : Value();
      TENURE_RETURN_IF_ERROR((*writer)->Insert(p.id, p.external_id, row, now));
      ++products.inserted;
    }
  }
  std::vector<int64_t> order_ids(orders_list_.size()), return_ids(returns_list_.size());
  std::vector<int64_t> touched;
  {
    std::vector<size_t> columns = {index_of(order_spec, "customer_id"),
                                   index_of(order_spec, "order_date"),
                                   index_of(order_spec, "amount"), index_of(order_spec, "cost"),
                                   index_of(order_spec, "quantity")};
    auto writer = store::RowWriter::Create(db_, order_spec, columns);
    if (!writer.ok()) return writer.status();
    auto max_id = store::MaxRowId(db_, order_spec);
    if (!max_id.ok()) return max_id.status();
    int64_t next_id = *max_id + 1;
    Row row(order_spec.fields.size());
    for (size_t i = 0; i < orders_list_.size(); ++i) {
      const Group& g = orders_list_[i];
      row[columns[0]] = g.customer;
      row[columns[1]] = FormatDate(g.date);
      row[columns[2]] = MicroToMinor(g.micro, options_.currency_decimals);
      row[columns[3]] = g.cost_known ? Value(g.cost) : Value();
      row[columns[4]] = g.quantity;
      auto id = Upsert(**writer, orders_, next_id, g.id, row, now, orders);
      if (!id.ok()) return id.status();
      order_ids[i] = *id;
      touched.push_back(g.customer);
    }
  }
  {
    std::vector<size_t> columns = {
        index_of(return_spec, "customer_id"), index_of(return_spec, "order_id"),
        index_of(return_spec, "returned_on"), index_of(return_spec, "amount"),
        index_of(return_spec, "cost"),        index_of(return_spec, "quantity")};
    auto writer = store::RowWriter::Create(db_, return_spec, columns);
    if (!writer.ok()) return writer.status();
    auto max_id = store::MaxRowId(db_, return_spec);
    if (!max_id.ok()) return max_id.status();
    int64_t next_id = *max_id + 1;
    Row row(return_spec.fields.size());
    for (size_t i = 0; i < returns_list_.size(); ++i) {
      const Group& g = returns_list_[i];
      std::optional<int64_t> original;
      if (!g.return_of.empty()) original = orders_.Find(g.return_of);
      row[columns[0]] = g.customer;
      row[columns[1]] = original ? Value(*original) : Value();
      row[columns[2]] = FormatDate(g.date);
      row[columns[3]] = MicroToMinor(g.micro, options_.currency_decimals);
      row[columns[4]] = g.cost_known ? Value(g.cost) : Value();
      row[columns[5]] = g.quantity;
      auto id = Upsert(**writer, returns_, next_id, g.id, row, now, returns);
      if (!id.ok()) return id.status();
      return_ids[i] = *id;
      touched.push_back(g.customer);
    }
  }
  {
    std::vector<size_t> columns = {
        index_of(line_spec, "order_id"),   index_of(line_spec, "return_id"),
        index_of(line_spec, "product_id"), index_of(line_spec, "quantity"),
        index_of(line_spec, "unit_price"), index_of(line_spec, "amount")};
    auto writer = store::RowWriter::Create(db_, line_spec, columns);
    if (!writer.ok()) return writer.status();
    auto max_id = store::MaxRowId(db_, line_spec);
    if (!max_id.ok()) return max_id.status();
    int64_t next_id = *max_id + 1;
    Row row(line_spec.fields.size());
    std::string external_id;
    for (const Line& l : lines_) {
      const Group& g = l.is_return ? returns_list_[l.group] : orders_list_[l.group];
      external_id = g.id + (l.is_return ? "/-" : "/") + std::to_string(l.number);
      row[columns[0]] = l.is_return ? Value() : Value(order_ids[l.group]);
      row[columns[1]] = l.is_return ? Value(return_ids[l.group]) : Value();
      row[columns[2]] = l.product ? Value(*l.product) : Value();
      row[columns[3]] = l.quantity;
      row[columns[4]] = l.unit_price ? Value(*l.unit_price) : Value();
      row[columns[5]] = l.amount;
      auto id = Upsert(**writer, lines_index_, next_id, external_id, row, now, lines);
      if (!id.ok()) return id.status();
    }
  }
  report_.tables = {customers, products, orders, returns, lines};
  report_.inserted = lines.inserted;
  report_.updated = lines.updated;
  report_.unchanged = lines.unchanged;
  report_.customers_created = customers.inserted;
  return RefreshMetricsAfterImport(db_, touched);
}

Result<ImportReport> OrderLinesImport::Run() {
  auto started = std::chrono::steady_clock::now();
  auto reader_or = CsvReader::Open(options_.path, 1 << 20, options_.encoding);
  if (!reader_or.ok()) return reader_or.status();
  CsvReader& reader = **reader_or;
  std::vector<std::string_view> fields;
  Result<bool> got = reader.Next(fields);
  if (!got.ok()) return got.status();
  if (!*got) return Status::InvalidArgument(options_.path + ": the file is empty (no header line)");
  auto plan = PlanColumns(kLineExport, options_.path, fields, options_.maps);
  if (!plan.ok()) return plan.status();
  plan_ = std::move(*plan);
  if (plan_.field_column[kUnitPrice] < 0 && plan_.field_column[kLineAmount] < 0) {
    return Status::InvalidArgument(options_.path +
                                       ": no column for the unit price (UnitPrice, price, ...) "
                                       "or the line amount (amount, line_total, ...)",
                                   "unit_price");
  }
  FormatRequest request{options_.encoding, options_.decimal_comma, options_.date_order,
                        options_.date_format};
  auto format = DetectFileFormat(options_.path, reader.encoding(), kLineExport, plan_, request);
  if (!format.ok()) return format.status();
  format_ = *format;
  contexts_.resize(kColumnCount);
  for (size_t c = 0; c < kColumnCount; ++c) {
    contexts_[c].date_format = options_.date_format;
    contexts_[c].date_order = format_.date_order[c];
    contexts_[c].decimal_comma = format_.decimal_comma;
    contexts_[c].currency_decimals = options_.currency_decimals;
  }
  report_.dry_run = options_.dry_run;
  report_.format = format_;
  report_.ignored_columns = plan_.ignored;
  for (size_t c = 0; c < plan_.headers.size(); ++c) {
    for (size_t f = 0; f < kColumnCount; ++f) {
      if (plan_.field_column[f] == static_cast<int>(c)) {
        report_.mapping.emplace_back(plan_.headers[c], std::string(kLineColumns[f].name));
      }
    }
  }
  report_.skipped_reason = "lines without a customer id (sales to unregistered buyers)";

  store::Transaction txn(db_);
  TENURE_RETURN_IF_ERROR(txn.status());
  const std::string order_header = plan_.headers[plan_.field_column[kOrderId]];
  if (!options_.allow_new_ids) {
    TENURE_RETURN_IF_ERROR(
        CheckIdentityUnchanged(db_, domain::SpecOf(Entity::kOrder), options_.path, order_header));
  }
  TENURE_RETURN_IF_ERROR(LoadIndexes());

  RejectsFile rejects(options_, plan_.headers, report_);
  Status status;
  std::string column, reason;
  while (status.ok()) {
    got = reader.Next(fields);
    if (!got.ok()) {
      if (got.status().code() != Status::Code::kInvalidArgument) return got.status();
      ++report_.rows;
      status = rejects.Add(reader.line(), "", WithoutPlace(got.status().message()), {});
      continue;
    }
    if (!*got) break;
    ++report_.rows;
    size_t lines_before = lines_.size();
    if (!ReadLine(fields, reader.line(), column, reason)) {
      status = rejects.Add(reader.line(), column, reason, fields);
    } else if (lines_.size() > lines_before && report_.preview.size() < options_.preview_rows) {
      const Line& l = lines_.back();
      const Group& g = l.is_return ? returns_list_[l.group] : orders_list_[l.group];
      report_.preview.push_back({{l.is_return ? "return" : "order", g.id},
                                 {"customer", g.customer_text},
                                 {"date", FormatDate(g.date)},
                                 {"product", std::string(CanonicalId(Cell(fields, kProductId)))},
                                 {"quantity", FormatDecimal(l.quantity)},
                                 {"unit_price", l.unit_price ? FormatDecimal(*l.unit_price) : ""},
                                 {"amount", FormatMoney(l.amount, options_.currency_decimals)}});
    }
  }
  if (status.ok()) status = rejects.Close();
  if (status.ok()) status = Write();
  if (status.ok() && !options_.dry_run) {
    status = RememberIdentity(db_, domain::SpecOf(Entity::kOrder), order_header);
  }
  if (status.ok() && !options_.dry_run) {
    status = store::AppendAudit(db_, "import", "order_lines", std::nullopt,
                                "{\"rows\":" + std::to_string(report_.rows) +
                                    ",\"rejected\":" + std::to_string(report_.rejected) +
                                    ",\"skipped\":" + std::to_string(report_.skipped) + "}");
  }
  if (status.ok() && !options_.dry_run) status = txn.Commit();
  if (!status.ok() || options_.dry_run) {
    rejects.Discard();
    if (!status.ok()) return status;
  } else {
    TENURE_RETURN_IF_ERROR(rejects.Publish());
  }
  report_.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report_;
}

}  // namespace

Result<ImportReport> ImportOrderLines(store::Database& db, const ImportOptions& options) {
  OrderLinesImport import(db, options);
  return import.Run();
}

std::string DescribeOrderLineColumns() {
  // Every field but the id line: a line's id is its order's and its place.
  std::string fields = DescribeColumns(kLineExport);
  return "  (one row per product of an order; orders, returns, products and lines are built "
         "from them)\n" +
         fields.substr(fields.find('\n') + 1);
}

}  // namespace tenure::engine
