// The demo company generator: checks the options, writes the staff, then lets
// generator threads produce chunks of customers (with their derived metrics)
// while the calling thread writes them, in customer order, in one transaction
// with the secondary indexes dropped and rebuilt at the end.
#include "engine/demo.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <span>
#include <thread>

#include "common/text.h"
#include "domain/enums.h"
#include "engine/accounts.h"
#include "engine/demo_model.h"
#include "engine/metrics.h"
#include "store/account_queries.h"
#include "store/entity_table.h"
#include "store/record_tables.h"
#include "store/settings_queries.h"

namespace tenure::engine {
namespace {

using demo::Chunk;
using demo::Table;
using domain::Entity;

constexpr int64_t kMaxCustomers = 50'000'000;
constexpr int64_t kChunkCustomers = 512;
// Chunks generated ahead of the writer: enough to keep it busy, few enough
// that memory stays small (a chunk of 512 customers is about 2 MB).
constexpr int64_t kChunksAhead = 8;
constexpr int kMaxGeneratorThreads = 16;

// Hands chunks from the generator threads to the writer in customer order.
// Generator t makes chunks t, t + n, t + 2n, ... for n threads.
class ChunkPipeline {
 public:
  // Waits until chunk `index` may be made (it is fewer than kChunksAhead
  // ahead of the writer) and returns an empty chunk; null once stopped.
  std::unique_ptr<Chunk> Acquire(int64_t index) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return stopped_ || index < written_ + kChunksAhead; });
    if (stopped_) return nullptr;
    if (free_.empty()) return std::make_unique<Chunk>();
    auto chunk = std::move(free_.back());
    free_.pop_back();
    return chunk;
  }
  void Publish(int64_t index, std::unique_ptr<Chunk> chunk) {
    std::lock_guard lock(mutex_);
    ready_[index] = std::move(chunk);
    changed_.notify_all();
  }
  // Waits for chunk `index`.
  std::unique_ptr<Chunk> Take(int64_t index) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return ready_.count(index) > 0; });
    auto chunk = std::move(ready_[index]);
    ready_.erase(index);
    return chunk;
  }
  // Returns a written chunk for reuse.
  void Release(std::unique_ptr<Chunk> chunk) {
    std::lock_guard lock(mutex_);
    free_.push_back(std::move(chunk));
    ++written_;
    changed_.notify_all();
  }
  void Stop() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::unique_ptr<Chunk>> free_;
  std::map<int64_t, std::unique_ptr<Chunk>> ready_;
  int64_t written_ = 0;
  bool stopped_ = false;
};

// The metrics of the customer whose rows a chunk's tables hold from `from`
// on: the same computation as RefreshMetrics, fed from the rows in memory.
store::MetricColumns MetricsOfNewRows(const Chunk& chunk,
                                      const std::array<size_t, demo::kTableCount>& from) {
  auto rows = [&](Table table) {
    const demo::TableRows& t = chunk.tables[static_cast<size_t>(table)];
    return std::span<const domain::Row>(t.rows.data() + from[static_cast<size_t>(table)],
                                        t.rows.data() + t.size);
  };
  auto number = [](const domain::Value& value) { return std::get<int64_t>(value); };
  auto text = [](const domain::Value& value) -> std::string_view {
    return std::get<std::string>(value);
  };
  MetricsAccumulator metrics;
  std::vector<const domain::Row*> orders;
  for (const domain::Row& row : rows(Table::kOrders)) {
    if (number(row[demo::order_col::kStatus]) ==
        static_cast<int64_t>(domain::OrderStatus::kCancelled)) {
      continue;
    }
    orders.push_back(&row);
  }
  // The accumulator takes orders by date (ISO dates sort as text); the
  // generator makes them in that order already.
  auto by_date = [&](const domain::Row* a, const domain::Row* b) {
    return text((*a)[demo::order_col::kDate]) < text((*b)[demo::order_col::kDate]);
  };
  if (!std::is_sorted(orders.begin(), orders.end(), by_date)) {
    std::stable_sort(orders.begin(), orders.end(), by_date);
  }
  for (const domain::Row* row : orders) {
    metrics.AddOrder(text((*row)[demo::order_col::kDate]), number((*row)[demo::order_col::kAmount]),
                     number((*row)[demo::order_col::kCost]));
  }
  for (const domain::Row& row : rows(Table::kActivities)) {
    metrics.AddContact(number(row[demo::activity_col::kOccurredAt]));
    const domain::Value& follow_up = row[demo::activity_col::kFollowUpOn];
    if (std::holds_alternative<std::string>(follow_up) &&
        number(row[demo::activity_col::kFollowUpDone]) == 0) {
      metrics.AddOpenFollowUp(text(follow_up));
    }
  }
  for (const domain::Row& row : rows(Table::kInvoices)) {
    int64_t amount = number(row[demo::invoice_col::kAmount]);
    int64_t paid = number(row[demo::invoice_col::kPaidAmount]);
    if (paid < amount) metrics.AddOpenBalance(amount - paid, text(row[demo::invoice_col::kDueOn]));
  }
  return metrics.Finish();
}

