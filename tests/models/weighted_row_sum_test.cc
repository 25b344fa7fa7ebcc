#include "models/weighted_row_sum.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

namespace clustermatch {
namespace {

struct Case {
  std::vector<float> matrix;
  std::vector<WeightedRow> rows;
  std::vector<float> start;
};

// `row_count` rows of `columns` floats in [-1, 1); `terms` picks with
// repeats allowed, in ascending row order like Embed's vocabulary rows, and
// a non-zero starting y so that the existing values must be kept.
Case MakeCase(size_t row_count, size_t columns, size_t terms, uint32_t seed) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<float> value(-1.0f, 1.0f);
  std::uniform_int_distribution<uint32_t> pick(0, static_cast<uint32_t>(row_count - 1));
  Case c;
  c.matrix.resize(row_count * columns);
  for (float& x : c.matrix) x = value(random);
  for (size_t i = 0; i < terms; ++i) c.rows.push_back({pick(random), value(random)});
  c.start.resize(columns);
  for (float& x : c.start) x = value(random);
  return c;
}

TEST(WeightedRowSumTest, EveryKernelGivesThePortableBitsAndTheExactSum) {
  // The portable kernel is the reference; the machine's vector kernels must
  // match it bit for bit, and all must match a double-precision sum.
  std::vector<std::string_view> kernels;
  for (std::string_view isa : {"avx512", "avx2"}) {
    std::vector<float> probe(1, 0.0f);
    const std::vector<float> one_row(1, 1.0f);
    if (AddWeightedRowsWith(isa, one_row.data(), 1, {}, probe.data())) kernels.push_back(isa);
  }
  // Below a vector, between block sizes, the model's usual 256, and beyond.
  for (size_t columns : {1u, 7u, 8u, 15u, 16u, 37u, 96u, 100u, 255u, 256u, 257u, 300u, 512u}) {
    SCOPED_TRACE(testing::Message() << "columns " << columns);
    const Case c = MakeCase(50, columns, 40, static_cast<uint32_t>(columns));
    std::vector<float> portable = c.start;
    ASSERT_TRUE(AddWeightedRowsWith("portable", c.matrix.data(), columns, c.rows, portable.data()));
    for (size_t j = 0; j < columns; ++j) {
      double exact = c.start[j];
      for (const WeightedRow& row : c.rows) {
        exact += static_cast<double>(row.weight) * c.matrix[row.row * columns + j];
      }
      ASSERT_NEAR(exact, portable[j], 1e-4) << "column " << j;
    }
    std::vector<float> dispatched = c.start;
    AddWeightedRows(c.matrix.data(), columns, c.rows, dispatched.data());
    EXPECT_EQ(0, std::memcmp(dispatched.data(), portable.data(), columns * sizeof(float)))
        << "dispatched " << WeightedRowSumIsa();
    for (std::string_view isa : kernels) {
      std::vector<float> y = c.start;
      ASSERT_TRUE(AddWeightedRowsWith(isa, c.matrix.data(), columns, c.rows, y.data()));
      EXPECT_EQ(0, std::memcmp(y.data(), portable.data(), columns * sizeof(float))) << isa;
    }
  }
}

TEST(WeightedRowSumTest, NoRowsLeavesYAsItWasAndOneRowIsAScaledCopy) {
  const Case c = MakeCase(3, 256, 0, 7);
  std::vector<float> y = c.start;
  AddWeightedRows(c.matrix.data(), 256, c.rows, y.data());
  EXPECT_EQ(c.start, y);

  std::vector<float> scaled(256, 0.0f);
  const std::vector<WeightedRow> one = {{2, 0.5f}};
  AddWeightedRows(c.matrix.data(), 256, one, scaled.data());
  for (size_t j = 0; j < 256; ++j) EXPECT_EQ(0.5f * c.matrix[2 * 256 + j], scaled[j]);
}

TEST(WeightedRowSumTest, AnUnknownKernelNameRunsNothing) {
  const std::vector<float> matrix(4, 1.0f);
  std::vector<float> y(4, 0.0f);
  const std::vector<WeightedRow> one = {{0, 1.0f}};
  EXPECT_FALSE(AddWeightedRowsWith("sse9", matrix.data(), 4, one, y.data()));
  EXPECT_EQ(std::vector<float>(4, 0.0f), y);
  EXPECT_TRUE(AddWeightedRowsWith("portable", matrix.data(), 4, one, y.data()));
  EXPECT_EQ(std::vector<float>(4, 1.0f), y);
}

}  // namespace
}  // namespace clustermatch
