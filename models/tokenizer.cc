#include "models/tokenizer.h"

#include "models/domain_glossary.h"

#include <algorithm>
#include <array>
#include <cmath>

#include <utf8proc.h>

namespace clustermatch {
namespace {

// English words that carry no matching signal in profile texts. Kept small:
// IDF discounts the rest once a model is trained, but the untrained fallback
// has no IDF, so the most common function words must not dominate it.
constexpr std::array<std::string_view, 84> kEnglishStopWords = {
    "a",       "about",    "all",     "also",     "an",    "and",     "any",   "are",    "as",
    "at",      "based",    "be",      "been",     "being", "both",    "but",   "by",     "can",
    "co",      "corp",     "could",   "do",       "each",  "etc",     "for",   "from",   "has",
    "have",    "how",      "i",       "in",       "inc",   "into",    "is",    "it",     "its",
    "look",    "looking",  "ltd",     "may",      "more",  "most",    "need",  "needs",  "new",
    "not",     "of",       "offer",   "offers",   "on",    "or",      "other", "our",    "ours",
    "partner", "partners", "provide", "provides", "seek",  "seeking", "seeks", "should", "some",
    "such",    "than",     "that",    "the",      "their", "them",    "these", "they",   "this",
    "those",   "to",       "us",      "using",    "via",   "want",    "wants", "we",     "which",
    "who",     "will",     "with"};

constexpr std::array<std::string_view, 17> kKoreanStopWords = {
    "및",   "등",   "등의", "또는", "그리고", "위한",   "위해",     "통한",      "통해",
    "관련", "대한", "있는", "하는", "합니다", "입니다", "있습니다", "필요합니다"};

// Particles that are stripped outright, longest first.
constexpr std::array<std::string_view, 11> kParticles = {"에서", "으로", "은", "는", "을", "를",
                                                         "의",   "에",   "와", "과", "및"};
// Particles that also end many nouns: the word is kept beside the stem.
constexpr std::array<std::string_view, 4> kAmbiguousParticles = {"이", "가", "도", "로"};

constexpr int kMaxNgramWordLength = 32;  // longer runs (URLs, junk) yield the word only
constexpr std::string_view kLatinNgramPrefix = "~";

enum class Script : uint8_t { kSeparator, kAlnum, kHangul, kCjk };

struct CodePoint {
  uint32_t offset;  // byte offset in the text
  uint32_t length;  // bytes
  Script script;
  bool digit;
};

bool IsHangul(int32_t cp) {
  return (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0x1100 && cp <= 0x11FF) ||
         (cp >= 0x3130 && cp <= 0x318F) || (cp >= 0xA960 && cp <= 0xA97F) ||
         (cp >= 0xD7B0 && cp <= 0xD7FF);
}

bool IsCjk(int32_t cp) {
  return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0x20000 && cp <= 0x3FFFF);
}

CodePoint Classify(int32_t cp, uint32_t offset, uint32_t length) {
  CodePoint out{offset, length, Script::kSeparator, false};
  if (cp < 0x80) {
    if (cp >= '0' && cp <= '9') {
      out.script = Script::kAlnum;
      out.digit = true;
    } else if (cp >= 'a' && cp <= 'z') {
      out.script = Script::kAlnum;
    } else if (cp >= 'A' && cp <= 'Z') {
      out.script = Script::kAlnum;  // only reached with unnormalised input
    }
    return out;
  }
  if (IsHangul(cp)) {
    out.script = Script::kHangul;
    return out;
  }
  if (IsCjk(cp)) {
    out.script = Script::kCjk;
    return out;
  }
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
      out.script = Script::kAlnum;
      break;
    case UTF8PROC_CATEGORY_ND:
      out.script = Script::kAlnum;
      out.digit = true;
      break;
    default:
      break;
  }
  return out;
}

