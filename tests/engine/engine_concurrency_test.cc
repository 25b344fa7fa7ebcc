// Readers and writers on one Engine at once: queries keep running (and keep
// answering correctly) while firms are created, updated and deleted,
// relations recorded and the model retrained, and every acknowledged write is
// there afterwards. Also the point of the engine's locking: a slow write
// (a large import that retrains) does not hold queries up.
//
// scripts/tsan.sh builds this binary alone under ThreadSanitizer.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "engine/engine.h"
#include "engine/sample_cluster.h"
#include "tests/engine/store_test_support.h"
#include "tests/engine/tsan_scale.h"

namespace clustermatch {
namespace {

using store_test::ScratchDir;

// ThreadSanitizer makes every step several times slower: its run uses
// smaller sizes (scripts/tsan.sh).
using tsan_scale::kUnderTsan;

// Collects what went wrong on any thread; the test fails on the first few.
class Problems {
 public:
  void Add(const std::string& what) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (list_.size() < 20) list_.push_back(what);
    ++count_;
  }
  void ExpectNone() {
    std::lock_guard<std::mutex> lock(mutex_);
    EXPECT_EQ(count_, 0u) << ::testing::PrintToString(list_);
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> list_;
  size_t count_ = 0;
};

std::string StatusText(const absl::Status& status) {
  return std::string(absl::StatusCodeToString(status.code())) + ": " +
         std::string(status.message());
}

class EngineConcurrencyTest : public ::testing::Test {
 protected:
  std::unique_ptr<Engine> Open(bool read_only) {
    EngineOptions options;
    options.db_path = path_;
    options.read_only = read_only;
    tsan_scale::ShrinkModel(options);
    auto engine = Engine::Open(options);
    EXPECT_TRUE(engine.ok()) << engine.status();
    return engine.ok() ? *std::move(engine) : nullptr;
  }

