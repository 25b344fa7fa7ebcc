// The one place that translates between the engine's Firm and the API's
// clustermatch.v1.Firm. Nothing else in the project sees both types.
#ifndef CLUSTERMATCH_SERVER_FIRM_PROTO_CONVERTER_H_
#define CLUSTERMATCH_SERVER_FIRM_PROTO_CONVERTER_H_

#include "absl/status/statusor.h"
#include "clustermatch/v1/firm.pb.h"
#include "engine/firm.h"

namespace clustermatch {

v1::Firm ToProto(const Firm& firm);
// The same, moving the firm's strings into `out` (cleared first) instead of
// copying them: for a firm the caller fetched only to send.
void ToProto(Firm&& firm, v1::Firm* out);
v1::FirmKind KindToProto(FirmKind kind);
v1::Visibility VisibilityToProto(Visibility visibility);
v1::Role RoleToProto(Role role);

// InvalidArgument naming the field for enum values the engine does not know
// (an out-of-range number, or ROLE_UNSPECIFIED in roles). It does not run
// ValidateFirm: callers validate the result.
absl::StatusOr<Firm> FromProto(const v1::Firm& proto);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_FIRM_PROTO_CONVERTER_H_
