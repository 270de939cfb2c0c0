// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/iceberg/metadata/table_metadata.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cqlbulk/iceberg/metadata/location.h"
#include "cqlbulk/iceberg/metadata/snapshot_summary.h"
#include "testing/matchers.h"

namespace cqlbulk::iceberg {
namespace {

using ::testing::HasSubstr;
using testing::HasMessage;
using testing::HasValue;
using testing::IsError;

Schema TwoColumns() {
  Schema schema;
  schema.fields = {NestedField::Required(1, "id", Type::Long()),
                   NestedField::Optional(2, "day", Type::Date())};
  schema.identifier_field_ids = {1};
  return schema;
}

PartitionSpec ByDay() {
  PartitionSpec spec;
  spec.fields = {{2, 1000, "day_day", {Transform::Kind::kDay, 0}}};
  return spec;
}

// A v2 metadata file as Java writes it (apache/iceberg format/spec.md fields; hand-written).
constexpr const char* kJavaV2 = R"({
  "format-version": 2,
  "table-uuid": "9c12d441-03fe-4693-9a96-a0705ddf69c1",
  "location": "s3://bucket/wh/db/t",
  "last-sequence-number": 2,
  "last-updated-ms": 1700000002000,
  "last-column-id": 2,
  "current-schema-id": 0,
  "schemas": [{"type": "struct", "schema-id": 0, "identifier-field-ids": [1], "fields": [
      {"id": 1, "name": "id", "required": true, "type": "long"},
      {"id": 2, "name": "day", "required": false, "type": "date"}]}],
  "default-spec-id": 0,
  "partition-specs": [{"spec-id": 0, "fields": [
      {"name": "day_day", "transform": "day", "source-id": 2, "field-id": 1000}]}],
  "last-partition-id": 1000,
  "default-sort-order-id": 0,
  "sort-orders": [{"order-id": 0, "fields": []}],
  "properties": {"owner": "me", "commit.retry.num-retries": "4"},
  "current-snapshot-id": 22,
  "refs": {"main": {"snapshot-id": 22, "type": "branch"},
           "v1": {"snapshot-id": 11, "type": "tag", "max-ref-age-ms": 1000}},
  "snapshots": [
    {"sequence-number": 1, "snapshot-id": 11, "timestamp-ms": 1700000001000,
     "summary": {"operation": "append", "added-records": "5"},
     "manifest-list": "s3://bucket/wh/db/t/metadata/snap-11.avro", "schema-id": 0},
    {"sequence-number": 2, "snapshot-id": 22, "parent-snapshot-id": 11,
     "timestamp-ms": 1700000002000, "summary": {"operation": "overwrite"},
     "manifest-list": "s3://bucket/wh/db/t/metadata/snap-22.avro", "schema-id": 0}],
  "statistics": [{"snapshot-id": 11, "statistics-path": "s3://x.puffin",
                  "file-size-in-bytes": 10, "file-footer-size-in-bytes": 5,
                  "blob-metadata": []}],
  "partition-statistics": [],
  "snapshot-log": [{"timestamp-ms": 1700000001000, "snapshot-id": 11},
                   {"timestamp-ms": 1700000002000, "snapshot-id": 22}],
  "metadata-log": [{"timestamp-ms": 1700000000000,
                    "metadata-file": "s3://bucket/wh/db/t/metadata/00000-a.metadata.json"}]
})";

