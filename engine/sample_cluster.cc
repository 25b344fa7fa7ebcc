#include "engine/sample_cluster.h"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "engine/sample_random.h"
#include "engine/sample_vocabulary.h"

#include "engine/str_concat.h"

namespace clustermatch {
namespace {

enum class Language : uint8_t { kKorean, kEnglish, kBilingual };

bool UseKorean(Language language, SampleRandom& rng) {
  if (language == Language::kBilingual) return rng.Percent(50);
  return language == Language::kKorean;
}

void AppendUnique(std::string_view text, std::vector<std::string>* list) {
  if (text.empty() || std::find(list->begin(), list->end(), text) != list->end()) return;
  list->emplace_back(text);
}

void AppendTerms(const std::vector<BilingualTerm>& pool, size_t count, Language language,
                 SampleRandom& rng, std::vector<std::string>* list) {
  SamplePicks picks = SamplePickDistinct(pool.size(), count, rng);
  for (size_t i = 0; i < picks.size; ++i) {
    const BilingualTerm& term = pool[picks.at[i]];
    AppendUnique(UseKorean(language, rng) ? term.ko : term.en, list);
  }
}

std::string JoinKorean(const std::vector<std::string_view>& labels) {
  std::string out;
  for (std::string_view label : labels) out.append(out.empty() ? "" : ", ").append(label);
  return out;
}

std::string JoinEnglish(const std::vector<std::string_view>& labels) {
  std::string out;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += (i + 1 == labels.size()) ? " and " : ", ";
    out.append(labels[i]);
  }
  return out;
}

// Facts about the firm being built that its texts are made from.
struct Draft {
  Language language = Language::kKorean;
  std::string name_ko;
  std::string name_en;
  std::vector<int> offered;  // capabilities, in the order of firm.offers
  std::vector<int> needed;
};

class FirmBuilder {
 public:
  FirmBuilder(const SampleVocabulary& vocab, const SampleOptions& options)
      : vocab_(vocab),
        seed_(options.seed),
        national_(options.firms >= kSampleNationalThreshold),
        id_width_(std::max<int>(4, std::to_string(options.firms).size())) {
    for (int m = 0; m < kSampleMiniClusterCount; ++m) {
      mini_clusters_.Add(m, kSampleMiniClusterWeights[m]);
    }
    for (size_t i = 0; i < vocab_.archetypes.size(); ++i) {
      const SampleArchetype& a = vocab_.archetypes[i];
      if (a.kind == FirmKind::kCompany && a.mini_cluster >= 0) {
        company_archetypes_[a.mini_cluster].Add(static_cast<int>(i), a.weight);
      } else if (a.kind != FirmKind::kCompany) {
        institution_archetypes_[static_cast<size_t>(a.kind)].Add(static_cast<int>(i), a.weight);
      }
    }
    for (size_t c = 0; c < vocab_.clusters.size(); ++c) {
      const SampleClusterSite& site = vocab_.clusters[c];
      if (site.name == "G-Valley") g_valley_ = static_cast<int>(c);
      int weight = national_ ? site.national_weight : site.local_weight;
      for (int m = 0; m < kSampleMiniClusterCount; ++m) {
        clusters_[m].Add(static_cast<int>(c), weight * site.affinity[m]);
      }
    }
  }

  Firm Build(int index) const {
    SampleRandom rng(seed_, static_cast<uint64_t>(index));
    Firm firm;
    firm.kind = KindAt(index);
    const int mini = mini_clusters_.Pick(rng);
    firm.mini_cluster = std::string(kSampleMiniClusters[mini]);
    const SampleArchetype& a =
        vocab_.archetypes[firm.kind == FirmKind::kCompany
                              ? company_archetypes_[mini].Pick(rng)
                              : institution_archetypes_[static_cast<size_t>(firm.kind)].Pick(rng)];
    Draft draft;
    draft.language = PickLanguage(firm.kind, rng);
    const SampleClusterSite& site = AddClusters(mini, rng, &firm);
    firm.id = MakeId(site, index);
    firm.region = std::string(rng.Pick(site.regions));
    MakeNames(a, site, mini, rng, &draft, &firm);
    AddCapabilities(a, rng, &draft, &firm);
    AddProfile(a, mini, draft.language, rng, &firm);
    firm.description = Describe(firm, draft, rng);
    return firm;
  }

