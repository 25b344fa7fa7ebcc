#include "models/text_normalizer.h"

#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace clustermatch {
namespace {

std::string Normalized(std::string_view text) {
  absl::StatusOr<std::string> out = NormalizeText(text);
  EXPECT_TRUE(out.ok()) << out.status();
  return out.ok() ? *out : std::string();
}

TEST(TextNormalizerTest, FullWidthBecomesAscii) {
  EXPECT_EQ(Normalized("ＣＮＣ　Ｍａｃｈｉｎｉｎｇ １２３"), "cnc machining 123");
}

TEST(TextNormalizerTest, FoldsCase) {
  EXPECT_EQ(Normalized("ALUMINIUM Parts"), "aluminium parts");
  EXPECT_EQ(Normalized("Straße"), "strasse");
  EXPECT_EQ(Normalized("ΣΊΣΥΦΟΣ"), Normalized("σίσυφος"));
}

TEST(TextNormalizerTest, ComposesHangulJamo) {
  // U+1100 (choseong kiyeok) + U+1161 (jungseong a) compose to U+AC00 "가".
  EXPECT_EQ(Normalized("\u1100\u1161\u11a8"), "각");
  EXPECT_EQ(Normalized("빅데이터"), "빅데이터");
}

TEST(TextNormalizerTest, CollapsesAndTrimsWhitespace) {
  EXPECT_EQ(Normalized("  cnc\t\n\r machining \u00a0\u3000 parts  "), "cnc machining parts");
  EXPECT_EQ(Normalized(" \t\n "), "");
  EXPECT_EQ(Normalized(""), "");
}

TEST(TextNormalizerTest, RemovesControlAndZeroWidthCharacters) {
  EXPECT_EQ(Normalized("빅\u200b데이터"), "빅데이터");
  EXPECT_EQ(Normalized(std::string("ab\0c", 4)), "abc");
  EXPECT_EQ(Normalized("\ufeffhello"), "hello");
}

TEST(TextNormalizerTest, RejectsInvalidUtf8) {
  for (std::string_view bad :
       {std::string_view("\xff"), std::string_view("abc\xc3"), std::string_view("\xc0\xaf"),
        std::string_view("\xed\xa0\x80"), std::string_view("ok \x80 no")}) {
    absl::StatusOr<std::string> out = NormalizeText(bad);
    EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

TEST(TextNormalizerTest, AsciiFastPathAgreesWithUtf8proc) {
  // A non-ASCII prefix sends the text through utf8proc; pure ASCII takes the
  // fast path. Both must treat every ASCII byte alike.
  for (int c = 0; c < 0x80; ++c) {
    const std::string ascii = std::string("x") + static_cast<char>(c) + "Y";
    const std::string ascii_normalized = Normalized(ascii);
    EXPECT_EQ(Normalized("é " + ascii), "é " + ascii_normalized) << "byte " << c;
  }
}

}  // namespace
}  // namespace clustermatch
