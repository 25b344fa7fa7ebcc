#include "engine/dense_dot.h"

// This file is compiled with -ffp-contract=off (engine/CMakeLists.txt): a
// fused multiply-add rounds once where the order in dense_dot.h rounds twice,
// and GCC would otherwise fuse the vector multiply and add where the target
// has FMA (AVX-512 has).

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace clustermatch {
namespace {

constexpr size_t kSums = 16;
constexpr size_t kRowsAtOnce = 4;

// The products past the last whole group of 16, added to their sums, then
// the fold.
float Finish(float* sums, const float* a, const float* b, size_t begin, size_t d) {
  for (size_t k = begin; k < d; ++k) sums[k % kSums] += a[k] * b[k];
  for (size_t width = kSums / 2; width >= 1; width /= 2) {
    for (size_t l = 0; l < width; ++l) sums[l] += sums[l + width];
  }
  return sums[0];
}

float DenseDotPortable(const float* a, const float* b, size_t d) {
  float sums[kSums] = {};
  const size_t whole = d - d % kSums;
  for (size_t k = 0; k < whole; k += kSums) {
    for (size_t l = 0; l < kSums; ++l) sums[l] += a[k + l] * b[k + l];
  }
  return Finish(sums, a, b, whole, d);
}

void DenseDotsPortable(const float* x, const float* rows, size_t n, size_t d, float* out) {
  for (size_t i = 0; i < n; ++i) out[i] = DenseDotPortable(x, rows + i * d, d);
}

#if defined(__x86_64__)
// One 16-float register holds the 16 sums.
template <size_t kRows>
__attribute__((target("avx512f"))) void DotsAvx512(const float* x, const float* rows, size_t d,
                                                   float* out) {
  __m512 sums[kRows];
  for (size_t r = 0; r < kRows; ++r) sums[r] = _mm512_setzero_ps();
  const size_t whole = d - d % kSums;
  for (size_t k = 0; k < whole; k += kSums) {
    const __m512 xv = _mm512_loadu_ps(x + k);
    for (size_t r = 0; r < kRows; ++r) {
      sums[r] = _mm512_add_ps(sums[r], _mm512_mul_ps(xv, _mm512_loadu_ps(rows + r * d + k)));
    }
  }
  for (size_t r = 0; r < kRows; ++r) {
    alignas(64) float lanes[kSums];
    _mm512_store_ps(lanes, sums[r]);
    out[r] = Finish(lanes, x, rows + r * d, whole, d);
  }
}

__attribute__((target("avx512f"))) void DenseDotsAvx512(const float* x, const float* rows, size_t n,
                                                        size_t d, float* out) {
  size_t i = 0;
  for (; i + kRowsAtOnce <= n; i += kRowsAtOnce)
    DotsAvx512<kRowsAtOnce>(x, rows + i * d, d, out + i);
  for (; i < n; ++i) DotsAvx512<1>(x, rows + i * d, d, out + i);
}

// Two 8-float registers hold sums 0-7 and 8-15.
template <size_t kRows>
__attribute__((target("avx"))) void DotsAvx(const float* x, const float* rows, size_t d,
                                            float* out) {
  __m256 low[kRows];
  __m256 high[kRows];
  for (size_t r = 0; r < kRows; ++r) low[r] = high[r] = _mm256_setzero_ps();
  const size_t whole = d - d % kSums;
  for (size_t k = 0; k < whole; k += kSums) {
    const __m256 x_low = _mm256_loadu_ps(x + k);
    const __m256 x_high = _mm256_loadu_ps(x + k + 8);
    for (size_t r = 0; r < kRows; ++r) {
      low[r] = _mm256_add_ps(low[r], _mm256_mul_ps(x_low, _mm256_loadu_ps(rows + r * d + k)));
      high[r] =
          _mm256_add_ps(high[r], _mm256_mul_ps(x_high, _mm256_loadu_ps(rows + r * d + k + 8)));
    }
  }
  for (size_t r = 0; r < kRows; ++r) {
    alignas(32) float lanes[kSums];
    _mm256_store_ps(lanes, low[r]);
    _mm256_store_ps(lanes + 8, high[r]);
    out[r] = Finish(lanes, x, rows + r * d, whole, d);
  }
}

__attribute__((target("avx"))) void DenseDotsAvx(const float* x, const float* rows, size_t n,
                                                 size_t d, float* out) {
  size_t i = 0;
  for (; i + kRowsAtOnce <= n; i += kRowsAtOnce) DotsAvx<kRowsAtOnce>(x, rows + i * d, d, out + i);
  for (; i < n; ++i) DotsAvx<1>(x, rows + i * d, d, out + i);
}
#endif

DenseDotsKernel Fastest() {
  const std::vector<NamedDenseDotsKernel> kernels = DenseDotsKernels();
  return kernels.back().kernel;
}

DenseDotsKernel Kernel() {
  static const DenseDotsKernel kernel = Fastest();
  return kernel;
}

}  // namespace

std::vector<NamedDenseDotsKernel> DenseDotsKernels() {
  std::vector<NamedDenseDotsKernel> kernels = {{"portable", DenseDotsPortable}};
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx")) kernels.push_back({"avx", DenseDotsAvx});
  if (__builtin_cpu_supports("avx512f")) kernels.push_back({"avx512f", DenseDotsAvx512});
#endif
  return kernels;
}

float DenseDot(const float* a, const float* b, size_t d) {
  float out = 0;
  Kernel()(a, b, 1, d, &out);
  return out;
}

void DenseDots(const float* x, const float* rows, size_t n, size_t d, float* out) {
  Kernel()(x, rows, n, d, out);
}

}  // namespace clustermatch
