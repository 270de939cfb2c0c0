// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cql/types/numeric.h"

#include <string>

#include "testing/matchers.h"

namespace cqlbulk::cql {
namespace {

using ::cqlbulk::testing::IsError;

std::string VarintHex(std::string_view text) {
  auto v = Varint::Parse(text);
  return v ? ToHex(v->bytes()) : "<error>";
}

TEST(VarintTest, ParsesToMinimalTwosComplement) {
  EXPECT_EQ(VarintHex("0"), "00");
  EXPECT_EQ(VarintHex("-0"), "00");
  EXPECT_EQ(VarintHex("+127"), "7f");
  EXPECT_EQ(VarintHex("128"), "0080");
  EXPECT_EQ(VarintHex("-128"), "80");
  EXPECT_EQ(VarintHex("-129"), "ff7f");
  EXPECT_EQ(VarintHex("-256"), "ff00");
  EXPECT_EQ(VarintHex("-32769"), "ff7fff");
  EXPECT_EQ(VarintHex("18446744073709551616"), "010000000000000000");
  EXPECT_EQ(VarintHex("-18446744073709551616"), "ff0000000000000000");
  EXPECT_EQ(VarintHex("0000000000000000000000000000042"), "2a");
}

TEST(VarintTest, RoundTripsExtremeValuesThroughText) {
  // 2^8000 - 1 and its negation, and -2^8000: thousands of digits, carries across every limb.
  Bytes ones(1001, 0xFF);
  ones[0] = 0x00;  // 0x00 ff ff ... = 2^8000 - 1
  Bytes min_bytes(1001, 0x00);
  min_bytes[0] = 0xFF;
  // ff 00 00 ... = -2^8000
  for (const Bytes& raw : {ones, min_bytes}) {
    auto v = Varint::FromBytes(raw);
    ASSERT_TRUE(v.has_value());

    std::string text = v->ToString();
    auto back = Varint::Parse(text);

    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(ToHex(back->bytes()), ToHex(raw));
    EXPECT_GT(text.size(), 2000u);
  }
}

TEST(VarintTest, ConvertsInt64EdgesBothWays) {
  for (int64_t v : {int64_t{0}, int64_t{-1}, INT64_MIN, INT64_MAX, int64_t{255}, int64_t{-255}}) {
    Varint x = Varint::FromInt64(v);

    EXPECT_EQ(x.ToInt64(), v);
    EXPECT_EQ(x.ToString(), std::to_string(v));
  }
  EXPECT_FALSE(Varint::Parse("9223372036854775808")->ToInt64().has_value());
}

TEST(VarintTest, ComparesNumericallyIncludingNonMinimalBytes) {
  auto a = *Varint::FromBytes(Bytes{0x00, 0x01});
  auto b = *Varint::FromBytes(Bytes{0x01});

  EXPECT_TRUE(Varint::Compare(a, b) == 0);
  EXPECT_FALSE(a == b);  // == is bytewise, so re-encoding stays exact
  EXPECT_TRUE(Varint::Compare(*Varint::Parse("-129"), *Varint::Parse("-128")) < 0);
  EXPECT_TRUE(Varint::Compare(*Varint::Parse("-1"), *Varint::Parse("0")) < 0);
  EXPECT_TRUE(Varint::Compare(*Varint::Parse("256"), *Varint::Parse("255")) > 0);
  EXPECT_TRUE(Varint::Compare(*Varint::Parse("-65536"), *Varint::Parse("-255")) < 0);
}

TEST(VarintTest, RejectsNonIntegers) {
  EXPECT_THAT(Varint::Parse(""), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(Varint::Parse("-"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(Varint::Parse("1.5"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(Varint::Parse("12a"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(Varint::FromBytes(Bytes{}), IsError(ErrorCode::kInvalidArgument));
}

struct DecimalCase {
  const char* text;
  int32_t scale;
  const char* unscaled;
  const char* printed;  // BigDecimal.toString()
};

class DecimalParseTest : public ::testing::TestWithParam<DecimalCase> {};

TEST_P(DecimalParseTest, KeepsScaleAndPrintsLikeBigDecimal) {
  const DecimalCase& c = GetParam();

  auto d = Decimal::Parse(c.text);

  ASSERT_TRUE(d.has_value()) << d.error().ToString();
  EXPECT_EQ(d->scale(), c.scale);
  EXPECT_EQ(d->unscaled().ToString(), c.unscaled);
  EXPECT_EQ(d->ToString(), c.printed);
  EXPECT_EQ(*Decimal::Parse(d->ToString()), *d);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, DecimalParseTest,
    ::testing::Values(
        DecimalCase{"0", 0, "0", "0"}, DecimalCase{"0.0", 1, "0", "0.0"},
        DecimalCase{"1.00", 2, "100", "1.00"}, DecimalCase{"-1.5", 1, "-15", "-1.5"},
        DecimalCase{"1E+3", -3, "1", "1E+3"}, DecimalCase{"1e3", -3, "1", "1E+3"},
        DecimalCase{"2.5E+3", -2, "25", "2.5E+3"}, DecimalCase{"1e-10", 10, "1", "1E-10"},
        DecimalCase{"0.000001", 6, "1", "0.000001"}, DecimalCase{"0.0000001", 7, "1", "1E-7"},
        DecimalCase{"-0.001", 3, "-1", "-0.001"}, DecimalCase{"123.456e-2", 5, "123456", "1.23456"},
        DecimalCase{"0E+10", -10, "0", "0E+10"},
        DecimalCase{"1E+2147483648", INT32_MIN, "1", "1E+2147483648"},
        DecimalCase{"-123456789012345678901234567890.5", 1, "-1234567890123456789012345678905",
                    "-123456789012345678901234567890.5"}));

TEST(DecimalTest, EncodesLikeTheServer) {
  // 3.14159265358979323846 from cql_values.json: scale 20, unscaled 0x1107d5eb5b5ba4d7c6.
  auto d = *Decimal::Parse("3.14159265358979323846");

  EXPECT_EQ(d.scale(), 20);
  EXPECT_EQ(ToHex(d.unscaled().bytes()), "1107d5eb5b5ba4d7c6");
}

TEST(DecimalTest, ComparesNumericallyIgnoringScale) {
  auto cmp = [](const char* a, const char* b) {
    return Decimal::Compare(*Decimal::Parse(a), *Decimal::Parse(b));
  };

  EXPECT_TRUE(cmp("1.0", "1.00") == 0);
  EXPECT_TRUE(cmp("1E+2", "100") == 0);
  EXPECT_TRUE(cmp("0.0", "0E+5") == 0);
  EXPECT_TRUE(cmp("1.01", "1.1") < 0);
  EXPECT_TRUE(cmp("-1.01", "-1.1") > 0);
  EXPECT_TRUE(cmp("-5", "0.001") < 0);
  EXPECT_TRUE(cmp("1E+2147483647", "1E-2147483647") > 0);
  EXPECT_TRUE(cmp("99999999999999999999", "1E+20") < 0);
  EXPECT_FALSE(*Decimal::Parse("1.0") == *Decimal::Parse("1.00"));
}

TEST(DecimalTest, RejectsBadSyntaxAndScaleOverflow) {
  for (const char* bad : {"", "-", ".", "1e", "1e+", "1.2.3", "1,5", "NaN", "Infinity",
                          "1E-2147483648", "1E+2147483649", "0.1E-2147483648"}) {
    EXPECT_THAT(Decimal::Parse(bad), IsError(ErrorCode::kInvalidArgument)) << bad;
  }
}

}  // namespace
}  // namespace cqlbulk::cql
