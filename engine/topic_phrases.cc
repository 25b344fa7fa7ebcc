#include "engine/topic_phrases.h"

#include <array>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "models/text_normalizer.h"

namespace clustermatch {

std::vector<std::string> SplitTopicPhrases(std::string_view text) {
  // Every separator becomes a newline, then the text splits at newlines.
  const std::string unified =
      absl::StrReplaceAll(absl::string_view(text.data(), text.size()), {{"\r", "\n"},
                                                                        {",", "\n"},
                                                                        {";", "\n"},
                                                                        {"/", "\n"},
                                                                        {"·", "\n"},
                                                                        {"•", "\n"},
                                                                        {"、", "\n"},
                                                                        {"，", "\n"},
                                                                        {" and ", "\n"},
                                                                        {" AND ", "\n"},
                                                                        {" 및 ", "\n"},
                                                                        {": ", "\n"}});
  std::vector<std::string> phrases;
  absl::flat_hash_set<std::string> seen;
  for (absl::string_view piece : absl::StrSplit(unified, '\n')) {
    piece = absl::StripAsciiWhitespace(piece);
    if (absl::StartsWith(piece, "- ")) piece.remove_prefix(2);
    if (piece.empty()) continue;
    std::string phrase(piece);
    const absl::StatusOr<std::string> key = NormalizeText(phrase);
    if (!seen.insert(key.ok() ? *key : phrase).second) continue;
    phrases.push_back(std::move(phrase));
  }
  return phrases;
}

}  // namespace clustermatch
