// IdleHelper (engine/idle_helper.h): every index of a split runs exactly
// once, a lone caller gets the helper, callers racing for it all finish,
// and Recommend answers the same with the helper as without it.
// Built into engine_concurrency_test, which scripts/tsan.sh runs under
// ThreadSanitizer.
#include "engine/idle_helper.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine.h"
#include "engine/sample_cluster.h"
#include "tests/engine/store_test_support.h"
#include "tests/engine/tsan_scale.h"

namespace clustermatch {
namespace {

// Counts, for each index, how many times work covered it, and which threads
// ran work at all.
struct Coverage {
  explicit Coverage(size_t n) : hits(n) {}
  void Run(size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) hits[i].fetch_add(1);
    std::lock_guard<std::mutex> lock(mutex);
    threads.insert(std::this_thread::get_id());
  }
  std::vector<std::atomic<int>> hits;
  std::mutex mutex;
  std::set<std::thread::id> threads;
};

// Slow items, so that a helper allowed to join surely does.
void SlowSplit(IdleHelper& helper, Coverage& coverage) {
  helper.Split(coverage.hits.size(), [&](size_t begin, size_t end) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    coverage.Run(begin, end);
  });
}

TEST(IdleHelperTest, CoversEveryIndexOnceForAnySize) {
  IdleHelper helper;
  for (size_t n : {0, 1, 2, 7, 8, 9, 100, 1001}) {
    Coverage coverage(n);
    helper.Split(n, [&](size_t begin, size_t end) { coverage.Run(begin, end); });
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(coverage.hits[i].load(), 1) << "n=" << n << " i=" << i;
  }
}

TEST(IdleHelperTest, LoneCallerSharesWithTheHelperThread) {
  IdleHelper helper;
  Coverage small(IdleHelper::kMinSplit - 1);
  helper.Split(small.hits.size(), [&](size_t begin, size_t end) { small.Run(begin, end); });
  EXPECT_EQ(helper.shared_splits(), 0u);
  EXPECT_THAT(small.threads, ::testing::ElementsAre(std::this_thread::get_id()));

  for (int round = 1; round <= 3; ++round) {
    Coverage coverage(40);
    SlowSplit(helper, coverage);
    EXPECT_EQ(helper.shared_splits(), static_cast<size_t>(round));
    // This thread ran some of the items and the helper's thread the others.
    EXPECT_EQ(coverage.threads.size(), 2u);
    EXPECT_TRUE(coverage.threads.contains(std::this_thread::get_id()));
    for (size_t i = 0; i < 40; ++i) EXPECT_EQ(coverage.hits[i].load(), 1);
  }
}

TEST(IdleHelperTest, SharesOnlyWhileFewerCallsThanCoresAreInFlight) {
  IdleHelper helper(/*cores=*/2);
  {
    const IdleHelper::Call alone(&helper);
    Coverage coverage(20);
    SlowSplit(helper, coverage);
    EXPECT_EQ(coverage.threads.size(), 2u);
    EXPECT_EQ(helper.shared_splits(), 1u);
    {
      const IdleHelper::Call other(&helper);  // a second call: as many as cores
      Coverage busy(20);
      SlowSplit(helper, busy);
      EXPECT_THAT(busy.threads, ::testing::ElementsAre(std::this_thread::get_id()));
      for (size_t i = 0; i < 20; ++i) EXPECT_EQ(busy.hits[i].load(), 1);
    }
    Coverage again(20);
    SlowSplit(helper, again);
    EXPECT_EQ(again.threads.size(), 2u);
  }
  EXPECT_EQ(helper.shared_splits(), 2u);
  const IdleHelper::Call none(nullptr);  // allowed, counts nothing
}

