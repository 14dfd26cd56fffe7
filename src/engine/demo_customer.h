// Internals of the demo generator: the simulation of one customer's life,
// split over demo_customer.cc (profile, life plan, contracts, orders,
// invoices) and demo_customer_care.cc (complaints, activities, deals,
// expenses, churn events, handovers). See demo_customer.cc for the model.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/enums.h"
#include "engine/demo_catalog.h"
#include "engine/demo_model.h"

namespace tenure::engine::demo {

// Only demo*.cc include this header; the simulation uses these names throughout.
using domain::ChurnType;
using domain::Row;

inline constexpr int32_t kNever = INT32_MAX;  // a day that never comes
inline constexpr int kMaxOrders = 2000;       // per customer; keeps a rare Gamma tail in check
inline constexpr int64_t kHour = 3600;
inline constexpr int64_t kDay = 86400;

// Churn reason codes (the churn_reasons table) in alphabetical order, so a
// bit set of them joins into the canonical "a;b" form.
enum Reason : uint32_t {
  kCompetitorOffer,
  kCreditDefault,
  kEthics,
  kMissingFeatures,
  kNoContact,
  kOther,
  kPrice,
  kProductQuality,
  kRelocationClosure,
  kSalespersonLeft,
  kServiceAttitude,
  kSlowResponse,
};
inline constexpr std::string_view kReasonCodes[] = {
    "competitor_offer",
    "credit_default",
    "ethics",
    "missing_features",
    "no_contact",
    "other",
    "price",
    "product_quality",
    "relocation_closure",
    "salesperson_left",
    "service_attitude",
    "slow_response",
};
constexpr uint32_t Bit(Reason r) { return 1u << r; }

// Why and when a customer stops buying.
struct Loss {
  int32_t day = kNever;
  ChurnType type = ChurnType::kNatural;
  uint32_t reasons = 0;
};

// A stretch [from, to) in which the owner does not get in touch with the
// customer at all.
struct QuietSpell {
  int32_t from, to;
};

// A complaint or demand, planned before any row is written because a slow
// answer can end the customer's life (and with it the later complaints).
struct PlannedComplaint {
  int32_t day;
  Timestamp opened;
  Timestamp resolved;  // -1: not resolved
  bool demand;
  size_t category;
  int64_t severity;
  int64_t assignee;
  int satisfaction;  // 0: none
};

// A contract's days (cancelled: kNever when not), for linking orders to it.
struct ContractSpan {
  int32_t start, end, cancelled;
  int64_t local;  // position in the chunk's contracts
};

template <typename T, size_t N>
inline size_t PickIndexByWeight(Rng& rng, const T (&items)[N]) {
  double weights[N];
  for (size_t i = 0; i < N; ++i) weights[i] = items[i].weight;
  return rng.Pick(weights);
}
template <typename T, size_t N>
inline const T& PickByWeight(Rng& rng, const T (&items)[N]) {
  return items[PickIndexByWeight(rng, items)];
}

// A day number from a fractional one; far futures (a tiny dropout rate) become kNever.
inline int32_t ToDay(double day) { return day >= kNever ? kNever : static_cast<int32_t>(day); }

// One customer's life. Run() appends its rows to the chunk; every draw comes
// from the customer's own random stream in a fixed order, so the rows depend
// only on the company and the customer's index.
class CustomerSim {
 public:
  CustomerSim(const Company& company, int64_t index, Chunk& chunk)
      : c_(company), rng_(company.seed, static_cast<uint64_t>(index) + 1), chunk_(chunk) {
    local_ = chunk_[Table::kCustomers].next();
    as_of_ = c_.as_of.days;
  }

  void Run() {
    WriteProfile();
    if (!lead_) {
      PlanLife();
      FinishCustomer();
      WriteContacts();
      WriteContracts();
      WriteOrders();
      WriteComplaints();
    } else {
      FinishCustomer();
      WriteContacts();
    }
    WriteActivities();
    WriteDeals();
    if (!lead_) {
      WriteExpenses();
      WriteChurnEvents();
    }
    WriteHandovers();
    Stamp();
  }

 private:
  Row& Add(Table table) { return chunk_[table].Add(); }
  int64_t HolderAt(int32_t day) const { return slot_->HolderAt(Date{day}); }
  double Attentiveness(int32_t day) const {
    return c_.attentiveness[static_cast<size_t>(HolderAt(day))];
  }
  // When the customer stops buying; as_of + 1 when still buying.
  int32_t AliveEnd() const { return std::min(loss_.day, as_of_ + 1); }
  bool Lost() const { return lost_on_ != kNever && won_back_on_ == kNever; }
  int32_t RandomDay(int32_t from, int32_t to) { return static_cast<int32_t>(rng_.Int(from, to)); }
  // A time on `day` during office hours, never after `now`.
  Timestamp OfficeTime(int32_t day) {
    return StartOf(Date{day}) + rng_.Int(8 * kHour, 18 * kHour - 1);
  }
  void Consider(const Loss& loss) {
    if (loss.day < loss_.day) loss_ = loss;
  }

  void WriteProfile();
  // The customer row's created_at (its first day) and updated_at (its last
  // handover or change of status). Draws last, so the other rows do not
  // depend on it.
  void Stamp();
  void PlanLife();
  Loss BaseLoss(int32_t day);
  void PlanQuietSpells();
  bool Quiet(int32_t day) const {
    for (const QuietSpell& q : quiet_) {
      if (q.from <= day && day < q.to) return true;
    }
    return false;
  }
  void PlanComplaints();
  void FinishCustomer();
  void WriteContacts();
  void WriteContracts();
  void WriteOrders();
  void WriteOrder(int32_t day);
  void WriteInvoice(int64_t order, int64_t contract, int32_t issued, int64_t amount);
  void WriteComplaints();
  void WriteActivities();
  void WriteActivity(int32_t day, bool retention);
  void WriteDeals();
  void WriteDeal(int32_t opened, int64_t stage);
  void WriteExpenses();
  void WriteChurnEvents();
  void WriteHandovers();

  const Company& c_;
  Rng rng_;
  Chunk& chunk_;
  int64_t local_ = 0;
  int32_t as_of_ = 0;

  const Slot* slot_ = nullptr;
  const Level* level_ = nullptr;
  const Industry* industry_ = nullptr;
  const CustomerType* type_ = nullptr;
  size_t rating_ = 0;
  std::string domain_;
  bool lead_ = false;       // a lead or prospect: no orders yet
  int64_t status_ = 0;      // domain::CustomerStatus
  int64_t lead_stage_ = 0;  // domain::LeadStage
  int32_t first_day_ = 0;   // acquisition, or when a lead was entered
  double lambda_ = 0;       // orders per day
  double nu_ = 1;           // Gamma-Gamma spend rate
  double mean_spend_ = 0;   // expected spend per order, currency units
  double margin_ = 0.7;     // cost as a share of the amount
  double unit_price_ = 50;
  bool late_payer_ = false;
  int32_t default_day_ = kNever;  // stops paying from this day
  Loss loss_;
  int32_t lost_on_ = kNever;      // the loss recorded
  int32_t won_back_on_ = kNever;  // and won back
  std::vector<QuietSpell> quiet_;
  std::vector<PlannedComplaint> complaints_;
  std::vector<ContractSpan> contracts_;
  int64_t first_contact_ = 0;
  int64_t contacts_ = 0;
  int32_t last_activity_day_ = 0;  // of the activity written last
};

}  // namespace tenure::engine::demo
