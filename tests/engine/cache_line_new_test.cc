// The engine's operator new (engine/cache_line_new.cc) starts every block of
// 4 KiB or more on a 64-byte line, so the index's rows, which live in Faiss's
// std::vector codes, are aligned for the SIMD kernels under any malloc.
// glibc's own large blocks start 16 bytes into a line, so these fail if the
// replacement is not linked. Sanitizer builds keep their runtime's operator
// new, and these tests are not compiled there.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <random>
#include <vector>

#include "engine/sanitizer_build.h"
#include "engine/simd_flat_storage.h"
#include "engine/sq8_storage.h"

#if !defined(CM_ASAN_ENABLED) && !defined(CM_TSAN_ENABLED)

namespace clustermatch {
namespace {

uintptr_t LineOffset(const void* address) { return reinterpret_cast<uintptr_t>(address) % 64; }

TEST(CacheLineNewTest, LargeBlocksStartOnACacheLine) {
  // From a page to past glibc's mmap threshold, odd sizes included.
  for (const size_t size : {size_t{4096}, size_t{4097}, size_t{100'003}, size_t{1} << 20,
                            (size_t{13} << 20) + 5, size_t{100} << 20}) {
    SCOPED_TRACE(size);
    auto block = std::make_unique<uint8_t[]>(size);
    EXPECT_EQ(LineOffset(block.get()), 0u);
    std::vector<uint8_t> bytes(size);
    EXPECT_EQ(LineOffset(bytes.data()), 0u);
    std::vector<float> floats(size / sizeof(float) + 1);
    EXPECT_EQ(LineOffset(floats.data()), 0u);
  }
}

TEST(CacheLineNewTest, SmallBlocksStillWork) {
  std::vector<std::unique_ptr<char[]>> blocks;
  for (size_t size = 0; size < 4096; size += 37) {
    blocks.push_back(std::make_unique<char[]>(size + 1));
    blocks.back()[size] = 'x';
    EXPECT_EQ(reinterpret_cast<uintptr_t>(blocks.back().get()) % alignof(std::max_align_t), 0u);
  }
}

// The rows themselves, as the index grows them: float rows and SQ8 codes,
// added in batches so that the codes vector is reallocated on the way.
TEST(CacheLineNewTest, IndexRowsStartOnACacheLineAfterEveryGrowth) {
  constexpr int kDimension = 256;
  std::mt19937 rng(7);
  std::normal_distribution<float> value;
  std::vector<float> batch(500 * kDimension);
  for (float& x : batch) x = value(rng);

  SimdFlatStorage floats(kDimension);
  Sq8Storage codes(kDimension);
  codes.Train(batch.data(), 500);
  for (int round = 0; round < 12; ++round) {
    SCOPED_TRACE(round);
    floats.add(500, batch.data());
    codes.add(500, batch.data());
    EXPECT_EQ(LineOffset(floats.get_xb()), 0u);
    EXPECT_EQ(LineOffset(codes.row_codes(0)), 0u);
  }
  EXPECT_EQ(floats.ntotal, 6000);
  EXPECT_EQ(codes.ntotal, 6000);
}

}  // namespace
}  // namespace clustermatch

#endif  // !CM_ASAN_ENABLED && !CM_TSAN_ENABLED
