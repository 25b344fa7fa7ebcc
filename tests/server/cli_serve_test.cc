// The real binary twice over: `clustermatch serve` in a child process on a
// loopback port, and the command line in --server mode against it, compared
// with embedded mode on the same store.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/server/cli_run.h"

namespace {

using ::testing::HasSubstr;

using clustermatch::cli_test::CliRun;
using clustermatch::cli_test::ReadAll;

std::string Binary() { return clustermatch::cli_test::BinaryPath(); }

class CliServeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(::testing::TempDir() + "/cli_serve_test_" + std::to_string(getpid()));
    std::filesystem::remove_all(*dir_);
    std::filesystem::create_directories(*dir_);
    ASSERT_EQ(Cli("sample --firms 420 --seed 1 > " + *dir_ + "/sample.jsonl").code, 0);
    ASSERT_EQ(Cli(Db() + "import " + *dir_ + "/sample.jsonl").code, 0);
    const CliRun key = Cli(Db() + "keys add --role writer --scope members --label test");
    ASSERT_EQ(key.code, 0) << key.err;
    key_ = new std::string(key.out.substr(0, key.out.find('\n')));
    const CliRun admin = Cli(Db() + "keys add --role admin --label test-admin");
    ASSERT_EQ(admin.code, 0) << admin.err;
    admin_key_ = new std::string(admin.out.substr(0, admin.out.find('\n')));

