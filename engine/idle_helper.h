// IdleHelper: one spare thread that shares a call's work while the machine
// would otherwise idle. A recommendation on a cluster of a thousand firms
// scores about a hundred candidates one by one; a call that is alone scores
// them on two cores and answers in about two thirds of the time. Calls
// register for their whole length (Call), and Split shares only while fewer
// calls than cores are in flight: under load every call keeps to its own
// thread, as without the helper, so that throughput does not suffer.
//
// Thread safety: everything may be called from any number of threads at
// once; one Split at a time gets the helper. The destructor must not run
// while a Split is in progress.
#ifndef CLUSTERMATCH_ENGINE_IDLE_HELPER_H_
#define CLUSTERMATCH_ENGINE_IDLE_HELPER_H_

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>

#include "absl/functional/function_ref.h"

namespace clustermatch {

class IdleHelper {
 public:
  // Ranges smaller than this are run by the caller alone: the hand-over
  // (a wake-up and a wait, tens of microseconds) would cost more than it saves.
  static constexpr size_t kMinSplit = 16;

  // `cores`: the calls in flight at or above which Split keeps to the
  // caller's thread (by default the machine's hardware threads).
  explicit IdleHelper(size_t cores = std::max(1u, std::thread::hardware_concurrency()));
  ~IdleHelper();
  IdleHelper(const IdleHelper&) = delete;
  IdleHelper& operator=(const IdleHelper&) = delete;

  // One call in flight, from construction to destruction (a null helper is
  // allowed and counts nothing).
  class Call {
   public:
    explicit Call(IdleHelper* helper) : helper_(helper) {
      if (helper_ != nullptr) helper_->in_flight_.fetch_add(1, std::memory_order_relaxed);
    }
    ~Call() {
      if (helper_ != nullptr) helper_->in_flight_.fetch_sub(1, std::memory_order_relaxed);
    }
    Call(const Call&) = delete;
    Call& operator=(const Call&) = delete;

   private:
    IdleHelper* const helper_;
  };

  // Calls work(begin, end) over disjoint ranges that together cover [0, n),
  // and returns when all of them have returned. When fewer Calls than cores
  // are in flight, the helper is free and n >= kMinSplit, the caller and the helper take indices
  // one at a time from a shared counter, so a helper that wakes late takes less and never holds the
  // caller up by more than the one index it is working on; if it has not started by the time the
  // caller has run out, it is called off. Otherwise the caller runs work(0, n) itself. `work` must
  // be safe to run on two threads at once over disjoint ranges.
  void Split(size_t n, absl::FunctionRef<void(size_t, size_t)> work);

  // Splits the helper worked on, since construction (for tests and stats).
  size_t shared_splits() const { return shared_splits_.load(std::memory_order_relaxed); }

 private:
  // What the helper is doing with the task handed over (guarded by mutex_).
  enum class Stage { kIdle, kOffered, kRunning, kDone };
  struct Task {
    const absl::FunctionRef<void(size_t, size_t)>* work;
    size_t n;
    std::atomic<size_t>* next;  // the next index to take, shared
  };

  static void Drain(const Task& task);
  void Loop();

  const size_t cores_;
  std::atomic<size_t> in_flight_{0};  // Calls alive
  std::atomic<bool> claimed_{false};  // a caller owns the helper
  std::atomic<size_t> shared_splits_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  Task task_{};  // valid while stage_ is kOffered or kRunning
  Stage stage_ = Stage::kIdle;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the rest is initialised
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_IDLE_HELPER_H_
