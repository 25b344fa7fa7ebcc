// RateLimiter's token buckets on an injected clock: the burst, the refill,
// keys apart from each other, a key's own limit over the default, a changed
// limit, a clock that goes back, and many threads on one bucket.
#include "server/rate_limiter.h"

#include <atomic>
#include <thread>
#include <vector>

#include "engine/shared_mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clustermatch {
namespace {

using ::testing::HasSubstr;

// A clock the test moves by hand.
class FakeClock {
 public:
  absl::Time Now() const {
    SharedLock lock(&mutex_);
    return now_;
  }
  void Advance(absl::Duration step) {
    ExclusiveLock lock(&mutex_);
    now_ += step;
  }
  RateLimiter::Clock AsClock() {
    return [this] { return Now(); };
  }

 private:
  mutable SharedMutex mutex_;  // seen through by ThreadSanitizer
  absl::Time now_ = absl::FromUnixSeconds(1'800'000'000);
};

// How many of `calls` back-to-back calls pass.
int Admitted(RateLimiter& limiter, const std::string& key, const RateLimit& own, int calls) {
  int passed = 0;
  for (int i = 0; i < calls; ++i) passed += limiter.Admit(key, own).ok();
  return passed;
}

TEST(RateLimitTest, CapacityIsTheBurstOrOneSecondsWorth) {
  EXPECT_EQ((RateLimit{5, 10}).Capacity(), 10);
  EXPECT_EQ((RateLimit{5, 0}).Capacity(), 5);
  EXPECT_EQ((RateLimit{2.5, 0}).Capacity(), 3);
  EXPECT_EQ((RateLimit{0.1, 0}).Capacity(), 1);
  EXPECT_TRUE((RateLimit{0, 0}).unlimited());
  EXPECT_FALSE((RateLimit{0.1, 0}).unlimited());
}

TEST(RateLimiterTest, UnlimitedByDefault) {
  FakeClock clock;
  RateLimiter limiter({}, clock.AsClock());
  EXPECT_EQ(Admitted(limiter, "aaaaaaaaaaaa", {}, 100000), 100000);
}

TEST(RateLimiterTest, BurstThenRefusedThenRefilledAtTheRate) {
  FakeClock clock;
  RateLimiter limiter({}, clock.AsClock());
  const RateLimit own{2, 3};
  EXPECT_EQ(Admitted(limiter, "3f9a61c2d4e7", own, 3), 3);
  const absl::Status refused = limiter.Admit("3f9a61c2d4e7", own);
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(refused.message()), HasSubstr("API key 3f9a61c2d4e7"));
  EXPECT_THAT(std::string(refused.message()), HasSubstr("2 requests/s (burst 3)"));
  EXPECT_THAT(std::string(refused.message()), HasSubstr("retry in 0.50 s"));
  // Half a second buys one request at 2/s.
  clock.Advance(absl::Milliseconds(499));
  EXPECT_FALSE(limiter.Admit("3f9a61c2d4e7", own).ok());
  clock.Advance(absl::Milliseconds(1));
  EXPECT_TRUE(limiter.Admit("3f9a61c2d4e7", own).ok());
  EXPECT_FALSE(limiter.Admit("3f9a61c2d4e7", own).ok());
  // A long pause refills to the burst, not beyond.
  clock.Advance(absl::Hours(1));
  EXPECT_EQ(Admitted(limiter, "3f9a61c2d4e7", own, 10), 3);
}

TEST(RateLimiterTest, KeysHaveBucketsOfTheirOwn) {
  FakeClock clock;
  RateLimiter limiter({1, 1}, clock.AsClock());
  EXPECT_EQ(Admitted(limiter, "aaaaaaaaaaaa", {}, 5), 1);
  EXPECT_EQ(Admitted(limiter, "bbbbbbbbbbbb", {}, 5), 1);
  EXPECT_EQ(Admitted(limiter, "cccccccccccc", {}, 5), 1);
  clock.Advance(absl::Seconds(1));
  EXPECT_EQ(Admitted(limiter, "aaaaaaaaaaaa", {}, 5), 1);
}

TEST(RateLimiterTest, AKeysOwnLimitBeatsTheDefault) {
  FakeClock clock;
  RateLimiter limiter({1, 1}, clock.AsClock());
  EXPECT_EQ(limiter.Effective({}), (RateLimit{1, 1}));
  EXPECT_EQ(limiter.Effective({50, 20}), (RateLimit{50, 20}));
  EXPECT_EQ(Admitted(limiter, "generous0000", {50, 20}, 100), 20);
  EXPECT_EQ(Admitted(limiter, "defaulted000", {}, 100), 1);
  // A key's own limit may also be stricter than the default.
  RateLimiter loose({1000, 1000}, clock.AsClock());
  EXPECT_EQ(Admitted(loose, "strict000000", {1, 2}, 100), 2);
}

TEST(RateLimiterTest, AChangedLimitCapsTheTokensLeft) {
  FakeClock clock;
  RateLimiter limiter({}, clock.AsClock());
  EXPECT_EQ(Admitted(limiter, "aaaaaaaaaaaa", {100, 100}, 10), 10);  // 90 left
  EXPECT_EQ(Admitted(limiter, "aaaaaaaaaaaa", {1, 5}, 100), 5);
}

TEST(RateLimiterTest, AClockThatGoesBackRefillsNothing) {
  FakeClock clock;
  RateLimiter limiter({}, clock.AsClock());
  EXPECT_EQ(Admitted(limiter, "aaaaaaaaaaaa", {1, 1}, 2), 1);
  clock.Advance(absl::Seconds(-30));
  EXPECT_FALSE(limiter.Admit("aaaaaaaaaaaa", {1, 1}).ok());
  clock.Advance(absl::Seconds(30));
  EXPECT_FALSE(limiter.Admit("aaaaaaaaaaaa", {1, 1}).ok());
  clock.Advance(absl::Seconds(1));
  EXPECT_TRUE(limiter.Admit("aaaaaaaaaaaa", {1, 1}).ok());
}

TEST(RateLimiterTest, ManyThreadsOnOneBucketGetExactlyTheBurst) {
  FakeClock clock;  // frozen: no refill while the threads run
  RateLimiter limiter({}, clock.AsClock());
  constexpr int kThreads = 8;
  constexpr int kCallsEach = 5000;
  std::atomic<int> passed{0};
  std::atomic<int> other_passed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCallsEach; ++i) {
        passed += limiter.Admit("shared000000", {10, 1000}).ok();
        // Keys of other shards and an unlimited key alongside.
        other_passed += limiter.Admit("key" + std::to_string(t), {10, 100}).ok();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(passed.load(), 1000);
  EXPECT_EQ(other_passed.load(), kThreads * 100);
}

}  // namespace
}  // namespace clustermatch
