#include "engine/text_encoding.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/cp949_test_util.h"

namespace clustermatch {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr std::string_view kKorean = "id,name\nkr-1,한빛소프트\nkr-2,구로디지털단지 (G-Valley)\n";

std::string Message(const absl::Status& status) { return std::string(status.message()); }

TEST(Utf8Test, FindsFirstIllFormedByte) {
  EXPECT_FALSE(FindInvalidUtf8("").has_value());
  EXPECT_FALSE(FindInvalidUtf8("plain ascii").has_value());
  EXPECT_FALSE(FindInvalidUtf8("한글 \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF").has_value());
  EXPECT_EQ(FindInvalidUtf8("ab\xC0\xAF"), 2u);         // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("a\xE0\x80\xAF"), 1u);      // overlong 3-byte
  EXPECT_EQ(FindInvalidUtf8("\xED\xA0\x80"), 0u);       // surrogate U+D800
  EXPECT_EQ(FindInvalidUtf8("x\xF4\x90\x80\x80"), 1u);  // U+110000
  EXPECT_EQ(FindInvalidUtf8("한\xEA\xB8"), 3u);         // truncated at the end
  EXPECT_EQ(FindInvalidUtf8("\x80"), 0u);               // lone continuation
  EXPECT_EQ(FindInvalidUtf8("ok\xFF"), 2u);
  EXPECT_EQ(FindInvalidUtf8("\xE4\xB8x"), 0u);  // bad continuation
}

TEST(TextEncodingTest, Utf8PassesThrough) {
  absl::StatusOr<DecodedText> decoded = DecodeText(kKorean, "auto");
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->utf8, kKorean);
  EXPECT_EQ(decoded->encoding, TextEncoding::kUtf8);
  EXPECT_EQ(TextEncodingName(decoded->encoding), "utf-8");
}

TEST(TextEncodingTest, StripsUtf8Bom) {
  const std::string with_bom = absl::StrCat("\xEF\xBB\xBF", std::string(kKorean));
  EXPECT_EQ(DetectTextEncoding(with_bom), TextEncoding::kUtf8);
  for (const char* encoding : {"auto", "utf-8", "UTF8"}) {
    absl::StatusOr<std::string> text = DecodeToUtf8(with_bom, encoding);
    ASSERT_TRUE(text.ok()) << encoding << ": " << text.status();
    EXPECT_EQ(*text, kKorean) << encoding;
  }
}

TEST(TextEncodingTest, DetectsAndDecodesCp949) {
  const std::string cp949 = ToCp949(kKorean);
  ASSERT_NE(cp949, kKorean);
  EXPECT_FALSE(IsValidUtf8(cp949));
  EXPECT_EQ(DetectTextEncoding(cp949), TextEncoding::kCp949);
  absl::StatusOr<DecodedText> decoded = DecodeText(cp949, "auto");
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->utf8, kKorean);
  EXPECT_EQ(decoded->encoding, TextEncoding::kCp949);
  EXPECT_EQ(TextEncodingName(decoded->encoding), "cp949");
}

TEST(TextEncodingTest, AcceptsCp949Aliases) {
  // 똠 and 햏 are outside EUC-KR's KS X 1001 set but inside CP949.
  const std::string utf8 = "똠햏 한국";
  const std::string cp949 = ToCp949(utf8);
  for (const char* encoding : {"cp949", "CP949", "euc-kr", "EUC-KR", "uhc", " ms949 "}) {
    absl::StatusOr<std::string> text = DecodeToUtf8(cp949, encoding);
    ASSERT_TRUE(text.ok()) << encoding << ": " << text.status();
    EXPECT_EQ(*text, utf8) << encoding;
  }
}

TEST(TextEncodingTest, PureAsciiIsUtf8) {
  EXPECT_EQ(DetectTextEncoding("id,name\n1,a\n"), TextEncoding::kUtf8);
  EXPECT_EQ(DetectTextEncoding(""), TextEncoding::kUtf8);
}

TEST(TextEncodingTest, ForcedUtf8NamesLineAndOffsetOfBadByte) {
  const std::string cp949 = ToCp949("id,name\r\nkr-1,한빛\r\n");
  absl::StatusOr<std::string> text = DecodeToUtf8(cp949, "utf-8");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(text.status()), StartsWith("line 2: not valid UTF-8 at byte offset 14"));
}

TEST(TextEncodingTest, InvalidCp949NamesLineAndOffset) {
  const std::string bytes = "id,name\nkr-1,ok\nkr-2,\xFF\xFF\n";
  absl::StatusOr<DecodedText> forced = DecodeText(bytes, "cp949", "firms.csv");
  ASSERT_FALSE(forced.ok());
  EXPECT_EQ(forced.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(forced.status()),
              StartsWith("firms.csv:3: not valid CP949 at byte offset 21 (0xFF 0xFF)"));

  absl::StatusOr<DecodedText> detected = DecodeText(bytes, "auto", "firms.csv");
  ASSERT_FALSE(detected.ok());
  EXPECT_THAT(Message(detected.status()), StartsWith("firms.csv:3: not valid CP949"));
  EXPECT_THAT(Message(detected.status()), HasSubstr("nor valid UTF-8 (byte offset 21, line 3)"));
}

TEST(TextEncodingTest, TruncatedCp949CharacterAtEnd) {
  std::string bytes = ToCp949("한");
  ASSERT_EQ(bytes.size(), 2u);
  bytes = absl::StrCat("abc\r\n", bytes.substr(0, 1));
  absl::StatusOr<std::string> text = DecodeToUtf8(bytes, "cp949");
  ASSERT_FALSE(text.ok());
  EXPECT_THAT(Message(text.status()), StartsWith("line 2: not valid CP949 at byte offset 5"));
}

TEST(TextEncodingTest, RejectsUnknownEncodingName) {
  absl::StatusOr<std::string> text = DecodeToUtf8("abc", "latin-1");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(text.status()), HasSubstr("unknown encoding \"latin-1\""));
}

TEST(TextEncodingTest, LargeCp949InputRoundTrips) {
  std::string utf8;
  for (int i = 0; i < 20000; ++i) absl::StrAppend(&utf8, "줄 ", i, ",가나다라마바사\r\n");
  absl::StatusOr<std::string> text = DecodeToUtf8(ToCp949(utf8), "auto");
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text, utf8);
}

}  // namespace
}  // namespace clustermatch
