#include "engine/risk/features.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "common/numbers.h"
#include "common/parallel.h"
#include "common/text.h"

namespace tenure::engine::risk {
namespace {

constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();
constexpr double kDaysPerUnit = 7;  // the purchase model's unit: weeks

struct FixedFeature {
  const char* name;
  Reason reason;
};

// In column order; the indexes in features.h's namespace feature must match.
constexpr FixedFeature kFixed[] = {
    {"recency_days", Reason::kPurchases},          // 0
    {"order_days", Reason::kPurchases},            // 1
    {"total_sales", Reason::kPurchases},           // 2
    {"mean_order_value", Reason::kPurchases},      // 3
    {"customer_age_days", Reason::kPurchases},     // 4
    {"orders_90", Reason::kPurchases},             // 5
    {"orders_365", Reason::kPurchases},            // 6
    {"sales_365", Reason::kPurchases},             // 7
    {"sales_trend", Reason::kPurchases},           // 8: log((last 180 d + 1) / (180 before + 1))
    {"orders_trend", Reason::kPurchases},          // 9: last 180 d - the 180 before
    {"purchase_cycle_days", Reason::kPurchases},   // 10
    {"cycles_since_order", Reason::kPurchases},    // 11: recency / cycle
    {"p_alive", Reason::kPurchases},               // 12
    {"expected_purchases", Reason::kPurchases},    // 13: over the horizon
    {"p_no_purchase", Reason::kPurchases},         // 14: over the horizon
    {"times_lost_before", Reason::kPurchases},     // 15
    {"days_since_contact", Reason::kContact},      // 16
    {"contacts_90", Reason::kContact},             // 17
    {"contacts_365", Reason::kContact},            // 18
    {"contact_cycle_days", Reason::kContact},      // 19
    {"contact_gap_ratio", Reason::kContact},       // 20
    {"unsuccessful_of_last_3", Reason::kContact},  // 21
    {"complaints_open", Reason::kComplaints},      // 22
    {"complaints_overdue", Reason::kComplaints},   // 23
    {"complaints_365", Reason::kComplaints},       // 24
    {"complaint_days_to_resolve", Reason::kComplaints},  // 25
    {"open_complaint_severity", Reason::kComplaints},    // 26
    {"overdue_amount", Reason::kCredit},                 // 27
    {"days_overdue", Reason::kCredit},                   // 28
    {"open_invoices_amount", Reason::kCredit},           // 29
    {"credit_rating", Reason::kCredit},                  // 30
    {"days_to_contract_end", Reason::kContract},         // 31
    {"current_contracts", Reason::kContract},            // 32
    {"days_since_owner_change", Reason::kOwner},         // 33
    {"lost_opportunities_180", Reason::kCompetition},    // 34
};
constexpr size_t kFixedCount = std::size(kFixed);

enum : size_t {
  kTotalSales = 2,
  kCustomerAge = 4,
  kOrders90 = 5,
  kOrders365 = 6,
  kSalesTrend = 8,
  kOrdersTrend = 9,
  kCyclesSince = 11,
  kPAlive = 12,
  kTimesLost = 15,
  kDaysSinceContact = 16,
  kContacts90 = 17,
  kContacts365 = 18,
  kContactCycle = 19,
  kContactGapRatio = 20,
  kUnsuccessful = 21,
  kComplaintsOpen = 22,
  kComplaintsOverdue = 23,
  kComplaints365 = 24,
  kDaysToResolve = 25,
  kOpenSeverity = 26,
  kOverdueAmount = 27,
  kDaysOverdue = 28,
  kOpenInvoices = 29,
  kCreditRating = 30,
  kDaysToContractEnd = 31,
  kCurrentContracts = 32,
  kDaysSinceOwnerChange = 33,
  kLostOpportunities = 34,
};
static_assert(kFixedCount == 35);

double Units(int64_t minor) { return static_cast<double>(minor) / 100.0; }

// (x, t_x, T) in weeks of the customer's orders on or before `day`; false
// without an order.
bool Recency(std::span<const OrderEvent> orders, int32_t day, double& x, double& t_x, double& T) {
  if (orders.empty()) return false;
  int distinct = 0;
  int32_t previous = INT32_MIN;
  for (const OrderEvent& o : orders) {
    if (o.day != previous) ++distinct;
    previous = o.day;
  }
  x = distinct - 1;
  t_x = (orders.back().day - orders.front().day) / kDaysPerUnit;
  T = (day - orders.front().day) / kDaysPerUnit;
  return true;
}

std::string Amount(double units) {
  return FormatMoney(static_cast<int64_t>(std::llround(units * 100)), 2);
}

}  // namespace

std::string_view ReasonCode(Reason reason) {
  switch (reason) {
    case Reason::kPurchases:
      return "purchases";
    case Reason::kContact:
      return "contact";
    case Reason::kComplaints:
      return "complaints";
    case Reason::kCredit:
      return "credit";
    case Reason::kContract:
      return "contract";
    case Reason::kOwner:
      return "owner";
    case Reason::kCompetition:
      return "competition";
    case Reason::kSegment:
      return "segment";
  }
  return "segment";
}

FeatureLayout LayoutOf(const History& history) {
  FeatureLayout layout;
  for (const FixedFeature& f : kFixed) {
    layout.names.emplace_back(f.name);
    layout.reasons.push_back(f.reason);
  }
  for (size_t k = 0; k < kClassColumns; ++k) {
    for (const std::string& value : history.class_values[k]) {
      layout.names.push_back(std::string(kClassColumnNames[k]) + "=" + value);
      layout.reasons.push_back(Reason::kSegment);
    }
  }
  return layout;
}

std::string FeatureList(const FeatureLayout& layout) {
  std::string out;
  for (const std::string& name : layout.names) out += name + "\n";
  return out;
}

ClassValues ClassValuesOf(std::string_view feature_list) {
  ClassValues values;
  for (const std::string& line : SplitList(feature_list, '\n')) {
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

bool InPopulation(const History& history, size_t customer, int32_t day) {
  std::span<const OrderEvent> orders = history.orders.Until(customer, day);
  if (orders.empty()) return false;
  std::span<const ChurnEvent> churn = history.churn.Until(customer, day);
  return churn.empty() || !churn.back().lost;
}

bool LostWithin(const History& history, size_t customer, int32_t day, int horizon_days) {
  const int32_t end = day + horizon_days;
  for (const ChurnEvent& e : history.churn.Of(customer)) {
    if (e.day > day && e.day <= end && e.lost) return true;
  }
  for (const ContractEvent& c : history.contracts.Of(customer)) {
    const int32_t stop = c.StopDay();
    if (stop > day && stop <= end && c.renewed_day > stop && c.start_day <= day) {
      return true;
    }
  }
  std::span<const OrderEvent> orders = history.orders.Of(customer);
  auto next = std::upper_bound(orders.begin(), orders.end(), day,
                               [](int32_t d, const OrderEvent& o) { return d < o.day; });
  return next == orders.end() || next->day > end;
}

SnapshotModel FitSnapshotModel(const History& history, std::span<const uint32_t> customers,
                               int32_t day, int horizon_days, size_t max_customers) {
  SnapshotModel model;
  model.day = day;
  model.horizon_days = horizon_days;
  std::vector<double> x, t_x, T;
  const size_t step = std::max<size_t>(1, customers.size() / std::max<size_t>(1, max_customers));
  bool repeat = false;
  for (size_t i = 0; i < customers.size(); i += step) {
    double cx, ctx, cT;
    if (!Recency(history.orders.Until(customers[i], day), day, cx, ctx, cT)) continue;
    x.push_back(cx);
    t_x.push_back(ctx);
    T.push_back(cT);
    repeat = repeat || cx > 0;
  }
  if (x.size() < 50 || !repeat) return model;
  auto fit = analytics::FitBgNbd(analytics::BgNbdVariant::kBgNbd, {x, t_x, T});
  if (!fit.ok()) return model;
  model.params = fit->params;
  model.fitted = true;
  return model;
}

namespace {

bool PairBefore(const SnapshotModel::Expected& a, const SnapshotModel::Expected& b) {
  return a.x != b.x ? a.x < b.x : a.T < b.T;
}

// Sorts the pairs and keeps one of each.
void SortDistinct(std::vector<SnapshotModel::Expected>& pairs) {
  std::sort(pairs.begin(), pairs.end(), PairBefore);
  pairs.erase(std::unique(pairs.begin(), pairs.end(),
                          [](const auto& a, const auto& b) { return a.x == b.x && a.T == b.T; }),
              pairs.end());
}

double ExpectedIfAlive(const SnapshotModel& model, double x, double T) {
  const SnapshotModel::Expected key{x, T, 0};
  auto it = std::lower_bound(model.expected.begin(), model.expected.end(), key, PairBefore);
  if (it != model.expected.end() && it->x == x && it->T == T) return it->if_alive;
  return analytics::BgNbdExpectedIfAlive(analytics::BgNbdVariant::kBgNbd, model.params,
                                         model.horizon_days / kDaysPerUnit, x, T);
}

}  // namespace

void TabulateExpected(const History& history, std::span<const uint32_t> customers,
                      SnapshotModel& model) {
  model.expected.clear();
  if (!model.fitted) return;
  // Each part's distinct pairs, then all of them.
  std::vector<std::vector<SnapshotModel::Expected>> parts(ParallelThreads());
  ParallelFor(customers.size(), 4096, [&](size_t begin, size_t end, size_t part) {
    std::vector<SnapshotModel::Expected>& pairs = parts[part];
    for (size_t i = begin; i < end; ++i) {
      double x, t_x, T;
      if (Recency(history.orders.Until(customers[i], model.day), model.day, x, t_x, T)) {
        pairs.push_back({x, T, 0});
      }
    }
    SortDistinct(pairs);
  });
  std::vector<SnapshotModel::Expected>& all = model.expected;
  for (const auto& part : parts) all.insert(all.end(), part.begin(), part.end());
  SortDistinct(all);
  const double t = model.horizon_days / kDaysPerUnit;
  ParallelFor(all.size(), 256, [&](size_t begin, size_t end, size_t) {
    for (size_t i = begin; i < end; ++i) {
      all[i].if_alive = analytics::BgNbdExpectedIfAlive(analytics::BgNbdVariant::kBgNbd,
                                                        model.params, t, all[i].x, all[i].T);
    }
  });
}

void ComputeFeatures(const History& history, size_t c, const SnapshotModel& model,
                     std::span<float> out) {
  std::fill(out.begin(), out.end(), kMissing);
  const int32_t s = model.day;
  auto set = [&](size_t k, double v) { out[k] = static_cast<float>(v); };

  // Purchases.
  std::span<const OrderEvent> orders = history.orders.Until(c, s);
  int64_t total = 0, sales_365 = 0, sales_recent = 0, sales_before = 0;
  int orders_90 = 0, orders_365 = 0, recent = 0, before = 0, days = 0;
  int32_t previous = INT32_MIN;
  for (const OrderEvent& o : orders) {
    total += o.amount;
    int32_t age = s - o.day;
    if (age < 90) ++orders_90;
    if (age < 365) {
      ++orders_365;
      sales_365 += o.amount;
    }
    if (age < 180) {
      ++recent;
      sales_recent += o.amount;
    } else if (age < 360) {
      ++before;
      sales_before += o.amount;
    }
    if (o.day != previous) ++days;
    previous = o.day;
  }
  set(kCustomerAge, s - history.customers[c].since_day);
  if (!orders.empty()) {
    const int32_t recency = s - orders.back().day;
    set(feature::kRecencyDays, recency);
    set(feature::kOrderDays, days);
    set(kTotalSales, Units(total));
    set(feature::kMeanOrderValue, Units(total) / static_cast<double>(orders.size()));
    set(kCustomerAge, s - std::min(history.customers[c].since_day, orders.front().day));
    set(kOrders90, orders_90);
    set(kOrders365, orders_365);
    set(feature::kSales365, Units(sales_365));
    set(kSalesTrend, std::log((Units(sales_recent) + 1) / (Units(sales_before) + 1)));
    set(kOrdersTrend, recent - before);
    if (days >= 2) {
      double cycle = static_cast<double>(orders.back().day - orders.front().day) / (days - 1);
      set(feature::kPurchaseCycle, cycle);
      set(kCyclesSince, recency / std::max(cycle, 1.0));
    }
    double x, t_x, T;
    if (model.fitted && Recency(orders, s, x, t_x, T)) {
      const auto variant = analytics::BgNbdVariant::kBgNbd;
      const double t = model.horizon_days / kDaysPerUnit;
      double alive = analytics::BgNbdProbabilityAlive(variant, model.params, x, t_x, T);
      // BgNbdConditionalExpectedTransactions, its costly factor tabulated.
      double expected = ExpectedIfAlive(model, x, T) * alive;
      const auto& p = model.params;
      double none_if_alive = std::pow((p.alpha + T) / (p.alpha + T + t), p.r + x);
      set(kPAlive, alive);
      set(feature::kExpectedPurchases, expected);
      set(feature::kPNoPurchase, 1 - alive * (1 - none_if_alive));
    }
  }
  int lost_before = 0;
  for (const ChurnEvent& e : history.churn.Until(c, s)) lost_before += e.lost ? 1 : 0;
  set(kTimesLost, lost_before);

  // Contacts.
  std::span<const ContactEvent> contacts = history.contacts.Until(c, s);
  if (!contacts.empty()) {
    int in_90 = 0, in_365 = 0;
    int32_t first_365 = kNever;
    for (const ContactEvent& e : contacts) {
      if (s - e.day < 90) ++in_90;
      if (s - e.day < 365) {
        ++in_365;
        first_365 = std::min(first_365, e.day);
      }
    }
    const int32_t since = s - contacts.back().day;
    set(kDaysSinceContact, since);
    set(kContacts90, in_90);
    set(kContacts365, in_365);
    // The usual gap: over the last year, else over the whole history.
    double cycle = kMissing;
    if (in_365 >= 2) {
      cycle = static_cast<double>(contacts.back().day - first_365) / (in_365 - 1);
    } else if (contacts.size() >= 2) {
      cycle = static_cast<double>(contacts.back().day - contacts.front().day) /
              static_cast<double>(contacts.size() - 1);
    }
    if (!std::isnan(cycle)) {
      set(kContactCycle, cycle);
      set(kContactGapRatio, since / std::max(cycle, 1.0));
    }
    int unsuccessful = 0;
    for (size_t i = contacts.size() > 3 ? contacts.size() - 3 : 0; i < contacts.size(); ++i) {
      unsuccessful += contacts[i].outcome == 2 ? 1 : 0;  // ActivityOutcome::kUnsuccessful
    }
    set(kUnsuccessful, unsuccessful);
  }

  // Complaints: open at s means not resolved on or before s.
  int open = 0, overdue = 0, in_year = 0, resolved = 0, severity = -1;
  double resolve_days = 0;
  for (const ComplaintEvent& e : history.complaints.Until(c, s)) {
    if (s - e.day < 365) ++in_year;
    if (e.resolved_day > s) {
      ++open;
      if (e.deadline_day < s) ++overdue;
      severity = std::max<int>(severity, e.severity);
    } else if (s - e.day < 365) {
      ++resolved;
      resolve_days += e.resolved_day - e.day;
    }
  }
  set(kComplaintsOpen, open);
  set(kComplaintsOverdue, overdue);
  set(kComplaints365, in_year);
  if (resolved > 0) set(kDaysToResolve, resolve_days / resolved);
  set(kOpenSeverity, severity);

  // Receivables: invoices issued on or before s and not paid by then.
  int64_t overdue_amount = 0, open_amount = 0;
  int32_t oldest_due = kNever;
  for (const InvoiceEvent& e : history.invoices.Until(c, s)) {
    if (e.paid_day <= s) continue;
    open_amount += e.amount;
    if (e.due_day < s) {
      overdue_amount += e.amount;
      oldest_due = std::min(oldest_due, e.due_day);
    }
  }
  set(kOverdueAmount, Units(overdue_amount));
  set(kOpenInvoices, Units(open_amount));
  set(kDaysOverdue, oldest_due == kNever ? 0 : s - oldest_due);
  if (history.customers[c].credit_rating >= 0)
    set(kCreditRating, history.customers[c].credit_rating);

  // Contracts signed on or before s and current at s, by what was known at
  // s: the planned end, unless the cancellation came before.
  int current = 0;
  int32_t next_end = kNever;
  for (const ContractEvent& e : history.contracts.Until(c, s)) {
    if (e.start_day <= s && e.end_day > s && e.cancelled_day > s) {
      ++current;
      if (e.renewed_day > s) next_end = std::min(next_end, e.end_day);
    }
  }
  set(kCurrentContracts, current);
  if (next_end != kNever) set(kDaysToContractEnd, next_end - s);

  std::span<const MarkEvent> owners = history.owner_changes.Until(c, s);
  if (!owners.empty()) set(kDaysSinceOwnerChange, s - owners.back().day);
  int lost = 0;
  for (const MarkEvent& e : history.lost_opportunities.Until(c, s)) lost += s - e.day < 180 ? 1 : 0;
  set(kLostOpportunities, lost);

  // Classification, one-hot.
  size_t column = kFixedCount;
  for (size_t k = 0; k < kClassColumns; ++k) {
    const int16_t code = history.customers[c].classes[k];
    for (size_t v = 0; v < history.class_values[k].size(); ++v, ++column) {
      out[column] = code == static_cast<int16_t>(v) ? 1.0f : 0.0f;
    }
  }
}

std::string ReasonText(const History& history, size_t c, Reason reason, std::span<const float> f) {
  auto value = [&](size_t k) { return static_cast<double>(f[k]); };
  auto whole = [&](size_t k) { return std::to_string(std::llround(value(k))); };
  char text[160];
  switch (reason) {
    case Reason::kPurchases: {
      if (std::isnan(value(feature::kRecencyDays))) return "no order yet";
      if (!std::isnan(value(feature::kPurchaseCycle))) {
        if (value(kOrdersTrend) < 0 &&
            value(feature::kRecencyDays) < value(feature::kPurchaseCycle)) {
          std::snprintf(text, sizeof text,
                        "buying less: %.0f fewer orders in the last 6 months than in the 6 before",
                        -value(kOrdersTrend));
          return text;
        }
        std::snprintf(text, sizeof text, "no order for %s days, usually every %s",
                      whole(feature::kRecencyDays).c_str(), whole(feature::kPurchaseCycle).c_str());
        return text;
      }
      std::snprintf(text, sizeof text, "one order so far, %s days ago",
                    whole(feature::kRecencyDays).c_str());
      return text;
    }
    case Reason::kContact: {
      if (std::isnan(value(kDaysSinceContact))) return "never contacted";
      if (value(kUnsuccessful) >= 2) {
        std::snprintf(text, sizeof text, "%s of the last 3 contacts unsuccessful",
                      whole(kUnsuccessful).c_str());
        return text;
      }
      if (!std::isnan(value(kContactCycle))) {
        std::snprintf(text, sizeof text, "no contact for %s days, usually every %s",
                      whole(kDaysSinceContact).c_str(), whole(kContactCycle).c_str());
      } else {
        std::snprintf(text, sizeof text, "no contact for %s days",
                      whole(kDaysSinceContact).c_str());
      }
      return text;
    }
    case Reason::kComplaints: {
      if (value(kComplaintsOpen) > 0) {
        std::snprintf(text, sizeof text, "%s complaint%s open, %s past the deadline",
                      whole(kComplaintsOpen).c_str(), value(kComplaintsOpen) == 1 ? "" : "s",
                      whole(kComplaintsOverdue).c_str());
      } else if (value(kComplaints365) > 0) {
        std::snprintf(
            text, sizeof text, "%s complaint%s in the last year%s", whole(kComplaints365).c_str(),
            value(kComplaints365) == 1 ? "" : "s",
            std::isnan(value(kDaysToResolve))
                ? ""
                : (", resolved in " + whole(kDaysToResolve) + " days on average").c_str());
      } else {
        return "no complaint lately";
      }
      return text;
    }
    case Reason::kCredit: {
      if (value(kOverdueAmount) > 0) {
        std::snprintf(text, sizeof text, "%s overdue, the oldest %s days past due",
                      Amount(value(kOverdueAmount)).c_str(), whole(kDaysOverdue).c_str());
        return text;
      }
      if (!std::isnan(value(kCreditRating))) {
        std::snprintf(text, sizeof text, "credit rating %c",
                      static_cast<char>('A' + std::llround(value(kCreditRating))));
        return text;
      }
      return "no overdue invoice";
    }
    case Reason::kContract: {
      if (!std::isnan(value(kDaysToContractEnd))) {
        std::snprintf(text, sizeof text, "contract ends in %s days, not renewed yet",
                      whole(kDaysToContractEnd).c_str());
        return text;
      }
      return value(kCurrentContracts) > 0 ? "contract renewed" : "no current contract";
    }
    case Reason::kOwner: {
      if (std::isnan(value(kDaysSinceOwnerChange))) return "same owner since the start";
      std::snprintf(text, sizeof text, "owner changed %s days ago",
                    whole(kDaysSinceOwnerChange).c_str());
      return text;
    }
    case Reason::kCompetition: {
      if (value(kLostOpportunities) > 0) {
        std::snprintf(text, sizeof text, "%s opportunit%s lost in the last 6 months",
                      whole(kLostOpportunities).c_str(),
                      value(kLostOpportunities) == 1 ? "y" : "ies");
        return text;
      }
      return "no opportunity lost lately";
    }
    case Reason::kSegment: {
      std::string out = "customers like this leave more often (";
      bool first = true;
      for (size_t k = 0; k < kClassColumns; ++k) {
        int16_t code = history.customers[c].classes[k];
        if (code < 0) continue;
        out += (first ? "" : ", ") + std::string(kClassColumnNames[k]) + " " +
               history.class_values[k][static_cast<size_t>(code)];
        first = false;
      }
      return first ? "customers like this leave more often" : out + ")";
    }
  }
  return std::string(ReasonCode(reason));
}

}  // namespace tenure::engine::risk