// The customers.record_tables of the customer whose rows a chunk's tables
// hold from `from` on.
int64_t RecordTablesOfNewRows(const Chunk& chunk,
                              const std::array<size_t, demo::kTableCount>& from) {
  int64_t bits = 0;
  for (size_t t = 0; t < demo::kTableCount; ++t) {
    if (chunk.tables[t].size > from[t]) {
      bits |= store::RecordTableBit(demo::EntityOf(static_cast<Table>(t)));
    }
  }
  return bits;
}

// Writes chunks with one RowWriter per table, turning the chunk-relative
// references into row ids.
class ChunkWriter {
 public:
  static Result<std::unique_ptr<ChunkWriter>> Create(store::Database& db, Timestamp now) {
    std::unique_ptr<ChunkWriter> w(new ChunkWriter(now));
    for (size_t t = 0; t < demo::kTableCount; ++t) {
      const domain::EntitySpec& spec = domain::SpecOf(demo::EntityOf(static_cast<Table>(t)));
      std::vector<size_t> columns(spec.fields.size());
      for (size_t f = 0; f < columns.size(); ++f) columns[f] = f;
      // Customers are written with their metrics and record_tables.
      std::vector<std::string> extra;
      if (static_cast<Table>(t) == Table::kCustomers) {
        extra = store::MetricColumnNames();
        extra.push_back("record_tables");
      }
      auto writer = store::RowWriter::Create(db, spec, std::move(columns), extra);
      if (!writer.ok()) return writer.status();
      w->writers_[t] = std::move(*writer);
      for (size_t f = 0; f < spec.fields.size(); ++f) {
        const domain::FieldSpec& field = spec.fields[f];
        if (field.type != domain::FieldType::kRef) continue;
        for (size_t r = 0; r < demo::kTableCount; ++r) {
          if (demo::EntityOf(static_cast<Table>(r)) == field.ref) w->fixups_[t].push_back({f, r});
        }
      }
    }
    return w;
  }

  Status Write(Chunk& chunk) {
    const std::array<int64_t, demo::kTableCount> base = written_;
    std::string external_id;
    for (size_t t = 0; t < demo::kTableCount; ++t) {
      demo::TableRows& rows = chunk.tables[t];
      for (size_t i = 0; i < rows.size; ++i) {
        domain::Row& row = rows.rows[i];
        for (const auto& [field, table] : fixups_[t]) {
          if (auto* local = std::get_if<int64_t>(&row[field])) *local += base[table] + 1;
        }
        external_id.clear();
        if (t == static_cast<size_t>(Table::kCustomers)) {
          external_id = demo::CustomerNumber(chunk.first_customer + static_cast<int64_t>(i));
        }
        int64_t id = base[t] + static_cast<int64_t>(i) + 1;
        if (t == static_cast<size_t>(Table::kCustomers)) {
          const auto& [created, updated] = chunk.stamps[i];
          auto metrics = [&](store::Statement& s, int first) {
            store::BindMetricColumns(s, first, chunk.metrics[i]);
            s.BindInt(first + static_cast<int>(metric_columns_), chunk.record_tables[i]);
          };
          TENURE_RETURN_IF_ERROR(
              writers_[t]->Insert(id, external_id, row, created, updated, metrics));
        } else {
          TENURE_RETURN_IF_ERROR(writers_[t]->Insert(id, external_id, row, now_));
        }
      }
      written_[t] += static_cast<int64_t>(rows.size);
    }
    reason_links_ += chunk.reason_links;
    return Status::Ok();
  }

