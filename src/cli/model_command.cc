// `tenure model fit` and `tenure model survival`: the purchase, spend,
// retention and survival models on plain CSV files (docs/models.md). No
// database is needed. Parsing and formatting only; engine/model_fit does
// the work.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include "api/json_codec.h"
#include "cli/commands.h"
#include "cli/text_table.h"
#include "common/stopwatch.h"
#include "common/text.h"
#include "common/time.h"
#include "engine/model_fit.h"

namespace tenure::cli {
namespace {

using nlohmann::json;

struct FitArgs {
  std::string model;
  std::string transactions, customer_col, date_col, amount_col, date_format, calibration_end;
  std::string time_unit = "week";
  std::string scores;
  double horizon = 0;  // 0: the default (see engine::ModelFitOptions::horizon)
  std::string survivors, alive_col;
  int calibration_periods = 0;  // 0: all
  bool json = false;
};

struct SurvivalArgs {
  std::string durations, duration_col, event_col, by;
  double confidence = 0.95;
  bool json = false;
};

std::string_view Title(engine::ModelKind kind) {
  switch (kind) {
    case engine::ModelKind::kBgNbd:
      return "BG/NBD";
    case engine::ModelKind::kParetoNbd:
      return "Pareto/NBD";
    case engine::ModelKind::kMbgNbd:
      return "MBG/NBD";
    case engine::ModelKind::kGammaGamma:
      return "Gamma-Gamma";
    case engine::ModelKind::kSbg:
      return "sBG";
  }
  return "";
}

std::string Fixed(double v, int decimals) {
  return std::isfinite(v) ? fmt::format("{:.{}f}", v, decimals) : std::string("-");
}

json FitJson(const engine::ModelFitResult& r) {
  json params = json::object(), errors = json::object();
  for (const engine::ParamEstimate& p : r.params) {
    params[p.name] = api::NumberOrNull(p.value);
    errors[p.name] = api::NumberOrNull(p.std_error);
  }
  return {{"model", engine::ModelName(r.model)},
          {"params", params},
          {"std_errors", errors},
          {"log_likelihood", api::NumberOrNull(r.log_likelihood)},
          {"converged", r.converged},
          {"customers", r.customers}};
}

void PrintParams(const engine::ModelFitResult& r) {
  fmt::print("  {:<16} {:>12} {:>12}\n", "parameter", "estimate", "std. error");
  for (const engine::ParamEstimate& p : r.params) {
    fmt::print("  {:<16} {:>12.4f} {:>12}\n", p.name, p.value, Fixed(p.std_error, 4));
  }
  fmt::print("  {:<16} {:>12.2f}\n", "log-likelihood", r.log_likelihood);
  if (!r.converged) {
    fmt::print(
        "  warning: the fit did not converge (iteration limit, or a parameter at its bound); "
        "the estimates are not a maximum\n");
  }
}

int RunSbg(const FitArgs& args) {
  if (args.survivors.empty()) {
    return Fail(Status::InvalidArgument("sbg needs --survivors FILE.csv", "--survivors"));
  }
  engine::SurvivorsCsvOptions options{args.survivors, args.alive_col, std::nullopt};
  if (args.calibration_periods > 0) options.calibration_periods = args.calibration_periods;
  auto r = engine::FitSbgCsv(options);
  if (!r.ok()) return Fail(r.status());
  if (args.json) {
    json out = FitJson(r->fit);
    out["periods"] = static_cast<int>(r->alive.size()) - 1;
    if (!r->holdout.empty()) {
      json rows = json::array();
      double actual = 0, expected = 0;
      for (const engine::SbgHoldoutRow& row : r->holdout) {
        rows.push_back({{"period", row.period},
                        {"actual", api::NumberOrNull(row.actual)},
                        {"expected", api::NumberOrNull(row.expected)}});
        actual += row.actual;
        expected += row.expected;
      }
      out["holdout"] = {{"actual", actual}, {"expected", expected}, {"bins", rows}};
    }
    fmt::print("{}\n", api::JsonText(out, 2));
    return kExitOk;
  }
  fmt::print("sBG fit on {}: cohort of {}, {} periods\n", args.survivors,
             GroupThousands(r->fit.customers), r->alive.size() - 1);
  PrintParams(r->fit);
  if (!r->holdout.empty()) {
    fmt::print("Holdout (periods after calibration): still active\n");
    fmt::print("  {:>6} {:>12} {:>12}\n", "period", "actual", "expected");
    for (const engine::SbgHoldoutRow& row : r->holdout) {
      fmt::print("  {:>6} {:>12.1f} {:>12.1f}\n", row.period, row.actual, row.expected);
    }
  }
  return kExitOk;
}

int RunFit(const FitArgs& args) {
  std::optional<engine::ModelKind> kind = engine::ParseModelKind(args.model);
  if (!kind) {
    return Fail(Status::InvalidArgument(
        "unknown model '" + args.model + "'; one of: bgnbd, pnbd, mbgnbd, gg, sbg", "--model"));
  }
  if (*kind == engine::ModelKind::kSbg) return RunSbg(args);
  if (args.transactions.empty()) {
    return Fail(Status::InvalidArgument("needs --transactions FILE.csv", "--transactions"));
  }
  engine::ModelFitOptions options;
  options.model = *kind;
  if (args.time_unit == "week") {
    options.days_per_unit = 7;
  } else if (args.time_unit == "day") {
    options.days_per_unit = 1;
  } else {
    return Fail(
        Status::InvalidArgument("'" + args.time_unit + "' is not week or day", "--time-unit"));
  }
  if (!args.calibration_end.empty()) {
    options.calibration_end = ParseIsoDate(args.calibration_end);
    if (!options.calibration_end) {
      return Fail(Status::InvalidArgument(
          "not a date '" + args.calibration_end + "' (expected YYYY-MM-DD)", "--calibration-end"));
    }
  }
  if (args.horizon < 0) {
    return Fail(Status::InvalidArgument("must not be negative", "--horizon"));
  }
  if (args.horizon > 0) options.horizon = args.horizon;
  options.scores = !args.scores.empty();

  engine::TransactionCsvOptions csv;
  csv.path = args.transactions;
  csv.customer_column = args.customer_col;
  csv.date_column = args.date_col;
  csv.amount_column = args.amount_col;
  csv.amount_required = *kind == engine::ModelKind::kGammaGamma;
  csv.date_format = args.date_format;
  Stopwatch watch;
  auto log = engine::ReadTransactionCsv(csv);
  if (!log.ok()) return Fail(log.status());
  const double read_seconds = watch.Lap();
  auto r = engine::FitTransactionModel(*log, options);
  if (!r.ok()) return Fail(r.status());
  watch.Lap();
  if (options.scores) {
    Status written = engine::WriteScoresCsv(*r, args.scores);
    if (!written.ok()) return Fail(written);
  }
  const double write_seconds = watch.Lap();
  const double total_seconds = watch.Total();
  const std::string unit = args.time_unit + "s";

  if (args.json) {
    json out = FitJson(*r);
    out["transactions"] = r->transactions;
    out["first_date"] = FormatDate(r->first_date);
    out["calibration_end"] = FormatDate(r->calibration_end);
    out["last_date"] = FormatDate(r->last_date);
    out["time_unit"] = args.time_unit;
    out["customers_born_after_calibration"] = r->customers_born_after_calibration;
    out["spend_customers_left_out"] = r->spend_left_out;
    out["seconds"] = total_seconds;
    out["phase_seconds"] = {{"read", read_seconds},
                            {"summary", r->summary_seconds},
                            {"fit", r->fit_seconds},
                            {"score", r->score_seconds},
                            {"write", write_seconds}};
    if (r->holdout) {
      json bins = json::array();
      for (const analytics::HoldoutBin& b : r->holdout->bins) {
        bins.push_back({{"x", b.frequency},
                        {"label", b.frequency == 7 ? "7+" : std::to_string(b.frequency)},
                        {"customers", b.customers},
                        {"actual", api::NumberOrNull(b.actual_mean)},
                        {"expected", api::NumberOrNull(b.expected_mean)}});
      }
      out["holdout"] = {{"length", r->holdout->length},
                        {"actual", r->holdout->actual_total},
                        {"expected", api::NumberOrNull(r->holdout->expected_total)},
                        {"bins", bins}};
    }
    if (options.scores) {
      out["scores"] = {{"path", args.scores},
                       {"customers", r->scores.size()},
                       {"horizon", r->horizon},
                       {"clv", r->clv_note.empty() ? json(true) : json(r->clv_note)}};
    }
    fmt::print("{}\n", api::JsonText(out, 2));
    return kExitOk;
  }

  fmt::print("{} fit on {}: {} customers, {} transactions ({} to {})\n", Title(*kind),
             args.transactions, GroupThousands(r->customers), GroupThousands(r->transactions),
             FormatDate(r->first_date), FormatDate(r->last_date));
  fmt::print("calibration to {}, time unit {}", FormatDate(r->calibration_end), args.time_unit);
  if (r->customers_born_after_calibration > 0) {
    fmt::print("; {} customers first bought after it and are left out",
               GroupThousands(r->customers_born_after_calibration));
  }
  fmt::print("\n");
  if (r->spend_left_out > 0) {
    fmt::print(
        "{} customers whose repeat purchases are all worth 0 are left out of the "
        "Gamma-Gamma spend fit\n",
        GroupThousands(r->spend_left_out));
  }
  PrintParams(*r);
  if (r->holdout) {
    const engine::HoldoutResult& h = *r->holdout;
    fmt::print("Holdout {} to {} ({:.2f} {}): repeat purchases actual {}, expected {}\n",
               FormatDate(Date{r->calibration_end.days + 1}), FormatDate(r->last_date), h.length,
               unit, GroupThousands(std::llround(h.actual_total)),
               fmt::format("{:.1f}", h.expected_total));
    fmt::print("  {:>4} {:>10} {:>12} {:>12}   (mean holdout purchases per customer)\n", "x",
               "customers", "actual", "expected");
    for (const analytics::HoldoutBin& b : h.bins) {
      fmt::print("  {:>4} {:>10} {:>12} {:>12}\n",
                 b.frequency == 7 ? "7+" : std::to_string(b.frequency), GroupThousands(b.customers),
                 Fixed(b.actual_mean, 3), Fixed(b.expected_mean, 3));
    }
  }
  if (options.scores) {
    fmt::print("Scores of {} customers written to {}", GroupThousands(r->scores.size()),
               args.scores);
    if (*kind != engine::ModelKind::kGammaGamma) {
      fmt::print(" (expected purchases over {:.2f} {}; CLV over 12 months at 1% a month)",
                 r->horizon, unit);
    }
    fmt::print("\n");
    if (!r->clv_note.empty()) fmt::print("  no CLV: {}\n", r->clv_note);
  }
  fmt::print(
      "Time {:.3f} s: read {:.3f}, summary {:.3f}, fit {:.3f}, scores {:.3f}, write {:.3f}\n",
      total_seconds, read_seconds, r->summary_seconds, r->fit_seconds, r->score_seconds,
      write_seconds);
  return kExitOk;
}

std::string Optional(const std::optional<double>& v) {
  return v ? FormatDecimal(*v) : std::string("-");
}

int RunSurvival(const SurvivalArgs& args) {
  if (!(args.confidence > 0 && args.confidence < 1)) {
    return Fail(Status::InvalidArgument("must be between 0 and 1", "--confidence"));
  }
  engine::SurvivalCsvOptions options{args.durations, args.duration_col, args.event_col, args.by,
                                     args.confidence};
  auto r = engine::AnalyzeSurvivalCsv(options);
  if (!r.ok()) return Fail(r.status());
  if (args.json) {
    json groups = json::array();
    for (const engine::SurvivalGroup& g : r->groups) {
      json rows = json::array();
      for (const analytics::SurvivalRow& row : g.curve.rows) {
        rows.push_back({{"time", row.time},
                        {"at_risk", row.at_risk},
                        {"events", row.events},
                        {"censored", row.censored},
                        {"survival", api::NumberOrNull(row.survival)},
                        {"std_error", api::NumberOrNull(row.std_error)},
                        {"lower", api::NumberOrNull(row.lower)},
                        {"upper", api::NumberOrNull(row.upper)}});
      }
      auto opt = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
      groups.push_back({{"label", g.label},
                        {"subjects", g.curve.subjects},
                        {"events", g.curve.events},
                        {"median", opt(g.median.median)},
                        {"median_lower", opt(g.median.lower)},
                        {"median_upper", opt(g.median.upper)},
                        {"rows", rows}});
    }
    json out = {{"by", args.by.empty() ? json(nullptr) : json(args.by)},
                {"confidence_level", args.confidence},
                {"groups", groups}};
    if (r->log_rank) {
      const analytics::LogRankResult& t = *r->log_rank;
      json per_group = json::array();
      for (size_t i = 0; i < t.groups.size(); ++i) {
        per_group.push_back({{"label", r->groups[static_cast<size_t>(t.groups[i])].label},
                             {"observed", t.observed[i]},
                             {"expected", t.expected[i]}});
      }
      out["log_rank"] = {{"statistic", t.statistic},
                         {"degrees_of_freedom", t.degrees_of_freedom},
                         {"p_value", t.p_value},
                         {"groups", per_group}};
    }
    fmt::print("{}\n", api::JsonText(out, 2));
    return kExitOk;
  }
  const int percent = static_cast<int>(std::lround(args.confidence * 100));
  for (const engine::SurvivalGroup& g : r->groups) {
    fmt::print("Kaplan-Meier{}: {} subjects, {} events\n",
               args.by.empty() ? std::string() : " " + args.by + " = " + g.label,
               GroupThousands(g.curve.subjects), GroupThousands(g.curve.events));
    fmt::print("  {:>10} {:>8} {:>7} {:>8} {:>9} {:>9} {:>9} {:>9}\n", "time", "at risk", "events",
               "censored", "survival", "std.err", "lower", "upper");
    for (const analytics::SurvivalRow& row : g.curve.rows) {
      fmt::print("  {:>10} {:>8} {:>7} {:>8} {:>9} {:>9} {:>9} {:>9}\n", FormatDecimal(row.time),
                 row.at_risk, row.events, row.censored, Fixed(row.survival, 4),
                 Fixed(row.std_error, 4), Fixed(row.lower, 4), Fixed(row.upper, 4));
    }
    fmt::print("  median {} ({}% CI {} to {})\n\n", Optional(g.median.median), percent,
               Optional(g.median.lower), Optional(g.median.upper));
  }
  if (r->log_rank) {
    const analytics::LogRankResult& t = *r->log_rank;
    fmt::print("Log-rank test by {}: chi-square {:.2f}, {} df, p = {:.3g}\n", args.by, t.statistic,
               t.degrees_of_freedom, t.p_value);
    TextTable table({{args.by}, {"observed", true}, {"expected", true}});
    for (size_t i = 0; i < t.groups.size(); ++i) {
      table.AddRow({r->groups[static_cast<size_t>(t.groups[i])].label,
                    fmt::format("{:.0f}", t.observed[i]), fmt::format("{:.2f}", t.expected[i])});
    }
    table.Print(stdout, "  ");
  }
  return kExitOk;
}

}  // namespace

void AddModelCommand(CLI::App& app, Registry& registry) {
  CLI::App* model = app.add_subcommand(
      "model", "Fit purchase, spend, retention and survival models on CSV files (no database)");
  model->require_subcommand(1);

  auto fit_args = std::make_shared<FitArgs>();
  CLI::App* fit = model->add_subcommand(
      "fit",
      "Fit a model and print its parameters, standard errors and log-likelihood.\n"
      "bgnbd, pnbd, mbgnbd, gg read a transaction log (--transactions): one row per purchase\n"
      "with a customer id, a date and (for gg and CLV) an amount. Transactions after\n"
      "--calibration-end form a holdout that the forecast is compared with.\n"
      "sbg reads --survivors: one row per period 0..n (in order) with the number of the cohort\n"
      "still active at its end in a column alive (or --alive-col); row 0 is the cohort size.");
  fit->add_option("model", fit_args->model, "bgnbd, pnbd, mbgnbd, gg or sbg")->required();
  fit->add_option("--transactions", fit_args->transactions, "Transaction log CSV with a header");
  fit->add_option("--customer-col", fit_args->customer_col,
                  "Customer id column (default: customer_id, customer or id)");
  fit->add_option("--date-col", fit_args->date_col, "Date column (default: date or order_date)");
  fit->add_option("--amount-col", fit_args->amount_col,
                  "Amount column (default: amount, sales or value)");
  fit->add_option("--date-format", fit_args->date_format,
                  "strptime format of dates, e.g. %d/%m/%Y (default ISO YYYY-MM-DD)");
  fit->add_option("--calibration-end", fit_args->calibration_end,
                  "Last day of calibration, YYYY-MM-DD (default: the last date in the file)");
  fit->add_option("--time-unit", fit_args->time_unit, "week or day")->capture_default_str();
  fit->add_option("--scores", fit_args->scores,
                  "Write per-customer P(alive), expected purchases, expected spend and CLV here");
  fit->add_option("--horizon", fit_args->horizon,
                  "Expected purchases in --scores over this many time units (default: the "
                  "holdout length, or 52 weeks without a holdout)");
  fit->add_option("--survivors", fit_args->survivors, "sbg: survivor counts CSV");
  fit->add_option("--alive-col", fit_args->alive_col,
                  "sbg: counts column (default: alive, survivors, active or customers)");
  fit->add_option("--calibration-periods", fit_args->calibration_periods,
                  "sbg: fit on periods 1..N and compare the rest (default: all)");
  fit->add_flag("--json", fit_args->json, "Print JSON");
  registry.emplace_back(fit, [fit_args](const app::Config&) { return RunFit(*fit_args); });

  auto survival_args = std::make_shared<SurvivalArgs>();
  CLI::App* survival = model->add_subcommand(
      "survival",
      "Kaplan-Meier survival curves, their medians and (with --by) the log-rank test, from a\n"
      "CSV with one row per subject: a duration and an event flag (1 = the event happened,\n"
      "0 = censored; also true/false, yes/no).");
  survival->add_option("--durations", survival_args->durations, "Durations CSV with a header")
      ->required();
  survival->add_option("--duration-col", survival_args->duration_col,
                       "Duration column (default: duration)");
  survival->add_option("--event-col", survival_args->event_col, "Event column (default: event)");
  survival->add_option("--by", survival_args->by, "A curve per value of this column, and log-rank");
  survival->add_option("--confidence", survival_args->confidence, "Level of the band")
      ->capture_default_str();
  survival->add_flag("--json", survival_args->json, "Print JSON");
  registry.emplace_back(
      survival, [survival_args](const app::Config&) { return RunSurvival(*survival_args); });
}

}  // namespace tenure::cli