TEST(TableMetadataTest, ReadsJavaV2Metadata) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(TableMetadata m, ParseTableMetadata(kJavaV2));

  EXPECT_EQ(m.format_version, 2);
  EXPECT_EQ(m.table_uuid, "9c12d441-03fe-4693-9a96-a0705ddf69c1");
  EXPECT_EQ(m.last_sequence_number, 2);
  EXPECT_EQ(m.CurrentSchema()->fields.size(), 2u);
  EXPECT_EQ(m.DefaultSpec()->fields.at(0).transform.kind, Transform::Kind::kDay);
  EXPECT_EQ(m.last_partition_id, 1000);
  EXPECT_EQ(m.properties.at("owner"), "me");
  ASSERT_NE(m.CurrentSnapshot(), nullptr);
  EXPECT_EQ(m.CurrentSnapshot()->snapshot_id, 22);
  EXPECT_EQ(m.CurrentSnapshot()->parent_snapshot_id, 11);
  EXPECT_EQ(m.CurrentSnapshot()->operation(), "overwrite");
  EXPECT_EQ(m.refs.at("v1").type, "tag");
  EXPECT_EQ(m.refs.at("v1").max_ref_age_ms, 1000);
  EXPECT_EQ(m.snapshot_log.size(), 2u);
  EXPECT_EQ(m.metadata_log.at(0).metadata_file,
            "s3://bucket/wh/db/t/metadata/00000-a.metadata.json");
  EXPECT_TRUE(m.extra.contains("statistics"));
}

TEST(TableMetadataTest, WritesWhatItReadsBack) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(TableMetadata m, ParseTableMetadata(kJavaV2));

  nlohmann::json json = TableMetadataToJson(m);

  EXPECT_EQ(json["current-snapshot-id"], 22);
  EXPECT_EQ(json["statistics"].size(), 1u);  // kept as it came
  EXPECT_EQ(json["snapshots"][1]["parent-snapshot-id"], 11);
  EXPECT_FALSE(json["snapshots"][0].contains("parent-snapshot-id"));
  EXPECT_EQ(json["partition-specs"][0]["fields"][0]["transform"], "day");
  CQLBULK_ASSERT_OK_AND_ASSIGN(TableMetadata back, TableMetadataFromJson(json));
  EXPECT_EQ(back, m);
}

TEST(TableMetadataTest, FindsTheSnapshotAsOfATime) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(TableMetadata m, ParseTableMetadata(kJavaV2));

  EXPECT_THAT(m.SnapshotAsOf(1699999999999), IsError(ErrorCode::kNotFound));
  CQLBULK_ASSERT_OK_AND_ASSIGN(const Snapshot* at_first, m.SnapshotAsOf(1700000001000));
  CQLBULK_ASSERT_OK_AND_ASSIGN(const Snapshot* between, m.SnapshotAsOf(1700000001999));
  CQLBULK_ASSERT_OK_AND_ASSIGN(const Snapshot* later, m.SnapshotAsOf(1800000000000));

  EXPECT_EQ(at_first->snapshot_id, 11);
  EXPECT_EQ(between->snapshot_id, 11);
  EXPECT_EQ(later->snapshot_id, 22);
  EXPECT_EQ(m.SnapshotById(33), nullptr);
}

TEST(TableMetadataTest, ReadsV1Metadata) {
  // v1: a single "schema" and "partition-spec", no sequence numbers, no refs; -1 for none.
  constexpr const char* kV1 = R"({
    "format-version": 1, "location": "/wh/t", "last-updated-ms": 5, "last-column-id": 2,
    "schema": {"type": "struct", "fields": [
        {"id": 1, "name": "id", "required": true, "type": "long"},
        {"id": 2, "name": "day", "required": false, "type": "date"}]},
    "partition-spec": [{"name": "day", "transform": "identity", "source-id": 2,
                        "field-id": 1000}],
    "properties": {}, "current-snapshot-id": 7,
    "snapshots": [{"snapshot-id": 7, "timestamp-ms": 5, "manifests": ["/wh/t/m0.avro"],
                   "summary": {"operation": "append"}}]
  })";

  CQLBULK_ASSERT_OK_AND_ASSIGN(TableMetadata m, ParseTableMetadata(kV1));

  EXPECT_EQ(m.format_version, 1);
  EXPECT_EQ(m.last_partition_id, 1000);
  EXPECT_EQ(m.DefaultSpec()->fields.at(0).name, "day");
  EXPECT_EQ(m.CurrentSnapshot()->sequence_number, 0);
  EXPECT_EQ(m.CurrentSnapshot()->manifests, std::vector<std::string>{"/wh/t/m0.avro"});
  EXPECT_EQ(m.refs.at("main").snapshot_id, 7);
  nlohmann::json json = TableMetadataToJson(m);
  EXPECT_TRUE(json.contains("schema"));
  EXPECT_TRUE(json.contains("partition-spec"));
}

