// API keys as the store keeps them: the public id, the caller's role, scope
// and cluster, its own request rate limit (if any), and the SHA-256 of the
// secret. The secret itself is shown once
// when the key is made and never stored.
#ifndef CLUSTERMATCH_ENGINE_API_KEY_H_
#define CLUSTERMATCH_ENGINE_API_KEY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace clustermatch {

// Each role may do everything the roles before it may.
enum class KeyRole : uint8_t {
  kReader = 0,     // get, list, recommend, search
  kWriter = 1,     // also create, update, delete firms; record feedback
  kOrganiser = 2,  // also events and groups
  kAdmin = 3,      // also train, snapshot, keys; sees hidden firms
};

enum class KeyScope : uint8_t {
  kPublic = 0,   // never members-only firms
  kMembers = 1,  // members-only firms of its cluster (or all, without one)
};

struct ApiKeyRecord {
  std::string id;  // public part, 12 lower-case hex digits
  KeyRole role = KeyRole::kReader;
  KeyScope scope = KeyScope::kPublic;
  std::string cluster;        // the only cluster it may see; empty for all
  std::string label;          // free text
  std::string secret_sha256;  // 32 raw bytes
  std::string created_at;     // ISO 8601 UTC
  std::string revoked_at;     // empty while valid
  // The key's own limit, in requests per second (token bucket; see
  // server/rate_limiter.h); 0: the server's default. rate_burst is how many
  // requests may come at once; 0: about one second's worth.
  double rate_limit = 0;
  int rate_burst = 0;

  bool revoked() const { return !revoked_at.empty(); }
  friend bool operator==(const ApiKeyRecord&, const ApiKeyRecord&) = default;
};

// "reader", "writer", "organiser", "admin"; "public", "members".
std::string_view KeyRoleName(KeyRole role);
std::string_view KeyScopeName(KeyScope scope);
std::optional<KeyRole> ParseKeyRole(std::string_view text);
std::optional<KeyScope> ParseKeyScope(std::string_view text);

// Largest rate_limit and rate_burst a key may carry.
inline constexpr double kMaxKeyRateLimit = 1e6;
inline constexpr int kMaxKeyRateBurst = 1000000;
// OK, or InvalidArgument naming `rate_field` or `burst_field`: the rate must
// be finite, 0 or in (0, kMaxKeyRateLimit]; the burst in [0,
// kMaxKeyRateBurst] and 0 when the rate is 0.
absl::Status ValidateKeyRateLimit(double rate_limit, int rate_burst, std::string_view rate_field,
                                  std::string_view burst_field);
// "5/s, burst 10", or "default" for a key without its own limit.
std::string DescribeKeyRateLimit(const ApiKeyRecord& key);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_API_KEY_H_
