#include "engine/risk/risk_model.h"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <numeric>
#include <thread>
#include <unordered_map>

#include "analytics/boosted_trees.h"
#include "analytics/tree_ensemble.h"
#include "common/parallel.h"
#include "common/stopwatch.h"
#include "common/text.h"
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

double Logit(double p) {
  p = std::clamp(p, 1e-7, 1 - 1e-7);
  return std::log(p / (1 - p));
}

std::vector<int> IntLabels(const std::vector<float>& labels) {
  std::vector<int> out(labels.size());
  for (size_t i = 0; i < labels.size(); ++i) out[i] = labels[i] != 0 ? 1 : 0;
  return out;
}

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

Status CheckBothOutcomes(const SnapshotRows& rows, std::string_view what, Date day) {
  size_t lost = 0;
  for (float label : rows.labels) lost += label != 0 ? 1 : 0;
  if (rows.rows() == 0 || lost == 0 || lost == rows.rows()) {
    return Status::InvalidArgument(
        "the " + std::string(what) + " snapshot " + FormatDate(day) + " has " +
        std::to_string(rows.rows()) + " customers of whom " + std::to_string(lost) +
        " were lost: it needs both outcomes (use a longer history or another --as-of)");
  }
  return Status::Ok();
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
  const std::vector<int> labels = IntLabels(validation.labels);
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
  for (size_t i = 0; i < best.size(); ++i) logits[i] = Logit(best[i]);
  auto platt = analytics::FitPlatt(logits, labels);
  if (!platt.ok()) return platt.status();
  for (size_t i = 0; i < best.size(); ++i) best[i] = (*platt)(logits[i]);
  return Fitted{std::move(*trees), best_rounds, *platt, std::move(best)};
}

Result<std::vector<double>> PredictCalibrated(const Fitted& fitted, const SnapshotRows& rows) {
  auto p = fitted.trees.Predict(rows.matrix(), fitted.rounds);
  if (!p.ok()) return p.status();
  for (double& v : *p) v = fitted.platt(Logit(v));
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
  const std::vector<int> labels = IntLabels(measured.labels);
  report.figures = Measure(probabilities, labels);
  report.baselines = Baselines(measured, labels);
  auto top = TopFeatures(*fitted, measured, LayoutOf(history));
  if (!top.ok()) return top.status();
  report.top_features = std::move(*top);
  report.fit_seconds = clock.Lap();
  if (kept != nullptr) kept->emplace(std::move(*fitted));
  return report;
}

std::string JoinLines(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += name + "\n";
  return out;
}

