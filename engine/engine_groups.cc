// The Engine's reads for group workflows: firm populations with topic
// vectors, pair scores, text scores and pair explanations, each under one
// reader lock so that a workflow sees one consistent state per call.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"

#include "engine/engine.h"
#include "engine/firm_signals.h"
#include "engine/serving_model.h"

namespace clustermatch {
namespace {

// Keys of `ids` in order; NotFound naming the first unknown one.
absl::StatusOr<std::vector<int64_t>> KeysOf(const FirmCatalog& catalog,
                                            std::span<const std::string> ids) {
  std::vector<int64_t> keys;
  keys.reserve(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    const int64_t key = catalog.KeyOf(ids[i]);
    if (key < 0) {
      return absl::NotFoundError("ids[" + std::to_string(i) + "]: no firm \"" + ids[i] + "\"");
    }
    keys.push_back(key);
  }
  return keys;
}

}  // namespace

std::vector<GroupFirm> Engine::GroupFirms(const SearchFilter& filter,
                                          std::span<const std::string> only_ids) const {
  SharedLock lock(&mutex_);
  const ServingModel& s = *serving_;
  std::vector<GroupFirm> firms;
  auto add = [&](int64_t key) {
    if (key < 0 || filter.excluded_keys.contains(key) || !s.index.Passes(key, filter)) return;
    GroupFirm member;
    member.firm = *catalog_.ByKey(key);
    absl::StatusOr<FirmVectors> vectors = s.index.Vectors(key);
    if (vectors.ok()) member.topic = vectors->fields[static_cast<int>(VectorField::kTopic)];
    firms.push_back(std::move(member));
  };
  if (only_ids.empty()) {
    for (const auto& [id, key] : catalog_.ids()) add(key);
  } else {
    for (const std::string& id : only_ids) add(catalog_.KeyOf(id));
  }
  return firms;
}

absl::StatusOr<std::vector<float>> Engine::PairScores(std::span<const std::string> ids,
                                                      MatchIntent intent) const {
  SharedLock lock(&mutex_);
  absl::StatusOr<std::vector<int64_t>> keys = KeysOf(catalog_, ids);
  if (!keys.ok()) return keys.status();
  const ServingModel& s = *serving_;
  const Recommender recommender(s.model, s.index, catalog_, relations_, s.scorer, s.sparse_cache);
  const size_t n = keys->size();
  std::vector<float> scores(n * n, 0.0f);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = i + 1; j < n; ++j) {
      ComponentScores unused;
      const float forward = recommender.PairScore(intent, (*keys)[i], (*keys)[j], &unused);
      const float backward = recommender.PairScore(intent, (*keys)[j], (*keys)[i], &unused);
      scores[i * n + j] = scores[j * n + i] = 0.5f * (forward + backward);
    }
  }
  return scores;
}

absl::StatusOr<std::vector<float>> Engine::TextScores(std::span<const std::string> texts,
                                                      std::span<const std::string> ids,
                                                      TextMeasure measure) const {
  SharedLock lock(&mutex_);
  absl::StatusOr<std::vector<int64_t>> keys = KeysOf(catalog_, ids);
  if (!keys.ok()) return keys.status();
  const ServingModel& s = *serving_;
  const Recommender recommender(s.model, s.index, catalog_, relations_, s.scorer, s.sparse_cache);
  std::vector<float> scores;
  scores.reserve(texts.size() * keys->size());
  for (const std::string& text : texts) {
    if (measure == TextMeasure::kStatedCapability) {
      for (int64_t key : *keys) scores.push_back(recommender.PhraseScore(text, key));
      continue;
    }
    const FirmSignals query = QuerySignals(s.model, text);
    for (int64_t key : *keys) scores.push_back(recommender.TextScore(query, key));
  }
  return scores;
}

absl::StatusOr<Explanation> Engine::ExplainPair(const std::string& a, const std::string& b,
                                                MatchIntent intent) const {
  SharedLock lock(&mutex_);
  const std::string ids[] = {a, b};
  absl::StatusOr<std::vector<int64_t>> keys = KeysOf(catalog_, ids);
  if (!keys.ok()) return keys.status();
  const ServingModel& s = *serving_;
  const Recommender recommender(s.model, s.index, catalog_, relations_, s.scorer, s.sparse_cache);
  ComponentScores components;
  recommender.PairScore(intent, (*keys)[0], (*keys)[1], &components);
  return recommender.ExplainPair(intent, (*keys)[0], (*keys)[1], components);
}

std::vector<std::pair<int, int>> Engine::RelatedPairs(std::span<const std::string> ids,
                                                      std::span<const RelationKind> kinds) const {
  absl::flat_hash_map<std::string, int> index;
  for (size_t i = 0; i < ids.size(); ++i) index.emplace(ids[i], static_cast<int>(i));
  absl::flat_hash_set<std::pair<int, int>> pairs;
  SharedLock lock(&mutex_);
  for (const Relation& relation : relation_list_) {
    if (std::find(kinds.begin(), kinds.end(), relation.kind) == kinds.end()) continue;
    auto a = index.find(relation.a);
    auto b = index.find(relation.b);
    if (a == index.end() || b == index.end() || a->second == b->second) continue;
    pairs.insert({std::min(a->second, b->second), std::max(a->second, b->second)});
  }
  std::vector<std::pair<int, int>> sorted(pairs.begin(), pairs.end());
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

std::vector<float> Engine::EmbedText(std::string_view text) const {
  SharedLock lock(&mutex_);
  return serving_->model.Embed(text);
}

}  // namespace clustermatch
