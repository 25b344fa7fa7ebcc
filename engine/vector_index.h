// FirmVectorIndex: the dense vectors of every firm, one FieldIndex per vector
// field (offer, need, topic, materials), searched by inner product with the
// filter applied inside the scan or graph walk.
//
// How a search runs (VectorIndexOptions): a field under `exact_below` rows is
// scanned exactly with the project's SIMD kernels (vector_kernels.h); from
// there on it also has a Faiss HNSW graph (Faiss's construction, our beam
// search: hnsw_beam_search.h) and searches are approximate, unless the filter
// names few enough firms (a mini-cluster, a region, an event's attendees) that
// an exact scan of just those is cheaper. Small clusters therefore always get
// exact answers; only large portals trade a little recall for speed.
//
// Thread safety: const methods may run concurrently with each other; Upsert,
// Remove and Compact take an exclusive lock. Readers never wait on each other.
//
// Removal: HNSW graphs cannot unlink a node, so every field keeps a slot table
// (row -> firm key) and removed or replaced rows become tombstones that the
// search's selector skips. Compaction rewrites the fields without them, when
// tombstones pass a quarter of the slots (half once the fields have graphs,
// whose rebuild costs more).
//
// One slot space: a slot is the same row in all four field indexes. A field
// without text holds a zero vector there that searches never return. Filters
// are resolved once per query and checked per row.
#ifndef CLUSTERMATCH_ENGINE_VECTOR_INDEX_H_
#define CLUSTERMATCH_ENGINE_VECTOR_INDEX_H_

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/firm.h"

namespace clustermatch {

class SnapshotSink;
class SnapshotSource;

enum class VectorField : uint8_t { kOffer = 0, kNeed = 1, kTopic = 2, kMaterials = 3 };
inline constexpr int kVectorFieldCount = 4;

// A set of fields, one bit each (bit f is VectorField f).
using FieldMask = uint8_t;
inline constexpr FieldMask kAllFields = (1u << kVectorFieldCount) - 1;
constexpr FieldMask FieldBit(VectorField field) {
  return static_cast<FieldMask>(1u << static_cast<int>(field));
}

// The dense vectors of one firm, one per field. Each is either empty (the
// field has no text: the firm is not in that field's index) or exactly
// dimension() floats, L2-normalised.
struct FirmVectors {
  std::array<std::vector<float>, kVectorFieldCount> fields;
};

// What the index knows of a firm for filtering.
struct FirmFacets {
  int64_t key = 0;  // the store's stable firm key
  // What the vectors were made from (the engine's TextStamp of the profile):
  // kept in snapshots, so that a load can tell rows still current from stale
  // ones. The index does not interpret it.
  uint64_t stamp = 0;
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

// How a field's vectors are searched. Below `exact_below` live vectors a
// search is an exact scan with the project's SIMD kernels; from there on the
// field also has a Faiss HNSW graph over the same stored vectors, and a search
// walks the graph unless the filter passes so few firms that scanning them
// exactly is cheaper (`exact_filter_share`, or fewer than `exact_below`).
//
// Row formats: kFloat32 keeps every row as dimension() floats. kSq8 keeps a
// field's rows as floats only while it is small (exact scans, as kFloat32);
// when the field reaches `exact_below` rows and gets its graph, it trains an
// 8-bit scalar quantizer per dimension on its rows (Faiss's QT_8bit: each
// dimension's min and max with a 2% margin; values outside clamp), encodes
// every row in one byte per dimension and frees the floats. Later rows are
// encoded with the same quantizer. A quarter of the memory per row; scores
// (graph walks and exact scans alike) are then inner products with the
// decoded rows, so results are approximate even on the exact paths, to
// about 1e-3 in score. Vectors() returns the decoded rows.
enum class RowFormat : uint8_t { kFloat32 = 0, kSq8 = 1 };

struct VectorIndexOptions {
  size_t exact_below = 20000;
  int hnsw_m = 16;                // graph links per node (32 on the bottom layer)
  int hnsw_ef_construction = 80;  // candidate list while linking a new node
  int hnsw_ef_search = 64;        // candidate list while searching; raised to >= 2k
  // Filters expected to pass at most this share of a field use an exact scan
  // of the firms that pass, whatever the field's size.
  double exact_filter_share = 0.05;
  RowFormat row_format = RowFormat::kFloat32;
};

class FirmVectorIndex {
 public:
  // Requires dimension > 0.
  explicit FirmVectorIndex(int dimension, VectorIndexOptions options = {});
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
  // Upsert of many firms at once, in order (a key given twice keeps its last
  // entry). Fields with graphs link the batch in parallel, so bulk loads
  // should come in batches of thousands. InvalidArgument naming the firm key,
  // with the index unchanged, if any vector is malformed.
  struct IndexEntry {
    FirmFacets facets;
    const FirmVectors* vectors = nullptr;  // not owned; read during the call
  };
  absl::Status UpsertMany(std::span<const IndexEntry> entries);
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

