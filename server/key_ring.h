// KeyRing: the server's in-memory table of API keys, checked on every call.
// It is loaded from the store at start (Replace) and told about keys made or
// revoked while serving (Put), so authentication never touches SQLite.
//
// Authenticate takes the value of the `authorization` metadata header,
// "Bearer <token>" (scheme case-insensitive), and costs one SHA-256 plus one
// hash-map lookup. Errors are all Unauthenticated and never echo the token:
//   missing or empty           "missing API key: send 'authorization: Bearer KEY'"
//   another scheme             "invalid API key: send 'authorization: Bearer KEY'"
//   malformed, unknown id, or
//   wrong secret               "invalid API key"
//   revoked (right secret)     "API key <id> was revoked"
// The revocation is reported only to a caller that holds the real secret.
//
// Thread safety: all methods may be called concurrently; Authenticate takes
// a shared lock, Replace and Put an exclusive one.
#ifndef CLUSTERMATCH_SERVER_KEY_RING_H_
#define CLUSTERMATCH_SERVER_KEY_RING_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "engine/api_key.h"
#include "engine/shared_mutex.h"
#include "server/caller.h"

namespace clustermatch {

class KeyRing {
 public:
  KeyRing() = default;
  KeyRing(const KeyRing&) = delete;
  KeyRing& operator=(const KeyRing&) = delete;

  // Makes `keys` the whole table.
  void Replace(std::vector<ApiKeyRecord> keys);
  // Adds a key or replaces the one with its id (e.g. after a revocation).
  void Put(const ApiKeyRecord& key);

  absl::StatusOr<Caller> Authenticate(std::string_view authorization_header_value) const;

  // Keys held, revoked ones included.
  size_t size() const;

 private:
  mutable SharedMutex mutex_;
  absl::flat_hash_map<std::string, ApiKeyRecord> keys_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_KEY_RING_H_
