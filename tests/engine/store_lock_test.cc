#include "engine/store_lock.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/store_test_support.h"

namespace clustermatch {
namespace {

using ::clustermatch::store_test::ForkedHolder;
using ::clustermatch::store_test::ScratchDir;
using ::testing::HasSubstr;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(StoreLockTest, HolderTextRoundTrips) {
  StoreLockHolder holder{4321, "clustermatch serve --port 7000", "build-03",
                         "2026-03-01T09:30:00Z"};
  std::optional<StoreLockHolder> parsed = ParseLockHolder(FormatLockHolder(holder));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, holder);
}

TEST(StoreLockTest, HolderTextKeepsOneFieldPerLine) {
  StoreLockHolder holder{7, "evil\ncommand=forged", "h", "t"};
  std::optional<StoreLockHolder> parsed = ParseLockHolder(FormatLockHolder(holder));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->command, "evil command=forged");
}

TEST(StoreLockTest, ParseNeedsAPid) {
  EXPECT_FALSE(ParseLockHolder("").has_value());
  EXPECT_FALSE(ParseLockHolder("command=x\n").has_value());
  EXPECT_FALSE(ParseLockHolder("pid=12abc\n").has_value());
  EXPECT_FALSE(ParseLockHolder("pid=-3\n").has_value());
}

TEST(StoreLockTest, AcquireWritesTheHolder) {
  ScratchDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string store = dir.File("firms.db");
  absl::StatusOr<std::unique_ptr<StoreWriteLock>> lock =
      StoreWriteLock::Acquire(store, "clustermatch import");
  ASSERT_TRUE(lock.ok()) << lock.status();
  EXPECT_EQ((*lock)->lock_path(), StoreLockPath(store));
  std::optional<StoreLockHolder> written = ParseLockHolder(ReadFile((*lock)->lock_path()));
  ASSERT_TRUE(written.has_value());
  EXPECT_EQ(written->pid, getpid());
  EXPECT_EQ(written->command, "clustermatch import");
  EXPECT_FALSE(written->host.empty());
  EXPECT_THAT(written->since, ::testing::MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T.*Z"));
  EXPECT_EQ(*written, (*lock)->holder());
}

TEST(StoreLockTest, SecondAcquireInSameProcessFailsNamingHolder) {
  ScratchDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string store = dir.File("firms.db");
  absl::StatusOr<std::unique_ptr<StoreWriteLock>> first =
      StoreWriteLock::Acquire(store, "clustermatch serve");
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<std::unique_ptr<StoreWriteLock>> second =
      StoreWriteLock::Acquire(store, "clustermatch import");
  ASSERT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  const std::string message(second.status().message());
  EXPECT_THAT(message, HasSubstr(absl::StrCat("store ", store, " is locked for writing by pid ",
                                              getpid(), " (clustermatch serve)")));
  EXPECT_THAT(message, HasSubstr("--server"));
}

TEST(StoreLockTest, SetCommandRenamesTheHolderForLaterWriters) {
  ScratchDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string store = dir.File("firms.db");
  absl::StatusOr<std::unique_ptr<StoreWriteLock>> first =
      StoreWriteLock::Acquire(store, "clustermatch serve --listen 127.0.0.1:0 and a long tail");
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE((*first)->SetCommand("clustermatch serve --listen 127.0.0.1:4242").ok());
  EXPECT_EQ((*first)->holder().command, "clustermatch serve --listen 127.0.0.1:4242");
  absl::StatusOr<std::unique_ptr<StoreWriteLock>> second =
      StoreWriteLock::Acquire(store, "clustermatch import");
  ASSERT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(second.status().message()),
              HasSubstr("(clustermatch serve --listen 127.0.0.1:4242) on host"));
}

TEST(StoreLockTest, DestructionReleases) {
  ScratchDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string store = dir.File("firms.db");
  {
    absl::StatusOr<std::unique_ptr<StoreWriteLock>> lock = StoreWriteLock::Acquire(store, "a");
    ASSERT_TRUE(lock.ok()) << lock.status();
  }
  absl::StatusOr<std::unique_ptr<StoreWriteLock>> again = StoreWriteLock::Acquire(store, "b");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(ParseLockHolder(ReadFile((*again)->lock_path()))->command, "b");
}

TEST(StoreLockTest, SymlinkedPathSharesTheLock) {
  ScratchDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string store = dir.File("firms.db");
  { std::ofstream touch(store); }
  const std::string link = dir.File("alias.db");
  std::filesystem::create_symlink(store, link);
  absl::StatusOr<std::unique_ptr<StoreWriteLock>> first = StoreWriteLock::Acquire(store, "a");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(StoreWriteLock::Acquire(link, "b").status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(StoreLockTest, OtherProcessHoldingTheLockIsNamed) {
  ScratchDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string store = dir.File("firms.db");
  std::unique_ptr<StoreWriteLock> held;  // lives in the child only
  ForkedHolder child([&] {
    absl::StatusOr<std::unique_ptr<StoreWriteLock>> lock =
        StoreWriteLock::Acquire(store, "clustermatch serve");
    if (!lock.ok()) return false;
    held = *std::move(lock);
    return true;
  });
  ASSERT_TRUE(child.WaitReady());

  absl::StatusOr<std::unique_ptr<StoreWriteLock>> mine =
      StoreWriteLock::Acquire(store, "clustermatch import");
  ASSERT_EQ(mine.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(mine.status().message()),
              HasSubstr(absl::StrCat("by pid ", child.pid(), " (clustermatch serve)")));

  // The child leaves without destroying its lock: the OS releases it.
  EXPECT_EQ(child.Release(), 0);
  mine = StoreWriteLock::Acquire(store, "clustermatch import");
  EXPECT_TRUE(mine.ok()) << mine.status();
}

TEST(StoreLockTest, KilledHolderReleasesTheLock) {
  ScratchDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string store = dir.File("firms.db");
  std::unique_ptr<StoreWriteLock> held;
  ForkedHolder child([&] {
    absl::StatusOr<std::unique_ptr<StoreWriteLock>> lock = StoreWriteLock::Acquire(store, "x");
    if (!lock.ok()) return false;
    held = *std::move(lock);
    return true;
  });
  ASSERT_TRUE(child.WaitReady());
  ASSERT_FALSE(StoreWriteLock::Acquire(store, "y").ok());
  child.Kill();
  absl::StatusOr<std::unique_ptr<StoreWriteLock>> mine = StoreWriteLock::Acquire(store, "y");
  EXPECT_TRUE(mine.ok()) << mine.status();
}

TEST(StoreLockTest, UnwritableDirectoryIsAnErrorNotALock) {
  absl::StatusOr<std::unique_ptr<StoreWriteLock>> lock =
      StoreWriteLock::Acquire("/nonexistent-dir-cm/firms.db", "x");
  EXPECT_FALSE(lock.ok());
  EXPECT_THAT(std::string(lock.status().message()), HasSubstr("/nonexistent-dir-cm/firms.db.lock"));
}

}  // namespace
}  // namespace clustermatch
