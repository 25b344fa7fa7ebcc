// SparseVector: a sparse float vector over hashed feature ids, the value type
// TextModel::EmbedSparse returns. Plain data; no synchronisation needed.
#ifndef CLUSTERMATCH_MODELS_SPARSE_VECTOR_H_
#define CLUSTERMATCH_MODELS_SPARSE_VECTOR_H_

#include <cstddef>
#include <cstdint>
#include <span>
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

// A fixed set of sparse vectors, indexed by feature id so that one other
// vector is multiplied with all of them in a single pass over its entries:
// Dots(v, out) sets out[i] = Dot(set[i], v), bit for bit, since every product
// is summed in the same ascending index order as Dot does. Worth building
// when the set is compared with many vectors (the query side of a ranking).
// Immutable once built; Dots may be called concurrently.
class SparseDotTable {
 public:
  SparseDotTable() = default;
  explicit SparseDotTable(std::span<const SparseVector* const> vectors);

  size_t size() const { return size_; }
  // `out` has size() entries; `scratch` is resized as needed and may be reused.
  void Dots(const SparseVector& v, float* out, std::vector<double>& scratch) const;
  // Dot with the one vector of a table built from a single vector.
  float Dot(const SparseVector& v) const;

 private:
  struct Slot {
    uint32_t feature;  // kEmpty when unused
    uint32_t begin;    // first posting of the feature
    uint32_t end;
  };
  struct Posting {
    uint32_t vector;
    float value;
  };
  static constexpr uint32_t kEmpty = 0xffffffffu;

  // Most features of the other vector are absent from the table: one bit
  // test rejects nearly all of them before any probing.
  bool MayContain(uint32_t feature) const {
    const uint32_t bit = feature & bit_mask_;
    return (bits_[bit >> 6] >> (bit & 63)) & 1;
  }
  const Slot* Find(uint32_t feature) const {
    for (uint32_t i = feature & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.feature == feature) return &slot;
      if (slot.feature == kEmpty) return nullptr;
    }
  }

  size_t size_ = 0;
  uint32_t mask_ = 0;
  uint32_t bit_mask_ = 0;
  std::vector<uint64_t> bits_;  // bit (feature & bit_mask_) set for every feature held
  std::vector<Slot> slots_;     // open addressing, linear probing, load <= 1/2
  std::vector<Posting> postings_;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_MODELS_SPARSE_VECTOR_H_
