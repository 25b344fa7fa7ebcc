// A candidate's signals carry only the fields its query compares
// (ReciprocalScorer::CandidateFields): every score a recommendation or a
// search reports must equal the score of the same pair computed with all four
// fields loaded (Engine::ExplainPair, Engine::TextScores), bit for bit.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/sample_cluster.h"
#include "tests/engine/store_test_support.h"

namespace clustermatch {
namespace {

class CandidateFieldsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new store_test::ScratchDir();
    firms_ = new std::vector<Firm>(GenerateSampleCluster(SampleOptions{}));
    EngineOptions options;
    options.db_path = dir_->File("fields.db");
    auto opened = Engine::Open(options);
    ASSERT_TRUE(opened.ok()) << opened.status();
    engine_ = opened->release();
    ASSERT_TRUE(engine_->ImportFirms(*firms_).ok());
  }
  static void TearDownTestSuite() {
    delete engine_;
    delete firms_;
    delete dir_;
  }

  static store_test::ScratchDir* dir_;
  static std::vector<Firm>* firms_;
  static Engine* engine_;
};

store_test::ScratchDir* CandidateFieldsTest::dir_ = nullptr;
std::vector<Firm>* CandidateFieldsTest::firms_ = nullptr;
Engine* CandidateFieldsTest::engine_ = nullptr;

TEST_F(CandidateFieldsTest, RecommendScoresEqualTheScoresOfFullyLoadedPairs) {
  size_t compared = 0;
  for (MatchIntent intent : {MatchIntent::kPartner, MatchIntent::kPeer, MatchIntent::kPurchasing}) {
    for (size_t i = 0; i < firms_->size(); i += 5) {
      RecommendRequest request;
      request.firm_id = (*firms_)[i].id;
      request.intent = intent;
      request.ranking = PartnerRanking::kContentOnly;
      request.k = 10;
      auto results = engine_->Recommend(request);
      ASSERT_TRUE(results.ok()) << results.status();
      for (const Recommendation& rec : *results) {
        const ComponentScores& got = rec.explanation.components;
        // A partner query that meets nobody's needs is ranked as a peer one.
        const MatchIntent scored_as =
            intent == MatchIntent::kPartner && got.topic != 0 ? MatchIntent::kPeer : intent;
        auto full = engine_->ExplainPair(request.firm_id, rec.firm_id, scored_as);
        ASSERT_TRUE(full.ok()) << full.status();
        EXPECT_EQ(got, full->components) << request.firm_id << " -> " << rec.firm_id;
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, firms_->size());
}

TEST_F(CandidateFieldsTest, SearchScoresEqualTheScoresOfFullyLoadedFirms) {
  size_t compared = 0;
  for (size_t i = 0; i < firms_->size(); i += 11) {
    const Firm& firm = (*firms_)[i];
    if (firm.offers.empty()) continue;
    SearchRequest request;
    request.text = firm.offers.front();
    auto results = engine_->Search(request);
    ASSERT_TRUE(results.ok()) << results.status();
    std::vector<std::string> ids;
    for (const Recommendation& rec : *results) ids.push_back(rec.firm_id);
    const std::string texts[] = {request.text};
    auto full = engine_->TextScores(texts, ids);
    ASSERT_TRUE(full.ok()) << full.status();
    for (size_t j = 0; j < ids.size(); ++j) {
      EXPECT_EQ((*results)[j].score, (*full)[j]) << request.text << " -> " << ids[j];
      ++compared;
    }
  }
  EXPECT_GT(compared, firms_->size() / 11);
}

}  // namespace
}  // namespace clustermatch
