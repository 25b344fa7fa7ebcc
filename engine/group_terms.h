// Labels for groups of firms: the terms (technologies, industries,
// products...) that the members share and that are rare in the population.
// Pure functions; GroupTermIndex is immutable after construction and safe to
// share between threads.
#ifndef CLUSTERMATCH_ENGINE_GROUP_TERMS_H_
#define CLUSTERMATCH_ENGINE_GROUP_TERMS_H_

#include <span>
#include <string>
#include <vector>

namespace clustermatch {

// The population's term lists normalised once (NormalizeText: NFKC + case
// folding + trimmed whitespace), so that many groups can be labelled cheaply.
class GroupTermIndex {
 public:
  // firm_terms[i] = the term list of firm i. Terms that are empty after
  // normalisation or not valid UTF-8 are ignored.
  explicit GroupTermIndex(const std::vector<std::vector<std::string>>& firm_terms);

  // See DistinctiveTerms below. Indexes outside the population and repeated
  // indexes are ignored.
  std::vector<std::string> Distinctive(std::span<const int> group, int count) const;

  int population() const { return static_cast<int>(firm_term_ids_.size()); }

 private:
  struct Term {
    std::string normalized;
    int document_frequency = 0;  // firms in the population having it
  };
  std::vector<Term> terms_;
  // Per firm: distinct term ids with the spelling that firm used (trimmed).
  std::vector<std::vector<std::pair<int, std::string>>> firm_term_ids_;
};

// The distinctive terms of a group of firms, for a label: items of the
// members' term lists counted once per firm after normalisation, scored by
// count in group x log(1 + N / df) (N firms in the population, df firms in
// the population having it); terms held by only one member are dropped when
// the group has >= 3 members; ties broken by the normalised term; at most
// `count` terms, best first, each in the spelling most used in the group
// (ties: the smallest spelling).
std::vector<std::string> DistinctiveTerms(const std::vector<std::vector<std::string>>& firm_terms,
                                          std::span<const int> group, int count);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_GROUP_TERMS_H_
