// Making a written file durable: fsync of the file, then of the directory
// that names it, so that a crash after the call finds the file whole under
// its name. Used by the store backup and restore and the index snapshots.
#ifndef CLUSTERMATCH_ENGINE_FILE_SYNC_H_
#define CLUSTERMATCH_ENGINE_FILE_SYNC_H_

#include <string>

#include "absl/status/status.h"

namespace clustermatch {

// fsync of the directory holding `path` (the current directory for a bare
// name). Internal naming the directory and errno's text on failure.
absl::Status SyncDirectoryOf(const std::string& path);

// fsync of `path` itself, then SyncDirectoryOf(path).
absl::Status SyncFileAndDirectory(const std::string& path);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_FILE_SYNC_H_
