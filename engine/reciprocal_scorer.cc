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

// How well `offerer` answers `needer`'s needs, phrase by phrase: each need
// takes its best answer; the result mixes the best-served need with the mean
// over needs (ReciprocalScorer::kBestNeedWeight).
float PhraseCoverage(const PhraseCache& phrases, const Firm& needer, const Firm& offerer) {
  if (needer.needs.empty()) return 0;
  const std::vector<const std::string*> answers = AnswerPhrases(offerer);
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
  const std::vector<const std::string*> answers = AnswerPhrases(offerer);
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
  const std::vector<const std::string*> theirs = AnswerPhrases(candidate);
  std::vector<SimilarPhrases> matches;
  for (const std::string* mine : AnswerPhrases(query)) {
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

// The similarities of every phrase of `set` with each phrase of `others`:
// row j of the result (set.size() entries) holds those with others[j].
std::vector<float> SimilarityRows(const PhraseSet& set,
                                  const std::vector<std::shared_ptr<const PhraseVectors>>& others) {
  std::vector<float> rows(set.size() * others.size());
  set.Similarities(others, rows.data());
  return rows;
}

// A candidate's phrases: resolved with its signals when the recommender
// asked for them, else looked up by text into `storage`.
const FirmPhrases& PhrasesOf(const PhraseCache& phrases, const FirmSignals& b,
                             FirmPhrases& storage) {
  if (b.phrases != nullptr) return *b.phrases;
  storage = phrases.OfFirm(*b.firm);
  return storage;
}

// PhraseCoverage with the needer's needs as `needs`, a prepared set, and
// the offerer's answers as `answers`.
float PreparedCoverageOfNeeds(const PhraseSet& needs,
                              const std::vector<std::shared_ptr<const PhraseVectors>>& answers) {
  const size_t n = needs.size();
  if (n == 0) return 0;
  const std::vector<float> rows = SimilarityRows(needs, answers);
  std::vector<float> best(n, 0.0f);
  for (size_t j = 0; j < rows.size() / n; ++j) {
    for (size_t i = 0; i < n; ++i) best[i] = std::max(best[i], rows[j * n + i]);
  }
  float best_overall = 0;
  float sum = 0;
  for (size_t i = 0; i < n; ++i) {
    best_overall = std::max(best_overall, best[i]);
    sum += best[i];
  }
  const float w = ReciprocalScorer::kBestNeedWeight;
  return w * best_overall + (1 - w) * sum / static_cast<float>(n);
}

// PhraseCoverage with the offerer's answers as `answers`, a prepared set,
// and the needer's needs as `needs`.
float PreparedCoverageByAnswers(const std::vector<std::shared_ptr<const PhraseVectors>>& needs,
                                const PhraseSet& answers) {
  if (needs.empty()) return 0;
  const size_t m = answers.size();
  const std::vector<float> rows = SimilarityRows(answers, needs);
  float best_overall = 0;
  float sum = 0;
  for (size_t i = 0; i < needs.size(); ++i) {
    float best = 0;
    for (size_t j = 0; j < m; ++j) best = std::max(best, rows[i * m + j]);
    best_overall = std::max(best_overall, best);
    sum += best;
  }
  const float w = ReciprocalScorer::kBestNeedWeight;
  return w * best_overall + (1 - w) * sum / static_cast<float>(needs.size());
}

// MatchPhrases from a table of similarities: sim(i, j) of need i and offer j,
// the best offer of each need taken in offer order.
template <typename Sim>
std::vector<PhraseMatch> MatchPhrasesFrom(const Firm& needer, const Firm& offerer,
                                          const std::vector<const std::string*>& answers,
                                          size_t limit, Sim sim) {
  std::vector<PhraseMatch> matches;
  for (size_t i = 0; i < needer.needs.size(); ++i) {
    float best_similarity = 0;
    const std::string* best_offer = nullptr;
    for (size_t j = 0; j < answers.size(); ++j) {
      const float s = sim(i, j);
      if (s > best_similarity) {
        best_similarity = s;
        best_offer = answers[j];
      }
    }
    if (best_offer != nullptr && best_similarity >= ReciprocalScorer::kMinPhraseSimilarity) {
      matches.push_back({needer.id, needer.needs[i], offerer.id, *best_offer, best_similarity});
    }
  }
  std::sort(matches.begin(), matches.end(),
            [](const PhraseMatch& x, const PhraseMatch& y) { return x.similarity > y.similarity; });
  if (matches.size() > limit) matches.resize(limit);
  return matches;
}

// The query's items (normalised in `normalised`) that b's list shares, in
// the query's order and spelling: SharedItems(items, b).
std::vector<std::string> SharedWith(const std::vector<std::string>& items,
                                    const std::vector<std::string>& normalised,
                                    const std::vector<std::string>& b) {
  std::vector<std::string> shared;
  if (items.empty() || b.empty()) return shared;
  absl::flat_hash_set<std::string> other;
  for (const auto& item : b) other.insert(NormalisedOrRaw(item));
  for (size_t i = 0; i < items.size(); ++i) {
    if (other.contains(normalised[i])) shared.push_back(items[i]);
  }
  return shared;
}

size_t CountShared(const std::vector<std::string>& normalised, const std::vector<std::string>& b) {
  if (normalised.empty() || b.empty()) return 0;
  absl::flat_hash_set<std::string> other;
  for (const auto& item : b) other.insert(NormalisedOrRaw(item));
  size_t count = 0;
  for (const auto& item : normalised) count += other.contains(item);
  return count;
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

ReciprocalScorer::Query ReciprocalScorer::Prepare(MatchIntent intent, const FirmSignals& a) const {
  Query query;
  query.intent_ = intent;
  query.signals_ = &a;
  const Firm& firm = *a.firm;
  query.topic_field_ = FieldComparer(a, VectorField::kTopic);
  for (const auto& item : firm.technologies) query.technologies_.push_back(NormalisedOrRaw(item));
  switch (intent) {
    case MatchIntent::kPartner: {
      query.needs_ = PhraseSet(phrases_, NeedPhrases(firm));
      query.answers_ = PhraseSet(phrases_, AnswerPhrases(firm));
      query.need_field_ = FieldComparer(a, VectorField::kNeed);
      query.offer_field_ = FieldComparer(a, VectorField::kOffer);
      break;
    }
    case MatchIntent::kPeer:
      query.answers_ = PhraseSet(phrases_, AnswerPhrases(firm));
      break;
    case MatchIntent::kPurchasing:
      query.materials_field_ = FieldComparer(a, VectorField::kMaterials);
      for (const auto& item : firm.materials) query.materials_.push_back(NormalisedOrRaw(item));
      break;
  }
  return query;
}

FieldMask ReciprocalScorer::CandidateFields(MatchIntent intent) {
  switch (intent) {
    case MatchIntent::kPartner:
      return FieldBit(VectorField::kNeed) | FieldBit(VectorField::kOffer);
    case MatchIntent::kPeer:
      return FieldBit(VectorField::kTopic);
    case MatchIntent::kPurchasing:
      return FieldBit(VectorField::kMaterials);
  }
  return kAllFields;
}

float ReciprocalScorer::Topic(const Query& query, const FirmSignals& b) const {
  return query.topic_field_.Similarity(b, VectorField::kTopic);
}

float ReciprocalScorer::Score(const Query& query, const FirmSignals& b,
                              ComponentScores* components) const {
  const Firm& fa = *query.signals().firm;
  const Firm& fb = *b.firm;
  ComponentScores c;
  float score = 0;
  switch (query.intent()) {
    case MatchIntent::kPartner: {
      FirmPhrases looked_up;
      const FirmPhrases& theirs = PhrasesOf(phrases_, b, looked_up);
      c.forward = kFieldWeight * query.need_field_.Similarity(b, VectorField::kOffer) +
                  (1 - kFieldWeight) * PreparedCoverageOfNeeds(query.needs_, theirs.answers);
      c.backward = kFieldWeight * query.offer_field_.Similarity(b, VectorField::kNeed) +
                   (1 - kFieldWeight) * PreparedCoverageByAnswers(theirs.needs, query.answers_);
      const float sum = c.forward + c.backward;
      const float harmonic = sum > 0 ? 2 * c.forward * c.backward / sum : 0;
      c.mutual = (1 - kArithmeticWeight) * harmonic + kArithmeticWeight * sum / 2;
      c.roles = RoleComplement(fa, fb, nullptr);
      score = c.mutual * (1 - kRoleWeight + kRoleWeight * c.roles);
      break;
    }
    case MatchIntent::kPeer: {
      c.topic = Topic(query, b);
      const size_t shared = CountShared(query.technologies_, fb.technologies);
      c.technologies = Jaccard(shared, fa.technologies.size(), fb.technologies.size());
      score = 0.8f * c.topic + 0.2f * c.technologies;
      break;
    }
    case MatchIntent::kPurchasing: {
      c.materials = query.materials_field_.Similarity(b, VectorField::kMaterials);
      const size_t shared = CountShared(query.materials_, fb.materials);
      score = 0.7f * c.materials + 0.3f * Jaccard(shared, fa.materials.size(), fb.materials.size());
      break;
    }
  }
  if (components != nullptr) *components = c;
  return score;
}

Explanation ReciprocalScorer::Explain(const Query& query, const FirmSignals& b,
                                      const ComponentScores& components) const {
  Explanation out;
  out.components = components;
  const Firm& fa = *query.signals().firm;
  const Firm& fb = *b.firm;
  const MatchIntent intent = query.intent();
  if (intent == MatchIntent::kPartner) {
    // The query's needs against b's answers, then b's needs against the
    // query's answers, each table filled in one pass per phrase of b.
    FirmPhrases looked_up;
    const FirmPhrases& their_phrases = PhrasesOf(phrases_, b, looked_up);
    const std::vector<const std::string*> theirs = AnswerPhrases(fb);
    const size_t n = query.needs_.size();
    const std::vector<float> forward = SimilarityRows(query.needs_, their_phrases.answers);
    out.need_offer =
        MatchPhrasesFrom(fa, fb, theirs, 2, [&](size_t i, size_t j) { return forward[j * n + i]; });
    const std::vector<const std::string*> mine = AnswerPhrases(fa);
    const size_t m = query.answers_.size();
    const std::vector<float> backward = SimilarityRows(query.answers_, their_phrases.needs);
    for (auto& match : MatchPhrasesFrom(fb, fa, mine, 2,
                                        [&](size_t i, size_t j) { return backward[i * m + j]; })) {
      out.need_offer.push_back(std::move(match));
    }
    RoleComplement(fa, fb, &out.roles_covered);
  }
  if (intent == MatchIntent::kPeer) {
    const std::vector<const std::string*> mine = AnswerPhrases(fa);
    const std::vector<const std::string*> theirs = AnswerPhrases(fb);
    std::vector<std::shared_ptr<const PhraseVectors>> looked_up;
    if (b.phrases == nullptr) phrases_.GetAll(theirs, &looked_up);
    const size_t m = query.answers_.size();
    const std::vector<float> rows =
        SimilarityRows(query.answers_, b.phrases != nullptr ? b.phrases->answers : looked_up);
    for (size_t i = 0; i < mine.size(); ++i) {
      float best_similarity = 0;
      const std::string* best = nullptr;
      for (size_t j = 0; j < theirs.size(); ++j) {
        if (rows[j * m + i] > best_similarity) {
          best_similarity = rows[j * m + i];
          best = theirs[j];
        }
      }
      if (best != nullptr && best_similarity >= kMinPhraseSimilarity) {
        out.similar_offers.push_back({*mine[i], *best, best_similarity});
      }
    }
    std::sort(out.similar_offers.begin(), out.similar_offers.end(),
              [](const SimilarPhrases& x, const SimilarPhrases& y) {
                return x.similarity > y.similarity;
              });
    if (out.similar_offers.size() > 3) out.similar_offers.resize(3);
  }
  if (intent == MatchIntent::kPurchasing) {
    out.shared_materials = SharedWith(fa.materials, query.materials_, fb.materials);
  }
  out.shared_technologies = SharedWith(fa.technologies, query.technologies_, fb.technologies);
  DescribeClusters(fa, fb, out);
  return out;
}

}  // namespace clustermatch