  int64_t written(Table table) const { return written_[static_cast<size_t>(table)]; }
  int64_t reason_links() const { return reason_links_; }

 private:
  explicit ChunkWriter(Timestamp now) : now_(now) {}

  Timestamp now_;
  size_t metric_columns_ = store::MetricColumnNames().size();
  std::array<std::unique_ptr<store::RowWriter>, demo::kTableCount> writers_;
  // Per table: (field, table it refers to) for references inside a chunk.
  std::array<std::vector<std::pair<size_t, size_t>>, demo::kTableCount> fixups_;
  std::array<int64_t, demo::kTableCount> written_{};
  int64_t reason_links_ = 0;
};

Status WriteRows(store::Database& db, Entity entity, const std::vector<domain::Row>& rows,
                 Timestamp now) {
  const domain::EntitySpec& spec = domain::SpecOf(entity);
  std::vector<size_t> columns(spec.fields.size());
  for (size_t f = 0; f < columns.size(); ++f) columns[f] = f;
  auto writer = store::RowWriter::Create(db, spec, std::move(columns));
  if (!writer.ok()) return writer.status();
  for (size_t i = 0; i < rows.size(); ++i) {
    TENURE_RETURN_IF_ERROR((*writer)->Insert(static_cast<int64_t>(i) + 1, "", rows[i], now));
  }
  return Status::Ok();
}

Result<Date> ParseAsOf(const std::string& text) {
  if (text.empty()) return TodayUtc();
  std::optional<Date> date = ParseIsoDate(text);
  if (!date) return Status::InvalidArgument("'" + text + "' is not a date (YYYY-MM-DD)", "--as-of");
  // The history reaches a few years back before it; keep it well inside 1970..9999.
  if (date->days < MakeDate(1990, 1, 1).days || date->days > MakeDate(9000, 1, 1).days) {
    return Status::InvalidArgument("'" + text + "' is outside 1990-01-01 .. 9000-01-01", "--as-of");
  }
  return *date;
}

