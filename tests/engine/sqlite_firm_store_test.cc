#include "engine/sqlite_firm_store.h"

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/firm_store.h"
#include "engine/sqlite_statement.h"
#include "engine/store_schema.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/store_test_support.h"

namespace clustermatch {
namespace {

using ::clustermatch::store_test::ForkedHolder;
using ::clustermatch::store_test::ScratchDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

Firm MakeFirm(const std::string& id, const std::string& name) {
  Firm firm;
  firm.id = id;
  firm.name = name;
  firm.description = "창원 기계 산업 클러스터의 " + name;
  firm.kind = FirmKind::kCompany;
  firm.clusters = {"changwon", "gimhae"};
  firm.mini_cluster = "정밀가공";
  firm.industries = {"기계"};
  firm.technologies = {"5축 가공"};
  firm.products = {"밸브"};
  firm.offers = {"위탁 가공"};
  firm.needs = {"도금"};
  firm.roles = {Role::kProduction, Role::kDevelopment};
  firm.materials = {"스테인리스"};
  firm.markets = {"조선"};
  firm.region = "경남";
  firm.employees = 57;
  firm.founded = 2003;
  firm.visibility = Visibility::kMembers;
  return firm;
}

FirmVectors MakeVectors(float seed) {
  FirmVectors vectors;
  vectors.fields[0] = {seed, -0.5f, 0.25f};
  vectors.fields[1] = {};  // no need text
  vectors.fields[2] = {1e-30f, seed * 3, -0.0f};
  vectors.fields[3] = {0.1f, 0.2f, 0.3f};
  return vectors;
}

bool SameVectors(const StoredVectors& x, const StoredVectors& y) {
  return x.key == y.key && x.model_version == y.model_version &&
         x.vectors.fields == y.vectors.fields;
}

class FirmStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(dir_.ok()); }

  std::unique_ptr<FirmStore> OpenStore(const StoreOptions& options = {}) {
    absl::StatusOr<std::unique_ptr<FirmStore>> store = FirmStore::Open(path_, options);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }
  static StoreOptions ReadOnly() {
    StoreOptions options;
    options.read_only = true;
    return options;
  }
  // A plain connection, for inspecting or damaging the file behind the
  // store's back.
  std::unique_ptr<SqliteDb> RawDb() {
    absl::StatusOr<std::unique_ptr<SqliteDb>> db =
        SqliteDb::Open(path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    EXPECT_TRUE(db.ok()) << db.status();
    return db.ok() ? *std::move(db) : nullptr;
  }

  ScratchDir dir_;
  const std::string path_ = dir_.File("firms.db");
};

TEST_F(FirmStoreTest, ReopenKeepsContent) {
  const std::vector<Firm> firms = {MakeFirm("b-02", "두번째"), MakeFirm("a-01", "첫번째")};
  const std::vector<Relation> relations = {
      {"a-01", "b-02", RelationKind::kPartnered, "2023-05-02", "스마트공장 과제"},
      {"a-01", "b-02", RelationKind::kPartnered, "2024", ""},
      {"b-02", "a-01", RelationKind::kDoNotMatch, "2024-11-30", ""},
      {"a-01", "b-02", RelationKind::kPartnered, "2023-05-02", "스마트공장 과제"},
  };
  const std::string blob = std::string("model\0bytes\xff", 12);
  std::vector<int64_t> keys;
  std::vector<StoredVectors> vectors;
  {
    std::unique_ptr<FirmStore> store = OpenStore();
    ASSERT_NE(store, nullptr);
    absl::StatusOr<std::vector<int64_t>> put = store->PutFirms(firms);
    ASSERT_TRUE(put.ok()) << put.status();
    keys = *put;
    ASSERT_TRUE(store->AddRelations(relations).ok());
    absl::StatusOr<int64_t> version = store->PutModel(blob, 2);
    ASSERT_TRUE(version.ok()) << version.status();
    vectors = {{keys[0], *version, MakeVectors(0.5f)}, {keys[1], *version, MakeVectors(-2.0f)}};
    ASSERT_TRUE(store->PutVectors(vectors).ok());
  }
  std::unique_ptr<FirmStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<std::vector<StoredFirm>> listed = store->ListFirms();
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].firm, firms[0]);  // ordered by key: as stored
  EXPECT_EQ((*listed)[0].key, keys[0]);
  EXPECT_EQ((*listed)[1].firm, firms[1]);
  EXPECT_EQ((*listed)[1].key, keys[1]);
  absl::StatusOr<StoredFirm> one = store->GetFirm("b-02");
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ(one->key, keys[0]);
  EXPECT_EQ(one->firm, firms[0]);
  EXPECT_EQ(*store->CountFirms(), 2);

  absl::StatusOr<std::vector<Relation>> stored_relations = store->ListRelations();
  ASSERT_TRUE(stored_relations.ok()) << stored_relations.status();
  EXPECT_EQ(*stored_relations, relations);

  absl::StatusOr<std::optional<StoredModel>> model = store->CurrentModel();
  ASSERT_TRUE(model.ok()) << model.status();
  ASSERT_TRUE(model->has_value());
  EXPECT_EQ((*model)->version, 1);
  EXPECT_EQ((*model)->blob, blob);
  EXPECT_EQ((*model)->firm_count, 2);
  EXPECT_THAT((*model)->created_at, ::testing::MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T.*Z"));

  absl::StatusOr<std::vector<StoredVectors>> stored_vectors = store->ListVectors(1);
  ASSERT_TRUE(stored_vectors.ok()) << stored_vectors.status();
  ASSERT_EQ(stored_vectors->size(), 2u);
  EXPECT_TRUE(SameVectors((*stored_vectors)[0], vectors[0]));
  EXPECT_TRUE(SameVectors((*stored_vectors)[1], vectors[1]));
  EXPECT_TRUE(store->ListVectors(2)->empty());
}

