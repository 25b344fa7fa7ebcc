#include "server/read_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace clustermatch {

absl::StatusOr<std::string> ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(path + ": cannot open: " + std::strerror(errno));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return absl::DataLossError(path + ": read failed");
  return bytes.str();
}

}  // namespace clustermatch
