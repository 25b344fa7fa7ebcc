// SparseVector: a sparse float vector over hashed feature ids, the value type
// TextModel::EmbedSparse returns. Plain data; no synchronisation needed.
#ifndef CLUSTERMATCH_MODELS_SPARSE_VECTOR_H_
#define CLUSTERMATCH_MODELS_SPARSE_VECTOR_H_

#include <cstdint>
#include <vector>

namespace clustermatch {

// Invariants (kept by every producer in models/): `indices` are sorted
// ascending and unique, `values` has the same length, and the vector is
// L2-normalised when non-empty.
struct SparseVector {
  std::vector<uint32_t> indices;
  std::vector<float> values;

  bool empty() const { return indices.empty(); }
  size_t size() const { return indices.size(); }
};

// Inner product of two sparse vectors with sorted indices (cosine when both
// are L2-normalised). Linear in the total number of entries.
float Dot(const SparseVector& a, const SparseVector& b);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_MODELS_SPARSE_VECTOR_H_
