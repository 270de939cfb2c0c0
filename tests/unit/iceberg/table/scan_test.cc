// SPDX-License-Identifier: Apache-2.0
// table/scan.cc: PlanScan on a table made with the metadata layer's writers: the snapshot
// chosen, manifests pruned by summaries, DELETED entries skipped and EXISTING ones kept, files
// pruned by partition and metrics, position deletes attached by partition and sequence number,
// equality deletes refused. (PyIceberg's tables are planned in tests/e2e/iceberg_import_test.py.)
#include "cqlbulk/iceberg/table/scan.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "cqlbulk/iceberg/metadata/manifest_list.h"
#include "cqlbulk/iceberg/spec/literal.h"
#include "testing/matchers.h"

namespace cqlbulk::iceberg {
namespace {

using cqlbulk::testing::HasMessage;
using cqlbulk::testing::IsError;

Schema TableSchema() {
  return Schema{0,
                {NestedField::Required(1, "id", Type::Long()),
                 NestedField::Optional(2, "region", Type::String()),
                 NestedField::Optional(3, "qty", Type::Int())},
                {1}};
}

PartitionSpec RegionSpec() {
  return PartitionSpec{0, {{2, 1000, "region", {Transform::Kind::kIdentity, 0}}}};
}

std::string IntBytes(int32_t v) { return *ToBytes(*Type::Int(), Literal::Int(v)); }

DataFile File(const std::string& name, std::optional<std::string> region, int32_t lo, int32_t hi,
              DataFileContent content = DataFileContent::kData) {
  DataFile f;
  f.content = content;
  f.file_path = "/data/" + name + ".parquet";
  f.partition = {region ? Literal::Bytes(*region) : Literal::Null()};
  f.record_count = 10;
  f.file_size_in_bytes = 100;
  f.value_counts = {{3, 10}};
  f.null_value_counts = {{3, 0}};
  f.lower_bounds = {{3, IntBytes(lo)}};
  f.upper_bounds = {{3, IntBytes(hi)}};
  return f;
}

ManifestEntry Entry(ManifestEntryStatus status, DataFile file, int64_t snapshot, int64_t seq) {
  ManifestEntry e;
  e.status = status;
  e.snapshot_id = snapshot;
  e.sequence_number = seq;
  e.file_sequence_number = seq;
  e.data_file = std::move(file);
  return e;
}

class ScanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("scan_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto made = MakeNewTableMetadata(dir_.string(), TableSchema(), RegionSpec());
    ASSERT_TRUE(made.has_value()) << made.error().message();
    metadata_ = std::move(*made);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  ManifestFile Manifest(const std::string& name, int64_t snapshot, int64_t seq,
                        std::vector<ManifestEntry> entries,
                        ManifestContent content = ManifestContent::kData) {
    ManifestWriterOptions options{.schema = TableSchema(), .spec = RegionSpec(),
                                  .snapshot_id = snapshot, .content = content};
    auto m = WriteManifest((dir_ / name).string(), options, std::move(entries));
    EXPECT_TRUE(m.has_value()) << m.error().message();
    m->sequence_number = seq;
    m->min_sequence_number = seq;
    return *m;
  }

  void Commit(int64_t snapshot, int64_t seq, const std::vector<ManifestFile>& manifests) {
    std::string list = (dir_ / ("snap-" + std::to_string(snapshot) + ".avro")).string();
    std::optional<int64_t> parent = metadata_.current_snapshot_id;
    ASSERT_TRUE(WriteManifestList(list, {.snapshot_id = snapshot, .parent_snapshot_id = parent,
                                         .sequence_number = seq},
                                  manifests)
                    .has_value());
    Snapshot s;
    s.snapshot_id = snapshot;
    s.parent_snapshot_id = parent;
    s.sequence_number = seq;
    s.timestamp_ms = 1000 * seq;
    s.manifest_list = list;
    s.summary = {{"operation", "append"}};
    s.schema_id = 0;
    ASSERT_TRUE(AddSnapshot(metadata_, s).has_value());
  }

  Result<ScanPlan> Plan(std::string filter = {}, std::optional<int64_t> snapshot = std::nullopt,
                        std::optional<int64_t> as_of = std::nullopt) {
    return PlanScan(metadata_, {.table_name = "ns.t", .snapshot_id = snapshot,
                                .as_of_ms = as_of, .filter = std::move(filter)});
  }

  static std::vector<std::string> Paths(const ScanPlan& plan) {
    std::vector<std::string> out;
    for (const ScanTask& t : plan.tasks) out.push_back(t.file.file_path);
    return out;
  }

  std::filesystem::path dir_;
  TableMetadata metadata_;
};

TEST_F(ScanTest, SnapshotsEntriesAndPruning) {
  // Snapshot 1: three files. Snapshot 2: an overwrite that deletes "us" and keeps the others.
  ManifestFile first = Manifest("m1.avro", 1, 1,
                                {Entry(ManifestEntryStatus::kAdded, File("eu", "eu", 1, 10), 1, 1),
                                 Entry(ManifestEntryStatus::kAdded, File("us", "us", 20, 30), 1, 1),
                                 Entry(ManifestEntryStatus::kAdded, File("none", {}, 5, 25), 1, 1)});
  Commit(1, 1, {first});
  ManifestFile rewritten = Manifest(
      "m2.avro", 2, 2,
      {Entry(ManifestEntryStatus::kExisting, File("eu", "eu", 1, 10), 1, 1),
       Entry(ManifestEntryStatus::kDeleted, File("us", "us", 20, 30), 2, 1),
       Entry(ManifestEntryStatus::kExisting, File("none", {}, 5, 25), 1, 1)});
  ManifestFile added = Manifest("m3.avro", 2, 2,
                                {Entry(ManifestEntryStatus::kAdded, File("apac", "apac", 40, 50), 2, 2)});
  Commit(2, 2, {rewritten, added});

  auto plan = Plan();
  ASSERT_TRUE(plan.has_value()) << plan.error().message();
  EXPECT_EQ(plan->snapshot_id, 2);
  EXPECT_THAT(Paths(*plan), ::testing::ElementsAre("/data/eu.parquet", "/data/none.parquet",
                                                   "/data/apac.parquet"));
  EXPECT_EQ(plan->files, 3);
  EXPECT_EQ(plan->records, 30);

  plan = Plan({}, 1);  // the older snapshot still has "us"
  ASSERT_TRUE(plan.has_value());
  EXPECT_THAT(Paths(*plan), ::testing::ElementsAre("/data/eu.parquet", "/data/us.parquet",
                                                   "/data/none.parquet"));
  plan = Plan({}, std::nullopt, 1500);  // as of 1.5 s: snapshot 1
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->snapshot_id, 1);

