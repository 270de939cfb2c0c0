// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <bit>
#include <limits>

#include "cqlbulk/cql/types/cql_literal.h"
#include "cqlbulk/cql/types/value.h"
#include "testing/matchers.h"
#include "value_test_util.h"

namespace cqlbulk::cql {
namespace {

Value Uuid(std::string_view text) { return Value::Uuid(*cqlbulk::Uuid::Parse(text)); }
Value Timeuuid(std::string_view text) { return Value::Timeuuid(*cqlbulk::Uuid::Parse(text)); }

/// Expects `values` to be strictly ascending under CompareValues.
void ExpectAscending(const std::vector<Value>& values) {
  for (size_t i = 0; i + 1 < values.size(); ++i) {
    EXPECT_TRUE(CompareValues(values[i], values[i + 1]) < 0)
        << values[i].ToString() << " < " << values[i + 1].ToString();
    EXPECT_TRUE(CompareValues(values[i + 1], values[i]) > 0);
  }
}

TEST(ValueCompareTest, NumbersCompareSigned) {
  ExpectAscending({Value::Null(), Value::Empty(), Value::Int(INT32_MIN), Value::Int(-1),
                   Value::Int(0), Value::Int(1), Value::Int(INT32_MAX)});
  ExpectAscending({Value::Timestamp(INT64_MIN), Value::Timestamp(-1), Value::Timestamp(0)});
  ExpectAscending({Value::Double(-std::numeric_limits<double>::infinity()), Value::Double(-1.0),
                   Value::Double(-0.0), Value::Double(0.0), Value::Double(1e-300),
                   Value::Double(std::numeric_limits<double>::infinity()),
                   Value::Double(std::numeric_limits<double>::quiet_NaN())});
  ExpectAscending({Value::Float(-0.0f), Value::Float(0.0f)});
  ExpectAscending({Value::Varint(*Varint::Parse("-1000000000000000000000")),
                   Value::Varint(Varint::FromInt64(-1)), Value::Varint(Varint::FromInt64(0)),
                   Value::Varint(*Varint::Parse("100000000000000000000"))});
  ExpectAscending({Value::Decimal(*Decimal::Parse("-1.5")), Value::Decimal(*Decimal::Parse("0.1")),
                   Value::Decimal(*Decimal::Parse("1E+1"))});
}

TEST(ValueCompareTest, EquivalentButDistinctValuesCompareEqual) {
  auto one = Value::Decimal(*Decimal::Parse("1.0"));
  auto one_hundredth = Value::Decimal(*Decimal::Parse("1.00"));
  auto nan_a = Value::Float(std::bit_cast<float>(0x7fc00000u));
  auto nan_b = Value::Float(std::bit_cast<float>(0x7f800001u));

  EXPECT_TRUE(CompareValues(one, one_hundredth) == 0);
  EXPECT_FALSE(one == one_hundredth);
  EXPECT_TRUE(CompareValues(nan_a, nan_b) == 0);
  EXPECT_FALSE(nan_a == nan_b);
  EXPECT_TRUE(CompareValues(Value::BooleanByte(1), Value::BooleanByte(2)) == 0);
  EXPECT_TRUE(CompareValues(Value::Boolean(false), Value::Boolean(true)) < 0);
}

TEST(ValueCompareTest, TextBlobAndInetCompareAsUnsignedBytes) {
  ExpectAscending({Value::Text(""), Value::Text("Z"), Value::Text("a"), Value::Text("ab"),
                   Value::Text("b"), Value::Text("\xC3\xA9")});
  ExpectAscending({Value::Blob({}), Value::Blob({0x00}), Value::Blob({0x7f}), Value::Blob({0x80})});
  ExpectAscending(
      {Value::Inet(*IpAddress::Parse("::1")), Value::Inet(*IpAddress::Parse("10.0.0.1")),
       Value::Inet(*IpAddress::Parse("a00:1::")), Value::Inet(*IpAddress::Parse("200.0.0.1"))});
  ExpectAscending({Value::Date(0), Value::Date(0x7fffffff), Value::Date(0x80000000u),
                   Value::Date(0xffffffffu)});
}

TEST(ValueCompareTest, UuidsCompareByVersionThenTimeThenUnsignedBytes) {
  ExpectAscending({
      // version 1, ordered by timestamp (time_hi, time_mid, time_low), not by bytes
      Uuid("ffffffff-0000-1000-8000-000000000000"),
      Uuid("00000000-0001-1000-8000-000000000000"),
      Uuid("00000000-0000-1001-8000-000000000000"),
      Uuid("00000000-0000-1001-ff00-000000000000"),
      // version 4, ordered by unsigned bytes
      Uuid("00000000-0000-4000-8000-000000000000"),
      Uuid("80000000-0000-4000-0000-000000000000"),
  });
}

TEST(ValueCompareTest, TimeuuidsCompareLowBytesAsSignedBytes) {
  ExpectAscending({
      Timeuuid("00000000-0000-1000-8000-000000000000"),  // 0x80 is -128
      Timeuuid("00000000-0000-1000-ff00-000000000000"),  // 0xff is -1
      Timeuuid("00000000-0000-1000-0080-000000000000"),  // later bytes are signed too
      Timeuuid("00000000-0000-1000-0000-000000000000"),
      Timeuuid("00000000-0000-1000-007f-000000000000"),
      Timeuuid("00000001-0000-1000-0000-000000000000"),  // the timestamp dominates
  });
}

TEST(ValueCompareTest, CollectionsTuplesAndUdtsCompareElementWise) {
  auto l = [](std::initializer_list<int> xs) {
    Value::Elements e;
    for (int x : xs) e.push_back(Value::Int(x));
    return Value::List(std::move(e));
  };
  ExpectAscending({l({}), l({1}), l({1, 2}), l({2})});
  ExpectAscending({Value::Tuple({Value::Null(), Value::Text("z")}),
                   Value::Tuple({Value::Int(1), Value::Null()}),
                   Value::Tuple({Value::Int(1), Value::Text("")}),
                   Value::Tuple({Value::Int(1), Value::Text("a")}), Value::Tuple({Value::Int(2)})});
  EXPECT_TRUE(
      CompareValues(Value::Udt({Value::Int(1)}), Value::Udt({Value::Int(1), Value::Null()})) == 0);
  ExpectAscending({Value::Map({{Value::Text("a"), Value::Int(2)}}),
                   Value::Map({{Value::Text("a"), Value::Int(3)}}),
                   Value::Map({{Value::Text("b"), Value::Int(0)}})});
}

TEST(ValueCompareTest, NormalizesSetsAndMapsAsCassandraStoresThem) {
  auto set_type = DataType::Set(DataType::Native(TypeId::kDecimal));
  auto map_type = DataType::Map(DataType::Native(TypeId::kVarchar), DataType::Native(TypeId::kInt));

  auto set = ParseCqlLiteral(*set_type, "{2, 1.0, 1.00, -3}");
  auto map = ParseCqlLiteral(*map_type, "{'b': 1, 'a': 2, 'b': 3}");

  ASSERT_TRUE(set.has_value());
  EXPECT_EQ(FormatCqlLiteral(*set_type, *set), "{-3, 1.0, 2}");
  ASSERT_TRUE(map.has_value());
  EXPECT_EQ(FormatCqlLiteral(*map_type, *map), "{'a': 2, 'b': 3}");
}

TEST(ValueCompareTest, NormalizesNestedCollections) {
  auto type = DataType::List(DataType::Set(DataType::Native(TypeId::kInt), true));
  Value v = Value::List({Value::Set({Value::Int(3), Value::Int(1), Value::Int(3)})});

  NormalizeCollections(v);

  EXPECT_EQ(v, Value::List({Value::Set({Value::Int(1), Value::Int(3)})}));
}

}  // namespace
}  // namespace cqlbulk::cql
