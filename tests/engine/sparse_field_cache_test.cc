// SparseFieldCache (engine/sparse_field_cache.h): the fields asked for are
// computed and later completed, entries equal a fresh computation, the cache
// drops its oldest firm when full, Invalidate forgets a firm, and a firm's
// phrases are resolved once in the phrase cache and kept with its entry.
#include "engine/sparse_field_cache.h"

#include <gtest/gtest.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "engine/firm_texts.h"
#include "engine/phrase_cache.h"

namespace clustermatch {
namespace {

constexpr FieldMask kNeedOffer = FieldBit(VectorField::kNeed) | FieldBit(VectorField::kOffer);

Firm FirmNumbered(int i) {
  Firm firm;
  firm.id = absl::StrCat("f", i);
  firm.name = absl::StrCat("Firm ", i);
  firm.offers = {absl::StrCat("injection moulding of housings ", i)};
  firm.needs = {"PCB assembly"};
  firm.industries = {"electronics"};
  firm.materials = {"ABS resin"};
  return firm;
}

void ExpectSame(const SparseVector& a, const SparseVector& b) {
  EXPECT_EQ(a.indices, b.indices);
  EXPECT_EQ(a.values, b.values);
}

TEST(SparseFieldCacheTest, ComputesTheFieldsAskedForAndCompletesThemLater) {
  const TextModel model = TextModel::Untrained(32);
  const SparseFieldCache cache(model);
  const Firm firm = FirmNumbered(1);
  const SparseFields all = SparseFieldsOf(model, firm);
  ASSERT_FALSE(all[static_cast<int>(VectorField::kMaterials)].indices.empty());

  auto partial = cache.Get(7, firm, kNeedOffer);
  ExpectSame((*partial)[static_cast<int>(VectorField::kNeed)], all[1]);
  ExpectSame((*partial)[static_cast<int>(VectorField::kOffer)], all[0]);
  EXPECT_TRUE((*partial)[static_cast<int>(VectorField::kMaterials)].indices.empty());
  EXPECT_EQ(cache.Get(7, firm, FieldBit(VectorField::kNeed)), partial) << "served from the entry";

  auto completed = cache.Get(7, firm, FieldBit(VectorField::kMaterials));
  for (int f = 0; f < kVectorFieldCount; ++f) {
    if (f == static_cast<int>(VectorField::kTopic)) {
      EXPECT_TRUE((*completed)[f].indices.empty()) << "never asked for";
    } else {
      ExpectSame((*completed)[f], all[f]);
    }
  }
  EXPECT_EQ(cache.Get(7, firm, kNeedOffer), completed) << "the completed entry keeps needs";
  EXPECT_EQ(cache.size(), 1u);
  const SparseCacheStats stats = cache.Stats();
  EXPECT_EQ(stats.hits, 2u);
  EXPECT_EQ(stats.misses, 2u) << "the first lookup and the completion";
  EXPECT_EQ(stats.firms, 1u);
  EXPECT_EQ(stats.capacity, SparseFieldCache::kMaxEntries);
}

TEST(SparseFieldCacheTest, DropsTheOldestFirmWhenFull) {
  const TextModel model = TextModel::Untrained(32);
  const SparseFieldCache cache(model, 3);
  std::vector<Firm> firms;
  for (int i = 0; i < 5; ++i) firms.push_back(FirmNumbered(i));
  std::vector<std::shared_ptr<const SparseFields>> first;
  for (int i = 0; i < 3; ++i) first.push_back(cache.Get(i, firms[i], kNeedOffer));
  EXPECT_EQ(cache.size(), 3u);

  cache.Get(3, firms[3], kNeedOffer);  // drops firm 0
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_EQ(cache.Get(1, firms[1], kNeedOffer), first[1]);
  EXPECT_EQ(cache.Get(2, firms[2], kNeedOffer), first[2]);
  auto again = cache.Get(0, firms[0], kNeedOffer);  // computed anew, drops firm 1
  EXPECT_NE(again, first[0]);
  ExpectSame((*again)[0], (*first[0])[0]);
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_NE(cache.Get(1, firms[1], kNeedOffer), first[1]);
  // A dropped entry stays valid for whoever holds it.
  ExpectSame((*first[1])[0], SparseFieldsOf(model, firms[1])[0]);
}

TEST(SparseFieldCacheTest, InvalidateForgetsTheFirm) {
  const TextModel model = TextModel::Untrained(32);
  SparseFieldCache cache(model);
  Firm firm = FirmNumbered(1);
  auto before = cache.Get(1, firm, kNeedOffer);
  firm.offers = {"laser cutting of sheet metal"};
  cache.Invalidate(1);
  EXPECT_EQ(cache.size(), 0u);
  auto after = cache.Get(1, firm, kNeedOffer);
  ExpectSame((*after)[0], SparseFieldsOf(model, firm)[0]);
  EXPECT_NE((*after)[0].indices, (*before)[0].indices);
}

void ExpectPhrases(const PhraseCache& phrases,
                   const std::vector<std::shared_ptr<const PhraseVectors>>& got,
                   const std::vector<std::string>& texts) {
  ASSERT_EQ(got.size(), texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    ASSERT_NE(got[i], nullptr);
    EXPECT_EQ(got[i], phrases.Get(texts[i])) << texts[i] << ": the phrase cache's own entry";
  }
}

TEST(SparseFieldCacheTest, KeepsAFirmsPhrasesResolvedInThePhraseCache) {
  const TextModel model = TextModel::Untrained(32);
  const PhraseCache phrases(model);
  SparseFieldCache cache(model, SparseFieldCache::kMaxEntries, &phrases);
  Firm firm = FirmNumbered(1);
  firm.needs = {"PCB assembly", "EMC testing"};
  firm.products = {"sensor housings"};
  firm.technologies = {"gas-assist moulding"};

  // Sparse fields alone first: no phrases until asked for.
  const auto sparse = cache.Get(4, firm, kNeedOffer);
  EXPECT_EQ(cache.GetTexts(4, firm, kNeedOffer, false).phrases, nullptr);
  const SparseFieldCache::Texts texts = cache.GetTexts(4, firm, kNeedOffer, true);
  EXPECT_EQ(texts.sparse, sparse) << "the fields were kept when the phrases were added";
  ASSERT_NE(texts.phrases, nullptr);
  ExpectPhrases(phrases, texts.phrases->needs, firm.needs);
  ExpectPhrases(phrases, texts.phrases->answers,
                {firm.offers[0], firm.products[0], firm.technologies[0]});
  EXPECT_EQ(cache.GetTexts(4, firm, FieldBit(VectorField::kNeed), true).phrases, texts.phrases)
      << "served from the entry";

  // A changed firm gets its new phrases after Invalidate.
  firm.needs = {"cleanroom packaging"};
  cache.Invalidate(4);
  const SparseFieldCache::Texts changed = cache.GetTexts(4, firm, kNeedOffer, true);
  ExpectPhrases(phrases, changed.phrases->needs, firm.needs);

  // Without a phrase cache, none are kept.
  const SparseFieldCache plain(model);
  EXPECT_EQ(plain.GetTexts(4, firm, kNeedOffer, true).phrases, nullptr);
  EXPECT_NE(plain.GetTexts(4, firm, kNeedOffer, true).sparse, nullptr);
}

}  // namespace
}  // namespace clustermatch
