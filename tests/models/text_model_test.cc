#include "models/text_model.h"

#include <cmath>
#include <numeric>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace clustermatch {
namespace {

float Cosine(const std::vector<float>& a, const std::vector<float>& b) {
  return std::inner_product(a.begin(), a.end(), b.begin(), 0.0f);
}

float Norm(const std::vector<float>& v) { return std::sqrt(Cosine(v, v)); }

// A small synthetic cluster: each document draws phrases from one industry.
std::vector<std::string> Corpus() {
  const std::vector<std::vector<std::string>> topics = {
      {"CNC machining", "aluminium housings", "precision machined parts", "milling and turning",
       "5-axis machine shop", "jigs and fixtures", "aluminium die casting", "metal parts",
       "정밀 가공 부품", "금형 제작"},
      {"mobile app development", "cloud platform", "AI solution", "big data analytics",
       "software outsourcing", "빅데이터 분석", "AI솔루션 개발", "data platform", "web services",
       "machine learning models"},
      {"mobile game development", "animation studio", "VR content production", "education content",
       "3D modeling and rendering", "VR 콘텐츠 제작", "game art", "motion capture",
       "character animation", "게임 개발"},
      {"organic snack production", "food packaging", "bakery products", "beverage bottling",
       "frozen food", "식품 포장", "snack distribution", "organic ingredients", "food safety",
       "catering supply"},
      {"textile dyeing", "garment sewing", "fabric weaving", "functional fabric", "apparel brand",
       "섬유 염색", "uniform production", "knitted fabric", "textile printing", "fashion design"},
  };
  const std::vector<std::string> fillers = {"we offer", "looking for a partner for",
                                            "our company provides", "we need", "experts in"};
  std::vector<std::string> docs;
  uint64_t state = 12345;
  auto next = [&state](uint64_t n) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % n;
  };
  for (int i = 0; i < 200; ++i) {
    const auto& topic = topics[static_cast<size_t>(i) % topics.size()];
    std::string doc = fillers[next(fillers.size())];
    const uint64_t phrases = 3 + next(4);
    for (uint64_t p = 0; p < phrases; ++p) {
      doc += (p == 0 ? " " : ", ") + topic[next(topic.size())];
    }
    docs.push_back(doc);
  }
  return docs;
}

TextModelOptions SmallOptions() {
  TextModelOptions options;
  options.dimension = 24;
  return options;
}

class TrainedTextModelTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::vector<std::string> corpus = Corpus();
    absl::StatusOr<TextModel> model = TextModel::Train(corpus, SmallOptions());
    ASSERT_TRUE(model.ok()) << model.status();
    model_ = new TextModel(*std::move(model));
  }
  static void TearDownTestSuite() {
    delete model_;
    model_ = nullptr;
  }
  static TextModel* model_;
};

TextModel* TrainedTextModelTest::model_ = nullptr;

TEST_F(TrainedTextModelTest, IsFlaggedTrainedWithRequestedDimension) {
  EXPECT_TRUE(model_->trained());
  EXPECT_EQ(model_->dimension(), 24);
  EXPECT_EQ(model_->document_count(), 200);
  EXPECT_GT(model_->vocabulary_size(), 24);
  EXPECT_EQ(model_->Describe().rfind("lsa d=24 ", 0), 0u) << model_->Describe();
}

TEST_F(TrainedTextModelTest, ParaphrasesScoreHigherThanUnrelatedTexts) {
  const auto a = model_->Embed("CNC machining of aluminium parts");
  const auto b = model_->Embed("looking for a partner to machine aluminium housings");
  const auto game = model_->Embed("mobile game animation studio");
  const auto food = model_->Embed("organic snack packaging");
  EXPECT_GT(Cosine(a, b), Cosine(a, game) + 0.2f);
  EXPECT_GT(Cosine(a, b), Cosine(a, food) + 0.2f);
  EXPECT_GT(Cosine(game, model_->Embed("VR 콘텐츠와 캐릭터 animation")), Cosine(game, food));
}

TEST_F(TrainedTextModelTest, KoreanCompoundMatchesItsPart) {
  const auto compound = model_->Embed("빅데이터연구회");
  EXPECT_GT(Cosine(compound, model_->Embed("빅데이터 분석")),
            Cosine(compound, model_->Embed("섬유 염색")));
}