    const std::string port_file = *dir_ + "/port";
    server_pid_ = fork();
    ASSERT_GE(server_pid_, 0);
    if (server_pid_ == 0) {
      const std::string log = *dir_ + "/serve.log";
      FILE* err = std::freopen(log.c_str(), "w", stderr);
      (void)err;
      const std::string db = *dir_ + "/served.db";
      execl(Binary().c_str(), "clustermatch", "--db", db.c_str(), "serve", "--listen",
            "127.0.0.1:0", "--port-file", port_file.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 300 && ReadAll(port_file).empty(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    const std::string port = ReadAll(port_file);
    ASSERT_FALSE(port.empty()) << ReadAll(*dir_ + "/serve.log");
    server_ = new std::string("--server 127.0.0.1:" + port.substr(0, port.find('\n')) +
                              " --api-key " + *key_ + " ");
  }

  static void TearDownTestSuite() {
    if (server_pid_ > 0) {
      kill(server_pid_, SIGKILL);
      waitpid(server_pid_, nullptr, 0);
    }
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete key_;
    delete admin_key_;
    delete server_;
  }

  // Runs the binary through the shell; `args` may redirect stdout.
  static CliRun Cli(const std::string& args) { return clustermatch::cli_test::RunCli(args, *dir_); }
  static std::string Db() { return "--db " + *dir_ + "/served.db "; }

  static std::string* dir_;
  static std::string* key_;
  static std::string* admin_key_;
  static std::string* server_;
  static pid_t server_pid_;
};

std::string* CliServeTest::dir_ = nullptr;
std::string* CliServeTest::key_ = nullptr;
std::string* CliServeTest::admin_key_ = nullptr;
std::string* CliServeTest::server_ = nullptr;
pid_t CliServeTest::server_pid_ = -1;

TEST_F(CliServeTest, RecommendationsOverGrpcEqualEmbeddedOnes) {
  for (const std::string& query :
       {std::string("recommend --firm GV-0042 --k 10"),
        std::string("recommend --firm GV-0107 --k 5 --intent peer --cross-cluster"),
        std::string("recommend --firm GV-0005 --k 5 --intent purchasing --cross-cluster boost"),
        std::string("recommend --firm GV-0025 --k 8 --mini-cluster ICT"),
        std::string("search \"PCB 조립\" --k 10"),
        std::string("search \"VR content for our exhibition booth\" --k 5")}) {
    SCOPED_TRACE(query);
    for (const std::string& format : {std::string(" --json"), std::string(" --lang ko")}) {
      const CliRun embedded = Cli(Db() + query + format);
      const CliRun remote = Cli(*server_ + query + format);
      ASSERT_EQ(embedded.code, 0) << embedded.err;
      ASSERT_EQ(remote.code, 0) << remote.err;
      EXPECT_FALSE(embedded.out.empty());
      EXPECT_EQ(remote.out, embedded.out);
    }
  }
  const CliRun embedded = Cli(Db() + "show GV-0042");
  const CliRun remote = Cli(*server_ + "show GV-0042");
  ASSERT_EQ(remote.code, 0) << remote.err;
  EXPECT_EQ(remote.out, embedded.out);
}

TEST_F(CliServeTest, EmbeddedWritesAreRefusedWithThePathThroughTheServer) {
  const std::string firm =
      R"({"id":"NEW-1","name":"Seoul Laser","offers":["laser cutting"],"clusters":["G-Valley"]})";
  std::ofstream(*dir_ + "/new.jsonl") << firm << "\n";
  const CliRun refused = Cli(Db() + "import " + *dir_ + "/new.jsonl");
  EXPECT_EQ(refused.code, 1);
  EXPECT_THAT(refused.err, HasSubstr("clustermatch serve --listen"));
  EXPECT_THAT(refused.err, HasSubstr("clustermatch --server " +
                                     server_->substr(9, server_->find(" --api-key") - 9)));
  EXPECT_EQ(Cli(Db() + "show NEW-1").code, 1);  // nothing was written

  const CliRun imported = Cli(*server_ + "import " + *dir_ + "/new.jsonl");
  ASSERT_EQ(imported.code, 0) << imported.err;
  EXPECT_THAT(imported.out, HasSubstr("1 new"));
  // Embedded reads take no lock and see the server's acknowledged write.
  const CliRun shown = Cli(Db() + "show NEW-1");
  EXPECT_EQ(shown.code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("Seoul Laser"));
}

// `backup` copies a store the server is serving and writing; `restore` is
// refused while the server holds it, and works into a fresh path.
TEST_F(CliServeTest, BackupRunsWhileServingAndRestoreWaitsForTheServer) {
  const std::string firm =
      R"({"id":"BK-1","name":"Backup Check","offers":["anodising"],"clusters":["G-Valley"]})";
  std::ofstream(*dir_ + "/bk.jsonl") << firm << "\n";
  ASSERT_EQ(Cli(*server_ + "import " + *dir_ + "/bk.jsonl").code, 0);
  const std::string backup = *dir_ + "/served.backup";
  const CliRun backed = Cli(Db() + "backup " + backup);
  ASSERT_EQ(backed.code, 0) << backed.err;
  EXPECT_THAT(backed.out, HasSubstr("backed up "));
  EXPECT_THAT(backed.out, HasSubstr(" firms, "));

  const CliRun refused = Cli(Db() + "restore --replace " + backup);
  EXPECT_EQ(refused.code, 1);
  EXPECT_THAT(refused.err, HasSubstr("clustermatch serve --listen"));

  const std::string restored = *dir_ + "/restored.db";
  const CliRun restore = Cli("--db " + restored + " restore " + backup);
  ASSERT_EQ(restore.code, 0) << restore.err;
  EXPECT_THAT(restore.out, HasSubstr("restored "));
  // The acknowledged write is in the backup, and the restored store serves.
  const CliRun shown = Cli("--db " + restored + " show BK-1");
  EXPECT_EQ(shown.code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("Backup Check"));
  const CliRun again = Cli(Db() + "backup " + backup);
  EXPECT_EQ(again.code, 1);
  EXPECT_THAT(again.err, HasSubstr("already exists"));
}

TEST_F(CliServeTest, BadKeysAreRefused) {
  const std::string address = server_->substr(0, server_->find(" --api-key"));
  CliRun run = Cli("--api-key \"\" " + address + " show GV-0042");
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("--api-key"));
  std::string wrong = *key_;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  run = Cli(address + " --api-key " + wrong + " show GV-0042");
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("invalid API key"));
  EXPECT_THAT(run.err, ::testing::Not(HasSubstr(wrong)));
}

