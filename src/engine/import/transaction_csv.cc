#include "engine/import/transaction_csv.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <limits>

#include "common/id_index.h"
#include "common/numbers.h"
#include "common/parallel.h"
#include "common/text.h"
#include "engine/import/csv.h"

namespace tenure::engine {
namespace {

Status CheckDateFormat(const std::string& format) {
  // The same rule as `tenure import --date-format` (engine/import/importer.cc).
  if (!format.empty() && format.find('%') == std::string::npos) {
    return Status::InvalidArgument("'" + format + "' has no conversion such as %Y, %m or %d",
                                   "--date-format");
  }
  return Status::Ok();
}

// Files smaller than this are read on one thread: a second one costs more
// than it saves.
constexpr uint64_t kBytesPerReadThread = 2 << 20;

// Where the columns are, found from the header.
struct LogColumns {
  int customer = -1, date = -1, amount = -1;
  size_t needed = 0;       // fields a row must have
  size_t header_size = 0;  // fields of the header
};

// A row error kept as (line, text) rather than a Status, so that a part of
// the file read on its own can name the file's line once the number of
// lines before the part is known.
struct RowError {
  int64_t line = 0;
  std::string text;  // what follows "FILE:LINE: "
};

// The rows of one part of the file, with customers numbered in the order
// the part first meets them.
struct LogPart {
  IdIndex index;
  std::vector<std::string> ids;
  std::vector<int32_t> customer, day;
  std::vector<double> amount;
  int32_t first = std::numeric_limits<int32_t>::max();
  int32_t last = std::numeric_limits<int32_t>::min();
  std::optional<RowError> row_error;
  Status status;      // a read error that is not about one row
  int64_t lines = 0;  // physical lines read
  bool saw_quote = false;
};

// Reads every record of `reader` into `part`, stopping at the first error.
void ReadLogPart(CsvReader& reader, const TransactionCsvOptions& options, const LogColumns& columns,
                 const TransactionLog& names, int64_t first_line, LogPart& part) {
  std::vector<std::string_view> fields;
  auto fail = [&](const std::string& column, const std::string& reason) {
    part.row_error = RowError{reader.line(), "column '" + column + "': " + reason};
  };
  while (true) {
    Result<bool> got = reader.Next(fields);
    if (!got.ok()) {
      part.status = got.status();
      break;
    }
    if (!*got) break;
    if (fields.size() < columns.needed) {
      part.row_error =
          RowError{reader.line(), std::to_string(fields.size()) + " fields, the header has " +
                                      std::to_string(columns.header_size)};
      break;
    }
    std::string_view id = Trim(fields[columns.customer]);
    if (id.empty()) {
      fail(names.customer_column, "empty customer id");
      break;
    }
    auto [index, added] = part.index.FindOrInsert(id, static_cast<int64_t>(part.ids.size()));
    if (added) part.ids.emplace_back(id);

    std::string_view date_text = Trim(fields[columns.date]);
    std::optional<Date> date = options.date_format.empty()
                                   ? ParseIsoDate(date_text)
                                   : ParseDateWithFormat(date_text, options.date_format);
    if (!date) {
      fail(names.date_column,
           "not a date '" + std::string(date_text) + "' (expected " +
               (options.date_format.empty() ? std::string("YYYY-MM-DD")
                                            : "--date-format " + options.date_format) +
               ")");
      break;
    }
    double amount = 0;
    if (columns.amount >= 0) {
      std::string_view text = Trim(fields[columns.amount]);
      std::optional<double> value = ParseDecimal(text);
      if (!value) {
        fail(names.amount_column, "not a number '" + std::string(text) + "'");
        break;
      }
      if (*value < 0) {
        fail(names.amount_column, "must not be negative, got '" + std::string(text) + "'");
        break;
      }
      amount = *value;
    }
    part.customer.push_back(static_cast<int32_t>(index));
    part.day.push_back(date->days);
    part.amount.push_back(amount);
    part.first = std::min(part.first, date->days);
    part.last = std::max(part.last, date->days);
  }
  part.lines = reader.next_line() - first_line;
  part.saw_quote = reader.saw_quote();
}

// Byte offsets that split [begin, size) into `parts` ranges, each starting
// at the beginning of a line (just after a '\n'); fewer when lines are long.
Result<std::vector<uint64_t>> SplitAtLines(const std::string& path, uint64_t begin, uint64_t size,
                                           size_t parts) {
  std::vector<uint64_t> cuts{begin};
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return Status::IoError("cannot read " + path);
  char buffer[4096];
  for (size_t k = 1; k < parts; ++k) {
    uint64_t at = begin + (size - begin) * k / parts;
    if (at <= cuts.back()) continue;
    if (std::fseek(file, static_cast<long>(at), SEEK_SET) != 0) break;
    bool found = false;
    while (!found) {
      const size_t got = std::fread(buffer, 1, sizeof buffer, file);
      if (got == 0) break;
      const void* newline = std::memchr(buffer, '\n', got);
      if (newline != nullptr) {
        at += static_cast<uint64_t>(static_cast<const char*>(newline) - buffer) + 1;
        found = true;
      } else {
        at += got;
      }
    }
    if (found && at < size) cuts.push_back(at);
  }
  std::fclose(file);
  cuts.push_back(size);
  return cuts;
}

}  // namespace

Result<TransactionLog> ReadTransactionCsv(const TransactionCsvOptions& options) {
  TENURE_RETURN_IF_ERROR(CheckDateFormat(options.date_format));
  std::vector<std::string> header;
  // A small first chunk: when the file is read in parts, what this reader
  // parsed beyond the header is parsed again by the parts.
  auto reader_or = OpenCsvWithHeader(options.path, header, 64 << 10);
  if (!reader_or.ok()) return reader_or.status();
  CsvReader& reader = **reader_or;
  auto customer_col = FindCsvColumn(header, options.path, options.customer_column,
                                    {"customer_id", "customer", "id"}, "--customer-col", true);
  if (!customer_col.ok()) return customer_col.status();
  auto date_col = FindCsvColumn(header, options.path, options.date_column, {"date", "order_date"},
                                "--date-col", true);
  if (!date_col.ok()) return date_col.status();
  auto amount_col =
      FindCsvColumn(header, options.path, options.amount_column, {"amount", "sales", "value"},
                    "--amount-col", options.amount_required);
  if (!amount_col.ok()) return amount_col.status();

  TransactionLog log;
  log.customer_column = header[*customer_col];
  log.date_column = header[*date_col];
  log.has_amount = *amount_col >= 0;
  if (log.has_amount) log.amount_column = header[*amount_col];
  LogColumns columns{*customer_col, *date_col, *amount_col,
                     static_cast<size_t>(std::max({*customer_col, *date_col, *amount_col})) + 1,
                     header.size()};

  // A large file without quotes (so no record spans lines) is read in
  // parts, one per core, each from a line start; otherwise in one pass.
  // Either way the result is the same: rows in file order, customers
  // numbered in order of first appearance.
  const uint64_t size = reader.file_size();
  const uint64_t start = reader.first_record_offset();
  const size_t threads = std::min<uint64_t>(ParallelThreads(), size / kBytesPerReadThread);
  std::vector<LogPart> parts;
  std::vector<int64_t> first_lines;
  bool done = false;
  if (threads > 1 && start > 0 && !reader.saw_quote()) {
    auto cuts = SplitAtLines(options.path, start, size, threads);
    if (!cuts.ok()) return cuts.status();
    const size_t count = cuts->size() - 1;
    parts.resize(count);
    std::vector<Status> opened(count);
    ParallelFor(count, 1, [&](size_t begin, size_t end, size_t) {
      for (size_t k = begin; k < end; ++k) {
        // Lines are counted from 1 in each part and shifted afterwards.
        auto range =
            CsvReader::OpenRange(options.path, (*cuts)[k], (*cuts)[k + 1], reader.delimiter(), 1);
        if (!range.ok()) {
          opened[k] = range.status();
          continue;
        }
        ReadLogPart(**range, options, columns, log, 1, parts[k]);
      }
    });
    for (const Status& status : opened) TENURE_RETURN_IF_ERROR(status);
    done = std::none_of(parts.begin(), parts.end(), [](const LogPart& p) { return p.saw_quote; });
    int64_t line = 1;  // the header's (one line: the file has no quotes)
    for (const LogPart& part : parts) {
      first_lines.push_back(line);
      line += part.lines;
    }
  }
  if (!done) {
    parts.assign(1, LogPart());
    first_lines.assign(1, 0);
    ReadLogPart(reader, options, columns, log, reader.next_line(), parts[0]);
  }
  for (size_t k = 0; k < parts.size(); ++k) {
    if (parts[k].row_error) {
      const RowError& e = *parts[k].row_error;
      return Status::InvalidArgument(options.path + ":" + std::to_string(first_lines[k] + e.line) +
                                     ": " + e.text);
    }
    TENURE_RETURN_IF_ERROR(parts[k].status);
  }

  // Parts after the first renumber their customers into the first's order.
  size_t rows = 0;
  for (const LogPart& part : parts) rows += part.day.size();
  log.customer.reserve(rows);
  log.day.reserve(rows);
  log.amount.reserve(rows);
  IdIndex ids;
  int32_t first = std::numeric_limits<int32_t>::max(), last = std::numeric_limits<int32_t>::min();
  for (LogPart& part : parts) {
    std::vector<int32_t> global(part.ids.size());
    for (size_t local = 0; local < part.ids.size(); ++local) {
      auto [index, added] =
          ids.FindOrInsert(part.ids[local], static_cast<int64_t>(log.customer_ids.size()));
      if (added) log.customer_ids.push_back(std::move(part.ids[local]));
      global[local] = static_cast<int32_t>(index);
    }
    for (int32_t c : part.customer) log.customer.push_back(global[static_cast<size_t>(c)]);
    log.day.insert(log.day.end(), part.day.begin(), part.day.end());
    log.amount.insert(log.amount.end(), part.amount.begin(), part.amount.end());
    first = std::min(first, part.first);
    last = std::max(last, part.last);
    part = LogPart();  // free it
  }
  if (log.day.empty())
    return Status::InvalidArgument(options.path + ": no transactions after the header");
  log.first_date = Date{first};
  log.last_date = Date{last};
  return log;
}

}  // namespace tenure::engine
