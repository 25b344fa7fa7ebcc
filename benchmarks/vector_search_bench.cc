// Vector search at 10k to 1M firms (issue 6): FirmVectorIndex (exact, and
// approximate at several ef, with float rows and with SQ8 rows) against a
// memory-bandwidth floor, the project's exact-scan kernel, Faiss as packaged
// (flat, HNSW, IVF) and native hnswlib, all on the same topic embeddings of
// sample firms, unfiltered and under a ~25% and a ~1% filter. Every search
// benchmark reports QPS and recall@10 against the exact top-10 of its scope;
// build benchmarks report firms/s. FirmVectorIndex runs also report
// bytes_per_firm (MemoryBytes over the firms: every field's rows and graph,
// slots and maps).
//
// Size: CM_BENCH_N (or --cm_n=), default 100000; seed CM_BENCH_SEED
// (--cm_seed=), default 1; cache dir CM_BENCH_CACHE (--cm_cache=), default
// <build dir>/bench-cache. Run and summarise:
//   OPENBLAS_NUM_THREADS=1 CM_BENCH_N=100000 build/benchmarks/vector_search_bench
//       --benchmark_out=vs.json --benchmark_out_format=json   (one line)
//   python3 benchmarks/summarise_vector_bench.py vs.json
// The 1M run is the same with CM_BENCH_N=1000000 (about 1 GB per index copy;
// the first run embeds 1M texts, and every HNSW build takes minutes on 2
// cores, so a subset may be chosen with --benchmark_filter, e.g.
// '^(floor/sum|exact_scan|faiss_flat/batch|build/hnswlib/|hnswlib/|
// hnswlib_postfilter/auto/one|cm_exact|build/cm_exact|build/cm_hnsw_ef:64|
// cm_hnsw/ef:64)' as one word, and --benchmark_min_time=0.3).
// The text model is trained on the first CM_BENCH_TRAIN_FIRMS (default
// 20000) firms' texts; an untrained hashing model of d=256 is used only if
// training fails. Indexes are built one at a time and dropped when the next
// method starts; build benchmarks run once (Iterations(1)).
#include <benchmark/benchmark.h>
#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIVFFlat.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "benchmarks/hnswlib_peer.h"
#include "benchmarks/vector_bench_data.h"
#include "benchmarks/vector_bench_harness.h"
#include "benchmarks/vector_bench_indexes.h"
#include "engine/vector_index.h"
#include "engine/vector_kernels.h"

#ifndef CM_BENCH_DEFAULT_CACHE
#define CM_BENCH_DEFAULT_CACHE "bench-cache"
#endif

