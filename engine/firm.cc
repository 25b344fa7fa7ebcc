#include "engine/firm.h"

#include <array>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"

namespace clustermatch {
namespace {

// Debian's abseil is built with its own absl::string_view, distinct from
// std::string_view, so the views are converted explicitly.
absl::string_view AbslView(std::string_view text) { return {text.data(), text.size()}; }

std::string NormalisedKey(std::string_view text) {
  std::string key = absl::AsciiStrToLower(absl::StripAsciiWhitespace(AbslView(text)));
  absl::StrReplaceAll({{"-", "_"}, {" ", "_"}}, &key);
  return key;
}

template <typename Enum, size_t N>
struct NameTable {
  std::string_view proto_prefix;
  std::array<std::pair<Enum, std::string_view>, N> names;

  std::string_view NameOf(Enum value) const {
    for (const auto& [e, name] : names) {
      if (e == value) return name;
    }
    return "unknown";
  }

  // Accepts "research_institute", "research-institute", "RESEARCH_INSTITUTE"
  // and "FIRM_KIND_RESEARCH_INSTITUTE".
  std::optional<Enum> Parse(std::string_view text) const {
    std::string key = NormalisedKey(text);
    const std::string prefix = absl::AsciiStrToLower(AbslView(proto_prefix));
    if (absl::StartsWith(key, prefix)) key.erase(0, prefix.size());
    for (const auto& [e, name] : names) {
      if (key == name) return e;
    }
    return std::nullopt;
  }
};

constexpr NameTable<FirmKind, 6> kFirmKinds{
    "FIRM_KIND_",
    {{{FirmKind::kUnspecified, "unspecified"},
      {FirmKind::kCompany, "company"},
      {FirmKind::kUniversity, "university"},
      {FirmKind::kResearchInstitute, "research_institute"},
      {FirmKind::kSupportOrganisation, "support_organisation"},
      {FirmKind::kPublicBody, "public_body"}}}};

constexpr NameTable<Visibility, 3> kVisibilities{"VISIBILITY_",
                                                 {{{Visibility::kPublic, "public"},
                                                   {Visibility::kMembers, "members"},
                                                   {Visibility::kHidden, "hidden"}}}};

constexpr NameTable<Role, 4> kRoles{"ROLE_",
                                    {{{Role::kPlanning, "planning"},
                                      {Role::kDevelopment, "development"},
                                      {Role::kProduction, "production"},
                                      {Role::kMarketing, "marketing"}}}};

constexpr NameTable<RelationKind, 6> kRelationKinds{
    "RELATION_KIND_",
    {{{RelationKind::kPartnered, "partnered"},
      {RelationKind::kMet, "met"},
      {RelationKind::kAccepted, "accepted"},
      {RelationKind::kDeclined, "declined"},
      {RelationKind::kCompetitor, "competitor"},
      {RelationKind::kDoNotMatch, "do_not_match"}}}};

}  // namespace

std::string_view FirmKindName(FirmKind kind) { return kFirmKinds.NameOf(kind); }
std::string_view VisibilityName(Visibility visibility) { return kVisibilities.NameOf(visibility); }
std::string_view RoleName(Role role) { return kRoles.NameOf(role); }
std::string_view RelationKindName(RelationKind kind) { return kRelationKinds.NameOf(kind); }

std::optional<FirmKind> ParseFirmKind(std::string_view text) {
  // "support_organization" is a common spelling too.
  if (absl::EndsWith(NormalisedKey(text), "support_organization"))
    return FirmKind::kSupportOrganisation;
  return kFirmKinds.Parse(text);
}
std::optional<Visibility> ParseVisibility(std::string_view text) {
  if (NormalisedKey(text) == "visibility_unspecified") {
    return Visibility::kPublic;
  }
  return kVisibilities.Parse(text);
}
std::optional<Role> ParseRole(std::string_view text) { return kRoles.Parse(text); }
std::optional<RelationKind> ParseRelationKind(std::string_view text) {
  return kRelationKinds.Parse(text);
}

}  // namespace clustermatch
