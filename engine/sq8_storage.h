// Sq8Storage: the rows of a FieldIndex in SQ8 form (one byte per dimension)
// as a Faiss flat-codes index, so that Faiss's HNSW construction and the
// project's beam search and scans run on the codes.
//
// The quantizer is Faiss's ScalarQuantizer QT_8bit: per dimension, the range
// [min - m * (max - min), max + m * (max - min)] of the training rows (m =
// kSq8RangeMargin), split into 255 steps; a value outside the range clamps to
// its end, and a code c decodes to vmin + (c + 0.5) * vdiff / 255. Training
// and encoding are Faiss's; inner products use the project's SIMD kernels
// (vector_kernels.h) with the dequantisation folded into the query:
// q . x = sum q[i] * offset[i] + sum (q[i] * scale[i]) * code[i], with
// offset[i] = vmin[i] + scale[i] / 2 and scale[i] = vdiff[i] / 255.
#ifndef CLUSTERMATCH_ENGINE_SQ8_STORAGE_H_
#define CLUSTERMATCH_ENGINE_SQ8_STORAGE_H_

#include <faiss/IndexFlatCodes.h>
#include <faiss/impl/DistanceComputer.h>
#include <faiss/impl/ScalarQuantizer.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace clustermatch {

inline constexpr float kSq8RangeMargin = 0.02f;

// A float query prepared for one Sq8Storage: score = bias + InnerProductU8(
// weights, code, d).
struct Sq8Query {
  float bias = 0;
  std::vector<float> weights;
};

class Sq8Storage final : public faiss::IndexFlatCodes {
 public:
  // Untrained; Train or SetRanges before adding rows.
  explicit Sq8Storage(int dimension);

  // Learns each dimension's range from the n rows, all-zero rows left out
  // (a firm without text in the field); with no other row the range is
  // [-1, 1]. Requires ntotal == 0.
  void Train(const float* rows, size_t n);
  // The trained ranges (vmin, then vdiff: 2 * d floats), as Train leaves
  // them; what a snapshot saves.
  const std::vector<float>& ranges() const { return quantizer_.trained; }
  // Restores ranges() from a snapshot, or from another storage (so that a
  // compaction re-encodes its decoded rows to the same codes). False, with
  // nothing changed, unless there are 2 * d finite floats with every vdiff
  // > 0.
  bool SetRanges(const std::vector<float>& ranges);
  bool trained() const { return is_trained; }

  // Encoding and decoding (Faiss's), the codec IndexFlatCodes::add and
  // reconstruct use.
  void sa_encode(idx_t n, const float* x, uint8_t* bytes) const override;
  void sa_decode(idx_t n, const uint8_t* bytes, float* x) const override;
  void search(idx_t n, const float* x, idx_t k, float* distances, idx_t* labels,
              const faiss::SearchParameters* params = nullptr) const override;

  const uint8_t* row_codes(size_t row) const { return codes.data() + row * code_size; }
  // Starts loading a row's codes (graph walks, before scoring): a row of d
  // codes spans about d / 64 cache lines, and up to four are prefetched (all
  // of them at d = 256, the codes being 64-byte aligned: cache_line_new.cc).
  void PrefetchRow(size_t row) const {
    const uint8_t* row_start = row_codes(row);
    const size_t bytes = code_size < 256 ? code_size : 256;
    for (size_t offset = 0; offset < bytes; offset += 64) __builtin_prefetch(row_start + offset);
  }
  void DecodeRow(size_t row, float* out) const;
  Sq8Query Prepare(const float* query) const;
  // Prepares the query as the decoded row `row` (for row-to-row scores).
  void PrepareRow(size_t row, Sq8Query& out) const;
  float Score(const Sq8Query& query, size_t row) const;

  // Inner products between a query and stored rows, and between two stored
  // rows; the caller owns the result.
  faiss::FlatCodesDistanceComputer* get_FlatCodesDistanceComputer() const override;

 private:
  void Derive();  // offset_ and scale_ from the quantizer's ranges

  faiss::ScalarQuantizer quantizer_;
  std::vector<float> offset_;  // vmin + scale / 2 per dimension
  std::vector<float> scale_;   // vdiff / 255 per dimension
};

// Minus the inner product over SQ8 rows (what HNSW minimises), as
// NewNegatedInnerProduct does for float rows.
std::unique_ptr<faiss::DistanceComputer> NewNegatedSq8InnerProduct(const Sq8Storage& storage);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_SQ8_STORAGE_H_
