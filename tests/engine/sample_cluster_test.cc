#include "engine/sample_cluster.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "engine/firm_validation.h"
#include "engine/sample_vocabulary.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clustermatch {
namespace {

using ::testing::IsEmpty;

constexpr int kNationalFirms = kSampleNationalThreshold + 2'000;

const std::vector<Firm>& DefaultCluster() {
  static const std::vector<Firm>* const kFirms =
      new std::vector<Firm>(GenerateSampleCluster(SampleOptions{}));
  return *kFirms;
}

// Code points of precomposed Hangul syllables, decoded from UTF-8.
bool HasHangul(std::string_view text) {
  for (size_t i = 0; i + 2 < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c & 0xF0) != 0xE0) continue;
    char32_t code = ((c & 0x0F) << 12) | ((static_cast<unsigned char>(text[i + 1]) & 0x3F) << 6) |
                    (static_cast<unsigned char>(text[i + 2]) & 0x3F);
    if (code >= 0xAC00 && code <= 0xD7A3) return true;
  }
  return false;
}

bool HasLatin(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
}

std::set<std::string> Words(std::string_view text) {
  std::set<std::string> words;
  std::string word;
  for (char c : text) {
    if (c == ' ' || c == ',' || c == '(' || c == ')' || c == '/') {
      if (word.size() > 2) words.insert(word);
      word.clear();
    } else {
      word += c;
    }
  }
  if (word.size() > 2) words.insert(word);
  return words;
}

TEST(SampleVocabularyTest, TablesAreConsistent) {
  EXPECT_THAT(SampleVocabularyTables().errors, IsEmpty());
}

TEST(SampleVocabularyTest, EveryCapabilityHasSeveralWordingsOnEachSideInBothLanguages) {
  for (const SampleCapability& c : SampleVocabularyTables().capabilities) {
    EXPECT_GE(c.offers_ko.size(), 2u) << c.key;
    EXPECT_GE(c.offers_en.size(), 2u) << c.key;
    EXPECT_GE(c.needs_ko.size(), 2u) << c.key;
    EXPECT_GE(c.needs_en.size(), 2u) << c.key;
  }
}

TEST(SampleVocabularyTest, EveryNeededCapabilityIsOfferedByAnotherArchetype) {
  const SampleVocabulary& vocab = SampleVocabularyTables();
  std::set<int> offered;
  for (const SampleArchetype& a : vocab.archetypes)
    offered.insert(a.offers.begin(), a.offers.end());
  for (const SampleArchetype& a : vocab.archetypes) {
    for (int need : a.needs) {
      EXPECT_TRUE(offered.count(need)) << a.key << " needs " << vocab.capabilities[need].key;
      EXPECT_EQ(std::count(a.offers.begin(), a.offers.end(), need), 0)
          << a.key << " offers what it needs: " << vocab.capabilities[need].key;
    }
  }
}

// Lexical matching needs shared stems between a need and the offers that
// answer it, but the wordings must not simply be copies.
TEST(SampleVocabularyTest, NeedWordingsShareWordsWithTheirOffersForMostCapabilities) {
  const SampleVocabulary& vocab = SampleVocabularyTables();
  int sharing = 0;
  for (const SampleCapability& c : vocab.capabilities) {
    std::set<std::string> offer_words;
    for (const auto* list : {&c.offers_ko, &c.offers_en}) {
      for (std::string_view w : *list) {
        for (const std::string& word : Words(w)) offer_words.insert(word);
      }
    }
    bool shares = false;
    for (const auto* list : {&c.needs_ko, &c.needs_en}) {
      for (std::string_view w : *list) {
        for (const std::string& word : Words(w)) shares = shares || offer_words.count(word) > 0;
      }
    }
    sharing += shares;
  }
  EXPECT_GE(sharing * 10, static_cast<int>(vocab.capabilities.size()) * 6);
}

TEST(SampleClusterTest, DefaultHasAtLeastFourHundredFirms) {
  EXPECT_GE(DefaultCluster().size(), 400u);
  EXPECT_EQ(GenerateSampleCluster({.firms = 37, .seed = 5}).size(), 37u);
  EXPECT_THAT(GenerateSampleCluster({.firms = 0, .seed = 5}), IsEmpty());
}

TEST(SampleClusterTest, SameSeedGivesIdenticalFirms) {
  EXPECT_EQ(GenerateSampleCluster(SampleOptions{}), DefaultCluster());
  EXPECT_EQ(GenerateSampleCluster({.firms = 300, .seed = 99}),
            GenerateSampleCluster({.firms = 300, .seed = 99}));
}

