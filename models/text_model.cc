#include "models/text_model.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <utility>

#include <Eigen/Dense>
#include <Eigen/SparseCore>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "models/randomized_svd.h"
#include "models/text_normalizer.h"
#include "models/weighted_row_sum.h"

namespace clustermatch {
namespace {

constexpr int kUntrainedHashBits = 20;

float SmoothIdf(int64_t documents, int64_t document_frequency) {
  return static_cast<float>(std::log((1.0 + static_cast<double>(documents)) /
                                     (1.0 + static_cast<double>(document_frequency))) +
                            1.0);
}

absl::Status ValidateOptions(const TextModelOptions& o) {
  if (o.dimension < 1 || o.dimension > kMaxModelDimension) {
    return absl::InvalidArgumentError(
        absl::StrCat("dimension must be in [1, ", kMaxModelDimension, "], got ", o.dimension));
  }
  if (o.hash_bits < kMinHashBits || o.hash_bits > kMaxHashBits) {
    return absl::InvalidArgumentError(absl::StrCat("hash_bits must be in [", kMinHashBits, ", ",
                                                   kMaxHashBits, "], got ", o.hash_bits));
  }
  if (o.max_features < 1 || o.min_document_frequency < 1 || o.oversampling < 0 ||
      o.power_iterations < 0) {
    return absl::InvalidArgumentError(
        "max_features and min_document_frequency must be positive; oversampling and "
        "power_iterations must not be negative");
  }
  if (o.max_training_documents < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "max_training_documents must not be negative (0: no cap), got ", o.max_training_documents));
  }
  return absl::OkStatus();
}

// The documents Train learns from: all of them up to the cap, else a uniform
// sample of exactly `max_training_documents`, in corpus order, by selection
// sampling (Knuth's algorithm S) with a generator seeded from the options.
std::vector<std::string_view> TrainingSample(std::span<const std::string> documents,
                                             const TextModelOptions& options) {
  const size_t cap = static_cast<size_t>(options.max_training_documents);
  std::vector<std::string_view> sample;
  if (cap == 0 || documents.size() <= cap) {
    sample.assign(documents.begin(), documents.end());
    return sample;
  }
  sample.reserve(cap);
  std::mt19937_64 random(options.seed ^ 0x9e3779b97f4a7c15ULL);
  for (size_t i = 0; i < documents.size() && sample.size() < cap; ++i) {
    const double uniform = static_cast<double>(random() >> 11) * 0x1.0p-53;  // [0, 1)
    const auto remaining = static_cast<double>(documents.size() - i);
    if (uniform * remaining < static_cast<double>(cap - sample.size())) {
      sample.emplace_back(documents[i]);
    }
  }
  return sample;
}

