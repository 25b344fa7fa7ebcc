#include "engine/engine.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "tests/engine/test_firms.h"

namespace clustermatch {
namespace {

using ::testing::Contains;
using testing::MakeFirm;
using ::testing::Not;
using testing::SmallCluster;

std::vector<std::string> Ids(const std::vector<Recommendation>& results) {
  std::vector<std::string> ids;
  for (const auto& r : results) ids.push_back(r.firm_id);
  return ids;
}

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "/engine_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db";
    std::filesystem::remove(path_);
    engine_ = OpenOrDie(false);
    auto summary = engine_->ImportFirms(SmallCluster());
    ASSERT_TRUE(summary.ok()) << summary.status();
    EXPECT_TRUE(summary->retrained);
  }
  void TearDown() override {
    engine_.reset();
    for (const char* suffix : {"", "-wal", "-shm", ".lock"}) {
      std::filesystem::remove(path_ + suffix);
    }
  }

  std::unique_ptr<Engine> OpenOrDie(bool read_only) {
    EngineOptions options;
    options.db_path = path_;
    options.read_only = read_only;
    auto engine = Engine::Open(options);
    EXPECT_TRUE(engine.ok()) << engine.status();
    return engine.ok() ? *std::move(engine) : nullptr;
  }

  std::vector<std::string> Recommend(const std::string& id,
                                     MatchIntent intent = MatchIntent::kPartner, int k = 10) {
    RecommendRequest request;
    request.firm_id = id;
    request.intent = intent;
    request.k = k;
    auto results = engine_->Recommend(request);
    EXPECT_TRUE(results.ok()) << results.status();
    return results.ok() ? Ids(*results) : std::vector<std::string>{};
  }

  std::vector<std::string> RecommendIds(const RecommendRequest& request) {
    auto results = engine_->Recommend(request);
    EXPECT_TRUE(results.ok()) << results.status();
    return results.ok() ? Ids(*results) : std::vector<std::string>{};
  }

