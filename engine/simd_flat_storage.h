// SimdFlatStorage: Faiss's exact inner-product storage (IndexFlatIP) whose
// distance computer uses the project's SIMD kernels (vector_kernels.h).
//
// Faiss's HNSW builds its graph through the storage's virtual
// get_distance_computer(); Debian's Faiss answers it with a scalar loop. This
// subclass answers with AVX-512/AVX2 code, so Faiss's own graph construction
// (IndexHNSW::add, OpenMP-parallel) runs at the machine's speed while the
// algorithm stays Faiss's. The vectors live in the usual IndexFlat codes.
#ifndef CLUSTERMATCH_ENGINE_SIMD_FLAT_STORAGE_H_
#define CLUSTERMATCH_ENGINE_SIMD_FLAT_STORAGE_H_

#include <faiss/IndexFlat.h>
#include <faiss/impl/DistanceComputer.h>

#include <memory>

namespace clustermatch {

class SimdFlatStorage final : public faiss::IndexFlatIP {
 public:
  explicit SimdFlatStorage(int dimension) : faiss::IndexFlatIP(dimension) {}

  // Inner products between a query and stored rows, and between two stored
  // rows (HNSW's neighbour pruning); the caller owns the result.
  faiss::FlatCodesDistanceComputer* get_FlatCodesDistanceComputer() const override;
};

// The distance HNSW minimises over an inner-product storage: minus the inner
// product, computed with the SIMD kernels (Faiss wraps its own computer in a
// second virtual layer for this).
std::unique_ptr<faiss::DistanceComputer> NewNegatedInnerProduct(const faiss::IndexFlat& storage);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_SIMD_FLAT_STORAGE_H_
