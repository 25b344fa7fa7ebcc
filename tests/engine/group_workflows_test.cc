// The group workflows (SIGs, founders, consortia, purchasing pools) on a real
// engine and store holding the 420-firm sample cluster: randomised requests
// checked against every rule the workflows promise, the visibility rules
// (hidden firms never, members-only firms only when the filter allows), and
// relations (do-not-match never together; competitors never in one
// consortium but allowed in SIGs and pools).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "engine/consortium_workflow.h"
#include "engine/engine.h"
#include "engine/founder_workflow.h"
#include "engine/purchasing_workflow.h"
#include "engine/sample_cluster.h"
#include "engine/sig_workflow.h"
#include "engine/topic_phrases.h"
#include "models/text_normalizer.h"
#include "tests/engine/store_test_support.h"

namespace clustermatch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kHiddenId[] = "GV-0054";   // a motion-capture studio, made hidden
constexpr char kMembersId[] = "GV-0286";  // a precision-machining firm, made members-only

class GroupWorkflowsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new store_test::ScratchDir();
    ASSERT_TRUE(dir_->ok());
    EngineOptions options;
    options.db_path = dir_->File("groups.db");
    auto engine = Engine::Open(options);
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = engine->release();
    std::vector<Firm> firms = GenerateSampleCluster(SampleOptions{});
    for (Firm& firm : firms) {
      if (firm.id == kHiddenId) firm.visibility = Visibility::kHidden;
      if (firm.id == kMembersId) firm.visibility = Visibility::kMembers;
    }
    ASSERT_TRUE(engine_->ImportFirms(firms).ok());
    for (const Firm& firm : firms) firms_->emplace(firm.id, firm);
  }
  static void TearDownTestSuite() {
    delete engine_;
    delete dir_;
    firms_->clear();
  }

  // What a public caller may see.
  static SearchFilter PublicFilter() {
    SearchFilter filter;
    filter.members_visible_all = false;
    return filter;
  }

  static const Firm& FirmOf(const std::string& id) { return firms_->at(id); }

  static void Relate(const std::string& a, const std::string& b, RelationKind kind) {
    ASSERT_TRUE(engine_->AddRelations(std::vector<Relation>{{a, b, kind, "2026-01-01", ""}}).ok());
  }

  static bool Related(const std::string& a, const std::string& b, RelationKind kind) {
    for (const Relation& r : engine_->ListRelations(a)) {
      if (r.kind == kind && ((r.a == a && r.b == b) || (r.a == b && r.b == a))) return true;
    }
    return false;
  }

  static inline store_test::ScratchDir* dir_ = nullptr;
  static inline Engine* engine_ = nullptr;
  static inline absl::flat_hash_map<std::string, Firm>* firms_ =
      new absl::flat_hash_map<std::string, Firm>();
};

TEST(TopicPhrasesTest, SplitsListsInEitherLanguage) {
  EXPECT_THAT(SplitTopicPhrases("big data, immersive VR and smart mobility"),
              ElementsAre("big data", "immersive VR", "smart mobility"));
  EXPECT_THAT(SplitTopicPhrases("빅데이터 및 실감형 VR·스마트 모빌리티"),
              ElementsAre("빅데이터", "실감형 VR", "스마트 모빌리티"));
  EXPECT_THAT(SplitTopicPhrases("Call: PLC control; Big Data\n- big data\n"),
              ElementsAre("Call", "PLC control", "Big Data"));
  EXPECT_TRUE(SplitTopicPhrases(" , ;\n").empty());
}

TEST_F(GroupWorkflowsTest, SigsPlaceEveryFirmOnceWithinTheRulesOnRandomRequests) {
  std::mt19937 random(11);
  const std::vector<std::string> minis = {"ICT", "IMT", "DC", "Green IT"};
  for (int round = 0; round < 8; ++round) {
    SigRequest request;
    request.filter = PublicFilter();
    if (round % 2 == 1)
      request.filter.mini_clusters_any = {minis[round % 4], minis[(round + 1) % 4]};
    request.min_size = 3 + static_cast<int>(random() % 5);
    request.max_size = request.min_size + static_cast<int>(random() % 8);
    request.convergence = static_cast<int>(random() % 3);
    request.seed = random();
    auto report = SuggestSigs(*engine_, request);
    ASSERT_TRUE(report.ok()) << report.status();
    std::multiset<std::string> seen;
    for (const SigSuggestion& sig : report->sigs) {
      EXPECT_GE(static_cast<int>(sig.members.size()), request.min_size);
      EXPECT_LE(static_cast<int>(sig.members.size()), request.max_size);
      EXPECT_FALSE(sig.label.empty());
      std::set<std::string> spanned;
      for (const SigMember& m : sig.members) {
        seen.insert(m.id);
        const Firm& firm = FirmOf(m.id);
        EXPECT_NE(firm.visibility, Visibility::kHidden);
        EXPECT_NE(firm.visibility, Visibility::kMembers);
        if (!request.filter.mini_clusters_any.empty()) {
          EXPECT_THAT(request.filter.mini_clusters_any, ::testing::Contains(firm.mini_cluster));
        }
        if (!firm.mini_cluster.empty()) spanned.insert(firm.mini_cluster);
      }
      if (request.convergence >= 2) {
        EXPECT_GE(static_cast<int>(spanned.size()), request.convergence);
      }
    }
    for (const UnplacedMember& u : report->unplaced) {
      seen.insert(u.id);
      EXPECT_FALSE(u.reason.empty());
    }
    EXPECT_EQ(seen.size(), report->firms) << "round " << round;
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), seen.size())
        << "a firm was placed twice in round " << round;
    EXPECT_FALSE(seen.contains(kHiddenId));
  }
}

