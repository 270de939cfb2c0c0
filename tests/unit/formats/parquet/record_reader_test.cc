// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/parquet/record_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/data/debug_string.h"
#include "cqlbulk/formats/io/memory_stream.h"
#include "cqlbulk/formats/parquet/reader.h"
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

// Read converts a column at a time and falls back to AppendConverted row by row where a value
// does not convert: the rows, the bad records and the unset flags must be those of the row by
// row conversion, for any number of records a call.
TEST(ParquetRecordReaderTest, ConvertingAColumnAtATimeMatchesRowByRow) {
  auto source = std::make_shared<const data::Schema>(data::Schema{{
      Field{"id", LogicalType::Int64(), false},
      Field{"i32", LogicalType::Int32()},
      Field{"ts", LogicalType::Timestamp()},
      Field{"s", LogicalType::String()},
      Field{"dec", LogicalType::String()},
      Field{"small", LogicalType::Int64()},
      Field{"f", LogicalType::Float64()},
  }});
  constexpr int64_t kRows = 5000;
  data::BatchBuilder b(source, kRows);
  for (int64_t i = 0; i < kRows; ++i) {
    b.column(0).AppendInt64(i);
    if (i % 7 == 3 && i > 2000) {  // nulls only in the second half
      b.column(1).AppendNull();
    } else {
      b.column(1).AppendInt32(static_cast<int32_t>(i * 3 - 7000));
    }
    b.column(2).AppendTimestamp(1'700'000'000'000 + i * 37);
    if (i % 11 == 5) {
      b.column(3).AppendNull();
    } else {
      b.column(3).AppendString("s" + std::to_string(i));
    }
    b.column(4).AppendString(i % 613 == 100 ? "x" : std::to_string(i) + ".25");  // bad decimals
    b.column(5).AppendInt64(i % 997 == 500 ? 300 : i % 100);  // 300 does not fit int8
    b.column(6).AppendFloat64(static_cast<double>(i) / 4);
  }
  Bytes file;
  {
    WriterOptions options;
    options.row_group_rows = 1200;
    auto writer =
        ParquetWriter::Make(source, std::make_unique<MemoryOutputStream>(&file), options);
    ASSERT_TRUE(writer.has_value());
    ASSERT_THAT((*writer)->Write(b.Finish().value()), testing::IsOk());
    ASSERT_THAT((*writer)->Close(), testing::IsOk());
  }
  auto target = std::make_shared<const data::Schema>(data::Schema{{
      Field{"id", LogicalType::Int64()},
      Field{"i32", LogicalType::Int32()},
      Field{"ts", LogicalType::Timestamp()},
      Field{"s", LogicalType::String()},
      Field{"dec", LogicalType::Decimal()},
      Field{"small", LogicalType::Int8()},
      Field{"gone", LogicalType::Int32()},
      Field{"f", LogicalType::Float32()},
  }});
  std::vector<std::string> names = {"id", "i32", "ts", "s", "dec", "small", "gone", "f"};

  // Row by row, with AppendConverted over the plain reader's batches.
  std::vector<std::string> want_rows;
  std::vector<int64_t> want_bad;
  {
    ReaderOptions options;
    options.batch_rows = 1000;
    auto reader = ParquetReader::Open(RandomAccessFile::FromBytes(file, "in.parquet"), options);
    ASSERT_TRUE(reader.has_value());
    CQLBULK_ASSERT_OK_AND_ASSIGN(ValueParser parser, ValueParser::Make(TextOptions{}));
    int64_t record = 0;
    while (true) {
      CQLBULK_ASSERT_OK_AND_ASSIGN(std::optional<data::Batch> batch, (*reader)->Next());
      if (!batch) break;
      for (size_t row = 0; row < batch->num_rows(); ++row) {
        ++record;
        data::BatchBuilder one(target, 1);
        bool ok = true;
        for (size_t i = 0; i < names.size() && ok; ++i) {
          if (names[i] == "gone") {
            one.column(i).AppendNull();
            continue;
          }
          size_t from = *batch->schema().FieldIndex(names[i]);
          ok = AppendConverted(batch->column(from), row, parser, one.column(i)).has_value();
        }
        if (!ok) {
          want_bad.push_back(record);
          continue;
        }
        want_rows.push_back(data::DebugString(one.Finish().value(), 0));
      }
    }
  }
  ASSERT_EQ(want_bad.size(), 8u + 5u);  // decimals i % 613 == 100, int8s i % 997 == 500

  for (size_t per_call : {size_t{1}, size_t{333}, size_t{5000}}) {
    SCOPED_TRACE("records per call " + std::to_string(per_call));
    auto reader = ParquetRecordReader::Make(RandomAccessFile::FromBytes(file, "in.parquet"),
                                            target, names, TextOptions{}, MissingField::kUnset);
    ASSERT_TRUE(reader.has_value()) << reader.error().ToString();
    std::vector<std::string> rows;
    std::vector<int64_t> bad;
    std::vector<int64_t> records;
    while (true) {
      data::BatchBuilder builder(target, per_call);
      RecordInfo info;
      std::vector<RecordError> errors;
      CQLBULK_ASSERT_OK_AND_ASSIGN(size_t n, (*reader)->Read(builder, per_call, info, errors));
      if (n == 0) break;
      CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch batch, builder.Finish());
      ASSERT_EQ(info.size(), batch.num_rows());
      for (size_t row = 0; row < batch.num_rows(); ++row) {
        rows.push_back(data::DebugString(batch, row));
        records.push_back(info.records[row]);
        EXPECT_TRUE(info.IsUnset(6, row));
        EXPECT_FALSE(info.IsUnset(5, row));
      }
      for (const RecordError& e : errors) bad.push_back(e.record);
    }
    EXPECT_EQ(rows, want_rows);
    EXPECT_EQ(bad, want_bad);
    ASSERT_EQ(records.size(), rows.size());
    for (size_t i = 0, b = 0; i < records.size(); ++i) {  // the numbers skip the bad records
      while (b < want_bad.size() && want_bad[b] <= static_cast<int64_t>(i + b + 1)) ++b;
      EXPECT_EQ(records[i], static_cast<int64_t>(i + b + 1));
    }
  }
}

}  // namespace
}  // namespace cqlbulk::formats::parquet
