#include "engine/file_sync.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace clustermatch {
namespace {

absl::Status SyncPath(const std::string& path, int flags, const char* what) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) {
    return absl::InternalError(std::string("open ") + what + " " + path + ": " +
                               std::strerror(errno));
  }
  const int synced = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (synced != 0) {
    return absl::InternalError(std::string("fsync ") + what + " " + path + ": " +
                               std::strerror(error));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status SyncDirectoryOf(const std::string& path) {
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  return SyncPath(dir.string(), O_RDONLY | O_DIRECTORY, "directory");
}

absl::Status SyncFileAndDirectory(const std::string& path) {
  if (absl::Status status = SyncPath(path, O_RDONLY, "file"); !status.ok()) return status;
  return SyncDirectoryOf(path);
}

}  // namespace clustermatch
