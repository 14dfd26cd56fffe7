#include "engine/import/importer.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <thread>
#include <unordered_set>

#include "common/numbers.h"
#include "common/text.h"
#include "common/time.h"
#include "engine/field_codec.h"
#include "engine/import/batch_writer.h"
#include "engine/import/csv.h"
#include "engine/import/import_columns.h"
#include "engine/import/rejects.h"
#include "engine/import/value_formats.h"
#include "engine/metrics.h"
#include "store/customer_metrics.h"
#include "store/entity_table.h"
#include "store/record_tables.h"
#include "store/settings_queries.h"

namespace tenure::engine {
namespace {

using domain::Entity;
using domain::EntitySpec;
using domain::FieldSpec;
using domain::FieldType;
using domain::Row;
using domain::Value;
using import_write::Batch;
using import_write::BatchQueue;
using import_write::Op;
using import_write::WriteBatches;
using import_write::WriteOutcome;

constexpr size_t kBatchRows = 2048;
constexpr size_t kQueueDepth = 8;

// Converts CSV rows of one entity into Ops: parsing, validation, reference
// resolution, identity and the insert-or-update decision.
class RowConverter {
 public:
  RowConverter(const EntitySpec& spec, const ColumnPlan& plan, const ImportOptions& options)
      : spec_(spec), plan_(plan), options_(options) {
    contexts_.resize(spec.fields.size());
    for (size_t f = 0; f < spec.fields.size(); ++f) {
      ParseContext& context = contexts_[f];
      context.date_format = options.date_format;
      context.currency_decimals = options.currency_decimals;
      context.reason_codes = &reason_codes_;
    }
    present_.assign(spec.fields.size(), false);
    if (!spec.natural_key.empty()) natural_field_ = spec.FieldIndex(spec.natural_key);
  }

  store::IdIndex& target_index() { return target_index_; }
  std::unordered_map<Entity, store::IdIndex>& ref_indexes() { return ref_indexes_; }
  std::unordered_set<std::string>& reason_codes() { return reason_codes_; }
  void set_next_id(int64_t id) { next_id_ = id; }
  void set_next_customer_id(int64_t id) { next_customer_id_ = id; }
  // How the file writes dates and numbers (DetectFileFormat).
  void set_format(const FileFormat& format) {
    for (size_t f = 0; f < contexts_.size(); ++f) {
      contexts_[f].date_order = format.date_order[f];
      contexts_[f].decimal_comma = format.decimal_comma;
    }
  }

  // Fills `op` from `fields`, and `created` with the customers the row creates
  // (to be written before it). Returns false and sets column/reason when the
  // row is rejected; nothing is created then.
  bool Convert(const std::vector<std::string_view>& fields, int64_t line, Op& op,
               std::vector<Op>& created, std::string& column, std::string& reason);

 private:
  bool ConvertRow(const std::vector<std::string_view>& fields, int64_t line, Op& op,
                  std::vector<Op>& created, std::string& column, std::string& reason);
  bool ParseCell(size_t f, std::string_view cell, Value& value, std::string& reason,
                 std::vector<Op>& created, int64_t line);
  // A customer whose id reads like `key` but is written differently
  // ("C-0042" and "c0042"); empty when there is none.
  std::string CustomerWrittenDifferently(const std::string& key);
  store::IdIndex& IndexFor(Entity entity) {
    return entity == spec_.entity ? target_index_ : ref_indexes_[entity];
  }

