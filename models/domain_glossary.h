// Domain glossary: a bilingual (Korean/English) table of industrial concepts,
// so that "알루미늄 하우징 가공" and "machining of aluminium housings" share
// the features "aluminium", "housing_enclosure" and "machining".
//
// The table (domain_glossary_table.cc, domain_glossary_services.cc) maps
// each concept id (short ASCII, e.g. "injection_moulding") to surface terms:
// Korean, English and common abbreviations. The matcher is built once, on
// first use, and is immutable afterwards: every function here is safe to
// call from any thread.
//
// Matching rules, on text already normalised by NormalizeText
// (models/text_normalizer.h: NFKC + case folding):
//   - A term whose first (last) character is an ASCII letter or digit must
//     start (end) at a word boundary: the neighbouring character must not be
//     an ASCII letter/digit or a Latin letter (U+00C0..U+027F). Hangul next to
//     a Latin term is a boundary ("cnc가공" holds "cnc" and "가공"). A term
//     ending in a letter may also be followed directly by digits ("sus304").
//     So "die" does not match in "diesel" and "ar" not in "market".
//   - Korean (Hangul) ends need no boundary: "스마트팩토리" matches inside
//     "스마트팩토리구축", as a contiguous run of syllables.
//   - Multi-word terms ("injection molding") match as a phrase, with the
//     single space that NormalizeText leaves between words.
//   - English terms also match their regular plural ("housings",
//     "batteries") and, when hyphenated, their spaced and joined forms
//     ("e-learning", "e learning", "elearning").
//   - Overlapping matches of one concept count once, for the longest run.
//   - A few compound terms are exclusive: they hide matches of other concepts
//     inside them, so "기계학습" (machine learning) does not also count as
//     "기계" (machinery), nor "인도네시아" as "인도" (India). A few blocker
//     phrases (the city "양산시") hide the terms inside them and report
//     nothing.
#ifndef CLUSTERMATCH_MODELS_DOMAIN_GLOSSARY_H_
#define CLUSTERMATCH_MODELS_DOMAIN_GLOSSARY_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"

namespace clustermatch {

// Bump whenever the table or the matching rules change: saved models record
// it, since the features of a text depend on it.
inline constexpr uint32_t kGlossaryVersion = 1;

// Calls `sink(concept_id)` once per glossary concept occurrence found in
// `normalized_text`, in text order (a concept found twice is reported twice).
// The string_view stays valid for the life of the process. Invalid UTF-8
// bytes act as separators. Allocates nothing unless the text holds more than
// a few dozen matches.
void ForEachGlossaryConcept(std::string_view normalized_text,
                            absl::FunctionRef<void(std::string_view)> sink);

// Number of concepts in the table.
size_t GlossaryConceptCount();

// Number of surface terms written in the table (plural and hyphen variants
// that the matcher adds are not counted).
size_t GlossaryTermCount();

// The id of concept `index` (0 <= index < GlossaryConceptCount()), in table
// order.
std::string_view GlossaryConceptId(size_t index);

// Checks the table: concept ids are unique lowercase ASCII ([a-z0-9_]);
// every term is non-empty, starts with an ASCII letter/digit or a Hangul
// syllable, is unchanged by normalisation and is not a single Hangul
// syllable; no term belongs to two concepts (or twice to one); every concept
// has at least one Korean and one English term. Returns FailedPrecondition
// naming the first problem. The matcher skips offending terms, so a bad
// table degrades matching rather than crashing; tests assert this is OK.
absl::Status CheckGlossaryTable();

}  // namespace clustermatch

#endif  // CLUSTERMATCH_MODELS_DOMAIN_GLOSSARY_H_
