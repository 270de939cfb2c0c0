// SPDX-License-Identifier: Apache-2.0
// The binary encoding: the specification's examples byte for byte, round trips of every type,
// values that do not match their schema, and malformed input.
#include "cqlbulk/formats/avro/encoding.h"

#include <cmath>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "avro/avro_test_util.h"
#include "cqlbulk/formats/avro/value_json.h"
#include "testing/matchers.h"

namespace cqlbulk::formats::avro {
namespace {

using cqlbulk::testing::HasMessage;
using cqlbulk::testing::IsError;
using cqlbulk::testing::IsOk;

std::string EncodeHex(const Schema& schema, const Value& value) {
  data::Buffer out;
  Status s = Encode(schema, value, out);
  if (!s.has_value()) return "error: " + s.error().message();
  return ToHex(out.view());
}

Result<Value> DecodeHex(const Schema& schema, std::string_view hex) {
  Result<Bytes> bytes = FromHex(hex);
  if (!bytes.has_value()) return bytes.error();
  return Decode(schema, *bytes);
}

TEST(AvroEncodingTest, SpecificationExamples) {
  // "Primitive Types": zigzag varints.
  Schema i = ParseOrDie("\"long\"");
  EXPECT_EQ(EncodeHex(i, Value::Long(0)), "00");
  EXPECT_EQ(EncodeHex(i, Value::Long(-1)), "01");
  EXPECT_EQ(EncodeHex(i, Value::Long(1)), "02");
  EXPECT_EQ(EncodeHex(i, Value::Long(-2)), "03");
  EXPECT_EQ(EncodeHex(i, Value::Long(2)), "04");
  EXPECT_EQ(EncodeHex(i, Value::Long(-64)), "7f");
  EXPECT_EQ(EncodeHex(i, Value::Long(64)), "8001");
  EXPECT_EQ(EncodeHex(i, Value::Long(INT64_MIN)), "ffffffffffffffffff01");
  EXPECT_EQ(EncodeHex(ParseOrDie("\"string\""), Value::String("foo")), "06666f6f");
  // "Records", "Arrays", "Unions".
  Schema record = ParseOrDie(R"({"type": "record", "name": "test", "fields": [
      {"name": "a", "type": "long"}, {"name": "b", "type": "string"}]})");
  EXPECT_EQ(EncodeHex(record, Value::Record({Value::Long(27), Value::String("foo")})),
            "3606666f6f");
  Schema array = ParseOrDie(R"({"type": "array", "items": "long"})");
  EXPECT_EQ(EncodeHex(array, Value::Array({Value::Long(3), Value::Long(27)})), "04063600");
  EXPECT_EQ(EncodeHex(array, Value::Array({})), "00");
  Schema u = ParseOrDie(R"(["null", "string"])");
  EXPECT_EQ(EncodeHex(u, Value::Union(0, Value::Null())), "00");
  EXPECT_EQ(EncodeHex(u, Value::Union(1, Value::String("a"))), "020261");
  // A value that is not a Union picks the branch of its kind.
  EXPECT_EQ(EncodeHex(u, Value::String("a")), "020261");
  EXPECT_EQ(EncodeHex(u, Value::Null()), "00");
  // Floats are little-endian IEEE 754 bits.
  EXPECT_EQ(EncodeHex(ParseOrDie("\"float\""), Value::Float(1.0f)), "0000803f");
  EXPECT_EQ(EncodeHex(ParseOrDie("\"double\""), Value::Double(-2.0)), "00000000000000c0");
}

