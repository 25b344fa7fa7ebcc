#include "engine/vector_kernels.h"

#if defined(__x86_64__)
// GCC 12's own AVX-512 reductions start from _mm512_undefined_ps(), which
// -Wuninitialized reports at every inlined use; the value is never read.
#pragma GCC diagnostic ignored "-Wuninitialized"
#if !defined(__clang__)  // a GCC-only warning group
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
#endif

namespace clustermatch {
namespace {

// The portable versions: four independent sums so that the compiler can keep
// several additions in flight even without vector instructions.
float InnerProductPortable(const float* a, const float* b, size_t d) {
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= d; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < d; ++i) s0 += a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
}

void RowsPortable(const float* query, const float* rows, size_t n, size_t d, float* out) {
  for (size_t i = 0; i < n; ++i) out[i] = InnerProductPortable(query, rows + i * d, d);
}

void GatherPortable(const float* query, const float* rows, const int64_t* ids, size_t n, size_t d,
                    float* out) {
  for (size_t i = 0; i < n; ++i) {
    out[i] = InnerProductPortable(query, rows + static_cast<size_t>(ids[i]) * d, d);
  }
}

float InnerProductU8Portable(const float* weights, const uint8_t* codes, size_t d) {
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= d; i += 4) {
    s0 += weights[i] * static_cast<float>(codes[i]);
    s1 += weights[i + 1] * static_cast<float>(codes[i + 1]);
    s2 += weights[i + 2] * static_cast<float>(codes[i + 2]);
    s3 += weights[i + 3] * static_cast<float>(codes[i + 3]);
  }
  for (; i < d; ++i) s0 += weights[i] * static_cast<float>(codes[i]);
  return (s0 + s1) + (s2 + s3);
}

void U8RowsPortable(const float* weights, const uint8_t* codes, size_t n, size_t d, float* out) {
  for (size_t i = 0; i < n; ++i) out[i] = InnerProductU8Portable(weights, codes + i * d, d);
}

void U8GatherPortable(const float* weights, const uint8_t* codes, const int64_t* ids, size_t n,
                      size_t d, float* out) {
  for (size_t i = 0; i < n; ++i) {
    out[i] = InnerProductU8Portable(weights, codes + static_cast<size_t>(ids[i]) * d, d);
  }
}

float SumPortable(const float* data, size_t n) {
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += data[i];
    s1 += data[i + 1];
    s2 += data[i + 2];
    s3 += data[i + 3];
  }
  for (; i < n; ++i) s0 += data[i];
  return (s0 + s1) + (s2 + s3);
}

#if defined(__x86_64__)

// Gathered rows are scattered in memory, so the hardware prefetcher cannot
// guess them: every cache line of the row kGatherAhead ahead is requested
// while this one is scored.
constexpr size_t kGatherAhead = 2;
inline void PrefetchRow(const float* row, size_t d) {
  const char* begin = reinterpret_cast<const char*>(row);
  const char* end = reinterpret_cast<const char*>(row + d);
  for (const char* line = begin; line < end; line += 64) _mm_prefetch(line, _MM_HINT_T0);
}

// AVX2 + FMA: four 8-float accumulators (32 floats a step), scalar tail.
__attribute__((target("avx2,fma"))) inline float InnerProductAvx2(const float* a, const float* b,
                                                                  size_t d) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
  __m256 s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 32 <= d; i += 32) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
    s2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16), s2);
    s3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24), s3);
  }
  for (; i + 8 <= d; i += 8) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
  }
  const __m256 sum = _mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3));
  __m128 half = _mm_add_ps(_mm256_castps256_ps128(sum), _mm256_extractf128_ps(sum, 1));
  half = _mm_add_ps(half, _mm_movehl_ps(half, half));
  half = _mm_add_ss(half, _mm_movehdup_ps(half));
  float total = _mm_cvtss_f32(half);
  for (; i < d; ++i) total += a[i] * b[i];
  return total;
}

__attribute__((target("avx2,fma"))) void RowsAvx2(const float* query, const float* rows, size_t n,
                                                  size_t d, float* out) {
  for (size_t i = 0; i < n; ++i) out[i] = InnerProductAvx2(query, rows + i * d, d);
}

__attribute__((target("avx2,fma"))) void GatherAvx2(const float* query, const float* rows,
                                                    const int64_t* ids, size_t n, size_t d,
                                                    float* out) {
  for (size_t i = 0; i < n; ++i) {
    if (i + kGatherAhead < n) PrefetchRow(rows + static_cast<size_t>(ids[i + kGatherAhead]) * d, d);
    out[i] = InnerProductAvx2(query, rows + static_cast<size_t>(ids[i]) * d, d);
  }
}

// 8-bit codes: 8 codes widened to 8 floats per step, two accumulators.
__attribute__((target("avx2,fma"))) inline __m256 U8x8Avx2(const uint8_t* codes) {
  return _mm256_cvtepi32_ps(
      _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(codes))));
}