  std::string path_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(EngineTest, ComplementsFindEachOtherFirst) {
  EXPECT_EQ(Recommend("mes").at(0), "machining");
  EXPECT_EQ(Recommend("machining").at(0), "mes");
  EXPECT_EQ(Recommend("vr").at(0), "expo");
  EXPECT_EQ(Recommend("bms").at(0), "battery");
}

TEST_F(EngineTest, NeverReturnsTheQueryFirm) {
  for (const Firm& firm : engine_->ListFirms()) {
    for (MatchIntent intent :
         {MatchIntent::kPartner, MatchIntent::kPeer, MatchIntent::kPurchasing}) {
      EXPECT_THAT(Recommend(firm.id, intent), Not(Contains(firm.id)));
    }
  }
}

TEST_F(EngineTest, RelationsExcludePairsAtOnceAndAfterReopen) {
  const std::vector<Relation> relations = {
      {"mes", "machining", RelationKind::kPartnered, "2024", "p1"},
      {"expo", "vr", RelationKind::kDeclined, "2024-05-01", ""},
      {"bms", "battery", RelationKind::kDoNotMatch, "2023", ""}};
  ASSERT_TRUE(engine_->AddRelations(relations).ok());
  auto check = [&] {
    EXPECT_THAT(Recommend("mes"), Not(Contains("machining")));
    EXPECT_THAT(Recommend("machining"), Not(Contains("mes")));
    EXPECT_THAT(Recommend("vr"), Not(Contains("expo")));
    EXPECT_THAT(Recommend("battery", MatchIntent::kPeer), Not(Contains("bms")));
  };
  check();
  engine_ = OpenOrDie(true);
  check();
}

TEST_F(EngineTest, CompetitorsAreLeftOutOfPartnerButNotPeerMatches) {
  const std::vector<Relation> relations = {{"pcb", "iot", RelationKind::kCompetitor, "2024", ""}};
  ASSERT_TRUE(engine_->AddRelations(relations).ok());
  EXPECT_THAT(Recommend("pcb"), Not(Contains("iot")));
  EXPECT_THAT(Recommend("pcb", MatchIntent::kPeer, 20), Contains("iot"));
}

TEST_F(EngineTest, HiddenFirmsNeverAppearAnywhere) {
  Firm hidden =
      MakeFirm("hidden_mes", "ICT", {"MES and production monitoring software for factories"},
               {"partner to machine aluminium housings for sensors"});
  hidden.visibility = Visibility::kHidden;
  ASSERT_TRUE(engine_->ImportFirms(std::vector<Firm>{hidden}).ok());
  for (const Firm& firm : engine_->ListFirms()) {
    for (MatchIntent intent :
         {MatchIntent::kPartner, MatchIntent::kPeer, MatchIntent::kPurchasing}) {
      EXPECT_THAT(Recommend(firm.id, intent, 50), Not(Contains("hidden_mes")));
    }
  }
  auto found = engine_->Search({"MES production monitoring software", 50, {}});
  ASSERT_TRUE(found.ok());
  EXPECT_THAT(Ids(*found), Not(Contains("hidden_mes")));
  EXPECT_THAT(Ids(*found), Contains("mes"));
}

TEST_F(EngineTest, MembersOnlyFirmsFollowTheCallersScope) {
  Firm members = MakeFirm("members_mes", "ICT", {"MES dashboards for machine shops"},
                          {"aluminium machining subcontractor"});
  members.visibility = Visibility::kMembers;
  ASSERT_TRUE(engine_->ImportFirms(std::vector<Firm>{members}).ok());
  RecommendRequest request;
  request.firm_id = "machining";
  request.k = 20;
  EXPECT_THAT(RecommendIds(request), Contains("members_mes"));
  request.filter.members_visible_all = false;
  EXPECT_THAT(RecommendIds(request), Not(Contains("members_mes")));
  request.filter.members_visible_clusters = {"G-Valley"};
  EXPECT_THAT(RecommendIds(request), Contains("members_mes"));
}

TEST_F(EngineTest, CrossClusterRestrictsOrBoosts) {
  RecommendRequest request;
  request.firm_id = "machining";
  request.k = 20;
  request.intent = MatchIntent::kPeer;
  request.cross_cluster = CrossCluster::kOtherMiniCluster;
  auto results = engine_->Recommend(request);
  ASSERT_TRUE(results.ok());
  ASSERT_FALSE(results->empty());
  for (const auto& r : *results) {
    EXPECT_NE(engine_->GetFirm(r.firm_id)->mini_cluster, "IMT") << r.firm_id;
    EXPECT_FALSE(r.explanation.other_mini_cluster.empty());
  }
  request.cross_cluster = CrossCluster::kOtherCluster;
  EXPECT_TRUE(RecommendIds(request).empty());  // every firm is in G-Valley
  request.cross_cluster = CrossCluster::kBoost;
  results = engine_->Recommend(request);
  ASSERT_TRUE(results.ok());
  for (const auto& r : *results) {
    const bool other = engine_->GetFirm(r.firm_id)->mini_cluster != "IMT";
    EXPECT_FLOAT_EQ(r.explanation.components.boost, other ? kCrossClusterBoost : 1.0f);
  }
}

TEST_F(EngineTest, PeerExplanationsNameSimilarOffers) {
  const std::vector<Firm> rival = {
      MakeFirm("mes_rival", "ICT", {"production monitoring software and MES for factories"},
               {"sales partners in Vietnam"})};
  ASSERT_TRUE(engine_->ImportFirms(rival).ok());
  RecommendRequest request;
  request.firm_id = "mes";
  request.intent = MatchIntent::kPeer;
  request.k = 3;
  auto results = engine_->Recommend(request);
  ASSERT_TRUE(results.ok());
  ASSERT_FALSE(results->empty());
  EXPECT_EQ((*results)[0].firm_id, "mes_rival");
  const auto& similar = (*results)[0].explanation.similar_offers;
  ASSERT_FALSE(similar.empty());
  EXPECT_EQ(similar[0].query_phrase, "MES and production monitoring software for factories");
  EXPECT_EQ(similar[0].candidate_phrase, "production monitoring software and MES for factories");
  EXPECT_GE(similar[0].similarity, ReciprocalScorer::kMinPhraseSimilarity);
}

// explain = false (gRPC's omit_explanations): the same firms, scores and
// component scores, without the readable reasons.
TEST_F(EngineTest, UnexplainedResultsKeepFirmsScoresAndComponents) {
  for (MatchIntent intent : {MatchIntent::kPartner, MatchIntent::kPeer}) {
    RecommendRequest request;
    request.firm_id = "mes";
    request.intent = intent;
    auto explained = engine_->Recommend(request);
    request.explain = false;
    auto bare = engine_->Recommend(request);
    ASSERT_TRUE(explained.ok() && bare.ok());
    ASSERT_EQ(bare->size(), explained->size());
    ASSERT_FALSE(bare->empty());
    bool any_reason = false;
    for (size_t i = 0; i < bare->size(); ++i) {
      const Recommendation& a = (*explained)[i];
      const Recommendation& b = (*bare)[i];
      EXPECT_EQ(b.firm_id, a.firm_id);
      EXPECT_EQ(b.score, a.score);
      EXPECT_EQ(b.explanation.components.mutual, a.explanation.components.mutual);
      EXPECT_EQ(b.explanation.components.topic, a.explanation.components.topic);
      EXPECT_TRUE(b.explanation.need_offer.empty() && b.explanation.similar_offers.empty());
      any_reason =
          any_reason || !a.explanation.need_offer.empty() || !a.explanation.similar_offers.empty();
    }
    EXPECT_TRUE(any_reason) << "the explained list should give reasons";
  }
  SearchRequest search;
  search.text = "MES software for factories";
  auto explained = engine_->Search(search);
  search.explain = false;
  auto bare = engine_->Search(search);
  ASSERT_TRUE(explained.ok() && bare.ok());
  ASSERT_FALSE(bare->empty());
  ASSERT_EQ(Ids(*bare), Ids(*explained));
  EXPECT_FALSE((*explained)[0].explanation.matched_offers.empty());
  for (const Recommendation& rec : *bare) EXPECT_TRUE(rec.explanation.matched_offers.empty());
}

TEST_F(EngineTest, FiltersRestrictCandidates) {
  RecommendRequest request;
  request.firm_id = "machining";
  request.k = 20;
  request.intent = MatchIntent::kPeer;
  request.filter.mini_clusters_any = {"ICT"};
  const std::vector<std::string> ids = RecommendIds(request);
  EXPECT_FALSE(ids.empty());
  for (const auto& id : ids) EXPECT_EQ(engine_->GetFirm(id)->mini_cluster, "ICT");
}

TEST_F(EngineTest, BadFirmRejectsTheWholeBatch) {
  Firm good = MakeFirm("new_good", "ICT", {"cloud hosting"}, {"customers"});
  Firm bad = MakeFirm("new_bad", "ICT", {"x"}, {"y"});
  bad.employees = -3;
  auto result = engine_->ImportFirms(std::vector<Firm>{good, bad});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(result.status().message()), ::testing::HasSubstr("employees"));
  EXPECT_FALSE(engine_->GetFirm("new_good").ok());
  engine_ = OpenOrDie(true);
  EXPECT_FALSE(engine_->GetFirm("new_good").ok());
  EXPECT_EQ(engine_->ListFirms().size(), SmallCluster().size());
}

