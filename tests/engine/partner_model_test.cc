// The learned partner ranking inside the engine, on a real SQLite store:
// weights learned from the store's own relations, graph candidates under the
// caller's visibility, the content fallback of a store with few relations,
// and updates as relations are recorded.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <random>
#include <set>

#include "absl/strings/str_cat.h"
#include "engine/engine.h"
#include "engine/partner_blend_json.h"
#include "engine/sample_cluster.h"
#include "tests/engine/store_test_support.h"

namespace clustermatch {
namespace {

using store_test::ScratchDir;

constexpr int kCommunities = 6;
constexpr int kPerCommunity = 20;
const char* const kTopics[kCommunities] = {"battery cells",      "service robots",
                                           "technical textiles", "power semiconductors",
                                           "food processing",    "medical imaging"};

std::string Id(int community, int member) { return absl::StrCat("c", community, "-", member); }

// Firms in communities; every firm offers and needs something of its own
// community, so content alone already prefers the community.
std::vector<Firm> CommunityFirms() {
  std::vector<Firm> firms;
  for (int c = 0; c < kCommunities; ++c) {
    for (int m = 0; m < kPerCommunity; ++m) {
      Firm firm;
      firm.id = Id(c, m);
      firm.name = absl::StrCat(kTopics[c], " firm ", m);
      firm.kind = m % 4 == 0 ? FirmKind::kUniversity : FirmKind::kCompany;
      firm.clusters = {"test"};
      firm.technologies = {kTopics[c]};
      firm.offers = {absl::StrCat(kTopics[c], " engineering")};
      firm.needs = {absl::StrCat(kTopics[c], " testing")};
      firm.region = m % 2 == 0 ? "KR" : "DE";
      firms.push_back(firm);
    }
  }
  return firms;
}

// Yearly projects of 3 to 4 firms inside one community, 2014 to `last_year`.
std::vector<Relation> CommunityProjects(int first_year, int last_year) {
  std::mt19937 random(11);
  std::vector<Relation> relations;
  for (int year = 2014; year <= last_year; ++year) {
    for (int c = 0; c < kCommunities; ++c) {
      for (int project = 0; project < 5; ++project) {
        std::vector<int> members(kPerCommunity);
        for (int m = 0; m < kPerCommunity; ++m) members[m] = m;
        std::shuffle(members.begin(), members.end(), random);
        // Firms 0-5 of a community are busy: they join every project.
        const int size = 3 + project % 2;
        std::vector<int> team = {project % 6};
        for (int m : members) {
          if (static_cast<int>(team.size()) == size) break;
          if (m != team[0]) team.push_back(m);
        }
        if (year < first_year) continue;  // keeps the draws of later years
        for (size_t i = 0; i < team.size(); ++i) {
          for (size_t j = i + 1; j < team.size(); ++j) {
            relations.push_back(Relation{Id(c, team[i]), Id(c, team[j]), RelationKind::kPartnered,
                                         absl::StrCat(year), absl::StrCat("p", year)});
          }
        }
      }
    }
  }
  return relations;
}

class PartnerModelTest : public ::testing::Test {
 protected:
  std::unique_ptr<Engine> Open() {
    EngineOptions options;
    options.db_path = dir_.File("store.db");
    auto engine = Engine::Open(options);
    EXPECT_TRUE(engine.ok()) << engine.status();
    return engine.ok() ? *std::move(engine) : nullptr;
  }

  std::vector<Recommendation> Recommend(const Engine& engine, const std::string& id, int k,
                                        PartnerRanking ranking = PartnerRanking::kLearned,
                                        SearchFilter filter = {}) {
    RecommendRequest request;
    request.firm_id = id;
    request.k = k;
    request.ranking = ranking;
    request.filter = std::move(filter);
    auto results = engine.Recommend(request);
    EXPECT_TRUE(results.ok()) << results.status();
    return results.ok() ? *results : std::vector<Recommendation>{};
  }

