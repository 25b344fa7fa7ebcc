#include "engine/vector_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <thread>

namespace clustermatch {
namespace {

constexpr int kDim = 8;
constexpr VectorField kAllFields[] = {VectorField::kOffer, VectorField::kNeed, VectorField::kTopic,
                                      VectorField::kMaterials};
const std::vector<std::string> kClusters = {"auto", "bio", "chem", "energy", "semi"};
const std::vector<std::string> kMiniClusters = {"", "battery", "sensor", "mold"};
const std::vector<std::string> kRegions = {"ulsan", "changwon", "gumi", "ansan"};

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool AnyIn(const std::vector<std::string>& values, const std::vector<std::string>& list) {
  return std::any_of(values.begin(), values.end(),
                     [&](const std::string& v) { return Contains(list, v); });
}

// The reference: every firm in a std::map, filters and scores in plain loops.
class BruteForce {
 public:
  struct Entry {
    FirmFacets facets;
    FirmVectors vectors;
  };

  void Upsert(const FirmFacets& facets, const FirmVectors& vectors) {
    entries_[facets.key] = {facets, vectors};
  }
  void Remove(int64_t key) { entries_.erase(key); }

  static bool Passes(const FirmFacets& f, const SearchFilter& filter) {
    if (f.visibility == Visibility::kHidden) return false;
    if (filter.excluded_keys.contains(f.key)) return false;
    if (!filter.kinds.empty() &&
        std::find(filter.kinds.begin(), filter.kinds.end(), f.kind) == filter.kinds.end()) {
      return false;
    }
    if (!filter.regions.empty() && !Contains(filter.regions, f.region)) return false;
    if (!filter.clusters_any.empty() && !AnyIn(f.clusters, filter.clusters_any)) return false;
    if (AnyIn(f.clusters, filter.clusters_none)) return false;
    if (!filter.mini_clusters_any.empty() && !Contains(filter.mini_clusters_any, f.mini_cluster)) {
      return false;
    }
    if (Contains(filter.mini_clusters_none, f.mini_cluster)) return false;
    if (f.visibility == Visibility::kMembers && !filter.members_visible_all &&
        !AnyIn(f.clusters, filter.members_visible_clusters)) {
      return false;
    }
    return true;
  }

  // Every passing firm with a vector for `field`, best first; the top k when
  // k > 0.
  std::vector<SearchHit> Search(VectorField field, const std::vector<float>& query, int k,
                                const SearchFilter& filter) const {
    std::vector<SearchHit> hits;
    for (const auto& [key, entry] : entries_) {
      const std::vector<float>& v = entry.vectors.fields[static_cast<size_t>(field)];
      if (v.empty() || !Passes(entry.facets, filter)) continue;
      double dot = 0;
      for (size_t i = 0; i < v.size(); ++i) dot += static_cast<double>(v[i]) * query[i];
      hits.push_back({key, static_cast<float>(dot)});
    }
    std::sort(hits.begin(), hits.end(), [](const SearchHit& a, const SearchHit& b) {
      return a.score != b.score ? a.score > b.score : a.key < b.key;
    });
    if (k > 0 && hits.size() > static_cast<size_t>(k)) hits.resize(static_cast<size_t>(k));
    return hits;
  }

  const std::map<int64_t, Entry>& entries() const { return entries_; }

 private:
  std::map<int64_t, Entry> entries_;
};

class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  const std::string& Pick(const std::vector<std::string>& list) {
    return list[static_cast<size_t>(Int(0, static_cast<int>(list.size()) - 1))];
  }
  std::vector<std::string> Some(const std::vector<std::string>& list, int lo, int hi) {
    std::vector<std::string> out = list;
    std::shuffle(out.begin(), out.end(), rng_);
    out.resize(static_cast<size_t>(Int(lo, hi)));
    return out;
  }

