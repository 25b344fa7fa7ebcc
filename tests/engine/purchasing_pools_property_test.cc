// Joint-purchasing pools on randomised instances, each result checked
// against the rules every result must obey (members, sizes, never-together
// pairs, balanced splits), and the seeds checked to reach every case.
#include <algorithm>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/purchasing_pools.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/purchasing_pools_test_support.h"

namespace clustermatch {
namespace {

using pool_test::Form;
using pool_test::Message;
using pool_test::Normal;
using ::testing::IsEmpty;

// Spellings of one material as firms write them.
struct Vocabulary {
  std::vector<std::vector<std::string>> variants;  // per base material
};

Vocabulary MakeVocabulary() {
  const std::vector<std::pair<std::string, std::string>> bases = {
      {"copper foil", "동박"},   {"steel sheet", "강판"},     {"abs resin", "ABS 수지"},
      {"aluminium", "알루미늄"}, {"glass fiber", "유리섬유"}, {"solder", "솔더"},
      {"pcb laminate", "적층판"}};
  Vocabulary vocabulary;
  for (const auto& [english, korean] : bases) {
    std::string upper = english;
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    std::string full_width;  // ASCII letters as full-width forms, space as U+3000
    for (char c : english) {
      if (c == ' ') {
        full_width += "\u3000";
      } else {
        const char32_t wide = U'\uFF00' + static_cast<char32_t>(c - 0x20);
        full_width += static_cast<char>(0xE0 | (wide >> 12));
        full_width += static_cast<char>(0x80 | ((wide >> 6) & 0x3F));
        full_width += static_cast<char>(0x80 | (wide & 0x3F));
      }
    }
    vocabulary.variants.push_back(
        {english, upper, full_width, "  " + english + " ", korean, korean + " (" + english + ")"});
  }
  return vocabulary;
}

struct Instance {
  std::vector<PoolFirm> firms;
  PoolOptions options;
  // Normalised spelling -> base material, for the similarity callback.
  std::map<std::string, int> base_of;
};

Instance RandomInstance(unsigned seed, bool use_similarity) {
  std::mt19937 random(seed);
  const auto uniform = [&random](int low, int high) {
    return std::uniform_int_distribution<int>(low, high)(random);
  };
  const Vocabulary vocabulary = MakeVocabulary();
  Instance instance;
  for (size_t base = 0; base < vocabulary.variants.size(); ++base) {
    for (const std::string& variant : vocabulary.variants[base]) {
      instance.base_of[Normal(variant)] = static_cast<int>(base);
    }
  }
  const int firm_count = uniform(5, 60);
  const int base_count = uniform(1, static_cast<int>(vocabulary.variants.size()));
  for (int i = 0; i < firm_count; ++i) {
    PoolFirm firm{"firm-" + std::to_string(i), {}};
    const int material_count = uniform(0, 4);
    for (int k = 0; k < material_count; ++k) {
      const int roll = uniform(0, 19);
      if (roll == 0) {
        firm.materials.push_back(" ");
      } else if (roll == 1) {
        firm.materials.push_back("rare material " + std::to_string(uniform(0, 30)));
      } else {
        const auto& variants = vocabulary.variants[uniform(0, base_count - 1)];
        firm.materials.push_back(variants[uniform(0, static_cast<int>(variants.size()) - 1)]);
      }
    }
    instance.firms.push_back(std::move(firm));
  }
  PoolOptions& options = instance.options;
  options.min_size = uniform(2, 4);
  options.max_size = uniform(0, 1) == 0 ? 0 : options.min_size + uniform(0, 5);
  const int pair_count = uniform(0, firm_count);
  for (int k = 0; k < pair_count; ++k) {
    const int a = uniform(0, firm_count - 1);
    const int b = uniform(0, firm_count - 1);
    if (a != b) options.never_together.emplace_back(a, b);
  }
  if (use_similarity) {
    const std::map<std::string, int> base_of = instance.base_of;
    options.similarity = [base_of](std::string_view a, std::string_view b) {
      const auto ia = base_of.find(std::string(a));
      const auto ib = base_of.find(std::string(b));
      if (ia == base_of.end() || ib == base_of.end()) return 0.1f;
      return ia->second == ib->second ? 0.9f : 0.3f;
    };
  }
  return instance;
}

// The material key of a normalised spelling, as the test sees materials: the
// spelling itself, or its base material when similarity merges them.
std::string KeyOf(const Instance& instance, const std::string& spelling) {
  if (!instance.options.similarity) return spelling;
  const auto it = instance.base_of.find(spelling);
  return it == instance.base_of.end() ? spelling : "base " + std::to_string(it->second);
}

// Checks every rule a result must obey; `context` names the instance.
void CheckRules(const Instance& instance, const PoolResult& result, const std::string& context) {
  SCOPED_TRACE(context);
  const PoolOptions& options = instance.options;
  const int n = static_cast<int>(instance.firms.size());

  // Keys each firm buys, and the buyers of each key.
  std::vector<std::set<std::string>> keys_of(n);
  std::map<std::string, std::set<int>> buyers;
  std::vector<std::set<std::string>> spellings_of(n);
  for (int i = 0; i < n; ++i) {
    for (const std::string& raw : instance.firms[i].materials) {
      const std::string spelling = Normal(raw);
      if (spelling.empty()) continue;
      spellings_of[i].insert(spelling);
      keys_of[i].insert(KeyOf(instance, spelling));
      buyers[KeyOf(instance, spelling)].insert(i);
    }
  }
  std::set<std::pair<int, int>> never;
  for (const auto& [a, b] : options.never_together) never.insert({std::min(a, b), std::max(a, b)});

  std::map<std::string, std::set<int>> pooled;    // key -> firms in a pool for it
  std::map<std::string, std::set<int>> part_ids;  // key -> part numbers seen
  std::map<std::string, std::string> key_of_material;
  for (size_t p = 0; p < result.pools.size(); ++p) {
    const PurchasingPool& pool = result.pools[p];
    const int size = static_cast<int>(pool.members.size());
    EXPECT_GE(size, options.min_size);
    if (options.max_size > 0) {
      EXPECT_LE(size, options.max_size);
    }
    if (p > 0) {
      const PurchasingPool& before = result.pools[p - 1];
      EXPECT_TRUE(before.members.size() > pool.members.size() ||
                  (before.members.size() == pool.members.size() &&
                   std::tie(before.material, before.part) < std::tie(pool.material, pool.part)));
    }
    ASSERT_FALSE(pool.spellings.empty());
    EXPECT_TRUE(std::is_sorted(pool.spellings.begin(), pool.spellings.end()));
    EXPECT_TRUE(std::binary_search(pool.spellings.begin(), pool.spellings.end(), pool.material));
    const std::string key = KeyOf(instance, pool.material);
    for (const std::string& spelling : pool.spellings) EXPECT_EQ(KeyOf(instance, spelling), key);
    key_of_material[pool.material] = key;
    EXPECT_TRUE(std::adjacent_find(pool.members.begin(), pool.members.end(),
                                   [](int a, int b) { return a >= b; }) == pool.members.end())
        << "members ascending without repeats";
    for (int member : pool.members) {
      ASSERT_GE(member, 0);
      ASSERT_LT(member, n);
      bool buys = false;
      for (const std::string& spelling : pool.spellings) {
        buys = buys || spellings_of[member].count(spelling) > 0;
      }
      EXPECT_TRUE(buys) << "firm " << member << " does not buy " << pool.material;
      EXPECT_TRUE(pooled[key].insert(member).second) << "firm " << member << " pooled twice";
    }
    for (size_t x = 0; x < pool.members.size(); ++x) {
      for (size_t y = x + 1; y < pool.members.size(); ++y) {
        EXPECT_EQ(never.count({pool.members[x], pool.members[y]}), 0u)
            << "never_together pair " << pool.members[x] << "," << pool.members[y];
      }
    }
    EXPECT_GE(pool.part, 1);
    EXPECT_LE(pool.part, pool.parts);
    EXPECT_TRUE(part_ids[key].insert(pool.part).second);
  }
  for (const auto& [key, parts] : part_ids) {
    EXPECT_EQ(*parts.rbegin(), static_cast<int>(parts.size())) << key;
  }
  for (const PurchasingPool& pool : result.pools) {
    EXPECT_EQ(pool.parts, static_cast<int>(part_ids[KeyOf(instance, pool.material)].size()));
  }

  std::map<std::string, std::set<int>> left_out;
  for (size_t e = 0; e < result.left_out.size(); ++e) {
    const PoolLeftOut& entry = result.left_out[e];
    const std::string key = KeyOf(instance, entry.material);
    ASSERT_GE(entry.firm, 0);
    ASSERT_LT(entry.firm, n);
    EXPECT_EQ(keys_of[entry.firm].count(key), 1u) << "left out of a material it does not buy";
    EXPECT_EQ(pooled[key].count(entry.firm), 0u) << "left out yet pooled";
    EXPECT_TRUE(left_out[key].insert(entry.firm).second);
    if (key_of_material.count(entry.material) == 0) key_of_material[entry.material] = key;
    if (e > 0) {
      const PoolLeftOut& before = result.left_out[e - 1];
      EXPECT_TRUE(std::tie(before.material, before.firm) < std::tie(entry.material, entry.firm));
    }
    if (entry.reason == LeftOutReason::kMaxSize) {
      EXPECT_GT(options.max_size, 0);
    }
    if (entry.reason == LeftOutReason::kNeverTogether) {
      EXPECT_FALSE(never.empty());
    }
  }

  // Coverage: every buyer of a shared material is pooled or reported.
  for (const auto& [key, firms] : buyers) {
    if (static_cast<int>(firms.size()) < options.min_size) {
      EXPECT_EQ(pooled.count(key) + left_out.count(key), 0u) << key << " has too few buyers";
      continue;
    }
    for (int firm : firms) {
      EXPECT_TRUE(pooled[key].count(firm) + left_out[key].count(firm) == 1)
          << "firm " << firm << " buying " << key << " vanished";
    }
    // Nobody is left out without a pair or a cap forcing it.
    if (never.empty() && options.max_size == 0) {
      EXPECT_EQ(left_out[key].size(), 0u) << key;
    }
  }
  // One material key per material text: merged spellings never split apart.
  std::map<std::string, std::string> material_of_key;
  for (const auto& [material, key] : key_of_material) {
    const auto [it, inserted] = material_of_key.emplace(key, material);
    EXPECT_TRUE(inserted) << key << " pooled under " << it->second << " and " << material;
  }
}

// Without pairs, the cap alone decides: ceil(n / max_size) parts of even
// sizes (differing by at most one) whenever that keeps parts >= min_size.
void CheckCapOnlySplit(const Instance& instance, const PoolResult& result) {
  if (!instance.options.never_together.empty() || instance.options.max_size == 0) return;
  std::map<std::string, std::vector<int>> sizes;
  for (const PurchasingPool& pool : result.pools) {
    sizes[pool.material].push_back(static_cast<int>(pool.members.size()));
  }
  for (const auto& [material, list] : sizes) {
    int total = 0;
    for (int size : list) total += size;
    const int max_size = instance.options.max_size;
    const int parts = (total + max_size - 1) / max_size;
    EXPECT_EQ(static_cast<int>(list.size()), parts) << material;
    EXPECT_LE(
        *std::max_element(list.begin(), list.end()) - *std::min_element(list.begin(), list.end()),
        1)
        << material;
  }
}

// How a material's buyers were split: parts are as few as greedy colouring
// gives (at most max degree + 1, plus what the cap forces), as even as the
// pairs allow (no firm could move from a part to one two or more smaller),
// and a left-out firm really fits no part, for the reason given.
void CheckSplitQuality(const Instance& instance, const PoolResult& result) {
  const PoolOptions& options = instance.options;
  std::set<std::pair<int, int>> never;
  for (const auto& [a, b] : options.never_together) never.insert({std::min(a, b), std::max(a, b)});
  const auto conflict = [&never](int a, int b) {
    return never.count({std::min(a, b), std::max(a, b)}) > 0;
  };
  const auto conflicts_with_part = [&conflict](int firm, const std::vector<int>& part) {
    return std::any_of(part.begin(), part.end(), [&](int other) { return conflict(firm, other); });
  };
  std::map<std::string, std::vector<std::vector<int>>> parts_of;
  for (const PurchasingPool& pool : result.pools) parts_of[pool.material].push_back(pool.members);

  for (const auto& [material, parts] : parts_of) {
    std::vector<int> everyone;
    for (const std::vector<int>& part : parts)
      everyone.insert(everyone.end(), part.begin(), part.end());
    for (const PoolLeftOut& entry : result.left_out) {
      if (entry.material == material) everyone.push_back(entry.firm);
    }
    int max_degree = 0;
    for (int a : everyone) {
      int degree = 0;
      for (int b : everyone) degree += a != b && conflict(a, b) ? 1 : 0;
      max_degree = std::max(max_degree, degree);
    }
    const int n = static_cast<int>(everyone.size());
    const int cap_parts = options.max_size > 0 ? n / options.max_size : 0;
    EXPECT_LE(static_cast<int>(parts.size()), max_degree + 1 + cap_parts) << material;

    for (const std::vector<int>& large : parts) {
      for (const std::vector<int>& small : parts) {
        if (large.size() < small.size() + 2) continue;
        for (int firm : large) {
          EXPECT_TRUE(conflicts_with_part(firm, small))
              << material << ": firm " << firm << " could move to a part two smaller";
        }
      }
    }
  }
  for (const PoolLeftOut& entry : result.left_out) {
    bool could_join_some = false;
    for (const std::vector<int>& part : parts_of[entry.material]) {
      if (conflicts_with_part(entry.firm, part)) continue;
      could_join_some = true;
      EXPECT_EQ(static_cast<int>(part.size()), options.max_size)
          << "firm " << entry.firm << " left out of " << entry.material
          << " though a part has room";
    }
    EXPECT_EQ(entry.reason,
              could_join_some ? LeftOutReason::kMaxSize : LeftOutReason::kNeverTogether);
  }
}

class PurchasingPoolsRandomTest : public ::testing::TestWithParam<unsigned> {};

TEST_P(PurchasingPoolsRandomTest, ObeysRules) {
  for (const bool use_similarity : {false, true}) {
    const Instance instance = RandomInstance(GetParam(), use_similarity);
    const std::string context = "seed " + std::to_string(GetParam()) +
                                (use_similarity ? " with similarity" : " exact") + ", min " +
                                std::to_string(instance.options.min_size) + ", max " +
                                std::to_string(instance.options.max_size) + ", pairs " +
                                std::to_string(instance.options.never_together.size());
    absl::StatusOr<PoolResult> result = FormPurchasingPools(instance.firms, instance.options);
    ASSERT_TRUE(result.ok()) << Message(result.status());
    CheckRules(instance, *result, context);
    CheckCapOnlySplit(instance, *result);
    CheckSplitQuality(instance, *result);

    // Deterministic: the same input again, and a copy of it, give the same.
    const Instance again = RandomInstance(GetParam(), use_similarity);
    absl::StatusOr<PoolResult> second = FormPurchasingPools(again.firms, again.options);
    ASSERT_TRUE(second.ok());
    EXPECT_EQ(*result, *second) << context;
  }
}

TEST_P(PurchasingPoolsRandomTest, WithoutPairsOrCapEveryBuyerIsPooled) {
  Instance instance = RandomInstance(GetParam(), /*use_similarity=*/true);
  instance.options.never_together.clear();
  instance.options.max_size = 0;
  const PoolResult result = Form(instance.firms, instance.options);
  CheckRules(instance, result, "seed " + std::to_string(GetParam()));
  EXPECT_THAT(result.left_out, IsEmpty());
  for (const PurchasingPool& pool : result.pools) EXPECT_EQ(pool.parts, 1);
}

// A cluster-sized instance: 1,500 buyers of one material, parts of at most
// 6, 400 do-not-match pairs.
TEST(PurchasingPoolsLargeTest, SplitsManyBuyersEvenly) {
  Instance instance;
  for (int i = 0; i < 1500; ++i) {
    instance.firms.push_back(
        {absl::StrCat("firm-", i), {i % 2 == 0 ? "Steel Sheet" : "steel sheet"}});
  }
  instance.options.max_size = 6;
  instance.options.min_size = 3;
  std::mt19937 random(7);
  std::uniform_int_distribution<int> firm(0, 1499);
  while (instance.options.never_together.size() < 400) {
    const int a = firm(random), b = firm(random);
    if (a != b) instance.options.never_together.emplace_back(a, b);
  }
  const PoolResult result = Form(instance.firms, instance.options);
  CheckRules(instance, result, "large");
  CheckSplitQuality(instance, result);
  EXPECT_EQ(result.pools.size(), 250u);
  EXPECT_THAT(result.left_out, IsEmpty());
}

// The seeds above must reach every branch the rules speak about, or the
// randomised checks would pass vacuously.
TEST(PurchasingPoolsRandomCoverageTest, SeedsReachEveryCase) {
  int split_by_pairs = 0, split_by_cap = 0, left_never = 0, left_cap = 0, merged = 0;
  for (unsigned seed = 1; seed < 41; ++seed) {
    for (const bool use_similarity : {false, true}) {
      const Instance instance = RandomInstance(seed, use_similarity);
      const PoolResult result = Form(instance.firms, instance.options);
      for (const PurchasingPool& pool : result.pools) {
        if (pool.parts > 1 && instance.options.max_size == 0) ++split_by_pairs;
        if (pool.parts > 1 && instance.options.max_size > 0) ++split_by_cap;
        if (pool.spellings.size() > 1) ++merged;
      }
      for (const PoolLeftOut& entry : result.left_out) {
        ++(entry.reason == LeftOutReason::kNeverTogether ? left_never : left_cap);
      }
    }
  }
  EXPECT_GT(split_by_pairs, 0);
  EXPECT_GT(split_by_cap, 0);
  EXPECT_GT(left_never, 0);
  EXPECT_GT(left_cap, 0);
  EXPECT_GT(merged, 0);
  std::cout << "pools split by pairs " << split_by_pairs << ", by cap " << split_by_cap
            << "; left out by pairs " << left_never << ", by cap " << left_cap << "; merged pools "
            << merged << "\n";
}

INSTANTIATE_TEST_SUITE_P(Seeds, PurchasingPoolsRandomTest, ::testing::Range(1u, 41u));

}  // namespace
}  // namespace clustermatch
