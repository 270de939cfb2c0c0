// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/json/json_writer.h"

#include <cstdint>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/formats/io/memory_stream.h"
#include "testing/matchers.h"
#include "writer_test_util.h"

namespace cqlbulk::formats {
namespace {

using ::cqlbulk::testing::HasMessage;
using ::cqlbulk::testing::IsError;
using ::cqlbulk::testing::IsOk;
using data::Batch;
using data::BatchBuilder;
using data::ColumnBuilder;
using data::Field;
using data::Schema;
using data::SchemaPtr;
using T = data::LogicalType;
using testing::OneColumnBatch;
using testing::TwosComplement;

std::string WriteJson(const Batch& batch, JsonOptions options = {}) {
  Bytes bytes;
  MemoryOutputStream out(&bytes);
  auto writer = JsonWriter::Make(out, batch.schema_ptr(), std::move(options));
  EXPECT_TRUE(writer.has_value()) << writer.error().ToString();
  EXPECT_THAT((*writer)->Write(batch), IsOk());
  EXPECT_THAT((*writer)->Flush(), IsOk());
  EXPECT_EQ((*writer)->records_written(), static_cast<int64_t>(batch.num_rows()));
  return std::string(AsChars(bytes));
}

std::vector<nlohmann::json> ParseLines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    out.push_back(nlohmann::json::parse(line));
  }
  return out;
}

SchemaPtr Schema4() {
  return std::make_shared<Schema>(Schema{{
      Field{.name = "id", .type = T::Int64()},
      Field{.name = "name", .type = T::String()},
      Field{.name = "tags", .type = T::Set(T::String())},
      Field{.name = "price", .type = T::Decimal()},
  }});
}

Batch Rows4() {
  BatchBuilder builder(Schema4(), 2);
  builder.column(0).AppendInt64(INT64_MIN);
  builder.column(1).AppendString("line\none \"q\"");
  builder.column(2).BeginList();
  builder.column(2).child().AppendString("a");
  builder.column(2).child().AppendString("b");
  builder.column(2).EndList();
  builder.column(3).AppendDecimal(TwosComplement(-150), 2);
  builder.column(0).AppendInt64(7);
  builder.column(1).AppendNull();
  builder.column(2).BeginList();
  builder.column(2).EndList();
  builder.column(3).AppendNull();
  return std::move(builder.Finish()).value();
}

TEST(JsonWriterTest, WritesOneObjectPerLineInSchemaOrder) {
  EXPECT_EQ(WriteJson(Rows4()),
            "{\"id\":-9223372036854775808,\"name\":\"line\\none \\\"q\\\"\",\"tags\":[\"a\",\"b\"],"
            "\"price\":-1.50}\n"
            "{\"id\":7,\"name\":null,\"tags\":[],\"price\":null}\n");
}

TEST(JsonWriterTest, OutputIsValidJsonForAnIndependentParser) {
  std::vector<nlohmann::json> rows = ParseLines(WriteJson(Rows4()));

  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["id"].get<int64_t>(), INT64_MIN);
  EXPECT_EQ(rows[0]["name"].get<std::string>(), "line\none \"q\"");
  EXPECT_EQ(rows[0]["tags"], nlohmann::json::array({"a", "b"}));
  EXPECT_DOUBLE_EQ(rows[0]["price"].get<double>(), -1.5);
  EXPECT_TRUE(rows[1]["name"].is_null());
  EXPECT_TRUE(rows[1]["price"].is_null());
}

TEST(JsonWriterTest, KeysAreEscaped) {
  auto schema = std::make_shared<Schema>(Schema{{
      Field{.name = "we\"ird\\", .type = T::Int32()},
      Field{.name = "caf\xc3\xa9", .type = T::Boolean()},
  }});
  BatchBuilder builder(schema, 1);
  builder.column(0).AppendInt32(1);
  builder.column(1).AppendBoolean(false);
  Batch batch = std::move(builder.Finish()).value();

  std::string text = WriteJson(batch);

  EXPECT_EQ(text, "{\"we\\\"ird\\\\\":1,\"caf\xc3\xa9\":false}\n");
  EXPECT_EQ(ParseLines(text)[0]["we\"ird\\"], 1);
}

TEST(JsonWriterTest, AnEmptySchemaWritesNothing) {
  BatchBuilder builder(std::make_shared<Schema>(), 0);
  Batch batch = std::move(builder.Finish()).value();

  EXPECT_EQ(WriteJson(batch), "");
}

