// `tenure score [--as-of DATE] [--model bgnbd|mbgnbd|pnbd] [--db PATH] [--json]`:
// fits the purchase and spend models on every customer's orders and writes
// each customer's P(alive), expected purchases, CLV and model-based next
// purchase date to the customer row (engine/scoring.h, docs/scoring.md).
// Prints what was fitted; JSON keys: as_of, model, days_per_unit, customers,
// customers_scored, repeat_customers, params, log_likelihood, converged,
// spend {p, q, gamma, log_likelihood, converged, customers}, seconds,
// phase_seconds {read, summary, fit, score, write}.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "api/json_codec.h"
#include "cli/commands.h"
#include "common/text.h"
#include "common/time.h"
#include "engine/scoring.h"

namespace tenure::cli {
namespace {

using nlohmann::json;

json ParamsJson(const engine::ScoreReport& r) {
  if (r.model == engine::ScoreModel::kParetoNbd) {
    return {
        {"r", r.params.r}, {"alpha", r.params.alpha}, {"s", r.params.s}, {"beta", r.params.beta}};
  }
  return {{"r", r.params.r}, {"alpha", r.params.alpha}, {"a", r.params.a}, {"b", r.params.b}};
}

json ReportJson(const engine::ScoreReport& r) {
  return {{"as_of", FormatDate(r.as_of)},
          {"model", std::string(engine::ScoreModelName(r.model))},
          {"days_per_unit", r.days_per_unit},
          {"customers", r.customers},
          {"customers_scored", r.customers_scored},
          {"repeat_customers", r.repeat_customers},
          {"params", ParamsJson(r)},
          {"log_likelihood", r.log_likelihood},
          {"converged", r.converged},
          {"spend",
           {{"p", r.spend_p},
            {"q", r.spend_q},
            {"gamma", r.spend_gamma},
            {"log_likelihood", r.spend_log_likelihood},
            {"converged", r.spend_converged},
            {"customers", r.spend_customers}}},
          {"seconds", r.seconds},
          {"phase_seconds",
           {{"read", r.read_seconds},
            {"summary", r.summary_seconds},
            {"fit", r.fit_seconds},
            {"score", r.score_seconds},
            {"write", r.write_seconds}}}};
}

void PrintReport(const engine::ScoreReport& r) {
  const bool pnbd = r.model == engine::ScoreModel::kParetoNbd;
  const std::string names = pnbd
                                ? fmt::format("r {:.4f}, alpha {:.4f}, s {:.4f}, beta {:.4f}",
                                              r.params.r, r.params.alpha, r.params.s, r.params.beta)
                                : fmt::format("r {:.4f}, alpha {:.4f}, a {:.4f}, b {:.4f}",
                                              r.params.r, r.params.alpha, r.params.a, r.params.b);
  fmt::print(
      "scored {} of {} customers as of {} ({:.2f} s: read {:.2f}, summary {:.2f}, fit {:.2f},"
      " score {:.2f}, write {:.2f})\n",
      GroupThousands(r.customers_scored), GroupThousands(r.customers), FormatDate(r.as_of),
      r.seconds, r.read_seconds, r.summary_seconds, r.fit_seconds, r.score_seconds,
      r.write_seconds);
  fmt::print("{} ({}-day unit): {}; log-likelihood {:.3f}{}\n", engine::ScoreModelName(r.model),
             r.days_per_unit, names, r.log_likelihood, r.converged ? "" : " (NOT converged)");
  fmt::print(
      "gamma-gamma on {} repeat customers: p {:.4f}, q {:.4f}, gamma {:.4f}; "
      "log-likelihood {:.3f}{}\n",
      GroupThousands(r.spend_customers), r.spend_p, r.spend_q, r.spend_gamma,
      r.spend_log_likelihood, r.spend_converged ? "" : " (NOT converged)");
}

}  // namespace

void AddScoreCommand(CLI::App& app, Registry& registry) {
  struct Args {
    std::string db = "tenure.db";
    std::string as_of;
    std::string model = "bgnbd";
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* score = app.add_subcommand(
      "score", "Refresh every customer's P(alive), expected purchases, CLV and next purchase");
  score->add_option("--as-of", args->as_of,
                    "Date to score for; orders after it are ignored (default: today)");
  score->add_option("--model", args->model, "Purchase model: bgnbd, mbgnbd or pnbd")
      ->capture_default_str();
  score->add_flag("--json", args->json, "Print JSON");
  score->add_option("--db", args->db, "Database file")->capture_default_str();
  registry.emplace_back(score, [args](const app::Config&) {
    engine::ScoreOptions options;
    if (!args->as_of.empty()) {
      auto parsed = ParseIsoDate(args->as_of);
      if (!parsed) {
        return Fail(Status::InvalidArgument(
            "not a date '" + args->as_of + "' (expected YYYY-MM-DD)", "--as-of"));
      }
      options.as_of = *parsed;
    }
    auto model = engine::ParseScoreModel(args->model);
    if (!model) {
      return Fail(Status::InvalidArgument(
          "unknown model '" + args->model + "' (expected bgnbd, mbgnbd or pnbd)", "--model"));
    }
    options.model = *model;
    auto db = OpenExisting(args->db);
    if (!db.ok()) return Fail(db.status());
    if (args->as_of.empty()) {
      WarnIfHistoryIsOld(**db, args->db, "--as-of",
                         "the models are fitted with today as the end of the observation",
                         "to fit them to the end of the history");
    }
    auto report = engine::Score(**db, options);
    if (!report.ok()) return Fail(report.status());
    if (args->json) {
      fmt::print("{}\n", api::JsonText(ReportJson(*report), 2));
    } else {
      PrintReport(*report);
    }
    return kExitOk;
  });
}

}  // namespace tenure::cli
