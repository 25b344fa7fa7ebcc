// The real `clustermatch` binary on a real SQLite file, driven as an
// organiser would: sample, import, recommend, search, relate, export.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "tests/server/cli_run.h"

namespace {

using ::testing::HasSubstr;

using clustermatch::cli_test::CliRun;
using clustermatch::cli_test::ReadAll;

class CliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(::testing::TempDir() + "/cli_test_" + std::to_string(getpid()));
    std::filesystem::create_directories(*dir_);
    ASSERT_EQ(Cli("sample --firms 420 --seed 1 > " + *dir_ + "/sample.jsonl").code, 0);
    ASSERT_EQ(Cli("--db " + *dir_ + "/main.db import " + *dir_ + "/sample.jsonl").code, 0);
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }

  // Runs the binary through the shell; `args` may redirect stdout.
  static CliRun Cli(const std::string& args) { return clustermatch::cli_test::RunCli(args, *dir_); }
  static std::string Db() { return "--db " + *dir_ + "/main.db "; }
  static void Write(const std::string& name, const std::string& text) {
    std::ofstream(*dir_ + "/" + name, std::ios::binary) << text;
  }

  static std::string* dir_;
};
std::string* CliTest::dir_ = nullptr;

TEST_F(CliTest, RecommendAllJsonHasOneLinePerVisibleFirmInTheDocumentedShape) {
  std::set<std::string> hidden;
  std::istringstream exported(Cli(Db() + "export").out);
  for (std::string line; std::getline(exported, line);) {
    const auto firm = nlohmann::json::parse(line);
    if (firm.value("visibility", "") == "VISIBILITY_HIDDEN") hidden.insert(firm["id"]);
  }
  ASSERT_FALSE(hidden.empty());  // the sample has hidden firms to leave out
  const CliRun run = Cli(Db() + "recommend --all --k 20 --json");
  ASSERT_EQ(run.code, 0) << run.err;
  std::istringstream lines(run.out);
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    const auto j = nlohmann::json::parse(line);
    ASSERT_TRUE(j["firm"].is_string());
    ASSERT_TRUE(j["results"].is_array());
    EXPECT_LE(j["results"].size(), 20u);
    EXPECT_FALSE(hidden.contains(j["firm"].get<std::string>()));
    for (const auto& r : j["results"]) {
      EXPECT_NE(r["firm"], j["firm"]);
      EXPECT_FALSE(hidden.contains(r["firm"].get<std::string>())) << r["firm"];
      EXPECT_TRUE(r["score"].is_number());
      EXPECT_TRUE(r["explanation"]["need_offer"].is_array());
      EXPECT_TRUE(r["explanation"]["components"]["mutual"].is_number());
    }
    ++count;
  }
  const CliRun stats = Cli(Db() + "stats");
  EXPECT_THAT(stats.out, HasSubstr("firms: 420"));
  EXPECT_EQ(count, 420 - static_cast<int>(hidden.size()));
}

TEST_F(CliTest, ReadableRecommendationsExplainTheMatch) {
  const CliRun list = Cli(Db() + "export");
  const std::string first_id =
      nlohmann::json::parse(list.out.substr(0, list.out.find('\n')))["id"].get<std::string>();
  const CliRun run = Cli(Db() + "recommend --firm " + first_id + " --k 3");
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("score"));
  EXPECT_THAT(run.out, HasSubstr("needs ["));
  const CliRun korean = Cli(Db() + "recommend --firm " + first_id + " --k 3 --lang ko");
  EXPECT_THAT(korean.out, HasSubstr("점수"));
}

TEST_F(CliTest, BadRowIsRejectedWithFileLineFieldAndStoreUnchanged) {
  const std::string before = Cli(Db() + "export").out;
  Write("bad.jsonl", "{\"id\":\"new-1\",\"name\":\"ok\"}\n{\"id\":\"new-2\",\"employees\":-1}\n");
  const CliRun run = Cli(Db() + "import " + *dir_ + "/bad.jsonl");
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("bad.jsonl:2: employees"));
  EXPECT_EQ(Cli(Db() + "export").out, before);

  Write("bad.csv", "id,name,kind\nc-1,One,company\nc-2,Two,spaceship\n");
  const CliRun csv = Cli(Db() + "import " + *dir_ + "/bad.csv");
  EXPECT_EQ(csv.code, 1);
  EXPECT_THAT(csv.err, HasSubstr("bad.csv:3: kind"));
  EXPECT_EQ(Cli(Db() + "export").out, before);
}

TEST_F(CliTest, FirmsWithoutTextStillImportAndRecommend) {
  const std::string db = "--db " + *dir_ + "/bare.db ";
  Write("bare.jsonl", "{\"id\":\"x-1\"}\n{\"id\":\"x-2\",\"kind\":\"university\"}\n");
  const CliRun imported = Cli(db + "import " + *dir_ + "/bare.jsonl");
  ASSERT_EQ(imported.code, 0) << imported.err;
  EXPECT_THAT(imported.out, HasSubstr("untrained"));
  const CliRun run = Cli(db + "recommend --all --k 20 --json");
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out, "{\"firm\":\"x-1\",\"results\":[]}\n{\"firm\":\"x-2\",\"results\":[]}\n");
}

