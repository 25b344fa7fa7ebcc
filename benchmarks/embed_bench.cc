// Per-profile embedding and per-query recommendation cost on the sample
// cluster, with an exact single-field Faiss search as the baseline measured
// in the same run. Run: OPENBLAS_NUM_THREADS=1 build/benchmarks/embed_bench
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <deque>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "engine/engine.h"
#include "engine/firm_texts.h"
#include "engine/sample_cluster.h"

namespace clustermatch {
namespace {

const std::vector<Firm>& SampleFirms() {
  static const auto* firms = new std::vector<Firm>(GenerateSampleCluster(SampleOptions{}));
  return *firms;
}

const TextModel& TrainedModel() {
  static const TextModel* model = [] {
    std::vector<const Firm*> pointers;
    for (const Firm& firm : SampleFirms()) pointers.push_back(&firm);
    return new TextModel(*TextModel::Train(TrainingDocuments(pointers), TextModelOptions{}));
  }();
  return *model;
}

void BM_TrainModel(benchmark::State& state) {
  std::vector<const Firm*> pointers;
  for (const Firm& firm : SampleFirms()) pointers.push_back(&firm);
  const std::vector<std::string> documents = TrainingDocuments(pointers);
  for (auto _ : state) {
    benchmark::DoNotOptimize(TextModel::Train(documents, TextModelOptions{}));
  }
  state.counters["documents"] = static_cast<double>(documents.size());
}
BENCHMARK(BM_TrainModel)->Unit(benchmark::kMillisecond);

void BM_EmbedFirm(benchmark::State& state) {
  const TextModel& model = TrainedModel();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(EmbedFirm(model, SampleFirms()[i++ % SampleFirms().size()]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EmbedFirm);

// The baseline for the recommendation cost: one exact Faiss search of one
// field over the same firms, with no scoring or explanation. Arg: firms.
void BM_ExactFieldSearchBaseline(benchmark::State& state) {
  const auto firms = static_cast<int>(state.range(0));
  const std::vector<Firm> sample = firms == static_cast<int>(SampleFirms().size())
                                       ? SampleFirms()
                                       : GenerateSampleCluster(SampleOptions{.firms = firms});
  std::vector<const Firm*> pointers;
  for (const Firm& firm : sample) pointers.push_back(&firm);
  const TextModel model = firms == static_cast<int>(SampleFirms().size())
                              ? TrainedModel()
                              : *TextModel::Train(TrainingDocuments(pointers), TextModelOptions{});
  FirmVectorIndex index(model.dimension());
  int64_t key = 0;
  std::vector<FirmVectors> vectors;
  for (const Firm& firm : sample) {
    vectors.push_back(EmbedFirm(model, firm));
    FirmFacets facets;
    facets.key = ++key;
    if (!index.Upsert(facets, vectors.back()).ok()) {
      state.SkipWithError("upsert failed");
      return;
    }
  }
  size_t i = 0;
  const SearchFilter filter;
  for (auto _ : state) {
    const auto& query = vectors[i++ % vectors.size()].fields[static_cast<int>(VectorField::kTopic)];
    benchmark::DoNotOptimize(index.Search(VectorField::kTopic, query, 50, filter));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ExactFieldSearchBaseline)->Arg(420)->Arg(1000)->Unit(benchmark::kMillisecond);

// A store of the sample cluster at `firms` firms, opened once per size and
// kept for the whole run (the model is trained on import).
struct SampleStore {
  std::string path;
  std::vector<Firm> firms;
  std::unique_ptr<Engine> engine;  // with the idle helper (the default)
  std::unique_ptr<Engine> alone;   // the same store read-only, without it
};

// A deque, so that adding a store keeps the others where they are.
std::deque<SampleStore>& Stores() {
  static auto* stores = new std::deque<SampleStore>();
  return *stores;
}

const SampleStore* StoreOf(int firms) {
  for (const SampleStore& store : Stores()) {
    if (static_cast<int>(store.firms.size()) == firms) return &store;
  }
  SampleStore store;
  store.path = "/tmp/embed_bench_" + std::to_string(getpid()) + "_" + std::to_string(firms) + ".db";
  std::filesystem::remove(store.path);
  store.firms = firms == static_cast<int>(SampleFirms().size())
                    ? SampleFirms()
                    : GenerateSampleCluster(SampleOptions{.firms = firms});
  EngineOptions options;
  options.db_path = store.path;
  auto engine = Engine::Open(options);
  if (!engine.ok() || !(*engine)->ImportFirms(store.firms).ok()) return nullptr;
  store.engine = std::move(*engine);
  options.read_only = true;
  options.idle_helper = false;
  auto alone = Engine::Open(options);
  if (!alone.ok()) return nullptr;
  store.alone = std::move(*alone);
  Stores().push_back(std::move(store));
  return &Stores().back();
}

void RemoveStores() {
  for (SampleStore& store : Stores()) {
    store.alone.reset();
    store.engine.reset();
    for (const char* suffix : {"", "-wal", "-shm", ".lock"}) {
      std::filesystem::remove(store.path + suffix);
    }
  }
  Stores().clear();
}

// Args: k, firms in the sample cluster. `helper`: the engine lends half of
// each call's candidates to its idle helper thread (EngineOptions::idle_helper).
void RecommendWithExplanations(benchmark::State& state, MatchIntent intent, bool helper = true) {
  const SampleStore* store = StoreOf(static_cast<int>(state.range(1)));
  if (store == nullptr) {
    state.SkipWithError("could not build the sample store");
    return;
  }
  RecommendRequest request;
  request.intent = intent;
  request.k = static_cast<int>(state.range(0));
  size_t i = 0;
  for (auto _ : state) {
    request.firm_id = store->firms[i++ % store->firms.size()].id;
    benchmark::DoNotOptimize((helper ? store->engine : store->alone)->Recommend(request));
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_RecommendPartnerWithExplanations(benchmark::State& state) {
  RecommendWithExplanations(state, MatchIntent::kPartner);
}
BENCHMARK(BM_RecommendPartnerWithExplanations)
    ->Args({10, 420})
    ->Args({20, 420})
    ->Args({10, 1000})
    ->Args({20, 1000})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The same calls on one thread only: the baseline of the idle helper.
void BM_RecommendPartnerAlone(benchmark::State& state) {
  RecommendWithExplanations(state, MatchIntent::kPartner, /*helper=*/false);
}
BENCHMARK(BM_RecommendPartnerAlone)
    ->Args({10, 420})
    ->Args({10, 1000})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_RecommendPeerWithExplanations(benchmark::State& state) {
  RecommendWithExplanations(state, MatchIntent::kPeer);
}
BENCHMARK(BM_RecommendPeerWithExplanations)
    ->Args({10, 420})
    ->Args({10, 1000})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_RecommendPurchasingWithExplanations(benchmark::State& state) {
  RecommendWithExplanations(state, MatchIntent::kPurchasing);
}
BENCHMARK(BM_RecommendPurchasingWithExplanations)
    ->Args({10, 420})
    ->Args({10, 1000})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Free-text search with explanations; args: k, firms.
void BM_SearchWithExplanations(benchmark::State& state) {
  const SampleStore* store = StoreOf(static_cast<int>(state.range(1)));
  if (store == nullptr) {
    state.SkipWithError("could not build the sample store");
    return;
  }
  SearchRequest request;
  request.k = static_cast<int>(state.range(0));
  size_t i = 0;
  for (auto _ : state) {
    const Firm& firm = store->firms[i++ % store->firms.size()];
    request.text = firm.offers.empty() ? firm.name : firm.offers.front();
    benchmark::DoNotOptimize(store->engine->Search(request));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SearchWithExplanations)
    ->Args({10, 420})
    ->Args({10, 1000})
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace clustermatch

int main(int argc, char** argv) {
  // As the clustermatch binary (server/main.cc): no deadlock-cycle checks.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  clustermatch::RemoveStores();
  benchmark::Shutdown();
  return 0;
}
