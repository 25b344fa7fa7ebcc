// The SQ8 row format (VectorIndexOptions::row_format kSq8): the 8-bit
// kernels against double precision, Sq8Storage's codes, and FirmVectorIndex
// with SQ8 fields: recall@10 against exact float search on clustered unit
// vectors, unfiltered and filtered; small fields kept as exact floats;
// updates, removals and compaction; the memory estimate.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <random>
#include <set>
#include <vector>

#include "engine/sq8_storage.h"
#include "engine/vector_index.h"
#include "engine/vector_kernels.h"

namespace clustermatch {
namespace {

// ---- Kernels ----

double ReferenceU8(const float* weights, const uint8_t* codes, size_t d) {
  double sum = 0;
  for (size_t i = 0; i < d; ++i) sum += static_cast<double>(weights[i]) * codes[i];
  return sum;
}

std::vector<float> NormalFloats(std::mt19937& rng, size_t n) {
  std::normal_distribution<float> normal;
  std::vector<float> values(n);
  for (float& v : values) v = normal(rng);
  return values;
}

std::vector<uint8_t> RandomCodes(std::mt19937& rng, size_t n) {
  std::uniform_int_distribution<int> byte(0, 255);
  std::vector<uint8_t> codes(n);
  for (uint8_t& c : codes) c = static_cast<uint8_t>(byte(rng));
  return codes;
}

// Every length from 0 to 300 runs the wide loop, the narrow loop and the
// tail of whichever version the CPU uses; the codes are exactly d bytes, so
// a tail that read past them would read another allocation's bytes.
TEST(Sq8KernelsTest, InnerProductU8MatchesDoublePrecisionAtEveryLength) {
  std::mt19937 rng(7);
  for (size_t d = 0; d <= 300; ++d) {
    const std::vector<float> weights = NormalFloats(rng, d);
    const std::vector<uint8_t> codes = RandomCodes(rng, d);
    const double expected = ReferenceU8(weights.data(), codes.data(), d);
    EXPECT_NEAR(InnerProductU8(weights.data(), codes.data(), d), expected,
                1e-5 * 255 * (1 + static_cast<double>(d)))
        << d;
  }
}

TEST(Sq8KernelsTest, RowsAndGatherScoreTheRightRowsAtEveryLength) {
  std::mt19937 rng(11);
  constexpr size_t kRows = 9;
  for (size_t d = 0; d <= 300; ++d) {
    const std::vector<float> weights = NormalFloats(rng, d);
    const std::vector<uint8_t> codes = RandomCodes(rng, kRows * d);
    std::vector<float> out(kRows, NAN);
    InnerProductU8Rows(weights.data(), codes.data(), kRows, d, out.data());
    for (size_t i = 0; i < kRows; ++i) {
      EXPECT_NEAR(out[i], ReferenceU8(weights.data(), codes.data() + i * d, d),
                  1e-5 * 255 * (1 + static_cast<double>(d)))
          << d << " " << i;
    }
    const std::vector<int64_t> ids = {8, 0, 4, 4, 3};
    std::vector<float> gathered(ids.size(), NAN);
    InnerProductU8Gather(weights.data(), codes.data(), ids.data(), ids.size(), d, gathered.data());
    for (size_t i = 0; i < ids.size(); ++i) {
      EXPECT_FLOAT_EQ(gathered[i], out[static_cast<size_t>(ids[i])]) << d << " " << i;
    }
  }
}

// ---- Sq8Storage ----

std::vector<float> UnitVector(std::mt19937& rng, size_t d) {
  std::vector<float> v = NormalFloats(rng, d);
  double norm = 0;
  for (float x : v) norm += static_cast<double>(x) * x;
  for (float& x : v) x = static_cast<float>(x / std::sqrt(norm));
  return v;
}

double Dot(const float* a, const float* b, size_t d) {
  double sum = 0;
  for (size_t i = 0; i < d; ++i) sum += static_cast<double>(a[i]) * b[i];
  return sum;
}

TEST(Sq8StorageTest, CodesDecodeWithinHalfAStepAndScoreAsTheDecodedRows) {
  constexpr size_t kD = 100, kRows = 500;
  std::mt19937 rng(3);
  std::vector<float> rows;
  for (size_t i = 0; i < kRows; ++i) {
    const std::vector<float> v = UnitVector(rng, kD);
    rows.insert(rows.end(), v.begin(), v.end());
  }
  rows.resize(rows.size() + kD, 0.0f);  // a zero row: left out of training
  Sq8Storage storage(static_cast<int>(kD));
  EXPECT_FALSE(storage.trained());
  storage.Train(rows.data(), kRows + 1);
  ASSERT_TRUE(storage.trained());
  storage.add(kRows, rows.data());
  ASSERT_EQ(storage.ntotal, static_cast<faiss::Index::idx_t>(kRows));
  EXPECT_EQ(storage.codes.size(), kRows * kD);

  const std::vector<float>& ranges = storage.ranges();
  ASSERT_EQ(ranges.size(), 2 * kD);
  std::vector<float> decoded(kD), faiss_decoded(kD);
  for (size_t r = 0; r < kRows; ++r) {
    storage.DecodeRow(r, decoded.data());
    storage.reconstruct(static_cast<faiss::Index::idx_t>(r), faiss_decoded.data());
    for (size_t i = 0; i < kD; ++i) {
      const float step = ranges[kD + i] / 255.0f;
      ASSERT_NEAR(decoded[i], rows[r * kD + i], 0.5f * step + 1e-6f) << r << " " << i;
      ASSERT_NEAR(decoded[i], faiss_decoded[i], 1e-6f) << r << " " << i;
    }
  }
  // A query scores a row as its inner product with the decoded row.
  const std::vector<float> query = UnitVector(rng, kD);
  const Sq8Query prepared = storage.Prepare(query.data());
  for (size_t r = 0; r < kRows; r += 7) {
    storage.DecodeRow(r, decoded.data());
    EXPECT_NEAR(storage.Score(prepared, r), Dot(query.data(), decoded.data(), kD), 1e-5) << r;
  }
  // Values beyond the trained range clamp to its ends.
  std::vector<float> wild(kD, 5.0f);
  wild[0] = -5.0f;
  storage.add(1, wild.data());
  EXPECT_EQ(storage.row_codes(kRows)[0], 0);
  EXPECT_EQ(storage.row_codes(kRows)[1], 255);
}

TEST(Sq8StorageTest, SetRangesRejectsMalformedRanges) {
  Sq8Storage storage(4);
  EXPECT_FALSE(storage.SetRanges({0, 0, 0, 0}));                // too short
  EXPECT_FALSE(storage.SetRanges({0, 0, 0, 0, 1, 1, 0, 1}));    // zero range
  EXPECT_FALSE(storage.SetRanges({0, NAN, 0, 0, 1, 1, 1, 1}));  // not finite
  EXPECT_FALSE(storage.trained());
  EXPECT_TRUE(storage.SetRanges({-1, -1, -1, -1, 2, 2, 2, 2}));
  EXPECT_TRUE(storage.trained());
}

// ---- FirmVectorIndex with SQ8 fields ----

// Clustered unit vectors: firms around `centers` topics with noise, the way
// embeddings of firms in a few sectors bunch up.
class ClusteredVectors {
 public:
  ClusteredVectors(size_t dimension, int centers, uint32_t seed)
      : d_(dimension), centers_(static_cast<size_t>(centers)), rng_(seed) {
    std::normal_distribution<float> normal;
    means_.resize(centers_ * d_);
    for (float& v : means_) v = normal(rng_);
  }
  std::vector<float> Next() {
    std::normal_distribution<float> normal;
    std::uniform_int_distribution<size_t> center(0, centers_ - 1);
    const size_t c = center(rng_);
    std::vector<float> v(d_);
    double norm = 0;
    for (size_t i = 0; i < d_; ++i) {
      v[i] = means_[c * d_ + i] + 0.7f * normal(rng_);
      norm += static_cast<double>(v[i]) * v[i];
    }
    for (float& x : v) x = static_cast<float>(x / std::sqrt(norm));
    return v;
  }

