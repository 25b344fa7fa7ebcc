// Online backup and restore of a store file: `clustermatch backup` and
// `clustermatch restore`.
//
// A backup is SQLite's online backup API (sqlite3_backup) run on connections
// of its own, so it needs neither the engine nor the store's write lock: it
// runs while `clustermatch serve` serves and writes. The whole copy is one
// step inside one read transaction, so it is the store as of one commit,
// whatever writers do meanwhile (WAL readers never block writers). The copy
// is written beside its destination as ".partial", checked (quick_check,
// clustermatch's application id, a schema this build reads, counts),
// fsynced, and only then renamed to its name: a backup that was reported
// done is whole, and a failed one leaves nothing under the name.
//
// A restore replaces a store by a checked backup. It takes the store's write
// lock (so it refuses while a server holds the store), folds the old store's
// WAL into it and removes it, then renames a checked, fsynced copy into
// place. The index snapshot of the replaced store is removed; the next open
// builds the index or takes a new snapshot. An older schema is migrated by
// the next writable open, as for any store.
#ifndef CLUSTERMATCH_ENGINE_STORE_BACKUP_H_
#define CLUSTERMATCH_ENGINE_STORE_BACKUP_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace clustermatch {

// What a checked store file holds.
struct StoreFileInfo {
  std::string path;
  int64_t bytes = 0;
  int64_t firms = 0;
  int64_t relations = 0;
  int schema_version = 0;
};

// Checks a store file without writing to it: SQLite's quick_check, the
// clustermatch application id, a schema version no newer than this build's.
// NotFound if missing; DataLoss naming the first problem if damaged;
// FailedPrecondition if it is not a clustermatch store or is too new.
absl::StatusOr<StoreFileInfo> VerifyStoreFile(const std::string& path);

// Copies the store at `store_path` to `backup_path`, which must not exist
// (AlreadyExists). Runs while other processes read and write the store.
absl::StatusOr<StoreFileInfo> BackupStore(const std::string& store_path,
                                          const std::string& backup_path);

// Replaces the store at `store_path` (or makes it, when missing) by the
// backup. AlreadyExists when the store exists and `replace` is false;
// FailedPrecondition naming the holder when the store's write lock is held;
// the backup's VerifyStoreFile error when it is not a sound store. On any
// failure the store at `store_path` is unchanged.
absl::StatusOr<StoreFileInfo> RestoreStore(const std::string& backup_path,
                                           const std::string& store_path, bool replace);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_STORE_BACKUP_H_
