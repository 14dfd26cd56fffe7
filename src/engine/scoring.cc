#include "engine/scoring.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <span>
#include <unordered_map>
#include <vector>

#include "analytics/bgnbd.h"
#include "analytics/gamma_gamma.h"
#include "analytics/pareto_nbd.h"
#include "analytics/summary.h"
#include "store/customer_metrics.h"
#include "store/score_queries.h"

namespace tenure::engine {
namespace {

using analytics::BgNbdVariant;

// The next purchase date is capped at as_of + 100 years: a customer whose
// posterior purchase rate is tiny gets a far date, not an overflow.
constexpr double kMaxNextPurchaseDays = 36500;

// Everything about a customer that depends only on (x, t_x, T): customers who
// share those share it, so it is computed once per distinct triple.
struct PurchaseScores {
  double p_alive = 0;
  double expected_30 = 0, expected_90 = 0, expected_365 = 0;
  // CLV per unit of expected spend: the discounted expected purchases.
  double discounted_purchases = 0;
};

struct Triple {
  double x, t_x, T;
  bool operator==(const Triple&) const = default;
};
struct TripleHash {
  size_t operator()(const Triple& k) const {
    uint64_t bits[3];
    std::memcpy(&bits[0], &k.x, 8);
    std::memcpy(&bits[1], &k.t_x, 8);
    std::memcpy(&bits[2], &k.T, 8);
    uint64_t h = bits[0] * 0x9E3779B97F4A7C15ULL;
    h = (h ^ bits[1]) * 0xC2B2AE3D27D4EB4FULL;
    h = (h ^ bits[2]) * 0x165667B19E3779F9ULL;
    return static_cast<size_t>(h ^ (h >> 29));
  }
};

BgNbdVariant VariantOf(ScoreModel model) {
  return model == ScoreModel::kMbgNbd ? BgNbdVariant::kMbgNbd : BgNbdVariant::kBgNbd;
}

Status CheckOptions(const ScoreOptions& o) {
  if (!(o.days_per_unit > 0) || !std::isfinite(o.days_per_unit)) {
    return Status::InvalidArgument("must be a positive number of days", "days_per_unit");
  }
  if (o.clv_months < 1) return Status::InvalidArgument("must be at least 1", "clv_months");
  if (!(o.annual_discount_rate > -1) || !std::isfinite(o.annual_discount_rate)) {
    return Status::InvalidArgument("must be a number above -1", "annual_discount_rate");
  }
  return Status::Ok();
}

// The order log as the columns SummarizeTransactions reads, with `ids`
// mapping the dense customer index back to the customer id. ScanOrderFacts
// streams in customer order, so the index is assigned as customers appear.
struct OrderLog {
  std::vector<int64_t> ids;
  std::vector<int32_t> customer, day;
  std::vector<double> amount;
};

Result<OrderLog> ReadOrders(store::Database& db) {
  OrderLog log;
  Status status = store::ScanOrderFacts(
      db, store::CustomerSet{true, {}}, [&](const store::OrderFact& fact) -> Status {
        if (log.ids.empty() || log.ids.back() != fact.customer_id) {
          log.ids.push_back(fact.customer_id);
        }
        auto date = ParseIsoDate(fact.order_date);
        if (!date) {
          return Status::Corruption("an order of customer id " + std::to_string(fact.customer_id) +
                                    " has the date '" + std::string(fact.order_date) +
                                    "' (expected YYYY-MM-DD)");
        }
        log.customer.push_back(static_cast<int32_t>(log.ids.size() - 1));
        log.day.push_back(date->days);
        log.amount.push_back(static_cast<double>(fact.amount));
        return Status::Ok();
      });
  if (!status.ok()) return status;
  return log;
}

// The fitted purchase model and the per-customer quantities it gives.
class PurchaseModel {
 public:
  static Result<PurchaseModel> Fit(ScoreModel model, const analytics::CustomerSummary& s,
                                   ScoreReport& report) {
    PurchaseModel m;
    m.model_ = model;
    if (model == ScoreModel::kParetoNbd) {
      auto fit = analytics::FitParetoNbd(s.x, s.t_x, s.T);
      if (!fit.ok()) return fit.status().WithContext("fitting Pareto/NBD");
      m.pnbd_ = fit->params;
      report.params = {fit->params.r, fit->params.alpha, 0, 0, fit->params.s, fit->params.beta};
      report.log_likelihood = fit->log_likelihood;
      report.converged = fit->converged;
    } else {
      auto fit = analytics::FitBgNbd(VariantOf(model), analytics::RecencyColumns{s.x, s.t_x, s.T});
      if (!fit.ok()) return fit.status().WithContext("fitting BG/NBD");
      m.bgnbd_ = fit->params;
      report.params = {fit->params.r, fit->params.alpha, fit->params.a, fit->params.b, 0, 0};
      report.log_likelihood = fit->log_likelihood;
      report.converged = fit->converged;
    }
    return m;
  }

