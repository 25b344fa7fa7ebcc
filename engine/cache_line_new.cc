// Replaces the global operator new so that every block of 4 KiB or more
// starts on a 64-byte cache line, whatever the malloc underneath.
//
// The index keeps its rows in Faiss's `codes`, a std::vector<uint8_t>, so
// their address is whatever operator new returns. glibc's malloc returns
// large blocks 16 bytes past a line (its chunk header), so every 1 KiB float
// row spans 17 lines and each 64-byte SIMD load in the distance kernels
// straddles two of them; jemalloc's large blocks are aligned. Aligning them
// made single-thread HNSW search 1.05-1.20x faster at 100k firms and
// 1.08-1.11x at 1M, and the index build 1.17-1.19x at 1M (docs/performance.md,
// "Rows on a cache line in every binary"). Smaller blocks (strings, protobuf
// messages, graph nodes) keep malloc's usual 16-byte alignment and cost.
//
// Replacing operator new is the standard's way (replaceable allocation
// functions): the linker takes this definition over libstdc++'s for the whole
// process, shared libraries included. libstdc++'s array, nothrow and sized
// forms call these, and every block is released with free(), which accepts
// both malloc's and aligned_alloc's blocks. Sanitizer builds keep
// their runtime's operator new, which checks new/delete pairing.
//
// This file is a member of the engine's static library: any binary that links
// the engine and allocates with new pulls it in (tests check the alignment).
#include <cstdlib>
#include <new>

#include "engine/sanitizer_build.h"

#if !defined(CM_ASAN_ENABLED) && !defined(CM_TSAN_ENABLED)

namespace {

constexpr std::size_t kCacheLine = 64;
constexpr std::size_t kAlignFrom = 4096;

void* Allocate(std::size_t size) {
  if (size < kAlignFrom) return std::malloc(size == 0 ? 1 : size);
  // aligned_alloc wants a multiple of the alignment.
  const std::size_t rounded = (size + kCacheLine - 1) & ~(kCacheLine - 1);
  if (rounded < size) return nullptr;
  return std::aligned_alloc(kCacheLine, rounded);
}

}  // namespace

void* operator new(std::size_t size) {
  for (;;) {
    if (void* block = Allocate(size)) return block;
    std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
  }
}

void operator delete(void* block) noexcept { std::free(block); }

void operator delete(void* block, std::size_t) noexcept { std::free(block); }

#endif  // !CM_ASAN_ENABLED && !CM_TSAN_ENABLED
