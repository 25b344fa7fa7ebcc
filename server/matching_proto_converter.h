// Translates the matching vocabulary between the engine and the API:
// filters, intents, cross-cluster modes, recommendations and explanations.
// Like firm_proto_converter.h, the only code that sees both sides of them.
#ifndef CLUSTERMATCH_SERVER_MATCHING_PROTO_CONVERTER_H_
#define CLUSTERMATCH_SERVER_MATCHING_PROTO_CONVERTER_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "clustermatch/v1/matching.pb.h"
#include "engine/recommender.h"

namespace clustermatch {

v1::FirmFilter FilterToProto(const SearchFilter& filter);
v1::MatchIntent IntentToProto(MatchIntent intent);
v1::CrossCluster CrossClusterToProto(CrossCluster mode);

// InvalidArgument "FIELD.kinds[i]: unknown value N" for bad enums.
absl::StatusOr<SearchFilter> FilterFromProto(const v1::FirmFilter& proto, std::string_view field);
// UNSPECIFIED is the partner intent / no cross-cluster rule.
absl::StatusOr<MatchIntent> IntentFromProto(int value);
absl::StatusOr<CrossCluster> CrossClusterFromProto(int value);

v1::Explanation ExplanationToProto(const Explanation& explanation);
Explanation ExplanationFromProto(const v1::Explanation& proto);

// The firm profile is left for the caller to fill.
v1::Recommendation RecommendationToProto(const Recommendation& recommendation,
                                         bool with_explanation);
Recommendation RecommendationFromProto(const v1::Recommendation& proto);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_MATCHING_PROTO_CONVERTER_H_
