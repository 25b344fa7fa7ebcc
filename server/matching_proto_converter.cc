#include "server/matching_proto_converter.h"

#include <string>

#include "server/firm_proto_converter.h"
#include "server/proto_repeated.h"

namespace clustermatch {
namespace {

absl::Status UnknownValue(std::string_view field, int value) {
  return absl::InvalidArgumentError(std::string(field) + ": unknown value " +
                                    std::to_string(value));
}

}  // namespace

absl::StatusOr<SearchFilter> FilterFromProto(const v1::FirmFilter& proto, std::string_view field) {
  SearchFilter filter;
  filter.clusters_any = ToVector(proto.clusters());
  filter.clusters_none = ToVector(proto.exclude_clusters());
  filter.mini_clusters_any = ToVector(proto.mini_clusters());
  filter.mini_clusters_none = ToVector(proto.exclude_mini_clusters());
  filter.regions = ToVector(proto.regions());
  for (int i = 0; i < proto.kinds_size(); ++i) {
    const int value = proto.kinds(i);
    if (value <= v1::FIRM_KIND_UNSPECIFIED || !v1::FirmKind_IsValid(value)) {
      return UnknownValue(std::string(field) + ".kinds[" + std::to_string(i) + "]", value);
    }
    filter.kinds.push_back(static_cast<FirmKind>(value));
  }
  return filter;
}

v1::FirmFilter FilterToProto(const SearchFilter& filter) {
  v1::FirmFilter proto;
  ToRepeated(filter.clusters_any, proto.mutable_clusters());
  ToRepeated(filter.clusters_none, proto.mutable_exclude_clusters());
  ToRepeated(filter.mini_clusters_any, proto.mutable_mini_clusters());
  ToRepeated(filter.mini_clusters_none, proto.mutable_exclude_mini_clusters());
  for (FirmKind kind : filter.kinds) proto.add_kinds(KindToProto(kind));
  ToRepeated(filter.regions, proto.mutable_regions());
  return proto;
}

v1::MatchIntent IntentToProto(MatchIntent intent) {
  switch (intent) {
    case MatchIntent::kPartner:
      return v1::MATCH_INTENT_PARTNER;
    case MatchIntent::kPeer:
      return v1::MATCH_INTENT_PEER;
    case MatchIntent::kPurchasing:
      return v1::MATCH_INTENT_PURCHASING;
  }
  return v1::MATCH_INTENT_UNSPECIFIED;
}

v1::CrossCluster CrossClusterToProto(CrossCluster mode) {
  switch (mode) {
    case CrossCluster::kOff:
      return v1::CROSS_CLUSTER_UNSPECIFIED;
    case CrossCluster::kOtherMiniCluster:
      return v1::CROSS_CLUSTER_OTHER_MINI_CLUSTER;
    case CrossCluster::kOtherCluster:
      return v1::CROSS_CLUSTER_OTHER_CLUSTER;
    case CrossCluster::kBoost:
      return v1::CROSS_CLUSTER_BOOST;
  }
  return v1::CROSS_CLUSTER_UNSPECIFIED;
}

absl::StatusOr<MatchIntent> IntentFromProto(int value) {
  switch (value) {
    case v1::MATCH_INTENT_UNSPECIFIED:
    case v1::MATCH_INTENT_PARTNER:
      return MatchIntent::kPartner;
    case v1::MATCH_INTENT_PEER:
      return MatchIntent::kPeer;
    case v1::MATCH_INTENT_PURCHASING:
      return MatchIntent::kPurchasing;
  }
  return UnknownValue("intent", value);
}

absl::StatusOr<CrossCluster> CrossClusterFromProto(int value) {
  switch (value) {
    case v1::CROSS_CLUSTER_UNSPECIFIED:
      return CrossCluster::kOff;
    case v1::CROSS_CLUSTER_OTHER_MINI_CLUSTER:
      return CrossCluster::kOtherMiniCluster;
    case v1::CROSS_CLUSTER_OTHER_CLUSTER:
      return CrossCluster::kOtherCluster;
    case v1::CROSS_CLUSTER_BOOST:
      return CrossCluster::kBoost;
  }
  return UnknownValue("cross_cluster", value);
}

v1::Explanation ExplanationToProto(const Explanation& e) {
  v1::Explanation proto;
  for (const PhraseMatch& m : e.need_offer) {
    v1::NeedOfferMatch* out = proto.add_need_offer();
    out->set_need_firm_id(m.need_firm);
    out->set_need(m.need);
    out->set_offer_firm_id(m.offer_firm);
    out->set_offer(m.offer);
    out->set_similarity(m.similarity);
  }
  for (const SimilarPhrases& s : e.similar_offers) {
    v1::SimilarPhrases* out = proto.add_similar_offers();
    out->set_query_phrase(s.query_phrase);
    out->set_candidate_phrase(s.candidate_phrase);
    out->set_similarity(s.similarity);
  }
  ToRepeated(e.shared_technologies, proto.mutable_shared_technologies());
  for (Role role : e.roles_covered) proto.add_roles_covered(RoleToProto(role));
  ToRepeated(e.shared_materials, proto.mutable_shared_materials());
  ToRepeated(e.matched_offers, proto.mutable_matched_offers());
  proto.set_other_mini_cluster(e.other_mini_cluster);
  ToRepeated(e.other_clusters, proto.mutable_other_clusters());
  v1::ComponentScores* c = proto.mutable_components();
  c->set_forward(e.components.forward);
  c->set_backward(e.components.backward);
  c->set_mutual(e.components.mutual);
  c->set_roles(e.components.roles);
  c->set_topic(e.components.topic);
  c->set_technologies(e.components.technologies);
  c->set_materials(e.components.materials);
  c->set_boost(e.components.boost);
  c->set_common_partners(e.components.common_partners);
  c->set_relational(e.components.relational);
  c->set_learned(e.components.learned);
  return proto;
}

Explanation ExplanationFromProto(const v1::Explanation& proto) {
  Explanation e;
  for (const v1::NeedOfferMatch& m : proto.need_offer()) {
    e.need_offer.push_back(
        PhraseMatch{m.need_firm_id(), m.need(), m.offer_firm_id(), m.offer(), m.similarity()});
  }
  for (const v1::SimilarPhrases& s : proto.similar_offers()) {
    e.similar_offers.push_back(
        SimilarPhrases{s.query_phrase(), s.candidate_phrase(), s.similarity()});
  }
  e.shared_technologies = ToVector(proto.shared_technologies());
  for (int role : proto.roles_covered()) {
    if (role > v1::ROLE_UNSPECIFIED && role <= v1::Role_MAX) {
      e.roles_covered.push_back(static_cast<Role>(role - 1));
    }
  }
  e.shared_materials = ToVector(proto.shared_materials());
  e.matched_offers = ToVector(proto.matched_offers());
  e.other_mini_cluster = proto.other_mini_cluster();
  e.other_clusters = ToVector(proto.other_clusters());
  const v1::ComponentScores& c = proto.components();
  e.components = ComponentScores{c.forward(),         c.backward(),     c.mutual(),    c.roles(),
                                 c.topic(),           c.technologies(), c.materials(), c.boost(),
                                 c.common_partners(), c.relational(),   c.learned()};
  return e;
}

v1::Recommendation RecommendationToProto(const Recommendation& recommendation,
                                         bool with_explanation) {
  v1::Recommendation proto;
  proto.set_firm_id(recommendation.firm_id);
  proto.set_score(recommendation.score);
  if (with_explanation)
    *proto.mutable_explanation() = ExplanationToProto(recommendation.explanation);
  return proto;
}

Recommendation RecommendationFromProto(const v1::Recommendation& proto) {
  return Recommendation{proto.firm_id(), proto.score(), ExplanationFromProto(proto.explanation())};
}

}  // namespace clustermatch
