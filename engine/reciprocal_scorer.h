// ReciprocalScorer: the score of a candidate for a query firm under an
// intent, and the explanation behind it (PRODUCT.md, "What a good match
// means").
//
//   partner:    forward  = how well the candidate's offers (and products and
//                          technologies) answer the query's needs: half the
//                          whole-field similarity, half the mean over needs
//                          of each need's best-answering phrase
//               backward = the same with the roles swapped
//               mutual   = (1 - a) * harmonic mean + a * arithmetic mean of
//                          the two (a = kArithmeticWeight): a one-sided match
//                          scores at most half the plain average, while a
//                          pair whose vocabularies meet only one way is not
//                          zeroed out
//               score    = mutual * (1 - w + w * roles), roles being the
//                          share of the query's missing value-chain roles
//                          that the candidate covers (w = kRoleWeight)
//   peer:       0.8 * topic similarity + 0.2 * technology overlap
//   purchasing: 0.7 * materials similarity + 0.3 * exact materials overlap
//   search:     0.7 * sim(query, offers) + 0.3 * sim(query, topic)
//
// Thread safety: stateless apart from the borrowed model; const methods may
// run concurrently.
#ifndef CLUSTERMATCH_ENGINE_RECIPROCAL_SCORER_H_
#define CLUSTERMATCH_ENGINE_RECIPROCAL_SCORER_H_

#include <string>
#include <vector>

#include "engine/explanation.h"
#include "engine/firm_signals.h"
#include "engine/phrase_cache.h"
#include "engine/relation_graph.h"
#include "models/text_model.h"

namespace clustermatch {

class ReciprocalScorer {
 public:
  static constexpr float kRoleWeight = 0.2f;
  static constexpr float kFieldWeight = 0.5f;       // whole field vs phrase by phrase
  static constexpr float kBestNeedWeight = 0.0f;    // best-served need vs mean over needs
  static constexpr float kArithmeticWeight = 0.5f;  // see "mutual" above
  // Phrase pairs below this similarity are not worth reading out.
  static constexpr float kMinPhraseSimilarity = 0.25f;

  explicit ReciprocalScorer(const TextModel& model) : phrases_(model) {}

  // The query firm's side of a ranking under one intent, prepared once for
  // all its candidates: its phrase lists and fields indexed for comparison,
  // its lists normalised. Scores and explanations through it equal those of
  // the unprepared calls bit for bit. Borrows the query's signals, which
  // must outlive it; const, so it may be shared between threads.
  class Query {
   public:
    MatchIntent intent() const { return intent_; }
    const FirmSignals& signals() const { return *signals_; }

   private:
    friend class ReciprocalScorer;
    MatchIntent intent_ = MatchIntent::kPartner;
    const FirmSignals* signals_ = nullptr;
    PhraseSet needs_;    // partner: the query's needs
    PhraseSet answers_;  // partner, peer: its offers, products, technologies
    FieldComparer need_field_;
    FieldComparer offer_field_;
    FieldComparer topic_field_;
    FieldComparer materials_field_;
    std::vector<std::string> technologies_;  // normalised
    std::vector<std::string> materials_;     // normalised
  };
  Query Prepare(MatchIntent intent, const FirmSignals& a) const;
  // Score and Explain of the query `query` was prepared for, with b.
  float Score(const Query& query, const FirmSignals& b, ComponentScores* components) const;
  Explanation Explain(const Query& query, const FirmSignals& b,
                      const ComponentScores& components) const;
  // The topic component of the peer score (ComponentScores::topic), for any
  // prepared intent.
  float Topic(const Query& query, const FirmSignals& b) const;

  // The candidate's fields that Score under `intent` compares (Topic adds
  // kTopic): a candidate's signals need only these loaded.
  static FieldMask CandidateFields(MatchIntent intent);
  // Whether Score under `intent` compares a candidate's phrases one by one
  // (then worth resolving once per firm: FirmSignals::phrases).
  static bool ComparesPhrases(MatchIntent intent) { return intent == MatchIntent::kPartner; }
  // The phrase cache Score and Explain read, to resolve firms' phrases in.
  const PhraseCache& phrases() const { return phrases_; }
  // The candidate's fields that SearchScore compares.
  static constexpr FieldMask kSearchFields =
      FieldBit(VectorField::kOffer) | FieldBit(VectorField::kTopic);

  // The score in [0, 1] and its parts. `a` is the query firm.
  float Score(MatchIntent intent, const FirmSignals& a, const FirmSignals& b,
              ComponentScores* components) const;
  // Score of a candidate for a free-text query (QuerySignals).
  float SearchScore(const FirmSignals& query, const FirmSignals& b,
                    ComponentScores* components) const;

  // The readable reasons for a scored pair. `a` is the query firm.
  Explanation Explain(MatchIntent intent, const FirmSignals& a, const FirmSignals& b,
                      const ComponentScores& components) const;
  // The readable reasons for a search hit.
  Explanation ExplainSearch(std::string_view query, const FirmSignals& b,
                            const ComponentScores& components) const;
  // The best similarity between `query` and one of b's offers, products or
  // technologies (0 when it lists none), and that phrase when `phrase` is
  // set: how directly a firm states a capability.
  float BestPhrase(std::string_view query, const Firm& b, std::string* phrase) const;
  // How fully b states a required capability: the geometric mean of
  // BestPhrase and the mean, over the capability's content words, of each
  // word's best similarity to one of b's phrases. One shared generic word ("computing"
  // in "quantum computing chips" against "edge computing") no longer counts
  // as the whole capability.
  float CapabilityMatch(std::string_view capability, const Firm& b, std::string* phrase) const;

 private:
  const PhraseCache phrases_;
};

// The share of `a`'s missing roles that `b` covers (0 when `a` lacks none),
// and which ones.
float RoleComplement(const Firm& a, const Firm& b, std::vector<Role>* covered);

// Items of two lists that are equal after normalisation (NFKC, case
// folding), in `a`'s order and spelling.
std::vector<std::string> SharedItems(const std::vector<std::string>& a,
                                     const std::vector<std::string>& b);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_RECIPROCAL_SCORER_H_
