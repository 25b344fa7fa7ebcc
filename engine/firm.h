// The engine's own firm profile and relation types: plain C++ values with no
// protobuf dependency. server/firm_proto_converter.h is the one place that
// translates them to and from clustermatch.v1.Firm.
#ifndef CLUSTERMATCH_ENGINE_FIRM_H_
#define CLUSTERMATCH_ENGINE_FIRM_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clustermatch {

enum class FirmKind : uint8_t {
  kUnspecified = 0,
  kCompany = 1,
  kUniversity = 2,
  kResearchInstitute = 3,
  kSupportOrganisation = 4,
  kPublicBody = 5,
};

enum class Visibility : uint8_t {
  kPublic = 0,   // anyone
  kMembers = 1,  // callers with members scope for one of the firm's clusters
  kHidden = 2,   // never in anyone's results; admins and export only
};

enum class Role : uint8_t {
  kPlanning = 0,
  kDevelopment = 1,
  kProduction = 2,
  kMarketing = 3,
};
inline constexpr int kRoleCount = 4;

// The firm profile of PRODUCT.md. List fields keep their order; empty strings
// and duplicates are rejected by ValidateFirm (firm_validation.h).
struct Firm {
  std::string id;
  std::string name;
  std::string description;
  FirmKind kind = FirmKind::kUnspecified;
  std::vector<std::string> clusters;
  std::string mini_cluster;
  std::vector<std::string> industries;
  std::vector<std::string> technologies;
  std::vector<std::string> products;
  std::vector<std::string> offers;
  std::vector<std::string> needs;
  std::vector<Role> roles;
  std::vector<std::string> materials;
  std::vector<std::string> markets;
  std::string region;
  int32_t employees = 0;  // 0 when unknown
  int32_t founded = 0;    // year; 0 when unknown
  Visibility visibility = Visibility::kPublic;

  friend bool operator==(const Firm&, const Firm&) = default;
};

enum class RelationKind : uint8_t {
  kPartnered = 0,
  kMet = 1,
  kAccepted = 2,
  kDeclined = 3,
  kCompetitor = 4,
  kDoNotMatch = 5,
};

// A dated relation between two firms. Repeats are kept: how often and how
// recently two firms worked together matters.
struct Relation {
  std::string a;
  std::string b;
  RelationKind kind = RelationKind::kPartnered;
  std::string date;     // "YYYY-MM-DD" or "YYYY"
  std::string context;  // optional project or event id

  friend bool operator==(const Relation&, const Relation&) = default;
};

// Short lower-case names ("company", "research_institute", "members",
// "planning", "do_not_match") used in CSV files, the command line and text
// output. Parse* also accept the full proto names ("FIRM_KIND_COMPANY",
// "VISIBILITY_MEMBERS", "ROLE_PLANNING", "RELATION_KIND_PARTNERED"), any case,
// and '-' for '_'.
std::string_view FirmKindName(FirmKind kind);
std::string_view VisibilityName(Visibility visibility);
std::string_view RoleName(Role role);
std::string_view RelationKindName(RelationKind kind);
std::optional<FirmKind> ParseFirmKind(std::string_view text);
std::optional<Visibility> ParseVisibility(std::string_view text);
std::optional<Role> ParseRole(std::string_view text);
std::optional<RelationKind> ParseRelationKind(std::string_view text);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_FIRM_H_
