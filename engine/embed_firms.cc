#include "engine/embed_firms.h"

#include <cstddef>
#include <cstdint>

#include "engine/firm_texts.h"

namespace clustermatch {
namespace {

// Below this many firms the threads cost more than they save.
constexpr size_t kParallelMinimum = 64;

}  // namespace

std::vector<FirmVectors> EmbedFirms(const TextModel& model, std::span<const Firm* const> firms) {
  std::vector<FirmVectors> vectors(firms.size());
  if (firms.size() < kParallelMinimum) {
    for (size_t i = 0; i < firms.size(); ++i) vectors[i] = EmbedFirm(model, *firms[i]);
    return vectors;
  }
  // Each index is written by exactly one thread into its own slot; profiles
  // differ in length, so threads take small chunks as they free up.
  const auto n = static_cast<int64_t>(firms.size());
#pragma omp parallel for schedule(dynamic, 32)
  for (int64_t i = 0; i < n; ++i) {
    const auto at = static_cast<size_t>(i);
    vectors[at] = EmbedFirm(model, *firms[at]);
  }
  return vectors;
}

}  // namespace clustermatch
