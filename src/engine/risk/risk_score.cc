// `tenure risk score` and what reads its results: the latest trained model
// applied at a date (the probability, value at risk, health now and a month
// ago and the top three reasons of every active customer, written while
// the trees run), the health back-test, and one customer's stored risk.
#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <iterator>
#include <mutex>
#include <numeric>
#include <span>
#include <thread>

#include "analytics/classification.h"
#include "analytics/tree_ensemble.h"
#include "common/parallel.h"
#include "common/stopwatch.h"
#include "common/text.h"
#include "engine/risk/features.h"
#include "engine/risk/history.h"
#include "engine/risk/risk_model.h"
#include "engine/risk/snapshots.h"
#include "store/risk_queries.h"

namespace tenure::engine::risk {

namespace {

// Per row of `rows` rows of `columns` values: the calibrated probability
// and, with a grouping by reason, the contribution of each reason
// (log-odds), from the model's first `rounds` trees, on every core.
struct Scored {
  std::vector<double> probability;
  std::vector<float> by_reason;  // kReasonCount per row
};

Scored ScoreRows(const analytics::TreeEnsemble& trees, int rounds,
                 const analytics::PlattScaling& platt, const float* values, size_t rows,
                 size_t columns, const analytics::TreeEnsemble::Grouping* reasons) {
  Scored out;
  out.probability.resize(rows);
  if (reasons != nullptr) out.by_reason.assign(rows * kReasonCount, 0.0f);
  const double lowest = analytics::Logit(0), highest = analytics::Logit(1);  // the clamp of Logit
  ParallelFor(rows, 4096, [&](size_t begin, size_t end, size_t) {
    std::vector<double> margins(end - begin);
    trees.LogOddsBlock(values + begin * columns, end - begin, columns, rounds, margins, reasons,
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
  if (FeatureList(layout) != (*run)->features) {
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

  // The customers now and a month ago (the trend: the same model at as_of -
  // 30), each snapshot's purchase model fitted on its own thread, while the
  // stored CLVs are read: the connection is idle until the write.
  std::vector<int64_t> clv(history->size(), -1);  // by the customer's index; -1: none
  Status clv_read = Status::Ok();
  std::thread clv_reader([&] {
    // The rows come in customer id order, as the history's customers: one
    // walk finds each.
    size_t at = 0;
    const std::vector<CustomerInfo>& customers = history->customers;
    clv_read = store::ScanStoredClv(db, [&](int64_t customer, int64_t value) {
      while (at < customers.size() && customers[at].id < customer) ++at;
      if (at < customers.size() && customers[at].id == customer) clv[at] = value;
      return Status::Ok();
    });
  });
  SnapshotPlan before;
  std::thread month_ago([&] {
    before = PlanSnapshot(*history, {options.as_of.days - 30, horizon, false});
  });
  SnapshotPlan now = PlanSnapshot(*history, {options.as_of.days, horizon, false});
  // A customer marked lost is not scored (customer_risk holds none, 017).
  std::erase_if(now.customers, [&](uint32_t c) { return history->customers[c].marked_lost; });
  month_ago.join();
  // Only the customers scored now need their health a month ago.
  {
    std::vector<uint32_t> both;
    std::set_intersection(before.customers.begin(), before.customers.end(), now.customers.begin(),
                          now.customers.end(), std::back_inserter(both));
    before.customers = std::move(both);
  }
  clv_reader.join();
  TENURE_RETURN_IF_ERROR(clv_read);
  report.models_seconds = clock.Lap();

  auto by_reason = ByReason(*trees, layout);
  if (!by_reason.ok()) return by_reason.status();

  // The customers now, in chunks: both cores compute a chunk's features
  // (and first those a month ago of the same customers, for the trend),
  // walk the trees and put the reasons in words, while a writer thread
  // inserts the chunks before it, so the SQLite inserts run beside the
  // trees and one chunk's features are held at a time.
  report.as_of = options.as_of;
  report.run_id = run->id;
  report.horizon_days = horizon;
  store::Transaction tx(db);
  TENURE_RETURN_IF_ERROR(tx.status());
  constexpr size_t kChunk = 65536;
  const size_t rows = now.customers.size();
  const size_t chunks = (rows + kChunk - 1) / kChunk;
  std::vector<store::RiskValues> values(rows);
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
      for (size_t i = k * kChunk; i < std::min(rows, (k + 1) * kChunk); ++i) {
        written = (*w)->Write(history->customers[now.customers[i]].id, values[i]);
        if (!written.ok()) return;
        values[i] = {};  // written: its reasons' memory goes back
      }
    }
    written = (*w)->Finish();
  });
  std::vector<float> features(kChunk * now.columns);
  // By the customer's index in the history: the health a month ago (-1:
  // not in that snapshot).
  std::vector<int8_t> health_before(history->size(), -1);
  size_t next_before = 0;  // the first row of `before` not scored yet
  for (size_t k = 0; k < chunks; ++k) {
    const size_t from = k * kChunk, to = std::min(rows, from + kChunk);
    // Both plans list the customers by index: those a month ago up to this
    // chunk's last.
    const size_t before_end = static_cast<size_t>(
        std::upper_bound(before.customers.begin() + static_cast<std::ptrdiff_t>(next_before),
                         before.customers.end(), now.customers[to - 1]) -
        before.customers.begin());
    while (next_before < before_end) {
      const size_t end = std::min(before_end, next_before + kChunk);
      FillFeatures(*history, before, next_before, end, features);
      const Scored scored = ScoreRows(*trees, run->rounds, platt, features.data(),
                                      end - next_before, before.columns, nullptr);
      for (size_t i = next_before; i < end; ++i) {
        health_before[before.customers[i]] =
            static_cast<int8_t>(HealthOf(scored.probability[i - next_before]));
      }
      next_before = end;
    }
    FillFeatures(*history, now, from, to, features);
    const Scored scored =
        ScoreRows(*trees, run->rounds, platt, features.data(), to - from, now.columns, &*by_reason);
    ParallelFor(to - from, 4096, [&](size_t begin, size_t end, size_t) {
      for (size_t j = begin; j < end; ++j) {
        const uint32_t c = now.customers[from + j];
        const std::span<const float> f(features.data() + j * now.columns, now.columns);
        const std::span<const float> sums(scored.by_reason.data() + j * kReasonCount, kReasonCount);
        values[from + j] =
            RiskValuesOf(*history, c, f, scored.probability[j], sums, clv[c], health_before[c]);
      }
    });
    for (size_t i = from; i < to; ++i) {
      const store::RiskValues& v = values[i];
      ++report.customers_scored;
      report.likely_lost += v.probability >= 0.5 ? 1 : 0;
      report.mean_probability += v.probability;
      report.value_at_risk += v.value_at_risk;
    }
    {
      std::lock_guard<std::mutex> lock(mutex);
      ready = k + 1;
    }
    chunk_done.notify_one();
  }
  report.score_seconds = clock.Lap();
  writer.join();
  TENURE_RETURN_IF_ERROR(written);
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
  const Scored scored = ScoreRows(stored->trees, stored->run.rounds, stored->platt,
                                  rows.values.data(), rows.rows(), rows.columns, nullptr);
  HealthBacktestReport report;
  report.as_of = options.as_of;
  report.run_id = stored->run.id;
  report.horizon_days = horizon;
  const std::vector<int> labels = IntLabels(rows);
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