namespace clustermatch {
namespace {

constexpr int kEfs[] = {16, 32, 64, 128};
constexpr int kNprobes[] = {8, 16, 32, 64};
constexpr double kPostFilterTargetRecall = 0.95;

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A FirmVectorIndex run: exact (ef 0) or a graph searched at ef, float or
// SQ8 rows, built in one UpsertMany (batch 0) or grown in batches.
struct CmRun {
  int ef = 0;
  RowFormat format = RowFormat::kFloat32;
  size_t batch = 0;
};

// Batches of an index grown by writes, for cm_hnsw_grown.
constexpr size_t kGrowthBatch = 4096;

std::string CmMethod(const CmRun& run) {
  if (run.ef == 0) return "cm_exact";
  if (run.batch != 0) return "cm_hnsw_grown";
  return run.format == RowFormat::kSq8 ? "cm_hnsw_sq8" : "cm_hnsw";
}

std::string CmParam(const CmRun& run) {
  return run.ef == 0 ? "exact" : "ef:" + std::to_string(run.ef);
}

std::string CmName(const CmRun& run) { return CmMethod(run) + "/" + CmParam(run); }

std::shared_ptr<FirmVectorIndex> ObtainCm(const CmRun& run, double* seconds) {
  return Obtain<FirmVectorIndex>(
      CmName(run), [run] { return BuildCm(Data(), run.ef, run.format, run.batch); }, seconds);
}

// ---------------------------------------------------------------------------
// Benchmarks.

void BM_FloorSumFloats(benchmark::State& state) {
  float sink = 0;
  for (auto _ : state) {
    sink += SumFloats(Data().rows.data(), Data().rows.size());
    benchmark::DoNotOptimize(sink);
  }
  state.counters["GB/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * MatrixBytes() / 1e9, benchmark::Counter::kIsRate);
}

// The same bytes read by plain C++ with eight independent accumulators,
// compiled with the project's flags (no -march): a portable reference.
void BM_FloorScalarRead(benchmark::State& state) {
  const float* data = Data().rows.data();
  const size_t n = Data().rows.size();
  for (auto _ : state) {
    float acc[8] = {};
    for (size_t i = 0; i + 8 <= n; i += 8) {
      for (int j = 0; j < 8; ++j) acc[j] += data[i + j];
    }
    float sum = 0;
    for (float a : acc) sum += a;
    benchmark::DoNotOptimize(sum);
  }
  state.counters["GB/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * MatrixBytes() / 1e9, benchmark::Counter::kIsRate);
}

void BM_ExactScanKernel(benchmark::State& state) {
  std::vector<float> scores(Data().firms);
  RunQueries(state, Scope::kAll, [&](int q, std::vector<int64_t>& ids, std::vector<float>& out) {
    InnerProductRows(Data().query(q), Data().rows.data(), Data().firms, kBenchDimension,
                     scores.data());
    TopK(scores.data(), Data().firms, nullptr, kBenchK, ids, out);
    return true;
  });
  state.counters["GB/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * MatrixBytes() / 1e9, benchmark::Counter::kIsRate);
}

bool FaissSearch(const faiss::Index& index, int q, int k, std::vector<int64_t>& ids,
                 std::vector<float>& scores) {
  std::vector<faiss::Index::idx_t> labels(static_cast<size_t>(k));
  scores.resize(static_cast<size_t>(k));
  index.search(1, Data().query(q), k, scores.data(), labels.data());
  ids.assign(labels.begin(), labels.end());
  while (!ids.empty() && ids.back() < 0) {
    ids.pop_back();
    scores.pop_back();
  }
  return true;
}

void BM_FaissFlatSingle(benchmark::State& state) {
  omp_set_num_threads(1);
  auto index = Obtain<faiss::IndexFlatIP>("faiss_flat", [] { return BuildFaissFlat(Data()); });
  RunQueries(state, Scope::kAll, [&](int q, std::vector<int64_t>& ids, std::vector<float>& s) {
    return FaissSearch(*index, q, kBenchK, ids, s);
  });
}

// All 1,000 queries in one search call (BLAS); QPS counts queries.
void BM_FaissFlatBatch(benchmark::State& state) {
  omp_set_num_threads(1);
  auto index = Obtain<faiss::IndexFlatIP>("faiss_flat", [] { return BuildFaissFlat(Data()); });
  std::vector<float> scores(static_cast<size_t>(kBenchQueries) * kBenchK);
  std::vector<faiss::Index::idx_t> labels(scores.size());
  for (auto _ : state) {
    index->search(kBenchQueries, Data().queries.data(), kBenchK, scores.data(), labels.data());
    benchmark::DoNotOptimize(labels.data());
  }
  double recall = 0;
  for (int q = 0; q < kBenchQueries; ++q) {
    const std::vector<int64_t> ids(labels.begin() + q * kBenchK,
                                   labels.begin() + (q + 1) * kBenchK);
    recall += RecallAt(Data(), Scope::kAll, q, ids);
  }
  state.counters["recall@10"] =
      benchmark::Counter(recall / kBenchQueries, benchmark::Counter::kAvgThreads);
  state.counters["queries_checked"] = kBenchQueries;
  state.counters["QPS"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * kBenchQueries, benchmark::Counter::kIsRate);
  state.counters["selectivity"] = benchmark::Counter(1.0, benchmark::Counter::kAvgThreads);
}

void BM_BuildFaissHnsw(benchmark::State& state) {
  double seconds = 0;
  for (auto _ : state) {
    Obtain<faiss::IndexHNSWFlat>(
        "faiss_hnsw", [] { return BuildFaissHnsw(Data()); }, &seconds);
  }
  SetBuildCounters(state, seconds);
  state.counters["build_threads"] = 2;
}

void BM_FaissHnsw(benchmark::State& state, int ef) {
  omp_set_num_threads(1);
  double seconds = 0;
  auto index = Obtain<faiss::IndexHNSWFlat>(
      "faiss_hnsw", [] { return BuildFaissHnsw(Data()); }, &seconds);
  {
    // Faiss 1.7.3 ignores SearchParametersHNSW::efSearch: set it on the index.
    std::lock_guard<std::mutex> lock(IndexMutex());
    index->hnsw.efSearch = ef;
  }
  RunQueries(state, Scope::kAll, [&](int q, std::vector<int64_t>& ids, std::vector<float>& s) {
    return FaissSearch(*index, q, kBenchK, ids, s);
  });
  SetBuildCounters(state, seconds);
}

void BM_BuildFaissIvf(benchmark::State& state) {
  double seconds = 0;
  for (auto _ : state)
    Obtain<FaissIvf>(
        "faiss_ivf", [] { return BuildFaissIvf(Data()); }, &seconds);
  SetBuildCounters(state, seconds);
  state.counters["nlist"] = benchmark::Counter(IvfLists(Data()), benchmark::Counter::kAvgThreads);
  state.counters["build_threads"] = 2;
}

void BM_FaissIvf(benchmark::State& state, int nprobe) {
  omp_set_num_threads(1);
  double seconds = 0;
  auto ivf = Obtain<FaissIvf>(
      "faiss_ivf", [] { return BuildFaissIvf(Data()); }, &seconds);
  {
    std::lock_guard<std::mutex> lock(IndexMutex());
    ivf->index->nprobe = static_cast<size_t>(nprobe);
  }
  RunQueries(state, Scope::kAll, [&](int q, std::vector<int64_t>& ids, std::vector<float>& s) {
    return FaissSearch(*ivf->index, q, kBenchK, ids, s);
  });
  SetBuildCounters(state, seconds);
  state.counters["nlist"] = benchmark::Counter(IvfLists(Data()), benchmark::Counter::kAvgThreads);
}

// A throw-away single-threaded hnswlib build: insert throughput on 1 core.
void BM_BuildHnswlibOneThread(benchmark::State& state) {
  DropIndex();  // room for the throw-away copy
  double seconds = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(BuildHnswlib(Data(), 1));
    seconds = SecondsSince(start);
  }
  std::fprintf(stderr, "[build] hnswlib, 1 thread: %.2f s, %.0f firms/s\n", seconds,
               static_cast<double>(Data().firms) / seconds);
  SetBuildCounters(state, seconds);
  state.counters["build_threads"] = 1;
}

std::shared_ptr<HnswlibPeer> HnswlibTwoThreads() { return BuildHnswlib(Data(), 2); }

void BM_BuildHnswlib(benchmark::State& state) {
  double seconds = 0;
  for (auto _ : state) Obtain<HnswlibPeer>("hnswlib", HnswlibTwoThreads, &seconds);
  SetBuildCounters(state, seconds);
  state.counters["build_threads"] = 2;
}

void BM_Hnswlib(benchmark::State& state, int ef) {
  double seconds = 0;
  auto peer = Obtain<HnswlibPeer>("hnswlib", HnswlibTwoThreads, &seconds);
  {
    std::lock_guard<std::mutex> lock(IndexMutex());
    peer->SetEf(ef);
  }
  RunQueries(state, Scope::kAll, [&](int q, std::vector<int64_t>& ids, std::vector<float>& s) {
    peer->Search(Data().query(q), kBenchK, ids, s);
    return true;
  });
  SetBuildCounters(state, seconds);
}

// Over-fetch and post-filter: ask hnswlib for fetch = k / selectivity * factor
// results with ef = fetch, keep the first k that pass.
struct Overfetch {
  double factor = 0;
  int fetch = 0;
  double calibration_recall = 0;
};

bool PostFilterSearch(const HnswlibPeer& peer, Scope scope, int fetch, int q,
                      std::vector<int64_t>& ids, std::vector<float>& scores) {
  thread_local std::vector<int64_t> all_ids;
  thread_local std::vector<float> all_scores;
  peer.Search(Data().query(q), fetch, all_ids, all_scores);
  const std::vector<uint8_t>& passes = Data().scope(scope).passes;
  ids.clear();
  scores.clear();
  for (size_t i = 0; i < all_ids.size() && static_cast<int>(ids.size()) < kBenchK; ++i) {
    if (passes[static_cast<size_t>(all_ids[i])]) {
      ids.push_back(all_ids[i]);
      scores.push_back(all_scores[i]);
    }
  }
  return true;
}

// The smallest factor of a fixed ladder (up to fetch = all firms) whose
// recall on the first 200 queries (50 once fetch passes 4096) reaches
// kPostFilterTargetRecall, else the largest; cached per scope. A filter
// correlated with topic (a mini-cluster) needs a huge over-fetch, because the
// passing firms rank far below the query's own kind.
Overfetch Calibrate(HnswlibPeer& peer, Scope scope) {
  static std::map<int, Overfetch> cache;
  if (auto it = cache.find(static_cast<int>(scope)); it != cache.end()) return it->second;
  const double share = static_cast<double>(std::max<size_t>(1, Data().scope(scope).passing)) /
                       static_cast<double>(Data().firms);
  Overfetch chosen;
  std::vector<int64_t> ids;
  std::vector<float> scores;
  for (double factor : {1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0, 32.0, 64.0, 128.0,
                        256.0, 512.0, 1024.0, 4096.0}) {
    const int fetch = static_cast<int>(
        std::min<double>(static_cast<double>(Data().firms), std::ceil(kBenchK / share * factor)));
    peer.SetEf(fetch);
    double recall = 0;
    const int queries = std::min(fetch > 4096 ? 50 : 200, kBenchQueries);
    for (int q = 0; q < queries; ++q) {
      PostFilterSearch(peer, scope, fetch, q, ids, scores);
      recall += RecallAt(Data(), scope, q, ids);
    }
    chosen = Overfetch{factor, fetch, recall / queries};
    std::fprintf(stderr, "[calibrate] hnswlib post-filter %s: factor %.1f fetch %d recall %.4f\n",
                 Data().scope(scope).name.c_str(), factor, fetch, chosen.calibration_recall);
    if (chosen.calibration_recall >= kPostFilterTargetRecall ||
        fetch >= static_cast<int>(Data().firms)) {
      break;
    }
  }
  cache[static_cast<int>(scope)] = chosen;
  return chosen;
}

void BM_HnswlibPostFilter(benchmark::State& state, Scope scope) {
  double seconds = 0;
  auto peer = Obtain<HnswlibPeer>("hnswlib", HnswlibTwoThreads, &seconds);
  Overfetch overfetch;
  {
    std::lock_guard<std::mutex> lock(IndexMutex());
    overfetch = Calibrate(*peer, scope);
    peer->SetEf(overfetch.fetch);
  }
  RunQueries(state, scope, [&](int q, std::vector<int64_t>& ids, std::vector<float>& s) {
    return PostFilterSearch(*peer, scope, overfetch.fetch, q, ids, s);
  });
  state.counters["overfetch"] =
      benchmark::Counter(overfetch.factor, benchmark::Counter::kAvgThreads);
  state.counters["fetch"] = benchmark::Counter(overfetch.fetch, benchmark::Counter::kAvgThreads);
  state.counters["calibration_recall"] =
      benchmark::Counter(overfetch.calibration_recall, benchmark::Counter::kAvgThreads);
}

// FirmVectorIndex::MemoryBytes per firm. The bench fills the topic field
// only; the other three fields hold zero rows, which take the same row and
// graph memory as real vectors, so this is the memory of a firm with all
// four fields.
void SetMemoryCounter(benchmark::State& state, const FirmVectorIndex& index) {
  state.counters["bytes_per_firm"] =
      benchmark::Counter(static_cast<double>(index.MemoryBytes()) /
                             static_cast<double>(std::max<size_t>(Data().firms, 1)),
                         benchmark::Counter::kAvgThreads);
}

void BM_BuildCm(benchmark::State& state, CmRun run) {
  double seconds = 0;
  std::shared_ptr<FirmVectorIndex> index;
  for (auto _ : state) index = ObtainCm(run, &seconds);
  if (index == nullptr) {
    state.SkipWithError("FirmVectorIndex build failed");
    return;
  }
  SetBuildCounters(state, seconds);
  SetMemoryCounter(state, *index);
  state.counters["build_threads"] = run.ef == 0 ? 1 : 2;  // graphs link each batch on both cores
}

void BM_Cm(benchmark::State& state, CmRun run, Scope scope) {
  double seconds = 0;
  auto index = ObtainCm(run, &seconds);
  if (index == nullptr) {
    state.SkipWithError("FirmVectorIndex build failed");
    return;
  }
  const SearchFilter& filter = Data().scope(scope).filter;
  RunQueries(state, scope, [&](int q, std::vector<int64_t>& ids, std::vector<float>& scores) {
    absl::StatusOr<std::vector<SearchHit>> hits =
        index->Search(VectorField::kTopic, std::span<const float>(Data().query(q), kBenchDimension),
                      kBenchK, filter);
    if (!hits.ok()) {
      std::fprintf(stderr, "[cm] Search failed: %s\n",
                   std::string(hits.status().message()).c_str());
      return false;
    }
    ids.resize(hits->size());
    scores.resize(hits->size());
    for (size_t i = 0; i < hits->size(); ++i) {
      ids[i] = (*hits)[i].key - 1;
      scores[i] = (*hits)[i].score;
    }
    return true;
  });
  SetBuildCounters(state, seconds);
  SetMemoryCounter(state, *index);
}

// ---------------------------------------------------------------------------
// Registration, in the order that builds each index once.

void Searches(benchmark::internal::Benchmark* b) { b->UseRealTime()->Threads(1)->Threads(2); }

void Once(benchmark::internal::Benchmark* b) {
  b->Iterations(1)->UseRealTime()->Unit(benchmark::kSecond);
}

void RegisterAll() {
  using benchmark::RegisterBenchmark;
  RegisterBenchmark("floor/sum_floats/all", BM_FloorSumFloats)->Apply(Searches);
  RegisterBenchmark("floor/scalar_read/all", BM_FloorScalarRead)->Apply(Searches);
  RegisterBenchmark("exact_scan/kernel/all", BM_ExactScanKernel)->Apply(Searches);
  RegisterBenchmark("faiss_flat/single/all", BM_FaissFlatSingle)->Apply(Searches);
  RegisterBenchmark("faiss_flat/batch1000/all", BM_FaissFlatBatch)->Apply(Searches);
  RegisterBenchmark("build/faiss_hnsw/all", BM_BuildFaissHnsw)->Apply(Once);
  for (int ef : kEfs) {
    RegisterBenchmark(("faiss_hnsw/ef:" + std::to_string(ef) + "/all").c_str(), BM_FaissHnsw, ef)
        ->Apply(Searches);
  }
  RegisterBenchmark("build/faiss_ivf/all", BM_BuildFaissIvf)->Apply(Once);
  for (int nprobe : kNprobes) {
    RegisterBenchmark(("faiss_ivf/nprobe:" + std::to_string(nprobe) + "/all").c_str(), BM_FaissIvf,
                      nprobe)
        ->Apply(Searches);
  }
  RegisterBenchmark("build/hnswlib_1thread/all", BM_BuildHnswlibOneThread)->Apply(Once);
  RegisterBenchmark("build/hnswlib/all", BM_BuildHnswlib)->Apply(Once);
  for (int ef : kEfs) {
    RegisterBenchmark(("hnswlib/ef:" + std::to_string(ef) + "/all").c_str(), BM_Hnswlib, ef)
        ->Apply(Searches);
  }
  for (Scope scope : {Scope::kQuarter, Scope::kOnePercent}) {
    RegisterBenchmark(("hnswlib_postfilter/auto/" + Data().scope(scope).name).c_str(),
                      BM_HnswlibPostFilter, scope)
        ->Apply(Searches);
  }
  // Exact, float rows at every ef, SQ8 rows (cm_hnsw_sq8) at the same ef,
  // and float rows grown in batches (cm_hnsw_grown) at ef 64.
  std::vector<CmRun> cm_runs = {{}};
  for (int ef : kEfs) cm_runs.push_back({ef, RowFormat::kFloat32, 0});
  for (int ef : kEfs) cm_runs.push_back({ef, RowFormat::kSq8, 0});
  cm_runs.push_back({64, RowFormat::kFloat32, kGrowthBatch});
  for (const CmRun& run : cm_runs) {
    const std::string method = CmMethod(run);
    const std::string param = CmParam(run);
    RegisterBenchmark(("build/" + method + "_" + param + "/all").c_str(), BM_BuildCm, run)
        ->Apply(Once);
    for (Scope scope : {Scope::kVisible, Scope::kQuarter, Scope::kOnePercent}) {
      // FirmVectorIndex never returns hidden firms: its unfiltered scope is
      // "visible"; the summary shows it as unfiltered.
      RegisterBenchmark((method + "/" + param + "/" + Data().scope(scope).name).c_str(), BM_Cm, run,
                        scope)
          ->Apply(Searches);
    }
  }
}

// Removes --cm_<name>=<value> from argv into `value`; true if present.
bool TakeFlag(int& argc, char** argv, const std::string& name, std::string& value) {
  const std::string prefix = "--cm_" + name + "=";
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], prefix.c_str(), prefix.size()) == 0) {
      value = argv[i] + prefix.size();
      for (int j = i; j + 1 < argc; ++j) argv[j] = argv[j + 1];
      --argc;
      return true;
    }
  }
  return false;
}

