// Fuzz entries for text handling: encoding detection and conversion of
// imported files, and the normaliser and tokenizer every embedding runs.
#include <cmath>
#include <optional>
#include <string>

#include "engine/text_encoding.h"
#include "models/text_normalizer.h"
#include "models/tokenizer.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_entries.h"

namespace clustermatch::fuzz {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// An independent strict UTF-8 check (RFC 3629), to compare FindInvalidUtf8
// with: the offset of the first byte that does not start a well-formed
// sequence.
std::optional<size_t> ReferenceInvalidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto byte = [&](size_t at) { return static_cast<unsigned char>(text[at]); };
    const unsigned char lead = byte(i);
    size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (lead < 0x80) {
      length = 1;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) low = 0xA0;   // overlong
      if (lead == 0xED) high = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) low = 0x90;   // overlong
      if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
    } else {
      return i;
    }
    if (i + length > text.size()) return i;
    for (size_t k = 1; k < length; ++k) {
      const unsigned char next = byte(i + k);
      const unsigned char lo = k == 1 ? low : 0x80;
      const unsigned char hi = k == 1 ? high : 0xBF;
      if (next < lo || next > hi) return i;
    }
    i += length;
  }
  return std::nullopt;
}

void CheckFeatures(std::string_view text, std::string_view what) {
  ForEachFeature(text, [&](std::string_view feature, float weight) {
    FUZZ_CHECK(!feature.empty(), "tokenizer: empty feature of ", what);
    FUZZ_CHECK(IsValidUtf8(feature), "tokenizer: feature not UTF-8: ", Printable(feature));
    FUZZ_CHECK(std::isfinite(weight) && weight > 0 && weight <= kWordWeight, "tokenizer: feature ",
               Printable(feature), " weighs ", weight);
  });
}

}  // namespace

void FuzzTextEncoding(std::string_view bytes) {
  const std::optional<size_t> invalid = FindInvalidUtf8(bytes);
  const std::optional<size_t> expected = ReferenceInvalidUtf8(bytes);
  FUZZ_CHECK(invalid == expected, "text_encoding: FindInvalidUtf8 says ",
             invalid.has_value() ? std::to_string(*invalid) : "valid", ", expected ",
             expected.has_value() ? std::to_string(*expected) : "valid");

  const bool has_bom = bytes.starts_with(kBom);
  const std::string_view body = has_bom ? bytes.substr(kBom.size()) : bytes;
  const TextEncoding detected = DetectTextEncoding(bytes);
  FUZZ_CHECK((detected == TextEncoding::kUtf8) == (has_bom || !expected.has_value()),
             "text_encoding: detected ", TextEncodingName(detected));

  for (std::string_view encoding : {"auto", "utf-8", "cp949"}) {
    absl::StatusOr<DecodedText> decoded = DecodeText(bytes, encoding, "fuzz.csv");
    if (!decoded.ok()) {
      FUZZ_CHECK(absl::IsInvalidArgument(decoded.status()) || absl::IsInternal(decoded.status()),
                 "text_encoding: ", encoding, ": ", decoded.status().ToString());
      FUZZ_CHECK(!absl::IsInvalidArgument(decoded.status()) ||
                     std::string(decoded.status().message()).starts_with("fuzz.csv:"),
                 "text_encoding: error does not name the line: ", decoded.status().ToString());
      continue;
    }
    FUZZ_CHECK(IsValidUtf8(decoded->utf8), "text_encoding: ", encoding, " gave invalid UTF-8");
    if (encoding == "auto") {
      FUZZ_CHECK(decoded->encoding == detected, "text_encoding: auto read as ",
                 TextEncodingName(decoded->encoding));
    }
    if (decoded->encoding == TextEncoding::kUtf8) {
      FUZZ_CHECK(decoded->utf8 == body, "text_encoding: ", encoding,
                 " changed UTF-8 text: ", Printable(decoded->utf8));
    }
  }
  absl::StatusOr<DecodedText> as_utf8 = DecodeText(bytes, "utf-8");
  FUZZ_CHECK(as_utf8.ok() == IsValidUtf8(body), "text_encoding: utf-8 decode ",
             as_utf8.status().ToString());
}

void FuzzTokenizer(std::string_view bytes) {
  // Raw bytes: invalid UTF-8 must act as separators, never crash.
  CheckFeatures(bytes, "raw bytes");
  absl::StatusOr<std::string> normalized = NormalizeText(bytes);
  FUZZ_CHECK(normalized.ok() == IsValidUtf8(bytes), "tokenizer: NormalizeText ",
             normalized.status().ToString());
  if (!normalized.ok()) {
    FUZZ_CHECK(absl::IsInvalidArgument(normalized.status()), normalized.status().ToString());
    return;
  }
  const std::string& text = *normalized;
  FUZZ_CHECK(IsValidUtf8(text), "tokenizer: normalised text not UTF-8: ", Printable(text));
  FUZZ_CHECK(!text.starts_with(' ') && !text.ends_with(' ') && text.find("  ") == std::string::npos,
             "tokenizer: whitespace not collapsed: ", Printable(text));
  for (unsigned char c : text) {
    FUZZ_CHECK(c >= 0x20 && c != 0x7f, "tokenizer: control character in ", Printable(text));
  }
  CheckFeatures(text, "normalised text");
  // Tokenize collects the same features as ForEachFeature.
  size_t count = 0;
  ForEachFeature(text, [&](std::string_view, float) { ++count; });
  FUZZ_CHECK(Tokenize(text).size() == count, "tokenizer: Tokenize and ForEachFeature differ");
}

}  // namespace clustermatch::fuzz
