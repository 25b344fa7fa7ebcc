#include "benchmarks/vector_bench_indexes.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace clustermatch {

std::shared_ptr<faiss::IndexFlatIP> BuildFaissFlat(const BenchData& data) {
  auto index = std::make_shared<faiss::IndexFlatIP>(kBenchDimension);
  index->add(static_cast<faiss::Index::idx_t>(data.firms), data.rows.data());
  return index;
}

std::shared_ptr<faiss::IndexHNSWFlat> BuildFaissHnsw(const BenchData& data) {
  auto index =
      std::make_shared<faiss::IndexHNSWFlat>(kBenchDimension, kHnswM, faiss::METRIC_INNER_PRODUCT);
  index->hnsw.efConstruction = kHnswEfConstruction;
  omp_set_num_threads(2);
  index->add(static_cast<faiss::Index::idx_t>(data.firms), data.rows.data());
  omp_set_num_threads(1);
  return index;
}

int IvfLists(const BenchData& data) {
  return std::max(1,
                  static_cast<int>(std::lround(4.0 * std::sqrt(static_cast<double>(data.firms)))));
}

std::shared_ptr<FaissIvf> BuildFaissIvf(const BenchData& data) {
  auto ivf = std::make_shared<FaissIvf>();
  const int nlist = IvfLists(data);
  ivf->index = std::make_unique<faiss::IndexIVFFlat>(&ivf->quantizer, kBenchDimension, nlist,
                                                     faiss::METRIC_INNER_PRODUCT);
  ivf->index->cp.niter = 10;
  omp_set_num_threads(2);
  // k-means on an evenly spaced sample of 32 rows per list.
  const size_t sample = std::min(data.firms, static_cast<size_t>(nlist) * 32);
  const size_t stride = data.firms / sample;
  std::vector<float> training(sample * kBenchDimension);
  for (size_t i = 0; i < sample; ++i) {
    std::copy_n(data.row(i * stride), kBenchDimension,
                training.begin() + static_cast<std::ptrdiff_t>(i * kBenchDimension));
  }
  ivf->index->train(static_cast<faiss::Index::idx_t>(sample), training.data());
  ivf->index->add(static_cast<faiss::Index::idx_t>(data.firms), data.rows.data());
  omp_set_num_threads(1);
  return ivf;
}

std::shared_ptr<HnswlibPeer> BuildHnswlib(const BenchData& data, int threads) {
  auto peer = std::make_shared<HnswlibPeer>();
  peer->Build(data.firms, kBenchDimension, data.rows.data(), kHnswM, kHnswEfConstruction, threads);
  return peer;
}

VectorIndexOptions CmOptions(const BenchData& data, int ef, RowFormat format) {
  VectorIndexOptions options;
  options.row_format = format;
  options.hnsw_m = kHnswM;
  options.hnsw_ef_construction = kHnswEfConstruction;
  if (ef == 0) {
    options.exact_below = data.firms + 1;
  } else {
    options.exact_below = kApproximateExactBelow;
    options.hnsw_ef_search = ef;
  }
  return options;
}

std::shared_ptr<FirmVectorIndex> BuildCm(const BenchData& data, int ef, RowFormat format,
                                         size_t batch) {
  if (batch == 0) batch = std::max<size_t>(data.firms, 1);
  auto index = std::make_shared<FirmVectorIndex>(kBenchDimension, CmOptions(data, ef, format));
  std::vector<FirmVectors> vectors(std::min(batch, data.firms));
  std::vector<FirmVectorIndex::IndexEntry> entries;
  for (size_t i = 0; i < data.firms; ++i) {
    const float* row = data.row(i);
    std::vector<float>& topic =
        vectors[entries.size()].fields[static_cast<int>(VectorField::kTopic)];
    if (std::all_of(row, row + kBenchDimension, [](float x) { return x == 0.0f; })) {
      topic.clear();  // as EmbedFirm: no vector for a text with no known feature
    } else {
      topic.assign(row, row + kBenchDimension);
    }
    entries.push_back({data.facets[i], &vectors[entries.size()]});
    if (entries.size() == batch || i + 1 == data.firms) {
      if (absl::Status status = index->UpsertMany(entries); !status.ok()) {
        std::fprintf(stderr, "[build] FirmVectorIndex UpsertMany before row %zu failed: %s\n", i,
                     std::string(status.message()).c_str());
        return nullptr;
      }
      entries.clear();
    }
  }
  return index;
}

}  // namespace clustermatch
