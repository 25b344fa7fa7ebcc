// Index snapshot files: the vector index written next to the store, so that
// opening a large store reads its rows and HNSW graphs back instead of
// embedding every firm and building the graphs again.
//
// A file is
//   "CMSNAP01" | u64 payload bytes | payload | u64 XXH3-64 of the payload
// with the payload in this machine's byte order and float format (snapshots
// are a cache, never moved between machines). What the payload holds is up to
// the writer (the engine's header, then FirmVectorIndex::SaveTo).
//
// Crash safety: SnapshotSink writes PATH.tmp, fsyncs it, renames it over PATH
// and fsyncs the directory, so PATH is always a whole old snapshot or a whole
// new one. SnapshotSource checks the size before reading, bounds every count
// by the bytes left, and Finish() checks the hash: a torn or corrupt file is
// an error, never a crash, and its contents must not be used before Finish().
#ifndef CLUSTERMATCH_ENGINE_INDEX_SNAPSHOT_H_
#define CLUSTERMATCH_ENGINE_INDEX_SNAPSHOT_H_

#include <xxhash.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/huge_pages.h"

namespace clustermatch {

struct XxhStateDeleter {
  void operator()(XXH3_state_t* state) const { XXH3_freeState(state); }
};
using XxhState = std::unique_ptr<XXH3_state_t, XxhStateDeleter>;

class SnapshotSink {
 public:
  // Opens PATH.tmp for writing (replacing a leftover one).
  static absl::StatusOr<std::unique_ptr<SnapshotSink>> Create(const std::string& path);
  ~SnapshotSink();  // removes PATH.tmp unless committed

  void Bytes(const void* data, size_t size);
  template <typename T>
  void Value(T value) {
    static_assert(std::is_trivially_copyable_v<T>);
    Bytes(&value, sizeof value);
  }
  template <typename T>
  void Vector(const std::vector<T>& values) {
    static_assert(std::is_trivially_copyable_v<T>);
    Value<uint64_t>(values.size());
    Bytes(values.data(), values.size() * sizeof(T));
  }

  // Writes the hash, fsyncs, and renames PATH.tmp over PATH. The first error
  // of any earlier call is returned here, and PATH is then left as it was.
  absl::Status Commit();
  int64_t bytes_written() const { return payload_bytes_; }

 private:
  SnapshotSink(std::string path, int fd, XxhState hash);
  void Flush();
  void WriteAll(const void* data, size_t size);

  const std::string path_;
  const std::string temp_path_;
  int fd_ = -1;
  XxhState hash_;
  std::vector<char> buffer_;
  int64_t payload_bytes_ = 0;
  bool committed_ = false;
  absl::Status error_;
};

class SnapshotSource {
 public:
  // NotFound if PATH does not exist; DataLoss if it is not a whole snapshot
  // file (wrong magic, size not matching its header).
  static absl::StatusOr<std::unique_ptr<SnapshotSource>> Open(const std::string& path);
  ~SnapshotSource();

  // Reads fail (and leave zeros) once the payload is exhausted; the first
  // failure is kept and returned by status() and Finish().
  void Bytes(void* data, size_t size);
  template <typename T>
  T Value() {
    static_assert(std::is_trivially_copyable_v<T>);
    T value{};
    Bytes(&value, sizeof value);
    return value;
  }
  // A vector written by SnapshotSink::Vector; its count is checked against
  // the bytes left before anything is allocated.
  template <typename T>
  std::vector<T> Vector() {
    static_assert(std::is_trivially_copyable_v<T>);
    const auto count = Value<uint64_t>();
    std::vector<T> values;
    if (!ok()) return values;
    if (count > remaining_ / sizeof(T)) {
      Fail("a count of " + std::to_string(count) + " runs past the end of the file");
      return values;
    }
    values.reserve(count);
    AdviseHugePages(values.data(), count * sizeof(T));
    values.resize(count);
    Bytes(values.data(), count * sizeof(T));
    return values;
  }
  // Records a format error found by the caller (the first one wins).
  void Fail(const std::string& what);

  bool ok() const { return error_.ok(); }
  const absl::Status& status() const { return error_; }
  uint64_t remaining() const { return remaining_; }
  // OK when every payload byte was read without error and the hash matches.
  absl::Status Finish();

 private:
  SnapshotSource(std::string path, int fd, uint64_t payload_bytes, XxhState hash);

  const std::string path_;
  int fd_ = -1;
  uint64_t remaining_ = 0;
  XxhState hash_;
  std::vector<char> buffer_;
  size_t buffer_begin_ = 0;
  size_t buffer_end_ = 0;
  absl::Status error_;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_INDEX_SNAPSHOT_H_
