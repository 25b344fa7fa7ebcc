// Deleting a firm forgets it (issue 7, PIPA): after Engine::DeleteFirm the
// firm is gone from the store file and its log, from its relations, from the
// index in memory and from the next index snapshot, and stays gone after a
// reopen. Checked byte for byte on the real files: the firm's own phrases in
// the store and its vectors (as the store kept them) in the snapshot.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "engine/engine.h"
#include "engine/sample_cluster.h"
#include "engine/sqlite_statement.h"
#include "tests/engine/store_test_support.h"
#include "tests/engine/test_firms.h"

namespace clustermatch {
namespace {

using store_test::ScratchDir;

constexpr char kDescription[] = "Private note PIPA-MARKER-7f3a about our owner's family";
constexpr char kOffer[] = "zirconia dental crown milling with PIPA-OFFER-19c2 finish";

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

bool FileHolds(const std::string& path, const std::string& needle) {
  return ReadBytes(path).find(needle) != std::string::npos;
}

class PrivacyDeleteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.ok());
    engine_ = Open();
    ASSERT_NE(engine_, nullptr);
    const std::vector<Firm> firms = GenerateSampleCluster({.firms = 250, .seed = 8});
    ASSERT_TRUE(engine_->ImportFirms(firms).ok());
    Firm firm = testing::MakeFirm("pipa-firm", "IMT", {kOffer}, {"5-axis CAM software"});
    firm.description = kDescription;
    ASSERT_TRUE(engine_->CreateFirm(firm).ok());
    const std::vector<Relation> relations = {
        {"pipa-firm", firms[0].id, RelationKind::kMet, "2025-04-01", "expo"},
        {firms[1].id, "pipa-firm", RelationKind::kPartnered, "2025", ""},
        {firms[0].id, firms[1].id, RelationKind::kMet, "2025", ""}};
    ASSERT_TRUE(engine_->AddRelations(relations).ok());
    ASSERT_TRUE(engine_->SaveIndexSnapshot(false).ok());
  }

  std::unique_ptr<Engine> Open() {
    EngineOptions options;
    options.db_path = db_;
    options.index_snapshot_min_firms = 0;
    auto engine = Engine::Open(options);
    EXPECT_TRUE(engine.ok()) << engine.status();
    return engine.ok() ? *std::move(engine) : nullptr;
  }

  // The firm's stored vectors, as raw bytes, one per non-empty field.
  std::vector<std::string> StoredVectorBytes() {
    std::vector<std::string> rows;
    auto db = SqliteDb::Open(db_, SQLITE_OPEN_READONLY);
    EXPECT_TRUE(db.ok()) << db.status();
    auto select = SqliteStatement::Prepare(
        **db,
        "SELECT offer, need, topic FROM vectors JOIN firms USING (key) WHERE id = 'pipa-firm'");
    EXPECT_TRUE(select.ok()) << select.status();
    auto row = select->Step();
    EXPECT_TRUE(row.ok() && *row) << "no stored vectors";
    for (int f = 0; f < 3; ++f) {
      if (!select->ColumnBlob(f).empty()) rows.emplace_back(select->ColumnBlob(f));
    }
    return rows;
  }

  bool StoreHolds(const std::string& needle) {
    return FileHolds(db_, needle) || FileHolds(db_ + "-wal", needle);
  }

  ScratchDir dir_;
  const std::string db_ = dir_.File("store.db");
  const std::string snapshot_ = db_ + ".index";
  std::unique_ptr<Engine> engine_;
};

TEST_F(PrivacyDeleteTest, DeletedFirmLeavesStoreLogRelationsIndexAndSnapshot) {
  // Before: everything of the firm is where it is expected, so the checks
  // below can fail.
  const std::vector<std::string> vectors = StoredVectorBytes();
  ASSERT_EQ(vectors.size(), 3u);
  for (const std::string& row : vectors) EXPECT_TRUE(FileHolds(snapshot_, row));
  EXPECT_TRUE(StoreHolds(kDescription));
  EXPECT_EQ(engine_->ListRelations("pipa-firm").size(), 2u);

  ASSERT_TRUE(engine_->DeleteFirm("pipa-firm").ok());
  EXPECT_FALSE(StoreHolds(kDescription));
  EXPECT_FALSE(StoreHolds(kOffer));
  EXPECT_TRUE(engine_->ListRelations("pipa-firm").empty());
  EXPECT_EQ(engine_->ListRelations().size(), 1u);  // the pair without it stays
  EXPECT_EQ(engine_->Stats().indexed, engine_->Stats().firms);

  // The next snapshot has no row of it: its tombstones were zeroed.
  ASSERT_TRUE(engine_->SaveIndexSnapshot(false).ok());
  for (const std::string& row : vectors) EXPECT_FALSE(FileHolds(snapshot_, row));

  SearchRequest request;
  request.text = kOffer;
  request.k = 20;
  const auto hits = engine_->Search(request);
  ASSERT_TRUE(hits.ok()) << hits.status();
  for (const auto& hit : *hits) EXPECT_NE(hit.firm_id, "pipa-firm");

  // And after a reopen (from that snapshot).
  engine_.reset();
  EXPECT_FALSE(StoreHolds(kDescription));
  auto reopened = Open();
  ASSERT_NE(reopened, nullptr);
  EXPECT_TRUE(absl::IsNotFound(reopened->GetFirm("pipa-firm").status()));
  EXPECT_TRUE(reopened->ListRelations("pipa-firm").empty());
  EXPECT_TRUE(reopened->Stats().index_source.starts_with("snapshot"))
      << reopened->Stats().index_source;
  const auto again = reopened->Search(request);
  ASSERT_TRUE(again.ok());
  for (const auto& hit : *again) EXPECT_NE(hit.firm_id, "pipa-firm");
}

}  // namespace
}  // namespace clustermatch
