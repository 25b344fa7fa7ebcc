// Token buckets per API key (see rate_limiter.h).
#include "server/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <utility>

#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"

namespace clustermatch {
namespace {

// "5 requests/s (burst 10) exceeded; retry in 0.2 s"
std::string Refusal(std::string_view key_id, const RateLimit& limit, double wait_seconds) {
  std::ostringstream text;
  text << "API key " << key_id << ": rate limit of " << limit.per_second << " requests/s (burst "
       << limit.Capacity() << ") exceeded; retry in ";
  text.precision(2);
  text << std::fixed << std::max(wait_seconds, 0.01) << " s";
  return text.str();
}

}  // namespace

double RateLimit::Capacity() const {
  if (burst > 0) return burst;
  return std::max(1.0, std::ceil(per_second));
}

RateLimiter::RateLimiter(RateLimit default_limit, Clock clock)
    : default_limit_(default_limit),
      clock_(clock != nullptr ? std::move(clock) : Clock(absl::Now)) {}

RateLimit RateLimiter::Effective(const RateLimit& own) const {
  return own.unlimited() ? default_limit_ : own;
}

absl::Status RateLimiter::Admit(std::string_view key_id, const RateLimit& own) {
  const RateLimit limit = Effective(own);
  if (limit.unlimited()) return absl::OkStatus();
  const absl::string_view id(key_id.data(), key_id.size());
  Shard& shard = shards_[absl::Hash<absl::string_view>()(id) % kShards];
  const absl::Time now = clock_();
  const double capacity = limit.Capacity();
  ExclusiveLock lock(&shard.mutex);
  auto it = shard.buckets.find(id);
  if (it == shard.buckets.end()) {
    it = shard.buckets.emplace(std::string(key_id), Bucket{capacity, now, limit}).first;
  }
  Bucket& bucket = it->second;
  if (!(bucket.limit == limit)) {
    bucket.tokens = std::min(bucket.tokens, capacity);
    bucket.limit = limit;
  }
  // A clock that went back refills nothing.
  const double elapsed = std::max(0.0, absl::ToDoubleSeconds(now - bucket.last));
  bucket.tokens = std::min(capacity, bucket.tokens + elapsed * limit.per_second);
  bucket.last = std::max(bucket.last, now);
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return absl::OkStatus();
  }
  return absl::ResourceExhaustedError(
      Refusal(key_id, limit, (1.0 - bucket.tokens) / limit.per_second));
}

}  // namespace clustermatch