// Every type, nested: encode, decode, and the value comes back equal (NaN too).
TEST(AvroEncodingTest, EveryTypeRoundTrips) {
  Schema s = ParseOrDie(R"({"type": "record", "name": "all", "namespace": "t", "fields": [
      {"name": "n", "type": "null"},
      {"name": "b", "type": "boolean"},
      {"name": "i", "type": "int"},
      {"name": "l", "type": "long"},
      {"name": "f", "type": "float"},
      {"name": "d", "type": "double"},
      {"name": "by", "type": "bytes"},
      {"name": "s", "type": "string"},
      {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B", "C"]}},
      {"name": "a", "type": {"type": "array", "items": ["null", "int"]}},
      {"name": "m", "type": {"type": "map", "values": {"type": "array", "items": "string"}}},
      {"name": "u", "type": ["null", "E", {"type": "fixed", "name": "F", "size": 4}, "all"]},
      {"name": "fx", "type": "F"},
      {"name": "dec", "type": {"type": "bytes", "logicalType": "decimal", "precision": 20,
                               "scale": 3}},
      {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-micros"}}]})");
  auto make = [](Value u, float f, double d) {
    return Value::Record({
        Value::Null(),
        Value::Boolean(true),
        Value::Int(INT32_MIN),
        Value::Long(INT64_MAX),
        Value::Float(f),
        Value::Double(d),
        Value::Bytes(Bytes{0, 0xFF, 0x80, 7}),
        Value::String("h\xC3\xA9llo \xF0\x9F\x98\x80"),
        Value::Enum(2),
        Value::Array({Value::Union(1, Value::Int(-5)), Value::Union(0, Value::Null())}),
        Value::Map({{"k", Value::Array({Value::String("x"), Value::String("")})},
                    {"", Value::Array({})},
                    {"k", Value::Array({Value::String("duplicate keys stay")})}}),
        std::move(u),
        Value::FixedFromChars("abcd"),
        Value::Bytes(Bytes{0xFF, 0x85}),  // -123: -0.123
        Value::Long(-1),
    });
  };
  Value inner = make(Value::Union(1, Value::Enum(0)), -0.0f, 1e-308);
  Value outer = make(Value::Union(3, inner), std::numeric_limits<float>::quiet_NaN(),
                     -std::numeric_limits<double>::infinity());
  data::Buffer out;
  ASSERT_THAT(Encode(s, outer, out), IsOk());
  CQLBULK_ASSERT_OK_AND_ASSIGN(Value back, Decode(s, out.view()));
  EXPECT_EQ(back, outer) << back.DebugString();
  // And through the JSON encoding.
  CQLBULK_ASSERT_OK_AND_ASSIGN(std::string json, ValueToJson(s, outer));
  CQLBULK_ASSERT_OK_AND_ASSIGN(Value from_json, ValueFromJsonText(s, json));
  EXPECT_EQ(from_json, outer) << json;
  EXPECT_NE(json.find(R"("u":{"t.all":{)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("f":"NaN")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("by":"\u0000\u00ff\u0080\u0007")"), std::string::npos) << json;
}

TEST(AvroEncodingTest, IntegersAtTheirLimits) {
  Schema i = ParseOrDie("\"int\"");
  Schema l = ParseOrDie("\"long\"");
  for (int64_t v : {INT64_MIN, INT64_MIN + 1, int64_t{-1} << 32, int64_t{INT32_MIN}, int64_t{-1},
                    int64_t{0}, int64_t{1}, int64_t{INT32_MAX}, int64_t{1} << 40, INT64_MAX}) {
    data::Buffer out;
    ASSERT_THAT(Encode(l, Value::Long(v), out), IsOk());
    EXPECT_THAT(Decode(l, out.view()), cqlbulk::testing::HasValue(Value::Long(v)));
    if (v >= INT32_MIN && v <= INT32_MAX) {
      EXPECT_THAT(Decode(i, out.view()),
                  cqlbulk::testing::HasValue(Value::Int(static_cast<int32_t>(v))));
    } else {
      EXPECT_THAT(Decode(i, out.view()), HasMessage("out of range"));
    }
  }
}

TEST(AvroEncodingTest, NegativeBlockCountsCarryTheirSize) {
  // "If a block's count is negative, its absolute value is used, and the count is followed
  // immediately by a long block size": [3, 27] as one block of -2 items and 2 bytes, then
  // [5] as a block of 1; a map {"a": 1} the same way.
  Schema array = ParseOrDie(R"({"type": "array", "items": "long"})");
  EXPECT_THAT(DecodeHex(array, "03040636" "020a" "00"),
              cqlbulk::testing::HasValue(
                  Value::Array({Value::Long(3), Value::Long(27), Value::Long(5)})));
  Schema map = ParseOrDie(R"({"type": "map", "values": "int"})");
  EXPECT_THAT(DecodeHex(map, "01060261020262" "00"),
              HasMessage("map key of 49 bytes passes the end of the input"));
  EXPECT_THAT(DecodeHex(map, "0106" "026102" "00"),
              cqlbulk::testing::HasValue(Value::Map({{"a", Value::Int(1)}})));
}

TEST(AvroEncodingTest, ValuesThatDoNotMatchTheSchemaAreRefused) {
  Schema s = ParseOrDie(IcebergManifestFileSchema());
  data::Buffer out;
  out.Append<uint8_t>(0xAB);
  EXPECT_THAT(Encode(s, Value::Long(1), out),
              HasMessage("manifest_file: expected record, got long"));
  std::vector<Value> fields(s.root_node().fields.size(), Value::Long(0));
  fields[0] = Value::String("s3://m.avro");
  EXPECT_THAT(Encode(s, Value::Record(fields), out),
              HasMessage("manifest_file.partition_spec_id: expected int, got long"));
  EXPECT_EQ(out.size(), 1u);  // what an error appended is taken back
  EXPECT_THAT(Encode(ParseOrDie("\"string\""), Value::String("\xFF"), out),
              HasMessage("not UTF-8"));
  Schema u = ParseOrDie(R"(["null", {"type": "array", "items": "int"}])");
  EXPECT_THAT(Encode(u, Value::Long(1), out), HasMessage("the union has no long branch"));
  EXPECT_THAT(Encode(u, Value::Union(2, Value::Null()), out), HasMessage("branch 2"));
  EXPECT_THAT(Encode(u, Value::Array({Value::Int(1), Value::String("x")}), out),
              HasMessage("value[1]: expected int, got string"));
  Schema f = ParseOrDie(R"({"type": "fixed", "name": "f", "size": 2})");
  EXPECT_THAT(Encode(f, Value::FixedFromChars("abc"), out), HasMessage("holds 2 bytes, got 3"));
  Schema e = ParseOrDie(R"({"type": "enum", "name": "e", "symbols": ["A"]})");
  EXPECT_THAT(Encode(e, Value::Enum(1), out), HasMessage("got index 1"));
  EXPECT_EQ(out.size(), 1u);
}

TEST(AvroEncodingTest, MalformedInputIsCorruptAndSaysWhere) {
  Schema s = ParseOrDie(R"({"type": "record", "name": "r", "fields": [
      {"name": "id", "type": "long"},
      {"name": "tags", "type": {"type": "array", "items": "string"}},
      {"name": "flag", "type": "boolean"},
      {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A"]}},
      {"name": "u", "type": ["null", "int"]}]})");
  EXPECT_THAT(DecodeHex(s, ""), HasMessage("r.id: the input ends inside a varint at byte 0"));
  EXPECT_THAT(DecodeHex(s, "02" "02" "0a6162"),
              HasMessage("r.tags[0]: string of 5 bytes passes the end of the input "
                         "(2 bytes left)"));
  EXPECT_THAT(DecodeHex(s, "02" "02" "0361"), HasMessage("r.tags[0]: string of negative length"));
  EXPECT_THAT(DecodeHex(s, "02" "02" "02ff" "00"), HasMessage("r.tags[0]: string is not UTF-8"));
  EXPECT_THAT(DecodeHex(s, "02" "fe01"),
              HasMessage("r.tags: block of 127 items of at least 1 bytes passes the end"));
  EXPECT_THAT(DecodeHex(s, "02" "00" "02"), HasMessage("r.flag: boolean byte 2"));
  EXPECT_THAT(DecodeHex(s, "02" "00" "01" "02"), HasMessage("r.e: enum index 1 is not one of"));
  EXPECT_THAT(DecodeHex(s, "02" "00" "01" "00" "04"), HasMessage("r.u: union branch 2"));
  EXPECT_THAT(DecodeHex(s, "02" "00" "01" "00" "0280808080808080808080"),
              HasMessage("longer than 64 bits"));
  EXPECT_THAT(DecodeHex(s, "02" "00" "01" "00" "00" "00"), HasMessage("1 bytes follow the value"));
  EXPECT_THAT(DecodeHex(s, "02" "00" "01" "00" "00"), IsOk());
  EXPECT_THAT(DecodeHex(s, ""), IsError(ErrorCode::kCorrupt));
  // Map keys name the path.
  Schema m = ParseOrDie(R"({"type": "map", "values": "int"})");
  EXPECT_THAT(DecodeHex(m, "02" "026b" "80808080808080808001"), HasMessage("value['k']: int"));
}

TEST(AvroEncodingTest, ItemsOfNoBytesAreBoundedByTheInput) {
  // An array of nulls takes no bytes per item: a count of 2^62 must not loop or allocate.
  Schema s = ParseOrDie(R"({"type": "array", "items": "null"})");
  EXPECT_THAT(DecodeHex(s, "feffffffffffffff7f"), HasMessage("items of no bytes each are more"));
  CQLBULK_ASSERT_OK_AND_ASSIGN(Value v, DecodeHex(s, "e80700"));  // 500 nulls, then 0
  EXPECT_EQ(v.items().size(), 500u);
  Schema empty = ParseOrDie(
      R"({"type": "array", "items": {"type": "record", "name": "e", "fields": []}})");
  EXPECT_THAT(DecodeHex(empty, "80a00100"), HasMessage("items of no bytes each"));  // 10240
}

TEST(AvroEncodingTest, NestingIsLimited) {
  Schema s = ParseOrDie(R"({"type": "record", "name": "LongList", "fields": [
      {"name": "value", "type": "long"}, {"name": "next", "type": ["null", "LongList"]}]})");
  std::string hex;
  for (int i = 0; i < 300; ++i) hex += "0202";
  hex += "0000";
  EXPECT_THAT(DecodeHex(s, hex), HasMessage("nested more than 256 deep"));
  std::string shallow;
  for (int i = 0; i < 100; ++i) shallow += "0202";
  shallow += "0000";
  CQLBULK_ASSERT_OK_AND_ASSIGN(Value v, DecodeHex(s, shallow));
  data::Buffer out;
  ASSERT_THAT(Encode(s, v, out), IsOk());
  EXPECT_EQ(ToHex(out.view()), shallow);
}

