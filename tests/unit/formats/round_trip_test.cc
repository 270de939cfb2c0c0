// SPDX-License-Identifier: Apache-2.0
// What CsvWriter and JsonWriter write, CsvReader and JsonReader read back as the same values,
// for every logical type and its edge values (nulls, empty strings, NaN, extreme dates, big
// decimals, nested collections).
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cqlbulk/core/time.h"
#include "cqlbulk/formats/csv/csv_reader.h"
#include "cqlbulk/formats/csv/csv_writer.h"
#include "cqlbulk/formats/io/memory_stream.h"
#include "cqlbulk/formats/json/json_reader.h"
#include "cqlbulk/formats/json/json_writer.h"
#include "reader_test_util.h"
#include "testing/matchers.h"

namespace cqlbulk::formats {
namespace {

using data::LogicalType;
using T = LogicalType;

data::SchemaPtr AllTypes() {
  auto point = T::Struct({data::Field{.name = "x", .type = T::Int32()},
                          data::Field{.name = "label", .type = T::String()}},
                         "point");
  return testing::Columns({{"bool", T::Boolean()},
                           {"i8", T::Int8()},
                           {"i16", T::Int16()},
                           {"i32", T::Int32()},
                           {"i64", T::Int64()},
                           {"f32", T::Float32()},
                           {"f64", T::Float64()},
                           {"dec", T::Decimal()},
                           {"big", T::BigInteger()},
                           {"text", T::String()},
                           {"ascii", T::Ascii()},
                           {"blob", T::Binary()},
                           {"uuid", T::Uuid()},
                           {"timeuuid", T::TimeUuid()},
                           {"date", T::Date()},
                           {"time", T::Time()},
                           {"ts", T::Timestamp()},
                           {"dur", T::Duration()},
                           {"inet", T::Inet()},
                           {"list", T::List(T::Int32())},
                           {"set", T::Set(T::String())},
                           {"map", T::Map(T::String(), T::Float64())},
                           {"tuple", T::Tuple({T::Int32(), T::String(), T::Boolean()})},
                           {"udt", point},
                           {"vec", T::Vector(T::Float32(), 2)},
                           {"nested", T::Map(T::Date(), T::List(T::Decimal()))}});
}

void AppendDecimal(data::ColumnBuilder& c, std::vector<uint8_t> unscaled, int32_t scale) {
  c.AppendDecimal(unscaled, scale);
}

data::Batch MakeBatch() {
  data::BatchBuilder b(AllTypes(), 4);
  const uint8_t uuid[16] = {0x12, 0x3e, 0x45, 0x67, 0xe8, 0x9b, 0x42, 0xd3,
                            0xa4, 0x56, 0x42, 0x66, 0x14, 0x17, 0x40, 0x00};
  const uint8_t timeuuid[16] = {0xe5, 0xa2, 0xc0, 0xd0, 0x7c, 0xe5, 0x11, 0xeb,
                                0x94, 0x39, 0x02, 0x42, 0xac, 0x13, 0x00, 0x02};
  const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  // Row 0: ordinary values.
  // Row 1: edge values.
  // Row 2: nulls everywhere.
  for (int row = 0; row < 3; ++row) {
    if (row == 2) {
      for (size_t c = 0; c < b.num_columns(); ++c) b.column(c).AppendNull();
      break;
    }
    bool edge = row == 1;
    size_t c = 0;
    b.column(c++).AppendBoolean(!edge);
    b.column(c++).AppendInt8(edge ? -128 : 7);
    b.column(c++).AppendInt16(edge ? 32767 : -7);
    b.column(c++).AppendInt32(edge ? std::numeric_limits<int32_t>::min() : 42);
    b.column(c++).AppendInt64(edge ? std::numeric_limits<int64_t>::max() : -42);
    b.column(c++).AppendFloat32(edge ? std::numeric_limits<float>::quiet_NaN() : 0.1f);
    b.column(c++).AppendFloat64(edge ? -std::numeric_limits<double>::infinity() : 1e-300);
    if (edge) {
      AppendDecimal(b.column(c++), {0x01, 0x8e, 0xe9, 0x0f, 0xf6, 0xc3, 0x73, 0xe0, 0xee, 0x4e,
                                    0x3f, 0x0a, 0xd2},
                    -5);
      b.column(c++).AppendBytes(std::vector<uint8_t>{0xfe, 0x71, 0x16, 0xf0, 0x09, 0x3c, 0x8c,
                                                     0x1f, 0x11, 0xb1, 0xc0, 0xf5, 0x2e});
    } else {
      AppendDecimal(b.column(c++), {0xff, 0x6a}, 2);  // -1.50
      b.column(c++).AppendBytes(std::vector<uint8_t>{0x00});
    }
    b.column(c++).AppendString(edge ? "" : "h\xC3\xA9llo, \"world\"\nline2 ");
    b.column(c++).AppendString(edge ? " " : "ascii");
    b.column(c++).AppendBytes(edge ? std::vector<uint8_t>{} : std::vector<uint8_t>{0x01, 0xfe, 0x80});
    b.column(c++).AppendUuid(uuid);
    b.column(c++).AppendUuid(timeuuid);
    b.column(c++).AppendDate(edge ? std::numeric_limits<int32_t>::min() : 18690);
    b.column(c++).AppendTime(edge ? kNanosPerDay - 1 : 0);
    b.column(c++).AppendTimestamp(edge ? 253402300800000 : -1);
    if (edge) {
      b.column(c++).AppendDuration(-14, -3, -1);
    } else {
      b.column(c++).AppendDuration(0, 0, 0);
    }
    b.column(c++).AppendBytes(edge ? BytesView(v6, 16) : BytesView(uuid, 4));
    data::ColumnBuilder& list = b.column(c++);
    list.BeginList();
    if (!edge) {
      list.child().AppendInt32(1);
      list.child().AppendNull();
    }
    list.EndList();
    data::ColumnBuilder& set = b.column(c++);
    set.BeginList();
    set.child().AppendString(edge ? "" : "a\"b");
    set.EndList();
    data::ColumnBuilder& map = b.column(c++);
    map.BeginList();
    map.map_keys().AppendString(edge ? "\xF0\x9F\x98\x80" : "k");
    if (edge) {
      map.map_values().AppendFloat64(std::numeric_limits<double>::quiet_NaN());
    } else {
      map.map_values().AppendNull();
    }
    map.EndList();
    data::ColumnBuilder& tuple = b.column(c++);
    tuple.child(0).AppendInt32(5);
    if (edge) {
      tuple.child(1).AppendNull();
    } else {
      tuple.child(1).AppendString("five");
    }
    tuple.child(2).AppendBoolean(edge);
    tuple.AppendStructValid();
    data::ColumnBuilder& udt = b.column(c++);
    udt.child(0).AppendInt32(-1);
    udt.child(1).AppendString(edge ? "" : "[not json]");
    udt.AppendStructValid();
    data::ColumnBuilder& vec = b.column(c++);
    vec.BeginList();
    vec.child().AppendFloat32(edge ? std::numeric_limits<float>::infinity() : 1.5f);
    vec.child().AppendFloat32(-0.0f);
    vec.EndList();
    data::ColumnBuilder& nested = b.column(c++);
    nested.BeginList();
    nested.map_keys().AppendDate(edge ? -1 : 0);
    nested.map_values().BeginList();
    AppendDecimal(nested.map_values().child(), {0x00}, edge ? -3 : 7);
    nested.map_values().EndList();
    nested.EndList();
  }
  return b.Finish().value();
}

std::vector<std::string> Names(const data::Schema& schema) {
  std::vector<std::string> names;
  for (const data::Field& f : schema.fields) names.push_back(f.name);
  return names;
}

class RoundTripTest : public ::testing::TestWithParam<int> {};

TEST_P(RoundTripTest, CsvReadsBackWhatCsvWrites) {
  data::Batch batch = MakeBatch();
  CsvOptions options;
  if (GetParam() == 1) {
    options.delimiter = ';';
    options.escape = '\\';
    options.text.null_string = "NULL";
    options.text.binary = BinaryEncoding::kHex;
    options.text.time_zone = "+05:30";
    options.line_end = "\r\n";
  }
  Bytes text;
  MemoryOutputStream out(&text);
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto writer, CsvWriter::Make(out, batch.schema_ptr(), options));
  CQLBULK_ASSERT_OK(writer->Write(batch));
  CQLBULK_ASSERT_OK(writer->Flush());

