// What the engine tests that scripts/tsan.sh runs under ThreadSanitizer
// shrink there: TSan makes every step several times slower, and the
// instrumented linear algebra is the slow part.
#ifndef CLUSTERMATCH_TESTS_ENGINE_TSAN_SCALE_H_
#define CLUSTERMATCH_TESTS_ENGINE_TSAN_SCALE_H_

#include "engine/engine.h"

namespace clustermatch::tsan_scale {

#if defined(__SANITIZE_THREAD__)
inline constexpr bool kUnderTsan = true;
#else
inline constexpr bool kUnderTsan = false;
#endif

// Under TSan, a smaller model that runs the same code.
inline void ShrinkModel(EngineOptions& options) {
  if (!kUnderTsan) return;
  options.model_options.dimension = 32;
  options.model_options.power_iterations = 1;
}

}  // namespace clustermatch::tsan_scale

#endif  // CLUSTERMATCH_TESTS_ENGINE_TSAN_SCALE_H_
