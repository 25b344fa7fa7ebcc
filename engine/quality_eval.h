// The recommendation-quality evaluation behind `clustermatch eval`: a
// link-prediction test of partner recommendations on dated relations.
//
//   profiles (firms present before the cut-off) + relations + cut-off year C
//   -> split: partnerships before C build the graph the methods may use;
//      pairs first partnered in C or later, between two profiled firms that
//      were not partners before, are the answers ("new pairs")
//   -> a fresh engine store sees only the profiles and the before-relations
//   -> every method ranks 50 candidates per query firm (every firm with a new
//      pair); candidates are all profiled firms but the query and its
//      before-partners
//   -> Recall@10/20/50, MRR, NDCG@10, catalogue coverage and time per query,
//      for all queries and for company queries (candidates stay all firms).
//
// The graph baselines are plain algorithms (engine/link_baselines.h); only
// the content and clustermatch methods go through Engine::Recommend.
//
// Thread safety: the functions are thread-safe; RunQualityEval runs its
// queries on options.threads threads.
#ifndef CLUSTERMATCH_ENGINE_QUALITY_EVAL_H_
#define CLUSTERMATCH_ENGINE_QUALITY_EVAL_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/eval_metrics.h"
#include "engine/firm.h"
#include "engine/link_baselines.h"
#include "engine/partner_blend.h"

namespace clustermatch {

enum class EvalMethod : uint8_t {
  kRandom = 0,
  kPopularity = 1,
  kSameRegion = 2,  // same region (mini-cluster when the region is empty), then popularity
  kCommonNeighbours = 3,
  kAdamicAdar = 4,
  kContent = 5,       // Engine::Recommend, partner intent, PartnerRanking::kContentOnly
  kClustermatch = 6,  // Engine::Recommend, partner intent, the default ranking
  // Diagnostic, only when asked for: Engine::Recommend with the peer intent
  // (topic similarity), for profiles without offers and needs.
  kTopic = 7,
};

// "random", "popularity", "same_region", "common_neighbours", "adamic_adar",
// "content", "clustermatch", "topic".
std::string_view EvalMethodName(EvalMethod method);
std::optional<EvalMethod> ParseEvalMethod(std::string_view name);
// The methods run by default: all but the diagnostic kTopic.
std::vector<EvalMethod> AllEvalMethods();

// The protocol's split of the relations at the cut-off. Firms are numbered
// by their position in `ids`, which is sorted, so index order is id order.
struct EvalSplit {
  std::vector<std::string> ids;
  std::vector<bool> company;
  // Region group per firm (mini-cluster when the region is empty), -1: none.
  std::vector<int> groups;
  // Distinct partnerships dated before the cut-off between profiled firms.
  LinkGraph before;
  // The partnered relations dated before the cut-off (repeats kept) between
  // profiled firms: what the engine is given.
  std::vector<Relation> before_relations;
  // Per firm, its new partners, sorted.
  std::vector<std::vector<int>> new_partners;
  std::vector<int> queries;  // firms with a new partner, ascending
  size_t new_pairs = 0;
  // Relations left out, for the report: not `partnered`; dated before the
  // cut-off but naming an unprofiled firm; dated after it but naming an
  // unprofiled firm; dated after it between firms already partnered before.
  size_t other_kinds = 0;
  size_t before_unprofiled = 0;
  size_t after_unprofiled = 0;
  size_t after_repeats = 0;  // distinct pairs
};

// InvalidArgument "cutoff_year: ..." for a year outside 1000..9999,
// "profiles: id \"X\" appears twice" for a repeated firm, and
// "relations[i]: date: ..." for a date that does not start with a year.
absl::StatusOr<EvalSplit> SplitForEval(std::span<const Firm> firms,
                                       std::span<const Relation> relations, int cutoff_year);

struct EvalOptions {
  int cutoff_year = 0;
  std::vector<EvalMethod> methods;  // empty: all
  int threads = 2;
  // > 0: evaluate this many queries, drawn deterministically from `seed`.
  size_t limit_queries = 0;
  // The engine store to create; empty: one in a temporary folder, removed
  // afterwards. Must not exist yet.
  std::string store_path;
  uint64_t seed = 1;
  // The engine's PartnerModelOptions::validation_years.
  int validation_years = 1;
  // Progress lines ("store: ...", "queries: 1000/8354"), when set.
  std::function<void(const std::string&)> progress;
};

struct MethodScores {
  EvalMethod method = EvalMethod::kRandom;
  RankingMetrics mean;
  // Distinct firms in any top-20 list / all profiled firms.
  double coverage = 0;
  double ms_per_query = 0;
};

struct EvalGroupResult {
  std::string name;  // "all" or "companies"
  size_t queries = 0;
  std::vector<MethodScores> methods;  // in the order of EvalOptions::methods
};

struct EvalReport {
  int cutoff_year = 0;
  size_t organisations = 0;
  size_t company_organisations = 0;
  size_t before_pairs = 0;      // distinct
  size_t before_relations = 0;  // partnered relations given to the engine
  size_t new_pairs = 0;
  size_t queries = 0;  // all firms with a new pair
  size_t company_queries = 0;
  size_t evaluated_queries = 0;  // after limit_queries
  size_t other_kinds = 0;
  size_t before_unprofiled = 0;
  size_t after_unprofiled = 0;
  size_t after_repeats = 0;
  // The engine's learned partner blend, when its relations sufficed.
  std::optional<BlendWeights> partner_weights;
  double setup_seconds = 0;  // store, import and relations
  double query_seconds = 0;  // all methods, all queries
  std::vector<EvalGroupResult> groups;
};

// Runs the whole protocol. Errors: those of SplitForEval; InvalidArgument
// "threads: ..." or "store: ... already exists"; FailedPrecondition when no
// query remains; an engine error prefixed with what was being done.
absl::StatusOr<EvalReport> RunQualityEval(std::span<const Firm> firms,
                                          std::span<const Relation> relations,
                                          const EvalOptions& options);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_QUALITY_EVAL_H_
