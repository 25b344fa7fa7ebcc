#include "engine/vector_kernels.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace clustermatch {
namespace {

double Reference(const float* a, const float* b, size_t d) {
  double sum = 0;
  for (size_t i = 0; i < d; ++i) sum += static_cast<double>(a[i]) * b[i];
  return sum;
}

std::vector<float> RandomFloats(std::mt19937& rng, size_t n) {
  std::normal_distribution<float> normal;
  std::vector<float> values(n);
  for (float& v : values) v = normal(rng);
  return values;
}

TEST(VectorKernelsTest, NamesTheInstructionSetInUse) {
  const std::string_view isa = KernelIsa();
  EXPECT_TRUE(isa == "avx512" || isa == "avx2" || isa == "portable") << isa;
}

// Every length from 0 to 300 exercises the wide loop, the narrow loop and the
// masked or scalar tail of whichever version runs.
TEST(VectorKernelsTest, InnerProductMatchesDoublePrecisionAtEveryLength) {
  std::mt19937 rng(7);
  for (size_t d = 0; d <= 300; ++d) {
    const std::vector<float> a = RandomFloats(rng, d), b = RandomFloats(rng, d);
    const double expected = Reference(a.data(), b.data(), d);
    EXPECT_NEAR(InnerProduct(a.data(), b.data(), d), expected, 1e-4 * (1 + std::sqrt(d))) << d;
  }
}

TEST(VectorKernelsTest, RowsAndGatherScoreTheRightRows) {
  std::mt19937 rng(11);
  for (size_t d : {1u, 7u, 16u, 33u, 256u}) {
    constexpr size_t kRows = 41;
    const std::vector<float> rows = RandomFloats(rng, kRows * d), query = RandomFloats(rng, d);
    std::vector<float> out(kRows, NAN);
    InnerProductRows(query.data(), rows.data(), kRows, d, out.data());
    for (size_t i = 0; i < kRows; ++i) {
      EXPECT_NEAR(out[i], Reference(query.data(), rows.data() + i * d, d), 1e-3) << d << " " << i;
    }
    const std::vector<int64_t> ids = {40, 0, 17, 17, 3};
    std::vector<float> gathered(ids.size(), NAN);
    InnerProductGather(query.data(), rows.data(), ids.data(), ids.size(), d, gathered.data());
    for (size_t i = 0; i < ids.size(); ++i) {
      EXPECT_FLOAT_EQ(gathered[i], out[static_cast<size_t>(ids[i])]) << d << " " << i;
    }
  }
}

TEST(VectorKernelsTest, SumFloatsAddsEveryElement) {
  for (size_t n : {0u, 1u, 31u, 64u, 65u, 1000u, 4099u}) {
    std::vector<float> values(n);
    for (size_t i = 0; i < n; ++i) values[i] = static_cast<float>(i % 7) - 2.5f;
    double expected = 0;
    for (float v : values) expected += v;
    EXPECT_NEAR(SumFloats(values.data(), n), expected, 1e-3 * (1 + n)) << n;
  }
}

}  // namespace
}  // namespace clustermatch
