#include "engine/sq8_storage.h"

#include <faiss/impl/FaissAssert.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "engine/vector_kernels.h"

namespace clustermatch {
namespace {

// The smallest range a dimension keeps: a dimension with one value in
// training would otherwise divide by zero when encoding.
constexpr float kMinRange = 1e-6f;

// Inner products between two stored rows: row j is prepared as a query and
// kept, since HNSW's neighbour pruning scores one row against several in a
// row (Faiss's shrink_neighbor_list calls symmetric_dis(other, same)).
class RowPairScores {
 public:
  explicit RowPairScores(const Sq8Storage& storage) : storage_(storage) {}
  float Score(int64_t i, int64_t j) {
    if (j != prepared_) {
      storage_.PrepareRow(static_cast<size_t>(j), row_);
      prepared_ = j;
    }
    return storage_.Score(row_, static_cast<size_t>(i));
  }

 private:
  const Sq8Storage& storage_;
  Sq8Query row_;
  int64_t prepared_ = -1;
};

class Sq8InnerProductComputer final : public faiss::FlatCodesDistanceComputer {
 public:
  explicit Sq8InnerProductComputer(const Sq8Storage& storage)
      : faiss::FlatCodesDistanceComputer(storage.codes.data(), storage.code_size),
        storage_(storage),
        dimension_(static_cast<size_t>(storage.d)) {}

  void set_query(const float* query) override { query_ = storage_.Prepare(query); }
  float distance_to_code(const uint8_t* code) override {
    return query_.bias + InnerProductU8(query_.weights.data(), code, dimension_);
  }
  float symmetric_dis(idx_t i, idx_t j) override { return rows_.Score(i, j); }

 private:
  const Sq8Storage& storage_;
  const size_t dimension_;
  Sq8Query query_;
  RowPairScores rows_{storage_};
};

class NegatedSq8InnerProduct final : public faiss::DistanceComputer {
 public:
  explicit NegatedSq8InnerProduct(const Sq8Storage& storage) : storage_(storage) {}
  void set_query(const float* query) override { query_ = storage_.Prepare(query); }
  float operator()(idx_t i) override { return -storage_.Score(query_, static_cast<size_t>(i)); }
  float symmetric_dis(idx_t i, idx_t j) override { return -rows_.Score(i, j); }

