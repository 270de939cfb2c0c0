// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cql/types/value_codec.h"

#include "cqlbulk/cql/types/cql_literal.h"
#include "testing/matchers.h"
#include "testing/testdata.h"
#include "value_test_util.h"

namespace cqlbulk::cql {
namespace {

using ::cqlbulk::testing::HasMessage;
using ::cqlbulk::testing::Hex;
using ::cqlbulk::testing::IsError;

DataTypePtr Native(TypeId id) { return DataType::Native(id); }

std::string EncodedHex(const DataType& type, const Value& v) {
  auto b = EncodeValueToBytes(type, v);
  return b ? ToHex(*b) : "<" + b.error().ToString() + ">";
}

Result<Value> DecodeHex(const DataType& type, const std::string& hex) {
  return DecodeValue(type, Hex(hex));
}

TEST(ValueCodecTest, EncodesFixedSizeVectorsWithoutLengths) {
  auto type = DataType::Vector(Native(TypeId::kFloat), 3);
  Value v = Value::Vector({Value::Float(1.0f), Value::Float(-2.5f), Value::Float(0.0f)});

  std::string hex = EncodedHex(*type, v);
  auto back = DecodeHex(*type, hex);

  EXPECT_EQ(hex, "3f800000c020000000000000");
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, v);
}

TEST(ValueCodecTest, EncodesVariableSizeVectorsWithUnsignedVintLengths) {
  auto type = DataType::Vector(Native(TypeId::kVarchar), 2);
  std::string long_text(200, 'x');
  Value v = Value::Vector({Value::Text("ab"), Value::Text(long_text)});

  std::string hex = EncodedHex(*type, v);
  auto back = DecodeHex(*type, hex);

  EXPECT_EQ(hex.substr(0, 12), "02616280c878");
  EXPECT_EQ(hex.size(), 2u * (1 + 2 + 2 + 200));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, v);
}

TEST(ValueCodecTest, NestsFixedSizeVectorsAsFixedSize) {
  auto inner = DataType::Vector(Native(TypeId::kSmallint), 2);
  auto outer = DataType::Vector(inner, 2);
  Value v = Value::Vector({Value::Vector({Value::Smallint(1), Value::Smallint(2)}),
                           Value::Vector({Value::Smallint(-1), Value::Smallint(3)})});

  EXPECT_EQ(outer->fixed_size(), 8);
  EXPECT_EQ(EncodedHex(*outer, v), "00010002ffff0003");
  EXPECT_EQ(*DecodeHex(*outer, "00010002ffff0003"), v);
}