  ScratchDir dir_;
};

TEST_F(PartnerModelTest, LearnsWeightsFromTheStoresOwnPastAndRanksByThem) {
  auto engine = Open();
  ASSERT_NE(engine, nullptr);
  ASSERT_TRUE(engine->ImportFirms(CommunityFirms()).ok());
  const std::vector<Relation> relations = CommunityProjects(2014, 2018);
  ASSERT_TRUE(engine->AddRelations(relations).ok());

  const EngineStats stats = engine->Stats();
  ASSERT_TRUE(stats.partner_weights.has_value());
  const BlendWeights& weights = *stats.partner_weights;
  EXPECT_EQ(weights.validation_year, 2018);  // learned on the last year, from the years before
  EXPECT_GT(weights.positives, 0);
  EXPECT_GT(weights.examples, weights.positives);
  std::set<std::pair<std::string, std::string>> partnered;
  std::set<std::string> with_partners;
  for (const Relation& relation : relations) {
    partnered.insert({relation.a, relation.b});
    partnered.insert({relation.b, relation.a});
    with_partners.insert(relation.a);
    with_partners.insert(relation.b);
  }
  EXPECT_EQ(stats.partner_graph_firms, with_partners.size());
  int in_community = 0, total = 0;
  for (int c = 0; c < kCommunities; ++c) {
    const std::string query = Id(c, 10);
    const auto results = Recommend(*engine, query, 10);
    ASSERT_FALSE(results.empty()) << query;
    for (const Recommendation& rec : results) {
      EXPECT_NE(rec.firm_id, query);
      EXPECT_FALSE(partnered.contains({query, rec.firm_id})) << query << " " << rec.firm_id;
      EXPECT_GT(rec.explanation.components.learned, 0.0f);
      EXPECT_LT(rec.explanation.components.learned, 1.0f);
      in_community += rec.firm_id.starts_with(absl::StrCat("c", c, "-"));
      ++total;
    }
    // Ranked by the blend, best first.
    for (size_t i = 1; i < results.size(); ++i) EXPECT_GE(results[i - 1].score, results[i].score);
  }
  EXPECT_GE(in_community, total * 9 / 10);
}

TEST_F(PartnerModelTest, GraphCandidatesKeepTheCallersVisibility) {
  std::vector<Firm> firms = CommunityFirms();
  // The busiest firms of community 0: two steps from everyone there.
  firms[0].visibility = Visibility::kHidden;
  firms[1].visibility = Visibility::kMembers;
  auto engine = Open();
  ASSERT_NE(engine, nullptr);
  ASSERT_TRUE(engine->ImportFirms(firms).ok());
  ASSERT_TRUE(engine->AddRelations(CommunityProjects(2014, 2018)).ok());
  ASSERT_TRUE(engine->Stats().partner_weights.has_value());
  SearchFilter public_only;
  public_only.members_visible_all = false;
  for (int m = 2; m < kPerCommunity; ++m) {
    for (const Recommendation& rec : Recommend(*engine, Id(0, m), 50)) {
      EXPECT_NE(rec.firm_id, Id(0, 0)) << "hidden firm proposed to " << Id(0, m);
    }
    for (const Recommendation& rec :
         Recommend(*engine, Id(0, m), 50, PartnerRanking::kLearned, public_only)) {
      EXPECT_NE(rec.firm_id, Id(0, 0));
      EXPECT_NE(rec.firm_id, Id(0, 1)) << "members-only firm shown to a public caller";
    }
  }
}

TEST_F(PartnerModelTest, AStoreWithFewRelationsRanksByContent) {
  auto engine = Open();
  ASSERT_NE(engine, nullptr);
  SampleOptions options;
  const std::vector<Firm> firms = GenerateSampleCluster(options);
  ASSERT_TRUE(engine->ImportFirms(firms).ok());
  std::vector<Relation> relations;
  for (int i = 0; i + 1 < 12; i += 2) {
    relations.push_back(
        Relation{firms[i].id, firms[i + 1].id, RelationKind::kPartnered, "2024", "project"});
  }
  ASSERT_TRUE(engine->AddRelations(relations).ok());
  EXPECT_FALSE(engine->Stats().partner_weights.has_value());
  for (int i = 20; i < 30; ++i) {
    const auto learned = Recommend(*engine, firms[i].id, 10);
    const auto content = Recommend(*engine, firms[i].id, 10, PartnerRanking::kContentOnly);
    ASSERT_EQ(learned.size(), content.size());
    for (size_t r = 0; r < learned.size(); ++r) {
      EXPECT_EQ(learned[r].firm_id, content[r].firm_id);
      EXPECT_EQ(learned[r].score, content[r].score);
    }
  }
}

TEST_F(PartnerModelTest, RecordedRelationsUpdateTheGraphAndTheWeights) {
  auto engine = Open();
  ASSERT_NE(engine, nullptr);
  ASSERT_TRUE(engine->ImportFirms(CommunityFirms()).ok());
  // One year only: nothing earlier to learn from.
  ASSERT_TRUE(engine->AddRelations(CommunityProjects(2014, 2014)).ok());
  EXPECT_FALSE(engine->Stats().partner_weights.has_value());
  ASSERT_TRUE(engine->AddRelations(CommunityProjects(2015, 2016)).ok());
  const EngineStats stats = engine->Stats();
  ASSERT_TRUE(stats.partner_weights.has_value());
  EXPECT_EQ(stats.partner_weights->validation_year, 2016);

  // A new partnership across communities: the new partner's partners become
  // two steps away, and the partner itself is no longer proposed.
  const std::string query = Id(3, 15);
  ASSERT_TRUE(engine
                  ->AddRelations(std::vector<Relation>{
                      Relation{query, Id(5, 0), RelationKind::kPartnered, "2016", "bridge"}})
                  .ok());
  bool reached_other_community = false;
  for (const Recommendation& rec : Recommend(*engine, query, 50)) {
    EXPECT_NE(rec.firm_id, Id(5, 0));
    if (rec.firm_id.starts_with("c5-") && rec.explanation.components.common_partners >= 1) {
      reached_other_community = true;
    }
  }
  EXPECT_TRUE(reached_other_community);
}

TEST_F(PartnerModelTest, TheLearnedBlendIsKeptWithTheStoreAndReadOnOpen) {
  std::optional<BlendWeights> learned;
  {
    auto engine = Open();
    ASSERT_NE(engine, nullptr);
    ASSERT_TRUE(engine->ImportFirms(CommunityFirms()).ok());
    ASSERT_TRUE(engine->AddRelations(CommunityProjects(2014, 2018)).ok());
    learned = engine->Stats().partner_weights;
    ASSERT_TRUE(learned.has_value());
  }
  // Mark the stored blend so that a relearned one would differ.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir_.File("store.db").c_str(), &db), SQLITE_OK);
  std::optional<StoredBlend> stored;
  {
    sqlite3_stmt* select = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'partner_blend'", -1,
                                 &select, nullptr),
              SQLITE_OK);
    ASSERT_EQ(sqlite3_step(select), SQLITE_ROW);
    auto parsed =
        StoredBlendFromJson(reinterpret_cast<const char*>(sqlite3_column_text(select, 0)));
    sqlite3_finalize(select);
    ASSERT_TRUE(parsed.ok() && parsed->has_value());
    stored = **parsed;
  }
  ASSERT_TRUE(stored->weights.has_value());
  EXPECT_EQ(stored->weights->bias, learned->bias);
  stored->weights->bias = 42;
  const std::string marked = StoredBlendToJson(*stored);
  sqlite3_stmt* update = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "UPDATE meta SET value = ?1 WHERE key = 'partner_blend'", -1,
                               &update, nullptr),
            SQLITE_OK);
  sqlite3_bind_text(update, 1, marked.c_str(), -1, SQLITE_TRANSIENT);
  ASSERT_EQ(sqlite3_step(update), SQLITE_DONE);
  sqlite3_finalize(update);
  sqlite3_close(db);

  auto reopened = Open();
  ASSERT_NE(reopened, nullptr);
  const auto weights = reopened->Stats().partner_weights;
  ASSERT_TRUE(weights.has_value());
  EXPECT_EQ(weights->bias, 42.0f);  // read, not learned again
  EXPECT_EQ(weights->weights, learned->weights);
}

