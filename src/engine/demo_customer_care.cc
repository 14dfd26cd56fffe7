// The demo customer's dealings with the company beyond buying: complaints,
// the owner's activities and follow-ups, opportunities and quotations,
// expenses, the recorded churn events and the handovers of its book.
#include <algorithm>
#include <bit>
#include <string>

#include "engine/demo_customer.h"

namespace tenure::engine::demo {

void CustomerSim::WriteComplaints() {
  for (const PlannedComplaint& p : complaints_) {
    using namespace complaint_col;
    const ComplaintCategory& category =
        p.demand ? kDemandCategories[p.category] : kComplaintCategories[p.category];
    Row& row = Add(Table::kComplaints);
    row[kCustomer] = local_;
    row[kContact] = first_contact_ + rng_.Int(0, contacts_ - 1);
    row[kKind] = static_cast<int64_t>(p.demand ? domain::ComplaintKind::kDemand
                                               : domain::ComplaintKind::kComplaint);
    SetText(row[kCategory], category.name);
    row[kSeverity] = p.severity;
    auto status = domain::ComplaintStatus::kOpen;
    if (p.resolved >= 0) {
      status = c_.now - p.resolved < 14 * kDay ? domain::ComplaintStatus::kResolved
                                               : domain::ComplaintStatus::kClosed;
    } else if (c_.now - p.opened > kDay && rng_.Chance(0.7)) {
      status = domain::ComplaintStatus::kInProgress;
    }
    row[kStatus] = static_cast<int64_t>(status);
    row[kAssignee] = p.assignee;
    row[kOpenedAt] = p.opened;
    if (p.resolved >= 0) {
      row[kResolvedAt] = p.resolved;
      row[kSatisfaction] = int64_t{p.satisfaction};
      SetText(row[kResolution], category.resolution);
    }
    SetText(row[kDescription], category.description);
  }
}

void CustomerSim::WriteActivities() {
  TableRows& table = chunk_[Table::kActivities];
  int64_t first = table.next();
  // The visit or meeting that won the customer (or entered the lead).
  WriteActivity(std::max(first_day_ - (lead_ ? 0 : RandomDay(1, 20)), c_.start.days - 30), false);
  // Contacts while the customer buys, thinned by the owner's attentiveness,
  // none in a quiet spell.
  struct Stretch {
    int32_t from, to;
  };
  Stretch stretches[] = {{first_day_, AliveEnd()},
                         {won_back_on_, won_back_on_ == kNever ? kNever : as_of_ + 1}};
  double rate = (lead_ ? 6.0 : level_->touches) * 1.2 / 365;
  for (const Stretch& s : stretches) {
    for (double t = s.from + rng_.Exponential(1 / rate); t < s.to;
         t += rng_.Exponential(1 / rate)) {
      int32_t day = static_cast<int32_t>(t);
      if (rng_.Chance(Attentiveness(day) / 1.2) && !Quiet(day)) WriteActivity(day, false);
    }
  }
  // Attempts to keep a customer who stopped buying.
  if (!lead_ && loss_.day <= as_of_) {
    int32_t until = std::min(loss_.day + 120, as_of_);
    for (int64_t n = rng_.Int(0, 2); n > 0; --n) WriteActivity(RandomDay(loss_.day, until), true);
  }
  // The customer's next step is planned: due in the past (overdue), today or this week.
  bool current = lead_ || loss_.day > as_of_ || won_back_on_ != kNever;
  if (current && table.next() > first && rng_.Chance(0.6)) {
    Row& last = table.rows[table.size - 1];
    using namespace activity_col;
    SetDate(last[kFollowUpOn], Date{std::max(last_activity_day_ + 1, as_of_ + RandomDay(-10, 6))});
    last[kFollowUpDone] = int64_t{0};
  }
}

void CustomerSim::WriteActivity(int32_t day, bool retention) {
  if (day > as_of_) return;
  using namespace activity_col;
  static constexpr double kOutcomes[] = {55, 12, 33};
  static constexpr double kRetentionOutcomes[] = {25, 5, 70};
  Row& row = Add(Table::kActivities);
  row[kCustomer] = local_;
  row[kContact] = first_contact_ + rng_.Int(0, contacts_ - 1);
  row[kUser] = HolderAt(day);
  row[kKind] = static_cast<int64_t>(rng_.Pick(kActivityKindWeights));
  row[kOccurredAt] = OfficeTime(day);
  row[kOutcome] = static_cast<int64_t>(rng_.Pick(retention ? kRetentionOutcomes : kOutcomes));
  if (rng_.Chance(0.3)) SetText(row[kNotes], rng_.OneOf(kActivityNotes));
  bool done = false;
  if (rng_.Chance(0.3)) {
    int32_t follow_up = day + RandomDay(2, 21);
    SetDate(row[kFollowUpOn], Date{follow_up});
    done = follow_up < as_of_ && rng_.Chance(0.85);
  }
  row[kFollowUpDone] = int64_t{done ? 1 : 0};
  last_activity_day_ = day;
}

void CustomerSim::WriteDeals() {
  if (lead_) {
    if (lead_stage_ >= static_cast<int64_t>(domain::LeadStage::kQualified)) {
      WriteDeal(RandomDay(first_day_, as_of_), lead_stage_);
    }
    return;
  }
  int32_t end = AliveEnd();
  int n = rng_.Poisson((end - first_day_) / 365.0 * level_->deals);
  for (int i = 0; i < n; ++i) WriteDeal(RandomDay(first_day_, end - 1), -1);
}

// An opportunity opened on `opened`; `stage` >= 0 forces an open one.
void CustomerSim::WriteDeal(int32_t opened, int64_t stage) {
  using namespace opportunity_col;
  using domain::LeadStage;
  int32_t cycle = RandomDay(20, 120);
  int32_t closed = kNever;
  if (stage < 0 && opened + cycle <= as_of_) {
    bool won = rng_.Chance(opened + cycle < loss_.day ? 0.5 : 0.15);
    stage = static_cast<int64_t>(won ? LeadStage::kWon : LeadStage::kLost);
    closed = std::clamp(opened + cycle + RandomDay(-10, 10), opened, as_of_);
  } else if (stage < 0) {
    stage = rng_.Int(1, 4);  // contacted .. negotiation
  }
  int64_t amount = std::lround(mean_spend_ * rng_.Uniform(3, 12)) * 100;
  int64_t owner = HolderAt(opened);
  int64_t local = chunk_[Table::kOpportunities].next();
  Row& row = Add(Table::kOpportunities);
  row[kCustomer] = local_;
  row[kOwner] = owner;
  SetText(row[kName],
          std::string(rng_.OneOf(kProducts)) + " " + std::to_string(ToCivil(Date{opened}).year));
  row[kStage] = stage;
  row[kAmount] = amount;
  SetDate(row[kOpenedOn], Date{opened});
  SetDate(row[kExpectedCloseOn], Date{opened + cycle});
  if (closed != kNever) SetDate(row[kClosedOn], Date{closed});
  if (stage == static_cast<int64_t>(LeadStage::kLost)) {
    SetText(row[kLostReason], rng_.OneOf(kLostDealReasons));
  }
  if (stage < static_cast<int64_t>(LeadStage::kProposal)) return;
  // Quotations from the proposal on; an earlier one is superseded by the last.
  int quotes = rng_.Chance(0.3) ? 2 : 1;
  int32_t last_day = std::min(closed == kNever ? opened + cycle : closed, as_of_);
  for (int q = 0; q < quotes; ++q) {
    int32_t quoted = RandomDay(opened, std::max(opened, last_day));
    int32_t valid_until = quoted + 30;
    auto status = domain::QuotationStatus::kRejected;
    if (q == quotes - 1) {
      if (stage == static_cast<int64_t>(LeadStage::kWon)) {
        status = domain::QuotationStatus::kAccepted;
      } else if (stage != static_cast<int64_t>(LeadStage::kLost)) {
        status = valid_until < as_of_ ? domain::QuotationStatus::kExpired
                 : rng_.Chance(0.1)   ? domain::QuotationStatus::kDraft
                                      : domain::QuotationStatus::kSent;
      }
    }
    Row& quote = Add(Table::kQuotations);
    quote[quotation_col::kCustomer] = local_;
    quote[quotation_col::kOpportunity] = local;
    quote[quotation_col::kUser] = owner;
    SetDate(quote[quotation_col::kQuotedOn], Date{quoted});
    quote[quotation_col::kAmount] = std::llround(amount * rng_.Uniform(0.9, 1.1));
    SetDate(quote[quotation_col::kValidUntil], Date{valid_until});
    quote[quotation_col::kStatus] = static_cast<int64_t>(status);
  }
}

void CustomerSim::WriteExpenses() {
  int32_t end = AliveEnd();
  int n = rng_.Poisson((end - first_day_) / 365.0 * level_->expenses);
  for (int i = 0; i < n; ++i) {
    using namespace expense_col;
    int32_t day = RandomDay(first_day_, end - 1);
    const ExpenseCategory& category = PickByWeight(rng_, kExpenseCategories);
    Row& row = Add(Table::kExpenses);
    row[kCustomer] = local_;
    row[kUser] = HolderAt(day);
    SetDate(row[kSpentOn], Date{day});
    row[kAmount] = std::llround(rng_.Uniform(category.min_amount, category.max_amount) * 100);
    SetText(row[kCategory], category.name);
  }
}

void CustomerSim::WriteChurnEvents() {
  using namespace churn_col;
  if (lost_on_ == kNever) return;
  Row& lost = Add(Table::kChurnEvents);
  lost[kCustomer] = local_;
  lost[kKind] = static_cast<int64_t>(domain::ChurnEventKind::kLost);
  SetDate(lost[kOccurredOn], Date{lost_on_});
  lost[kChurnType] = static_cast<int64_t>(loss_.type);
  std::string reasons;
  for (uint32_t r = 0; r < std::size(kReasonCodes); ++r) {
    if (loss_.reasons & (1u << r)) {
      if (!reasons.empty()) reasons += ';';
      reasons += kReasonCodes[r];
    }
  }
  SetText(lost[kReasons], reasons);
  chunk_.reason_links += std::popcount(loss_.reasons);
  if (loss_.reasons & Bit(kCompetitorOffer) || loss_.type == ChurnType::kCompetition) {
    SetText(lost[kCompetitor], rng_.OneOf(kCompetitors));
  }
  lost[kRecordedBy] = HolderAt(lost_on_);
  if (won_back_on_ == kNever) return;
  Row& back = Add(Table::kChurnEvents);
  back[kCustomer] = local_;
  back[kKind] = static_cast<int64_t>(domain::ChurnEventKind::kWonBack);
  SetDate(back[kOccurredOn], Date{won_back_on_});
  back[kRecordedBy] = HolderAt(won_back_on_);
}

void CustomerSim::WriteHandovers() {
  for (size_t h = 1; h < slot_->holders.size(); ++h) {
    int32_t day = slot_->holders[h].from.days;
    if (day <= first_day_ || day > as_of_) continue;
    using namespace handover_col;
    Row& row = Add(Table::kOwnershipChanges);
    row[kCustomer] = local_;
    row[kFromUser] = slot_->holders[h - 1].user;
    row[kToUser] = slot_->holders[h].user;
    row[kChangedAt] = OfficeTime(day);
    SetText(row[kReason], "salesperson left");
  }
}

void CustomerSim::Stamp() {
  int32_t edited = first_day_;
  for (size_t h = 1; h < slot_->holders.size(); ++h) {
    int32_t day = slot_->holders[h].from.days;
    if (day > first_day_ && day <= as_of_) edited = std::max(edited, day);
  }
  for (int32_t day : {lost_on_, won_back_on_}) {
    if (day != kNever && day <= as_of_) edited = std::max(edited, day);
  }
  Timestamp created = OfficeTime(first_day_);
  Timestamp updated = edited == first_day_ ? created : std::max(created, OfficeTime(edited));
  chunk_.stamps.emplace_back(created, updated);
}

}  // namespace tenure::engine::demo
