// The CSV reader and every entity's row conversion, through the importer
// itself (engine/import/importer.h) into one database the run keeps: the first byte
// picks the entity, the rest is the file. Property: every row read is
// counted once as inserted, updated, unchanged or rejected.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "domain/entity.h"
#include "engine/import/csv.h"
#include "engine/import/importer.h"
#include "fuzz_util.h"
#include "store/migrations.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tenure;
  static std::unique_ptr<store::Database> db = [] {
    auto opened = store::OpenStore(fuzz::Scratch() + "/import.db");
    if (!opened.ok()) abort();
    return std::move(*opened);
  }();
  if (size == 0) return 0;
  const auto entities = domain::AllEntities();
  const domain::EntitySpec& spec = entities[data[0] % entities.size()];
  const std::string path = fuzz::WriteFile(
      "input.csv", std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
  // The reader alone: records come in order of their lines.
  if (auto reader = engine::CsvReader::Open(path, 4096); reader.ok()) {
    std::vector<std::string_view> fields;
    int64_t line = 0;
    for (Result<bool> more = (*reader)->Next(fields); more.ok() && *more;
         more = (*reader)->Next(fields)) {
      fuzz::Require((*reader)->line() > line, "records out of line order");
      line = (*reader)->line();
    }
  }
  engine::ImportOptions options;
  options.path = path;
  options.spec = &spec;
  options.rejects_path = fuzz::Scratch() + "/input.rejects.csv";
  options.create_customers = data[0] & 0x80;
  auto report = engine::ImportCsv(*db, options);
  if (report.ok()) {
    fuzz::Require(
        report->rows == report->inserted + report->updated + report->unchanged + report->rejected,
        "rows read are not all counted");
  }
  return 0;
}
