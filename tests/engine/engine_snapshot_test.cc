// The engine's index snapshots on a real store: an open after a clean close
// loads the index instead of building it, firms changed since a snapshot are
// indexed again (as after kill -9 between snapshots), and a snapshot that
// cannot serve (corrupt, another model) is replaced by a build. Every case
// checks answers against an engine that built its index from the store.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "engine/engine.h"
#include "engine/sample_cluster.h"
#include "tests/engine/store_test_support.h"

namespace clustermatch {
namespace {

using store_test::ScratchDir;

class EngineSnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.ok());
    auto engine = Open(0);
    ASSERT_NE(engine, nullptr);
    firms_ = GenerateSampleCluster({.firms = 300, .seed = 3});
    ASSERT_TRUE(engine->ImportFirms(firms_).ok());
    // Destroyed: the index changed since the open, so a snapshot is written.
  }

  // min_firms: EngineOptions::index_snapshot_min_firms (SIZE_MAX: never write).
  std::unique_ptr<Engine> Open(size_t min_firms, bool read_only = false) {
    EngineOptions options;
    options.db_path = db_;
    options.read_only = read_only;
    options.index_snapshot_min_firms = min_firms;
    auto engine = Engine::Open(options);
    EXPECT_TRUE(engine.ok()) << engine.status();
    return engine.ok() ? *std::move(engine) : nullptr;
  }

  // The answers an index built from the store gives: the snapshot is moved
  // away for a read-only open, then put back.
  std::vector<std::vector<std::string>> BuiltAnswers() {
    std::filesystem::rename(snapshot_, snapshot_ + ".away");
    auto engine = Open(SIZE_MAX, true);
    EXPECT_TRUE(engine->Stats().index_source.starts_with("built")) << engine->Stats().index_source;
    auto answers = Answers(*engine);
    std::filesystem::rename(snapshot_ + ".away", snapshot_);
    return answers;
  }

  static std::vector<std::vector<std::string>> Answers(const Engine& engine) {
    std::vector<std::vector<std::string>> answers;
    for (const std::string text : {"CNC machining", "smart factory MES", "배터리 소재"}) {
      SearchRequest request;
      request.text = text;
      request.k = 10;
      auto hits = engine.Search(request);
      EXPECT_TRUE(hits.ok()) << hits.status();
      answers.emplace_back();
      for (const auto& hit : *hits) answers.back().push_back(hit.firm_id);
    }
    for (size_t i = 0; i < 300; i += 37) {
      RecommendRequest request;
      request.firm_id = engine.ListFirms()[i].id;
      request.k = 10;
      auto hits = engine.Recommend(request);
      EXPECT_TRUE(hits.ok()) << hits.status();
      answers.emplace_back();
      for (const auto& hit : *hits) answers.back().push_back(hit.firm_id);
    }
    return answers;
  }

  ScratchDir dir_;
  const std::string db_ = dir_.File("store.db");
  const std::string snapshot_ = db_ + ".index";
  std::vector<Firm> firms_;
};

TEST_F(EngineSnapshotTest, AnOpenAfterACleanCloseLoadsTheSnapshot) {
  ASSERT_TRUE(std::filesystem::exists(snapshot_));
  auto engine = Open(0);
  const EngineStats stats = engine->Stats();
  EXPECT_TRUE(stats.index_source.starts_with("snapshot (300 firms loaded, 0 indexed again"))
      << stats.index_source;
  EXPECT_EQ(stats.indexed, 300u);
  // The file was read on the second thread, beside the catalog.
  EXPECT_GT(stats.open_times.snapshot_read_seconds, 0);
  EXPECT_EQ(Answers(*engine), BuiltAnswers());
}

TEST_F(EngineSnapshotTest, ReadOnlyOpensLoadItAndWriteNothing) {
  const auto written = std::filesystem::last_write_time(snapshot_);
  auto engine = Open(0, true);
  EXPECT_TRUE(engine->Stats().index_source.starts_with("snapshot (300"))
      << engine->Stats().index_source;
  engine.reset();
  EXPECT_EQ(std::filesystem::last_write_time(snapshot_), written);
}

