// Joint-project consortia: for a call's required capabilities and
// value-chain roles, a team of firms that covers them and works well
// together, with what stays uncovered named.
//
//   requirements  the capabilities given, or the phrases of the call text;
//                 plus the roles asked for (planning, development,
//                 production, marketing)
//   pool          free-text search for each capability and the call, plus
//                 the lead firm
//   coverage      capability: how fully the firm's offers, products or
//                 technologies state it (the whole phrase and each of its
//                 words), 0 up to kPhraseFloor, full from kCapabilityMatch on;
//                 role: 1 when the firm lists the role
//   compatibility the partner-intent pair score, raised for firms that
//                 already partnered
//   choice        team_selection.h (exact when small, greedy otherwise);
//                 competitors and do-not-match pairs are never both in
#ifndef CLUSTERMATCH_ENGINE_CONSORTIUM_WORKFLOW_H_
#define CLUSTERMATCH_ENGINE_CONSORTIUM_WORKFLOW_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/engine.h"
#include "engine/group_reason.h"

namespace clustermatch {

// Capability match (ReciprocalScorer::CapabilityMatch) from which a firm
// covers a capability fully, and up to which not at all. On the sample
// cluster the best firm for a capability someone offers scores 0.62 to 0.94
// ("PLC control software" 0.62, "정밀 가공" 0.78, "motion capture" 0.94);
// for capabilities nobody offers it stays at or below 0.50 ("offshore rig
// maintenance" 0.50, "satellite launch services" 0.46, "quantum computing
// chips" 0.45).
inline constexpr float kCapabilityMatch = 0.55f;
inline constexpr float kPhraseFloor = 0.35f;
// Compatibility added for a pair that has partnered before.
inline constexpr float kPartneredBonus = 0.25f;

struct ConsortiumRequest {
  std::string call_text;
  std::vector<std::string> capabilities;  // empty: the phrases of call_text
  std::vector<Role> roles;
  int min_size = 3;
  int max_size = 6;
  std::string lead_firm;  // optional; always in the team
  SearchFilter filter;    // the caller's visibility and any restriction
  int hits_per_requirement = 15;
};

struct ConsortiumMember {
  std::string id;
  std::string name;
  FirmKind kind = FirmKind::kUnspecified;
  std::string mini_cluster;
  bool lead = false;
  std::vector<std::string> covers;  // requirements it covers best
  float compatibility = 0;          // mean with the other members
  std::vector<GroupReason> reasons;
};

struct RequirementCover {
  std::string requirement;  // a capability, or a role's name
  bool role = false;
  bool covered = false;
  float coverage = 0;    // best member's, in [0, 1]
  std::string firm_id;   // that member; empty when nobody in the team has any
  std::string evidence;  // its offer that matched, when one did
};

struct ConsortiumReport {
  std::vector<ConsortiumMember> members;  // the lead first, then in the order chosen
  std::vector<RequirementCover> requirements;
  std::vector<std::string> gaps;  // requirements left uncovered
  int covered = 0;                // requirements fully covered
  double coverage = 0;            // weighted coverage with partial credit, in [0, 1]
  double mean_compatibility = 0;
  bool exact = false;
  std::string method;  // how the team was chosen, and the guarantee
  std::vector<std::string> unmet;
  size_t candidates = 0;
};

// InvalidArgument naming the field when nothing is required or sizes are
// bad; NotFound "lead_firm: ..." for a lead firm the caller cannot see.
absl::StatusOr<ConsortiumReport> AssembleConsortium(const Engine& engine,
                                                    const ConsortiumRequest& request);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_CONSORTIUM_WORKFLOW_H_