  ScratchDir dir_;
  const std::string path_ = dir_.File("engine.db");
};

// The firms created during the run: "W-<i>", every fourth hidden, every
// third deleted again by the writer that made it.
constexpr int kCreates = kUnderTsan ? 24 : 45;
std::string CreatedId(int i) { return "W-" + std::to_string(1000 + i); }
bool CreatedHidden(int i) { return i % 4 == 0; }
bool CreatedDeleted(int i) { return i % 3 == 1; }

TEST_F(EngineConcurrencyTest, ReadersAndWritersTogetherStayConsistent) {
  ASSERT_TRUE(dir_.ok());
  std::unique_ptr<Engine> engine = Open(false);
  ASSERT_NE(engine, nullptr);
  // Templates for created firms come after the stored ones.
  constexpr int kInitial = kUnderTsan ? 150 : 260;
  const std::vector<Firm> sample = GenerateSampleCluster({.firms = kInitial + kCreates, .seed = 3});
  const std::vector<Firm> initial(sample.begin(), sample.begin() + kInitial);
  ASSERT_TRUE(engine->ImportFirms(initial).ok());
  const int64_t first_version = engine->Stats().model_version;

  // Ids readers may meet, and those they must never be shown.
  absl::flat_hash_set<std::string> hidden;
  std::vector<std::string> stable;  // stored, visible, never deleted
  for (const Firm& firm : initial) {
    if (firm.visibility == Visibility::kHidden) {
      hidden.insert(firm.id);
    } else {
      stable.push_back(firm.id);
    }
  }
  std::vector<Firm> to_create;
  for (int i = 0; i < kCreates; ++i) {
    Firm firm = sample[kInitial + static_cast<size_t>(i)];
    firm.id = CreatedId(i);
    firm.visibility = CreatedHidden(i) ? Visibility::kHidden : Visibility::kPublic;
    if (CreatedHidden(i)) hidden.insert(firm.id);
    to_create.push_back(std::move(firm));
  }
  ASSERT_FALSE(hidden.empty());
  ASSERT_GT(stable.size(), 120u);  // writer 3 pairs stable[i] with stable[i + 80]

  Problems problems;
  std::atomic<int> writers_running{3};
  std::atomic<int64_t> reads{0};
  auto check_results = [&](const std::string& what,
                           const absl::StatusOr<std::vector<Recommendation>>& results,
                           const std::string& query_id) {
    if (!results.ok()) {
      problems.Add(what + ": " + StatusText(results.status()));
      return;
    }
    for (const Recommendation& rec : *results) {
      if (hidden.contains(rec.firm_id)) problems.Add(what + " returned hidden " + rec.firm_id);
      if (rec.firm_id == query_id) problems.Add(what + " returned the query firm");
    }
  };

  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 random(static_cast<unsigned>(17 + t));
      auto pick = [&](const std::vector<std::string>& ids) {
        return ids[std::uniform_int_distribution<size_t>(0, ids.size() - 1)(random)];
      };
      const std::vector<std::string> texts = {"CNC machining", "배터리 팩 조립", "VR content",
                                              "MES software", "금형 설계"};
      // At least a few rounds, however fast the writers are.
      for (int round = 0; round < 5 || writers_running.load() > 0; ++round) {
        RecommendRequest request;
        request.firm_id = pick(stable);
        request.intent = static_cast<MatchIntent>(round % 3);
        request.k = 8;
        check_results("Recommend(" + request.firm_id + ")", engine->Recommend(request),
                      request.firm_id);

        SearchRequest search;
        search.text = texts[static_cast<size_t>(round) % texts.size()];
        search.k = 8;
        check_results("Search(" + search.text + ")", engine->Search(search), "");

        const std::string stable_id = pick(stable);
        if (absl::StatusOr<Firm> firm = engine->GetFirm(stable_id); !firm.ok()) {
          problems.Add("GetFirm(" + stable_id + "): " + StatusText(firm.status()));
        }
        const std::string created_id = CreatedId(round % kCreates);
        if (absl::StatusOr<Firm> firm = engine->GetFirm(created_id);
            !firm.ok() && !absl::IsNotFound(firm.status())) {
          problems.Add("GetFirm(" + created_id + "): " + StatusText(firm.status()));
        }
        request.firm_id = created_id;
        if (auto results = engine->Recommend(request); !absl::IsNotFound(results.status())) {
          check_results("Recommend(" + created_id + ")", results, created_id);
        }

        const std::string after = pick(stable);
        const std::vector<Firm> page = engine->ListFirmsPage(
            after, 20, [](const Firm& firm) { return firm.visibility != Visibility::kHidden; });
        for (size_t i = 0; i < page.size(); ++i) {
          const bool ordered = page[i].id > (i == 0 ? after : page[i - 1].id);
          if (!ordered) problems.Add("ListFirmsPage out of order at " + page[i].id);
          if (page[i].visibility == Visibility::kHidden) problems.Add("page kept a hidden firm");
        }
        if (page.size() > 20) problems.Add("ListFirmsPage over its limit");

        const EngineStats stats = engine->Stats();
        if (stats.indexed != stats.firms) {
          problems.Add("Stats: " + std::to_string(stats.indexed) + " indexed of " +
                       std::to_string(stats.firms) + " firms");
        }
        reads += 6;
      }
    });
  }

  // Writer 1: creates firms, deletes some of them again.
  std::vector<bool> created(kCreates, false);
  std::vector<bool> deleted(kCreates, false);
  threads.emplace_back([&] {
    for (int i = 0; i < kCreates; ++i) {
      absl::StatusOr<Firm> firm = engine->CreateFirm(to_create[static_cast<size_t>(i)]);
      if (!firm.ok()) {
        problems.Add("CreateFirm(" + CreatedId(i) + "): " + StatusText(firm.status()));
        continue;
      }
      created[static_cast<size_t>(i)] = true;
      if (CreatedDeleted(i)) {
        absl::Status status = engine->DeleteFirm(CreatedId(i));
        if (status.ok()) {
          deleted[static_cast<size_t>(i)] = true;
        } else {
          problems.Add("DeleteFirm(" + CreatedId(i) + "): " + StatusText(status));
        }
      }
    }
    --writers_running;
  });

  // Writer 2: appends a technology to stable firms, one update at a time.
  constexpr int kUpdates = kUnderTsan ? 24 : 45;
  std::vector<std::pair<std::string, std::string>> updates;  // acknowledged (id, technology)
  threads.emplace_back([&] {
    for (int i = 0; i < kUpdates; ++i) {
      const std::string id = stable[static_cast<size_t>(i * 7) % stable.size()];
      const std::string tech = "concurrency-tech-" + std::to_string(i);
      absl::StatusOr<Firm> firm = engine->UpdateFirm(id, [&](Firm& f) {
        f.technologies.push_back(tech);
        return absl::OkStatus();
      });
      if (firm.ok()) {
        updates.emplace_back(id, tech);
      } else {
        problems.Add("UpdateFirm(" + id + "): " + StatusText(firm.status()));
      }
    }
    --writers_running;
  });

  // Writer 3: records relations, and retrains once half way.
  constexpr int kRelationBatches = kUnderTsan ? 16 : 30;
  std::vector<Relation> relations;  // acknowledged
  int64_t trained_version = 0;
  threads.emplace_back([&] {
    for (int i = 0; i < kRelationBatches; ++i) {
      if (i == kRelationBatches / 2) {
        absl::StatusOr<int64_t> version = engine->Train();
        if (version.ok()) {
          trained_version = *version;
        } else {
          problems.Add("Train: " + StatusText(version.status()));
        }
      }
      const std::vector<Relation> batch = {
          {stable[static_cast<size_t>(i)], stable[static_cast<size_t>(i) + 40], RelationKind::kMet,
           "2024-03-01", "event-" + std::to_string(i)},
          {stable[static_cast<size_t>(i) + 1], stable[static_cast<size_t>(i) + 80],
           RelationKind::kDeclined, "2024", ""},
      };
      absl::Status status = engine->AddRelations(batch);
      if (status.ok()) {
        relations.insert(relations.end(), batch.begin(), batch.end());
      } else {
        problems.Add("AddRelations: " + StatusText(status));
      }
    }
    --writers_running;
  });

  for (std::thread& thread : threads) thread.join();
  problems.ExpectNone();
  EXPECT_GT(reads.load(), 0);
  EXPECT_GT(trained_version, first_version);

  auto check_state = [&](const Engine& e) {
    size_t live_created = 0;
    for (int i = 0; i < kCreates; ++i) {
      const absl::StatusOr<Firm> firm = e.GetFirm(CreatedId(i));
      ASSERT_TRUE(created[static_cast<size_t>(i)]) << CreatedId(i);
      if (deleted[static_cast<size_t>(i)]) {
        EXPECT_TRUE(absl::IsNotFound(firm.status())) << CreatedId(i);
      } else {
        ASSERT_TRUE(firm.ok()) << CreatedId(i) << " " << firm.status();
        EXPECT_EQ(*firm, to_create[static_cast<size_t>(i)]);
        ++live_created;
      }
    }
    for (const auto& [id, tech] : updates) {
      const absl::StatusOr<Firm> firm = e.GetFirm(id);
      ASSERT_TRUE(firm.ok()) << id;
      EXPECT_THAT(firm->technologies, ::testing::Contains(tech)) << id;
    }
    EXPECT_EQ(updates.size(), static_cast<size_t>(kUpdates));
    EXPECT_EQ(e.ListRelations(), relations);
    const EngineStats stats = e.Stats();
    EXPECT_EQ(stats.firms, initial.size() + live_created);
    EXPECT_EQ(stats.indexed, stats.firms);
    EXPECT_EQ(stats.firms, e.ListFirms().size());
    EXPECT_EQ(stats.relations, relations.size());
    EXPECT_EQ(stats.model_version, trained_version);
  };
  check_state(*engine);
  engine.reset();
  std::unique_ptr<Engine> reopened = Open(true);
  ASSERT_NE(reopened, nullptr);
  check_state(*reopened);
}

