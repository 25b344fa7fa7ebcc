// `clustermatch event schedule` end to end, as an organiser runs it: the
// sample cluster in a store, the sample attendee CSV in, a schedule, match
// lists, calendars and agendas out, the quality report on stdout.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "absl/strings/str_split.h"
#include "tests/server/cli_run.h"

namespace {

using ::testing::HasSubstr;

using clustermatch::cli_test::CliRun;
using clustermatch::cli_test::ReadAll;

class CliEventTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/cli_event_test_" + std::to_string(getpid());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    ASSERT_EQ(
        Cli("--db " + Db() + " import " + std::string(CM_SOURCE_DIR) + "/data/sample/gvalley.jsonl")
            .code,
        0);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Db() const { return dir_ + "/event.db"; }
  CliRun Cli(const std::string& args) const { return clustermatch::cli_test::RunCli(args, dir_); }
  CliRun Schedule(const std::string& out_dir, const std::string& extra = "") const {
    return Cli("--db " + Db() + " event schedule --attendees " + std::string(CM_SOURCE_DIR) +
               "/data/sample/gvalley_event_attendees.csv --date 2026-12-03 --start 14:00 "
               "--slots 8 --slot-minutes 20 --breaks 15:20-15:40 --tables 12 --max-meetings 6 "
               "--min-meetings 3 --name \"G-Valley Day\" --out " +
               dir_ + "/" + out_dir + " " + extra);
  }

  struct Row {
    int slot;
    std::string table, a, b;
  };
  std::vector<Row> Rows(const std::string& out_dir) const {
    const std::string csv = ReadAll(dir_ + "/" + out_dir + "/schedule.csv");
    std::vector<Row> rows;
    bool header = true;
    for (const std::string& line : std::vector<std::string>(absl::StrSplit(csv, "\r\n"))) {
      if (header || line.empty()) {
        header = false;
        continue;
      }
      std::vector<std::string> f = absl::StrSplit(line, ',');
      rows.push_back(Row{std::stoi(f[0]), f[2], f[3], f[4]});
    }
    return rows;
  }

  std::string dir_;
};

TEST_F(CliEventTest, OneCommandGivesAScheduleThatKeepsEveryRuleAndItsFiles) {
  const CliRun run = Schedule("out");
  ASSERT_EQ(run.code, 0) << run.err;
  const nlohmann::json report = nlohmann::json::parse(run.out);
  EXPECT_EQ(report["attendees"], 40);
  EXPECT_GT(report["meetings"].get<int>(), 40);
  EXPECT_GT(report["ratio"].get<double>(), 0.5);
  EXPECT_LE(report["ratio"].get<double>(), 1.0);
  EXPECT_LE(report["utility"].get<double>(), report["upper_bound"].get<double>() + 1e-9);

  const std::vector<Row> rows = Rows("out");
  ASSERT_EQ(rows.size(), report["meetings"].get<size_t>());
  std::set<std::pair<std::string, std::string>> pairs;
  std::map<std::pair<int, std::string>, int> busy;  // (slot, firm) -> meetings
  std::map<int, std::set<std::string>> tables;
  for (const Row& row : rows) {
    EXPECT_TRUE(pairs.insert(std::minmax(row.a, row.b)).second) << row.a << " " << row.b;
    ++busy[{row.slot, row.a}];
    ++busy[{row.slot, row.b}];
    EXPECT_TRUE(tables[row.slot].insert(row.table).second) << "table used twice";
    EXPECT_LE(tables[row.slot].size(), 12u);
  }
  const std::set<std::string> two_representatives = {"GV-0004", "GV-0010", "GV-0025",
                                                     "EV-NEW-02"};  // from the CSV
  for (const auto& [slot_firm, count] : busy) {
    EXPECT_LE(count, two_representatives.contains(slot_firm.second) ? 2 : 1) << slot_firm.second;
  }
  // Never-meet pairs from the CSV never meet.
  EXPECT_FALSE(pairs.contains(std::minmax(std::string("GV-0019"), std::string("YJ-0021"))));
  EXPECT_FALSE(pairs.contains(std::minmax(std::string("GV-0030"), std::string("GV-0032"))));
  // A new firm from the CSV's inline profile was stored and scheduled.
  EXPECT_EQ(Cli("--db " + Db() + " show EV-NEW-01").code, 0);

  for (const char* file : {"schedule.csv", "matchlists.csv", "summary.txt", "calendars/GV-0004.ics",
                           "agendas/GV-0004.html", "calendars/EV-NEW-01.ics"}) {
    EXPECT_TRUE(std::filesystem::exists(dir_ + "/out/" + file)) << file;
  }
  EXPECT_THAT(ReadAll(dir_ + "/out/summary.txt"), HasSubstr("G-Valley Day"));
}

TEST_F(CliEventTest, SameInputSameScheduleAndKeptMeetingsStay) {
  ASSERT_EQ(Schedule("first").code, 0);
  ASSERT_EQ(Schedule("second").code, 0);
  EXPECT_EQ(ReadAll(dir_ + "/first/schedule.csv"), ReadAll(dir_ + "/second/schedule.csv"));

  // Re-planning with the first schedule published: every meeting stays.
  const CliRun replanned = Schedule("replanned", "--keep " + dir_ + "/first/schedule.csv --seed 9");
  ASSERT_EQ(replanned.code, 0) << replanned.err;
  std::set<std::tuple<int, std::string, std::string, std::string>> after;
  for (const Row& row : Rows("replanned")) after.insert({row.slot, row.table, row.a, row.b});
  for (const Row& row : Rows("first")) {
    EXPECT_TRUE(after.contains({row.slot, row.table, row.a, row.b}))
        << row.slot << " " << row.a << " " << row.b;
  }
}

TEST_F(CliEventTest, BadInputNamesTheFileLineAndField) {
  std::ofstream(dir_ + "/bad.csv") << "firm_id,representatives\nGV-0002,1\nGV-0004,0\n";
  CliRun run =
      Cli("--db " + Db() + " event schedule --attendees " + dir_ +
          "/bad.csv --date 2026-12-03 --slots 4 --tables 3 --max-meetings 3 --out " + dir_ + "/o");
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("bad.csv:3: representatives"));
  std::ofstream(dir_ + "/unknown.csv") << "firm_id\nGV-0002\nNOPE-1\n";
  run = Cli("--db " + Db() + " event schedule --attendees " + dir_ +
            "/unknown.csv --date 2026-12-03 --slots 4 --tables 3 --max-meetings 3 --out " + dir_ +
            "/o");
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("unknown.csv:3: firm_id: no firm \"NOPE-1\""));
  run = Cli("--db " + Db() + " event schedule --attendees " + dir_ +
            "/unknown.csv --date 2026-02-30 --slots 4 --tables 3 --max-meetings 3 --out " + dir_ +
            "/o");
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("date"));
}

}  // namespace
