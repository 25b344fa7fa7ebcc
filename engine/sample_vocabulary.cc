// Builds the sample vocabulary from the compact rows of
// sample_vocabulary_rows.h. BuildVocabulary() turns the rows into
// SampleVocabulary once and records any inconsistency in `errors`, which the
// tests require to be empty.
#include "engine/sample_vocabulary.h"

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>

#include "engine/sample_vocabulary_rows.h"
#include "engine/str_concat.h"

namespace clustermatch {
namespace {

using sample_rows::ArchetypeRow;
using sample_rows::Archetypes;
using sample_rows::Capabilities;
using sample_rows::CapabilityRow;
using sample_rows::ClusterRow;
using sample_rows::Clusters;
using sample_rows::Names;

std::vector<std::string_view> SplitAlternatives(std::string_view text) {
  std::vector<std::string_view> parts;
  if (text.empty()) return parts;
  size_t start = 0;
  while (true) {
    size_t bar = text.find('|', start);
    parts.push_back(text.substr(start, bar == std::string_view::npos ? bar : bar - start));
    if (bar == std::string_view::npos) return parts;
    start = bar + 1;
  }
}

class TableBuilder {
 public:
  explicit TableBuilder(SampleVocabulary* vocab) : vocab_(vocab) {}

  std::vector<BilingualTerm> Terms(std::string_view text, std::string_view where) {
    std::vector<BilingualTerm> terms;
    for (std::string_view part : SplitAlternatives(text)) terms.push_back(Term(part, where));
    return terms;
  }

  BilingualTerm Term(std::string_view part, std::string_view where) {
    size_t eq = part.find('=');
    if (eq == std::string_view::npos || eq == 0 || eq + 1 == part.size()) {
      Error(Concat({where, ": malformed term '", std::string(part), "'"}));
      return {part, part};
    }
    return {part.substr(0, eq), part.substr(eq + 1)};
  }

  std::vector<int> Capabilities(std::string_view text, std::string_view where) {
    std::vector<int> indices;
    for (std::string_view key : SplitAlternatives(text)) {
      int found = -1;
      for (size_t i = 0; i < vocab_->capabilities.size(); ++i) {
        if (vocab_->capabilities[i].key == key) found = static_cast<int>(i);
      }
      if (found < 0)
        Error(Concat({where, ": unknown capability '", std::string(key), "'"}));
      else
        indices.push_back(found);
    }
    return indices;
  }

  std::vector<Role> Roles(std::string_view text, std::string_view where) {
    std::vector<Role> roles;
    for (std::string_view name : SplitAlternatives(text)) {
      std::optional<Role> role = ParseRole(name);
      if (!role.has_value())
        Error(Concat({where, ": unknown role '", std::string(name), "'"}));
      else
        roles.push_back(*role);
    }
    return roles;
  }

  int MiniCluster(std::string_view name, std::string_view where) {
    if (name.empty()) return -1;
    for (int i = 0; i < kSampleMiniClusterCount; ++i) {
      if (kSampleMiniClusters[i] == name) return i;
    }
    Error(Concat({where, ": unknown mini-cluster '", std::string(name), "'"}));
    return -1;
  }

  // Registers every wording of capability `index`; a wording seen before
  // anywhere in the catalogue is an error.
  void IndexWordings(int index) {
    const SampleCapability& c = vocab_->capabilities[index];
    for (const auto* list : {&c.offers_ko, &c.offers_en}) {
      for (std::string_view w : *list) Register(w, index, &vocab_->offer_index);
    }
    for (const auto* list : {&c.needs_ko, &c.needs_en}) {
      for (std::string_view w : *list) Register(w, index, &vocab_->need_index);
    }
  }

  void Error(std::string message) { vocab_->errors.push_back(std::move(message)); }

 private:
  void Register(std::string_view wording, int index,
                std::unordered_map<std::string_view, int>* map) {
    if (vocab_->offer_index.count(wording) > 0 || vocab_->need_index.count(wording) > 0) {
      Error(Concat({"wording used twice: '", std::string(wording), "'"}));
      return;
    }
    (*map)[wording] = index;
  }

