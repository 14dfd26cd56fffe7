// Export of any entity to CSV or XLSX, in the same columns and formats the
// importer reads, so an export can be imported again.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "domain/entity.h"
#include "store/database.h"

namespace tenure::engine {

enum class ExportFormat { kCsv, kXlsx };

struct ExportOptions {
  const domain::EntitySpec* spec = nullptr;
  ExportFormat format = ExportFormat::kCsv;
  // Output file; empty writes CSV to stdout (XLSX needs a file).
  std::string out_path;
  int currency_decimals = 2;
};

// Writes every row of options.spec: an "id" column (the external id, or the
// internal id for rows created inside Tenure), then one column per field with
// references as the referenced row's id, then created_at and updated_at.
// XLSX starts a new worksheet every 1,048,575 rows (Excel's limit).
// Returns the number of rows written. Errors: kInvalidArgument (XLSX without
// a file), kIoError, the store's errors.
Result<int64_t> ExportEntity(store::Database& db, const ExportOptions& options);

}  // namespace tenure::engine
