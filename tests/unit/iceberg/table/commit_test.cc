// SPDX-License-Identifier: Apache-2.0
// iceberg/table: creating tables and committing appends and overwrites (retried on lost races,
// at most once with a once-key), on the SQLite catalog. commit_interop_test.py and the e2e test
// have PyIceberg judge the tables.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "cqlbulk/iceberg/catalog/catalog.h"
#include "cqlbulk/iceberg/metadata/manifest.h"
#include "cqlbulk/iceberg/metadata/manifest_list.h"
#include "cqlbulk/iceberg/table/commit.h"
#include "cqlbulk/iceberg/table/table.h"
#include "testing/matchers.h"

namespace cqlbulk::iceberg {
namespace {

using ::cqlbulk::testing::IsError;
using ::cqlbulk::testing::IsOk;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "commit_test_XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

TableIdentifier Id(std::string_view text) { return TableIdentifier::Parse(text).value(); }

Schema TestSchema() {
  Schema schema;
  schema.fields = {NestedField::Required(1, "id", Type::Long()),
                   NestedField::Optional(2, "day", Type::Date())};
  schema.identifier_field_ids = {1};
  return schema;
}

PartitionSpec DaySpec() {
  PartitionSpec spec;
  spec.fields = {{2, 1000, "day_day", {Transform::Kind::kDay, 0}}};
  return spec;
}

DataFile File(const std::string& location, int n, int64_t records, int32_t day) {
  DataFile f;
  f.file_path = location + "/data/day_day=" + std::to_string(day) + "/f" + std::to_string(n) +
                ".parquet";
  f.partition = {Literal::Int(day)};
  f.record_count = records;
  f.file_size_in_bytes = 100 * records;
  return f;
}

// The live data files of the table's current snapshot, as our readers read them.
std::vector<std::string> LiveFiles(const Table& table) {
  std::vector<std::string> out;
  const Snapshot* s = table.metadata.CurrentSnapshot();
  if (s == nullptr) return out;
  std::vector<ManifestFile> manifests = ReadManifestList(s->manifest_list).value();
  for (const ManifestFile& m : manifests) {
    std::vector<ManifestEntry> entries = ReadManifest(m.manifest_path, &m).value();
    for (const ManifestEntry& e : entries) {
      if (e.status != ManifestEntryStatus::kDeleted) out.push_back(e.data_file.file_path);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

class CommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog_ = OpenCatalog(dir_.path() + "/catalog.db", "test").value();
    location_ = DefaultTableLocation(dir_.path(), Id("ns.t"));
  }
  Table Create() {
    return CreateTable(*catalog_, Id("ns.t"), location_, TestSchema(), DaySpec()).value();
  }

  TempDir dir_;
  std::unique_ptr<Catalog> catalog_;
  std::string location_;
};

TEST_F(CommitTest, CreateTableWritesVersionZeroAndCreatesTheNamespace) {
  Table table = Create();

  EXPECT_EQ(location_, dir_.path() + "/ns.db/t");
  EXPECT_THAT(table.metadata_location, ::testing::StartsWith(location_ + "/metadata/00000-"));
  EXPECT_TRUE(catalog_->NamespaceExists({"ns"}).value());
  Table loaded = LoadTable(*catalog_, Id("ns.t")).value();
  EXPECT_EQ(loaded.metadata, table.metadata);
  EXPECT_EQ(loaded.metadata.CurrentSnapshot(), nullptr);
  EXPECT_THAT(CreateTable(*catalog_, Id("ns.t"), location_, TestSchema(), DaySpec()),
              IsError(ErrorCode::kAlreadyExists));
}

TEST_F(CommitTest, AppendsChainSnapshotsWithSequenceNumbersAndTotals) {
  Table table = Create();
  CommitOptions options;
  options.summary_properties = {{"cqlbulk.run-id", "r1"}};

  auto first = CommitFiles(*catalog_, table.id, {File(location_, 1, 10, 5)}, TestSchema(),
                           DaySpec(), options);
  auto second = CommitFiles(*catalog_, table.id,
                            {File(location_, 2, 20, 5), File(location_, 3, 30, 6)}, TestSchema(),
                            DaySpec());

  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(second, IsOk());
  const TableMetadata& m = second->table.metadata;
  ASSERT_EQ(m.snapshots.size(), 2u);
  EXPECT_EQ(m.last_sequence_number, 2);
  EXPECT_EQ(m.snapshots[0].sequence_number, 1);
  EXPECT_EQ(m.snapshots[1].parent_snapshot_id, first->snapshot_id);
  EXPECT_EQ(m.snapshots[0].summary.at("cqlbulk.run-id"), "r1");
  EXPECT_EQ(m.snapshots[1].summary.at("operation"), "append");
  EXPECT_EQ(m.snapshots[1].summary.at("total-records"), "60");
  EXPECT_EQ(m.snapshots[1].summary.at("total-data-files"), "3");
  EXPECT_EQ(m.metadata_log.size(), 2u);
  EXPECT_EQ(m.metadata_log[1].metadata_file, first->table.metadata_location);
  EXPECT_EQ(LoadTable(*catalog_, table.id)->metadata_location, second->table.metadata_location);
  EXPECT_EQ(LiveFiles(second->table).size(), 3u);
  EXPECT_EQ(ReadManifestList(m.snapshots[1].manifest_list)->size(), 2u);
}

TEST_F(CommitTest, ManifestsWrittenAheadAreListedAsTheyAre) {
  // An export writes a manifest as each epoch ends, for the snapshot it will commit; the
  // commit lists them and counts the files it is given (without their metrics).
  Table table = Create();
  ASSERT_THAT(CommitFiles(*catalog_, table.id, {File(location_, 1, 10, 5)}, TestSchema(),
                          DaySpec()),
              IsOk());
  const int64_t snapshot_id = 4242;
  std::vector<DataFile> files = {File(location_, 2, 20, 5), File(location_, 3, 30, 6),
                                 File(location_, 4, 40, 7)};
  std::vector<ManifestFile> manifests;
  for (size_t i = 0; i < 2; ++i) {
    std::vector<ManifestEntry> entries(i == 0 ? 2 : 1);
    for (size_t e = 0; e < entries.size(); ++e) entries[e].data_file = files[i * 2 + e];
    std::filesystem::create_directories(location_ + "/metadata");
    auto m = WriteManifest(location_ + "/metadata/ahead-m" + std::to_string(i) + ".avro",
                           {.schema = TestSchema(), .spec = DaySpec(), .snapshot_id = snapshot_id},
                           std::move(entries));
    ASSERT_THAT(m, IsOk());
    manifests.push_back(*m);
  }
  CommitOptions options;
  options.snapshot_id = snapshot_id;
  options.manifests = manifests;
  auto result = CommitFiles(*catalog_, table.id, files, TestSchema(), DaySpec(), options);

  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->snapshot_id, snapshot_id);
  const Snapshot* s = result->table.metadata.CurrentSnapshot();
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->summary.at("added-data-files"), "3");
  EXPECT_EQ(s->summary.at("added-records"), "90");
  EXPECT_EQ(s->summary.at("total-records"), "100");
  EXPECT_EQ(s->summary.at("changed-partition-count"), "3");
  std::vector<ManifestFile> listed = ReadManifestList(s->manifest_list).value();
  ASSERT_EQ(listed.size(), 3u);  // the two written ahead, then the base's
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(listed[i].manifest_path, manifests[i].manifest_path);
    EXPECT_EQ(listed[i].added_snapshot_id, snapshot_id);
    EXPECT_EQ(listed[i].sequence_number, s->sequence_number);
  }
  EXPECT_EQ(LiveFiles(result->table).size(), 4u);
  // No manifest of the commit's own: only the two written ahead are new in metadata/.
  size_t avro = 0;
  for (const auto& entry : std::filesystem::directory_iterator(location_ + "/metadata")) {
    avro += entry.path().extension() == ".avro" &&
            entry.path().filename().string().find("-m0.avro") != std::string::npos &&
            entry.path().filename().string().rfind("ahead", 0) != 0;
  }
  EXPECT_EQ(avro, 1u);  // the first commit's
}

