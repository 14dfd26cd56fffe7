// Times every workbench list for an administrator, a manager and a
// salesperson and prints a Markdown table (bench/workbench_bench.sh splices
// it into docs/benchmarks.md). Each list is built RUNS times (count + first
// page of 20); the table shows the median and the slowest run in ms, and the
// list's count for that scope.
//   workbench_lists DB AS_OF MANAGER SALESPERSON [RUNS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "engine/scope.h"
#include "engine/workbench.h"
#include "store/migrations.h"

using namespace tenure;

namespace {

struct Timing {
  double median_ms = 0;
  double max_ms = 0;
  int64_t count = 0;
};

Timing TimeList(store::Database& db, const engine::Scope& scope, engine::WorkbenchOptions options,
                std::string_view name, int runs) {
  options.list = name;
  std::vector<double> ms;
  Timing t;
  for (int i = 0; i < runs; ++i) {
    auto start = std::chrono::steady_clock::now();
    auto bench = engine::BuildWorkbench(db, scope, options);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                     .count());
    if (!bench.ok()) {
      std::fprintf(stderr, "%s: %s\n", std::string(name).c_str(),
                   bench.status().ToString().c_str());
      std::exit(1);
    }
    t.count = bench->lists[0].count;
  }
  std::sort(ms.begin(), ms.end());
  t.median_ms = ms[ms.size() / 2];
  t.max_ms = ms.back();
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: workbench_lists DB AS_OF MANAGER SALESPERSON [RUNS]\n");
    return 2;
  }
  int runs = argc > 5 ? std::atoi(argv[5]) : 5;
  auto db = store::OpenStore(argv[1]);
  if (!db.ok()) {
    std::fprintf(stderr, "%s\n", db.status().ToString().c_str());
    return 1;
  }
  engine::WorkbenchOptions options;
  options.as_of = *ParseIsoDate(argv[2]);
  std::vector<engine::Scope> scopes = {engine::EveryCustomer()};
  for (const char* user : {argv[3], argv[4]}) {
    auto scope = engine::ScopeOfUser(**db, user);
    if (!scope.ok()) {
      std::fprintf(stderr, "%s\n", scope.status().ToString().c_str());
      return 1;
    }
    scopes.push_back(*scope);
  }
  std::printf("| list | admin: ms (median / max), count | manager %s | salesperson %s |\n", argv[3],
              argv[4]);
  std::printf("|---|---|---|---|\n");
  double worst = 0;
  for (std::string_view name : engine::WorkbenchListNames()) {
    std::printf("| %s |", std::string(name).c_str());
    for (const engine::Scope& scope : scopes) {
      Timing t = TimeList(**db, scope, options, name, runs);
      worst = std::max(worst, t.median_ms);
      std::printf(" %.1f / %.1f, %lld |", t.median_ms, t.max_ms, static_cast<long long>(t.count));
    }
    std::printf("\n");
    std::fflush(stdout);
  }
  std::fprintf(stderr, "slowest median: %.1f ms\n", worst);
  return 0;
}
