// Builds, caches and reads the data of vector_search_bench (see
// vector_bench_data.h). Cache files, all under config.cache_dir and named by
// firms, seed and training size: <stem>.f32 (rows then queries, raw floats),
// <stem>.facets.tsv, <stem>.model.txt and <stem>.truth.bin (per scope, the
// ids then the scores of the exact top-k). Each is written to a temporary
// name and renamed, so an interrupted run leaves no half file.
#include "benchmarks/vector_bench_data.h"

#include <faiss/IndexFlat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "engine/firm_texts.h"
#include "engine/sample_cluster.h"
#include "engine/vector_kernels.h"
#include "models/text_model.h"

namespace clustermatch {
namespace {

namespace fs = std::filesystem;

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int WorkerThreads() { return std::max(1u, std::min(2u, std::thread::hardware_concurrency())); }

// Runs body(i) for i in [0, n) on WorkerThreads() threads.
template <typename Body>
void ParallelFor(size_t n, const Body& body) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < n; i = next++) body(i);
  };
  std::vector<std::thread> threads;
  for (int t = 1; t < WorkerThreads(); ++t) threads.emplace_back(work);
  work();
  for (std::thread& thread : threads) thread.join();
}

absl::Status WriteFile(const fs::path& path, const std::string& bytes) {
  const fs::path temporary = path.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) return absl::InternalError("cannot write cache file " + temporary.string());
  }
  std::error_code error;
  fs::rename(temporary, path, error);
  if (error) return absl::InternalError("cannot rename cache file " + temporary.string());
  return absl::OkStatus();
}

bool ReadFile(const fs::path& path, std::string& bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  bytes = buffer.str();
  return true;
}

template <typename T>
std::string BytesOf(const std::vector<T>& values) {
  return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

template <typename T>
bool ValuesOf(const std::string& bytes, size_t offset, size_t count, std::vector<T>& values) {
  if (bytes.size() < offset + count * sizeof(T)) return false;
  values.resize(count);
  std::copy_n(bytes.data() + offset, count * sizeof(T), reinterpret_cast<char*>(values.data()));
  return true;
}

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

std::string FacetsTsv(const std::vector<FirmFacets>& facets) {
  std::string out;
  for (const FirmFacets& f : facets) {
    std::string clusters;
    for (const std::string& c : f.clusters) clusters += (clusters.empty() ? "" : "|") + c;
    out += clusters + "\t" + f.mini_cluster + "\t" + std::to_string(static_cast<int>(f.kind)) +
           "\t" + f.region + "\t" + std::to_string(static_cast<int>(f.visibility)) + "\n";
  }
  return out;
}

bool ParseFacetsTsv(const std::string& text, size_t firms, std::vector<FirmFacets>& facets) {
  facets.clear();
  facets.reserve(firms);
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const std::vector<std::string> fields = Split(line, '\t');
    if (fields.size() != 5) return false;
    FirmFacets f;
    f.key = static_cast<int64_t>(facets.size()) + 1;
    if (!fields[0].empty()) f.clusters = Split(fields[0], '|');
    f.mini_cluster = fields[1];
    f.kind = static_cast<FirmKind>(std::stoi(fields[2]));
    f.region = fields[3];
    f.visibility = static_cast<Visibility>(std::stoi(fields[4]));
    facets.push_back(std::move(f));
  }
  return facets.size() == firms;
}

