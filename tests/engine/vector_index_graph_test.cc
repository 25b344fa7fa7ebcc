// FirmVectorIndex once its fields have HNSW graphs (exact_below set low):
// recall against an exact index over the same firms, filters and hidden firms
// honoured on every answer, exact answers for selective filters, and writes
// (updates, removals, compaction) without a full rebuild.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

#include "engine/field_index.h"
#include "engine/vector_index.h"

namespace clustermatch {
namespace {

constexpr int kDim = 32;
constexpr int kFirms = 3000;
constexpr int kCenters = 60;

// Firms around kCenters topics, so that neighbours are meaningful: 4
// mini-clusters (25% each), 100 regions (1% each), one firm in 50 hidden.
class Firms {
 public:
  Firms() : rng_(42) {
    std::normal_distribution<float> normal;
    centers_.resize(kCenters * kDim);
    for (float& v : centers_) v = normal(rng_);
  }

  FirmFacets Facets(int64_t key) const {
    FirmFacets facets;
    facets.key = key;
    facets.clusters = {"g-valley"};
    facets.mini_cluster = "mini-" + std::to_string(key % 4);
    facets.region = "region-" + std::to_string(key % 100);
    facets.visibility = key % 50 == 7 ? Visibility::kHidden : Visibility::kPublic;
    return facets;
  }

  std::vector<float> Vector() {
    std::normal_distribution<float> normal;
    std::uniform_int_distribution<int> center(0, kCenters - 1);
    const int c = center(rng_);
    std::vector<float> v(kDim);
    double norm = 0;
    for (int i = 0; i < kDim; ++i) {
      v[i] = centers_[c * kDim + i] + 0.6f * normal(rng_);
      norm += static_cast<double>(v[i]) * v[i];
    }
    for (float& x : v) x = static_cast<float>(x / std::sqrt(norm));
    return v;
  }

  FirmVectors Vectors() {
    FirmVectors vectors;
    vectors.fields[static_cast<size_t>(VectorField::kTopic)] = Vector();
    vectors.fields[static_cast<size_t>(VectorField::kOffer)] = Vector();
    return vectors;
  }