TEST_F(FirmStoreTest, ReplacingAFirmKeepsItsKeyAndDropsItsVectors) {
  std::unique_ptr<FirmStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  const std::vector<Firm> firms = {MakeFirm("a", "A"), MakeFirm("b", "B")};
  std::vector<int64_t> keys = *store->PutFirms(firms);
  ASSERT_TRUE(store
                  ->PutVectors(std::vector<StoredVectors>{{keys[0], 1, MakeVectors(1)},
                                                          {keys[1], 1, MakeVectors(2)}})
                  .ok());
  Firm changed = MakeFirm("a", "A 변경");
  absl::StatusOr<std::vector<int64_t>> again = store->PutFirms({&changed, 1});
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_THAT(*again, ElementsAre(keys[0]));
  EXPECT_EQ(store->GetFirm("a")->firm, changed);
  absl::StatusOr<std::vector<StoredVectors>> left = store->ListVectors(1);
  ASSERT_TRUE(left.ok());
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ((*left)[0].key, keys[1]);
}

TEST_F(FirmStoreTest, BatchWithRepeatedIdWritesNothing) {
  std::unique_ptr<FirmStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  const Firm kept = MakeFirm("a", "A");
  ASSERT_TRUE(store->PutFirms({&kept, 1}).ok());
  const std::vector<Firm> bad = {MakeFirm("b", "B"), MakeFirm("a", "A2"), MakeFirm("b", "B2")};
  absl::StatusOr<std::vector<int64_t>> put = store->PutFirms(bad);
  ASSERT_EQ(put.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(put.status().message()), HasSubstr("\"b\""));
  EXPECT_EQ(*store->CountFirms(), 1);
  EXPECT_EQ(store->GetFirm("a")->firm, kept);
  EXPECT_EQ(store->GetFirm("b").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(FirmStoreTest, FailureMidBatchRollsBackEarlierRows) {
  std::unique_ptr<FirmStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  std::vector<Firm> batch = {MakeFirm("a", "A"), MakeFirm("b", "B")};
  batch[1].kind = static_cast<FirmKind>(77);  // cannot be encoded
  EXPECT_EQ(store->PutFirms(batch).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*store->CountFirms(), 0);
}

TEST_F(FirmStoreTest, RelationWithUnknownFirmWritesNothing) {
  std::unique_ptr<FirmStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  const std::vector<Firm> firms = {MakeFirm("a", "A"), MakeFirm("b", "B")};
  ASSERT_TRUE(store->PutFirms(firms).ok());
  const std::vector<Relation> first = {{"a", "b", RelationKind::kMet, "2024", ""}};
  ASSERT_TRUE(store->AddRelations(first).ok());
  const std::vector<Relation> bad = {{"b", "a", RelationKind::kMet, "2024", ""},
                                     {"a", "b", RelationKind::kAccepted, "2025", "x"},
                                     {"a", "ghost", RelationKind::kMet, "2025", ""}};
  absl::Status status = store->AddRelations(bad);
  ASSERT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(status.message()), HasSubstr("relation 2"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("\"ghost\""));
  EXPECT_EQ(*store->ListRelations(), first);
}

// PIPA: nothing of a deleted firm stays, its relations included; relations
// between other firms stay.
TEST_F(FirmStoreTest, DeleteRemovesVectorsAndTheRelationsNamingTheFirm) {
  std::unique_ptr<FirmStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  const std::vector<Firm> firms = {MakeFirm("a", "A"), MakeFirm("b", "B"), MakeFirm("c", "C")};
  std::vector<int64_t> keys = *store->PutFirms(firms);
  const std::vector<Relation> relations = {{"a", "b", RelationKind::kPartnered, "2022", "p1"},
                                           {"c", "a", RelationKind::kMet, "2023", ""},
                                           {"b", "c", RelationKind::kMet, "2024", "expo"}};
  ASSERT_TRUE(store->AddRelations(relations).ok());
  ASSERT_TRUE(store
                  ->PutVectors(std::vector<StoredVectors>{{keys[0], 3, MakeVectors(1)},
                                                          {keys[1], 3, MakeVectors(2)}})
                  .ok());
  ASSERT_TRUE(store->DeleteFirm("a").ok());
  EXPECT_EQ(store->GetFirm("a").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(*store->CountFirms(), 2);
  absl::StatusOr<std::vector<StoredVectors>> left = store->ListVectors(3);
  ASSERT_TRUE(left.ok());
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ((*left)[0].key, keys[1]);
  EXPECT_EQ(*store->ListRelations(), std::vector<Relation>{relations[2]});
  EXPECT_EQ(store->DeleteFirm("a").code(), absl::StatusCode::kNotFound);
}

TEST_F(FirmStoreTest, KeysAreNotReusedAfterDelete) {
  std::vector<int64_t> deleted_keys;
  {
    std::unique_ptr<FirmStore> store = OpenStore();
    ASSERT_NE(store, nullptr);
    const std::vector<Firm> firms = {MakeFirm("a", "A"), MakeFirm("b", "B")};
    deleted_keys = *store->PutFirms(firms);
    // Deleting the highest key is what would let a plain rowid come back.
    ASSERT_TRUE(store->DeleteFirm("b").ok());
    ASSERT_TRUE(store->DeleteFirm("a").ok());
  }
  std::unique_ptr<FirmStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  const Firm c = MakeFirm("c", "C");
  absl::StatusOr<std::vector<int64_t>> keys = store->PutFirms({&c, 1});
  ASSERT_TRUE(keys.ok());
  EXPECT_GT((*keys)[0], deleted_keys[1]);
  EXPECT_GT((*keys)[0], deleted_keys[0]);
}

TEST_F(FirmStoreTest, ModelsGetIncreasingVersionsAndTheLastIsCurrent) {
  std::unique_ptr<FirmStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<std::optional<StoredModel>> none = store->CurrentModel();
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_FALSE(none->has_value());
  const int64_t v1 = *store->PutModel("first", 10);
  const int64_t v2 = *store->PutModel("", 11);
  EXPECT_EQ(v1, 1);
  EXPECT_EQ(v2, 2);
  absl::StatusOr<std::optional<StoredModel>> current = store->CurrentModel();
  ASSERT_TRUE(current.ok() && current->has_value());
  EXPECT_EQ((*current)->version, 2);
  EXPECT_EQ((*current)->blob, "");
  EXPECT_EQ((*current)->firm_count, 11);
  EXPECT_EQ(store->PutModel("x", -1).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(FirmStoreTest, PutVectorsChecksKeysAndLengthsAndWritesNothingOnError) {
  std::unique_ptr<FirmStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  const Firm a = MakeFirm("a", "A");
  const int64_t key = (*store->PutFirms({&a, 1}))[0];
  absl::Status unknown = store->PutVectors(
      std::vector<StoredVectors>{{key, 1, MakeVectors(1)}, {key + 100, 1, MakeVectors(1)}});
  EXPECT_EQ(unknown.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(unknown.message()), HasSubstr(absl::StrCat("key ", key + 100)));
  EXPECT_TRUE(store->ListVectors(1)->empty());

  FirmVectors uneven = MakeVectors(1);
  uneven.fields[3].push_back(0.4f);
  EXPECT_EQ(store->PutVectors(std::vector<StoredVectors>{{key, 1, uneven}}).code(),
            absl::StatusCode::kInvalidArgument);

  FirmVectors empty;  // a firm with no text in any field is still recorded
  ASSERT_TRUE(store->PutVectors(std::vector<StoredVectors>{{key, 1, empty}}).ok());
  absl::StatusOr<std::vector<StoredVectors>> listed = store->ListVectors(1);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_TRUE(SameVectors((*listed)[0], StoredVectors{key, 1, empty}));
}

TEST_F(FirmStoreTest, DamagedVectorBlobIsDataLoss) {
  {
    std::unique_ptr<FirmStore> store = OpenStore();
    ASSERT_NE(store, nullptr);
    const Firm a = MakeFirm("a", "A");
    const int64_t key = (*store->PutFirms({&a, 1}))[0];
    ASSERT_TRUE(store->PutVectors(std::vector<StoredVectors>{{key, 1, MakeVectors(1)}}).ok());
  }
  ASSERT_TRUE(RawDb()->Exec("UPDATE vectors SET topic = x'0102030405'", "damage").ok());
  std::unique_ptr<FirmStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  absl::StatusOr<std::vector<StoredVectors>> listed = store->ListVectors(1);
  EXPECT_EQ(listed.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(listed.status().message()), HasSubstr("topic"));
}

TEST_F(FirmStoreTest, DamagedProfileIsDataLoss) {
  {
    std::unique_ptr<FirmStore> store = OpenStore();
    ASSERT_NE(store, nullptr);
    const Firm a = MakeFirm("a", "A");
    ASSERT_TRUE(store->PutFirms({&a, 1}).ok());
  }
  ASSERT_TRUE(RawDb()->Exec(R"(UPDATE firms SET profile = '{"id":"a","fax":"1"}')", "damage").ok());
  std::unique_ptr<FirmStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->GetFirm("a").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(store->ListFirms().status().code(), absl::StatusCode::kDataLoss);
}

TEST_F(FirmStoreTest, SchemaVersionIsSetAndReopenDoesNotMigrateAgain) {
  {
    std::unique_ptr<FirmStore> store = OpenStore();
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->schema_version(), CurrentStoreSchemaVersion());
    EXPECT_GE(store->schema_version(), 1);
    const Firm a = MakeFirm("a", "A");
    ASSERT_TRUE(store->PutFirms({&a, 1}).ok());
  }
  {
    std::unique_ptr<SqliteDb> raw = RawDb();
    ASSERT_NE(raw, nullptr);
    EXPECT_EQ(*ReadSchemaVersion(*raw), CurrentStoreSchemaVersion());
    EXPECT_EQ(*raw->QueryText("PRAGMA journal_mode", "mode"), "wal");
    // Running step 1 again would fail on CREATE TABLE of existing tables.
    absl::StatusOr<int> version = MigrateSchema(*raw, StoreMigrations());
    ASSERT_TRUE(version.ok()) << version.status();
    EXPECT_EQ(*version, CurrentStoreSchemaVersion());
  }
  std::unique_ptr<FirmStore> store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(*store->CountFirms(), 1);
}

TEST_F(FirmStoreTest, MigrationStepsRunInOrderEachInItsOwnTransaction) {
  std::unique_ptr<SqliteDb> raw = RawDb();
  ASSERT_NE(raw, nullptr);
  const std::vector<std::string_view> two = {"CREATE TABLE t1(x)",
                                             "CREATE TABLE t2(x); INSERT INTO t1 VALUES(1)"};
  EXPECT_EQ(*MigrateSchema(*raw, two), 2);
  const std::vector<std::string_view> broken = {
      two[0], two[1], "CREATE TABLE t3(x); INSERT INTO nowhere VALUES(1)"};
  EXPECT_FALSE(MigrateSchema(*raw, broken).ok());
  EXPECT_EQ(*ReadSchemaVersion(*raw), 2);
  EXPECT_EQ(*raw->QueryInt("SELECT count(*) FROM sqlite_schema WHERE name = 't3'", "t3"), 0);
  EXPECT_EQ(*raw->QueryInt("SELECT count(*) FROM t1", "t1"), 1);
}

TEST_F(FirmStoreTest, StoreFromNewerCodeIsRefused) {
  { ASSERT_NE(OpenStore(), nullptr); }
  ASSERT_TRUE(RawDb()->Exec("PRAGMA user_version = 99", "bump").ok());
  absl::StatusOr<std::unique_ptr<FirmStore>> store = FirmStore::Open(path_, {});
  ASSERT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(store.status().message()), HasSubstr("newer"));
  EXPECT_EQ(FirmStore::Open(path_, ReadOnly()).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(FirmStoreTest, ForeignSqliteFileIsRefused) {
  ASSERT_TRUE(RawDb()->Exec("CREATE TABLE invoices(n)", "foreign").ok());
  absl::StatusOr<std::unique_ptr<FirmStore>> store = FirmStore::Open(path_, {});
  ASSERT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(store.status().message()), HasSubstr("not a clustermatch store"));
}

TEST_F(FirmStoreTest, MissingFileIsNotFoundWhenNotCreating) {
  EXPECT_EQ(FirmStore::Open(path_, ReadOnly()).status().code(), absl::StatusCode::kNotFound);
  StoreOptions no_create;
  no_create.create_if_missing = false;
  EXPECT_EQ(FirmStore::Open(path_, no_create).status().code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(path_));
}

TEST_F(FirmStoreTest, SecondWriterInSameProcessGetsTheHolder) {
  StoreOptions serve;
  serve.holder_command = "clustermatch serve";
  std::unique_ptr<FirmStore> first = OpenStore(serve);
  ASSERT_NE(first, nullptr);
  absl::StatusOr<std::unique_ptr<FirmStore>> second = FirmStore::Open(path_, {});
  ASSERT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  const std::string message(second.status().message());
  EXPECT_THAT(message, HasSubstr(absl::StrCat("store ", path_, " is locked for writing by pid ",
                                              getpid(), " (clustermatch serve)")));
  EXPECT_THAT(message, HasSubstr("stop that process or send writes through it (--server)"));
  first.reset();
  EXPECT_TRUE(FirmStore::Open(path_, {}).ok());
}

TEST_F(FirmStoreTest, WriterInAnotherProcessBlocksWritersButNotReaders) {
  { ASSERT_NE(OpenStore(), nullptr); }  // create the file
  std::unique_ptr<FirmStore> held;      // lives in the child only
  ForkedHolder child([&] {
    StoreOptions serve;
    serve.holder_command = "clustermatch serve";
    absl::StatusOr<std::unique_ptr<FirmStore>> store = FirmStore::Open(path_, serve);
    if (!store.ok()) return false;
    const Firm a = MakeFirm("a", "A");
    if (!(*store)->PutFirms({&a, 1}).ok()) return false;
    held = *std::move(store);
    return true;
  });
  ASSERT_TRUE(child.WaitReady());

  absl::StatusOr<std::unique_ptr<FirmStore>> writer = FirmStore::Open(path_, {});
  ASSERT_EQ(writer.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(writer.status().message()),
              HasSubstr(absl::StrCat("by pid ", child.pid(), " (clustermatch serve)")));

  std::unique_ptr<FirmStore> reader = OpenStore(ReadOnly());
  ASSERT_NE(reader, nullptr);
  EXPECT_TRUE(reader->read_only());
  absl::StatusOr<StoredFirm> a = reader->GetFirm("a");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->firm, MakeFirm("a", "A"));
  const Firm b = MakeFirm("b", "B");
  EXPECT_EQ(reader->PutFirms({&b, 1}).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(reader->DeleteFirm("a").code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(reader->PutModel("m", 1).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(reader->AddRelations({}).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(reader->PutVectors({}).code(), absl::StatusCode::kFailedPrecondition);
  reader.reset();

  EXPECT_EQ(child.Release(), 0);
  std::unique_ptr<FirmStore> after = OpenStore();
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(*after->CountFirms(), 1);
}

TEST_F(FirmStoreTest, ReadOnlyOpenOfClosedStoreReads) {
  {
    std::unique_ptr<FirmStore> store = OpenStore();
    ASSERT_NE(store, nullptr);
    const Firm a = MakeFirm("a", "A");
    ASSERT_TRUE(store->PutFirms({&a, 1}).ok());
  }
  std::unique_ptr<FirmStore> reader = OpenStore(ReadOnly());
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->schema_version(), CurrentStoreSchemaVersion());
  EXPECT_EQ(reader->GetFirm("a")->firm, MakeFirm("a", "A"));
  // A reader does not stop a writer.
  std::unique_ptr<FirmStore> writer = OpenStore();
  ASSERT_NE(writer, nullptr);
  const Firm b = MakeFirm("b", "B");
  ASSERT_TRUE(writer->PutFirms({&b, 1}).ok());
  EXPECT_EQ(*reader->CountFirms(), 2);
}

TEST_F(FirmStoreTest, InMemoryStoreTakesNoLock) {
  absl::StatusOr<std::unique_ptr<FirmStore>> first = FirmStore::Open(":memory:", {});
  absl::StatusOr<std::unique_ptr<FirmStore>> second = FirmStore::Open(":memory:", {});
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(second.ok()) << second.status();
  const Firm a = MakeFirm("a", "A");
  ASSERT_TRUE((*first)->PutFirms({&a, 1}).ok());
  EXPECT_EQ(*(*first)->CountFirms(), 1);
  EXPECT_EQ(*(*second)->CountFirms(), 0);
  EXPECT_FALSE(std::filesystem::exists(":memory:.lock"));
}

}  // namespace
}  // namespace clustermatch
