// Access policy: what a caller may do and see, decided in one place for
// every front door (gRPC calls now, event and group work later).
//
//   role      reader < writer < organiser < admin; each may do what the ones
//             before it may.
//   hidden    firms are seen by admins only, and only by id or in lists:
//             never in recommendations, searches, match lists or groups.
//   members   firms are seen only by keys of members scope: of the key's
//             cluster when it has one, else of every cluster.
//   cluster   a key limited to a cluster sees and changes only firms of that
//             cluster.
//
// Firms a caller may not see are reported as absent (NotFound), so that a
// probe cannot tell a hidden firm from a missing one.
#ifndef CLUSTERMATCH_ENGINE_ACCESS_POLICY_H_
#define CLUSTERMATCH_ENGINE_ACCESS_POLICY_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "engine/api_key.h"
#include "engine/firm.h"
#include "engine/vector_index.h"

namespace clustermatch {

// What a call may do: the key's role, scope and cluster.
struct AccessScope {
  KeyRole role = KeyRole::kReader;
  KeyScope scope = KeyScope::kPublic;
  std::string cluster;  // empty: every cluster
};

// The least role a kind of work needs.
enum class Permission : uint8_t {
  kRead = 0,      // get, list, recommend, search
  kWrite = 1,     // create, update, delete firms; record feedback
  kOrganise = 2,  // events, groups, attendee firms
  kAdmin = 3,     // train, snapshot, keys, stats
};

// OK, or PermissionDenied naming the role needed for `what` ("CreateFirm").
absl::Status CheckPermission(const AccessScope& access, Permission needed, std::string_view what);

// Whether the caller may see the firm by id or in a list.
bool CanSee(const AccessScope& access, const Firm& firm);
// Whether the firm may appear in the caller's recommendations and searches:
// as CanSee, and never hidden.
bool CanSeeInResults(const AccessScope& access, const Firm& firm);

// OK when a caller who can see the current profile (`before`, null for a
// new firm) may store `after`: writer role, and with a cluster-limited key,
// both profiles in that cluster. PermissionDenied naming the field otherwise.
absl::Status CheckChange(const AccessScope& access, const Firm* before, const Firm& after);

// Narrows a request's filter to what the caller may see: members-only
// visibility by scope, and the key's cluster. PermissionDenied naming
// `field` when the request asks only for clusters outside the key's.
absl::Status RestrictFilter(const AccessScope& access, std::string_view field,
                            SearchFilter& filter);

// The filter's content rules (clusters, mini-clusters, kinds, regions)
// applied to a plain profile, as the index applies them to its facets.
// Visibility and excluded_keys are not consulted: pair it with CanSee.
bool FirmPassesFilter(const Firm& firm, const SearchFilter& filter);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_ACCESS_POLICY_H_
