#include "server/process_allocator.h"

#include <gnu/libc-version.h>
#include <malloc.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "engine/sanitizer_build.h"

#if defined(CM_ASAN_ENABLED) || defined(CM_TSAN_ENABLED)
#include <sanitizer/allocator_interface.h>
#endif

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

// jemalloc's statistics are a snapshot taken at the last "epoch" write.
bool JemallocHeap(ProcessMemory& memory) {
  uint64_t epoch = 1;
  size_t length = sizeof(epoch);
  if (mallctl("epoch", &epoch, &length, &epoch, length) != 0) return false;
  size_t allocated = 0;
  size_t resident = 0;
  length = sizeof(size_t);
  if (mallctl("stats.allocated", &allocated, &length, nullptr, 0) != 0) return false;
  length = sizeof(size_t);
  if (mallctl("stats.resident", &resident, &length, nullptr, 0) != 0) return false;
  memory.heap_allocated_bytes = static_cast<int64_t>(allocated);
  memory.heap_mapped_bytes = static_cast<int64_t>(resident);
  return true;
}

int64_t ResidentSetBytes() {
  std::ifstream statm("/proc/self/statm");
  int64_t size_pages = 0;
  int64_t resident_pages = 0;
  if (!(statm >> size_pages >> resident_pages)) return 0;
  return resident_pages * static_cast<int64_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace

ProcessMemory CurrentProcessMemory() {
  ProcessMemory memory;
  memory.rss_bytes = ResidentSetBytes();
  if (JemallocLinked() && JemallocHeap(memory)) return memory;
#if defined(CM_ASAN_ENABLED) || defined(CM_TSAN_ENABLED)
  memory.heap_allocated_bytes = static_cast<int64_t>(__sanitizer_get_current_allocated_bytes());
  memory.heap_mapped_bytes = static_cast<int64_t>(__sanitizer_get_heap_size());
#else
  const struct mallinfo2 info = mallinfo2();
  memory.heap_allocated_bytes = static_cast<int64_t>(info.uordblks + info.hblkhd);
  memory.heap_mapped_bytes = static_cast<int64_t>(info.arena + info.hblkhd);
#endif
  return memory;
}

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
