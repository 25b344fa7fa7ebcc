#include "engine/reciprocal_scorer.h"

#include <gtest/gtest.h>

#include "engine/firm_texts.h"
#include "tests/engine/test_firms.h"

namespace clustermatch {
namespace {

using testing::SmallCluster;

class ReciprocalScorerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    firms_ = SmallCluster();
    std::vector<const Firm*> pointers;
    for (const Firm& firm : firms_) pointers.push_back(&firm);
    auto model = TextModel::Train(TrainingDocuments(pointers), TextModelOptions{});
    ASSERT_TRUE(model.ok()) << model.status();
    model_ = std::make_unique<TextModel>(*std::move(model));
    scorer_ = std::make_unique<ReciprocalScorer>(*model_);
  }

  FirmSignals Signals(const std::string& id) {
    for (const Firm& firm : firms_) {
      if (firm.id == id) return SignalsOf(*model_, firm, nullptr);
    }
    ADD_FAILURE() << "no firm " << id;
    return {};
  }

  std::vector<Firm> firms_;
  std::unique_ptr<TextModel> model_;
  std::unique_ptr<ReciprocalScorer> scorer_;
};

TEST_F(ReciprocalScorerTest, OneSidedScoresBelowMutual) {
  const FirmSignals machining = Signals("machining");
  ComponentScores mutual_parts, one_sided_parts;
  const float mutual =
      scorer_->Score(MatchIntent::kPartner, Signals("mes"), machining, &mutual_parts);
  const float one_sided = scorer_->Score(MatchIntent::kPartner, Signals("moulds_one_sided"),
                                         machining, &one_sided_parts);
  // Machining answers both firms' needs equally well...
  EXPECT_GT(one_sided_parts.forward, 0.2f);
  // ...but only the MES firm answers machining's need in return.
  EXPECT_GT(mutual_parts.backward, one_sided_parts.backward);
  EXPECT_LT(one_sided, mutual);
  EXPECT_LT(one_sided, 0.5f * mutual);
}

TEST_F(ReciprocalScorerTest, PartnerScoreIsSymmetricInItsDirections) {
  ComponentScores ab, ba;
  scorer_->Score(MatchIntent::kPartner, Signals("vr"), Signals("expo"), &ab);
  scorer_->Score(MatchIntent::kPartner, Signals("expo"), Signals("vr"), &ba);
  EXPECT_FLOAT_EQ(ab.forward, ba.backward);
  EXPECT_FLOAT_EQ(ab.backward, ba.forward);
  EXPECT_FLOAT_EQ(ab.mutual, ba.mutual);
}

TEST_F(ReciprocalScorerTest, ExplanationNamesTheMatchedPhrasesAndRoles) {
  const FirmSignals mes = Signals("mes");
  const FirmSignals machining = Signals("machining");
  ComponentScores parts;
  scorer_->Score(MatchIntent::kPartner, mes, machining, &parts);
  const Explanation e = scorer_->Explain(MatchIntent::kPartner, mes, machining, parts);
  ASSERT_FALSE(e.need_offer.empty());
  bool saw_forward = false, saw_backward = false;
  for (const PhraseMatch& m : e.need_offer) {
    if (m.need_firm == "mes" && m.offer == "CNC machining of aluminium parts") saw_forward = true;
    if (m.need_firm == "machining" && m.offer_firm == "mes") saw_backward = true;
  }
  EXPECT_TRUE(saw_forward);
  EXPECT_TRUE(saw_backward);
  EXPECT_EQ(e.roles_covered, std::vector<Role>{Role::kProduction});
  EXPECT_EQ(e.shared_technologies, std::vector<std::string>{"CAD/CAM"});
  EXPECT_EQ(e.other_mini_cluster, "ICT ↔ IMT");
  EXPECT_EQ(e.components, parts);
}

TEST_F(ReciprocalScorerTest, PurchasingMatchesOnMaterialsNotTopic) {
  ComponentScores parts;
  const float shared_materials = scorer_->Score(MatchIntent::kPurchasing, Signals("machining"),
                                                Signals("moulds_one_sided"), &parts);
  const float no_materials =
      scorer_->Score(MatchIntent::kPurchasing, Signals("machining"), Signals("mes"), nullptr);
  EXPECT_GT(shared_materials, 0.3f);
  EXPECT_EQ(no_materials, 0.0f);
  const Explanation e = scorer_->Explain(MatchIntent::kPurchasing, Signals("machining"),
                                         Signals("moulds_one_sided"), parts);
  EXPECT_EQ(e.shared_materials, std::vector<std::string>{"aluminium 6061"});
}

TEST(RoleComplementTest, CountsOnlyMissingRolesTheOtherCovers) {
  Firm a, b;
  a.roles = {Role::kPlanning, Role::kDevelopment};
  b.roles = {Role::kDevelopment, Role::kProduction};
  std::vector<Role> covered;
  EXPECT_FLOAT_EQ(RoleComplement(a, b, &covered), 0.5f);
  EXPECT_EQ(covered, std::vector<Role>{Role::kProduction});
  a.roles = {Role::kPlanning, Role::kDevelopment, Role::kProduction, Role::kMarketing};
  EXPECT_FLOAT_EQ(RoleComplement(a, b, nullptr), 0.0f);
}

TEST(SharedItemsTest, ComparesAfterNormalisation) {
  EXPECT_EQ(SharedItems({"ＭＥＳ", "Unity", "CNC"}, {"mes", "unreal"}),
            std::vector<std::string>{"ＭＥＳ"});
}

}  // namespace
}  // namespace clustermatch
