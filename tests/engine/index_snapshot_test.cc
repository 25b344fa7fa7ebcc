// Index snapshot files: the byte format's checks (size, bounds, hash, torn
// writes) and FirmVectorIndex's save and load, graphs included.
#include "engine/index_snapshot.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "engine/vector_index.h"
#include "tests/engine/store_test_support.h"

namespace clustermatch {
namespace {

using store_test::ScratchDir;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

absl::Status WriteSample(const std::string& path) {
  auto sink = SnapshotSink::Create(path);
  if (!sink.ok()) return sink.status();
  (*sink)->Value<uint32_t>(7);
  (*sink)->Vector(std::vector<float>{1.5f, -2.0f, 3.25f});
  (*sink)->Vector(std::vector<int64_t>(300000, 42));  // larger than the buffer
  (*sink)->Value<int64_t>(-9);
  return (*sink)->Commit();
}

TEST(SnapshotFileTest, RoundTripsValuesAndVectors) {
  ScratchDir dir;
  const std::string path = dir.File("a.index");
  ASSERT_TRUE(WriteSample(path).ok());
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  auto in = SnapshotSource::Open(path);
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_EQ((*in)->Value<uint32_t>(), 7u);
  EXPECT_EQ((*in)->Vector<float>(), (std::vector<float>{1.5f, -2.0f, 3.25f}));
  EXPECT_EQ((*in)->Vector<int64_t>(), std::vector<int64_t>(300000, 42));
  EXPECT_EQ((*in)->Value<int64_t>(), -9);
  EXPECT_TRUE((*in)->Finish().ok()) << (*in)->Finish();
}

TEST(SnapshotFileTest, MissingFileIsNotFound) {
  ScratchDir dir;
  EXPECT_TRUE(absl::IsNotFound(SnapshotSource::Open(dir.File("none.index")).status()));
}

TEST(SnapshotFileTest, TruncatedOrForeignFilesAreDataLoss) {
  ScratchDir dir;
  const std::string path = dir.File("a.index");
  ASSERT_TRUE(WriteSample(path).ok());
  const std::string bytes = ReadAll(path);

  WriteAll(path, bytes.substr(0, bytes.size() - 100));
  absl::Status torn = SnapshotSource::Open(path).status();
  EXPECT_TRUE(absl::IsDataLoss(torn)) << torn;
  EXPECT_NE(std::string(torn.message()).find("torn or truncated"), std::string::npos) << torn;

  WriteAll(path, "SQLite format 3" + bytes.substr(15));
  absl::Status foreign = SnapshotSource::Open(path).status();
  EXPECT_TRUE(absl::IsDataLoss(foreign)) << foreign;
  EXPECT_NE(std::string(foreign.message()).find("not an index snapshot"), std::string::npos);
}

TEST(SnapshotFileTest, AFlippedByteFailsTheHash) {
  ScratchDir dir;
  const std::string path = dir.File("a.index");
  ASSERT_TRUE(WriteSample(path).ok());
  std::string bytes = ReadAll(path);
  bytes[bytes.size() / 2] ^= 0x10;  // inside the big vector
  WriteAll(path, bytes);
  auto in = SnapshotSource::Open(path);
  ASSERT_TRUE(in.ok()) << in.status();
  (*in)->Value<uint32_t>();
  (*in)->Vector<float>();
  (*in)->Vector<int64_t>();
  (*in)->Value<int64_t>();
  const absl::Status finished = (*in)->Finish();
  EXPECT_TRUE(absl::IsDataLoss(finished)) << finished;
  EXPECT_NE(std::string(finished.message()).find("hash mismatch"), std::string::npos);
}

TEST(SnapshotFileTest, ACountPastTheEndAllocatesNothing) {
  ScratchDir dir;
  const std::string path = dir.File("a.index");
  {
    auto sink = SnapshotSink::Create(path);
    ASSERT_TRUE(sink.ok());
    (*sink)->Value<uint64_t>(uint64_t{1} << 60);  // read back as a vector count
    ASSERT_TRUE((*sink)->Commit().ok());
  }
  auto in = SnapshotSource::Open(path);
  ASSERT_TRUE(in.ok());
  EXPECT_TRUE((*in)->Vector<double>().empty());
  EXPECT_TRUE(absl::IsDataLoss((*in)->status())) << (*in)->status();
  EXPECT_TRUE(absl::IsDataLoss((*in)->Finish()));
}

TEST(SnapshotFileTest, AnUncommittedWriteLeavesTheOldSnapshot) {
  ScratchDir dir;
  const std::string path = dir.File("a.index");
  ASSERT_TRUE(WriteSample(path).ok());
  const std::string before = ReadAll(path);
  {
    auto sink = SnapshotSink::Create(path);
    ASSERT_TRUE(sink.ok());
    (*sink)->Value<uint32_t>(8);
    // Destroyed without Commit, as a crash mid-write would leave it.
  }
  EXPECT_EQ(ReadAll(path), before);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

// ---- FirmVectorIndex ----

constexpr int kDimension = 16;

struct Corpus {
  std::vector<FirmFacets> facets;
  std::vector<FirmVectors> vectors;
};

std::vector<float> UnitVector(std::mt19937& random) {
  std::normal_distribution<float> normal;
  std::vector<float> v(kDimension);
  float norm = 0;
  for (float& x : v) {
    x = normal(random);
    norm += x * x;
  }
  for (float& x : v) x /= std::sqrt(norm);
  return v;
}

Corpus MakeCorpus(int firms) {
  std::mt19937 random(7);
  Corpus corpus;
  for (int i = 0; i < firms; ++i) {
    FirmFacets facets;
    facets.key = 1000 + i;
    facets.stamp = 5000 + static_cast<uint64_t>(i);
    facets.clusters = {absl::StrCat("c", i % 3)};
    facets.region = absl::StrCat("r", i % 5);
    facets.visibility = i % 17 == 0 ? Visibility::kHidden : Visibility::kPublic;
    FirmVectors vectors;
    for (int f = 0; f < kVectorFieldCount; ++f) {
      if (f == 3 && i % 4 != 0) continue;  // materials mostly empty
      vectors.fields[static_cast<size_t>(f)] = UnitVector(random);
    }
    corpus.facets.push_back(facets);
    corpus.vectors.push_back(vectors);
  }
  return corpus;
}

VectorIndexOptions GraphOptions() {
  VectorIndexOptions options;
  options.exact_below = 100;  // graphs from 100 rows on
  return options;
}

void Fill(FirmVectorIndex& index, const Corpus& corpus) {
  std::vector<FirmVectorIndex::IndexEntry> entries;
  for (size_t i = 0; i < corpus.facets.size(); ++i) {
    entries.push_back({corpus.facets[i], &corpus.vectors[i]});
  }
  ASSERT_TRUE(index.UpsertMany(entries).ok());
}

std::vector<SearchHit> SearchOrDie(const FirmVectorIndex& index, VectorField field,
                                   const std::vector<float>& query, const SearchFilter& filter) {
  auto hits = index.Search(field, query, 10, filter);
  EXPECT_TRUE(hits.ok()) << hits.status();
  return hits.ok() ? *hits : std::vector<SearchHit>{};
}

// Same hits and scores from both indexes, for random queries, unfiltered
// and with a region filter, on three fields.
void ExpectSameAnswers(const FirmVectorIndex& saved, const FirmVectorIndex& loaded) {
  std::mt19937 random(11);
  SearchFilter region;
  region.regions = {"r2"};
  SearchFilter none;
  for (int q = 0; q < 20; ++q) {
    const std::vector<float> query = UnitVector(random);
    for (VectorField field : {VectorField::kOffer, VectorField::kTopic, VectorField::kMaterials}) {
      for (const SearchFilter* filter : {&none, &region}) {
        const auto expected = SearchOrDie(saved, field, query, *filter);
        const auto got = SearchOrDie(loaded, field, query, *filter);
        ASSERT_EQ(got.size(), expected.size());
        for (size_t i = 0; i < got.size(); ++i) {
          EXPECT_EQ(got[i].key, expected[i].key);
          EXPECT_EQ(got[i].score, expected[i].score);
        }
      }
    }
  }
}

// Ten new firms upserted into `loaded` are each their own nearest topic.
void ExpectNewFirmsAreFound(FirmVectorIndex& loaded) {
  const SearchFilter none;
  Corpus more = MakeCorpus(410);
  for (size_t i = 400; i < 410; ++i) {
    more.facets[i].key += 100000;
    ASSERT_TRUE(loaded.Upsert(more.facets[i], more.vectors[i]).ok());
    auto hits = loaded.Search(VectorField::kTopic, more.vectors[i].fields[2], 1, none);
    ASSERT_TRUE(hits.ok());
    if (more.facets[i].visibility != Visibility::kHidden) {
      EXPECT_EQ((*hits)[0].key, more.facets[i].key);
    }
  }
}

class IndexSnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.ok());
    corpus_ = MakeCorpus(400);
    for (const FirmFacets& facets : corpus_.facets) current_[facets.key] = facets;
    Fill(saved_, corpus_);
    // A replaced and a removed firm leave tombstones in the snapshot.
    ASSERT_TRUE(saved_.Upsert(corpus_.facets[5], corpus_.vectors[6]).ok());
    ASSERT_TRUE(saved_.Remove(corpus_.facets[9].key).ok());
    current_.erase(corpus_.facets[9].key);
  }

