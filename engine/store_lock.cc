#include "engine/store_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "engine/status_macros.h"

namespace clustermatch {
namespace {

constexpr size_t kMaxHolderBytes = 4096;

std::string OneLine(std::string_view text) {
  return absl::StrReplaceAll(absl::string_view(text.data(), text.size()),
                             {{"\n", " "}, {"\r", " "}});
}

std::string HostName() {
  char name[256] = {};
  if (gethostname(name, sizeof(name) - 1) != 0) return "unknown";
  return name;
}

absl::Status ErrnoError(int error, std::string_view what, const std::string& path) {
  return absl::Status(absl::ErrnoToStatusCode(error),
                      absl::StrCat(std::string(what), " ", path, ": ", std::strerror(error)));
}

std::string ReadAll(int fd) {
  std::string text(kMaxHolderBytes, '\0');
  ssize_t n;
  do {
    n = pread(fd, text.data(), text.size(), 0);
  } while (n < 0 && errno == EINTR);
  text.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return text;
}

absl::Status WriteAll(int fd, std::string_view text, const std::string& path) {
  if (ftruncate(fd, 0) != 0) return ErrnoError(errno, "cannot truncate lock file", path);
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = pwrite(fd, text.data() + done, text.size() - done, done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoError(errno, "cannot write lock file", path);
    done += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

absl::Status HeldError(const std::string& store_path, const std::string& lock_path,
                       std::string_view lock_text) {
  const std::optional<StoreLockHolder> holder = ParseLockHolder(lock_text);
  std::string who;
  if (holder.has_value()) {
    who = absl::StrCat("pid ", holder->pid, " (", holder->command, ") on host ", holder->host,
                       " since ", holder->since);
  } else {
    who = absl::StrCat("another process (no holder recorded in ", lock_path, " yet)");
  }
  return absl::FailedPreconditionError(
      absl::StrCat("store ", store_path, " is locked for writing by ", who,
                   "; stop that process or send writes through it (--server)"));
}

}  // namespace

std::string FormatLockHolder(const StoreLockHolder& holder) {
  return absl::StrCat("pid=", holder.pid, "\ncommand=", OneLine(holder.command),
                      "\nhost=", OneLine(holder.host), "\nsince=", OneLine(holder.since), "\n");
}

std::optional<StoreLockHolder> ParseLockHolder(std::string_view text) {
  StoreLockHolder holder;
  bool has_pid = false;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view key = line.substr(0, eq);
    const std::string_view value = line.substr(eq + 1);
    if (key == "pid") {
      const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), holder.pid);
      has_pid = ec == std::errc() && ptr == value.data() + value.size() && holder.pid > 0;
    } else if (key == "command") {
      holder.command = std::string(value);
    } else if (key == "host") {
      holder.host = std::string(value);
    } else if (key == "since") {
      holder.since = std::string(value);
    }
  }
  if (!has_pid) return std::nullopt;
  return holder;
}

std::string StoreLockPath(const std::string& store_path) {
  // Two spellings of one store (a symlink, "./x" and "x") must share a lock.
  std::error_code error;
  const std::filesystem::path resolved = std::filesystem::weakly_canonical(store_path, error);
  if (error || resolved.empty()) return store_path + ".lock";
  return resolved.string() + ".lock";
}

StoreWriteLock::StoreWriteLock(int fd, std::string lock_path, StoreLockHolder holder)
    : fd_(fd), lock_path_(std::move(lock_path)), holder_(std::move(holder)) {}

StoreWriteLock::~StoreWriteLock() {
  // Closing the only descriptor of the open file description drops the flock.
  close(fd_);
}

absl::Status StoreWriteLock::SetCommand(std::string_view command) {
  StoreLockHolder holder = holder_;
  holder.command = OneLine(command);
  CM_RETURN_IF_ERROR(WriteAll(fd_, FormatLockHolder(holder), lock_path_));
  holder_ = std::move(holder);
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<StoreWriteLock>> StoreWriteLock::Acquire(
    const std::string& store_path, std::string_view holder_command) {
  const std::string lock_path = StoreLockPath(store_path);
  int fd;
  do {
    fd = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return ErrnoError(errno, "cannot open lock file", lock_path);

  int rc;
  do {
    rc = flock(fd, LOCK_EX | LOCK_NB);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    const int error = errno;
    absl::Status status = error == EWOULDBLOCK ? HeldError(store_path, lock_path, ReadAll(fd))
                                               : ErrnoError(error, "cannot lock", lock_path);
    close(fd);
    return status;
  }

  StoreLockHolder holder;
  holder.pid = static_cast<int64_t>(getpid());
  holder.command = OneLine(holder_command);
  holder.host = HostName();
  holder.since = absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(), absl::UTCTimeZone());
  absl::Status written = WriteAll(fd, FormatLockHolder(holder), lock_path);
  if (!written.ok()) {
    close(fd);
    return written;
  }
  return std::unique_ptr<StoreWriteLock>(new StoreWriteLock(fd, lock_path, std::move(holder)));
}

}  // namespace clustermatch