// Buckets with df >= min_df (or >= 1 if none reaches it), the max_features
// most frequent, sorted by bucket. Ties break on the bucket id so that
// training is deterministic.
std::vector<std::pair<uint32_t, int64_t>> SelectVocabulary(
    const absl::flat_hash_map<uint32_t, int64_t>& df, const TextModelOptions& options) {
  std::vector<std::pair<uint32_t, int64_t>> vocabulary;
  for (int64_t min_df : {int64_t{options.min_document_frequency}, int64_t{1}}) {
    for (const auto& [bucket, count] : df) {
      if (count >= min_df) vocabulary.emplace_back(bucket, count);
    }
    if (!vocabulary.empty()) break;
  }
  std::sort(vocabulary.begin(), vocabulary.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (vocabulary.size() > static_cast<size_t>(options.max_features)) {
    vocabulary.resize(static_cast<size_t>(options.max_features));
  }
  std::sort(vocabulary.begin(), vocabulary.end());
  return vocabulary;
}

absl::flat_hash_map<uint32_t, uint32_t> RowIndex(const std::vector<uint32_t>& vocabulary) {
  absl::flat_hash_map<uint32_t, uint32_t> row_of_bucket;
  row_of_bucket.reserve(vocabulary.size());
  for (size_t row = 0; row < vocabulary.size(); ++row) {
    row_of_bucket.emplace(vocabulary[row], static_cast<uint32_t>(row));
  }
  return row_of_bucket;
}

// The L2-normalised TF-IDF matrix (documents x vocabulary), filled row by
// row in order: vocabulary rows are sorted by bucket like the terms, so each
// row's columns arrive sorted. Documents without a vocabulary feature get no
// row. Releases `doc_terms` as it goes.
Eigen::SparseMatrix<float, Eigen::RowMajor> TfIdfMatrix(
    const TextModelParameters& params, std::vector<std::vector<HashedTerm>>* doc_terms) {
  const absl::flat_hash_map<uint32_t, uint32_t> row_of_bucket = RowIndex(params.vocabulary);
  size_t nonzeros = 0;
  for (const std::vector<HashedTerm>& terms : *doc_terms) nonzeros += terms.size();
  Eigen::SparseMatrix<float, Eigen::RowMajor> matrix(
      static_cast<Eigen::Index>(doc_terms->size()),
      static_cast<Eigen::Index>(params.vocabulary.size()));
  matrix.reserve(static_cast<Eigen::Index>(nonzeros));
  std::vector<std::pair<int, float>> row;
  int rows = 0;
  for (std::vector<HashedTerm>& terms : *doc_terms) {
    row.clear();
    double norm2 = 0;
    for (const HashedTerm& term : terms) {
      auto it = row_of_bucket.find(term.bucket);
      if (it == row_of_bucket.end()) continue;
      const float value = SublinearTf(term.weight) * params.idf[it->second];
      norm2 += static_cast<double>(value) * value;
      row.emplace_back(static_cast<int>(it->second), value);
    }
    std::vector<HashedTerm>().swap(terms);
    if (!(norm2 > 0)) continue;
    const auto scale = static_cast<float>(1.0 / std::sqrt(norm2));
    matrix.startVec(rows);
    for (const auto& [column, value] : row) matrix.insertBack(rows, column) = value * scale;
    ++rows;
  }
  matrix.finalize();
  matrix.conservativeResize(rows, matrix.cols());
  return matrix;
}

}  // namespace

TextModel::TextModel(TextModelParameters params)
    : params_(std::move(params)), row_of_bucket_(RowIndex(params_.vocabulary)) {}

TextModel TextModel::Untrained(int dimension) {
  TextModelParameters params;
  params.dimension = std::clamp(dimension, 1, kMaxModelDimension);
  params.hash_bits = kUntrainedHashBits;
  return TextModel(std::move(params));
}

absl::StatusOr<TextModel> TextModel::Train(std::span<const std::string> documents,
                                           const TextModelOptions& options) {
  if (absl::Status status = ValidateOptions(options); !status.ok()) return status;

  // Weighted term counts per document and document frequencies.
  const std::vector<std::string_view> sample = TrainingSample(documents, options);
  std::vector<std::vector<HashedTerm>> doc_terms;
  doc_terms.reserve(sample.size());
  absl::flat_hash_map<uint32_t, int64_t> df;
  for (const std::string_view document : sample) {
    absl::StatusOr<std::string> normalized = NormalizeText(document);
    if (!normalized.ok()) continue;
    std::vector<HashedTerm> terms = HashFeatures(*normalized, options.hash_bits);
    if (terms.empty()) continue;
    for (const HashedTerm& term : terms) ++df[term.bucket];
    doc_terms.push_back(std::move(terms));
  }
  if (doc_terms.empty()) {
    return absl::InvalidArgumentError("no training document yields a text feature");
  }
  const auto document_count = static_cast<int64_t>(doc_terms.size());

  TextModelParameters params;
  params.trained = true;
  params.hash_bits = options.hash_bits;
  params.document_count = document_count;
  params.unseen_idf = SmoothIdf(document_count, 0);
  for (const auto& [bucket, count] : SelectVocabulary(df, options)) {
    params.vocabulary.push_back(bucket);
    params.idf.push_back(SmoothIdf(document_count, count));
  }
  const Eigen::SparseMatrix<float, Eigen::RowMajor> matrix = TfIdfMatrix(params, &doc_terms);

  RandomizedSvdOptions svd_options;
  svd_options.rank = options.dimension;
  svd_options.oversampling = options.oversampling;
  svd_options.power_iterations = options.power_iterations;
  svd_options.seed = options.seed;
  const TruncatedSvd svd = RandomizedSvd(matrix, svd_options);
  // Rank-deficient corpora give fewer components than asked for.
  const Eigen::Index d = svd.singular_values.size();
  if (d == 0) return absl::InvalidArgumentError("the training corpus has no usable features");
  params.dimension = static_cast<int>(d);
  params.singular_values.assign(svd.singular_values.data(), svd.singular_values.data() + d);
  params.projection.resize(params.vocabulary.size() * static_cast<size_t>(d));
  Eigen::Map<Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
      params.projection.data(), static_cast<Eigen::Index>(params.vocabulary.size()), d) =
      svd.v.leftCols(d);
  return TextModel(std::move(params));
}

