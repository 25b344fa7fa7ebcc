// StoreWriteLock: at most one writer per store.
//
// A writable FirmStore holds an exclusive flock(2) on "PATH.lock" (PATH with
// symlinks resolved) for as long as it is open, and writes its holder into
// the file: pid, command, host and start time. flock locks belong to the
// open file description, so a second Acquire conflicts whether it comes from
// another process or from the same one, and the OS drops the lock when the
// holding process dies. The lock file is never deleted: unlinking it would
// let two processes lock two different inodes of the same name.
//
// Thread safety: a StoreWriteLock is immutable once acquired.
#ifndef CLUSTERMATCH_ENGINE_STORE_LOCK_H_
#define CLUSTERMATCH_ENGINE_STORE_LOCK_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace clustermatch {

// Who holds (or last held) a store's write lock.
struct StoreLockHolder {
  int64_t pid = 0;
  std::string command;  // StoreOptions::holder_command
  std::string host;
  std::string since;  // ISO 8601 UTC, e.g. "2026-03-01T09:30:00Z"

  friend bool operator==(const StoreLockHolder&, const StoreLockHolder&) = default;
};

// The lock file's text: "pid=...\ncommand=...\nhost=...\nsince=...\n".
// Newlines in fields are written as spaces.
std::string FormatLockHolder(const StoreLockHolder& holder);
// Parses FormatLockHolder text; nullopt when there is no valid pid line
// (e.g. the file was just created and not yet written).
std::optional<StoreLockHolder> ParseLockHolder(std::string_view text);

class StoreWriteLock {
 public:
  // Takes the lock for the store at `store_path` without waiting.
  // FailedPrecondition when it is held, naming the holder:
  //   "store PATH is locked for writing by pid 1234 (clustermatch serve) on
  //    host h since 2026-...; stop that process or send writes through it
  //    (--server)".
  // Other failures (cannot create the lock file, ...) carry errno's text.
  static absl::StatusOr<std::unique_ptr<StoreWriteLock>> Acquire(const std::string& store_path,
                                                                 std::string_view holder_command);

  // Releases the lock.
  ~StoreWriteLock();
  StoreWriteLock(const StoreWriteLock&) = delete;
  StoreWriteLock& operator=(const StoreWriteLock&) = delete;

  const std::string& lock_path() const { return lock_path_; }
  const StoreLockHolder& holder() const { return holder_; }
  // Rewrites the command recorded for the holder, e.g. once a server knows
  // the port it listens on.
  absl::Status SetCommand(std::string_view command);

 private:
  StoreWriteLock(int fd, std::string lock_path, StoreLockHolder holder);

  const int fd_;
  const std::string lock_path_;
  StoreLockHolder holder_;
};

// The lock file path for a store path: the store path with symlinks resolved
// (as far as it exists) plus ".lock".
std::string StoreLockPath(const std::string& store_path);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_STORE_LOCK_H_
