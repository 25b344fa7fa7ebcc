#include "engine/index_snapshot.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/file_sync.h"

namespace clustermatch {
namespace {

constexpr char kMagic[8] = {'C', 'M', 'S', 'N', 'A', 'P', '0', '1'};
constexpr size_t kHeaderBytes = sizeof kMagic + sizeof(uint64_t);
constexpr size_t kTrailerBytes = sizeof(uint64_t);
constexpr size_t kBufferBytes = size_t{1} << 20;

std::string Errno(const std::string& what, const std::string& path) {
  return absl::StrCat(what, " ", path, ": ", std::strerror(errno));
}

XxhState NewHash() {
  XxhState hash(XXH3_createState());
  if (hash != nullptr) XXH3_64bits_reset(hash.get());
  return hash;
}

// Reads exactly `size` bytes; false on a short read or an error.
bool ReadFully(int fd, void* data, size_t size) {
  auto* out = static_cast<char*>(data);
  while (size > 0) {
    const ssize_t got = ::read(fd, out, size);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    out += got;
    size -= static_cast<size_t>(got);
  }
  return true;
}

}  // namespace

// ---- SnapshotSink ----

SnapshotSink::SnapshotSink(std::string path, int fd, XxhState hash)
    : path_(std::move(path)), temp_path_(path_ + ".tmp"), fd_(fd), hash_(std::move(hash)) {
  buffer_.reserve(kBufferBytes);
}

absl::StatusOr<std::unique_ptr<SnapshotSink>> SnapshotSink::Create(const std::string& path) {
  const std::string temp = path + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return absl::InternalError(Errno("create index snapshot", temp));
  XxhState hash = NewHash();
  if (hash == nullptr) {
    ::close(fd);
    return absl::ResourceExhaustedError("index snapshot: cannot allocate a hash state");
  }
  std::unique_ptr<SnapshotSink> sink(new SnapshotSink(path, fd, std::move(hash)));
  // The payload size is patched in by Commit().
  sink->WriteAll(kMagic, sizeof kMagic);
  const uint64_t unknown = 0;
  sink->WriteAll(&unknown, sizeof unknown);
  return sink;
}

SnapshotSink::~SnapshotSink() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temp_path_.c_str());
}

void SnapshotSink::WriteAll(const void* data, size_t size) {
  const auto* in = static_cast<const char*>(data);
  while (size > 0 && error_.ok()) {
    const ssize_t put = ::write(fd_, in, size);
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) {
      error_ = absl::InternalError(Errno("write index snapshot", temp_path_));
      return;
    }
    in += put;
    size -= static_cast<size_t>(put);
  }
}

void SnapshotSink::Flush() {
  WriteAll(buffer_.data(), buffer_.size());
  buffer_.clear();
}

void SnapshotSink::Bytes(const void* data, size_t size) {
  if (size == 0 || !error_.ok()) return;
  XXH3_64bits_update(hash_.get(), data, size);
  payload_bytes_ += static_cast<int64_t>(size);
  if (buffer_.size() + size > kBufferBytes) Flush();
  if (size >= kBufferBytes) {
    WriteAll(data, size);
    return;
  }
  const auto* in = static_cast<const char*>(data);
  buffer_.insert(buffer_.end(), in, in + size);
}

absl::Status SnapshotSink::Commit() {
  const uint64_t digest = XXH3_64bits_digest(hash_.get());
  Flush();
  WriteAll(&digest, sizeof digest);
  if (!error_.ok()) return error_;
  const auto payload = static_cast<uint64_t>(payload_bytes_);
  if (::pwrite(fd_, &payload, sizeof payload, sizeof kMagic) != sizeof payload) {
    return absl::InternalError(Errno("write index snapshot", temp_path_));
  }
  if (::fsync(fd_) != 0) return absl::InternalError(Errno("fsync index snapshot", temp_path_));
  ::close(fd_);
  fd_ = -1;
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    return absl::InternalError(Errno("rename index snapshot to", path_));
  }
  committed_ = true;
  return SyncDirectoryOf(path_);
}