TEST(TableMetadataTest, ErrorsNameTheKey) {
  auto with = [](const std::string& key, nlohmann::json value) {
    nlohmann::json json = nlohmann::json::parse(kJavaV2);
    if (value.is_discarded()) {
      json.erase(key);
    } else {
      json[key] = std::move(value);
    }
    return TableMetadataFromJson(json);
  };
  nlohmann::json erase(nlohmann::json::value_t::discarded);

  EXPECT_THAT(with("location", erase), HasMessage("'location' is missing"));
  EXPECT_THAT(with("last-sequence-number", "x"),
              HasMessage("'last-sequence-number' must be an integer"));
  EXPECT_THAT(with("current-schema-id", 5), HasMessage("'current-schema-id' 5 names no schema"));
  EXPECT_THAT(with("current-snapshot-id", 99), HasMessage("'current-snapshot-id' 99"));
  EXPECT_THAT(with("format-version", 3), IsError(ErrorCode::kUnimplemented));
  nlohmann::json snapshots = nlohmann::json::parse(kJavaV2)["snapshots"];
  snapshots[1].erase("manifest-list");
  EXPECT_THAT(with("snapshots", snapshots),
              HasMessage("snapshots[1]: 'manifest-list' is missing"));
  nlohmann::json schemas = nlohmann::json::parse(kJavaV2)["schemas"];
  schemas[0]["fields"][1].erase("type");
  EXPECT_THAT(with("schemas", schemas), HasMessage("schemas[0]"));
  EXPECT_THAT(with("refs", {{"main", {{"snapshot-id", 5}, {"type", "branch"}}}}),
              HasMessage("refs.main: 'snapshot-id' 5 names no snapshot"));
  EXPECT_THAT(ParseTableMetadata("{\"format-version\": 2,"), IsError(ErrorCode::kCorrupt));
  EXPECT_THAT(ParseTableMetadata("[]"), HasMessage("not a JSON object"));
}

// Each key of the metadata and of a snapshot given each JSON type, or removed: an error or a
// value, never a crash.
TEST(TableMetadataTest, WrongTypesNeverCrash) {
  nlohmann::json base = nlohmann::json::parse(kJavaV2);
  std::vector<nlohmann::json> values = {nullptr, -1, 1.5, "x", nlohmann::json::array(),
                                        nlohmann::json::object(), true,
                                        nlohmann::json::array({1, "a"})};
  size_t errors = 0;
  auto attempt = [&](const nlohmann::json& json) {
    errors += TableMetadataFromJson(json).has_value() ? 0 : 1;
  };
  for (const auto& [key, unused] : base.items()) {
    nlohmann::json removed = base;
    removed.erase(key);
    attempt(removed);
    for (const nlohmann::json& v : values) {
      nlohmann::json changed = base;
      changed[key] = v;
      attempt(changed);
    }
  }
  for (const char* list : {"snapshots", "snapshot-log", "metadata-log", "sort-orders",
                           "schemas", "partition-specs"}) {
    for (const auto& [key, unused] : base[list][0].items()) {
      for (const nlohmann::json& v : values) {
        nlohmann::json changed = base;
        changed[list][0][key] = v;
        attempt(changed);
      }
    }
  }
  EXPECT_GT(errors, 100u);
}