  // Writes saved_ to path_.
  absl::Status Save() {
    auto sink = SnapshotSink::Create(path_);
    if (!sink.ok()) return sink.status();
    saved_.SaveTo(**sink);
    return (*sink)->Commit();
  }

  absl::Status SaveAndLoad(FirmVectorIndex& loaded) {
    if (absl::Status saved = Save(); !saved.ok()) return saved;
    auto in = SnapshotSource::Open(path_);
    if (!in.ok()) return in.status();
    return loaded.LoadFrom(**in, [&](int64_t key) -> const FirmFacets* {
      auto it = current_.find(key);
      return it == current_.end() ? nullptr : &it->second;
    });
  }

  ScratchDir dir_;
  const std::string path_ = dir_.File("index");
  Corpus corpus_;
  absl::flat_hash_map<int64_t, FirmFacets> current_;
  FirmVectorIndex saved_{kDimension, GraphOptions()};
};

TEST_F(IndexSnapshotTest, LoadedIndexAnswersExactlyAsTheSavedOne) {
  FirmVectorIndex loaded(kDimension, GraphOptions());
  ASSERT_TRUE(SaveAndLoad(loaded).ok());
  EXPECT_EQ(loaded.size(), saved_.size());
  EXPECT_EQ(loaded.tombstone_count(), saved_.tombstone_count());
  EXPECT_FALSE(loaded.Contains(corpus_.facets[9].key));

  ExpectSameAnswers(saved_, loaded);
  // The loaded graphs take new firms as the saved ones did.
  ExpectNewFirmsAreFound(loaded);
}

