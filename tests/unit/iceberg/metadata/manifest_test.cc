// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/iceberg/metadata/manifest.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cqlbulk/formats/avro/container.h"
#include "cqlbulk/formats/io/memory_stream.h"
#include "cqlbulk/iceberg/metadata/manifest_list.h"
#include "testing/matchers.h"

namespace cqlbulk::iceberg {
namespace {

using testing::HasMessage;
using testing::IsError;

Schema Orders() {
  Schema schema;
  schema.fields = {NestedField::Required(1, "id", Type::Long()),
                   NestedField::Optional(2, "day", Type::Date()),
                   NestedField::Optional(3, "region", Type::String()),
                   NestedField::Optional(4, "price", Type::Decimal(9, 2))};
  return schema;
}

PartitionSpec ByDayRegionPrice() {
  PartitionSpec spec;
  spec.spec_id = 3;
  spec.fields = {{2, 1000, "day_day", {Transform::Kind::kDay, 0}},
                 {3, 1001, "region", {Transform::Kind::kIdentity, 0}},
                 {4, 1002, "price", {Transform::Kind::kIdentity, 0}}};
  return spec;
}

DataFile File(std::string path, int32_t day, std::optional<std::string> region,
              std::string price, int64_t records) {
  DataFile file;
  file.file_path = std::move(path);
  file.partition = {Literal::Int(day), region ? Literal::Bytes(*region) : Literal::Null(),
                    Literal::Bytes(std::move(price))};
  file.record_count = records;
  file.file_size_in_bytes = 1000 + records;
  file.column_sizes = {{1, 80}, {2, 40}};
  file.value_counts = {{1, records}, {2, records}};
  file.null_value_counts = {{1, 0}, {2, 1}};
  file.lower_bounds = {{1, std::string("\x01\0\0\0\0\0\0\0", 8)}};
  file.upper_bounds = {{1, std::string("\x09\0\0\0\0\0\0\0", 8)}};
  file.split_offsets = {4, 1200};
  file.sort_order_id = 0;
  return file;
}

struct Written {
  Bytes bytes;
  ManifestFile file;
};

Written WriteManifest(const std::vector<ManifestEntry>& entries,
                      formats::avro::Codec codec = formats::avro::Codec::kDeflate) {
  Written out;
  ManifestWriterOptions options{.schema = Orders(), .spec = ByDayRegionPrice(),
                                .snapshot_id = 77, .codec = codec};
  auto writer = ManifestWriter::Make(std::make_unique<formats::MemoryOutputStream>(&out.bytes),
                                     "file:///t/metadata/m0.avro", options);
  EXPECT_TRUE(writer.has_value()) << writer.error().ToString();
  for (const ManifestEntry& e : entries) {
    Status added = (*writer)->Add(e);
    EXPECT_TRUE(added.has_value()) << added.error().ToString();
  }
  auto file = (*writer)->Close();
  EXPECT_TRUE(file.has_value());
  out.file = *file;
  return out;
}

Result<std::vector<ManifestEntry>> Read(const Bytes& bytes, const ManifestFile* list_entry) {
  CQLBULK_ASSIGN_OR_RETURN(auto reader,
                           ManifestReader::Open(std::make_unique<formats::MemoryInputStream>(bytes),
                                                "m0.avro", list_entry));
  return reader->ReadAll();
}

ManifestEntry Entry(ManifestEntryStatus status, std::optional<int64_t> snapshot,
                    std::optional<int64_t> seq, DataFile file) {
  ManifestEntry e;
  e.status = status;
  e.snapshot_id = snapshot;
  e.sequence_number = seq;
  e.file_sequence_number = seq;
  e.data_file = std::move(file);
  return e;
}

TEST(ManifestTest, WritesAndReadsEntriesWithInheritance) {
  // -123 and 200 in minimal two's complement: 0x85; 0x00 0xC8.
  std::vector<ManifestEntry> entries = {
      Entry(ManifestEntryStatus::kAdded, std::nullopt, std::nullopt,
            File("file:///t/data/a.parquet", 19723, "eu", "\x85", 10)),
      Entry(ManifestEntryStatus::kExisting, 5, 3,
            File("file:///t/data/b.parquet", 19725, std::nullopt, std::string("\x00\xc8", 2), 20)),
      Entry(ManifestEntryStatus::kDeleted, 77, 2,
            File("file:///t/data/c.parquet", 19724, "us", "\x01", 30))};
  Written w = WriteManifest(entries);
  ManifestFile list_entry = w.file;
  list_entry.sequence_number = 9;

  CQLBULK_ASSERT_OK_AND_ASSIGN(std::vector<ManifestEntry> read, Read(w.bytes, &list_entry));

  ASSERT_EQ(read.size(), 3u);
  ManifestEntry first = entries[0];
  first.snapshot_id = 77;  // the writer's, as it is an added entry
  first.sequence_number = 9;
  first.file_sequence_number = 9;  // inherited from the manifest list entry
  EXPECT_EQ(read[0], first);
  EXPECT_EQ(read[1], entries[1]);
  EXPECT_EQ(read[2], entries[2]);
  CQLBULK_ASSERT_OK_AND_ASSIGN(std::vector<ManifestEntry> raw, Read(w.bytes, nullptr));
  EXPECT_EQ(raw[0].sequence_number, std::nullopt);  // written as null
  EXPECT_EQ(raw[0].snapshot_id, 77);
}

TEST(ManifestTest, CountsEntriesAndSummarisesPartitions) {
  std::vector<ManifestEntry> entries = {
      Entry(ManifestEntryStatus::kAdded, std::nullopt, std::nullopt,
            File("a", 19723, "eu", "\x85", 10)),
      Entry(ManifestEntryStatus::kAdded, std::nullopt, std::nullopt,
            File("b", 19725, std::nullopt, std::string("\x00\xc8", 2), 20)),
      Entry(ManifestEntryStatus::kExisting, 5, 3, File("c", 19724, "us", "\x01", 30)),
      Entry(ManifestEntryStatus::kDeleted, 77, 2, File("d", 19000, "aa", "\x01", 40))};

  ManifestFile f = WriteManifest(entries).file;

  EXPECT_EQ(f.manifest_path, "file:///t/metadata/m0.avro");
  EXPECT_EQ(f.partition_spec_id, 3);
  EXPECT_EQ(f.added_snapshot_id, 77);
  EXPECT_EQ(f.added_files_count, 2);
  EXPECT_EQ(f.added_rows_count, 30);
  EXPECT_EQ(f.existing_files_count, 1);
  EXPECT_EQ(f.existing_rows_count, 30);
  EXPECT_EQ(f.deleted_files_count, 1);
  EXPECT_EQ(f.deleted_rows_count, 40);
  EXPECT_EQ(f.sequence_number, kUnassignedSequenceNumber);
  EXPECT_EQ(f.min_sequence_number, 2);  // the least written, the deleted entry's included
  ASSERT_EQ(f.partitions.size(), 3u);
  // Dates as 4-byte little-endian day counts: 19000 = 0x4A38 (deleted files count too, as in
  // Java), 19725 = 0x4D0D.
  EXPECT_EQ(f.partitions[0].lower_bound, std::string("\x38\x4a\x00\x00", 4));
  EXPECT_EQ(f.partitions[0].upper_bound, std::string("\x0d\x4d\x00\x00", 4));
  EXPECT_FALSE(f.partitions[0].contains_null);
  EXPECT_EQ(f.partitions[0].contains_nan, false);
  EXPECT_TRUE(f.partitions[1].contains_null);
  EXPECT_EQ(f.partitions[1].lower_bound, "aa");
  EXPECT_EQ(f.partitions[1].upper_bound, "us");
  EXPECT_EQ(f.partitions[2].lower_bound, "\x85");  // -123 < 1 < 200 by value, not by bytes
  EXPECT_EQ(f.partitions[2].upper_bound, std::string("\x00\xc8", 2));
}

TEST(ManifestTest, TheAvroSchemaCarriesTheSpecsIds) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(std::string text,
                               ManifestEntrySchemaJson(Orders(), ByDayRegionPrice()));
  nlohmann::json schema = nlohmann::json::parse(text);
  const nlohmann::json& data_file = schema["fields"][4]["type"];
  const nlohmann::json& partition = data_file["fields"][3]["type"];