TEST_F(CommitTest, OverwriteReplacesEveryLiveFile) {
  Table table = Create();
  ASSERT_THAT(CommitFiles(*catalog_, table.id,
                          {File(location_, 1, 10, 5), File(location_, 2, 20, 6)}, TestSchema(),
                          DaySpec()),
              IsOk());
  CommitOptions overwrite{.operation = CommitOperation::kOverwrite};

  auto result = CommitFiles(*catalog_, table.id, {File(location_, 3, 7, 7)}, TestSchema(),
                            DaySpec(), overwrite);

  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(LiveFiles(result->table), ::testing::ElementsAre(File(location_, 3, 7, 7).file_path));
  const Snapshot* s = result->table.metadata.CurrentSnapshot();
  EXPECT_EQ(s->summary.at("operation"), "overwrite");
  EXPECT_EQ(s->summary.at("deleted-data-files"), "2");
  EXPECT_EQ(s->summary.at("deleted-records"), "30");
  EXPECT_EQ(s->summary.at("total-records"), "7");
  EXPECT_EQ(s->summary.at("changed-partition-count"), "3");
  // The deleted entries keep the sequence numbers of the snapshot that added them.
  std::vector<ManifestFile> manifests = ReadManifestList(s->manifest_list).value();
  for (const ManifestFile& m : manifests) {
    std::vector<ManifestEntry> entries = ReadManifest(m.manifest_path, &m).value();
    for (const ManifestEntry& e : entries) {
      EXPECT_EQ(e.sequence_number, e.status == ManifestEntryStatus::kDeleted ? 1 : 2);
      EXPECT_EQ(e.snapshot_id, s->snapshot_id);
    }
  }
}

