// Which sanitizer instruments this translation unit, for code that must
// behave differently under one: GCC defines __SANITIZE_*__, clang answers
// __has_feature. Defines CM_TSAN_ENABLED and CM_ASAN_ENABLED (to 1) when
// ThreadSanitizer or AddressSanitizer is on.
#ifndef CLUSTERMATCH_ENGINE_SANITIZER_BUILD_H_
#define CLUSTERMATCH_ENGINE_SANITIZER_BUILD_H_

#if defined(__SANITIZE_THREAD__)
#define CM_TSAN_ENABLED 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CM_TSAN_ENABLED 1
#endif
#endif

#if defined(__SANITIZE_ADDRESS__)
#define CM_ASAN_ENABLED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CM_ASAN_ENABLED 1
#endif
#endif

#endif  // CLUSTERMATCH_ENGINE_SANITIZER_BUILD_H_
