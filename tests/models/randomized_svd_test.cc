#include "models/randomized_svd.h"

#include <Eigen/SVD>

#include "gtest/gtest.h"

namespace clustermatch {
namespace {

// rows x cols matrix of exact rank `rank` with singular values 10, 5, 2.5, ...
// Sparse in the sense of the type; about a third of the entries are zeroed
// by zeroing whole rows of the left factor.
Eigen::MatrixXf LowRank(int rows, int cols, int rank, uint64_t seed) {
  Eigen::MatrixXf left(rows, rank);
  Eigen::MatrixXf right(cols, rank);
  FillGaussian(seed, &left);
  FillGaussian(seed + 1, &right);
  for (int i = 0; i < rows; i += 3) left.row(i).setZero();
  Eigen::HouseholderQR<Eigen::MatrixXf> ql(left);
  Eigen::HouseholderQR<Eigen::MatrixXf> qr(right);
  const Eigen::MatrixXf u = ql.householderQ() * Eigen::MatrixXf::Identity(rows, rank);
  const Eigen::MatrixXf v = qr.householderQ() * Eigen::MatrixXf::Identity(cols, rank);
  Eigen::VectorXf s(rank);
  for (int i = 0; i < rank; ++i) s(i) = 10.0f / static_cast<float>(1 << i);
  return u * s.asDiagonal() * v.transpose();
}

Eigen::SparseMatrix<float, Eigen::RowMajor> Sparse(const Eigen::MatrixXf& dense) {
  return dense.sparseView();
}

void ExpectMatchesExactSvd(const Eigen::MatrixXf& dense, int rank, float tolerance) {
  const Eigen::SparseMatrix<float, Eigen::RowMajor> sparse = dense.sparseView();
  RandomizedSvdOptions options;
  options.rank = rank;
  options.oversampling = 8;
  options.power_iterations = 2;
  const TruncatedSvd approx = RandomizedSvd(sparse, options);
  const Eigen::MatrixXd exact_input = dense.cast<double>();
  Eigen::JacobiSVD<Eigen::MatrixXd> exact(exact_input);

  ASSERT_EQ(approx.singular_values.size(), rank);
  ASSERT_EQ(approx.u.rows(), dense.rows());
  ASSERT_EQ(approx.v.rows(), dense.cols());
  for (int i = 0; i < rank; ++i) {
    EXPECT_NEAR(approx.singular_values(i), exact.singularValues()(i),
                tolerance * exact.singularValues()(0))
        << "singular value " << i;
  }
  const Eigen::MatrixXf identity = Eigen::MatrixXf::Identity(rank, rank);
  EXPECT_LT((approx.u.transpose() * approx.u - identity).norm(), 1e-4f);
  EXPECT_LT((approx.v.transpose() * approx.v - identity).norm(), 1e-4f);
}

TEST(RandomizedSvdTest, WideLowRankMatchesJacobiSvd) {
  ExpectMatchesExactSvd(LowRank(60, 200, 6, 7), 6, 1e-4f);
}

TEST(RandomizedSvdTest, TallLowRankMatchesJacobiSvd) {
  ExpectMatchesExactSvd(LowRank(200, 60, 6, 11), 6, 1e-4f);
}

TEST(RandomizedSvdTest, LowRankIsReconstructed) {
  const Eigen::MatrixXf dense = LowRank(80, 50, 5, 3);
  RandomizedSvdOptions options;
  options.rank = 5;
  const TruncatedSvd svd = RandomizedSvd(Sparse(dense), options);
  const Eigen::MatrixXf rebuilt = svd.u * svd.singular_values.asDiagonal() * svd.v.transpose();
  EXPECT_LT((rebuilt - dense).norm() / dense.norm(), 1e-4f);
}

TEST(RandomizedSvdTest, FullRankTopValuesCloseToBdcSvd) {
  // A noisy full-rank matrix: power iterations must still find the top part
  // of the spectrum to within a few percent.
  Eigen::MatrixXf dense = LowRank(120, 90, 8, 21);
  Eigen::MatrixXf noise(120, 90);
  FillGaussian(99, &noise);
  dense += 0.001f * noise;
  RandomizedSvdOptions options;
  options.rank = 8;
  options.oversampling = 10;
  options.power_iterations = 3;
  const TruncatedSvd approx = RandomizedSvd(Sparse(dense), options);
  const Eigen::MatrixXd exact_input = dense.cast<double>();
  Eigen::BDCSVD<Eigen::MatrixXd> exact(exact_input);
  ASSERT_EQ(approx.singular_values.size(), 8);
  for (int i = 0; i < 8; ++i) {
    EXPECT_NEAR(approx.singular_values(i), exact.singularValues()(i),
                0.02 * exact.singularValues()(i));
  }
}

TEST(RandomizedSvdTest, RankDeficientComponentsAreDropped) {
  // Rank 4 in a 20 x 30 matrix: asking for 100 gives the 4 real components.
  const Eigen::MatrixXf dense = LowRank(20, 30, 4, 5);
  RandomizedSvdOptions options;
  options.rank = 100;
  const TruncatedSvd svd = RandomizedSvd(Sparse(dense), options);
  EXPECT_EQ(svd.singular_values.size(), 4);
  EXPECT_EQ(svd.u.cols(), 4);
  EXPECT_EQ(svd.v.cols(), 4);
  EXPECT_EQ(svd.u.rows(), 20);
  EXPECT_EQ(svd.v.rows(), 30);
}

TEST(RandomizedSvdTest, RankIsClampedToTheSmallerSide) {
  Eigen::MatrixXf dense(12, 40);
  FillGaussian(17, &dense);
  RandomizedSvdOptions options;
  options.rank = 100;
  const TruncatedSvd svd = RandomizedSvd(Sparse(dense), options);
  EXPECT_EQ(svd.singular_values.size(), 12);
  for (int i = 1; i < 12; ++i) EXPECT_LE(svd.singular_values(i), svd.singular_values(i - 1));
}

TEST(RandomizedSvdTest, SameSeedGivesSameResult) {
  const Eigen::MatrixXf dense = LowRank(40, 70, 5, 8);
  RandomizedSvdOptions options;
  options.rank = 5;
  const TruncatedSvd a = RandomizedSvd(Sparse(dense), options);
  const TruncatedSvd b = RandomizedSvd(Sparse(dense), options);
  EXPECT_EQ(a.singular_values, b.singular_values);
  EXPECT_EQ(a.v, b.v);
}

TEST(RandomizedSvdTest, EmptyMatrixGivesNoComponents) {
  const Eigen::SparseMatrix<float, Eigen::RowMajor> empty(0, 10);
  const TruncatedSvd svd = RandomizedSvd(empty, RandomizedSvdOptions());
  EXPECT_EQ(svd.singular_values.size(), 0);
  EXPECT_EQ(svd.v.rows(), 10);
  EXPECT_EQ(svd.v.cols(), 0);
}

}  // namespace
}  // namespace clustermatch
