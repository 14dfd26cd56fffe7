// The life of one demo customer, from acquisition to loss (and sometimes
// back), written as rows of every table.
//
// Purchases follow the Pareto/NBD story (Schmittlein, Morrison and Colombo
// 1987): while alive a customer orders as a Poisson process with rate
// lambda ~ Gamma(r, alpha), and stays alive for an exponential time with rate
// mu ~ Gamma(s, beta). Spend per order is Gamma-Gamma (Fader, Hardie and Lee
// 2005): amount ~ Gamma(p, nu) with nu ~ Gamma(q, gamma) per customer. On top
// of that base lifetime, what happens to the customer can end it sooner, and
// each cause leaves its churn type and reasons:
//  * a complaint resolved slowly or never -> negligence (slow_response, and
//    product_quality / service_attitude / missing_features by category);
//  * the salesperson leaving -> negligence or competition (salesperson_left);
//  * a default on invoices -> malicious (credit_default);
//  * months without a contact, against the customer's usual rhythm ->
//    negligence (no_contact);
//  * the base lifetime -> natural (relocation_closure), competition (price,
//    competitor_offer) or negligence (no_contact more often when the owner
//    rarely gets in touch).
// A loss is noticed and recorded some weeks after the last order, or not at
// all; some lost customers are won back and buy again.

#include "engine/demo_customer.h"

#include <algorithm>
#include <cstdio>
#include <string>

