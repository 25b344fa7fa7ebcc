// Tokenizer: turns normalised text (see text_normalizer.h) into weighted
// string features. Pure functions, safe to call from any thread.
//
// Text is split into runs of one script; a script change splits a word, so
// "ai솔루션" yields "ai" and "솔루션", and "5g통신" yields "5g" and "통신".
//
//   Latin and other alphabetic words (letters and digits together, so "b2b",
//   "iso9001", "3d" stay whole):
//     - the word itself, weight kWordWeight; single letters and English stop
//       words ("and", "the", "partner", "looking", ...) yield nothing;
//     - for words of 4+ code points, character 3-, 4- and 5-grams of
//       "<word>" in their own namespace ("~" prefix, e.g. "~<ma", "~chi"),
//       so that "machining"/"machined" and "aluminium"/"aluminum" overlap.
//   Digit-only runs: the number as a word, no n-grams.
//   Hangul words:
//     - a trailing particle (josa) is stripped when two or more syllables
//       remain: 은 는 을 를 의 에 에서 으로 와 과 are always stripped; for
//       이 가 도 로, which also end many nouns (디스플레이, 전문가, 정밀도,
//       회로), both the full word and the stem are emitted at half weight;
//     - the word (stem), weight kWordWeight, unless it is a stop word (및, 등,
//       위한, ...);
//     - for words of 3+ syllables, syllable bigrams and trigrams (other than
//       the word itself). These share the namespace of words on purpose:
//       the bigram "연구" of "빅데이터연구회" is the same feature as the word
//       "연구".
//   Han and kana runs: like Hangul words without particle stripping.
//
//   Glossary concepts: see kConceptPrefix below.
//
// Weights: each word counts kWordWeight (1.0). The n-grams of one word share
// a budget: each gets kNgramBlockNorm / sqrt(count), so that the n-grams of a
// word together have L2 norm kNgramBlockNorm (0.8) whatever the word length.
// A word therefore outweighs any one of its n-grams, long words do not drown
// short ones, and a partial match through n-grams is still visible.
#ifndef CLUSTERMATCH_MODELS_TOKENIZER_H_
#define CLUSTERMATCH_MODELS_TOKENIZER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "models/domain_glossary.h"

namespace clustermatch {

// Version of the feature extraction. Saved models record it and refuse to
// load under another version: bump it whenever a change alters the features
// of any text.
// Version 2 added the glossary concepts.
inline constexpr uint32_t kTokenizerVersion = 2;
// What saved models record: the tokenizer and glossary versions together.
inline constexpr uint32_t kFeatureVersion = kTokenizerVersion * 1000 + kGlossaryVersion;

inline constexpr float kWordWeight = 1.0f;
inline constexpr float kNgramBlockNorm = 0.8f;
// Concepts of the bilingual domain glossary (domain_glossary.h) found in the
// text, as features "#<concept id>": Korean and English names of one thing,
// and its direct synonyms, share a feature. Each occurrence weighs as a word.
inline constexpr std::string_view kConceptPrefix = "#";
inline constexpr float kConceptWeight = 1.0f;

struct WeightedToken {
  std::string text;
  float weight = 0;
};

// Calls `sink(feature, weight)` for every feature of `normalized_text`, in
// text order; a feature may repeat. The string_view is only valid during the
// call. Bytes that are not valid UTF-8 act as separators.
void ForEachFeature(std::string_view normalized_text,
                    absl::FunctionRef<void(std::string_view, float)> sink);

// The same features, collected (convenient for tests and inspection).
std::vector<WeightedToken> Tokenize(std::string_view normalized_text);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_MODELS_TOKENIZER_H_
