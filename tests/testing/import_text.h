// Imports CSV text written in a test, as `tenure import` would the file.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "domain/entity.h"
#include "engine/import/importer.h"
#include "store/database.h"
#include "testing/temp_dir.h"

namespace tenure::testing {

// Writes `csv` to ENTITY.csv in `dir` and imports it into `db`; fails the
// test when the import fails or rejects a row.
inline void ImportText(store::Database& db, const TempDir& dir, const std::string& entity,
                       const std::string& csv) {
  engine::ImportOptions options;
  options.path = dir.Write(entity + ".csv", csv);
  options.spec = domain::FindEntity(entity);
  auto report = engine::ImportCsv(db, options);
  ASSERT_TRUE(report.ok()) << entity << ": " << report.status().ToString();
  ASSERT_EQ(report->rejected, 0) << entity << ": " << report->rejects[0].reason;
}

}  // namespace tenure::testing