// The classification values a stored model's feature names encode.
ClassValues ClassValuesOf(std::string_view features) {
  ClassValues values;
  for (const std::string& line : SplitList(features, '\n')) {
    std::string_view name = line;
    size_t eq = name.find('=');
    if (eq == std::string_view::npos) continue;
    for (size_t k = 0; k < kClassColumns; ++k) {
      if (name.substr(0, eq) == kClassColumnNames[k]) {
        values[k].emplace_back(name.substr(eq + 1));
      }
    }
  }
  return values;
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
  run.features = JoinLines(LayoutOf(*history).names);
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

namespace {

// Per row of `rows`: the calibrated probability and, with a grouping by
// reason, the contribution of each reason (log-odds), from the model's
// first `rounds` trees, on every core.
struct Scored {
  std::vector<double> probability;
  std::vector<float> by_reason;  // kReasonCount per row
};

// Rows [from, to) of `rows` (all by default); out's row 0 is row `from`.
Scored ScoreRows(const analytics::TreeEnsemble& trees, int rounds,
                 const analytics::PlattScaling& platt, const SnapshotRows& rows,
                 const analytics::TreeEnsemble::Grouping* reasons, size_t from = 0,
                 size_t to = SIZE_MAX) {
  to = std::min(to, rows.rows());
  const size_t n = to - from;
  Scored out;
  out.probability.resize(n);
  if (reasons != nullptr) out.by_reason.assign(n * kReasonCount, 0.0f);
  const double lowest = Logit(0), highest = Logit(1);  // the clamp of Logit
  ParallelFor(n, 4096, [&](size_t begin, size_t end, size_t) {
    std::vector<double> margins(end - begin);
    trees.LogOddsBlock(rows.values.data() + (from + begin) * rows.columns, end - begin,
                       rows.columns, rounds, margins, reasons,
                       reasons != nullptr
                           ? std::span<float>(out.by_reason)
                                 .subspan(begin * kReasonCount, (end - begin) * kReasonCount)
                           : std::span<float>());
    for (size_t i = begin; i < end; ++i) {
      out.probability[i] = platt(std::clamp(margins[i - begin], lowest, highest));
    }
  });
  return out;
}

// The model's contributions summed by the reason of each feature.
Result<analytics::TreeEnsemble::Grouping> ByReason(const analytics::TreeEnsemble& trees,
                                                   const FeatureLayout& layout) {
  std::vector<uint32_t> group(layout.reasons.size());
  for (size_t k = 0; k < group.size(); ++k) group[k] = static_cast<uint32_t>(layout.reasons[k]);
  return trees.GroupBy(group, kReasonCount);
}

int HealthOf(double probability) {
  return static_cast<int>(std::lround(100 * (1 - std::clamp(probability, 0.0, 1.0))));
}

// Customer `c`'s stored values: its probability, value at risk (the stored
// CLV, -1 when none, times the probability), health now and a month ago
// (-1: none), and the health points lost shared among the reasons that
// raise the risk in proportion to their contributions `sums`, the top three
// kept with their words.
store::RiskValues RiskValuesOf(const History& history, uint32_t c, std::span<const float> f,
                               double probability, std::span<const float> sums, int64_t clv,
                               int health_before) {
  store::RiskValues v;
  v.probability = std::clamp(probability, 0.0, 1.0);
  // Without a purchase-model CLV, the last year's sales stand in for it.
  const double value =
      clv >= 0 ? static_cast<double>(clv) : 100.0 * std::max(0.0f, f[feature::kSales365]);
  v.value_at_risk = static_cast<int64_t>(std::llround(value * v.probability));
  v.health = HealthOf(v.probability);
  if (health_before >= 0) v.health_month_ago = health_before;
  double positive = 0;
  for (float s : sums) positive += std::max(0.0f, s);
  std::array<size_t, kReasonCount> order;
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return sums[a] > sums[b]; });
  for (size_t r = 0; r < 3 && positive > 0; ++r) {
    const size_t reason = order[r];
    if (sums[reason] <= 0) break;
    const int points = static_cast<int>(std::lround((100 - v.health) * sums[reason] / positive));
    if (points == 0) break;
    v.reasons += std::string(ReasonCode(static_cast<Reason>(reason))) + "\t" +
                 std::to_string(points) + "\t" +
                 ReasonText(history, c, static_cast<Reason>(reason), f) + "\n";
  }
  return v;
}

}  // namespace

namespace {

// The latest trained model with the history its features are computed from.
struct StoredModel {
  store::RiskRun run;
  History history;
  FeatureLayout layout;
  analytics::TreeEnsemble trees;
  analytics::PlattScaling platt;
};

Result<StoredModel> LoadStoredModel(store::Database& db, const std::array<int, 4>& deadline_hours,
                                    Date earliest) {
  auto run = store::ReadLatestRiskRun(db);
  if (!run.ok()) return run.status();
  if (!*run) return Status::NotFound("no risk model yet: run `tenure risk train` first");
  ClassValues classes = ClassValuesOf((*run)->features);
  auto history = LoadHistory(db, deadline_hours, &classes, Date{earliest.days - 1});
  if (!history.ok()) return history.status();
  FeatureLayout layout = LayoutOf(*history);
  if (JoinLines(layout.names) != (*run)->features) {
    return Status::Conflict(
        "the stored risk model reads other features than this version computes: run `tenure risk"
        " train` again");
  }
  auto trees = analytics::TreeEnsemble::FromJson((*run)->model);
  if (!trees.ok()) return trees.status();
  if (trees->features() != layout.size()) {
    return Status::Conflict("the stored risk model reads " + std::to_string(trees->features()) +
                            " features, this version computes " + std::to_string(layout.size()) +
                            ": run `tenure risk train` again");
  }
  const analytics::PlattScaling platt{(*run)->calibration_a, (*run)->calibration_b};
  return StoredModel{std::move(**run), std::move(*history), std::move(layout), std::move(*trees),
                     platt};
}

}  // namespace

