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
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "domain/entity.h"
#include "engine/import/file_format.h"
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
  // strptime(3) format for dates (--date-format); empty: ISO 8601 or local
  // dates whose order is detected (engine/import/file_format.h).
  std::string date_format;
  // --encoding, --decimal-comma, --day-first / --month-first.
  std::string encoding;
  bool decimal_comma = false;
  std::optional<DateOrder> date_order;
  // Everything is read, converted and written as usual, then rolled back:
  // the report says what would happen; nothing is written, no rejects file.
  bool dry_run = false;
  // How many of the first rows the report keeps as they would be stored.
  size_t preview_rows = 0;
  // Import even when the rows already in the table were identified another
  // way (by their content, or by another id column): those rows and the
  // file's then become separate rows.
  bool allow_new_ids = false;
  // Order lines: an order id starting with it is a cancellation (a return).
  // Unset: "C" followed by digits only (C536379); empty: no prefix.
  std::optional<std::string> return_prefix;
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

// What an import did (or would do) to one table.
struct TableCount {
  std::string table;
  int64_t inserted = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
};

struct ImportReport {
  bool dry_run = false;
  FileFormat format;
  // Column -> field, in the order of the file's columns.
  std::vector<std::pair<std::string, std::string>> mapping;
  // The first rows as they would be stored: field -> value as text.
  std::vector<std::vector<std::pair<std::string, std::string>>> preview;
  // Every table written (order lines write customers, products, orders,
  // returns and order lines); the counts below are those of the entity's own.
  std::vector<TableCount> tables;
  // Rows left out on purpose, not rejected (order lines without a customer).
  int64_t skipped = 0;
  std::string skipped_reason;
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

// Whether the rows of `table` were identified differently before (with ids,
// or by their content when the file had no id column): Ok, or
// kInvalidArgument (field "--allow-new-ids") saying what importing would do.
// `id_column` is the header of the file's id column, empty when it has none.
Status CheckIdentityUnchanged(store::Database& db, const domain::EntitySpec& spec,
                              const std::string& path, const std::string& id_column);
// Records how `spec`'s rows were identified by the import just done.
Status RememberIdentity(store::Database& db, const domain::EntitySpec& spec,
                        const std::string& id_column);

// The header names recognised for each field of `spec`, for help texts.
std::string DescribeColumns(const domain::EntitySpec& spec);

}  // namespace tenure::engine