TEST_F(GroupWorkflowsTest, SigsNeverJoinADoNotMatchPairButMayJoinCompetitors) {
  SigRequest request;
  request.filter = PublicFilter();
  request.filter.mini_clusters_any = {"Green IT"};
  request.min_size = 4;
  request.max_size = 8;
  auto before = SuggestSigs(*engine_, request);
  ASSERT_TRUE(before.ok());
  ASSERT_FALSE(before->sigs.empty());
  // The two best-fitting members of the most cohesive SIG.
  const std::string a = before->sigs[0].members[0].id;
  const std::string b = before->sigs[0].members[1].id;
  Relate(a, b, RelationKind::kDoNotMatch);
  auto after = SuggestSigs(*engine_, request);
  ASSERT_TRUE(after.ok());
  for (const SigSuggestion& sig : after->sigs) {
    int together = 0;
    for (const SigMember& m : sig.members) together += (m.id == a || m.id == b);
    EXPECT_LT(together, 2) << a << " and " << b << " are do-not-match";
  }
}

TEST_F(GroupWorkflowsTest, SigsForListedFirmsNameTheOneThatCannotBeSeen) {
  SigRequest request;
  request.filter = PublicFilter();
  request.firm_ids = {"GV-0017", kHiddenId};
  auto report = SuggestSigs(*engine_, request);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(report.status().message(), HasSubstr("firm_ids[1]"));
}

TEST_F(GroupWorkflowsTest, FoundersCoverTheSubAreasWithTheRequiredMix) {
  const std::vector<std::string> topics = {
      "immersive VR content, motion capture and 3D animation",
      "smart factory: machine vision inspection, PLC control, precision machining",
      "energy management platform",
      "cyber security",
  };
  std::mt19937 random(5);
  for (const std::string& topic : topics) {
    FounderRequest request;
    request.topic = topic;
    request.filter = PublicFilter();
    request.size = 4 + static_cast<int>(random() % 5);
    request.min_research = 1 + static_cast<int>(random() % 2);
    request.min_mini_clusters = 2;
    auto report = ProposeFounders(*engine_, request);
    ASSERT_TRUE(report.ok()) << report.status();
    SCOPED_TRACE(topic);
    EXPECT_TRUE(report->unmet.empty()) << report->unmet.front();
    ASSERT_EQ(static_cast<int>(report->founders.size()), request.size);
    int research = 0;
    std::set<std::string> minis;
    std::set<std::string> ids;
    for (const FounderPick& f : report->founders) {
      research += f.kind == FirmKind::kUniversity || f.kind == FirmKind::kResearchInstitute;
      if (!f.mini_cluster.empty()) minis.insert(f.mini_cluster);
      ids.insert(f.id);
      EXPECT_FALSE(f.reasons.empty());
      EXPECT_EQ(FirmOf(f.id).visibility, Visibility::kPublic);
    }
    EXPECT_EQ(ids.size(), report->founders.size());
    EXPECT_GE(research, request.min_research);
    EXPECT_GE(static_cast<int>(minis.size()), request.min_mini_clusters);
    // A topic listing its sub-areas keeps them; a short one is widened.
    EXPECT_GE(report->sub_areas.size(), 3u);
    ASSERT_EQ(report->coverage.size(), report->sub_areas.size());
    for (const SubAreaCover& c : report->coverage) {
      if (!c.firm_id.empty()) {
        EXPECT_TRUE(ids.contains(c.firm_id));
      }
    }
  }
}

TEST_F(GroupWorkflowsTest, FoundersAreNotNearDuplicatesOfOneProfile) {
  FounderRequest request;
  request.topic = "immersive VR content, motion capture and 3D animation";
  request.filter = PublicFilter();
  request.size = 6;
  request.min_research = 0;
  auto report = ProposeFounders(*engine_, request);
  ASSERT_TRUE(report.ok()) << report.status();
  // Every listed sub-area is covered by someone, so the list is not six
  // copies of the single best-matching kind of studio.
  for (const SubAreaCover& c : report->coverage) {
    EXPECT_FALSE(c.firm_id.empty()) << c.sub_area;
    EXPECT_GE(c.coverage, 0.5f) << c.sub_area;
  }
  std::set<std::string> covering;
  for (const SubAreaCover& c : report->coverage) covering.insert(c.firm_id);
  EXPECT_GE(covering.size(), 2u);
  // The hidden motion-capture studio would be the best cover; it never shows.
  for (const FounderPick& f : report->founders) EXPECT_NE(f.id, kHiddenId);
}

