#include "analytics/boosted_trees.h"

#include <xgboost/c_api.h>

#include <cmath>
#include <string>

namespace tenure::analytics {
namespace {

Status XgbError(const char* what) {
  return Status::Internal(std::string(what) + ": " + XGBGetLastError());
}

// A DMatrix freed on scope exit.
class Matrix {
 public:
  ~Matrix() {
    if (handle_ != nullptr) XGDMatrixFree(handle_);
  }
  Status Create(const FeatureMatrix& features) {
    if (features.values.size() != features.rows * features.columns) {
      return Status::InvalidArgument("feature matrix: " + std::to_string(features.values.size()) +
                                     " values for " + std::to_string(features.rows) + " rows of " +
                                     std::to_string(features.columns) + " columns");
    }
    if (XGDMatrixCreateFromMat(features.values.data(), features.rows, features.columns, NAN,
                               &handle_) != 0) {
      return XgbError("XGDMatrixCreateFromMat");
    }
    return Status::Ok();
  }
  DMatrixHandle handle() const { return handle_; }

 private:
  DMatrixHandle handle_ = nullptr;
};

}  // namespace

struct BoostedTrees::Booster {
  BoosterHandle handle = nullptr;
  ~Booster() {
    if (handle != nullptr) XGBoosterFree(handle);
  }
};

BoostedTrees::BoostedTrees(std::unique_ptr<Booster> booster) : booster_(std::move(booster)) {}
BoostedTrees::BoostedTrees(BoostedTrees&&) noexcept = default;
BoostedTrees& BoostedTrees::operator=(BoostedTrees&&) noexcept = default;
BoostedTrees::~BoostedTrees() = default;

Result<BoostedTrees> BoostedTrees::Fit(const FeatureMatrix& features, std::span<const float> labels,
                                       const BoostParams& params) {
  if (labels.size() != features.rows) {
    return Status::InvalidArgument(std::to_string(labels.size()) + " labels for " +
                                   std::to_string(features.rows) + " rows");
  }
  for (float label : labels) {
    if (label != 0 && label != 1) return Status::InvalidArgument("labels must be 0 or 1");
  }
  Matrix train;
  TENURE_RETURN_IF_ERROR(train.Create(features));
  if (XGDMatrixSetFloatInfo(train.handle(), "label", labels.data(), labels.size()) != 0) {
    return XgbError("XGDMatrixSetFloatInfo");
  }
  auto booster = std::make_unique<Booster>();
  DMatrixHandle cache = train.handle();
  if (XGBoosterCreate(&cache, 1, &booster->handle) != 0) return XgbError("XGBoosterCreate");
  const std::pair<const char*, std::string> settings[] = {
      {"objective", "binary:logistic"},
      {"verbosity", "0"},
      {"max_depth", std::to_string(params.max_depth)},
      {"eta", std::to_string(params.learning_rate)},
      {"min_child_weight", std::to_string(params.min_child_weight)},
      {"subsample", std::to_string(params.subsample)},
      {"colsample_bytree", std::to_string(params.column_sample)},
      {"seed", std::to_string(params.seed)},
      {"nthread", std::to_string(params.threads)},
      {"tree_method", params.histogram ? "hist" : "auto"},
  };
  for (const auto& [name, value] : settings) {
    if (XGBoosterSetParam(booster->handle, name, value.c_str()) != 0) {
      return XgbError("XGBoosterSetParam");
    }
  }
  for (int round = 0; round < params.rounds; ++round) {
    if (XGBoosterUpdateOneIter(booster->handle, round, train.handle()) != 0) {
      return XgbError("XGBoosterUpdateOneIter");
    }
  }
  return BoostedTrees(std::move(booster));
}

Result<BoostedTrees> BoostedTrees::Deserialize(std::string_view bytes) {
  auto booster = std::make_unique<Booster>();
  if (XGBoosterCreate(nullptr, 0, &booster->handle) != 0) return XgbError("XGBoosterCreate");
  if (XGBoosterLoadModelFromBuffer(booster->handle, bytes.data(), bytes.size()) != 0) {
    return XgbError("XGBoosterLoadModelFromBuffer");
  }
  return BoostedTrees(std::move(booster));
}

Result<std::vector<double>> BoostedTrees::Predict(const FeatureMatrix& features, int rounds) const {
  Matrix data;
  TENURE_RETURN_IF_ERROR(data.Create(features));
  bst_ulong length = 0;
  const float* result = nullptr;
  if (XGBoosterPredict(booster_->handle, data.handle(), 0, static_cast<unsigned>(rounds), 0,
                       &length, &result) != 0) {
    return XgbError("XGBoosterPredict");
  }
  return std::vector<double>(result, result + length);
}

Result<std::vector<std::vector<double>>> BoostedTrees::StagedMargins(const FeatureMatrix& features,
                                                                     int step, int rounds) const {
  if (step < 1 || rounds < step) {
    return Status::InvalidArgument("staged margins need 1 <= step <= rounds");
  }
  Matrix data;
  TENURE_RETURN_IF_ERROR(data.Create(features));
  std::vector<std::vector<double>> stages;
  std::vector<double> sum(features.rows, 0.0);
  for (int begin = 0; begin + step <= rounds; begin += step) {
    // type 1: the margin (log-odds) of the trees [begin, begin + step).
    const std::string config =
        "{\"type\": 1, \"training\": false, \"iteration_begin\": " + std::to_string(begin) +
        ", \"iteration_end\": " + std::to_string(begin + step) + ", \"strict_shape\": false}";
    const bst_ulong* shape = nullptr;
    bst_ulong dims = 0;
    const float* result = nullptr;
    if (XGBoosterPredictFromDMatrix(booster_->handle, data.handle(), config.c_str(), &shape, &dims,
                                    &result) != 0) {
      return XgbError("XGBoosterPredictFromDMatrix");
    }
    for (size_t i = 0; i < features.rows; ++i) sum[i] += result[i];
    stages.push_back(sum);
  }
  return stages;
}

Result<std::vector<float>> BoostedTrees::Contributions(const FeatureMatrix& features, int rounds,
                                                       bool approximate) const {
  Matrix data;
  TENURE_RETURN_IF_ERROR(data.Create(features));
  bst_ulong length = 0;
  const float* result = nullptr;
  // option_mask: 4 feature contributions (SHAP), 8 their approximation
  // (Saabas: the change of the node value along each row's path).
  const int mask = approximate ? 4 | 8 : 4;
  if (XGBoosterPredict(booster_->handle, data.handle(), mask, static_cast<unsigned>(rounds), 0,
                       &length, &result) != 0) {
    return XgbError("XGBoosterPredict (contributions)");
  }
  return std::vector<float>(result, result + length);
}

Result<std::string> BoostedTrees::Serialize() const {
  bst_ulong length = 0;
  const char* bytes = nullptr;
  if (XGBoosterSaveModelToBuffer(booster_->handle, R"({"format": "json"})", &length, &bytes) != 0) {
    return XgbError("XGBoosterSaveModelToBuffer");
  }
  return std::string(bytes, length);
}

}  // namespace tenure::analytics
