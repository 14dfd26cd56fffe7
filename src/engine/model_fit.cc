#include "engine/model_fit.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>

#include "analytics/pareto_nbd.h"
#include "analytics/sbg.h"
#include "analytics/summary.h"
#include "common/numbers.h"
#include "common/stopwatch.h"
#include "common/text.h"
#include "engine/import/csv.h"
#include "engine/purchase_scorer.h"

namespace tenure::engine {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kDaysPerMonth = 30.4375;  // 365.25 / 12
constexpr int kBins = 8;                   // x = 0..6 and 7+, as FHL (2005)

std::vector<ParamEstimate> Estimates(std::initializer_list<const char*> names,
                                     std::initializer_list<double> values,
                                     std::initializer_list<double> errors) {
  std::vector<ParamEstimate> out;
  auto v = values.begin();
  auto e = errors.begin();
  for (const char* name : names) out.push_back({name, *v++, *e++});
  return out;
}

// Per-frequency-bin means of actual and expected holdout purchases, as
// analytics::CompareBgNbdHoldout reports them for BG/NBD.
HoldoutResult BinHoldout(const analytics::CustomerSummary& s, const std::vector<double>& expected) {
  HoldoutResult out;
  out.length = s.holdout_length.empty() ? 0 : s.holdout_length[0];
  out.bins.resize(kBins);
  std::vector<double> actual_sum(kBins, 0), expected_sum(kBins, 0);
  for (size_t i = 0; i < s.x.size(); ++i) {
    const int bin = static_cast<int>(std::min(s.x[i], static_cast<double>(kBins - 1)));
    ++out.bins[bin].customers;
    actual_sum[bin] += s.holdout_x[i];
    expected_sum[bin] += expected[i];
    out.actual_total += s.holdout_x[i];
    out.expected_total += expected[i];
  }
  for (int k = 0; k < kBins; ++k) {
    analytics::HoldoutBin& bin = out.bins[k];
    bin.frequency = k;
    const double m = static_cast<double>(bin.customers);
    bin.actual_mean = bin.customers > 0 ? actual_sum[k] / m : kNaN;
    bin.expected_mean = bin.customers > 0 ? expected_sum[k] / m : kNaN;
  }
  return out;
}

// The purchase model of a fit as engine/purchase_scorer.h takes it.
ScoreModel ScoreModelOf(ModelKind kind) {
  return kind == ModelKind::kParetoNbd ? ScoreModel::kParetoNbd
         : kind == ModelKind::kMbgNbd  ? ScoreModel::kMbgNbd
                                       : ScoreModel::kBgNbd;
}

PurchaseModelParams ParamsOf(const ModelFitResult& fit, ModelKind kind) {
  const auto& v = fit.params;
  PurchaseModelParams params{v[0].value, v[1].value};
  const bool pnbd = kind == ModelKind::kParetoNbd;
  (pnbd ? params.s : params.a) = v[2].value;
  (pnbd ? params.beta : params.b) = v[3].value;
  return params;
}

// Fits BG/NBD, MBG/NBD or Pareto/NBD and, when the summary has a holdout
// period, compares the fit's expectations with it.
Result<ModelFitResult> FitPurchaseModel(const analytics::CustomerSummary& s, ModelKind kind) {
  ModelFitResult out;
  if (kind == ModelKind::kParetoNbd) {
    auto fit = analytics::FitParetoNbd(s.x, s.t_x, s.T);
    if (!fit.ok()) return fit.status();  // already says "Pareto/NBD fit"
    const auto &p = fit->params, &e = fit->std_errors;
    out.params = Estimates({"r", "alpha", "s", "beta"}, {p.r, p.alpha, p.s, p.beta},
                           {e.r, e.alpha, e.s, e.beta});
    out.log_likelihood = fit->log_likelihood;
    out.converged = fit->converged;
  } else {
    const auto variant = kind == ModelKind::kMbgNbd ? analytics::BgNbdVariant::kMbgNbd
                                                    : analytics::BgNbdVariant::kBgNbd;
    auto fit = analytics::FitBgNbd(variant, analytics::RecencyColumns{s.x, s.t_x, s.T});
    if (!fit.ok()) {
      return fit.status().WithContext(kind == ModelKind::kMbgNbd ? "MBG/NBD fit" : "BG/NBD fit");
    }
    const auto &p = fit->params, &e = fit->std_errors;
    out.params =
        Estimates({"r", "alpha", "a", "b"}, {p.r, p.alpha, p.a, p.b}, {e.r, e.alpha, e.a, e.b});
    out.log_likelihood = fit->log_likelihood;
    out.converged = fit->converged;
  }
  if (!s.holdout_x.empty()) {
    const double length[] = {s.holdout_length[0]};
    const PurchaseScores holdout =
        ScorePurchases(ScoreModelOf(kind), ParamsOf(out, kind), s.x, s.t_x, s.T, length);
    std::vector<double> expected(s.x.size());
    for (size_t i = 0; i < expected.size(); ++i) expected[i] = holdout.Expected(i, 0);
    out.holdout = BinHoldout(s, expected);
  }
  return out;
}

// The Gamma-Gamma fit needs a positive mean spend wherever x > 0; customers
// whose repeat purchases are all worth 0 (CDNOW has some) are left out of
// the fit by counting them as x = 0, which the likelihood skips. Returns
// the fit and how many were left out.
Result<analytics::GammaGammaFit> FitSpend(const analytics::CustomerSummary& s, int64_t& left_out) {
  std::vector<double> x = s.x;
  left_out = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    if (x[i] > 0 && !(s.m_x[i] > 0)) {
      x[i] = 0;
      ++left_out;
    }
  }
  auto fit = analytics::FitGammaGamma(x, s.m_x);
  if (!fit.ok()) return fit.status().WithContext("Gamma-Gamma fit");
  return fit;
}

}  // namespace

