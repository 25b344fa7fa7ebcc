// Character encodings of imported text files, and strict UTF-8 checks.
//
// CSV input arrives as UTF-8 (with or without a byte order mark) or as CP949,
// the extended EUC-KR that Korean Excel writes by default. Everything inside
// the engine is UTF-8; these functions turn file bytes into that.
//
// All functions are thread-safe (they keep no state; iconv handles are opened
// per call).
#ifndef CLUSTERMATCH_ENGINE_TEXT_ENCODING_H_
#define CLUSTERMATCH_ENGINE_TEXT_ENCODING_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace clustermatch {

enum class TextEncoding : uint8_t {
  kUtf8 = 0,
  kCp949 = 1,  // also covers EUC-KR, of which it is a superset
};

// "utf-8" or "cp949".
std::string_view TextEncodingName(TextEncoding encoding);

// Returns the offset of the first byte that does not start a well-formed
// UTF-8 sequence (overlong forms, surrogates, code points above U+10FFFF and
// truncated sequences are all ill-formed), or nullopt if `text` is valid.
std::optional<size_t> FindInvalidUtf8(std::string_view text);
inline bool IsValidUtf8(std::string_view text) { return !FindInvalidUtf8(text).has_value(); }

// The encoding that "auto" picks for `bytes`: UTF-8 if they start with a
// UTF-8 byte order mark or are valid UTF-8, CP949 otherwise. Pure ASCII is
// UTF-8.
TextEncoding DetectTextEncoding(std::string_view bytes);

struct DecodedText {
  std::string utf8;       // without byte order mark
  TextEncoding encoding;  // what the input was read as
};

// Converts `bytes` to UTF-8. `encoding` is "auto" (see DetectTextEncoding),
// "utf-8"/"utf8", or "cp949"/"euc-kr"/"uhc"/"ms949" (any case; "" means
// "auto"). A leading UTF-8 byte
// order mark is stripped. Errors:
//   InvalidArgument for an unknown encoding name, or bytes that are not valid
//     in the encoding; the message names the line and byte offset of the first
//     bad byte, as "NAME:LINE: ..." when `source_name` is non-empty and as
//     "line LINE: ..." otherwise.
//   Internal if the system's iconv cannot convert CP949 at all.
absl::StatusOr<DecodedText> DecodeText(std::string_view bytes, std::string_view encoding,
                                       std::string_view source_name = "");

// DecodeText without the detected encoding and source name.
absl::StatusOr<std::string> DecodeToUtf8(std::string_view bytes, std::string_view encoding);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_TEXT_ENCODING_H_