TEST_F(TrainedTextModelTest, EmbeddingsAreNormalisedOrZero) {
  const auto v = model_->Embed("precision machined parts");
  ASSERT_EQ(v.size(), 24u);
  EXPECT_NEAR(Norm(v), 1.0f, 1e-4f);
  for (std::string_view nothing : {std::string_view(""), std::string_view("the and of"),
                                   std::string_view("\xff\xfe"), std::string_view("zzzqqq")}) {
    const auto zero = model_->Embed(nothing);
    ASSERT_EQ(zero.size(), 24u);
    EXPECT_EQ(Norm(zero), 0.0f) << nothing;
  }
}

TEST_F(TrainedTextModelTest, SparseEmbeddingIsSortedAndNormalised) {
  const SparseVector v = model_->EmbedSparse("CNC machining of aluminium parts, 정밀 가공");
  ASSERT_FALSE(v.empty());
  ASSERT_EQ(v.indices.size(), v.values.size());
  for (size_t i = 1; i < v.indices.size(); ++i) EXPECT_LT(v.indices[i - 1], v.indices[i]);
  for (uint32_t index : v.indices) EXPECT_LT(index, 1u << model_->hash_bits());
  EXPECT_NEAR(Dot(v, v), 1.0f, 1e-5f);
  EXPECT_GT(Dot(v, model_->EmbedSparse("aluminum machined housings")), 0.0f);
  EXPECT_EQ(Dot(v, model_->EmbedSparse("섬유 염색")), 0.0f);
  EXPECT_TRUE(model_->EmbedSparse("\xc3").empty());
  EXPECT_TRUE(model_->EmbedSparse("of the").empty());
}

TEST_F(TrainedTextModelTest, SerializeRoundTripGivesIdenticalEmbeddings) {
  const std::string bytes = model_->Serialize();
  absl::StatusOr<TextModel> loaded = TextModel::Deserialize(bytes);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_TRUE(loaded->trained());
  EXPECT_EQ(loaded->Describe(), model_->Describe());
  for (const std::string& text : Corpus()) {
    EXPECT_EQ(loaded->Embed(text), model_->Embed(text));
    const SparseVector a = loaded->EmbedSparse(text);
    const SparseVector b = model_->EmbedSparse(text);
    EXPECT_EQ(a.indices, b.indices);
    EXPECT_EQ(a.values, b.values);
  }
  EXPECT_EQ(loaded->Serialize(), bytes);
}

TEST_F(TrainedTextModelTest, CorruptBytesGiveDataLoss) {
  const std::string bytes = model_->Serialize();
  for (size_t length :
       {size_t{0}, size_t{3}, size_t{12}, size_t{40}, bytes.size() / 2, bytes.size() - 1}) {
    EXPECT_EQ(TextModel::Deserialize(bytes.substr(0, length)).status().code(),
              absl::StatusCode::kDataLoss)
        << "truncated to " << length;
  }
  for (size_t position : {size_t{0}, size_t{9}, size_t{30}, bytes.size() / 3, bytes.size() - 3}) {
    std::string corrupt = bytes;
    corrupt[position] = static_cast<char>(corrupt[position] ^ 0x40);
    EXPECT_EQ(TextModel::Deserialize(corrupt).status().code(), absl::StatusCode::kDataLoss)
        << "byte " << position << " flipped";
  }
  EXPECT_EQ(TextModel::Deserialize(bytes + "x").status().code(), absl::StatusCode::kDataLoss);
}

TEST(TextModelTest, TrainingIsDeterministic) {
  const std::vector<std::string> corpus = Corpus();
  absl::StatusOr<TextModel> a = TextModel::Train(corpus, SmallOptions());
  absl::StatusOr<TextModel> b = TextModel::Train(corpus, SmallOptions());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->Serialize(), b->Serialize());
}

