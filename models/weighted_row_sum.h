// WeightedRowSum: y += sum of weight * row over chosen rows of a row-major
// matrix, the projection step of TextModel::Embed (a text's few hundred
// vocabulary rows out of tens of thousands).
//
// The rows are scattered through a matrix of several megabytes, so the loop
// waits on memory, not on arithmetic: it keeps a block of y in registers,
// streams the rows through it and prefetches the rows a few terms ahead.
// Kernels are compiled for AVX-512 and AVX2 + FMA and chosen at run time
// (portable fused multiply-add otherwise). Every path computes each
// y[j] = fma(weight_i, row_i[j], y[j]) for i in order, so all give the same
// bits. Pure function, safe to call from any thread.
#ifndef CLUSTERMATCH_MODELS_WEIGHTED_ROW_SUM_H_
#define CLUSTERMATCH_MODELS_WEIGHTED_ROW_SUM_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace clustermatch {

struct WeightedRow {
  uint32_t row = 0;
  float weight = 0;
};

// matrix has `columns` floats per row and holds every row named in `rows`;
// y has `columns` floats.
void AddWeightedRows(const float* matrix, size_t columns, std::span<const WeightedRow> rows,
                     float* y);

// The kernel AddWeightedRows runs on this machine: "avx512", "avx2" or
// "portable".
std::string_view WeightedRowSumIsa();

// Runs the kernel named `isa` ("avx512", "avx2" or "portable") when this
// machine can, and returns whether it did: tests compare every kernel the
// machine has.
bool AddWeightedRowsWith(std::string_view isa, const float* matrix, size_t columns,
                         std::span<const WeightedRow> rows, float* y);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_MODELS_WEIGHTED_ROW_SUM_H_
