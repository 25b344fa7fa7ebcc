#include "engine/firm_signals.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "engine/dense_dot.h"
#include "engine/firm_texts.h"

namespace clustermatch {

FirmSignals SignalsOf(const TextModel& model, const Firm& firm, const FirmVectors* dense,
                      std::shared_ptr<const SparseFields> sparse) {
  FirmSignals signals;
  signals.firm = &firm;
  signals.dense = dense != nullptr ? *dense : EmbedFirm(model, firm);
  signals.sparse = sparse != nullptr
                       ? std::move(sparse)
                       : std::make_shared<const SparseFields>(SparseFieldsOf(model, firm));
  return signals;
}

FirmSignals QuerySignals(const TextModel& model, std::string_view text) {
  FirmSignals signals;
  std::vector<float> dense = model.Embed(text);
  SparseVector sparse = model.EmbedSparse(text);
  auto fields = std::make_shared<SparseFields>();
  for (int f = 0; f < kVectorFieldCount; ++f) {
    signals.dense.fields[f] = dense;
    (*fields)[f] = sparse;
  }
  signals.sparse = std::move(fields);
  return signals;
}

void RequireLoaded(const FirmSignals& signals, VectorField field) {
  if ((signals.loaded & FieldBit(field)) != 0) [[likely]]
    return;
  std::fprintf(stderr, "clustermatch: field %d of firm \"%s\" compared but not loaded\n",
               static_cast<int>(field), signals.firm != nullptr ? signals.firm->id.c_str() : "");
  std::abort();
}

float Similarity(const FirmSignals& a, VectorField fa, const FirmSignals& b, VectorField fb) {
  RequireLoaded(a, fa);
  RequireLoaded(b, fb);
  const int ia = static_cast<int>(fa);
  const int ib = static_cast<int>(fb);
  return BlendedCosine(a.dense.fields[ia], (*a.sparse)[ia], b.dense.fields[ib], (*b.sparse)[ib]);
}

float DenseCosine(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.empty() || b.empty() || a.size() != b.size()) return 0;
  return DenseDot(a.data(), b.data(), a.size());
}

DenseDotBlock::DenseDotBlock(const std::vector<const std::vector<float>*>& vectors)
    : size_(vectors.size()) {
  for (const std::vector<float>* v : vectors) {
    if (!v->empty()) {
      dimension_ = v->size();
      break;
    }
  }
  for (size_t i = 0; i < size_; ++i) {
    const std::vector<float>& v = *vectors[i];
    if (v.empty() || v.size() != dimension_) continue;
    rows_.insert(rows_.end(), v.begin(), v.end());
    valid_.push_back(i);
  }
}

void DenseDotBlock::Dots(const std::vector<const std::vector<float>*>& others, float* out) const {
  std::fill(out, out + others.size() * size_, 0.0f);
  if (valid_.empty()) return;
  // With every vector valid (the usual case) the products go straight to out.
  const bool all_valid = valid_.size() == size_;
  std::vector<float> dots(all_valid ? 0 : valid_.size());
  for (size_t j = 0; j < others.size(); ++j) {
    if (others[j]->size() != dimension_) continue;
    float* row = out + j * size_;
    DenseDots(others[j]->data(), rows_.data(), valid_.size(), dimension_,
              all_valid ? row : dots.data());
    if (all_valid) continue;
    for (size_t v = 0; v < valid_.size(); ++v) row[valid_[v]] = dots[v];
  }
}

float BlendedCosine(const std::vector<float>& dense_a, const SparseVector& sparse_a,
                    const std::vector<float>& dense_b, const SparseVector& sparse_b) {
  return BlendCosines(DenseCosine(dense_a, dense_b), Dot(sparse_a, sparse_b));
}

FieldComparer::FieldComparer(const FirmSignals& a, VectorField fa) {
  RequireLoaded(a, fa);
  const int ia = static_cast<int>(fa);
  dense_ = &a.dense.fields[ia];
  const SparseVector* sparse[] = {&(*a.sparse)[ia]};
  sparse_ = SparseDotTable(sparse);
}

float FieldComparer::Similarity(const FirmSignals& b, VectorField fb) const {
  RequireLoaded(b, fb);
  const int ib = static_cast<int>(fb);
  return BlendCosines(DenseCosine(*dense_, b.dense.fields[ib]), sparse_.Dot((*b.sparse)[ib]));
}

}  // namespace clustermatch
