// Native hnswlib behind HnswlibPeer (see hnswlib_peer.h). Compiled with
// -O3 -march=native; the only translation unit that includes hnswlib, whose
// header defines non-inline functions.
#include "benchmarks/hnswlib_peer.h"

#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <atomic>
#include <thread>

namespace clustermatch {

struct HnswlibPeer::Impl {
  explicit Impl(int d) : space(static_cast<size_t>(d)) {}
  hnswlib::InnerProductSpace space;
  std::unique_ptr<hnswlib::HierarchicalNSW<float>> graph;
};

HnswlibPeer::HnswlibPeer() = default;
HnswlibPeer::~HnswlibPeer() = default;

void HnswlibPeer::Build(size_t n, int d, const float* data, int m, int ef_construction,
                        int threads) {
  impl_.reset();  // the graph refers to the space: drop it first
  impl_ = std::make_unique<Impl>(d);
  impl_->graph = std::make_unique<hnswlib::HierarchicalNSW<float>>(
      &impl_->space, n, static_cast<size_t>(m), static_cast<size_t>(ef_construction));
  if (n == 0) return;
  // The first row alone, so that the other threads find an entry point.
  impl_->graph->addPoint(data, 0);
  std::atomic<size_t> next{1};
  auto insert = [&] {
    for (size_t i = next++; i < n; i = next++) {
      impl_->graph->addPoint(data + i * static_cast<size_t>(d), i);
    }
  };
  std::vector<std::thread> workers;
  for (int t = 1; t < threads; ++t) workers.emplace_back(insert);
  insert();
  for (std::thread& worker : workers) worker.join();
}

void HnswlibPeer::SetEf(int ef) { impl_->graph->setEf(static_cast<size_t>(ef)); }

void HnswlibPeer::Search(const float* query, int k, std::vector<int64_t>& ids,
                         std::vector<float>& scores) const {
  auto found = impl_->graph->searchKnn(query, static_cast<size_t>(k));
  // The queue holds the largest distance (1 - inner product) on top.
  const size_t count = found.size();
  ids.resize(count);
  scores.resize(count);
  for (size_t i = count; i-- > 0;) {
    ids[i] = static_cast<int64_t>(found.top().second);
    scores[i] = 1.0f - found.top().first;
    found.pop();
  }
}

}  // namespace clustermatch
