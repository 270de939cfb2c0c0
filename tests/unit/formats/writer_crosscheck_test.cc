// SPDX-License-Identifier: Apache-2.0
// Writes the rows that writer_crosscheck.py reads back with Python's csv and json modules
// (ctest formats_writer_python_crosscheck). The script runs this test with
// CQLBULK_WRITER_CROSSCHECK_DIR set and computes every expected value with Python's own
// libraries from the same formulas (keep the two in step); without the variable it skips.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/formats/csv/csv_writer.h"
#include "cqlbulk/formats/io/file_stream.h"
#include "cqlbulk/formats/json/json_writer.h"
#include "testing/matchers.h"
#include "writer_test_util.h"

namespace cqlbulk::formats {
namespace {

using data::BatchBuilder;
using data::ColumnBuilder;
using data::Field;
using T = data::LogicalType;

constexpr int kRows = 300;

const std::vector<std::string>& Texts() {
  static const std::vector<std::string> texts = {
      "plain",        "",           "comma, inside", "quote \" inside",
      "new\nline",    "cr\r\nlf",   " lead",         "trail ",
      "unicode \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "tab\tx", "back\\slash", "NULL"};
  return texts;
}

data::SchemaPtr CrossCheckSchema() {
  auto point = T::Struct({Field{.name = "x", .type = T::Int32()},
                          Field{.name = "label", .type = T::String()}},
                         "point");
  return std::make_shared<data::Schema>(data::Schema{{
      Field{.name = "id", .type = T::Int32()},
      Field{.name = "big", .type = T::Int64()},
      Field{.name = "flag", .type = T::Boolean()},
      Field{.name = "f64", .type = T::Float64()},
      Field{.name = "f32", .type = T::Float32()},
      Field{.name = "text", .type = T::String()},
      Field{.name = "blob", .type = T::Binary()},
      Field{.name = "uuid", .type = T::Uuid()},
      Field{.name = "date", .type = T::Date()},
      Field{.name = "ts", .type = T::Timestamp()},
      Field{.name = "time", .type = T::Time()},
      Field{.name = "dec", .type = T::Decimal()},
      Field{.name = "varint", .type = T::BigInteger()},
      Field{.name = "inet", .type = T::Inet()},
      Field{.name = "dur", .type = T::Duration()},
      Field{.name = "ints", .type = T::List(T::Int32())},
      Field{.name = "nested", .type = T::Map(T::String(), T::List(T::Int32()))},
      Field{.name = "point", .type = point},
      Field{.name = "pair", .type = T::Tuple({T::Int32(), T::String()})},
  }});
}

/// (-1)^i * 3^i as two's-complement bytes.
Bytes PowerOfThree(int i) {
  std::string digits = "1";
  for (int k = 0; k < i; ++k) {
    int carry = 0;
    for (size_t j = digits.size(); j-- > 0;) {
      int v = (digits[j] - '0') * 3 + carry;
      digits[j] = static_cast<char>('0' + v % 10);
      carry = v / 10;
    }
    if (carry != 0) digits.insert(digits.begin(), static_cast<char>('0' + carry));
  }
  return testing::TwosComplementOfDecimal((i % 2 == 1 ? "-" : "") + digits);
}

void AppendRow(BatchBuilder& b, int i) {
  const int64_t v = i;
  b.column(0).AppendInt32(i * 7919 - 1'000'000);
  if (i == 0) {
    b.column(1).AppendInt64(INT64_MIN);
  } else if (i == 1) {
    b.column(1).AppendInt64(INT64_MAX);
  } else {
    b.column(1).AppendInt64(v * 1'000'000'007 * (i % 2 == 0 ? 1 : -1));
  }
  b.column(2).AppendBoolean(i % 3 == 0);
  switch (i % 50) {
    case 1: b.column(3).AppendFloat64(std::numeric_limits<double>::quiet_NaN()); break;
    case 2: b.column(3).AppendFloat64(std::numeric_limits<double>::infinity()); break;
    case 3: b.column(3).AppendFloat64(-std::numeric_limits<double>::infinity()); break;
    case 4: b.column(3).AppendFloat64(-0.0); break;
    case 5: b.column(3).AppendFloat64(5e-324); break;
    case 6: b.column(3).AppendNull(); break;
    default: b.column(3).AppendFloat64(static_cast<double>(i) / 7.0 - 20.0);
  }
  b.column(4).AppendFloat32(static_cast<float>(i) / 3.0f);
  const auto& texts = Texts();
  if (i % 11 == 10) {
    b.column(5).AppendNull();
  } else {
    std::string text = texts[static_cast<size_t>(i) % texts.size()];
    if (i >= 2 * static_cast<int>(texts.size())) text += std::to_string(i);
    b.column(5).AppendString(text);
  }
  Bytes blob;
  for (int k = 0; k < i % 7 * 3; ++k) blob.push_back(static_cast<uint8_t>((i + k * 31) % 256));
  b.column(6).AppendBytes(blob);
  uint8_t uuid[16];
  for (int k = 0; k < 16; ++k) uuid[k] = static_cast<uint8_t>((i * 17 + k * 13) % 256);
  b.column(7).AppendUuid(uuid);
  b.column(8).AppendDate(i == 0   ? INT32_MIN
                         : i == 1 ? INT32_MAX
                                  : static_cast<int32_t>((i - 150) * 40'000));
  b.column(9).AppendTimestamp(i == 0   ? INT64_MIN
                              : i == 1 ? INT64_MAX
                                       : (v - 150) * 123'456'789'012 + v);
  b.column(10).AppendTime(v * 987'654'321'987 % 86'400'000'000'000);
  int64_t unscaled = (v - 150) * 12345;
  std::string unscaled_text = std::to_string(unscaled) + std::string(static_cast<size_t>(
                                                             unscaled == 0 ? 0 : i % 20), '0');
  b.column(11).AppendDecimal(testing::TwosComplementOfDecimal(unscaled_text), i % 13 - 4);
  b.column(12).AppendBytes(PowerOfThree(i));
  if (i % 3 == 0) {
    b.column(13).AppendBytes(testing::BytesOf({10, i % 256, (i * 7) % 256, 1}));
  } else {
    Bytes ip(16, 0);
    if (i % 3 == 1) {
      ip[0] = 0x20;
      ip[1] = 0x01;
      ip[static_cast<size_t>(2 + i % 12)] = static_cast<uint8_t>(i);
      ip[15] = 1;
    } else {
      ip[10] = ip[11] = 0xff;
      ip[12] = 192;
      ip[13] = 168;
      ip[14] = static_cast<uint8_t>(i);
      ip[15] = 9;
    }
    b.column(13).AppendBytes(ip);
  }
  int sign = i % 4 == 1 ? -1 : 1;
  b.column(14).AppendDuration(sign * (i % 30), sign * (i % 9),
                              sign * (v * 123'456'789'123 % 100'000'000'000'000));
  ColumnBuilder& ints = b.column(15);
  ints.BeginList();
  if (i % 4 >= 1) ints.child().AppendInt32(i);
  if (i % 4 >= 2) {
    i % 8 < 4 ? ints.child().AppendNull() : ints.child().AppendInt32(i * 2);
  }
  if (i % 4 >= 3) ints.child().AppendInt32(-i);
  ints.EndList();
  ColumnBuilder& nested = b.column(16);
  nested.BeginList();
  if (i % 3 != 0) {
    nested.map_keys().AppendString("k" + std::to_string(i));
    nested.map_values().BeginList();
    nested.map_values().child().AppendInt32(i);
    nested.map_values().EndList();
    nested.map_keys().AppendString("q\"" + std::to_string(i));
    nested.map_values().BeginList();
    nested.map_values().EndList();
  }
  nested.EndList();
  ColumnBuilder& point = b.column(17);
  if (i % 5 == 4) {
    point.AppendNull();
  } else {
    point.child(0).AppendInt32(i);
    i % 2 == 1 ? point.child(1).AppendNull() : point.child(1).AppendString("p" + std::to_string(i));
    point.AppendStructValid();
  }
  ColumnBuilder& pair = b.column(18);
  pair.child(0).AppendInt32(-i);
  pair.child(1).AppendString(",\"" + std::to_string(i));
  pair.AppendStructValid();
}

TEST(WriterCrossCheckTest, WritesFilesForPython) {
  const char* dir = std::getenv("CQLBULK_WRITER_CROSSCHECK_DIR");
  if (dir == nullptr) {
    GTEST_SKIP() << "run by writer_crosscheck.py";
  }
  BatchBuilder builder(CrossCheckSchema(), kRows);
  for (int i = 0; i < kRows; ++i) AppendRow(builder, i);
  CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch batch, builder.Finish());

  for (bool csv : {true, false}) {
    std::string path = std::string(dir) + (csv ? "/rows.csv" : "/rows.jsonl");
    CQLBULK_ASSERT_OK_AND_ASSIGN(auto out, FileOutputStream::Open(path));
    std::unique_ptr<RecordWriter> writer;
    if (csv) {
      CQLBULK_ASSERT_OK_AND_ASSIGN(writer, CsvWriter::Make(*out, batch.schema_ptr(), {}));
    } else {
      CQLBULK_ASSERT_OK_AND_ASSIGN(writer, JsonWriter::Make(*out, batch.schema_ptr(), {}));
    }
    // In two pieces, to cross a Write boundary.
    CQLBULK_ASSERT_OK(writer->Write(batch, 0, 100));
    CQLBULK_ASSERT_OK(writer->Write(batch, 100, kRows));
    CQLBULK_ASSERT_OK(writer->Flush());
    CQLBULK_ASSERT_OK(out->Close());
  }
}

}  // namespace
}  // namespace cqlbulk::formats
