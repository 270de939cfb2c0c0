// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/parquet/record_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/data/debug_string.h"
#include "cqlbulk/formats/io/memory_stream.h"
#include "cqlbulk/formats/parquet/writer.h"
#include "testing/matchers.h"

namespace cqlbulk::formats::parquet {
namespace {

using data::Field;
using data::LogicalType;

Bytes Unscaled(int64_t v) {
  Bytes b(8);
  StoreBE64(b.data(), static_cast<uint64_t>(v));
  return b;
}

/// A file of the exact forms cqlbulk writes (decimal and inet as text, duration as a struct).
Bytes CqlbulkFile() {
  auto schema = std::make_shared<const data::Schema>(data::Schema{{
      Field{"id", LogicalType::Int64(), false},
      Field{"dec", LogicalType::Decimal()},
      Field{"ip", LogicalType::Inet()},
      Field{"d", LogicalType::Duration()},
      Field{"small", LogicalType::Int64()},
      Field{"tags", LogicalType::Set(LogicalType::String())},
      Field{"tup", LogicalType::Tuple({LogicalType::Int32(), LogicalType::String()})},
  }});
  data::BatchBuilder b(schema, 3);
  for (int64_t i = 0; i < 3; ++i) {
    b.column(0).AppendInt64(i);
    b.column(1).AppendDecimal(Unscaled(-12345 + i), static_cast<int32_t>(i));
    uint8_t ip[4] = {10, 0, 0, static_cast<uint8_t>(i)};
    b.column(2).AppendBytes(BytesView(ip, 4));
    b.column(3).AppendDuration(1, 2, 3 + i);
    b.column(4).AppendInt64(i == 2 ? 300 : i);
    b.column(5).BeginList();
    b.column(5).child().AppendString("a");
    b.column(5).EndList();
    b.column(6).child(0).AppendInt32(7);
    b.column(6).child(1).AppendString("x");
    b.column(6).AppendStructValid();
  }
  Bytes file;
  auto writer = ParquetWriter::Make(schema, std::make_unique<MemoryOutputStream>(&file));
  EXPECT_TRUE(writer.has_value());
  EXPECT_THAT((*writer)->Write(b.Finish().value()), testing::IsOk());
  EXPECT_THAT((*writer)->Close(), testing::IsOk());
  return file;
}

TEST(ParquetRecordReaderTest, ConvertsTheExactFormsBackToTheTableTypes) {
  auto target = std::make_shared<const data::Schema>(data::Schema{{
      Field{"id", LogicalType::Int32()},
      Field{"dec", LogicalType::Decimal()},
      Field{"ip", LogicalType::Inet()},
      Field{"d", LogicalType::Duration()},
      Field{"small", LogicalType::Int8()},
      Field{"tags", LogicalType::Set(LogicalType::String())},
      Field{"tup", LogicalType::Tuple({LogicalType::Int32(), LogicalType::String()})},
      Field{"gone", LogicalType::Int32()},
  }});
  auto reader = ParquetRecordReader::Make(
      RandomAccessFile::FromBytes(CqlbulkFile(), "in.parquet"), target,
      {"id", "dec", "ip", "d", "small", "tags", "tup", "gone"}, TextOptions{},
      MissingField::kUnset);
  ASSERT_TRUE(reader.has_value()) << reader.error().ToString();
  data::BatchBuilder builder(target, 8);
  RecordInfo info;
  std::vector<RecordError> errors;
  CQLBULK_ASSERT_OK_AND_ASSIGN(size_t n, (*reader)->Read(builder, 100, info, errors));
  EXPECT_EQ(n, 3u);
  CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch batch, builder.Finish());
  ASSERT_EQ(batch.num_rows(), 2u);
  EXPECT_EQ(data::DebugString(batch, 0),
            "(0, -12345E0, 10.0.0.0, 1mo2d3ns, 0, {'a'}, {_1: 7, _2: 'x'}, null)");
  EXPECT_EQ(data::DebugString(batch, 1),
            "(1, -12344E-1, 10.0.0.1, 1mo2d4ns, 1, {'a'}, {_1: 7, _2: 'x'}, null)");
  EXPECT_THAT(info.records, ::testing::ElementsAre(1, 2));
  EXPECT_TRUE(info.IsUnset(7, 0));
  EXPECT_FALSE(info.IsUnset(6, 0));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].record, 3);
  EXPECT_EQ(errors[0].field, "small");
  EXPECT_EQ(errors[0].reason, "300 does not fit int8");
  EXPECT_EQ((*reader)->records_consumed(), 3);
}

TEST(ParquetRecordReaderTest, AMissingColumnCanBeAnError) {
  auto target = std::make_shared<const data::Schema>(
      data::Schema{{Field{"nope", LogicalType::Int32()}}});
  EXPECT_THAT(ParquetRecordReader::Make(RandomAccessFile::FromBytes(CqlbulkFile(), "in.parquet"),
                                        target, {"nope"}, TextOptions{}, MissingField::kError),
              ::testing::AllOf(testing::IsError(ErrorCode::kInvalidArgument),
                               testing::HasMessage("in.parquet: no column 'nope'")));
}

}  // namespace
}  // namespace cqlbulk::formats::parquet
