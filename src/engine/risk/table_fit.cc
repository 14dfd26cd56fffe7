#include "engine/risk/table_fit.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <set>

#include "analytics/boosted_trees.h"
#include "common/numbers.h"
#include "common/text.h"
#include "engine/field_codec.h"
#include "engine/import/csv.h"

namespace tenure::engine {
namespace {

struct Table {
  std::string path;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<int64_t> lines;  // the file line of each row
};

Result<Table> ReadTable(const std::string& path) {
  auto reader = CsvReader::Open(path);
  if (!reader.ok()) return reader.status();
  Table table;
  table.path = path;
  std::vector<std::string_view> fields;
  Result<bool> got = (*reader)->Next(fields);
  if (!got.ok()) return got.status();
  if (!*got) return Status::InvalidArgument(path + ": the file is empty (no header line)");
  for (std::string_view field : fields) table.header.emplace_back(Trim(field));
  while (true) {
    got = (*reader)->Next(fields);
    if (!got.ok()) return got.status();
    if (!*got) break;
    if (fields.size() != table.header.size()) {
      return Status::InvalidArgument(path + ":" + std::to_string((*reader)->line()) + ": " +
                                     std::to_string(fields.size()) + " fields, the header has " +
                                     std::to_string(table.header.size()));
    }
    table.rows.emplace_back(fields.begin(), fields.end());
    table.lines.push_back((*reader)->line());
  }
  return table;
}

bool IsMissing(std::string_view value) {
  const std::string name = NormalizeName(value);
  return name.empty() || name == "na" || name == "nan" || name == "null";
}

// One row taken for fitting or testing.
struct RowRef {
  const Table* table;
  size_t row;
  const std::string& cell(size_t column) const { return table->rows[row][column]; }
};

// How the feature matrix is built from the columns.
struct Encoding {
  struct Column {
    size_t index;
    bool numeric;
    std::vector<std::string> levels;  // categorical
  };
  std::vector<Column> columns;
  std::vector<std::vector<size_t>> families;  // indexes into columns (numeric)
  std::vector<std::string> names;             // one per feature
};

Encoding Encode(const Table& table, size_t label, const std::vector<RowRef>& train) {
  Encoding e;
  for (size_t c = 0; c < table.header.size(); ++c) {
    if (c == label) continue;
    bool numeric = true;
    std::set<std::string> levels;
    for (const RowRef& r : train) {
      const std::string& value = r.cell(c);
      if (IsMissing(value)) continue;
      if (numeric && !ParseDecimal(Trim(value))) numeric = false;
      if (levels.size() <= 100) levels.emplace(Trim(value));
    }
    // A text column with more than 100 values (an id, a name) says nothing
    // general: left out.
    if (!numeric && levels.size() > 100) continue;
    Encoding::Column column{c, numeric, {}};
    if (!numeric) column.levels.assign(levels.begin(), levels.end());
    e.columns.push_back(std::move(column));
  }
  for (const Encoding::Column& column : e.columns) {
    const std::string& name = table.header[column.index];
    if (column.numeric) {
      e.names.push_back(name);
    } else {
      for (const std::string& level : column.levels) e.names.push_back(name + "=" + level);
    }
  }
  // Families: numeric columns whose names differ in one '_' word.
  std::map<std::string, std::vector<size_t>> by_pattern;
  for (size_t i = 0; i < e.columns.size(); ++i) {
    if (!e.columns[i].numeric) continue;
    std::vector<std::string> words = SplitList(table.header[e.columns[i].index], '_');
    if (words.size() < 2) continue;
    // The last word is the unit (charge, minutes): members share it.
    for (size_t w = 0; w + 1 < words.size(); ++w) {
      std::string pattern;
      for (size_t k = 0; k < words.size(); ++k) {
        pattern += (k > 0 ? "_" : "") + (k == w ? std::string("*") : words[k]);
      }
      by_pattern[pattern].push_back(i);
    }
  }
  for (auto& [pattern, members] : by_pattern) {
    if (members.size() < 3) continue;
    e.families.push_back(members);
    e.names.push_back("sum of " + pattern);
  }
  return e;
}

std::vector<float> Features(const Encoding& e, const std::vector<RowRef>& rows) {
  std::vector<float> values;
  values.reserve(rows.size() * e.names.size());
  std::vector<double> numbers(e.columns.size());
  for (const RowRef& r : rows) {
    for (size_t i = 0; i < e.columns.size(); ++i) {
      const Encoding::Column& column = e.columns[i];
      const std::string& cell = r.cell(column.index);
      if (column.numeric) {
        auto number = IsMissing(cell) ? std::nullopt : ParseDecimal(Trim(cell));
        numbers[i] = number ? *number : NAN;
        values.push_back(static_cast<float>(numbers[i]));
      } else {
        std::string_view value = Trim(cell);
        for (const std::string& level : column.levels) values.push_back(value == level ? 1 : 0);
      }
    }
    for (const std::vector<size_t>& family : e.families) {
      double sum = 0;
      bool any = false;
      for (size_t i : family) {
        if (std::isnan(numbers[i])) continue;
        sum += numbers[i];
        any = true;
      }
      values.push_back(any ? static_cast<float>(sum) : NAN);
    }
  }
  return values;
}

Result<int> Label(const RowRef& r, size_t column) {
  const std::string& value = r.cell(column);
  if (std::optional<bool> yes = ParseYesNo(value)) return *yes ? 1 : 0;
  return Status::InvalidArgument(r.table->path + ":" + std::to_string(r.table->lines[r.row]) +
                                 ": column '" + r.table->header[column] + "': '" +
                                 std::string(Trim(value)) +
                                 "' is not yes/no, true/false, y/n, t/f or 1/0");
}

}  // namespace

Result<TableFitReport> FitTable(const TableFitOptions& options) {
  const int chosen_tests = (options.test_rows ? 1 : 0) + (options.test_table.empty() ? 0 : 1) +
                           (options.test_fraction ? 1 : 0);
  if (chosen_tests != 1) {
    return Status::InvalidArgument(
        "name the test rows with exactly one of --test-rows, --test-table, --test-fraction");
  }
  auto table = ReadTable(options.table);
  if (!table.ok()) return table.status();
  auto label_at = std::find_if(table->header.begin(), table->header.end(), [&](const auto& name) {
    return NormalizeName(name) == NormalizeName(options.label);
  });
  if (label_at == table->header.end()) {
    return Status::InvalidArgument(options.table + ": no column '" + options.label + "'",
                                   "--label");
  }
  const size_t label = static_cast<size_t>(label_at - table->header.begin());

  std::optional<Table> test_table;
  std::vector<RowRef> train, test;
  const size_t n = table->rows.size();
  if (options.test_rows) {
    auto [first, last] = *options.test_rows;
    if (first < 1 || last < first || static_cast<size_t>(last) > n) {
      return Status::InvalidArgument("rows " + std::to_string(first) + ":" + std::to_string(last) +
                                         " are not within 1:" + std::to_string(n),
                                     "--test-rows");
    }
    for (size_t i = 0; i < n; ++i) {
      bool in_test = static_cast<int64_t>(i + 1) >= first && static_cast<int64_t>(i + 1) <= last;
      (in_test ? test : train).push_back({&*table, i});
    }
  } else if (!options.test_table.empty()) {
    auto read = ReadTable(options.test_table);
    if (!read.ok()) return read.status();
    if (read->header != table->header) {
      return Status::InvalidArgument(
          options.test_table + ": its columns differ from " + options.table + "'s", "--test-table");
    }
    test_table = std::move(*read);
    for (size_t i = 0; i < n; ++i) train.push_back({&*table, i});
    for (size_t i = 0; i < test_table->rows.size(); ++i) test.push_back({&*test_table, i});
  } else {
    double fraction = *options.test_fraction;
    if (!(fraction > 0 && fraction < 1)) {
      return Status::InvalidArgument("must be between 0 and 1", "--test-fraction");
    }
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), size_t{0});
    std::mt19937_64 rng(options.seed);
    std::shuffle(order.begin(), order.end(), rng);
    const size_t tests = static_cast<size_t>(std::round(fraction * static_cast<double>(n)));
    std::sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(tests));
    std::sort(order.begin() + static_cast<std::ptrdiff_t>(tests), order.end());
    for (size_t k = 0; k < n; ++k) (k < tests ? test : train).push_back({&*table, order[k]});
  }

  std::vector<float> train_labels;
  std::vector<int> test_labels;
  for (const RowRef& r : train) {
    auto y = Label(r, label);
    if (!y.ok()) return y.status();
    train_labels.push_back(static_cast<float>(*y));
  }
  for (const RowRef& r : test) {
    auto y = Label(r, label);
    if (!y.ok()) return y.status();
    test_labels.push_back(*y);
  }
  TableFitReport report;
  report.rows_train = static_cast<int64_t>(train.size());
  report.rows_test = static_cast<int64_t>(test.size());
  report.events_train =
      static_cast<int64_t>(std::count(train_labels.begin(), train_labels.end(), 1.0f));
  report.events_test = std::count(test_labels.begin(), test_labels.end(), 1);
  if (report.events_train == 0 || report.events_train == report.rows_train) {
    return Status::InvalidArgument(options.table +
                                   ": the training rows must hold both yes and no in column '" +
                                   table->header[label] + "'");
  }
  if (report.events_test == 0 || report.events_test == report.rows_test) {
    return Status::InvalidArgument("the test rows must hold both yes and no in column '" +
                                   table->header[label] + "'");
  }

  const Encoding encoding = Encode(*table, label, train);
  const size_t columns = encoding.names.size();
  report.features = static_cast<int>(columns);
  const std::vector<float> x_train = Features(encoding, train);
  const std::vector<float> x_test = Features(encoding, test);

  // Stratified folds: the k-th yes and the k-th no go to fold k mod folds.
  const int folds = std::max(2, options.folds);
  std::vector<int> fold(train.size());
  int yes = 0, no = 0;
  for (size_t i = 0; i < train.size(); ++i)
    fold[i] = train_labels[i] > 0 ? yes++ % folds : no++ % folds;
  struct Part {
    std::vector<float> x_fit, y_fit, x_check;
    std::vector<int> y_check;
  };
  std::vector<Part> parts(static_cast<size_t>(folds));
  for (size_t i = 0; i < train.size(); ++i) {
    for (int k = 0; k < folds; ++k) {
      Part& part = parts[static_cast<size_t>(k)];
      const float* row = &x_train[i * columns];
      if (fold[i] == k) {
        part.x_check.insert(part.x_check.end(), row, row + columns);
        part.y_check.push_back(static_cast<int>(train_labels[i]));
      } else {
        part.x_fit.insert(part.x_fit.end(), row, row + columns);
        part.y_fit.push_back(train_labels[i]);
      }
    }
  }
  constexpr int kMaxRounds = 400, kStep = 25;
  analytics::BoostParams best;
  best.learning_rate = 0.05;
  best.seed = options.seed;
  best.threads = options.threads;
  report.cv_auc = -1;
  for (int depth : {3, 4, 5}) {
    for (double min_child_weight : {1.0, 5.0}) {
      analytics::BoostParams params = best;
      params.max_depth = depth;
      params.min_child_weight = min_child_weight;
      params.rounds = kMaxRounds;
      std::vector<double> mean_auc(kMaxRounds / kStep, 0);
      for (const Part& part : parts) {
        analytics::FeatureMatrix fit{part.x_fit, part.y_fit.size(), columns};
        analytics::FeatureMatrix check{part.x_check, part.y_check.size(), columns};
        auto model = analytics::BoostedTrees::Fit(fit, part.y_fit, params);
        if (!model.ok()) return model.status();
        // The AUC at every tree count from one pass over the trees.
        auto stages = model->StagedMargins(check, kStep, kMaxRounds);
        if (!stages.ok()) return stages.status();
        for (size_t step = 0; step < stages->size(); ++step) {
          mean_auc[step] += analytics::RocAuc((*stages)[step], part.y_check) / folds;
        }
      }
      for (size_t s = 0; s < mean_auc.size(); ++s) {
        if (mean_auc[s] > report.cv_auc) {
          report.cv_auc = mean_auc[s];
          best.max_depth = depth;
          best.min_child_weight = min_child_weight;
          best.rounds = static_cast<int>(s + 1) * kStep;
        }
      }
    }
  }
  report.max_depth = best.max_depth;
  report.min_child_weight = best.min_child_weight;
  report.rounds = best.rounds;
  report.learning_rate = best.learning_rate;

  analytics::FeatureMatrix all{x_train, train.size(), columns};
  auto model = analytics::BoostedTrees::Fit(all, train_labels, best);
  if (!model.ok()) return model.status();
  analytics::FeatureMatrix held_out{x_test, test.size(), columns};
  auto p = model->Predict(held_out);
  if (!p.ok()) return p.status();
  report.auc = analytics::RocAuc(*p, test_labels);
  report.pr_auc = analytics::AveragePrecision(*p, test_labels);
  report.brier = analytics::BrierScore(*p, test_labels);
  report.lift_top_decile = analytics::LiftAt(*p, test_labels, 0.1);
  report.calibration = analytics::CalibrationTable(*p, test_labels, 10);

  auto contributions = model->Contributions(held_out);
  if (!contributions.ok()) return contributions.status();
  std::vector<FeatureWeight> weights(columns);
  for (size_t f = 0; f < columns; ++f) weights[f].name = encoding.names[f];
  for (size_t row = 0; row < test.size(); ++row) {
    for (size_t f = 0; f < columns; ++f) {
      weights[f].mean_abs_contribution +=
          std::abs((*contributions)[row * (columns + 1) + f]) / static_cast<double>(test.size());
    }
  }
  std::stable_sort(weights.begin(), weights.end(), [](const auto& a, const auto& b) {
    return a.mean_abs_contribution > b.mean_abs_contribution;
  });
  weights.resize(std::min<size_t>(weights.size(), 10));
  report.top_features = std::move(weights);
  return report;
}

}  // namespace tenure::engine
