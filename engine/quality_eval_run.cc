// RunQualityEval (engine/quality_eval.h): the engine store for the content
// methods, the queries on worker threads, and the per-group means.
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "engine/engine.h"
#include "engine/quality_eval.h"
#include "engine/status_macros.h"

namespace clustermatch {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

absl::Status Prefixed(const std::string& prefix, const absl::Status& status) {
  return absl::Status(status.code(), prefix + std::string(status.message()));
}

// A folder of its own under the system temporary folder, removed on
// destruction.
class TempFolder {
 public:
  TempFolder() {
    std::string pattern = (std::filesystem::temp_directory_path() / "clustermatch_eval_XXXXXX");
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempFolder() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

bool UsesEngine(EvalMethod method) {
  return method == EvalMethod::kContent || method == EvalMethod::kClustermatch ||
         method == EvalMethod::kTopic;
}

// The store, given the profiles and the before-relations only.
absl::StatusOr<std::unique_ptr<Engine>> OpenEvalEngine(std::span<const Firm> firms,
                                                       const EvalSplit& split,
                                                       const std::string& db_path,
                                                       const EvalOptions& options) {
  auto progress = [&](const std::string& line) {
    if (options.progress) options.progress(line);
  };
  EngineOptions engine_options;
  engine_options.db_path = db_path;
  engine_options.holder_command = "clustermatch eval";
  engine_options.partner_options.validation_years = options.validation_years;
  CM_ASSIGN_OR_RETURN(std::unique_ptr<Engine> engine, Engine::Open(engine_options));
  progress("store " + db_path + ": importing " + std::to_string(firms.size()) + " profiles");
  absl::StatusOr<ImportSummary> imported = engine->ImportFirms(firms);
  if (!imported.ok()) return Prefixed("profiles: ", imported.status());
  // One call, so that the partner model is built and learned once.
  progress("store: " + std::to_string(split.before_relations.size()) +
           " relations; learning the partner model");
  absl::Status added = engine->AddRelations(split.before_relations);
  if (!added.ok()) return Prefixed("before-relations: ", added);
  return engine;
}

// One query's outcome for one method.
struct QueryOutcome {
  RankingMetrics metrics;
  std::vector<int> top;  // the first kCoverageDepth
  double ms = 0;
};

std::vector<int> DrawQueries(const std::vector<int>& queries, size_t limit, uint64_t seed) {
  std::vector<int> drawn = queries;
  if (limit == 0 || limit >= drawn.size()) return drawn;
  uint64_t state = seed ^ 0x5DEECE66DULL;
  for (size_t i = 0; i < limit; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const size_t j = i + static_cast<size_t>((state >> 33) % (drawn.size() - i));
    std::swap(drawn[i], drawn[j]);
  }
  drawn.resize(limit);
  std::sort(drawn.begin(), drawn.end());
  return drawn;
}

}  // namespace

absl::StatusOr<EvalReport> RunQualityEval(std::span<const Firm> firms,
                                          std::span<const Relation> relations,
                                          const EvalOptions& options) {
  if (options.threads < 1 || options.threads > 64) {
    return absl::InvalidArgumentError("threads: must be 1..64, got " +
                                      std::to_string(options.threads));
  }
  const Clock::time_point setup_start = Clock::now();
  CM_ASSIGN_OR_RETURN(const EvalSplit split, SplitForEval(firms, relations, options.cutoff_year));
  if (split.queries.empty()) {
    return absl::FailedPreconditionError(
        "cutoff_year " + std::to_string(options.cutoff_year) +
        ": no new partnerships: no partnered relation dated in or after it joins two profiled "
        "firms that were not partners before");
  }
  const std::vector<EvalMethod> methods =
      options.methods.empty() ? AllEvalMethods() : options.methods;

  EvalReport report;
  report.cutoff_year = options.cutoff_year;
  report.organisations = split.ids.size();
  report.company_organisations =
      static_cast<size_t>(std::count(split.company.begin(), split.company.end(), true));
  report.before_pairs = split.before.pair_count();
  report.before_relations = split.before_relations.size();
  report.new_pairs = split.new_pairs;
  report.queries = split.queries.size();
  for (int q : split.queries) report.company_queries += split.company[q] ? 1 : 0;
  report.other_kinds = split.other_kinds;
  report.before_unprofiled = split.before_unprofiled;
  report.after_unprofiled = split.after_unprofiled;
  report.after_repeats = split.after_repeats;

  std::unique_ptr<Engine> engine;
  TempFolder temp;
  if (std::any_of(methods.begin(), methods.end(), UsesEngine)) {
    std::string db_path = options.store_path;
    if (db_path.empty()) {
      if (temp.path().empty())
        return absl::InternalError("store: cannot create a temporary folder");
      db_path = temp.path() + "/eval.db";
    } else if (std::filesystem::exists(db_path)) {
      return absl::InvalidArgumentError("store: " + db_path +
                                        " already exists; the evaluation needs a new store");
    }
    CM_ASSIGN_OR_RETURN(engine, OpenEvalEngine(firms, split, db_path, options));
    report.partner_weights = engine->Stats().partner_weights;
  }
  report.setup_seconds = SecondsSince(setup_start);

  const std::vector<int> queries = DrawQueries(split.queries, options.limit_queries, options.seed);
  report.evaluated_queries = queries.size();
  absl::flat_hash_map<std::string, int> index;
  index.reserve(split.ids.size());
  for (size_t i = 0; i < split.ids.size(); ++i) index.emplace(split.ids[i], static_cast<int>(i));

  // outcomes[m * queries + i]: method m on queries[i].
  std::vector<QueryOutcome> outcomes(methods.size() * queries.size());
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  std::mutex error_mutex;
  absl::Status error;
  std::atomic<bool> failed{false};
  auto worker = [&] {
    LinkRanker ranker(split.before, split.groups, options.seed);
    while (!failed.load()) {
      const size_t i = next.fetch_add(1);
      if (i >= queries.size()) return;
      const int query = queries[i];
      for (size_t m = 0; m < methods.size(); ++m) {
        const Clock::time_point start = Clock::now();
        std::vector<int> ranked;
        if (UsesEngine(methods[m])) {
          RecommendRequest request;
          request.firm_id = split.ids[query];
          request.intent =
              methods[m] == EvalMethod::kTopic ? MatchIntent::kPeer : MatchIntent::kPartner;
          request.k = kEvalDepth;
          request.ranking = methods[m] == EvalMethod::kContent ? PartnerRanking::kContentOnly
                                                               : PartnerRanking::kLearned;
          absl::StatusOr<std::vector<Recommendation>> results = engine->Recommend(request);
          if (!results.ok()) {
            std::lock_guard<std::mutex> lock(error_mutex);
            if (error.ok()) {
              error = Prefixed(std::string(EvalMethodName(methods[m])) + ": recommend " +
                                   split.ids[query] + ": ",
                               results.status());
            }
            failed = true;
            return;
          }
          for (const Recommendation& result : *results) {
            auto it = index.find(result.firm_id);
            if (it != index.end()) ranked.push_back(it->second);
          }
        } else {
          ranked = ranker.Rank(static_cast<LinkMethod>(methods[m]), query, kEvalDepth);
        }
        QueryOutcome& outcome = outcomes[m * queries.size() + i];
        outcome.ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        outcome.metrics = ScoreRanking(ranked, split.new_partners[query]);
        ranked.resize(std::min<size_t>(ranked.size(), kCoverageDepth));
        outcome.top = std::move(ranked);
      }
      const size_t finished = done.fetch_add(1) + 1;
      if (options.progress && finished % 1000 == 0) {
        options.progress("queries: " + std::to_string(finished) + "/" +
                         std::to_string(queries.size()));
      }
    }
  };
  const Clock::time_point query_start = Clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < options.threads; ++t) threads.emplace_back(worker);
  for (std::thread& thread : threads) thread.join();
  if (!error.ok()) return error;
  report.query_seconds = SecondsSince(query_start);

  for (const bool companies_only : {false, true}) {
    EvalGroupResult group;
    group.name = companies_only ? "companies" : "all";
    for (size_t m = 0; m < methods.size(); ++m) {
      MetricTotals totals;
      absl::flat_hash_set<int> shown;
      double ms = 0;
      for (size_t i = 0; i < queries.size(); ++i) {
        if (companies_only && !split.company[queries[i]]) continue;
        const QueryOutcome& outcome = outcomes[m * queries.size() + i];
        totals.Add(outcome.metrics);
        shown.insert(outcome.top.begin(), outcome.top.end());
        ms += outcome.ms;
      }
      MethodScores scores;
      scores.method = methods[m];
      scores.mean = totals.Mean();
      scores.coverage = static_cast<double>(shown.size()) / static_cast<double>(split.ids.size());
      scores.ms_per_query = totals.count() == 0 ? 0 : ms / static_cast<double>(totals.count());
      group.queries = totals.count();
      group.methods.push_back(scores);
    }
    report.groups.push_back(std::move(group));
  }
  return report;
}

}  // namespace clustermatch
