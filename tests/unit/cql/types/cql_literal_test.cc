// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cql/types/cql_literal.h"

#include <bit>

#include "cqlbulk/cql/types/type_parser.h"
#include "cqlbulk/cql/types/value_codec.h"
#include "testing/matchers.h"
#include "value_test_util.h"

namespace cqlbulk::cql {
namespace {

using ::cqlbulk::testing::HasMessage;
using ::cqlbulk::testing::IsError;

DataTypePtr T(std::string_view text) {
  static const DataTypePtr kUdt =
      DataType::Udt("ks", "udt_ab", {"a", "b"},
                    {DataType::Native(TypeId::kInt), DataType::Native(TypeId::kVarchar)});
  auto t = ParseCqlType(text, [](std::string_view, std::string_view name) {
    return name == "udt_ab" ? kUdt : nullptr;
  });
  EXPECT_TRUE(t.has_value()) << text;
  return t ? *t : DataType::Native(TypeId::kBlob);
}

/// The bytes of a literal, or the error.
std::string Hex(std::string_view type, std::string_view literal) {
  auto t = T(type);
  auto v = ParseCqlLiteral(*t, literal);
  if (!v) return "<" + v.error().message() + ">";
  auto b = EncodeValueToBytes(*t, *v);
  return b ? ToHex(*b) : "<" + b.error().message() + ">";
}

std::string Format(std::string_view type, const Value& v) { return FormatCqlLiteral(*T(type), v); }

TEST(CqlLiteralTest, ParsesStringsWithBothQuotings) {
  EXPECT_EQ(*ParseCqlLiteral(*T("text"), "'it''s'"), Value::Text("it's"));
  EXPECT_EQ(*ParseCqlLiteral(*T("text"), "$$it's $ fine$$"), Value::Text("it's $ fine"));
  EXPECT_EQ(*ParseCqlLiteral(*T("text"), "''''"), Value::Text("'"));
  EXPECT_EQ(*ParseCqlLiteral(*T("ascii"), " 'x' "), Value::Ascii("x"));
  EXPECT_THAT(ParseCqlLiteral(*T("text"), "'open"), HasMessage("unterminated"));
  EXPECT_THAT(ParseCqlLiteral(*T("ascii"), "'\xC3\xA9'"), HasMessage("invalid ASCII"));
  EXPECT_THAT(ParseCqlLiteral(*T("text"), "\"double\""), IsError(ErrorCode::kInvalidArgument));
}

TEST(CqlLiteralTest, ParsesNumbersPerType) {
  EXPECT_EQ(Hex("int", "-2147483648"), "80000000");
  EXPECT_EQ(Hex("tinyint", "-128"), "80");
  EXPECT_EQ(Hex("float", "1"), "3f800000");
  EXPECT_EQ(Hex("double", "-Infinity"), "fff0000000000000");
  EXPECT_EQ(Hex("double", "nan"), "7ff8000000000000");
  EXPECT_EQ(Hex("float", "3.4028235E38"), "7f7fffff");
  EXPECT_EQ(Hex("float", "1e39"), "7f800000");    // Java rounds to infinity
  EXPECT_EQ(Hex("float", "-1e-50"), "80000000");  // ... and to -0.0
  EXPECT_EQ(Hex("double", "4.9E-324"), "0000000000000001");
  EXPECT_EQ(Hex("double", "1."), "3ff0000000000000");
  EXPECT_EQ(Hex("decimal", "1E+3"), "fffffffd01");
  EXPECT_EQ(Hex("varint", "-1"), "ff");
  EXPECT_EQ(Hex("counter", "5"), "0000000000000005");
  EXPECT_THAT(ParseCqlLiteral(*T("int"), "2147483648"), HasMessage("out of range"));
  EXPECT_THAT(ParseCqlLiteral(*T("smallint"), "32768"), HasMessage("out of range"));
  EXPECT_THAT(ParseCqlLiteral(*T("int"), "1.5"), HasMessage("floating-point"));
  EXPECT_THAT(ParseCqlLiteral(*T("varint"), "1e3"), HasMessage("floating-point"));
  EXPECT_THAT(ParseCqlLiteral(*T("int"), "12abc"), HasMessage("unexpected character"));
  EXPECT_THAT(ParseCqlLiteral(*T("int"), "- 1"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ParseCqlLiteral(*T("decimal"), "NaN"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ParseCqlLiteral(*T("int"), "'1'"), IsError(ErrorCode::kInvalidArgument));
}

TEST(CqlLiteralTest, ParsesTemporalStringsAndIntegers) {
  EXPECT_EQ(Hex("timestamp", "'2021-03-31T12:34:56.789Z'"), "0000017888479895");
  EXPECT_EQ(Hex("timestamp", "'1617193496789'"), "00000178883e70d5");
  EXPECT_EQ(Hex("timestamp", "''"), "");
  EXPECT_EQ(Hex("date", "2147483648"), "80000000");
  EXPECT_EQ(Hex("date", "'2147483648'"), "80000000");
  EXPECT_EQ(Hex("date", "'+10000-01-01'"), "802cc0a1");
  EXPECT_EQ(Hex("time", "'12:34:56.789'"), "000029327b048f40");
  EXPECT_EQ(Hex("time", "86399999999999"), "00004e94914effff");
  EXPECT_THAT(ParseCqlLiteral(*T("time"), "86400000000000"), HasMessage("out of range"));
  EXPECT_THAT(ParseCqlLiteral(*T("date"), "'5881580-07-12'"), HasMessage("'+' sign"));
  EXPECT_THAT(ParseCqlLiteral(*T("date"), "'+5881580-07-12'"), HasMessage("out of range"));
  EXPECT_THAT(ParseCqlLiteral(*T("date"), "4294967296"), HasMessage("out of range"));
  EXPECT_THAT(ParseCqlLiteral(*T("date"), "'2021-02-29'"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ParseCqlLiteral(*T("timestamp"), "'999999999-01-01'"),
              IsError(ErrorCode::kInvalidArgument));
}

TEST(CqlLiteralTest, ParsesUuidsBlobsBooleansInetsAndDurations) {
  EXPECT_EQ(Hex("uuid", "550E8400-E29B-41D4-A716-446655440000"),
            "550e8400e29b41d4a716446655440000");
  EXPECT_EQ(Hex("blob", "0XdEaD"), "dead");
  EXPECT_EQ(Hex("boolean", "TRUE"), "01");
  EXPECT_EQ(Hex("inet", "'::ffff:10.0.0.1'"), "0a000001");
  EXPECT_EQ(Hex("duration", "-P1Y"), "170000");
  EXPECT_EQ(Hex("duration", "P0001-02-03T04:05:06"), "1c06fc1ac003cfe800");
  EXPECT_THAT(ParseCqlLiteral(*T("timeuuid"), "550e8400-e29b-41d4-a716-446655440000"),
              HasMessage("version 1"));
  EXPECT_THAT(ParseCqlLiteral(*T("uuid"), "'550e8400-e29b-41d4-a716-446655440000'"),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ParseCqlLiteral(*T("blob"), "0x123"), HasMessage("odd"));
  EXPECT_THAT(ParseCqlLiteral(*T("blob"), "0x12g4"), HasMessage("hex digit"));
  EXPECT_THAT(ParseCqlLiteral(*T("inet"), "'localhost'"), HasMessage("not an IP address"));
}

TEST(CqlLiteralTest, ParsesCollectionsTuplesUdtsAndVectors) {
  EXPECT_EQ(Hex("list<int>", "[ 1 ,2 ]"),
            "00000002000000040000000100000004000000"
            "02");
  EXPECT_EQ(Hex("frozen<set<int>>", "{}"), "00000000");
  EXPECT_EQ(Hex("map<text, int>", "{'b':2,'a':1}"),
            "000000020000000161000000040000000100000001620000000400000002");
  EXPECT_EQ(Hex("tuple<int, text>", "(1)"), "0000000400000001");  // fewer elements: shorter
  EXPECT_EQ(Hex("frozen<udt_ab>", "{B: 'y'}"), "ffffffff0000000179");
  EXPECT_EQ(Hex("frozen<udt_ab>", "{\"a\": 1}"), "0000000400000001ffffffff");
  EXPECT_EQ(Hex("vector<float, 2>", "[1, 2.5]"), "3f80000040200000");
  EXPECT_THAT(ParseCqlLiteral(*T("list<int>"), "[1, null]"), HasMessage("null is not supported"));
  EXPECT_THAT(ParseCqlLiteral(*T("map<int, int>"), "{1: null}"),
              HasMessage("null is not supported"));
  EXPECT_THAT(ParseCqlLiteral(*T("list<int>"), "[1, 2"), HasMessage("expected ']'"));
  EXPECT_THAT(ParseCqlLiteral(*T("list<int>"), "[1] [2]"), HasMessage("unexpected text"));
  EXPECT_THAT(ParseCqlLiteral(*T("tuple<int>"), "(1, 2)"), HasMessage("too many"));
  EXPECT_THAT(ParseCqlLiteral(*T("frozen<udt_ab>"), "{c: 1}"), HasMessage("unknown field c"));
  EXPECT_THAT(ParseCqlLiteral(*T("frozen<udt_ab>"), "{a: 1, a: 2}"), HasMessage("twice"));
  EXPECT_THAT(ParseCqlLiteral(*T("vector<float, 2>"), "[1]"), HasMessage("needs 2 elements"));
  EXPECT_THAT(ParseCqlLiteral(*T("set<int>"), "[1]"), HasMessage("expected '{'"));
}

TEST(CqlLiteralTest, ParsesConversionFunctions) {
  EXPECT_EQ(Hex("int", "blobAsInt(0x0000002a)"), "0000002a");
  EXPECT_EQ(Hex("text", "BLOBASVARCHAR(0x61)"), "61");
  EXPECT_EQ(Hex("boolean", "blobAsBoolean(0x02)"), "02");
  EXPECT_EQ(Hex("blob", "intAsBlob(42)"), "0000002a");
  EXPECT_EQ(Hex("blob", "textAsBlob('hi')"), "6869");
  EXPECT_EQ(Hex("int", "blobAsInt(intAsBlob(7))"), "00000007");
  EXPECT_TRUE(ParseCqlLiteral(*T("int"), "blobAsInt(null)")->is_null());
  EXPECT_THAT(ParseCqlLiteral(*T("date"), "blobAsDate(0x)"), HasMessage("expected 4 bytes"));
  EXPECT_THAT(ParseCqlLiteral(*T("bigint"), "blobAsInt(0x00000001)"), HasMessage("returns int"));
  EXPECT_THAT(ParseCqlLiteral(*T("uuid"), "now()"), HasMessage("unsupported function"));
  EXPECT_THAT(ParseCqlLiteral(*T("int"), "blobAsFoo(0x00)"), HasMessage("unknown function"));
}

TEST(CqlLiteralTest, RejectsLiteralsNestedTooDeeply) {
  std::string deep(5000, '[');
  DataTypePtr type = DataType::Native(TypeId::kInt);
  for (int i = 0; i < 200; ++i) type = DataType::List(type, true);

  EXPECT_THAT(ParseCqlLiteral(*type, deep), HasMessage("nested too deeply"));
}

TEST(CqlLiteralTest, FormatsValuesWithoutTheirOwnLiteralAsBlobConversions) {
  EXPECT_EQ(Format("int", Value::Empty()), "blobAsInt(0x)");
  EXPECT_EQ(Format("text", Value::Empty()), "''");
  EXPECT_EQ(Format("boolean", Value::BooleanByte(2)), "blobAsBoolean(0x02)");
  EXPECT_EQ(Format("float", Value::Float(std::bit_cast<float>(0x7f800001u))),
            "blobAsFloat(0x7f800001)");
  EXPECT_EQ(Format("float", Value::Float(std::bit_cast<float>(0x7fc00000u))), "NaN");
  EXPECT_EQ(Format("double", Value::Double(-0.0)), "-0.0");
  EXPECT_EQ(Format("time", Value::Time(-1)), "blobAsTime(0xffffffffffffffff)");
  EXPECT_EQ(
      Format("inet",
             Value::Inet(*IpAddress::FromBytes(*FromHex("00000000000000000000ffff0a000001")))),
      "blobAsInet(0x00000000000000000000ffff0a000001)");
}

TEST(CqlLiteralTest, FormatsReadableLiterals) {
  EXPECT_EQ(Format("timestamp", Value::Timestamp(1617193496789)), "'2021-03-31T12:24:56.789Z'");
  EXPECT_EQ(Format("timestamp", Value::Timestamp(INT64_MAX)), "9223372036854775807");
  EXPECT_EQ(Format("date", Value::Date(0x8000491d)), "'2021-03-31'");
  EXPECT_EQ(Format("date", Value::Date(0)), "'-5877641-06-23'");
  EXPECT_EQ(Format("date", Value::Date(0xffffffffu)), "4294967295");
  EXPECT_EQ(Format("time", Value::Time(1)), "'00:00:00.000000001'");
  EXPECT_EQ(Format("float", Value::Float(0.1f)), "0.1");
  EXPECT_EQ(Format("float", Value::Float(1e10f)), "1e+10");
  EXPECT_EQ(Format("double", Value::Double(2)), "2.0");
  EXPECT_EQ(Format("text", Value::Text("it's")), "'it''s'");
  EXPECT_EQ(Format("frozen<udt_ab>", Value::Udt({Value::Int(1), Value::Null()})),
            "{a: 1, b: null}");
  EXPECT_EQ(Format("map<text, frozen<list<int>>>",
                   Value::Map({{Value::Text("k"), Value::List({Value::Int(1)})}})),
            "{'k': [1]}");
  EXPECT_EQ(Format("tuple<int, text>", Value::Tuple({Value::Int(1), Value::Text("x")})),
            "(1, 'x')");
  EXPECT_EQ(Format("duration", Value::Duration(Duration{0, 0, 0})), "0s");
}

TEST(CqlLiteralTest, QuotesUdtFieldNamesThatNeedIt) {
  auto udt = DataType::Udt("ks", "u", {"Mixed", "from", "ok_1"},
                           {DataType::Native(TypeId::kInt), DataType::Native(TypeId::kInt),
                            DataType::Native(TypeId::kInt)});
  Value v = Value::Udt({Value::Int(1), Value::Int(2), Value::Int(3)});

  std::string text = FormatCqlLiteral(*udt, v);

  EXPECT_EQ(text, "{\"Mixed\": 1, \"from\": 2, ok_1: 3}");
  EXPECT_EQ(*ParseCqlLiteral(*udt, text), v);
}

}  // namespace
}  // namespace cqlbulk::cql