TEST(ValueCodecTest, RejectsMalformedVectors) {
  auto floats = DataType::Vector(Native(TypeId::kFloat), 2);
  auto texts = DataType::Vector(Native(TypeId::kVarchar), 2);
  auto huge = DataType::Vector(Native(TypeId::kVarchar), 4'000'000'000u);

  EXPECT_THAT(DecodeHex(*floats, "3f800000"), IsError(ErrorCode::kProtocol));
  EXPECT_THAT(DecodeHex(*floats, "3f8000003f80000000"), IsError(ErrorCode::kProtocol));
  EXPECT_THAT(DecodeHex(*texts, "0161"), IsError(ErrorCode::kProtocol));        // one element
  EXPECT_THAT(DecodeHex(*texts, "016105"), IsError(ErrorCode::kProtocol));      // length past end
  EXPECT_THAT(DecodeHex(*texts, "0161016200"), IsError(ErrorCode::kProtocol));  // trailing
  EXPECT_THAT(DecodeHex(*huge, "0000"), HasMessage("cannot hold"));
  EXPECT_THAT(EncodeValueToBytes(*floats, Value::Vector({Value::Float(1)})),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(EncodeValueToBytes(*floats, Value::Vector({Value::Float(1), Value::Null()})),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(EncodeValueToBytes(*floats, Value::Vector({Value::Float(1), Value::Empty()})),
              IsError(ErrorCode::kInvalidArgument));
}

TEST(ValueCodecTest, RejectsWrongFixedLengths) {
  for (TypeId id : {TypeId::kInt, TypeId::kBigint, TypeId::kBoolean, TypeId::kFloat,
                    TypeId::kDouble, TypeId::kUuid, TypeId::kTimestamp, TypeId::kDate,
                    TypeId::kTime, TypeId::kSmallint, TypeId::kTinyint, TypeId::kTimeuuid}) {
    auto type = Native(id);
    Bytes too_long(static_cast<size_t>(type->fixed_size()) + 1, 0x10);

    EXPECT_THAT(DecodeValue(*type, too_long), IsError(ErrorCode::kProtocol)) << type->ToCql();
    if (too_long.size() > 2) {
      EXPECT_THAT(DecodeValue(*type, BytesView(too_long).first(too_long.size() - 2)),
                  IsError(ErrorCode::kProtocol))
          << type->ToCql();
    }
  }
  EXPECT_THAT(DecodeHex(*Native(TypeId::kInet), "0102030405"), IsError(ErrorCode::kProtocol));
  EXPECT_THAT(DecodeHex(*Native(TypeId::kDecimal), "00000001"), IsError(ErrorCode::kProtocol));
}

TEST(ValueCodecTest, RejectsTruncatedAndHostileCollections) {
  auto list = DataType::List(Native(TypeId::kInt));
  auto map = DataType::Map(Native(TypeId::kVarchar), Native(TypeId::kInt));

  EXPECT_THAT(DecodeHex(*list, ""), IsError(ErrorCode::kProtocol));
  EXPECT_THAT(DecodeHex(*list, "000001"), IsError(ErrorCode::kProtocol));
  EXPECT_THAT(DecodeHex(*list, "ffffffff"), HasMessage("negative element count"));
  EXPECT_THAT(DecodeHex(*list, "7fffffff"), HasMessage("exceeds"));  // no 8 GiB reserve
  EXPECT_THAT(DecodeHex(*list, "00000001000000040000"), IsError(ErrorCode::kProtocol));
  EXPECT_THAT(DecodeHex(*list, "0000000100000004000000010000"), HasMessage("unexpected bytes"));
  EXPECT_THAT(DecodeHex(*list, "00000001ffffffff"), HasMessage("null element"));
  EXPECT_THAT(DecodeHex(*list, "00000001fffffffe"), IsError(ErrorCode::kProtocol));
  EXPECT_THAT(DecodeHex(*list, "0000000100000003000001"), IsError(ErrorCode::kProtocol));
  EXPECT_THAT(DecodeHex(*map, "00000001000000016100000004"), IsError(ErrorCode::kProtocol));
  EXPECT_THAT(DecodeHex(*map, "10000000"), HasMessage("exceeds"));
}

TEST(ValueCodecTest, ReadsTuplesAndUdtsWithFewerFieldsThanDeclared) {
  auto udt = DataType::Udt("ks", "u", {"a", "b", "c"},
                           {Native(TypeId::kInt), Native(TypeId::kVarchar), Native(TypeId::kInt)});
  auto tuple = DataType::Tuple({Native(TypeId::kInt), Native(TypeId::kVarchar)});

  auto short_udt = DecodeHex(*udt, "0000000400000001");
  auto short_tuple = DecodeHex(*tuple, "ffffffff");

  ASSERT_TRUE(short_udt.has_value());
  EXPECT_EQ(*short_udt, Value::Udt({Value::Int(1), Value::Null(), Value::Null()}));
  EXPECT_EQ(EncodedHex(*udt, *short_udt), "0000000400000001");  // re-encoded as received
  EXPECT_EQ(*short_tuple, Value::Tuple({Value::Null(), Value::Null()}));
  EXPECT_TRUE(DecodeHex(*tuple, "")->is_empty());
  EXPECT_THAT(DecodeHex(*tuple, "ffffffffffffffffffffffff"), HasMessage("declared fields"));
  EXPECT_THAT(DecodeHex(*tuple, "00000004000000"), IsError(ErrorCode::kProtocol));
  EXPECT_THAT(
      EncodeValueToBytes(*tuple, Value::Tuple({Value::Int(1), Value::Text("a"), Value::Int(2)})),
      IsError(ErrorCode::kInvalidArgument));
}

TEST(ValueCodecTest, ValidatesTextAsCassandraDoes) {
  auto text = Native(TypeId::kVarchar);
  auto ascii = Native(TypeId::kAscii);

  EXPECT_EQ(DecodeHex(*text, "f09f9880")->as_string(), "\xF0\x9F\x98\x80");
  EXPECT_TRUE(DecodeHex(*text, "c080").has_value());    // modified-UTF-8 NUL: tolerated
  EXPECT_TRUE(DecodeHex(*text, "eda080").has_value());  // a surrogate: tolerated
  for (const char* bad :
       {"ff", "80", "c0", "c1bf", "e08080", "f0808080", "f4908080", "f5808080", "e282", "c328"}) {
    EXPECT_THAT(DecodeHex(*text, bad), HasMessage("invalid UTF-8")) << bad;
  }
  EXPECT_THAT(DecodeHex(*ascii, "c3a9"), IsError(ErrorCode::kProtocol));
  EXPECT_THAT(EncodeValueToBytes(*ascii, Value::Text("\xC3\xA9")),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(EncodeValueToBytes(*text, Value::Text("\xFF")), IsError(ErrorCode::kInvalidArgument));
  EXPECT_EQ(EncodedHex(*text, Value::Ascii("a")), "61");  // ascii values fit text columns
}

TEST(ValueCodecTest, ChecksTimeuuidVersionAndIntegerRanges) {
  auto timeuuid = Native(TypeId::kTimeuuid);
  Uuid v4 = *Uuid::Parse("550e8400-e29b-41d4-a716-446655440000");

  EXPECT_THAT(DecodeValue(*timeuuid, v4.bytes), HasMessage("version 4"));
  EXPECT_THAT(EncodeValueToBytes(*timeuuid, Value::Uuid(v4)), IsError(ErrorCode::kInvalidArgument));
  EXPECT_EQ(EncodedHex(*Native(TypeId::kTinyint), Value::Int(-128)), "80");
  EXPECT_THAT(EncodeValueToBytes(*Native(TypeId::kTinyint), Value::Int(128)),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(EncodeValueToBytes(*Native(TypeId::kInt), Value::Bigint(int64_t{1} << 31)),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(EncodeValueToBytes(*Native(TypeId::kInt), Value::Text("1")),
              IsError(ErrorCode::kInvalidArgument));
}

TEST(ValueCodecTest, EmptyValuesRoundTripWhereCassandraAllowsThem) {
  for (TypeId id : {TypeId::kInt, TypeId::kBigint, TypeId::kCounter, TypeId::kBoolean,
                    TypeId::kFloat, TypeId::kDouble, TypeId::kUuid, TypeId::kTimeuuid,
                    TypeId::kTimestamp, TypeId::kInet, TypeId::kVarint, TypeId::kDecimal}) {
    auto type = Native(id);
    EXPECT_TRUE(DecodeValue(*type, BytesView())->is_empty()) << type->ToCql();
    EXPECT_EQ(EncodedHex(*type, Value::Empty()), "") << type->ToCql();
  }
  for (TypeId id :
       {TypeId::kTinyint, TypeId::kSmallint, TypeId::kDate, TypeId::kTime, TypeId::kDuration}) {
    auto type = Native(id);
    EXPECT_THAT(DecodeValue(*type, BytesView()), IsError(ErrorCode::kProtocol)) << type->ToCql();
    EXPECT_THAT(EncodeValueToBytes(*type, Value::Empty()), IsError(ErrorCode::kInvalidArgument));
  }
}

TEST(ValueCodecTest, WritesNullsAsMinusOneInBytesAndFields) {
  auto tuple = DataType::Tuple({Native(TypeId::kInt), Native(TypeId::kVarchar)});
  ByteWriter w;

  CQLBULK_ASSERT_OK(EncodeValueAsBytes(*tuple, Value::Tuple({Value::Null(), Value::Text("x")}), w));
  CQLBULK_ASSERT_OK(EncodeValueAsBytes(*tuple, Value::Null(), w));

  EXPECT_EQ(ToHex(w.view()), "00000009ffffffff0000000178ffffffff");
  EXPECT_THAT(EncodeValueToBytes(*tuple, Value::Null()), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(EncodeValueToBytes(*DataType::List(Native(TypeId::kInt)),
                                 Value::List({Value::Int(1), Value::Null()})),
              HasMessage("null elements"));
}

TEST(ValueCodecTest, StopsDepthBombsWithErrorsNotStackOverflows) {
  // 150 nested frozen lists, each holding one element: deeper than kMaxValueDepth.
  DataTypePtr type = Native(TypeId::kInt);
  Value value = Value::Int(7);
  for (int i = 0; i < 150; ++i) {
    type = DataType::List(type, true);
    value = Value::List({value});
  }
  Bytes bytes = Hex("00000007");
  for (int i = 0; i < 150; ++i) {
    ByteWriter w;
    w.WriteI32(1);
    w.WriteI32(static_cast<int32_t>(bytes.size()));
    w.WriteBytes(bytes);
    bytes = std::move(w).Take();
  }

  EXPECT_THAT(DecodeValue(*type, bytes), HasMessage("nested more than"));
  EXPECT_THAT(EncodeValueToBytes(*type, value), HasMessage("nested more than"));
}

TEST(ValueCodecTest, CustomTypesAreOpaqueBlobs) {
  auto custom = DataType::Custom("com.example.Point");

  auto v = DecodeHex(*custom, "0102");

  EXPECT_EQ(v->as_blob(), Hex("0102"));
  EXPECT_EQ(EncodedHex(*custom, *v), "0102");
}

TEST(ValueCodecTest, RoundTripsExtremeVarintsAndDecimals) {
  auto varint = Native(TypeId::kVarint);
  auto decimal = Native(TypeId::kDecimal);
  std::string big = "-" + std::string(3000, '9');

  CQLBULK_ASSERT_OK_AND_ASSIGN(Value v, ParseCqlLiteral(*varint, big));
  CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes vb, EncodeValueToBytes(*varint, v));
  CQLBULK_ASSERT_OK_AND_ASSIGN(Value d, ParseCqlLiteral(*decimal, big + ".5E-2147483000"));
  CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes db, EncodeValueToBytes(*decimal, d));

  EXPECT_EQ(DecodeValue(*varint, vb)->as_varint().ToString(), big);
  EXPECT_EQ(*DecodeValue(*decimal, db), d);
  EXPECT_EQ(d.as_decimal().scale(), 2147483001);
  EXPECT_EQ(*ParseCqlLiteral(*decimal, FormatCqlLiteral(*decimal, d)), d);
  EXPECT_EQ(EncodedHex(*varint, *ParseCqlLiteral(*varint, "-1")), "ff");
  EXPECT_EQ(EncodedHex(*decimal, *ParseCqlLiteral(*decimal, "-1E+2147483647")), "80000001ff");
}

}  // namespace
}  // namespace cqlbulk::cql
