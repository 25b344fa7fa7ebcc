// Test helpers for the store suites: a fresh temporary directory per test,
// and a forked child process that holds something (a store, a lock) until the
// parent lets it go or kills it.
#ifndef CLUSTERMATCH_TESTS_ENGINE_STORE_TEST_SUPPORT_H_
#define CLUSTERMATCH_TESTS_ENGINE_STORE_TEST_SUPPORT_H_

#include <signal.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <string>

#include "gtest/gtest.h"

namespace clustermatch::store_test {

// A directory of its own under ::testing::TempDir(), removed on destruction.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = ::testing::TempDir() + "cm_store_XXXXXX";
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  bool ok() const { return !path_.empty(); }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A child process that runs `setup` (e.g. opening a store for writing),
// reports whether it succeeded, and then waits. It leaves with _exit, so
// nothing it holds is destroyed: whatever it held is released by the OS.
class ForkedHolder {
 public:
  explicit ForkedHolder(const std::function<bool()>& setup) {
    int to_parent[2];
    int to_child[2];
    if (pipe(to_parent) != 0 || pipe(to_child) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      close(to_parent[0]);
      close(to_child[1]);
      const char ready = setup() ? '1' : '0';
      if (write(to_parent[1], &ready, 1) != 1) _exit(2);
      char go;
      // Returns on the parent's byte or on EOF when the parent goes away.
      [[maybe_unused]] ssize_t n = read(to_child[0], &go, 1);
      _exit(ready == '1' ? 0 : 1);
    }
    close(to_parent[1]);
    close(to_child[0]);
    from_child_ = to_parent[0];
    to_child_ = to_child[1];
  }

  ~ForkedHolder() {
    if (pid_ > 0 && !reaped_) Kill();
    if (from_child_ >= 0) close(from_child_);
    if (to_child_ >= 0) close(to_child_);
  }
  ForkedHolder(const ForkedHolder&) = delete;
  ForkedHolder& operator=(const ForkedHolder&) = delete;

  pid_t pid() const { return pid_; }

  // Blocks until the child has run setup; true when setup succeeded.
  bool WaitReady() {
    if (pid_ <= 0) return false;
    char ready = 0;
    return read(from_child_, &ready, 1) == 1 && ready == '1';
  }

  // Lets the child exit and returns its exit code (-1 if it did not exit).
  int Release() {
    const char go = 'g';
    [[maybe_unused]] ssize_t n = write(to_child_, &go, 1);
    return Reap();
  }

  // kill -9, as a crash would.
  void Kill() {
    kill(pid_, SIGKILL);
    Reap();
  }

 private:
  int Reap() {
    int status = 0;
    reaped_ = true;
    if (waitpid(pid_, &status, 0) != pid_ || !WIFEXITED(status)) return -1;
    return WEXITSTATUS(status);
  }

  pid_t pid_ = -1;
  bool reaped_ = false;
  int from_child_ = -1;
  int to_child_ = -1;
};

}  // namespace clustermatch::store_test

#endif  // CLUSTERMATCH_TESTS_ENGINE_STORE_TEST_SUPPORT_H_
