// Helpers shared by the fuzz entries (fuzz_entries.h): a check that aborts
// with a message, and the in-memory store the importer targets write into.
#ifndef CLUSTERMATCH_TESTS_FUZZ_FUZZ_CHECK_H_
#define CLUSTERMATCH_TESTS_FUZZ_FUZZ_CHECK_H_

#include <span>
#include <sstream>
#include <string>
#include <string_view>

#include "engine/firm.h"

namespace clustermatch::fuzz {

// Prints "FILE:LINE: check failed: CONDITION: DETAIL" and aborts.
[[noreturn]] void FailCheck(const char* file, int line, const char* condition,
                            const std::string& detail);

// The arguments streamed one after another (std::string_view included,
// which Debian's absl::StrCat does not take).
template <typename... Args>
std::string Detail(const Args&... args) {
  std::ostringstream out;
  (out << ... << args);
  return out.str();
}

// A short, printable rendering of bytes for failure messages.
std::string Printable(std::string_view bytes);

// The firms as proto JSON, one per line, for failure messages.
std::string Describe(std::span<const Firm> firms);

// Stores `firms` (valid, ids unique) in the in-memory store, reads each back
// and checks it equals what was stored, then deletes them again so that the
// store stays small. `source` names the target in failure messages.
void CheckStoreRoundTrip(std::span<const Firm> firms, std::string_view source);

// Stores the firms the relations name (as bare profiles), appends the
// relations (valid), checks the store lists them back equal at its end, and
// deletes the firms.
void CheckRelationStoreRoundTrip(std::span<const Relation> relations);

}  // namespace clustermatch::fuzz

#define FUZZ_CHECK(condition, ...)                                                \
  do {                                                                            \
    if (!(condition)) {                                                           \
      ::clustermatch::fuzz::FailCheck(__FILE__, __LINE__, #condition,             \
                                      ::clustermatch::fuzz::Detail(__VA_ARGS__)); \
    }                                                                             \
  } while (false)

#endif  // CLUSTERMATCH_TESTS_FUZZ_FUZZ_CHECK_H_
