// `tenure risk train | evaluate | score`: the risk model on the CRM's own
// history (docs/risk.md). Parsing and formatting only; engine/risk/
// risk_model does the work.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "api/json_codec.h"
#include "cli/commands.h"
#include "cli/text_table.h"
#include "common/numbers.h"
#include "common/text.h"
#include "engine/risk/risk_model.h"

namespace tenure::cli {
namespace {

using nlohmann::json;

struct RiskModelArgs {
  std::string db = "tenure.db";
  std::string as_of;
  engine::risk::RiskOptions options;
  bool json = false;
};

// --as-of, when given.
Status ParseAsOf(const std::string& text, std::optional<Date>& out) {
  if (text.empty()) return Status::Ok();
  auto day = ParseDateOption(text, "--as-of", Date{});
  if (!day.ok()) return day.status();
  out = *day;
  return Status::Ok();
}

json FitJson(const engine::risk::RiskFitReport& r) {
  const auto& f = r.figures;
  json out = {{"horizon_days", r.horizon_days},
              {"training_snapshots", r.training_snapshots},
              {"first_training_snapshot", FormatDate(r.first_training)},
              {"last_training_snapshot", FormatDate(r.last_training)},
              {"validation_snapshot", FormatDate(r.validation)},
              {"rows_train", r.rows_train},
              {"rows_validation", r.rows_validation},
              {"rows", f.rows},
              {"lost", f.positives},
              {"rounds", r.rounds},
              {"max_depth", r.max_depth},
              {"calibration_a", r.calibration_a},
              {"calibration_b", r.calibration_b},
              {"auc", api::NumberOrNull(f.auc)},
              {"pr_auc", api::NumberOrNull(f.pr_auc)},
              {"brier", api::NumberOrNull(f.brier)},
              {"lift_top_decile", api::NumberOrNull(f.lift)},
              {"seconds", r.seconds}};
  if (r.test) out["test_snapshot"] = FormatDate(*r.test);
  if (r.run_id != 0) out["run_id"] = r.run_id;
  out["baselines"] = json::array();
  for (const auto& b : r.baselines) {
    out["baselines"].push_back({{"name", b.name},
                                {"auc", api::NumberOrNull(b.auc)},
                                {"pr_auc", api::NumberOrNull(b.pr_auc)}});
  }
  out["calibration"] = json::array();
  for (const auto& bin : f.calibration) {
    out["calibration"].push_back({{"low", bin.low},
                                  {"high", bin.high},
                                  {"count", bin.count},
                                  {"mean_predicted", bin.mean_predicted},
                                  {"observed_rate", bin.observed_rate}});
  }
  out["top_features"] = json::array();
  for (const auto& [name, value] : r.top_features) {
    out["top_features"].push_back({{"name", name}, {"mean_abs_contribution", value}});
  }
  return out;
}

void PrintFit(const engine::risk::RiskFitReport& r) {
  const auto& f = r.figures;
  fmt::print("Label: lost within {} days (a recorded loss, a contract not renewed, or no order)\n",
             r.horizon_days);
  fmt::print("Trained on {} month-end snapshots, {} to {}: {} rows\n", r.training_snapshots,
             FormatDate(r.first_training), FormatDate(r.last_training),
             GroupThousands(r.rows_train));
  fmt::print(
      "Trees ({}, depth {}) and Platt calibration chosen on the validation snapshot {}"
      " ({} rows)\n",
      r.rounds, r.max_depth, FormatDate(r.validation), GroupThousands(r.rows_validation));
  if (r.test) {
    fmt::print(
        "\nOn the test snapshot {}: {} customers, {} lost ({:.1f} %)\n", FormatDate(*r.test),
        GroupThousands(f.rows), GroupThousands(f.positives),
        f.rows == 0 ? 0.0 : 100.0 * static_cast<double>(f.positives) / static_cast<double>(f.rows));
  } else {
    fmt::print(
        "\nOn the validation snapshot (where the trees and calibration were chosen): {}"
        " customers, {} lost\n",
        GroupThousands(f.rows), GroupThousands(f.positives));
  }
  TextTable table({{"ranking by"}, {"AUC", true}, {"PR-AUC", true}});
  table.AddRow({"risk model", fmt::format("{:.4f}", f.auc), fmt::format("{:.4f}", f.pr_auc)});
  for (const auto& b : r.baselines) {
    std::string name = b.name == "recency" ? "recency alone" : "expected purchases (BG/NBD)";
    table.AddRow({name, fmt::format("{:.4f}", b.auc), fmt::format("{:.4f}", b.pr_auc)});
  }
  table.Print();
  fmt::print("Brier score {:.4f}, lift in the top decile {:.2f}\n\n", f.brier, f.lift);
  TextTable calibration(
      {{"predicted"}, {"customers", true}, {"mean predicted", true}, {"observed", true}});
  for (const auto& bin : f.calibration) {
    calibration.AddRow({fmt::format("{:.1f}-{:.1f}", bin.low, bin.high), GroupThousands(bin.count),
                        fmt::format("{:.3f}", bin.mean_predicted),
                        fmt::format("{:.3f}", bin.observed_rate)});
  }
  fmt::print("Reliability\n");
  calibration.Print();
  fmt::print("\n");
  TextTable features({{"feature"}, {"mean |contribution| (log-odds)", true}});
  for (const auto& [name, value] : r.top_features) {
    features.AddRow({name, fmt::format("{:.4f}", value)});
  }
  fmt::print("Top features\n");
  features.Print();
  if (r.run_id != 0) fmt::print("\nStored as risk model {}.\n", r.run_id);
  fmt::print("{:.1f} s (history {:.1f} s, snapshots {:.1f} s, trees {:.1f} s)\n", r.seconds,
             r.history_seconds, r.snapshot_seconds, r.fit_seconds);
}

void AddFitLike(CLI::App* risk, Registry& registry, const char* name, const char* help,
                bool train) {
  auto args = std::make_shared<RiskModelArgs>();
  CLI::App* cmd = risk->add_subcommand(name, help);
  cmd->add_option("--horizon", args->options.horizon_days, "Lost within this many days")
      ->capture_default_str();
  cmd->add_option("--as-of", args->as_of,
                  train ? "Validation snapshot (default: the newest month end whose horizon is"
                          " on record)"
                        : "Test snapshot (default: the newest month end whose horizon is on"
                          " record)");
  cmd->add_option("--snapshots", args->options.training_snapshots,
                  "Month-end snapshots to train on")
      ->capture_default_str();
  cmd->add_option("--max-rows", args->options.max_training_rows, "Training rows in all (sampled)")
      ->capture_default_str();
  cmd->add_option("--threads", args->options.threads, "Threads for the trees")
      ->capture_default_str();
  cmd->add_option("--seed", args->options.seed, "Seed of the sampling and the trees")
      ->capture_default_str();
  cmd->add_flag("--json", args->json, "Print JSON");
  cmd->add_option("--db", args->db, "Database file")->capture_default_str();
  registry.emplace_back(cmd, [args, train](const app::Config& config) {
    if (Status s = ParseAsOf(args->as_of, args->options.as_of); !s.ok()) return Fail(s);
    args->options.deadline_hours = config.complaint_deadline_hours;
    auto db = OpenExisting(args->db);
    if (!db.ok()) return Fail(db.status());
    auto report = train ? engine::risk::TrainRisk(**db, args->options)
                        : engine::risk::EvaluateRisk(**db, args->options);
    if (!report.ok()) return Fail(report.status());
    if (args->json) {
      fmt::print("{}\n", api::JsonText(FitJson(*report), 2));
    } else {
      PrintFit(*report);
    }
    return kExitOk;
  });
}

}  // namespace

void AddRiskModelCommands(CLI::App* risk, Registry& registry) {
  AddFitLike(risk, registry, "evaluate",
             "Measure the risk model on the newest labelled month end, trained on the months\n"
             "before it, beside expected purchases (BG/NBD) and recency alone",
             false);
  AddFitLike(risk, registry, "train",
             "Train the risk model on monthly snapshots of the history and store it", true);

  auto args = std::make_shared<RiskModelArgs>();
  CLI::App* score = risk->add_subcommand(
      "score",
      "Store every active customer's probability of being lost, value at risk, health and\n"
      "top three reasons, with the latest trained model");
  score->add_option("--as-of", args->as_of, "Date to score at (default: today)");
  score->add_option("--threads", args->options.threads, "Threads for the trees")
      ->capture_default_str();
  score->add_flag("--json", args->json, "Print JSON");
  score->add_option("--db", args->db, "Database file")->capture_default_str();
  registry.emplace_back(score, [args](const app::Config& config) {
    engine::risk::RiskScoreOptions options;
    std::optional<Date> as_of;
    if (Status s = ParseAsOf(args->as_of, as_of); !s.ok()) return Fail(s);
    if (as_of) options.as_of = *as_of;
    options.threads = args->options.threads;
    options.deadline_hours = config.complaint_deadline_hours;
    auto db = OpenExisting(args->db);
    if (!db.ok()) return Fail(db.status());
    if (!as_of) {
      WarnIfHistoryIsOld(**db, args->db, "--as-of", "the customers are scored as of today",
                         "to score them at the end of the history");
    }
    auto report = engine::risk::ScoreRisk(**db, options);
    if (!report.ok()) return Fail(report.status());
    const auto& r = *report;
    if (args->json) {
      json out = {{"as_of", FormatDate(r.as_of)},
                  {"run_id", r.run_id},
                  {"horizon_days", r.horizon_days},
                  {"customers_scored", r.customers_scored},
                  {"likely_lost", r.likely_lost},
                  {"mean_probability", r.mean_probability},
                  {"value_at_risk", FormatMoney(r.value_at_risk, 2)},
                  {"seconds", r.seconds},
                  {"phase_seconds",
                   {{"history", r.history_seconds},
                    {"models", r.models_seconds},
                    {"score", r.score_seconds},
                    {"write", r.write_seconds}}}};
      fmt::print("{}\n", api::JsonText(out, 2));
    } else {
      fmt::print(
          "Scored {} customers as of {} with risk model {}: {} likely lost within {} days"
          " (probability >= 0.5), mean probability {:.3f}, value at risk {} ({:.1f} s)\n",
          GroupThousands(r.customers_scored), FormatDate(r.as_of), r.run_id,
          GroupThousands(r.likely_lost), r.horizon_days, r.mean_probability,
          FormatMoney(r.value_at_risk, 2), r.seconds);
    }
    return kExitOk;
  });
}

void AddHealthCommand(CLI::App& app, Registry& registry) {
  CLI::App* health = app.add_subcommand("health", "The customers' health score (docs/risk.md)");
  health->require_subcommand(1);
  auto args = std::make_shared<RiskModelArgs>();
  CLI::App* backtest = health->add_subcommand(
      "backtest",
      "How well the health at a past date ranked the customers lost in the horizon after it");
  backtest->add_option("--as-of", args->as_of, "The past date (YYYY-MM-DD)")->required();
  backtest->add_flag("--json", args->json, "Print JSON");
  backtest->add_option("--db", args->db, "Database file")->capture_default_str();
  registry.emplace_back(backtest, [args](const app::Config& config) {
    engine::risk::HealthBacktestOptions options;
    std::optional<Date> as_of;
    if (Status s = ParseAsOf(args->as_of, as_of); !s.ok()) return Fail(s);
    options.as_of = *as_of;
    options.deadline_hours = config.complaint_deadline_hours;
    auto db = OpenExisting(args->db);
    if (!db.ok()) return Fail(db.status());
    auto report = engine::risk::BacktestHealth(**db, options);
    if (!report.ok()) return Fail(report.status());
    const auto& r = *report;
    if (args->json) {
      json out = {{"as_of", FormatDate(r.as_of)},
                  {"run_id", r.run_id},
                  {"horizon_days", r.horizon_days},
                  {"customers", r.customers},
                  {"lost", r.lost},
                  {"auc", api::NumberOrNull(r.auc)},
                  {"pr_auc", api::NumberOrNull(r.pr_auc)},
                  {"recency_auc", api::NumberOrNull(r.recency_auc)},
                  {"lowest_decile", r.lowest_decile},
                  {"lost_in_lowest_decile", r.lost_in_lowest_decile},
                  {"lost_share_in_lowest_decile", r.lost_share_in_lowest_decile},
                  {"lost_revenue", FormatMoney(r.lost_revenue, 2)},
                  {"lost_revenue_share_in_lowest_decile", r.lost_revenue_share_in_lowest_decile},
                  {"mean_health", r.mean_health},
                  {"mean_health_lost", r.mean_health_lost},
                  {"mean_health_kept", r.mean_health_kept}};
      fmt::print("{}\n", api::JsonText(out, 2));
      return kExitOk;
    }
    fmt::print(
        "Health as of {} (risk model {}), against who was lost within {} days after it: {} "
        "customers, {} lost\n",
        FormatDate(r.as_of), r.run_id, r.horizon_days, GroupThousands(r.customers),
        GroupThousands(r.lost));
    fmt::print("  AUC {:.4f} (recency alone {:.4f}), PR-AUC {:.4f}\n", r.auc, r.recency_auc,
               r.pr_auc);
    fmt::print("  mean health {:.1f}: {:.1f} of those lost, {:.1f} of those kept\n", r.mean_health,
               r.mean_health_lost, r.mean_health_kept);
    fmt::print(
        "  the lowest-scored tenth ({} customers) held {} of the lost ({:.1f} %) and {:.1f} % of "
        "their revenue of the year before ({})\n",
        GroupThousands(r.lowest_decile), GroupThousands(r.lost_in_lowest_decile),
        100 * r.lost_share_in_lowest_decile, 100 * r.lost_revenue_share_in_lowest_decile,
        FormatMoney(r.lost_revenue, 2));
    return kExitOk;
  });
}

}  // namespace tenure::cli
