// The command line's side of the security work, run in process through
// RunCli on a real store file: every write command records "cli:<user>" in
// the audit log; `clustermatch audit` prints it with --since, --firm and
// --limit; `keys add --rate-limit/--rate-burst` stores the key's limit and
// `keys list` shows it; `serve --help` documents the default (unlimited)
// rate limit and the retention.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "engine/audit_log.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/cli_commands.h"
#include "tests/engine/store_test_support.h"

namespace clustermatch {
namespace {

using ::clustermatch::store_test::ScratchDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

struct CliResult {
  int code = -1;
  std::string out;
  std::string err;
};

class CliSecurityTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(dir_.ok()); }

  CliResult Cli(std::vector<std::string> args) {
    args.insert(args.begin(), {"clustermatch", "--db", db_});
    std::vector<const char*> argv;
    for (const std::string& arg : args) argv.push_back(arg.c_str());
    std::ostringstream out;
    std::ostringstream err;
    CliResult run;
    run.code = RunCli(static_cast<int>(argv.size()), argv.data(), out, err);
    run.out = out.str();
    run.err = err.str();
    return run;
  }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = dir_.File(name);
    std::ofstream(path) << text;
    return path;
  }

  // The audit rows printed by `audit ARGS`, without seq and time:
  // "actor action subject".
  std::vector<std::string> AuditRows(std::vector<std::string> args = {}) {
    args.insert(args.begin(), "audit");
    const CliResult run = Cli(args);
    EXPECT_EQ(run.code, kExitOk) << run.err;
    std::vector<std::string> lines = absl::StrSplit(run.out, '\n', absl::SkipEmpty());
    EXPECT_FALSE(lines.empty());
    std::vector<std::string> rows;
    for (size_t i = 0; i < lines.size(); ++i) {
      if (i == 0) {
        EXPECT_EQ(lines[0], "seq\tat\tactor\taction\tsubject");
        continue;
      }
      EXPECT_THAT(lines[i], MatchesRegex("[0-9]+\t20[-0-9T:.]+Z\t.*"));
      std::vector<std::string> fields = absl::StrSplit(lines[i], '\t');
      EXPECT_EQ(fields.size(), 5u) << lines[i];
      if (fields.size() == 5) rows.push_back(fields[2] + " " + fields[3] + " " + fields[4]);
    }
    return rows;
  }

  ScratchDir dir_;
  const std::string db_ = dir_.File("cli.db");
  const std::string me_ = WriteActor::CurrentUser().name;
};