// Quick items: the caller often runs out before the helper wakes, and calls
// it off; the next split must still find it ready.
TEST(IdleHelperTest, CalledOffHelperServesTheNextSplit) {
  IdleHelper helper;
  for (int round = 0; round < 2000; ++round) {
    Coverage coverage(IdleHelper::kMinSplit);
    helper.Split(IdleHelper::kMinSplit,
                 [&](size_t begin, size_t end) { coverage.Run(begin, end); });
    for (size_t i = 0; i < IdleHelper::kMinSplit; ++i) ASSERT_EQ(coverage.hits[i].load(), 1);
  }
  Coverage slow(20);
  SlowSplit(helper, slow);
  EXPECT_EQ(slow.threads.size(), 2u);
}

TEST(IdleHelperTest, CallersRacingForTheHelperAllFinishCorrectly) {
  IdleHelper helper;
  constexpr int kThreads = 6;
  constexpr int kRounds = 100;
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        const size_t n = 8 + static_cast<size_t>((t * 31 + round * 7) % 90);
        std::vector<int> seen(n, 0);  // disjoint ranges: no two threads write one slot
        helper.Split(n, [&](size_t begin, size_t end) {
          // A few microseconds an item, so that the helper often joins in.
          const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(5);
          while (std::chrono::steady_clock::now() < until) {
          }
          for (size_t i = begin; i < end; ++i) ++seen[i];
        });
        for (int count : seen) wrong += count != 1;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_GT(helper.shared_splits(), 0u);
  EXPECT_LE(helper.shared_splits(), static_cast<size_t>(kThreads * kRounds));
}

using tsan_scale::kUnderTsan;

// Exact, so that a score differing in its last bit shows.
std::string Hex(float value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%a", static_cast<double>(value));
  return text;
}

std::string Render(const std::vector<Recommendation>& list) {
  std::string out;
  for (const Recommendation& rec : list) {
    out += rec.firm_id + " " + Hex(rec.score) + " |";
    for (const PhraseMatch& match : rec.explanation.need_offer) {
      out += " " + match.need + "->" + match.offer + "=" + Hex(match.similarity);
    }
    for (const SimilarPhrases& similar : rec.explanation.similar_offers) {
      out += " " + similar.query_phrase + "~" + similar.candidate_phrase;
    }
    for (const std::string& material : rec.explanation.shared_materials) out += " m:" + material;
    out += "\n";
  }
  return out;
}

// The same store opened with and without the helper: every intent, for
// many firms, gives the same list, scores and explanations.
TEST(IdleHelperTest, RecommendIsTheSameWithAndWithoutTheHelper) {
  store_test::ScratchDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir.File("helper.db");
  const std::vector<Firm> firms = GenerateSampleCluster(SampleOptions{});
  EngineOptions options;
  options.db_path = path;
  tsan_scale::ShrinkModel(options);
  {
    auto writer = Engine::Open(options);
    ASSERT_TRUE(writer.ok()) << writer.status();
    ASSERT_TRUE((*writer)->ImportFirms(firms).ok());
  }
  options.read_only = true;
  options.idle_helper = true;
  auto with = Engine::Open(options);
  options.idle_helper = false;
  auto without = Engine::Open(options);
  ASSERT_TRUE(with.ok() && without.ok());

  const size_t step = kUnderTsan ? 37 : 7;
  size_t compared = 0;
  for (MatchIntent intent : {MatchIntent::kPartner, MatchIntent::kPeer, MatchIntent::kPurchasing}) {
    for (size_t i = 0; i < firms.size(); i += step) {
      RecommendRequest request;
      request.firm_id = firms[i].id;
      request.intent = intent;
      request.k = 10;
      auto a = (*with)->Recommend(request);
      auto b = (*without)->Recommend(request);
      ASSERT_EQ(a.ok(), b.ok()) << firms[i].id;
      if (!a.ok()) continue;
      ASSERT_EQ(Render(*a), Render(*b)) << firms[i].id;
      compared += !a->empty();
    }
  }
  EXPECT_GT(compared, firms.size() / step);
}

}  // namespace
}  // namespace clustermatch
