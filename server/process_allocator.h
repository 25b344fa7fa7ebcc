// Which malloc this process runs on, and how serve tunes it.
//
// The release `clustermatch` binary links jemalloc (CMake option
// CLUSTERMATCH_MALLOC, README "Dependencies"): under eight portal clients a
// profile put about a quarter of the server's time in glibc's malloc, on
// gRPC's threads. The test and benchmark binaries keep glibc's malloc, and
// sanitizer builds the sanitizer's (ASan and TSan replace malloc).
#ifndef CLUSTERMATCH_SERVER_PROCESS_ALLOCATOR_H_
#define CLUSTERMATCH_SERVER_PROCESS_ALLOCATOR_H_

#include <cstdint>
#include <string>

namespace clustermatch {

// The process's memory as its allocator and the kernel count it.
struct ProcessMemory {
  // Bytes handed out by malloc and not yet freed: the live heap. A leak shows
  // here whatever the allocator keeps cached (jemalloc: stats.allocated;
  // glibc: in-use chunks plus mmapped blocks, over all arenas; sanitizers:
  // their allocator's current count).
  int64_t heap_allocated_bytes = 0;
  // Bytes the allocator holds mapped for the heap, live or cached (jemalloc:
  // stats.resident; glibc: arena and mmapped bytes; sanitizers: heap size).
  int64_t heap_mapped_bytes = 0;
  // The kernel's resident set (/proc/self/statm): the heap, the memory-mapped
  // index snapshot, SQLite's cache, stacks and code.
  int64_t rss_bytes = 0;
};

// "jemalloc 5.3.0-0-g54eaed1d8b56b1aa528be3bdd1877e59c56fa90c" when jemalloc
// is linked; "glibc malloc 2.36" or, in an ASan or TSan build, "the
// sanitizer runtime's malloc" otherwise.
std::string ProcessAllocator();

// Reads the counts now (jemalloc refreshes its statistics first).
ProcessMemory CurrentProcessMemory();

// Call before any thread starts. Under glibc, bounds malloc's arenas to one
// per core (unless MALLOC_ARENA_MAX is set): gRPC's many threads otherwise
// spread short-lived allocations over up to 8 arenas per core whose freed
// pages are rarely returned, and a long-running server's memory ratchets up
// under writes (the soak measured +12% in 90 s of updates with the default,
// +4% with two arenas on the 2-core machine). jemalloc needs nothing: its
// thread caches and decay-based purging already bound this.
void TuneProcessAllocatorForServing();

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_PROCESS_ALLOCATOR_H_
