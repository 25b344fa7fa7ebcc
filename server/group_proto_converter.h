// clustermatch.v1 group messages <-> the engine's group workflow requests
// and reports. Request errors name the proto field.
#ifndef CLUSTERMATCH_SERVER_GROUP_PROTO_CONVERTER_H_
#define CLUSTERMATCH_SERVER_GROUP_PROTO_CONVERTER_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "clustermatch/v1/group_service.pb.h"
#include "engine/consortium_workflow.h"
#include "engine/founder_workflow.h"
#include "engine/purchasing_workflow.h"
#include "engine/sig_workflow.h"
#include "server/cli_output.h"

namespace clustermatch {

// The filter is converted but not yet restricted to the caller's scope.
absl::StatusOr<SigRequest> SigRequestFromProto(const v1::SuggestSigsRequest& proto);
absl::StatusOr<FounderRequest> FounderRequestFromProto(const v1::ProposeFoundersRequest& proto);
absl::StatusOr<ConsortiumRequest> ConsortiumRequestFromProto(
    const v1::AssembleConsortiumRequest& proto);
absl::StatusOr<PoolRequest> PoolRequestFromProto(const v1::FormPurchasingPoolsRequest& proto);

// `firm` gives each member's profile (name, kind, region...), or null for
// a firm the caller may not see, which is then left out.
using FirmLookup = std::function<const Firm*(const std::string& id)>;
v1::SuggestSigsResponse SigReportToProto(const SigReport& report, const FirmLookup& firm);
// Reasons are worded in `language`.
v1::ProposeFoundersResponse FounderReportToProto(const FounderReport& report,
                                                 const FirmLookup& firm, Language language);
v1::AssembleConsortiumResponse ConsortiumReportToProto(const ConsortiumReport& report,
                                                       const FirmLookup& firm, Language language);
v1::FormPurchasingPoolsResponse PoolReportToProto(const PoolReport& report, const FirmLookup& firm);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_GROUP_PROTO_CONVERTER_H_
