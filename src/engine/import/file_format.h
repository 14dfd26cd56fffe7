// What an import finds out about a file before reading it for real: its
// encoding, delimiter, decimal mark, and the order of day and month in each
// date column, from the file itself unless the user said. The preview
// (--dry-run) prints it.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "domain/entity.h"
#include "engine/import/import_columns.h"
#include "engine/import/text_encoding.h"
#include "engine/import/value_formats.h"

namespace tenure::engine {

// What the user said (each empty / unset: detect it).
struct FormatRequest {
  std::string encoding;                 // --encoding
  bool decimal_comma = false;           // --decimal-comma
  std::optional<DateOrder> date_order;  // --day-first / --month-first
  std::string date_format;              // --date-format (strptime), for every date column
};

struct FileFormat {
  FileEncoding encoding;
  char delimiter = ',';
  bool decimal_comma = false;
  std::string decimal_how;  // "--decimal-comma", "detected" or "default"
  // Per spec field: how its dates are written (kIsoOnly for other fields).
  std::vector<DateOrder> date_order;
  std::vector<std::string> date_how;  // per spec field: "detected", "--day-first", ...
  // For the preview: each date column's header and "dd/mm/yyyy (detected)".
  std::vector<std::pair<std::string, std::string>> date_columns;
};

// Detects the format of `path` for the columns of `plan`: reads rows until
// every date column has shown its order of day and month (at most a
// million rows). Errors (kInvalidArgument, nothing imported): a date column
// whose dates all read either way ("01/02/2011"), naming the column and
// asking for --day-first or --month-first; one whose dates contradict each
// other; the errors of CsvReader::Open.
Result<FileFormat> DetectFileFormat(const std::string& path, const FileEncoding& encoding,
                                    const domain::EntitySpec& spec, const ColumnPlan& plan,
                                    const FormatRequest& request);

}  // namespace tenure::engine
