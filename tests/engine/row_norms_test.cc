// RowNorms bounds a row's inner product from its head, and FieldIndex's scan
// of listed rows skips the tails the bound settles: the answer must stay the
// plain gather's, bit for bit, whatever the rows look like.
#include "engine/row_norms.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "engine/field_index.h"
#include "engine/vector_index.h"
#include "engine/vector_kernels.h"

namespace clustermatch {
namespace {

enum class Shape { kDecaying, kFlat, kIntegers };

// Rows like LSA embeddings (energy falling off with the dimension, unit
// length), like hashed ones (flat, unit length), or unnormalised integers.
std::vector<float> Rows(size_t n, size_t d, Shape shape, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  std::uniform_int_distribution<int> integer(-9, 9);
  std::vector<float> rows(n * d);
  for (size_t i = 0; i < n; ++i) {
    float* row = rows.data() + i * d;
    double norm = 0;
    for (size_t j = 0; j < d; ++j) {
      if (shape == Shape::kIntegers) {
        row[j] = static_cast<float>(integer(rng));
      } else {
        const double scale = shape == Shape::kDecaying ? std::exp(-static_cast<double>(j) / 40) : 1;
        row[j] = static_cast<float>(normal(rng) * scale);
      }
      norm += static_cast<double>(row[j]) * row[j];
    }
    if (shape == Shape::kIntegers || norm == 0) continue;
    for (size_t j = 0; j < d; ++j) row[j] = static_cast<float>(row[j] / std::sqrt(norm));
  }
  return rows;
}

TEST(RowNormsTest, TheBoundIsNeverBelowTheKernelsProduct) {
  for (const size_t d : {8u, 32u, 100u, 256u}) {
    for (const Shape shape : {Shape::kDecaying, Shape::kFlat, Shape::kIntegers}) {
      const std::vector<float> rows = Rows(500, d, shape, 7);
      const std::vector<float> queries = Rows(20, d, shape, 8);
      RowNorms norms(d);
      norms.Append(rows.data(), 500);
      ASSERT_EQ(norms.size(), 500u);
      for (size_t q = 0; q < 20; ++q) {
        const float* query = queries.data() + q * d;
        const RowNorms::Query prepared = norms.Prepare(query);
        for (size_t r = 0; r < 500; ++r) {
          const float* row = rows.data() + r * d;
          const float whole = InnerProduct(query, row, d);
          const float bound = norms.Bound(prepared, r, InnerProduct(query, row, norms.head()));
          ASSERT_GE(bound, whole) << "d=" << d << " row " << r;
        }
      }
    }
  }
}

// Every row of `listed` scored by the plain gather kernel, best first.
std::vector<ScoredRow> PlainRanking(const std::vector<float>& rows, size_t d, const float* query,
                                    const std::vector<int64_t>& listed) {
  std::vector<float> scores(listed.size());
  InnerProductGather(query, rows.data(), listed.data(), listed.size(), d, scores.data());
  std::vector<ScoredRow> all;
  for (size_t i = 0; i < listed.size(); ++i) all.push_back({scores[i], listed[i]});
  std::sort(all.begin(), all.end(),
            [](const ScoredRow& a, const ScoredRow& b) { return a.score > b.score; });
  return all;
}

TEST(RowNormsTest, ScanningListedRowsKeepsThePlainGathersAnswer) {
  constexpr size_t kRows = 12000;
  for (const size_t d : {32u, 256u}) {
    for (const Shape shape : {Shape::kDecaying, Shape::kFlat, Shape::kIntegers}) {
      VectorIndexOptions options;
      options.exact_below = 1u << 30;  // flat rows: the field a filter's gather reads
      FieldIndex field(static_cast<int>(d), options);
      std::vector<float> rows = Rows(kRows, d, shape, 11);
      field.Append(rows.data(), kRows / 2);
      field.Append(rows.data() + kRows / 2 * d, kRows / 2);
      // Erased rows read as zeros, as a tombstone does.
      for (size_t r = 5; r < kRows; r += 97) {
        field.EraseRow(r);
        std::fill_n(rows.begin() + static_cast<std::ptrdiff_t>(r * d), d, 0.0f);
      }
      std::vector<int64_t> listed;
      for (size_t r = 3; r < kRows; r += 3) listed.push_back(static_cast<int64_t>(r));
      const std::vector<float> queries = Rows(25, d, shape, 12);
      for (size_t q = 0; q < 25; ++q) {
        const float* query = queries.data() + q * d;
        const std::vector<ScoredRow> ranking = PlainRanking(rows, d, query, listed);
        for (const size_t k : {1u, 10u, 28u, 300u}) {
          const std::vector<ScoredRow> got = field.ScanRows(query, k, listed);
          ASSERT_EQ(got.size(), k);
          for (size_t i = 0; i < k; ++i) {
            // Ties come in any order (ScanRows' contract), also across the
            // k-th place: the scores must agree, the rows where the score is
            // unique.
            ASSERT_EQ(got[i].score, ranking[i].score) << "d=" << d << " k=" << k << " #" << i;
            const bool tied = (i > 0 && ranking[i - 1].score == ranking[i].score) ||
                              ranking[i + 1].score == ranking[i].score;
            if (!tied) {
              EXPECT_EQ(got[i].row, ranking[i].row) << "d=" << d << " k=" << k;
            }
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace clustermatch
