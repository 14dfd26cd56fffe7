#include "analytics/summary.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <utility>

namespace tenure::analytics {
namespace {

std::string Row(size_t i) { return "row " + std::to_string(i + 1); }

// Appends one customer's row to the summary from that customer's purchases.
class RowBuilder {
 public:
  RowBuilder(int32_t calibration_end, int32_t holdout_end, double unit, bool has_holdout,
             CustomerSummary* out)
      : calibration_end_(calibration_end),
        holdout_end_(holdout_end),
        unit_(unit),
        holdout_length_(has_holdout ? (holdout_end - calibration_end) / unit : 0),
        has_holdout_(has_holdout),
        out_(out) {}

  // Adds `customer` from its purchases (day[i], amount[i]), in any order.
  void Add(int32_t customer, std::span<const int32_t> day, std::span<const double> amount) {
    if (!std::is_sorted(day.begin(), day.end())) {
      pairs_.clear();
      for (size_t i = 0; i < day.size(); ++i) pairs_.emplace_back(day[i], amount[i]);
      std::sort(pairs_.begin(), pairs_.end(),
                [](const auto& l, const auto& r) { return l.first < r.first; });
      sorted_day_.clear();
      sorted_amount_.clear();
      for (const auto& [d, a] : pairs_) {
        sorted_day_.push_back(d);
        sorted_amount_.push_back(a);
      }
      day = sorted_day_;
      amount = sorted_amount_;
    }
    const int32_t first = day[0];
    if (first > calibration_end_) {
      ++out_->customers_born_after_calibration;
      return;
    }
    // Walk the days, merging equal ones; the first day is the birth.
    const size_t count = day.size();
    int64_t repeats = 0, holdout_repeats = 0;
    int32_t last_calibration_day = first;
    double repeat_amount = 0;
    size_t i = 0;
    while (i < count && day[i] == first) ++i;
    while (i < count) {
      const int32_t today = day[i];
      double spent = 0;
      for (; i < count && day[i] == today; ++i) spent += amount[i];
      if (today <= calibration_end_) {
        ++repeats;
        last_calibration_day = today;
        repeat_amount += spent;
      } else if (today <= holdout_end_) {
        ++holdout_repeats;
      }
    }
    out_->customer.push_back(customer);
    out_->x.push_back(static_cast<double>(repeats));
    out_->t_x.push_back((last_calibration_day - first) / unit_);
    out_->T.push_back((calibration_end_ - first) / unit_);
    out_->m_x.push_back(repeats > 0 ? repeat_amount / static_cast<double>(repeats) : 0);
    if (has_holdout_) {
      out_->holdout_x.push_back(static_cast<double>(holdout_repeats));
      out_->holdout_length.push_back(holdout_length_);
    }
  }