// PIPA: a removed firm's vectors, and a replaced firm's old ones, are zeroed
// with their tombstones, so no snapshot written afterwards holds them.
TEST_F(IndexSnapshotTest, RemovedAndReplacedFirmsLeaveNoVectorInTheSnapshot) {
  ASSERT_TRUE(Save().ok());
  const std::string bytes = ReadAll(path_);
  const auto holds = [&bytes](const std::vector<float>& row) {
    const std::string needle(reinterpret_cast<const char*>(row.data()), row.size() * sizeof(float));
    return bytes.find(needle) != std::string::npos;
  };
  for (size_t f = 0; f < 3; ++f) {
    SCOPED_TRACE(f);
    EXPECT_TRUE(holds(corpus_.vectors[8].fields[f]));   // a live firm: there
    EXPECT_FALSE(holds(corpus_.vectors[9].fields[f]));  // removed
    EXPECT_FALSE(holds(corpus_.vectors[5].fields[f]));  // replaced by firm 6's vectors
  }
}

TEST_F(IndexSnapshotTest, FirmsChangedOrGoneSinceAreLeftOut) {
  current_[corpus_.facets[3].key].stamp += 1;  // its texts changed
  current_.erase(corpus_.facets[4].key);       // deleted
  current_[corpus_.facets[7].key].region = "elsewhere";
  FirmVectorIndex loaded(kDimension, GraphOptions());
  ASSERT_TRUE(SaveAndLoad(loaded).ok());
  EXPECT_FALSE(loaded.Contains(corpus_.facets[3].key));
  EXPECT_FALSE(loaded.Contains(corpus_.facets[4].key));
  EXPECT_TRUE(loaded.Contains(corpus_.facets[8].key));
  EXPECT_EQ(loaded.size(), saved_.size() - 2);
  // Facets come from the caller, not the file.
  auto facets = loaded.Facets(corpus_.facets[7].key);
  ASSERT_TRUE(facets.ok());
  EXPECT_EQ(facets->region, "elsewhere");
  SearchFilter elsewhere;
  elsewhere.regions = {"elsewhere"};
  auto hits = loaded.Search(VectorField::kTopic, corpus_.vectors[7].fields[2], 5, elsewhere);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].key, corpus_.facets[7].key);
}

