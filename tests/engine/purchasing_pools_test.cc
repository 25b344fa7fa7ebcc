// Tests for joint-purchasing pools: hand-made cases for normalisation,
// merging, splitting and errors. The randomised instances are in
// purchasing_pools_property_test.cc.
#include "engine/purchasing_pools.h"

#include <algorithm>
#include <cctype>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "models/text_normalizer.h"
#include "tests/engine/purchasing_pools_test_support.h"

namespace clustermatch {
namespace {

using pool_test::Form;
using pool_test::Message;
using pool_test::Normal;

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Firms f0, f1, ... each buying `materials[i]`.
std::vector<PoolFirm> Firms(const std::vector<std::vector<std::string>>& materials) {
  std::vector<PoolFirm> firms;
  for (size_t i = 0; i < materials.size(); ++i) {
    firms.push_back({absl::StrCat("f", i), materials[i]});
  }
  return firms;
}

// `count` firms that all buy `material`.
std::vector<PoolFirm> SameBuyers(int count, const std::string& material) {
  return Firms(std::vector<std::vector<std::string>>(count, {material}));
}

std::vector<std::vector<int>> Members(const PoolResult& result) {
  std::vector<std::vector<int>> members;
  for (const PurchasingPool& pool : result.pools) members.push_back(pool.members);
  return members;
}

TEST(PurchasingPoolsTest, PoolsBuyersOfEachSharedMaterial) {
  const std::vector<PoolFirm> firms = Firms({{"steel", "resin"}, {"resin"}, {"steel"}, {"glass"}});
  const PoolResult result = Form(firms, {});
  ASSERT_EQ(result.pools.size(), 2u);
  EXPECT_EQ(result.pools[0].material, "resin");  // same size: by material
  EXPECT_THAT(result.pools[0].members, ElementsAre(0, 1));
  EXPECT_THAT(result.pools[0].spellings, ElementsAre("resin"));
  EXPECT_EQ(result.pools[1].material, "steel");
  EXPECT_THAT(result.pools[1].members, ElementsAre(0, 2));
  EXPECT_EQ(result.pools[1].part, 1);
  EXPECT_EQ(result.pools[1].parts, 1);
  EXPECT_THAT(result.left_out, IsEmpty());  // glass has one buyer: no pool, nobody left out
}

TEST(PurchasingPoolsTest, LargestPoolsFirst) {
  const std::vector<PoolFirm> firms =
      Firms({{"zinc", "alum"}, {"zinc", "alum"}, {"zinc"}, {"alum", "zinc"}, {"alum"}, {"zinc"}});
  const PoolResult result = Form(firms, {});
  ASSERT_EQ(result.pools.size(), 2u);
  EXPECT_EQ(result.pools[0].material, "zinc");
  EXPECT_THAT(result.pools[0].members, ElementsAre(0, 1, 2, 3, 5));
  EXPECT_EQ(result.pools[1].material, "alum");
  EXPECT_THAT(result.pools[1].members, ElementsAre(0, 1, 3, 4));
}

TEST(PurchasingPoolsTest, NormalisationMergesCaseWidthAndSpaces) {
  // Hangul "동박" written as decomposed jamo must meet the precomposed one.
  const std::string decomposed = "\u1103\u1169\u11BC\u1107\u1161\u11A8";
  const std::vector<PoolFirm> firms = Firms({{"Copper Foil"},
                                             {"ＣＯＰＰＥＲ\u3000ＦＯＩＬ"},
                                             {"  copper \t foil "},
                                             {"동박"},
                                             {decomposed},
                                             {"", "   "},
                                             {"", " "}});
  const PoolResult result = Form(firms, {});
  ASSERT_EQ(result.pools.size(), 2u);
  EXPECT_EQ(result.pools[0].material, "copper foil");
  EXPECT_THAT(result.pools[0].spellings, ElementsAre("copper foil"));
  EXPECT_THAT(result.pools[0].members, ElementsAre(0, 1, 2));
  EXPECT_EQ(result.pools[1].material, "동박");
  EXPECT_THAT(result.pools[1].members, ElementsAre(3, 4));
}

TEST(PurchasingPoolsTest, FirmListingOneMaterialTwiceIsOneMember) {
  const std::vector<PoolFirm> firms = Firms({{"Steel", "STEEL", "steel "}, {"steel"}});
  const PoolResult result = Form(firms, {});
  ASSERT_EQ(result.pools.size(), 1u);
  EXPECT_THAT(result.pools[0].members, ElementsAre(0, 1));
}

// Similarity from a table of unordered pairs of normalised spellings.
PoolOptions WithSimilarity(std::map<std::pair<std::string, std::string>, float> table) {
  PoolOptions options;
  options.similarity = [table = std::move(table)](std::string_view a, std::string_view b) {
    auto it = table.find({std::string(a), std::string(b)});
    if (it == table.end()) it = table.find({std::string(b), std::string(a)});
    return it == table.end() ? 0.0f : it->second;
  };
  return options;
}

TEST(PurchasingPoolsTest, SimilarityMergesSpellingsTransitively) {
  PoolOptions options = WithSimilarity({{{"copper foil", "동박 (copper foil)"}, 0.9f},
                                        {{"동박 (copper foil)", "동박"}, 0.85f},
                                        {{"동박", "알루미늄"}, 0.5f}});
  const std::vector<PoolFirm> firms =
      Firms({{"Copper Foil"}, {"동박"}, {"동박 (Copper Foil)"}, {"동박"}, {"알루미늄"}});
  const PoolResult result = Form(firms, options);
  ASSERT_EQ(result.pools.size(), 1u);
  EXPECT_EQ(result.pools[0].material, "동박");  // listed by two members
  EXPECT_THAT(result.pools[0].spellings, ElementsAre("copper foil", "동박", "동박 (copper foil)"));
  EXPECT_THAT(result.pools[0].members, ElementsAre(0, 1, 2, 3));

  // Below the threshold nothing merges: only 동박 has two buyers.
  options.merge_threshold = 0.95f;
  const PoolResult strict = Form(firms, options);
  ASSERT_EQ(strict.pools.size(), 1u);
  EXPECT_THAT(strict.pools[0].spellings, ElementsAre("동박"));
  EXPECT_THAT(strict.pools[0].members, ElementsAre(1, 3));
}

TEST(PurchasingPoolsTest, MaterialTieGoesToSmallestSpelling) {
  const PoolOptions options = WithSimilarity({{{"steel", "강판"}, 1.0f}});
  const PoolResult result = Form(Firms({{"강판"}, {"Steel"}}), options);
  ASSERT_EQ(result.pools.size(), 1u);
  EXPECT_EQ(result.pools[0].material, "steel");  // "s" sorts before Hangul
  EXPECT_THAT(result.pools[0].spellings, ElementsAre("steel", "강판"));
}

TEST(PurchasingPoolsTest, SimilarityCallbackSeesNormalisedSpellingsInOrder) {
  std::vector<std::pair<std::string, std::string>> calls;
  PoolOptions options;
  options.similarity = [&calls](std::string_view a, std::string_view b) {
    calls.emplace_back(a, b);
    return 0.0f;
  };
  Form(Firms({{"B"}, {"Ａ"}, {"c", "b"}}), options);
  EXPECT_THAT(calls, ElementsAre(std::pair<std::string, std::string>("a", "b"),
                                 std::pair<std::string, std::string>("a", "c"),
                                 std::pair<std::string, std::string>("b", "c")));
}

TEST(PurchasingPoolsTest, NeverTogetherSplitsIntoBalancedParts) {
  PoolOptions options;
  options.never_together = {{0, 1}};
  const PoolResult result = Form(SameBuyers(6, "steel"), options);
  ASSERT_EQ(result.pools.size(), 2u);
  EXPECT_THAT(Members(result), ElementsAre(ElementsAre(0, 2, 3), ElementsAre(1, 4, 5)));
  EXPECT_EQ(result.pools[0].part, 1);
  EXPECT_EQ(result.pools[1].part, 2);
  EXPECT_EQ(result.pools[0].parts, 2);
  EXPECT_EQ(result.pools[1].parts, 2);
  EXPECT_THAT(result.left_out, IsEmpty());
}

TEST(PurchasingPoolsTest, CompetitorsStayTogetherOnlyDoNotMatchSplits) {
  // Competitor pairs are not never_together pairs: no split without pairs.
  const PoolResult result = Form(SameBuyers(4, "steel"), {});
  EXPECT_THAT(Members(result), ElementsAre(ElementsAre(0, 1, 2, 3)));
}

TEST(PurchasingPoolsTest, MemberThatFitsNowhereIsReportedNeverTogether) {
  PoolOptions options;
  options.never_together = {{0, 1}};
  const PoolResult result = Form(SameBuyers(3, "steel"), options);
  EXPECT_THAT(Members(result), ElementsAre(ElementsAre(0, 2)));
  EXPECT_THAT(result.left_out, ElementsAre(PoolLeftOut{1, "steel", LeftOutReason::kNeverTogether}));
  EXPECT_EQ(LeftOutReasonName(result.left_out[0].reason), "never_together");
}

TEST(PurchasingPoolsTest, PairAloneGivesNoPoolAndBothLeftOut) {
  PoolOptions options;
  options.never_together = {{1, 0}};
  const PoolResult result = Form(SameBuyers(2, "steel"), options);
  EXPECT_THAT(result.pools, IsEmpty());
  EXPECT_THAT(result.left_out, ElementsAre(PoolLeftOut{0, "steel", LeftOutReason::kNeverTogether},
                                           PoolLeftOut{1, "steel", LeftOutReason::kNeverTogether}));
}

TEST(PurchasingPoolsTest, MaxSizeSplitsIntoBalancedParts) {
  PoolOptions options;
  options.max_size = 4;
  const PoolResult result = Form(SameBuyers(10, "steel"), options);
  ASSERT_EQ(result.pools.size(), 3u);
  std::vector<int> sizes;
  std::set<int> everyone;
  for (const PurchasingPool& pool : result.pools) {
    sizes.push_back(static_cast<int>(pool.members.size()));
    everyone.insert(pool.members.begin(), pool.members.end());
    EXPECT_EQ(pool.parts, 3);
  }
  EXPECT_THAT(sizes, ElementsAre(4, 3, 3));
  EXPECT_EQ(everyone.size(), 10u);
}

TEST(PurchasingPoolsTest, MaxSizeThatCannotBeMetLeavesOverflowOut) {
  // 5 buyers, parts of 3 to 4: one part of 4, one buyer left out.
  PoolOptions options;
  options.min_size = 3;
  options.max_size = 4;
  const PoolResult result = Form(SameBuyers(5, "steel"), options);
  EXPECT_THAT(Members(result), ElementsAre(ElementsAre(0, 1, 2, 3)));
  EXPECT_EQ(result.pools[0].parts, 1);
  EXPECT_THAT(result.left_out, ElementsAre(PoolLeftOut{4, "steel", LeftOutReason::kMaxSize}));
  EXPECT_EQ(LeftOutReasonName(LeftOutReason::kMaxSize), "max_size");
}

TEST(PurchasingPoolsTest, MinSizeDropsSmallMaterials) {
  PoolOptions options;
  options.min_size = 3;
  const PoolResult result = Form(Firms({{"a", "b"}, {"a", "b"}, {"a"}}), options);
  ASSERT_EQ(result.pools.size(), 1u);
  EXPECT_EQ(result.pools[0].material, "a");
  EXPECT_THAT(result.left_out, IsEmpty());
}

std::string ErrorOf(const std::vector<PoolFirm>& firms, const PoolOptions& options) {
  absl::StatusOr<PoolResult> result = FormPurchasingPools(firms, options);
  if (result.ok()) return "ok";
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  return Message(result.status());
}

TEST(PurchasingPoolsTest, InvalidArgumentNamesTheField) {
  const std::vector<PoolFirm> firms = SameBuyers(3, "steel");
  PoolOptions options;
  options.min_size = 1;
  EXPECT_THAT(ErrorOf(firms, options), HasSubstr("min_size"));
  options = {};
  options.min_size = 3;
  options.max_size = 2;
  EXPECT_THAT(ErrorOf(firms, options), HasSubstr("max_size"));
  options.max_size = -1;
  EXPECT_THAT(ErrorOf(firms, options), HasSubstr("max_size"));
  options.max_size = 3;
  EXPECT_EQ(ErrorOf(firms, options), "ok");
  options = {};
  options.never_together = {{0, 1}, {2, 3}};
  EXPECT_THAT(ErrorOf(firms, options), HasSubstr("never_together[1]"));
  options.never_together = {{-1, 0}};
  EXPECT_THAT(ErrorOf(firms, options), HasSubstr("never_together[0]"));
  options.never_together = {{2, 2}};
  EXPECT_THAT(ErrorOf(firms, options), HasSubstr("never_together[0]"));
  options = {};
  options.merge_threshold = 1.5f;
  EXPECT_THAT(ErrorOf(firms, options), HasSubstr("merge_threshold"));

  std::vector<PoolFirm> bad = firms;
  bad[1].id.clear();
  EXPECT_THAT(ErrorOf(bad, {}), HasSubstr("firms[1].id"));
  bad[1].id = bad[0].id;
  EXPECT_THAT(ErrorOf(bad, {}), HasSubstr("firms[1].id"));
  bad = firms;
  bad[2].materials = {"steel", "\xff\xfe"};
  EXPECT_THAT(ErrorOf(bad, {}), HasSubstr("firms[2].materials[1]"));
}

TEST(PurchasingPoolsTest, NoFirmsNoPools) {
  const PoolResult result = Form({}, {});
  EXPECT_THAT(result.pools, IsEmpty());
  EXPECT_THAT(result.left_out, IsEmpty());
}

}  // namespace
}  // namespace clustermatch
