// Reads a whole file (firm files, PEM certificates) with an error that names
// the path and the reason.
#ifndef CLUSTERMATCH_SERVER_READ_FILE_H_
#define CLUSTERMATCH_SERVER_READ_FILE_H_

#include <string>

#include "absl/status/statusor.h"

namespace clustermatch {

// NotFound "PATH: cannot open: REASON"; DataLoss when reading fails midway.
absl::StatusOr<std::string> ReadFileBytes(const std::string& path);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_READ_FILE_H_