Result<RiskScoreReport> ScoreRisk(store::Database& db, const RiskScoreOptions& options) {
  Stopwatch clock;
  // The earliest snapshot read is a month before as_of (the trend).
  auto stored = LoadStoredModel(db, options.deadline_hours, Date{options.as_of.days - 30});
  if (!stored.ok()) return stored.status();
  const store::RiskRun* run = &stored->run;
  const History* history = &stored->history;
  const FeatureLayout& layout = stored->layout;
  const analytics::TreeEnsemble* trees = &stored->trees;
  const analytics::PlattScaling platt = stored->platt;
  const int horizon = run->horizon_days;
  RiskScoreReport report;
  report.history_seconds = clock.Lap();

  // The features now and a month ago (the trend: the same model at as_of -
  // 30), each snapshot's purchase model fitted on its own thread, while the
  // stored CLVs are read: the connection is idle until the write.
  std::vector<int64_t> clv(history->size(), -1);  // by the customer's index; -1: none
  Status clv_read = Status::Ok();
  std::thread clv_reader([&] {
    clv_read = store::ScanStoredClv(db, [&](int64_t customer, int64_t value) {
      const std::optional<size_t> c = history->IndexOf(customer);
      if (c) clv[*c] = value;
      return Status::Ok();
    });
  });
  SnapshotRows before;
  std::thread month_ago([&] {
    before = BuildSnapshot(*history, {options.as_of.days - 30, horizon, false});
  });
  SnapshotRows now = BuildSnapshot(*history, {options.as_of.days, horizon, false});
  month_ago.join();
  clv_reader.join();
  TENURE_RETURN_IF_ERROR(clv_read);
  report.features_seconds = clock.Lap();

  auto by_reason = ByReason(*trees, layout);
  if (!by_reason.ok()) return by_reason.status();
  // By the customer's index in the history: the health a month ago (-1:
  // not in that snapshot).
  const Scored scored_before = ScoreRows(*trees, run->rounds, platt, before, nullptr);
  std::vector<int8_t> health_before(history->size(), -1);
  for (size_t i = 0; i < before.rows(); ++i) {
    health_before[before.customer[i]] = static_cast<int8_t>(HealthOf(scored_before.probability[i]));
  }

  // The customers now, in chunks: while both cores score a chunk and put
  // its reasons in words, a writer thread inserts the chunks before it, so
  // the SQLite inserts run beside the trees.
  report.as_of = options.as_of;
  report.run_id = run->id;
  report.horizon_days = horizon;
  store::Transaction tx(db);
  TENURE_RETURN_IF_ERROR(tx.status());
  constexpr size_t kChunk = 65536;
  const size_t chunks = (now.rows() + kChunk - 1) / kChunk;
  std::vector<store::RiskValues> values(now.rows());
  std::mutex mutex;
  std::condition_variable chunk_done;
  size_t ready = 0;  // chunks whose values are complete
  Status written = Status::Ok();
  std::thread writer([&] {
    auto w = store::RiskWriter::Begin(db, run->id, FormatDate(options.as_of));
    if (!w.ok()) {
      written = w.status();
      return;
    }
    for (size_t k = 0; k < chunks; ++k) {
      {
        std::unique_lock<std::mutex> lock(mutex);
        chunk_done.wait(lock, [&] { return ready > k; });
      }
      for (size_t i = k * kChunk; i < std::min(now.rows(), (k + 1) * kChunk); ++i) {
        written = (*w)->Write(history->customers[now.customer[i]].id, values[i]);
        if (!written.ok()) return;
      }
    }
    written = (*w)->Finish();
  });
  for (size_t k = 0; k < chunks; ++k) {
    const size_t from = k * kChunk, to = std::min(now.rows(), from + kChunk);
    const Scored scored = ScoreRows(*trees, run->rounds, platt, now, &*by_reason, from, to);
    ParallelFor(to - from, 4096, [&](size_t begin, size_t end, size_t) {
      for (size_t j = begin; j < end; ++j) {
        const size_t i = from + j;
        const uint32_t c = now.customer[i];
        const std::span<const float> f(now.values.data() + i * now.columns, now.columns);
        const std::span<const float> sums(scored.by_reason.data() + j * kReasonCount, kReasonCount);
        values[i] =
            RiskValuesOf(*history, c, f, scored.probability[j], sums, clv[c], health_before[c]);
      }
    });
    {
      std::lock_guard<std::mutex> lock(mutex);
      ready = k + 1;
    }
    chunk_done.notify_one();
  }
  report.predict_seconds = clock.Lap();
  writer.join();
  TENURE_RETURN_IF_ERROR(written);
  for (const store::RiskValues& v : values) {
    ++report.customers_scored;
    report.likely_lost += v.probability >= 0.5 ? 1 : 0;
    report.mean_probability += v.probability;
    report.value_at_risk += v.value_at_risk;
  }
  TENURE_RETURN_IF_ERROR(store::MarkRiskRunScored(db, run->id, FormatDate(options.as_of),
                                                  options.now.value_or(NowUtc())));
  TENURE_RETURN_IF_ERROR(tx.Commit());
  if (report.customers_scored > 0) {
    report.mean_probability /= static_cast<double>(report.customers_scored);
  }
  report.write_seconds = clock.Lap();
  report.seconds = clock.Total();
  return report;
}