TEST_F(CommitTest, CreatesTheTableWithItsFirstSnapshotWhenAsked) {
  CommitOptions options;
  options.create = NewTableOptions{.location = location_, .schema = TestSchema(),
                                   .spec = DaySpec(), .properties = {}};
  options.must_create = true;

  auto created = CommitFiles(*catalog_, Id("ns.t"), {File(location_, 1, 10, 5)}, TestSchema(),
                             DaySpec(), options);
  auto again = CommitFiles(*catalog_, Id("ns.t"), {File(location_, 2, 10, 5)}, TestSchema(),
                           DaySpec(), options);

  ASSERT_THAT(created, IsOk());
  EXPECT_TRUE(created->created);
  EXPECT_THAT(created->table.metadata_location,
              ::testing::StartsWith(location_ + "/metadata/00000-"));
  EXPECT_EQ(LoadTable(*catalog_, Id("ns.t"))->metadata.snapshots.size(), 1u);
  EXPECT_THAT(again, IsError(ErrorCode::kAlreadyExists));
  EXPECT_THAT(CommitFiles(*catalog_, Id("ns.other"), {}, TestSchema(), DaySpec()),
              IsError(ErrorCode::kNotFound));
}

TEST_F(CommitTest, OnceKeyCommitsAtMostOnce) {
  Table table = Create();
  CommitOptions options;
  options.once_key = {{"cqlbulk.run-id", "run-7"}};
  options.summary_properties = {{"cqlbulk.run-id", "run-7"}};

  auto first = CommitFiles(*catalog_, table.id, {File(location_, 1, 10, 5)}, TestSchema(),
                           DaySpec(), options);
  ASSERT_THAT(CommitFiles(*catalog_, table.id, {File(location_, 2, 1, 5)}, TestSchema(),
                          DaySpec()),
              IsOk());
  auto second = CommitFiles(*catalog_, table.id, {File(location_, 1, 10, 5)}, TestSchema(),
                            DaySpec(), options);

  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(second, IsOk());
  EXPECT_TRUE(second->already_committed);
  EXPECT_EQ(second->snapshot_id, first->snapshot_id);
  EXPECT_EQ(LoadTable(*catalog_, table.id)->metadata.snapshots.size(), 2u);
}

