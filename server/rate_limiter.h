// RateLimiter: per-API-key request rate limits, as token buckets.
//
// Each key id has a bucket holding up to `burst` tokens that refills at
// `per_second` tokens a second; a call takes one token, and a call that finds
// less than one is refused with RESOURCE_EXHAUSTED:
//   "API key 3f9a61c2d4e7: rate limit of 5 requests/s (burst 10) exceeded;
//    retry in 0.2 s"
// naming the key id and its limit, never the secret.
//
// Which limit applies: the key's own (ApiKeyRecord::rate_limit, set by
// `keys add --rate-limit` or AdminService.CreateKey) when it has one, else
// the server's default (`serve --rate-limit`, 0 = unlimited). A call under an
// unlimited limit costs nothing: no lookup, no lock.
//
// Thread safety: Admit may be called from any number of threads. Buckets
// live in 16 shards, each a hash map under its own lock (SharedMutex, which
// ThreadSanitizer sees through) held for a
// lookup and a few arithmetic operations, so calls of different keys rarely
// meet on a lock. The clock is injectable so that tests need not sleep.
#ifndef CLUSTERMATCH_SERVER_RATE_LIMITER_H_
#define CLUSTERMATCH_SERVER_RATE_LIMITER_H_

#include <array>
#include <functional>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "engine/shared_mutex.h"

namespace clustermatch {

struct RateLimit {
  double per_second = 0;  // 0: unlimited
  int burst = 0;          // 0: one second's worth (at least 1)

  bool unlimited() const { return per_second <= 0; }
  // The bucket's size: burst, or its default.
  double Capacity() const;
  friend bool operator==(const RateLimit&, const RateLimit&) = default;
};

class RateLimiter {
 public:
  using Clock = std::function<absl::Time()>;

  // `clock` null: absl::Now.
  explicit RateLimiter(RateLimit default_limit = {}, Clock clock = nullptr);
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // The limit a key gets: `own` when it has a rate, else the default.
  RateLimit Effective(const RateLimit& own) const;

  // Takes one token from `key_id`'s bucket under Effective(own): OK, or
  // ResourceExhausted naming the key id, its limit and when to retry. A
  // bucket starts full; a key whose limit changed keeps its tokens, capped
  // at the new size.
  absl::Status Admit(std::string_view key_id, const RateLimit& own);

  const RateLimit& default_limit() const { return default_limit_; }

 private:
  struct Bucket {
    double tokens = 0;
    absl::Time last;
    RateLimit limit;
  };
  struct Shard {
    SharedMutex mutex;
    absl::flat_hash_map<std::string, Bucket> buckets ABSL_GUARDED_BY(mutex);
  };
  static constexpr size_t kShards = 16;

  const RateLimit default_limit_;
  const Clock clock_;
  std::array<Shard, kShards> shards_;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_RATE_LIMITER_H_
