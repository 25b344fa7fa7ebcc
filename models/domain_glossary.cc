#include "models/domain_glossary.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "models/domain_glossary_table.h"
#include "models/text_normalizer.h"

namespace clustermatch {
namespace {

constexpr uint32_t kNoConcept = UINT32_MAX;  // blocker phrases
constexpr uint32_t kNoNode = 0;              // the root is never a child

// Debian's abseil has its own string_view type; StrCat needs that one.
absl::string_view AsAbsl(std::string_view s) { return absl::string_view(s.data(), s.size()); }

bool IsAsciiLetter(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
bool IsAsciiDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlnum(unsigned char c) { return IsAsciiLetter(c) || IsAsciiDigit(c); }

unsigned char ByteAt(std::string_view text, size_t pos) {
  return static_cast<unsigned char>(text[pos]);
}

// Bytes to step over from `pos`; invalid lead bytes count as one.
size_t CharLength(std::string_view text, size_t pos) {
  const unsigned char lead = ByteAt(text, pos);
  size_t length = 1;
  if (lead >= 0xF8) {
    length = 1;
  } else if (lead >= 0xF0) {
    length = 4;
  } else if (lead >= 0xE0) {
    length = 3;
  } else if (lead >= 0xC0) {
    length = 2;
  }
  return std::min(length, text.size() - pos);
}

constexpr uint32_t kHangulFirst = 0xAC00;
constexpr uint32_t kHangulSyllables = 0xD7A4 - kHangulFirst;

// Index (0..11171) of the precomposed Hangul syllable U+AC00..U+D7A3 that
// starts at `pos`, or -1.
int32_t HangulIndexAt(std::string_view text, size_t pos) {
  if (pos + 3 > text.size()) return -1;
  const unsigned char b0 = ByteAt(text, pos);
  const unsigned char b1 = ByteAt(text, pos + 1);
  const unsigned char b2 = ByteAt(text, pos + 2);
  if (b0 < 0xEA || b0 > 0xED || (b1 & 0xC0) != 0x80 || (b2 & 0xC0) != 0x80) return -1;
  const uint32_t cp = ((b0 & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
  if (cp < kHangulFirst || cp >= kHangulFirst + kHangulSyllables) return -1;
  return static_cast<int32_t>(cp - kHangulFirst);
}

bool IsHangulSyllableAt(std::string_view text, size_t pos) { return HangulIndexAt(text, pos) >= 0; }

// A character that would continue a Latin word: ASCII letter or digit, or a
// letter of Latin-1 Supplement / Latin Extended (U+00C0..U+027F, lead bytes
// C3..C9), other than the signs U+00D7 and U+00F7.
bool IsLatinWordCharAt(std::string_view text, size_t pos) {
  const unsigned char lead = ByteAt(text, pos);
  if (lead < 0x80) return IsAsciiAlnum(lead);
  if (lead < 0xC3 || lead > 0xC9 || pos + 1 >= text.size()) return false;
  const unsigned char next = ByteAt(text, pos + 1);
  return !(lead == 0xC3 && (next == 0x97 || next == 0xB7));
}

bool ContainsHangul(std::string_view term) {
  for (size_t pos = 0; pos < term.size(); pos += CharLength(term, pos)) {
    if (IsHangulSyllableAt(term, pos)) return true;
  }
  return false;
}

// Regular English plural of the last word, or "" when the term takes none
// (Hangul, ends in a digit, "s" or "ed", or a last word under 4 letters).
std::string PluralOf(std::string_view term) {
  if (term.empty() || ContainsHangul(term)) return "";
  const size_t space = term.rfind(' ');
  const std::string_view last = space == std::string_view::npos ? term : term.substr(space + 1);
  if (last.size() < 4) return "";
  for (char c : last) {
    if (!IsAsciiLetter(static_cast<unsigned char>(c))) return "";
  }
  const std::string base(term);
  const char end = last.back();
  if (end == 's' || last.ends_with("ed")) return "";
  if (end == 'x' || end == 'z' || last.ends_with("ch") || last.ends_with("sh")) {
    return base + "es";
  }
  const char before = last[last.size() - 2];
  if (end == 'y' && std::string_view("aeiou").find(before) == std::string_view::npos) {
    return base.substr(0, base.size() - 1) + "ies";
  }
  return base + "s";
}

struct Term {
  uint32_t concept_index = kNoConcept;
  bool exclusive = false;
  bool needs_end_boundary = false;  // ends in an ASCII letter or digit
  bool ends_in_letter = false;
};

struct Match {
  uint32_t start;
  uint32_t end;
  uint32_t term;
  bool hidden;
};

// The table compiled into a byte trie. Immutable after construction.
class GlossaryMatcher {
 public:
  GlossaryMatcher();

  void ForEach(std::string_view text, absl::FunctionRef<void(std::string_view)> sink) const;

  size_t concept_count() const { return concept_ids_.size(); }
  size_t term_count() const { return written_term_count_; }
  std::string_view concept_id(size_t index) const { return concept_ids_[index]; }
  const absl::Status& table_status() const { return table_status_; }

 private:
  struct Surface {
    uint32_t concept_index;
    bool exclusive;
    bool written;  // in the table, as opposed to a derived variant
  };
  struct Node {
    uint32_t first_edge = 0;
    uint32_t edge_count = 0;
    int32_t term = -1;
  };

  void Fail(std::string message);
  void AddWrittenTerm(std::string_view raw, uint32_t concept_index,
                      std::map<std::string, Surface>& surfaces, bool& korean, bool& english);
  void BuildTrie(const std::map<std::string, Surface>& surfaces);
  uint32_t Child(uint32_t node, unsigned char byte) const;
  void CollectMatches(std::string_view text, absl::InlinedVector<Match, 32>& matches) const;

  std::vector<std::string_view> concept_ids_;
  size_t written_term_count_ = 0;
  absl::Status table_status_;
  std::vector<Term> terms_;
  std::vector<Node> nodes_;
  std::vector<unsigned char> edge_bytes_;
  std::vector<uint32_t> edge_targets_;
  uint32_t root_next_[256] = {};
  // The node reached by each Hangul syllable from the root: one lookup
  // instead of three byte steps, since most syllables start no term.
  std::vector<uint32_t> hangul_next_;
};

void GlossaryMatcher::Fail(std::string message) {
  if (table_status_.ok()) table_status_ = absl::FailedPreconditionError(std::move(message));
}

void GlossaryMatcher::AddWrittenTerm(std::string_view raw, uint32_t concept_index,
                                     std::map<std::string, Surface>& surfaces, bool& korean,
                                     bool& english) {
  const bool exclusive = !raw.empty() && raw.front() == '!';
  if (exclusive) raw.remove_prefix(1);
  const std::string where = concept_index == kNoConcept
                                ? std::string("blocker")
                                : absl::StrCat("concept ", AsAbsl(concept_ids_[concept_index]));
  const absl::StatusOr<std::string> normalized = NormalizeText(raw);
  if (raw.empty() || !normalized.ok() || *normalized != raw) {
    return Fail(absl::StrCat(where, ": term \"", AsAbsl(raw), "\" is empty or not normalised"));
  }
  if (!IsAsciiAlnum(ByteAt(raw, 0)) && !IsHangulSyllableAt(raw, 0)) {
    return Fail(
        absl::StrCat(where, ": term \"", AsAbsl(raw), "\" starts with no letter, digit or Hangul"));
  }
  if (raw.size() == 3 && IsHangulSyllableAt(raw, 0)) {
    return Fail(absl::StrCat(where, ": single-syllable Korean term \"", AsAbsl(raw), "\""));
  }
  const auto [it, inserted] =
      surfaces.emplace(std::string(raw), Surface{concept_index, exclusive, true});
  if (!inserted) {
    return Fail(absl::StrCat(where, ": term \"", AsAbsl(raw), "\" is already in ",
                             it->second.concept_index == kNoConcept
                                 ? std::string("a blocker")
                                 : std::string(concept_ids_[it->second.concept_index])));
  }
  (ContainsHangul(raw) ? korean : english) = true;
  if (concept_index != kNoConcept) ++written_term_count_;
}

GlossaryMatcher::GlossaryMatcher() {
  std::map<std::string, Surface> surfaces;
  std::set<std::string_view> ids;
  for (auto part : {IndustryGlossaryEntries(), ServiceGlossaryEntries()}) {
    for (const GlossaryConceptEntry& entry : part) {
      const bool id_ok =
          !entry.id.empty() && std::all_of(entry.id.begin(), entry.id.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || IsAsciiDigit(static_cast<unsigned char>(c)) ||
                   c == '_';
          });
      if (!id_ok || !ids.insert(entry.id).second) {
        Fail(absl::StrCat("concept id \"", AsAbsl(entry.id), "\" is malformed or repeated"));
      }
      const auto concept_index = static_cast<uint32_t>(concept_ids_.size());
      concept_ids_.push_back(entry.id);
      bool korean = false;
      bool english = false;
      for (absl::string_view term :
           absl::StrSplit(absl::string_view(entry.terms.data(), entry.terms.size()), '|')) {
        AddWrittenTerm(std::string_view(term.data(), term.size()), concept_index, surfaces, korean,
                       english);
      }
      if (!korean || !english) {
        Fail(absl::StrCat("concept ", AsAbsl(entry.id), " lacks a Korean or an English term"));
      }
    }
  }
  bool unused_korean = false;
  bool unused_english = false;
  for (std::string_view blocker : GlossaryBlockers()) {
    AddWrittenTerm(blocker, kNoConcept, surfaces, unused_korean, unused_english);
  }

  // Derived forms never displace a written term, whatever the table order.
  std::vector<std::pair<std::string, Surface>> variants;
  for (const auto& [term, surface] : surfaces) {
    if (surface.concept_index == kNoConcept) continue;
    const Surface derived{surface.concept_index, surface.exclusive, false};
    std::vector<std::string> forms = {term};
    if (term.find('-') != std::string::npos) {
      std::string spaced = term;
      std::replace(spaced.begin(), spaced.end(), '-', ' ');
      std::string joined = term;
      joined.erase(std::remove(joined.begin(), joined.end(), '-'), joined.end());
      forms.push_back(std::move(spaced));
      forms.push_back(std::move(joined));
    }
    for (const std::string& form : forms) {
      if (form != term) variants.emplace_back(form, derived);
      std::string plural = PluralOf(form);
      if (!plural.empty()) variants.emplace_back(std::move(plural), derived);
    }
  }
  for (auto& [form, surface] : variants) surfaces.emplace(std::move(form), surface);
  BuildTrie(surfaces);
}

void GlossaryMatcher::BuildTrie(const std::map<std::string, Surface>& surfaces) {
  // Build with per-node child lists, then lay the edges out contiguously.
  std::vector<std::vector<std::pair<unsigned char, uint32_t>>> children(1);
  std::vector<int32_t> node_terms(1, -1);
  for (const auto& [text, surface] : surfaces) {
    uint32_t node = 0;
    for (char ch : text) {
      const auto byte = static_cast<unsigned char>(ch);
      auto& list = children[node];
      auto it = std::lower_bound(list.begin(), list.end(), std::make_pair(byte, uint32_t{0}));
      if (it == list.end() || it->first != byte) {
        const auto created = static_cast<uint32_t>(children.size());
        it = list.insert(it, {byte, created});
        children.emplace_back();
        node_terms.push_back(-1);
      }
      node = it->second;
    }
    const auto last = static_cast<unsigned char>(text.back());
    node_terms[node] = static_cast<int32_t>(terms_.size());
    const bool exclusive = surface.exclusive || surface.concept_index == kNoConcept;
    terms_.push_back(
        Term{surface.concept_index, exclusive, IsAsciiAlnum(last), IsAsciiLetter(last)});
  }
  nodes_.resize(children.size());
  for (size_t i = 0; i < children.size(); ++i) {
    nodes_[i].first_edge = static_cast<uint32_t>(edge_bytes_.size());
    nodes_[i].edge_count = static_cast<uint32_t>(children[i].size());
    nodes_[i].term = node_terms[i];
    for (const auto& [byte, target] : children[i]) {
      edge_bytes_.push_back(byte);
      edge_targets_.push_back(target);
    }
  }
  for (const auto& [byte, target] : children[0]) root_next_[byte] = target;
  hangul_next_.assign(kHangulSyllables, kNoNode);
  for (uint32_t i = 0; i < kHangulSyllables; ++i) {
    const uint32_t cp = kHangulFirst + i;
    uint32_t node = root_next_[0xE0 | (cp >> 12)];
    if (node != kNoNode) node = Child(node, static_cast<unsigned char>(0x80 | ((cp >> 6) & 0x3F)));
    if (node != kNoNode) node = Child(node, static_cast<unsigned char>(0x80 | (cp & 0x3F)));
    hangul_next_[i] = node;
  }
}

uint32_t GlossaryMatcher::Child(uint32_t node, unsigned char byte) const {
  const Node& n = nodes_[node];
  const unsigned char* first = edge_bytes_.data() + n.first_edge;
  const unsigned char* last = first + n.edge_count;
  const unsigned char* it = first;
  if (n.edge_count > 8) {
    it = std::lower_bound(first, last, byte);
  } else {
    while (it != last && *it < byte) ++it;
  }
  return it != last && *it == byte ? edge_targets_[n.first_edge + (it - first)] : kNoNode;
}

void GlossaryMatcher::CollectMatches(std::string_view text,
                                     absl::InlinedVector<Match, 32>& matches) const {
  bool after_latin_word_char = false;
  for (size_t pos = 0; pos < text.size();) {
    const size_t length = CharLength(text, pos);
    const unsigned char lead = ByteAt(text, pos);
    const bool latin = IsLatinWordCharAt(text, pos);
    uint32_t node = kNoNode;
    size_t end = pos + length;
    if (IsAsciiAlnum(lead)) {
      if (!after_latin_word_char) node = root_next_[lead];
    } else if (const int32_t syllable = HangulIndexAt(text, pos); syllable >= 0) {
      node = hangul_next_[static_cast<size_t>(syllable)];
    }
    while (node != kNoNode) {
      const int32_t term_index = nodes_[node].term;
      if (term_index >= 0) {
        const Term& term = terms_[static_cast<size_t>(term_index)];
        const bool boundary = !term.needs_end_boundary || end == text.size() ||
                              !IsLatinWordCharAt(text, end) ||
                              (term.ends_in_letter && IsAsciiDigit(ByteAt(text, end)));
        if (boundary) {
          matches.push_back(Match{static_cast<uint32_t>(pos), static_cast<uint32_t>(end),
                                  static_cast<uint32_t>(term_index), false});
        }
      }
      if (end == text.size()) break;
      node = Child(node, ByteAt(text, end));
      ++end;
    }
    after_latin_word_char = latin;
    pos += length;
  }
}

void GlossaryMatcher::ForEach(std::string_view text,
                              absl::FunctionRef<void(std::string_view)> sink) const {
  absl::InlinedVector<Match, 32> matches;
  CollectMatches(text, matches);

  // Matches are ordered by (start, end). An exclusive term hides the shorter
  // matches of other concepts lying inside it.
  for (size_t i = 0; i < matches.size(); ++i) {
    const Match& outer = matches[i];
    const Term& outer_term = terms_[outer.term];
    if (!outer_term.exclusive) continue;
    size_t first = i;
    while (first > 0 && matches[first - 1].start == outer.start) --first;
    for (size_t k = first; k < matches.size() && matches[k].start < outer.end; ++k) {
      Match& inner = matches[k];
      if (k == i || inner.end > outer.end) continue;
      if (terms_[inner.term].concept_index != outer_term.concept_index &&
          inner.end - inner.start < outer.end - outer.start) {
        inner.hidden = true;
      }
    }
  }

  // Overlapping matches of one concept form one occurrence.
  struct Occurrence {
    uint32_t concept_index;
    uint32_t end;
  };
  absl::InlinedVector<Occurrence, 16> open;
  for (const Match& match : matches) {
    const uint32_t concept_index = terms_[match.term].concept_index;
    if (match.hidden || concept_index == kNoConcept) continue;
    open.erase(std::remove_if(open.begin(), open.end(),
                              [&](const Occurrence& o) { return o.end <= match.start; }),
               open.end());
    auto it = std::find_if(open.begin(), open.end(),
                           [&](const Occurrence& o) { return o.concept_index == concept_index; });
    if (it != open.end()) {
      it->end = std::max(it->end, match.end);
      continue;
    }
    open.push_back(Occurrence{concept_index, match.end});
    sink(concept_ids_[concept_index]);
  }
}

const GlossaryMatcher& Matcher() {
  static const GlossaryMatcher* const matcher = new GlossaryMatcher();
  return *matcher;
}

}  // namespace

void ForEachGlossaryConcept(std::string_view normalized_text,
                            absl::FunctionRef<void(std::string_view)> sink) {
  Matcher().ForEach(normalized_text, sink);
}

size_t GlossaryConceptCount() { return Matcher().concept_count(); }

size_t GlossaryTermCount() { return Matcher().term_count(); }

std::string_view GlossaryConceptId(size_t index) { return Matcher().concept_id(index); }

absl::Status CheckGlossaryTable() { return Matcher().table_status(); }

}  // namespace clustermatch
