// The real binary: `clustermatch serve --rate-limit --rate-burst
// --audit-retention-days` in a child process on a loopback port, and the
// command line against it. Keys without a limit of their own get the
// serve-wide one; a key made with `keys add --rate-limit` keeps its own; a
// write through the server is in the audit log under its key, and
// `clustermatch audit` reads it while the server holds the store.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "engine/sqlite_statement.h"
#include "tests/server/cli_run.h"

namespace {

using clustermatch::cli_test::CliRun;
using clustermatch::cli_test::ReadAll;
using ::testing::HasSubstr;

class CliServeSecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/cli_serve_security_" + std::to_string(getpid());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    ASSERT_EQ(Cli("sample --firms 60 --seed 2 > " + dir_ + "/sample.jsonl").code, 0);
    ASSERT_EQ(Cli(Db() + "import " + dir_ + "/sample.jsonl").code, 0);
  }
  void TearDown() override {
    StopServer();
    std::filesystem::remove_all(dir_);
  }

  CliRun Cli(const std::string& args) { return clustermatch::cli_test::RunCli(args, dir_); }
  std::string Db() { return "--db " + dir_ + "/served.db "; }
  // The first line of `keys add` (the token).
  std::string AddKey(const std::string& flags) {
    const CliRun key = Cli(Db() + "keys add " + flags);
    EXPECT_EQ(key.code, 0) << key.err;
    return key.out.substr(0, key.out.find('\n'));
  }

  // Starts serve with `flags`; returns "--server 127.0.0.1:PORT ".
  std::string StartServer(const std::vector<std::string>& flags) {
    const std::string port_file = dir_ + "/port";
    std::filesystem::remove(port_file);
    std::vector<std::string> args = {"clustermatch", "--db",        dir_ + "/served.db", "serve",
                                     "--listen",     "127.0.0.1:0", "--port-file",       port_file};
    args.insert(args.end(), flags.begin(), flags.end());
    server_pid_ = fork();
    if (server_pid_ == 0) {
      const std::string log = dir_ + "/serve.log";
      FILE* err = std::freopen(log.c_str(), "w", stderr);
      (void)err;
      std::vector<char*> argv;
      for (std::string& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      execv(clustermatch::cli_test::BinaryPath().c_str(), argv.data());
      _exit(127);
    }
    for (int i = 0; i < 300 && ReadAll(port_file).empty(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    const std::string port = ReadAll(port_file);
    EXPECT_FALSE(port.empty()) << ReadAll(dir_ + "/serve.log");
    return "--server 127.0.0.1:" + port.substr(0, port.find('\n')) + " ";
  }
  void StopServer() {
    if (server_pid_ <= 0) return;
    kill(server_pid_, SIGTERM);
    waitpid(server_pid_, nullptr, 0);
    server_pid_ = -1;
  }

  std::string dir_;
  pid_t server_pid_ = -1;
};

TEST_F(CliServeSecurityTest, ServeWideAndPerKeyLimitsAndTheAuditLogWhileServing) {
  const std::string plain = AddKey("--role writer --label plain");
  const std::string own = AddKey("--role writer --rate-limit 1000 --rate-burst 100 --label own");
  // 0.1 requests/s: one more call every ten seconds, so the test cannot
  // refill by being slow.
  const std::string server =
      StartServer({"--rate-limit", "0.1", "--rate-burst", "2", "--audit-retention-days", "365"});
  EXPECT_THAT(ReadAll(dir_ + "/serve.log"),
              HasSubstr("keys without their own rate limit get 0.1 requests/s (burst 2)"));

  const std::string show = "show GV-0001";
  EXPECT_EQ(Cli(server + "--api-key " + plain + " " + show).code, 0);
  EXPECT_EQ(Cli(server + "--api-key " + plain + " " + show).code, 0);
  const CliRun refused = Cli(server + "--api-key " + plain + " " + show);
  EXPECT_EQ(refused.code, 1);
  EXPECT_THAT(refused.err, HasSubstr("rate limit of 0.1 requests/s (burst 2) exceeded"));
  EXPECT_THAT(ReadAll(dir_ + "/serve.log"), HasSubstr("FirmService/GetFirm RESOURCE_EXHAUSTED"));
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Cli(server + "--api-key " + own + " " + show).code, 0) << "its own limit: 1000/s";
  }

  ASSERT_EQ(Cli(server + "--api-key " + own + " delete GV-0002").code, 0);
  // Read-only, beside the serving writer.
  const CliRun audit = Cli(Db() + "audit --firm GV-0002");
  ASSERT_EQ(audit.code, 0) << audit.err;
  const std::string own_id = own.substr(3, 12);
  EXPECT_THAT(audit.out, HasSubstr("\tkey:" + own_id + "\tdelete_firm\tGV-0002\n"));

  StopServer();
  absl::StatusOr<std::unique_ptr<clustermatch::SqliteDb>> raw =
      clustermatch::SqliteDb::Open(dir_ + "/served.db", SQLITE_OPEN_READONLY);
  ASSERT_TRUE(raw.ok()) << raw.status();
  EXPECT_EQ(*(*raw)->QueryText("SELECT value FROM meta WHERE key = 'audit_retention_days'", "r"),
            "365");
}

}  // namespace