 private:
  std::mt19937 rng_;
  std::vector<float> centers_;
};

VectorIndexOptions GraphOptions() {
  VectorIndexOptions options;
  options.exact_below = 500;
  options.hnsw_ef_search = 64;
  options.exact_filter_share = 0.02;
  return options;
}

VectorIndexOptions ExactOptions() {
  VectorIndexOptions options;
  options.exact_below = 1u << 30;
  return options;
}

// Both indexes hold the same firms.
struct Pair {
  FirmVectorIndex graph{kDim, GraphOptions()};
  FirmVectorIndex exact{kDim, ExactOptions()};
  void Upsert(const FirmFacets& facets, const FirmVectors& vectors) {
    ASSERT_TRUE(graph.Upsert(facets, vectors).ok());
    ASSERT_TRUE(exact.Upsert(facets, vectors).ok());
  }
  void Remove(int64_t key) {
    ASSERT_TRUE(graph.Remove(key).ok());
    ASSERT_TRUE(exact.Remove(key).ok());
  }
};

std::set<int64_t> Keys(const std::vector<SearchHit>& hits) {
  std::set<int64_t> keys;
  for (const SearchHit& hit : hits) keys.insert(hit.key);
  return keys;
}

// Mean recall@10 of `graph` against `exact` over `queries` new vectors; every
// hit must pass `passes`.
double Recall(const Pair& pair, Firms& firms, int queries, const SearchFilter& filter,
              const std::function<bool(int64_t)>& passes) {
  double found = 0, wanted = 0;
  for (int q = 0; q < queries; ++q) {
    const std::vector<float> query = firms.Vector();
    auto approximate = pair.graph.Search(VectorField::kTopic, query, 10, filter);
    auto truth = pair.exact.Search(VectorField::kTopic, query, 10, filter);
    EXPECT_TRUE(approximate.ok() && truth.ok());
    if (!approximate.ok() || !truth.ok()) return 0;
    for (const SearchHit& hit : *approximate) EXPECT_TRUE(passes(hit.key)) << hit.key;
    const std::set<int64_t> expected = Keys(*truth);
    for (int64_t key : Keys(*approximate)) found += expected.count(key);
    wanted += static_cast<double>(expected.size());
  }
  return found / wanted;
}

bool Visible(int64_t key) { return key % 50 != 7; }

TEST(VectorIndexGraphTest, ApproximateSearchKeepsRecallAndFilters) {
  Firms firms;
  Pair pair;
  for (int64_t key = 1; key <= kFirms; ++key) pair.Upsert(firms.Facets(key), firms.Vectors());

  const double unfiltered = Recall(pair, firms, 200, SearchFilter{}, Visible);
  EXPECT_GE(unfiltered, 0.95);

  SearchFilter quarter;  // one mini-cluster: 25% of firms, through the graph
  quarter.mini_clusters_any = {"mini-2"};
  const double filtered =
      Recall(pair, firms, 200, quarter, [](int64_t key) { return Visible(key) && key % 4 == 2; });
  EXPECT_GE(filtered, 0.95);

  SearchFilter region;  // 1% of firms: an exact scan of just those
  region.regions = {"region-17"};
  for (int q = 0; q < 50; ++q) {
    const std::vector<float> query = firms.Vector();
    auto approximate = pair.graph.Search(VectorField::kTopic, query, 10, region);
    auto truth = pair.exact.Search(VectorField::kTopic, query, 10, region);
    ASSERT_TRUE(approximate.ok() && truth.ok());
    ASSERT_EQ(approximate->size(), truth->size());
    for (size_t i = 0; i < truth->size(); ++i) {
      EXPECT_EQ((*approximate)[i].key, (*truth)[i].key);
      EXPECT_NEAR((*approximate)[i].score, (*truth)[i].score, 1e-5);
    }
  }
  std::printf("recall@10 unfiltered %.3f, 25%% filter %.3f\n", unfiltered, filtered);
}

// A fifth of the firms sit opposite every query (a mini-cluster far from the
// topic asked about): the graph walk would cover most of the graph before
// finding ten of them, so it stops at its budget and the passing firms are
// scanned exactly.
TEST(VectorIndexGraphTest, FarFilteredFirmsAreStillFound) {
  Firms firms;
  Pair pair;
  for (int64_t key = 1; key <= kFirms; ++key) {
    FirmFacets facets = firms.Facets(key);
    facets.mini_cluster = key % 5 == 0 ? "far" : "near";
    FirmVectors vectors = firms.Vectors();
    if (key % 5 == 0) {
      for (float& v : vectors.fields[static_cast<size_t>(VectorField::kTopic)]) v = -v;
    }
    pair.Upsert(facets, vectors);
  }
  SearchFilter far;
  far.mini_clusters_any = {"far"};
  const double recall =
      Recall(pair, firms, 100, far, [](int64_t key) { return Visible(key) && key % 5 == 0; });
  EXPECT_GE(recall, 0.99);
}

TEST(VectorIndexGraphTest, EventAttendeeListsAreSearchedExactly) {
  Firms firms;
  Pair pair;
  for (int64_t key = 1; key <= kFirms; ++key) pair.Upsert(firms.Facets(key), firms.Vectors());
  auto only = std::make_shared<absl::flat_hash_set<int64_t>>();
  for (int64_t key = 5; key <= kFirms; key += 97) only->insert(key);
  SearchFilter filter;
  filter.only_keys = only;
  const std::vector<float> query = firms.Vector();
  auto approximate = pair.graph.Search(VectorField::kTopic, query, 20, filter);
  auto truth = pair.exact.Search(VectorField::kTopic, query, 20, filter);
  ASSERT_TRUE(approximate.ok() && truth.ok());
  ASSERT_EQ(approximate->size(), truth->size());
  for (size_t i = 0; i < truth->size(); ++i) EXPECT_EQ((*approximate)[i].key, (*truth)[i].key);
}

TEST(VectorIndexGraphTest, UpdatesAndRemovalsNeedNoRebuild) {
  Firms firms;
  Pair pair;
  for (int64_t key = 1; key <= kFirms; ++key) pair.Upsert(firms.Facets(key), firms.Vectors());
  // A third of the firms leave, a sixth change their profile: tombstones in
  // the graph, below the compaction limit of half the slots.
  std::set<int64_t> removed;
  for (int64_t key = 3; key <= kFirms; key += 3) {
    pair.Remove(key);
    removed.insert(key);
  }
  std::vector<std::pair<int64_t, std::vector<float>>> moved;
  for (int64_t key = 1; key <= kFirms; key += 6) {
    FirmVectors vectors = firms.Vectors();
    moved.emplace_back(key, vectors.fields[static_cast<size_t>(VectorField::kTopic)]);
    pair.Upsert(firms.Facets(key), vectors);
  }
  EXPECT_GT(pair.graph.tombstone_count(), 1000u);
  EXPECT_EQ(pair.graph.size(), pair.exact.size());

  const double recall = Recall(pair, firms, 200, SearchFilter{},
                               [&](int64_t key) { return Visible(key) && !removed.contains(key); });
  EXPECT_GE(recall, 0.9);
  // A moved firm is found at its new place, first for its own vector.
  for (const auto& [key, vector] : moved) {
    if (!Visible(key)) continue;
    auto hits = pair.graph.Search(VectorField::kTopic, vector, 1, SearchFilter{});
    ASSERT_TRUE(hits.ok());
    ASSERT_EQ(hits->size(), 1u);
    EXPECT_EQ((*hits)[0].key, key);
  }
  // Compaction rebuilds the graphs without tombstones; answers stay right.
  ASSERT_TRUE(pair.graph.Compact().ok());
  EXPECT_EQ(pair.graph.tombstone_count(), 0u);
  EXPECT_GE(Recall(pair, firms, 100, SearchFilter{},
                   [&](int64_t key) { return Visible(key) && !removed.contains(key); }),
            0.9);
  auto vectors = pair.graph.Vectors(moved.back().first);
  ASSERT_TRUE(vectors.ok());
  EXPECT_EQ(vectors->fields[static_cast<size_t>(VectorField::kTopic)], moved.back().second);
}

TEST(VectorIndexGraphTest, SmallFieldsStayExactUntilTheThreshold) {
  Firms firms;
  Pair pair;
  for (int64_t key = 1; key < 500; ++key) pair.Upsert(firms.Facets(key), firms.Vectors());
  for (int q = 0; q < 30; ++q) {  // 499 firms: both indexes scan exactly
    const std::vector<float> query = firms.Vector();
    auto a = pair.graph.Search(VectorField::kTopic, query, 10, SearchFilter{});
    auto b = pair.exact.Search(VectorField::kTopic, query, 10, SearchFilter{});
    ASSERT_TRUE(a.ok() && b.ok());
    ASSERT_EQ(a->size(), b->size());
    for (size_t i = 0; i < b->size(); ++i) EXPECT_EQ((*a)[i].key, (*b)[i].key);
  }
}

TEST(VectorIndexGraphTest, BulkBatchesMatchSingleUpserts) {
  Firms firms;
  Pair pair;  // graph: batches of 1,000 (linked in parallel); exact: one by one
  std::vector<FirmVectors> vectors(kFirms);
  std::vector<FirmVectorIndex::IndexEntry> batch;
  for (int64_t key = 1; key <= kFirms; ++key) {
    vectors[key - 1] = firms.Vectors();
    ASSERT_TRUE(pair.exact.Upsert(firms.Facets(key), vectors[key - 1]).ok());
    batch.push_back({firms.Facets(key), &vectors[key - 1]});
    if (batch.size() == 1000) {
      ASSERT_TRUE(pair.graph.UpsertMany(batch).ok());
      batch.clear();
    }
  }
  EXPECT_EQ(pair.graph.size(), static_cast<size_t>(kFirms));
  EXPECT_GE(Recall(pair, firms, 200, SearchFilter{}, Visible), 0.95);

  // One malformed vector rejects the whole batch, naming the firm.
  FirmVectors bad = firms.Vectors();
  bad.fields[0].push_back(1.0f);
  std::vector<FirmVectorIndex::IndexEntry> mixed = {{firms.Facets(kFirms + 1), &vectors[0]},
                                                    {firms.Facets(kFirms + 2), &bad}};
  const absl::Status status = pair.graph.UpsertMany(mixed);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(status.message()).find(std::to_string(kFirms + 2)), std::string::npos)
      << status;
  EXPECT_EQ(pair.graph.size(), static_cast<size_t>(kFirms));
  EXPECT_FALSE(pair.graph.Vectors(kFirms + 1).ok());