// The binary runs on the malloc CMake linked (CLUSTERMATCH_MALLOC): serve's
// log names it (jemalloc answers its mallctl "version"), and jemalloc's
// library is mapped into the server exactly when it was linked.
TEST_F(CliServeTest, TheServerRunsOnTheMallocItWasLinkedWith) {
  const bool jemalloc = std::string(CM_LINKED_MALLOC) == "jemalloc";
  const std::string log = ReadAll(*dir_ + "/serve.log");
  EXPECT_THAT(log, HasSubstr("clustermatch serve: malloc: "));
  EXPECT_EQ(log.find("clustermatch serve: malloc: jemalloc 5.") != std::string::npos, jemalloc);
  const std::string maps = ReadAll("/proc/" + std::to_string(server_pid_) + "/maps");
  ASSERT_THAT(maps, HasSubstr("libc.so"));
  EXPECT_EQ(maps.find("libjemalloc.so") != std::string::npos, jemalloc);
}

// `stats --server` needs an admin key and reports the server's memory, not
// the command line's: its resident set is the one the kernel shows for the
// server process, and its allocator the one serve logged.
TEST_F(CliServeTest, StatsThroughTheServerReportTheServersMemory) {
  const std::string address = server_->substr(0, server_->find(" --api-key"));
  const CliRun refused = Cli(*server_ + "stats");
  EXPECT_EQ(refused.code, 1);
  EXPECT_THAT(refused.err, HasSubstr("admin"));

  const CliRun stats = Cli(address + " --api-key " + *admin_key_ + " stats");
  ASSERT_EQ(stats.code, 0) << stats.err;
  EXPECT_THAT(stats.out, HasSubstr("\nindexed: "));
  auto line = [&](const std::string& name) {
    const size_t at = stats.out.find("\n" + name + ": ");
    if (at == std::string::npos) return std::string();
    const size_t start = at + name.size() + 3;
    return stats.out.substr(start, stats.out.find('\n', start) - start);
  };
  const std::string log = ReadAll(*dir_ + "/serve.log");
  ASSERT_FALSE(line("allocator").empty()) << stats.out;
  EXPECT_THAT(log, HasSubstr("clustermatch serve: malloc: " + line("allocator") + "\n"));
  const double heap = std::stod(line("heap allocated"));
  const double mapped = std::stod(line("heap mapped"));
  const double resident = std::stod(line("resident"));
  EXPECT_GT(heap, 0);
  EXPECT_LE(heap, mapped);
  const std::string status = ReadAll("/proc/" + std::to_string(server_pid_) + "/status");
  const size_t vm_rss = status.find("VmRSS:");
  ASSERT_NE(vm_rss, std::string::npos);
  const double kernel_rss = 1024.0 * std::stod(status.substr(vm_rss + 6));
  EXPECT_GT(resident, 0.8 * kernel_rss) << stats.out;
  EXPECT_LT(resident, 1.25 * kernel_rss) << stats.out;
}

TEST_F(CliServeTest, SigtermStopsTheServerCleanlyAndReleasesTheStore) {
  ASSERT_EQ(Cli(*server_ + "recommend --firm GV-0042 --k 3").code, 0);
  ASSERT_EQ(kill(server_pid_, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(waitpid(server_pid_, &status, 0), server_pid_);
  server_pid_ = -1;
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  const std::string log = ReadAll(*dir_ + "/serve.log");
  EXPECT_THAT(log, HasSubstr("SIGTERM: finishing calls in flight"));
  EXPECT_THAT(log, HasSubstr("store closed"));
  EXPECT_THAT(log, HasSubstr("rpc MatchingService/Recommend OK"));
  EXPECT_THAT(log, ::testing::Not(HasSubstr(key_->substr(16))));  // never the secret
  const CliRun deleted = Cli(Db() + "delete GV-0001");
  EXPECT_EQ(deleted.code, 0) << deleted.err;
}

}  // namespace