 private:
  const size_t d_;
  const size_t centers_;
  std::mt19937 rng_;
  std::vector<float> means_;
};

FirmFacets FacetsOf(int64_t key) {
  FirmFacets facets;
  facets.key = key;
  facets.clusters = {"valley"};
  facets.mini_cluster = "mini-" + std::to_string(key % 4);  // 25% each
  facets.region = "region-" + std::to_string(key % 100);    // 1% each
  facets.visibility = key % 50 == 7 ? Visibility::kHidden : Visibility::kPublic;
  return facets;
}

VectorIndexOptions Sq8Options(size_t exact_below) {
  VectorIndexOptions options;
  options.exact_below = exact_below;
  options.row_format = RowFormat::kSq8;
  return options;
}

// The firms of a test: key -> topic vector (the offer field too for some).
struct Corpus {
  std::vector<FirmFacets> facets;
  std::vector<FirmVectors> vectors;
};

Corpus MakeCorpus(size_t firms, size_t dimension, uint32_t seed) {
  ClusteredVectors source(dimension, 50, seed);
  Corpus corpus;
  for (size_t i = 0; i < firms; ++i) {
    const auto key = static_cast<int64_t>(i + 1);
    corpus.facets.push_back(FacetsOf(key));
    FirmVectors vectors;
    vectors.fields[static_cast<size_t>(VectorField::kTopic)] = source.Next();
    if (i % 3 == 0) vectors.fields[static_cast<size_t>(VectorField::kOffer)] = source.Next();
    corpus.vectors.push_back(std::move(vectors));
  }
  return corpus;
}

void Fill(FirmVectorIndex& index, const Corpus& corpus) {
  constexpr size_t kBatch = 4096;
  std::vector<FirmVectorIndex::IndexEntry> batch;
  for (size_t i = 0; i < corpus.facets.size(); ++i) {
    batch.push_back({corpus.facets[i], &corpus.vectors[i]});
    if (batch.size() == kBatch || i + 1 == corpus.facets.size()) {
      ASSERT_TRUE(index.UpsertMany(batch).ok());
      batch.clear();
    }
  }
}

// The exact top k keys by float inner product (double precision) among the
// corpus firms in `admitted`, ties by smaller key.
std::vector<int64_t> ExactTop(const Corpus& corpus, VectorField field,
                              const std::vector<float>& query, size_t k,
                              const std::function<bool(const FirmFacets&)>& admitted) {
  std::vector<std::pair<double, int64_t>> scored;
  for (size_t i = 0; i < corpus.facets.size(); ++i) {
    const std::vector<float>& v = corpus.vectors[i].fields[static_cast<size_t>(field)];
    if (v.empty() || !admitted(corpus.facets[i])) continue;
    scored.emplace_back(-Dot(query.data(), v.data(), v.size()), corpus.facets[i].key);
  }
  const size_t n = std::min(k, scored.size());
  std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(n), scored.end());
  std::vector<int64_t> keys;
  for (size_t i = 0; i < n; ++i) keys.push_back(scored[i].second);
  return keys;
}

double RecallAt10(const FirmVectorIndex& index, const Corpus& corpus, ClusteredVectors& queries,
                  int count, const SearchFilter& filter,
                  const std::function<bool(const FirmFacets&)>& admitted) {
  double total = 0;
  for (int q = 0; q < count; ++q) {
    const std::vector<float> query = queries.Next();
    const std::vector<int64_t> truth = ExactTop(corpus, VectorField::kTopic, query, 10, admitted);
    auto hits = index.Search(VectorField::kTopic, query, 10, filter);
    EXPECT_TRUE(hits.ok()) << hits.status();
    if (!hits.ok() || truth.empty()) continue;
    const std::set<int64_t> want(truth.begin(), truth.end());
    int found = 0;
    for (const SearchHit& hit : *hits) {
      EXPECT_TRUE(admitted(FacetsOf(hit.key))) << hit.key;
      found += want.count(hit.key) > 0 ? 1 : 0;
    }
    total += static_cast<double>(found) / static_cast<double>(truth.size());
  }
  return total / count;
}

bool Visible(const FirmFacets& facets) { return facets.visibility != Visibility::kHidden; }

TEST(VectorIndexSq8Test, RecallAgainstExactFloatSearchOnClusteredVectors) {
  constexpr size_t kFirms = 24000, kDim = 128;
  const Corpus corpus = MakeCorpus(kFirms, kDim, 5);
  FirmVectorIndex index(static_cast<int>(kDim), Sq8Options(2000));
  Fill(index, corpus);
  ASSERT_EQ(index.size(), kFirms);

  // Same centres, draws past the corpus's (a topic per firm, an offer for
  // every third).
  ClusteredVectors queries(kDim, 50, 5);
  for (size_t i = 0; i < 2 * kFirms; ++i) queries.Next();
  const double unfiltered = RecallAt10(index, corpus, queries, 200, SearchFilter{}, Visible);
  SearchFilter quarter;
  quarter.mini_clusters_any = {"mini-1"};
  const double filtered = RecallAt10(index, corpus, queries, 200, quarter, [](const auto& f) {
    return Visible(f) && f.mini_cluster == "mini-1";
  });
  SearchFilter region;  // 1%: an exact scan of the region's SQ8 rows
  region.regions = {"region-42"};
  const double selective = RecallAt10(index, corpus, queries, 100, region, [](const auto& f) {
    return Visible(f) && f.region == "region-42";
  });
  std::printf("SQ8 recall@10 at %zu firms, d=%zu: unfiltered %.3f, 25%% filter %.3f, 1%% %.3f\n",
              kFirms, kDim, unfiltered, filtered, selective);
  EXPECT_GE(unfiltered, 0.9);
  EXPECT_GE(filtered, 0.9);
  EXPECT_GE(selective, 0.9);

  // Codes: d bytes per row in each of the four fields, plus graphs and
  // slots; far below the 4 d floats a float index holds per field.
  const size_t bytes = index.MemoryBytes();
  std::printf("SQ8 MemoryBytes: %zu (%.0f per firm)\n", bytes, static_cast<double>(bytes) / kFirms);
  EXPECT_GE(bytes, 4 * kFirms * kDim);
  EXPECT_LT(bytes, 4 * kFirms * kDim * sizeof(float));
}

TEST(VectorIndexSq8Test, SmallFieldsStayExactFloats) {
  constexpr size_t kDim = 48;
  const Corpus corpus = MakeCorpus(300, kDim, 9);
  FirmVectorIndex index(static_cast<int>(kDim), Sq8Options(1000));
  Fill(index, corpus);
  // The rows are the floats given, bit for bit.
  for (size_t i = 0; i < corpus.facets.size(); i += 13) {
    auto vectors = index.Vectors(corpus.facets[i].key);
    ASSERT_TRUE(vectors.ok());
    EXPECT_EQ(vectors->fields, corpus.vectors[i].fields) << i;
  }
  // Searches are exact float scans: the exact top 10, with exact scores.
  ClusteredVectors queries(kDim, 50, 9);
  for (int q = 0; q < 20; ++q) {
    const std::vector<float> query = queries.Next();
    auto hits = index.Search(VectorField::kTopic, query, 10, SearchFilter{});
    ASSERT_TRUE(hits.ok());
    const std::vector<int64_t> truth = ExactTop(corpus, VectorField::kTopic, query, 10, Visible);
    ASSERT_EQ(hits->size(), truth.size());
    for (size_t i = 0; i < truth.size(); ++i) {
      EXPECT_EQ((*hits)[i].key, truth[i]);
      const auto& v = corpus.vectors[static_cast<size_t>(truth[i] - 1)].fields[2];
      EXPECT_NEAR((*hits)[i].score, Dot(query.data(), v.data(), kDim), 1e-5);
    }
  }
  EXPECT_GE(index.MemoryBytes(), 4 * 300 * kDim * sizeof(float));
}

// A field of SQ8 rows answers with scores of the decoded rows: within a few
// quantisation steps of the float scores.
TEST(VectorIndexSq8Test, ScoresAreCloseToFloatScoresAndEmptyFieldsStayEmpty) {
  constexpr size_t kDim = 64;
  const Corpus corpus = MakeCorpus(3000, kDim, 13);
  FirmVectorIndex index(static_cast<int>(kDim), Sq8Options(500));
  Fill(index, corpus);
  ClusteredVectors queries(kDim, 50, 13);
  for (int q = 0; q < 20; ++q) {
    const std::vector<float> query = queries.Next();
    for (VectorField field : {VectorField::kTopic, VectorField::kOffer, VectorField::kNeed}) {
      auto hits = index.Search(field, query, 10, SearchFilter{});
      ASSERT_TRUE(hits.ok());
      if (field == VectorField::kNeed) {
        EXPECT_TRUE(hits->empty());  // no firm has a need vector
        continue;
      }
      for (const SearchHit& hit : *hits) {
        const auto& v =
            corpus.vectors[static_cast<size_t>(hit.key - 1)].fields[static_cast<size_t>(field)];
        ASSERT_FALSE(v.empty()) << hit.key;  // only firms with a vector in the field
        EXPECT_NEAR(hit.score, Dot(query.data(), v.data(), kDim), 0.01) << hit.key;
      }
    }
  }
  // Vectors() gives the decoded rows, within a step of the originals.
  auto vectors = index.Vectors(1);
  ASSERT_TRUE(vectors.ok());
  EXPECT_TRUE(vectors->fields[static_cast<size_t>(VectorField::kNeed)].empty());
  const auto& topic = vectors->fields[static_cast<size_t>(VectorField::kTopic)];
  ASSERT_EQ(topic.size(), kDim);
  for (size_t i = 0; i < kDim; ++i) EXPECT_NEAR(topic[i], corpus.vectors[0].fields[2][i], 0.01);
}

TEST(VectorIndexSq8Test, UpdatesRemovalsAndCompactionKeepTheCodes) {
  constexpr size_t kDim = 64;
  const Corpus corpus = MakeCorpus(3000, kDim, 17);
  FirmVectorIndex index(static_cast<int>(kDim), Sq8Options(500));
  Fill(index, corpus);
  ClusteredVectors fresh(kDim, 50, 18);  // other centres: no firm's vector

  // A firm moved to a new vector is found at the new one, not the old one.
  const std::vector<float> old_topic = corpus.vectors[100].fields[2];
  FirmVectors moved;
  moved.fields[2] = fresh.Next();
  ASSERT_TRUE(index.Upsert(corpus.facets[100], moved).ok());
  auto hits = index.Search(VectorField::kTopic, moved.fields[2], 1, SearchFilter{});
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].key, corpus.facets[100].key);
  hits = index.Search(VectorField::kTopic, old_topic, 3, SearchFilter{});
  ASSERT_TRUE(hits.ok());
  for (const SearchHit& hit : *hits) EXPECT_NE(hit.key, corpus.facets[100].key);

  // New firms after the graph exists are encoded with the trained quantizer,
  // values beyond its range (a spike in one dimension) clamped.
  FirmVectors spike;
  spike.fields[2].assign(kDim, 0.0f);
  spike.fields[2][5] = 1.0f;
  ASSERT_TRUE(index.Upsert(FacetsOf(90001), spike).ok());
  hits = index.Search(VectorField::kTopic, spike.fields[2], 1, SearchFilter{});
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].key, 90001);

  // Removed firms are never returned.
  for (size_t i = 0; i < 50; ++i) ASSERT_TRUE(index.Remove(corpus.facets[i].key).ok());
  for (size_t i = 0; i < 50; ++i) {
    hits = index.Search(VectorField::kTopic, corpus.vectors[i].fields[2], 10, SearchFilter{});
    ASSERT_TRUE(hits.ok());
    for (const SearchHit& hit : *hits) EXPECT_NE(hit.key, corpus.facets[i].key);
  }

  // Compaction re-encodes the decoded rows with the same quantizer: the
  // rows and the answers' scores are unchanged.
  std::vector<FirmVectors> before;
  for (size_t i = 50; i < 3000; i += 37) before.push_back(*index.Vectors(corpus.facets[i].key));
  const std::vector<float> query = fresh.Next();
  auto hits_before = index.Search(VectorField::kTopic, query, 10, SearchFilter{});
  ASSERT_TRUE(hits_before.ok());
  ASSERT_GT(index.tombstone_count(), 0u);
  ASSERT_TRUE(index.Compact().ok());
  EXPECT_EQ(index.tombstone_count(), 0u);
  EXPECT_EQ(index.size(), 3000u - 50u + 1u);
  size_t at = 0;
  for (size_t i = 50; i < 3000; i += 37) {
    auto after = index.Vectors(corpus.facets[i].key);
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(after->fields, before[at++].fields) << i;
  }
  auto hits_after = index.Search(VectorField::kTopic, query, 10, SearchFilter{});
  ASSERT_TRUE(hits_after.ok());
  ASSERT_FALSE(hits_after->empty());
  // The graph was rebuilt: the best hit is the same firm with the same score.
  EXPECT_EQ((*hits_after)[0].key, (*hits_before)[0].key);
  EXPECT_EQ((*hits_after)[0].score, (*hits_before)[0].score);

  // Compacted below exact_below, the fields hold the decoded rows as floats
  // again and scan them exactly.
  for (size_t i = 50; i < 2800; ++i) ASSERT_TRUE(index.Remove(corpus.facets[i].key).ok());
  ASSERT_TRUE(index.Compact().ok());
  EXPECT_EQ(index.size(), 201u);
  for (size_t i = 2800; i < 3000; i += 11) {
    const auto& topic = corpus.vectors[i].fields[2];
    hits = index.Search(VectorField::kTopic, topic, 1, SearchFilter{});
    ASSERT_TRUE(hits.ok());
    ASSERT_EQ(hits->size(), 1u);
    if (corpus.facets[i].visibility != Visibility::kHidden) {
      EXPECT_EQ((*hits)[0].key, corpus.facets[i].key) << i;
    }
  }
}

