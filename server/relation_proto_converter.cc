#include "server/relation_proto_converter.h"

#include <string>

namespace clustermatch {

// Engine relation kinds, key roles and scopes count from 0 in the proto's
// order; the proto's count from 1 (0 is UNSPECIFIED).

v1::Relation RelationToProto(const Relation& relation) {
  v1::Relation proto;
  proto.set_firm_a(relation.a);
  proto.set_firm_b(relation.b);
  proto.set_kind(static_cast<v1::RelationKind>(static_cast<int>(relation.kind) + 1));
  proto.set_date(relation.date);
  proto.set_context(relation.context);
  return proto;
}

absl::StatusOr<RelationKind> RelationKindFromProto(int value) {
  if (value <= v1::RELATION_KIND_UNSPECIFIED || !v1::RelationKind_IsValid(value)) {
    return absl::InvalidArgumentError(
        "kind: expected partnered, met, accepted, declined, competitor or do_not_match, got " +
        std::to_string(value));
  }
  return static_cast<RelationKind>(value - 1);
}

absl::StatusOr<Relation> RelationFromProto(const v1::Relation& proto) {
  absl::StatusOr<RelationKind> kind = RelationKindFromProto(proto.kind());
  if (!kind.ok()) return kind.status();
  return Relation{proto.firm_a(), proto.firm_b(), *kind, proto.date(), proto.context()};
}

v1::ApiKey ApiKeyToProto(const ApiKeyRecord& key) {
  v1::ApiKey proto;
  proto.set_id(key.id);
  proto.set_role(static_cast<v1::KeyRole>(static_cast<int>(key.role) + 1));
  proto.set_scope(static_cast<v1::KeyScope>(static_cast<int>(key.scope) + 1));
  proto.set_cluster(key.cluster);
  proto.set_label(key.label);
  proto.set_created_at(key.created_at);
  proto.set_revoked_at(key.revoked_at);
  return proto;
}

absl::StatusOr<KeyRole> KeyRoleFromProto(int value) {
  if (value <= v1::KEY_ROLE_UNSPECIFIED || !v1::KeyRole_IsValid(value)) {
    return absl::InvalidArgumentError("role: expected reader, writer, organiser or admin, got " +
                                      std::to_string(value));
  }
  return static_cast<KeyRole>(value - 1);
}

absl::StatusOr<KeyScope> KeyScopeFromProto(int value) {
  if (value == v1::KEY_SCOPE_UNSPECIFIED) return KeyScope::kPublic;
  if (!v1::KeyScope_IsValid(value)) {
    return absl::InvalidArgumentError("scope: expected public or members, got " +
                                      std::to_string(value));
  }
  return static_cast<KeyScope>(value - 1);
}

}  // namespace clustermatch
