// The API key table of the SQLite store (schema version 2), the migration of
// version 1 stores, and BackupTo, on real store files.
#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "engine/firm_json.h"
#include "engine/firm_store.h"
#include "engine/sqlite_statement.h"
#include "engine/store_schema.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/store_test_support.h"

namespace clustermatch {
namespace {

using ::clustermatch::store_test::ScratchDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

ApiKeyRecord MakeKey(const std::string& id, KeyRole role, char hash_byte) {
  ApiKeyRecord key;
  key.id = id;
  key.role = role;
  key.scope = KeyScope::kMembers;
  key.cluster = "changwon";
  key.label = "창원 사무국";
  key.secret_sha256 = std::string(32, hash_byte);
  key.created_at = "2024-05-01T09:00:00Z";
  return key;
}

Firm MakeFirm(const std::string& id) {
  Firm firm;
  firm.id = id;
  firm.name = "firm " + id;
  firm.offers = {"위탁 가공"};
  firm.clusters = {"changwon"};
  return firm;
}

std::vector<std::string> Ids(const std::vector<ApiKeyRecord>& keys) {
  std::vector<std::string> ids;
  for (const ApiKeyRecord& key : keys) ids.push_back(key.id);
  return ids;
}

std::vector<std::string> FirmIds(const FirmStore& store) {
  std::vector<std::string> ids;
  absl::StatusOr<std::vector<StoredFirm>> firms = store.ListFirms();
  EXPECT_TRUE(firms.ok()) << firms.status();
  if (firms.ok()) {
    for (const StoredFirm& stored : *firms) ids.push_back(stored.firm.id);
  }
  std::sort(ids.begin(), ids.end());  // ListFirms orders by key
  return ids;
}

constexpr char kIsoUtc[] = "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z";

class ApiKeyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(dir_.ok()); }

  std::unique_ptr<FirmStore> OpenStore(const std::string& path, bool read_only = false) {
    StoreOptions options;
    options.read_only = read_only;
    absl::StatusOr<std::unique_ptr<FirmStore>> store = FirmStore::Open(path, options);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }
  std::unique_ptr<SqliteDb> RawDb(const std::string& path) {
    absl::StatusOr<std::unique_ptr<SqliteDb>> db =
        SqliteDb::Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    EXPECT_TRUE(db.ok()) << db.status();
    return db.ok() ? *std::move(db) : nullptr;
  }

  ScratchDir dir_;
  const std::string path_ = dir_.File("firms.db");
};

TEST_F(ApiKeyStoreTest, KeysSurviveReopenInCreationOrder) {
  const ApiKeyRecord later_in_alphabet = MakeKey("ffffffffffff", KeyRole::kAdmin, 'a');
  ApiKeyRecord earlier_in_alphabet = MakeKey("000000000000", KeyRole::kReader, 'b');
  earlier_in_alphabet.scope = KeyScope::kPublic;
  earlier_in_alphabet.cluster = "";
  earlier_in_alphabet.label = "";
  ApiKeyRecord no_time = MakeKey("123456abcdef", KeyRole::kOrganiser, 'c');
  no_time.created_at = "";
  {
    std::unique_ptr<FirmStore> store = OpenStore(path_);
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->schema_version(), CurrentStoreSchemaVersion());
    ASSERT_TRUE(store->ListApiKeys().ok());
    EXPECT_TRUE(store->ListApiKeys()->empty());
    ASSERT_TRUE(store->PutApiKey(later_in_alphabet).ok());
    ASSERT_TRUE(store->PutApiKey(earlier_in_alphabet).ok());
    ASSERT_TRUE(store->PutApiKey(no_time).ok());
  }
  std::unique_ptr<FirmStore> store = OpenStore(path_, /*read_only=*/true);
  ASSERT_NE(store, nullptr);
  absl::StatusOr<std::vector<ApiKeyRecord>> keys = store->ListApiKeys();
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_THAT(Ids(*keys), ElementsAre("ffffffffffff", "000000000000", "123456abcdef"));
  EXPECT_EQ((*keys)[0], later_in_alphabet);
  EXPECT_EQ((*keys)[1], earlier_in_alphabet);
  EXPECT_THAT((*keys)[2].created_at, MatchesRegex(kIsoUtc));
  no_time.created_at = (*keys)[2].created_at;
  EXPECT_EQ((*keys)[2], no_time);
  EXPECT_FALSE((*keys)[2].revoked());
}

