// SPDX-License-Identifier: Apache-2.0
// Object container files: the writer's bytes, round trips with each codec and many blocks,
// reading as another schema, and every kind of damage a reader must report.
#include "cqlbulk/formats/avro/container.h"

#include <string>

#include <gtest/gtest.h>

#include "avro/avro_test_util.h"
#include "cqlbulk/formats/avro/value_json.h"
#include "cqlbulk/formats/io/memory_stream.h"
#include "testing/matchers.h"

namespace cqlbulk::formats::avro {
namespace {

using cqlbulk::testing::HasMessage;
using cqlbulk::testing::IsError;
using cqlbulk::testing::IsOk;

constexpr SyncMarker kSync = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

// Options without designated initializers (g++ 12 warns about the members they leave out).
ContainerWriterOptions Options(Codec codec, size_t block_records = 0,
                               std::optional<SyncMarker> sync = kSync, Metadata metadata = {}) {
  ContainerWriterOptions options;
  options.codec = codec;
  options.block_records = block_records;
  options.sync_marker = sync;
  options.metadata = std::move(metadata);
  return options;
}

// A manifest entry whose values vary with i.
Value ManifestEntry(const Schema& schema, int i) {
  std::string bucket = i % 3 == 0 ? "null" : "{\"int\": " + std::to_string(i % 16) + "}";
  std::string json = R"({"status": 1, "snapshot_id": {"long": )" + std::to_string(1000 + i) +
                     R"(}, "sequence_number": null, "file_sequence_number": null,
      "data_file": {"content": 0, "file_path": "s3://bucket/t/data/f-)" + std::to_string(i) +
                     R"(.parquet", "file_format": "PARQUET",
          "partition": {"id_bucket": )" + bucket + R"(},
          "record_count": )" + std::to_string(i * 1000) + R"(, "file_size_in_bytes": 123456,
          "column_sizes": {"array": [{"key": 1, "value": 40}, {"key": 2, "value": 4000}]},
          "value_counts": null, "null_value_counts": {"array": []}, "nan_value_counts": null,
          "lower_bounds": {"array": [{"key": 1, "value": "\u0001\u0000\u0000\u0000"}]},
          "upper_bounds": {"array": [{"key": 1, "value": "\u00ff\u0000\u0000\u0000"}]},
          "key_metadata": null, "split_offsets": {"array": [4, 1048580]}, "equality_ids": null,
          "sort_order_id": {"int": 0}, "referenced_data_file": null}})";
  Result<Value> v = ValueFromJsonText(schema, json);
  EXPECT_TRUE(v.has_value()) << v.error().ToString();
  return v.has_value() ? *v : Value();
}

Bytes WriteFile(const Schema& schema, const std::vector<Value>& records,
                ContainerWriterOptions options) {
  Bytes file;
  auto writer = ContainerWriter::Make(schema, std::make_unique<MemoryOutputStream>(&file),
                                      std::move(options));
  EXPECT_TRUE(writer.has_value()) << writer.error().ToString();
  for (const Value& r : records) {
    EXPECT_THAT((*writer)->Append(r), IsOk());
  }
  EXPECT_THAT((*writer)->Close(), IsOk());
  EXPECT_EQ((*writer)->bytes_written(), file.size());
  return file;
}

Result<std::vector<Value>> ReadFile(Bytes file, ContainerReaderOptions options = {}) {
  auto reader = ContainerReader::OpenBytes(std::move(file), "m.avro", std::move(options));
  if (!reader.has_value()) return reader.error();
  std::vector<Value> out;
  while (true) {
    Result<std::optional<Value>> next = (*reader)->Next();
    if (!next.has_value()) return next.error();
    if (!*next) return out;
    out.push_back(std::move(**next));
  }
}

TEST(AvroContainerTest, ExactBytesOfASmallFile) {
  Schema s = ParseOrDie("\"long\"");
  Bytes file = WriteFile(s, {Value::Long(1), Value::Long(-1)},
                         Options(Codec::kNull));
  std::string expected = "4f626a01";  // Obj\x01
  expected += "04";                   // 2 metadata entries
  expected += "16" + ToHex(AsBytes("avro.schema")) + "0c" + ToHex(AsBytes("\"long\""));
  expected += "14" + ToHex(AsBytes("avro.codec")) + "08" + ToHex(AsBytes("null"));
  expected += "00" + ToHex(BytesView(kSync));
  expected += "04" "04" "0201" + ToHex(BytesView(kSync));  // 2 records in 2 bytes
  EXPECT_EQ(ToHex(file), expected);
}