TEST_F(EngineTest, ReopenKeepsModelVectorsAndResults) {
  const EngineStats before = engine_->Stats();
  const std::vector<std::string> expected = Recommend("animation");
  engine_ = OpenOrDie(true);
  const EngineStats after = engine_->Stats();
  EXPECT_EQ(after.model_version, before.model_version);
  EXPECT_EQ(after.model, before.model);
  EXPECT_EQ(after.indexed, before.indexed);
  EXPECT_EQ(Recommend("animation"), expected);
}

TEST_F(EngineTest, TrainMakesANewVersionAndKeepsResults) {
  const int64_t before = engine_->Stats().model_version;
  const std::vector<std::string> expected = Recommend("japan");
  auto version = engine_->Train();
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, before + 1);
  EXPECT_EQ(Recommend("japan"), expected);
}

TEST_F(EngineTest, DeleteRemovesFromResults) {
  ASSERT_TRUE(engine_->DeleteFirm("machining").ok());
  EXPECT_THAT(Recommend("mes"), Not(Contains("machining")));
  EXPECT_EQ(engine_->DeleteFirm("machining").code(), absl::StatusCode::kNotFound);
}

TEST_F(EngineTest, ReadOnlyOpenRefusesWritesAndSecondWriterIsNamed) {
  EngineOptions options;
  options.db_path = path_;
  auto second = Engine::Open(options);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(second.status().message()), ::testing::HasSubstr("locked"));
  auto reader = OpenOrDie(true);
  ASSERT_NE(reader, nullptr);
  EXPECT_FALSE(reader->ImportFirms(std::vector<Firm>{MakeFirm("z", "ICT", {"a"}, {"b"})}).ok());
}

TEST_F(EngineTest, ReadersRunWhileAWriterImportsAndDeletes) {
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::atomic<int> calls{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&, t] {
      const std::vector<std::string> ids = {"mes", "machining", "vr", "bms"};
      while (!stop.load()) {
        RecommendRequest request;
        request.firm_id = ids[static_cast<size_t>(t)];
        auto results = engine_->Recommend(request);
        if (!results.ok()) ++failures;
        ++calls;
      }
    });
  }
  for (int i = 0; i < 30; ++i) {
    const std::vector<Firm> batch = {MakeFirm("new_" + std::to_string(i), "ICT",
                                              {"MES dashboards " + std::to_string(i)},
                                              {"aluminium machining " + std::to_string(i)})};
    ASSERT_TRUE(engine_->ImportFirms(batch).ok());
    if (i % 3 == 0) {
      ASSERT_TRUE(engine_->DeleteFirm("new_" + std::to_string(i)).ok());
    }
  }
  while (calls.load() < 40) std::this_thread::yield();
  stop = true;
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(engine_->ListFirms().size(), SmallCluster().size() + 20);
}

TEST_F(EngineTest, BadRequestsAreInvalidOrNotFound) {
  RecommendRequest request;
  request.firm_id = "nobody";
  EXPECT_EQ(engine_->Recommend(request).status().code(), absl::StatusCode::kNotFound);
  request.firm_id = "mes";
  request.k = 0;
  EXPECT_EQ(engine_->Recommend(request).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(engine_->Search({"  ", 5, {}}).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace clustermatch
