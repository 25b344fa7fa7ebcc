// Open-loop pacing for the load generator's --qps mode: a fixed-rate
// schedule of call start times shared by all workers. The n-th call is due
// at start + n / qps whatever happened to the calls before it, so a slow
// server makes calls late (their latency is measured from the time they were
// due, which keeps queueing delay in the figures) instead of slowing the
// offered load, as a closed loop would.
#ifndef CLUSTERMATCH_BENCHMARKS_RATE_PACER_H_
#define CLUSTERMATCH_BENCHMARKS_RATE_PACER_H_

#include <atomic>
#include <chrono>
#include <cstdint>

namespace clustermatch {

class RatePacer {
 public:
  using Clock = std::chrono::steady_clock;

  // `qps` > 0.
  RatePacer(double qps, Clock::time_point start) : qps_(qps), start_(start) {}

  // When the next call is due; thread-safe, each time a later slot.
  Clock::time_point Next() {
    const int64_t n = next_.fetch_add(1, std::memory_order_relaxed);
    return start_ + std::chrono::duration_cast<Clock::duration>(
                        std::chrono::duration<double>(static_cast<double>(n) / qps_));
  }

 private:
  const double qps_;
  const Clock::time_point start_;
  std::atomic<int64_t> next_{0};
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_BENCHMARKS_RATE_PACER_H_
