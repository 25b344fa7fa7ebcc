// Vector kernels compiled in the project, so that they use the wide
// SIMD units of the machine they run on. Debian's Faiss is built for generic
// x86-64 and its distance loops are scalar; these kernels replace them on the
// hot paths (exact scans, HNSW distance computations, phrase scoring).
//
// Each kernel has an AVX-512, an AVX2+FMA and a portable version; the best one
// the CPU supports is chosen once, at first use, through cpuid, so a binary
// built here runs on any x86-64 (and on other architectures, the portable
// version is the only one). All functions are thread-safe.
#ifndef CLUSTERMATCH_ENGINE_VECTOR_KERNELS_H_
#define CLUSTERMATCH_ENGINE_VECTOR_KERNELS_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace clustermatch {

// sum_i a[i] * b[i] over d floats.
float InnerProduct(const float* a, const float* b, size_t d);

// out[i] = InnerProduct(query, rows + i * d, d) for i in [0, n): one pass over
// n contiguous rows, the exact-scan kernel.
void InnerProductRows(const float* query, const float* rows, size_t n, size_t d, float* out);

// The same for the rows listed in `ids` (row ids[i] is rows + ids[i] * d):
// the kernel of a scan restricted to a filter's few passing rows.
void InnerProductGather(const float* query, const float* rows, const int64_t* ids, size_t n,
                        size_t d, float* out);

// 8-bit codes (SQ8 rows, sq8_storage.h): sum_i weights[i] * codes[i] over d
// values. A float query q against a row whose dimension i decodes to
// offset[i] + scale[i] * code[i] has inner product
//   sum_i q[i] * offset[i] + sum_i (q[i] * scale[i]) * code[i],
// so the caller folds the dequantisation into `weights` (q[i] * scale[i])
// and a constant once per query, and these kernels do the rest.
float InnerProductU8(const float* weights, const uint8_t* codes, size_t d);

// out[i] = InnerProductU8(weights, codes + i * d, d) for i in [0, n).
void InnerProductU8Rows(const float* weights, const uint8_t* codes, size_t n, size_t d, float* out);

// The same for the rows listed in `ids` (row ids[i] is codes + ids[i] * d).
void InnerProductU8Gather(const float* weights, const uint8_t* codes, const int64_t* ids, size_t n,
                          size_t d, float* out);

// Sums every float of [data, data + n) with the widest loads available: the
// memory-bandwidth floor that an exact scan over the same bytes can reach.
float SumFloats(const float* data, size_t n);

// "avx512", "avx2" or "portable": the version in use.
std::string_view KernelIsa();

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_VECTOR_KERNELS_H_
