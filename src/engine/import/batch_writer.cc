#include "engine/import/batch_writer.h"

#include "common/time.h"

namespace tenure::engine::import_write {

BatchQueue::BatchQueue(size_t depth) {
  for (size_t i = 0; i < depth; ++i) free_.push_back(std::make_unique<Batch>());
}

void BatchQueue::Close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  ready_.notify_all();
}

std::unique_ptr<Batch> BatchQueue::Take(std::deque<std::unique_ptr<Batch>>& from) {
  std::unique_lock lock(mutex_);
  ready_.wait(lock, [&] { return !from.empty() || closed_; });
  if (from.empty()) return nullptr;
  auto batch = std::move(from.front());
  from.pop_front();
  return batch;
}

void BatchQueue::Put(std::deque<std::unique_ptr<Batch>>& to, std::unique_ptr<Batch> batch) {
  std::lock_guard lock(mutex_);
  to.push_back(std::move(batch));
  ready_.notify_all();
}

void WriteBatches(store::RowWriter& writer, store::RowWriter* insert_writer,
                  store::RowWriter* customer_writer, store::CustomerOfRow* customer_of,
                  BatchQueue& queue, WriteOutcome& out) {
  Timestamp now = NowUtc();
  while (auto batch = queue.TakeFull()) {
    for (size_t i = 0; i < batch->size && out.fatal.ok(); ++i) {
      Op& op = batch->ops[i];
      Status status;
      switch (op.kind) {
        case Op::Kind::kCreateCustomer:
          status = customer_writer->Insert(op.id, op.external_id, op.row, now);
          if (status.ok()) ++out.customers_created;
          break;
        case Op::Kind::kInsert:
          status =
              (insert_writer ? *insert_writer : writer).Insert(op.id, op.external_id, op.row, now);
          if (status.ok()) ++out.inserted;
          break;
        case Op::Kind::kUpdate: {
          if (customer_of) {
            auto before = customer_of->Find(op.id);
            if (!before.ok()) {
              status = before.status();
              break;
            }
            if (*before) out.moved_from.push_back(**before);
          }
          Result<bool> changed = writer.Update(op.id, op.row, now);
          status = changed.status();
          if (changed.ok()) ++(*changed ? out.updated : out.unchanged);
          break;
        }
      }
      if (status.ok()) continue;
      // A constraint the validation did not foresee rejects the row; anything
      // else (disk full, I/O) stops the import and rolls it back.
      if (status.code() == Status::Code::kConflict) {
        out.rejects.push_back({op.line, "", status.message()});
      } else {
        out.fatal = status;
      }
    }
    batch->size = 0;
    queue.PutFree(std::move(batch));
    if (!out.fatal.ok()) {
      queue.Close();
      return;
    }
  }
}

}  // namespace tenure::engine::import_write