TEST(TextModelTest, LargeCorpusTrainsOnADeterministicSampleOfTheCap) {
  std::vector<std::string> corpus = Corpus();  // 200 documents
  TextModelOptions options = SmallOptions();
  options.max_training_documents = 60;
  absl::StatusOr<TextModel> a = TextModel::Train(corpus, options);
  absl::StatusOr<TextModel> b = TextModel::Train(corpus, options);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->document_count(), 60);
  EXPECT_EQ(a->Serialize(), b->Serialize());

  absl::StatusOr<TextModel> full = TextModel::Train(corpus, SmallOptions());
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->document_count(), 200);
  EXPECT_NE(a->Serialize(), full->Serialize());

  // The sample spreads over the whole corpus, not its first documents: text
  // that only the second half holds (Hangul, sharing no feature with the
  // English first half) is still learned.
  std::vector<std::string> halves(corpus.begin(), corpus.begin() + 100);
  const std::vector<std::string> hangul = {"가나다 라마바", "사아자 차카타", "파하거 너더러"};
  for (size_t i = 0; i < 100; ++i) halves.push_back(hangul[i % hangul.size()]);
  options.max_training_documents = 40;
  absl::StatusOr<TextModel> spread = TextModel::Train(halves, options);
  ASSERT_TRUE(spread.ok()) << spread.status();
  EXPECT_EQ(spread->document_count(), 40);
  EXPECT_NEAR(Norm(spread->Embed("CNC machining")), 1.0f, 1e-4);
  EXPECT_NEAR(Norm(spread->Embed("사아자 차카타")), 1.0f, 1e-4);
}

TEST(TextModelTest, DefaultCapSamplesTwentyThousandDocuments) {
  const std::vector<std::string> base = Corpus();
  std::vector<std::string> corpus;
  for (int i = 0; i < 21000; ++i) corpus.push_back(base[static_cast<size_t>(i) % base.size()]);
  TextModelOptions options = SmallOptions();
  EXPECT_EQ(options.max_training_documents, 20000);
  absl::StatusOr<TextModel> model = TextModel::Train(corpus, options);
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_EQ(model->document_count(), 20000);
  options.max_training_documents = 0;  // no cap
  absl::StatusOr<TextModel> all = TextModel::Train(corpus, options);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->document_count(), 21000);
}

TEST(TextModelTest, CorpusWithinTheCapTrainsAsWithoutACap) {
  const std::vector<std::string> corpus = Corpus();
  TextModelOptions at_cap = SmallOptions();
  at_cap.max_training_documents = static_cast<int>(corpus.size());
  TextModelOptions no_cap = SmallOptions();
  no_cap.max_training_documents = 0;
  absl::StatusOr<TextModel> a = TextModel::Train(corpus, at_cap);
  absl::StatusOr<TextModel> b = TextModel::Train(corpus, no_cap);
  absl::StatusOr<TextModel> c = TextModel::Train(corpus, SmallOptions());
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->Serialize(), b->Serialize());
  EXPECT_EQ(a->Serialize(), c->Serialize());
}

TEST(TextModelTest, DimensionIsLimitedByTheCorpus) {
  const std::vector<std::string> corpus = {"CNC machining of aluminium", "aluminium die casting",
                                           "garment sewing and textile dyeing"};
  TextModelOptions options;
  options.min_document_frequency = 1;
  absl::StatusOr<TextModel> model = TextModel::Train(corpus, options);
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_GE(model->dimension(), 1);
  EXPECT_LE(model->dimension(), 3);
  EXPECT_EQ(model->Embed("aluminium").size(), static_cast<size_t>(model->dimension()));
}

