#include "engine/recommender.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "engine/firm_texts.h"
#include "engine/firm_validation.h"
#include "engine/status_macros.h"

namespace clustermatch {
namespace {

// Candidates fetched per index search: enough headroom for exact rescoring
// to reorder what the single-field search ranked.
int FetchCount(int k) { return std::max(4 * k, 50); }

absl::Status CheckK(int k) {
  if (k < 1 || k > kMaxK) {
    return absl::InvalidArgumentError("k: must be 1 to " + std::to_string(kMaxK) + ", got " +
                                      std::to_string(k));
  }
  return absl::OkStatus();
}

void SortAndTrim(std::vector<Recommendation>& results, int k) {
  std::sort(results.begin(), results.end(), [](const Recommendation& a, const Recommendation& b) {
    return a.score != b.score ? a.score > b.score : a.firm_id < b.firm_id;
  });
  if (results.size() > static_cast<size_t>(k)) results.resize(k);
}

void Append(std::vector<std::string>& list, const std::string& item) {
  if (!item.empty()) list.push_back(item);
}

// ValidateFirm, except that an inline profile may leave its id empty;
// errors read "profile.FIELD: reason".
absl::Status ValidateProfile(const Firm& profile) {
  absl::Status status;
  if (profile.id.empty()) {
    Firm named = profile;
    named.id = "profile";
    status = ValidateFirm(named);
  } else {
    status = ValidateFirm(profile);
  }
  if (status.ok()) return status;
  return absl::Status(status.code(), "profile." + std::string(status.message()));
}

}  // namespace

absl::StatusOr<std::vector<int64_t>> Recommender::Candidates(VectorField field,
                                                             const std::vector<float>& query,
                                                             int fetch,
                                                             const SearchFilter& filter) const {
  std::vector<int64_t> keys;
  if (query.empty()) return keys;
  CM_ASSIGN_OR_RETURN(std::vector<SearchHit> hits, index_.Search(field, query, fetch, filter));
  for (const SearchHit& hit : hits) keys.push_back(hit.key);
  return keys;
}

SearchFilter Recommender::QueryFilter(const RecommendRequest& request, const Firm& firm,
                                      int64_t key) const {
  SearchFilter filter = request.filter;
  if (key >= 0) filter.excluded_keys.insert(key);
  if (!firm.id.empty()) {
    for (const std::string& other : relations_.ExcludedFor(firm.id, request.intent)) {
      const int64_t other_key = catalog_.KeyOf(other);
      if (other_key >= 0) filter.excluded_keys.insert(other_key);
    }
  }
  if (request.cross_cluster == CrossCluster::kOtherMiniCluster) {
    Append(filter.mini_clusters_none, firm.mini_cluster);
  } else if (request.cross_cluster == CrossCluster::kOtherCluster) {
    for (const auto& cluster : firm.clusters) Append(filter.clusters_none, cluster);
  }
  return filter;
}

FirmSignals Recommender::CandidateSignals(int64_t key, FieldMask fields, bool phrases) const {
  const Firm* firm = catalog_.ByKey(key);
  absl::StatusOr<FirmVectors> dense = index_.Vectors(key, fields);
  FirmSignals signals;
  signals.firm = firm;
  signals.loaded = fields;
  signals.dense = dense.ok() ? std::move(*dense) : EmbedFirm(model_, *firm);
  SparseFieldCache::Texts texts = sparse_.GetTexts(key, *firm, fields, phrases);
  signals.sparse = std::move(texts.sparse);
  signals.phrases = std::move(texts.phrases);
  return signals;
}

absl::StatusOr<std::vector<Recommendation>> Recommender::Recommend(
    const RecommendRequest& request) const {
  CM_RETURN_IF_ERROR(CheckK(request.k));
  if (request.profile.has_value()) {
    // Embedded now, as the index embeds a stored firm: the same profile gets
    // the same signals, and so the same results.
    const Firm& profile = *request.profile;
    CM_RETURN_IF_ERROR(ValidateProfile(profile));
    const int64_t key = profile.id.empty() ? -1 : catalog_.KeyOf(profile.id);
    return Rank(request, profile, key, SignalsOf(model_, profile, nullptr));
  }
  const int64_t key = catalog_.KeyOf(request.firm_id);
  if (key < 0) return absl::NotFoundError("firm_id: no firm \"" + request.firm_id + "\"");
  return Rank(request, *catalog_.ByKey(key), key, CandidateSignals(key));
}

float Recommender::TopicOf(const FirmSignals& query, const FirmSignals& candidate) const {
  ComponentScores components;
  scorer_.Score(MatchIntent::kPeer, query, candidate, &components);
  return components.topic;
}

std::vector<int64_t> Recommender::PartnerContentCandidates(int64_t key) const {
  const FirmSignals query = CandidateSignals(key);
  SearchFilter filter;
  filter.excluded_keys.insert(key);
  std::vector<int64_t> keys;
  const int fetch = FetchCount(10);
  auto gather = [&](VectorField field, VectorField query_field) {
    absl::StatusOr<std::vector<int64_t>> found =
        Candidates(field, query.dense.fields[static_cast<int>(query_field)], fetch, filter);
    if (found.ok()) keys.insert(keys.end(), found->begin(), found->end());
  };
  gather(VectorField::kNeed, VectorField::kOffer);
  gather(VectorField::kOffer, VectorField::kNeed);
  gather(VectorField::kTopic, VectorField::kTopic);
  return keys;
}

ContentScores Recommender::PartnerContentScores(int64_t key, int64_t candidate) const {
  const FirmSignals query = CandidateSignals(key);
  const FirmSignals signals = CandidateSignals(candidate);
  ComponentScores components;
  const float content = scorer_.Score(MatchIntent::kPartner, query, signals, &components);
  return {content, TopicOf(query, signals)};
}

const PartnerModel* Recommender::LearnedFor(const RecommendRequest& request) const {
  if (request.intent != MatchIntent::kPartner || request.ranking != PartnerRanking::kLearned ||
      partners_ == nullptr || !partners_->learned()) {
    return nullptr;
  }
  return partners_;
}

absl::StatusOr<std::vector<Recommendation>> Recommender::Rank(const RecommendRequest& request,
                                                              const Firm& firm, int64_t key,
                                                              const FirmSignals& query) const {
  CM_ASSIGN_OR_RETURN(std::vector<Recommendation> results,
                      RankAs(request.intent, request, firm, key, query));
  // A partner query whose needs and offers meet nobody's (a profile of
  // topics only, say) is matched on what it works on, as peers are.
  if (results.empty() && request.intent == MatchIntent::kPartner) {
    return RankAs(MatchIntent::kPeer, request, firm, key, query);
  }
  return results;
}

absl::StatusOr<std::vector<Recommendation>> Recommender::RankAs(MatchIntent content_intent,
                                                                const RecommendRequest& request,
                                                                const Firm& firm, int64_t key,
                                                                const FirmSignals& query) const {
  const SearchFilter filter = QueryFilter(request, firm, key);
  const int fetch = FetchCount(request.k);
  const PartnerModel* learned = LearnedFor(request);

  std::vector<int64_t> keys;
  auto gather = [&](VectorField field, VectorField query_field) -> absl::Status {
    CM_ASSIGN_OR_RETURN(
        std::vector<int64_t> found,
        Candidates(field, query.dense.fields[static_cast<int>(query_field)], fetch, filter));
    keys.insert(keys.end(), found.begin(), found.end());
    return absl::OkStatus();
  };
  switch (content_intent) {
    case MatchIntent::kPartner:
      CM_RETURN_IF_ERROR(gather(VectorField::kNeed, VectorField::kOffer));
      CM_RETURN_IF_ERROR(gather(VectorField::kOffer, VectorField::kNeed));
      if (learned != nullptr) {
        CM_RETURN_IF_ERROR(gather(VectorField::kTopic, VectorField::kTopic));
      }
      break;
    case MatchIntent::kPeer:
      CM_RETURN_IF_ERROR(gather(VectorField::kTopic, VectorField::kTopic));
      break;
    case MatchIntent::kPurchasing:
      CM_RETURN_IF_ERROR(gather(VectorField::kMaterials, VectorField::kMaterials));
      break;
  }
  PartnerModel::Query graph_query;
  if (learned != nullptr) {
    // Firms the relation graph proposes, under the same filter as the search.
    graph_query = learned->Prepare(key);
    const std::vector<int64_t> proposed = learned->Candidates(graph_query);
    for (int64_t found : index_.Passing(proposed, filter)) keys.push_back(found);
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());

  const ReciprocalScorer::Query prepared = scorer_.Prepare(content_intent, query);
  FieldMask fields = ReciprocalScorer::CandidateFields(content_intent);
  if (learned != nullptr) fields |= FieldBit(VectorField::kTopic);
  // Each candidate is scored on its own, so the list may be split between
  // this thread and the idle helper; slots keep the candidates' order.
  std::vector<std::optional<std::pair<Recommendation, FirmSignals>>> slots(keys.size());
  auto score_range = [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      const int64_t candidate = keys[i];
      FirmSignals signals =
          CandidateSignals(candidate, fields, ReciprocalScorer::ComparesPhrases(content_intent));
      ComponentScores components;
      float score = scorer_.Score(prepared, signals, &components);
      if (learned != nullptr) {
        const ContentScores text{score, scorer_.Topic(prepared, signals)};
        const BlendFeatures x =
            learned->Features(graph_query, firm, candidate, *signals.firm, text);
        components.common_partners =
            static_cast<float>(learned->CommonPartners(graph_query, candidate));
        components.relational = x[static_cast<int>(BlendSignal::kRelational)];
        const float logit = BlendScore(*learned->weights(), x);
        components.learned = 1.0f / (1.0f + std::exp(-logit));
        score = components.learned;
      }
      if (request.cross_cluster == CrossCluster::kBoost &&
          signals.firm->mini_cluster != firm.mini_cluster) {
        components.boost = kCrossClusterBoost;
        score *= kCrossClusterBoost;
      }
      if (score <= 0) continue;
      Recommendation rec{signals.firm->id, score, {}};
      rec.explanation.components = components;
      slots[i].emplace(std::move(rec), std::move(signals));
    }
  };
  SplitWork(keys.size(), score_range);
  std::vector<std::pair<Recommendation, FirmSignals>> scored;
  scored.reserve(slots.size());
  for (auto& slot : slots) {
    if (slot.has_value()) scored.push_back(*std::move(slot));
  }
  std::sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) {
    return a.first.score != b.first.score ? a.first.score > b.first.score
                                          : a.first.firm_id < b.first.firm_id;
  });
  if (scored.size() > static_cast<size_t>(request.k)) scored.resize(request.k);

  if (request.explain) {
    SplitWork(scored.size(), [&](size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) {
        auto& [rec, signals] = scored[i];
        rec.explanation = scorer_.Explain(prepared, signals, rec.explanation.components);
      }
    });
  }
  std::vector<Recommendation> results;
  results.reserve(scored.size());
  for (auto& entry : scored) results.push_back(std::move(entry.first));
  return results;
}