  // The purchase-rate prior Gamma(r, alpha), the same in all three models.
  double r() const { return model_ == ScoreModel::kParetoNbd ? pnbd_.r : bgnbd_.r; }
  double alpha() const { return model_ == ScoreModel::kParetoNbd ? pnbd_.alpha : bgnbd_.alpha; }

  // P(alive at T); NaN when the model cannot evaluate it.
  double ProbabilityAlive(double x, double t_x, double T) const {
    if (model_ != ScoreModel::kParetoNbd) {
      return analytics::BgNbdProbabilityAlive(VariantOf(model_), bgnbd_, x, t_x, T);
    }
    auto p = analytics::ParetoNbdProbabilityAlive(pnbd_, x, t_x, T);
    return p.ok() ? *p : std::nan("");
  }

  // E[Y(t) | x, t_x, T]; NaN when the model cannot evaluate it.
  double Expected(double t, double x, double t_x, double T) const {
    if (model_ != ScoreModel::kParetoNbd) {
      return analytics::BgNbdConditionalExpectedTransactions(VariantOf(model_), bgnbd_, t, x, t_x,
                                                             T);
    }
    auto e = analytics::ParetoNbdConditionalExpectedPurchases(pnbd_, t, x, t_x, T);
    return e.ok() ? *e : std::nan("");
  }