std::optional<ModelKind> ParseModelKind(std::string_view name) {
  for (ModelKind kind : {ModelKind::kBgNbd, ModelKind::kParetoNbd, ModelKind::kMbgNbd,
                         ModelKind::kGammaGamma, ModelKind::kSbg}) {
    if (ModelName(kind) == name) return kind;
  }
  return std::nullopt;
}

std::string_view ModelName(ModelKind kind) {
  switch (kind) {
    case ModelKind::kBgNbd:
      return "bgnbd";
    case ModelKind::kParetoNbd:
      return "pnbd";
    case ModelKind::kMbgNbd:
      return "mbgnbd";
    case ModelKind::kGammaGamma:
      return "gg";
    case ModelKind::kSbg:
      return "sbg";
  }
  return "";
}

Result<ModelFitResult> FitTransactionModel(const TransactionLog& log,
                                           const ModelFitOptions& options) {
  if (options.model == ModelKind::kSbg) {
    return Status::InvalidArgument("sbg is fitted on survivor counts, not on transactions",
                                   "model");
  }
  if (!(options.days_per_unit > 0)) {
    return Status::InvalidArgument("must be positive", "--time-unit");
  }
  if (options.clv_months < 1) return Status::InvalidArgument("must be at least 1", "clv_months");
  if (!(options.monthly_discount > -1) || !std::isfinite(options.monthly_discount)) {
    return Status::InvalidArgument("must be a number above -1", "monthly_discount");
  }
  const Date calibration_end = options.calibration_end.value_or(log.last_date);
  if (calibration_end < log.first_date) {
    return Status::InvalidArgument(FormatDate(calibration_end) +
                                       " is before the first transaction (" +
                                       FormatDate(log.first_date) + ")",
                                   "--calibration-end");
  }
  Stopwatch watch;
  analytics::SummaryOptions summary_options;
  summary_options.calibration_end_day = calibration_end.days;
  summary_options.days_per_unit = options.days_per_unit;
  auto summary =
      analytics::SummarizeTransactions({log.customer, log.day, log.amount}, summary_options);
  if (!summary.ok()) return summary.status();
  const analytics::CustomerSummary& s = *summary;
  const double summary_seconds = watch.Lap();

  ModelFitResult out;
  if (options.model == ModelKind::kGammaGamma) {
    if (!log.has_amount) {
      return Status::InvalidArgument("gg needs an amount column; name it with --amount-col",
                                     "--amount-col");
    }
    auto fit = FitSpend(s, out.spend_left_out);
    if (!fit.ok()) return fit.status();
    const auto &p = fit->params, &e = fit->std_errors;
    out.params = Estimates({"p", "q", "gamma"}, {p.p, p.q, p.gamma}, {e.p, e.q, e.gamma});
    out.log_likelihood = fit->log_likelihood;
    out.converged = fit->converged;
    out.customers = fit->customers;
  } else {
    auto fit = FitPurchaseModel(s, options.model);
    if (!fit.ok()) return fit.status();
    out = std::move(*fit);
    out.customers = static_cast<int64_t>(s.x.size());
  }
  out.summary_seconds = summary_seconds;
  out.fit_seconds = watch.Lap();
  out.model = options.model;
  out.transactions = static_cast<int64_t>(log.day.size());
  out.customers_born_after_calibration = s.customers_born_after_calibration;
  out.first_date = log.first_date;
  out.calibration_end = calibration_end;
  out.last_date = log.last_date;
  out.days_per_unit = options.days_per_unit;
  out.horizon =
      options.horizon.value_or(out.holdout ? out.holdout->length : 52 * 7 / options.days_per_unit);
  if (!options.scores) return out;

  // The spend model for CLV (and the gg scores).
  std::optional<analytics::GammaGammaParams> spend;
  if (options.model == ModelKind::kGammaGamma) {
    spend =
        analytics::GammaGammaParams{out.params[0].value, out.params[1].value, out.params[2].value};
  } else if (!log.has_amount) {
    out.clv_note = "no amount column, so no spend model and no CLV";
  } else if (auto gg = FitSpend(s, out.spend_left_out); !gg.ok()) {
    out.clv_note = "the Gamma-Gamma spend fit failed: " + gg.status().ToString();
  } else if (!(gg->params.q > 1)) {
    out.clv_note = "the Gamma-Gamma fit has q <= 1: mean spend does not exist";
  } else {
    spend = gg->params;
  }

  // Horizons: the score horizon, then the ends of the CLV months.
  const double month = kDaysPerMonth / options.days_per_unit;
  std::vector<double> horizons{out.horizon};
  for (int k = 0; k <= options.clv_months; ++k) horizons.push_back(k * month);
  std::optional<PurchaseScores> purchases;
  if (options.model != ModelKind::kGammaGamma) {
    purchases = ScorePurchases(ScoreModelOf(options.model), ParamsOf(out, options.model), s.x,
                               s.t_x, s.T, horizons);
  }

  // CLV = expected spend * P(alive) * the discounted expected purchases
  // given alive over the CLV months (horizons 1.., per (x, T) group).
  std::vector<double> discounted;
  if (purchases) {
    discounted =
        DiscountedPurchasesIfAlive(*purchases, 1, options.clv_months, options.monthly_discount);
  }
  out.scores.resize(s.x.size());
  for (size_t i = 0; i < s.x.size(); ++i) {
    CustomerScore& c = out.scores[i];
    c.customer = log.customer_ids[static_cast<size_t>(s.customer[i])];
    c.x = s.x[i];
    c.t_x = s.t_x[i];
    c.T = s.T[i];
    c.m_x = s.m_x[i];
    c.expected_spend = kNaN;
    c.clv = kNaN;
    c.p_alive = kNaN;
    c.expected_purchases = kNaN;
    if (spend) {
      auto m = analytics::ConditionalExpectedSpend(*spend, c.x, c.m_x);
      if (m.ok()) c.expected_spend = *m;
    }
    if (!purchases) continue;
    c.p_alive = purchases->p_alive[i];
    c.expected_purchases = purchases->Expected(i, 0);
    c.clv = c.expected_spend * c.p_alive * discounted[purchases->group[i]];
  }
  out.score_seconds = watch.Lap();
  return out;
}

