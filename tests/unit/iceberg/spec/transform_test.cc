// SPDX-License-Identifier: Apache-2.0
// spec/transform.cc and spec/partition_path.cc: the spec's own examples (appendix B's hashes,
// the truncate table), and PyIceberg's transforms as the referee on many values
// (transform_referee.py).
#include "cqlbulk/iceberg/spec/transform.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cqlbulk/iceberg/spec/json.h"
#include "cqlbulk/iceberg/spec/literal.h"
#include "cqlbulk/iceberg/spec/partition_path.h"
#include "referee_util.h"
#include "testing/matchers.h"

namespace cqlbulk::iceberg {
namespace {

using cqlbulk::testing::HasMessage;
using cqlbulk::testing::HasValue;
using cqlbulk::testing::IsError;
using testing::Hex;
using testing::Unhex;
using Json = nlohmann::json;
using Kind = Transform::Kind;

Literal Decimal(Int128 unscaled) { return Literal::Bytes(DecimalBytes(unscaled)); }
Literal Str(std::string s) { return Literal::Bytes(std::move(s)); }
Transform T(std::string_view text) { return TransformFromString(text).value(); }

constexpr int64_t kMicrosPerSecond = 1'000'000;

// Appendix B, "32-bit Hash Requirements", its table of values and hashes.
TEST(IcebergTransformTest, HashesTheSpecsExamples) {
  // 2017-11-16 is day 17486; 22:31:08 is 81068 seconds.
  int64_t ts = (17486LL * 86400 + 81068) * kMicrosPerSecond;
  EXPECT_THAT(BucketHash(*Type::Int(), Literal::Int(34)), HasValue(2017239379));
  EXPECT_THAT(BucketHash(*Type::Long(), Literal::Long(34)), HasValue(2017239379));
  EXPECT_THAT(BucketHash(*Type::Decimal(9, 2), Decimal(1420)), HasValue(-500754589));
  EXPECT_THAT(BucketHash(*Type::Date(), Literal::Int(17486)), HasValue(-653330422));
  EXPECT_THAT(BucketHash(*Type::Time(), Literal::Long(81068 * kMicrosPerSecond)),
              HasValue(-662762989));
  EXPECT_THAT(BucketHash(*Type::Timestamp(), Literal::Long(ts)), HasValue(-2047944441));
  EXPECT_THAT(BucketHash(*Type::TimestampTz(), Literal::Long(ts)), HasValue(-2047944441));
  EXPECT_THAT(BucketHash(*Type::String(), Str("iceberg")), HasValue(1210000089));
  EXPECT_THAT(BucketHash(*Type::Uuid(), Str(Unhex("f79c3e09677c4bbda4793f349cb785e7"))),
              HasValue(1488055340));
  EXPECT_THAT(BucketHash(*Type::Fixed(4), Str(Unhex("00010203"))), HasValue(-188683207));
  EXPECT_THAT(BucketHash(*Type::Binary(), Str(Unhex("00010203"))), HasValue(-188683207));
  EXPECT_THAT(BucketHash(*Type::Double(), Literal::Double(1)), IsError(ErrorCode::kInvalidArgument));
}

// The spec's "Truncate Transform Details" table and bucket[16] of 34.
TEST(IcebergTransformTest, AppliesTheSpecsExamples) {
  EXPECT_THAT(ApplyTransform(T("bucket[16]"), *Type::Int(), Literal::Int(34)),
              HasValue(Literal::Int(3)));
  EXPECT_THAT(ApplyTransform(T("truncate[10]"), *Type::Int(), Literal::Int(1)),
              HasValue(Literal::Int(0)));
  EXPECT_THAT(ApplyTransform(T("truncate[10]"), *Type::Int(), Literal::Int(-1)),
              HasValue(Literal::Int(-10)));
  EXPECT_THAT(ApplyTransform(T("truncate[10]"), *Type::Long(), Literal::Long(-1)),
              HasValue(Literal::Long(-10)));
  EXPECT_THAT(ApplyTransform(T("truncate[50]"), *Type::Decimal(9, 2), Decimal(1065)),
              HasValue(Decimal(1050)));
  EXPECT_THAT(ApplyTransform(T("truncate[3]"), *Type::String(), Str("iceberg")),
              HasValue(Str("ice")));
  EXPECT_THAT(ApplyTransform(T("truncate[2]"), *Type::String(), Str("\xc3\xa9t\xc3\xa9")),
              HasValue(Str("\xc3\xa9t")));
  EXPECT_THAT(ApplyTransform(T("day"), *Type::Timestamp(), Literal::Long(-1)),
              HasValue(Literal::Int(-1)));
  EXPECT_THAT(ApplyTransform(T("year"), *Type::Date(), Literal::Int(-1)),
              HasValue(Literal::Int(-1)));
  EXPECT_THAT(ApplyTransform(T("month"), *Type::Date(), Literal::Int(-1)),
              HasValue(Literal::Int(-1)));
  EXPECT_THAT(ApplyTransform(T("hour"), *Type::TimestampTz(), Literal::Long(-1)),
              HasValue(Literal::Int(-1)));
  EXPECT_THAT(ApplyTransform(T("void"), *Type::Int(), Literal::Int(5)), HasValue(Literal::Null()));
  EXPECT_THAT(ApplyTransform(T("bucket[4]"), *Type::Int(), Literal::Null()),
              HasValue(Literal::Null()));
}

TEST(IcebergTransformTest, RejectsTypesAndValuesItCannotTransform) {
  EXPECT_THAT(ApplyTransform(T("hour"), *Type::Date(), Literal::Int(1)),
              HasMessage("hour cannot transform a date"));
  EXPECT_THAT(ApplyTransform(T("bucket[4]"), *Type::Int(), Literal::Long(1)),
              HasMessage("a long literal is not a value of int"));
  EXPECT_THAT(ApplyTransform(Transform{Kind::kBucket, 0}, *Type::Int(), Literal::Int(1)),
              HasMessage("must be positive"));
  EXPECT_THAT(TransformResultType(T("truncate[4]"), *Type::Uuid()),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(TransformResultType(T("identity"), *Type::List(1, Type::Int(), true)),
              IsError(ErrorCode::kInvalidArgument));
}

TEST(IcebergTransformTest, WritesHumanStrings) {
  auto human = [](std::string_view transform, const TypePtr& type, const Literal& value) {
    return PartitionValueToHumanString(T(transform), *type, value).value_or("<error>");
  };
  int32_t march_1 = 19783;  // 2024-03-01
  int32_t hours = march_1 * 24 + 10;
  EXPECT_EQ(human("day", Type::Date(), Literal::Int(march_1)), "2024-03-01");
  EXPECT_EQ(human("month", Type::Date(), Literal::Int((2024 - 1970) * 12 + 2)), "2024-03");
  EXPECT_EQ(human("year", Type::Timestamp(), Literal::Int(54)), "2024");
  EXPECT_EQ(human("hour", Type::TimestampTz(), Literal::Int(hours)), "2024-03-01-10");
  EXPECT_EQ(human("hour", Type::TimestampTz(), Literal::Int(-1)), "1969-12-31-23");
  EXPECT_EQ(human("month", Type::Date(), Literal::Int(-1)), "1969-12");
  EXPECT_EQ(human("identity", Type::String(), Str("a b/c")), "a b/c");
  EXPECT_EQ(human("identity", Type::Decimal(9, 2), Decimal(-5)), "-0.05");
  EXPECT_EQ(human("identity", Type::Decimal(20, 10), Decimal(1)), "1E-10");
  EXPECT_EQ(human("identity", Type::Boolean(), Literal::Boolean(true)), "true");
  EXPECT_EQ(human("identity", Type::Binary(), Str("\x01\x02\x03\x04")), "AQIDBA==");
  EXPECT_EQ(human("identity", Type::Double(), Literal::Double(1e16)), "1e+16");
  EXPECT_EQ(human("identity", Type::Double(), Literal::Double(123.0)), "123.0");
  EXPECT_EQ(human("identity", Type::Double(), Literal::Double(1.5e-5)), "1.5e-05");
  EXPECT_EQ(human("identity", Type::Double(), Literal::Double(0.0001)), "0.0001");
  EXPECT_EQ(human("bucket[16]", Type::String(), Literal::Int(7)), "7");
  EXPECT_EQ(human("void", Type::String(), Literal::Null()), "null");
  EXPECT_EQ(human("identity", Type::Int(), Literal::Null()), "null");
  EXPECT_THAT(PartitionValueToHumanString(T("day"), *Type::Date(), Literal::Long(1)),
              IsError(ErrorCode::kInvalidArgument));
}

TEST(IcebergTransformTest, EscapesPathSegmentsAsPyIceberg) {
  EXPECT_EQ(EscapePathSegment("a b/c=d"), "a+b%2Fc%3Dd");
  EXPECT_EQ(EscapePathSegment("x_y.z-1~"), "x_y.z-1~");
  EXPECT_EQ(EscapePathSegment("*%\xc3\xa9"), "%2A%25%C3%A9");
}

// The values the referee applies each transform to.
std::vector<std::tuple<std::string, TypePtr, Json, Literal>> ApplyCases() {
  std::vector<std::tuple<std::string, TypePtr, Json, Literal>> cases;
  auto add = [&](std::vector<std::string> transforms, TypePtr type,
                 std::vector<std::pair<Json, Literal>> values) {
    for (const std::string& t : transforms) {
      for (const auto& [form, literal] : values) cases.emplace_back(t, type, form, literal);
    }
  };
  std::vector<std::string> numeric = {"identity", "bucket[16]", "bucket[1]", "bucket[1000]",
                                      "bucket[2147483647]", "truncate[4]", "truncate[1]",
                                      "truncate[1000000]"};
  std::vector<std::string> temporal = {"identity", "bucket[16]", "year", "month", "day"};
  std::vector<std::string> timestamps = {"identity", "bucket[16]", "year", "month", "day",
                                         "hour"};
  add(numeric, Type::Int(),
      {{0, Literal::Int(0)}, {34, Literal::Int(34)}, {-1, Literal::Int(-1)},
       {-5, Literal::Int(-5)}, {5, Literal::Int(5)}, {2147483647, Literal::Int(2147483647)},
       {-2146999999, Literal::Int(-2146999999)}, {nullptr, Literal::Null()}});
  add(numeric, Type::Long(),
      {{34, Literal::Long(34)}, {-34, Literal::Long(-34)}, {-11, Literal::Long(-11)},
       {9223372036854775807LL, Literal::Long(9223372036854775807LL)},
       {-9223372036000000001LL, Literal::Long(-9223372036000000001LL)}});
  add({"identity", "bucket[16]", "truncate[10]", "truncate[3]", "truncate[50]"},
      Type::Decimal(9, 2),
      {{"14.20", Decimal(1420)}, {"-14.20", Decimal(-1420)}, {"0.00", Decimal(0)},
       {"12.34", Decimal(1234)}, {"-12.34", Decimal(-1234)}, {"0.05", Decimal(5)},
       {"-0.05", Decimal(-5)}, {"9999999.99", Decimal(999999999)}});
  add({"identity", "bucket[16]", "truncate[7]"}, Type::Decimal(38, 10),
      {{"-1234567890.0123456789", Decimal(-(Int128{1234567890} * 10000000000 + 123456789))},
       {"0.0000000001", Decimal(1)}});
  add(temporal, Type::Date(),
      {{0, Literal::Int(0)}, {-1, Literal::Int(-1)}, {17486, Literal::Int(17486)},
       {19783, Literal::Int(19783)}, {-365, Literal::Int(-365)}, {-366, Literal::Int(-366)},
       {-719162, Literal::Int(-719162)}, {2932896, Literal::Int(2932896)},
       {11016, Literal::Int(11016)}});
  int64_t march_1_10h = 1709287200000000LL;
  add(timestamps, Type::Timestamp(),
      {{0, Literal::Long(0)}, {-1, Literal::Long(-1)}, {march_1_10h, Literal::Long(march_1_10h)},
       {-1000000, Literal::Long(-1000000)}, {-3600000001LL, Literal::Long(-3600000001LL)},
       {1510871468123456LL, Literal::Long(1510871468123456LL)},
       {-62135596800000000LL, Literal::Long(-62135596800000000LL)}});
  add(timestamps, Type::TimestampTz(),
      {{march_1_10h + 1, Literal::Long(march_1_10h + 1)}, {-86400000000LL,
                                                            Literal::Long(-86400000000LL)}});
  add({"identity", "bucket[16]"}, Type::Time(),
      {{0, Literal::Long(0)}, {81068000000LL, Literal::Long(81068000000LL)},
       {86399999999LL, Literal::Long(86399999999LL)}, {1000, Literal::Long(1000)}});
  add({"identity", "bucket[16]", "truncate[3]", "truncate[1]", "truncate[100]"}, Type::String(),
      {{"iceberg", Str("iceberg")}, {"", Str("")}, {"\xc3\xa9t\xc3\xa9", Str("\xc3\xa9t\xc3\xa9")},
       {"\xf0\x9f\x98\x80" "ab", Str("\xf0\x9f\x98\x80" "ab")},
       {"a b/c=d%e&f?g#h+i*j~k", Str("a b/c=d%e&f?g#h+i*j~k")}});
  add({"identity", "bucket[16]", "truncate[2]"}, Type::Binary(),
      {{"00010203", Str(Unhex("00010203"))}, {"", Str("")}, {"ff", Str("\xff")}});
  add({"identity", "bucket[16]"}, Type::Fixed(4), {{"00010203", Str(Unhex("00010203"))}});
  add({"identity", "bucket[16]", "bucket[7]"}, Type::Uuid(),
      {{"f79c3e09-677c-4bbd-a479-3f349cb785e7", Str(Unhex("f79c3e09677c4bbda4793f349cb785e7"))},
       {"00000000-0000-0000-0000-000000000000", Str(std::string(16, '\0'))}});
  add({"identity"}, Type::Boolean(), {{true, Literal::Boolean(true)}});
  add({"identity"}, Type::Float(),
      {{"1.5", Literal::Float(1.5f)}, {"-0.0", Literal::Float(-0.0f)},
       {"0.1", Literal::Float(0.1f)}, {"1e20", Literal::Float(1e20f)}});
  add({"identity"}, Type::Double(),
      {{"0.1", Literal::Double(0.1)}, {"1e16", Literal::Double(1e16)},
       {"-123.456", Literal::Double(-123.456)}, {"1.5e-05", Literal::Double(1.5e-5)},
       {"1e-300", Literal::Double(1e-300)}, {"9999999999999998.0", Literal::Double(9999999999999998.0)}});
  add({"void"}, Type::Int(), {{7, Literal::Int(7)}});
  return cases;
}

std::vector<TypePtr> MatrixTypes() {
  return {Type::Boolean(), Type::Int(),       Type::Long(),         Type::Float(),
          Type::Double(),  Type::Decimal(9, 2), Type::Date(),       Type::Time(),
          Type::Timestamp(), Type::TimestampTz(), Type::String(),   Type::Uuid(),
          Type::Fixed(3),  Type::Binary()};
}

const char* const kTransforms[] = {"identity", "bucket[8]", "truncate[8]", "year", "month",
                                   "day",      "hour",      "void"};

TEST(IcebergTransformTest, PyIcebergIsTheReferee) {
  auto cases = ApplyCases();
  Json input = {{"apply", Json::array()}, {"types", Json::array()}, {"transforms", kTransforms},
                {"paths", Json::array()}};
  for (const auto& [transform, type, form, literal] : cases) {
    input["apply"].push_back({{"transform", transform}, {"type", type->ToString()}, {"value", form}});
  }
  for (const TypePtr& type : MatrixTypes()) input["types"].push_back(type->ToString());
  testing::TempDir dir;
  testing::WriteText(dir.Path("cases.json"), input.dump());

  ASSERT_EQ(testing::RunReferee("tests/unit/iceberg/spec/transform_referee.py", dir.Path("")), 0)
      << "(scripts/install-referees.sh installs PyIceberg)";

  Json theirs = Json::parse(testing::ReadText(dir.Path("theirs.json")));
  for (size_t i = 0; i < cases.size(); ++i) {
    const auto& [text, type, form, literal] = cases[i];
    const Json& their = theirs["apply"][i];
    std::string what = text + " of " + type->ToString() + " " + form.dump();
    Transform transform = T(text);
    CQLBULK_ASSERT_OK_AND_ASSIGN(TypePtr result_type, TransformResultType(transform, *type));
    Result<TypePtr> their_type = TypeFromJson(their["result_type"]);
    EXPECT_TRUE(their_type && **their_type == *result_type)
        << what << ": PyIceberg's result type " << their["result_type"] << ", ours "
        << result_type->ToString();
    CQLBULK_ASSERT_OK_AND_ASSIGN(Literal ours, ApplyTransform(transform, *type, literal));
    if (their["result"].is_null()) {
      EXPECT_TRUE(ours.is_null()) << what;
    } else {
      EXPECT_THAT(ToBytes(*result_type, ours), HasValue(Unhex(their["result"].get<std::string>())))
          << what;
    }
    EXPECT_THAT(PartitionValueToHumanString(transform, *type, ours),
                HasValue(their["human"].get<std::string>()))
        << what;
  }
  std::vector<TypePtr> types = MatrixTypes();
  for (const char* text : kTransforms) {
    for (size_t k = 0; k < types.size(); ++k) {
      EXPECT_EQ(CanTransform(T(text), *types[k]), theirs["can"][text][k].get<bool>())
          << text << " of " << types[k]->ToString();
    }
  }
}

}  // namespace
}  // namespace cqlbulk::iceberg
