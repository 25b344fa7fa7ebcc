// FeatureList (models/feature_hashing.h): the features of phrases joined by
// " . " can be put together from each phrase's own list with the same bits
// as hashing the joined text, and sums over a bucket are taken in one
// defined order. 8-bit buckets make words, n-grams and glossary concepts
// collide often, which is where the order matters.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models/feature_hashing.h"
#include "models/text_normalizer.h"
#include "models/tokenizer.h"

namespace clustermatch {
namespace {

std::string Normalized(const std::string& text) {
  absl::StatusOr<std::string> normalized = NormalizeText(text);
  EXPECT_TRUE(normalized.ok()) << text;
  return normalized.ok() ? *normalized : "";
}

void ExpectSameTerms(const std::vector<HashedTerm>& expected,
                     const std::vector<HashedTerm>& actual) {
  ASSERT_EQ(expected.size(), actual.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(expected[i].bucket, actual[i].bucket) << i;
    EXPECT_EQ(expected[i].weight, actual[i].weight) << "bucket " << expected[i].bucket;
  }
}

// Phrase lists as the engine joins them, with padding, a combining mark
// after the break, particles, a glossary term on each side of a break,
// repeated words and a phrase of punctuation only.
const std::vector<std::vector<std::string>>& PhraseLists() {
  static const auto* lists = new std::vector<std::vector<std::string>>{
      {"CNC machining of aluminium housings", "알루미늄 하우징 가공", "5-axis CNC"},
      {"  padded phrase  ", "\u0301combining start", "정밀가공을 위한 금형을", "..."},
      {"machine learning", "기계학습 솔루션", "AI solution", "AI solution", "injection molding"},
      {"빅데이터연구회", "u.s.", "industry 4.0", "인더스트리4.0 스마트팩토리구축"},
      {"x"},
  };
  return *lists;
}

std::string Joined(const std::vector<std::string>& phrases) {
  std::string joined;
  for (const std::string& phrase : phrases) {
    if (!joined.empty()) joined += " . ";
    joined += phrase;
  }
  return joined;
}

TEST(FeatureListTest, AppendedPhrasesGiveTheJoinedTextsTermsBitForBit) {
  for (int hash_bits : {kMinHashBits, 20}) {
    for (const std::vector<std::string>& phrases : PhraseLists()) {
      SCOPED_TRACE(testing::Message() << hash_bits << " bits: " << Joined(phrases));
      FeatureList appended;
      for (const std::string& phrase : phrases) {
        appended.Append(FeatureList(Normalized(phrase), hash_bits));
      }
      ExpectSameTerms(HashFeatures(Normalized(Joined(phrases)), hash_bits), appended.Sum());
    }
    // Lists of lists too, as a firm's topic is put together from its parts.
    std::vector<std::string> all;
    FeatureList appended;
    for (const std::vector<std::string>& phrases : PhraseLists()) {
      all.insert(all.end(), phrases.begin(), phrases.end());
      appended.Append(FeatureList(Normalized(Joined(phrases)), hash_bits));
    }
    ExpectSameTerms(HashFeatures(Normalized(Joined(all)), hash_bits), appended.Sum());
  }
}

TEST(FeatureListTest, TermsAreSortedUniqueAndSumTheFeatureWeightsInTextOrder) {
  const std::string text = Normalized(Joined(PhraseLists()[2]) + " . " + Joined(PhraseLists()[0]));
  for (int hash_bits : {kMinHashBits, 20}) {
    std::vector<uint32_t> buckets;
    std::vector<float> sums(size_t{1} << hash_bits, 0.0f);
    // The defined order: per bucket, one running sum over the words and
    // n-grams in text order, then over the glossary concepts in text order.
    for (const bool concepts : {false, true}) {
      ForEachFeature(text, [&](std::string_view feature, float weight) {
        if (feature.starts_with(kConceptPrefix) != concepts) return;
        const uint32_t bucket = FeatureBucket(feature, hash_bits);
        sums[bucket] += weight;
        buckets.push_back(bucket);
      });
    }
    const std::vector<HashedTerm> terms = HashFeatures(text, hash_bits);
    std::sort(buckets.begin(), buckets.end());
    buckets.erase(std::unique(buckets.begin(), buckets.end()), buckets.end());
    ASSERT_EQ(buckets.size(), terms.size()) << hash_bits;
    for (size_t i = 0; i < terms.size(); ++i) {
      ASSERT_EQ(buckets[i], terms[i].bucket);
      const float expected = sums[terms[i].bucket];
      EXPECT_EQ(expected, terms[i].weight) << "bucket " << terms[i].bucket;
    }
  }
}

TEST(FeatureListTest, EmptyTextsAddNothing) {
  FeatureList list(Normalized("CNC machining"), 20);
  const std::vector<HashedTerm> before = list.Sum();
  list.Append(FeatureList());
  list.Append(FeatureList("", 20));
  ExpectSameTerms(before, list.Sum());
  EXPECT_TRUE(FeatureList("", 20).empty());
  EXPECT_TRUE(FeatureList(" . ", 20).Sum().empty());
}

}  // namespace
}  // namespace clustermatch