namespace tenure::engine::demo {

void CustomerSim::WriteProfile() {
  const Province& province = PickByWeight(rng_, kProvinces);
  const City& city = province.cities[static_cast<size_t>(
      rng_.Int(0, static_cast<int64_t>(province.cities.size()) - 1))];
  industry_ = &PickByWeight(rng_, kIndustries);
  const Industry& industry = *industry_;
  type_ = &PickByWeight(rng_, kTypes);
  level_ = &PickByWeight(rng_, kLevels);
  const Weighted& source = PickByWeight(rng_, kSources);
  rating_ = rng_.Pick(kRatingWeights);
  slot_ = &c_.slots[static_cast<size_t>(rng_.Int(0, static_cast<int64_t>(c_.slots.size()) - 1))];

  double kind = rng_.Uniform();
  const int32_t start = c_.start.days;
  if (kind < 0.035) {
    lead_ = true;
    status_ = static_cast<int64_t>(domain::CustomerStatus::kLead);
    lead_stage_ = rng_.Int(0, 2);  // new, contacted, qualified
  } else if (kind < 0.06) {
    lead_ = true;
    status_ = static_cast<int64_t>(domain::CustomerStatus::kProspect);
    lead_stage_ = rng_.Int(3, 4);  // proposal, negotiation
  } else {
    status_ = static_cast<int64_t>(domain::CustomerStatus::kActive);
    lead_stage_ = static_cast<int64_t>(domain::LeadStage::kWon);
  }
  // A growing company: acquisitions lean towards the end of the period.
  int32_t period = as_of_ - start;
  first_day_ =
      lead_ ? as_of_ - RandomDay(3, 200) : start + ToDay(period * std::pow(rng_.Uniform(), 0.85));

  std::string_view prefix = rng_.OneOf(kNamePrefixes);
  domain_ = Lower(prefix) + "-" + std::string(industry.slug) + ".example";
  Row& row = Add(Table::kCustomers);
  using namespace customer_col;
  SetText(row[kName], std::string(city.name) + " " + std::string(prefix) + " " +
                          std::string(industry.word) + " " +
                          std::string(rng_.OneOf(kNameSuffixes)));
  SetText(row[kType], type_->name);
  SetText(row[kIndustry], industry.name);
  SetText(row[kLevel], level_->name);
  SetText(row[kSource], source.name);
  SetText(row[kProvince], province.name);
  SetText(row[kCity], city.name);
  char text[96];
  std::snprintf(text, sizeof text, "No. %d %s Road, %s", static_cast<int>(rng_.Int(1, 999)),
                std::string(rng_.OneOf(kStreets)).c_str(), std::string(city.name).c_str());
  SetText(row[kAddress], text);
  std::snprintf(text, sizeof text, "+86 %s %08d", std::string(city.area_code).c_str(),
                static_cast<int>(rng_.Int(20000000, 89999999)));
  SetText(row[kPhone], text);
  SetText(row[kEmail], "info@" + domain_);
  SetText(row[kWebsite], "www." + domain_);
  row[kOwner] = HolderAt(as_of_);
  row[kTeam] = slot_->team;
  // Limits in round thousands, in minor units.
  double limit = level_->credit_limit * rng_.Uniform(0.5, 1.5) * (rating_ >= 2 ? 0.5 : 1.0);
  row[kCreditLimit] = static_cast<int64_t>(std::lround(limit / 1000)) * 1000 * 100;
  row[kCreditRating] = static_cast<int64_t>(rating_);
  if (!lead_) SetDate(row[kAcquiredOn], Date{first_day_});
}

void CustomerSim::PlanLife() {
  // Pareto/NBD purchase and dropout rates, per year.
  double purchases_per_year = rng_.Gamma(1.3, 6.3) * level_->purchase_rate;
  lambda_ = purchases_per_year / 365.0;
  double dropout_per_year = rng_.Gamma(1.0, 0.3) * (rating_ == 3 ? 1.3 : 1.0);
  // Gamma-Gamma spend: E[amount] = p * gamma / (q - 1) for q > 1.
  constexpr double kP = 4, kQ = 3.5;
  double target = 150.0 * level_->spend * industry_->spend;
  double gamma = target * (kQ - 1) / kP;
  nu_ = rng_.Gamma(kQ, 1.0 / gamma);
  mean_spend_ = kP / nu_;
  margin_ = rng_.Uniform(0.62, 0.78);
  unit_price_ = rng_.Uniform(5, 80);
  late_payer_ = rng_.Chance(kLatePayerOdds[rating_]);

  loss_ = BaseLoss(ToDay(first_day_ + rng_.Exponential(365.0 / dropout_per_year)));
  // The salesperson leaving: the customer follows them or drifts away.
  for (size_t h = 1; h < slot_->holders.size(); ++h) {
    int32_t left = slot_->holders[h].from.days;
    if (left <= first_day_ || left >= loss_.day || left > as_of_ || !rng_.Chance(0.35)) continue;
    Loss loss{left + RandomDay(20, 150), ChurnType::kNegligence, Bit(kSalespersonLeft)};
    if (rng_.Chance(0.3)) {
      loss.type = ChurnType::kCompetition;
      loss.reasons |= Bit(kCompetitorOffer);
    } else if (rng_.Chance(0.4)) {
      loss.reasons |= Bit(kNoContact);
    }
    Consider(loss);
  }
  // A default: invoices stop being paid, then orders stop.
  if (rng_.Chance(kDefaultOdds[rating_])) {
    int32_t day = first_day_ + RandomDay(90, 900);
    if (day < loss_.day && day <= as_of_) {
      default_day_ = day;
      Consider({day + RandomDay(20, 75), ChurnType::kMalicious, Bit(kCreditDefault)});
    }
  }
  PlanQuietSpells();
  PlanComplaints();
  if (default_day_ >= loss_.day) default_day_ = kNever;  // gone before it defaulted

  if (loss_.day <= as_of_) {
    bool malicious = loss_.type == ChurnType::kMalicious;
    int32_t noticed = loss_.day + (malicious ? RandomDay(15, 60) : RandomDay(30, 120));
    if (noticed <= as_of_ && rng_.Chance(0.9)) lost_on_ = noticed;
  }
  static constexpr double kWinBackOdds[] = {0.03, 0.0, 0.22, 0.15};  // by ChurnType
  if (lost_on_ != kNever && rng_.Chance(kWinBackOdds[static_cast<size_t>(loss_.type)])) {
    int32_t day = lost_on_ + RandomDay(30, 365);
    if (day <= as_of_) won_back_on_ = day;
  }
  if (Lost()) status_ = static_cast<int64_t>(domain::CustomerStatus::kLost);
}

Loss CustomerSim::BaseLoss(int32_t day) {
  double attentiveness = Attentiveness(std::min(day, as_of_));
  double weights[] = {0.25, 0.32 * type_->price_sensitivity, 0.43 * (1.6 - attentiveness)};
  Loss loss{day, ChurnType::kNatural, 0};
  switch (rng_.Pick(weights)) {
    case 0:
      loss.reasons = Bit(rng_.Chance(0.85) ? kRelocationClosure : kOther);
      break;
    case 1: {
      loss.type = ChurnType::kCompetition;
      double u = rng_.Uniform();
      loss.reasons = u < 0.45   ? Bit(kPrice)
                     : u < 0.75 ? Bit(kCompetitorOffer)
                                : Bit(kPrice) | Bit(kCompetitorOffer);
      break;
    }
    default: {
      loss.type = ChurnType::kNegligence;
      static constexpr Reason kCauses[] = {kNoContact,       kProductQuality, kMissingFeatures,
                                           kServiceAttitude, kSlowResponse,   kEthics};
      double causes[] = {std::max(0.1, 2.0 * (1.3 - attentiveness)), 1, 0.8, 0.6, 0.4, 0.15};
      loss.reasons = Bit(kCauses[rng_.Pick(causes)]);
      if (rng_.Chance(0.2)) loss.reasons |= Bit(kCauses[rng_.Pick(causes)]);
      break;
    }
  }
  return loss;
}

// Contact gaps: now and then the owner stops getting in touch for months,
// an inattentive owner more often. A customer used to hearing from the
// company notices the silence: the longer it lasts against the customer's
// usual gap between contacts, the likelier the customer leaves (negligence,
// no_contact), some time after the silence grew longer than usual.
void CustomerSim::PlanQuietSpells() {
  double t = first_day_;
  for (;;) {
    double attentiveness = Attentiveness(std::min(ToDay(t), as_of_));
    t += rng_.Exponential(365.0 / (0.3 * (1.6 - attentiveness)));
    if (t >= std::min(loss_.day, as_of_ + 1)) return;
    QuietSpell spell{static_cast<int32_t>(t), 0};
    spell.to = spell.from + RandomDay(60, 300);
    quiet_.push_back(spell);
    attentiveness = Attentiveness(std::min(spell.from, as_of_));
    double usual_gap = 365.0 / (level_->touches * attentiveness);
    double ratio = (spell.to - spell.from) / usual_gap;
    if (rng_.Chance(std::clamp(0.5 * (ratio - 1), 0.0, 0.7))) {
      int32_t noticed = spell.from + static_cast<int32_t>(1.2 * usual_gap);
      if (noticed < spell.to + 30) {
        Consider({RandomDay(noticed, spell.to + 30), ChurnType::kNegligence, Bit(kNoContact)});
      }
    }
    t = spell.to;
  }
}

void CustomerSim::PlanComplaints() {
  double per_year = rng_.Gamma(0.7, 0.45) * (level_->name == "A" ? 1.4 : 1.0);
  if (per_year < 1e-3) return;
  static constexpr double kSeverityWeights[] = {30, 40, 22, 8};
  static constexpr double kSeveritySpeed[] = {1.5, 1.0, 0.7, 0.4};  // resolution time factor
  double t = first_day_ + rng_.Exponential(365.0 / per_year);
  while (t < std::min(loss_.day, as_of_ + 1)) {
    PlannedComplaint p{};
    p.day = static_cast<int32_t>(t);
    p.opened = OfficeTime(p.day);
    p.demand = rng_.Chance(0.2);
    p.category = p.demand ? PickIndexByWeight(rng_, kDemandCategories)
                          : PickIndexByWeight(rng_, kComplaintCategories);
    p.severity = static_cast<int64_t>(rng_.Pick(kSeverityWeights));
    p.assignee = c_.service_agents[static_cast<size_t>(
        rng_.Int(0, static_cast<int64_t>(c_.service_agents.size()) - 1))];
    double hours = rng_.LogNormal(20, 1.0) * kSeveritySpeed[p.severity] *
                   c_.agent_speed[static_cast<size_t>(p.assignee)];
    if (rng_.Chance(0.08)) hours += rng_.Uniform(10, 60) * 24;  // forgotten in a queue
    bool never = rng_.Chance(0.04);
    p.resolved = never ? -1 : p.opened + static_cast<Timestamp>(hours * kHour);
    if (p.resolved > c_.now) p.resolved = -1;
    bool slow = never || hours > 240;
    if (p.resolved >= 0) {
      p.satisfaction = hours < 48    ? static_cast<int>(rng_.Int(4, 5))
                       : hours < 240 ? static_cast<int>(rng_.Int(3, 4))
                                     : static_cast<int>(rng_.Int(1, 2));
    }
    double odds = slow ? (p.severity >= 2 ? 0.45 : 0.3) : (p.satisfaction == 1 ? 0.05 : 0);
    if (rng_.Chance(odds)) {
      uint32_t reasons = Bit(kSlowResponse);
      std::string_view category =
          p.demand ? kDemandCategories[p.category].name : kComplaintCategories[p.category].name;
      if (p.demand) {
        reasons = Bit(kMissingFeatures) | (category == "customization" ? Bit(kSlowResponse) : 0);
      } else if (category == "product_quality") {
        reasons |= Bit(kProductQuality);
      } else if (category == "service") {
        reasons |= Bit(kServiceAttitude);
      }
      Consider({p.day + RandomDay(14, 90), ChurnType::kNegligence, reasons});
    }
    complaints_.push_back(p);
    t += rng_.Exponential(365.0 / per_year);
  }
  // A complaint-driven loss may come before later complaints were opened.
  while (!complaints_.empty() && complaints_.back().day >= loss_.day) complaints_.pop_back();
}

void CustomerSim::FinishCustomer() {
  Row& row = chunk_[Table::kCustomers].rows[static_cast<size_t>(local_)];
  row[customer_col::kStatus] = status_;
  row[customer_col::kLeadStage] = lead_stage_;
}

void CustomerSim::WriteContacts() {
  contacts_ = 1 + (rng_.Chance(0.45) ? 1 : 0) + (rng_.Chance(0.2) ? 1 : 0);
  first_contact_ = chunk_[Table::kContacts].next();
  for (int64_t i = 0; i < contacts_; ++i) {
    using namespace contact_col;
    std::string_view given = GivenName(rng_);
    std::string_view family = FamilyName(rng_);
    Row& row = Add(Table::kContacts);
    row[kCustomer] = local_;
    SetText(row[kName], std::string(family) + " " + std::string(given));
    SetText(row[kTitle], rng_.OneOf(kTitles));
    char text[48];
    std::snprintf(text, sizeof text, "+86 1%d%d %04d %04d", static_cast<int>(rng_.Int(3, 9)),
                  static_cast<int>(rng_.Int(0, 9)), static_cast<int>(rng_.Int(0, 9999)),
                  static_cast<int>(rng_.Int(0, 9999)));
    SetText(row[kMobile], text);
    if (rng_.Chance(0.6)) {
      SetText(row[kEmail], Lower(given) + "." + Lower(family) + "@" + domain_);
    }
    row[kIsPrimary] = int64_t{i == 0 ? 1 : 0};
    if (rng_.Chance(0.35)) SetDate(row[kBirthday], Date{RandomDay(-3650, 10950)});
  }
}

void CustomerSim::WriteContracts() {
  if (!rng_.Chance(level_->contract_odds)) return;
  int months = rng_.Chance(0.7) ? 12 : 24;
  double value = lambda_ * 365 * mean_spend_ * months / 12 * rng_.Uniform(0.8, 1.2);
  int64_t renewal_of = -1;
  int32_t start = first_day_;
  while (start <= as_of_) {
    using namespace contract_col;
    ContractSpan span{start, AddMonths(Date{start}, months).days - 1, kNever,
                      chunk_[Table::kContracts].next()};
    int32_t signed_on = start - RandomDay(0, 20);
    auto status = domain::ContractStatus::kActive;
    bool renew = false;
    if (loss_.day <= span.end && loss_.day <= as_of_ && rng_.Chance(0.65)) {
      status = domain::ContractStatus::kCancelled;
      span.cancelled = std::clamp(loss_.day + RandomDay(0, 45), signed_on, as_of_);
    } else if (span.end < as_of_) {
      status = domain::ContractStatus::kCompleted;
      renew = loss_.day > span.end && rng_.Chance(0.82);
    }
    Row& row = Add(Table::kContracts);
    row[kCustomer] = local_;
    row[kUser] = HolderAt(signed_on);
    SetDate(row[kSignedOn], Date{signed_on});
    SetDate(row[kStartDate], Date{span.start});
    SetDate(row[kEndDate], Date{span.end});
    int64_t cents = std::max<int64_t>(1000, std::lround(value / 100) * 100 * 100);
    row[kValue] = cents;
    row[kStatus] = static_cast<int64_t>(status);
    if (span.cancelled != kNever) SetDate(row[kCancelledOn], Date{span.cancelled});
    if (renewal_of >= 0) row[kRenewalOf] = renewal_of;
    contracts_.push_back(span);
    // Billed up front when it starts.
    WriteInvoice(-1, span.local, span.start, cents);
    if (!renew) break;
    renewal_of = span.local;
    start = span.end + 1;
  }
}

void CustomerSim::WriteOrders() {
  struct Segment {
    int32_t from, to;  // [from, to)
    double rate;
  };
  Segment segments[] = {
      {first_day_, AliveEnd(), lambda_},
      {won_back_on_, won_back_on_ == kNever ? kNever : as_of_ + 1, lambda_ * 0.8}};
  int orders = 0;
  for (const Segment& segment : segments) {
    // The first order opens the relationship (or its second start).
    for (double t = segment.from; t < segment.to && orders < kMaxOrders; ++orders) {
      WriteOrder(static_cast<int32_t>(t));
      t += rng_.Exponential(1.0 / segment.rate);
    }
  }
}

void CustomerSim::WriteOrder(int32_t day) {
  using namespace order_col;
  double spend = rng_.Gamma(4, 1.0 / nu_);
  int64_t amount = std::max<int64_t>(100, std::llround(spend * 100));
  double cost_share = std::clamp(margin_ + rng_.Uniform(-0.02, 0.02), 0.6, 0.8);
  auto status = domain::OrderStatus::kCompleted;
  if (rng_.Chance(0.015)) {
    status = domain::OrderStatus::kCancelled;
  } else if (day > as_of_ - 7 && rng_.Chance(0.5)) {
    status = domain::OrderStatus::kOpen;
  }
  int64_t local = chunk_[Table::kOrders].next();
  int64_t contract = -1;
  for (const ContractSpan& span : contracts_) {
    if (span.start <= day && day <= span.end && day < span.cancelled) contract = span.local;
  }
  Row& row = Add(Table::kOrders);
  row[kCustomer] = local_;
  row[kUser] = HolderAt(day);
  if (contract >= 0) row[kContract] = contract;
  SetDate(row[kDate], Date{day});
  row[kAmount] = amount;
  row[kCost] = std::llround(static_cast<double>(amount) * cost_share);
  row[kQuantity] = std::max(1.0, std::round(spend / unit_price_));
  row[kStatus] = static_cast<int64_t>(status);
  // Invoices for the last two years (longer than the risk model's training
  // snapshots reach back, docs/risk.md: an invoice older than that was paid
  // long before the oldest snapshot), and for a defaulter from before it
  // stopped paying.
  bool recent = day >= as_of_ - 730 || (default_day_ != kNever && day >= default_day_ - 120);
  if (status != domain::OrderStatus::kCancelled && recent) WriteInvoice(local, -1, day, amount);
}

void CustomerSim::WriteInvoice(int64_t order, int64_t contract, int32_t issued, int64_t amount) {
  using namespace invoice_col;
  int32_t terms = level_->payment_terms;
  int32_t due = issued + terms;
  int64_t paid = amount;
  int32_t paid_on;
  if (default_day_ != kNever && issued >= default_day_ - 30) {
    paid = rng_.Chance(0.2) ? std::llround(amount * rng_.Uniform(0.1, 0.5)) : 0;
    paid_on = issued + RandomDay(5, 40);
  } else if (late_payer_ && rng_.Chance(0.6)) {
    paid_on = due + RandomDay(1, 75);
  } else {
    paid_on = issued + RandomDay(0, terms);
  }
  if (paid_on > as_of_) paid = 0;
  Row& row = Add(Table::kInvoices);
  row[kCustomer] = local_;
  if (order >= 0) row[kOrder] = order;
  if (contract >= 0) row[kContract] = contract;
  SetDate(row[kIssuedOn], Date{issued});
  SetDate(row[kDueOn], Date{due});
  row[kAmount] = amount;
  row[kPaidAmount] = paid;
  if (paid > 0) SetDate(row[kPaidOn], Date{paid_on});
}

void GenerateCustomer(const Company& company, int64_t index, Chunk& chunk) {
  CustomerSim(company, index, chunk).Run();
}

}  // namespace tenure::engine::demo