TEST(TextModelTest, TrainRejectsCorpusWithoutFeatures) {
  const std::vector<std::string> corpus = {"", "  ", "the and of", "\xff"};
  EXPECT_EQ(TextModel::Train(corpus, TextModelOptions()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(TextModel::Train({}, TextModelOptions()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(TextModelTest, TrainRejectsInvalidOptions) {
  const std::vector<std::string> corpus = {"CNC machining", "textile dyeing"};
  TextModelOptions options;
  options.dimension = 0;
  EXPECT_EQ(TextModel::Train(corpus, options).status().code(), absl::StatusCode::kInvalidArgument);
  options = TextModelOptions();
  options.hash_bits = 40;
  EXPECT_EQ(TextModel::Train(corpus, options).status().code(), absl::StatusCode::kInvalidArgument);
  options = TextModelOptions();
  options.max_training_documents = -1;
  EXPECT_EQ(TextModel::Train(corpus, options).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(TextModelTest, UntrainedFallbackWorksAndIsFlagged) {
  const TextModel model = TextModel::Untrained(64);
  EXPECT_FALSE(model.trained());
  EXPECT_EQ(model.dimension(), 64);
  EXPECT_EQ(model.Describe().rfind("untrained hashing d=64", 0), 0u) << model.Describe();
  const auto a = model.Embed("CNC machining of aluminium parts");
  ASSERT_EQ(a.size(), 64u);
  EXPECT_NEAR(Norm(a), 1.0f, 1e-5f);
  EXPECT_NEAR(Cosine(a, model.Embed("ＣＮＣ MACHINING of aluminium parts")), 1.0f, 1e-5f);
  EXPECT_GT(Cosine(a, model.Embed("aluminium machining")), 0.5f);
  EXPECT_EQ(Norm(model.Embed("")), 0.0f);
  EXPECT_EQ(Norm(model.Embed("\xff")), 0.0f);
  // Sparse vectors carry TF weights only: shared features still match.
  EXPECT_GT(Dot(model.EmbedSparse("aluminium machining"), model.EmbedSparse("aluminum machined")),
            0.1f);
}

TEST(TextModelTest, UntrainedRoundTrip) {
  const TextModel model = TextModel::Untrained(32);
  absl::StatusOr<TextModel> loaded = TextModel::Deserialize(model.Serialize());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_FALSE(loaded->trained());
  EXPECT_EQ(loaded->dimension(), 32);
  EXPECT_EQ(loaded->Embed("빅데이터 AI솔루션"), model.Embed("빅데이터 AI솔루션"));
}

}  // namespace
}  // namespace clustermatch

namespace clustermatch {
namespace {

// The plain merge of two sorted sparse vectors, summed in index order: what
// Dot must equal bit for bit, however it finds the shared features.
float MergeDot(const SparseVector& a, const SparseVector& b) {
  double sum = 0;
  for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a.indices[i] < b.indices[j]) {
      ++i;
    } else if (b.indices[j] < a.indices[i]) {
      ++j;
    } else {
      sum += static_cast<double>(a.values[i++]) * b.values[j++];
    }
  }
  return static_cast<float>(sum);
}

SparseVector RandomSparse(std::mt19937& rng, size_t entries, uint32_t features) {
  std::set<uint32_t> chosen;
  std::uniform_int_distribution<uint32_t> feature(0, features - 1);
  while (chosen.size() < entries) chosen.insert(feature(rng));
  SparseVector v;
  std::uniform_real_distribution<float> value(-1.0f, 1.0f);
  for (uint32_t index : chosen) {
    v.indices.push_back(index);
    v.values.push_back(value(rng));
  }
  return v;
}

// Short against long (a search query against a topic field) takes lookups
// instead of the merge; both orders, and the sizes either side of the switch.
TEST(SparseDotTest, LopsidedVectorsGiveTheMergeResultBitForBit) {
  std::mt19937 rng(7);
  for (size_t small : {0, 1, 3, 5, 12, 40}) {
    for (size_t large : {0, 1, 8, 41, 96, 100, 300, 2000}) {
      for (int round = 0; round < 20; ++round) {
        const SparseVector a = RandomSparse(rng, small, 4096);
        const SparseVector b = RandomSparse(rng, large, 4096);
        const float expected = MergeDot(a, b);
        EXPECT_EQ(Dot(a, b), expected) << small << " x " << large;
        EXPECT_EQ(Dot(b, a), expected) << large << " x " << small;
      }
    }
  }
  // Every feature of the short vector present in the long one.
  SparseVector query;
  SparseVector field = RandomSparse(rng, 500, 1000);
  for (size_t i = 0; i < field.size(); i += 50) {
    query.indices.push_back(field.indices[i]);
    query.values.push_back(0.5f);
  }
  EXPECT_EQ(Dot(query, field), MergeDot(query, field));
  EXPECT_NE(Dot(query, field), 0.0f);
}

}  // namespace
}  // namespace clustermatch