  // region = 'apac': the summaries of m2 (eu and null) rule it out; in m3 the file matches.
  plan = Plan("region = 'apac'");
  ASSERT_TRUE(plan.has_value());
  EXPECT_THAT(Paths(*plan), ::testing::ElementsAre("/data/apac.parquet"));
  EXPECT_EQ(plan->manifests, 2);
  EXPECT_EQ(plan->manifests_pruned, 1);
  // qty > 10: eu's bounds (1..10) rule it out; by partition nothing is pruned.
  plan = Plan("qty > 10");
  ASSERT_TRUE(plan.has_value());
  EXPECT_THAT(Paths(*plan), ::testing::ElementsAre("/data/none.parquet", "/data/apac.parquet"));
  EXPECT_EQ(plan->files_pruned_by_metrics, 1);
  EXPECT_EQ(plan->files_pruned_by_partition, 0);
  // region IS NULL keeps the null partition only (m3's summary has no null: pruned).
  plan = Plan("region IS NULL");
  ASSERT_TRUE(plan.has_value());
  EXPECT_THAT(Paths(*plan), ::testing::ElementsAre("/data/none.parquet"));
  EXPECT_EQ(plan->files_pruned_by_partition, 1);
  EXPECT_EQ(plan->manifests_pruned, 1);

  EXPECT_THAT(Plan({}, 99), HasMessage("table ns.t has no snapshot 99 (its snapshots: 1, 2)"));
  EXPECT_THAT(Plan({}, std::nullopt, 10), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(Plan("nope = 1"), HasMessage("no column nope"));
}

TEST_F(ScanTest, PositionDeletesAttachAndEqualityDeletesRefuse) {
  ManifestFile data = Manifest("d1.avro", 1, 1,
                               {Entry(ManifestEntryStatus::kAdded, File("eu", "eu", 1, 10), 1, 1),
                                Entry(ManifestEntryStatus::kAdded, File("us", "us", 1, 10), 1, 1)});
  Commit(1, 1, {data});
  ManifestFile later = Manifest("d2.avro", 3, 3,
                                {Entry(ManifestEntryStatus::kAdded, File("eu2", "eu", 1, 10), 3, 3)});
  // Position deletes of partition eu at sequence number 2: they apply to eu (1), not eu2 (3)
  // nor us (another partition); a DELETED entry is no delete at all.
  ManifestFile deletes = Manifest(
      "del.avro", 2, 2,
      {Entry(ManifestEntryStatus::kAdded, File("pos", "eu", 0, 0, DataFileContent::kPositionDeletes),
             2, 2),
       Entry(ManifestEntryStatus::kDeleted,
             File("gone", "us", 0, 0, DataFileContent::kPositionDeletes), 2, 2)},
      ManifestContent::kDeletes);
  Commit(3, 3, {data, deletes, later});
  auto plan = Plan();
  ASSERT_TRUE(plan.has_value()) << plan.error().message();
  ASSERT_EQ(plan->tasks.size(), 3u);
  EXPECT_EQ(plan->position_delete_files, 1);
  for (const ScanTask& t : plan->tasks) {
    bool applies = t.file.file_path == "/data/eu.parquet";
    EXPECT_EQ(t.position_deletes.size(), applies ? 1u : 0u) << t.file.file_path;
  }

  DataFile equality = File("eq", "eu", 0, 0, DataFileContent::kEqualityDeletes);
  equality.equality_ids = {1};
  ManifestFile eq = Manifest("eq.avro", 4, 4, {Entry(ManifestEntryStatus::kAdded, equality, 4, 4)},
                             ManifestContent::kDeletes);
  Commit(4, 4, {data, deletes, later, eq});
  EXPECT_THAT(Plan(), IsError(ErrorCode::kUnimplemented));
  EXPECT_THAT(Plan(), HasMessage("table ns.t at snapshot 4 has 1 equality delete file(s)"));
  EXPECT_TRUE(Plan({}, 3).has_value());  // the snapshot before it reads
}

}  // namespace
}  // namespace cqlbulk::iceberg