TEST_F(ApiKeyStoreTest, TakenIdIsAlreadyExistsAndKeepsTheFirstKey) {
  std::unique_ptr<FirmStore> store = OpenStore(path_);
  ASSERT_NE(store, nullptr);
  const ApiKeyRecord first = MakeKey("abcdefabcdef", KeyRole::kReader, 'x');
  ASSERT_TRUE(store->PutApiKey(first).ok());
  const absl::Status again = store->PutApiKey(MakeKey("abcdefabcdef", KeyRole::kAdmin, 'y'));
  EXPECT_EQ(again.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(again.message()), HasSubstr("abcdefabcdef"));
  ASSERT_TRUE(store->ListApiKeys().ok());
  EXPECT_THAT(*store->ListApiKeys(), ElementsAre(first));
}

TEST_F(ApiKeyStoreTest, BadRecordsAreRefusedAndReadOnlyStoresCannotWriteKeys) {
  {
    std::unique_ptr<FirmStore> store = OpenStore(path_);
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->PutApiKey(MakeKey("", KeyRole::kReader, 'a')).code(),
              absl::StatusCode::kInvalidArgument);
    ApiKeyRecord short_hash = MakeKey("aaaaaaaaaaaa", KeyRole::kReader, 'a');
    short_hash.secret_sha256 = "abc";
    const absl::Status status = store->PutApiKey(short_hash);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(status.message()), HasSubstr("secret_sha256"));
    ASSERT_TRUE(store->PutApiKey(MakeKey("bbbbbbbbbbbb", KeyRole::kReader, 'b')).ok());
    EXPECT_THAT(Ids(*store->ListApiKeys()), ElementsAre("bbbbbbbbbbbb"));
  }
  std::unique_ptr<FirmStore> reader = OpenStore(path_, /*read_only=*/true);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->PutApiKey(MakeKey("cccccccccccc", KeyRole::kReader, 'c')).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(reader->RevokeApiKey("bbbbbbbbbbbb", "2024-06-01T00:00:00Z").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(Ids(*reader->ListApiKeys()), ElementsAre("bbbbbbbbbbbb"));
}

TEST_F(ApiKeyStoreTest, RevokeKeepsTheFirstTimeAndUnknownIdIsNotFound) {
  {
    std::unique_ptr<FirmStore> store = OpenStore(path_);
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->PutApiKey(MakeKey("aaaaaaaaaaaa", KeyRole::kWriter, 'a')).ok());
    ASSERT_TRUE(store->PutApiKey(MakeKey("bbbbbbbbbbbb", KeyRole::kWriter, 'b')).ok());

    const absl::StatusOr<ApiKeyRecord> missing =
        store->RevokeApiKey("cccccccccccc", "2024-06-01T00:00:00Z");
    EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
    EXPECT_THAT(std::string(missing.status().message()), HasSubstr("cccccccccccc"));

    absl::StatusOr<ApiKeyRecord> revoked =
        store->RevokeApiKey("aaaaaaaaaaaa", "2024-06-01T00:00:00Z");
    ASSERT_TRUE(revoked.ok()) << revoked.status();
    EXPECT_EQ(revoked->revoked_at, "2024-06-01T00:00:00Z");
    EXPECT_EQ(revoked->role, KeyRole::kWriter);
    EXPECT_EQ(revoked->secret_sha256, std::string(32, 'a'));

    revoked = store->RevokeApiKey("aaaaaaaaaaaa", "2025-01-01T00:00:00Z");
    ASSERT_TRUE(revoked.ok()) << revoked.status();
    EXPECT_EQ(revoked->revoked_at, "2024-06-01T00:00:00Z");

    // No time given: now.
    revoked = store->RevokeApiKey("bbbbbbbbbbbb", "");
    ASSERT_TRUE(revoked.ok()) << revoked.status();
    EXPECT_THAT(revoked->revoked_at, MatchesRegex(kIsoUtc));
  }
  std::unique_ptr<FirmStore> store = OpenStore(path_);
  ASSERT_NE(store, nullptr);
  const std::vector<ApiKeyRecord> keys = *store->ListApiKeys();
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].revoked_at, "2024-06-01T00:00:00Z");
  EXPECT_TRUE(keys[1].revoked());
}