TEST(AvroEncodingTest, JsonForms) {
  Schema s = ParseOrDie(R"({"type": "record", "name": "r", "fields": [
      {"name": "u", "type": ["null", "long", {"type": "record", "name": "p", "fields": [
          {"name": "x", "type": "float"}]}]},
      {"name": "m", "type": {"type": "map", "values": "bytes"}, "default": {"a": "\u0001"}}]})");
  CQLBULK_ASSERT_OK_AND_ASSIGN(Value v, ValueFromJsonText(s, R"({"u": {"p": {"x": 0.1}}})"));
  EXPECT_EQ(v, Value::Record({Value::Union(2, Value::Record({Value::Float(0.1f)})),
                             Value::Map({{"a", Value::Bytes(Bytes{1})}})}));
  EXPECT_THAT(ValueToJson(s, v), cqlbulk::testing::HasValue(std::string(
                                     R"({"u":{"p":{"x":0.1}},"m":{"a":"\u0001"}})")));
  EXPECT_THAT(ValueFromJsonText(s, R"({"u": 5})"), HasMessage("u: expected a union value"));
  EXPECT_THAT(ValueFromJsonText(s, R"({"u": {"int": 5}})"), HasMessage("u: 'int' is not a branch"));
  EXPECT_THAT(ValueFromJsonText(s, R"({"u": null, "z": 1})"), HasMessage("has no field 'z'"));
  EXPECT_THAT(ValueFromJsonText(s, R"({"u": {"long": 1.5}})"), HasMessage("u: expected a long"));
}

}  // namespace
}  // namespace cqlbulk::formats::avro
