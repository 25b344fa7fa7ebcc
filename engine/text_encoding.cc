#include "engine/text_encoding.h"

#include <errno.h>
#include <iconv.h>

#include <cstring>
#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace clustermatch {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

enum class EncodingChoice { kAuto, kUtf8, kCp949 };

std::optional<EncodingChoice> ParseEncodingChoice(std::string_view name) {
  const std::string key = absl::AsciiStrToLower(
      absl::StripAsciiWhitespace(absl::string_view(name.data(), name.size())));
  if (key.empty() || key == "auto") return EncodingChoice::kAuto;
  if (key == "utf-8" || key == "utf8") return EncodingChoice::kUtf8;
  if (key == "cp949" || key == "euc-kr" || key == "euckr" || key == "uhc" || key == "ms949") {
    return EncodingChoice::kCp949;
  }
  return std::nullopt;
}

bool HasUtf8Bom(std::string_view bytes) { return bytes.substr(0, kUtf8Bom.size()) == kUtf8Bom; }

// The 1-based line holding `offset`. CRLF, LF and a lone CR each end a line,
// as in CsvReader. Neither UTF-8 nor CP949 uses 0x0A or 0x0D inside a
// multi-byte character, so counting bytes is exact in both.
int LineAt(std::string_view bytes, size_t offset) {
  int line = 1;
  for (size_t i = 0; i < offset && i < bytes.size(); ++i) {
    if (bytes[i] == '\n') {
      ++line;
    } else if (bytes[i] == '\r' && (i + 1 >= bytes.size() || bytes[i + 1] != '\n')) {
      ++line;
    }
  }
  return line;
}

std::string Where(std::string_view source_name, int line) {
  if (source_name.empty()) return absl::StrCat("line ", line);
  return absl::StrCat(std::string(source_name), ":", line);
}

std::string ByteHex(std::string_view bytes, size_t offset) {
  std::string out;
  for (size_t i = offset; i < bytes.size() && i < offset + 2; ++i) {
    absl::StrAppend(&out, i == offset ? "" : " ",
                    absl::StrFormat("0x%02X", static_cast<unsigned char>(bytes[i])));
  }
  return out;
}

struct IconvCloser {
  void operator()(void* cd) const { iconv_close(static_cast<iconv_t>(cd)); }
};

// The outcome of a CP949 conversion: the text, or the offset of the first
// byte iconv refused.
struct Cp949Result {
  std::string utf8;
  std::optional<size_t> bad_offset;
};

absl::StatusOr<Cp949Result> ConvertCp949(std::string_view bytes) {
  iconv_t raw = iconv_open("UTF-8", "CP949");
  if (raw == reinterpret_cast<iconv_t>(-1)) {
    return absl::InternalError(
        absl::StrCat("iconv cannot convert from CP949: ", std::strerror(errno)));
  }
  std::unique_ptr<void, IconvCloser> cd(raw);
  Cp949Result result;
  // A CP949 character is at most two bytes and becomes at most three in
  // UTF-8, so half again the input size (plus slack) is enough; E2BIG grows it.
  result.utf8.resize(bytes.size() + bytes.size() / 2 + 16);
  char* in = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  size_t written = 0;
  while (in_left > 0) {
    char* out = result.utf8.data() + written;
    size_t out_left = result.utf8.size() - written;
    const size_t rc = iconv(raw, &in, &in_left, &out, &out_left);
    written = result.utf8.size() - out_left;
    if (rc != static_cast<size_t>(-1)) break;
    if (errno == E2BIG) {
      result.utf8.resize(result.utf8.size() * 2);
      continue;
    }
    // EILSEQ (an invalid sequence) or EINVAL (a sequence cut off at the end).
    result.bad_offset = static_cast<size_t>(in - bytes.data());
    break;
  }
  result.utf8.resize(written);
  return result;
}

}  // namespace

std::string_view TextEncodingName(TextEncoding encoding) {
  return encoding == TextEncoding::kCp949 ? "cp949" : "utf-8";
}

std::optional<size_t> FindInvalidUtf8(std::string_view text) {
  const auto* b = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = b[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    uint32_t min;
    if ((c & 0xE0) == 0xC0) {
      len = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, cp = c & 0x07, min = 0x10000;
    } else {
      return i;  // a continuation byte without a lead, or 0xF8..0xFF
    }
    if (n - i < len) return i;
    for (size_t k = 1; k < len; ++k) {
      if ((b[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (b[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::nullopt;
}

TextEncoding DetectTextEncoding(std::string_view bytes) {
  if (HasUtf8Bom(bytes) || IsValidUtf8(bytes)) return TextEncoding::kUtf8;
  return TextEncoding::kCp949;
}

absl::StatusOr<DecodedText> DecodeText(std::string_view bytes, std::string_view encoding,
                                       std::string_view source_name) {
  const std::optional<EncodingChoice> choice = ParseEncodingChoice(encoding);
  if (!choice.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat("unknown encoding \"", std::string(encoding),
                                                   "\"; expected auto, utf-8 or cp949"));
  }
  const bool utf8 =
      *choice == EncodingChoice::kUtf8 ||
      (*choice == EncodingChoice::kAuto && DetectTextEncoding(bytes) == TextEncoding::kUtf8);
  if (utf8) {
    if (HasUtf8Bom(bytes)) bytes.remove_prefix(kUtf8Bom.size());
    if (const std::optional<size_t> bad = FindInvalidUtf8(bytes); bad.has_value()) {
      return absl::InvalidArgumentError(absl::StrCat(Where(source_name, LineAt(bytes, *bad)),
                                                     ": not valid UTF-8 at byte offset ", *bad,
                                                     " (", ByteHex(bytes, *bad), ")"));
    }
    return DecodedText{std::string(bytes), TextEncoding::kUtf8};
  }
  absl::StatusOr<Cp949Result> cp949 = ConvertCp949(bytes);
  if (!cp949.ok()) return cp949.status();
  if (cp949->bad_offset.has_value()) {
    const size_t bad = *cp949->bad_offset;
    std::string message =
        absl::StrCat(Where(source_name, LineAt(bytes, bad)), ": not valid CP949 at byte offset ",
                     bad, " (", ByteHex(bytes, bad), ")");
    if (*choice == EncodingChoice::kAuto) {
      const size_t bad_utf8 = FindInvalidUtf8(bytes).value_or(0);
      absl::StrAppend(&message, ", nor valid UTF-8 (byte offset ", bad_utf8, ", line ",
                      LineAt(bytes, bad_utf8), ")");
    }
    return absl::InvalidArgumentError(message);
  }
  return DecodedText{std::move(cp949->utf8), TextEncoding::kCp949};
}

absl::StatusOr<std::string> DecodeToUtf8(std::string_view bytes, std::string_view encoding) {
  absl::StatusOr<DecodedText> decoded = DecodeText(bytes, encoding);
  if (!decoded.ok()) return decoded.status();
  return std::move(decoded->utf8);
}

}  // namespace clustermatch
