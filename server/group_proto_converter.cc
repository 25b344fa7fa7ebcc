#include "server/group_proto_converter.h"

#include "absl/strings/str_cat.h"
#include "engine/status_macros.h"
#include "server/firm_proto_converter.h"
#include "server/group_reason_text.h"
#include "server/matching_proto_converter.h"
#include "server/proto_repeated.h"

namespace clustermatch {
namespace {

void SetFirm(const Firm* firm, v1::GroupFirm* out) {
  out->set_id(firm->id);
  out->set_name(firm->name);
  out->set_kind(KindToProto(firm->kind));
  out->set_mini_cluster(firm->mini_cluster);
  out->set_region(firm->region);
}

}  // namespace

absl::StatusOr<SigRequest> SigRequestFromProto(const v1::SuggestSigsRequest& proto) {
  SigRequest r;
  CM_ASSIGN_OR_RETURN(r.filter, FilterFromProto(proto.filter(), "filter"));
  r.firm_ids = ToVector(proto.firm_ids());
  if (proto.has_min_size()) r.min_size = proto.min_size();
  if (proto.has_max_size()) r.max_size = proto.max_size();
  if (proto.convergence() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("convergence: must be 0 or more, got ", proto.convergence()));
  }
  if (proto.groups() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("groups: must be 0 or more, got ", proto.groups()));
  }
  r.convergence = proto.convergence();
  r.groups = proto.groups();
  if (proto.has_seed()) r.seed = proto.seed();
  return r;
}

absl::StatusOr<FounderRequest> FounderRequestFromProto(const v1::ProposeFoundersRequest& proto) {
  FounderRequest r;
  r.topic = proto.topic();
  if (proto.has_size()) r.size = proto.size();
  if (proto.has_min_research()) r.min_research = proto.min_research();
  r.min_mini_clusters = proto.min_mini_clusters();
  CM_ASSIGN_OR_RETURN(r.filter, FilterFromProto(proto.filter(), "filter"));
  return r;
}

absl::StatusOr<ConsortiumRequest> ConsortiumRequestFromProto(
    const v1::AssembleConsortiumRequest& proto) {
  ConsortiumRequest r;
  r.call_text = proto.call_text();
  for (int i = 0; i < proto.capabilities_size(); ++i) {
    if (proto.capabilities(i).find_first_not_of(" \t\r\n") == std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat("capabilities[", i, "]: must not be empty"));
    }
    r.capabilities.push_back(proto.capabilities(i));
  }
  for (int i = 0; i < proto.roles_size(); ++i) {
    const int value = proto.roles(i);
    if (value <= v1::ROLE_UNSPECIFIED || value > v1::Role_MAX) {
      return absl::InvalidArgumentError(
          absl::StrCat("roles[", i, "]: must be a value-chain role, got ", value));
    }
    r.roles.push_back(static_cast<Role>(value - 1));
  }
  if (proto.has_min_size()) r.min_size = proto.min_size();
  if (proto.has_max_size()) r.max_size = proto.max_size();
  r.lead_firm = proto.lead_firm_id();
  CM_ASSIGN_OR_RETURN(r.filter, FilterFromProto(proto.filter(), "filter"));
  return r;
}

absl::StatusOr<PoolRequest> PoolRequestFromProto(const v1::FormPurchasingPoolsRequest& proto) {
  PoolRequest r;
  CM_ASSIGN_OR_RETURN(r.filter, FilterFromProto(proto.filter(), "filter"));
  if (proto.has_min_size()) r.min_size = proto.min_size();
  r.max_size = proto.max_size();
  r.merge_similar = !proto.exact_materials();
  return r;
}

v1::SuggestSigsResponse SigReportToProto(const SigReport& report, const FirmLookup& firm) {
  v1::SuggestSigsResponse proto;
  proto.set_firms(static_cast<uint32_t>(report.firms));
  proto.set_mean_cohesion(report.mean_cohesion);
  for (const SigSuggestion& sig : report.sigs) {
    v1::Sig* out = proto.add_sigs();
    ToRepeated(sig.label, out->mutable_label());
    out->set_cohesion(sig.cohesion);
    ToRepeated(sig.mini_clusters, out->mutable_mini_clusters());
    for (const SigMember& m : sig.members) {
      const Firm* profile = firm(m.id);
      if (profile == nullptr) continue;
      v1::SigMember* member = out->add_members();
      SetFirm(profile, member->mutable_firm());
      member->set_fit(m.fit);
    }
  }
  for (const UnplacedMember& u : report.unplaced) {
    v1::UnplacedFirm* out = proto.add_unplaced();
    out->set_firm_id(u.id);
    out->set_reason(u.reason);
  }
  return proto;
}