TEST(SampleClusterTest, DifferentSeedsGiveDifferentFirms) {
  std::vector<Firm> other = GenerateSampleCluster({.firms = 420, .seed = 2});
  ASSERT_EQ(other.size(), DefaultCluster().size());
  int same = 0;
  for (size_t i = 0; i < other.size(); ++i) same += other[i] == DefaultCluster()[i];
  EXPECT_LT(same, 5);
}

TEST(SampleClusterTest, StreamingGivesTheSameFirms) {
  std::vector<Firm> streamed;
  GenerateSampleFirms(SampleOptions{}, [&](const Firm& firm) { streamed.push_back(firm); });
  EXPECT_EQ(streamed, DefaultCluster());
}

TEST(SampleClusterTest, IdsAreUnique) {
  std::set<std::string> ids;
  for (const Firm& firm : DefaultCluster()) EXPECT_TRUE(ids.insert(firm.id).second) << firm.id;
  std::set<std::string> large;
  int count = 0;
  GenerateSampleFirms({.firms = kNationalFirms, .seed = 3}, [&](const Firm& firm) {
    large.insert(firm.id);
    ++count;
  });
  EXPECT_EQ(large.size(), static_cast<size_t>(count));
}

TEST(SampleClusterTest, EveryFirmPassesValidation) {
  for (const Firm& firm : DefaultCluster()) {
    absl::Status status = ValidateFirm(firm);
    EXPECT_TRUE(status.ok()) << firm.id << ": " << std::string(status.message());
  }
  int invalid = 0;
  GenerateSampleFirms({.firms = kNationalFirms, .seed = 7}, [&](const Firm& firm) {
    absl::Status status = ValidateFirm(firm);
    if (!status.ok() && ++invalid < 5) ADD_FAILURE() << firm.id << ": " << status.message();
  });
  EXPECT_EQ(invalid, 0);
}

TEST(SampleClusterTest, CoversEveryMiniClusterAndInstitutionKind) {
  std::map<std::string, int> minis;
  std::map<FirmKind, int> kinds;
  for (const Firm& firm : DefaultCluster()) {
    ++minis[firm.mini_cluster];
    ++kinds[firm.kind];
  }
  for (std::string_view mini : kSampleMiniClusters) EXPECT_GE(minis[std::string(mini)], 30) << mini;
  EXPECT_GE(kinds[FirmKind::kCompany], 380);
  for (FirmKind kind : {FirmKind::kUniversity, FirmKind::kResearchInstitute,
                        FirmKind::kSupportOrganisation, FirmKind::kPublicBody}) {
    EXPECT_GE(kinds[kind], 3) << FirmKindName(kind);
  }
}

TEST(SampleClusterTest, MostFirmsAreInGValleyAndSomeInOtherClusters) {
  int g_valley = 0, elsewhere = 0;
  for (const Firm& firm : DefaultCluster()) {
    ASSERT_FALSE(firm.clusters.empty()) << firm.id;
    bool in_g_valley = std::count(firm.clusters.begin(), firm.clusters.end(), "G-Valley") > 0;
    g_valley += in_g_valley;
    elsewhere += firm.clusters.size() > (in_g_valley ? 1u : 0u);
  }
  const int n = static_cast<int>(DefaultCluster().size());
  EXPECT_GE(g_valley * 10, n * 7);
  EXPECT_GE(elsewhere * 10, n);
}

// A firm has a partner when another firm offers, in its own words, a
// capability the firm needs.
TEST(SampleClusterTest, NeedsAreAnsweredByOtherFirmsOffers) {
  const SampleVocabulary& vocab = SampleVocabularyTables();
  const std::vector<Firm>& firms = DefaultCluster();
  std::map<int, std::set<size_t>> offerers;  // capability -> firms offering it
  for (size_t i = 0; i < firms.size(); ++i) {
    for (const std::string& offer : firms[i].offers) {
      int c = vocab.OfferCapability(offer);
      ASSERT_GE(c, 0) << "offer outside the catalogue: " << offer;
      offerers[c].insert(i);
    }
  }
  auto answers = [&](size_t a, size_t b) {  // does b offer something a needs?
    for (const std::string& need : firms[a].needs) {
      int c = vocab.NeedCapability(need);
      if (offerers[c].count(b)) return true;
    }
    return false;
  };
  int answered = 0, reciprocal = 0;
  for (size_t a = 0; a < firms.size(); ++a) {
    bool any = false, both = false;
    for (const std::string& need : firms[a].needs) {
      int c = vocab.NeedCapability(need);
      ASSERT_GE(c, 0) << "need outside the catalogue: " << need;
      for (size_t b : offerers[c]) {
        if (b == a) continue;
        any = true;
        both = both || answers(b, a);
      }
    }
    answered += any;
    reciprocal += both;
  }
  const int n = static_cast<int>(firms.size());
  EXPECT_GE(answered * 100, n * 95);
  EXPECT_GE(reciprocal * 100, n * 60);
}

