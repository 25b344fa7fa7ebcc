#include "models/domain_glossary.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "models/domain_glossary_table.h"
#include "models/text_normalizer.h"

namespace clustermatch {
namespace {

using ::testing::Contains;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

// Concept ids found in `text` after normalisation, in report order.
std::vector<std::string> Concepts(std::string_view text) {
  absl::StatusOr<std::string> normalized = NormalizeText(text);
  EXPECT_TRUE(normalized.ok()) << normalized.status();
  std::vector<std::string> out;
  ForEachGlossaryConcept(normalized.ok() ? *normalized : "",
                         [&](std::string_view id) { out.emplace_back(id); });
  return out;
}

std::set<std::string> ConceptSet(std::string_view text) {
  const std::vector<std::string> found = Concepts(text);
  return std::set<std::string>(found.begin(), found.end());
}

size_t CountOf(const std::vector<std::string>& ids, std::string_view id) {
  return static_cast<size_t>(std::count(ids.begin(), ids.end(), id));
}

bool HasHangul(std::string_view term) {
  // Hangul syllables are encoded with lead bytes EA..ED.
  return std::any_of(term.begin(), term.end(), [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return b >= 0xEA && b <= 0xED;
  });
}

// Written terms of every concept, '!' markers removed.
std::map<std::string, std::vector<std::string>> WrittenTerms() {
  std::map<std::string, std::vector<std::string>> out;
  for (auto part : {IndustryGlossaryEntries(), ServiceGlossaryEntries()}) {
    for (const GlossaryConceptEntry& entry : part) {
      auto& terms = out[std::string(entry.id)];
      for (absl::string_view term :
           absl::StrSplit(absl::string_view(entry.terms.data(), entry.terms.size()), '|')) {
        if (!term.empty() && term.front() == '!') term.remove_prefix(1);
        terms.emplace_back(term);
      }
    }
  }
  return out;
}

TEST(DomainGlossaryTest, TableIsValid) {
  EXPECT_TRUE(CheckGlossaryTable().ok()) << CheckGlossaryTable();
}

TEST(DomainGlossaryTest, CountsAreConsistent) {
  const auto written = WrittenTerms();
  EXPECT_EQ(GlossaryConceptCount(), written.size());
  EXPECT_GE(GlossaryConceptCount(), 250u);
  EXPECT_LE(GlossaryConceptCount(), 400u);
  size_t terms = 0;
  for (const auto& [id, list] : written) terms += list.size();
  EXPECT_EQ(GlossaryTermCount(), terms);
  std::set<std::string_view> ids;
  for (size_t i = 0; i < GlossaryConceptCount(); ++i) ids.insert(GlossaryConceptId(i));
  EXPECT_EQ(ids.size(), GlossaryConceptCount());
}

TEST(DomainGlossaryTest, NoTermIsWrittenTwice) {
  std::map<std::string, std::string> owner;
  for (const auto& [id, terms] : WrittenTerms()) {
    for (const std::string& term : terms) {
      EXPECT_FALSE(term.empty()) << id;
      const auto [it, inserted] = owner.emplace(term, id);
      EXPECT_TRUE(inserted) << "\"" << term << "\" in " << id << " and " << it->second;
    }
  }
}

TEST(DomainGlossaryTest, EveryConceptHasKoreanAndEnglishTerms) {
  for (const auto& [id, terms] : WrittenTerms()) {
    EXPECT_TRUE(std::any_of(terms.begin(), terms.end(), HasHangul)) << id;
    EXPECT_TRUE(std::any_of(terms.begin(), terms.end(), [](const std::string& t) {
      return !HasHangul(t);
    })) << id;
  }
}

TEST(DomainGlossaryTest, EveryWrittenTermFindsItsConcept) {
  for (const auto& [id, terms] : WrittenTerms()) {
    for (const std::string& term : terms) {
      EXPECT_THAT(Concepts(term), Contains(id)) << "term \"" << term << "\"";
    }
  }
}

TEST(DomainGlossaryTest, KoreanAndEnglishProfilesShareConcepts) {
  const std::set<std::string> korean = ConceptSet("알루미늄 하우징 가공");
  EXPECT_THAT(korean, UnorderedElementsAre("aluminium", "housing_enclosure", "machining"));
  EXPECT_EQ(ConceptSet("Machining of aluminium housings"), korean);
  EXPECT_EQ(ConceptSet("CNC machined aluminum enclosures"),
            (std::set<std::string>{"cnc", "machining", "aluminium", "housing_enclosure"}));
  EXPECT_EQ(ConceptSet("일본 수출 판로 개척"), ConceptSet("Export distribution channel in Japan"));
}

TEST(DomainGlossaryTest, EnglishTermsMatchWholeWordsOnly) {
  EXPECT_THAT(Concepts("diesel engine parts"), Not(Contains("mould")));
  EXPECT_THAT(Concepts("die and mould making"), Contains("mould"));
  EXPECT_THAT(Concepts("market research"), Not(Contains("ar")));
  EXPECT_THAT(Concepts("AR glasses"), Contains("ar"));
  EXPECT_THAT(Concepts("paint, said"), Contains("painting_coating"));
  EXPECT_THAT(Concepts("pain management"), Not(Contains("painting_coating")));
  EXPECT_THAT(Concepts("welcome"), IsEmpty());
}

TEST(DomainGlossaryTest, EnglishPhrasesMatchAcrossSpaces) {
  EXPECT_THAT(Concepts("Plastic INJECTION   Molding"), Contains("injection_moulding"));
  EXPECT_THAT(Concepts("injection only"), Not(Contains("injection_moulding")));
}

TEST(DomainGlossaryTest, EnglishPluralsAndHyphenVariants) {
  EXPECT_THAT(Concepts("lithium batteries"), Contains("battery"));
  EXPECT_THAT(Concepts("industrial robots"), Contains("industrial_robot"));
  EXPECT_THAT(Concepts("switches"), IsEmpty());
  for (const char* text : {"e-learning", "e learning", "elearning"}) {
    EXPECT_THAT(Concepts(text), Contains("e_learning")) << text;
  }
}

TEST(DomainGlossaryTest, LatinTermsNextToHangulOrDigits) {
  EXPECT_THAT(ConceptSet("CNC가공 전문"), UnorderedElementsAre("cnc", "machining"));
  EXPECT_THAT(Concepts("SUS304 판재"), Contains("stainless_steel"));
  EXPECT_THAT(Concepts("iot센서"), Contains("iot"));
  EXPECT_THAT(Concepts("biot"), Not(Contains("iot")));
}

TEST(DomainGlossaryTest, KoreanTermsMatchInsideCompounds) {
  EXPECT_THAT(Concepts("스마트팩토리구축"), Contains("smart_factory"));
  EXPECT_THAT(Concepts("중앙집중식집진설비"), Contains("dust_collection"));
  EXPECT_THAT(Concepts("금형을 제작합니다"), Contains("mould"));
  EXPECT_THAT(Concepts("집 진기"), Not(Contains("dust_collection")));
}

TEST(DomainGlossaryTest, OverlappingTermsOfOneConceptCountOnce) {
  EXPECT_EQ(CountOf(Concepts("집진기"), "dust_collection"), 1u);
  EXPECT_EQ(CountOf(Concepts("집진기 및 분진 처리"), "dust_collection"), 2u);
  EXPECT_EQ(CountOf(Concepts("injection molding and injection molding"), "injection_moulding"), 2u);
}

TEST(DomainGlossaryTest, ExclusiveCompoundsHideInnerTerms) {
  EXPECT_THAT(ConceptSet("기계학습"), UnorderedElementsAre("machine_learning"));
  EXPECT_THAT(Concepts("기계 설비"), Contains("machinery"));
  EXPECT_THAT(ConceptSet("인도네시아 시장"), UnorderedElementsAre("indonesia"));
  EXPECT_THAT(Concepts("인도 시장"), Contains("india"));
  EXPECT_THAT(Concepts("태양전지"), Not(Contains("battery")));
  EXPECT_THAT(Concepts("경남 양산시 소재"), Not(Contains("mass_production")));
  EXPECT_THAT(Concepts("양산 체제"), Contains("mass_production"));
}

TEST(DomainGlossaryTest, ReportsInTextOrder) {
  EXPECT_THAT(Concepts("robot welding in Vietnam"),
              ::testing::ElementsAre("robot", "welding", "vietnam"));
}

TEST(DomainGlossaryTest, ToleratesEmptyAndInvalidBytes) {
  std::vector<std::string> found;
  ForEachGlossaryConcept("", [&](std::string_view id) { found.emplace_back(id); });
  EXPECT_THAT(found, IsEmpty());
  ForEachGlossaryConcept("\xff\xfe금형\xc3", [&](std::string_view id) { found.emplace_back(id); });
  EXPECT_THAT(found, ::testing::ElementsAre("mould"));
}

TEST(DomainGlossaryTest, ConcurrentCallsAgree) {
  const std::vector<std::string> expected = Concepts("클라우드 기반 MES 및 ERP 구축, 수출");
  ASSERT_FALSE(expected.empty());
  std::vector<std::vector<std::string>> results(4);
  std::vector<std::thread> threads;
  for (auto& result : results) {
    threads.emplace_back([&result] {
      for (int i = 0; i < 200; ++i) result = Concepts("클라우드 기반 MES 및 ERP 구축, 수출");
    });
  }
  for (std::thread& t : threads) t.join();
  for (const auto& result : results) EXPECT_EQ(result, expected);
}

}  // namespace
}  // namespace clustermatch