TEST_F(EngineConcurrencyTest, QueriesCompleteWhileALargeImportRetrains) {
  ASSERT_TRUE(dir_.ok());
  std::unique_ptr<Engine> engine = Open(false);
  ASSERT_NE(engine, nullptr);
  constexpr int kStored = kUnderTsan ? 100 : 200;
  constexpr int kImported = kUnderTsan ? 600 : 1500;
  std::vector<Firm> stored;
  std::vector<Firm> imported;
  GenerateSampleFirms({.firms = kStored + kImported, .seed = 5}, [&](const Firm& firm) {
    (stored.size() < kStored ? stored : imported).push_back(firm);
  });
  ASSERT_TRUE(engine->ImportFirms(stored).ok());
  std::vector<std::string> query_ids;
  for (const Firm& firm : stored) query_ids.push_back(firm.id);

  // 0: before the import, 1: during it, 2: after it returned.
  std::atomic<int> phase{0};
  std::atomic<bool> stop{false};
  std::atomic<int> during{0};  // calls that began and ended inside phase 1
  std::atomic<int> before{0};
  std::atomic<int64_t> slowest_us{0};  // the longest of those calls
  Problems problems;
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&, t] {
      for (size_t i = static_cast<size_t>(t); !stop.load(); ++i) {
        RecommendRequest request;
        request.firm_id = query_ids[i % query_ids.size()];
        const int started = phase.load();
        const auto call_start = std::chrono::steady_clock::now();
        absl::StatusOr<std::vector<Recommendation>> results = engine->Recommend(request);
        const auto call_us = std::chrono::duration_cast<std::chrono::microseconds>(
                                 std::chrono::steady_clock::now() - call_start)
                                 .count();
        const int ended = phase.load();
        if (!results.ok()) problems.Add(StatusText(results.status()));
        if (started == 1 && ended == 1) {
          ++during;
          int64_t slowest = slowest_us.load();
          while (call_us > slowest && !slowest_us.compare_exchange_weak(slowest, call_us)) {
          }
        }
        if (started == 0) ++before;
        // A pause leaves the import a core of its own on small machines.
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    });
  }
  // Let the readers get going, so that the import starts among them.
  while (before.load() < 4) std::this_thread::yield();

  phase = 1;
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<ImportSummary> summary = engine->ImportFirms(imported);
  phase = 2;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  stop = true;
  for (std::thread& reader : readers) reader.join();

  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_TRUE(summary->retrained);
  EXPECT_EQ(summary->created, static_cast<size_t>(kImported));
  problems.ExpectNone();
  // The import held the engine's exclusive lock only to swap in the new model
  // and index: queries went on meanwhile.
  EXPECT_GT(during.load(), 0) << "no query completed during a " << seconds << " s import";
  std::printf("%d queries completed during the %.2f s import of %d firms (slowest %.1f ms)\n",
              during.load(), seconds, kImported, static_cast<double>(slowest_us.load()) / 1000);
  const EngineStats stats = engine->Stats();
  EXPECT_EQ(stats.firms, static_cast<size_t>(kStored + kImported));
  EXPECT_EQ(stats.indexed, stats.firms);
}

}  // namespace
}  // namespace clustermatch
