// FirmSignals: what the scorer compares for one firm (or a free-text query):
// the dense vectors that the index holds and the sparse TF-IDF vectors of the
// same texts. Similarity blends both: the dense (LSA) part generalises across
// wordings, the sparse part keeps exact terms sharp.
#ifndef CLUSTERMATCH_ENGINE_FIRM_SIGNALS_H_
#define CLUSTERMATCH_ENGINE_FIRM_SIGNALS_H_

#include <algorithm>
#include <array>
#include <memory>
#include <string_view>
#include <vector>

#include "engine/firm.h"
#include "engine/sparse_field_cache.h"
#include "engine/vector_index.h"
#include "models/text_model.h"

namespace clustermatch {

struct FirmPhrases;  // phrase_cache.h

struct FirmSignals {
  const Firm* firm = nullptr;  // null for a free-text query
  // The fields whose vectors were loaded: a candidate gets those its query
  // compares, not all four. Comparing a field that was not loaded is a bug,
  // and aborts rather than score it as empty.
  FieldMask loaded = kAllFields;
  FirmVectors dense;
  // Shared with the SparseFieldCache entry (never null once filled): a
  // candidate's signals are built for every query, and copying its sparse
  // vectors each time cost more than comparing them.
  std::shared_ptr<const SparseFields> sparse;
  // Its needs and answers resolved in the scorer's phrase cache, when the
  // candidate was loaded for a query that compares phrases; null otherwise,
  // and the scorer then looks them up by text.
  std::shared_ptr<const FirmPhrases> phrases;
};

// Weight of the dense part in Similarity; the sparse part gets the rest.
// Measured on tests/data/complement_pairs.jsonl inside the sample cluster:
// 0.0 gave 33/78 top-3 hits, 0.5 gave 46/78, 0.7 gave 47/78.
inline constexpr float kDenseWeight = 0.7f;

// Aborts, naming the field, unless `signals` loaded `field` (see above).
void RequireLoaded(const FirmSignals& signals, VectorField field);

// `dense` and `sparse` may be null: they are then computed from the model.
FirmSignals SignalsOf(const TextModel& model, const Firm& firm, const FirmVectors* dense,
                      std::shared_ptr<const SparseFields> sparse = nullptr);

// Signals of a free-text query, filled into every field.
FirmSignals QuerySignals(const TextModel& model, std::string_view text);

// Blended cosine between field `fa` of `a` and field `fb` of `b`, clamped to
// [0, 1]; 0 when either side has no text in that field.
float Similarity(const FirmSignals& a, VectorField fa, const FirmSignals& b, VectorField fb);

// The blend itself, for vectors held elsewhere (phrase_cache.h).
float BlendedCosine(const std::vector<float>& dense_a, const SparseVector& sparse_a,
                    const std::vector<float>& dense_b, const SparseVector& sparse_b);

// Its two parts, for callers that compute them in bulk: the dense inner
// product (0 when either side is empty or the sizes differ), summed in
// DenseDot's fixed order (dense_dot.h), and the blend of a dense and a
// sparse cosine, clamped to [0, 1].
float DenseCosine(const std::vector<float>& a, const std::vector<float>& b);
inline float BlendCosines(float dense, float sparse) {
  return std::clamp(kDenseWeight * dense + (1 - kDenseWeight) * sparse, 0.0f, 1.0f);
}

// A fixed list of dense vectors, copied side by side, whose inner products
// with other vectors are computed several rows per pass over the other
// vector (DenseDots). The results equal DenseCosine's bit for bit: every
// kernel sums in the same order.
class DenseDotBlock {
 public:
  DenseDotBlock() = default;
  explicit DenseDotBlock(const std::vector<const std::vector<float>*>& vectors);

  size_t size() const { return size_; }
  // out[j * size() + i] = DenseCosine(vector i, *others[j]).
  void Dots(const std::vector<const std::vector<float>*>& others, float* out) const;

 private:
  size_t size_ = 0;
  size_t dimension_ = 0;
  std::vector<size_t> valid_;  // the vectors with dimension_ floats
  std::vector<float> rows_;    // those vectors, in order, one after another
};

// One field of a firm (or query) prepared for comparison with the same or
// another field of many candidates: Similarity(a, fa, b, fb) ==
// FieldComparer(a, fa).Similarity(b, fb), bit for bit.
class FieldComparer {
 public:
  FieldComparer() = default;
  FieldComparer(const FirmSignals& a, VectorField fa);

  float Similarity(const FirmSignals& b, VectorField fb) const;

 private:
  const std::vector<float>* dense_ = nullptr;
  SparseDotTable sparse_;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_FIRM_SIGNALS_H_
