// SharedMutex: a reader/writer lock that ThreadSanitizer can see through.
//
// It wraps absl::Mutex, keeping its semantics (a waiting writer goes ahead of
// new readers; glibc's std::shared_mutex starved writers under a steady
// stream of queries). Debian's libabsl is not built with -fsanitize=thread,
// so TSan cannot see the happens-before edges inside absl::Mutex and would
// report every access guarded by it as a race. Under TSan this class tells
// the sanitizer about each edge itself, the way TSan models a reader/writer
// lock:
//   - a writer, once it holds the lock, acquires what earlier writers and
//     readers released;
//   - a reader, once it holds the lock, acquires what earlier writers
//     released (readers are not ordered with each other);
//   - each releases, just before unlocking, what it did while holding it.
// Without TSan the hooks compile to nothing.
//
// ExclusiveLock and SharedLock are the scoped guards; the absl thread-safety
// annotations let clang's -Wthread-safety check GUARDED_BY members.
#ifndef CLUSTERMATCH_ENGINE_SHARED_MUTEX_H_
#define CLUSTERMATCH_ENGINE_SHARED_MUTEX_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "engine/sanitizer_build.h"

#if defined(CM_TSAN_ENABLED)
#include <sanitizer/tsan_interface.h>
#endif

namespace clustermatch {

class ABSL_LOCKABLE SharedMutex {
 public:
  SharedMutex() = default;
  SharedMutex(const SharedMutex&) = delete;
  SharedMutex& operator=(const SharedMutex&) = delete;

  void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() {
    mutex_.Lock();
    Acquire(&writes_);
    Acquire(&reads_);
  }
  void Unlock() ABSL_UNLOCK_FUNCTION() {
    Release(&writes_);
    mutex_.Unlock();
  }
  void ReaderLock() ABSL_SHARED_LOCK_FUNCTION() {
    mutex_.ReaderLock();
    Acquire(&writes_);
  }
  void ReaderUnlock() ABSL_UNLOCK_FUNCTION() {
    Release(&reads_);
    mutex_.ReaderUnlock();
  }

  void AssertHeld() const ABSL_ASSERT_EXCLUSIVE_LOCK() { mutex_.AssertHeld(); }
  void AssertReaderHeld() const ABSL_ASSERT_SHARED_LOCK() { mutex_.AssertReaderHeld(); }

 private:
  // TSan synchronisation objects: any distinct addresses will do.
  static void Acquire([[maybe_unused]] const char* sync) {
#if defined(CM_TSAN_ENABLED)
    __tsan_acquire(const_cast<char*>(sync));
#endif
  }
  static void Release([[maybe_unused]] const char* sync) {
#if defined(CM_TSAN_ENABLED)
    __tsan_release(const_cast<char*>(sync));
#endif
  }

  absl::Mutex mutex_;
  char writes_ = 0;  // what writers released
  char reads_ = 0;   // what readers released
};

// Holds `mutex` exclusively for its scope.
class ABSL_SCOPED_LOCKABLE ExclusiveLock {
 public:
  explicit ExclusiveLock(SharedMutex* mutex) ABSL_EXCLUSIVE_LOCK_FUNCTION(mutex) : mutex_(mutex) {
    mutex_->Lock();
  }
  ~ExclusiveLock() ABSL_UNLOCK_FUNCTION() { mutex_->Unlock(); }
  ExclusiveLock(const ExclusiveLock&) = delete;
  ExclusiveLock& operator=(const ExclusiveLock&) = delete;

 private:
  SharedMutex* const mutex_;
};

// Holds `mutex` shared for its scope.
class ABSL_SCOPED_LOCKABLE SharedLock {
 public:
  explicit SharedLock(SharedMutex* mutex) ABSL_SHARED_LOCK_FUNCTION(mutex) : mutex_(mutex) {
    mutex_->ReaderLock();
  }
  ~SharedLock() ABSL_UNLOCK_FUNCTION() { mutex_->ReaderUnlock(); }
  SharedLock(const SharedLock&) = delete;
  SharedLock& operator=(const SharedLock&) = delete;

 private:
  SharedMutex* const mutex_;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_SHARED_MUTEX_H_
