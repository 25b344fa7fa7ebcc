// Translates relations (feedback) and API keys between the engine and the
// API. The only code that sees both sides of them.
#ifndef CLUSTERMATCH_SERVER_RELATION_PROTO_CONVERTER_H_
#define CLUSTERMATCH_SERVER_RELATION_PROTO_CONVERTER_H_

#include "absl/status/statusor.h"
#include "clustermatch/v1/admin_service.pb.h"
#include "clustermatch/v1/relation.pb.h"
#include "engine/api_key.h"
#include "engine/firm.h"

namespace clustermatch {

v1::Relation RelationToProto(const Relation& relation);
// InvalidArgument "kind: ..." for UNSPECIFIED or unknown kinds. Does not run
// ValidateRelation: callers validate the result.
absl::StatusOr<Relation> RelationFromProto(const v1::Relation& proto);
absl::StatusOr<RelationKind> RelationKindFromProto(int value);

v1::ApiKey ApiKeyToProto(const ApiKeyRecord& key);
// InvalidArgument "role: ..." for UNSPECIFIED or unknown roles.
absl::StatusOr<KeyRole> KeyRoleFromProto(int value);
// UNSPECIFIED is public.
absl::StatusOr<KeyScope> KeyScopeFromProto(int value);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_RELATION_PROTO_CONVERTER_H_