  // Small integers: inner products are exact in float whatever the summation
  // order, and ties are frequent, so results can be compared exactly.
  std::vector<float> IntegerVector(int dim) {
    std::vector<float> v(static_cast<size_t>(dim));
    for (float& x : v) x = static_cast<float>(Int(-2, 2));
    return v;
  }
  std::vector<float> UnitVector(int dim) {
    std::normal_distribution<float> normal;
    std::vector<float> v(static_cast<size_t>(dim));
    double norm = 0;
    for (float& x : v) {
      x = normal(rng_);
      norm += static_cast<double>(x) * x;
    }
    for (float& x : v) x = static_cast<float>(x / std::sqrt(norm));
    return v;
  }
  FirmVectors Vectors(int dim, bool integer, double empty_chance) {
    FirmVectors vectors;
    for (auto& field : vectors.fields) {
      if (!Chance(empty_chance)) field = integer ? IntegerVector(dim) : UnitVector(dim);
    }
    return vectors;
  }

  FirmFacets Facets(int64_t key) {
    FirmFacets f;
    f.key = key;
    f.clusters = Some(kClusters, 0, 3);
    f.mini_cluster = Pick(kMiniClusters);
    f.kind = static_cast<FirmKind>(Int(0, 5));
    f.region = Pick(kRegions);
    const int v = Int(0, 99);
    f.visibility = v < 15   ? Visibility::kHidden
                   : v < 40 ? Visibility::kMembers
                            : Visibility::kPublic;
    return f;
  }

  std::vector<std::string> MaybeList(const std::vector<std::string>& pool) {
    if (!Chance(0.35)) return {};
    std::vector<std::string> out = Some(pool, 1, 2);
    if (Chance(0.15)) out.push_back("unknown-value");
    return out;
  }
  SearchFilter Filter(int64_t max_key) {
    SearchFilter filter;
    filter.clusters_any = MaybeList(kClusters);
    filter.clusters_none = MaybeList(kClusters);
    filter.mini_clusters_any = MaybeList(kMiniClusters);
    filter.mini_clusters_none = MaybeList(kMiniClusters);
    filter.regions = MaybeList(kRegions);
    if (Chance(0.3)) {
      for (int i = Int(1, 3); i > 0; --i) filter.kinds.push_back(static_cast<FirmKind>(Int(0, 5)));
    }
    filter.members_visible_all = Chance(0.5);
    filter.members_visible_clusters = Some(kClusters, 0, 2);
    if (Chance(0.5)) {
      for (int i = Int(1, 8); i > 0; --i)
        filter.excluded_keys.insert(Int(1, static_cast<int>(max_key)));
    }
    return filter;
  }

 private:
  std::mt19937 rng_;
};

FirmFacets KeyedFacets(int64_t key, FirmKind kind = FirmKind::kUnspecified) {
  FirmFacets facets;
  facets.key = key;
  facets.kind = kind;
  return facets;
}

void ExpectSameHits(const std::vector<SearchHit>& got, const std::vector<SearchHit>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].key, want[i].key) << "rank " << i;
    EXPECT_NEAR(got[i].score, want[i].score, 1e-5) << "rank " << i;
  }
}

std::vector<SearchHit> SearchOk(const FirmVectorIndex& index, VectorField field,
                                const std::vector<float>& query, int k,
                                const SearchFilter& filter) {
  absl::StatusOr<std::vector<SearchHit>> hits = index.Search(field, query, k, filter);
  EXPECT_TRUE(hits.ok()) << hits.status();
  return hits.ok() ? *hits : std::vector<SearchHit>{};
}

