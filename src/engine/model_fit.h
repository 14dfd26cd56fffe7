// Model fits on plain CSV files, for analysts (`tenure model fit` and
// `tenure model survival`, docs/models.md): read a transaction log, a
// retention table or a durations file into the columns of src/analytics,
// fit a model, compare it with a holdout period and score every customer.
// No database is involved; everything here works on any CSV file.
//
// Functions are reentrant; nothing is shared between calls.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analytics/bgnbd.h"
#include "analytics/gamma_gamma.h"
#include "analytics/survival.h"
#include "common/status.h"
#include "common/time.h"
#include "engine/import/transaction_csv.h"

namespace tenure::engine {

// The models `tenure model fit` knows, by their command-line names.
enum class ModelKind {
  kBgNbd,       // "bgnbd": BG/NBD (Fader, Hardie & Lee 2005)
  kParetoNbd,   // "pnbd": Pareto/NBD (Schmittlein, Morrison & Colombo 1987)
  kMbgNbd,      // "mbgnbd": MBG/NBD (Batislam, Denizel & Filiztekin 2007)
  kGammaGamma,  // "gg": Gamma-Gamma spend (Fader, Hardie & Lee 2005, JMR)
  kSbg,         // "sbg": shifted-beta-geometric retention (Fader & Hardie 2007)
};

// "bgnbd" -> kBgNbd etc.; nullopt for an unknown name.
std::optional<ModelKind> ParseModelKind(std::string_view name);
std::string_view ModelName(ModelKind kind);

struct ModelFitOptions {
  ModelKind model = ModelKind::kBgNbd;
  // Last day of the calibration period; default: the last date in the log
  // (no holdout). Transactions after it form the holdout period, which runs
  // to the last date in the log.
  std::optional<Date> calibration_end;
  // Days per model time unit: 7 (weeks, the literature's unit for CDNOW) or
  // 1 (days).
  double days_per_unit = 7;
  // Compute per-customer scores (ModelFitResult::scores).
  bool scores = false;
  // Horizon of the expected purchases in the scores, in time units;
  // default: the holdout length when there is a holdout, otherwise 52 weeks
  // (52 units when the unit is a week, 364 when it is a day).
  std::optional<double> horizon;
  // CLV: Gamma-Gamma expected spend times the purchase model's expected
  // transactions per month (30.4375 days) for `clv_months` months, each
  // discounted by (1 + monthly_discount)^k, as lifetimes'
  // customer_lifetime_value (12 months at 1% a month by default).
  int clv_months = 12;
  double monthly_discount = 0.01;
};

// One estimated parameter, named as in the papers (r, alpha, a, b / r,
// alpha, s, beta / p, q, gamma / alpha, beta).
struct ParamEstimate {
  std::string name;
  double value = 0;
  double std_error = 0;  // NaN when the information matrix is singular
};

struct HoldoutResult {
  double length = 0;  // time units from the calibration end to the last date
  double actual_total = 0;
  double expected_total = 0;
  std::vector<analytics::HoldoutBin> bins;  // x = 0..6 and 7+
};

// One customer's scores (customers born by the calibration end).
struct CustomerScore {
  std::string customer;  // id as in the file
  double x = 0, t_x = 0, T = 0, m_x = 0;
  double p_alive = 0;
  double expected_purchases = 0;  // over ModelFitResult::horizon
  // Gamma-Gamma E[M | x, m_x] and CLV; NaN when there is no spend model
  // (no amount column, or the spend fit failed or has q <= 1).
  double expected_spend = 0;
  double clv = 0;
};

struct ModelFitResult {
  ModelKind model = ModelKind::kBgNbd;
  std::vector<ParamEstimate> params;
  double log_likelihood = 0;
  bool converged = true;
  int64_t customers = 0;  // rows the model was fitted on
  int64_t transactions = 0;
  int64_t customers_born_after_calibration = 0;
  Date first_date, calibration_end, last_date;
  double days_per_unit = 7;
  std::optional<HoldoutResult> holdout;  // purchase models with a holdout
  double horizon = 0;                    // of CustomerScore::expected_purchases
  std::vector<CustomerScore> scores;     // when options.scores
  // Customers with repeat purchases all worth 0, left out of the
  // Gamma-Gamma fit (gg, or the spend model of the CLV).
  int64_t spend_left_out = 0;
  // Why CLV is missing from the scores, when it is (empty otherwise).
  std::string clv_note;
  // Wall time of the phases: the summary, the fit (with the holdout
  // comparison) and the scores (with the spend fit).
  double summary_seconds = 0, fit_seconds = 0, score_seconds = 0;
};

// Summarises `log`, fits options.model (a purchase model or "gg"; not
// kSbg), compares with the holdout and scores. Errors: kInvalidArgument
// (field "--calibration-end") when no customer is born by the calibration
// end; those of analytics::SummarizeTransactions and of the fits.
Result<ModelFitResult> FitTransactionModel(const TransactionLog& log,
                                           const ModelFitOptions& options);

// Writes result.scores as CSV: customer,x,t_x,T,p_alive,expected_purchases
// (purchase models) or customer,x,m_x,expected_spend (gg), then
// expected_spend,clv; a NaN is written as an empty cell. Errors: kIoError.
Status WriteScoresCsv(const ModelFitResult& result, const std::string& path);

// The sBG input: one row per period 0..n in order, with the number of the
// cohort still active at the end of the period (row 0: the cohort's size).
struct SurvivorsCsvOptions {
  std::string path;
  // Header name of the counts; empty: the first of alive, survivors,
  // active, customers.
  std::string alive_column;
  // Fit on periods 1..calibration_periods only and compare the rest with the
  // projection; default: all periods.
  std::optional<int> calibration_periods;
};

struct SbgHoldoutRow {
  int period = 0;
  double actual = 0;
  double expected = 0;
};

struct SbgModelResult {
  ModelFitResult fit;  // params alpha, beta; no scores
  std::vector<double> alive;
  std::vector<SbgHoldoutRow> holdout;  // periods after calibration_periods
};

// Reads the counts and fits the sBG model. Errors: kInvalidArgument naming
// the file, line and column for a count that does not parse, is negative or
// larger than the one before; those of analytics::FitSbg.
Result<SbgModelResult> FitSbgCsv(const SurvivorsCsvOptions& options);

struct SurvivalCsvOptions {
  std::string path;
  std::string duration_column;  // required
  std::string event_column;     // required; 1/0, true/false, yes/no
  std::string group_column;     // optional: a curve per value and a log-rank test
  double confidence_level = 0.95;
};

struct SurvivalGroup {
  std::string label;  // the group's value; "all" without a group column
  analytics::SurvivalCurve curve;
  analytics::MedianSurvival median;
};

struct SurvivalReport {
  std::vector<SurvivalGroup> groups;                 // by label, ascending
  std::optional<analytics::LogRankResult> log_rank;  // with a group column
};

// Reads durations (and groups) and computes the Kaplan-Meier curves, their
// medians and the log-rank test. Errors: kInvalidArgument naming the file,
// line and column for a bad duration or event flag, field "--duration-col"
// etc. for a missing column; those of analytics::KaplanMeier and LogRank.
Result<SurvivalReport> AnalyzeSurvivalCsv(const SurvivalCsvOptions& options);

}  // namespace tenure::engine
