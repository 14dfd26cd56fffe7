// The risk model's features and labels at a snapshot (docs/risk.md).
//
// A snapshot is the end of a day s. A customer's features at s are computed
// from the rows of engine/risk/history.h dated on or before s only, so a row
// dated after s cannot change them (tests/engine/risk_features_test.cc). The
// label is "lost within the next H days": a churn event recording the loss,
// a contract ending without a renewal, or no order, in (s, s + H].
//
// Each feature belongs to one churn reason, which is how the model's
// per-customer contributions are grouped and explained.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/bgnbd.h"
#include "engine/risk/history.h"

namespace tenure::engine::risk {

enum class Reason : uint8_t {
  kPurchases,    // buying less or not at all: natural decline, needs not met
  kContact,      // nobody in touch, or contacts that went badly
  kComplaints,   // quality and service: complaints open, late or repeated
  kCredit,       // overdue invoices, a low credit rating
  kContract,     // a contract near its end
  kOwner,        // a new owner (the salesperson left)
  kCompetition,  // opportunities lost (price, a competitor)
  kSegment,      // classification: a group that leaves more often
};
inline constexpr size_t kReasonCount = 8;
// "purchases", "contact", "complaints", "credit", "contract", "owner",
// "competition", "segment": stored, never rename.
std::string_view ReasonCode(Reason reason);

// The columns of the feature matrix: names and the reason of each.
struct FeatureLayout {
  std::vector<std::string> names;
  std::vector<Reason> reasons;
  size_t size() const { return names.size(); }
};
// The fixed features, then one column per encoded classification value
// ("industry=Retail").
FeatureLayout LayoutOf(const History& history);
// The layout's names one per line, as a trained model stores them.
std::string FeatureList(const FeatureLayout& layout);
// The classification values a stored feature list encodes.
ClassValues ClassValuesOf(std::string_view feature_list);

// The purchase model a snapshot's P(alive) and expected purchases come from:
// BG/NBD fitted on the customers at that snapshot, in weeks.
struct SnapshotModel {
  int32_t day = 0;       // the snapshot s
  int horizon_days = 0;  // H
  analytics::BgNbdParams params;
  bool fitted = false;  // false: the purchase-model features are missing (NaN)
  // The expected purchases over H if alive, which depend on the customer's
  // (x, T) only, per distinct pair of the customers tabulated
  // (TabulateExpected), sorted: the costly 2F1 once per pair, not once per
  // customer (the 936,577 customers with an order by 2026-06-30 in the
  // 1,000,000 demo have 56,152 pairs). Others are computed when asked.
  struct Expected {
    double x = 0, T = 0;  // weeks
    double if_alive = 0;
  };
  std::vector<Expected> expected;
};

// Whether the customer counts at snapshot `day`: an order on or before it,
// and not lost at it (no churn event recording a loss that was not
// followed by a win-back on or before the day).
bool InPopulation(const History& history, size_t customer, int32_t day);

// "Lost within (day, day + horizon_days]" as described above.
bool LostWithin(const History& history, size_t customer, int32_t day, int horizon_days);

// Fits BG/NBD at `day` on up to `max_customers` of `customers` (in the
// population at that day; an even sample of them). fitted is false when it
// cannot be fitted (too few customers, no repeat purchase, no convergence).
SnapshotModel FitSnapshotModel(const History& history, std::span<const uint32_t> customers,
                               int32_t day, int horizon_days, size_t max_customers = 20000);

// Fills model.expected for `customers`, on every core (nothing when the
// model is not fitted).
void TabulateExpected(const History& history, std::span<const uint32_t> customers,
                      SnapshotModel& model);

// Writes the customer's features at the model's snapshot into `out`
// (LayoutOf(history).size() values; NaN = missing).
void ComputeFeatures(const History& history, size_t customer, const SnapshotModel& model,
                     std::span<float> out);

// The indexes of the fixed features the reason texts and the baselines read.
namespace feature {
inline constexpr size_t kRecencyDays = 0;
inline constexpr size_t kOrderDays = 1;
inline constexpr size_t kPurchaseCycle = 10;
inline constexpr size_t kExpectedPurchases = 13;
inline constexpr size_t kPNoPurchase = 14;
inline constexpr size_t kMeanOrderValue = 3;
inline constexpr size_t kSales365 = 7;
}  // namespace feature

// A sentence a salesperson understands for the customer's reason at the
// snapshot ("no order for 94 days, usually every 30"), from its features.
std::string ReasonText(const History& history, size_t customer, Reason reason,
                       std::span<const float> features);

}  // namespace tenure::engine::risk
