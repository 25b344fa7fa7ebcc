// The indexes vector_search_bench compares, each built from the same
// BenchData rows: Faiss as packaged (Flat, HNSW, IVF), native hnswlib, and
// FirmVectorIndex exact or with graphs. Parameters shared by every graph
// (M, efConstruction) live here so that all peers are built alike.
#ifndef CLUSTERMATCH_BENCHMARKS_VECTOR_BENCH_INDEXES_H_
#define CLUSTERMATCH_BENCHMARKS_VECTOR_BENCH_INDEXES_H_

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIVFFlat.h>

#include <cstddef>
#include <memory>

#include "benchmarks/hnswlib_peer.h"
#include "benchmarks/vector_bench_data.h"
#include "engine/vector_index.h"

namespace clustermatch {

inline constexpr int kHnswM = 16;
inline constexpr int kHnswEfConstruction = 80;
// FirmVectorIndex's exact_below for the approximate runs: small, so that the
// graph is searched (filters below it still fall back to an exact scan).
inline constexpr size_t kApproximateExactBelow = 1000;

struct FaissIvf {
  faiss::IndexFlatIP quantizer{kBenchDimension};
  std::unique_ptr<faiss::IndexIVFFlat> index;
};

std::shared_ptr<faiss::IndexFlatIP> BuildFaissFlat(const BenchData& data);
// On 2 OpenMP threads; leaves OpenMP at 1 thread for the searches.
std::shared_ptr<faiss::IndexHNSWFlat> BuildFaissHnsw(const BenchData& data);
int IvfLists(const BenchData& data);  // about 4 sqrt(N)
std::shared_ptr<FaissIvf> BuildFaissIvf(const BenchData& data);
std::shared_ptr<HnswlibPeer> BuildHnswlib(const BenchData& data, int threads);
// ef 0: exact; `format` kSq8 for SQ8 rows once the graph exists.
VectorIndexOptions CmOptions(const BenchData& data, int ef, RowFormat format = RowFormat::kFloat32);
// All firms in one UpsertMany, as Engine::IndexFirms loads a store, or in
// UpsertMany calls of `batch` firms (an index grown by writes). Null (with
// the reason on stderr) if an UpsertMany fails.
std::shared_ptr<FirmVectorIndex> BuildCm(const BenchData& data, int ef,
                                         RowFormat format = RowFormat::kFloat32, size_t batch = 0);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_BENCHMARKS_VECTOR_BENCH_INDEXES_H_
