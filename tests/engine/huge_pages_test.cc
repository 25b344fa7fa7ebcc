// AdviseHugePages and GrowGently (engine/huge_pages.h, field_index.h): a grown
// array keeps its elements and its spare capacity stays within an eighth, and
// the kernel reports the advised memory as eligible for huge pages exactly
// when its THP mode allows it.
#include "engine/huge_pages.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "engine/field_index.h"

namespace clustermatch {
namespace {

// The bracketed word of /sys/kernel/mm/transparent_hugepage/enabled:
// "always", "madvise" or "never" ("" without THP).
std::string ThpMode() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string line;
  std::getline(in, line);
  const size_t open = line.find('[');
  const size_t close = line.find(']');
  if (open == std::string::npos || close == std::string::npos) return "";
  return line.substr(open + 1, close - open - 1);
}

// The THPeligible flag /proc/self/smaps gives the mapping holding `address`
// (-1 when no mapping or flag was found).
int ThpEligible(const void* address) {
  const auto at = reinterpret_cast<uintptr_t>(address);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    uintptr_t begin = 0, end = 0;
    char dash = 0;
    std::istringstream head(line);
    if (head >> std::hex >> begin >> dash >> end && dash == '-') {
      inside = begin <= at && at < end;
      continue;
    }
    if (inside && line.rfind("THPeligible:", 0) == 0) return std::stoi(line.substr(12));
  }
  return -1;
}

TEST(HugePagesTest, GrowingKeepsTheElementsAndAtMostAnEighthSpare) {
  std::vector<int64_t> values(1000);
  std::iota(values.begin(), values.end(), 0);
  for (int round = 0; round < 40; ++round) {
    const size_t before = values.size();
    GrowGently(values, 50'000);
    ASSERT_GE(values.capacity(), before + 50'000);
    for (size_t i = 0; i < 50'000; ++i) values.push_back(static_cast<int64_t>(before + i));
  }
  for (size_t i = 0; i < values.size(); ++i) ASSERT_EQ(values[i], static_cast<int64_t>(i));
  EXPECT_LE(values.capacity(), values.size() + values.size() / 8 + 50'000);
}

TEST(HugePagesTest, GrownArraysAreEligibleForHugePagesWhereTheKernelAllows) {
  const std::string mode = ThpMode();
  std::vector<float> rows;
  GrowGently(rows, size_t{64} << 20);  // 256 MB: far beyond malloc's heap, its own mapping
  rows.resize(rows.capacity());
  const int eligible = ThpEligible(rows.data() + rows.size() / 2);
  ASSERT_NE(eligible, -1) << "no THPeligible line for the array in /proc/self/smaps";
  if (mode == "always" || mode == "madvise") {
    EXPECT_EQ(eligible, 1) << "THP mode " << mode;
  } else {
    EXPECT_EQ(eligible, 0) << "THP mode '" << mode << "'";
  }
  // A plain vector of the same size gets huge pages only in "always" mode.
  std::vector<float> plain(size_t{64} << 20);
  EXPECT_EQ(ThpEligible(plain.data() + plain.size() / 2), mode == "always" ? 1 : 0);
}

}  // namespace
}  // namespace clustermatch
