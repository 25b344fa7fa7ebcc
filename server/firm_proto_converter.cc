#include "server/firm_proto_converter.h"

#include <string>
#include <utility>

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

void ToProto(Firm&& firm, v1::Firm* out) {
  out->Clear();
  out->set_id(std::move(firm.id));
  out->set_name(std::move(firm.name));
  out->set_description(std::move(firm.description));
  out->set_kind(KindToProto(firm.kind));
  MoveToRepeated(std::move(firm.clusters), out->mutable_clusters());
  out->set_mini_cluster(std::move(firm.mini_cluster));
  MoveToRepeated(std::move(firm.industries), out->mutable_industries());
  MoveToRepeated(std::move(firm.technologies), out->mutable_technologies());
  MoveToRepeated(std::move(firm.products), out->mutable_products());
  MoveToRepeated(std::move(firm.offers), out->mutable_offers());
  MoveToRepeated(std::move(firm.needs), out->mutable_needs());
  for (Role role : firm.roles) out->add_roles(RoleToProto(role));
  MoveToRepeated(std::move(firm.materials), out->mutable_materials());
  MoveToRepeated(std::move(firm.markets), out->mutable_markets());
  out->set_region(std::move(firm.region));
  out->set_employees(firm.employees);
  out->set_founded(firm.founded);
  out->set_visibility(VisibilityToProto(firm.visibility));
}

v1::Firm ToProto(const Firm& firm) {
  v1::Firm proto;
  ToProto(Firm(firm), &proto);
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
