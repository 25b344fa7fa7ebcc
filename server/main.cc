#include <iostream>

#include "absl/synchronization/mutex.h"
#include "server/cli_commands.h"

int main(int argc, char** argv) {
  // Debian builds abseil without NDEBUG, so absl::Mutex checks every lock
  // for deadlock cycles in a global graph under a global lock. The tests
  // keep that check; the binary skips it (it made two threads scoring one
  // recommendation contend, engine/idle_helper.h).
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  return clustermatch::RunCli(argc, argv, std::cout, std::cerr);
}
