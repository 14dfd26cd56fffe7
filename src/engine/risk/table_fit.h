// The analyst's path to the risk model (docs/risk.md): any table with a
// yes/no column, such as a telecom's churn extract, fitted with boosted
// trees and measured on held-out rows. No database is needed.
//
// Columns are typed from the training rows: a column whose every present
// value is a number is numeric; any other is categorical and one-hot
// encoded (levels from the training rows; a level seen only in the test
// rows encodes as none of them). Empty, "NA", "NaN" and "null" are missing
// and left to the trees. Numeric columns of one family - three or more
// names that differ in one '_'-separated word and end in the same one, such
// as total_day_charge, total_eve_charge and total_night_charge - also give
// their sum, a feature trees cannot build from splits. The trees' depth, minimum leaf weight and
// count are chosen by stratified cross-validation on the training rows only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analytics/classification.h"
#include "common/status.h"

namespace tenure::engine {

struct TableFitOptions {
  std::string table;  // CSV with a header line
  std::string label;  // the yes/no column (ParseYesNo): yes, true, 1 are the events
  // The test rows: exactly one of these. Rows are numbered from 1, the
  // first line after the header; `test_rows` is an inclusive range.
  std::optional<std::pair<int64_t, int64_t>> test_rows;
  std::string test_table;               // same columns as `table`
  std::optional<double> test_fraction;  // a random share, drawn with `seed`
  uint64_t seed = 1;
  int folds = 5;
  int threads = 2;
};

struct FeatureWeight {
  std::string name;                  // a column, "state=KS", or "sum of total_*_charge"
  double mean_abs_contribution = 0;  // mean |SHAP| on the test rows, log-odds
};

struct TableFitReport {
  int64_t rows_train = 0, rows_test = 0;
  int64_t events_train = 0, events_test = 0;
  int features = 0;
  // Chosen by cross-validation, and its mean AUC there.
  int max_depth = 0, rounds = 0;
  double min_child_weight = 0, learning_rate = 0, cv_auc = 0;
  // On the test rows.
  double auc = 0, pr_auc = 0, brier = 0, lift_top_decile = 0;
  std::vector<analytics::CalibrationBin> calibration;
  std::vector<FeatureWeight> top_features;  // the 10 largest
};

// Errors: kInvalidArgument naming the file, line and column (a label that is
// not yes/no, a missing label column, no rows of one class, bad options);
// kIoError for an unreadable file.
Result<TableFitReport> FitTable(const TableFitOptions& options);

}  // namespace tenure::engine
