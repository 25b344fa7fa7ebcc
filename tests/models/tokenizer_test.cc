#include "models/tokenizer.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "models/text_normalizer.h"

namespace clustermatch {
namespace {

using ::testing::Contains;
using ::testing::IsEmpty;
using ::testing::Not;

// Feature -> summed weight, for normalised `text`.
std::map<std::string, float> Features(std::string_view text) {
  absl::StatusOr<std::string> normalized = NormalizeText(text);
  EXPECT_TRUE(normalized.ok()) << normalized.status();
  std::map<std::string, float> out;
  for (const WeightedToken& t : Tokenize(normalized.ok() ? *normalized : "")) {
    out[t.text] += t.weight;
  }
  return out;
}

std::set<std::string> Keys(const std::map<std::string, float>& m) {
  std::set<std::string> out;
  for (const auto& [k, v] : m) out.insert(k);
  return out;
}

std::set<std::string> Shared(std::string_view a, std::string_view b) {
  const std::set<std::string> ka = Keys(Features(a));
  const std::set<std::string> kb = Keys(Features(b));
  std::set<std::string> out;
  std::set_intersection(ka.begin(), ka.end(), kb.begin(), kb.end(),
                        std::inserter(out, out.begin()));
  return out;
}

TEST(TokenizerTest, KoreanCompoundSharesFeaturesWithItsParts) {
  const std::set<std::string> shared = Shared("빅데이터연구회", "빅데이터");
  EXPECT_THAT(shared, Contains("데이터"));
  EXPECT_THAT(shared, Contains("빅데이"));
  EXPECT_THAT(Shared("빅데이터연구회", "연구 개발"), Contains("연구"));
  EXPECT_THAT(Shared("빅데이터연구회", "반도체 장비"), IsEmpty());
}

TEST(TokenizerTest, MixedScriptSplitsAtTheBoundary) {
  const std::map<std::string, float> f = Features("AI솔루션");
  ASSERT_TRUE(f.count("ai"));
  ASSERT_TRUE(f.count("솔루션"));
  EXPECT_FLOAT_EQ(f.at("ai"), kWordWeight);
  EXPECT_FLOAT_EQ(f.at("솔루션"), kWordWeight);
  EXPECT_THAT(Shared("AI솔루션", "AI 기반 솔루션 개발"), Contains("솔루션"));
  EXPECT_THAT(Features("5G통신"), Contains(std::pair<const std::string, float>("5g", 1.0f)));
}

TEST(TokenizerTest, StripsKoreanParticles) {
  EXPECT_THAT(Keys(Features("데이터를")), Contains("데이터"));
  EXPECT_THAT(Keys(Features("데이터를")), Not(Contains("데이터를")));
  EXPECT_THAT(Keys(Features("연구회의")), Contains("연구회"));
  EXPECT_THAT(Keys(Features("연구회에서")), Contains("연구회"));
  EXPECT_THAT(Keys(Features("베트남으로")), Contains("베트남"));
  // A particle is only stripped when two syllables remain: "회의" is a word.
  EXPECT_THAT(Keys(Features("회의")), Contains("회의"));
}

TEST(TokenizerTest, AmbiguousParticlesKeepTheWholeWord) {
  const std::set<std::string> display = Keys(Features("디스플레이"));
  EXPECT_THAT(display, Contains("디스플레이"));
  EXPECT_THAT(display, Contains("디스플레"));
  EXPECT_THAT(Shared("전문가", "전문가를"), Contains("전문가"));
}

TEST(TokenizerTest, LatinWordFormsShareNgrams) {
  EXPECT_GE(Shared("machining", "machined").size(), 8u);
  EXPECT_GE(Shared("machining", "machine").size(), 8u);
  EXPECT_GE(Shared("aluminium", "aluminum").size(), 8u);
  EXPECT_THAT(Shared("machining", "textile"), IsEmpty());
  // Words and n-grams live in different namespaces.
  EXPECT_THAT(Keys(Features("machining")), Contains("machining"));
  EXPECT_THAT(Keys(Features("machining")), Not(Contains("chi")));
}

TEST(TokenizerTest, DropsStopWordsAndSingleLetters) {
  EXPECT_THAT(Features("We are looking for a partner and the x of"), IsEmpty());
  for (const std::string& feature : Keys(Features("We are looking for the best partner"))) {
    EXPECT_TRUE(feature == "best" || feature.starts_with("~")) << feature;
  }
  EXPECT_THAT(Features("및 등"), IsEmpty());
}

TEST(TokenizerTest, DigitsAreWords) {
  EXPECT_EQ(Keys(Features("2024")), std::set<std::string>{"2024"});
  EXPECT_THAT(Keys(Features("ISO9001 certified")), Contains("iso9001"));
  EXPECT_THAT(Keys(Features("3D printing")), Contains("3d"));
}

TEST(TokenizerTest, WordsOutweighNgramsAndNgramBudgetIsFixed) {
  for (std::string_view text : {"machining", "aluminium", "빅데이터연구회"}) {
    double ngram_norm2 = 0;
    for (const auto& [feature, weight] : Features(text)) {
      if (feature.starts_with(kConceptPrefix)) continue;  // glossary concepts weigh as words
      if (feature.starts_with("~") || feature.size() < std::string(text).size()) {
        EXPECT_LT(weight, kWordWeight) << feature;
        ngram_norm2 += double{weight} * weight;
      }
    }
    EXPECT_NEAR(std::sqrt(ngram_norm2), kNgramBlockNorm, 1e-4) << text;
  }
  EXPECT_EQ(Keys(Features("ab")), std::set<std::string>{"ab"});  // too short for n-grams
}

TEST(TokenizerTest, GlossaryConceptsJoinKoreanAndEnglish) {
  auto concepts = [](std::string_view text) {
    std::set<std::string> out;
    for (const auto& key : Keys(Features(text))) {
      if (key.starts_with(kConceptPrefix)) out.insert(key);
    }
    return out;
  };
  const std::set<std::string> korean = concepts("알루미늄 하우징 가공");
  EXPECT_FALSE(korean.empty());
  EXPECT_EQ(korean, concepts("machining of aluminium housings"));
}

TEST(TokenizerTest, InvalidBytesActAsSeparators) {
  std::set<std::string> seen;
  ForEachFeature(
      "abc\xff"
      "def \xc3",
      [&seen](std::string_view f, float) { seen.insert(std::string(f)); });
  EXPECT_THAT(seen, Contains("abc"));
  EXPECT_THAT(seen, Contains("def"));
}

}  // namespace
}  // namespace clustermatch