TEST(AvroContainerTest, ManifestRoundTripsWithEachCodecAndManyBlocks) {
  Schema s = ParseOrDie(IcebergManifestEntrySchema());
  std::vector<Value> records;
  for (int i = 0; i < 1000; ++i) records.push_back(ManifestEntry(s, i));
  for (Codec codec : {Codec::kNull, Codec::kDeflate, Codec::kSnappy}) {
    SCOPED_TRACE(CodecName(codec));
    Metadata metadata = {{"schema", R"({"type":"struct","schema-id":0,"fields":[]})"},
                         {"partition-spec", "[]"},
                         {"partition-spec-id", "0"},
                         {"format-version", "2"},
                         {"content", "data"}};
    Bytes file = WriteFile(s, records,
                           Options(codec, 64, std::nullopt, metadata));
    auto reader = ContainerReader::OpenBytes(file, "m.avro");
    ASSERT_THAT(reader, IsOk());
    EXPECT_EQ((*reader)->codec(), codec);
    EXPECT_EQ((*reader)->writer_schema(), s);
    EXPECT_EQ((*reader)->FindMetadata("avro.codec"), CodecName(codec));
    EXPECT_EQ((*reader)->FindMetadata("partition-spec-id"), "0");
    EXPECT_EQ((*reader)->FindMetadata("content"), "data");
    EXPECT_EQ((*reader)->metadata().size(), 7u);
    for (int i = 0; i < 1000; ++i) {
      CQLBULK_ASSERT_OK_AND_ASSIGN(std::optional<Value> v, (*reader)->Next());
      ASSERT_TRUE(v.has_value());
      ASSERT_EQ(*v, records[static_cast<size_t>(i)]) << i;
    }
    EXPECT_THAT((*reader)->Next(), cqlbulk::testing::HasValue(std::optional<Value>()));
    EXPECT_EQ((*reader)->num_blocks_read(), 16u);  // 15 blocks of 64, then 40
    EXPECT_EQ((*reader)->num_records_read(), 1000u);
  }
}

TEST(AvroContainerTest, BlocksEndAtTheirByteSizeAndOnFlush) {
  Schema s = ParseOrDie("\"string\"");
  Bytes file;
  ContainerWriterOptions options = Options(Codec::kDeflate);
  options.block_bytes = 1000;
  auto writer = ContainerWriter::Make(s, std::make_unique<MemoryOutputStream>(&file), options);
  ASSERT_THAT(writer, IsOk());
  for (int i = 0; i < 100; ++i) {
    ASSERT_THAT((*writer)->Append(Value::String(std::string(99, 'a'))), IsOk());  // 100 bytes
  }
  EXPECT_EQ((*writer)->num_blocks(), 10u);
  ASSERT_THAT((*writer)->Append(Value::String("x")), IsOk());
  ASSERT_THAT((*writer)->Flush(), IsOk());
  EXPECT_EQ((*writer)->num_blocks(), 11u);
  ASSERT_THAT((*writer)->Flush(), IsOk());  // nothing to write
  ASSERT_THAT((*writer)->Close(), IsOk());
  EXPECT_EQ((*writer)->num_blocks(), 11u);
  EXPECT_EQ((*writer)->num_records(), 101u);
  CQLBULK_ASSERT_OK_AND_ASSIGN(std::vector<Value> read, ReadFile(file));
  ASSERT_EQ(read.size(), 101u);
  EXPECT_EQ(read.back(), Value::String("x"));
}

TEST(AvroContainerTest, AnEmptyFileHasOnlyItsHeader) {
  Schema s = ParseOrDie(IcebergManifestFileSchema());
  Bytes file = WriteFile(s, {}, Options(Codec::kDeflate, 0, std::nullopt));
  CQLBULK_ASSERT_OK_AND_ASSIGN(std::vector<Value> read, ReadFile(file));
  EXPECT_TRUE(read.empty());
}

TEST(AvroContainerTest, WriterRefusesBadOptionsAndValues) {
  Schema s = ParseOrDie("\"int\"");
  Bytes file;
  EXPECT_THAT(ContainerWriter::Make(s, std::make_unique<MemoryOutputStream>(&file),
                                    Options(Codec::kNull, 0, kSync, {{"avro.codec", "x"}})),
              HasMessage("reserved"));
  ContainerWriterOptions bad_level = Options(Codec::kDeflate);
  bad_level.deflate_level = 10;
  EXPECT_THAT(ContainerWriter::Make(s, std::make_unique<MemoryOutputStream>(&file), bad_level),
              HasMessage("deflate level 10"));
  file.clear();
  auto writer = ContainerWriter::Make(s, std::make_unique<MemoryOutputStream>(&file), {});
  ASSERT_THAT(writer, IsOk());
  EXPECT_THAT((*writer)->Append(Value::String("no")), IsError(ErrorCode::kInvalidArgument));
  ASSERT_THAT((*writer)->Append(Value::Int(5)), IsOk());
  ASSERT_THAT((*writer)->Close(), IsOk());
  EXPECT_THAT(ReadFile(file), cqlbulk::testing::HasValue(std::vector<Value>{Value::Int(5)}));
}