 private:
  // One firm in twenty is an institution, cycling through the four kinds, so
  // every kind is present from 80 firms on whatever the seed.
  static FirmKind KindAt(int index) {
    if (index % 20 != 10) return FirmKind::kCompany;
    static constexpr std::array<FirmKind, 4> kKinds = {
        FirmKind::kUniversity, FirmKind::kResearchInstitute, FirmKind::kSupportOrganisation,
        FirmKind::kPublicBody};
    return kKinds[(index / 20) % 4];
  }

  static Language PickLanguage(FirmKind kind, SampleRandom& rng) {
    uint32_t r = rng.Below(100);
    if (kind != FirmKind::kCompany) {
      return r < 25 ? Language::kKorean : (r < 95 ? Language::kBilingual : Language::kEnglish);
    }
    return r < 45 ? Language::kKorean : (r < 80 ? Language::kBilingual : Language::kEnglish);
  }

  const SampleClusterSite& AddClusters(int mini, SampleRandom& rng, Firm* firm) const {
    const int primary = clusters_[mini].Pick(rng);
    firm->clusters.emplace_back(vocab_.clusters[primary].name);
    int second = -1;
    if (national_ || primary == g_valley_) {
      if (rng.Percent(national_ ? 8 : 12)) second = SecondCluster(mini, primary, rng);
    } else if (rng.Percent(25)) {
      second = g_valley_;
    }
    if (second >= 0 && second != primary) firm->clusters.emplace_back(vocab_.clusters[second].name);
    return vocab_.clusters[primary];
  }

  // Another cluster of the same regime; in the local regime one outside
  // G-Valley. -1 when the draw lands on the primary cluster.
  int SecondCluster(int mini, int primary, SampleRandom& rng) const {
    for (int attempt = 0; attempt < 4; ++attempt) {
      int c = clusters_[mini].Pick(rng);
      if (c != primary && (national_ || c != g_valley_)) return c;
    }
    return -1;
  }

  std::string MakeId(const SampleClusterSite& site, int index) const {
    std::string number = std::to_string(index + 1);
    if (number.size() < static_cast<size_t>(id_width_)) {
      number.insert(0, static_cast<size_t>(id_width_) - number.size(), '0');
    }
    return Concat({site.id_prefix, "-", number});
  }

  std::pair<std::string, std::string> Stem(SampleRandom& rng) const {
    if (rng.Percent(40)) {
      const BilingualTerm& stem = rng.Pick(vocab_.name_stems);
      return {std::string(stem.ko), std::string(stem.en)};
    }
    const BilingualTerm& first = rng.Pick(vocab_.first_syllables);
    const size_t n = vocab_.second_syllables.size();
    size_t at = rng.Below(static_cast<uint32_t>(n));
    if (vocab_.second_syllables[at].ko == first.ko) at = (at + 1) % n;  // no "영영"
    const BilingualTerm& second = vocab_.second_syllables[at];
    return {Concat({first.ko, second.ko}), Concat({first.en, second.en})};
  }

  void MakeNames(const SampleArchetype& a, const SampleClusterSite& site, int mini,
                 SampleRandom& rng, Draft* draft, Firm* firm) const {
    const BilingualTerm& suffix = rng.Pick(a.name_suffixes);
    const BilingualTerm& field = vocab_.research_fields[mini];
    if (a.name_style == SampleNameStyle::kClusterStem) {
      draft->name_ko = Concat({site.short_name.ko, " ", field.ko, " ", suffix.ko});
      draft->name_en = Concat({site.short_name.en, " ", field.en, " ", suffix.en});
    } else {
      const bool with_field = a.name_style == SampleNameStyle::kFieldStem;
      auto [ko, en] = Stem(rng);
      draft->name_ko = Concat({ko, with_field ? field.ko : "", suffix.ko});
      draft->name_en =
          Concat({en, " ", with_field ? field.en : "", with_field ? " " : "", suffix.en});
    }
    if (firm->kind != FirmKind::kCompany) {
      firm->name = draft->language == Language::kKorean ? draft->name_ko
                   : draft->language == Language::kEnglish
                       ? draft->name_en
                       : Concat({draft->name_ko, " ", draft->name_en});
      return;
    }
    static constexpr std::array<std::string_view, 4> kKoForms = {"(주)", "주식회사 ", "", ""};
    static constexpr std::array<std::string_view, 4> kEnForms = {" Co., Ltd.", " Inc.", " Corp.",
                                                                 ""};
    const uint32_t form = rng.Below(4);
    switch (draft->language) {
      case Language::kKorean:
        firm->name =
            form == 3 ? Concat({draft->name_ko, "(주)"}) : Concat({kKoForms[form], draft->name_ko});
        break;
      case Language::kEnglish:
        firm->name = Concat({draft->name_en, kEnForms[form]});
        break;
      case Language::kBilingual:
        firm->name = form < 2 ? Concat({"(주)", draft->name_ko, " ", draft->name_en})
                              : Concat({draft->name_en, " (", draft->name_ko, ")"});
        break;
    }
  }

