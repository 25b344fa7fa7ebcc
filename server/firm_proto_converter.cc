#include "server/firm_proto_converter.h"

#include <string>

#include "server/proto_repeated.h"

namespace clustermatch {
v1::Visibility VisibilityToProto(Visibility visibility) {
  switch (visibility) {
    case Visibility::kPublic:
      return v1::VISIBILITY_PUBLIC;
    case Visibility::kMembers:
      return v1::VISIBILITY_MEMBERS;
    case Visibility::kHidden:
      return v1::VISIBILITY_HIDDEN;
  }
  return v1::VISIBILITY_UNSPECIFIED;
}

// The engine's FirmKind numbers are the proto's.
v1::FirmKind KindToProto(FirmKind kind) { return static_cast<v1::FirmKind>(kind); }

// Engine roles count from 0, proto roles from 1 (0 is ROLE_UNSPECIFIED).
v1::Role RoleToProto(Role role) { return static_cast<v1::Role>(static_cast<int>(role) + 1); }

namespace {

absl::StatusOr<Visibility> VisibilityFromProto(int value) {
  switch (value) {
    case v1::VISIBILITY_UNSPECIFIED:
    case v1::VISIBILITY_PUBLIC:
      return Visibility::kPublic;
    case v1::VISIBILITY_MEMBERS:
      return Visibility::kMembers;
    case v1::VISIBILITY_HIDDEN:
      return Visibility::kHidden;
  }
  return absl::InvalidArgumentError("visibility: unknown value " + std::to_string(value));
}

}  // namespace

v1::Firm ToProto(const Firm& firm) {
  v1::Firm proto;
  proto.set_id(firm.id);
  proto.set_name(firm.name);
  proto.set_description(firm.description);
  proto.set_kind(KindToProto(firm.kind));
  ToRepeated(firm.clusters, proto.mutable_clusters());
  proto.set_mini_cluster(firm.mini_cluster);
  ToRepeated(firm.industries, proto.mutable_industries());
  ToRepeated(firm.technologies, proto.mutable_technologies());
  ToRepeated(firm.products, proto.mutable_products());
  ToRepeated(firm.offers, proto.mutable_offers());
  ToRepeated(firm.needs, proto.mutable_needs());
  for (Role role : firm.roles) proto.add_roles(RoleToProto(role));
  ToRepeated(firm.materials, proto.mutable_materials());
  ToRepeated(firm.markets, proto.mutable_markets());
  proto.set_region(firm.region);
  proto.set_employees(firm.employees);
  proto.set_founded(firm.founded);
  proto.set_visibility(VisibilityToProto(firm.visibility));
  return proto;
}

absl::StatusOr<Firm> FromProto(const v1::Firm& proto) {
  Firm firm;
  firm.id = proto.id();
  firm.name = proto.name();
  firm.description = proto.description();
  if (!v1::FirmKind_IsValid(proto.kind())) {
    return absl::InvalidArgumentError("kind: unknown value " + std::to_string(proto.kind()));
  }
  firm.kind = static_cast<FirmKind>(proto.kind());
  firm.clusters = ToVector(proto.clusters());
  firm.mini_cluster = proto.mini_cluster();
  firm.industries = ToVector(proto.industries());
  firm.technologies = ToVector(proto.technologies());
  firm.products = ToVector(proto.products());
  firm.offers = ToVector(proto.offers());
  firm.needs = ToVector(proto.needs());
  for (int i = 0; i < proto.roles_size(); ++i) {
    const int value = proto.roles(i);
    if (value <= v1::ROLE_UNSPECIFIED || value > v1::Role_MAX) {
      return absl::InvalidArgumentError("roles[" + std::to_string(i) + "]: unknown value " +
                                        std::to_string(value));
    }
    firm.roles.push_back(static_cast<Role>(value - 1));
  }
  firm.materials = ToVector(proto.materials());
  firm.markets = ToVector(proto.markets());
  firm.region = proto.region();
  firm.employees = proto.employees();
  firm.founded = proto.founded();
  auto visibility = VisibilityFromProto(proto.visibility());
  if (!visibility.ok()) return visibility.status();
  firm.visibility = *visibility;
  return firm;
}

}  // namespace clustermatch
