// FirmSignals: what the scorer compares for one firm (or a free-text query):
// the dense vectors that the index holds and the sparse TF-IDF vectors of the
// same texts. Similarity blends both: the dense (LSA) part generalises across
// wordings, the sparse part keeps exact terms sharp.
#ifndef CLUSTERMATCH_ENGINE_FIRM_SIGNALS_H_
#define CLUSTERMATCH_ENGINE_FIRM_SIGNALS_H_

#include <array>
#include <string_view>

#include "engine/firm.h"
#include "engine/sparse_field_cache.h"
#include "engine/vector_index.h"
#include "models/text_model.h"

namespace clustermatch {

struct FirmSignals {
  const Firm* firm = nullptr;  // null for a free-text query
  FirmVectors dense;
  SparseFields sparse;
};

// Weight of the dense part in Similarity; the sparse part gets the rest.
// Measured on tests/data/complement_pairs.jsonl inside the sample cluster:
// 0.0 gave 33/78 top-3 hits, 0.5 gave 46/78, 0.7 gave 47/78.
inline constexpr float kDenseWeight = 0.7f;

// `dense` and `sparse` may be null: they are then computed from the model.
FirmSignals SignalsOf(const TextModel& model, const Firm& firm, const FirmVectors* dense,
                      const SparseFields* sparse = nullptr);

// Signals of a free-text query, filled into every field.
FirmSignals QuerySignals(const TextModel& model, std::string_view text);

// Blended cosine between field `fa` of `a` and field `fb` of `b`, clamped to
// [0, 1]; 0 when either side has no text in that field.
float Similarity(const FirmSignals& a, VectorField fa, const FirmSignals& b, VectorField fb);

// The blend itself, for vectors held elsewhere (phrase_cache.h).
float BlendedCosine(const std::vector<float>& dense_a, const SparseVector& sparse_a,
                    const std::vector<float>& dense_b, const SparseVector& sparse_b);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_FIRM_SIGNALS_H_
