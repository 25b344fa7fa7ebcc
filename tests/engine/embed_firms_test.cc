// EmbedFirms (engine/embed_firms.h): the parallel embedding of many firms
// gives exactly what EmbedFirm gives one firm at a time, in input order.
#include "engine/embed_firms.h"

#include <algorithm>
#include <string>
#include <vector>

#include "engine/firm_texts.h"
#include "engine/sample_cluster.h"
#include "gtest/gtest.h"

namespace clustermatch {
namespace {

std::vector<const Firm*> Pointers(const std::vector<Firm>& firms) {
  std::vector<const Firm*> pointers;
  for (const Firm& firm : firms) pointers.push_back(&firm);
  return pointers;
}

void ExpectSameAsSequential(const TextModel& model, const std::vector<const Firm*>& firms) {
  const std::vector<FirmVectors> parallel = EmbedFirms(model, firms);
  ASSERT_EQ(parallel.size(), firms.size());
  for (size_t i = 0; i < firms.size(); ++i) {
    const FirmVectors sequential = EmbedFirm(model, *firms[i]);
    for (int f = 0; f < kVectorFieldCount; ++f) {
      ASSERT_EQ(parallel[i].fields[f], sequential.fields[f])
          << "firm " << i << " (" << firms[i]->id << ") field " << f;
    }
  }
}

class EmbedFirmsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    firms_ = new std::vector<Firm>(GenerateSampleCluster({.firms = 600, .seed = 3}));
    std::vector<const Firm*> profiles = Pointers(*firms_);
    const std::vector<std::string> documents = TrainingDocuments(profiles);
    TextModelOptions options;
    options.dimension = 64;
    absl::StatusOr<TextModel> model = TextModel::Train(documents, options);
    ASSERT_TRUE(model.ok()) << model.status();
    model_ = new TextModel(*std::move(model));
  }
  static void TearDownTestSuite() {
    delete model_;
    delete firms_;
  }
  static std::vector<Firm>* firms_;
  static TextModel* model_;
};

std::vector<Firm>* EmbedFirmsTest::firms_ = nullptr;
TextModel* EmbedFirmsTest::model_ = nullptr;

TEST_F(EmbedFirmsTest, ManyFirmsMatchSequentialEmbeddingInOrder) {
  const std::vector<const Firm*> firms = Pointers(*firms_);
  ExpectSameAsSequential(*model_, firms);
  // Every firm of the sample has an offer and a topic text.
  const std::vector<FirmVectors> vectors = EmbedFirms(*model_, firms);
  for (const FirmVectors& v : vectors) {
    EXPECT_EQ(v.fields[static_cast<int>(VectorField::kTopic)].size(),
              static_cast<size_t>(model_->dimension()));
  }
}

TEST_F(EmbedFirmsTest, ReversedOrderGivesReversedResults) {
  std::vector<const Firm*> firms = Pointers(*firms_);
  std::reverse(firms.begin(), firms.end());
  ExpectSameAsSequential(*model_, firms);
}

TEST_F(EmbedFirmsTest, FewFirmsAndTheUntrainedModelMatchToo) {
  const std::vector<const Firm*> all = Pointers(*firms_);
  ExpectSameAsSequential(*model_, std::vector<const Firm*>(all.begin(), all.begin() + 1));
  ExpectSameAsSequential(*model_, std::vector<const Firm*>(all.begin(), all.begin() + 63));
  ExpectSameAsSequential(TextModel::Untrained(32), all);
  EXPECT_TRUE(EmbedFirms(*model_, {}).empty());
}

TEST_F(EmbedFirmsTest, AFirmWithoutTextGetsNoVectors) {
  Firm empty;
  empty.id = "EMPTY-1";
  std::vector<const Firm*> firms = Pointers(*firms_);
  firms.insert(firms.begin() + 100, &empty);
  const std::vector<FirmVectors> vectors = EmbedFirms(*model_, firms);
  for (const std::vector<float>& field : vectors[100].fields) EXPECT_TRUE(field.empty());
  ExpectSameAsSequential(*model_, firms);
}

}  // namespace
}  // namespace clustermatch