TEST_F(CliSecurityTest, WriteCommandsRecordTheOsUserAndAuditPrintsThem) {
  const CliResult sample = Cli({"sample", "--firms", "12", "--seed", "3"});
  ASSERT_EQ(sample.code, kExitOk) << sample.err;
  const std::string firms = Write("firms.jsonl", sample.out);
  const CliResult imported = Cli({"import", firms});
  ASSERT_EQ(imported.code, kExitOk) << imported.err;
  std::vector<std::string> ids;
  for (const std::string& row : AuditRows()) {
    if (row.starts_with(me_ + " import_firm ")) ids.push_back(row.substr(row.rfind(' ') + 1));
  }
  ASSERT_EQ(ids.size(), 12u);
  const std::string a = ids[0];
  const std::string b = ids[1];

  ASSERT_EQ(Cli({"relate", Write("rel.csv", "a,b,kind,date\n" + a + "," + b + ",met,2026\n")}).code,
            kExitOk);
  ASSERT_EQ(Cli({"train"}).code, kExitOk);
  ASSERT_EQ(Cli({"delete", a}).code, kExitOk);
  const CliResult key = Cli({"keys", "add", "--role", "reader"});
  ASSERT_EQ(key.code, kExitOk) << key.err;
  const std::string key_id = key.out.substr(3, 12);  // cm_<id>_<secret>
  ASSERT_EQ(Cli({"keys", "revoke", key_id}).code, kExitOk);

  const std::vector<std::string> rows = AuditRows({"--limit", "5"});
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0], me_ + " add_relation " + a + "->" + b + " met");
  EXPECT_THAT(rows[1], MatchesRegex(me_ + " train model v[0-9]+"));
  EXPECT_EQ(rows[2], me_ + " delete_firm " + a);
  EXPECT_EQ(rows[3], me_ + " add_key " + key_id);
  EXPECT_EQ(rows[4], me_ + " revoke_key " + key_id);

  EXPECT_THAT(AuditRows({"--firm", a}),
              ElementsAre(me_ + " import_firm " + a, me_ + " add_relation " + a + "->" + b + " met",
                          me_ + " delete_firm " + a));
  EXPECT_THAT(
      AuditRows({"--firm", b, "--since", "2000-01-01"}),
      ElementsAre(me_ + " import_firm " + b, me_ + " add_relation " + a + "->" + b + " met"));
  EXPECT_TRUE(AuditRows({"--since", "2999-12-31"}).empty());
  EXPECT_GT(AuditRows({"--limit", "0"}).size(), 16u);

  const CliResult bad = Cli({"audit", "--since", "yesterday"});
  EXPECT_EQ(bad.code, kExitFailure);
  EXPECT_THAT(bad.err, HasSubstr("--since: expected a date YYYY-MM-DD"));
  const CliResult bad_day = Cli({"audit", "--since", "2026-02-30"});
  EXPECT_EQ(bad_day.code, kExitFailure);
}

TEST_F(CliSecurityTest, AuditOfAMissingStoreFails) {
  const CliResult run = Cli({"audit"});
  EXPECT_EQ(run.code, kExitFailure);
  EXPECT_THAT(run.err, HasSubstr("does not exist"));
}

TEST_F(CliSecurityTest, KeysAddStoresARateLimitAndListShowsIt) {
  const CliResult limited = Cli({"keys", "add", "--role", "reader", "--rate-limit", "5",
                                 "--rate-burst", "10", "--label", "portal"});
  ASSERT_EQ(limited.code, kExitOk) << limited.err;
  EXPECT_THAT(limited.err, HasSubstr("(reader, public, 5/s, burst 10) created"));
  const CliResult plain = Cli({"keys", "add", "--role", "writer"});
  ASSERT_EQ(plain.code, kExitOk) << plain.err;
  const CliResult listed = Cli({"keys", "list"});
  ASSERT_EQ(listed.code, kExitOk) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr("\tportal\t5/s, burst 10\t"));
  EXPECT_THAT(listed.out, HasSubstr("\twriter\tpublic\t\t\tdefault\t"));

  const CliResult burst_alone = Cli({"keys", "add", "--role", "reader", "--rate-burst", "3"});
  EXPECT_EQ(burst_alone.code, kExitFailure);
  EXPECT_THAT(burst_alone.err, HasSubstr("--rate-burst: needs --rate-limit"));
  const CliResult negative = Cli({"keys", "add", "--role", "reader", "--rate-limit", "-1"});
  EXPECT_NE(negative.code, kExitOk);
}

TEST_F(CliSecurityTest, ServeHelpDocumentsTheSecurityFlags) {
  const CliResult help = Cli({"serve", "--help"});
  ASSERT_EQ(help.code, kExitOk) << help.err;
  EXPECT_THAT(help.out, HasSubstr("--rate-limit"));
  EXPECT_THAT(help.out, HasSubstr("0: unlimited"));
  EXPECT_THAT(help.out, HasSubstr("--rate-burst"));
  EXPECT_THAT(help.out, HasSubstr("--audit-retention-days"));
  EXPECT_THAT(help.out, HasSubstr("default 730"));
  const CliResult keys_help = Cli({"keys", "add", "--help"});
  ASSERT_EQ(keys_help.code, kExitOk) << keys_help.err;
  EXPECT_THAT(keys_help.out, HasSubstr("--rate-limit"));
}

}  // namespace
}  // namespace clustermatch