  // Offers and needs: each chosen capability once, in one of its wordings.
  // The catalogue keeps offer and need wordings apart, so a need never
  // repeats an offer verbatim.
  void AddCapabilities(const SampleArchetype& a, SampleRandom& rng, Draft* draft,
                       Firm* firm) const {
    // The archetype's first offer is its trade and always present.
    SamplePicks offers =
        SamplePickDistinct(a.offers.empty() ? 0 : a.offers.size() - 1, rng.Below(3), rng);
    for (size_t i = 0; i <= offers.size && !a.offers.empty(); ++i) {
      const int index = a.offers[i == 0 ? 0 : 1 + offers.at[i - 1]];
      const SampleCapability& c = vocab_.capabilities[index];
      AppendUnique(rng.Pick(UseKorean(draft->language, rng) ? c.offers_ko : c.offers_en),
                   &firm->offers);
      draft->offered.push_back(index);
    }
    SamplePicks needs = SamplePickDistinct(a.needs.size(), 2 + rng.Below(3), rng);
    for (size_t i = 0; i < needs.size; ++i) {
      const SampleCapability& c = vocab_.capabilities[a.needs[needs.at[i]]];
      AppendUnique(rng.Pick(UseKorean(draft->language, rng) ? c.needs_ko : c.needs_en),
                   &firm->needs);
      draft->needed.push_back(a.needs[needs.at[i]]);
    }
  }

  void AddProfile(const SampleArchetype& a, int mini, Language language, SampleRandom& rng,
                  Firm* firm) const {
    const bool company = firm->kind == FirmKind::kCompany;
    SamplePicks industries = SamplePickDistinct(a.industries.size(), rng.Percent(40) ? 2 : 1, rng);
    for (size_t i = 0; i < industries.size; ++i) {
      AppendUnique(a.industries[industries.at[i]], &firm->industries);
    }
    AppendTerms(a.technologies, company ? 2 + rng.Below(3) : 1 + rng.Below(2), language, rng,
                &firm->technologies);
    if (!company) {  // institutions work on the technologies of their mini-cluster
      const SampleArchetype& field = vocab_.archetypes[company_archetypes_[mini].Pick(rng)];
      AppendTerms(field.technologies, 1 + rng.Below(2), language, rng, &firm->technologies);
    }
    AppendTerms(a.products, 1 + rng.Below(3), language, rng, &firm->products);
    AppendTerms(a.materials, company ? 1 + rng.Below(3) : 1, language, rng, &firm->materials);
    if (!a.markets.empty() && !rng.Percent(15)) {
      SamplePicks markets = SamplePickDistinct(a.markets.size(), 1 + rng.Below(3), rng);
      for (size_t i = 0; i < markets.size; ++i) {
        AppendUnique(a.markets[markets.at[i]], &firm->markets);
      }
    }
    AddRoles(a, rng, firm);
    firm->employees = Employees(firm->kind, rng);
    firm->founded = rng.Between(a.founded_min, a.founded_max);
    if (company) {
      uint32_t r = rng.Below(100);
      firm->visibility =
          r < 2 ? Visibility::kHidden : (r < 10 ? Visibility::kMembers : Visibility::kPublic);
    }
  }

  // The archetype's core roles plus, sometimes, optional ones; at most three,
  // so no firm covers the whole value chain alone.
  static void AddRoles(const SampleArchetype& a, SampleRandom& rng, Firm* firm) {
    std::array<bool, kRoleCount> has{};
    int count = 0;
    auto add = [&](Role role) {
      bool& slot = has[static_cast<size_t>(role)];
      if (!slot && count < 3) {
        slot = true;
        ++count;
      }
    };
    for (Role role : a.core_roles) add(role);
    for (Role role : a.optional_roles) {
      if (rng.Percent(35)) add(role);
    }
    for (int r = 0; r < kRoleCount; ++r) {
      if (has[r]) firm->roles.push_back(static_cast<Role>(r));
    }
  }