 private:
  ScoreModel model_ = ScoreModel::kBgNbd;
  analytics::BgNbdParams bgnbd_;
  analytics::ParetoNbdParams pnbd_;
};

Result<PurchaseScores> ScorePurchases(const PurchaseModel& model, const Triple& k,
                                      const ScoreOptions& o) {
  PurchaseScores p;
  const double unit = o.days_per_unit;
  p.p_alive = model.ProbabilityAlive(k.x, k.t_x, k.T);
  p.expected_30 = model.Expected(30 / unit, k.x, k.t_x, k.T);
  p.expected_90 = model.Expected(90 / unit, k.x, k.t_x, k.T);
  p.expected_365 = model.Expected(365 / unit, k.x, k.t_x, k.T);
  analytics::ClvOptions clv;
  clv.periods = o.clv_months;
  clv.period_length = 365.0 / 12.0 / unit;
  clv.discount_rate = std::pow(1 + o.annual_discount_rate, 1.0 / 12.0) - 1;
  // CLV is linear in the expected spend, so with a spend of 1 this is the
  // discounted expected number of purchases; CLV = spend * it.
  auto discounted = analytics::CustomerLifetimeValue(
      1.0, [&](double t) { return model.Expected(t, k.x, k.t_x, k.T); }, clv);
  if (!discounted.ok()) return discounted.status();
  p.discounted_purchases = *discounted;
  for (double v : {p.p_alive, p.expected_30, p.expected_90, p.expected_365}) {
    if (!std::isfinite(v)) return Status::Internal("the model gave a value that is not finite");
  }
  return p;
}

// Gamma-Gamma on mean spends in minor units. The optimiser starts from
// p = q = gamma = 1, far from a gamma in the thousands of minor units, and can
// fail there; the model is scale-equivariant (if every amount is divided by c,
// p and q stay and gamma is divided by c), so it is fitted on amounts divided
// by their mean and gamma is scaled back. The log-likelihood is that of the
// amounts in minor units.
Result<analytics::GammaGammaFit> FitSpend(std::span<const double> x, std::span<const double> m) {
  double scale = 0;
  for (double v : m) scale += v;
  scale /= static_cast<double>(m.size());
  std::vector<double> scaled(m.begin(), m.end());
  for (double& v : scaled) v /= scale;
  auto fit = analytics::FitGammaGamma(x, scaled);
  if (!fit.ok()) return fit.status();
  fit->params.gamma *= scale;
  fit->std_errors.gamma *= scale;
  auto ll = analytics::GammaGammaLogLikelihood(fit->params, x, m);
  if (!ll.ok()) return ll.status();
  fit->log_likelihood = *ll;
  return fit;
}

}  // namespace

std::string_view ScoreModelName(ScoreModel model) {
  switch (model) {
    case ScoreModel::kBgNbd:
      return "bgnbd";
    case ScoreModel::kMbgNbd:
      return "mbgnbd";
    case ScoreModel::kParetoNbd:
      return "pnbd";
  }
  return "bgnbd";
}

std::optional<ScoreModel> ParseScoreModel(std::string_view name) {
  for (ScoreModel m : {ScoreModel::kBgNbd, ScoreModel::kMbgNbd, ScoreModel::kParetoNbd}) {
    if (ScoreModelName(m) == name) return m;
  }
  return std::nullopt;
}

Result<ScoreReport> Score(store::Database& db, const ScoreOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  TENURE_RETURN_IF_ERROR(CheckOptions(options));
  ScoreReport report;
  report.as_of = options.as_of;
  report.model = options.model;
  report.days_per_unit = options.days_per_unit;
  auto customers = store::QueryInt(db, "SELECT count(*) FROM customers");
  if (!customers.ok()) return customers.status();
  report.customers = *customers;

  auto log = ReadOrders(db);
  if (!log.ok()) return log.status();
  const std::string no_orders =
      "no customer has an order on or before " + FormatDate(options.as_of) + ": nothing to fit";
  if (log->customer.empty()) return Status::InvalidArgument(no_orders, "as_of");
  analytics::SummaryOptions summary_options;
  summary_options.calibration_end_day = options.as_of.days;
  summary_options.days_per_unit = options.days_per_unit;
  auto summary = analytics::SummarizeTransactions(
      analytics::TransactionColumns{log->customer, log->day, log->amount}, summary_options);
  if (!summary.ok()) return summary.status();
  const analytics::CustomerSummary& s = *summary;
  if (s.customer.empty()) return Status::InvalidArgument(no_orders, "as_of");
  report.customers_scored = static_cast<int64_t>(s.customer.size());

  // Without a repeat purchase neither model can be fitted. Gamma-Gamma
  // needs a positive mean spend: repeat customers whose repeat
  // purchases were all free carry no information about spend and are left
  // out of the fit (they are still scored with their conditional spend).
  std::vector<double> spend_x, spend_m;
  for (size_t i = 0; i < s.x.size(); ++i) {
    if (s.x[i] > 0) ++report.repeat_customers;
    if (s.x[i] > 0 && s.m_x[i] > 0) {
      spend_x.push_back(s.x[i]);
      spend_m.push_back(s.m_x[i]);
    }
  }
  if (spend_x.empty()) {
    return Status::InvalidArgument(
        "no customer has a repeat purchase with a positive amount on or before " +
            FormatDate(options.as_of) + ": nothing to fit",
        "as_of");
  }
  auto model = PurchaseModel::Fit(options.model, s, report);
  if (!model.ok()) return model.status();
  auto spend = FitSpend(spend_x, spend_m);
  if (!spend.ok()) return spend.status().WithContext("fitting Gamma-Gamma");
  report.spend_p = spend->params.p;
  report.spend_q = spend->params.q;
  report.spend_gamma = spend->params.gamma;
  report.spend_log_likelihood = spend->log_likelihood;
  report.spend_converged = spend->converged;
  report.spend_customers = spend->customers;

  const Timestamp scored_at = options.scored_at.value_or(NowUtc());
  const std::string model_name(ScoreModelName(options.model));
  std::unordered_map<Triple, PurchaseScores, TripleHash> cache;
  cache.reserve(s.customer.size());

  store::Transaction tx(db);
  TENURE_RETURN_IF_ERROR(tx.status());
  TENURE_RETURN_IF_ERROR(store::ClearAllScores(db));
  auto writer = store::ScoreColumnsWriter::Create(db);
  if (!writer.ok()) return writer.status();
  for (size_t i = 0; i < s.customer.size(); ++i) {
    const int64_t id = log->ids[static_cast<size_t>(s.customer[i])];
    const Triple key{s.x[i], s.t_x[i], s.T[i]};
    auto cached = cache.find(key);
    if (cached == cache.end()) {
      auto scores = ScorePurchases(*model, key, options);
      if (!scores.ok()) {
        return scores.status().WithContext("scoring customer id " + std::to_string(id));
      }
      cached = cache.emplace(key, *scores).first;
    }
    const PurchaseScores& p = cached->second;
    auto spend_per_purchase = analytics::ConditionalExpectedSpend(spend->params, s.x[i], s.m_x[i]);
    if (!spend_per_purchase.ok()) {
      return spend_per_purchase.status().WithContext("expected spend of customer id " +
                                                     std::to_string(id));
    }
    const double clv = *spend_per_purchase * p.discounted_purchases;
    // Given alive, the purchase rate's posterior is Gamma(r + x, alpha + T)
    // in all three models; the next purchase is expected one mean
    // inter-purchase time 1 / E[lambda] = (alpha + T) / (r + x) after as_of.
    const double next_days =
        std::min(kMaxNextPurchaseDays,
                 (model->alpha() + s.T[i]) / (model->r() + s.x[i]) * options.days_per_unit);
    if (!std::isfinite(clv) || !std::isfinite(next_days)) {
      return Status::Internal("scoring customer id " + std::to_string(id) +
                              ": CLV or next purchase is not finite");
    }
    store::ScoreColumns columns;
    columns.p_alive = p.p_alive;
    columns.expected_purchases_30 = p.expected_30;
    columns.expected_purchases_90 = p.expected_90;
    columns.expected_purchases_365 = p.expected_365;
    columns.clv = std::llround(clv);
    columns.model_next_purchase_date =
        FormatDate(Date{options.as_of.days + static_cast<int32_t>(std::lround(next_days))});
    columns.scored_at = scored_at;
    columns.score_model = model_name;
    TENURE_RETURN_IF_ERROR((*writer)->Write(id, columns));
  }
  writer->reset();
  TENURE_RETURN_IF_ERROR(tx.Commit());
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

Result<std::optional<CustomerScores>> LoadScores(store::Database& db, int64_t customer_id) {
  auto stored = store::ReadCustomerScores(db, customer_id);
  if (!stored.ok()) return stored.status();
  if (!*stored) return std::optional<CustomerScores>();
  const store::ScoreColumns& c = **stored;
  auto date = ParseIsoDate(c.model_next_purchase_date);
  if (!date) {
    return Status::Corruption("customer id " + std::to_string(customer_id) +
                              " has model_next_purchase_date '" + c.model_next_purchase_date +
                              "' (expected YYYY-MM-DD)");
  }
  CustomerScores out;
  out.p_alive = c.p_alive;
  out.expected_purchases_30 = c.expected_purchases_30;
  out.expected_purchases_90 = c.expected_purchases_90;
  out.expected_purchases_365 = c.expected_purchases_365;
  out.clv = c.clv;
  out.model_next_purchase_date = *date;
  out.scored_at = c.scored_at;
  out.score_model = c.score_model;
  return std::optional<CustomerScores>(std::move(out));
}

}  // namespace tenure::engine
