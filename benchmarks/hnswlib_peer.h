// A plain interface to native hnswlib (Debian libhnswlib-dev), the peer that
// vector_search_bench compares FirmVectorIndex with. hnswlib_peer.cc is the
// only file that includes <hnswlib/hnswlib.h>, and it alone is compiled with
// -march=native, so the peer gets this machine's SIMD while the rest of the
// benchmark is compiled like the project.
#ifndef CLUSTERMATCH_BENCHMARKS_HNSWLIB_PEER_H_
#define CLUSTERMATCH_BENCHMARKS_HNSWLIB_PEER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace clustermatch {

// An hnswlib inner-product HNSW graph over rows labelled 0..n-1.
// Search may run concurrently from many threads; Build and SetEf may not run
// concurrently with anything else.
class HnswlibPeer {
 public:
  HnswlibPeer();
  ~HnswlibPeer();
  HnswlibPeer(const HnswlibPeer&) = delete;
  HnswlibPeer& operator=(const HnswlibPeer&) = delete;

  // Inserts n rows of d floats (row i gets label i) with `threads` inserting
  // threads; replaces any earlier graph. m links per node, ef_construction
  // candidates while linking.
  void Build(size_t n, int d, const float* data, int m, int ef_construction, int threads);

  // Candidate list size of later searches (hnswlib uses max(ef, k)).
  void SetEf(int ef);

  // The k rows with the largest inner product with `query` (d floats), best
  // first: row ids into `ids`, inner products into `scores`.
  void Search(const float* query, int k, std::vector<int64_t>& ids,
              std::vector<float>& scores) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_BENCHMARKS_HNSWLIB_PEER_H_
