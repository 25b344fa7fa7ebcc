// The bundled sample cluster's complement hit rate: for every firm that has a
// two-way complement in the generator's capability catalogue (a firm that
// offers one of its needs and needs one of its offers), is one of them in its
// top 3 partner recommendations? Measured with the trained model and with the
// untrained fallback, and printed.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "engine/engine.h"
#include "engine/sample_cluster.h"
#include "engine/sample_vocabulary.h"
#include "tests/engine/top_k_hit_rate.h"

namespace clustermatch {
namespace {

using testing::HitRate;

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

// Each visible firm with a two-way complement, and its complements.
std::map<std::string, std::set<std::string>> CatalogueComplements(const std::vector<Firm>& firms) {
  std::vector<std::set<int>> offers, needs;
  for (const Firm& firm : firms) {
    offers.push_back(Capabilities(firm.offers, true));
    needs.push_back(Capabilities(firm.needs, false));
  }
  std::map<std::string, std::set<std::string>> out;
  for (size_t i = 0; i < firms.size(); ++i) {
    if (firms[i].visibility == Visibility::kHidden) continue;
    for (size_t j = 0; j < firms.size(); ++j) {
      if (j != i && firms[j].visibility != Visibility::kHidden && Intersects(needs[i], offers[j]) &&
          Intersects(needs[j], offers[i])) {
        out[firms[i].id].insert(firms[j].id);
      }
    }
  }
  return out;
}

HitRate Measure(ModelMode mode, const std::vector<Firm>& firms) {
  const auto complements = CatalogueComplements(firms);
  std::vector<std::string> queries;
  for (const Firm& firm : firms) {
    if (complements.contains(firm.id)) queries.push_back(firm.id);
  }
  return testing::MeasureTopK(mode, firms, queries,
                              [&](const std::string& query, const std::string& result) {
                                return complements.at(query).contains(result);
                              });
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
