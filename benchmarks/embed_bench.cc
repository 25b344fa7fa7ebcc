// Per-profile embedding and per-query recommendation cost on the sample
// cluster, with an exact single-field Faiss search as the baseline measured
// in the same run. Run: OPENBLAS_NUM_THREADS=1 build/benchmarks/embed_bench
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>

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
// field over the same firms, with no scoring or explanation.
void BM_ExactFieldSearchBaseline(benchmark::State& state) {
  const TextModel& model = TrainedModel();
  FirmVectorIndex index(model.dimension());
  int64_t key = 0;
  std::vector<FirmVectors> vectors;
  for (const Firm& firm : SampleFirms()) {
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
BENCHMARK(BM_ExactFieldSearchBaseline);

void BM_RecommendPartnerWithExplanations(benchmark::State& state) {
  const std::string path = "/tmp/embed_bench_" + std::to_string(getpid()) + ".db";
  std::filesystem::remove(path);
  EngineOptions options;
  options.db_path = path;
  auto engine = Engine::Open(options);
  if (!engine.ok() || !(*engine)->ImportFirms(SampleFirms()).ok()) {
    state.SkipWithError("could not build the sample store");
    return;
  }
  RecommendRequest request;
  request.k = static_cast<int>(state.range(0));
  size_t i = 0;
  for (auto _ : state) {
    request.firm_id = SampleFirms()[i++ % SampleFirms().size()].id;
    benchmark::DoNotOptimize((*engine)->Recommend(request));
  }
  state.SetItemsProcessed(state.iterations());
  engine->reset();
  for (const char* suffix : {"", "-wal", "-shm", ".lock"}) std::filesystem::remove(path + suffix);
}
BENCHMARK(BM_RecommendPartnerWithExplanations)->Arg(10)->Arg(20);

}  // namespace
}  // namespace clustermatch

BENCHMARK_MAIN();
