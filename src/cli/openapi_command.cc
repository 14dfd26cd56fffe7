// `tenure openapi`: the API's OpenAPI 3.0.3 document on stdout, as the
// server serves it at /api/v1/openapi.json (api/openapi.h). It needs no
// database, so the web app's build generates its client types from it
// (web/build.sh).
#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "api/openapi.h"
#include "cli/commands.h"

namespace tenure::cli {

void AddOpenApiCommand(CLI::App& app, Registry& registry) {
  CLI::App* cmd =
      app.add_subcommand("openapi", "Print the API's OpenAPI document (JSON) on stdout");
  registry.emplace_back(cmd, [](const app::Config&) {
    auto text = api::OpenApiText();
    if (!text.ok()) return Fail(text.status());
    fmt::print("{}\n", *text);
    return kExitOk;
  });
}

}  // namespace tenure::cli