// A catalog whose next CommitTable first lets another writer commit: the commit loses the race.
class RacingCatalog : public Catalog {
 public:
  RacingCatalog(Catalog& inner, std::function<void()> rival) : inner_(inner), rival_(rival) {}
  const std::string& name() const override { return inner_.name(); }
  Status CreateNamespace(const Namespace& ns, const NamespaceProperties& p) override {
    return inner_.CreateNamespace(ns, p);
  }
  Result<bool> NamespaceExists(const Namespace& ns) override { return inner_.NamespaceExists(ns); }
  Result<std::vector<Namespace>> ListNamespaces(const Namespace& p) override {
    return inner_.ListNamespaces(p);
  }
  Result<NamespaceProperties> LoadNamespaceProperties(const Namespace& ns) override {
    return inner_.LoadNamespaceProperties(ns);
  }
  Result<std::vector<TableIdentifier>> ListTables(const Namespace& ns) override {
    return inner_.ListTables(ns);
  }
  Result<std::string> LoadTable(const TableIdentifier& id) override { return inner_.LoadTable(id); }
  Status CreateTable(const TableIdentifier& id, std::string_view location) override {
    return inner_.CreateTable(id, location);
  }
  Status CommitTable(const TableIdentifier& id, std::string_view expected,
                     std::string_view location) override {
    if (rival_) std::exchange(rival_, nullptr)();
    ++commits;
    return inner_.CommitTable(id, expected, location);
  }
  Status DropTable(const TableIdentifier& id) override { return inner_.DropTable(id); }
  int commits = 0;

 private:
  Catalog& inner_;
  std::function<void()> rival_;
};

TEST_F(CommitTest, ALostRaceIsRetriedOnTheNewBase) {
  Table table = Create();
  int64_t rival_id = 0;
  RacingCatalog racing(*catalog_, [&] {
    rival_id = CommitFiles(*catalog_, table.id, {File(location_, 9, 5, 5)}, TestSchema(),
                           DaySpec())
                   ->snapshot_id;
  });

  auto result = CommitFiles(racing, table.id, {File(location_, 1, 10, 6)}, TestSchema(),
                            DaySpec());

  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->attempts, 2);
  EXPECT_EQ(racing.commits, 2);
  Table loaded = LoadTable(*catalog_, table.id).value();
  const TableMetadata& m = loaded.metadata;
  ASSERT_EQ(m.snapshots.size(), 2u);
  EXPECT_EQ(m.snapshots[1].parent_snapshot_id, rival_id);
  EXPECT_EQ(m.snapshots[1].sequence_number, 2);
  EXPECT_EQ(m.snapshots[1].summary.at("total-records"), "15");
  EXPECT_EQ(LiveFiles(loaded).size(), 2u);
  // The losing attempt's manifest list and metadata file are gone: one list per snapshot.
  size_t lists = 0, metadata_files = 0;
  for (const auto& e : std::filesystem::directory_iterator(location_ + "/metadata")) {
    std::string name = e.path().filename().string();
    lists += name.rfind("snap-", 0) == 0;
    metadata_files += name.ends_with(".metadata.json");
  }
  EXPECT_EQ(lists, 2u);
  EXPECT_EQ(metadata_files, 3u);
}

TEST_F(CommitTest, ABaseThatNoLongerFitsTheFilesIsAClearError) {
  Table table = Create();
  Schema written = TestSchema();
  written.fields[1] = NestedField::Optional(2, "day", Type::String());

  auto result = CommitFiles(*catalog_, table.id, {File(location_, 1, 1, 5)}, written, DaySpec());
  PartitionSpec other = DaySpec();
  other.spec_id = 3;
  auto spec_result =
      CommitFiles(*catalog_, table.id, {File(location_, 1, 1, 5)}, TestSchema(), other);

  EXPECT_THAT(result, IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(result.error().message(), ::testing::HasSubstr("'day'"));
  EXPECT_THAT(spec_result, IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(spec_result.error().message(), ::testing::HasSubstr("partition spec"));
}

}  // namespace
}  // namespace cqlbulk::iceberg