 private:
  const int32_t calibration_end_, holdout_end_;
  const double unit_, holdout_length_;
  const bool has_holdout_;
  CustomerSummary* const out_;
  // Scratch for a customer whose purchases are not in day order; reused.
  std::vector<std::pair<int32_t, double>> pairs_;
  std::vector<int32_t> sorted_day_;
  std::vector<double> sorted_amount_;
};

}  // namespace

Result<CustomerSummary> SummarizeTransactions(const TransactionColumns& log,
                                              const SummaryOptions& options) {
  const size_t n = log.customer.size();
  if (n == 0) return Status::InvalidArgument("the transaction log is empty", "customer");
  if (log.day.size() != n) {
    return Status::InvalidArgument(
        "has " + std::to_string(log.day.size()) + " rows, customer has " + std::to_string(n),
        "day");
  }
  if (log.amount.size() != n) {
    return Status::InvalidArgument(
        "has " + std::to_string(log.amount.size()) + " rows, customer has " + std::to_string(n),
        "amount");
  }
  if (!(options.days_per_unit > 0) || !std::isfinite(options.days_per_unit)) {
    return Status::InvalidArgument("must be a positive number of days", "days_per_unit");
  }
  const int32_t calibration_end = options.calibration_end_day;
  if (options.holdout_end_day && *options.holdout_end_day <= calibration_end) {
    return Status::InvalidArgument("must be after calibration_end_day", "holdout_end_day");
  }

  if (n > std::numeric_limits<uint32_t>::max()) {
    return Status::InvalidArgument("more than 2^32 - 1 transactions", "customer");
  }

  // One pass to validate, to size the buckets and to see whether the log
  // is already grouped by customer (as an ORDER BY customer query gives).
  int32_t max_customer = 0;
  int32_t last_day = log.day[0];
  bool grouped = true;
  for (size_t i = 0; i < n; ++i) {
    if (log.customer[i] < 0) {
      return Status::InvalidArgument(Row(i) + ": customer index is negative", "customer");
    }
    if (!(log.amount[i] >= 0) || !std::isfinite(log.amount[i])) {
      return Status::InvalidArgument(Row(i) + ": amount must be a finite number >= 0", "amount");
    }
    if (i > 0 && log.customer[i] < log.customer[i - 1]) grouped = false;
    max_customer = std::max(max_customer, log.customer[i]);
    last_day = std::max(last_day, log.day[i]);
  }
  const int32_t holdout_end = options.holdout_end_day.value_or(last_day);
  const bool has_holdout = holdout_end > calibration_end;
  const size_t customers = static_cast<size_t>(max_customer) + 1;

  CustomerSummary out;
  for (auto* column : {&out.x, &out.t_x, &out.T, &out.m_x}) column->reserve(customers);
  out.customer.reserve(customers);
  if (has_holdout) {
    out.holdout_x.reserve(customers);
    out.holdout_length.reserve(customers);
  }
  RowBuilder rows(calibration_end, holdout_end, options.days_per_unit, has_holdout, &out);

  if (grouped) {
    for (size_t lo = 0, hi = 0; lo < n; lo = hi) {
      while (hi < n && log.customer[hi] == log.customer[lo]) ++hi;
      rows.Add(log.customer[lo], log.day.subspan(lo, hi - lo), log.amount.subspan(lo, hi - lo));
    }
    return out;
  }

  // Otherwise a stable counting sort by customer. One scatter to random
  // places in a large array is bound by cache and TLB misses, so it is done
  // in two: first by the customer's top 10 bits into at most 1024 runs,
  // then, run by run, into each customer's slot, where the writes stay
  // within one run's few hundred kilobytes.
  std::vector<uint32_t> start(customers + 1, 0);
  for (size_t i = 0; i < n; ++i) ++start[static_cast<size_t>(log.customer[i]) + 1];
  for (size_t c = 0; c < customers; ++c) start[c + 1] += start[c];
  const int shift =
      std::max(0, static_cast<int>(std::bit_width(static_cast<uint32_t>(max_customer))) - 10);
  std::vector<uint32_t> run_next(((customers - 1) >> shift) + 1);
  for (size_t h = 0; h < run_next.size(); ++h) run_next[h] = start[h << shift];
  struct Record {
    int32_t customer, day;
    double amount;
  };
  // Not value-initialised: every slot is written by the scatter.
  std::unique_ptr<Record[]> runs(new Record[n]);
  for (size_t i = 0; i < n; ++i) {
    const int32_t c = log.customer[i];
    runs[run_next[static_cast<size_t>(c) >> shift]++] = {c, log.day[i], log.amount[i]};
  }
  std::unique_ptr<int32_t[]> days(new int32_t[n]);
  std::unique_ptr<double[]> amounts(new double[n]);
  {
    std::vector<uint32_t> next(start.begin(), start.end() - 1);
    for (size_t i = 0; i < n; ++i) {
      const uint32_t at = next[static_cast<size_t>(runs[i].customer)]++;
      days[at] = runs[i].day;
      amounts[at] = runs[i].amount;
    }
  }
  runs.reset();
  for (size_t c = 0; c < customers; ++c) {
    const uint32_t lo = start[c], count = start[c + 1] - lo;
    if (count == 0) continue;
    rows.Add(static_cast<int32_t>(c), {days.get() + lo, count}, {amounts.get() + lo, count});
  }
  return out;
}

}  // namespace tenure::analytics
