// DenseDot's fixed summation order (engine/dense_dot.h): every kernel this
// CPU runs must give the bits of the order written out here, whatever the
// length and however many rows it is given at once, so that scores do not
// depend on the machine.
#include "engine/dense_dot.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "engine/firm_signals.h"

namespace clustermatch {
namespace {

// A float product and a float sum computed in double and rounded once to
// float: the same bits as float arithmetic (double holds a float product
// exactly, and rounding a double sum of two floats is correctly rounded),
// and no compiler can fuse them.
float Product(float a, float b) { return static_cast<float>(static_cast<double>(a) * b); }
float Add(float a, float b) { return static_cast<float>(static_cast<double>(a) + b); }

float ReferenceDot(const std::vector<float>& a, const std::vector<float>& b) {
  float sums[16] = {};
  for (size_t k = 0; k < a.size(); ++k) sums[k % 16] = Add(sums[k % 16], Product(a[k], b[k]));
  for (int l = 0; l < 8; ++l) sums[l] = Add(sums[l], sums[l + 8]);
  for (int l = 0; l < 4; ++l) sums[l] = Add(sums[l], sums[l + 4]);
  for (int l = 0; l < 2; ++l) sums[l] = Add(sums[l], sums[l + 2]);
  return Add(sums[0], sums[1]);
}

// Entries of mixed signs and magnitudes, so that the order of the sums
// changes the rounding.
std::vector<float> RandomVector(std::mt19937& random, size_t d) {
  std::uniform_real_distribution<float> value(-1.0f, 1.0f);
  std::uniform_int_distribution<int> exponent(-12, 6);
  std::vector<float> v(d);
  for (float& x : v) x = std::ldexp(value(random), exponent(random));
  return v;
}

bool SameBits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

TEST(DenseDotTest, EveryKernelSumsInTheDocumentedOrder) {
  std::mt19937 random(7);
  const std::vector<NamedDenseDotsKernel> kernels = DenseDotsKernels();
  ASSERT_STREQ(kernels.front().name, "portable");
  size_t differs_from_sequential = 0;
  for (size_t d : {0, 1, 7, 15, 16, 17, 31, 48, 255, 256, 257, 300}) {
    for (size_t n : {1, 3, 4, 5, 8, 9}) {
      const std::vector<float> x = RandomVector(random, d);
      std::vector<std::vector<float>> ys;
      std::vector<float> rows;  // the ys one after another
      for (size_t i = 0; i < n; ++i) ys.push_back(RandomVector(random, d));
      for (const auto& y : ys) rows.insert(rows.end(), y.begin(), y.end());
      for (const NamedDenseDotsKernel& kernel : kernels) {
        std::vector<float> out(n, NAN);
        kernel.kernel(x.data(), rows.data(), n, d, out.data());
        for (size_t i = 0; i < n; ++i) {
          const float expected = ReferenceDot(x, ys[i]);
          EXPECT_TRUE(SameBits(out[i], expected))
              << kernel.name << ", d=" << d << ", n=" << n << ", row " << i << ": " << out[i]
              << " against " << expected;
        }
      }
      std::vector<float> out(n);
      DenseDots(x.data(), rows.data(), n, d, out.data());
      for (size_t i = 0; i < n; ++i) {
        EXPECT_TRUE(SameBits(out[i], DenseDot(x.data(), ys[i].data(), d)));
        float sequential = 0;
        for (size_t k = 0; k < d; ++k) sequential = Add(sequential, Product(x[k], ys[i][k]));
        differs_from_sequential += !SameBits(out[i], sequential);
      }
    }
  }
  // The vectors are chosen so that the order shows in the bits.
  EXPECT_GT(differs_from_sequential, 10u);
}

TEST(DenseDotTest, StaysCloseToTheExactProduct) {
  std::mt19937 random(11);
  for (int trial = 0; trial < 50; ++trial) {
    const std::vector<float> a = RandomVector(random, 256);
    const std::vector<float> b = RandomVector(random, 256);
    double exact = 0;
    double magnitude = 0;
    for (size_t k = 0; k < a.size(); ++k) {
      exact += static_cast<double>(a[k]) * b[k];
      magnitude += std::fabs(static_cast<double>(a[k]) * b[k]);
    }
    EXPECT_NEAR(DenseDot(a.data(), b.data(), a.size()), exact, 1e-6 * magnitude);
  }
}

TEST(DenseDotTest, BlockDotsEqualDenseCosineAndSkipVectorsOfAnotherSize) {
  std::mt19937 random(3);
  std::vector<std::vector<float>> set = {RandomVector(random, 256),
                                         {},
                                         RandomVector(random, 256),
                                         RandomVector(random, 100),
                                         RandomVector(random, 256)};
  std::vector<std::vector<float>> others = {
      RandomVector(random, 256), RandomVector(random, 64), {}, RandomVector(random, 256)};
  std::vector<const std::vector<float>*> set_pointers;
  std::vector<const std::vector<float>*> other_pointers;
  for (const auto& v : set) set_pointers.push_back(&v);
  for (const auto& v : others) other_pointers.push_back(&v);
  const DenseDotBlock block(set_pointers);
  ASSERT_EQ(block.size(), set.size());
  std::vector<float> out(set.size() * others.size(), NAN);
  block.Dots(other_pointers, out.data());
  size_t nonzero = 0;
  for (size_t j = 0; j < others.size(); ++j) {
    for (size_t i = 0; i < set.size(); ++i) {
      const float expected = DenseCosine(set[i], others[j]);
      EXPECT_TRUE(SameBits(out[j * set.size() + i], expected)) << "vector " << i << ", other " << j;
      nonzero += expected != 0;
    }
  }
  EXPECT_EQ(nonzero, 6u);  // three 256-float vectors of the set with two others
}

}  // namespace
}  // namespace clustermatch
