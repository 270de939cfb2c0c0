// SPDX-License-Identifier: Apache-2.0
// spec/literal.cc: the spec's single-value binary forms (appendix D), order and truncated
// bounds; PyIceberg's conversions and truncate utilities are the referee (literal_referee.py).
#include "cqlbulk/iceberg/spec/literal.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>

#include "cqlbulk/iceberg/spec/json.h"
#include "referee_util.h"
#include "testing/matchers.h"

namespace cqlbulk::iceberg {
namespace {

using cqlbulk::testing::HasMessage;
using cqlbulk::testing::HasValue;
using cqlbulk::testing::IsError;
using cqlbulk::testing::IsOk;
using Json = nlohmann::json;

using testing::Hex;
using testing::Unhex;

Literal Decimal(Int128 unscaled) { return Literal::Bytes(DecimalBytes(unscaled)); }

Literal Uuid(std::string_view text) {
  std::string hex;
  for (char c : text) {
    if (c != '-') hex.push_back(c);
  }
  return Literal::Bytes(Unhex(hex));
}

// A value, its form for the referee script, and its type.
struct Case {
  TypePtr type;
  Json value;
  Literal literal;
};

std::vector<Case> Cases() {
  constexpr float kFloatMax = std::numeric_limits<float>::max();
  constexpr double kInf = std::numeric_limits<double>::infinity();
  constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
  Int128 max38 = 1;
  for (int i = 0; i < 38; ++i) max38 *= 10;
  max38 -= 1;
  std::vector<Case> cases = {
      {Type::Boolean(), true, Literal::Boolean(true)},
      {Type::Boolean(), false, Literal::Boolean(false)},
      {Type::Int(), 0, Literal::Int(0)},
      {Type::Int(), 34, Literal::Int(34)},
      {Type::Int(), -1, Literal::Int(-1)},
      {Type::Int(), 2147483647, Literal::Int(2147483647)},
      {Type::Int(), -2147483648LL, Literal::Int(-2147483647 - 1)},
      {Type::Long(), 34, Literal::Long(34)},
      {Type::Long(), -9223372036854775807LL - 1, Literal::Long(-9223372036854775807LL - 1)},
      {Type::Long(), 1234567890123LL, Literal::Long(1234567890123LL)},
      {Type::Float(), "1.5", Literal::Float(1.5f)},
      {Type::Float(), "-0.0", Literal::Float(-0.0f)},
      {Type::Float(), "0.0", Literal::Float(0.0f)},
      {Type::Float(), "nan", Literal::Float(std::numeric_limits<float>::quiet_NaN())},
      {Type::Float(), "-inf", Literal::Float(-std::numeric_limits<float>::infinity())},
      {Type::Float(), "3.4028234663852886e+38", Literal::Float(kFloatMax)},
      {Type::Float(), "-2.5", Literal::Float(-2.5f)},
      {Type::Double(), "0.1", Literal::Double(0.1)},
      {Type::Double(), "-0.0", Literal::Double(-0.0)},
      {Type::Double(), "0.0", Literal::Double(0.0)},
      {Type::Double(), "inf", Literal::Double(kInf)},
      {Type::Double(), "nan", Literal::Double(kNan)},
      {Type::Double(), "-1e300", Literal::Double(-1e300)},
      {Type::Date(), 19783, Literal::Int(19783)},
      {Type::Date(), -1, Literal::Int(-1)},
      {Type::Time(), 36000000000LL, Literal::Long(36000000000LL)},
      {Type::Timestamp(), 1709287200000000LL, Literal::Long(1709287200000000LL)},
      {Type::TimestampTz(), -1, Literal::Long(-1)},
      {Type::String(), "iceberg", Literal::Bytes("iceberg")},
      {Type::String(), "", Literal::Bytes("")},
      {Type::String(), "\xc3\xa9t\xc3\xa9", Literal::Bytes("\xc3\xa9t\xc3\xa9")},
      {Type::String(), "\xf0\x9f\x98\x80", Literal::Bytes("\xf0\x9f\x98\x80")},
      {Type::String(), "\xef\xbd\x81", Literal::Bytes("\xef\xbd\x81")},
      {Type::String(), "Z", Literal::Bytes("Z")},
      {Type::Uuid(), "f79c3e09-677c-4bbd-a479-3f349cb785e7",
       Uuid("f79c3e09-677c-4bbd-a479-3f349cb785e7")},
      {Type::Uuid(), "0f79c3e0-677c-4bbd-a479-3f349cb785e7",
       Uuid("0f79c3e0-677c-4bbd-a479-3f349cb785e7")},
      {Type::Uuid(), "80000000-0000-0000-0000-000000000000",
       Uuid("80000000-0000-0000-0000-000000000000")},
      {Type::Fixed(3), "00ff10", Literal::Bytes(std::string("\x00\xff\x10", 3))},
      {Type::Binary(), "", Literal::Bytes("")},
      {Type::Binary(), "ff", Literal::Bytes("\xff")},
      {Type::Binary(), "0001", Literal::Bytes(std::string("\x00\x01", 2))},
      {Type::Decimal(9, 2), "14.20", Decimal(1420)},
      {Type::Decimal(9, 2), "-14.20", Decimal(-1420)},
      {Type::Decimal(9, 2), "0.00", Decimal(0)},
      {Type::Decimal(9, 2), "1.27", Decimal(127)},
      {Type::Decimal(9, 2), "1.28", Decimal(128)},
      {Type::Decimal(9, 2), "-1.28", Decimal(-128)},
      {Type::Decimal(9, 2), "-1.29", Decimal(-129)},
      {Type::Decimal(9, 2), "-0.01", Decimal(-1)},
      {Type::Decimal(9, 2), "2.56", Decimal(256)},
      {Type::Decimal(38, 0), "99999999999999999999999999999999999999", Decimal(max38)},
      {Type::Decimal(38, 0), "-99999999999999999999999999999999999999", Decimal(-max38)},
      {Type::Decimal(38, 10), "-1234567890.0123456789", Decimal(-(Int128{1234567890} * 10000000000 + 123456789))},
  };
  return cases;
}

TEST(IcebergLiteralTest, WritesTheSpecsForms) {
  EXPECT_THAT(ToBytes(*Type::Int(), Literal::Int(34)), HasValue(std::string("\x22\0\0\0", 4)));
  EXPECT_THAT(ToBytes(*Type::Long(), Literal::Long(-2)),
              HasValue(std::string("\xfe\xff\xff\xff\xff\xff\xff\xff", 8)));
  EXPECT_THAT(ToBytes(*Type::Boolean(), Literal::Boolean(true)), HasValue(std::string("\x01")));
  // 1.0f is 0x3f800000.
  EXPECT_THAT(ToBytes(*Type::Float(), Literal::Float(1.0f)),
              HasValue(std::string("\0\0\x80\x3f", 4)));
  // Minimal two's complement: 127 is 7f, 128 is 0080, -128 is 80, -129 is ff7f.
  EXPECT_EQ(Hex(DecimalBytes(127)), "7f");
  EXPECT_EQ(Hex(DecimalBytes(128)), "0080");
  EXPECT_EQ(Hex(DecimalBytes(-128)), "80");
  EXPECT_EQ(Hex(DecimalBytes(-129)), "ff7f");
  EXPECT_EQ(Hex(DecimalBytes(0)), "00");
  EXPECT_EQ(Hex(DecimalBytes(-1)), "ff");
}

TEST(IcebergLiteralTest, RoundTripsEveryCase) {
  for (const Case& c : Cases()) {
    CQLBULK_ASSERT_OK_AND_ASSIGN(std::string bytes, ToBytes(*c.type, c.literal));
    CQLBULK_ASSERT_OK_AND_ASSIGN(Literal back, FromBytes(*c.type, bytes));

    EXPECT_THAT(Compare(*c.type, back, c.literal), HasValue(0)) << c.value;
    EXPECT_THAT(ToBytes(*c.type, back), HasValue(bytes)) << c.value;
  }
}

TEST(IcebergLiteralTest, ReadsPromotedBoundsAndNonMinimalDecimals) {
  EXPECT_THAT(FromBytes(*Type::Long(), std::string("\xfe\xff\xff\xff", 4)),
              HasValue(Literal::Long(-2)));
  EXPECT_THAT(FromBytes(*Type::Double(), std::string("\0\0\x80\x3f", 4)),
              HasValue(Literal::Double(1.0)));
  EXPECT_THAT(FromBytes(*Type::Decimal(9, 2), std::string("\xff\xff\x80", 3)),
              HasValue(Decimal(-128)));
}

TEST(IcebergLiteralTest, RejectsWrongLengthsAndValues) {
  EXPECT_THAT(FromBytes(*Type::Int(), "abc"), HasMessage("a value of int has 4 bytes, not 3"));
  EXPECT_THAT(FromBytes(*Type::Long(), "abcdef"), HasMessage("long has 4 or 8 bytes, not 6"));
  EXPECT_THAT(FromBytes(*Type::Timestamp(), "abcd"), IsError(ErrorCode::kCorrupt));
  EXPECT_THAT(FromBytes(*Type::Boolean(), ""), IsError(ErrorCode::kCorrupt));
  EXPECT_THAT(FromBytes(*Type::Uuid(), "0123456789abcde"), HasMessage("uuid has 16 bytes"));
  EXPECT_THAT(FromBytes(*Type::Fixed(4), "abc"), HasMessage("fixed[4] has 4 bytes, not 3"));
  EXPECT_THAT(FromBytes(*Type::Decimal(9, 2), ""), HasMessage("decimal(9,2)"));
  EXPECT_THAT(FromBytes(*Type::Decimal(38, 2), std::string(17, '\x01')),
              IsError(ErrorCode::kCorrupt));
  EXPECT_THAT(FromBytes(*Type::String(), "a\xff"), HasMessage("not UTF-8 at byte 1"));
  EXPECT_THAT(FromBytes(*Type::String(), "\xed\xa0\x80"), IsError(ErrorCode::kCorrupt));
  EXPECT_THAT(FromBytes(*Type::List(1, Type::Int(), true), ""), IsError(ErrorCode::kCorrupt));

  EXPECT_THAT(ToBytes(*Type::Int(), Literal::Long(1)),
              HasMessage("a long literal is not a value of int"));
  EXPECT_THAT(ToBytes(*Type::Int(), Literal::Null()), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ToBytes(*Type::Decimal(2, 0), Decimal(100)), HasMessage("more than 2 digits"));
  EXPECT_THAT(ToBytes(*Type::Decimal(9, 0), Literal::Bytes(std::string("\0\x01", 2))),
              HasMessage("not minimal"));
  EXPECT_THAT(ToBytes(*Type::Uuid(), Literal::Bytes("short")), HasMessage("16 bytes, not 5"));
  EXPECT_THAT(CheckLiteral(*Type::String(), Literal::Null()), IsOk());
}

TEST(IcebergLiteralTest, OrdersValuesAsIcebergDoes) {
  auto cmp = [](const TypePtr& t, const Literal& a, const Literal& b) {
    return Compare(*t, a, b).value_or(99);
  };
  double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(cmp(Type::Double(), Literal::Double(-0.0), Literal::Double(0.0)), -1);
  EXPECT_EQ(cmp(Type::Double(), Literal::Double(nan), Literal::Double(1e308)), 1);
  EXPECT_EQ(cmp(Type::Double(), Literal::Double(nan), Literal::Double(nan)), 0);
  EXPECT_EQ(cmp(Type::String(), Literal::Bytes("\xc3\xa9"), Literal::Bytes("z")), 1);
  EXPECT_EQ(cmp(Type::Decimal(9, 2), Decimal(-129), Decimal(-128)), -1);
  EXPECT_EQ(cmp(Type::Decimal(9, 2), Decimal(-1), Decimal(256)), -1);
  EXPECT_EQ(cmp(Type::Binary(), Literal::Bytes("a"), Literal::Bytes("ab")), -1);
  EXPECT_EQ(cmp(Type::Int(), Literal::Null(), Literal::Int(-5)), -1);
  EXPECT_THAT(Compare(*Type::Int(), Literal::Long(1), Literal::Int(1)),
              IsError(ErrorCode::kInvalidArgument));
}

TEST(IcebergLiteralTest, TruncatesBounds) {
  TypePtr s = Type::String();
  std::string sixteen = "abcdefghijklmnop";

  EXPECT_EQ(TruncateLowerBound(*s, Literal::Bytes(sixteen + "q")).bytes, sixteen);
  EXPECT_EQ(TruncateUpperBound(*s, Literal::Bytes(sixteen + "q"))->bytes, "abcdefghijklmnoq");
  EXPECT_EQ(TruncateUpperBound(*s, Literal::Bytes(sixteen))->bytes, sixteen);
  // The 16th code point is U+10FFFF: it is dropped and the 15th incremented.
  std::string max = "\xf4\x8f\xbf\xbf";
  EXPECT_EQ(TruncateUpperBound(*s, Literal::Bytes("abcdefghijklmno" + max + "x"))->bytes,
            "abcdefghijklmnp");
  // U+D7FF's successor with UTF-8 is U+E000.
  EXPECT_EQ(TruncateUpperBound(*s, Literal::Bytes("\xed\x9f\xbf\xed\x9f\xbf"), 1)->bytes,
            "\xee\x80\x80");
  std::string all_max;
  for (int i = 0; i < 17; ++i) all_max += max;
  EXPECT_EQ(TruncateUpperBound(*s, Literal::Bytes(all_max)), std::nullopt);
  EXPECT_EQ(TruncateUpperBound(*Type::Binary(), Literal::Bytes(std::string(17, '\xff'))),
            std::nullopt);
  EXPECT_EQ(TruncateUpperBound(*Type::Binary(), Literal::Bytes("ab\xff\xff"), 3)->bytes, "ac");
  EXPECT_EQ(TruncateUpperBound(*Type::Long(), Literal::Long(7)), Literal::Long(7));
  EXPECT_EQ(TruncateLowerBound(*Type::Fixed(20), Literal::Bytes(std::string(20, 'a'))).bytes,
            std::string(20, 'a'));
}

// The strings and binary values for the referee's truncation checks.
std::vector<std::pair<TypePtr, std::string>> TruncationCases() {
  std::string max = "\xf4\x8f\xbf\xbf";
  std::string ascii = "abcdefghijklmnopqrstuvwxyz";
  std::string accents;
  for (int i = 0; i < 20; ++i) accents += "\xc3\xa9";
  std::string emoji;
  for (int i = 0; i < 18; ++i) emoji += "\xf0\x9f\x98\x80";
  std::string tail_max = "abcdefghijklmn" + max + max + "z";
  std::string all_max;
  for (int i = 0; i < 17; ++i) all_max += max;
  std::vector<std::pair<TypePtr, std::string>> cases;
  for (const std::string& text : {ascii, accents, emoji, tail_max, all_max, std::string("short"),
                                  ascii.substr(0, 16), std::string("\xc3\xbf") + ascii}) {
    cases.emplace_back(Type::String(), text);
  }
  for (const std::string& bytes :
       {ascii, std::string(20, '\xff'), std::string(14, 'a') + std::string(5, '\xff'),
        std::string(16, '\xfe') + "x", std::string("\x00\x01", 2)}) {
    cases.emplace_back(Type::Binary(), bytes);
  }
  return cases;
}

TEST(IcebergLiteralTest, PyIcebergIsTheReferee) {
  std::vector<Case> cases = Cases();
  Json input = {{"values", Json::array()}, {"truncate", Json::array()}};
  for (const Case& c : cases) {
    CQLBULK_ASSERT_OK_AND_ASSIGN(std::string bytes, ToBytes(*c.type, c.literal));
    input["values"].push_back(
        {{"type", c.type->ToString()}, {"value", c.value}, {"ours", Hex(bytes)}});
  }
  for (const auto& [type, value] : TruncationCases()) {
    Literal lower = TruncateLowerBound(*type, Literal::Bytes(value));
    std::optional<Literal> upper = TruncateUpperBound(*type, Literal::Bytes(value));
    bool text = type->id() == TypeId::kString;
    auto form = [&](const std::string& b) { return text ? Json(b) : Json(Hex(b)); };
    input["truncate"].push_back({{"type", type->ToString()},
                                 {"value", form(value)},
                                 {"lower", form(lower.bytes)},
                                 {"upper", upper ? form(upper->bytes) : Json()}});
  }
  testing::TempDir dir;
  testing::WriteText(dir.Path("cases.json"), input.dump());

  ASSERT_EQ(testing::RunReferee("tests/unit/iceberg/spec/literal_referee.py", dir.Path("")), 0)
      << "(scripts/install-referees.sh installs PyIceberg)";

  Json theirs = Json::parse(testing::ReadText(dir.Path("theirs.json")));
  for (size_t i = 0; i < cases.size(); ++i) {
    std::string bytes = Unhex(theirs["to_bytes"][i].get<std::string>());
    EXPECT_THAT(FromBytes(*cases[i].type, bytes).value_or(Literal::Null()),
                ::testing::Truly([&](const Literal& l) {
                  return Compare(*cases[i].type, l, cases[i].literal).value_or(1) == 0 &&
                         !l.is_null();
                }))
        << cases[i].value;
  }
  // Our order of each type's values is PyIceberg's (Python's, with Java's rule for floats).
  std::map<std::string, std::vector<size_t>> ours;
  for (size_t i = 0; i < cases.size(); ++i) ours[cases[i].type->ToString()].push_back(i);
  for (auto& [name, indices] : ours) {
    const Type& type = *cases[indices[0]].type;
    std::stable_sort(indices.begin(), indices.end(), [&](size_t a, size_t b) {
      return Compare(type, cases[a].literal, cases[b].literal).value_or(0) < 0;
    });
    EXPECT_EQ(Json(indices), theirs["order"][name]) << name;
  }
}

}  // namespace
}  // namespace cqlbulk::iceberg
