// Bulk CSV import for every entity of domain/entity.h.
//
// A file is imported in one transaction: every good row is written and every
// bad row is reported (file, line, column, reason) and copied to a rejects
// file, so a bad row never aborts the import and nothing is half-written.
// Rows are addressed by external id, so importing the same file twice changes
// nothing and a corrected file updates the rows it changes.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "domain/entity.h"
#include "store/database.h"

namespace tenure::engine {

struct ImportProgress {
  uint64_t bytes_read = 0;
  uint64_t bytes_total = 0;
  int64_t rows = 0;
};

struct ImportOptions {
  std::string path;
  const domain::EntitySpec* spec = nullptr;
  // Explicit header -> field mappings (--map column=field). A field may also be
  // "id" for the external id column. They win over recognised header names.
  std::vector<std::pair<std::string, std::string>> maps;
  // strptime(3) format for dates (--date-format); empty: ISO 8601 (YYYY-MM-DD).
  std::string date_format;
  // Orders (and other rows) naming an unknown customer create it instead of
  // being rejected (--create-customers).
  bool create_customers = false;
  // Where rejected rows go; empty: FILE.rejects.csv beside the input.
  std::string rejects_path;
  // Fractional digits of the currency: 2 for cents.
  int currency_decimals = 2;
  // Files of this size or more are loaded in bulk mode (store::BulkLoad
  // settings; into an empty table, indexes built once at the end).
  uint64_t bulk_load_bytes = 32ull << 20;
  // Called now and then from the importing thread; may be empty.
  std::function<void(const ImportProgress&)> progress;
};

struct RejectedRow {
  int64_t line;
  std::string column;  // the CSV header, empty when the row as a whole is bad
  std::string reason;
};

struct ImportReport {
  int64_t rows = 0;  // data rows read
  int64_t inserted = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
  int64_t rejected = 0;
  int64_t customers_created = 0;
  // The first rejected rows (at most kMaxRejectsKept); all are in the file.
  std::vector<RejectedRow> rejects;
  std::string rejects_path;                  // set when rows were rejected
  std::vector<std::string> ignored_columns;  // headers that map to no field
  double seconds = 0;
};

inline constexpr size_t kMaxRejectsKept = 1000;

// The rejects file for `path`: "orders.csv" -> "orders.rejects.csv".
std::string DefaultRejectsPath(const std::string& path);

// Imports options.path into `db`. Returns the report when the import ran
// (even when rows were rejected). Errors, with nothing imported:
// kIoError (unreadable file), kInvalidArgument (no header, unknown column or
// field in --map, a required field without a column, bad --date-format), or
// the store's error when the transaction cannot be committed.
Result<ImportReport> ImportCsv(store::Database& db, const ImportOptions& options);

// The header names recognised for each field of `spec`, for help texts.
std::string DescribeColumns(const domain::EntitySpec& spec);

}  // namespace tenure::engine
