// SPDX-License-Identifier: Apache-2.0
// FileMetaData and PageHeader: Serialize -> Parse round trips, bytes written by hand from
// parquet.thrift, unknown fields and enum values, and corrupt footers and page headers.
#include "cqlbulk/formats/parquet/format/metadata.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cqlbulk/formats/parquet/format/thrift_compact.h"
#include "testing/matchers.h"

namespace cqlbulk::formats::parquet {
namespace {

using cqlbulk::testing::HasMessage;
using cqlbulk::testing::IsError;
using cqlbulk::testing::IsOk;
using ::testing::ElementsAre;
using Kind = LogicalTypeAnnotation::Kind;

Bytes ToBytes(const data::Buffer& buffer) {
  return Bytes(buffer.data(), buffer.data() + buffer.size());
}

template <typename T>
Bytes SerializeToBytes(const T& value) {
  data::Buffer buffer;
  Serialize(value, buffer);
  return ToBytes(buffer);
}

Bytes Write(const std::function<void(CompactWriter&)>& write) {
  data::Buffer buffer;
  CompactWriter writer(buffer);
  write(writer);
  return ToBytes(buffer);
}

SchemaElement Leaf(std::string name, PhysicalType type, LogicalTypeAnnotation logical = {},
                   Repetition repetition = Repetition::kOptional) {
  return {.type = type,
          .repetition_type = repetition,
          .name = std::move(name),
          .logical_type = logical};
}

SchemaElement Group(std::string name, int32_t num_children,
                    std::optional<Repetition> repetition = Repetition::kOptional) {
  return {.repetition_type = repetition, .name = std::move(name), .num_children = num_children};
}

Statistics FullStatistics() {
  return {.max = "\x09\x00\x00\x00",
          .min = std::string("\x00\x00\x00\x00", 4),
          .null_count = 3,
          .distinct_count = 7,
          .max_value = "zz",
          .min_value = "",
          .is_max_value_exact = true,
          .is_min_value_exact = false,
          .nan_count = 0};
}

ColumnChunk Chunk(std::string path, int64_t offset) {
  return {.file_path = std::nullopt,
          .file_offset = offset,
          .meta_data = ColumnMetaData{
              .type = PhysicalType::kByteArray,
              .encodings = {Encoding::kPlain, Encoding::kRle, Encoding::kRleDictionary,
                            static_cast<Encoding>(42)},
              .path_in_schema = {"tags", "list", std::move(path)},
              .codec = CompressionCodec::kZstd,
              .num_values = 1'000'000,
              .total_uncompressed_size = 123'456'789'012,
              .total_compressed_size = 23'456'789,
              .key_value_metadata = {{.key = "k", .value = "v"}, {.key = "no value"}},
              .data_page_offset = offset + 100,
              .index_page_offset = offset + 50,
              .dictionary_page_offset = offset,
              .statistics = FullStatistics(),
              .encoding_stats = {{.page_type = PageType::kDictionaryPage,
                                  .encoding = Encoding::kPlain,
                                  .count = 1},
                                 {.page_type = PageType::kDataPage,
                                  .encoding = Encoding::kRleDictionary,
                                  .count = 12}},
              .bloom_filter_offset = offset + 5000,
              .bloom_filter_length = 4096,
          },
          .offset_index_offset = offset + 9000,
          .offset_index_length = 40,
          .column_index_offset = offset + 9100,
          .column_index_length = 60};
}

// Every field cqlbulk models, set; every logical type; unknown enum values.
FileMetaData FullMetaData() {
  using L = LogicalTypeAnnotation;
  FileMetaData m;
  m.version = 1;
  m.schema = {
      Group("schema", 18, std::nullopt),
      Leaf("s", PhysicalType::kByteArray, L::Of(Kind::kString)),
      Leaf("e", PhysicalType::kByteArray, L::Of(Kind::kEnum)),
      Leaf("d", PhysicalType::kFixedLenByteArray, L::Decimal(38, 9)),
      Leaf("day", PhysicalType::kInt32, L::Of(Kind::kDate)),
      Leaf("t", PhysicalType::kInt64, L::Time(true, TimeUnit::kNanos)),
      Leaf("ts", PhysicalType::kInt64, L::Timestamp(false, TimeUnit::kMicros)),
      Leaf("ts_ms", PhysicalType::kInt64, L::Timestamp(true, TimeUnit::kMillis)),
      Leaf("u8", PhysicalType::kInt32, L::Integer(8, false)),
      Leaf("i64", PhysicalType::kInt64, L::Integer(64, true), Repetition::kRequired),
      Leaf("nothing", PhysicalType::kInt32, L::Of(Kind::kUnknown)),
      Leaf("j", PhysicalType::kByteArray, L::Of(Kind::kJson)),
      Leaf("b", PhysicalType::kByteArray, L::Of(Kind::kBson)),
      Leaf("id", PhysicalType::kFixedLenByteArray, L::Of(Kind::kUuid)),
      Leaf("half", PhysicalType::kFixedLenByteArray, L::Of(Kind::kFloat16)),
      Leaf("old", PhysicalType::kInt96),
      Group("tags", 1),
      Group("list", 1, Repetition::kRepeated),
      Leaf("element", PhysicalType::kByteArray),
      Group("m", 1),
      Group("key_value", 2, Repetition::kRepeated),
      Leaf("key", PhysicalType::kByteArray, L::Of(Kind::kString), Repetition::kRequired),
      Leaf("value", PhysicalType::kInt32),
      Leaf("new", PhysicalType::kBoolean, {}, static_cast<Repetition>(3)),
  };
  m.schema[3].type_length = 16;
  m.schema[3].scale = 9;
  m.schema[3].precision = 38;
  m.schema[3].converted_type = ConvertedType::kDecimal;
  m.schema[1].converted_type = ConvertedType::kUtf8;
  m.schema[1].field_id = 1;
  m.schema[13].type_length = 16;
  m.schema[14].type_length = 2;
  m.schema[16].logical_type = L::Of(Kind::kList);
  m.schema[16].converted_type = ConvertedType::kList;
  m.schema[16].field_id = -7;
  m.schema[19].logical_type = L::Of(Kind::kMap);
  m.schema[19].converted_type = ConvertedType::kMap;
  m.schema[19].field_id = 2'000'000'000;
  m.schema[22].converted_type = static_cast<ConvertedType>(77);
  m.num_rows = 3'000'000'000;
  m.row_groups = {
      {.columns = {Chunk("element", 4), Chunk("other", 1000)},
       .total_byte_size = 10'000,
       .num_rows = 2'000'000'000,
       .file_offset = 4,
       .total_compressed_size = 9'000,
       .ordinal = 0},
      {.columns = {Chunk("element", 20'000)}, .total_byte_size = 1, .num_rows = 1'000'000'000},
  };
  m.row_groups[1].columns[0].file_path = "other.parquet";
  m.row_groups[1].columns[0].meta_data->codec = static_cast<CompressionCodec>(99);
  m.key_value_metadata = {{.key = "ARROW:schema", .value = std::string("\x00\xff", 2)},
                          {.key = "empty", .value = ""},
                          {.key = "absent"}};
  m.created_by = "cqlbulk version 0.1";
  m.column_orders = {ColumnOrder::kTypeDefined, ColumnOrder::kIeee754TotalOrder,
                     ColumnOrder::kInt96Timestamp, ColumnOrder::kUnrecognized};
  return m;
}

TEST(ParquetMetadataTest, FileMetaDataRoundTrips) {
  FileMetaData metadata = FullMetaData();

  Bytes bytes = SerializeToBytes(metadata);
  Result<FileMetaData> parsed = ParseFileMetaData(bytes);

  ASSERT_THAT(parsed, IsOk());
  EXPECT_TRUE(*parsed == metadata);
  EXPECT_EQ(SerializeToBytes(*parsed), bytes);
}

TEST(ParquetMetadataTest, MinimalFileMetaDataRoundTrips) {
  FileMetaData metadata;
  metadata.schema = {Group("schema", 0, std::nullopt)};

  Bytes bytes = SerializeToBytes(metadata);

  // version 2, schema [ {name "schema", num_children 0} ], num_rows 0, row_groups [].
  EXPECT_THAT(bytes, ElementsAre(0x15, 0x04, 0x19, 0x1C, 0x48, 6, 's', 'c', 'h', 'e', 'm', 'a',
                                 0x15, 0x00, 0x00, 0x16, 0x00, 0x19, 0x0C, 0x00));
  Result<FileMetaData> parsed = ParseFileMetaData(bytes);
  ASSERT_THAT(parsed, IsOk());
  EXPECT_TRUE(*parsed == metadata);
}

TEST(ParquetMetadataTest, EveryPageHeaderKindRoundTrips) {
  std::vector<PageHeader> headers = {
      {.type = PageType::kDataPage,
       .uncompressed_page_size = 1 << 20,
       .compressed_page_size = 1000,
       .crc = -123456789,
       .data_page_header = DataPageHeader{.num_values = 100,
                                          .encoding = Encoding::kRleDictionary,
                                          .definition_level_encoding = Encoding::kRle,
                                          .repetition_level_encoding = Encoding::kBitPacked,
                                          .statistics = FullStatistics()}},
      {.type = PageType::kDictionaryPage,
       .uncompressed_page_size = 10,
       .compressed_page_size = 12,
       .dictionary_page_header = DictionaryPageHeader{
           .num_values = 3, .encoding = Encoding::kPlainDictionary, .is_sorted = false}},
      {.type = PageType::kDataPageV2,
       .uncompressed_page_size = 0,
       .compressed_page_size = 0,
       .data_page_header_v2 = DataPageHeaderV2{.num_values = 9,
                                               .num_nulls = 2,
                                               .num_rows = 4,
                                               .encoding = Encoding::kDeltaByteArray,
                                               .definition_levels_byte_length = 3,
                                               .repetition_levels_byte_length = 5,
                                               .is_compressed = false,
                                               .statistics = Statistics{.null_count = 2}}},
      {.type = PageType::kIndexPage, .uncompressed_page_size = 1, .compressed_page_size = 1},
  };

  for (const PageHeader& header : headers) {
    Bytes bytes = SerializeToBytes(header);
    bytes.insert(bytes.end(), {0xAA, 0xBB});  // the page's data
    size_t header_size = 0;

    Result<PageHeader> parsed = ParsePageHeader(bytes, &header_size);

    ASSERT_THAT(parsed, IsOk());
    EXPECT_TRUE(*parsed == header) << PageTypeName(header.type);
    EXPECT_EQ(header_size, bytes.size() - 2);
  }
}

// A DATA_PAGE header encoded by hand from parquet.thrift, independent of our writer.
TEST(ParquetMetadataTest, PageHeaderOfKnownBytes) {
  const Bytes bytes = {
      0x15, 0x00,        // 1: type = DATA_PAGE
      0x15, 0xC8, 0x01,  // 2: uncompressed_page_size = 100
      0x15, 0xA0, 0x01,  // 3: compressed_page_size = 80
      0x2C,              // 5: data_page_header
      0x15, 0x14,        //   1: num_values = 10
      0x15, 0x10,        //   2: encoding = RLE_DICTIONARY
      0x15, 0x06,        //   3: definition_level_encoding = RLE
      0x15, 0x06,        //   4: repetition_level_encoding = RLE
      0x00, 0x00,        // stops
  };
  size_t header_size = 0;

  Result<PageHeader> parsed = ParsePageHeader(bytes, &header_size);

  ASSERT_THAT(parsed, IsOk());
  EXPECT_EQ(header_size, bytes.size());
  EXPECT_EQ(parsed->type, PageType::kDataPage);
  EXPECT_EQ(parsed->uncompressed_page_size, 100);
  EXPECT_EQ(parsed->compressed_page_size, 80);
  EXPECT_FALSE(parsed->crc.has_value());
  ASSERT_TRUE(parsed->data_page_header.has_value());
  EXPECT_EQ(parsed->data_page_header->num_values, 10);
  EXPECT_EQ(parsed->data_page_header->encoding, Encoding::kRleDictionary);
  EXPECT_EQ(SerializeToBytes(*parsed), bytes);
}

TEST(ParquetMetadataTest, UnknownFieldsAreSkipped) {
  // A newer writer's PageHeader: an index_page_header (6), a field 20 holding a list of
  // structs, a SizeStatistics-like struct inside the data page header, a map, a uuid.
  Bytes bytes = Write([](CompactWriter& w) {
    w.BeginStruct();
    w.WriteI32Field(1, 0);
    w.WriteI32Field(2, 10);
    w.WriteI32Field(3, 10);
    w.BeginStructField(5);
    w.WriteI32Field(1, 5);
    w.WriteI32Field(2, 0);
    w.WriteI32Field(3, 3);
    w.WriteI32Field(4, 3);
    w.BeginStructField(9);
    w.BeginListField(2, ThriftType::kI64, 2);
    w.WriteI64(1);
    w.WriteI64(2);
    w.EndStruct();
    w.EndStruct();
    w.BeginStructField(6);
    w.EndStruct();
    w.BeginListField(20, ThriftType::kStruct, 1);
    w.BeginStruct();
    w.WriteStringField(1, "x");
    w.EndStruct();
    w.BeginMapField(21, ThriftType::kBinary, ThriftType::kBool, 1);
    w.WriteString("k");
    w.WriteBool(true);
    w.WriteFieldHeader(ThriftType::kUuid, 22);
    w.WriteUuid({});
    w.EndStruct();
  });

  size_t header_size = 0;
  Result<PageHeader> parsed = ParsePageHeader(bytes, &header_size);

  ASSERT_THAT(parsed, IsOk());
  EXPECT_EQ(header_size, bytes.size());
  EXPECT_EQ(parsed->data_page_header->num_values, 5);
  EXPECT_EQ(parsed->data_page_header->repetition_level_encoding, Encoding::kRle);
}

TEST(ParquetMetadataTest, UnknownEnumValuesParse) {
  FileMetaData metadata = FullMetaData();

  Result<FileMetaData> parsed = ParseFileMetaData(SerializeToBytes(metadata));

  ASSERT_THAT(parsed, IsOk());
  const ColumnMetaData& column = *parsed->row_groups[1].columns[0].meta_data;
  EXPECT_EQ(static_cast<int32_t>(column.codec), 99);
  EXPECT_EQ(CompressionCodecName(column.codec), "UNKNOWN");
  EXPECT_EQ(static_cast<int32_t>(column.encodings[3]), 42);
  EXPECT_EQ(static_cast<int32_t>(*parsed->schema.back().repetition_type), 3);
}

// A SchemaElement whose LogicalType is `write_member` (a union member) and nothing else.
FileMetaData ParseWithLogicalType(const std::function<void(CompactWriter&)>& write_member) {
  Bytes bytes = Write([&](CompactWriter& w) {
    w.BeginStruct();
    w.WriteI32Field(1, 1);
    w.BeginListField(2, ThriftType::kStruct, 1);
    w.BeginStruct();
    w.WriteI32Field(1, static_cast<int32_t>(PhysicalType::kByteArray));
    w.WriteStringField(4, "c");
    w.BeginStructField(10);
    write_member(w);
    w.EndStruct();
    w.EndStruct();
    w.WriteI64Field(3, 0);
    w.BeginListField(4, ThriftType::kStruct, 0);
    w.EndStruct();
  });
  Result<FileMetaData> parsed = ParseFileMetaData(bytes);
  EXPECT_THAT(parsed, IsOk());
  return parsed.value_or(FileMetaData{});
}

TEST(ParquetMetadataTest, NewerLogicalTypesAreUnrecognized) {
  // 17: GEOMETRY {1: crs}.
  FileMetaData geometry = ParseWithLogicalType([](CompactWriter& w) {
    w.BeginStructField(17);
    w.WriteStringField(1, "OGC:CRS84");
    w.EndStruct();
  });
  // TIMESTAMP with a unit member 4, which parquet.thrift does not define.
  FileMetaData timestamp = ParseWithLogicalType([](CompactWriter& w) {
    w.BeginStructField(8);
    w.WriteBoolField(1, true);
    w.BeginStructField(2);
    w.BeginStructField(4);
    w.EndStruct();
    w.EndStruct();
    w.EndStruct();
  });

  EXPECT_TRUE(geometry.schema.at(0).logical_type ==
              (LogicalTypeAnnotation{.kind = Kind::kUnrecognized, .unrecognized_id = 17}));
  EXPECT_EQ(LogicalTypeToString(timestamp.schema.at(0).logical_type), "UNRECOGNIZED(8)");
  // Serialize writes no logicalType for them.
  Result<FileMetaData> again = ParseFileMetaData(SerializeToBytes(geometry));
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->schema.at(0).logical_type.kind, Kind::kNone);
}

TEST(ParquetMetadataTest, MissingRequiredFieldNamesStructAndField) {
  FileMetaData metadata;
  metadata.schema = {Group("schema", 0, std::nullopt)};
  Bytes without_num_rows = Write([](CompactWriter& w) {
    w.BeginStruct();
    w.WriteI32Field(1, 1);
    w.BeginListField(2, ThriftType::kStruct, 0);
    w.BeginListField(4, ThriftType::kStruct, 0);
    w.EndStruct();
  });

  EXPECT_THAT(ParseFileMetaData(without_num_rows),
              HasMessage("Parquet footer: FileMetaData: required field 'num_rows' (3) is missing "
                         "(struct at byte 0)"));
  EXPECT_THAT(ParseFileMetaData(without_num_rows), IsError(ErrorCode::kCorrupt));
}

TEST(ParquetMetadataTest, NestedErrorsGiveThePath) {
  // Row group 0, column 1: a ColumnMetaData without its codec.
  Bytes bytes = Write([](CompactWriter& w) {
    w.BeginStruct();
    w.WriteI32Field(1, 1);
    w.BeginListField(2, ThriftType::kStruct, 0);
    w.WriteI64Field(3, 0);
    w.BeginListField(4, ThriftType::kStruct, 1);
    w.BeginStruct();
    w.BeginListField(1, ThriftType::kStruct, 2);
    for (int column = 0; column < 2; ++column) {
      w.BeginStruct();
      w.WriteI64Field(2, 0);
      w.BeginStructField(3);
      w.WriteI32Field(1, 1);
      w.BeginListField(2, ThriftType::kI32, 0);
      w.BeginListField(3, ThriftType::kBinary, 0);
      if (column == 0) {
        w.WriteI32Field(4, 0);
      }
      w.WriteI64Field(5, 0);
      w.WriteI64Field(6, 0);
      w.WriteI64Field(7, 0);
      w.WriteI64Field(9, 0);
      w.EndStruct();
      w.EndStruct();
    }
    w.WriteI64Field(2, 0);
    w.WriteI64Field(3, 0);
    w.EndStruct();
    w.EndStruct();
  });

  EXPECT_THAT(ParseFileMetaData(bytes),
              HasMessage("Parquet footer: FileMetaData.row_groups[0]: RowGroup.columns[1]: "
                         "ColumnChunk.meta_data: ColumnMetaData: required field 'codec' (4) is "
                         "missing (struct at byte 34)"));
}

TEST(ParquetMetadataTest, WrongWireTypeIsCorrupt) {
  Bytes bytes = Write([](CompactWriter& w) {
    w.BeginStruct();
    w.WriteI32Field(1, 1);
    w.BeginListField(2, ThriftType::kStruct, 0);
    w.WriteStringField(3, "many");
  });
  Bytes strings_as_i32 = Write([](CompactWriter& w) {
    w.BeginStruct();
    w.WriteI32Field(1, 1);
    w.BeginListField(2, ThriftType::kI32, 1);
    w.WriteI32(5);
  });

  EXPECT_THAT(ParseFileMetaData(bytes),
              HasMessage("FileMetaData.num_rows: thrift: wire type binary, expected i64 at byte 5"));
  EXPECT_THAT(ParseFileMetaData(strings_as_i32),
              HasMessage("FileMetaData.schema: thrift: list of i32, expected a list of struct"));
}

TEST(ParquetMetadataTest, ListCountThatCannotFit) {
  Bytes bytes = Write([](CompactWriter& w) {
    w.BeginStruct();
    w.WriteI32Field(1, 1);
    w.BeginListField(2, ThriftType::kStruct, 100);  // 100 SchemaElements need 300 bytes
    for (int i = 0; i < 100; ++i) w.WriteI8(0);
  });

  EXPECT_THAT(ParseFileMetaData(bytes),
              HasMessage("FileMetaData.schema: thrift: list of 100 elements cannot fit in the "
                         "100 bytes left at byte 3"));
}

TEST(ParquetMetadataTest, EveryTruncatedFooterIsAnError) {
  Bytes bytes = SerializeToBytes(FullMetaData());

  for (size_t size = 0; size < bytes.size(); ++size) {
    EXPECT_THAT(ParseFileMetaData(BytesView(bytes.data(), size)), IsError(ErrorCode::kCorrupt))
        << size;
  }
}

TEST(ParquetMetadataTest, PageHeaderChecks) {
  PageHeader negative{.type = PageType::kDictionaryPage,
                      .uncompressed_page_size = 1,
                      .compressed_page_size = -1,
                      .dictionary_page_header = DictionaryPageHeader{}};
  PageHeader no_data_header{.type = PageType::kDataPage};
  PageHeader negative_v2{.type = PageType::kDataPageV2,
                         .data_page_header_v2 = DataPageHeaderV2{.num_nulls = -3}};
  size_t header_size = 0;

  EXPECT_THAT(ParsePageHeader(SerializeToBytes(negative), &header_size),
              HasMessage("Parquet page header: PageHeader.compressed_page_size is negative (-1)"));
  EXPECT_THAT(ParsePageHeader(SerializeToBytes(no_data_header), &header_size),
              HasMessage("PageHeader of type DATA_PAGE has no data_page_header"));
  EXPECT_THAT(ParsePageHeader(SerializeToBytes(negative_v2), &header_size),
              HasMessage("PageHeader.data_page_header_v2.num_nulls is negative (-3)"));
  EXPECT_THAT(ParsePageHeader({}, &header_size), IsError(ErrorCode::kCorrupt));
}

TEST(ParquetMetadataTest, IsCompressedDefaultsToTrue) {
  Bytes bytes = Write([](CompactWriter& w) {
    w.BeginStruct();
    w.WriteI32Field(1, 3);
    w.WriteI32Field(2, 0);
    w.WriteI32Field(3, 0);
    w.BeginStructField(8);
    for (int16_t id = 1; id <= 6; ++id) w.WriteI32Field(id, 0);
    w.EndStruct();
    w.EndStruct();
  });

  Result<PageHeader> parsed = ParsePageHeader(bytes, nullptr);

  ASSERT_THAT(parsed, IsOk());
  EXPECT_TRUE(parsed->data_page_header_v2->is_compressed);
}

TEST(ParquetMetadataTest, EnumNames) {
  EXPECT_EQ(EncodingName(Encoding::kRleDictionary), "RLE_DICTIONARY");
  EXPECT_EQ(EncodingName(Encoding::kPlain), "PLAIN");
  EXPECT_EQ(EncodingName(Encoding::kByteStreamSplit), "BYTE_STREAM_SPLIT");
  EXPECT_EQ(EncodingName(static_cast<Encoding>(1)), "UNKNOWN");
  EXPECT_EQ(EncodingName(static_cast<Encoding>(-1)), "UNKNOWN");
  EXPECT_EQ(CompressionCodecName(CompressionCodec::kLz4Raw), "LZ4_RAW");
  EXPECT_EQ(PhysicalTypeName(PhysicalType::kFixedLenByteArray), "FIXED_LEN_BYTE_ARRAY");
  EXPECT_EQ(PageTypeName(PageType::kDataPageV2), "DATA_PAGE_V2");
  EXPECT_EQ(ConvertedTypeName(ConvertedType::kTimestampMicros), "TIMESTAMP_MICROS");
  EXPECT_EQ(ConvertedTypeName(ConvertedType::kInterval), "INTERVAL");
  EXPECT_EQ(RepetitionName(Repetition::kRepeated), "REPEATED");
  EXPECT_EQ(LogicalTypeToString(LogicalTypeAnnotation::Decimal(10, 2)), "DECIMAL(10,2)");
  EXPECT_EQ(LogicalTypeToString(LogicalTypeAnnotation::Timestamp(true, TimeUnit::kMicros)),
            "TIMESTAMP(MICROS,true)");
  EXPECT_EQ(LogicalTypeToString(LogicalTypeAnnotation::Integer(8, false)), "INTEGER(8,false)");
}

TEST(ParquetMetadataTest, LogicalTypeEqualityIgnoresOtherKindsMembers) {
  LogicalTypeAnnotation a = LogicalTypeAnnotation::Of(Kind::kString);
  LogicalTypeAnnotation b = a;
  b.scale = 5;

  EXPECT_TRUE(a == b);
  EXPECT_FALSE(LogicalTypeAnnotation::Decimal(10, 2) == LogicalTypeAnnotation::Decimal(10, 3));
  EXPECT_FALSE(LogicalTypeAnnotation::Time(true, TimeUnit::kMillis) ==
               LogicalTypeAnnotation::Timestamp(true, TimeUnit::kMillis));
}

}  // namespace
}  // namespace cqlbulk::formats::parquet