// Random fields, queries, k and filters; Search and Passes must agree with the
// brute force exactly (integer vectors make every score exact).
void CheckRandomQueries(const FirmVectorIndex& index, const BruteForce& brute, Generator& gen,
                        int queries, int64_t max_key) {
  int answered = 0;
  for (int q = 0; q < queries; ++q) {
    const VectorField field = kAllFields[gen.Int(0, kVectorFieldCount - 1)];
    const std::vector<float> query = gen.IntegerVector(kDim);
    const int k = gen.Int(1, 40);
    const SearchFilter filter = gen.Filter(max_key);
    const std::vector<SearchHit> got = SearchOk(index, field, query, k, filter);
    SCOPED_TRACE(::testing::Message()
                 << "query " << q << " field " << static_cast<int>(field) << " k " << k);
    ExpectSameHits(got, brute.Search(field, query, k, filter));
    answered += got.empty() ? 0 : 1;
    for (const SearchHit& hit : got) {
      EXPECT_NE(brute.entries().at(hit.key).facets.visibility, Visibility::kHidden);
    }
    for (const auto& [key, entry] : brute.entries()) {
      ASSERT_EQ(index.Passes(key, filter), BruteForce::Passes(entry.facets, filter)) << key;
    }
  }
  EXPECT_GT(answered, queries / 3);  // the filters leave something to rank
}

TEST(FirmVectorIndexTest, RandomUpsertsUpdatesAndRemovesMatchBruteForce) {
  constexpr int64_t kMaxKey = 400;
  Generator gen(20240611);
  FirmVectorIndex index(kDim);
  BruteForce brute;
  for (int i = 0; i < 300; ++i) {
    const int64_t key = gen.Int(1, kMaxKey);
    FirmFacets facets = gen.Facets(key);
    FirmVectors vectors = gen.Vectors(kDim, /*integer=*/true, 0.2);
    ASSERT_TRUE(index.Upsert(facets, vectors).ok());
    brute.Upsert(facets, vectors);
  }
  EXPECT_EQ(index.size(), brute.entries().size());
  CheckRandomQueries(index, brute, gen, 150, kMaxKey);

  for (int i = 0; i < 200; ++i) {  // updates and removes, with compactions along the way
    const int64_t key = gen.Int(1, kMaxKey);
    if (gen.Chance(0.4)) {
      const absl::Status status = index.Remove(key);
      if (brute.entries().contains(key)) {
        ASSERT_TRUE(status.ok()) << status;
      } else {
        ASSERT_EQ(status.code(), absl::StatusCode::kNotFound);
      }
      brute.Remove(key);
    } else {
      FirmFacets facets = gen.Facets(key);
      FirmVectors vectors = gen.Vectors(kDim, /*integer=*/true, 0.2);
      ASSERT_TRUE(index.Upsert(facets, vectors).ok());
      brute.Upsert(facets, vectors);
    }
    EXPECT_LE(index.tombstone_count() * 4, index.size() + index.tombstone_count());
  }
  EXPECT_EQ(index.size(), brute.entries().size());
  CheckRandomQueries(index, brute, gen, 150, kMaxKey);
  ASSERT_TRUE(index.Compact().ok());
  CheckRandomQueries(index, brute, gen, 100, kMaxKey);
}

TEST(FirmVectorIndexTest, FloatVectorsMatchBruteForceUpToNearTies) {
  constexpr int kFloatDim = 32;
  Generator gen(7);
  FirmVectorIndex index(kFloatDim);
  BruteForce brute;
  for (int64_t key = 1; key <= 500; ++key) {
    FirmFacets facets = gen.Facets(key);
    FirmVectors vectors = gen.Vectors(kFloatDim, /*integer=*/false, 0.1);
    ASSERT_TRUE(index.Upsert(facets, vectors).ok());
    brute.Upsert(facets, vectors);
  }
  for (int q = 0; q < 200; ++q) {
    const VectorField field = kAllFields[gen.Int(0, kVectorFieldCount - 1)];
    const std::vector<float> query = gen.UnitVector(kFloatDim);
    const int k = gen.Int(1, 30);
    const SearchFilter filter = gen.Filter(500);
    const std::vector<SearchHit> got = SearchOk(index, field, query, k, filter);
    const std::vector<SearchHit> all = brute.Search(field, query, 0, filter);
    ASSERT_EQ(got.size(), std::min(all.size(), static_cast<size_t>(k)));
    std::set<int64_t> seen;
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_TRUE(seen.insert(got[i].key).second) << "duplicate key " << got[i].key;
      EXPECT_NEAR(got[i].score, all[i].score, 1e-5);
      // A different key at this rank is only acceptable for a near-tie.
      const auto it = std::find_if(all.begin(), all.end(),
                                   [&](const SearchHit& h) { return h.key == got[i].key; });
      ASSERT_NE(it, all.end());
      EXPECT_NEAR(it->score, all[i].score, 1e-5) << "query " << q << " rank " << i;
    }
  }
}