v1::ProposeFoundersResponse FounderReportToProto(const FounderReport& report,
                                                 const FirmLookup& firm, Language language) {
  v1::ProposeFoundersResponse proto;
  ToRepeated(report.sub_areas, proto.mutable_sub_areas());
  for (const FounderPick& f : report.founders) {
    const Firm* profile = firm(f.id);
    if (profile == nullptr) continue;
    v1::Founder* out = proto.add_founders();
    SetFirm(profile, out->mutable_firm());
    out->set_relevance(f.relevance);
    ToRepeated(f.sub_areas, out->mutable_sub_areas());
    ToRepeated(ReasonTexts(f.reasons, language), out->mutable_reasons());
  }
  for (const SubAreaCover& c : report.coverage) {
    v1::SubAreaCoverage* out = proto.add_coverage();
    out->set_sub_area(c.sub_area);
    out->set_firm_id(c.firm_id);
    out->set_coverage(c.coverage);
  }
  ToRepeated(report.unmet, proto.mutable_unmet());
  proto.set_candidates(static_cast<uint32_t>(report.candidates));
  proto.set_exact(report.exact);
  return proto;
}

v1::AssembleConsortiumResponse ConsortiumReportToProto(const ConsortiumReport& report,
                                                       const FirmLookup& firm, Language language) {
  v1::AssembleConsortiumResponse proto;
  for (const ConsortiumMember& m : report.members) {
    const Firm* profile = firm(m.id);
    if (profile == nullptr) continue;
    v1::ConsortiumMember* out = proto.add_members();
    SetFirm(profile, out->mutable_firm());
    out->set_lead(m.lead);
    ToRepeated(m.covers, out->mutable_covers());
    out->set_compatibility(m.compatibility);
    ToRepeated(ReasonTexts(m.reasons, language), out->mutable_reasons());
  }
  for (const RequirementCover& c : report.requirements) {
    v1::RequirementCoverage* out = proto.add_requirements();
    out->set_requirement(c.requirement);
    out->set_role(c.role);
    out->set_covered(c.covered);
    out->set_coverage(c.coverage);
    out->set_firm_id(c.firm_id);
    out->set_evidence(c.evidence);
  }
  ToRepeated(report.gaps, proto.mutable_gaps());
  proto.set_covered(report.covered);
  proto.set_coverage(report.coverage);
  proto.set_mean_compatibility(report.mean_compatibility);
  proto.set_exact(report.exact);
  proto.set_method(report.method);
  ToRepeated(report.unmet, proto.mutable_unmet());
  proto.set_candidates(static_cast<uint32_t>(report.candidates));
  return proto;
}

v1::FormPurchasingPoolsResponse PoolReportToProto(const PoolReport& report,
                                                  const FirmLookup& firm) {
  v1::FormPurchasingPoolsResponse proto;
  proto.set_firms(static_cast<uint32_t>(report.firms));
  proto.set_firms_with_materials(static_cast<uint32_t>(report.firms_with_materials));
  for (const PoolSummary& p : report.pools) {
    v1::PurchasingPool* out = proto.add_pools();
    out->set_material(p.material);
    ToRepeated(p.spellings, out->mutable_spellings());
    for (const PoolMember& m : p.members) {
      if (const Firm* profile = firm(m.id); profile != nullptr)
        SetFirm(profile, out->add_members());
    }
    out->set_part(p.part);
    out->set_parts(p.parts);
  }
  for (const PoolLeftOutFirm& l : report.left_out) {
    v1::PoolLeftOut* out = proto.add_left_out();
    out->set_firm_id(l.firm_id);
    out->set_material(l.material);
    out->set_reason(l.reason);
  }
  return proto;
}

}  // namespace clustermatch