TEST_F(IndexSnapshotTest, ACorruptSnapshotLeavesTheIndexUnchanged) {
  ASSERT_TRUE(Save().ok());
  std::string bytes = ReadAll(path_);
  bytes[bytes.size() - 200] ^= 0x01;  // in the last field's links
  WriteAll(path_, bytes);

  FirmVectorIndex loaded(kDimension, GraphOptions());
  const FirmFacets extra = corpus_.facets[0];
  ASSERT_TRUE(loaded.Upsert(extra, corpus_.vectors[0]).ok());
  auto in = SnapshotSource::Open(path_);
  ASSERT_TRUE(in.ok());
  const absl::Status status =
      loaded.LoadFrom(**in, [&](int64_t key) -> const FirmFacets* { return &current_[key]; });
  EXPECT_TRUE(absl::IsDataLoss(status)) << status;
  EXPECT_EQ(loaded.size(), 1u);
  EXPECT_TRUE(loaded.Contains(extra.key));
}

TEST_F(IndexSnapshotTest, ASnapshotOfAnotherDimensionIsRefused) {
  ASSERT_TRUE(Save().ok());
  FirmVectorIndex other(kDimension * 2, GraphOptions());
  auto in = SnapshotSource::Open(path_);
  ASSERT_TRUE(in.ok());
  const absl::Status status =
      other.LoadFrom(**in, [&](int64_t key) -> const FirmFacets* { return &current_[key]; });
  EXPECT_TRUE(absl::IsDataLoss(status)) << status;
  EXPECT_EQ(other.size(), 0u);
}

// The engine reads the file while it parses the store's firms, then adopts
// it: until AdoptSnapshot the index serves what it held before.
TEST_F(IndexSnapshotTest, AReadSnapshotChangesNothingUntilAdopted) {
  ASSERT_TRUE(Save().ok());
  FirmVectorIndex loaded(kDimension, GraphOptions());
  const auto current = [&](int64_t key) -> const FirmFacets* {
    auto it = current_.find(key);
    return it == current_.end() ? nullptr : &it->second;
  };
  EXPECT_TRUE(absl::IsFailedPrecondition(loaded.AdoptSnapshot(current)));
  size_t visible = 0;
  while (corpus_.facets[visible].visibility == Visibility::kHidden) ++visible;
  const FirmFacets extra = corpus_.facets[visible];
  ASSERT_TRUE(loaded.Upsert(extra, corpus_.vectors[visible]).ok());

  auto in = SnapshotSource::Open(path_);
  ASSERT_TRUE(in.ok());
  ASSERT_TRUE(loaded.ReadSnapshot(**in).ok());
  EXPECT_EQ(loaded.size(), 1u);
  const auto before = SearchOrDie(loaded, VectorField::kTopic, corpus_.vectors[8].fields[2], {});
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0].key, extra.key);

  ASSERT_TRUE(loaded.AdoptSnapshot(current).ok());
  EXPECT_EQ(loaded.size(), saved_.size());
  ExpectSameAnswers(saved_, loaded);
  // The pending load is used up.
  EXPECT_TRUE(absl::IsFailedPrecondition(loaded.AdoptSnapshot(current)));
}

// A read that fails leaves nothing to adopt, and the index as it was.
TEST_F(IndexSnapshotTest, AFailedReadLeavesNothingToAdopt) {
  ASSERT_TRUE(Save().ok());
  std::string bytes = ReadAll(path_);
  bytes[bytes.size() / 2] ^= 0x10;
  WriteAll(path_, bytes);
  FirmVectorIndex loaded(kDimension, GraphOptions());
  auto in = SnapshotSource::Open(path_);
  ASSERT_TRUE(in.ok());
  EXPECT_TRUE(absl::IsDataLoss(loaded.ReadSnapshot(**in)));
  EXPECT_TRUE(absl::IsFailedPrecondition(
      loaded.AdoptSnapshot([&](int64_t key) -> const FirmFacets* { return &current_[key]; })));
  EXPECT_EQ(loaded.size(), 0u);
}

// ---- SQ8 fields: the quantizer's ranges and the codes round trip ----

VectorIndexOptions Sq8GraphOptions() {
  VectorIndexOptions options = GraphOptions();
  options.row_format = RowFormat::kSq8;
  return options;
}