TEST(VectorIndexSq8Test, MemoryDropsByThreeBytesPerDimensionAndRow) {
  constexpr size_t kDim = 64, kFirms = 4000;
  const Corpus corpus = MakeCorpus(kFirms, kDim, 21);
  VectorIndexOptions float_options;
  float_options.exact_below = 500;
  FirmVectorIndex floats(static_cast<int>(kDim), float_options);
  FirmVectorIndex codes(static_cast<int>(kDim), Sq8Options(500));
  Fill(floats, corpus);
  Fill(codes, corpus);
  const size_t float_bytes = floats.MemoryBytes();
  const size_t sq8_bytes = codes.MemoryBytes();
  std::printf("per firm, 4 fields of d=%zu: float %.0f bytes, SQ8 %.0f bytes\n", kDim,
              static_cast<double>(float_bytes) / kFirms, static_cast<double>(sq8_bytes) / kFirms);
  // The rows alone: 4 fields x d floats against 4 x d bytes per firm.
  EXPECT_GE(float_bytes, 4 * kFirms * kDim * sizeof(float));
  EXPECT_GE(sq8_bytes, 4 * kFirms * kDim);
  // The difference is the 3 d bytes per row that SQ8 saves; the graphs,
  // slots and maps are the same.
  const double saved = 3.0 * 4 * kFirms * kDim;
  EXPECT_NEAR(static_cast<double>(float_bytes) - static_cast<double>(sq8_bytes), saved,
              0.1 * saved);
}

}  // namespace
}  // namespace clustermatch