TEST_F(CliTest, UsageErrorsExitWithTwo) {
  EXPECT_EQ(Cli("recommend --bogus").code, 2);
  EXPECT_EQ(Cli("").code, 2);
  EXPECT_EQ(Cli(Db() + "recommend --firm x --k 0").code, 2);
  EXPECT_EQ(Cli(Db() + "recommend --k 3").code, 2);
  EXPECT_EQ(Cli(Db() + "recommend --firm x --all").code, 2);
  EXPECT_EQ(Cli(Db() + "recommend --firm x --intent friendship").code, 2);
}

TEST_F(CliTest, FailuresExitWithOneAndAMessage) {
  const CliRun unknown = Cli(Db() + "show no-such-firm");
  EXPECT_EQ(unknown.code, 1);
  EXPECT_THAT(unknown.err, HasSubstr("no-such-firm"));
  const CliRun missing = Cli("--db " + *dir_ + "/absent.db list");
  EXPECT_EQ(missing.code, 1);
}

TEST_F(CliTest, SearchFindsOffersByFreeText) {
  const CliRun run = Cli(Db() + "search \"CNC machining aluminium\" --k 5 --json");
  ASSERT_EQ(run.code, 0) << run.err;
  const auto j = nlohmann::json::parse(run.out);
  ASSERT_FALSE(j["results"].empty());
  EXPECT_FALSE(j["results"][0]["explanation"]["matched_offers"].empty());
}

TEST_F(CliTest, CsvImportInCp949AndRelationsWork) {
  const std::string db = "--db " + *dir_ + "/csv.db ";
  Write("firms.utf8.csv",
        "id,name,mini_cluster,offers,needs,roles\n"
        "k-1,한빛정밀,IMT,알루미늄 부품 CNC 정밀가공,스마트팩토리 MES 소프트웨어,production\n"
        "k-2,데이터웍스,ICT,공장용 MES 생산관리 소프트웨어;설비 모니터링,알루미늄 하우징 가공 "
        "협력업체,"
        "development\n"
        "k-3,그린에너지,Green IT,태양광 발전 설비 시공,배터리 팩 조립,production\n");
  ASSERT_EQ(
      std::system(("iconv -f UTF-8 -t CP949 " + *dir_ + "/firms.utf8.csv > " + *dir_ + "/firms.csv")
                      .c_str()),
      0);
  const CliRun imported = Cli(db + "import " + *dir_ + "/firms.csv");
  ASSERT_EQ(imported.code, 0) << imported.err;
  EXPECT_THAT(Cli(db + "show k-1").out, HasSubstr("한빛정밀"));
  Write("relations.csv", "a,b,kind,date,context\nk-1,k-2,partnered,2024-03-01,proj-7\n");
  const CliRun related = Cli(db + "relate " + *dir_ + "/relations.csv");
  ASSERT_EQ(related.code, 0) << related.err;
  const CliRun run = Cli(db + "recommend --firm k-1 --json");
  EXPECT_THAT(run.out, ::testing::Not(HasSubstr("\"k-2\"")));
  Write("bad_relations.csv", "a,b,kind,date\nk-1,nobody,met,2024\n");
  const CliRun bad = Cli(db + "relate " + *dir_ + "/bad_relations.csv");
  EXPECT_EQ(bad.code, 1);
  EXPECT_THAT(bad.err, HasSubstr("nobody"));
}

TEST_F(CliTest, BundledSampleIsWhatTheGeneratorMakes) {
  const CliRun run = Cli("sample --firms 420 --seed 1");
  ASSERT_EQ(run.code, 0);
  EXPECT_EQ(run.out, ReadAll(std::string(CM_SOURCE_DIR) + "/data/sample/gvalley.jsonl"));
}

TEST_F(CliTest, SecondWriterIsRefusedWhileAnotherProcessHoldsTheLock) {
  // util-linux flock(1) holds the store's write lock from another process
  // until the test removes the release file.
  const std::string lock = *dir_ + "/main.db.lock";
  const std::string release = *dir_ + "/release";
  std::ofstream(release).put('x');
  const std::string holder =
      "flock " + lock + " -c 'while [ -e " + release + " ]; do sleep 0.05; done' &";
  ASSERT_EQ(std::system(holder.c_str()), 0);
  // Wait until the holder has the lock: a non-blocking probe then fails.
  for (int i = 0; i < 200; ++i) {
    if (std::system(("flock -n " + lock + " true").c_str()) != 0) break;
    usleep(20'000);
  }
  Write("one.jsonl", "{\"id\":\"locked-1\"}\n");
  const CliRun refused = Cli(Db() + "import " + *dir_ + "/one.jsonl");
  std::filesystem::remove(release);
  EXPECT_EQ(refused.code, 1);
  EXPECT_THAT(refused.err, HasSubstr("locked for writing"));
  // Readers take no lock.
  // (Wait for the holder to go before other tests write.)
  for (int i = 0; i < 200 && std::system(("flock -n " + lock + " true").c_str()) != 0; ++i) {
    usleep(20'000);
  }
  EXPECT_EQ(Cli(Db() + "show locked-1").code, 1);
}

TEST_F(CliTest, SampleIsDeterministic) {
  const CliRun a = Cli("sample --firms 30 --seed 7");
  const CliRun b = Cli("sample --firms 30 --seed 7");
  const CliRun c = Cli("sample --firms 30 --seed 8");
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out, c.out);
}

}  // namespace