// Generates firms + queries, trains the model and embeds every topic text.
absl::Status Embed(const BenchConfig& config, BenchData& data) {
  const auto start = std::chrono::steady_clock::now();
  const size_t total = config.firms + kBenchQueries;
  const size_t train = std::min(config.firms, static_cast<size_t>(std::max(config.train_firms, 1)));
  std::vector<std::string> topics;
  std::vector<Firm> training_firms;
  topics.reserve(total);
  data.facets.clear();
  data.facets.reserve(config.firms);
  GenerateSampleFirms(SampleOptions{.firms = static_cast<int>(total), .seed = config.seed},
                      [&](const Firm& firm) {
                        const size_t i = topics.size();
                        topics.push_back(TextsOf(firm)[static_cast<int>(VectorField::kTopic)]);
                        if (i < train) training_firms.push_back(firm);
                        if (i < config.firms) {
                          data.facets.push_back(FirmFacets{.key = static_cast<int64_t>(i) + 1,
                                                           .clusters = firm.clusters,
                                                           .mini_cluster = firm.mini_cluster,
                                                           .kind = firm.kind,
                                                           .region = firm.region,
                                                           .visibility = firm.visibility});
                        }
                      });
  if (topics.size() != total) return absl::InternalError("sample generator returned too few firms");
  std::fprintf(stderr, "[data] generated %zu firms in %.1f s\n", total, SecondsSince(start));

  std::vector<const Firm*> pointers;
  for (const Firm& firm : training_firms) pointers.push_back(&firm);
  TextModelOptions options;
  options.dimension = kBenchDimension;
  absl::StatusOr<TextModel> trained = TextModel::Train(TrainingDocuments(pointers), options);
  TextModel model = TextModel::Untrained(kBenchDimension);
  if (trained.ok() && trained->dimension() == kBenchDimension) {
    model = *std::move(trained);
  } else {
    std::fprintf(
        stderr, "[data] trained model unusable (%s): untrained hashing instead\n",
        trained.ok() ? "dimension below 256" : std::string(trained.status().message()).c_str());
  }
  data.model = model.Describe() + " (trained on the first " + std::to_string(train) + " firms)";
  std::fprintf(stderr, "[data] model %s after %.1f s\n", data.model.c_str(), SecondsSince(start));

  std::vector<float> all(total * kBenchDimension, 0.0f);
  std::atomic<size_t> zeros{0};
  ParallelFor(total, [&](size_t i) {
    const std::vector<float> v = model.Embed(topics[i]);
    if (std::all_of(v.begin(), v.end(), [](float x) { return x == 0.0f; })) ++zeros;
    std::copy(v.begin(), v.end(), all.begin() + static_cast<std::ptrdiff_t>(i * kBenchDimension));
  });
  data.zero_rows = zeros.load();
  data.queries.assign(all.begin() + static_cast<std::ptrdiff_t>(config.firms * kBenchDimension),
                      all.end());
  all.resize(config.firms * kBenchDimension);
  data.rows = std::move(all);
  std::fprintf(stderr, "[data] embedded %zu topic texts in %.1f s (%zu without known features)\n",
               total, SecondsSince(start), data.zero_rows);
  return absl::OkStatus();
}

// The candidate of `shares` (name -> share) nearest to `target`; ties by name.
std::pair<std::string, double> Nearest(const std::map<std::string, size_t>& counts, size_t firms,
                                       double target) {
  std::pair<std::string, double> best{"", -1.0};
  for (const auto& [name, count] : counts) {
    const double share = static_cast<double>(count) / static_cast<double>(firms);
    if (best.second < 0 || std::abs(share - target) < std::abs(best.second - target)) {
      best = {name, share};
    }
  }
  return best;
}