TEST_F(ApiKeyStoreTest, DamagedKeyRowIsDataLoss) {
  {
    std::unique_ptr<FirmStore> store = OpenStore(path_);
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->PutApiKey(MakeKey("aaaaaaaaaaaa", KeyRole::kWriter, 'a')).ok());
  }
  ASSERT_TRUE(RawDb(path_)->Exec("UPDATE api_keys SET role = 'boss'", "damage").ok());
  std::unique_ptr<FirmStore> store = OpenStore(path_);
  ASSERT_NE(store, nullptr);
  const absl::Status status = store->ListApiKeys().status();
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(status.message()), HasSubstr("boss"));
}

TEST_F(ApiKeyStoreTest, VersionOneStoreMigratesAndKeepsItsFirms) {
  {
    // A store as version 1 code left it: the first migration step only, and
    // one firm written by hand.
    std::unique_ptr<SqliteDb> raw = RawDb(path_);
    ASSERT_NE(raw, nullptr);
    absl::StatusOr<int> version = MigrateSchema(*raw, StoreMigrations().first(1));
    ASSERT_TRUE(version.ok()) << version.status();
    ASSERT_EQ(*version, 1);
    absl::StatusOr<std::string> profile = FirmToJson(MakeFirm("old-firm"));
    ASSERT_TRUE(profile.ok()) << profile.status();
    absl::StatusOr<SqliteStatement> insert = SqliteStatement::Prepare(
        *raw, "INSERT INTO firms(id, profile, updated_at) VALUES('old-firm', ?1, '2023-01-01')");
    ASSERT_TRUE(insert.ok()) << insert.status();
    insert->BindText(1, *profile);
    ASSERT_TRUE(insert->Run().ok());
    EXPECT_EQ(*raw->QueryInt("SELECT count(*) FROM sqlite_schema WHERE name = 'api_keys'", "t"), 0);
  }
  // Read-only code cannot migrate, so it refuses the old store.
  {
    StoreOptions read_only;
    read_only.read_only = true;
    absl::StatusOr<std::unique_ptr<FirmStore>> old = FirmStore::Open(path_, read_only);
    ASSERT_EQ(old.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(std::string(old.status().message()), HasSubstr("older"));
  }
  {
    std::unique_ptr<FirmStore> store = OpenStore(path_);
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->schema_version(), CurrentStoreSchemaVersion());
    EXPECT_THAT(FirmIds(*store), ElementsAre("old-firm"));
    ASSERT_TRUE(store->ListApiKeys().ok());
    EXPECT_TRUE(store->ListApiKeys()->empty());
    ASSERT_TRUE(store->PutApiKey(MakeKey("0123456789ab", KeyRole::kAdmin, 'k')).ok());
    ASSERT_TRUE(store->RevokeApiKey("0123456789ab", "2024-07-01T00:00:00Z").ok());
  }
  std::unique_ptr<SqliteDb> raw = RawDb(path_);
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(*ReadSchemaVersion(*raw), CurrentStoreSchemaVersion());
  EXPECT_EQ(*raw->QueryText("SELECT revoked_at FROM api_keys", "k"), "2024-07-01T00:00:00Z");
}

