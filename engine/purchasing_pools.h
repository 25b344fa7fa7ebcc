// Joint-purchasing pools (the "purchasing" intent): groups of firms that buy
// the same raw material, read from the `materials` field of their profiles.
// Competitors may share a pool; do-not-match pairs (`never_together`) never
// do. A plain engine module with no I/O: callers turn catalog firms and
// relations into PoolFirm and PoolOptions and present the result.
//
// How pools are formed:
//  1. Every material is normalised: NormalizeText (NFKC, case folding,
//     whitespace trimmed and collapsed), so "Copper Foil", "ＣＯＰＰＥＲ ＦＯＩＬ"
//     and " copper  foil " are one spelling. Empty materials are ignored.
//  2. With a similarity callback, distinct spellings whose similarity is at
//     least merge_threshold are one material, transitively (single linkage,
//     union-find over the sorted spellings). The callback sees normalised
//     spellings, the smaller first, each pair at most once (pairs already
//     joined through others are skipped): up to m * (m - 1) / 2 calls for m
//     distinct spellings, so cache embeddings.
//  3. Every material bought by at least min_size firms gives a pool of all its
//     buyers (a firm listing two spellings of it counts once).
//  4. A pool is split into parts when it is larger than max_size or holds a
//     never_together pair: greedy colouring (firms with most conflicts first,
//     first part that takes them) finds few parts, then firms move from the
//     largest to the smallest parts until sizes are as even as the pairs allow.
//     Parts below min_size are dissolved and their firms join the least full
//     part they may join; a firm that can join none is reported in `left_out`.
//
// Deterministic: the same input gives the same result (no clocks, no seeds).
// Thread-safe if the similarity callback is.
#ifndef CLUSTERMATCH_ENGINE_PURCHASING_POOLS_H_
#define CLUSTERMATCH_ENGINE_PURCHASING_POOLS_H_

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace clustermatch {

// A firm as pooling sees it.
struct PoolFirm {
  std::string id;                      // non-empty, unique
  std::vector<std::string> materials;  // as written in the profile
};

struct PoolOptions {
  int min_size = 2;  // pools with fewer firms are not proposed (>= 2)
  // 0: no cap; otherwise (>= min_size) a larger pool is split into balanced
  // parts of at most max_size firms.
  int max_size = 0;
  // Do-not-match pairs of firm indexes: never in one pool.
  std::vector<std::pair<int, int>> never_together;
  // Optional: similarity in [0, 1] of two normalised material spellings (e.g.
  // embedding cosine) so that "copper foil" and "동박 (copper foil)" pool
  // together; null: exact matching after normalisation only.
  std::function<float(std::string_view, std::string_view)> similarity;
  float merge_threshold = 0.8f;  // in [0, 1]; spellings with similarity >= this are one material
};

struct PurchasingPool {
  // The normalised spelling most buyers of the material use (ties: the
  // smallest); the same for every part of a split pool.
  std::string material;
  // Every normalised spelling merged into the material, sorted; contains
  // `material`. Each member lists at least one of them.
  std::vector<std::string> spellings;
  std::vector<int> members;  // ascending indexes into the firms
  // When the material's buyers were split (by max_size or never_together):
  // this is part `part` (1-based) of `parts`, numbered by smallest member.
  int part = 1;
  int parts = 1;

  friend bool operator==(const PurchasingPool&, const PurchasingPool&) = default;
};

// Why a buyer of a pooled material is in no pool for it.
enum class LeftOutReason {
  kNeverTogether,  // every part it could join holds a firm it must not be with
  kMaxSize,        // the parts it could join were all full (max_size)
};

// "never_together" or "max_size", as the field names the rule.
std::string_view LeftOutReasonName(LeftOutReason reason);

// A firm buying a material that min_size or more firms buy, yet in no pool
// for it (its part was too small and it could join no other).
struct PoolLeftOut {
  int firm = 0;          // index into the firms
  std::string material;  // the `material` of that material's pools
  LeftOutReason reason = LeftOutReason::kNeverTogether;

  friend bool operator==(const PoolLeftOut&, const PoolLeftOut&) = default;
};

struct PoolResult {
  // Largest first, then by material, then by part. A firm buying several
  // materials may be in several pools, never twice in one.
  std::vector<PurchasingPool> pools;
  // Ordered by material, then firm. Every buyer of a material bought by at
  // least min_size firms is either in a pool for it or listed here.
  std::vector<PoolLeftOut> left_out;

  friend bool operator==(const PoolResult&, const PoolResult&) = default;
};

// Forms the pools. InvalidArgument naming the field for bad input: min_size
// below 2, max_size negative or in 1..min_size-1, merge_threshold outside
// [0, 1], a never_together index out of range or pairing a firm with itself,
// firms[i].id empty or repeated, firms[i].materials[j] not valid UTF-8.
absl::StatusOr<PoolResult> FormPurchasingPools(std::span<const PoolFirm> firms,
                                               const PoolOptions& options);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_PURCHASING_POOLS_H_
