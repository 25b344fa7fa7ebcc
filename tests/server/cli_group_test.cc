// `clustermatch group sigs|founders|consortium|pools` end to end, as a
// coordinator runs them: the bundled sample cluster imported into a scratch
// store, the real binary run on it, its JSON, text and CSV output checked
// against the sample's profiles, and bad option values refused with the
// option named.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "tests/server/cli_run.h"

namespace {

using ::testing::AnyOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

using clustermatch::cli_test::CliRun;
using clustermatch::cli_test::ReadAll;

constexpr char kBom[] = "\xEF\xBB\xBF";
constexpr char kTopic[] = "immersive VR content, motion capture and 3D animation";

std::string SamplePath() { return std::string(CM_SOURCE_DIR) + "/data/sample/gvalley.jsonl"; }

// The sample's profiles by id, as the JSONL file states them.
std::map<std::string, nlohmann::json> SampleFirms() {
  std::map<std::string, nlohmann::json> firms;
  std::ifstream in(SamplePath());
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    nlohmann::json firm = nlohmann::json::parse(line);
    firms[firm["id"].get<std::string>()] = firm;
  }
  return firms;
}

bool IsHidden(const nlohmann::json& firm) {
  return firm.value("visibility", "") == "VISIBILITY_HIDDEN";
}

// Lower-case ASCII, whitespace trimmed and collapsed: what normalisation
// does to the sample's (ASCII or Hangul) material names.
std::string Simplified(const std::string& text) {
  std::string out;
  bool space = false;
  for (unsigned char c : text) {
    if (std::isspace(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(std::tolower(c));
  }
  return out;
}

// One store for the suite: importing and training once keeps it fast; every
// group command only reads it.
class CliGroupTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(::testing::TempDir() + "/cli_group_test_" + std::to_string(getpid()));
    std::filesystem::remove_all(*dir_);
    std::filesystem::create_directories(*dir_);
    const CliRun run =
        clustermatch::cli_test::RunCli("--db " + Db() + " import " + SamplePath(), *dir_);
    imported_ = run.code == 0;
    EXPECT_TRUE(imported_) << run.err;
    firms_ = new std::map<std::string, nlohmann::json>(SampleFirms());
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete firms_;
  }
  void SetUp() override {
    ASSERT_TRUE(imported_);
    ASSERT_EQ(firms_->size(), 420u);
  }

  static std::string Db() { return *dir_ + "/group.db"; }
  static CliRun Group(const std::string& args) {
    return clustermatch::cli_test::RunCli("--db " + Db() + " group " + args, *dir_);
  }
  // Runs a group command with --json and parses its stdout.
  static nlohmann::json GroupJson(const std::string& args) {
    const CliRun run = Group(args + " --json");
    EXPECT_EQ(run.code, 0) << args << "\n" << run.err;
    if (run.code != 0) return nlohmann::json::object();
    nlohmann::json report = nlohmann::json::parse(run.out, nullptr, false);
    EXPECT_FALSE(report.is_discarded()) << "not one JSON object: " << run.out;
    return report.is_discarded() ? nlohmann::json::object() : report;
  }
  const nlohmann::json& Firm(const std::string& id) {
    auto it = firms_->find(id);
    EXPECT_NE(it, firms_->end()) << "not a sample firm: " << id;
    static const nlohmann::json kNone = nlohmann::json::object();
    return it == firms_->end() ? kNone : it->second;
  }

  static std::string* dir_;
  static std::map<std::string, nlohmann::json>* firms_;
  static bool imported_;
};

std::string* CliGroupTest::dir_ = nullptr;
std::map<std::string, nlohmann::json>* CliGroupTest::firms_ = nullptr;
bool CliGroupTest::imported_ = false;

TEST_F(CliGroupTest, HelpListsTheFourWorkflows) {
  const CliRun run = Group("--help");
  EXPECT_EQ(run.code, 0) << run.err;
  for (const char* command : {"sigs", "founders", "consortium", "pools"}) {
    EXPECT_THAT(run.out, HasSubstr(command));
  }
}