absl::Status SaveThenLoad(const FirmVectorIndex& saved, const std::string& path,
                          FirmVectorIndex& loaded,
                          const absl::flat_hash_map<int64_t, FirmFacets>& current) {
  auto sink = SnapshotSink::Create(path);
  if (!sink.ok()) return sink.status();
  saved.SaveTo(**sink);
  if (absl::Status committed = (*sink)->Commit(); !committed.ok()) return committed;
  auto in = SnapshotSource::Open(path);
  if (!in.ok()) return in.status();
  return loaded.LoadFrom(**in, [&](int64_t key) -> const FirmFacets* {
    auto it = current.find(key);
    return it == current.end() ? nullptr : &it->second;
  });
}

TEST(IndexSnapshotSq8Test, LoadedSq8IndexAnswersExactlyAsTheSavedOne) {
  ScratchDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir.File("sq8.index");
  const Corpus corpus = MakeCorpus(400);
  absl::flat_hash_map<int64_t, FirmFacets> current;
  for (const FirmFacets& facets : corpus.facets) current[facets.key] = facets;
  FirmVectorIndex saved(kDimension, Sq8GraphOptions());
  Fill(saved, corpus);
  ASSERT_TRUE(saved.Upsert(corpus.facets[5], corpus.vectors[6]).ok());
  ASSERT_TRUE(saved.Remove(corpus.facets[9].key).ok());
  current.erase(corpus.facets[9].key);

  FirmVectorIndex loaded(kDimension, Sq8GraphOptions());
  ASSERT_TRUE(SaveThenLoad(saved, path, loaded, current).ok());
  EXPECT_EQ(loaded.size(), saved.size());
  EXPECT_EQ(loaded.tombstone_count(), saved.tombstone_count());
  // The codes, decoded: the same rows, bit for bit.
  for (const FirmFacets& facets : corpus.facets) {
    if (!saved.Contains(facets.key)) continue;
    auto want = saved.Vectors(facets.key);
    auto got = loaded.Vectors(facets.key);
    ASSERT_TRUE(want.ok() && got.ok()) << facets.key;
    EXPECT_EQ(got->fields, want->fields) << facets.key;
  }
  ExpectSameAnswers(saved, loaded);
  // New firms are encoded with the loaded quantizer and linked.
  ExpectNewFirmsAreFound(loaded);
}

TEST(IndexSnapshotSq8Test, ARowFormatMismatchIsRefused) {
  ScratchDir dir;
  ASSERT_TRUE(dir.ok());
  const Corpus corpus = MakeCorpus(400);
  absl::flat_hash_map<int64_t, FirmFacets> current;
  for (const FirmFacets& facets : corpus.facets) current[facets.key] = facets;
  FirmVectorIndex sq8(kDimension, Sq8GraphOptions());
  FirmVectorIndex floats(kDimension, GraphOptions());
  Fill(sq8, corpus);
  Fill(floats, corpus);

  // SQ8 codes cannot become float rows, nor float graphs SQ8 ones: DataLoss
  // (the caller rebuilds), the index unchanged.
  FirmVectorIndex float_target(kDimension, GraphOptions());
  absl::Status status = SaveThenLoad(sq8, dir.File("a.index"), float_target, current);
  EXPECT_TRUE(absl::IsDataLoss(status)) << status;
  EXPECT_EQ(float_target.size(), 0u);
  FirmVectorIndex sq8_target(kDimension, Sq8GraphOptions());
  status = SaveThenLoad(floats, dir.File("b.index"), sq8_target, current);
  EXPECT_TRUE(absl::IsDataLoss(status)) << status;
  EXPECT_EQ(sq8_target.size(), 0u);

  // Small fields are floats in either format: a snapshot taken before the
  // graphs loads into an SQ8 index, which builds SQ8 graphs from it when
  // the rows reach exact_below.
  VectorIndexOptions small = GraphOptions();
  small.exact_below = 1000;
  FirmVectorIndex small_floats(kDimension, small);
  Fill(small_floats, corpus);
  status = SaveThenLoad(small_floats, dir.File("c.index"), sq8_target, current);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(sq8_target.size(), small_floats.size());
  auto hits = sq8_target.Search(VectorField::kTopic, corpus.vectors[1].fields[2], 1, {});
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].key, corpus.facets[1].key);
}

}  // namespace
}  // namespace clustermatch
