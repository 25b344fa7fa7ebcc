#include "models/randomized_svd.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <type_traits>

#include <Eigen/Eigenvalues>
#include <Eigen/QR>

namespace clustermatch {
namespace {

// Panels (tall matrices of l columns) are row-major so that the sparse
// kernels below read and update contiguous, vectorised rows.
using Panel = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using SparseRows = Eigen::SparseMatrix<float, Eigen::RowMajor>;

uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Uniform in (0, 1]: never 0, so log() below is finite.
double Uniform(uint64_t* state) {
  return static_cast<double>((SplitMix64(state) >> 11) + 1) * 0x1.0p-53;
}

// Replaces `y` by an orthonormal basis of its column space (thin Q of a
// Householder QR).
void Orthonormalize(Panel* y) {
  Eigen::MatrixXf work = *y;
  Eigen::HouseholderQR<Eigen::Ref<Eigen::MatrixXf>> qr(work);
  *y = qr.householderQ() * Eigen::MatrixXf::Identity(y->rows(), y->cols());
}

// Four floats in one register (SSE on x86-64), and the same read or written
// at any float address. A typedef, not `using`: clang keeps the lowered
// alignment only on a typedef, and UBSan reports misaligned loads otherwise.
typedef float Float4 __attribute__((vector_size(16)));
typedef float Float4Unaligned __attribute__((vector_size(16), aligned(4), may_alias));

template <typename Lane>
Lane LoadLane(const float* p) {
  if constexpr (std::is_same_v<Lane, float>) {
    return *p;
  } else {
    return *reinterpret_cast<const Float4Unaligned*>(p);
  }
}

template <typename Lane>
void StoreLane(float* p, Lane value) {
  if constexpr (std::is_same_v<Lane, float>) {
    *p = value;
  } else {
    *reinterpret_cast<Float4Unaligned*>(p) = value;
  }
}

// Adds M M^T x restricted to kLanes lanes of columns of x from column c into
// y. Fixed-size chunks keep the running row sum in registers. Explicit
// vectors rather than Eigen fixed-size arrays: under ASan clang inlined none
// of Eigen's expression templates, which made text-model training about 45
// times slower than the GCC build; rather than plain float loops, which GCC
// unrolled without vectorising (40% slower). Each lane sums in the same
// order as before, so the results are bit for bit the same.
template <typename Lane, int kLanes>
void GramTimesColumns(const SparseRows& mt, const Panel& x, Eigen::Index c, Panel* y) {
  constexpr int kStep = static_cast<int>(sizeof(Lane) / sizeof(float));
  const Eigen::Index stride = x.cols();
  const int* outer = mt.outerIndexPtr();
  const int* inner = mt.innerIndexPtr();
  const float* values = mt.valuePtr();
  const float* in = x.data() + c;
  float* out = y->data() + c;
  for (Eigen::Index j = 0; j < mt.rows(); ++j) {
    const int begin = outer[j];
    const int end = outer[j + 1];
    if (begin == end) continue;
    Lane t[kLanes] = {};
    for (int p = begin; p < end; ++p) {
      const float v = values[p];
      const float* row = in + inner[p] * stride;
      for (int i = 0; i < kLanes; ++i) t[i] += v * LoadLane<Lane>(row + i * kStep);
    }
    for (int p = begin; p < end; ++p) {
      const float v = values[p];
      float* row = out + inner[p] * stride;
      for (int i = 0; i < kLanes; ++i) {
        StoreLane(row + i * kStep, LoadLane<Lane>(row + i * kStep) + v * t[i]);
      }
    }
  }
}

// Returns M M^T x, given mt = M^T (compressed) with one row per column of M.
// Summing (m_j m_j^T) x column by column of M keeps every access inside the
// short m x l panel, and doing so in blocks of 64 panel columns keeps the
// touched part of the panel in cache: about three times as fast as two
// separate sparse products through a long n x l panel.
Panel GramTimes(const SparseRows& mt, const Panel& x) {
  Panel y = Panel::Zero(x.rows(), x.cols());
  Eigen::Index c = 0;
  for (; c + 64 <= x.cols(); c += 64) GramTimesColumns<Float4, 16>(mt, x, c, &y);
  for (; c + 16 <= x.cols(); c += 16) GramTimesColumns<Float4, 4>(mt, x, c, &y);
  for (; c + 4 <= x.cols(); c += 4) GramTimesColumns<Float4, 1>(mt, x, c, &y);
  for (; c < x.cols(); ++c) GramTimesColumns<float, 1>(mt, x, c, &y);
  return y;
}

}  // namespace

void FillGaussian(uint64_t seed, Eigen::MatrixXf* m) {
  uint64_t state = seed;
  float* data = m->data();
  const Eigen::Index size = m->size();
  for (Eigen::Index i = 0; i < size; i += 2) {
    const double radius = std::sqrt(-2.0 * std::log(Uniform(&state)));
    const double angle = 2.0 * std::numbers::pi * Uniform(&state);
    data[i] = static_cast<float>(radius * std::cos(angle));
    if (i + 1 < size) data[i + 1] = static_cast<float>(radius * std::sin(angle));
  }
}

TruncatedSvd RandomizedSvd(const Eigen::SparseMatrix<float, Eigen::RowMajor>& a,
                           const RandomizedSvdOptions& options) {
  // M is A when A is wide and A^T when it is tall; the kernels need M^T in
  // row-major form: a transposed copy of a wide A, or A itself.
  const bool wide = a.rows() <= a.cols();
  const Eigen::Index m = std::min(a.rows(), a.cols());
  const Eigen::Index rank = std::min<Eigen::Index>(std::max(options.rank, 0), m);
  TruncatedSvd result;
  result.u.resize(a.rows(), 0);
  result.v.resize(a.cols(), 0);
  if (rank == 0) return result;
  const Eigen::Index l = std::min<Eigen::Index>(rank + std::max(options.oversampling, 0), m);
  SparseRows copy;
  if (wide) {
    copy = a.transpose();
  } else if (!a.isCompressed()) {
    copy = a;
  }
  copy.makeCompressed();
  const SparseRows& mt = wide || !a.isCompressed() ? copy : a;

  Panel q(m, l);
  {
    Eigen::MatrixXf gaussian(m, l);
    FillGaussian(options.seed, &gaussian);
    q = GramTimes(mt, gaussian);
  }
  Orthonormalize(&q);
  for (int i = 0; i < options.power_iterations; ++i) {
    q = GramTimes(mt, q);
    Orthonormalize(&q);
  }

  // B = Q^T M; B B^T = Q^T (M M^T Q) is l x l and symmetric.
  Eigen::MatrixXd gram = q.cast<double>().transpose() * GramTimes(mt, q).cast<double>();
  gram = 0.5 * (gram + gram.transpose()).eval();
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(gram);
  if (eigen.info() != Eigen::Success) return result;
  // Eigenvalues come in increasing order; keep the largest, above tolerance.
  const Eigen::VectorXd& lambda = eigen.eigenvalues();
  const double floor = kSvdRelativeTolerance * kSvdRelativeTolerance * lambda(l - 1);
  Eigen::Index k = 0;
  while (k < rank && lambda(l - 1 - k) > floor && lambda(l - 1 - k) > 0) ++k;
  if (k == 0) return result;

  Eigen::VectorXd singular(k);
  Eigen::MatrixXf w(l, k);
  for (Eigen::Index i = 0; i < k; ++i) {
    singular(i) = std::sqrt(lambda(l - 1 - i));
    w.col(i) = eigen.eigenvectors().col(l - 1 - i).cast<float>();
  }
  // U_M = Q W (m x k); V_M = M^T U_M S^-1 (n x k).
  Panel left = q * w;
  const Eigen::VectorXf inverse = singular.cwiseInverse().cast<float>();
  Panel right = mt * Panel(left * inverse.asDiagonal());
  result.singular_values = singular.cast<float>();
  result.u = std::move(wide ? left : right);
  result.v = std::move(wide ? right : left);
  return result;
}

}  // namespace clustermatch