TEST(StoredBlendTest, RoundTripsAndNamesWhatIsBroken) {
  StoredBlend blend;
  blend.learned_at = 1234;
  BlendWeights weights;
  for (int j = 0; j < kBlendSignalCount; ++j) {
    weights.mean[j] = 0.5f * j;
    weights.scale[j] = 1 + j;
    weights.weights[j] = -0.25f * j;
  }
  weights.bias = -3;
  weights.validation_year = 2017;
  blend.weights = weights;
  auto parsed = StoredBlendFromJson(StoredBlendToJson(blend));
  ASSERT_TRUE(parsed.ok() && parsed->has_value()) << parsed.status();
  EXPECT_EQ((*parsed)->learned_at, 1234u);
  EXPECT_EQ((*parsed)->weights->weights, weights.weights);
  EXPECT_EQ((*parsed)->weights->validation_year, 2017);

  auto none = StoredBlendFromJson(R"({"learned_at": 3, "weights": null})");
  ASSERT_TRUE(none.ok() && none->has_value());
  EXPECT_FALSE((*none)->weights.has_value());
  // A blend of other signals (another build) is absent, not an error.
  auto other = StoredBlendFromJson(
      R"({"learned_at": 3, "weights": {"mean": {"x": 1}, "scale": {}, "weight": {}}})");
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->has_value());
  auto broken = StoredBlendFromJson(R"({"weights": null})");
  EXPECT_EQ(broken.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(std::string(broken.status().message()).find("learned_at"), std::string::npos);
  EXPECT_FALSE(StoredBlendFromJson("[").ok());
}

}  // namespace
}  // namespace clustermatch