TEST_F(CliGroupTest, FoundersJsonHasTheSizeAResearchMemberAndEverySubArea) {
  const nlohmann::json report =
      GroupJson("founders --topic \"" + std::string(kTopic) + "\" --size 6 --min-research 1");
  ASSERT_TRUE(report.contains("founders")) << report.dump();
  ASSERT_EQ(report["founders"].size(), 6u);
  int research = 0;
  std::set<std::string> ids;
  for (const nlohmann::json& founder : report["founders"]) {
    const std::string id = founder["id"].get<std::string>();
    EXPECT_TRUE(ids.insert(id).second) << id << " listed twice";
    const nlohmann::json& profile = Firm(id);
    EXPECT_FALSE(IsHidden(profile)) << id;
    const std::string kind = founder["kind"].get<std::string>();
    if (kind == "university" || kind == "research_institute") {
      ++research;
      EXPECT_THAT(profile.value("kind", ""), AnyOf(HasSubstr("UNIVERSITY"), HasSubstr("RESEARCH")))
          << id;
    }
    EXPECT_FALSE(founder["reasons"].empty()) << id;
  }
  EXPECT_GE(research, 1);
  EXPECT_TRUE(report["unmet"].empty()) << report["unmet"].dump();

  std::vector<std::string> sub_areas = report["sub_areas"].get<std::vector<std::string>>();
  for (const char* phrase : {"immersive VR content", "motion capture", "3D animation"}) {
    EXPECT_NE(std::find(sub_areas.begin(), sub_areas.end(), phrase), sub_areas.end()) << phrase;
  }
  std::set<std::string> covered;
  for (const nlohmann::json& cover : report["coverage"]) {
    covered.insert(cover["sub_area"].get<std::string>());
    const std::string firm = cover["firm_id"].get<std::string>();
    if (!firm.empty()) {
      EXPECT_TRUE(ids.contains(firm)) << firm;
    }
    EXPECT_GE(cover["coverage"].get<double>(), 0.0);
    EXPECT_LE(cover["coverage"].get<double>(), 1.0 + 1e-6);
  }
  for (const std::string& sub_area : sub_areas) EXPECT_TRUE(covered.contains(sub_area)) << sub_area;

  // Without --json, the same report is readable text.
  const CliRun text =
      Group("founders --topic \"" + std::string(kTopic) + "\" --size 6 --min-research 1");
  ASSERT_EQ(text.code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("founding members"));
  EXPECT_THAT(text.out, HasSubstr("motion capture"));
  EXPECT_THAT(text.out, Not(StartsWith("{")));
}

TEST_F(CliGroupTest, ConsortiumCsvHasABomTheHeaderAndAGapRow) {
  const std::string csv_path = *dir_ + "/team.csv";
  std::filesystem::remove(csv_path);
  const CliRun run = Group(
      "consortium --call \"Smart factory pilot: contract PCB assembly, IoT sensor hardware "
      "design, satellite launch services\" --roles production --out " +
      csv_path);
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("satellite launch services"));
  EXPECT_THAT(run.out, Not(StartsWith("{")));

  const std::string csv = ReadAll(csv_path);
  ASSERT_THAT(csv, StartsWith(kBom));
  std::vector<std::string> lines = absl::StrSplit(csv.substr(3), "\r\n", absl::SkipEmpty());
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines[0], "requirement,kind,covered,coverage,firm_id,evidence");
  bool gap = false;
  bool role = false;
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::vector<std::string> cells = absl::StrSplit(lines[i], ',');
    ASSERT_GE(cells.size(), 6u) << lines[i];
    if (cells[0] == "satellite launch services") {
      gap = true;
      EXPECT_EQ(cells[1], "capability");
      EXPECT_EQ(cells[2], "no");
    }
    if (cells[0] == "production") {
      role = true;
      EXPECT_EQ(cells[1], "role");
    }
    if (!cells[4].empty()) {
      EXPECT_FALSE(IsHidden(Firm(cells[4]))) << cells[4];
    }
  }
  EXPECT_TRUE(gap) << csv;
  EXPECT_TRUE(role) << csv;

  // The JSON report of the same call names the gap too.
  const nlohmann::json report = GroupJson(
      "consortium --call \"Smart factory pilot: contract PCB assembly, IoT sensor hardware "
      "design, satellite launch services\" --roles production");
  ASSERT_TRUE(report.contains("gaps")) << report.dump();
  const std::vector<std::string> gaps = report["gaps"].get<std::vector<std::string>>();
  EXPECT_NE(std::find(gaps.begin(), gaps.end(), "satellite launch services"), gaps.end());
  EXPECT_GE(report["members"].size(), 3u);
  EXPECT_LE(report["members"].size(), 6u);
}

TEST_F(CliGroupTest, SigsJsonPlacesEveryFirmOnceWithinTheSizes) {
  const nlohmann::json report = GroupJson("sigs --min-size 6 --max-size 12");
  ASSERT_TRUE(report.contains("sigs")) << report.dump();
  ASSERT_FALSE(report["sigs"].empty());
  std::vector<std::string> ids;
  for (const nlohmann::json& sig : report["sigs"]) {
    EXPECT_GE(sig["members"].size(), 6u);
    EXPECT_LE(sig["members"].size(), 12u);
    for (const nlohmann::json& member : sig["members"]) {
      ids.push_back(member["id"].get<std::string>());
    }
  }
  for (const nlohmann::json& unplaced : report["unplaced"]) {
    ids.push_back(unplaced["id"].get<std::string>());
    EXPECT_FALSE(unplaced["reason"].get<std::string>().empty());
  }
  EXPECT_EQ(ids.size(), report["firms"].get<size_t>());
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end()) << "a firm placed twice";
  size_t visible = 0;
  for (const auto& [id, firm] : *firms_) visible += !IsHidden(firm);
  EXPECT_LE(ids.size(), visible);
  EXPECT_GE(ids.size(), 300u) << "the whole sample is grouped";
  for (const std::string& id : ids) EXPECT_FALSE(IsHidden(Firm(id))) << id;
}

