// Runs the real `clustermatch` binary through the shell for the command-line
// tests, capturing its exit code, stdout and stderr.
#ifndef CLUSTERMATCH_TESTS_SERVER_CLI_RUN_H_
#define CLUSTERMATCH_TESTS_SERVER_CLI_RUN_H_

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace clustermatch::cli_test {

struct CliRun {
  int code = -1;
  std::string out;
  std::string err;
};

inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline std::string BinaryPath() { return std::string(CM_BINARY_DIR) + "/server/clustermatch"; }

// Runs `clustermatch ARGS` with stdout and stderr captured in files of
// `scratch_dir`; `args` may redirect stdout itself with " > FILE".
inline CliRun RunCli(const std::string& args, const std::string& scratch_dir) {
  const std::string out = scratch_dir + "/stdout.txt";
  const std::string err = scratch_dir + "/stderr.txt";
  std::string command = BinaryPath() + " " + args;
  if (args.find(" > ") == std::string::npos) command += " > " + out;
  command += " 2> " + err;
  const int status = std::system(command.c_str());
  CliRun run;
  run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = ReadAll(out);
  run.err = ReadAll(err);
  return run;
}

}  // namespace clustermatch::cli_test

#endif  // CLUSTERMATCH_TESTS_SERVER_CLI_RUN_H_
