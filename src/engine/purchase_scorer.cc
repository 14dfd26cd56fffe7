#include "engine/purchase_scorer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <unordered_map>

#include "analytics/bgnbd.h"
#include "analytics/pareto_nbd.h"
#include "common/parallel.h"

namespace tenure::engine {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

analytics::BgNbdVariant VariantOf(ScoreModel model) {
  return model == ScoreModel::kMbgNbd ? analytics::BgNbdVariant::kMbgNbd
                                      : analytics::BgNbdVariant::kBgNbd;
}

struct Pair {
  double x, T;
  bool operator==(const Pair&) const = default;
};
struct PairHash {
  size_t operator()(const Pair& k) const {
    uint64_t a, b;
    std::memcpy(&a, &k.x, 8);
    std::memcpy(&b, &k.T, 8);
    uint64_t h = (a * 0x9E3779B97F4A7C15ULL) ^ b;
    h *= 0xC2B2AE3D27D4EB4FULL;
    return static_cast<size_t>(h ^ (h >> 29));
  }
};

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

PurchaseScores ScorePurchases(ScoreModel model, const PurchaseModelParams& p,
                              std::span<const double> x, std::span<const double> t_x,
                              std::span<const double> T, std::span<const double> horizons) {
  const size_t n = x.size();
  const analytics::BgNbdParams bgnbd{p.r, p.alpha, p.a, p.b};
  const analytics::ParetoNbdParams pnbd{p.r, p.alpha, p.s, p.beta};
  PurchaseScores out;
  out.horizons = horizons.size();

  // The distinct (x, T), in order of first appearance.
  std::vector<Pair> pairs;
  out.group.resize(n);
  {
    std::unordered_map<Pair, uint32_t, PairHash> index;
    index.reserve(n / 4 + 16);
    for (size_t i = 0; i < n; ++i) {
      auto [it, added] = index.try_emplace(Pair{x[i], T[i]}, static_cast<uint32_t>(pairs.size()));
      if (added) pairs.push_back(it->first);
      out.group[i] = it->second;
    }
  }

  // The costly factor, per pair and horizon; a few hundred pairs per part
  // are worth a thread.
  const size_t h = horizons.size();
  out.expected_if_alive.resize(pairs.size() * h);
  ParallelFor(pairs.size(), 256, [&](size_t begin, size_t end, size_t) {
    for (size_t g = begin; g < end; ++g) {
      for (size_t k = 0; k < h; ++k) {
        out.expected_if_alive[g * h + k] =
            model == ScoreModel::kParetoNbd
                ? analytics::ParetoNbdExpectedIfAlive(pnbd, horizons[k], pairs[g].x, pairs[g].T)
                : analytics::BgNbdExpectedIfAlive(VariantOf(model), bgnbd, horizons[k], pairs[g].x,
                                                  pairs[g].T);
      }
    }
  });

  // P(alive) per customer: a few logs for BG/NBD, a 2F1 for Pareto/NBD.
  out.p_alive.resize(n);
  ParallelFor(n, 4096, [&](size_t begin, size_t end, size_t) {
    for (size_t i = begin; i < end; ++i) {
      if (model == ScoreModel::kParetoNbd) {
        auto alive = analytics::ParetoNbdProbabilityAlive(pnbd, x[i], t_x[i], T[i]);
        out.p_alive[i] = alive.ok() ? *alive : kNaN;
      } else {
        out.p_alive[i] =
            analytics::BgNbdProbabilityAlive(VariantOf(model), bgnbd, x[i], t_x[i], T[i]);
      }
    }
  });
  return out;
}

std::vector<double> DiscountedPurchasesIfAlive(const PurchaseScores& scores, size_t first,
                                               int months, double discount) {
  const size_t h = scores.horizons;
  const size_t groups = h == 0 ? 0 : scores.expected_if_alive.size() / h;
  std::vector<double> out(groups);
  for (size_t g = 0; g < groups; ++g) {
    const double* e = &scores.expected_if_alive[g * h + first];
    double value = 0, factor = 1;
    for (int k = 1; k <= months; ++k) {
      factor /= 1 + discount;
      value += std::max(0.0, e[k] - e[k - 1]) * factor;
    }
    out[g] = value;
  }
  return out;
}

}  // namespace tenure::engine