  EXPECT_EQ(schema["fields"][4]["field-id"], 2);
  EXPECT_EQ(partition["name"], "r102");
  EXPECT_EQ(partition["fields"][0]["field-id"], 1000);
  EXPECT_EQ(partition["fields"][0]["type"][1],
            nlohmann::json::parse(R"({"type": "int", "logicalType": "date"})"));
  EXPECT_EQ(partition["fields"][2]["type"][1]["name"], "decimal_9_2");
  EXPECT_EQ(partition["fields"][2]["type"][1]["size"], 4);  // 10^9 - 1 needs 4 bytes
  const nlohmann::json& bounds = data_file["fields"][10];
  EXPECT_EQ(bounds["name"], "lower_bounds");
  EXPECT_EQ(bounds["type"][1]["items"]["name"], "k126_v127");
  EXPECT_EQ(bounds["type"][1]["logicalType"], "map");
}

TEST(ManifestTest, RefusesAPartitionTupleThatDoesNotFitTheSpec) {
  Bytes bytes;
  ManifestWriterOptions options{.schema = Orders(), .spec = ByDayRegionPrice(),
                                .snapshot_id = 1};
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto writer, ManifestWriter::Make(std::make_unique<formats::MemoryOutputStream>(&bytes),
                                        "m.avro", options));
  DataFile short_tuple = File("x.parquet", 1, "eu", "\x01", 1);
  short_tuple.partition.pop_back();
  DataFile wrong_kind = File("y.parquet", 1, "eu", "\x01", 1);
  wrong_kind.partition[0] = Literal::Long(1);

