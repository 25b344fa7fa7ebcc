// Child processes of the crash harness: one-shot `clustermatch` commands
// (sample, import, keys add) and a `clustermatch serve` that can be started,
// waited for until its health check answers SERVING, killed with SIGKILL at
// any moment, or stopped with SIGTERM.
#ifndef CLUSTERMATCH_TESTS_RELIABILITY_SERVE_PROCESS_H_
#define CLUSTERMATCH_TESTS_RELIABILITY_SERVE_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace clustermatch::reliability {

// Runs `argv` (argv[0] a path) with stdout into `stdout_path` and stderr into
// `stderr_path`; FailedPrecondition naming the command and exit status
// unless it exits 0.
absl::Status RunCommand(const std::vector<std::string>& argv, const std::string& stdout_path,
                        const std::string& stderr_path);

// Everything `clustermatch serve` is started with.
struct ServeSettings {
  std::string clustermatch;  // path of the binary
  std::string db;
  std::string work_dir;           // port files go here
  double snapshot_every_s = 0.5;  // --index-snapshot-every
  int snapshot_min_firms = 0;     // --index-snapshot-min-firms
};

class ServeProcess {
 public:
  explicit ServeProcess(ServeSettings settings) : settings_(std::move(settings)) {}
  ~ServeProcess();  // kills a server still running
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  // Starts a server (OPENBLAS_NUM_THREADS=1, stderr into `log_path`), waits
  // for its port file and then for its health check to answer SERVING.
  absl::Status Start(const std::string& log_path, std::chrono::seconds timeout);

  // SIGKILL and reap; no-op when not running.
  void Kill();
  // SIGTERM, wait up to `timeout`; the exit status is returned as an error
  // unless it is 0 (then SIGKILL if still running).
  absl::Status Stop(std::chrono::seconds timeout);

  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  const std::string& address() const { return address_; }
  // The start line's "index: ..." part, e.g. "snapshot (990 firms loaded, 10
  // indexed again; 0.02 s)" or "built (...)".
  const std::string& index_source() const { return index_source_; }

 private:
  ServeSettings settings_;
  pid_t pid_ = -1;
  int starts_ = 0;
  std::string address_;
  std::string index_source_;
};

}  // namespace clustermatch::reliability

#endif  // CLUSTERMATCH_TESTS_RELIABILITY_SERVE_PROCESS_H_