  static int32_t Employees(FirmKind kind, SampleRandom& rng) {
    switch (kind) {
      case FirmKind::kUniversity:
        return rng.Between(400, 3000);
      case FirmKind::kResearchInstitute:
        return rng.Between(60, 900);
      case FirmKind::kSupportOrganisation:
        return rng.Between(8, 60);
      case FirmKind::kPublicBody:
        return rng.Between(20, 250);
      default:
        break;
    }
    uint32_t r = rng.Below(100);  // SME sizes: most firms below 30 people
    if (r < 30) return rng.Between(3, 9);
    if (r < 65) return rng.Between(10, 29);
    if (r < 90) return rng.Between(30, 99);
    if (r < 98) return rng.Between(100, 299);
    return rng.Between(300, 999);
  }

  // One sentence on what the firm offers and, for single-language profiles,
  // one on what it seeks. Bilingual profiles state the offer in both.
  std::string Describe(const Firm& firm, const Draft& draft, SampleRandom& rng) const {
    std::vector<std::string_view> offer_ko, offer_en, need_ko, need_en;
    for (size_t i = 0; i < draft.offered.size() && i < 2; ++i) {
      offer_ko.push_back(vocab_.capabilities[draft.offered[i]].label.ko);
      offer_en.push_back(vocab_.capabilities[draft.offered[i]].label.en);
    }
    for (size_t i = 0; i < draft.needed.size() && i < 2; ++i) {
      need_ko.push_back(vocab_.capabilities[draft.needed[i]].label.ko);
      need_en.push_back(vocab_.capabilities[draft.needed[i]].label.en);
    }
    const bool company = firm.kind == FirmKind::kCompany;
    const bool founded_first = company && rng.Percent(50);
    std::string ko_offer, ko_need, en_offer, en_need;
    if (!company) {
      ko_offer = Concat({JoinKorean(offer_ko), " 등을 제공하는 기관입니다."});
      ko_need = Concat({JoinKorean(need_ko), " 관련 협력 기업을 찾고 있습니다."});
      en_offer =
          Concat({draft.name_en, " supports cluster firms with ", JoinEnglish(offer_en), "."});
      en_need = Concat({"It is looking for partners for ", JoinEnglish(need_en), "."});
    } else if (founded_first) {
      ko_offer = Concat({std::to_string(firm.founded), "년 설립 이후 ", JoinKorean(offer_ko),
                         " 분야에서 성장해 왔습니다."});
      ko_need = Concat({"현재 ", JoinKorean(need_ko), " 관련 협력을 희망합니다."});
      en_offer = Concat({"Founded in ", std::to_string(firm.founded), ", ", draft.name_en,
                         " provides ", JoinEnglish(offer_en), "."});
      en_need = Concat({"We are currently seeking ", JoinEnglish(need_en), "."});
    } else {
      ko_offer = Concat({JoinKorean(offer_ko), " 전문 기업입니다."});
      ko_need = Concat({JoinKorean(need_ko), " 분야 협력사를 찾고 있습니다."});
      en_offer = Concat({draft.name_en, " specialises in ", JoinEnglish(offer_en), "."});
      en_need = Concat({"We are looking for partners in ", JoinEnglish(need_en), "."});
    }
    switch (draft.language) {
      case Language::kKorean:
        return Concat({ko_offer, " ", ko_need});
      case Language::kEnglish:
        return Concat({en_offer, " ", en_need});
      case Language::kBilingual:
        break;
    }
    return Concat({ko_offer, " ", en_offer});
  }

  const SampleVocabulary& vocab_;
  const uint64_t seed_;
  const bool national_;
  const int id_width_;
  SampleWeights mini_clusters_;
  std::array<SampleWeights, kSampleMiniClusterCount> company_archetypes_;
  std::array<SampleWeights, 6> institution_archetypes_;  // by FirmKind value
  std::array<SampleWeights, kSampleMiniClusterCount> clusters_;
  int g_valley_ = 0;
};

}  // namespace

void GenerateSampleFirms(const SampleOptions& options,
                         const std::function<void(const Firm&)>& sink) {
  if (options.firms <= 0) return;
  const FirmBuilder builder(SampleVocabularyTables(), options);
  for (int i = 0; i < options.firms; ++i) sink(builder.Build(i));
}

std::vector<Firm> GenerateSampleCluster(const SampleOptions& options) {
  std::vector<Firm> firms;
  if (options.firms <= 0) return firms;
  firms.reserve(static_cast<size_t>(options.firms));
  const FirmBuilder builder(SampleVocabularyTables(), options);
  for (int i = 0; i < options.firms; ++i) firms.push_back(builder.Build(i));
  return firms;
}

}  // namespace clustermatch
