#include "engine/row_norms.h"

#include <cmath>

#include "engine/field_index.h"
#include "engine/vector_kernels.h"

namespace clustermatch {
namespace {

// Norms in double, rounded up a little on the way back to float.
constexpr double kRoundUp = 1.0 + 1e-6;

double SquaredSum(const float* values, size_t n) {
  double sum = 0;
  for (size_t i = 0; i < n; ++i) sum += static_cast<double>(values[i]) * values[i];
  return sum;
}

}  // namespace

RowNorms::RowNorms(size_t dimension) : dimension_(dimension), head_(dimension / 4) {}

void RowNorms::Append(const float* rows, size_t n) {
  // The SIMD kernel, at the pace of memory (a snapshot's rows pass through
  // here when it is read): a float sum of d squares is within d 2^-24 of
  // the exact one relative to itself, so it is raised by twice that.
  const double raise = 1.0 + 2.0 * static_cast<double>(dimension_) * std::ldexp(1.0, -24);
  GrowGently(norms_, n);
  for (size_t i = 0; i < n; ++i) {
    const float* row = rows + i * dimension_;
    const double head = InnerProduct(row, row, head_);
    const double tail = InnerProduct(row + head_, row + head_, dimension_ - head_);
    norms_.push_back({static_cast<float>(std::sqrt((head + tail) * raise) * kRoundUp),
                      static_cast<float>(std::sqrt(tail * raise) * kRoundUp)});
  }
}

void RowNorms::Zero(size_t row) {
  if (row < norms_.size()) norms_[row] = {};
}

void RowNorms::Truncate(size_t n) {
  if (n < norms_.size()) norms_.resize(n);
}

void RowNorms::Clear() {
  norms_.clear();
  norms_.shrink_to_fit();
}

RowNorms::Query RowNorms::Prepare(const float* query) const {
  const double head = SquaredSum(query, head_);
  const double tail = SquaredSum(query + head_, dimension_ - head_);
  // Each float inner product of d terms is within d 2^-24 |q| |x| of the
  // exact one; two of them (the head's and the whole row's), doubled again
  // for the few roundings of the bound itself.
  const double slack = 4.0 * static_cast<double>(dimension_) * std::ldexp(1.0, -24);
  return {static_cast<float>(std::sqrt(tail) * kRoundUp),
          static_cast<float>(slack * std::sqrt(head + tail) * kRoundUp)};
}

}  // namespace clustermatch
