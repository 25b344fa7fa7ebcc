// Truncated SVD of a sparse matrix by randomised range finding
// (Halko, Martinsson & Tropp 2011). Let M be the matrix or its transpose,
// whichever is wide (m = min(rows, cols) rows, n = max(rows, cols) columns):
//   1. range finder: Q = orth(M M^T G) for an m x l Gaussian G, with
//      l = rank + oversampling (a Gaussian test matrix for M M^T, whose range
//      is that of M);
//   2. power iterations: Q = orth(M M^T Q), re-orthonormalised each time by a
//      Householder QR;
//   3. small dense problem: with B = Q^T M, the l x l matrix B B^T =
//      Q^T M (M^T Q) is decomposed exactly (symmetric eigensolver in double,
//      i.e. the SVD of B): B B^T = W S^2 W^T, so M ~= U S V^T with U = Q W
//      and V = M^T U S^-1.
// M M^T is applied column by column of M, so all dense work stays on the
// short side: the cost is O(nnz * l * (q + 3)) + O(m l^2 (q + 1)) for q
// power iterations, and memory a transposed copy of the matrix (when wide),
// a few m x l panels and the n x k result.
// Deterministic for a given seed and build: the random numbers come from our
// own generator, not <random>, so only float rounding may differ across CPUs.
// Pure function, safe to call from any thread.
#ifndef CLUSTERMATCH_MODELS_RANDOMIZED_SVD_H_
#define CLUSTERMATCH_MODELS_RANDOMIZED_SVD_H_

#include <cstdint>

#include <Eigen/Core>
#include <Eigen/SparseCore>

namespace clustermatch {

struct RandomizedSvdOptions {
  int rank = 256;            // wanted number of singular triplets
  int oversampling = 16;     // extra random directions; more is more accurate
  int power_iterations = 3;  // more helps when singular values decay slowly
  uint64_t seed = 42;
};

// Singular values below kSvdRelativeTolerance times the largest are treated
// as zero: float arithmetic cannot resolve their singular vectors through
// B B^T. Such components are dropped.
inline constexpr double kSvdRelativeTolerance = 5e-3;

// A ~= u * diag(singular_values) * v^T with k columns in u (rows x k) and
// v (cols x k), both orthonormal (to float precision), singular values
// positive and in decreasing order. k = min(rank, rows, cols) minus the
// numerically zero components: fewer when A is rank-deficient; 0 for an
// empty or all-zero matrix or rank <= 0.
// u and v are row-major: a row of v is what a caller projecting sparse
// vectors reads.
struct TruncatedSvd {
  using RowMajorMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  RowMajorMatrix u;
  Eigen::VectorXf singular_values;
  RowMajorMatrix v;
};

TruncatedSvd RandomizedSvd(const Eigen::SparseMatrix<float, Eigen::RowMajor>& a,
                           const RandomizedSvdOptions& options);

// Fills `m` with standard normal numbers from a splitmix64 stream seeded by
// `seed` (Box-Muller). Exposed for tests.
void FillGaussian(uint64_t seed, Eigen::MatrixXf* m);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_MODELS_RANDOMIZED_SVD_H_