TEST(TableMetadataTest, MakesANewTable) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(TableMetadata m,
                               MakeNewTableMetadata("file:///wh/db/t/", TwoColumns(), ByDay()));

  EXPECT_EQ(m.location, "file:///wh/db/t");
  EXPECT_EQ(m.format_version, 2);
  EXPECT_EQ(m.table_uuid.size(), 36u);
  EXPECT_EQ(m.table_uuid[14], '4');  // version 4
  EXPECT_EQ(m.last_column_id, 2);
  EXPECT_EQ(m.last_partition_id, 1000);
  EXPECT_EQ(m.CurrentSnapshot(), nullptr);
  EXPECT_EQ(TableMetadataToJson(m)["current-snapshot-id"], -1);
  EXPECT_EQ(TableMetadataToJson(m)["sort-orders"],
            nlohmann::json::parse(R"([{"order-id": 0, "fields": []}])"));
  CQLBULK_ASSERT_OK_AND_ASSIGN(TableMetadata other,
                               MakeNewTableMetadata("/wh/t", TwoColumns(), ByDay()));
  EXPECT_NE(other.table_uuid, m.table_uuid);

  PartitionSpec bad = ByDay();
  bad.fields[0].source_id = 9;
  EXPECT_THAT(MakeNewTableMetadata("/wh/t", TwoColumns(), bad),
              HasMessage("source field 9 is not a primitive field"));
}

TEST(TableMetadataTest, AddsSnapshotsInOrder) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(TableMetadata m,
                               MakeNewTableMetadata("/wh/t", TwoColumns(), ByDay()));
  Snapshot first;
  first.snapshot_id = 1;
  first.sequence_number = 1;
  first.timestamp_ms = 100;
  first.manifest_list = "/wh/t/metadata/snap-1.avro";

  CQLBULK_ASSERT_OK(AddSnapshot(m, first));
  Snapshot stale = first;
  stale.snapshot_id = 2;  // parent missing and sequence number not above the last
  Snapshot second = first;
  second.snapshot_id = 2;
  second.parent_snapshot_id = 1;
  second.sequence_number = 2;

  EXPECT_THAT(AddSnapshot(m, first), HasMessage("has a snapshot with that id"));
  EXPECT_THAT(AddSnapshot(m, stale), HasMessage("is not above the table's last"));
  CQLBULK_ASSERT_OK(AddSnapshot(m, second));
  EXPECT_EQ(m.current_snapshot_id, 2);
  EXPECT_EQ(m.refs.at("main").snapshot_id, 2);
  EXPECT_EQ(m.last_sequence_number, 2);
  EXPECT_EQ(m.snapshot_log.size(), 2u);
}

TEST(SnapshotSummaryTest, AddsToTheParentsTotals) {
  DataFile a;
  a.record_count = 10;
  a.file_size_in_bytes = 100;
  a.partition = {Literal::Int(1)};
  DataFile b = a;
  DataFile c = a;
  c.partition = {Literal::Null()};
  Snapshot parent;
  parent.summary = {{"operation", "append"}, {"total-records", "5"}, {"total-data-files", "x"}};

  auto first = AppendSummary(nullptr, {a, b, c});
  auto next = AppendSummary(&parent, {a});

  EXPECT_EQ(first.at("added-data-files"), "3");
  EXPECT_EQ(first.at("added-records"), "30");
  EXPECT_EQ(first.at("added-files-size"), "300");
  EXPECT_EQ(first.at("changed-partition-count"), "2");
  EXPECT_EQ(first.at("total-records"), "30");
  EXPECT_EQ(first.at("total-delete-files"), "0");
  EXPECT_EQ(next.at("total-records"), "15");
  EXPECT_FALSE(next.contains("total-data-files"));  // the parent's is not a number
  EXPECT_FALSE(next.contains("total-files-size"));  // the parent has none
}