// Picks the two filters from the facets and fills every scope's pass mask.
void PickScopes(BenchData& data) {
  std::map<std::string, size_t> minis, clusters, regions;
  for (const FirmFacets& f : data.facets) {
    if (!f.mini_cluster.empty()) ++minis[f.mini_cluster];
    for (const std::string& c : f.clusters) ++clusters[c];
    if (!f.region.empty()) ++regions[f.region];
  }
  const auto mini = Nearest(minis, data.firms, 0.25);
  const auto cluster = Nearest(clusters, data.firms, 0.25);
  const bool by_mini =
      !mini.first.empty() &&
      (cluster.first.empty() || std::abs(mini.second - 0.25) <= std::abs(cluster.second - 0.25));
  const auto region = Nearest(regions, data.firms, 0.01);

  auto& all = data.scopes[static_cast<int>(Scope::kAll)];
  auto& visible = data.scopes[static_cast<int>(Scope::kVisible)];
  auto& quarter = data.scopes[static_cast<int>(Scope::kQuarter)];
  auto& one = data.scopes[static_cast<int>(Scope::kOnePercent)];
  all.name = "all";
  all.description = "every firm";
  visible.name = "visible";
  visible.description = "not hidden (FirmVectorIndex never returns hidden firms)";
  quarter.name = "quarter";
  if (by_mini) {
    quarter.description = "mini_cluster = " + mini.first + ", not hidden";
    quarter.filter.mini_clusters_any = {mini.first};
  } else {
    quarter.description = "cluster = " + cluster.first + ", not hidden";
    quarter.filter.clusters_any = {cluster.first};
  }
  one.name = "one_percent";
  one.description = "region = " + region.first + ", not hidden";
  one.filter.regions = {region.first};

  for (ScopeData* scope : {&all, &visible, &quarter, &one}) {
    scope->passes.assign(data.firms, 0);
    scope->passing = 0;
  }
  for (size_t i = 0; i < data.firms; ++i) {
    const FirmFacets& f = data.facets[i];
    const bool shown = f.visibility != Visibility::kHidden;
    const bool in_quarter = by_mini ? f.mini_cluster == mini.first
                                    : std::find(f.clusters.begin(), f.clusters.end(),
                                                cluster.first) != f.clusters.end();
    const bool flags[kScopeCount] = {true, shown, shown && in_quarter,
                                     shown && f.region == region.first};
    for (int s = 0; s < kScopeCount; ++s) {
      data.scopes[s].passes[i] = flags[s] ? 1 : 0;
      data.scopes[s].passing += flags[s] ? 1 : 0;
    }
  }
}

// Exact top-k of every query over the scope's rows: Faiss IndexFlatIP over
// the passing rows, 1,000 queries in one batch (BLAS), split over threads.
void ComputeTruth(const BenchData& data, ScopeData& scope) {
  std::vector<int64_t> row_of;
  row_of.reserve(scope.passing);
  for (size_t i = 0; i < data.firms; ++i) {
    if (scope.passes[i]) row_of.push_back(static_cast<int64_t>(i));
  }
  faiss::IndexFlatIP index(kBenchDimension);
  if (row_of.size() == data.firms) {
    index.add(static_cast<faiss::Index::idx_t>(data.firms), data.rows.data());
  } else {
    std::vector<float> subset(row_of.size() * kBenchDimension);
    for (size_t j = 0; j < row_of.size(); ++j) {
      std::copy_n(data.row(static_cast<size_t>(row_of[j])), kBenchDimension,
                  subset.begin() + static_cast<std::ptrdiff_t>(j * kBenchDimension));
    }
    index.add(static_cast<faiss::Index::idx_t>(row_of.size()), subset.data());
  }
  scope.truth.assign(static_cast<size_t>(kBenchQueries) * kBenchK, -1);
  scope.truth_scores.assign(static_cast<size_t>(kBenchQueries) * kBenchK, 0.0f);
  const int parts = WorkerThreads();
  const int per_part = (kBenchQueries + parts - 1) / parts;
  std::vector<faiss::Index::idx_t> labels(scope.truth.size());
  ParallelFor(static_cast<size_t>(parts), [&](size_t part) {
    const int begin = static_cast<int>(part) * per_part;
    const int count = std::min(per_part, kBenchQueries - begin);
    if (count <= 0) return;
    const size_t offset = static_cast<size_t>(begin) * kBenchK;
    index.search(count, data.query(begin), kBenchK, scope.truth_scores.data() + offset,
                 labels.data() + offset);
  });
  for (size_t j = 0; j < labels.size(); ++j) {
    scope.truth[j] = labels[j] < 0 ? -1 : row_of[static_cast<size_t>(labels[j])];
  }
}

}  // namespace