TEST(FirmVectorIndexTest, TiesAreBrokenBySmallerKey) {
  FirmVectorIndex index(kDim);
  const std::vector<float> same(kDim, 0.5f);
  // Inserted in descending key order, so Faiss positions run against keys.
  for (int64_t key = 100; key >= 1; --key) {
    FirmFacets facets;
    facets.key = key;
    FirmVectors vectors;
    vectors.fields[0] = same;
    ASSERT_TRUE(index.Upsert(facets, vectors).ok());
  }
  const std::vector<SearchHit> hits = SearchOk(index, VectorField::kOffer, same, 5, {});
  ASSERT_EQ(hits.size(), 5u);
  for (size_t i = 0; i < hits.size(); ++i) {
    EXPECT_EQ(hits[i].key, static_cast<int64_t>(i) + 1);
    EXPECT_FLOAT_EQ(hits[i].score, 2.0f);
  }
}

FirmVectors OfferOnly(std::vector<float> offer) {
  FirmVectors vectors;
  vectors.fields[0] = std::move(offer);
  return vectors;
}

TEST(FirmVectorIndexTest, HiddenFirmsAreNeverReturned) {
  FirmVectorIndex index(kDim);
  Generator gen(3);
  std::set<int64_t> hidden;
  for (int64_t key = 1; key <= 60; ++key) {
    FirmFacets facets;
    facets.key = key;
    facets.clusters = {"auto"};
    facets.visibility = key % 3 == 0 ? Visibility::kHidden : Visibility::kPublic;
    if (facets.visibility == Visibility::kHidden) hidden.insert(key);
    ASSERT_TRUE(index.Upsert(facets, OfferOnly(gen.IntegerVector(kDim))).ok());
  }
  SearchFilter everything;
  everything.members_visible_all = true;
  const std::vector<SearchHit> hits =
      SearchOk(index, VectorField::kOffer, gen.IntegerVector(kDim), 100, everything);
  EXPECT_EQ(hits.size(), 40u);
  for (const SearchHit& hit : hits) EXPECT_FALSE(hidden.contains(hit.key)) << hit.key;
  for (int64_t key : hidden) EXPECT_FALSE(index.Passes(key, everything));
}

