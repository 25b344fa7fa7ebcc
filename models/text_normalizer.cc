#include "models/text_normalizer.h"

#include <vector>

#include <utf8proc.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace clustermatch {
namespace {

bool IsSpace(utf8proc_int32_t cp) {
  if (cp == ' ' || (cp >= 0x09 && cp <= 0x0D)) return true;
  if (cp < 0x80) return false;
  const utf8proc_category_t category = utf8proc_category(cp);
  return category == UTF8PROC_CATEGORY_ZS || category == UTF8PROC_CATEGORY_ZL ||
         category == UTF8PROC_CATEGORY_ZP;
}

// ASCII text is already NFKC and folds by lowering A-Z, so it skips
// utf8proc (the common case for English profiles, several times faster).
// Mirrors the utf8proc path below: tab, line feed, vertical tab, form feed and
// carriage return are whitespace; other C0 controls and DEL are dropped.
std::string NormalizeAscii(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == ' ' || (c >= '\t' && c <= '\r')) {
      pending_space = !out.empty();
    } else if (c >= 0x20 && c != 0x7F) {
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : ch);
    }
  }
  return out;
}

bool IsAscii(std::string_view text) {
  for (char ch : text) {
    if (static_cast<unsigned char>(ch) >= 0x80) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::string> NormalizeText(std::string_view utf8) {
  if (IsAscii(utf8)) return NormalizeAscii(utf8);

  // STRIPCC turns line breaks and tabs into spaces and drops other control
  // characters; IGNORE drops default-ignorable code points. COMPAT + COMPOSE
  // is NFKC; CASEFOLD applies full case folding on the way. This is what
  // utf8proc_map does, without its sizing pass and allocation.
  const auto options =
      static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
                                     UTF8PROC_CASEFOLD | UTF8PROC_IGNORE | UTF8PROC_STRIPCC);
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(utf8.data());
  const auto size = static_cast<utf8proc_ssize_t>(utf8.size());
  std::vector<utf8proc_int32_t> code_points(utf8.size() + 8);
  utf8proc_ssize_t length = 0;
  for (int attempt = 0; attempt < 2; ++attempt) {
    length = utf8proc_decompose(bytes, size, code_points.data(),
                                static_cast<utf8proc_ssize_t>(code_points.size()), options);
    if (length < 0 || length <= static_cast<utf8proc_ssize_t>(code_points.size())) break;
    code_points.resize(static_cast<size_t>(length));  // rare: a long compatibility expansion
  }
  if (length >= 0) length = utf8proc_normalize_utf32(code_points.data(), length, options);
  if (length < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("text is not valid UTF-8: ", utf8proc_errmsg(length)));
  }

  // Encode, collapsing whitespace runs to one ASCII space and trimming.
  std::string out;
  out.reserve(utf8.size());
  bool pending_space = false;
  for (utf8proc_ssize_t i = 0; i < length; ++i) {
    const utf8proc_int32_t cp = code_points[static_cast<size_t>(i)];
    if (IsSpace(cp)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    utf8proc_uint8_t encoded[4];
    const utf8proc_ssize_t n = utf8proc_encode_char(cp, encoded);
    out.append(reinterpret_cast<const char*>(encoded), static_cast<size_t>(n));
  }
  return out;
}

}  // namespace clustermatch