  MemoryInputStream in(text);
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto reader,
                               CsvReader::Make(in, "rt.csv", batch.schema_ptr(),
                                               Names(batch.schema()), options,
                                               MissingField::kError));
  testing::ReadResult r = testing::ReadAllRecords(*reader, batch.schema_ptr());

  EXPECT_EQ(testing::ErrorsToString(r.errors), "") << AsChars(text);
  EXPECT_EQ(r.rows, testing::Rows(batch)) << AsChars(text);
}

TEST_P(RoundTripTest, JsonReadsBackWhatJsonWrites) {
  data::Batch batch = MakeBatch();
  JsonOptions options;
  if (GetParam() == 1) {
    options.text.binary = BinaryEncoding::kHex;
    options.text.timestamp_format = "%Y/%m/%d %H.%M.%S.%f %Ez";
  }
  Bytes text;
  MemoryOutputStream out(&text);
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto writer, JsonWriter::Make(out, batch.schema_ptr(), options));
  CQLBULK_ASSERT_OK(writer->Write(batch));
  CQLBULK_ASSERT_OK(writer->Flush());

  MemoryInputStream in(text);
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto reader,
                               JsonReader::Make(in, "rt.json", batch.schema_ptr(),
                                                Names(batch.schema()), options.text,
                                                MissingField::kError));
  testing::ReadResult r = testing::ReadAllRecords(*reader, batch.schema_ptr());

  EXPECT_EQ(testing::ErrorsToString(r.errors), "") << AsChars(text);
  EXPECT_EQ(r.rows, testing::Rows(batch)) << AsChars(text);
}

INSTANTIATE_TEST_SUITE_P(Options, RoundTripTest, ::testing::Values(0, 1));

// Bytes d3 10 01 are "0xAB" in base64, which would read as the hex blob ab ("0x" then hex digits
// is hex, as DataStax Bulk Loader reads it): the writer writes such a blob in its hex form.
TEST(RoundTripTest, BlobWhoseBase64LooksLikeHex) {
  auto schema = testing::OneColumn(T::Binary());
  data::BatchBuilder builder(schema, 1);
  builder.column(0).AppendBytes(std::vector<uint8_t>{0xd3, 0x10, 0x01});
  data::Batch batch = builder.Finish().value();
  Bytes text;
  MemoryOutputStream out(&text);
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto writer, CsvWriter::Make(out, schema, CsvOptions{}));
  CQLBULK_ASSERT_OK(writer->Write(batch));
  CQLBULK_ASSERT_OK(writer->Flush());
  MemoryInputStream in(text);
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto reader, CsvReader::Make(in, "rt.csv", schema, {"c"},
                                                            CsvOptions{}, MissingField::kError));
  EXPECT_EQ(testing::ReadAllRecords(*reader, schema).rows, "(0xd31001)\n") << AsChars(text);
}

}  // namespace
}  // namespace cqlbulk::formats
