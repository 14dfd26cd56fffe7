// The writing half of an import (importer.h): the parsing thread turns rows
// into Ops and hands them over in batches; a writer thread runs them on the
// prepared statements, inside the import's transaction.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/entity.h"
#include "engine/import/importer.h"
#include "store/customer_metrics.h"
#include "store/entity_table.h"

namespace tenure::engine::import_write {

// One write for the writer thread.
struct Op {
  enum class Kind { kInsert, kUpdate, kCreateCustomer };
  Kind kind = Kind::kInsert;
  int64_t id = 0;
  int64_t line = 0;
  std::string external_id;
  domain::Row row;
};

struct Batch {
  std::vector<Op> ops;
  size_t size = 0;
};

// Hands batches from the parsing thread to the writing thread and back.
class BatchQueue {
 public:
  explicit BatchQueue(size_t depth);
  std::unique_ptr<Batch> TakeFree() { return Take(free_); }
  std::unique_ptr<Batch> TakeFull() { return Take(full_); }
  void PutFull(std::unique_ptr<Batch> batch) { Put(full_, std::move(batch)); }
  void PutFree(std::unique_ptr<Batch> batch) { Put(free_, std::move(batch)); }
  // After Close(), TakeFull() returns null once the queue is drained, and
  // TakeFree() returns null at once (the writer has stopped).
  void Close();

 private:
  std::unique_ptr<Batch> Take(std::deque<std::unique_ptr<Batch>>& from);
  void Put(std::deque<std::unique_ptr<Batch>>& to, std::unique_ptr<Batch> batch);

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::unique_ptr<Batch>> free_;
  std::deque<std::unique_ptr<Batch>> full_;
  bool closed_ = false;
};

// Results of the writing thread.
struct WriteOutcome {
  int64_t inserted = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
  int64_t customers_created = 0;
  std::vector<RejectedRow> rejects;  // rows the database refused
  std::vector<int64_t> moved_from;   // customers an updated row belonged to before
  Status fatal;
};

// The writer thread's loop: runs every batch from `queue` until it is
// closed and drained. `customer_of` is set for entities whose rows feed
// customer metrics: an update then first reads which customer the row
// belonged to. `insert_writer`, when set, writes the inserts (it has
// columns the updates leave alone: a customer's name taken from its id).
void WriteBatches(store::RowWriter& writer, store::RowWriter* insert_writer,
                  store::RowWriter* customer_writer, store::CustomerOfRow* customer_of,
                  BatchQueue& queue, WriteOutcome& out);

}  // namespace tenure::engine::import_write