// ---- SnapshotSource ----

SnapshotSource::SnapshotSource(std::string path, int fd, uint64_t payload_bytes, XxhState hash)
    : path_(std::move(path)), fd_(fd), remaining_(payload_bytes), hash_(std::move(hash)) {
  buffer_.resize(kBufferBytes);
}

SnapshotSource::~SnapshotSource() {
  if (fd_ >= 0) ::close(fd_);
}

absl::StatusOr<std::unique_ptr<SnapshotSource>> SnapshotSource::Open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return absl::NotFoundError(absl::StrCat("no index snapshot ", path));
    return absl::InternalError(Errno("open index snapshot", path));
  }
  struct stat info {};
  char magic[sizeof kMagic] = {};
  uint64_t payload = 0;
  const bool read = ::fstat(fd, &info) == 0 && ReadFully(fd, magic, sizeof magic) &&
                    ReadFully(fd, &payload, sizeof payload);
  const auto size = static_cast<uint64_t>(info.st_size);
  std::string problem;
  if (!read || std::memcmp(magic, kMagic, sizeof kMagic) != 0) {
    problem = "not an index snapshot";
  } else if (size < kHeaderBytes + kTrailerBytes ||
             payload != size - kHeaderBytes - kTrailerBytes) {
    problem = absl::StrCat("is ", size, " bytes, its header says ", payload,
                           " bytes of payload (torn or truncated)");
  }
  XxhState hash = problem.empty() ? NewHash() : nullptr;
  if (!problem.empty() || hash == nullptr) {
    ::close(fd);
    if (problem.empty()) problem = "cannot allocate a hash state";
    return absl::DataLossError(absl::StrCat("index snapshot ", path, ": ", problem));
  }
  return std::unique_ptr<SnapshotSource>(new SnapshotSource(path, fd, payload, std::move(hash)));
}

void SnapshotSource::Fail(const std::string& what) {
  if (error_.ok()) error_ = absl::DataLossError(absl::StrCat("index snapshot ", path_, ": ", what));
}

void SnapshotSource::Bytes(void* data, size_t size) {
  auto* out = static_cast<char*>(data);
  if (!error_.ok() || size > remaining_) {
    Fail("ends early");
    std::memset(out, 0, size);
    return;
  }
  remaining_ -= size;
  char* const begin = out;
  const size_t total = size;
  const size_t buffered = std::min(size, buffer_end_ - buffer_begin_);
  std::memcpy(out, buffer_.data() + buffer_begin_, buffered);
  buffer_begin_ += buffered;
  out += buffered;
  size -= buffered;
  if (size >= buffer_.size()) {
    if (!ReadFully(fd_, out, size)) Fail("read failed");
  } else if (size > 0) {
    // Refill with at most the payload still unread (never the trailer).
    const size_t fill = static_cast<size_t>(std::min<uint64_t>(buffer_.size(), remaining_ + size));
    if (!ReadFully(fd_, buffer_.data(), fill)) {
      Fail("read failed");
    } else {
      std::memcpy(out, buffer_.data(), size);
      buffer_begin_ = size;
      buffer_end_ = fill;
    }
  }
  if (!error_.ok()) {
    std::memset(begin, 0, total);
    return;
  }
  XXH3_64bits_update(hash_.get(), begin, total);
}

absl::Status SnapshotSource::Finish() {
  if (!error_.ok()) return error_;
  if (remaining_ != 0) {
    Fail(absl::StrCat(remaining_, " bytes left unread (a format mismatch)"));
    return error_;
  }
  uint64_t stored = 0;
  if (!ReadFully(fd_, &stored, sizeof stored)) {
    Fail("its hash cannot be read");
  } else if (stored != XXH3_64bits_digest(hash_.get())) {
    Fail("hash mismatch (the file is corrupt)");
  }
  return error_;
}

}  // namespace clustermatch