TEST(FirmVectorIndexTest, RemovedAndReplacedVectorsAreSkipped) {
  FirmVectorIndex index(kDim);
  Generator gen(11);
  std::vector<std::vector<float>> offers;
  for (int64_t key = 0; key < 100; ++key) {
    offers.push_back(gen.IntegerVector(kDim));
    ASSERT_TRUE(index.Upsert(KeyedFacets(key), OfferOnly(offers.back())).ok());
  }
  for (int64_t key = 0; key < 10; ++key) ASSERT_TRUE(index.Remove(key).ok());
  std::vector<float> replaced = offers[50];
  for (float& x : replaced) x = -x;
  ASSERT_TRUE(index.Upsert(KeyedFacets(50), OfferOnly(replaced)).ok());
  EXPECT_EQ(index.tombstone_count(), 11u);
  EXPECT_EQ(index.size(), 90u);

  const std::vector<SearchHit> hits = SearchOk(index, VectorField::kOffer, offers[50], 200, {});
  ASSERT_EQ(hits.size(), 90u);
  for (const SearchHit& hit : hits) {
    EXPECT_GE(hit.key, 10);
    if (hit.key == 50) {  // scored against the new vector only
      float dot = 0;
      for (int i = 0; i < kDim; ++i) dot += replaced[i] * offers[50][i];
      EXPECT_EQ(hit.score, dot);
    }
  }
  EXPECT_EQ(index.Remove(3).code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(index.Passes(3, {}));
}

TEST(FirmVectorIndexTest, CompactionKeepsResultsIdentical) {
  FirmVectorIndex index(kDim);
  Generator gen(5);
  for (int64_t key = 1; key <= 200; ++key) {
    ASSERT_TRUE(index.Upsert(gen.Facets(key), gen.Vectors(kDim, true, 0.3)).ok());
  }
  for (int64_t key = 1; key <= 200; key += 5) ASSERT_TRUE(index.Remove(key).ok());
  ASSERT_EQ(index.tombstone_count(), 40u);

  struct Query {
    VectorField field;
    std::vector<float> vector;
    SearchFilter filter;
    std::vector<SearchHit> before;
  };
  std::vector<Query> queries;
  for (int q = 0; q < 50; ++q) {
    Query query{kAllFields[q % kVectorFieldCount], gen.IntegerVector(kDim), gen.Filter(200), {}};
    query.before = SearchOk(index, query.field, query.vector, 25, query.filter);
    queries.push_back(std::move(query));
  }
  ASSERT_TRUE(index.Compact().ok());
  EXPECT_EQ(index.tombstone_count(), 0u);
  EXPECT_EQ(index.size(), 160u);
  for (const Query& query : queries) {
    ExpectSameHits(SearchOk(index, query.field, query.vector, 25, query.filter), query.before);
  }

  // Removing past a quarter of the slots compacts on its own.
  for (int64_t key = 2; key <= 120; key += 5) ASSERT_TRUE(index.Remove(key).ok());
  EXPECT_LE(index.tombstone_count() * 4, index.size() + index.tombstone_count());
}

TEST(FirmVectorIndexTest, EmptyFieldsAreNotSearched) {
  FirmVectorIndex index(kDim);
  const std::vector<float> ones(kDim, 1.0f);
  FirmVectors vectors;
  vectors.fields[static_cast<size_t>(VectorField::kOffer)] = ones;
  vectors.fields[static_cast<size_t>(VectorField::kTopic)] = ones;
  ASSERT_TRUE(index.Upsert(KeyedFacets(7), vectors).ok());

  EXPECT_EQ(SearchOk(index, VectorField::kOffer, ones, 3, {}).size(), 1u);
  EXPECT_EQ(SearchOk(index, VectorField::kTopic, ones, 3, {}).size(), 1u);
  EXPECT_TRUE(SearchOk(index, VectorField::kNeed, ones, 3, {}).empty());
  EXPECT_TRUE(SearchOk(index, VectorField::kMaterials, ones, 3, {}).empty());
  EXPECT_TRUE(index.Passes(7, {}));
}

TEST(FirmVectorIndexTest, FacetsAndVectorsRoundTrip) {
  FirmVectorIndex index(kDim);
  Generator gen(9);
  FirmFacets facets = gen.Facets(42);
  facets.clusters = {"semi", "auto"};
  const FirmVectors vectors = gen.Vectors(kDim, false, 0.5);
  ASSERT_TRUE(index.Upsert(facets, vectors).ok());
  absl::StatusOr<FirmFacets> got_facets = index.Facets(42);
  ASSERT_TRUE(got_facets.ok());
  EXPECT_EQ(got_facets->key, 42);
  EXPECT_EQ(got_facets->clusters, facets.clusters);
  EXPECT_EQ(got_facets->mini_cluster, facets.mini_cluster);
  EXPECT_EQ(got_facets->kind, facets.kind);
  EXPECT_EQ(got_facets->region, facets.region);
  EXPECT_EQ(got_facets->visibility, facets.visibility);
  absl::StatusOr<FirmVectors> got_vectors = index.Vectors(42);
  ASSERT_TRUE(got_vectors.ok());
  EXPECT_EQ(got_vectors->fields, vectors.fields);

  facets.region = "new-region";
  ASSERT_TRUE(index.Upsert(facets, vectors).ok());
  SearchFilter in_new_region;
  in_new_region.regions = {"new-region"};
  EXPECT_EQ(index.Passes(42, in_new_region), facets.visibility != Visibility::kHidden);
  EXPECT_EQ(index.Facets(43).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(index.Vectors(43).status().code(), absl::StatusCode::kNotFound);
}

TEST(FirmVectorIndexTest, RejectsMalformedRequests) {
  FirmVectorIndex index(kDim);
  const std::vector<float> ones(kDim, 1.0f);
  ASSERT_TRUE(index.Upsert(KeyedFacets(1), OfferOnly(ones)).ok());

  const std::vector<float> short_query(kDim - 1, 1.0f);
  EXPECT_EQ(index.Search(VectorField::kOffer, short_query, 3, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  std::vector<float> nan_query = ones;
  nan_query[2] = std::nanf("");
  EXPECT_EQ(index.Search(VectorField::kOffer, nan_query, 3, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(index.Search(VectorField::kOffer, ones, 0, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(index.Search(VectorField::kOffer, ones, -4, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(index.Search(static_cast<VectorField>(9), ones, 3, {}).status().code(),
            absl::StatusCode::kInvalidArgument);

  FirmVectors bad;
  bad.fields[1] = std::vector<float>(kDim + 1, 0.0f);
  EXPECT_EQ(index.Upsert(KeyedFacets(1), bad).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(index.Upsert(KeyedFacets(2), bad).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(index.size(), 1u);
  EXPECT_EQ(index.Vectors(1)->fields[0], ones);  // the failed upsert left key 1 alone
  EXPECT_EQ(index.Remove(99).code(), absl::StatusCode::kNotFound);
}

TEST(FirmVectorIndexTest, ConcurrentReadersSeeConsistentResultsWhileWriterChurns) {
  FirmVectorIndex index(kDim);
  BruteForce stable;
  Generator gen(13);
  for (int64_t key = 1; key <= 150; ++key) {
    FirmFacets facets = KeyedFacets(key, FirmKind::kCompany);
    FirmVectors vectors = gen.Vectors(kDim, true, 0.1);
    ASSERT_TRUE(index.Upsert(facets, vectors).ok());
    stable.Upsert(facets, vectors);
  }
  SearchFilter companies;
  companies.kinds = {FirmKind::kCompany};
  struct Expected {
    VectorField field;
    std::vector<float> query;
    std::vector<SearchHit> hits;
  };
  std::vector<Expected> expected;
  for (int q = 0; q < 20; ++q) {
    Expected e{kAllFields[q % kVectorFieldCount], gen.IntegerVector(kDim), {}};
    e.hits = stable.Search(e.field, e.query, 10, companies);
    expected.push_back(std::move(e));
  }

  std::thread writer([&index] {
    Generator writes(17);
    std::set<int64_t> present;
    for (int op = 0; op < 600; ++op) {
      const int64_t key = 1000 + writes.Int(0, 99);
      if (present.contains(key) && writes.Chance(0.5)) {
        EXPECT_TRUE(index.Remove(key).ok());
        present.erase(key);
      } else {
        FirmFacets facets = KeyedFacets(key, FirmKind::kUniversity);
        EXPECT_TRUE(index.Upsert(facets, writes.Vectors(kDim, true, 0.1)).ok());
        present.insert(key);
      }
      if (op % 100 == 99) {
        EXPECT_TRUE(index.Compact().ok());
      }
    }
  });
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&index, &expected, &companies, r] {
      for (int i = 0; i < 300; ++i) {
        const Expected& e = expected[static_cast<size_t>(i + r) % expected.size()];
        ExpectSameHits(SearchOk(index, e.field, e.query, 10, companies), e.hits);
        const std::vector<SearchHit> any = SearchOk(index, e.field, e.query, 10, {});
        EXPECT_LE(any.size(), 10u);
        for (size_t j = 1; j < any.size(); ++j) {
          EXPECT_TRUE(any[j - 1].score > any[j].score ||
                      (any[j - 1].score == any[j].score && any[j - 1].key < any[j].key));
        }
      }
    });
  }
  writer.join();
  for (std::thread& reader : readers) reader.join();
  EXPECT_GE(index.size(), 150u);
}

}  // namespace
}  // namespace clustermatch
