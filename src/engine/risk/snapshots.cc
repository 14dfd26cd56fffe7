#include "engine/risk/snapshots.h"

#include <algorithm>
#include <climits>
#include <random>
#include <string>

#include "common/parallel.h"

namespace tenure::engine::risk {

Date MonthEnd(Date date) {
  CivilParts civil = ToCivil(date);
  Date first = MakeDate(civil.year, civil.month, 1);
  return Date{AddMonths(first, 1).days - 1};
}

Date MonthEndBefore(Date date, int months) {
  CivilParts civil = ToCivil(date);
  Date first = MakeDate(civil.year, civil.month, 1);
  return Date{AddMonths(first, 1 - months).days - 1};
}

void SnapshotRows::Append(const SnapshotRows& other) {
  if (columns == 0) columns = other.columns;
  values.insert(values.end(), other.values.begin(), other.values.end());
  labels.insert(labels.end(), other.labels.begin(), other.labels.end());
  customer.insert(customer.end(), other.customer.begin(), other.customer.end());
  day.insert(day.end(), other.day.begin(), other.day.end());
}

SnapshotPlan PlanSnapshot(const History& history, const SnapshotSpec& spec) {
  SnapshotPlan plan;
  plan.day = spec.day;
  plan.columns = LayoutOf(history).size();
  std::vector<uint32_t>& population = plan.customers;
  for (size_t c = 0; c < history.size(); ++c) {
    if (InPopulation(history, c, spec.day)) population.push_back(static_cast<uint32_t>(c));
  }
  plan.model = FitSnapshotModel(history, population, spec.day, spec.horizon_days);
  if (population.size() > spec.max_rows) {
    std::mt19937_64 random(spec.seed * 0x9E3779B97F4A7C15ull ^ static_cast<uint64_t>(spec.day));
    // A partial Fisher-Yates shuffle picks max_rows, then id order again.
    for (size_t i = 0; i < spec.max_rows; ++i) {
      std::uniform_int_distribution<size_t> pick(i, population.size() - 1);
      std::swap(population[i], population[pick(random)]);
    }
    population.resize(spec.max_rows);
    std::sort(population.begin(), population.end());
  }
  TabulateExpected(history, population, plan.model);
  return plan;
}

void FillFeatures(const History& history, const SnapshotPlan& plan, size_t from, size_t to,
                  std::span<float> out) {
  ParallelFor(to - from, 2048, [&](size_t begin, size_t end, size_t) {
    for (size_t i = begin; i < end; ++i) {
      ComputeFeatures(history, plan.customers[from + i], plan.model,
                      out.subspan(i * plan.columns, plan.columns));
    }
  });
}

SnapshotRows BuildSnapshot(const History& history, const SnapshotSpec& spec) {
  SnapshotPlan plan = PlanSnapshot(history, spec);
  SnapshotRows out;
  out.columns = plan.columns;
  const size_t n = plan.customers.size();
  out.values.resize(n * out.columns);
  FillFeatures(history, plan, 0, n, out.values);
  if (spec.labelled) {
    out.labels.resize(n);
    ParallelFor(n, 2048, [&](size_t begin, size_t end, size_t) {
      for (size_t i = begin; i < end; ++i) {
        out.labels[i] = LostWithin(history, plan.customers[i], spec.day, spec.horizon_days) ? 1 : 0;
      }
    });
  }
  out.customer = std::move(plan.customers);
  out.day.assign(n, spec.day);
  return out;
}

std::vector<int> IntLabels(const SnapshotRows& rows) {
  std::vector<int> out(rows.labels.size());
  for (size_t i = 0; i < rows.labels.size(); ++i) out[i] = rows.labels[i] != 0 ? 1 : 0;
  return out;
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

}  // namespace tenure::engine::risk