ContainerReaderOptions ReadAs(Schema schema) {
  ContainerReaderOptions options;
  options.reader_schema = std::move(schema);
  return options;
}

TEST(AvroContainerTest, ReadsAsTheReadersSchema) {
  Schema writer = ParseOrDie(R"({"type": "record", "name": "r", "fields": [
      {"name": "a", "type": "int"}, {"name": "b", "type": "string"}]})");
  Bytes file = WriteFile(writer, {Value::Record({Value::Int(1), Value::String("x")})}, {});
  Schema reader = ParseOrDie(R"({"type": "record", "name": "r", "fields": [
      {"name": "b", "type": "bytes"}, {"name": "a", "type": "double"},
      {"name": "c", "type": "int", "default": 9}]})");
  EXPECT_THAT(ReadFile(file, ReadAs(reader)),
              cqlbulk::testing::HasValue(std::vector<Value>{Value::Record(
                  {Value::BytesFromChars("x"), Value::Double(1), Value::Int(9)})}));
  Schema incompatible = ParseOrDie(R"({"type": "record", "name": "r", "fields": [
      {"name": "d", "type": "int"}]})");
  EXPECT_THAT(ReadFile(file, ReadAs(incompatible)),
              HasMessage("m.avro: reader's schema: r: the reader's field d has no default"));
}

// The io helpers behind the deflate and snappy codecs.
TEST(AvroContainerTest, RawDeflateAndSnappyLength) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "manifest entry " + std::to_string(i % 97) + "\n";
  data::Buffer compressed;
  ASSERT_THAT(RawDeflate(AsBytes(text), 6, compressed), IsOk());
  EXPECT_LT(compressed.size(), text.size() / 10);
  data::Buffer out;
  out.Append<uint8_t>('>');
  ASSERT_THAT(RawInflate(compressed.view(), text.size(), out), IsOk());
  EXPECT_EQ(AsChars(out.view()), ">" + text);
  // One byte under its size is past the limit, and leaves the output as it was.
  out.Clear();
  EXPECT_THAT(RawInflate(compressed.view(), text.size() - 1, out),
              HasMessage("decompresses to more than " + std::to_string(text.size() - 1)));
  EXPECT_EQ(out.size(), 0u);
  EXPECT_THAT(RawInflate(compressed.view().first(compressed.size() / 2), text.size(), out),
              HasMessage("truncated"));
  // Bytes after the end of the stream are ignored (fastavro writes 3 there).
  data::Buffer trailing;
  trailing.Append(compressed.view());
  trailing.Append(AsBytes("xyz"));
  ASSERT_THAT(RawInflate(trailing.view(), text.size(), out), IsOk());
  EXPECT_EQ(out.size(), text.size());
  Bytes garbage = {0xFF, 0xFF, 0xFF, 0xFF};
  EXPECT_THAT(RawInflate(garbage, 100, out), IsError(ErrorCode::kCorrupt));
  EXPECT_THAT(RawDeflate(AsBytes(text), 0, compressed), HasMessage("level 0 is not in 1..9"));
  EXPECT_THAT(SnappyUncompressedLength(Bytes{0xAC, 0x02}), cqlbulk::testing::HasValue(300u));
  EXPECT_THAT(SnappyUncompressedLength(Bytes{0xFF}), IsError(ErrorCode::kCorrupt));
}

class AvroContainerCorruptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    schema_ = ParseOrDie(R"({"type": "record", "name": "r", "fields": [
        {"name": "id", "type": "long"}, {"name": "name", "type": "string"}]})");
    for (int i = 0; i < 10; ++i) {
      records_.push_back(
          Value::Record({Value::Long(i), Value::String("name " + std::to_string(i))}));
    }
  }
  Bytes File(Codec codec) {
    return WriteFile(schema_, records_, Options(codec, 4));
  }
  // The offset of the first block: after the header's sync marker.
  static size_t FirstBlock(const Bytes& file) {
    for (size_t i = 0; i + 16 <= file.size(); ++i) {
      if (std::equal(kSync.begin(), kSync.end(), file.begin() + static_cast<ptrdiff_t>(i))) {
        return i + 16;
      }
    }
    return 0;
  }

  Schema schema_;
  std::vector<Value> records_;
};

TEST_F(AvroContainerCorruptTest, EveryTruncationIsAnErrorOrFewerWholeBlocks) {
  for (Codec codec : {Codec::kNull, Codec::kDeflate, Codec::kSnappy}) {
    Bytes file = File(codec);
    for (size_t n = 0; n < file.size(); ++n) {
      Result<std::vector<Value>> read =
          ReadFile(Bytes(file.begin(), file.begin() + static_cast<ptrdiff_t>(n)));
      if (read.has_value()) {
        // Only a cut between blocks reads: whole blocks of 4 records.
        EXPECT_EQ(read->size() % 4, 0u) << n;
        EXPECT_TRUE(std::equal(read->begin(), read->end(), records_.begin())) << n;
      } else {
        EXPECT_EQ(read.error().code(), ErrorCode::kCorrupt) << n << " " << read.error().ToString();
      }
    }
  }
}

