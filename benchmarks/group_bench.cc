// Group workflows on a real engine over the sample cluster: SIGs, founders,
// a consortium and purchasing pools, with a free-text search (k=10) on the
// same engine as the baseline measured in the same run. The SIG case also
// runs at 2,000 firms.
// Run: OPENBLAS_NUM_THREADS=1 build/benchmarks/group_bench
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "engine/consortium_workflow.h"
#include "engine/engine.h"
#include "engine/founder_workflow.h"
#include "engine/purchasing_workflow.h"
#include "engine/sample_cluster.h"
#include "engine/sig_workflow.h"

namespace clustermatch {
namespace {

// One engine per cluster size, on a store in a temporary folder removed at
// exit.
std::filesystem::path BenchDir() {
  return std::filesystem::temp_directory_path() / ("cm_group_bench_" + std::to_string(getpid()));
}

void RemoveBenchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(BenchDir(), ignored);
}

const Engine& SampleEngine(int firms) {
  static auto* engines = new std::map<int, std::unique_ptr<Engine>>();
  auto it = engines->find(firms);
  if (it != engines->end()) return *it->second;
  const std::filesystem::path dir = BenchDir();
  if (engines->empty()) std::atexit(RemoveBenchDir);
  std::filesystem::create_directories(dir);
  EngineOptions options;
  options.db_path = (dir / ("sample" + std::to_string(firms) + ".db")).string();
  std::unique_ptr<Engine> engine = *Engine::Open(options);
  SampleOptions sample;
  sample.firms = firms;
  if (!engine->ImportFirms(GenerateSampleCluster(sample)).ok()) std::abort();
  return *engines->emplace(firms, std::move(engine)).first->second;
}

constexpr char kTopic[] = "immersive VR content, motion capture and 3D animation";

void BM_SearchBaseline(benchmark::State& state) {
  const Engine& engine = SampleEngine(420);
  SearchRequest request;
  request.text = kTopic;
  for (auto _ : state) benchmark::DoNotOptimize(engine.Search(request));
}
BENCHMARK(BM_SearchBaseline)->Unit(benchmark::kMillisecond);

void BM_Founders(benchmark::State& state) {
  const Engine& engine = SampleEngine(420);
  FounderRequest request;
  request.topic = kTopic;
  request.size = 6;
  request.min_research = 1;
  request.min_mini_clusters = 2;
  for (auto _ : state) benchmark::DoNotOptimize(ProposeFounders(engine, request));
}
BENCHMARK(BM_Founders)->Unit(benchmark::kMillisecond);

void BM_Consortium(benchmark::State& state) {
  const Engine& engine = SampleEngine(420);
  ConsortiumRequest request;
  request.call_text =
      "smart factory: machine vision inspection, PLC control software, precision machining";
  request.roles = {Role::kProduction, Role::kMarketing};
  request.min_size = 3;
  request.max_size = 5;
  for (auto _ : state) benchmark::DoNotOptimize(AssembleConsortium(engine, request));
}
BENCHMARK(BM_Consortium)->Unit(benchmark::kMillisecond);

void BM_Sigs(benchmark::State& state) {
  const Engine& engine = SampleEngine(static_cast<int>(state.range(0)));
  SigRequest request;
  request.min_size = 5;
  request.max_size = 12;
  request.convergence = 2;
  double cohesion = 0;
  size_t unplaced = 0;
  for (auto _ : state) {
    absl::StatusOr<SigReport> report = SuggestSigs(engine, request);
    cohesion = report->mean_cohesion;
    unplaced = report->unplaced.size();
  }
  state.counters["mean_cohesion"] = cohesion;
  state.counters["unplaced"] = static_cast<double>(unplaced);
}
BENCHMARK(BM_Sigs)->Arg(420)->Arg(2000)->Unit(benchmark::kMillisecond);

void BM_Pools(benchmark::State& state) {
  const Engine& engine = SampleEngine(420);
  PoolRequest request;
  request.min_size = 3;
  for (auto _ : state) benchmark::DoNotOptimize(ProposePurchasingPools(engine, request));
}
BENCHMARK(BM_Pools)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace clustermatch

BENCHMARK_MAIN();