Status WriteScoresCsv(const ModelFitResult& result, const std::string& path) {
  auto writer = CsvWriter::Create(path);
  if (!writer.ok()) return writer.status();
  const bool spend_only = result.model == ModelKind::kGammaGamma;
  if (spend_only) {
    (*writer)->Write(std::vector<std::string>{"customer", "x", "m_x", "expected_spend"});
  } else {
    (*writer)->Write(std::vector<std::string>{"customer", "x", "t_x", "T", "p_alive",
                                              "expected_purchases", "expected_spend", "clv"});
  }
  // Numbers are formatted into one buffer (shortest round-trip form, NaN as
  // an empty cell): a million rows are written without an allocation each.
  char buffer[7][32];
  std::vector<std::string_view> fields;
  auto number = [&](size_t k, double v) {
    if (std::isnan(v)) return std::string_view();
    auto [end, error] = std::to_chars(buffer[k], buffer[k] + sizeof buffer[k], v);
    return std::string_view(buffer[k], error == std::errc() ? end - buffer[k] : 0);
  };
  for (const CustomerScore& c : result.scores) {
    fields.clear();
    fields.push_back(c.customer);
    if (spend_only) {
      fields.insert(fields.end(), {number(0, c.x), number(1, c.m_x), number(2, c.expected_spend)});
    } else {
      fields.insert(fields.end(), {number(0, c.x), number(1, c.t_x), number(2, c.T),
                                   number(3, c.p_alive), number(4, c.expected_purchases),
                                   number(5, c.expected_spend), number(6, c.clv)});
    }
    (*writer)->Write(fields);
  }
  return (*writer)->Close();
}