TEST_F(ApiKeyStoreTest, BackupIsAConsistentStoreWithTheSameContent) {
  const std::string copy = dir_.File("copy.db");
  std::unique_ptr<FirmStore> store = OpenStore(path_);
  ASSERT_NE(store, nullptr);
  const std::vector<Firm> firms = {MakeFirm("b"), MakeFirm("a"), MakeFirm("c")};
  ASSERT_TRUE(store->PutFirms(firms).ok());
  const std::vector<Relation> relations = {{"a", "b", RelationKind::kPartnered, "2024", "과제"}};
  ASSERT_TRUE(store->AddRelations(relations).ok());
  ASSERT_TRUE(store->PutModel(std::string("model\0blob", 10), 3).ok());
  const ApiKeyRecord key = MakeKey("aaaaaaaaaaaa", KeyRole::kAdmin, 'z');
  ASSERT_TRUE(store->PutApiKey(key).ok());

  absl::StatusOr<int64_t> bytes = store->BackupTo(copy);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_GT(*bytes, 0);
  EXPECT_EQ(static_cast<uintmax_t>(*bytes), std::filesystem::file_size(copy));

  // Writes after the backup do not reach the copy.
  ASSERT_TRUE(store->DeleteFirm("c").ok());

  // A second backup to the same path is refused and leaves the copy alone.
  const absl::StatusOr<int64_t> again = store->BackupTo(copy);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(again.status().message()), HasSubstr(copy));
  EXPECT_EQ(static_cast<uintmax_t>(*bytes), std::filesystem::file_size(copy));

  for (const bool read_only : {true, false}) {
    std::unique_ptr<FirmStore> backup = OpenStore(copy, read_only);
    ASSERT_NE(backup, nullptr);
    EXPECT_EQ(backup->schema_version(), CurrentStoreSchemaVersion());
    EXPECT_THAT(FirmIds(*backup), ElementsAre("a", "b", "c"));
    EXPECT_EQ(backup->ListRelations()->size(), 1u);
    absl::StatusOr<std::optional<StoredModel>> model = backup->CurrentModel();
    ASSERT_TRUE(model.ok() && model->has_value());
    EXPECT_EQ((*model)->blob, std::string("model\0blob", 10));
    EXPECT_THAT(*backup->ListApiKeys(), ElementsAre(key));
  }
  EXPECT_THAT(FirmIds(*store), ElementsAre("a", "b"));
}

TEST_F(ApiKeyStoreTest, BackupWorksFromReadOnlyAndInMemoryStores) {
  {
    std::unique_ptr<FirmStore> writer = OpenStore(path_);
    ASSERT_NE(writer, nullptr);
    const Firm firm = MakeFirm("x");
    ASSERT_TRUE(writer->PutFirms({&firm, 1}).ok());
    // A reader beside the open writer, as a serving process would be.
    std::unique_ptr<FirmStore> reader = OpenStore(path_, /*read_only=*/true);
    ASSERT_NE(reader, nullptr);
    const std::string copy = dir_.File("from_reader.db");
    ASSERT_TRUE(reader->BackupTo(copy).ok());
    std::unique_ptr<FirmStore> backup = OpenStore(copy, /*read_only=*/true);
    ASSERT_NE(backup, nullptr);
    EXPECT_THAT(FirmIds(*backup), ElementsAre("x"));
  }

  absl::StatusOr<std::unique_ptr<FirmStore>> memory = FirmStore::Open(":memory:", {});
  ASSERT_TRUE(memory.ok()) << memory.status();
  const Firm firm = MakeFirm("m");
  ASSERT_TRUE((*memory)->PutFirms({&firm, 1}).ok());
  const std::string copy = dir_.File("from_memory.db");
  ASSERT_TRUE((*memory)->BackupTo(copy).ok());
  std::unique_ptr<FirmStore> backup = OpenStore(copy);
  ASSERT_NE(backup, nullptr);
  EXPECT_THAT(FirmIds(*backup), ElementsAre("m"));
}

TEST_F(ApiKeyStoreTest, FailedBackupLeavesNoFile) {
  std::unique_ptr<FirmStore> store = OpenStore(path_);
  ASSERT_NE(store, nullptr);
  const std::string nowhere = dir_.File("missing-dir/copy.db");
  EXPECT_FALSE(store->BackupTo(nowhere).ok());
  EXPECT_FALSE(std::filesystem::exists(nowhere));
  EXPECT_EQ(store->BackupTo("").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace clustermatch
