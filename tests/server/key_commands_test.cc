// The `keys` subcommands against a real engine on a store file: the token is
// printed once and alone, listed keys carry no secret, revocation sticks, and
// a key ring loaded afterwards agrees.
#include "server/key_commands.h"

#include <CLI/CLI.hpp>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/api_key_secret.h"
#include "server/key_ring.h"
#include "tests/engine/store_test_support.h"

namespace clustermatch {
namespace {

using ::clustermatch::store_test::ScratchDir;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

struct Output {
  absl::Status status;
  std::string out;
  std::string err;
};

class KeyCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(dir_.ok()); }

  // Parses `args` (after "clustermatch") and runs the keys command on a
  // fresh engine.
  Output Run(const std::vector<std::string>& args) {
    KeyCommandOptions options;
    CLI::App app{"test"};
    AddKeyCommands(app, options);
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    app.parse(reversed);
    EngineOptions engine_options;
    engine_options.db_path = path_;
    engine_options.read_only = !KeyCommandWrites(options);
    absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Open(engine_options);
    EXPECT_TRUE(engine.ok()) << engine.status();
    if (!engine.ok()) return {engine.status(), "", ""};
    std::ostringstream out;
    std::ostringstream err;
    const absl::Status status = RunKeyCommand(options, **engine, out, err);
    return {status, out.str(), err.str()};
  }

  ScratchDir dir_;
  const std::string path_ = dir_.File("keys.db");
};

TEST_F(KeyCommandsTest, AddListRevoke) {
  const Output added = Run({"keys", "add", "--role", "organiser", "--scope", "members", "--cluster",
                            "changwon", "--label", "창원 사무국"});
  ASSERT_TRUE(added.status.ok()) << added.status;
  ASSERT_THAT(added.out, MatchesRegex("cm_[0-9a-f]{12}_[A-Za-z0-9_-]{43}\n"));
  const std::string token = added.out.substr(0, added.out.size() - 1);
  const std::string id = *KeyIdOfToken(token);
  EXPECT_EQ(added.err, "key " + id +
                           " (organiser, members, cluster changwon) created; this is the only "
                           "time the key is shown\n");
  EXPECT_THAT(added.err, Not(HasSubstr(token)));

  const Output reader = Run({"keys", "add", "--role", "reader"});
  ASSERT_TRUE(reader.status.ok()) << reader.status;
  const std::string reader_id = *KeyIdOfToken(reader.out.substr(0, reader.out.size() - 1));
  EXPECT_THAT(reader.err, HasSubstr("(reader, public) created"));

  const Output listed = Run({"keys", "list"});
  ASSERT_TRUE(listed.status.ok()) << listed.status;
  EXPECT_THAT(listed.out,
              MatchesRegex("id\trole\tscope\tcluster\tlabel\trate\tcreated\trevoked\n" + id +
                           "\torganiser\tmembers\tchangwon\t창원 사무국\tdefault\t[-0-9T:]+Z\t\n" +
                           reader_id + "\treader\tpublic\t\t\tdefault\t[-0-9T:]+Z\t\n"));
  EXPECT_THAT(listed.out, Not(HasSubstr(token.substr(16))));

  const Output revoked = Run({"keys", "revoke", id});
  ASSERT_TRUE(revoked.status.ok()) << revoked.status;
  EXPECT_EQ(revoked.out, "revoked key " + id + "\n");

  const Output after = Run({"keys", "list"});
  ASSERT_TRUE(after.status.ok()) << after.status;
  EXPECT_THAT(after.out,
              MatchesRegex(".*\tchangwon\t창원 사무국\tdefault\t[-0-9T:]+Z\t[-0-9T:]+Z\n.*"));

  // What a server would load now.
  EngineOptions engine_options;
  engine_options.db_path = path_;
  engine_options.read_only = true;
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Open(engine_options);
  ASSERT_TRUE(engine.ok()) << engine.status();
  KeyRing ring;
  ring.Replace(*(*engine)->ListApiKeys());
  EXPECT_EQ(std::string(ring.Authenticate("Bearer " + token).status().message()),
            "API key " + id + " was revoked");
  EXPECT_TRUE(ring.Authenticate("Bearer " + reader.out.substr(0, reader.out.size() - 1)).ok());
}

TEST_F(KeyCommandsTest, RevokingAnUnknownKeyIsNotFound) {
  const Output revoked = Run({"keys", "revoke", "0123456789ab"});
  EXPECT_EQ(revoked.status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(revoked.out, "");
}

TEST_F(KeyCommandsTest, BadArgumentsAreUsageErrors) {
  KeyCommandOptions options;
  CLI::App app{"test"};
  AddKeyCommands(app, options);
  const std::vector<std::vector<std::string>> bad = {
      {"keys"},
      {"keys", "add"},
      {"keys", "add", "--role", "owner"},
      {"keys", "add", "--role", "reader", "--scope", "private"},
      {"keys", "revoke"},
  };
  for (const std::vector<std::string>& args : bad) {
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    EXPECT_THROW(app.parse(reversed), CLI::ParseError) << args.back();
    app.clear();
  }
}

TEST_F(KeyCommandsTest, ControlCharactersInLabelsAreRefused) {
  const Output added = Run({"keys", "add", "--role", "reader", "--label", "a\tb"});
  EXPECT_EQ(added.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(added.status.message()), HasSubstr("--label"));
  EXPECT_EQ(added.out, "");
}

}  // namespace
}  // namespace clustermatch
