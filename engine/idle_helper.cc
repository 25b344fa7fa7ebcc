#include "engine/idle_helper.h"

namespace clustermatch {

IdleHelper::IdleHelper(size_t cores) : cores_(cores), thread_([this] { Loop(); }) {}

IdleHelper::~IdleHelper() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void IdleHelper::Drain(const Task& task) {
  while (true) {
    const size_t i = task.next->fetch_add(1, std::memory_order_relaxed);
    if (i >= task.n) return;
    (*task.work)(i, i + 1);
  }
}

void IdleHelper::Split(size_t n, absl::FunctionRef<void(size_t, size_t)> work) {
  bool expected = false;
  if (n < kMinSplit || in_flight_.load(std::memory_order_relaxed) >= cores_ ||
      !claimed_.compare_exchange_strong(expected, true, std::memory_order_acquire)) {
    work(0, n);
    return;
  }
  std::atomic<size_t> next{0};
  const Task task{&work, n, &next};
  {
    std::lock_guard<std::mutex> lock(mutex_);
    task_ = task;
    stage_ = Stage::kOffered;
  }
  wake_.notify_one();
  Drain(task);
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (stage_ == Stage::kOffered) {
      // Everything is done and the helper has not started: call it off.
      stage_ = Stage::kIdle;
    } else {
      done_.wait(lock, [this] { return stage_ == Stage::kDone; });
      stage_ = Stage::kIdle;
      shared_splits_.fetch_add(1, std::memory_order_relaxed);
    }
    task_ = Task{};
  }
  claimed_.store(false, std::memory_order_release);
}

void IdleHelper::Loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || stage_ == Stage::kOffered; });
    if (stopping_) return;
    stage_ = Stage::kRunning;
    const Task task = task_;
    lock.unlock();
    Drain(task);
    lock.lock();
    stage_ = Stage::kDone;
    done_.notify_one();
  }
}

}  // namespace clustermatch