__attribute__((target("avx2,fma"))) inline float InnerProductU8Avx2(const float* weights,
                                                                    const uint8_t* codes,
                                                                    size_t d) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 16 <= d; i += 16) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(weights + i), U8x8Avx2(codes + i), s0);
    s1 = _mm256_fmadd_ps(_mm256_loadu_ps(weights + i + 8), U8x8Avx2(codes + i + 8), s1);
  }
  for (; i + 8 <= d; i += 8) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(weights + i), U8x8Avx2(codes + i), s0);
  }
  const __m256 sum = _mm256_add_ps(s0, s1);
  __m128 half = _mm_add_ps(_mm256_castps256_ps128(sum), _mm256_extractf128_ps(sum, 1));
  half = _mm_add_ps(half, _mm_movehl_ps(half, half));
  half = _mm_add_ss(half, _mm_movehdup_ps(half));
  float total = _mm_cvtss_f32(half);
  for (; i < d; ++i) total += weights[i] * static_cast<float>(codes[i]);
  return total;
}

__attribute__((target("avx2,fma"))) void U8RowsAvx2(const float* weights, const uint8_t* codes,
                                                    size_t n, size_t d, float* out) {
  for (size_t i = 0; i < n; ++i) out[i] = InnerProductU8Avx2(weights, codes + i * d, d);
}

__attribute__((target("avx2,fma"))) void U8GatherAvx2(const float* weights, const uint8_t* codes,
                                                      const int64_t* ids, size_t n, size_t d,
                                                      float* out) {
  for (size_t i = 0; i < n; ++i) {
    if (i + 1 < n) _mm_prefetch(codes + static_cast<size_t>(ids[i + 1]) * d, _MM_HINT_T0);
    out[i] = InnerProductU8Avx2(weights, codes + static_cast<size_t>(ids[i]) * d, d);
  }
}

__attribute__((target("avx2,fma"))) float SumAvx2(const float* data, size_t n) {
  __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
  __m256 s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    s0 = _mm256_add_ps(_mm256_loadu_ps(data + i), s0);
    s1 = _mm256_add_ps(_mm256_loadu_ps(data + i + 8), s1);
    s2 = _mm256_add_ps(_mm256_loadu_ps(data + i + 16), s2);
    s3 = _mm256_add_ps(_mm256_loadu_ps(data + i + 24), s3);
  }
  alignas(32) float lanes[8];
  _mm256_store_ps(lanes, _mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
  float total = 0;
  for (float lane : lanes) total += lane;
  for (; i < n; ++i) total += data[i];
  return total;
}

// AVX-512: four 16-float accumulators (64 floats a step); the tail is one
// masked load, so any d needs no scalar loop.
__attribute__((target("avx512f"))) inline float InnerProductAvx512(const float* a, const float* b,
                                                                   size_t d) {
  __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
  __m512 s2 = _mm512_setzero_ps(), s3 = _mm512_setzero_ps();
  size_t i = 0;
  for (; i + 64 <= d; i += 64) {
    s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
    s1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), s1);
    s2 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 32), _mm512_loadu_ps(b + i + 32), s2);
    s3 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 48), _mm512_loadu_ps(b + i + 48), s3);
  }
  for (; i + 16 <= d; i += 16) {
    s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
  }
  if (i < d) {
    const auto mask = static_cast<__mmask16>((1u << (d - i)) - 1);
    s1 =
        _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, a + i), _mm512_maskz_loadu_ps(mask, b + i), s1);
  }
  return _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3)));
}

__attribute__((target("avx512f"))) void RowsAvx512(const float* query, const float* rows, size_t n,
                                                   size_t d, float* out) {
  for (size_t i = 0; i < n; ++i) out[i] = InnerProductAvx512(query, rows + i * d, d);
}

__attribute__((target("avx512f"))) void GatherAvx512(const float* query, const float* rows,
                                                     const int64_t* ids, size_t n, size_t d,
                                                     float* out) {
  for (size_t i = 0; i < n; ++i) {
    if (i + kGatherAhead < n) PrefetchRow(rows + static_cast<size_t>(ids[i + kGatherAhead]) * d, d);
    out[i] = InnerProductAvx512(query, rows + static_cast<size_t>(ids[i]) * d, d);
  }
}

// 8-bit codes: 16 codes widened to 16 floats per step, two accumulators;
// the tail's codes are copied into a zeroed block (AVX-512F has no masked
// byte load) and its weights loaded under a mask.
__attribute__((target("avx512f"))) inline __m512 U8x16Avx512(const uint8_t* codes) {
  return _mm512_cvtepi32_ps(
      _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(codes))));
}