Result<SbgModelResult> FitSbgCsv(const SurvivorsCsvOptions& options) {
  std::vector<std::string> header;
  auto reader_or = OpenCsvWithHeader(options.path, header);
  if (!reader_or.ok()) return reader_or.status();
  CsvReader& reader = **reader_or;
  auto col = FindCsvColumn(header, options.path, options.alive_column,
                           {"alive", "survivors", "active", "customers"}, "--alive-col", true);
  if (!col.ok()) return col.status();
  const std::string& name = header[*col];
  SbgModelResult out;
  std::vector<std::string_view> fields;
  while (true) {
    Result<bool> got = reader.Next(fields);
    if (!got.ok()) return got.status();
    if (!*got) break;
    if (fields.size() <= static_cast<size_t>(*col)) {
      return CsvCellError(reader, name, "missing (the row is too short)");
    }
    std::string_view text = Trim(fields[*col]);
    std::optional<double> value = ParseDecimal(text);
    if (!value) return CsvCellError(reader, name, "not a number '" + std::string(text) + "'");
    if (*value < 0) return CsvCellError(reader, name, "must not be negative");
    if (!out.alive.empty() && *value > out.alive.back()) {
      return CsvCellError(
          reader, name, "larger than the period before (" + FormatDecimal(out.alive.back()) + ")");
    }
    out.alive.push_back(*value);
  }
  if (out.alive.size() < 2) {
    return Status::InvalidArgument(options.path +
                                   ": needs the cohort size and at least one period after it");
  }
  const int periods = static_cast<int>(out.alive.size()) - 1;
  const int calibration = options.calibration_periods.value_or(periods);
  if (calibration < 1 || calibration > periods) {
    return Status::InvalidArgument(
        "must be between 1 and " + std::to_string(periods) + " (the periods in the file)",
        "--calibration-periods");
  }
  std::span<const double> fitted(out.alive.data(), static_cast<size_t>(calibration) + 1);
  auto fit = analytics::FitSbg(fitted);
  if (!fit.ok()) return fit.status();
  ModelFitResult& f = out.fit;
  f.model = ModelKind::kSbg;
  f.params = Estimates({"alpha", "beta"}, {fit->params.alpha, fit->params.beta},
                       {fit->std_errors.alpha, fit->std_errors.beta});
  f.log_likelihood = fit->log_likelihood;
  f.converged = fit->converged;
  f.customers = static_cast<int64_t>(std::llround(out.alive[0]));
  std::vector<double> expected =
      analytics::SbgExpectedSurvivors(fit->params, out.alive[0], periods);
  for (int t = calibration + 1; t <= periods; ++t) {
    out.holdout.push_back({t, out.alive[t], expected[t]});
  }
  return out;
}

