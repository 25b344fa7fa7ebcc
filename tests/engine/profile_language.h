// Test support: which language a firm profile is written in, so that quality
// tests can report hit rates per language. A profile is Korean, English or
// mixed by the share of Hangul among the letters of its free-text fields
// (name, description and the phrase lists; not the region, which is always
// written in English). A pair of firms is Korean–Korean, English–English,
// Korean–English (cross-language) or "mixed" when either profile is mixed.
#ifndef CLUSTERMATCH_TESTS_ENGINE_PROFILE_LANGUAGE_H_
#define CLUSTERMATCH_TESTS_ENGINE_PROFILE_LANGUAGE_H_

#include <string>
#include <string_view>
#include <vector>

#include "engine/firm.h"

namespace clustermatch::testing {

enum class ProfileLanguage { kKorean, kEnglish, kMixed };
enum class PairLanguage { kKoreanKorean, kEnglishEnglish, kKoreanEnglish, kMixed };

// Profiles at or above this Hangul share are Korean; at or below
// kEnglishMaxHangulShare, English; in between, mixed.
inline constexpr double kKoreanMinHangulShare = 0.8;
inline constexpr double kEnglishMaxHangulShare = 0.2;

inline std::string_view ProfileLanguageName(ProfileLanguage language) {
  switch (language) {
    case ProfileLanguage::kKorean:
      return "ko";
    case ProfileLanguage::kEnglish:
      return "en";
    case ProfileLanguage::kMixed:
      return "mixed";
  }
  return "?";
}

inline std::string_view PairLanguageName(PairLanguage language) {
  switch (language) {
    case PairLanguage::kKoreanKorean:
      return "ko-ko";
    case PairLanguage::kEnglishEnglish:
      return "en-en";
    case PairLanguage::kKoreanEnglish:
      return "ko-en";
    case PairLanguage::kMixed:
      return "mixed";
  }
  return "?";
}

// Counts the Hangul and all letters of UTF-8 `text`. Letters are ASCII
// letters, Hangul (syllables and jamo) and the accented Latin letters;
// digits, punctuation and other scripts are ignored.
inline void CountLetters(std::string_view text, int& hangul, int& letters) {
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const int length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    char32_t code = length == 1   ? lead
                    : length == 2 ? lead & 0x1F
                    : length == 3 ? lead & 0x0F
                                  : lead & 0x07;
    for (int k = 1; k < length && i + k < text.size(); ++k) {
      code = (code << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    i += length;
    const bool is_hangul = (code >= 0xAC00 && code <= 0xD7A3) ||
                           (code >= 0x1100 && code <= 0x11FF) || (code >= 0x3131 && code <= 0x318E);
    const bool is_latin = (code < 0x80 && ((code | 0x20) >= 'a' && (code | 0x20) <= 'z')) ||
                          (code >= 0xC0 && code <= 0x24F && code != 0xD7 && code != 0xF7);
    if (is_hangul) ++hangul;
    if (is_hangul || is_latin) ++letters;
  }
}

// Share of Hangul among the letters of the profile's text fields; 0 when it
// has no letters.
inline double HangulShare(const Firm& firm) {
  int hangul = 0;
  int letters = 0;
  CountLetters(firm.name, hangul, letters);
  CountLetters(firm.description, hangul, letters);
  for (const std::vector<std::string>* list :
       {&firm.industries, &firm.technologies, &firm.products, &firm.offers, &firm.needs,
        &firm.materials, &firm.markets}) {
    for (const std::string& text : *list) CountLetters(text, hangul, letters);
  }
  return letters == 0 ? 0 : static_cast<double>(hangul) / letters;
}

inline ProfileLanguage ClassifyProfile(const Firm& firm) {
  const double share = HangulShare(firm);
  if (share >= kKoreanMinHangulShare) return ProfileLanguage::kKorean;
  if (share <= kEnglishMaxHangulShare) return ProfileLanguage::kEnglish;
  return ProfileLanguage::kMixed;
}

inline PairLanguage ClassifyPair(ProfileLanguage a, ProfileLanguage b) {
  if (a == ProfileLanguage::kMixed || b == ProfileLanguage::kMixed) return PairLanguage::kMixed;
  if (a != b) return PairLanguage::kKoreanEnglish;
  return a == ProfileLanguage::kKorean ? PairLanguage::kKoreanKorean
                                       : PairLanguage::kEnglishEnglish;
}

}  // namespace clustermatch::testing

#endif  // CLUSTERMATCH_TESTS_ENGINE_PROFILE_LANGUAGE_H_
