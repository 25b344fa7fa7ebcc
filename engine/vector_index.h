// FirmVectorIndex: one exact inner-product Faiss index per vector field
// (offer, need, topic, materials), with filters applied inside the Faiss scan
// through SearchParameters + IDSelector. This header and vector_index.cc are
// the only code in the project that includes Faiss for search; the other
// Faiss user is sig_grouping.cc (k-means seeds for SIG suggestions).
//
// Thread safety: const methods may run concurrently with each other; Upsert,
// Remove and Compact take an exclusive lock. Readers never wait on each other.
//
// Faiss 1.7.3 as packaged: IndexIDMap::search rejects SearchParameters,
// IndexHNSW has no remove_ids, IndexFlat::remove_ids shifts and renumbers. So
// the index keeps its own slot table (Faiss position -> firm key), marks
// removed slots as tombstones that the same IDSelector skips, and compacts
// when tombstones pass a quarter of the slots.
//
// One slot space: a slot is the same Faiss position in all four field
// indexes. A field without text holds a zero vector there that searches never
// return. Filters are resolved once per query and checked per vector inside
// the Faiss scan.
#ifndef CLUSTERMATCH_ENGINE_VECTOR_INDEX_H_
#define CLUSTERMATCH_ENGINE_VECTOR_INDEX_H_

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/firm.h"

namespace clustermatch {

enum class VectorField : uint8_t { kOffer = 0, kNeed = 1, kTopic = 2, kMaterials = 3 };
inline constexpr int kVectorFieldCount = 4;

// The dense vectors of one firm, one per field. Each is either empty (the
// field has no text: the firm is not in that field's index) or exactly
// dimension() floats, L2-normalised.
struct FirmVectors {
  std::array<std::vector<float>, kVectorFieldCount> fields;
};

// What the index knows of a firm for filtering.
struct FirmFacets {
  int64_t key = 0;  // the store's stable firm key
  std::vector<std::string> clusters;
  std::string mini_cluster;
  FirmKind kind = FirmKind::kUnspecified;
  std::string region;
  Visibility visibility = Visibility::kPublic;
};

// Which firms a search may return. Empty lists mean "no restriction".
// Hidden firms are never returned, whatever the filter says.
struct SearchFilter {
  std::vector<std::string> clusters_any;        // keep firms in any of these
  std::vector<std::string> clusters_none;       // drop firms in any of these
  std::vector<std::string> mini_clusters_any;   // keep firms whose mini-cluster is listed
  std::vector<std::string> mini_clusters_none;  // drop firms whose mini-cluster is listed
  std::vector<FirmKind> kinds;
  std::vector<std::string> regions;
  // Members-only firms are returned when members_visible_all is true, or when
  // one of their clusters is in members_visible_clusters.
  bool members_visible_all = true;
  std::vector<std::string> members_visible_clusters;
  absl::flat_hash_set<int64_t> excluded_keys;
  // When set, only these firms (an event's attendees, say); shared so that
  // many queries over one set copy a pointer, not the set.
  std::shared_ptr<const absl::flat_hash_set<int64_t>> only_keys;
};

struct SearchHit {
  int64_t key = 0;
  float score = 0;  // inner product of L2-normalised vectors: cosine
};

class FirmVectorIndex {
 public:
  // Requires dimension > 0.
  explicit FirmVectorIndex(int dimension);
  ~FirmVectorIndex();
  FirmVectorIndex(const FirmVectorIndex&) = delete;
  FirmVectorIndex& operator=(const FirmVectorIndex&) = delete;

  int dimension() const { return dimension_; }

  // Adds the firm, or replaces what the index had for facets.key (the old
  // slot becomes a tombstone). InvalidArgument, with the index unchanged, if a
  // non-empty vector is not dimension() finite floats. Upsert and Remove
  // compact when tombstones pass a quarter of the slots; should that fail
  // (Internal), the change itself has been applied and the index stays valid.
  absl::Status Upsert(const FirmFacets& facets, const FirmVectors& vectors);
  // NotFound if the key is not indexed.
  absl::Status Remove(int64_t key);
  // Rewrites the Faiss indexes without tombstones. On failure (Internal)
  // nothing has changed.
  absl::Status Compact();

  // Top k hits of `field` by inner product with `query` (dimension() finite
  // floats), best first, ties broken by smaller key; only firms passing
  // `filter` that have a vector for `field`. At most k hits, fewer when fewer
  // pass. InvalidArgument if k <= 0 or the query is malformed; Internal if
  // Faiss fails.
  absl::StatusOr<std::vector<SearchHit>> Search(VectorField field, std::span<const float> query,
                                                int k, const SearchFilter& filter) const;

  // Copies of what is indexed for one firm; NotFound if absent.
  absl::StatusOr<FirmVectors> Vectors(int64_t key) const;
  absl::StatusOr<FirmFacets> Facets(int64_t key) const;
  // True when the firm is indexed and passes the filter (whatever its
  // vectors); false for hidden firms.
  bool Passes(int64_t key, const SearchFilter& filter) const;
  // The keys that Passes, in their order; the filter is resolved once.
  std::vector<int64_t> Passing(std::span<const int64_t> keys, const SearchFilter& filter) const;

  size_t size() const;  // live firms
  size_t tombstone_count() const;

 private:
  struct State;
  const int dimension_;
  std::unique_ptr<State> state_;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_VECTOR_INDEX_H_
