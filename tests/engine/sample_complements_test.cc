// The bundled sample cluster's complement hit rate: for every firm that has a
// two-way complement in the generator's capability catalogue (a firm that
// offers one of its needs and needs one of its offers), is one of them in its
// top 3 partner recommendations? Measured with the trained model and with the
// untrained fallback, and printed.
#include <gtest/gtest.h>

#include <set>

#include "engine/engine.h"
#include "engine/sample_cluster.h"
#include "engine/sample_vocabulary.h"
#include "tests/engine/store_test_support.h"

namespace clustermatch {
namespace {

std::set<int> Capabilities(const std::vector<std::string>& phrases, bool offers) {
  const SampleVocabulary& vocabulary = SampleVocabularyTables();
  std::set<int> out;
  for (const auto& phrase : phrases) {
    const int capability =
        offers ? vocabulary.OfferCapability(phrase) : vocabulary.NeedCapability(phrase);
    if (capability >= 0) out.insert(capability);
  }
  return out;
}

bool Intersects(const std::set<int>& a, const std::set<int>& b) {
  for (int x : a) {
    if (b.contains(x)) return true;
  }
  return false;
}

struct HitRate {
  int hits = 0;
  int queries = 0;
  std::vector<std::string> misses;
  double rate() const { return queries == 0 ? 0 : static_cast<double>(hits) / queries; }
};

HitRate Measure(ModelMode mode, const std::vector<Firm>& firms) {
  std::vector<std::set<int>> offers, needs;
  for (const Firm& firm : firms) {
    offers.push_back(Capabilities(firm.offers, true));
    needs.push_back(Capabilities(firm.needs, false));
  }
  const store_test::ScratchDir scratch;
  const std::string path = scratch.File("store.db");
  HitRate result;
  {
    EngineOptions options;
    options.db_path = path;
    options.model_mode = mode;
    auto engine = Engine::Open(options);
    EXPECT_TRUE(engine.ok()) << engine.status();
    EXPECT_TRUE((*engine)->ImportFirms(firms).ok());
    for (size_t i = 0; i < firms.size(); ++i) {
      if (firms[i].visibility == Visibility::kHidden) continue;
      std::set<std::string> complements;
      for (size_t j = 0; j < firms.size(); ++j) {
        if (j != i && firms[j].visibility != Visibility::kHidden &&
            Intersects(needs[i], offers[j]) && Intersects(needs[j], offers[i])) {
          complements.insert(firms[j].id);
        }
      }
      if (complements.empty()) continue;
      RecommendRequest request;
      request.firm_id = firms[i].id;
      request.k = 3;
      auto results = (*engine)->Recommend(request);
      EXPECT_TRUE(results.ok()) << results.status();
      ++result.queries;
      bool hit = false;
      for (const auto& r : *results) hit = hit || complements.contains(r.firm_id);
      if (hit) {
        ++result.hits;
      } else {
        std::string miss = firms[i].id + " -> ";
        for (const auto& r : *results) miss += r.firm_id + " ";
        result.misses.push_back(miss + "(complements: " + *complements.begin() + " ...)");
      }
    }
  }
  return result;
}

TEST(SampleComplementsTest, TrainedModelFindsCatalogueComplementsInTop3) {
  const std::vector<Firm> firms = GenerateSampleCluster(SampleOptions{});
  const HitRate trained = Measure(ModelMode::kTrained, firms);
  const HitRate fallback = Measure(ModelMode::kUntrained, firms);
  std::printf(
      "sample cluster complement top-3 hit rate: trained %d/%d = %.3f, untrained fallback %d/%d = "
      "%.3f\n",
      trained.hits, trained.queries, trained.rate(), fallback.hits, fallback.queries,
      fallback.rate());
  for (size_t i = 0; i < trained.misses.size() && i < 10; ++i) {
    std::printf("  trained miss: %s\n", trained.misses[i].c_str());
  }
  EXPECT_GT(trained.queries, 200);
  EXPECT_GE(trained.rate(), 0.70);
}

}  // namespace
}  // namespace clustermatch