TEST_F(GroupWorkflowsTest, ConsortiumCoversWhatIsOfferedAndNamesTheGaps) {
  ConsortiumRequest request;
  request.capabilities = {"machine vision inspection", "PLC control software",
                          "precision machining", "satellite launch services"};
  request.roles = {Role::kProduction, Role::kMarketing};
  request.min_size = 3;
  request.max_size = 5;
  request.filter = PublicFilter();
  auto report = AssembleConsortium(*engine_, request);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_THAT(report->gaps, ElementsAre("satellite launch services"));
  EXPECT_EQ(report->covered, 5);
  ASSERT_EQ(report->requirements.size(), 6u);
  std::set<std::string> team;
  for (const ConsortiumMember& m : report->members) team.insert(m.id);
  EXPECT_GE(team.size(), 3u);
  EXPECT_LE(team.size(), 5u);
  for (const RequirementCover& c : report->requirements) {
    if (!c.covered) continue;
    EXPECT_TRUE(team.contains(c.firm_id)) << c.requirement;
    if (c.role) {
      const Firm& firm = FirmOf(c.firm_id);
      EXPECT_THAT(firm.roles, ::testing::Contains(*ParseRole(c.requirement)));
    }
  }
  // The members-only machining firm is not offered to a public caller.
  EXPECT_FALSE(team.contains(kMembersId));
  EXPECT_THAT(report->method, HasSubstr("1 - 1/e"));
}

TEST_F(GroupWorkflowsTest, ConsortiumKeepsTheLeadAndNeverPairsCompetitors) {
  ConsortiumRequest request;
  request.capabilities = {"machine vision inspection", "PLC control software",
                          "precision machining"};
  request.min_size = 3;
  request.max_size = 4;
  request.filter = PublicFilter();
  auto first = AssembleConsortium(*engine_, request);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_GE(first->members.size(), 2u);
  // Lead with the first member, and mark every other first-round member a
  // competitor of the lead: none may return.
  request.lead_firm = first->members[0].id;
  for (size_t i = 1; i < first->members.size(); ++i) {
    Relate(request.lead_firm, first->members[i].id, RelationKind::kCompetitor);
  }
  auto second = AssembleConsortium(*engine_, request);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_FALSE(second->members.empty());
  EXPECT_EQ(second->members[0].id, request.lead_firm);
  EXPECT_TRUE(second->members[0].lead);
  for (size_t i = 0; i < second->members.size(); ++i) {
    for (size_t j = i + 1; j < second->members.size(); ++j) {
      EXPECT_FALSE(
          Related(second->members[i].id, second->members[j].id, RelationKind::kCompetitor));
      EXPECT_FALSE(
          Related(second->members[i].id, second->members[j].id, RelationKind::kDoNotMatch));
    }
  }
  request.lead_firm = kHiddenId;
  auto hidden = AssembleConsortium(*engine_, request);
  ASSERT_FALSE(hidden.ok());
  EXPECT_EQ(hidden.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(hidden.status().message(), HasSubstr("lead_firm"));
}

TEST_F(GroupWorkflowsTest, ConsortiumRefusesARequestWithoutRequirements) {
  ConsortiumRequest request;
  auto report = AssembleConsortium(*engine_, request);
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.status().message(), HasSubstr("capabilities"));
  request.capabilities = {"PLC control"};
  request.max_size = 1;
  report = AssembleConsortium(*engine_, request);
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.status().message(), HasSubstr("max_size"));
}

TEST_F(GroupWorkflowsTest, PoolMembersBuyTheMaterialAndAreVisible) {
  PoolRequest request;
  request.filter = PublicFilter();
  request.min_size = 3;
  request.max_size = 10;
  auto report = ProposePurchasingPools(*engine_, request);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_FALSE(report->pools.empty());
  for (const PoolSummary& pool : report->pools) {
    EXPECT_GE(pool.members.size(), 3u);
    EXPECT_LE(pool.members.size(), 10u);
    for (const PoolMember& m : pool.members) {
      const Firm& firm = FirmOf(m.id);
      EXPECT_EQ(firm.visibility, Visibility::kPublic);
      bool buys = false;
      for (const std::string& material : firm.materials) {
        auto normal = NormalizeText(material);
        buys |= normal.ok() && std::find(pool.spellings.begin(), pool.spellings.end(), *normal) !=
                                   pool.spellings.end();
      }
      EXPECT_TRUE(buys) << m.id << " in the pool for " << pool.material;
    }
  }
}

}  // namespace
}  // namespace clustermatch
