// The rejected rows of an import: counted and kept for the report, and copied
// with `_line`, `_column` and `_reason` in front to FILE.rejects.csv, which is
// written to a temporary file and renamed into place only when the import
// commits (docs/import.md, "Bad rows").
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/import/csv.h"
#include "engine/import/importer.h"

namespace tenure::engine {

class RejectsFile {
 public:
  // `headers` are the file's columns, copied after _line, _column, _reason.
  RejectsFile(const ImportOptions& options, const std::vector<std::string>& headers,
              ImportReport& report);
  // Counts the row in the report and writes it (nothing with --dry-run).
  Status Add(int64_t line, const std::string& column, const std::string& reason,
             const std::vector<std::string_view>& raw);
  // Before the commit: flushes what was written.
  Status Close();
  // After a failed import or a dry run: the temporary file goes.
  void Discard();
  // After the commit: the file takes its place (report.rejects_path), or a
  // stale one from an earlier run is removed when nothing was rejected.
  Status Publish();

 private:
  const ImportOptions& options_;
  const std::vector<std::string>& headers_;
  ImportReport& report_;
  std::string path_;
  std::unique_ptr<CsvWriter> file_;
};

// "FILE:12: reason" -> "reason": a reader's error as a rejected row's reason.
std::string WithoutPlace(const std::string& message);

}  // namespace tenure::engine