Result<HealthBacktestReport> BacktestHealth(store::Database& db,
                                            const HealthBacktestOptions& options) {
  auto stored = LoadStoredModel(db, options.deadline_hours, options.as_of);
  if (!stored.ok()) return stored.status();
  const int horizon = stored->run.horizon_days;
  const History& history = stored->history;
  if (options.as_of.days + horizon > history.last_day) {
    return Status::InvalidArgument(
        "the model's " + std::to_string(horizon) + "-day horizon after " +
            FormatDate(options.as_of) + " ends after the newest record, " +
            FormatDate(Date{history.last_day}) + ": who was lost is not known yet",
        "--as-of");
  }
  SnapshotRows rows = BuildSnapshot(history, {options.as_of.days, horizon, true});
  TENURE_RETURN_IF_ERROR(CheckBothOutcomes(rows, "back-test", options.as_of));
  const Scored scored = ScoreRows(stored->trees, stored->run.rounds, stored->platt, rows, nullptr);
  HealthBacktestReport report;
  report.as_of = options.as_of;
  report.run_id = stored->run.id;
  report.horizon_days = horizon;
  const std::vector<int> labels = IntLabels(rows.labels);
  const size_t n = rows.rows();
  std::vector<double> risk(n), recency(n);
  std::vector<int> health(n);
  for (size_t i = 0; i < n; ++i) {
    health[i] = HealthOf(scored.probability[i]);
    risk[i] = 100 - health[i];
    recency[i] = rows.values[i * rows.columns + feature::kRecencyDays];
  }
  report.customers = static_cast<int64_t>(n);
  report.auc = analytics::RocAuc(risk, labels);
  report.pr_auc = analytics::AveragePrecision(risk, labels);
  report.recency_auc = analytics::RocAuc(recency, labels);
  // The lowest-health tenth (ties broken by the model's probability, then
  // the row order).
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return health[a] != health[b] ? health[a] < health[b]
                                  : scored.probability[a] > scored.probability[b];
  });
  const size_t decile = std::max<size_t>(1, (n + 9) / 10);
  double revenue_all = 0, revenue_caught = 0, health_lost = 0, health_kept = 0;
  for (size_t rank = 0; rank < n; ++rank) {
    const size_t i = order[rank];
    report.mean_health += health[i];
    const double revenue = 100.0 * rows.values[i * rows.columns + feature::kSales365];
    if (labels[i] != 0) {
      ++report.lost;
      health_lost += health[i];
      revenue_all += revenue;
      if (rank < decile) {
        ++report.lost_in_lowest_decile;
        revenue_caught += revenue;
      }
    } else {
      health_kept += health[i];
    }
  }
  report.lowest_decile = static_cast<int64_t>(decile);
  report.mean_health /= static_cast<double>(n);
  report.mean_health_lost = health_lost / static_cast<double>(report.lost);
  report.mean_health_kept = health_kept / static_cast<double>(report.customers - report.lost);
  report.lost_share_in_lowest_decile =
      static_cast<double>(report.lost_in_lowest_decile) / static_cast<double>(report.lost);
  report.lost_revenue = static_cast<int64_t>(std::llround(revenue_all));
  report.lost_revenue_share_in_lowest_decile = revenue_all > 0 ? revenue_caught / revenue_all : 0;
  return report;
}

Result<std::optional<CustomerRisk>> LoadCustomerRisk(store::Database& db, int64_t customer_id) {
  auto stored = store::ReadCustomerRisk(db, customer_id);
  if (!stored.ok()) return stored.status();
  if (!*stored) return std::optional<CustomerRisk>();
  CustomerRisk risk;
  risk.probability = (*stored)->values.probability;
  risk.value_at_risk = (*stored)->values.value_at_risk;
  risk.health = (*stored)->values.health;
  risk.health_month_ago = (*stored)->values.health_month_ago;
  risk.horizon_days = (*stored)->horizon_days;
  risk.as_of = (*stored)->scored_as_of;
  for (const std::string& text : SplitList((*stored)->values.reasons, '\n')) {
    std::string_view line = text;
    size_t tab1 = line.find('\t');
    size_t tab2 = tab1 == std::string_view::npos ? tab1 : line.find('\t', tab1 + 1);
    if (tab2 == std::string_view::npos) {
      return Status::Corruption("customer_risk.reasons of customer " + std::to_string(customer_id) +
                                " is not code<TAB>points<TAB>text");
    }
    RiskReason reason;
    reason.code = std::string(line.substr(0, tab1));
    reason.points = std::atoi(std::string(line.substr(tab1 + 1, tab2 - tab1 - 1)).c_str());
    reason.text = std::string(line.substr(tab2 + 1));
    risk.reasons.push_back(std::move(reason));
  }
  auto history = store::ReadHealthHistory(db, customer_id);
  if (!history.ok()) return history.status();
  risk.history = std::move(*history);
  return std::optional<CustomerRisk>(std::move(risk));
}

}  // namespace tenure::engine::risk