absl::StatusOr<BenchData> LoadBenchData(const BenchConfig& config) {
  if (config.firms == 0) return absl::InvalidArgumentError("CM_BENCH_N must be positive");
  std::error_code error;
  fs::create_directories(config.cache_dir, error);
  if (error) return absl::InternalError("cannot create cache dir " + config.cache_dir);
  const size_t train = std::min(config.firms, static_cast<size_t>(config.train_firms));
  const std::string stem =
      (fs::path(config.cache_dir) /
       ("topic_n" + std::to_string(config.firms) + "_s" + std::to_string(config.seed) + "_t" +
        std::to_string(train) + "_d" + std::to_string(kBenchDimension)))
          .string();
  BenchData data;
  data.firms = config.firms;
  data.seed = config.seed;

  const size_t floats = (config.firms + kBenchQueries) * kBenchDimension;
  std::string vectors, facets, model;
  if (ReadFile(stem + ".f32", vectors) && vectors.size() == floats * sizeof(float) &&
      ReadFile(stem + ".facets.tsv", facets) && ParseFacetsTsv(facets, config.firms, data.facets) &&
      ReadFile(stem + ".model.txt", model)) {
    ValuesOf(vectors, 0, config.firms * kBenchDimension, data.rows);
    ValuesOf(vectors, config.firms * kBenchDimension * sizeof(float),
             static_cast<size_t>(kBenchQueries) * kBenchDimension, data.queries);
    const size_t newline = model.find('\n');
    data.model = model.substr(0, newline);
    if (newline != std::string::npos) data.zero_rows = std::stoul(model.substr(newline + 1));
    std::fprintf(stderr, "[data] read %s.f32 from the cache\n", stem.c_str());
  } else {
    if (absl::Status status = Embed(config, data); !status.ok()) return status;
    std::vector<float> all = data.rows;
    all.insert(all.end(), data.queries.begin(), data.queries.end());
    if (absl::Status s = WriteFile(stem + ".facets.tsv", FacetsTsv(data.facets)); !s.ok()) return s;
    if (absl::Status s = WriteFile(stem + ".model.txt",
                                   data.model + "\n" + std::to_string(data.zero_rows) + "\n");
        !s.ok()) {
      return s;
    }
    if (absl::Status s = WriteFile(stem + ".f32", BytesOf(all)); !s.ok()) return s;
    std::filesystem::remove(stem + ".truth.bin", error);  // stale if any
  }

  PickScopes(data);

  const size_t per_scope = static_cast<size_t>(kBenchQueries) * kBenchK;
  std::string truth;
  bool cached = ReadFile(stem + ".truth.bin", truth) &&
                truth.size() == kScopeCount * per_scope * (sizeof(int64_t) + sizeof(float));
  for (int s = 0; cached && s < kScopeCount; ++s) {
    const size_t offset = s * per_scope * (sizeof(int64_t) + sizeof(float));
    ValuesOf(truth, offset, per_scope, data.scopes[s].truth);
    ValuesOf(truth, offset + per_scope * sizeof(int64_t), per_scope, data.scopes[s].truth_scores);
  }
  if (!cached) {
    const auto start = std::chrono::steady_clock::now();
    truth.clear();
    for (ScopeData& scope : data.scopes) {
      ComputeTruth(data, scope);
      truth += BytesOf(scope.truth) + BytesOf(scope.truth_scores);
    }
    if (absl::Status s = WriteFile(stem + ".truth.bin", truth); !s.ok()) return s;
    std::fprintf(stderr, "[data] exact top-%d of %d queries, %d scopes: %.1f s\n", kBenchK,
                 kBenchQueries, kScopeCount, SecondsSince(start));
  }
  return data;
}

double RecallAt(const BenchData& data, Scope scope, int q, std::span<const int64_t> found) {
  const ScopeData& s = data.scope(scope);
  const size_t base = static_cast<size_t>(q) * kBenchK;
  int expected = 0;
  while (expected < kBenchK && s.truth[base + expected] >= 0) ++expected;
  if (expected == 0) return found.empty() ? 1.0 : 0.0;
  const float kth = s.truth_scores[base + expected - 1];
  // Tolerance for float summation order: different kernels round differently.
  const float tolerance = 1e-5f;
  int matched = 0;
  std::vector<int64_t> seen;
  for (int64_t id : found) {
    if (id < 0 || static_cast<size_t>(id) >= data.firms || !s.passes[static_cast<size_t>(id)]) {
      continue;
    }
    if (std::find(seen.begin(), seen.end(), id) != seen.end()) continue;
    seen.push_back(id);
    if (InnerProduct(data.query(q), data.row(static_cast<size_t>(id)), kBenchDimension) >=
        kth - tolerance) {
      ++matched;
    }
  }
  return std::min(1.0, static_cast<double>(matched) / expected);
}

}  // namespace clustermatch