Result<SurvivalReport> AnalyzeSurvivalCsv(const SurvivalCsvOptions& options) {
  std::vector<std::string> header;
  auto reader_or = OpenCsvWithHeader(options.path, header);
  if (!reader_or.ok()) return reader_or.status();
  CsvReader& reader = **reader_or;
  auto duration_col = FindCsvColumn(header, options.path, options.duration_column, {"duration"},
                                    "--duration-col", true);
  if (!duration_col.ok()) return duration_col.status();
  auto event_col =
      FindCsvColumn(header, options.path, options.event_column, {"event"}, "--event-col", true);
  if (!event_col.ok()) return event_col.status();
  int group_col = -1;
  if (!options.group_column.empty()) {
    auto g = FindCsvColumn(header, options.path, options.group_column, {}, "--by", true);
    if (!g.ok()) return g.status();
    group_col = *g;
  }
  const size_t needed = static_cast<size_t>(std::max({*duration_col, *event_col, group_col})) + 1;

  std::vector<double> durations;
  std::vector<int> events;
  std::vector<std::string> labels;  // per row, with a group column
  std::vector<std::string_view> fields;
  while (true) {
    Result<bool> got = NextCsvRow(reader, options.path, header.size(), needed, fields);
    if (!got.ok()) return got.status();
    if (!*got) break;
    std::string_view text = Trim(fields[*duration_col]);
    std::optional<double> d = ParseDecimal(text);
    if (!d || *d < 0) {
      return CsvCellError(reader, header[*duration_col],
                          "not a duration >= 0: '" + std::string(text) + "'");
    }
    std::string flag = NormalizeName(Trim(fields[*event_col]));
    int event;
    if (flag == "1" || flag == "true" || flag == "yes") {
      event = 1;
    } else if (flag == "0" || flag == "false" || flag == "no") {
      event = 0;
    } else {
      return CsvCellError(reader, header[*event_col],
                          "not an event flag '" + std::string(Trim(fields[*event_col])) +
                              "' (expected 1/0, true/false or yes/no)");
    }
    durations.push_back(*d);
    events.push_back(event);
    if (group_col >= 0) labels.emplace_back(Trim(fields[group_col]));
  }
  if (durations.empty())
    return Status::InvalidArgument(options.path + ": no rows after the header");

  SurvivalReport report;
  auto add_group = [&](std::string label, std::span<const double> d,
                       std::span<const int> e) -> Status {
    auto curve = analytics::KaplanMeier(d, e, options.confidence_level);
    if (!curve.ok()) return curve.status();
    SurvivalGroup& g = report.groups.emplace_back();
    g.label = std::move(label);
    g.curve = std::move(*curve);
    g.median = analytics::MedianSurvivalTime(g.curve);
    return Status::Ok();
  };
  if (group_col < 0) {
    TENURE_RETURN_IF_ERROR(add_group("all", durations, events));
    return report;
  }
  std::map<std::string, int> codes;  // label -> group code, ascending labels
  for (const std::string& label : labels) codes.emplace(label, 0);
  int next = 0;
  for (auto& [label, code] : codes) code = next++;
  std::vector<int> groups(labels.size());
  for (size_t i = 0; i < labels.size(); ++i) groups[i] = codes[labels[i]];
  for (const auto& [label, code] : codes) {
    std::vector<double> d;
    std::vector<int> e;
    for (size_t i = 0; i < groups.size(); ++i) {
      if (groups[i] != code) continue;
      d.push_back(durations[i]);
      e.push_back(events[i]);
    }
    TENURE_RETURN_IF_ERROR(add_group(label, d, e));
  }
  if (codes.size() >= 2) {
    auto test = analytics::LogRank(durations, events, groups);
    if (!test.ok()) return test.status();
    report.log_rank = std::move(*test);
  }
  return report;
}

}  // namespace tenure::engine
