#include "engine/risk/risk_model.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "analytics/boosted_trees.h"
#include "analytics/classification.h"
#include "common/stopwatch.h"
#include "engine/risk/features.h"
#include "engine/risk/history.h"
#include "engine/risk/snapshots.h"
#include "store/queries.h"
#include "store/risk_queries.h"

namespace tenure::engine::risk {
namespace {

constexpr int kMaxRounds = 300;
constexpr int kRoundStep = 25;
constexpr size_t kContributionRows = 5000;  // rows the top features are measured on

RiskFigures Measure(const std::vector<double>& probabilities, const std::vector<int>& labels) {
  RiskFigures f;
  f.rows = static_cast<int64_t>(labels.size());
  f.positives = std::accumulate(labels.begin(), labels.end(), int64_t{0});
  f.auc = analytics::RocAuc(probabilities, labels);
  f.pr_auc = analytics::AveragePrecision(probabilities, labels);
  f.brier = analytics::BrierScore(probabilities, labels);
  f.lift = analytics::LiftAt(probabilities, labels, 0.1);
  f.calibration = analytics::CalibrationTable(probabilities, labels, 10);
  return f;
}

// The baselines on the same rows: fewer expected purchases, and a longer
// time since the last order, mean more likely lost.
std::vector<BaselineFigures> Baselines(const SnapshotRows& rows, const std::vector<int>& labels) {
  std::vector<BaselineFigures> out;
  std::vector<double> expected(rows.rows()), recency(rows.rows());
  bool fitted = true;
  for (size_t i = 0; i < rows.rows(); ++i) {
    const float* f = rows.values.data() + i * rows.columns;
    fitted = fitted && !std::isnan(f[feature::kExpectedPurchases]);
    expected[i] = -f[feature::kExpectedPurchases];
    recency[i] = f[feature::kRecencyDays];
  }
  if (fitted) {
    out.push_back({"expected_purchases", analytics::RocAuc(expected, labels),
                   analytics::AveragePrecision(expected, labels)});
  }
  out.push_back({"recency", analytics::RocAuc(recency, labels),
                 analytics::AveragePrecision(recency, labels)});
  return out;
}

struct Plan {
  std::vector<Date> training;  // newest first
  Date validation;
  std::optional<Date> test;
};

Result<Plan> MakePlan(const History& history, const RiskOptions& options, bool with_test) {
  if (options.horizon_days < 1 || options.horizon_days > 3650) {
    return Status::InvalidArgument("the horizon must be 1 to 3650 days", "--horizon");
  }
  if (options.training_snapshots < 1 || options.training_snapshots > 120) {
    return Status::InvalidArgument("the training snapshots must be 1 to 120", "--snapshots");
  }
  if (history.last_day == 0) {
    return Status::InvalidArgument("no order, contact or churn event on record: nothing to learn");
  }
  const Date last{history.last_day};
  Date anchor;
  if (options.as_of) {
    anchor = *options.as_of;
    if (anchor.days + options.horizon_days > history.last_day) {
      return Status::InvalidArgument("the " + std::to_string(options.horizon_days) +
                                         "-day horizon after " + FormatDate(anchor) +
                                         " ends after the newest record, " + FormatDate(last) +
                                         ": its labels are not known yet",
                                     "--as-of");
    }
  } else {
    Date latest{history.last_day - options.horizon_days};
    anchor = MonthEnd(latest);
    if (anchor > latest) anchor = MonthEndBefore(latest, 1);
  }
  Plan plan;
  int back = 0;
  if (with_test) {
    plan.test = anchor;
    plan.validation = MonthEndBefore(anchor, 1);
    back = 1;
  } else {
    plan.validation = anchor;
  }
  for (int k = 1; k <= options.training_snapshots; ++k) {
    plan.training.push_back(MonthEndBefore(anchor, back + k));
  }
  return plan;
}

struct Fitted {
  analytics::BoostedTrees trees;
  int rounds = 0;
  analytics::PlattScaling platt;
  std::vector<double> validation_probabilities;  // calibrated
};

Result<Fitted> FitAndCalibrate(const SnapshotRows& train, const SnapshotRows& validation,
                               const RiskOptions& options, int max_depth) {
  analytics::BoostParams params;
  params.max_depth = max_depth;
  params.learning_rate = 0.1;
  params.min_child_weight = 5;
  params.rounds = kMaxRounds;
  params.seed = options.seed;
  params.threads = options.threads;
  params.histogram = true;
  auto trees = analytics::BoostedTrees::Fit(train.matrix(), train.labels, params);
  if (!trees.ok()) return trees.status();
  const std::vector<int> labels = IntLabels(validation);
  // The tree count with the best validation AUC (a monotone transform of
  // the margins, so a stage's constant does not matter).
  auto stages = trees->StagedMargins(validation.matrix(), kRoundStep, kMaxRounds);
  if (!stages.ok()) return stages.status();
  int best_rounds = kRoundStep;
  double best_auc = -1;
  for (size_t k = 0; k < stages->size(); ++k) {
    double auc = analytics::RocAuc((*stages)[k], labels);
    if (auc > best_auc + 1e-5) {
      best_auc = auc;
      best_rounds = static_cast<int>(k + 1) * kRoundStep;
    }
  }
  auto predicted = trees->Predict(validation.matrix(), best_rounds);
  if (!predicted.ok()) return predicted.status();
  std::vector<double> best = std::move(*predicted);
  std::vector<double> logits(best.size());
  for (size_t i = 0; i < best.size(); ++i) logits[i] = analytics::Logit(best[i]);
  auto platt = analytics::FitPlatt(logits, labels);
  if (!platt.ok()) return platt.status();
  for (size_t i = 0; i < best.size(); ++i) best[i] = (*platt)(logits[i]);
  return Fitted{std::move(*trees), best_rounds, *platt, std::move(best)};
}

Result<std::vector<double>> PredictCalibrated(const Fitted& fitted, const SnapshotRows& rows) {
  auto p = fitted.trees.Predict(rows.matrix(), fitted.rounds);
  if (!p.ok()) return p.status();
  for (double& v : *p) v = fitted.platt(analytics::Logit(v));
  return p;
}

Result<std::vector<std::pair<std::string, double>>> TopFeatures(const Fitted& fitted,
                                                                const SnapshotRows& rows,
                                                                const FeatureLayout& layout) {
  // An even sample of the rows (they come in customer id order).
  const size_t n = std::min(rows.rows(), kContributionRows);
  const size_t step = n == 0 ? 1 : rows.rows() / n;
  std::vector<float> sample;
  sample.reserve(n * rows.columns);
  for (size_t i = 0; i < n; ++i) {
    const float* row = rows.values.data() + i * step * rows.columns;
    sample.insert(sample.end(), row, row + rows.columns);
  }
  analytics::FeatureMatrix m{sample, n, rows.columns};
  auto contributions = fitted.trees.Contributions(m, fitted.rounds);
  if (!contributions.ok()) return contributions.status();
  std::vector<double> mean(rows.columns, 0);
  for (size_t i = 0; i < n; ++i) {
    for (size_t k = 0; k < rows.columns; ++k) {
      mean[k] += std::abs((*contributions)[i * (rows.columns + 1) + k]);
    }
  }
  std::vector<std::pair<std::string, double>> out;
  for (size_t k = 0; k < rows.columns; ++k) {
    out.emplace_back(layout.names[k], n == 0 ? 0 : mean[k] / static_cast<double>(n));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  if (out.size() > 10) out.resize(10);
  return out;
}

// The whole of train and evaluate: snapshots, fit, calibration, figures.
Result<RiskFitReport> FitOnHistory(const History& history, const RiskOptions& options,
                                   bool with_test, std::optional<Fitted>* kept) {
  RiskFitReport report;
  report.horizon_days = options.horizon_days;
  auto plan = MakePlan(history, options, with_test);
  if (!plan.ok()) return plan.status();
  Stopwatch clock;
  const size_t per_snapshot =
      std::max<size_t>(1, options.max_training_rows / plan->training.size());
  SnapshotRows train;
  for (Date day : plan->training) {
    SnapshotRows rows =
        BuildSnapshot(history, {day.days, options.horizon_days, true, per_snapshot, options.seed});
    if (rows.rows() == 0) continue;
    train.Append(rows);
    ++report.training_snapshots;
    if (report.training_snapshots == 1) report.last_training = day;
    report.first_training = day;
  }
  if (report.training_snapshots == 0) {
    return Status::InvalidArgument("no customer had an order by the training snapshots (" +
                                   FormatDate(plan->training.back()) + " to " +
                                   FormatDate(plan->training.front()) +
                                   "): the history is too short for this horizon");
  }
  TENURE_RETURN_IF_ERROR(CheckBothOutcomes(train, "training", report.last_training));
  SnapshotRows validation = BuildSnapshot(history, {plan->validation.days, options.horizon_days,
                                                    true, options.max_check_rows, options.seed});
  TENURE_RETURN_IF_ERROR(CheckBothOutcomes(validation, "validation", plan->validation));
  SnapshotRows test;
  if (plan->test) {
    test = BuildSnapshot(history, {plan->test->days, options.horizon_days, true,
                                   options.max_check_rows, options.seed});
    TENURE_RETURN_IF_ERROR(CheckBothOutcomes(test, "test", *plan->test));
  }
  report.snapshot_seconds = clock.Lap();
  report.validation = plan->validation;
  report.test = plan->test;
  report.rows_train = static_cast<int64_t>(train.rows());
  report.rows_validation = static_cast<int64_t>(validation.rows());
  report.max_depth = 4;

  auto fitted = FitAndCalibrate(train, validation, options, report.max_depth);
  if (!fitted.ok()) return fitted.status();
  report.rounds = fitted->rounds;
  report.calibration_a = fitted->platt.a;
  report.calibration_b = fitted->platt.b;
  const SnapshotRows& measured = plan->test ? test : validation;
  std::vector<double> probabilities = fitted->validation_probabilities;
  if (plan->test) {
    auto p = PredictCalibrated(*fitted, test);
    if (!p.ok()) return p.status();
    probabilities = std::move(*p);
  }
  const std::vector<int> labels = IntLabels(measured);
  report.figures = Measure(probabilities, labels);
  report.baselines = Baselines(measured, labels);
  auto top = TopFeatures(*fitted, measured, LayoutOf(history));
  if (!top.ok()) return top.status();
  report.top_features = std::move(*top);
  report.fit_seconds = clock.Lap();
  if (kept != nullptr) kept->emplace(std::move(*fitted));
  return report;
}

}  // namespace

// The earliest day a training snapshot can fall on, for leaving out the
// invoices paid before it (history.h): the plan's anchor is on or before
// the as-of date, or the newest order less the horizon.
Result<std::optional<Date>> InvoicesSince(store::Database& db, const RiskOptions& options,
                                          int months_back) {
  std::optional<Date> anchor = options.as_of;
  if (!anchor) {
    auto newest = store::NewestOrderDate(db);
    if (!newest.ok()) return newest.status();
    if (!*newest) return std::optional<Date>();
    anchor = Date{(*newest)->days - options.horizon_days};
  }
  return std::optional<Date>(
      Date{MonthEndBefore(*anchor, months_back + options.training_snapshots).days - 1});
}

Result<RiskFitReport> EvaluateRisk(store::Database& db, const RiskOptions& options) {
  Stopwatch clock;
  auto since = InvoicesSince(db, options, 2);
  if (!since.ok()) return since.status();
  auto history = LoadHistory(db, options.deadline_hours, nullptr, *since);
  if (!history.ok()) return history.status();
  const double load = clock.Lap();
  auto report = FitOnHistory(*history, options, true, nullptr);
  if (!report.ok()) return report.status();
  report->history_seconds = load;
  report->seconds = load + clock.Lap();
  return report;
}

Result<RiskFitReport> TrainRisk(store::Database& db, const RiskOptions& options) {
  Stopwatch clock;
  auto since = InvoicesSince(db, options, 1);
  if (!since.ok()) return since.status();
  auto history = LoadHistory(db, options.deadline_hours, nullptr, *since);
  if (!history.ok()) return history.status();
  const double load = clock.Lap();
  std::optional<Fitted> fitted;
  auto report = FitOnHistory(*history, options, false, &fitted);
  if (!report.ok()) return report.status();
  auto model = fitted->trees.Serialize();
  if (!model.ok()) return model.status();
  store::RiskRun run;
  run.trained_at = NowUtc();
  run.as_of = FormatDate(report->validation);
  run.horizon_days = options.horizon_days;
  run.features = FeatureList(LayoutOf(*history));
  run.model = std::move(*model);
  run.rounds = fitted->rounds;
  run.calibration_a = fitted->platt.a;
  run.calibration_b = fitted->platt.b;
  run.rows_train = report->rows_train;
  run.rows_validation = report->rows_validation;
  run.auc = report->figures.auc;
  run.pr_auc = report->figures.pr_auc;
  run.brier = report->figures.brier;
  run.lift = report->figures.lift;
  store::Transaction tx(db);
  TENURE_RETURN_IF_ERROR(tx.status());
  auto id = store::InsertRiskRun(db, run);
  if (!id.ok()) return id.status();
  TENURE_RETURN_IF_ERROR(tx.Commit());
  report->run_id = *id;
  report->history_seconds = load;
  report->seconds = load + clock.Lap();
  return report;
}

}  // namespace tenure::engine::risk
