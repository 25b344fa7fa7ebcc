// Top-k hit rate of partner recommendations on a real store: the shared
// measurement behind the complement tests.
#ifndef CLUSTERMATCH_TESTS_ENGINE_TOP_K_HIT_RATE_H_
#define CLUSTERMATCH_TESTS_ENGINE_TOP_K_HIT_RATE_H_

#include <functional>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "gtest/gtest.h"
#include "tests/engine/store_test_support.h"

namespace clustermatch::testing {

struct HitRate {
  int hits = 0;
  int queries = 0;
  std::vector<std::string> misses;  // "query -> result result result"
  double rate() const { return queries == 0 ? 0 : static_cast<double>(hits) / queries; }
};

// Imports `firms` into a fresh store with the given model mode and asks each
// of `queries` for its top `k` partners; a query hits when one of them is a
// partner by `is_partner(query, result)`.
inline HitRate MeasureTopK(
    ModelMode mode, const std::vector<Firm>& firms, const std::vector<std::string>& queries,
    const std::function<bool(const std::string&, const std::string&)>& is_partner, int k = 3) {
  const store_test::ScratchDir scratch;
  EngineOptions options;
  options.db_path = scratch.File("store.db");
  options.model_mode = mode;
  auto engine = Engine::Open(options);
  EXPECT_TRUE(engine.ok()) << engine.status();
  if (!engine.ok()) return {};
  EXPECT_TRUE((*engine)->ImportFirms(firms).ok());
  HitRate result;
  for (const std::string& query : queries) {
    RecommendRequest request;
    request.firm_id = query;
    request.k = k;
    auto results = (*engine)->Recommend(request);
    EXPECT_TRUE(results.ok()) << results.status();
    ++result.queries;
    bool hit = false;
    std::string miss = query + " ->";
    for (const auto& r : results.ok() ? *results : std::vector<Recommendation>{}) {
      hit = hit || is_partner(query, r.firm_id);
      miss += " " + r.firm_id;
    }
    if (hit) {
      ++result.hits;
    } else {
      result.misses.push_back(miss);
    }
  }
  return result;
}

}  // namespace clustermatch::testing

#endif  // CLUSTERMATCH_TESTS_ENGINE_TOP_K_HIT_RATE_H_
