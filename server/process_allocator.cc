#include "server/process_allocator.h"

#include <gnu/libc-version.h>
#include <malloc.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "engine/sanitizer_build.h"

// Defined only when jemalloc is linked into the binary (it exports malloc,
// free and mallctl under their plain names). A weak reference stays null
// otherwise, so one edge library serves both kinds of binary.
extern "C" int mallctl(const char* name, void* old_value, size_t* old_length, void* new_value,
                       size_t new_length) __attribute__((weak));

namespace clustermatch {
namespace {

bool JemallocLinked() { return mallctl != nullptr; }

// The sanitizer builds instrument our code, and their runtime replaces malloc.
#if defined(CM_ASAN_ENABLED) || defined(CM_TSAN_ENABLED)
constexpr bool kSanitizerMalloc = true;
#else
constexpr bool kSanitizerMalloc = false;
#endif

}  // namespace

std::string ProcessAllocator() {
  if (JemallocLinked()) {
    const char* version = nullptr;
    size_t length = sizeof(version);
    if (mallctl("version", &version, &length, nullptr, 0) == 0 && version != nullptr) {
      return std::string("jemalloc ") + version;
    }
    return "jemalloc";
  }
  if (kSanitizerMalloc) return "the sanitizer runtime's malloc";
  return std::string("glibc malloc ") + gnu_get_libc_version();
}

void TuneProcessAllocatorForServing() {
  if (JemallocLinked()) return;
  if (std::getenv("MALLOC_ARENA_MAX") != nullptr) return;
  const int cores = static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
  mallopt(M_ARENA_MAX, cores);
}

}  // namespace clustermatch
