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

// What EmbedFirm promises: each field embedded from its whole text, as
// Embed gives it, though EmbedFirm tokenises every profile part only once.
void ExpectFieldTextEmbeddings(const TextModel& model, const Firm& firm) {
  const FirmVectors vectors = EmbedFirm(model, firm);
  const FirmTexts texts = TextsOf(firm);
  for (int f = 0; f < kVectorFieldCount; ++f) {
    std::vector<float> expected;
    if (!texts[f].empty()) expected = model.Embed(texts[f]);
    if (std::all_of(expected.begin(), expected.end(), [](float x) { return x == 0.0f; })) {
      expected.clear();
    }
    ASSERT_EQ(expected, vectors.fields[f]) << firm.id << " field " << f << ": " << texts[f];
  }
}

TEST_F(EmbedFirmsTest, EachFieldGetsTheBitsOfEmbeddingItsWholeText) {
  for (const Firm& firm : *firms_) {
    ExpectFieldTextEmbeddings(*model_, firm);
    ExpectFieldTextEmbeddings(TextModel::Untrained(32), firm);
  }
  // Parts that meet at a phrase break in unusual ways.
  Firm edges = (*firms_)[0];
  edges.name = "  CNC  ";
  edges.description = "\u0301combining mark first . and a full stop";
  edges.technologies = {"machine", "learning", "기계학습", "...", ""};
  edges.products = {"u.s.", "industry 4.0 스마트팩토리"};
  edges.offers = {"정밀가공을", "CNC"};
  edges.needs = {"금형을 위한", "  "};
  edges.markets = {};
  ExpectFieldTextEmbeddings(*model_, edges);
  // A part that is not UTF-8 empties every field it is in, as the whole
  // text would.
  Firm invalid = (*firms_)[1];
  invalid.needs = {"moulds", std::string("\xff\xfe broken")};
  ExpectFieldTextEmbeddings(*model_, invalid);
  const FirmVectors vectors = EmbedFirm(*model_, invalid);
  EXPECT_TRUE(vectors.fields[static_cast<int>(VectorField::kNeed)].empty());
  EXPECT_TRUE(vectors.fields[static_cast<int>(VectorField::kTopic)].empty());
  EXPECT_FALSE(vectors.fields[static_cast<int>(VectorField::kOffer)].empty());
}

}  // namespace
}  // namespace clustermatch