void Recommender::SplitWork(size_t n, absl::FunctionRef<void(size_t, size_t)> work) const {
  if (helper_ != nullptr) {
    helper_->Split(n, work);
  } else {
    work(0, n);
  }
}

absl::StatusOr<std::vector<Recommendation>> Recommender::Search(
    const SearchRequest& request) const {
  CM_RETURN_IF_ERROR(CheckK(request.k));
  if (request.text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return absl::InvalidArgumentError("text: must not be empty");
  }
  const FirmSignals query = QuerySignals(model_, request.text);
  const std::vector<float>& dense = query.dense.fields[0];
  const int fetch = FetchCount(request.k);
  CM_ASSIGN_OR_RETURN(std::vector<int64_t> keys,
                      Candidates(VectorField::kOffer, dense, fetch, request.filter));
  CM_ASSIGN_OR_RETURN(std::vector<int64_t> topical,
                      Candidates(VectorField::kTopic, dense, fetch, request.filter));
  keys.insert(keys.end(), topical.begin(), topical.end());
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());

  std::vector<Recommendation> results;
  for (int64_t candidate : keys) {
    ComponentScores components;
    const float score = scorer_.SearchScore(
        query, CandidateSignals(candidate, ReciprocalScorer::kSearchFields), &components);
    if (score <= 0) continue;
    Recommendation rec{catalog_.ByKey(candidate)->id, score, {}};
    rec.explanation.components = components;
    results.push_back(std::move(rec));
  }
  SortAndTrim(results, request.k);
  if (!request.explain) return results;
  for (Recommendation& rec : results) {
    const FirmSignals signals =
        CandidateSignals(catalog_.KeyOf(rec.firm_id), ReciprocalScorer::kSearchFields);
    rec.explanation = scorer_.ExplainSearch(request.text, signals, rec.explanation.components);
  }
  return results;
}

float Recommender::PairScore(MatchIntent intent, int64_t a, int64_t b,
                             ComponentScores* components) const {
  return scorer_.Score(intent, CandidateSignals(a), CandidateSignals(b), components);
}

Explanation Recommender::ExplainPair(MatchIntent intent, int64_t a, int64_t b,
                                     const ComponentScores& components) const {
  return scorer_.Explain(intent, CandidateSignals(a), CandidateSignals(b), components);
}

float Recommender::TextScore(const FirmSignals& query, int64_t key) const {
  ComponentScores components;
  return std::max(0.0f,
                  scorer_.SearchScore(query, CandidateSignals(key, ReciprocalScorer::kSearchFields),
                                      &components));
}

}  // namespace clustermatch
