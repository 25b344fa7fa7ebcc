// Hand-written complementary pairs (tests/data/complement_pairs.jsonl,
// written apart from the sample generator's templates): each firm's partner
// should come back in its top 3 partner recommendations, among the pairs
// alone and mixed into the 420-firm sample cluster (which holds many other
// plausible partners). Prints the hit rates with the trained model and with
// the untrained fallback.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "engine/engine.h"
#include "engine/sample_cluster.h"
#include "server/firm_jsonl.h"
#include "tests/engine/top_k_hit_rate.h"
#include "tests/server/complement_pairs_data.h"

namespace clustermatch {
namespace {

using testing::HitRate;

using testing::PartnerOf;
using testing::ReadAll;

HitRate MeasureTop3(ModelMode mode, bool with_sample) {
  auto pairs =
      ParseFirmsJsonl(ReadAll(std::string(CM_SOURCE_DIR) + "/tests/data/complement_pairs.jsonl"),
                      "complement_pairs.jsonl");
  EXPECT_TRUE(pairs.ok()) << pairs.status();
  if (!pairs.ok()) return {};
  std::vector<Firm> firms;
  if (with_sample) firms = GenerateSampleCluster(SampleOptions{});
  firms.insert(firms.end(), pairs->begin(), pairs->end());
  std::vector<std::string> queries;
  for (const Firm& firm : *pairs) queries.push_back(firm.id);
  return testing::MeasureTopK(mode, firms, queries,
                              [](const std::string& query, const std::string& result) {
                                return result == PartnerOf(query);
                              });
}

void Report(const char* setting, const HitRate& trained, const HitRate& fallback) {
  std::printf(
      "complement pairs top-3 hit rate (%s): trained %d/%d = %.3f, untrained fallback "
      "%d/%d = %.3f\n",
      setting, trained.hits, trained.queries, trained.rate(), fallback.hits, fallback.queries,
      fallback.rate());
  for (const auto& miss : trained.misses) std::printf("  trained miss: %s\n", miss.c_str());
}

TEST(ComplementPairsTest, PairsAloneFindEachOtherInTop3) {
  const HitRate trained = MeasureTop3(ModelMode::kTrained, false);
  const HitRate fallback = MeasureTop3(ModelMode::kUntrained, false);
  Report("pairs alone", trained, fallback);
  EXPECT_EQ(trained.queries, 94);
  EXPECT_GE(trained.rate(), 0.80);
  EXPECT_GT(trained.rate(), fallback.rate());
}

TEST(ComplementPairsTest, PairsInsideTheSampleClusterFindEachOtherInTop3) {
  const HitRate trained = MeasureTop3(ModelMode::kTrained, true);
  const HitRate fallback = MeasureTop3(ModelMode::kUntrained, true);
  Report("inside the sample cluster", trained, fallback);
  EXPECT_EQ(trained.queries, 94);
  EXPECT_GE(trained.rate(), 0.70);
  EXPECT_GT(trained.rate(), fallback.rate());
}

}  // namespace
}  // namespace clustermatch