TEST(SampleClusterTest, NeedsNeverRepeatAnOfferVerbatim) {
  std::set<std::string> offers;
  for (const Firm& firm : DefaultCluster()) offers.insert(firm.offers.begin(), firm.offers.end());
  for (const Firm& firm : DefaultCluster()) {
    EXPECT_FALSE(firm.offers.empty()) << firm.id;
    EXPECT_GE(firm.needs.size(), 2u) << firm.id;
    for (const std::string& need : firm.needs) EXPECT_EQ(offers.count(need), 0u) << need;
  }
}

TEST(SampleClusterTest, ProfilesAreKoreanEnglishAndBilingual) {
  int korean = 0, english = 0, bilingual = 0;
  for (const Firm& firm : DefaultCluster()) {
    bool hangul = HasHangul(firm.name), latin = HasLatin(firm.name);
    korean += hangul && !latin;
    english += !hangul && latin;
    bilingual += hangul && latin;
    EXPECT_FALSE(firm.description.empty()) << firm.id;
  }
  const int n = static_cast<int>(DefaultCluster().size());
  EXPECT_GE(korean * 10, n);
  EXPECT_GE(english * 10, n);
  EXPECT_GE(bilingual * 10, n);
}

TEST(SampleClusterTest, FirmsCoverOneToThreeValueChainRoles) {
  std::map<Role, int> roles;
  for (const Firm& firm : DefaultCluster()) {
    EXPECT_GE(firm.roles.size(), 1u) << firm.id;
    EXPECT_LE(firm.roles.size(), 3u) << firm.id;
    for (Role role : firm.roles) ++roles[role];
  }
  for (Role role : {Role::kPlanning, Role::kDevelopment, Role::kProduction, Role::kMarketing}) {
    EXPECT_GE(roles[role], 20) << RoleName(role);
  }
}

TEST(SampleClusterTest, FacetsLookLikeSmallAndMediumFirms) {
  std::map<Visibility, int> visibility;
  std::map<std::string, int> materials;
  int small = 0;
  for (const Firm& firm : DefaultCluster()) {
    ++visibility[firm.visibility];
    for (const std::string& m : firm.materials) ++materials[m];
    EXPECT_GE(firm.founded, 1940) << firm.id;
    EXPECT_LE(firm.founded, 2023) << firm.id;
    EXPECT_FALSE(firm.region.empty()) << firm.id;
    EXPECT_FALSE(firm.industries.empty()) << firm.id;
    small += firm.kind == FirmKind::kCompany && firm.employees < 100;
  }
  const int n = static_cast<int>(DefaultCluster().size());
  EXPECT_GE(visibility[Visibility::kPublic] * 100, n * 80);
  EXPECT_GT(visibility[Visibility::kMembers], 0);
  EXPECT_GT(visibility[Visibility::kHidden], 0);
  EXPECT_GE(small * 100, n * 70);
  int pools = 0;  // materials bought by enough firms for joint purchasing
  for (const auto& [material, count] : materials) pools += count >= 8;
  EXPECT_GE(pools, 10);
}

TEST(SampleClusterTest, LargeScaleKeepsTheMixAndSpreadsNationwide) {
  std::map<std::string, int> minis, clusters;
  int n = 0, g_valley = 0;
  GenerateSampleFirms({.firms = kNationalFirms, .seed = 11}, [&](const Firm& firm) {
    ++n;
    ++minis[firm.mini_cluster];
    for (const std::string& c : firm.clusters) ++clusters[c];
    g_valley += firm.clusters.front() == "G-Valley";
  });
  for (int m = 0; m < kSampleMiniClusterCount; ++m) {
    int percent = minis[std::string(kSampleMiniClusters[m])] * 100 / n;
    EXPECT_NEAR(percent, kSampleMiniClusterWeights[m], 3) << kSampleMiniClusters[m];
  }
  EXPECT_GE(clusters.size(), 12u);
  EXPECT_LT(g_valley * 2, n);
  for (const auto& [name, count] : clusters) EXPECT_GE(count, 50) << name;
}

}  // namespace
}  // namespace clustermatch