  // A key twice in one batch keeps its last vectors.
  std::vector<FirmVectorIndex::IndexEntry> twice = {{firms.Facets(5), &vectors[10]},
                                                    {firms.Facets(5), &vectors[11]}};
  ASSERT_TRUE(pair.graph.UpsertMany(twice).ok());
  auto stored = pair.graph.Vectors(5);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->fields[0], vectors[11].fields[0]);
  EXPECT_EQ(pair.graph.size(), static_cast<size_t>(kFirms));
}

// Many equal rows (firms whose needs read the same) fill each other's
// neighbour lists, and Faiss's neighbour choice can leave them linked only
// to each other. A walk that starts among them must still find k rows.
TEST(VectorIndexGraphTest, AWalkAmongEqualRowsStillFindsKRows) {
  Firms firms;
  const std::vector<float> copy = firms.Vector();
  std::vector<float> rows;
  for (int i = 0; i < 2400; ++i) {
    const std::vector<float> row = i % 4 == 0 ? copy : firms.Vector();
    rows.insert(rows.end(), row.begin(), row.end());
  }
  const VectorIndexOptions options = GraphOptions();  // the field keeps a reference
  FieldIndex field(kDim, options);
  field.Append(rows.data(), rows.size() / kDim);
  ASSERT_TRUE(field.has_graph());
  for (const size_t k : {50, 200, 700, 1000}) {
    bool cut_short = true;
    const std::vector<ScoredRow> found =
        field.SearchGraph(copy.data(), k, k, nullptr, 0, &cut_short);
    EXPECT_EQ(found.size(), k) << "k=" << k;
    EXPECT_FALSE(cut_short);
    // The 600 copies come first, each scoring the copy's own norm.
    size_t copies = 0;
    for (const ScoredRow& row : found) copies += row.row % 4 == 0;
    EXPECT_EQ(copies, std::min<size_t>(k, 600)) << "k=" << k;
  }
}