BenchConfig ConfigFrom(int& argc, char** argv) {
  BenchConfig config;
  config.cache_dir = CM_BENCH_DEFAULT_CACHE;
  std::string value;
  if (const char* env = std::getenv("CM_BENCH_N")) config.firms = std::stoull(env);
  if (const char* env = std::getenv("CM_BENCH_SEED")) config.seed = std::stoull(env);
  if (const char* env = std::getenv("CM_BENCH_CACHE")) config.cache_dir = env;
  if (const char* env = std::getenv("CM_BENCH_TRAIN_FIRMS")) config.train_firms = std::stoi(env);
  if (TakeFlag(argc, argv, "n", value)) config.firms = std::stoull(value);
  if (TakeFlag(argc, argv, "seed", value)) config.seed = std::stoull(value);
  if (TakeFlag(argc, argv, "cache", value)) config.cache_dir = value;
  if (TakeFlag(argc, argv, "train_firms", value)) config.train_firms = std::stoi(value);
  return config;
}

}  // namespace
}  // namespace clustermatch

int main(int argc, char** argv) {
  using namespace clustermatch;
  const BenchConfig config = ConfigFrom(argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  absl::StatusOr<BenchData> data = LoadBenchData(config);
  if (!data.ok()) {
    std::fprintf(stderr, "vector_search_bench: %s\n", std::string(data.status().message()).c_str());
    return 1;
  }
  SetBenchData(&*data);
  benchmark::AddCustomContext("cm_firms", std::to_string(data->firms));
  benchmark::AddCustomContext("cm_seed", std::to_string(data->seed));
  benchmark::AddCustomContext("cm_dimension", std::to_string(kBenchDimension));
  benchmark::AddCustomContext("cm_model", data->model);
  benchmark::AddCustomContext("cm_kernel_isa", std::string(KernelIsa()));
  benchmark::AddCustomContext("cm_zero_rows", std::to_string(data->zero_rows));
  for (const ScopeData& scope : data->scopes) {
    const double share = static_cast<double>(scope.passing) / static_cast<double>(data->firms);
    benchmark::AddCustomContext("cm_scope_" + scope.name,
                                scope.description + ": " + std::to_string(scope.passing) + " of " +
                                    std::to_string(data->firms) + " (" +
                                    std::to_string(100.0 * share) + "%)");
    std::fprintf(stderr, "[data] scope %s: %s: %zu of %zu firms (%.3f%%)\n", scope.name.c_str(),
                 scope.description.c_str(), scope.passing, data->firms, 100.0 * share);
  }
  std::fprintf(stderr, "[data] %zu firms, d=%d, model %s, kernels %s\n", data->firms,
               kBenchDimension, data->model.c_str(), std::string(KernelIsa()).c_str());
  RegisterAll();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
