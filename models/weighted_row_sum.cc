#include "models/weighted_row_sum.h"

#include <cmath>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace clustermatch {
namespace {

// How many rows ahead the next rows are prefetched: enough to cover a
// memory latency with the work on the rows in between.
constexpr size_t kPrefetchRows = 6;

// Columns [begin, end) of every row, in row order, one fused multiply-add
// per element: the tail of the vector kernels, and the whole of the portable
// one.
void AddColumnsPortable(const float* matrix, size_t columns, std::span<const WeightedRow> rows,
                        size_t begin, size_t end, float* y) {
  for (const WeightedRow& row : rows) {
    const float* values = matrix + static_cast<size_t>(row.row) * columns;
    for (size_t j = begin; j < end; ++j) y[j] = std::fma(row.weight, values[j], y[j]);
  }
}

#if defined(__x86_64__)

// One block of kVectors x 16 columns from `begin`: the block of y stays in
// registers while every row passes through it.
template <int kVectors>
__attribute__((target("avx512f"))) void BlockAvx512(const float* matrix, size_t columns,
                                                    std::span<const WeightedRow> rows, size_t begin,
                                                    float* y) {
  __m512 sum[kVectors];
  for (int v = 0; v < kVectors; ++v) sum[v] = _mm512_loadu_ps(y + begin + 16 * v);
  const size_t n = rows.size();
  for (size_t i = 0; i < n; ++i) {
    if (i + kPrefetchRows < n) {
      const float* ahead = matrix + size_t{rows[i + kPrefetchRows].row} * columns + begin;
      for (int v = 0; v < kVectors; ++v) {
        _mm_prefetch(reinterpret_cast<const char*>(ahead + 16 * v), _MM_HINT_T0);
      }
    }
    const float* values = matrix + size_t{rows[i].row} * columns + begin;
    const __m512 weight = _mm512_set1_ps(rows[i].weight);
    for (int v = 0; v < kVectors; ++v) {
      sum[v] = _mm512_fmadd_ps(weight, _mm512_loadu_ps(values + 16 * v), sum[v]);
    }
  }
  for (int v = 0; v < kVectors; ++v) _mm512_storeu_ps(y + begin + 16 * v, sum[v]);
}

// 256 columns a pass (16 of the 32 vector registers), then 16 at a time.
__attribute__((target("avx512f"))) void AddWeightedRowsAvx512(const float* matrix, size_t columns,
                                                              std::span<const WeightedRow> rows,
                                                              float* y) {
  size_t begin = 0;
  for (; begin + 256 <= columns; begin += 256) BlockAvx512<16>(matrix, columns, rows, begin, y);
  for (; begin + 16 <= columns; begin += 16) BlockAvx512<1>(matrix, columns, rows, begin, y);
  AddColumnsPortable(matrix, columns, rows, begin, columns, y);
}

template <int kVectors>
__attribute__((target("avx2,fma"))) void BlockAvx2(const float* matrix, size_t columns,
                                                   std::span<const WeightedRow> rows, size_t begin,
                                                   float* y) {
  __m256 sum[kVectors];
  for (int v = 0; v < kVectors; ++v) sum[v] = _mm256_loadu_ps(y + begin + 8 * v);
  const size_t n = rows.size();
  for (size_t i = 0; i < n; ++i) {
    if (i + kPrefetchRows < n) {
      const float* ahead = matrix + size_t{rows[i + kPrefetchRows].row} * columns + begin;
      for (int v = 0; v < kVectors; v += 2) {
        _mm_prefetch(reinterpret_cast<const char*>(ahead + 8 * v), _MM_HINT_T0);
      }
    }
    const float* values = matrix + size_t{rows[i].row} * columns + begin;
    const __m256 weight = _mm256_set1_ps(rows[i].weight);
    for (int v = 0; v < kVectors; ++v) {
      sum[v] = _mm256_fmadd_ps(weight, _mm256_loadu_ps(values + 8 * v), sum[v]);
    }
  }
  for (int v = 0; v < kVectors; ++v) _mm256_storeu_ps(y + begin + 8 * v, sum[v]);
}

// 96 columns a pass (12 of the 16 vector registers), then 8 at a time.
__attribute__((target("avx2,fma"))) void AddWeightedRowsAvx2(const float* matrix, size_t columns,
                                                             std::span<const WeightedRow> rows,
                                                             float* y) {
  size_t begin = 0;
  for (; begin + 96 <= columns; begin += 96) BlockAvx2<12>(matrix, columns, rows, begin, y);
  for (; begin + 8 <= columns; begin += 8) BlockAvx2<1>(matrix, columns, rows, begin, y);
  AddColumnsPortable(matrix, columns, rows, begin, columns, y);
}

#endif  // __x86_64__

void AddWeightedRowsPortable(const float* matrix, size_t columns, std::span<const WeightedRow> rows,
                             float* y) {
  AddColumnsPortable(matrix, columns, rows, 0, columns, y);
}

struct Kernel {
  std::string_view isa;
  void (*add)(const float*, size_t, std::span<const WeightedRow>, float*);
};

// The kernels this machine can run, fastest first.
std::vector<Kernel> Available() {
  std::vector<Kernel> kernels;
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) kernels.push_back({"avx512", AddWeightedRowsAvx512});
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    kernels.push_back({"avx2", AddWeightedRowsAvx2});
  }
#endif
  kernels.push_back({"portable", AddWeightedRowsPortable});
  return kernels;
}

const std::vector<Kernel>& Kernels() {
  static const std::vector<Kernel> kernels = Available();
  return kernels;
}

}  // namespace

void AddWeightedRows(const float* matrix, size_t columns, std::span<const WeightedRow> rows,
                     float* y) {
  Kernels().front().add(matrix, columns, rows, y);
}

std::string_view WeightedRowSumIsa() { return Kernels().front().isa; }

bool AddWeightedRowsWith(std::string_view isa, const float* matrix, size_t columns,
                         std::span<const WeightedRow> rows, float* y) {
  for (const Kernel& kernel : Kernels()) {
    if (kernel.isa != isa) continue;
    kernel.add(matrix, columns, rows, y);
    return true;
  }
  return false;
}

}  // namespace clustermatch
