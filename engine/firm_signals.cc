#include "engine/firm_signals.h"

#include <algorithm>
#include <string>

#include "engine/firm_texts.h"

namespace clustermatch {
namespace {

float DenseDot(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.empty() || b.empty() || a.size() != b.size()) return 0;
  float sum = 0;
  for (size_t i = 0; i < a.size(); ++i) sum += a[i] * b[i];
  return sum;
}

float Blend(float dense, float sparse) {
  return std::clamp(kDenseWeight * dense + (1 - kDenseWeight) * sparse, 0.0f, 1.0f);
}

}  // namespace

FirmSignals SignalsOf(const TextModel& model, const Firm& firm, const FirmVectors* dense,
                      const SparseFields* sparse) {
  FirmSignals signals;
  signals.firm = &firm;
  signals.dense = dense != nullptr ? *dense : EmbedFirm(model, firm);
  signals.sparse = sparse != nullptr ? *sparse : SparseFieldsOf(model, firm);
  return signals;
}

FirmSignals QuerySignals(const TextModel& model, std::string_view text) {
  FirmSignals signals;
  std::vector<float> dense = model.Embed(text);
  SparseVector sparse = model.EmbedSparse(text);
  for (int f = 0; f < kVectorFieldCount; ++f) {
    signals.dense.fields[f] = dense;
    signals.sparse[f] = sparse;
  }
  return signals;
}

float Similarity(const FirmSignals& a, VectorField fa, const FirmSignals& b, VectorField fb) {
  const int ia = static_cast<int>(fa);
  const int ib = static_cast<int>(fb);
  return BlendedCosine(a.dense.fields[ia], a.sparse[ia], b.dense.fields[ib], b.sparse[ib]);
}

float BlendedCosine(const std::vector<float>& dense_a, const SparseVector& sparse_a,
                    const std::vector<float>& dense_b, const SparseVector& sparse_b) {
  return Blend(DenseDot(dense_a, dense_b), Dot(sparse_a, sparse_b));
}

}  // namespace clustermatch
