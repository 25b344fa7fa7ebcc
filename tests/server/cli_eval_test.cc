// `clustermatch eval` end to end: the real binary on a dozen firms and a
// relations CSV written by the test, its table and JSON checked against
// answers worked out by hand, and bad input refused with the flag or file
// named.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/server/cli_run.h"

namespace {

using clustermatch::cli_test::CliRun;
using clustermatch::cli_test::ReadAll;
using ::testing::HasSubstr;

// Twelve firms f01..f12; f01, f05 and f08 are companies. Firm i offers
// technology i and needs technology i + 1.
constexpr const char* kTechnologies[] = {
    "battery cell chemistry", "battery management software", "electric drive motors",
    "battery recycling",      "precision machining",         "injection moulding",
    "surface coating",        "cloud data platform",         "machine vision inspection",
    "industrial robot arms",  "motion control software",     "sensor calibration",
};

// Before 2018: f01-f02, f02-f03, f01-f04, f04-f03, f05-f06, f06-f07,
// f08-f09, f10-f11, f11-f12, f03-f05. From 2018: f01-f03, f05-f07, f08-f12
// are new; f01-f02 is a repeat; f09-f99 names a firm without a profile.
//
// Common neighbours, first new partner's rank per query: f01 1 (f03 shares
// f02, f04), f03 1, f05 3 (f02, f04, f07 tie at 1; popularity, then id),
// f07 1, f08 10 (nothing shared: popularity order), f12 9.
constexpr char kRelations[] =
    "a,b,kind,date,context\n"
    "f01,f02,partnered,2015,p1\n"
    "f02,f03,partnered,2015,p2\n"
    "f01,f04,partnered,2016,p3\n"
    "f04,f03,partnered,2016,p3\n"
    "f05,f06,partnered,2016,p4\n"
    "f06,f07,partnered,2017,p5\n"
    "f08,f09,partnered,2017,p6\n"
    "f10,f11,partnered,2015,p7\n"
    "f11,f12,partnered,2016,p8\n"
    "f03,f05,partnered,2017,p9\n"
    "f01,f03,partnered,2018,p10\n"
    "f05,f07,partnered,2019,p11\n"
    "f12,f08,partnered,2020-05-01,p12\n"
    "f01,f02,partnered,2019,p13\n"
    "f09,f99,partnered,2019,p14\n";

class CliEvalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "cm_eval_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    std::ofstream profiles(File("profiles.jsonl"));
    for (int i = 0; i < 12; ++i) {
      char id[8];
      std::snprintf(id, sizeof(id), "f%02d", i + 1);
      const bool company = i == 0 || i == 4 || i == 7;
      nlohmann::json firm{{"id", id},
                          {"name", std::string("Firm ") + id},
                          {"kind", company ? "company" : "university"},
                          {"clusters", {"test"}},
                          {"region", i < 6 ? "DE" : "FR"},
                          {"technologies", {kTechnologies[i]}},
                          {"needs", {kTechnologies[(i + 1) % 12]}},
                          {"description", std::string("works on ") + kTechnologies[i]}};
      profiles << firm.dump() << "\n";
    }
    std::ofstream(File("relations.csv")) << kRelations;
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  std::string File(const std::string& name) const { return dir_ + "/" + name; }
  CliRun Eval(const std::string& extra) {
    return clustermatch::cli_test::RunCli("eval --profiles " + File("profiles.jsonl") +
                                              " --relations " + File("relations.csv") + " " + extra,
                                          dir_);
  }

  std::string dir_;
};