TEST(JsonWriterTest, EveryScalarKindParses) {
  auto schema = std::make_shared<Schema>(Schema{{
      Field{.name = "f", .type = T::Float64()},
      Field{.name = "nan", .type = T::Float32()},
      Field{.name = "big", .type = T::BigInteger()},
      Field{.name = "dec", .type = T::Decimal()},
      Field{.name = "blob", .type = T::Binary()},
      Field{.name = "d", .type = T::Date()},
      Field{.name = "t", .type = T::Time()},
      Field{.name = "ts", .type = T::Timestamp()},
      Field{.name = "dur", .type = T::Duration()},
      Field{.name = "ip", .type = T::Inet()},
      Field{.name = "tuple", .type = T::Tuple({T::Int32(), T::String()})},
  }});
  BatchBuilder builder(schema, 1);
  builder.column(0).AppendFloat64(0.1);
  builder.column(1).AppendFloat32(std::numeric_limits<float>::quiet_NaN());
  builder.column(2).AppendBytes(testing::TwosComplementOfDecimal("123456789012345678901234567890"));
  builder.column(3).AppendDecimal(TwosComplement(1), 7);
  builder.column(4).AppendString("foo");
  builder.column(5).AppendDate(-1);
  builder.column(6).AppendTime(1);
  builder.column(7).AppendTimestamp(1614834367089);
  builder.column(8).AppendDuration(0, -3, 0);
  builder.column(9).AppendBytes(testing::BytesOf({127, 0, 0, 1}));
  builder.column(10).child(0).AppendInt32(1);
  builder.column(10).child(1).AppendNull();
  builder.column(10).AppendStructValid();
  Batch batch = std::move(builder.Finish()).value();

  std::string text = WriteJson(batch);
  std::vector<nlohmann::json> rows = ParseLines(text);

  EXPECT_EQ(text,
            "{\"f\":0.1,\"nan\":\"NaN\",\"big\":123456789012345678901234567890,\"dec\":1E-7,"
            "\"blob\":\"Zm9v\",\"d\":\"1969-12-31\",\"t\":\"00:00:00.000000001\","
            "\"ts\":\"2021-03-04T05:06:07.089Z\",\"dur\":\"-3d\",\"ip\":\"127.0.0.1\","
            "\"tuple\":[1,null]}\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["f"].get<double>(), 0.1);
  EXPECT_DOUBLE_EQ(rows[0]["dec"].get<double>(), 1e-7);
  EXPECT_EQ(rows[0]["tuple"], nlohmann::json::parse("[1,null]"));
}

TEST(JsonWriterTest, EmptyStringsAndBlobsAreEmptyJsonStrings) {
  auto schema = std::make_shared<Schema>(Schema{{
      Field{.name = "s", .type = T::String()},
      Field{.name = "b", .type = T::Binary()},
      Field{.name = "l", .type = T::List(T::Binary())},
  }});
  BatchBuilder builder(schema, 1);
  builder.column(0).AppendString("");
  builder.column(1).AppendString("");
  builder.column(2).BeginList();
  builder.column(2).child().AppendString("");
  builder.column(2).EndList();
  Batch batch = std::move(builder.Finish()).value();

  EXPECT_EQ(WriteJson(batch), "{\"s\":\"\",\"b\":\"\",\"l\":[\"\"]}\n");
}

TEST(JsonWriterTest, WritesARangeAndRejectsBadRanges) {
  Batch batch = Rows4();
  Bytes bytes;
  MemoryOutputStream out(&bytes);
  auto writer = std::move(JsonWriter::Make(out, batch.schema_ptr(), {})).value();

  EXPECT_THAT(writer->Write(batch, 1, 2), IsOk());
  EXPECT_THAT(writer->Write(batch, 0, 3), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(writer->Write(OneColumnBatch(T::Int32(), [](ColumnBuilder& c) { c.AppendInt32(1); })),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(writer->Flush(), IsOk());

  EXPECT_EQ(std::string(AsChars(bytes)), "{\"id\":7,\"name\":null,\"tags\":[],\"price\":null}\n");
  EXPECT_EQ(writer->records_written(), 1);
}

TEST(JsonWriterTest, MakeRejectsBadTextOptions) {
  Bytes bytes;
  MemoryOutputStream out(&bytes);
  JsonOptions options;
  options.text.timestamp_format = "%Y %Q";

  EXPECT_THAT(JsonWriter::Make(out, Schema4(), options), HasMessage("%Q"));
  EXPECT_THAT(JsonWriter::Make(out, nullptr, {}), IsError(ErrorCode::kInvalidArgument));
}

TEST(JsonWriterTest, LargeOutputIsCompleteAfterFlush) {
  Batch batch = OneColumnBatch(T::String(), [](ColumnBuilder& c) {
    for (int i = 0; i < 50'000; ++i) c.AppendString("row " + std::to_string(i));
  });

  std::string text = WriteJson(batch);
  std::vector<nlohmann::json> rows = ParseLines(text);

  ASSERT_EQ(rows.size(), 50'000u);
  EXPECT_EQ(rows[49'999]["c"], "row 49999");
}

}  // namespace
}  // namespace cqlbulk::formats
