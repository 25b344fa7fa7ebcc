#include "engine/firm_signals.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "engine/firm_texts.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

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
  float sum = 0;
  for (size_t i = 0; i < a.size(); ++i) sum += a[i] * b[i];
  return sum;
}

namespace {

// out[j * kLanes + l] = sum over k in order of block[k * kLanes + l] * xs[j][k],
// each product rounded, then each sum: DenseCosine's arithmetic, lane by lane.
void BlockDotsPortable(const float* block, size_t d, const float* const* xs, size_t nx,
                       float* out) {
  constexpr size_t kLanes = DenseDotBlock::kLanes;
  for (size_t j = 0; j < nx; ++j) {
    for (size_t l = 0; l < kLanes; ++l) {
      float sum = 0;
      for (size_t k = 0; k < d; ++k) sum += block[k * kLanes + l] * xs[j][k];
      out[j * kLanes + l] = sum;
    }
  }
}

#if defined(__x86_64__)
// AVX without FMA on purpose: a fused multiply-add rounds once where
// DenseCosine rounds twice. kChains others at a time keep that many
// independent sums in flight.
template <int kChains>
__attribute__((target("avx"))) inline void BlockDotsAvxGroup(const float* block, size_t d,
                                                             const float* const* xs, float* out) {
  __m256 sums[kChains];
  for (int c = 0; c < kChains; ++c) sums[c] = _mm256_setzero_ps();
  for (size_t k = 0; k < d; ++k) {
    const __m256 q = _mm256_loadu_ps(block + k * 8);
    for (int c = 0; c < kChains; ++c) {
      sums[c] = _mm256_add_ps(sums[c], _mm256_mul_ps(q, _mm256_broadcast_ss(xs[c] + k)));
    }
  }
  for (int c = 0; c < kChains; ++c) _mm256_storeu_ps(out + c * 8, sums[c]);
}

__attribute__((target("avx"))) void BlockDotsAvx(const float* block, size_t d,
                                                 const float* const* xs, size_t nx, float* out) {
  size_t j = 0;
  for (; j + 8 <= nx; j += 8) BlockDotsAvxGroup<8>(block, d, xs + j, out + j * 8);
  if (j + 4 <= nx) {
    BlockDotsAvxGroup<4>(block, d, xs + j, out + j * 8);
    j += 4;
  }
  if (j + 2 <= nx) {
    BlockDotsAvxGroup<2>(block, d, xs + j, out + j * 8);
    j += 2;
  }
  if (j < nx) BlockDotsAvxGroup<1>(block, d, xs + j, out + j * 8);
}
#endif

void BlockDots(const float* block, size_t d, const float* const* xs, size_t nx, float* out) {
  static_assert(DenseDotBlock::kLanes == 8);
#if defined(__x86_64__)
  static const bool avx = __builtin_cpu_supports("avx");
  if (avx) {
    BlockDotsAvx(block, d, xs, nx, out);
    return;
  }
#endif
  BlockDotsPortable(block, d, xs, nx, out);
}

}  // namespace

DenseDotBlock::DenseDotBlock(const std::vector<const std::vector<float>*>& vectors)
    : size_(vectors.size()) {
  for (const std::vector<float>* v : vectors) {
    if (!v->empty()) {
      dimension_ = v->size();
      break;
    }
  }
  const size_t blocks = (size_ + kLanes - 1) / kLanes;
  lanes_.assign(blocks * dimension_ * kLanes, 0.0f);
  valid_.assign(size_, false);
  for (size_t i = 0; i < size_; ++i) {
    const std::vector<float>& v = *vectors[i];
    if (v.empty() || v.size() != dimension_) continue;
    valid_[i] = true;
    float* block = lanes_.data() + (i / kLanes) * dimension_ * kLanes + i % kLanes;
    for (size_t k = 0; k < dimension_; ++k) block[k * kLanes] = v[k];
  }
}

void DenseDotBlock::Dots(const std::vector<const std::vector<float>*>& others, float* out) const {
  std::fill(out, out + others.size() * size_, 0.0f);
  if (size_ == 0 || dimension_ == 0) return;
  std::vector<const float*> xs;
  std::vector<size_t> rows;
  for (size_t j = 0; j < others.size(); ++j) {
    if (others[j]->size() != dimension_) continue;
    xs.push_back(others[j]->data());
    rows.push_back(j);
  }
  std::vector<float> lanes(xs.size() * kLanes);
  const size_t blocks = (size_ + kLanes - 1) / kLanes;
  for (size_t b = 0; b < blocks; ++b) {
    BlockDots(lanes_.data() + b * dimension_ * kLanes, dimension_, xs.data(), xs.size(),
              lanes.data());
    for (size_t r = 0; r < rows.size(); ++r) {
      for (size_t l = 0; l < kLanes && b * kLanes + l < size_; ++l) {
        const size_t i = b * kLanes + l;
        if (valid_[i]) out[rows[r] * size_ + i] = lanes[r * kLanes + l];
      }
    }
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
