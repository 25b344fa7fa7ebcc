// Text normalisation: the first step of every embedding. Pure functions,
// safe to call from any thread.
#ifndef CLUSTERMATCH_MODELS_TEXT_NORMALIZER_H_
#define CLUSTERMATCH_MODELS_TEXT_NORMALIZER_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace clustermatch {

// Returns `utf8` in Unicode NFKC with full case folding (utf8proc), so that
// full-width "ＣＮＣ" becomes "cnc" and decomposed Hangul jamo become
// syllables. Also:
//   - control characters and default-ignorable code points (zero-width
//     spaces, joiners, BOM) are removed;
//   - every run of whitespace (ASCII, Unicode Zs/Zl/Zp, line breaks, tabs)
//     becomes one ASCII space, and leading/trailing whitespace is dropped.
// The result is valid UTF-8 and may be empty.
//
// Returns InvalidArgument when `utf8` is not valid UTF-8.
absl::StatusOr<std::string> NormalizeText(std::string_view utf8);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_MODELS_TEXT_NORMALIZER_H_