TEST(TableMetadataTest, NamesMetadataFilesLikeJava) {
  EXPECT_EQ(MetadataFileName(1, "abc"), "00001-abc.metadata.json");
  EXPECT_EQ(MetadataFileName(123456, "abc"), "123456-abc.metadata.json");
  EXPECT_EQ(MetadataFileVersion("file:///wh/t/metadata/00012-9c12d441.metadata.json"), 12);
  EXPECT_EQ(MetadataFileVersion("/wh/t/metadata/v3.metadata.json"), 3);
  EXPECT_EQ(MetadataFileVersion("/wh/t/metadata/abc.metadata.json"), std::nullopt);
  TableMetadata m;
  m.location = "file:///wh/t";
  EXPECT_THAT(NextMetadataLocation(m), HasSubstr("file:///wh/t/metadata/00000-"));
  EXPECT_THAT(NextMetadataLocation(m, "file:///wh/t/metadata/00041-x.metadata.json"),
              HasSubstr("file:///wh/t/metadata/00042-"));
}

TEST(TableMetadataTest, LocationsAreLocalPaths) {
  EXPECT_THAT(LocalPath("file:///wh/t"), HasValue(std::string("/wh/t")));
  EXPECT_THAT(LocalPath("file:/wh/t"), HasValue(std::string("/wh/t")));
  EXPECT_THAT(LocalPath("/wh/t"), HasValue(std::string("/wh/t")));
  EXPECT_THAT(LocalPath("s3://bucket/t"), IsError(ErrorCode::kUnimplemented));
  EXPECT_THAT(LocalPath("wh/t"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_EQ(JoinLocation("file:///wh/", "metadata"), "file:///wh/metadata");
}

TEST(TableMetadataTest, WritesFilesOnceAndWhole) {
  std::string dir = ::testing::TempDir() + "meta_" + std::to_string(::getpid());
  std::filesystem::remove_all(dir);
  CQLBULK_ASSERT_OK_AND_ASSIGN(TableMetadata m,
                               MakeNewTableMetadata("file://" + dir, TwoColumns(), ByDay()));
  std::string location = NextMetadataLocation(m);

  CQLBULK_ASSERT_OK(WriteTableMetadata(m, location));  // creates <dir>/metadata
  TableMetadata changed = m;
  changed.properties["k"] = "v";

  EXPECT_THAT(WriteTableMetadata(changed, location), IsError(ErrorCode::kAlreadyExists));
  CQLBULK_ASSERT_OK_AND_ASSIGN(TableMetadata back, ReadTableMetadata(location));
  EXPECT_EQ(back, m);  // the first file, unchanged
  size_t files = 0;
  for ([[maybe_unused]] auto& entry : std::filesystem::directory_iterator(dir + "/metadata")) {
    ++files;
  }
  EXPECT_EQ(files, 1u);  // no temporary file left behind
  EXPECT_THAT(ReadTableMetadata("file://" + dir + "/metadata/none.metadata.json"),
              IsError(ErrorCode::kNotFound));
  std::ofstream(dir + "/metadata/bad.metadata.json") << "{\"format-version\": 2}";
  EXPECT_THAT(ReadTableMetadata(dir + "/metadata/bad.metadata.json"),
              HasMessage("bad.metadata.json: table metadata: 'table-uuid' is missing"));
  std::filesystem::remove_all(dir);
}

TEST(TableMetadataTest, ReadsGzipMetadata) {
  std::string dir = ::testing::TempDir() + "meta_gz_" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/00001-x.metadata.json") << kJavaV2;
  // gzip(1) is the referee that compresses.
  std::string command = "gzip -c '" + dir + "/00001-x.metadata.json' > '" + dir +
                        "/00001-x.gz.metadata.json'";
  ASSERT_EQ(std::system(command.c_str()), 0);

  CQLBULK_ASSERT_OK_AND_ASSIGN(TableMetadata m,
                               ReadTableMetadata(dir + "/00001-x.gz.metadata.json"));

  EXPECT_EQ(m.table_uuid, "9c12d441-03fe-4693-9a96-a0705ddf69c1");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cqlbulk::iceberg