  EXPECT_THAT(writer->AddFile(short_tuple), HasMessage("x.parquet: a partition tuple of 2"));
  EXPECT_THAT(writer->AddFile(wrong_kind), HasMessage("y.parquet: partition field 'day_day'"));
  CQLBULK_ASSERT_OK(writer->AddFile(File("z.parquet", 1, "eu", "\x01", 1)));
  CQLBULK_ASSERT_OK_AND_ASSIGN(ManifestFile file, writer->Close());
  EXPECT_EQ(file.added_files_count, 1);

  PartitionSpec bad = ByDayRegionPrice();
  bad.fields[1].source_id = 42;
  options.spec = bad;
  EXPECT_THAT(ManifestWriter::Make(std::make_unique<formats::MemoryOutputStream>(&bytes),
                                   "m.avro", options),
              HasMessage("source field 42"));
}

TEST(ManifestTest, BadManifestsAreCorruptAndNamed) {
  Written w = WriteManifest({Entry(ManifestEntryStatus::kAdded, std::nullopt, std::nullopt,
                                   File("a", 19723, "eu", "\x85", 10))});
  Bytes truncated(w.bytes.begin(), w.bytes.begin() + static_cast<long>(w.bytes.size() - 30));

  EXPECT_THAT(Read(truncated, nullptr), IsError(ErrorCode::kCorrupt));

  // A record that is no manifest entry.
  Bytes other;
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto schema, formats::avro::Schema::Parse(
      R"({"type": "record", "name": "x", "fields": [{"name": "a", "type": "int"}]})"));
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto writer, formats::avro::ContainerWriter::Make(
      schema, std::make_unique<formats::MemoryOutputStream>(&other)));
  CQLBULK_ASSERT_OK(writer->Close());
  EXPECT_THAT(Read(other, nullptr), HasMessage("manifest m0.avro: the schema has no status"));

  // A status out of range, in an otherwise good manifest.
  Bytes bad_status;
  CQLBULK_ASSERT_OK_AND_ASSIGN(std::string text,
                               ManifestEntrySchemaJson(Orders(), PartitionSpec{}));
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto entry_schema, formats::avro::Schema::Parse(text));
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto entry_writer, formats::avro::ContainerWriter::Make(
      entry_schema, std::make_unique<formats::MemoryOutputStream>(&bad_status)));
  using formats::avro::Value;
  auto null = [] { return Value::Union(0, Value::Null()); };
  Value data_file = Value::Record({Value::Int(0), Value::String("f"), Value::String("PARQUET"),
                                   Value::Record({}), Value::Long(1), Value::Long(2), null(),
                                   null(), null(), null(), null(), null(), null(), null(), null(),
                                   null()});
  CQLBULK_ASSERT_OK(entry_writer->Append(
      Value::Record({Value::Int(7), null(), null(), null(), std::move(data_file)})));
  CQLBULK_ASSERT_OK(entry_writer->Close());
  EXPECT_THAT(Read(bad_status, nullptr), HasMessage("m0.avro: entry 0: status 7"));
}

TEST(ManifestListTest, AssignsTheSnapshotsSequenceNumber) {
  ManifestFile added = WriteManifest({Entry(ManifestEntryStatus::kAdded, std::nullopt,
                                            std::nullopt, File("a", 1, "eu", "\x01", 10))})
                           .file;
  ManifestFile older = added;
  older.manifest_path = "file:///t/metadata/older.avro";
  older.sequence_number = 4;
  older.min_sequence_number = 2;
  older.added_snapshot_id = 5;
  older.partitions[0].contains_nan = std::nullopt;
  Bytes bytes;
  ManifestListWriterOptions options{.snapshot_id = 77, .parent_snapshot_id = 5,
                                    .sequence_number = 6};

  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto writer, ManifestListWriter::Make(std::make_unique<formats::MemoryOutputStream>(&bytes),
                                            options));
  CQLBULK_ASSERT_OK(writer->Add(added));
  CQLBULK_ASSERT_OK(writer->Add(older));
  ManifestFile future = older;
  future.sequence_number = 7;
  EXPECT_THAT(writer->Add(future), HasMessage("pass the snapshot's 6"));
  CQLBULK_ASSERT_OK(writer->Close());

  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto read, ReadManifestList(std::make_unique<formats::MemoryInputStream>(bytes), "l.avro"));
  ASSERT_EQ(read.size(), 2u);
  ManifestFile want = added;
  want.sequence_number = 6;
  want.min_sequence_number = 6;
  EXPECT_EQ(read[0], want);
  EXPECT_EQ(read[1], older);
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto reader, formats::avro::ContainerReader::OpenBytes(bytes, "l.avro"));
  EXPECT_EQ(reader->FindMetadata("snapshot-id"), "77");
  EXPECT_EQ(reader->FindMetadata("parent-snapshot-id"), "5");
  EXPECT_EQ(reader->FindMetadata("sequence-number"), "6");
  EXPECT_EQ(reader->FindMetadata("format-version"), "2");
}

