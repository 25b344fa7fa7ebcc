// `clustermatch backup` and `restore` underneath: engine/store_backup.h on
// real SQLite files. A backup taken while an engine in the same process keeps
// writing (on a connection of its own, as `serve` would) holds every firm
// acknowledged before it began, restores into a store that opens with an
// index agreeing with it, and damaged or foreign backups never replace a
// store.
#include "engine/store_backup.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "engine/engine.h"
#include "engine/sample_cluster.h"
#include "engine/sqlite_statement.h"
#include "engine/store_lock.h"
#include "tests/engine/store_test_support.h"

namespace clustermatch {
namespace {

using store_test::ScratchDir;

std::unique_ptr<Engine> OpenEngine(const std::string& db, bool read_only = false) {
  EngineOptions options;
  options.db_path = db;
  options.read_only = read_only;
  auto engine = Engine::Open(options);
  EXPECT_TRUE(engine.ok()) << engine.status();
  return engine.ok() ? *std::move(engine) : nullptr;
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class StoreBackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.ok());
    auto engine = OpenEngine(db_);
    ASSERT_NE(engine, nullptr);
    ASSERT_TRUE(engine->ImportFirms(GenerateSampleCluster({.firms = 200, .seed = 5})).ok());
  }

  ScratchDir dir_;
  const std::string db_ = dir_.File("store.db");
};

TEST_F(StoreBackupTest, BackupUnderWritesHoldsEveryAcknowledgedFirmAndRestoresConsistently) {
  auto engine = OpenEngine(db_);
  ASSERT_NE(engine, nullptr);
  const std::vector<Firm> extra = GenerateSampleCluster({.firms = 400, .seed = 9});
  std::mutex mutex;
  std::vector<std::string> acknowledged;
  std::atomic<bool> stop = false;
  std::thread writer([&] {
    for (size_t i = 0; i < extra.size() && !stop; ++i) {
      Firm firm = extra[i];
      firm.id = "live-" + std::to_string(i);
      ASSERT_TRUE(engine->CreateFirm(firm).ok());
      std::lock_guard<std::mutex> lock(mutex);
      acknowledged.push_back(firm.id);
    }
  });
  // Let some writes land, then back up while the writer goes on.
  while (true) {
    std::lock_guard<std::mutex> lock(mutex);
    if (acknowledged.size() >= 20) break;
  }
  std::vector<std::string> before;
  {
    std::lock_guard<std::mutex> lock(mutex);
    before = acknowledged;
  }
  const std::string backup = dir_.File("backup.db");
  absl::StatusOr<StoreFileInfo> info = BackupStore(db_, backup);
  size_t after = 0;
  {
    std::lock_guard<std::mutex> lock(mutex);
    after = acknowledged.size();
  }
  stop = true;
  writer.join();
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->path, backup);
  EXPECT_GE(info->firms, static_cast<int64_t>(200 + before.size()));
  EXPECT_LE(info->firms, static_cast<int64_t>(200 + after + 1));  // one write may be committing
  EXPECT_FALSE(std::filesystem::exists(backup + ".partial"));

  const std::string restored = dir_.File("restored.db");
  absl::StatusOr<StoreFileInfo> back = RestoreStore(backup, restored, false);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->firms, info->firms);
  auto reopened = OpenEngine(restored);
  ASSERT_NE(reopened, nullptr);
  const EngineStats stats = reopened->Stats();
  EXPECT_EQ(stats.firms, static_cast<size_t>(info->firms));
  EXPECT_EQ(stats.indexed, stats.firms);
  for (const std::string& id : before) EXPECT_TRUE(reopened->GetFirm(id).ok()) << id;
  // The restored store serves: a firm's own offer finds it.
  const absl::StatusOr<Firm> firm = reopened->GetFirm(before.back());
  ASSERT_TRUE(firm.ok());
  SearchRequest request;
  request.text = firm->offers.front();
  request.k = 50;
  const auto hits = reopened->Search(request);
  ASSERT_TRUE(hits.ok()) << hits.status();
  bool found = false;
  for (const auto& hit : *hits) found = found || hit.firm_id == firm->id;
  EXPECT_TRUE(found) << request.text;
}