std::vector<HashedTerm> TextModel::Terms(std::string_view text) const {
  absl::StatusOr<std::string> normalized = NormalizeText(text);
  if (!normalized.ok()) return {};
  return HashFeatures(*normalized, params_.hash_bits);
}

SparseVector TextModel::EmbedSparse(std::string_view text) const {
  SparseVector v;
  const std::vector<HashedTerm> terms = Terms(text);
  v.indices.reserve(terms.size());
  v.values.reserve(terms.size());
  for (const HashedTerm& term : terms) {
    float idf = 1;
    if (params_.trained) {
      auto it = row_of_bucket_.find(term.bucket);
      idf = it == row_of_bucket_.end() ? params_.unseen_idf : params_.idf[it->second];
    }
    v.indices.push_back(term.bucket);
    v.values.push_back(SublinearTf(term.weight) * idf);
  }
  NormalizeL2(&v);
  return v;
}

std::optional<FeatureList> TextModel::Features(std::string_view text) const {
  absl::StatusOr<std::string> normalized = NormalizeText(text);
  if (!normalized.ok()) return std::nullopt;
  return FeatureList(*normalized, params_.hash_bits);
}

std::vector<float> TextModel::EmbedFeatures(const FeatureList& features) const {
  return EmbedTerms(features.Sum());
}

std::vector<float> TextModel::Embed(std::string_view text) const { return EmbedTerms(Terms(text)); }

std::vector<float> TextModel::EmbedTerms(std::span<const HashedTerm> terms) const {
  const int d = params_.dimension;
  std::vector<float> out(static_cast<size_t>(d), 0.0f);
  Eigen::Map<Eigen::VectorXf> y(out.data(), d);
  if (params_.trained) {
    // All lookups first, then one pass of the rows (weighted_row_sum.h).
    thread_local std::vector<WeightedRow> rows;
    rows.clear();
    for (const HashedTerm& term : terms) {
      auto it = row_of_bucket_.find(term.bucket);
      if (it == row_of_bucket_.end()) continue;
      rows.push_back({it->second, SublinearTf(term.weight) * params_.idf[it->second]});
    }
    AddWeightedRows(params_.projection.data(), static_cast<size_t>(d), rows, out.data());
  } else {
    // Signed hashing: a second mix of the bucket picks the dimension (high
    // 32 bits, scaled to [0, d)) and the sign (lowest bit).
    for (const HashedTerm& term : terms) {
      const uint64_t h = MixBits64(uint64_t{term.bucket} ^ 0x5bd1e9955bd1e995ULL);
      const auto index = static_cast<size_t>(((h >> 32) * static_cast<uint64_t>(d)) >> 32);
      const float sign = (h & 1) != 0 ? -1.0f : 1.0f;
      out[index] += sign * SublinearTf(term.weight);
    }
  }
  const float norm = y.norm();
  if (norm > 0 && std::isfinite(norm)) {
    y /= norm;
  } else {
    y.setZero();
  }
  return out;
}

std::string TextModel::Describe() const {
  if (!params_.trained) {
    return absl::StrCat("untrained hashing d=", params_.dimension,
                        " hash_bits=", params_.hash_bits);
  }
  return absl::StrCat("lsa d=", params_.dimension, " vocab=", params_.vocabulary.size(),
                      " docs=", params_.document_count, " hash_bits=", params_.hash_bits);
}

std::string TextModel::Serialize() const { return EncodeTextModel(params_); }

absl::StatusOr<TextModel> TextModel::Deserialize(std::string_view bytes) {
  absl::StatusOr<TextModelParameters> params = DecodeTextModel(bytes);
  if (!params.ok()) return params.status();
  return TextModel(*std::move(params));
}

}  // namespace clustermatch
