// Child processes of the crash harness; see serve_process.h.
#include "tests/reliability/serve_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "benchmarks/grpc_load_client.h"

namespace clustermatch::reliability {
namespace {

using Clock = std::chrono::steady_clock;

constexpr char kStartLineMarker[] = "clustermatch serve: listening on port ";
constexpr char kIndexMarker[] = "; index: ";

// Forks and execs `argv` with stdout and stderr redirected (an empty path
// leaves that stream alone) and `env` added to the environment.
absl::StatusOr<pid_t> Spawn(const std::vector<std::string>& argv, const std::string& stdout_path,
                            const std::string& stderr_path,
                            const std::vector<std::string>& env = {}) {
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  // The child's environment is built here: after fork only async-signal-safe
  // calls are allowed (the harness has threads), so no setenv there.
  // `env` first: getenv finds the first of equal names.
  std::vector<char*> environment;
  for (const std::string& entry : env) environment.push_back(const_cast<char*>(entry.c_str()));
  for (char** entry = environ; *entry != nullptr; ++entry) environment.push_back(*entry);
  environment.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork: " + std::string(strerror(errno)));
  if (pid == 0) {
    // Only async-signal-safe calls from here on.
    const auto redirect = [](const std::string& path, int target) {
      if (path.empty()) return;
      const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (fd < 0 || ::dup2(fd, target) < 0) _exit(126);
    };
    redirect(stdout_path, STDOUT_FILENO);
    redirect(stderr_path, STDERR_FILENO);
    ::execve(args[0], args.data(), environment.data());
    _exit(127);
  }
  return pid;
}

std::string DescribeExit(int status) {
  if (WIFEXITED(status)) return absl::StrCat("exit code ", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return absl::StrCat("signal ", WTERMSIG(status));
  return absl::StrCat("wait status ", status);
}

std::string ReadWhole(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

absl::Status RunCommand(const std::vector<std::string>& argv, const std::string& stdout_path,
                        const std::string& stderr_path) {
  absl::StatusOr<pid_t> pid = Spawn(argv, stdout_path, stderr_path);
  if (!pid.ok()) return pid.status();
  int status = 0;
  while (::waitpid(*pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      absl::StrJoin(argv, " "), ": ", DescribeExit(status), "; stderr: ", ReadWhole(stderr_path)));
}

ServeProcess::~ServeProcess() { Kill(); }

absl::Status ServeProcess::Start(const std::string& log_path, std::chrono::seconds timeout) {
  if (running()) return absl::FailedPreconditionError("serve: already running");
  const std::string port_file = absl::StrCat(settings_.work_dir, "/port-", ++starts_);
  std::filesystem::remove(port_file);
  const std::vector<std::string> argv = {settings_.clustermatch,
                                         "--db",
                                         settings_.db,
                                         "serve",
                                         "--listen",
                                         "127.0.0.1:0",
                                         "--port-file",
                                         port_file,
                                         "--index-snapshot-every",
                                         absl::StrCat(settings_.snapshot_every_s),
                                         "--index-snapshot-min-firms",
                                         absl::StrCat(settings_.snapshot_min_firms)};
  absl::StatusOr<pid_t> pid = Spawn(argv, "/dev/null", log_path, {"OPENBLAS_NUM_THREADS=1"});
  if (!pid.ok()) return pid.status();
  pid_ = *pid;
  address_.clear();
  index_source_.clear();

  const Clock::time_point deadline = Clock::now() + timeout;
  const auto failed = [&](const std::string& what) {
    Kill();
    return absl::UnavailableError(
        absl::StrCat("serve (log ", log_path, "): ", what, "; log:\n", ReadWhole(log_path)));
  };
  int port = 0;
  while (port <= 0) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return failed("exited before writing its port file: " + DescribeExit(status));
    }
    std::ifstream in(port_file);
    if (!(in >> port)) port = 0;
    if (port > 0) break;
    if (Clock::now() > deadline) return failed("no port file after the timeout");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  address_ = absl::StrCat("127.0.0.1:", port);

  // The start line comes before the port file.
  const std::string log = ReadWhole(log_path);
  const size_t line = log.find(kStartLineMarker);
  const size_t index = line == std::string::npos ? line : log.find(kIndexMarker, line);
  if (index == std::string::npos) return failed("no start line naming the index source");
  const size_t end = log.find('\n', index);
  index_source_ =
      log.substr(index + sizeof(kIndexMarker) - 1,
                 end == std::string::npos ? end : end - index - sizeof(kIndexMarker) + 1);

  const std::shared_ptr<grpc::Channel> channel = NewConnection(address_, -1);
  while (true) {
    const grpc::Status health = CheckHealth(channel, std::chrono::seconds(2));
    if (health.ok()) return absl::OkStatus();
    if (Clock::now() > deadline) return failed("health not SERVING: " + StatusText(health));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void ServeProcess::Kill() {
  if (!running()) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
}

absl::Status ServeProcess::Stop(std::chrono::seconds timeout) {
  if (!running()) return absl::OkStatus();
  ::kill(pid_, SIGTERM);
  const Clock::time_point deadline = Clock::now() + timeout;
  int status = 0;
  while (::waitpid(pid_, &status, WNOHANG) != pid_) {
    if (Clock::now() > deadline) {
      Kill();
      return absl::DeadlineExceededError("serve: still running after SIGTERM and the timeout");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  pid_ = -1;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return absl::OkStatus();
  return absl::InternalError("serve: after SIGTERM: " + DescribeExit(status));
}

}  // namespace clustermatch::reliability