  SampleVocabulary* const vocab_;
};

SampleVocabulary BuildVocabulary() {
  SampleVocabulary vocab;
  TableBuilder builder(&vocab);
  for (const CapabilityRow& row : Capabilities()) {
    SampleCapability c;
    c.key = row.key;
    c.label = builder.Term(row.label, row.key);
    c.offers_ko = SplitAlternatives(row.offers_ko);
    c.offers_en = SplitAlternatives(row.offers_en);
    c.needs_ko = SplitAlternatives(row.needs_ko);
    c.needs_en = SplitAlternatives(row.needs_en);
    vocab.capabilities.push_back(std::move(c));
    builder.IndexWordings(static_cast<int>(vocab.capabilities.size()) - 1);
  }
  for (const ArchetypeRow& row : Archetypes()) {
    SampleArchetype a;
    a.key = row.key;
    a.kind = row.kind;
    a.mini_cluster = builder.MiniCluster(row.mini_cluster, row.key);
    a.weight = row.weight;
    a.name_style = row.name_style;
    a.industries = SplitAlternatives(row.industries);
    a.name_suffixes = builder.Terms(row.name_suffixes, row.key);
    a.technologies = builder.Terms(row.technologies, row.key);
    a.products = builder.Terms(row.products, row.key);
    a.materials = builder.Terms(row.materials, row.key);
    a.markets = SplitAlternatives(row.markets);
    a.offers = builder.Capabilities(row.offers, row.key);
    a.needs = builder.Capabilities(row.needs, row.key);
    a.core_roles = builder.Roles(row.core_roles, row.key);
    a.optional_roles = builder.Roles(row.optional_roles, row.key);
    if (a.offers.empty() || a.needs.empty() || a.core_roles.empty() || a.name_suffixes.empty() ||
        a.technologies.empty() || a.products.empty() || a.materials.empty() ||
        a.industries.empty()) {
      builder.Error(Concat({row.key,
                            ": every archetype list but markets and optional roles must "
                            "be non-empty"}));
    }
    a.founded_min = row.founded_min;
    a.founded_max = row.founded_max;
    vocab.archetypes.push_back(std::move(a));
  }
  for (const ClusterRow& row : Clusters()) {
    SampleClusterSite site;
    site.name = row.name;
    site.short_name = builder.Term(row.short_name, row.name);
    site.id_prefix = row.id_prefix;
    site.regions = SplitAlternatives(row.regions);
    site.affinity = row.affinity;
    site.local_weight = row.local_weight;
    site.national_weight = row.national_weight;
    vocab.clusters.push_back(std::move(site));
  }
  vocab.name_stems = builder.Terms(Names().stems, "name stems");
  vocab.first_syllables = builder.Terms(Names().first_syllables, "first syllables");
  vocab.second_syllables = builder.Terms(Names().second_syllables, "second syllables");
  std::vector<BilingualTerm> fields = builder.Terms(Names().research_fields, "research fields");
  if (fields.size() != vocab.research_fields.size()) {
    builder.Error("research fields: one per mini-cluster expected");
  } else {
    std::copy(fields.begin(), fields.end(), vocab.research_fields.begin());
  }
  return vocab;
}

int Lookup(const std::unordered_map<std::string_view, int>& map, std::string_view phrase) {
  auto it = map.find(phrase);
  return it == map.end() ? -1 : it->second;
}

}  // namespace

int SampleVocabulary::OfferCapability(std::string_view phrase) const {
  return Lookup(offer_index, phrase);
}

int SampleVocabulary::NeedCapability(std::string_view phrase) const {
  return Lookup(need_index, phrase);
}

const SampleVocabulary& SampleVocabularyTables() {
  static const SampleVocabulary* const kVocabulary = new SampleVocabulary(BuildVocabulary());
  return *kVocabulary;
}

}  // namespace clustermatch