// A filter without facet conditions (the portal's plain recommend) must admit
// exactly the firms a filter with one admits when that condition passes all
// of them. Every answer is compared with the same filter
// plus a condition naming every region, which takes the full check: hidden,
// members-only, removed and replaced firms, excluded keys of live, removed and
// unknown firms, before and after compaction.
TEST(VectorIndexGraphTest, FiltersWithoutFacetsAdmitWhatTheFullCheckAdmits) {
  Firms firms;
  Pair pair;
  auto facets_of = [&](int64_t key) {
    FirmFacets facets = firms.Facets(key);
    facets.clusters = {key % 2 == 0 ? "dmc" : "g-valley"};
    if (key % 7 == 3) facets.visibility = Visibility::kMembers;
    return facets;
  };
  for (int64_t key = 1; key <= kFirms; ++key) pair.Upsert(facets_of(key), firms.Vectors());
  for (int64_t key = 5; key <= kFirms; key += 5) pair.Remove(key);
  for (int64_t key = 2; key <= kFirms; key += 11) pair.Upsert(facets_of(key), firms.Vectors());

  SearchFilter plain;
  SearchFilter excluding;
  for (int64_t key = 1; key <= kFirms; key += 4) excluding.excluded_keys.insert(key);
  excluding.excluded_keys.insert(kFirms + 40);  // never indexed
  SearchFilter members_of_dmc = excluding;
  members_of_dmc.members_visible_all = false;
  members_of_dmc.members_visible_clusters = {"dmc"};
  std::vector<std::string> every_region;
  for (int r = 0; r < 100; ++r) every_region.push_back("region-" + std::to_string(r));

  auto expect_same = [&](const FirmVectorIndex& index, const SearchFilter& filter) {
    SearchFilter full = filter;
    full.regions = every_region;
    for (int q = 0; q < 40; ++q) {
      const std::vector<float> query = firms.Vector();
      auto fast = index.Search(VectorField::kTopic, query, 25, filter);
      auto slow = index.Search(VectorField::kTopic, query, 25, full);
      ASSERT_TRUE(fast.ok() && slow.ok());
      for (const SearchHit& hit : *fast) ASSERT_TRUE(index.Passes(hit.key, full)) << hit.key;
      ASSERT_EQ(fast->size(), slow->size());
      if (&index == &pair.exact) {
        for (size_t i = 0; i < fast->size(); ++i) EXPECT_EQ((*fast)[i].key, (*slow)[i].key);
      }
    }
  };
  for (int round = 0; round < 2; ++round) {
    for (const SearchFilter* filter : {&plain, &excluding, &members_of_dmc}) {
      expect_same(pair.exact, *filter);
      expect_same(pair.graph, *filter);
    }
    ASSERT_TRUE(pair.graph.Compact().ok());
    ASSERT_TRUE(pair.exact.Compact().ok());
  }
  // The filters reject what they should: hidden, removed, excluded, and
  // members-only firms outside DMC.
  EXPECT_FALSE(pair.exact.Passes(7, plain));            // hidden
  EXPECT_FALSE(pair.exact.Passes(10, plain));           // removed
  EXPECT_FALSE(pair.exact.Passes(9, excluding));        // excluded
  EXPECT_TRUE(pair.exact.Passes(3, plain));             // members-only, all visible
  EXPECT_FALSE(pair.exact.Passes(31, members_of_dmc));  // members-only, g-valley
  EXPECT_TRUE(pair.exact.Passes(31, excluding));        // the same firm, all visible
  EXPECT_TRUE(pair.exact.Passes(38, members_of_dmc));   // members-only, dmc
}

}  // namespace
}  // namespace clustermatch