__attribute__((target("avx512f"))) inline float InnerProductU8Avx512(const float* weights,
                                                                     const uint8_t* codes,
                                                                     size_t d) {
  __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
  size_t i = 0;
  for (; i + 32 <= d; i += 32) {
    s0 = _mm512_fmadd_ps(_mm512_loadu_ps(weights + i), U8x16Avx512(codes + i), s0);
    s1 = _mm512_fmadd_ps(_mm512_loadu_ps(weights + i + 16), U8x16Avx512(codes + i + 16), s1);
  }
  for (; i + 16 <= d; i += 16) {
    s0 = _mm512_fmadd_ps(_mm512_loadu_ps(weights + i), U8x16Avx512(codes + i), s0);
  }
  if (i < d) {
    alignas(16) uint8_t tail[16] = {};
    __builtin_memcpy(tail, codes + i, d - i);
    const auto mask = static_cast<__mmask16>((1u << (d - i)) - 1);
    s1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, weights + i), U8x16Avx512(tail), s1);
  }
  return _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
}

__attribute__((target("avx512f"))) void U8RowsAvx512(const float* weights, const uint8_t* codes,
                                                     size_t n, size_t d, float* out) {
  for (size_t i = 0; i < n; ++i) out[i] = InnerProductU8Avx512(weights, codes + i * d, d);
}

__attribute__((target("avx512f"))) void U8GatherAvx512(const float* weights, const uint8_t* codes,
                                                       const int64_t* ids, size_t n, size_t d,
                                                       float* out) {
  for (size_t i = 0; i < n; ++i) {
    if (i + 1 < n) _mm_prefetch(codes + static_cast<size_t>(ids[i + 1]) * d, _MM_HINT_T0);
    out[i] = InnerProductU8Avx512(weights, codes + static_cast<size_t>(ids[i]) * d, d);
  }
}

__attribute__((target("avx512f"))) float SumAvx512(const float* data, size_t n) {
  __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
  __m512 s2 = _mm512_setzero_ps(), s3 = _mm512_setzero_ps();
  size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    s0 = _mm512_add_ps(_mm512_loadu_ps(data + i), s0);
    s1 = _mm512_add_ps(_mm512_loadu_ps(data + i + 16), s1);
    s2 = _mm512_add_ps(_mm512_loadu_ps(data + i + 32), s2);
    s3 = _mm512_add_ps(_mm512_loadu_ps(data + i + 48), s3);
  }
  float total = _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3)));
  for (; i < n; ++i) total += data[i];
  return total;
}

#endif  // __x86_64__

struct Kernels {
  std::string_view isa;
  float (*inner_product)(const float*, const float*, size_t);
  void (*rows)(const float*, const float*, size_t, size_t, float*);
  void (*gather)(const float*, const float*, const int64_t*, size_t, size_t, float*);
  float (*sum)(const float*, size_t);
  float (*u8)(const float*, const uint8_t*, size_t);
  void (*u8_rows)(const float*, const uint8_t*, size_t, size_t, float*);
  void (*u8_gather)(const float*, const uint8_t*, const int64_t*, size_t, size_t, float*);
};

Kernels Choose() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) {
    return {"avx512",  InnerProductAvx512,   RowsAvx512,   GatherAvx512,
            SumAvx512, InnerProductU8Avx512, U8RowsAvx512, U8GatherAvx512};
  }
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    return {"avx2",  InnerProductAvx2,   RowsAvx2,   GatherAvx2,
            SumAvx2, InnerProductU8Avx2, U8RowsAvx2, U8GatherAvx2};
  }
#endif
  return {"portable",  InnerProductPortable,   RowsPortable,   GatherPortable,
          SumPortable, InnerProductU8Portable, U8RowsPortable, U8GatherPortable};
}

const Kernels& Active() {
  static const Kernels kernels = Choose();
  return kernels;
}

}  // namespace

float InnerProduct(const float* a, const float* b, size_t d) {
  return Active().inner_product(a, b, d);
}

void InnerProductRows(const float* query, const float* rows, size_t n, size_t d, float* out) {
  Active().rows(query, rows, n, d, out);
}

void InnerProductGather(const float* query, const float* rows, const int64_t* ids, size_t n,
                        size_t d, float* out) {
  Active().gather(query, rows, ids, n, d, out);
}

float InnerProductU8(const float* weights, const uint8_t* codes, size_t d) {
  return Active().u8(weights, codes, d);
}

void InnerProductU8Rows(const float* weights, const uint8_t* codes, size_t n, size_t d,
                        float* out) {
  Active().u8_rows(weights, codes, n, d, out);
}

void InnerProductU8Gather(const float* weights, const uint8_t* codes, const int64_t* ids, size_t n,
                          size_t d, float* out) {
  Active().u8_gather(weights, codes, ids, n, d, out);
}

float SumFloats(const float* data, size_t n) { return Active().sum(data, n); }

std::string_view KernelIsa() { return Active().isa; }

}  // namespace clustermatch
