#include "engine/scoring.h"

#include <algorithm>
#include <cmath>
#include <span>
#include <vector>

#include "analytics/bgnbd.h"
#include "analytics/gamma_gamma.h"
#include "analytics/pareto_nbd.h"
#include "analytics/summary.h"
#include "common/parallel.h"
#include "common/stopwatch.h"
#include "store/customer_metrics.h"
#include "store/score_queries.h"

namespace tenure::engine {
namespace {

// The next purchase date is capped at as_of + 100 years: a customer whose
// posterior purchase rate is tiny gets a far date, not an overflow.
constexpr double kMaxNextPurchaseDays = 36500;

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
// mapping the dense customer index back to the customer id. The orders are
// read in customer order, so the index is assigned as customers appear.
struct OrderLog {
  std::vector<int64_t> ids;
  std::vector<int32_t> customer, day;
  std::vector<double> amount;
};

// Reads the orders of the customers with first_id <= id < end_id into `log`.
Status ReadOrderRange(store::Database& db, int64_t first_id, int64_t end_id, OrderLog& log) {
  return store::ScanOrderFactsInRange(
      db, first_id, end_id, [&](const store::OrderFact& fact) -> Status {
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
}

// Every customer's non-cancelled orders. SQLite steps one statement on one
// core (about 4 s for 10,000,000 orders), so the customers are split into id
// ranges, one per core, each read on a connection of its own (WAL lets them
// read beside each other and beside writers); the first range is read on
// `db`. Each connection reads its own snapshot: a write committed while
// they start may be in one range and not another, which a statistical
// snapshot can bear, and each customer is read whole by one of them.
Result<OrderLog> ReadOrders(store::Database& db) {
  auto first = store::QueryInt(db, "SELECT min(customer_id) FROM orders", 0);
  if (!first.ok()) return first.status();
  auto last = store::QueryInt(db, "SELECT max(customer_id) FROM orders", -1);
  if (!last.ok()) return last.status();
  const int64_t span = *last - *first + 1;
  // Fewer than about 100,000 customers are read faster than a connection opens.
  const size_t parts =
      span < 100000 ? 1 : std::min<size_t>(ParallelThreads(), static_cast<size_t>(span));
  std::vector<OrderLog> logs(parts);
  std::vector<Status> statuses(parts);
  ParallelFor(parts, 1, [&](size_t begin, size_t end, size_t) {
    for (size_t part = begin; part < end; ++part) {
      const int64_t from = *first + span * static_cast<int64_t>(part) / static_cast<int64_t>(parts);
      const int64_t to =
          *first + span * static_cast<int64_t>(part + 1) / static_cast<int64_t>(parts);
      if (part == 0) {
        statuses[part] = ReadOrderRange(db, from, to, logs[part]);
        continue;
      }
      store::OpenOptions open;
      open.create = false;
      auto reader = store::Database::OpenSqlite(db.path(), open);
      statuses[part] =
          reader.ok() ? ReadOrderRange(**reader, from, to, logs[part]) : reader.status();
    }
  });
  for (const Status& status : statuses) TENURE_RETURN_IF_ERROR(status);
  OrderLog log = std::move(logs[0]);
  for (size_t part = 1; part < parts; ++part) {
    const OrderLog& more = logs[part];
    const auto offset = static_cast<int32_t>(log.ids.size());
    log.ids.insert(log.ids.end(), more.ids.begin(), more.ids.end());
    for (int32_t c : more.customer) log.customer.push_back(c + offset);
    log.day.insert(log.day.end(), more.day.begin(), more.day.end());
    log.amount.insert(log.amount.end(), more.amount.begin(), more.amount.end());
  }
  return log;
}

// Fits the purchase model and records it in the report.
Status FitPurchaseModel(ScoreModel model, const analytics::CustomerSummary& s,
                        ScoreReport& report) {
  if (model == ScoreModel::kParetoNbd) {
    auto fit = analytics::FitParetoNbd(s.x, s.t_x, s.T);
    if (!fit.ok()) return fit.status().WithContext("fitting Pareto/NBD");
    report.params = {fit->params.r, fit->params.alpha, 0, 0, fit->params.s, fit->params.beta};
    report.log_likelihood = fit->log_likelihood;
    report.converged = fit->converged;
    return Status::Ok();
  }
  const auto variant = model == ScoreModel::kMbgNbd ? analytics::BgNbdVariant::kMbgNbd
                                                    : analytics::BgNbdVariant::kBgNbd;
  auto fit = analytics::FitBgNbd(variant, analytics::RecencyColumns{s.x, s.t_x, s.T});
  if (!fit.ok()) return fit.status().WithContext("fitting BG/NBD");
  report.params = {fit->params.r, fit->params.alpha, fit->params.a, fit->params.b, 0, 0};
  report.log_likelihood = fit->log_likelihood;
  report.converged = fit->converged;
  return Status::Ok();
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

// Horizons of the expectations, in the model's unit: 30, 90 and 365 days,
// then the ends of the CLV months 0, 1, ..., clv_months.
constexpr size_t kFirstMonth = 3;
std::vector<double> Horizons(const ScoreOptions& o) {
  std::vector<double> h{30 / o.days_per_unit, 90 / o.days_per_unit, 365 / o.days_per_unit};
  const double month = 365.0 / 12.0 / o.days_per_unit;
  for (int k = 0; k <= o.clv_months; ++k) h.push_back(k * month);
  return h;
}

}  // namespace

Result<ScoreReport> Score(store::Database& db, const ScoreOptions& options) {
  Stopwatch watch;
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
  report.read_seconds = watch.Lap();
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
  report.summary_seconds = watch.Lap();

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
  TENURE_RETURN_IF_ERROR(FitPurchaseModel(options.model, s, report));
  auto spend = FitSpend(spend_x, spend_m);
  if (!spend.ok()) return spend.status().WithContext("fitting Gamma-Gamma");
  report.spend_p = spend->params.p;
  report.spend_q = spend->params.q;
  report.spend_gamma = spend->params.gamma;
  report.spend_log_likelihood = spend->log_likelihood;
  report.spend_converged = spend->converged;
  report.spend_customers = spend->customers;
  report.fit_seconds = watch.Lap();

  const std::vector<double> horizons = Horizons(options);
  const PurchaseScores purchases =
      ScorePurchases(options.model, report.params, s.x, s.t_x, s.T, horizons);
  // CLV = expected spend * P(alive) * the discounted expected purchases given
  // alive; the last factor depends on (x, T) only.
  const double monthly_discount = std::pow(1 + options.annual_discount_rate, 1.0 / 12.0) - 1;
  const std::vector<double> discounted =
      DiscountedPurchasesIfAlive(purchases, kFirstMonth, options.clv_months, monthly_discount);
  report.score_seconds = watch.Lap();

  store::ScoreRun run;
  run.scored_at = options.scored_at.value_or(NowUtc());
  run.model = std::string(ScoreModelName(options.model));
  run.as_of = FormatDate(options.as_of);
  run.days_per_unit = options.days_per_unit;
  run.customers_scored = report.customers_scored;
  const bool pnbd = options.model == ScoreModel::kParetoNbd;
  const double none = std::nan("");
  const PurchaseModelParams& p = report.params;
  run.r = p.r;
  run.alpha = p.alpha;
  run.a = pnbd ? none : p.a;
  run.b = pnbd ? none : p.b;
  run.s = pnbd ? p.s : none;
  run.beta = pnbd ? p.beta : none;
  run.log_likelihood = report.log_likelihood;
  run.spend_p = report.spend_p;
  run.spend_q = report.spend_q;
  run.spend_gamma = report.spend_gamma;
  run.spend_log_likelihood = report.spend_log_likelihood;

  store::Transaction tx(db);
  TENURE_RETURN_IF_ERROR(tx.status());
  auto writer = store::ScoreWriter::Begin(db, run);
  if (!writer.ok()) return writer.status();
  store::ScoreValues values;
  for (size_t i = 0; i < s.customer.size(); ++i) {
    const int64_t id = log->ids[static_cast<size_t>(s.customer[i])];
    auto spend_per_purchase = analytics::ConditionalExpectedSpend(spend->params, s.x[i], s.m_x[i]);
    if (!spend_per_purchase.ok()) {
      return spend_per_purchase.status().WithContext("expected spend of customer id " +
                                                     std::to_string(id));
    }
    values.p_alive = purchases.p_alive[i];
    values.expected_purchases_30 = purchases.Expected(i, 0);
    values.expected_purchases_90 = purchases.Expected(i, 1);
    values.expected_purchases_365 = purchases.Expected(i, 2);
    const double clv = *spend_per_purchase * values.p_alive * discounted[purchases.group[i]];
    // Given alive, the purchase rate's posterior is Gamma(r + x, alpha + T)
    // in all three models; the next purchase is expected one mean
    // inter-purchase time 1 / E[lambda] = (alpha + T) / (r + x) after as_of.
    const double next_days =
        std::min(kMaxNextPurchaseDays, (p.alpha + s.T[i]) / (p.r + s.x[i]) * options.days_per_unit);
    for (double v : {values.p_alive, values.expected_purchases_30, values.expected_purchases_90,
                     values.expected_purchases_365, clv, next_days}) {
      if (!std::isfinite(v)) {
        return Status::Internal("scoring customer id " + std::to_string(id) +
                                ": the model gave a value that is not finite");
      }
    }
    values.clv = std::llround(clv);
    // No purchase in the next 90 days: gone, or alive without buying. Given
    // alive the purchase rate's posterior is Gamma(r + x, alpha + T), so
    // P(none in t | alive) = ((alpha + T) / (alpha + T + t))^(r + x): exact
    // for (M)BG/NBD, whose drop-out follows a purchase; for Pareto/NBD a
    // lower bound (dying within the window before buying is left out).
    const double t90 = 90 / options.days_per_unit;
    const double none_if_alive =
        std::pow((p.alpha + s.T[i]) / (p.alpha + s.T[i] + t90), p.r + s.x[i]);
    values.p_no_purchase_90 = 1 - values.p_alive * (1 - none_if_alive);
    values.model_next_purchase_date =
        FormatDate(Date{options.as_of.days + static_cast<int32_t>(std::lround(next_days))});
    TENURE_RETURN_IF_ERROR((*writer)->Write(id, values));
  }
  TENURE_RETURN_IF_ERROR((*writer)->Finish());
  TENURE_RETURN_IF_ERROR(tx.Commit());
  report.write_seconds = watch.Lap();
  report.seconds = watch.Total();
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
  out.p_no_purchase_90 = c.p_no_purchase_90;
  out.scored_at = c.scored_at;
  out.score_model = c.score_model;
  if (!c.as_of.empty()) {
    out.as_of = ParseIsoDate(c.as_of);
    if (!out.as_of) {
      return Status::Corruption("the score run of customer id " + std::to_string(customer_id) +
                                " has as_of '" + c.as_of + "' (expected YYYY-MM-DD)");
    }
  }
  return std::optional<CustomerScores>(std::move(out));
}

}  // namespace tenure::engine