  const EntitySpec& spec_;
  const ColumnPlan& plan_;
  const ImportOptions& options_;
  std::vector<ParseContext> contexts_;  // per field: how cells other than references are parsed
  std::unordered_map<std::string, std::string> loose_customers_;  // LooseIdKey -> id
  bool loose_customers_loaded_ = false;
  store::IdIndex target_index_;
  std::unordered_map<Entity, store::IdIndex> ref_indexes_;
  std::unordered_set<std::string> reason_codes_;
  std::unordered_map<std::string, int64_t> identity_counts_;
  std::vector<uint32_t> first_line_;  // by row id: the line that wrote it in this file
  std::vector<bool> present_;
  std::optional<size_t> natural_field_;  // the spec's natural key field, if any
  std::string identity_;
  int64_t next_id_ = 1;
  int64_t next_customer_id_ = 1;
};

std::string RowConverter::CustomerWrittenDifferently(const std::string& key) {
  if (!loose_customers_loaded_) {
    loose_customers_loaded_ = true;
    IndexFor(Entity::kCustomer).ForEach([&](std::string_view id, int64_t) {
      loose_customers_.emplace(LooseIdKey(id), std::string(id));
    });
  }
  auto it = loose_customers_.find(LooseIdKey(key));
  return it == loose_customers_.end() ? std::string() : it->second;
}

bool RowConverter::ParseCell(size_t f, std::string_view cell, Value& value, std::string& reason,
                             std::vector<Op>& created, int64_t line) {
  const FieldSpec& field = spec_.fields[f];
  // Every type but a reference converts the same way wherever it comes from.
  if (field.type != FieldType::kRef) {
    return ParseFieldText(field, cell, contexts_[f], value, reason);
  }
  cell = CanonicalId(cell);  // "17850.0" names the customer 17850
  if (!CheckText(cell, /*multi_line=*/false, reason)) return false;
  store::IdIndex& index = IndexFor(field.ref);
  if (auto id = index.Find(cell)) {
    value = *id;
    return true;
  }
  std::string key(cell);
  if (field.ref == Entity::kCustomer && options_.create_customers) {
    std::string existing = CustomerWrittenDifferently(key);
    if (!existing.empty()) {
      reason = "unknown customer '" + key + "', but there is a customer '" + existing +
               "'; not created (write the id as it is in the database)";
      return false;
    }
    loose_customers_.emplace(LooseIdKey(key), key);
    Op& create = created.emplace_back();
    create.kind = Op::Kind::kCreateCustomer;
    create.id = next_customer_id_++;
    create.line = line;
    create.external_id = key;
    create.row.assign(2, Value{});
    create.row[0] = "Customer " + key;  // name
    index.Insert(key, create.id);
    value = create.id;
    return true;
  }
  std::string what(domain::SpecOf(field.ref).name);
  what.pop_back();  // "customers" -> "customer"
  if (what == "activitie" || what == "opportunitie") what = what.substr(0, what.size() - 2) + "y";
  reason = "unknown " + what + " '" + key + "'";
  if (field.ref == Entity::kCustomer)
    reason += " (import customers first, or use --create-customers)";
  return false;
}

bool RowConverter::Convert(const std::vector<std::string_view>& fields, int64_t line, Op& op,
                           std::vector<Op>& created, std::string& column, std::string& reason) {
  created.clear();
  if (ConvertRow(fields, line, op, created, column, reason)) return true;
  // Forget the customers this rejected row would have created.
  store::IdIndex& customers = IndexFor(Entity::kCustomer);
  for (const Op& create : created) {
    customers.Erase(create.external_id);
    loose_customers_.erase(LooseIdKey(create.external_id));
  }
  next_customer_id_ -= static_cast<int64_t>(created.size());
  created.clear();
  return false;
}

bool RowConverter::ConvertRow(const std::vector<std::string_view>& fields, int64_t line, Op& op,
                              std::vector<Op>& created, std::string& column, std::string& reason) {
  if (fields.size() != plan_.headers.size()) {
    column.clear();
    reason = "expected " + std::to_string(plan_.headers.size()) + " columns, found " +
             std::to_string(fields.size());
    return false;
  }
  op.row.resize(spec_.fields.size());
  for (size_t f : plan_.mapped) {
    const FieldSpec& field = spec_.fields[f];
    int c = plan_.field_column[f];
    std::string_view cell = Trim(fields[c]);
    present_[f] = !cell.empty();
    if (cell.empty()) {
      if (field.required()) {
        column = plan_.headers[c];
        reason = "required value is empty";
        return false;
      }
      cell = field.default_value;
      if (cell.empty()) {
        op.row[f] = std::monostate{};
        continue;
      }
    }
    if (!ParseCell(f, cell, op.row[f], reason, created, line)) {
      column = plan_.headers[c];
      return false;
    }
  }
  if (auto error = domain::CheckRowRules(spec_, op.row, present_)) {
    int c = plan_.field_column[error->field];
    column = c >= 0 ? plan_.headers[c] : std::string(spec_.fields[error->field].name);
    reason = error->message;
    return false;
  }

  // The row's identity: its id column, its natural key, or its content.
  const std::optional<size_t>& natural = natural_field_;
  if (plan_.id_column >= 0) {
    std::string_view id = CanonicalId(Trim(fields[plan_.id_column]));
    if (id.empty()) {
      column = plan_.headers[plan_.id_column];
      reason = "id is empty";
      return false;
    }
    if (!CheckText(id, /*multi_line=*/false, reason)) {
      column = plan_.headers[plan_.id_column];
      return false;
    }
    op.external_id.assign(id);
  } else if (natural) {
    op.external_id = std::get<std::string>(op.row[*natural]);
  } else {
    identity_ = "row:";
    bool first = true;
    for (size_t f = 0; f < spec_.fields.size(); ++f) {
      if (!spec_.fields[f].identity()) continue;
      if (!first) identity_ += '|';
      first = false;
      int c = plan_.field_column[f];
      const Value& v = op.row[f];
      if (c < 0 || std::holds_alternative<std::monostate>(v)) continue;
      if (spec_.fields[f].type == FieldType::kRef) {
        identity_ += Trim(fields[c]);  // the reference as written, not our row id
      } else if (const auto* i = std::get_if<int64_t>(&v)) {
        identity_ += std::to_string(*i);
      } else if (const auto* d = std::get_if<double>(&v)) {
        identity_ += FormatDecimal(*d);
      } else {
        identity_ += std::get<std::string>(v);
      }
    }
    int64_t seen = identity_counts_[identity_]++;
    op.external_id = identity_;
    if (seen > 0) op.external_id += "#" + std::to_string(seen);
  }

  op.line = line;
  // A natural key given beside an id must not belong to another row.
  std::string_view key;
  if (natural && plan_.id_column >= 0 &&
      std::get<std::string>(op.row[*natural]) != op.external_id) {
    key = std::get<std::string>(op.row[*natural]);
    std::optional<int64_t> owner = target_index_.Find(key);
    if (owner && owner != target_index_.Find(op.external_id)) {
      column = plan_.headers[plan_.field_column[*natural]];
      reason =
          std::string(spec_.natural_key) + " '" + std::string(key) + "' belongs to another row";
      return false;
    }
  }
  auto [id, inserted] = target_index_.FindOrInsert(op.external_id, next_id_);
  op.id = id;
  op.kind = inserted ? Op::Kind::kInsert : Op::Kind::kUpdate;
  if (inserted) {
    ++next_id_;
    if (!key.empty()) target_index_.Insert(key, id);
  }
  if (plan_.name_from_id) {
    // A new customer is named by its id; an existing one keeps its name.
    op.row[*plan_.name_from_id] = inserted ? Value(op.external_id) : Value();
  }
  // Each row may be written once per file.
  size_t slot = static_cast<size_t>(op.id);
  if (slot >= first_line_.size()) first_line_.resize(std::max(slot + 1, first_line_.size() * 2), 0);
  if (first_line_[slot] != 0) {
    column = plan_.id_column >= 0 ? plan_.headers[plan_.id_column] : std::string();
    reason = "duplicate of line " + std::to_string(first_line_[slot]) + " (same id '" +
             op.external_id + "')";
    return false;
  }
  first_line_[slot] = static_cast<uint32_t>(line);
  return true;
}

// Column -> field of the plan, in the file's column order.
std::vector<std::pair<std::string, std::string>> ColumnMapping(const EntitySpec& spec,
                                                               const ColumnPlan& plan) {
  std::vector<std::pair<std::string, std::string>> mapping;
  for (size_t c = 0; c < plan.headers.size(); ++c) {
    if (static_cast<int>(c) == plan.id_column) mapping.emplace_back(plan.headers[c], "id");
    for (size_t f : plan.mapped) {
      if (plan.field_column[f] == static_cast<int>(c)) {
        mapping.emplace_back(plan.headers[c], std::string(spec.fields[f].name));
      }
    }
  }
  return mapping;
}

// One converted row as the preview shows it: its id, then each field.
// References show the id the file gave (as canonical), not our row ids.
std::vector<std::pair<std::string, std::string>> PreviewRow(
    const EntitySpec& spec, const ColumnPlan& plan, const std::vector<std::string_view>& fields,
    const Op& op, int currency_decimals) {
  std::vector<std::pair<std::string, std::string>> row;
  row.emplace_back("id", op.external_id);
  std::vector<size_t> shown = plan.mapped;
  if (plan.name_from_id) shown.push_back(*plan.name_from_id);
  for (size_t f : shown) {
    const FieldSpec& field = spec.fields[f];
    int c = plan.field_column[f];
    std::string text = field.type == FieldType::kRef && c >= 0
                           ? std::string(CanonicalId(Trim(fields[c])))
                           : FormatFieldText(field, op.row[f], currency_decimals);
    row.emplace_back(std::string(field.name), std::move(text));
  }
  return row;
}

}  // namespace

Status CheckIdentityUnchanged(store::Database& db, const EntitySpec& spec, const std::string& path,
                              const std::string& id_column) {
  if (!spec.natural_key.empty()) return Status::Ok();  // users by username, teams by name
  auto rows = store::CountRows(db, spec);
  if (!rows.ok()) return rows.status();
  if (*rows == 0) return Status::Ok();
  const bool by_id = !id_column.empty();
  auto stored = store::LoadSetting(db, "import.identity." + std::string(spec.name));
  if (!stored.ok()) return stored.status();
  bool before_by_id;
  if (*stored) {
    before_by_id = **stored == "id";
  } else {  // imported before the setting existed: what the external ids say
    auto kinds = store::FindIdentityKinds(db, spec);
    if (!kinds.ok()) return kinds.status();
    if (kinds->content == kinds->id) return Status::Ok();  // none, or both already
    before_by_id = kinds->id;
  }
  if (before_by_id == by_id) return Status::Ok();
  const std::string table(spec.name);
  return Status::InvalidArgument(
      path + ": the " + GroupThousands(*rows) + " " + table + " in the database were imported " +
          (before_by_id ? "with ids" : "without ids (known by their content)") +
          ", and this file's rows are identified " +
          (by_id ? "by column '" + id_column + "'"
                 : std::string("by their content (no id column)")) +
          ": importing it would add its rows beside those instead of matching them, so the " +
          table +
          " it shares with them would be there twice. Import it the same way as before "
          "(--map COLUMN=id names the id column), or pass --allow-new-ids to add them anyway",
      "--allow-new-ids");
}

Status RememberIdentity(store::Database& db, const EntitySpec& spec, const std::string& id_column) {
  if (!spec.natural_key.empty()) return Status::Ok();
  return store::StoreSetting(db, "import.identity." + std::string(spec.name),
                             id_column.empty() ? "content" : "id");
}

std::string DefaultRejectsPath(const std::string& path) {
  std::string base = path;
  if (base.size() > 4 && NormalizeName(base.substr(base.size() - 4)) == "_csv") {
    base.resize(base.size() - 4);
  }
  return base + ".rejects.csv";
}

Result<ImportReport> ImportCsv(store::Database& db, const ImportOptions& options) {
  auto started = std::chrono::steady_clock::now();
  const EntitySpec& spec = *options.spec;
  auto reader_or = CsvReader::Open(options.path, 1 << 20, options.encoding);
  if (!reader_or.ok()) return reader_or.status();
  CsvReader& reader = **reader_or;

  std::vector<std::string_view> fields;
  Result<bool> got = reader.Next(fields);
  if (!got.ok()) return got.status();
  if (!*got) return Status::InvalidArgument(options.path + ": the file is empty (no header line)");
  auto plan_or = PlanColumns(spec, options.path, fields, options.maps);
  if (!plan_or.ok()) return plan_or.status();
  const ColumnPlan& plan = *plan_or;
  if (!options.date_format.empty() && options.date_format.find('%') == std::string::npos) {
    return Status::InvalidArgument(
        "'" + options.date_format + "' has no conversion such as %Y, %m or %d", "--date-format");
  }
  FormatRequest request{options.encoding, options.decimal_comma, options.date_order,
                        options.date_format};
  auto format = DetectFileFormat(options.path, reader.encoding(), spec, plan, request);
  if (!format.ok()) return format.status();
  const std::string id_header = plan.id_column >= 0 ? plan.headers[plan.id_column] : "";

  // Declared before the transaction, so its settings are restored after it ends.
  std::optional<store::BulkLoad> bulk;
  if (reader.file_size() >= options.bulk_load_bytes && !options.dry_run) bulk.emplace(db);
  store::Transaction txn(db);
  TENURE_RETURN_IF_ERROR(txn.status());

  if (!options.allow_new_ids) {
    TENURE_RETURN_IF_ERROR(CheckIdentityUnchanged(db, spec, options.path, id_header));
  }
  RowConverter converter(spec, plan, options);
  converter.set_format(*format);
  TENURE_RETURN_IF_ERROR(store::LoadIdIndex(db, spec, converter.target_index()));
  converter.target_index().Reserve(converter.target_index().size() +
                                   static_cast<size_t>(reader.EstimatedRecords()));
  bool creates_customers = false;
  for (size_t f : plan.mapped) {
    const FieldSpec& field = spec.fields[f];
    if (field.type == FieldType::kRef && field.ref != spec.entity &&
        !converter.ref_indexes().count(field.ref)) {
      TENURE_RETURN_IF_ERROR(
          store::LoadIdIndex(db, domain::SpecOf(field.ref), converter.ref_indexes()[field.ref]));
    }
    if (field.type == FieldType::kRef && field.ref == Entity::kCustomer &&
        options.create_customers) {
      creates_customers = true;
    }
    if (field.type == FieldType::kReasonList) {
      store::IdIndex reasons;
      TENURE_RETURN_IF_ERROR(store::LoadIdIndex(db, domain::SpecOf(Entity::kChurnReason), reasons));
      reasons.ForEach([&](std::string_view code, int64_t) {
        converter.reason_codes().insert(std::string(code));
      });
    }
  }
  const EntitySpec& customers = domain::SpecOf(Entity::kCustomer);
  auto max_id = store::MaxRowId(db, spec);
  if (!max_id.ok()) return max_id.status();
  converter.set_next_id(*max_id + 1);
  std::unique_ptr<store::RowWriter> customer_writer;
  if (creates_customers) {
    auto max_customer = store::MaxRowId(db, customers);
    if (!max_customer.ok()) return max_customer.status();
    converter.set_next_customer_id(*max_customer + 1);
    // name and status: status is left to its default (active).
    auto w = store::RowWriter::Create(db, customers, {0});
    if (!w.ok()) return w.status();
    customer_writer = std::move(*w);
  }

  // A large load into a table holding fewer than half as many rows as the
  // file (empty, or the first months of a history) builds its indexes once,
  // at the end: sorting every row once is far cheaper than a random index
  // insert per new row. (Not for a file the size of the table, most likely
  // the same rows again: rebuilding would cost more than it saves.) It marks
  // its rows' customers in customers.record_tables in one pass rather than
  // by a trigger per row. Uniqueness is checked as before, in memory (the
  // id index) and again by the unique indexes when they are created.
  std::vector<std::string> recreate_indexes;
  std::vector<std::string> recreate_triggers;
  auto count = store::CountRows(db, spec);
  if (!count.ok()) return count.status();
  if (bulk && *count * 2 <= reader.EstimatedRecords()) {
    auto dropped = store::DropIndexes(db, spec.name);
    if (!dropped.ok()) return dropped.status();
    recreate_indexes = std::move(*dropped);
    auto triggers = store::DropRecordTableTriggers(db, spec.name);
    if (!triggers.ok()) return triggers.status();
    recreate_triggers = std::move(*triggers);
  }

  auto writer_or = store::RowWriter::Create(db, spec, plan.mapped);
  if (!writer_or.ok()) return writer_or.status();
  std::unique_ptr<store::RowWriter> insert_writer;
  if (plan.name_from_id) {
    std::vector<size_t> columns = plan.mapped;
    columns.push_back(*plan.name_from_id);
    auto w = store::RowWriter::Create(db, spec, columns);
    if (!w.ok()) return w.status();
    insert_writer = std::move(*w);
  }
  // Orders, invoices and activities feed the customers' stored metrics.
  std::optional<size_t> metric_customer_field;
  std::unique_ptr<store::CustomerOfRow> customer_of;
  if (spec.entity == Entity::kOrder || spec.entity == Entity::kInvoice ||
      spec.entity == Entity::kActivity) {
    metric_customer_field = spec.FieldIndex("customer_id");
    auto reader = store::CustomerOfRow::Create(db, spec.name);
    if (!reader.ok()) return reader.status();
    customer_of = std::move(*reader);
  }
  std::vector<int64_t> touched_customers;

  ImportReport report;
  report.ignored_columns = plan.ignored;
  report.dry_run = options.dry_run;
  report.format = *format;
  report.mapping = ColumnMapping(spec, plan);
  // Rejected rows go to a temporary file, renamed into place at the end.
  RejectsFile rejects(options, plan.headers, report);
  auto reject = [&](int64_t line, const std::string& column, const std::string& reason,
                    const std::vector<std::string_view>& raw) {
    return rejects.Add(line, column, reason, raw);
  };

  BatchQueue queue(kQueueDepth);
  WriteOutcome outcome;
  std::thread writer_thread(WriteBatches, std::ref(**writer_or), insert_writer.get(),
                            customer_writer.get(), customer_of.get(), std::ref(queue),
                            std::ref(outcome));
  std::unique_ptr<Batch> batch = queue.TakeFree();
  // Moves `op` into the next slot of the current batch (swapping, so the
  // slot's old buffers are reused by the next row).
  bool writer_stopped = false;
  auto push = [&](Op& op) {
    if (batch->size == kBatchRows) {
      queue.PutFull(std::move(batch));
      batch = queue.TakeFree();
      if (!batch) {  // the writer failed: stop reading (its error is reported below)
        writer_stopped = true;
        batch = std::make_unique<Batch>();
      }
    }
    if (batch->ops.size() <= batch->size) batch->ops.resize(batch->size + 1);
    std::swap(batch->ops[batch->size++], op);
  };

  Status status;
  Op op;
  std::vector<Op> created;
  std::string column, reason;
  auto last_report = std::chrono::steady_clock::now();
  while (!writer_stopped) {
    got = reader.Next(fields);
    if (!got.ok()) {
      if (got.status().code() != Status::Code::kInvalidArgument) {
        status = got.status();
        break;
      }
      // A malformed record (a quote never closed): rejected; the reader goes on.
      ++report.rows;
      status = reject(reader.line(), "", WithoutPlace(got.status().message()), {});
      if (!status.ok()) break;
      continue;
    }
    if (!*got) break;
    ++report.rows;
    if (converter.Convert(fields, reader.line(), op, created, column, reason)) {
      if (report.preview.size() < options.preview_rows) {
        report.preview.push_back(PreviewRow(spec, plan, fields, op, options.currency_decimals));
      }
      if (metric_customer_field) {
        touched_customers.push_back(std::get<int64_t>(op.row[*metric_customer_field]));
      }
      for (Op& create : created) push(create);
      push(op);
    } else {
      status = reject(reader.line(), column, reason, fields);
      if (!status.ok()) break;
    }
    if (options.progress && (report.rows & 0x3fff) == 0) {
      auto now = std::chrono::steady_clock::now();
      if (now - last_report > std::chrono::milliseconds(100)) {
        last_report = now;
        options.progress({reader.bytes_read(), reader.file_size(), report.rows});
      }
    }
  }
  if (batch && batch->size > 0) queue.PutFull(std::move(batch));
  queue.Close();
  writer_thread.join();
  if (options.progress) options.progress({reader.bytes_read(), reader.file_size(), report.rows});

  if (status.ok()) status = outcome.fatal;
  for (const RejectedRow& refused : outcome.rejects) {
    if (!status.ok()) break;
    status = reject(refused.line, refused.column, refused.reason, {});
  }
  if (status.ok()) status = rejects.Close();
  if (status.ok() && !recreate_indexes.empty()) status = bulk->CreateIndexes(recreate_indexes);
  if (status.ok() && metric_customer_field) {
    touched_customers.insert(touched_customers.end(), outcome.moved_from.begin(),
                             outcome.moved_from.end());
    status = RefreshMetricsAfterImport(db, touched_customers);
  }
  // After the metrics, which mark the customers with orders as they write
  // them (store::MetricColumnsWriter): what is left is a scan.
  if (status.ok() && !recreate_triggers.empty()) {
    status = store::MarkRecordTable(db, spec.entity);
    for (const std::string& trigger : recreate_triggers) {
      if (status.ok()) status = db.Exec(trigger);
    }
  }
  report.inserted = outcome.inserted;
  report.updated = outcome.updated;
  report.unchanged = outcome.unchanged;
  report.customers_created = outcome.customers_created;
  report.tables.push_back(
      {std::string(spec.name), report.inserted, report.updated, report.unchanged});
  if (report.customers_created > 0) {
    report.tables.push_back({"customers", report.customers_created, 0, 0});
  }
  if (options.dry_run) {
    // Rolled back when `txn` goes; no rejects file was written either.
    report.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!status.ok()) return status;
    return report;
  }
  if (status.ok()) status = RememberIdentity(db, spec, id_header);
  if (status.ok()) {
    nlohmann::json audit = {{"file", options.path},
                            {"rows", report.rows},
                            {"inserted", report.inserted},
                            {"updated", report.updated},
                            {"unchanged", report.unchanged},
                            {"rejected", report.rejected},
                            {"customers_created", report.customers_created}};
    status =
        store::AppendAudit(db, "import", spec.name, std::nullopt,
                           audit.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  if (status.ok()) status = txn.Commit();
  if (!status.ok()) {
    rejects.Discard();
    return status;
  }
  TENURE_RETURN_IF_ERROR(rejects.Publish());
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace tenure::engine
