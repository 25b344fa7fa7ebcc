#include "engine/store_backup.h"

#include <sqlite3.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "engine/file_sync.h"
#include "engine/sqlite_statement.h"
#include "engine/status_macros.h"
#include "engine/store_lock.h"
#include "engine/store_schema.h"

namespace clustermatch {
namespace {

constexpr int kBusyTimeoutMs = 10000;
constexpr int kBusyRetries = 200;  // of 50 ms: how long a backup waits for a lock

bool Exists(const std::string& path) {
  std::error_code error;
  return std::filesystem::exists(path, error);
}

void RemoveQuietly(const std::string& path) {
  std::error_code error;
  std::filesystem::remove(path, error);
}

absl::StatusOr<std::unique_ptr<SqliteDb>> OpenReadOnly(const std::string& path) {
  if (!Exists(path)) return absl::NotFoundError(absl::StrCat("store ", path, " does not exist"));
  CM_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> db, SqliteDb::Open(path, SQLITE_OPEN_READONLY));
  sqlite3_busy_timeout(db->get(), kBusyTimeoutMs);
  return db;
}

// Copies every page of `source` into the file `target` (made anew), as of
// one read transaction of `source`.
absl::Status CopyPages(const SqliteDb& source, const std::string& target) {
  RemoveQuietly(target);
  CM_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> copy,
                      SqliteDb::Open(target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  sqlite3_backup* backup = sqlite3_backup_init(copy->get(), "main", source.get(), "main");
  if (backup == nullptr) return copy->Error(sqlite3_errcode(copy->get()), "start the copy");
  int rc = SQLITE_OK;
  for (int attempt = 0; attempt <= kBusyRetries; ++attempt) {
    rc = sqlite3_backup_step(backup, -1);  // all pages in one step: one snapshot
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    sqlite3_sleep(50);
  }
  const int finished = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return source.Error(rc, absl::StrCat("copy to ", target));
  if (finished != SQLITE_OK) return copy->Error(finished, absl::StrCat("finish the copy"));
  // The copy keeps the source's WAL flag; fold any WAL it made into the file.
  return copy->Exec("PRAGMA wal_checkpoint(TRUNCATE)", "checkpoint the copy");
}

// CopyPages into `final_path` + suffix, checked and fsynced; then
// `before_rename` runs and the copy is renamed to `final_path`. On failure
// nothing is left under either name and `final_path` is untouched.
absl::StatusOr<StoreFileInfo> CopyChecked(const SqliteDb& source, const std::string& final_path,
                                          const std::string& suffix,
                                          const std::function<void()>& before_rename) {
  const std::string partial = final_path + suffix;
  absl::Status copied = [&]() -> absl::Status {
    CM_RETURN_IF_ERROR(CopyPages(source, partial));
    CM_RETURN_IF_ERROR(VerifyStoreFile(partial).status());
    return SyncFileAndDirectory(partial);
  }();
  if (!copied.ok()) {
    for (const char* extra : {"", "-wal", "-shm"}) RemoveQuietly(partial + extra);
    return copied;
  }
  before_rename();
  std::error_code error;
  std::filesystem::rename(partial, final_path, error);
  if (error) {
    RemoveQuietly(partial);
    return absl::InternalError(
        absl::StrCat("rename ", partial, " to ", final_path, ": ", error.message()));
  }
  CM_RETURN_IF_ERROR(SyncDirectoryOf(final_path));
  return VerifyStoreFile(final_path);
}

// Folds the WAL of the store at `path` into its file and empties it, so that
// removing the WAL loses nothing. Requires the store's write lock.
absl::Status CheckpointOldStore(const std::string& path) {
  CM_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> old, SqliteDb::Open(path, SQLITE_OPEN_READWRITE));
  sqlite3_busy_timeout(old->get(), kBusyTimeoutMs);
  CM_ASSIGN_OR_RETURN(const std::string mode,
                      old->QueryText("PRAGMA journal_mode", "read the journal mode"));
  if (mode != "wal") return absl::OkStatus();
  CM_ASSIGN_OR_RETURN(const int64_t busy,
                      old->QueryInt("PRAGMA wal_checkpoint(TRUNCATE)", "checkpoint the old store"));
  if (busy != 0) {
    return absl::UnavailableError(
        absl::StrCat("store ", path, " has readers that keep its log open; stop them and retry"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<StoreFileInfo> VerifyStoreFile(const std::string& path) {
  CM_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> db, OpenReadOnly(path));
  CM_ASSIGN_OR_RETURN(const std::string check,
                      db->QueryText("PRAGMA quick_check", "check the file"));
  if (check != "ok") {
    return absl::DataLossError(absl::StrCat(path, ": damaged: ", check));
  }
  CM_ASSIGN_OR_RETURN(const int64_t application, db->QueryInt("PRAGMA application_id", "read"));
  if (application != kStoreApplicationId) {
    return absl::FailedPreconditionError(absl::StrCat(path, ": not a clustermatch store"));
  }
  StoreFileInfo info;
  info.path = path;
  CM_ASSIGN_OR_RETURN(info.schema_version, ReadSchemaVersion(*db));
  if (info.schema_version > CurrentStoreSchemaVersion()) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": schema version ", info.schema_version,
                     " is newer than this clustermatch reads (", CurrentStoreSchemaVersion(), ")"));
  }
  CM_ASSIGN_OR_RETURN(info.firms, db->QueryInt("SELECT count(*) FROM firms", "count firms"));
  CM_ASSIGN_OR_RETURN(info.relations,
                      db->QueryInt("SELECT count(*) FROM relations", "count relations"));
  std::error_code error;
  info.bytes = static_cast<int64_t>(std::filesystem::file_size(path, error));
  return info;
}

absl::StatusOr<StoreFileInfo> BackupStore(const std::string& store_path,
                                          const std::string& backup_path) {
  if (backup_path.empty()) return absl::InvalidArgumentError("backup path is empty");
  if (Exists(backup_path)) {
    return absl::AlreadyExistsError(absl::StrCat("backup ", backup_path, " already exists"));
  }
  CM_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> source, OpenReadOnly(store_path));
  return CopyChecked(*source, backup_path, ".partial", [] {});
}

absl::StatusOr<StoreFileInfo> RestoreStore(const std::string& backup_path,
                                           const std::string& store_path, bool replace) {
  if (store_path.empty()) return absl::InvalidArgumentError("store path is empty");
  CM_RETURN_IF_ERROR(VerifyStoreFile(backup_path).status());
  const bool exists = Exists(store_path);
  if (exists && !replace) {
    return absl::AlreadyExistsError(absl::StrCat(
        "store ", store_path, " exists; pass --replace to overwrite it with ", backup_path));
  }
  CM_ASSIGN_OR_RETURN(std::unique_ptr<StoreWriteLock> lock,
                      StoreWriteLock::Acquire(store_path, "clustermatch restore"));
  if (exists) CM_RETURN_IF_ERROR(CheckpointOldStore(store_path));
  CM_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> source, OpenReadOnly(backup_path));
  // The old store's log must not be applied to the restored file, and its
  // index snapshot describes other firms.
  return CopyChecked(*source, store_path, ".restoring", [&store_path] {
    for (const char* extra : {"-wal", "-shm", ".index"}) RemoveQuietly(store_path + extra);
  });
}

}  // namespace clustermatch
