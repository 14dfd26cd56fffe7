// Point-in-time training sets: the customers at a snapshot with their
// features (engine/risk/features.h) and, when the horizon after it is on
// record, their labels. The risk model trains on older monthly snapshots
// and is validated on newer ones, never on a random split over snapshots
// (the same customer a month apart would sit on both sides).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "analytics/boosted_trees.h"
#include "common/status.h"
#include "common/time.h"
#include "engine/risk/features.h"
#include "engine/risk/history.h"

namespace tenure::engine::risk {

// The last day of `date`'s month.
Date MonthEnd(Date date);
// The month end `months` months before `date`'s month end.
Date MonthEndBefore(Date date, int months);

// Rows of one or more snapshots: row i is customer[i] at day[i].
struct SnapshotRows {
  size_t columns = 0;
  std::vector<float> values;  // rows * columns
  std::vector<float> labels;  // 1 = lost within the horizon; empty when unlabelled
  std::vector<uint32_t> customer;
  std::vector<int32_t> day;
  size_t rows() const { return customer.size(); }
  analytics::FeatureMatrix matrix() const { return {values, rows(), columns}; }
  void Append(const SnapshotRows& other);
};

struct SnapshotSpec {
  int32_t day = 0;
  int horizon_days = 180;
  bool labelled = true;  // the horizon after `day` is on record
  // At most this many customers, an even random sample of the population
  // (seeded by `seed` and the day, so a run repeats).
  size_t max_rows = SIZE_MAX;
  uint64_t seed = 1;
};

// The customers in the population at spec.day (features.h InPopulation),
// sampled, with their features and labels. Uses every core for the
// features. The BG/NBD behind the purchase-model features is fitted at
// spec.day on the population (a sample of it).
SnapshotRows BuildSnapshot(const History& history, const SnapshotSpec& spec);

// A snapshot before its features: its customers (sampled as BuildSnapshot
// does) and the purchase model fitted at its day. Scoring computes the
// features a chunk of customers at a time (FillFeatures), so that the
// matrix of every customer is never held at once.
struct SnapshotPlan {
  int32_t day = 0;
  size_t columns = 0;
  std::vector<uint32_t> customers;  // indexes in the history, ascending
  SnapshotModel model;
};
SnapshotPlan PlanSnapshot(const History& history, const SnapshotSpec& spec);
// The features of plan.customers[from, to) into `out` ((to - from) *
// plan.columns values, row by row), on every core.
void FillFeatures(const History& history, const SnapshotPlan& plan, size_t from, size_t to,
                  std::span<float> out);

// The rows' labels as 0/1 integers.
std::vector<int> IntLabels(const SnapshotRows& rows);
// kInvalidArgument when the `what` snapshot at `day` has no customer, or
// no customer lost, or only lost ones (a model needs both outcomes).
Status CheckBothOutcomes(const SnapshotRows& rows, std::string_view what, Date day);

}  // namespace tenure::engine::risk
