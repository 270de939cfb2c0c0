// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/iceberg/metadata/metrics.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/formats/io/memory_stream.h"
#include "cqlbulk/formats/parquet/writer.h"
#include "testing/matchers.h"

namespace cqlbulk::iceberg {
namespace {

namespace pq = formats::parquet;

template <typename T>
std::string Le(T v) {  // the spec's little-endian single-value form, written out by hand
  std::string out(sizeof(T), '\0');
  std::memcpy(out.data(), &v, sizeof(T));
  return out;
}

Schema IcebergSchema() {
  Schema schema;
  schema.fields = {NestedField::Required(1, "id", Type::Long()),
                   NestedField::Optional(2, "name", Type::String()),
                   NestedField::Optional(3, "ts", Type::TimestampTz()),
                   NestedField::Optional(4, "amount", Type::Double()),
                   NestedField::Optional(5, "price", Type::Decimal(9, 2)),
                   NestedField::Optional(6, "empty", Type::String()),
                   NestedField::Optional(7, "tags", Type::List(8, Type::Int(), false)),
                   NestedField::Optional(9, "big", Type::Decimal(20, 0)),
                   NestedField::Optional(10, "uid", Type::Uuid())};
  return schema;
}

data::SchemaPtr DataSchema() {
  auto s = std::make_shared<data::Schema>();
  s->fields = {{"id", data::LogicalType::Int64(), false, 1},
               {"name", data::LogicalType::String(), true, 2},
               {"ts", data::LogicalType::Timestamp(), true, 3},
               {"amount", data::LogicalType::Float64(), true, 4},
               {"price", data::LogicalType::Decimal(9, 2), true, 5},
               {"empty", data::LogicalType::String(), true, 6},
               {"tags", data::LogicalType::List(data::Field{"element",
                                                            data::LogicalType::Int32(), true, 8}),
                true, 7},
               {"big", data::LogicalType::Decimal(20, 0), true, 9},
               {"uid", data::LogicalType::Uuid(), true, 10}};
  return s;
}

// Three rows in two row groups (2 + 1).
Result<pq::FileMetaData> WriteFile() {
  Bytes bytes;
  pq::WriterOptions options;
  options.row_group_rows = 2;  // timestamps stay milliseconds (the default mapping)
  CQLBULK_ASSIGN_OR_RETURN(
      auto writer, pq::ParquetWriter::Make(DataSchema(),
                                           std::make_unique<formats::MemoryOutputStream>(&bytes),
                                           options));
  data::BatchBuilder b(DataSchema(), 4);
  const int64_t ids[] = {5, -3, 12};
  const char* names[] = {"aaaaaaaaaaaaaaaaaaaa1", "mmmmmmmmmmmmmmmmmmmmmmm", nullptr};
  const int64_t ts[] = {1000, 2500, 1700};
  const double amounts[] = {1.5, std::numeric_limits<double>::quiet_NaN(), -2.0};
  // Unscaled 12345 (0x3039) and -500 (0xFE0C), big-endian; a null.
  const std::string prices[] = {std::string("\x30\x39", 2), std::string("\xfe\x0c", 2), ""};
  // Unsigned byte order: 0x7f... < 0x80... < 0xff... (a signed order would put 0x80 first).
  const uint8_t uids[3][16] = {{0x80, 1}, {0x7f, 2}, {0xff, 3}};
  for (int r = 0; r < 3; ++r) {
    b.column(8).AppendUuid(uids[r]);
    b.column(0).AppendInt64(ids[r]);
    names[r] ? b.column(1).AppendString(names[r]) : b.column(1).AppendNull();
    b.column(2).AppendTimestamp(ts[r]);
    b.column(3).AppendFloat64(amounts[r]);
    prices[r].empty() ? b.column(4).AppendNull() : b.column(4).AppendDecimal(AsBytes(prices[r]), 2);
    b.column(5).AppendNull();
    b.column(6).BeginList();
    for (int i = 0; i <= r; ++i) {
      b.column(6).child().AppendInt32(i);
    }
    b.column(6).EndList();
    // 10^19 = 0x8AC7230489E80000 needs a leading zero byte; -1.
    r == 0 ? b.column(7).AppendDecimal(AsBytes(std::string("\x00\x8a\xc7\x23\x04\x89\xe8\x00\x00",
                                                           9)), 0)
           : b.column(7).AppendDecimal(AsBytes(std::string("\xff", 1)), 0);
  }
  CQLBULK_ASSIGN_OR_RETURN(data::Batch batch, b.Finish());
  CQLBULK_RETURN_IF_ERROR(writer->Write(batch));
  CQLBULK_RETURN_IF_ERROR(writer->Close());
  return *writer->metadata();
}

TEST(ParquetMetricsTest, CountsSizesAndSplitOffsets) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(pq::FileMetaData footer, WriteFile());