TEST_F(CliGroupTest, PoolsJsonMembersBuyThePoolsMaterial) {
  const nlohmann::json report = GroupJson("pools");
  ASSERT_TRUE(report.contains("pools")) << report.dump();
  ASSERT_FALSE(report["pools"].empty());
  EXPECT_GT(report["firms_with_materials"].get<size_t>(), 0u);
  size_t previous = SIZE_MAX;
  for (const nlohmann::json& pool : report["pools"]) {
    const std::string material = pool["material"].get<std::string>();
    SCOPED_TRACE(material);
    const size_t size = pool["members"].size();
    EXPECT_EQ(pool["size"].get<size_t>(), size);
    EXPECT_GE(size, 2u);
    EXPECT_LE(size, previous) << "largest first";
    previous = size;
    std::set<std::string> spellings;
    for (const nlohmann::json& spelling : pool["spellings"]) {
      spellings.insert(Simplified(spelling.get<std::string>()));
    }
    EXPECT_TRUE(spellings.contains(Simplified(material)));
    for (const nlohmann::json& member : pool["members"]) {
      const std::string id = member["id"].get<std::string>();
      const nlohmann::json& profile = Firm(id);
      EXPECT_FALSE(IsHidden(profile)) << id;
      bool buys = false;
      for (const nlohmann::json& bought : profile.value("materials", nlohmann::json::array())) {
        buys = buys || spellings.contains(Simplified(bought.get<std::string>()));
      }
      EXPECT_TRUE(buys) << id << " does not buy " << material;
    }
  }
}

TEST_F(CliGroupTest, BadOptionValuesFailNamingTheOption) {
  CliRun run = Group("consortium --call \"PCB assembly\" --roles astronaut");
  EXPECT_NE(run.code, 0);
  EXPECT_THAT(run.err, HasSubstr("--roles"));
  EXPECT_THAT(run.err, HasSubstr("astronaut"));

  run = Group("founders --size 6");
  EXPECT_NE(run.code, 0);
  EXPECT_THAT(run.err, HasSubstr("--topic"));

  run = Group("pools --kind astronaut");
  EXPECT_NE(run.code, 0);
  EXPECT_THAT(run.err, HasSubstr("--kind"));

  run = Group("sigs --min-size abc");
  EXPECT_NE(run.code, 0);
  EXPECT_THAT(run.err, HasSubstr("--min-size"));

  run = Group("sigs --min-size 1");
  EXPECT_NE(run.code, 0);
  EXPECT_THAT(run.err, AnyOf(HasSubstr("--min-size"), HasSubstr("min_size")));

  run = Group("founders --topic \"VR\" --size 0");
  EXPECT_NE(run.code, 0);
  EXPECT_THAT(run.err, AnyOf(HasSubstr("--size"), HasSubstr("size")));

  run = Group("consortium --call \"PCB assembly\" --min-size 5 --max-size 3");
  EXPECT_NE(run.code, 0);
  EXPECT_THAT(run.err, AnyOf(HasSubstr("--max-size"), HasSubstr("max_size")));

  run = Group("consortium --call \"PCB assembly\" --lead NOPE-1");
  EXPECT_NE(run.code, 0);
  EXPECT_THAT(run.err, HasSubstr("NOPE-1"));

  // Nothing was written by the failed runs.
  EXPECT_FALSE(std::filesystem::exists(*dir_ + "/never.csv"));
  run = Group("consortium --call \"PCB assembly\" --roles astronaut --out " + *dir_ + "/never.csv");
  EXPECT_NE(run.code, 0);
  EXPECT_FALSE(std::filesystem::exists(*dir_ + "/never.csv"));
}

TEST_F(CliGroupTest, KoreanReportsWordHeadingsAndReasonsInKorean) {
  const CliRun founders =
      Group("founders --topic \"실감형 VR 콘텐츠, 모션 캡처, 3D 애니메이션\" --size 5 --lang ko");
  ASSERT_EQ(founders.code, 0) << founders.err;
  EXPECT_THAT(founders.out, HasSubstr("창립 멤버"));
  EXPECT_THAT(founders.out, HasSubstr("주제 관련도"));
  EXPECT_THAT(founders.out, ::testing::Not(HasSubstr("topic relevance")));

  const nlohmann::json team = GroupJson(
      "consortium --capabilities \"PLC 제어 소프트웨어;정밀 가공\" --roles production --lang ko");
  bool role_reason = false;
  for (const nlohmann::json& member : team["members"]) {
    for (const nlohmann::json& reason : member["reasons"]) {
      role_reason |= reason.get<std::string>() == "생산 역할 담당";
    }
  }
  EXPECT_TRUE(role_reason) << team.dump();

  const CliRun english = Group("consortium --capabilities \"PLC control\" --roles production");
  ASSERT_EQ(english.code, 0) << english.err;
  EXPECT_THAT(english.out, HasSubstr("covers the production role"));
  EXPECT_NE(Group("pools --lang fr").code, 0);
}

}  // namespace
