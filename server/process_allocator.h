// Which malloc this process runs on, and how serve tunes it.
//
// The release `clustermatch` binary links jemalloc (CMake option
// CLUSTERMATCH_MALLOC, README "Dependencies"): under eight portal clients a
// profile put about a quarter of the server's time in glibc's malloc, on
// gRPC's threads. The test and benchmark binaries keep glibc's malloc, and
// sanitizer builds the sanitizer's (ASan and TSan replace malloc).
#ifndef CLUSTERMATCH_SERVER_PROCESS_ALLOCATOR_H_
#define CLUSTERMATCH_SERVER_PROCESS_ALLOCATOR_H_

#include <string>

namespace clustermatch {

// "jemalloc 5.3.0-0-g54eaed1d8b56b1aa528be3bdd1877e59c56fa90c" when jemalloc
// is linked; "glibc malloc 2.36" or, in an ASan or TSan build, "the
// sanitizer runtime's malloc" otherwise.
std::string ProcessAllocator();

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