 private:
  const Sq8Storage& storage_;
  Sq8Query query_;
  RowPairScores rows_{storage_};
};

}  // namespace

Sq8Storage::Sq8Storage(int dimension)
    : faiss::IndexFlatCodes(static_cast<size_t>(dimension), dimension, faiss::METRIC_INNER_PRODUCT),
      quantizer_(static_cast<size_t>(dimension), faiss::ScalarQuantizer::QT_8bit) {
  quantizer_.rangestat = faiss::ScalarQuantizer::RS_minmax;
  quantizer_.rangestat_arg = kSq8RangeMargin;
  is_trained = false;
}

void Sq8Storage::Train(const float* rows, size_t n) {
  FAISS_THROW_IF_NOT_MSG(ntotal == 0, "Sq8Storage: training a storage that holds rows");
  const auto dim = static_cast<size_t>(d);
  std::vector<float> sample;
  sample.reserve(n * dim);
  for (size_t i = 0; i < n; ++i) {
    const float* row = rows + i * dim;
    if (std::any_of(row, row + dim, [](float v) { return v != 0.0f; })) {
      sample.insert(sample.end(), row, row + dim);
    }
  }
  if (sample.empty()) {
    std::vector<float> ranges(dim, -1.0f);
    ranges.resize(2 * dim, 2.0f);
    SetRanges(ranges);
    return;
  }
  quantizer_.train(sample.size() / dim, sample.data());
  for (size_t i = dim; i < 2 * dim; ++i) {
    quantizer_.trained[i] = std::max(quantizer_.trained[i], kMinRange);
  }
  Derive();
}

bool Sq8Storage::SetRanges(const std::vector<float>& ranges) {
  const auto dim = static_cast<size_t>(d);
  if (ranges.size() != 2 * dim) return false;
  for (size_t i = 0; i < ranges.size(); ++i) {
    if (!std::isfinite(ranges[i]) || (i >= dim && ranges[i] < kMinRange)) return false;
  }
  quantizer_.trained = ranges;
  Derive();
  return true;
}

void Sq8Storage::Derive() {
  const auto dim = static_cast<size_t>(d);
  offset_.resize(dim);
  scale_.resize(dim);
  for (size_t i = 0; i < dim; ++i) {
    scale_[i] = quantizer_.trained[dim + i] / 255.0f;
    offset_[i] = quantizer_.trained[i] + 0.5f * scale_[i];
  }
  is_trained = true;
}

void Sq8Storage::sa_encode(idx_t n, const float* x, uint8_t* bytes) const {
  FAISS_THROW_IF_NOT_MSG(is_trained, "Sq8Storage: encoding before training");
  // Faiss's encoder expects zeroed codes.
  std::fill_n(bytes, static_cast<size_t>(n) * code_size, uint8_t{0});
  quantizer_.compute_codes(x, bytes, static_cast<size_t>(n));
}

void Sq8Storage::sa_decode(idx_t n, const uint8_t* bytes, float* x) const {
  FAISS_THROW_IF_NOT_MSG(is_trained, "Sq8Storage: decoding before training");
  quantizer_.decode(bytes, x, static_cast<size_t>(n));
}

void Sq8Storage::DecodeRow(size_t row, float* out) const {
  const uint8_t* code = row_codes(row);
  for (size_t i = 0; i < code_size; ++i) out[i] = offset_[i] + scale_[i] * code[i];
}

Sq8Query Sq8Storage::Prepare(const float* query) const {
  Sq8Query prepared;
  prepared.weights.resize(code_size);
  double bias = 0;
  for (size_t i = 0; i < code_size; ++i) {
    prepared.weights[i] = query[i] * scale_[i];
    bias += static_cast<double>(query[i]) * offset_[i];
  }
  prepared.bias = static_cast<float>(bias);
  return prepared;
}

void Sq8Storage::PrepareRow(size_t row, Sq8Query& out) const {
  const uint8_t* code = row_codes(row);
  out.weights.resize(code_size);
  double bias = 0;
  for (size_t i = 0; i < code_size; ++i) {
    const float value = offset_[i] + scale_[i] * code[i];
    out.weights[i] = value * scale_[i];
    bias += static_cast<double>(value) * offset_[i];
  }
  out.bias = static_cast<float>(bias);
}

float Sq8Storage::Score(const Sq8Query& query, size_t row) const {
  return query.bias + InnerProductU8(query.weights.data(), row_codes(row), code_size);
}

void Sq8Storage::search(idx_t n, const float* x, idx_t k, float* distances, idx_t* labels,
                        const faiss::SearchParameters* params) const {
  FAISS_THROW_IF_NOT_MSG(params == nullptr, "Sq8Storage: search parameters are not supported");
  const auto total = static_cast<size_t>(ntotal);
  std::vector<float> scores(total);
  std::vector<std::pair<float, idx_t>> ranked;
  for (idx_t q = 0; q < n; ++q) {
    const Sq8Query query = Prepare(x + static_cast<size_t>(q) * code_size);
    InnerProductU8Rows(query.weights.data(), codes.data(), total, code_size, scores.data());
    ranked.clear();
    for (size_t i = 0; i < total; ++i) {
      ranked.emplace_back(query.bias + scores[i], static_cast<idx_t>(i));
    }
    const size_t kept = std::min(total, static_cast<size_t>(k));
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(kept),
                      ranked.end(), [](const auto& a, const auto& b) {
                        return a.first != b.first ? a.first > b.first : a.second < b.second;
                      });
    for (size_t j = 0; j < static_cast<size_t>(k); ++j) {
      const size_t at = static_cast<size_t>(q) * static_cast<size_t>(k) + j;
      distances[at] = j < kept ? ranked[j].first : -std::numeric_limits<float>::infinity();
      labels[at] = j < kept ? ranked[j].second : -1;
    }
  }
}

faiss::FlatCodesDistanceComputer* Sq8Storage::get_FlatCodesDistanceComputer() const {
  return new Sq8InnerProductComputer(*this);
}

std::unique_ptr<faiss::DistanceComputer> NewNegatedSq8InnerProduct(const Sq8Storage& storage) {
  return std::make_unique<NegatedSq8InnerProduct>(storage);
}

}  // namespace clustermatch
