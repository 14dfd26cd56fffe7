// `tenure risk fit`: the boosted-tree risk model on any table with a yes/no
// column (docs/risk.md). No database is needed. Parsing and formatting
// only; engine/risk/table_fit does the work.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include "api/json_codec.h"
#include "cli/commands.h"
#include "cli/text_table.h"
#include "common/numbers.h"
#include "engine/risk/table_fit.h"

namespace tenure::cli {
namespace {

using nlohmann::json;

struct FitArgs {
  engine::TableFitOptions options;
  std::string test_rows;
  double test_fraction = 0;
  bool json = false;
};

int RunFit(FitArgs& args) {
  if (!args.test_rows.empty()) {
    size_t colon = args.test_rows.find(':');
    auto first = ParseInteger(args.test_rows.substr(0, colon));
    auto last =
        colon == std::string::npos ? std::nullopt : ParseInteger(args.test_rows.substr(colon + 1));
    if (!first || !last) {
      return Fail(Status::InvalidArgument(
          "'" + args.test_rows + "' is not FIRST:LAST, e.g. 3334:5000", "--test-rows"));
    }
    args.options.test_rows = std::make_pair(*first, *last);
  }
  if (args.test_fraction != 0) args.options.test_fraction = args.test_fraction;
  auto report = engine::FitTable(args.options);
  if (!report.ok()) return Fail(report.status());
  const engine::TableFitReport& r = *report;
  if (args.json) {
    json out = {{"auc", api::NumberOrNull(r.auc)},
                {"pr_auc", api::NumberOrNull(r.pr_auc)},
                {"brier", api::NumberOrNull(r.brier)},
                {"lift_top_decile", api::NumberOrNull(r.lift_top_decile)},
                {"rows_train", r.rows_train},
                {"rows_test", r.rows_test},
                {"events_train", r.events_train},
                {"events_test", r.events_test},
                {"features", r.features},
                {"cv_auc", api::NumberOrNull(r.cv_auc)},
                {"max_depth", r.max_depth},
                {"min_child_weight", r.min_child_weight},
                {"learning_rate", r.learning_rate},
                {"rounds", r.rounds}};
    out["calibration"] = json::array();
    for (const auto& bin : r.calibration) {
      out["calibration"].push_back({{"low", bin.low},
                                    {"high", bin.high},
                                    {"count", bin.count},
                                    {"mean_predicted", bin.mean_predicted},
                                    {"observed_rate", bin.observed_rate}});
    }
    out["top_features"] = json::array();
    for (const auto& f : r.top_features) {
      out["top_features"].push_back(
          {{"name", f.name}, {"mean_abs_contribution", f.mean_abs_contribution}});
    }
    fmt::print("{}\n", api::JsonText(out, 2));
    return kExitOk;
  }
  fmt::print(
      "Boosted trees on {} training rows ({} yes), tested on {} rows ({} yes); {} features\n",
      r.rows_train, r.events_train, r.rows_test, r.events_test, r.features);
  fmt::print(
      "Chosen by {}-fold cross-validation: depth {}, min child weight {}, {} trees at "
      "learning rate {} (CV AUC {:.4f})\n\n",
      args.options.folds, r.max_depth, r.min_child_weight, r.rounds, r.learning_rate, r.cv_auc);
  fmt::print(
      "On the test rows: AUC {:.4f}, PR-AUC {:.4f}, Brier {:.4f}, lift in the top decile "
      "{:.2f}\n\n",
      r.auc, r.pr_auc, r.brier, r.lift_top_decile);
  TextTable calibration(
      {{"predicted"}, {"rows", true}, {"mean predicted", true}, {"observed", true}});
  for (const auto& bin : r.calibration) {
    calibration.AddRow({fmt::format("{:.1f}-{:.1f}", bin.low, bin.high), std::to_string(bin.count),
                        fmt::format("{:.3f}", bin.mean_predicted),
                        fmt::format("{:.3f}", bin.observed_rate)});
  }
  fmt::print("Reliability\n");
  calibration.Print();
  fmt::print("\n");
  TextTable features({{"feature"}, {"mean |contribution| (log-odds)", true}});
  for (const auto& f : r.top_features) {
    features.AddRow({f.name, fmt::format("{:.4f}", f.mean_abs_contribution)});
  }
  fmt::print("Top features\n");
  features.Print();
  return kExitOk;
}

}  // namespace

void AddRiskCommand(CLI::App& app, Registry& registry) {
  CLI::App* risk = app.add_subcommand("risk", "Who will leave next: the boosted-tree risk model");
  risk->require_subcommand(1);
  auto args = std::make_shared<FitArgs>();
  CLI::App* fit = risk->add_subcommand(
      "fit",
      "Fit boosted trees on any CSV table with a yes/no column and measure them on held-out\n"
      "rows: AUC, PR-AUC, Brier score, reliability table, lift, top features. No database.");
  fit->add_option("--table", args->options.table, "CSV file with a header line")->required();
  fit->add_option("--label", args->options.label, "The yes/no column (yes, true, 1 are the events)")
      ->required();
  fit->add_option("--test-rows", args->test_rows,
                  "Test on data rows FIRST:LAST (1 is the line after the header)");
  fit->add_option("--test-table", args->options.test_table, "Test on this CSV (same columns)");
  fit->add_option("--test-fraction", args->test_fraction, "Test on a random share of the rows");
  fit->add_option("--seed", args->options.seed, "Seed of --test-fraction and the trees")
      ->capture_default_str();
  fit->add_option("--threads", args->options.threads, "Threads for the trees")
      ->capture_default_str();
  fit->add_flag("--json", args->json, "Print JSON");
  registry.emplace_back(fit, [args](const app::Config&) { return RunFit(*args); });
  AddRiskModelCommands(risk, registry);
}

}  // namespace tenure::cli
