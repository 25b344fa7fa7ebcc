// DenseDot: the inner product the scorer uses for dense vectors, summed in one
// fixed order on every machine, so that a score does not depend on the CPU
// that computed it or on how many products a kernel computes at once.
//
// The order: 16 running sums, sum l taking the products a[k] * b[k] of the
// indices k with k % 16 == l in increasing k, each product rounded and then
// added (never a fused multiply-add); then the 16 sums folded pairwise, l
// with l + 8, then l + 4, l + 2 and l + 1. AVX-512 and AVX kernels (chosen at
// run time) and the portable loop give the same bits.
#ifndef CLUSTERMATCH_ENGINE_DENSE_DOT_H_
#define CLUSTERMATCH_ENGINE_DENSE_DOT_H_

#include <cstddef>
#include <vector>

namespace clustermatch {

float DenseDot(const float* a, const float* b, size_t d);

// out[i] = DenseDot(x, rows + i * d, d) for i < n (n rows of d floats one
// after another), bit for bit; x is read once for several rows.
void DenseDots(const float* x, const float* rows, size_t n, size_t d, float* out);

// The kernels this CPU can run, slowest (portable) first; DenseDots uses the
// last. For tests, which hold every one to the same bits.
using DenseDotsKernel = void (*)(const float* x, const float* rows, size_t n, size_t d, float* out);
struct NamedDenseDotsKernel {
  const char* name;
  DenseDotsKernel kernel;
};
std::vector<NamedDenseDotsKernel> DenseDotsKernels();

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_DENSE_DOT_H_
