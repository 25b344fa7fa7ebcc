#include "engine/simd_flat_storage.h"

#include <faiss/impl/DistanceComputer.h>

#include "engine/vector_kernels.h"

namespace clustermatch {
namespace {

class SimdInnerProductComputer final : public faiss::FlatCodesDistanceComputer {
 public:
  explicit SimdInnerProductComputer(const faiss::IndexFlat& storage)
      : faiss::FlatCodesDistanceComputer(storage.codes.data(), storage.code_size),
        dimension_(static_cast<size_t>(storage.d)),
        rows_(storage.get_xb()) {}

  void set_query(const float* query) override { query_ = query; }
  float distance_to_code(const uint8_t* code) override {
    return InnerProduct(query_, reinterpret_cast<const float*>(code), dimension_);
  }
  float symmetric_dis(idx_t i, idx_t j) override {
    return InnerProduct(rows_ + static_cast<size_t>(i) * dimension_,
                        rows_ + static_cast<size_t>(j) * dimension_, dimension_);
  }

 private:
  const size_t dimension_;
  const float* rows_;
  const float* query_ = nullptr;
};

class NegatedInnerProduct final : public faiss::DistanceComputer {
 public:
  explicit NegatedInnerProduct(const faiss::IndexFlat& storage)
      : dimension_(static_cast<size_t>(storage.d)), rows_(storage.get_xb()) {}
  void set_query(const float* query) override { query_ = query; }
  float operator()(idx_t i) override {
    return -InnerProduct(query_, rows_ + static_cast<size_t>(i) * dimension_, dimension_);
  }
  float symmetric_dis(idx_t i, idx_t j) override {
    return -InnerProduct(rows_ + static_cast<size_t>(i) * dimension_,
                         rows_ + static_cast<size_t>(j) * dimension_, dimension_);
  }

 private:
  const size_t dimension_;
  const float* rows_;
  const float* query_ = nullptr;
};

}  // namespace

std::unique_ptr<faiss::DistanceComputer> NewNegatedInnerProduct(const faiss::IndexFlat& storage) {
  return std::make_unique<NegatedInnerProduct>(storage);
}

faiss::FlatCodesDistanceComputer* SimdFlatStorage::get_FlatCodesDistanceComputer() const {
  return new SimdInnerProductComputer(*this);
}

}  // namespace clustermatch