  CQLBULK_ASSERT_OK_AND_ASSIGN(DataFile file, ParquetMetrics(footer, IcebergSchema()));

  EXPECT_EQ(file.record_count, 3);
  ASSERT_EQ(file.split_offsets.size(), 2u);
  EXPECT_EQ(file.split_offsets[0], 4);  // right after the "PAR1" magic
  EXPECT_GT(file.split_offsets[1], 4);
  EXPECT_EQ(file.value_counts.at(1), 3);
  EXPECT_EQ(file.value_counts.at(8), 6);  // 1 + 2 + 3 list elements
  EXPECT_FALSE(file.value_counts.contains(7));  // the list itself has no column
  EXPECT_EQ(file.null_value_counts.at(2), 1);
  EXPECT_EQ(file.null_value_counts.at(5), 1);
  EXPECT_EQ(file.null_value_counts.at(6), 3);
  for (int32_t id : {1, 2, 3, 4, 5, 6, 8, 9}) {
    EXPECT_GT(file.column_sizes.at(id), 0) << id;
  }
}

TEST(ParquetMetricsTest, BoundsInTheSingleValueForm) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(pq::FileMetaData footer, WriteFile());

  CQLBULK_ASSERT_OK_AND_ASSIGN(DataFile file, ParquetMetrics(footer, IcebergSchema()));

  EXPECT_EQ(file.lower_bounds.at(1), Le<int64_t>(-3));
  EXPECT_EQ(file.upper_bounds.at(1), Le<int64_t>(12));
  // Truncated to 16 code points; the upper bound's last one incremented.
  EXPECT_EQ(file.lower_bounds.at(2), std::string(16, 'a'));
  EXPECT_EQ(file.upper_bounds.at(2), std::string(15, 'm') + "n");
  // Milliseconds in the file, microseconds in Iceberg.
  EXPECT_EQ(file.lower_bounds.at(3), Le<int64_t>(1'000'000));
  EXPECT_EQ(file.upper_bounds.at(3), Le<int64_t>(2'500'000));
  // NaN is no bound.
  EXPECT_EQ(file.lower_bounds.at(4), Le<double>(-2.0));
  EXPECT_EQ(file.upper_bounds.at(4), Le<double>(1.5));
  // Decimals: INT32 in Parquet, minimal big-endian two's complement in Iceberg.
  EXPECT_EQ(file.lower_bounds.at(5), std::string("\xfe\x0c", 2));
  EXPECT_EQ(file.upper_bounds.at(5), std::string("\x30\x39", 2));
  EXPECT_EQ(file.lower_bounds.at(9), std::string("\xff", 1));
  EXPECT_EQ(file.upper_bounds.at(9), std::string("\x00\x8a\xc7\x23\x04\x89\xe8\x00\x00", 9));
  EXPECT_EQ(file.lower_bounds.at(10), std::string("\x7f\x02") + std::string(14, '\0'));
  EXPECT_EQ(file.upper_bounds.at(10), std::string("\xff\x03") + std::string(14, '\0'));
  // No bounds for a column of nulls, nor inside a list.
  EXPECT_FALSE(file.lower_bounds.contains(6));
  EXPECT_FALSE(file.lower_bounds.contains(8));
  EXPECT_FALSE(file.upper_bounds.contains(8));
}

TEST(ParquetMetricsTest, ShorterTruncationAndUnknownIds) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(pq::FileMetaData footer, WriteFile());
  Schema fewer = IcebergSchema();
  fewer.fields.resize(1);  // only id

  CQLBULK_ASSERT_OK_AND_ASSIGN(DataFile four, ParquetMetrics(footer, IcebergSchema(), {4}));
  CQLBULK_ASSERT_OK_AND_ASSIGN(DataFile only_id, ParquetMetrics(footer, fewer));

  EXPECT_EQ(four.lower_bounds.at(2), "aaaa");
  EXPECT_EQ(four.upper_bounds.at(2), "mmmn");
  EXPECT_EQ(only_id.column_sizes.size(), 1u);
  EXPECT_EQ(only_id.lower_bounds.size(), 1u);
}

TEST(ParquetMetricsTest, BadStatisticsAreCorrupt) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(pq::FileMetaData footer, WriteFile());
  footer.row_groups[1].columns[0].meta_data->statistics->min_value = "abc";
  pq::FileMetaData short_group = footer;
  short_group.row_groups[0].columns.pop_back();

  EXPECT_THAT(ParquetMetrics(footer, IcebergSchema()),
              testing::HasMessage("statistics of column id: 3 bytes for a value of 8"));
  EXPECT_THAT(ParquetMetrics(short_group, IcebergSchema()),
              testing::HasMessage("row group 0 has 8 column chunks for 9 leaf columns"));
}

}  // namespace
}  // namespace cqlbulk::iceberg
