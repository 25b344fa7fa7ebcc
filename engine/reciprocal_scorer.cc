#include "engine/reciprocal_scorer.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "models/text_normalizer.h"

namespace clustermatch {
namespace {

// Words that carry no capability of their own in a requirement.
bool IsFunctionWord(absl::string_view word) {
  static const auto* words = new absl::flat_hash_set<std::string>{
      "a",        "an",      "and",  "or", "the",  "of",   "for",    "to",
      "in",       "on",      "with", "by", "at",   "our",  "its",    "based",
      "services", "service", "및",   "등", "관련", "기반", "서비스", "위한"};
  return words->contains(absl::AsciiStrToLower(word));
}

std::string NormalisedOrRaw(const std::string& text) {
  absl::StatusOr<std::string> normalised = NormalizeText(text);
  return normalised.ok() ? *normalised : text;
}

float Jaccard(size_t shared, size_t a, size_t b) {
  const size_t all = a + b - shared;
  return all == 0 ? 0.0f : static_cast<float>(shared) / static_cast<float>(all);
}

// The best-matching (need, offer) phrase pairs, best first. Offers include
// products and technologies: they answer needs too.
std::vector<const std::string*> AnswersOf(const Firm& offerer) {
  std::vector<const std::string*> answers;
  for (const auto* list : {&offerer.offers, &offerer.products, &offerer.technologies}) {
    for (const auto& item : *list) answers.push_back(&item);
  }
  return answers;
}

// How well `offerer` answers `needer`'s needs, phrase by phrase: each need
// takes its best answer; the result mixes the best-served need with the mean
// over needs (ReciprocalScorer::kBestNeedWeight).
float PhraseCoverage(const PhraseCache& phrases, const Firm& needer, const Firm& offerer) {
  if (needer.needs.empty()) return 0;
  const std::vector<const std::string*> answers = AnswersOf(offerer);
  float best_overall = 0;
  float sum = 0;
  for (const auto& need : needer.needs) {
    float best = 0;
    for (const std::string* answer : answers)
      best = std::max(best, phrases.Similarity(need, *answer));
    best_overall = std::max(best_overall, best);
    sum += best;
  }
  const float w = ReciprocalScorer::kBestNeedWeight;
  return w * best_overall + (1 - w) * sum / static_cast<float>(needer.needs.size());
}

std::vector<PhraseMatch> MatchPhrases(const PhraseCache& phrases, const Firm& needer,
                                      const Firm& offerer, size_t limit) {
  const std::vector<const std::string*> answers = AnswersOf(offerer);
  std::vector<PhraseMatch> matches;
  for (const auto& need : needer.needs) {
    PhraseMatch best;
    for (const std::string* offer : answers) {
      const float sim = phrases.Similarity(need, *offer);
      if (sim > best.similarity) best = {needer.id, need, offerer.id, *offer, sim};
    }
    if (best.similarity >= ReciprocalScorer::kMinPhraseSimilarity) matches.push_back(best);
  }
  std::sort(matches.begin(), matches.end(),
            [](const PhraseMatch& x, const PhraseMatch& y) { return x.similarity > y.similarity; });
  if (matches.size() > limit) matches.resize(limit);
  return matches;
}

std::vector<SimilarPhrases> MatchSimilar(const PhraseCache& phrases, const Firm& query,
                                         const Firm& candidate, size_t limit) {
  const std::vector<const std::string*> theirs = AnswersOf(candidate);
  std::vector<SimilarPhrases> matches;
  for (const std::string* mine : AnswersOf(query)) {
    SimilarPhrases best;
    for (const std::string* other : theirs) {
      const float sim = phrases.Similarity(*mine, *other);
      if (sim > best.similarity) best = {*mine, *other, sim};
    }
    if (best.similarity >= ReciprocalScorer::kMinPhraseSimilarity) matches.push_back(best);
  }
  std::sort(matches.begin(), matches.end(), [](const SimilarPhrases& x, const SimilarPhrases& y) {
    return x.similarity > y.similarity;
  });
  if (matches.size() > limit) matches.resize(limit);
  return matches;
}

void DescribeClusters(const Firm& a, const Firm& b, Explanation& out) {
  if (!a.mini_cluster.empty() && !b.mini_cluster.empty() && a.mini_cluster != b.mini_cluster) {
    out.other_mini_cluster = a.mini_cluster + " ↔ " + b.mini_cluster;
  }
  for (const auto& cluster : b.clusters) {
    if (std::find(a.clusters.begin(), a.clusters.end(), cluster) == a.clusters.end()) {
      out.other_clusters.push_back(cluster);
    }
  }
}

}  // namespace

float RoleComplement(const Firm& a, const Firm& b, std::vector<Role>* covered) {
  int missing = 0;
  int filled = 0;
  for (int r = 0; r < kRoleCount; ++r) {
    const Role role = static_cast<Role>(r);
    if (std::find(a.roles.begin(), a.roles.end(), role) != a.roles.end()) continue;
    ++missing;
    if (std::find(b.roles.begin(), b.roles.end(), role) != b.roles.end()) {
      ++filled;
      if (covered != nullptr) covered->push_back(role);
    }
  }
  return missing == 0 ? 0.0f : static_cast<float>(filled) / static_cast<float>(missing);
}

std::vector<std::string> SharedItems(const std::vector<std::string>& a,
                                     const std::vector<std::string>& b) {
  absl::flat_hash_set<std::string> other;
  for (const auto& item : b) other.insert(NormalisedOrRaw(item));
  std::vector<std::string> shared;
  for (const auto& item : a) {
    if (other.contains(NormalisedOrRaw(item))) shared.push_back(item);
  }
  return shared;
}

float ReciprocalScorer::Score(MatchIntent intent, const FirmSignals& a, const FirmSignals& b,
                              ComponentScores* components) const {
  ComponentScores c;
  float score = 0;
  switch (intent) {
    case MatchIntent::kPartner: {
      c.forward = kFieldWeight * Similarity(a, VectorField::kNeed, b, VectorField::kOffer) +
                  (1 - kFieldWeight) * PhraseCoverage(phrases_, *a.firm, *b.firm);
      c.backward = kFieldWeight * Similarity(b, VectorField::kNeed, a, VectorField::kOffer) +
                   (1 - kFieldWeight) * PhraseCoverage(phrases_, *b.firm, *a.firm);
      const float sum = c.forward + c.backward;
      const float harmonic = sum > 0 ? 2 * c.forward * c.backward / sum : 0;
      c.mutual = (1 - kArithmeticWeight) * harmonic + kArithmeticWeight * sum / 2;
      c.roles = RoleComplement(*a.firm, *b.firm, nullptr);
      score = c.mutual * (1 - kRoleWeight + kRoleWeight * c.roles);
      break;
    }
    case MatchIntent::kPeer: {
      c.topic = Similarity(a, VectorField::kTopic, b, VectorField::kTopic);
      const size_t shared = SharedItems(a.firm->technologies, b.firm->technologies).size();
      c.technologies = Jaccard(shared, a.firm->technologies.size(), b.firm->technologies.size());
      score = 0.8f * c.topic + 0.2f * c.technologies;
      break;
    }
    case MatchIntent::kPurchasing: {
      c.materials = Similarity(a, VectorField::kMaterials, b, VectorField::kMaterials);
      const size_t shared = SharedItems(a.firm->materials, b.firm->materials).size();
      score = 0.7f * c.materials +
              0.3f * Jaccard(shared, a.firm->materials.size(), b.firm->materials.size());
      break;
    }
  }
  if (components != nullptr) *components = c;
  return score;
}

float ReciprocalScorer::SearchScore(const FirmSignals& query, const FirmSignals& b,
                                    ComponentScores* components) const {
  ComponentScores c;
  c.forward = Similarity(query, VectorField::kOffer, b, VectorField::kOffer);
  c.topic = Similarity(query, VectorField::kTopic, b, VectorField::kTopic);
  if (components != nullptr) *components = c;
  return 0.7f * c.forward + 0.3f * c.topic;
}

Explanation ReciprocalScorer::Explain(MatchIntent intent, const FirmSignals& a,
                                      const FirmSignals& b,
                                      const ComponentScores& components) const {
  Explanation out;
  out.components = components;
  const Firm& fa = *a.firm;
  const Firm& fb = *b.firm;
  if (intent == MatchIntent::kPartner) {
    out.need_offer = MatchPhrases(phrases_, fa, fb, 2);
    for (auto& match : MatchPhrases(phrases_, fb, fa, 2))
      out.need_offer.push_back(std::move(match));
    RoleComplement(fa, fb, &out.roles_covered);
  }
  if (intent == MatchIntent::kPeer) out.similar_offers = MatchSimilar(phrases_, fa, fb, 3);
  if (intent == MatchIntent::kPurchasing)
    out.shared_materials = SharedItems(fa.materials, fb.materials);
  out.shared_technologies = SharedItems(fa.technologies, fb.technologies);
  DescribeClusters(fa, fb, out);
  return out;
}

Explanation ReciprocalScorer::ExplainSearch(std::string_view query, const FirmSignals& b,
                                            const ComponentScores& components) const {
  Explanation out;
  out.components = components;
  std::vector<std::pair<float, const std::string*>> scored;
  for (const auto* list : {&b.firm->offers, &b.firm->products, &b.firm->technologies}) {
    for (const auto& item : *list) {
      const float sim = phrases_.Similarity(query, item);
      if (sim >= kMinPhraseSimilarity) scored.emplace_back(sim, &item);
    }
  }
  std::sort(scored.begin(), scored.end(),
            [](const auto& x, const auto& y) { return x.first > y.first; });
  for (size_t i = 0; i < scored.size() && i < 3; ++i)
    out.matched_offers.push_back(*scored[i].second);
  return out;
}

float ReciprocalScorer::BestPhrase(std::string_view query, const Firm& b,
                                   std::string* phrase) const {
  float best = 0;
  for (const auto* list : {&b.offers, &b.products, &b.technologies}) {
    for (const auto& item : *list) {
      const float sim = phrases_.Similarity(query, item);
      if (sim <= best) continue;
      best = sim;
      if (phrase != nullptr) *phrase = item;
    }
  }
  return best;
}

float ReciprocalScorer::CapabilityMatch(std::string_view capability, const Firm& b,
                                        std::string* phrase) const {
  const float whole = BestPhrase(capability, b, phrase);
  std::vector<std::string> words;
  for (absl::string_view word :
       absl::StrSplit(absl::string_view(capability.data(), capability.size()),
                      absl::ByAnyChar(" ,;:/()-"), absl::SkipEmpty())) {
    if (!IsFunctionWord(word)) words.emplace_back(word);
  }
  if (words.size() < 2) return whole;
  float sum = 0;
  for (const std::string& word : words) sum += BestPhrase(word, b, nullptr);
  return std::sqrt(whole * sum / static_cast<float>(words.size()));
}

}  // namespace clustermatch