template <size_t N>
bool Contains(const std::array<std::string_view, N>& words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

class FeatureEmitter {
 public:
  FeatureEmitter(std::string_view text, absl::FunctionRef<void(std::string_view, float)> sink)
      : text_(text), sink_(sink) {}

  // `run` holds the code points of one word, all of one script.
  void EmitWord(const CodePoint* run, size_t count) {
    const std::string_view word = Slice(run, count);
    switch (run[0].script) {
      case Script::kAlnum:
        EmitAlnum(run, count, word);
        break;
      case Script::kHangul:
        EmitHangul(run, count, word);
        break;
      case Script::kCjk:
        EmitStemAndNgrams(run, count, word, kWordWeight);
        break;
      case Script::kSeparator:
        break;
    }
  }

 private:
  std::string_view Slice(const CodePoint* run, size_t count) const {
    const uint32_t begin = run[0].offset;
    const uint32_t end = run[count - 1].offset + run[count - 1].length;
    return text_.substr(begin, end - begin);
  }

  void EmitAlnum(const CodePoint* run, size_t count, std::string_view word) {
    const bool all_digits =
        std::all_of(run, run + count, [](const CodePoint& c) { return c.digit; });
    if (all_digits) {
      sink_(word, kWordWeight);
      return;
    }
    if (count < 2 || std::binary_search(kEnglishStopWords.begin(), kEnglishStopWords.end(), word)) {
      return;
    }
    sink_(word, kWordWeight);
    if (count < 4 || count > kMaxNgramWordLength) return;
    // "<word>" with code point boundaries.
    marked_.clear();
    marked_.push_back('<');
    offsets_.assign(1, 0);
    for (size_t i = 0; i < count; ++i) {
      offsets_.push_back(static_cast<uint32_t>(marked_.size()));
      marked_.append(text_.substr(run[i].offset, run[i].length));
    }
    offsets_.push_back(static_cast<uint32_t>(marked_.size()));
    marked_.push_back('>');
    offsets_.push_back(static_cast<uint32_t>(marked_.size()));
    EmitNgrams(marked_, 3, 5, kLatinNgramPrefix, /*skip_whole=*/false);
  }

  void EmitHangul(const CodePoint* run, size_t count, std::string_view word) {
    for (std::string_view particle : kParticles) {
      const size_t syllables = particle.size() / 3;  // Hangul syllables are 3 bytes in UTF-8
      if (count >= syllables + 2 && word.ends_with(particle)) {
        EmitStemAndNgrams(run, count - syllables, word.substr(0, word.size() - particle.size()),
                          kWordWeight);
        return;
      }
    }
    for (std::string_view particle : kAmbiguousParticles) {
      if (count >= 3 && word.ends_with(particle)) {
        const std::string_view stem = word.substr(0, word.size() - particle.size());
        if (!Contains(kKoreanStopWords, stem)) sink_(stem, 0.5f * kWordWeight);
        EmitStemAndNgrams(run, count, word, 0.5f * kWordWeight);
        return;
      }
    }
    EmitStemAndNgrams(run, count, word, kWordWeight);
  }

  // The word itself plus syllable bigrams and trigrams in the word namespace.
  void EmitStemAndNgrams(const CodePoint* run, size_t count, std::string_view stem,
                         float word_weight) {
    if (Contains(kKoreanStopWords, stem)) return;
    sink_(stem, word_weight);
    if (count < 3 || count > kMaxNgramWordLength) return;
    marked_.clear();
    marked_.append(stem);
    offsets_.clear();
    const uint32_t base = run[0].offset;
    for (size_t i = 0; i < count; ++i) offsets_.push_back(run[i].offset - base);
    offsets_.push_back(static_cast<uint32_t>(stem.size()));
    EmitNgrams(marked_, 2, 3, "", /*skip_whole=*/true);
  }

  // Emits the n-grams (min_n..max_n code points) of `s`, whose code point
  // boundaries are in offsets_, sharing the kNgramBlockNorm budget.
  void EmitNgrams(const std::string& s, size_t min_n, size_t max_n, std::string_view prefix,
                  bool skip_whole) {
    const size_t units = offsets_.size() - 1;
    size_t total = 0;
    for (size_t n = min_n; n <= max_n && n <= units; ++n) {
      if (skip_whole && n == units) continue;
      total += units - n + 1;
    }
    if (total == 0) return;
    const float weight = kNgramBlockNorm / std::sqrt(static_cast<float>(total));
    for (size_t n = min_n; n <= max_n && n <= units; ++n) {
      if (skip_whole && n == units) continue;
      for (size_t i = 0; i + n <= units; ++i) {
        gram_.clear();
        gram_.append(prefix);
        gram_.append(s, offsets_[i], offsets_[i + n] - offsets_[i]);
        sink_(gram_, weight);
      }
    }
  }

  const std::string_view text_;
  const absl::FunctionRef<void(std::string_view, float)> sink_;
  std::string marked_;
  std::string gram_;
  std::vector<uint32_t> offsets_;
};

}  // namespace

void ForEachFeature(std::string_view normalized_text,
                    absl::FunctionRef<void(std::string_view, float)> sink) {
  static_assert(std::is_sorted(kEnglishStopWords.begin(), kEnglishStopWords.end()));
  std::vector<CodePoint> code_points;
  code_points.reserve(normalized_text.size());
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(normalized_text.data());
  const auto size = static_cast<utf8proc_ssize_t>(normalized_text.size());
  utf8proc_ssize_t pos = 0;
  while (pos < size) {
    utf8proc_int32_t cp = bytes[pos];
    utf8proc_ssize_t n = cp < 0x80 ? 1 : utf8proc_iterate(bytes + pos, size - pos, &cp);
    if (n <= 0) {
      code_points.push_back({static_cast<uint32_t>(pos), 1, Script::kSeparator, false});
      n = 1;
    } else {
      code_points.push_back(Classify(cp, static_cast<uint32_t>(pos), static_cast<uint32_t>(n)));
    }
    pos += n;
  }

  FeatureEmitter emitter(normalized_text, sink);
  size_t start = 0;
  while (start < code_points.size()) {
    const Script script = code_points[start].script;
    size_t end = start + 1;
    while (end < code_points.size() && code_points[end].script == script) ++end;
    if (script != Script::kSeparator) emitter.EmitWord(&code_points[start], end - start);
    start = end;
  }
  std::string concept_feature(kConceptPrefix);
  const size_t prefix_size = concept_feature.size();
  ForEachGlossaryConcept(normalized_text, [&](std::string_view concept_id) {
    concept_feature.resize(prefix_size);
    concept_feature.append(concept_id.data(), concept_id.size());
    sink(concept_feature, kConceptWeight);
  });
}

std::vector<WeightedToken> Tokenize(std::string_view normalized_text) {
  std::vector<WeightedToken> tokens;
  ForEachFeature(normalized_text, [&tokens](std::string_view feature, float weight) {
    tokens.push_back(WeightedToken{std::string(feature), weight});
  });
  return tokens;
}

}  // namespace clustermatch
