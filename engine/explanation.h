// Explanation: why two firms were proposed to each other, in the terms a
// coordinator reads out: which need met which offer, the shared
// technologies, the value-chain roles covered, the other mini-cluster, and
// the component scores behind the ranking.
#ifndef CLUSTERMATCH_ENGINE_EXPLANATION_H_
#define CLUSTERMATCH_ENGINE_EXPLANATION_H_

#include <string>
#include <vector>

#include "engine/firm.h"

namespace clustermatch {

// One need of `need_firm` answered by one offer (or product or technology)
// of `offer_firm`.
struct PhraseMatch {
  std::string need_firm;
  std::string need;
  std::string offer_firm;
  std::string offer;
  float similarity = 0;
};

// Two firms' offers (or technologies, products) that say much the same
// thing: the reason two firms are peers.
struct SimilarPhrases {
  std::string query_phrase;
  std::string candidate_phrase;
  float similarity = 0;
};

// The parts of a score. Unused parts stay 0 (boost stays 1).
struct ComponentScores {
  float forward = 0;       // query's needs against the candidate's offers
  float backward = 0;      // candidate's needs against the query's offers
  float mutual = 0;        // both directions combined (harmonic mean)
  float roles = 0;         // share of the query's missing roles the candidate covers
  float topic = 0;         // topic similarity
  float technologies = 0;  // overlap of the technology lists (Jaccard)
  float materials = 0;     // materials similarity
  float boost = 1;         // cross-cluster preference factor
  // Learned partner ranking (engine/partner_blend.h); 0 when it is not used.
  float common_partners = 0;  // distinct partners the two firms share
  float relational = 0;       // cosine of their relational embeddings
  float learned = 0;          // the blend's probability of a partnership

  friend bool operator==(const ComponentScores&, const ComponentScores&) = default;
};

struct Explanation {
  std::vector<PhraseMatch> need_offer;
  // Peer intent: the query's offers that the candidate's resemble most.
  std::vector<SimilarPhrases> similar_offers;
  std::vector<std::string> shared_technologies;
  std::vector<Role> roles_covered;
  std::vector<std::string> shared_materials;
  // Query phrases matched in a free-text search: the candidate's offers.
  std::vector<std::string> matched_offers;
  // "DC ↔ IMT" when the two firms sit in different mini-clusters; empty otherwise.
  std::string other_mini_cluster;
  // Clusters of the candidate that the query firm is not in.
  std::vector<std::string> other_clusters;
  ComponentScores components;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_EXPLANATION_H_