  // Copies of what is indexed for one firm, of the fields in `fields` only
  // (the others stay empty); NotFound if absent.
  absl::StatusOr<FirmVectors> Vectors(int64_t key, FieldMask fields = kAllFields) const;
  absl::StatusOr<FirmFacets> Facets(int64_t key) const;
  // True when the firm is indexed and passes the filter (whatever its
  // vectors); false for hidden firms.
  bool Passes(int64_t key, const SearchFilter& filter) const;
  // The keys that Passes, in their order; the filter is resolved once.
  std::vector<int64_t> Passing(std::span<const int64_t> keys, const SearchFilter& filter) const;

  // Snapshots (index_snapshot.h). SaveTo writes every slot (key, stamp,
  // which fields have vectors, live or not) and every field's rows and
  // graph, but no facets: whoever loads has them in its catalog.
  void SaveTo(SnapshotSink& out) const;
  // Replaces the contents of this index with what SaveTo wrote (the file's
  // Finish() included). `current(key)` gives a firm's facets now, or null if
  // the firm is gone; a slot whose firm is gone or whose stamp differs from
  // its facets' is loaded as a tombstone, so afterwards Contains() tells
  // which firms still need indexing. On any error (DataLoss for a bad file)
  // the index is unchanged.
  absl::Status LoadFrom(SnapshotSource& in,
                        const std::function<const FirmFacets*(int64_t key)>& current);
  // LoadFrom in two steps, so that a file can be read before the facets are
  // known (the engine reads it while it parses the store's firms).
  // ReadSnapshot reads and checks the whole file, Finish() included, into a
  // pending load and leaves the index as it is; it may run while other
  // threads query the index, but not beside another Read or Adopt.
  // AdoptSnapshot then judges the pending slots by `current`, as LoadFrom
  // does, and replaces the contents (FailedPrecondition with nothing read).
  absl::Status ReadSnapshot(SnapshotSource& in);
  absl::Status AdoptSnapshot(const std::function<const FirmFacets*(int64_t key)>& current);
  bool Contains(int64_t key) const;

  size_t size() const;  // live firms
  size_t tombstone_count() const;

  // An estimate of the heap bytes the index holds, from its containers'
  // capacities: every field's rows (floats or SQ8 codes and the quantizer),
  // graph (links, levels, offsets, link locks and the linking visited table),
  // the slot table with each slot's cluster list, the key -> slot map, the
  // interned strings and their postings. Allocator overhead and the
  // per-thread search tables are not counted.
  size_t MemoryBytes() const;

 private:
  struct State;
  struct PendingLoad;
  const int dimension_;
  std::unique_ptr<State> state_;
  std::unique_ptr<PendingLoad> pending_;  // between ReadSnapshot and AdoptSnapshot
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_VECTOR_INDEX_H_