TEST(ManifestTest, WritesNewFilesOnly) {
  std::string path = ::testing::TempDir() + "m_" + std::to_string(::getpid()) + ".avro";
  std::remove(path.c_str());
  ManifestWriterOptions options{.schema = Orders(), .spec = ByDayRegionPrice(),
                                .snapshot_id = 77};
  std::vector<ManifestEntry> entries = {Entry(ManifestEntryStatus::kAdded, std::nullopt,
                                              std::nullopt, File("a", 1, "eu", "\x01", 10))};

  CQLBULK_ASSERT_OK_AND_ASSIGN(ManifestFile file,
                               WriteManifest("file://" + path, options, entries));

  EXPECT_EQ(file.manifest_path, "file://" + path);
  EXPECT_THAT(WriteManifest(path, options, entries), IsError(ErrorCode::kAlreadyExists));
  CQLBULK_ASSERT_OK_AND_ASSIGN(std::vector<ManifestEntry> read, ReadManifest(path, &file));
  EXPECT_EQ(read.size(), 1u);
  EXPECT_EQ(static_cast<int64_t>(std::filesystem::file_size(path)), file.manifest_length);
  std::string list = path + ".list";
  std::remove(list.c_str());
  CQLBULK_ASSERT_OK(WriteManifestList(list, {.snapshot_id = 77, .sequence_number = 1}, {file}));
  EXPECT_THAT(WriteManifestList(list, {.snapshot_id = 77, .sequence_number = 1}, {file}),
              IsError(ErrorCode::kAlreadyExists));
  CQLBULK_ASSERT_OK_AND_ASSIGN(std::vector<ManifestFile> listed, ReadManifestList(list));
  EXPECT_EQ(listed.at(0).sequence_number, 1);
  std::remove(path.c_str());
  std::remove(list.c_str());
}

// Every byte changed, every length cut: an error or a value, never a crash (run under ASan in
// the sanitizer build).
TEST(ManifestTest, DamagedFilesNeverCrash) {
  Written w = WriteManifest({Entry(ManifestEntryStatus::kAdded, std::nullopt, std::nullopt,
                                   File("a", 19723, "eu", "\x85", 10)),
                             Entry(ManifestEntryStatus::kExisting, 5, 3,
                                   File("b", 19725, std::nullopt, "\x01", 20))},
                            formats::avro::Codec::kNull);
  Bytes list;
  {
    CQLBULK_ASSERT_OK_AND_ASSIGN(
        auto writer, ManifestListWriter::Make(std::make_unique<formats::MemoryOutputStream>(&list),
                                              {.snapshot_id = 1,
                                               .sequence_number = 5,
                                               .codec = formats::avro::Codec::kNull}));
    CQLBULK_ASSERT_OK(writer->Add(w.file));
    CQLBULK_ASSERT_OK(writer->Close());
  }
  size_t errors = 0;
  for (const Bytes* original : {&w.bytes, &list}) {
    for (size_t i = 0; i < original->size(); ++i) {
      for (int x : {0x01, 0x80, 0xff}) {
        Bytes damaged = *original;
        damaged[i] ^= static_cast<uint8_t>(x);
        bool ok = original == &w.bytes
                      ? Read(damaged, &w.file).has_value()
                      : ReadManifestList(std::make_unique<formats::MemoryInputStream>(damaged),
                                         "l.avro")
                            .has_value();
        errors += ok ? 0 : 1;
      }
      Bytes cut(original->begin(), original->begin() + static_cast<long>(i));
      errors += Read(cut, nullptr).has_value() ? 0 : 1;
    }
  }
  EXPECT_GT(errors, 0u);
}

}  // namespace
}  // namespace cqlbulk::iceberg