// Fails when the database already holds a company.
Status CheckEmpty(store::Database& db) {
  for (Entity entity : {Entity::kCustomer, Entity::kUser, Entity::kTeam}) {
    const domain::EntitySpec& spec = domain::SpecOf(entity);
    Result<int64_t> rows = store::CountRows(db, spec);
    if (!rows.ok()) return rows.status();
    if (*rows > 0) {
      return Status::AlreadyExists(db.path() + " already holds " + GroupThousands(*rows) + " " +
                                       std::string(spec.name) +
                                       "; the demo company goes into a new or empty database",
                                   "--db");
    }
  }
  return Status::Ok();
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

Status ValidateDemoOptions(const DemoOptions& options) {
  if (options.customers <= 0 || options.customers > kMaxCustomers) {
    return Status::InvalidArgument("must be between 1 and " + GroupThousands(kMaxCustomers) +
                                       ", not " + std::to_string(options.customers),
                                   "--customers");
  }
  return ParseAsOf(options.as_of).status();
}

Result<DemoReport> GenerateDemo(store::Database& db, const DemoOptions& options) {
  auto started = std::chrono::steady_clock::now();
  TENURE_RETURN_IF_ERROR(ValidateDemoOptions(options));
  Result<Date> as_of = ParseAsOf(options.as_of);
  if (!as_of.ok()) return as_of.status();
  int threads = std::clamp(options.generator_threads, 1, kMaxGeneratorThreads);
  TENURE_RETURN_IF_ERROR(demo::CheckLayouts());

  // Declared before the transaction, so its settings are restored after it ends.
  store::BulkLoad bulk(db);
  store::Transaction txn(db);
  TENURE_RETURN_IF_ERROR(txn.status());
  TENURE_RETURN_IF_ERROR(CheckEmpty(db));

  // The demo writes external ids on customers only, so the other tables'
  // external-id indexes (partial: ids that are not NULL) stay empty: they are
  // kept through the load for free rather than rebuilt by a scan of the table.
  auto keep = [](std::string_view index) {
    return index.ends_with("_external_id") && index != "customers_external_id";
  };
  std::vector<std::string> indexes;
  for (size_t t = 0; t < demo::kTableCount; ++t) {
    auto dropped =
        store::DropIndexes(db, domain::SpecOf(demo::EntityOf(static_cast<Table>(t))).name, keep);
    if (!dropped.ok()) return dropped.status();
    indexes.insert(indexes.end(), dropped->begin(), dropped->end());
  }
  auto dropped = store::DropIndexes(db, "churn_event_reasons");
  if (!dropped.ok()) return dropped.status();
  indexes.insert(indexes.end(), dropped->begin(), dropped->end());
  // The customers' record_tables are written with them, from the rows in
  // memory, rather than by a trigger per row.
  std::vector<std::string> triggers;
  for (domain::Entity entity : store::kRecordTables) {
    auto dropped = store::DropRecordTableTriggers(db, domain::SpecOf(entity).name);
    if (!dropped.ok()) return dropped.status();
    triggers.insert(triggers.end(), dropped->begin(), dropped->end());
  }

  const demo::Company company = demo::BuildCompany(options.seed, options.customers, *as_of);
  TENURE_RETURN_IF_ERROR(WriteRows(db, Entity::kTeam, company.teams, company.now));
  TENURE_RETURN_IF_ERROR(WriteRows(db, Entity::kUser, company.users, company.now));

  auto writer = ChunkWriter::Create(db, company.now);
  if (!writer.ok()) return writer.status();
  const int64_t chunks = (options.customers + kChunkCustomers - 1) / kChunkCustomers;
  ChunkPipeline pipeline;
  std::vector<std::thread> generators;
  for (int t = 0; t < threads; ++t) {
    generators.emplace_back([&, t] {
      for (int64_t k = t; k < chunks; k += threads) {
        std::unique_ptr<Chunk> chunk = pipeline.Acquire(k);
        if (!chunk) return;
        chunk->Clear();
        chunk->first_customer = k * kChunkCustomers;
        chunk->customers = std::min(kChunkCustomers, options.customers - chunk->first_customer);
        for (int64_t i = 0; i < chunk->customers; ++i) {
          std::array<size_t, demo::kTableCount> before;
          for (size_t t = 0; t < demo::kTableCount; ++t) before[t] = chunk->tables[t].size;
          demo::GenerateCustomer(company, chunk->first_customer + i, *chunk);
          chunk->metrics.push_back(MetricsOfNewRows(*chunk, before));
          chunk->record_tables.push_back(RecordTablesOfNewRows(*chunk, before));
        }
        pipeline.Publish(k, std::move(chunk));
      }
    });
  }
  Status status;
  for (int64_t k = 0; k < chunks && status.ok(); ++k) {
    std::unique_ptr<Chunk> chunk = pipeline.Take(k);
    status = (*writer)->Write(*chunk);
    int64_t done = chunk->first_customer + chunk->customers;
    pipeline.Release(std::move(chunk));
    if (options.progress) options.progress(done, options.customers);
  }
  pipeline.Stop();
  for (std::thread& thread : generators) thread.join();
  TENURE_RETURN_IF_ERROR(status);
  double written_at = SecondsSince(started);

  TENURE_RETURN_IF_ERROR(bulk.CreateIndexes(indexes));
  for (const std::string& trigger : triggers) TENURE_RETURN_IF_ERROR(db.Exec(trigger));
  double indexed_at = SecondsSince(started);

  DemoReport report;
  report.as_of = *as_of;
  report.rows.emplace_back("teams", static_cast<int64_t>(company.teams.size()));
  report.rows.emplace_back("users", static_cast<int64_t>(company.users.size()));
  for (size_t t = 0; t < demo::kTableCount; ++t) {
    auto table = static_cast<Table>(t);
    report.rows.emplace_back(domain::SpecOf(demo::EntityOf(table)).name, (*writer)->written(table));
  }
  report.rows.emplace_back("churn_event_reasons", (*writer)->reason_links());

  nlohmann::json audit = {
      {"customers", options.customers}, {"seed", options.seed}, {"as_of", FormatDate(*as_of)}};
  TENURE_RETURN_IF_ERROR(
      store::AppendAudit(db, "demo", "customers", std::nullopt,
                         audit.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
  TENURE_RETURN_IF_ERROR(store::StoreSetting(db, "demo", "1"));
  TENURE_RETURN_IF_ERROR(txn.Commit());
  report.seconds = SecondsSince(started);
  report.write_seconds = written_at;
  report.index_seconds = indexed_at - written_at;
  report.commit_seconds = report.seconds - indexed_at;
  return report;
}

}  // namespace tenure::engine

namespace tenure::engine {
namespace {

// The first active user (by id) of each role, in role order.
Result<std::vector<store::AccountRow>> DemoUsers(store::Database& db) {
  auto accounts = store::LoadAccounts(db);
  if (!accounts.ok()) return accounts.status();
  std::vector<store::AccountRow> out;
  for (int role = 0; role < static_cast<int>(std::size(domain::kUserRoleNames)); ++role) {
    const store::AccountRow* first = nullptr;
    for (const store::AccountRow& a : *accounts) {
      if (a.role == role && a.active && (!first || a.id < first->id)) first = &a;
    }
    if (first) out.push_back(*first);
  }
  return out;
}

}  // namespace

Result<DemoLogins> LoadDemoLogins(store::Database& db) {
  DemoLogins logins;
  auto demo = store::LoadSetting(db, "demo");
  if (!demo.ok()) return demo.status();
  if (!*demo || **demo != "1") return logins;
  logins.demo = true;
  auto password = store::LoadSetting(db, "demo_password");
  if (!password.ok()) return password.status();
  logins.password = password->value_or("");
  auto users = DemoUsers(db);
  if (!users.ok()) return users.status();
  for (const store::AccountRow& a : *users) {
    logins.users.emplace_back(a.username, static_cast<domain::UserRole>(a.role));
  }
  return logins;
}

Status SetDemoPassword(store::Database& db, std::string_view password) {
  TENURE_RETURN_IF_ERROR(CheckPassword(password));
  auto hash = HashPassword(password);
  if (!hash.ok()) return hash.status();
  store::Transaction txn(db);
  TENURE_RETURN_IF_ERROR(txn.status());
  auto demo = store::LoadSetting(db, "demo");
  if (!demo.ok()) return demo.status();
  if (!*demo || **demo != "1") {
    return Status::InvalidArgument("not a demo company (written by tenure demo)", "--db");
  }
  auto users = DemoUsers(db);
  if (!users.ok()) return users.status();
  nlohmann::json names = nlohmann::json::array();
  for (const store::AccountRow& a : *users) {
    TENURE_RETURN_IF_ERROR(store::UpdatePasswordHash(db, a.id, *hash, NowUtc()));
    auto ended = store::DeleteUserSessions(db, a.id);
    if (!ended.ok()) return ended.status();
    names.push_back(a.username);
  }
  TENURE_RETURN_IF_ERROR(store::StoreSetting(db, "demo_password", password));
  TENURE_RETURN_IF_ERROR(
      store::AppendAudit(db, "demo_password", "users", std::nullopt,
                         nlohmann::json{{"users", names}}.dump(
                             -1, ' ', false, nlohmann::json::error_handler_t::replace)));
  return txn.Commit();
}

}  // namespace tenure::engine