TEST_F(AvroContainerCorruptTest, DamageIsReportedWithTheBlockAndOffset) {
  Bytes file = File(Codec::kNull);
  size_t first = FirstBlock(file);
  Bytes bad_magic = file;
  bad_magic[3] = 2;
  EXPECT_THAT(ReadFile(bad_magic), HasMessage("m.avro: not an Avro object container file"));
  Bytes bad_sync = file;
  bad_sync[file.size() - 1] ^= 1;
  EXPECT_THAT(ReadFile(bad_sync), HasMessage("block 2 at byte"));
  EXPECT_THAT(ReadFile(bad_sync), HasMessage("the sync marker after its"));
  // A count of more records than the block holds: the fifth record passes the end.
  Bytes more = file;
  more[first] = 10;  // 5 records
  EXPECT_THAT(ReadFile(more), HasMessage("m.avro: block 0 at byte " + std::to_string(first) +
                                         ": r.id: the input ends inside a varint"));
  Bytes fewer = file;
  fewer[first] = 6;  // 3 records
  EXPECT_THAT(ReadFile(fewer), HasMessage("bytes follow its last record"));
  Bytes huge = file;
  huge[first] = 0x80;  // an unterminated count that runs into the size: a huge count
  EXPECT_THAT(ReadFile(huge), IsError(ErrorCode::kCorrupt));
  Bytes too_big = file;
  // A block claiming 2^40 bytes.
  too_big.erase(too_big.begin() + static_cast<ptrdiff_t>(first + 1));
  Bytes claim = {0x80, 0x80, 0x80, 0x80, 0x80, 0x40};
  too_big.insert(too_big.begin() + static_cast<ptrdiff_t>(first + 1), claim.begin(), claim.end());
  EXPECT_THAT(ReadFile(too_big), HasMessage("bytes (at most 268435456 bytes)"));
}

TEST_F(AvroContainerCorruptTest, CodecDamage) {
  Bytes deflate = File(Codec::kDeflate);
  size_t first = FirstBlock(deflate);
  Bytes flipped = deflate;
  flipped[first + 2] |= 0x06;  // the first deflate block's BTYPE 11: reserved, an error
  EXPECT_THAT(ReadFile(flipped), IsError(ErrorCode::kCorrupt));
  Bytes snappy = File(Codec::kSnappy);
  first = FirstBlock(snappy);
  // The last byte of the first block's checksum: the block size is at first + 1.
  size_t size = snappy[first + 1] >> 1;
  Bytes bad_crc = snappy;
  bad_crc[first + 2 + size - 1] ^= 1;
  EXPECT_THAT(ReadFile(bad_crc), HasMessage("m.avro: block 0 at byte " + std::to_string(first) +
                                            ": the snappy block's CRC-32 is"));
}

TEST_F(AvroContainerCorruptTest, HeaderDamage) {
  Schema s = ParseOrDie("\"int\"");
  Bytes file = WriteFile(s, {}, Options(Codec::kNull));
  std::string text(file.begin(), file.end());
  std::string unknown = text;
  unknown.replace(unknown.find("null"), 4, "zstx");
  EXPECT_THAT(ReadFile(Bytes(unknown.begin(), unknown.end())),
              IsError(ErrorCode::kUnimplemented));
  std::string no_schema = text;
  no_schema.replace(no_schema.find("avro.schema"), 11, "avro.schemx");
  EXPECT_THAT(ReadFile(Bytes(no_schema.begin(), no_schema.end())),
              HasMessage("the header has no avro.schema"));
  std::string bad_schema = text;
  bad_schema.replace(bad_schema.find("\"int\""), 5, "\"inx\"");
  EXPECT_THAT(ReadFile(Bytes(bad_schema.begin(), bad_schema.end())),
              HasMessage("avro.schema: Avro schema: unknown type 'inx'"));
  Bytes many = {'O', 'b', 'j', 1, 0xfe, 0xff, 0xff, 0xff, 0x0f};
  EXPECT_THAT(ReadFile(many), HasMessage("more than 65536 metadata entries"));
  Bytes long_key = {'O', 'b', 'j', 1, 0x02, 0xd0, 0x0f, 'a'};  // a key of 1000 bytes
  EXPECT_THAT(ReadFile(long_key), HasMessage("the file ends inside the header's metadata"));
}

}  // namespace
}  // namespace cqlbulk::formats::avro
