#include "engine/access_policy.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"

namespace clustermatch {
namespace {

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool SharesAny(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  return std::any_of(a.begin(), a.end(), [&](const std::string& s) { return Contains(b, s); });
}

bool InKeyCluster(const AccessScope& access, const Firm& firm) {
  return access.cluster.empty() || Contains(firm.clusters, access.cluster);
}

}  // namespace

absl::Status CheckPermission(const AccessScope& access, Permission needed, std::string_view what) {
  if (static_cast<int>(access.role) >= static_cast<int>(needed)) return absl::OkStatus();
  constexpr KeyRole kRoleFor[] = {KeyRole::kReader, KeyRole::kWriter, KeyRole::kOrganiser,
                                  KeyRole::kAdmin};
  return absl::PermissionDeniedError(
      absl::StrCat(std::string(what), " needs a key with role ",
                   std::string(KeyRoleName(kRoleFor[static_cast<int>(needed)])),
                   " or above; this key is ", std::string(KeyRoleName(access.role))));
}

bool CanSee(const AccessScope& access, const Firm& firm) {
  if (!InKeyCluster(access, firm)) return false;
  switch (firm.visibility) {
    case Visibility::kPublic:
      return true;
    case Visibility::kMembers:
      return access.scope == KeyScope::kMembers;  // the key's cluster was checked above
    case Visibility::kHidden:
      return access.role == KeyRole::kAdmin;
  }
  return false;
}

bool CanSeeInResults(const AccessScope& access, const Firm& firm) {
  return firm.visibility != Visibility::kHidden && CanSee(access, firm);
}

absl::Status CheckChange(const AccessScope& access, const Firm* before, const Firm& after) {
  if (access.cluster.empty()) return absl::OkStatus();
  const bool before_ok = before == nullptr || InKeyCluster(access, *before);
  if (before_ok && InKeyCluster(access, after)) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("clusters: this key may only write firms of cluster \"", access.cluster,
                   "\", and the profile must keep listing it"));
}

absl::Status RestrictFilter(const AccessScope& access, std::string_view field,
                            SearchFilter& filter) {
  filter.members_visible_all = access.scope == KeyScope::kMembers && access.cluster.empty();
  filter.members_visible_clusters.clear();
  if (access.scope == KeyScope::kMembers && !access.cluster.empty()) {
    filter.members_visible_clusters.push_back(access.cluster);
  }
  if (access.cluster.empty()) return absl::OkStatus();
  if (!filter.clusters_any.empty() && !Contains(filter.clusters_any, access.cluster)) {
    return absl::PermissionDeniedError(absl::StrCat(
        std::string(field), ".clusters: this key may only see cluster \"", access.cluster, "\""));
  }
  filter.clusters_any = {access.cluster};
  return absl::OkStatus();
}

bool FirmPassesFilter(const Firm& firm, const SearchFilter& filter) {
  if (!filter.clusters_any.empty() && !SharesAny(firm.clusters, filter.clusters_any)) return false;
  if (SharesAny(firm.clusters, filter.clusters_none)) return false;
  if (!filter.mini_clusters_any.empty() && !Contains(filter.mini_clusters_any, firm.mini_cluster)) {
    return false;
  }
  if (Contains(filter.mini_clusters_none, firm.mini_cluster)) return false;
  if (!filter.kinds.empty() &&
      std::find(filter.kinds.begin(), filter.kinds.end(), firm.kind) == filter.kinds.end()) {
    return false;
  }
  if (!filter.regions.empty() && !Contains(filter.regions, firm.region)) return false;
  return true;
}

}  // namespace clustermatch