TEST_F(StoreBackupTest, BackupRefusesAnExistingFileAndLeavesNothingOnFailure) {
  const std::string taken = dir_.File("taken.db");
  std::ofstream(taken) << "keep me";
  absl::StatusOr<StoreFileInfo> info = BackupStore(db_, taken);
  EXPECT_TRUE(absl::IsAlreadyExists(info.status())) << info.status();
  EXPECT_EQ(ReadBytes(taken), "keep me");

  const std::string nowhere = dir_.File("missing-folder/backup.db");
  info = BackupStore(db_, nowhere);
  EXPECT_FALSE(info.ok());
  EXPECT_FALSE(std::filesystem::exists(nowhere));
  EXPECT_FALSE(std::filesystem::exists(nowhere + ".partial"));

  info = BackupStore(dir_.File("no-store.db"), dir_.File("b.db"));
  EXPECT_TRUE(absl::IsNotFound(info.status())) << info.status();
  EXPECT_FALSE(std::filesystem::exists(dir_.File("b.db")));
}

TEST_F(StoreBackupTest, RestoreReplacesOnlyWhenAskedAndDropsTheOldIndexSnapshot) {
  const std::string backup = dir_.File("backup.db");
  ASSERT_TRUE(BackupStore(db_, backup).ok());
  {
    auto engine = OpenEngine(db_);
    ASSERT_NE(engine, nullptr);
    ASSERT_TRUE(engine->DeleteFirm(engine->ListFirms().front().id).ok());
  }
  std::ofstream(db_ + ".index") << "the old store's snapshot";

  absl::StatusOr<StoreFileInfo> info = RestoreStore(backup, db_, false);
  EXPECT_TRUE(absl::IsAlreadyExists(info.status())) << info.status();
  EXPECT_NE(std::string(info.status().message()).find("--replace"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(db_ + ".index"));

  info = RestoreStore(backup, db_, true);
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->firms, 200);
  EXPECT_FALSE(std::filesystem::exists(db_ + ".index"));
  EXPECT_FALSE(std::filesystem::exists(db_ + ".restoring"));
  auto engine = OpenEngine(db_, true);
  ASSERT_NE(engine, nullptr);
  EXPECT_EQ(engine->Stats().firms, 200u);
}

TEST_F(StoreBackupTest, RestoreRefusesWhileTheStoreIsHeldForWriting) {
  const std::string backup = dir_.File("backup.db");
  ASSERT_TRUE(BackupStore(db_, backup).ok());
  auto holder = OpenEngine(db_);
  ASSERT_NE(holder, nullptr);
  const absl::StatusOr<StoreFileInfo> info = RestoreStore(backup, db_, true);
  EXPECT_TRUE(absl::IsFailedPrecondition(info.status())) << info.status();
  EXPECT_NE(std::string(info.status().message()).find("locked for writing"), std::string::npos)
      << info.status();
}

TEST_F(StoreBackupTest, DamagedOrForeignBackupsNeverReplaceTheStore) {
  const std::string backup = dir_.File("backup.db");
  ASSERT_TRUE(BackupStore(db_, backup).ok());
  const std::string store_bytes = ReadBytes(db_);

  // Damage a page in the middle of the backup.
  std::string bytes = ReadBytes(backup);
  ASSERT_GT(bytes.size(), 64u * 1024);
  for (size_t i = bytes.size() / 2; i < bytes.size() / 2 + 4096; ++i) bytes[i] = '\x5a';
  const std::string damaged = dir_.File("damaged.db");
  std::ofstream(damaged, std::ios::binary) << bytes;
  absl::StatusOr<StoreFileInfo> info = RestoreStore(damaged, db_, true);
  EXPECT_FALSE(info.ok());
  EXPECT_NE(std::string(info.status().message()).find(damaged), std::string::npos) << info.status();

  const std::string text = dir_.File("notes.txt");
  std::ofstream(text) << "not a database at all\n";
  info = RestoreStore(text, db_, true);
  EXPECT_FALSE(info.ok());

  const std::string other = dir_.File("other.sqlite");
  {
    std::unique_ptr<SqliteDb> db =
        *SqliteDb::Open(other, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_TRUE(db->Exec("CREATE TABLE t(x)", "make").ok());
  }
  info = RestoreStore(other, db_, true);
  EXPECT_TRUE(absl::IsFailedPrecondition(info.status())) << info.status();

  EXPECT_EQ(ReadBytes(db_), store_bytes);
  EXPECT_FALSE(std::filesystem::exists(db_ + ".restoring"));
}

}  // namespace
}  // namespace clustermatch