TEST_F(CliEvalTest, ReportsEveryMethodForBothGroups) {
  const CliRun run = Eval("--cutoff 2018 --json " + File("report.json"));
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("organisations 12"));
  EXPECT_THAT(run.out, HasSubstr("new pairs 3"));
  EXPECT_THAT(run.out, HasSubstr("companies only: 3 queries"));
  EXPECT_THAT(run.out, HasSubstr("adamic_adar"));

  const nlohmann::json report = nlohmann::json::parse(ReadAll(File("report.json")));
  EXPECT_EQ(report["cutoff"], 2018);
  const nlohmann::json& counts = report["counts"];
  EXPECT_EQ(counts["organisations"], 12);
  EXPECT_EQ(counts["before_pairs"], 10);
  EXPECT_EQ(counts["new_pairs"], 3);
  EXPECT_EQ(counts["queries"], 6);
  EXPECT_EQ(counts["company_queries"], 3);
  EXPECT_EQ(counts["left_out"]["later_pairs_partnered_before"], 1);
  EXPECT_EQ(counts["left_out"]["later_relations_unprofiled"], 1);

  for (const char* group : {"all", "companies"}) {
    const nlohmann::json& methods = report["groups"][group]["methods"];
    for (const char* name : {"random", "popularity", "same_region", "common_neighbours",
                             "adamic_adar", "content", "clustermatch"}) {
      ASSERT_TRUE(methods.contains(name)) << group << " " << name;
      const nlohmann::json& m = methods[name];
      for (const char* field : {"recall_at_10", "recall_at_20", "recall_at_50", "mrr", "ndcg_at_10",
                                "coverage_at_20"}) {
        EXPECT_GE(m[field].get<double>(), 0) << name << " " << field;
        EXPECT_LE(m[field].get<double>(), 1) << name << " " << field;
      }
      EXPECT_GE(m["ms_per_query"].get<double>(), 0);
    }
  }
  const nlohmann::json& all = report["groups"]["all"];
  EXPECT_EQ(all["queries"], 6);
  const nlohmann::json& cn = all["methods"]["common_neighbours"];
  EXPECT_NEAR(cn["mrr"].get<double>(), (1 + 1 + 1.0 / 3 + 1 + 1.0 / 10 + 1.0 / 9) / 6, 1e-9);
  EXPECT_NEAR(cn["recall_at_10"].get<double>(), 1.0, 1e-9);
  const nlohmann::json& companies = report["groups"]["companies"];
  EXPECT_EQ(companies["queries"], 3);
  EXPECT_NEAR(companies["methods"]["common_neighbours"]["mrr"].get<double>(),
              (1 + 1.0 / 3 + 1.0 / 10) / 3, 1e-9);
  // Each firm needs the next one's technology: the content ranking finds
  // complementary partners, so its lists are not empty.
  EXPECT_GT(all["methods"]["content"]["coverage_at_20"].get<double>(), 0);
  // Every candidate fits in 50: every method finds every new partner.
  for (const char* name : {"random", "popularity", "common_neighbours"}) {
    EXPECT_NEAR(all["methods"][name]["recall_at_50"].get<double>(), 1.0, 1e-9) << name;
  }
}

TEST_F(CliEvalTest, MethodSubsetAndQueryLimit) {
  const CliRun run = Eval(
      "--cutoff 2018 --methods popularity,adamic_adar --limit-queries 4 "
      "--threads 1 --json " +
      File("subset.json"));
  ASSERT_EQ(run.code, 0) << run.err;
  const nlohmann::json report = nlohmann::json::parse(ReadAll(File("subset.json")));
  EXPECT_EQ(report["counts"]["evaluated_queries"], 4);
  const nlohmann::json& methods = report["groups"]["all"]["methods"];
  EXPECT_EQ(methods.size(), 2u);
  EXPECT_TRUE(methods.contains("popularity"));
  EXPECT_TRUE(methods.contains("adamic_adar"));
  EXPECT_EQ(report["groups"]["all"]["queries"], 4);
}

TEST_F(CliEvalTest, BadInputNamesTheFlagOrFile) {
  CliRun run = Eval("--cutoff 18");
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("--cutoff: must be a year"));

  run = Eval("--cutoff 2030 --methods popularity");
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("--cutoff 2030: no new partnerships"));

  run =
      clustermatch::cli_test::RunCli("eval --profiles " + File("missing.jsonl") + " --relations " +
                                         File("relations.csv") + " --cutoff 2018",
                                     dir_);
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("--profiles: " + File("missing.jsonl")));

  run = Eval("--cutoff 2018 --methods popularity,magic");
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("--methods: unknown method \"magic\""));

  std::ofstream(File("bad.csv")) << "a,b,kind,date\nf01,f02,friend,2016\n";
  run = clustermatch::cli_test::RunCli("eval --profiles " + File("profiles.jsonl") +
                                           " --relations " + File("bad.csv") + " --cutoff 2018",
                                       dir_);
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("bad.csv:2: kind"));

  std::ofstream(File("taken.db")) << "";
  run = Eval("--cutoff 2018 --methods content --store " + File("taken.db"));
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("--store: " + File("taken.db") + " already exists"));
}

}  // namespace