TEST_F(EngineSnapshotTest, ChangesAfterTheSnapshotAreIndexedAgain) {
  {
    // Writes that no snapshot records, as when a server is killed between
    // snapshots.
    auto engine = Open(SIZE_MAX);
    ASSERT_TRUE(engine
                    ->UpdateFirm(firms_[10].id,
                                 [](Firm& firm) {
                                   firm.offers = {"lithium battery cathode materials"};
                                   return absl::OkStatus();
                                 })
                    .ok());
    ASSERT_TRUE(engine->DeleteFirm(firms_[11].id).ok());
    Firm added = firms_[12];
    added.id = "NEW-0001";
    added.region = "Busan";
    ASSERT_TRUE(engine->CreateFirm(added).ok());
    // A change to facets only keeps the vectors but must filter by the new
    // region.
    ASSERT_TRUE(engine
                    ->UpdateFirm(firms_[13].id,
                                 [](Firm& firm) {
                                   firm.region = "Jeju";
                                   return absl::OkStatus();
                                 })
                    .ok());
  }
  auto engine = Open(0);
  const EngineStats stats = engine->Stats();
  EXPECT_TRUE(stats.index_source.starts_with("snapshot (298 firms loaded, 2 indexed again"))
      << stats.index_source;
  EXPECT_EQ(stats.indexed, 300u);
  EXPECT_EQ(Answers(*engine), BuiltAnswers());

  SearchRequest request;
  request.text = "lithium battery cathode materials";
  request.k = 300;
  auto hits = engine->Search(request);
  ASSERT_TRUE(hits.ok());
  ASSERT_FALSE(hits->empty());
  EXPECT_EQ((*hits)[0].firm_id, firms_[10].id);
  for (const auto& hit : *hits) EXPECT_NE(hit.firm_id, firms_[11].id);
  request.filter.regions = {"Jeju"};
  hits = engine->Search(request);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].firm_id, firms_[13].id);
}

TEST_F(EngineSnapshotTest, ACorruptSnapshotIsRebuiltAndReplaced) {
  {
    std::fstream file(snapshot_, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(200);
    file.put('\x7f');
  }
  const auto expected = BuiltAnswers();
  {
    auto engine = Open(0);
    const std::string source = engine->Stats().index_source;
    EXPECT_TRUE(source.starts_with("built (300 firms")) << source;
    EXPECT_NE(source.find("hash mismatch"), std::string::npos) << source;
    EXPECT_EQ(Answers(*engine), expected);
  }
  auto engine = Open(0);
  EXPECT_TRUE(engine->Stats().index_source.starts_with("snapshot (300"))
      << engine->Stats().index_source;
}

TEST_F(EngineSnapshotTest, ASnapshotOfAnOlderModelIsNotUsed) {
  {
    auto engine = Open(SIZE_MAX);
    ASSERT_TRUE(engine->Train().ok());
  }
  auto engine = Open(0);
  const std::string source = engine->Stats().index_source;
  EXPECT_TRUE(source.starts_with("built")) << source;
  EXPECT_NE(source.find("made under model v1, the store's model is v2"), std::string::npos)
      << source;
  EXPECT_EQ(Answers(*engine), BuiltAnswers());
}

TEST_F(EngineSnapshotTest, SmallStoresGetNoSnapshot) {
  std::filesystem::remove(snapshot_);
  {
    auto engine = Open(301);
    ASSERT_TRUE(engine
                    ->UpdateFirm(firms_[0].id,
                                 [](Firm& firm) {
                                   firm.offers.push_back("laser cutting");
                                   return absl::OkStatus();
                                 })
                    .ok());
    auto saved = engine->SaveIndexSnapshot(false);
    ASSERT_TRUE(saved.ok()) << saved.status();
    EXPECT_FALSE(saved->has_value());
  }
  EXPECT_FALSE(std::filesystem::exists(snapshot_));
  auto engine = Open(300);
  auto saved = engine->SaveIndexSnapshot(false);
  ASSERT_TRUE(saved.ok() && saved->has_value());
  EXPECT_EQ((*saved)->firms, 300u);
  EXPECT_EQ(static_cast<uintmax_t>((*saved)->bytes) + 24, std::filesystem::file_size(snapshot_));
}

}  // namespace
}  // namespace clustermatch
