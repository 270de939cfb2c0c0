// SPDX-License-Identifier: Apache-2.0
// ValueParser: every logical type's text form (what the writers write, plus the accepted
// alternatives), edge values, and the errors for what is not a value.
#include "cqlbulk/formats/text/value_parse.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "cqlbulk/formats/text/time_parse_internal.h"
#include "cqlbulk/formats/text/value_parse_internal.h"
#include "reader_test_util.h"
#include "testing/matchers.h"

namespace cqlbulk::formats {
namespace {

using data::LogicalType;
using testing::ParseJson;
using testing::ParseText;
using T = LogicalType;

// The raw bytes of a variable-width value (hex), or "error: ...".
std::string Bytes(data::LogicalTypePtr type, std::string_view text,
                  const TextOptions& options = {}) {
  auto parser = ValueParser::Make(options);
  data::BatchBuilder builder(testing::OneColumn(type), 1);
  Status status = parser->AppendText(text, builder.column(0));
  if (!status.has_value()) return "error: " + status.error().message();
  auto batch = builder.Finish();
  return ToHex(batch->column(0).Bytes(0));
}

TEST(ValueParseTest, Booleans) {
  EXPECT_EQ(ParseText(T::Boolean(), "true"), "true");
  EXPECT_EQ(ParseText(T::Boolean(), "FALSE"), "false");
  EXPECT_EQ(ParseText(T::Boolean(), "True"), "true");
  EXPECT_EQ(ParseText(T::Boolean(), " false "), "false");
  // DataStax Bulk Loader's words too (it unloads 1 and 0 by default).
  EXPECT_EQ(ParseText(T::Boolean(), "1"), "true");
  EXPECT_EQ(ParseText(T::Boolean(), "0"), "false");
  EXPECT_EQ(ParseText(T::Boolean(), "YES"), "true");
  EXPECT_EQ(ParseText(T::Boolean(), "n"), "false");
  EXPECT_EQ(ParseText(T::Boolean(), "T"), "true");
  EXPECT_EQ(ParseText(T::Boolean(), "2"), "error: not a boolean: '2'");
  EXPECT_EQ(ParseText(T::Boolean(), "yess"), "error: not a boolean: 'yess'");
  EXPECT_EQ(ParseText(T::Boolean(), ""), "null");
}

TEST(ValueParseTest, IntegersAreRangeCheckedPerWidth) {
  EXPECT_EQ(ParseText(T::Int8(), "127"), "127");
  EXPECT_EQ(ParseText(T::Int8(), "-128"), "-128");
  EXPECT_EQ(ParseText(T::Int8(), "128"), "error: out of range for int8: '128'");
  EXPECT_EQ(ParseText(T::Int8(), "-129"), "error: out of range for int8: '-129'");
  EXPECT_EQ(ParseText(T::Int16(), "-32768"), "-32768");
  EXPECT_EQ(ParseText(T::Int16(), "32768"), "error: out of range for int16: '32768'");
  EXPECT_EQ(ParseText(T::Int32(), "2147483647"), "2147483647");
  EXPECT_EQ(ParseText(T::Int32(), "-2147483648"), "-2147483648");
  EXPECT_EQ(ParseText(T::Int32(), "3000000000"), "error: out of range for int32: '3000000000'");
  EXPECT_EQ(ParseText(T::Int64(), "9223372036854775807"), "9223372036854775807");
  EXPECT_EQ(ParseText(T::Int64(), "-9223372036854775808"), "-9223372036854775808");
  EXPECT_EQ(ParseText(T::Int64(), "9223372036854775808"),
            "error: out of range for int64: '9223372036854775808'");
  EXPECT_EQ(ParseText(T::Int64(), "99999999999999999999999"),
            "error: out of range for int64: '99999999999999999999999'");
  EXPECT_EQ(ParseText(T::Counter(), "-5"), "-5");
  EXPECT_EQ(ParseText(T::Int32(), "+5"), "5");
  EXPECT_EQ(ParseText(T::Int32(), "-0"), "0");
  EXPECT_EQ(ParseText(T::Int32(), " 42\t"), "42");
  EXPECT_EQ(ParseText(T::Int32(), ""), "null");
  EXPECT_EQ(ParseText(T::Int32(), "1.0"), "error: not an int32: '1.0'");
  EXPECT_EQ(ParseText(T::Int32(), "1e3"), "error: not an int32: '1e3'");
  EXPECT_EQ(ParseText(T::Int32(), "-"), "error: not an int32: '-'");
  EXPECT_EQ(ParseText(T::Int32(), "abc"), "error: not an int32: 'abc'");
  EXPECT_EQ(ParseText(T::Int32(), "1 2"), "error: not an int32: '1 2'");
}

double Double(std::string_view text) {
  auto parser = ValueParser::Make({});
  data::BatchBuilder builder(testing::OneColumn(T::Float64()), 1);
  EXPECT_TRUE(parser->AppendText(text, builder.column(0)).has_value()) << text;
  return builder.Finish()->column(0).Float64(0);
}

float Float(std::string_view text) {
  auto parser = ValueParser::Make({});
  data::BatchBuilder builder(testing::OneColumn(T::Float32()), 1);
  EXPECT_TRUE(parser->AppendText(text, builder.column(0)).has_value()) << text;
  return builder.Finish()->column(0).Float32(0);
}

TEST(ValueParseTest, FloatsInDecimalScientificAndSpecialForms) {
  EXPECT_EQ(Double("1.5"), 1.5);
  EXPECT_EQ(Double("-2.5e-3"), -0.0025);
  EXPECT_EQ(Double("1E10"), 1e10);
  EXPECT_EQ(Double("+3"), 3.0);
  EXPECT_EQ(Double(".5"), 0.5);
  EXPECT_EQ(Double("4.9E-324"), std::numeric_limits<double>::denorm_min());
  EXPECT_EQ(Double("1.7976931348623157E308"), std::numeric_limits<double>::max());
  EXPECT_EQ(Double("1e-400"), 0.0);
  EXPECT_TRUE(std::signbit(Double("-0.0")));
  EXPECT_TRUE(std::isnan(Double("NaN")));
  EXPECT_TRUE(std::isnan(Double("nan")));
  EXPECT_EQ(Double("Infinity"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(Double("infinity"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(Double("-Infinity"), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(Float("3.4028235E38"), std::numeric_limits<float>::max());
  EXPECT_EQ(Float("1.4E-45"), std::numeric_limits<float>::denorm_min());
  EXPECT_EQ(Float("0.1"), 0.1f);
  EXPECT_EQ(ParseText(T::Float64(), "1e400"), "error: out of range for float64: '1e400'");
  EXPECT_EQ(ParseText(T::Float32(), "1e39"), "error: out of range for float32: '1e39'");
  EXPECT_EQ(ParseText(T::Float64(), "inf"), "error: not a float64: 'inf'");
  EXPECT_EQ(ParseText(T::Float64(), "INFINITY"), "error: not a float64: 'INFINITY'");
  EXPECT_EQ(ParseText(T::Float64(), "0x1p3"), "error: not a float64: '0x1p3'");
  EXPECT_EQ(ParseText(T::Float64(), "1.5.2"), "error: not a float64: '1.5.2'");
  EXPECT_EQ(ParseText(T::Float64(), "e5"), "error: not a float64: 'e5'");
  EXPECT_EQ(ParseText(T::Float64(), ""), "null");
}

// The short-decimal fast path rounds exactly as strtod does.
TEST(ValueParseTest, ShortDecimalDoublesRoundLikeStrtod) {
  uint64_t state = 12345;
  for (int i = 0; i < 20000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    int digits = static_cast<int>(state >> 60) % 15 + 1;
    int point = static_cast<int>((state >> 52) & 0xF) % (digits + 1);
    std::string text = (state & 1) ? "-" : "";
    uint64_t bits = state;
    for (int d = 0; d < digits; ++d) {
      if (d == point && d > 0) text += '.';
      text += static_cast<char>('0' + bits % 10);
      bits /= 10;
    }
    ASSERT_EQ(Double(text), std::strtod(text.c_str(), nullptr)) << text;
  }
  EXPECT_EQ(Double("0.1"), 0.1);
  EXPECT_EQ(Double("123456789012345.6"), 123456789012345.6);  // 16 digits: the slow path
  EXPECT_EQ(Double("9007199254740993"), 9007199254740992.0);
}

TEST(ValueParseTest, DecimalsKeepEveryDigitAndTheScale) {
  EXPECT_EQ(ParseText(T::Decimal(), "123.45"), "12345E-2");
  EXPECT_EQ(ParseText(T::Decimal(), "-1.50"), "-150E-2");
  EXPECT_EQ(ParseText(T::Decimal(), "0.000001"), "1E-6");
  EXPECT_EQ(ParseText(T::Decimal(), "1.23E+5"), "123E3");
  EXPECT_EQ(ParseText(T::Decimal(), "1E-7"), "1E-7");
  EXPECT_EQ(ParseText(T::Decimal(), "1e3"), "1E3");
  EXPECT_EQ(ParseText(T::Decimal(), "0"), "0E0");
  EXPECT_EQ(ParseText(T::Decimal(), "-0.00"), "0E-2");
  EXPECT_EQ(ParseText(T::Decimal(), "+.5"), "5E-1");
  EXPECT_EQ(ParseText(T::Decimal(), "5."), "5E0");
  EXPECT_EQ(ParseText(T::Decimal(), "1E2147483647"), "1E2147483647");
  EXPECT_EQ(Bytes(T::Decimal(), "123456789012345678901234567890.5"),
            "0f951a9fa3a286c94f0e766c39");
  EXPECT_EQ(Bytes(T::Decimal(), "-1.28"), "80");
  EXPECT_EQ(Bytes(T::Decimal(), "1.28"), "0080");
  EXPECT_EQ(ParseText(T::Decimal(), "1E2147483649"), "error: out of range for decimal: '1E2147483649'");
  EXPECT_EQ(ParseText(T::Decimal(), "1.2.3"), "error: not a decimal: '1.2.3'");
  EXPECT_EQ(ParseText(T::Decimal(), "."), "error: not a decimal: '.'");
  EXPECT_EQ(ParseText(T::Decimal(), "1e"), "error: not a decimal: '1e'");
  EXPECT_EQ(ParseText(T::Decimal(), "NaN"), "error: not a decimal: 'NaN'");
  EXPECT_EQ(ParseText(T::Decimal(), ""), "null");
}

TEST(ValueParseTest, FixedScaleDecimalsRescaleExactly) {
  auto money = T::Decimal(10, 2);
  EXPECT_EQ(ParseText(money, "1.5"), "150E-2");
  EXPECT_EQ(ParseText(money, "1.500"), "150E-2");
  EXPECT_EQ(ParseText(money, "12E1"), "12000E-2");
  EXPECT_EQ(ParseText(money, "1.505"),
            "error: more digits after the point than the decimal's scale: '1.505'");
  EXPECT_EQ(ParseText(money, "123456789.00"), "error: out of range for decimal: '123456789.00'");
  EXPECT_EQ(ParseText(money, "12345678.00"), "1234567800E-2");
}

TEST(ValueParseTest, BigIntegersAreMinimalTwosComplement) {
  EXPECT_EQ(Bytes(T::BigInteger(), "0"), "00");
  EXPECT_EQ(Bytes(T::BigInteger(), "127"), "7f");
  EXPECT_EQ(Bytes(T::BigInteger(), "128"), "0080");
  EXPECT_EQ(Bytes(T::BigInteger(), "-128"), "80");
  EXPECT_EQ(Bytes(T::BigInteger(), "-129"), "ff7f");
  EXPECT_EQ(Bytes(T::BigInteger(), "255"), "00ff");
  EXPECT_EQ(Bytes(T::BigInteger(), "-1"), "ff");
  EXPECT_EQ(Bytes(T::BigInteger(), "+0007"), "07");
  EXPECT_EQ(Bytes(T::BigInteger(), "999999999999999999"), "0de0b6b3a763ffff");
  EXPECT_EQ(Bytes(T::BigInteger(), "-1000000000000000000"), "f21f494c589c0000");
  EXPECT_EQ(Bytes(T::BigInteger(), "18446744073709551616"), "010000000000000000");
  EXPECT_EQ(Bytes(T::BigInteger(), "-18446744073709551616"), "ff0000000000000000");
  EXPECT_EQ(Bytes(T::BigInteger(), "123456789012345678901234567890"),
            "018ee90ff6c373e0ee4e3f0ad2");
  EXPECT_EQ(Bytes(T::BigInteger(), "-123456789012345678901234567890"),
            "fe7116f0093c8c1f11b1c0f52e");
  EXPECT_EQ(Bytes(T::BigInteger(), "12345678901234567890123456789012345678901234567890"),
            "08727f6369aaf83ca15026747af8c7f196ce3f0ad2");
  EXPECT_EQ(ParseText(T::BigInteger(), "1.0"), "error: not an integer: '1.0'");
  EXPECT_EQ(ParseText(T::BigInteger(), "-"), "error: not an integer: '-'");
}

TEST(ValueParseTest, StringsMustBeValidUtf8) {
  EXPECT_EQ(ParseText(T::String(), "h\xC3\xA9llo \xF0\x9F\x98\x80"), "'h\xC3\xA9llo \xF0\x9F\x98\x80'");
  EXPECT_EQ(ParseText(T::String(), ""), "''");
  EXPECT_EQ(ParseText(T::String(), "  spaced  "), "'  spaced  '");
  EXPECT_EQ(ParseText(T::String(), "\xFF"), "error: invalid UTF-8 at byte 0");
  EXPECT_EQ(ParseText(T::String(), "abcdefghij\xC3"), "error: invalid UTF-8 at byte 10");
  EXPECT_EQ(ParseText(T::String(), "\xC0\x80"), "error: invalid UTF-8 at byte 0");      // overlong
  EXPECT_EQ(ParseText(T::String(), "\xED\xA0\x80"), "error: invalid UTF-8 at byte 0");  // surrogate
  EXPECT_EQ(ParseText(T::String(), "\xF4\x90\x80\x80"), "error: invalid UTF-8 at byte 0");
  EXPECT_EQ(ParseText(T::Ascii(), "plain"), "'plain'");
  EXPECT_EQ(ParseText(T::Ascii(), "caf\xC3\xA9"), "error: not ASCII at byte 3");
}

TEST(ValueParseTest, BinaryIsBase64OrHex) {
  EXPECT_EQ(ParseText(T::Binary(), "AQID"), "0x010203");
  EXPECT_EQ(ParseText(T::Binary(), "AQI="), "0x0102");
  EXPECT_EQ(ParseText(T::Binary(), "AQI"), "0x0102");
  EXPECT_EQ(ParseText(T::Binary(), "AQ=="), "0x01");
  EXPECT_EQ(ParseText(T::Binary(), "AQ"), "0x01");
  EXPECT_EQ(ParseText(T::Binary(), "+/+/"), "0xfbffbf");
  EXPECT_EQ(ParseText(T::Binary(), "0x0a0B"), "0x0a0b");
  EXPECT_EQ(ParseText(T::Binary(), "0x"), "0x");
  EXPECT_EQ(ParseText(T::Binary(), ""), "0x");
  EXPECT_EQ(ParseText(T::Binary(), "A"), "error: not base64 or 0x-hex: 'A'");
  EXPECT_EQ(ParseText(T::Binary(), "AR=="), "error: not base64 or 0x-hex: 'AR=='");
  EXPECT_EQ(ParseText(T::Binary(), "AQ="), "error: not base64 or 0x-hex: 'AQ='");
  EXPECT_EQ(ParseText(T::Binary(), "A=QI"), "error: not base64 or 0x-hex: 'A=QI'");
  EXPECT_EQ(ParseText(T::Binary(), "0x0@"), "error: not base64 or 0x-hex: '0x0@'");
  EXPECT_EQ(ParseText(T::Binary(), "0x0g"), "0xd31d20");  // not hex, but base64
  // "0x" then hex digits is hex whatever the options write (as DataStax Bulk Loader reads it),
  // even when it would be base64 too.
  TextOptions hex;
  hex.binary = BinaryEncoding::kHex;
  EXPECT_EQ(ParseText(T::Binary(), "0xAB"), "0xab");
  EXPECT_EQ(ParseText(T::Binary(), "0xAB", hex), "0xab");
  EXPECT_EQ(ParseText(T::Binary(), "AQID", hex), "0x010203");
}

TEST(ValueParseTest, Uuids) {
  EXPECT_EQ(ParseText(T::Uuid(), "123e4567-e89b-42d3-a456-426614174000"),
            "123e4567-e89b-42d3-a456-426614174000");
  EXPECT_EQ(ParseText(T::Uuid(), "123E4567-E89B-42D3-A456-426614174000"),
            "123e4567-e89b-42d3-a456-426614174000");
  EXPECT_EQ(ParseText(T::TimeUuid(), "e5a2c0d0-7ce5-11eb-9439-0242ac130002"),
            "e5a2c0d0-7ce5-11eb-9439-0242ac130002");
  EXPECT_EQ(ParseText(T::TimeUuid(), "123e4567-e89b-42d3-a456-426614174000"),
            "error: not a timeuuid (version 4): '123e4567-e89b-42d3-a456-426614174000'");
  EXPECT_EQ(ParseText(T::Uuid(), "123e4567e89b42d3a456426614174000"),
            "error: not a uuid: '123e4567e89b42d3a456426614174000'");
  EXPECT_EQ(ParseText(T::Uuid(), "123e4567-e89b-42d3-a456-42661417400g"),
            "error: not a uuid: '123e4567-e89b-42d3-a456-42661417400g'");
}

TEST(ValueParseTest, Dates) {
  EXPECT_EQ(ParseText(T::Date(), "2021-03-04"), "2021-03-04");
  EXPECT_EQ(ParseText(T::Date(), "2024-02-29"), "2024-02-29");
  EXPECT_EQ(ParseText(T::Date(), "+10000-01-01"), "+10000-01-01");
  EXPECT_EQ(ParseText(T::Date(), "-0001-12-31"), "-0001-12-31");
  EXPECT_EQ(ParseText(T::Date(), "2147483648"), "1970-01-01");  // CQL's day count
  EXPECT_EQ(ParseText(T::Date(), "0"), "-5877641-06-23");
  EXPECT_EQ(ParseText(T::Date(), "4294967295"), "+5881580-07-11");
  EXPECT_EQ(ParseText(T::Date(), "-5877641-06-23"), "-5877641-06-23");
  EXPECT_EQ(ParseText(T::Date(), "+5881580-07-12"),
            "error: out of range for date: '+5881580-07-12'");
  EXPECT_EQ(ParseText(T::Date(), "4294967296"), "error: out of range for date: '4294967296'");
  EXPECT_EQ(ParseText(T::Date(), "2021-02-29"), "error: not a date: '2021-02-29'");
  EXPECT_EQ(ParseText(T::Date(), "2021-13-01"), "error: not a date: '2021-13-01'");
  EXPECT_EQ(ParseText(T::Date(), "21-03-04"), "error: not a date: '21-03-04'");
  EXPECT_EQ(ParseText(T::Date(), "2021-3-4"), "error: not a date: '2021-3-4'");
  EXPECT_EQ(ParseText(T::Date(), "2021-03-04T00:00"), "error: not a date: '2021-03-04T00:00'");
  EXPECT_EQ(ParseText(T::Date(), "-5"), "error: not a date: '-5'");
}

TEST(ValueParseTest, Times) {
  EXPECT_EQ(ParseText(T::Time(), "13:45:07"), "13:45:07.000000000");
  EXPECT_EQ(ParseText(T::Time(), "13:45:07.123456789"), "13:45:07.123456789");
  EXPECT_EQ(ParseText(T::Time(), "13:45:07.1"), "13:45:07.100000000");
  EXPECT_EQ(ParseText(T::Time(), "13:45"), "13:45:00.000000000");
  EXPECT_EQ(ParseText(T::Time(), "00:00:00"), "00:00:00.000000000");
  EXPECT_EQ(ParseText(T::Time(), "23:59:59.999999999"), "23:59:59.999999999");
  EXPECT_EQ(ParseText(T::Time(), "49507000000000"), "13:45:07.000000000");
  EXPECT_EQ(ParseText(T::Time(), "86400000000000"),
            "error: out of range for time: '86400000000000'");
  EXPECT_EQ(ParseText(T::Time(), "24:00:00"), "error: not a time: '24:00:00'");
  EXPECT_EQ(ParseText(T::Time(), "13:45:07.1234567891"),
            "error: not a time: '13:45:07.1234567891'");
  EXPECT_EQ(ParseText(T::Time(), "13:45:07."), "error: not a time: '13:45:07.'");
  EXPECT_EQ(ParseText(T::Time(), "1:45:07"), "error: not a time: '1:45:07'");
}

TEST(ValueParseTest, IsoTimestamps) {
  EXPECT_EQ(ParseText(T::Timestamp(), "2021-03-04T05:06:07.089Z"), "2021-03-04T05:06:07.089Z");
  EXPECT_EQ(ParseText(T::Timestamp(), "2021-03-04T05:06:07Z"), "2021-03-04T05:06:07.000Z");
  EXPECT_EQ(ParseText(T::Timestamp(), "2021-03-04T05:06:07.089+02:00"),
            "2021-03-04T03:06:07.089Z");
  EXPECT_EQ(ParseText(T::Timestamp(), "2021-03-04T05:06:07.089+0200"), "2021-03-04T03:06:07.089Z");
  EXPECT_EQ(ParseText(T::Timestamp(), "2021-03-04T05:06:07-05"), "2021-03-04T10:06:07.000Z");
  EXPECT_EQ(ParseText(T::Timestamp(), "2021-03-04 05:06:07.5"), "2021-03-04T05:06:07.500Z");
  EXPECT_EQ(ParseText(T::Timestamp(), "2021-03-04T05:06"), "2021-03-04T05:06:00.000Z");
  EXPECT_EQ(ParseText(T::Timestamp(), "2021-03-04"), "2021-03-04T00:00:00.000Z");
  EXPECT_EQ(ParseText(T::Timestamp(), "2021-03-04T05:06:07.089000000Z"),
            "2021-03-04T05:06:07.089Z");
  EXPECT_EQ(ParseText(T::Timestamp(), "+10000-01-01T00:00:00Z"), "+10000-01-01T00:00:00.000Z");
  EXPECT_EQ(ParseText(T::Timestamp(), "-0001-01-01T00:00:00Z"), "-0001-01-01T00:00:00.000Z");
  EXPECT_EQ(ParseText(T::Timestamp(), "1614834367089"), "2021-03-04T05:06:07.089Z");
  // The extremes, as the writer prints INT64_MIN and INT64_MAX milliseconds (Java's Instant).
  EXPECT_EQ(ParseText(T::Timestamp(), "-292275055-05-16T16:47:04.192Z"),
            "-292275055-05-16T16:47:04.192Z");
  EXPECT_EQ(ParseText(T::Timestamp(), "+292278994-08-17T07:12:55.807Z"),
            "+292278994-08-17T07:12:55.807Z");
  EXPECT_EQ(ParseText(T::Timestamp(), "-292275055-05-16T16:47:04.191Z"),
            "error: out of range for timestamp: '-292275055-05-16T16:47:04.191Z'");
  EXPECT_EQ(ParseText(T::Timestamp(), "-1"), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(ParseText(T::Timestamp(), "2021-13-01"), "error: not a timestamp: '2021-13-01'");
  EXPECT_EQ(ParseText(T::Timestamp(), "2021-03-04T05:06:07.089123Z"),
            "error: not a timestamp (finer than milliseconds): '2021-03-04T05:06:07.089123Z'");
  EXPECT_EQ(ParseText(T::Timestamp(), "2021-03-04T25:06:07Z"),
            "error: not a timestamp: '2021-03-04T25:06:07Z'");
  EXPECT_EQ(ParseText(T::Timestamp(), "2021-03-04T05:06:07+19:00"),
            "error: not a timestamp: '2021-03-04T05:06:07+19:00'");
  EXPECT_EQ(ParseText(T::Timestamp(), "2021-03-04X05:06"),
            "error: not a timestamp: '2021-03-04X05:06'");
  EXPECT_EQ(ParseText(T::Timestamp(), "99999999999999999999"),
            "error: out of range for timestamp: '99999999999999999999'");
  EXPECT_EQ(ParseText(T::Timestamp(), "+999999999-01-01T00:00:00Z"),
            "error: out of range for timestamp: '+999999999-01-01T00:00:00Z'");
}

TEST(ValueParseTest, TimestampsWithoutZoneUseTheOptionsZone) {
  TextOptions options;
  options.time_zone = "+01:00";
  EXPECT_EQ(ParseText(T::Timestamp(), "2021-03-04", options), "2021-03-03T23:00:00.000Z");
  EXPECT_EQ(ParseText(T::Timestamp(), "2021-03-04T05:06:07", options), "2021-03-04T04:06:07.000Z");
  EXPECT_EQ(ParseText(T::Timestamp(), "2021-03-04T05:06:07Z", options), "2021-03-04T05:06:07.000Z");
  options.time_zone = "-0530";
  EXPECT_EQ(ParseText(T::Timestamp(), "2021-03-04T00:00", options), "2021-03-04T05:30:00.000Z");
  options.time_zone = "Europe/Paris";
  EXPECT_EQ(ParseText(T::Timestamp(), "2021-03-04", options),
            "make error: time zone 'Europe/Paris' is not UTC or a fixed offset such as +02:00");
}

TEST(ValueParseTest, TimestampPatternFirstThenIso) {
  TextOptions options;
  options.timestamp_format = "%d/%m/%Y %H:%M:%S.%f %z";
  EXPECT_EQ(ParseText(T::Timestamp(), "04/03/2021 05:06:07.089 +0100", options),
            "2021-03-04T04:06:07.089Z");
  EXPECT_EQ(ParseText(T::Timestamp(), "2021-03-04T05:06:07.089Z", options),
            "2021-03-04T05:06:07.089Z");
  EXPECT_EQ(ParseText(T::Timestamp(), "04/03/2021 05:06:07.089", options),
            "error: not a timestamp: '04/03/2021 05:06:07.089'");
  options.timestamp_format = "%Y%m%d%H%M%S %Ez";
  EXPECT_EQ(ParseText(T::Timestamp(), "20210304050607 Z", options), "2021-03-04T05:06:07.000Z");
  EXPECT_EQ(ParseText(T::Timestamp(), "20210304050607 -01:00", options),
            "2021-03-04T06:06:07.000Z");
  options.timestamp_format = "%Y-%m-%d %%%H";
  EXPECT_EQ(ParseText(T::Timestamp(), "2021-03-04 %05", options), "2021-03-04T05:00:00.000Z");
  options.timestamp_format = "%Y %Q";
  EXPECT_EQ(ParseText(T::Timestamp(), "x", options),
            "make error: timestamp format '%Y %Q': unknown directive '%Q' (known: %Y %m %d %H %M "
            "%S %f %z %Ez %%)");
}

TEST(ValueParseTest, DurationsInCassandrasThreeForms) {
  EXPECT_EQ(ParseText(T::Duration(), "1y2mo3w4d5h6m7s8ms9us10ns"), "14mo25d18367008009010ns");
  EXPECT_EQ(ParseText(T::Duration(), "1Y2MO3W4D5H6M7S8MS9US10NS"), "14mo25d18367008009010ns");
  EXPECT_EQ(ParseText(T::Duration(), "-1d"), "0mo-1d0ns");
  EXPECT_EQ(ParseText(T::Duration(), "-2mo3h"), "-2mo0d-10800000000000ns");
  EXPECT_EQ(ParseText(T::Duration(), "7\xC2\xB5s"), "0mo0d7000ns");
  EXPECT_EQ(ParseText(T::Duration(), "7\xCE\xBCs"), "0mo0d7000ns");
  EXPECT_EQ(ParseText(T::Duration(), "0s"), "0mo0d0ns");
  EXPECT_EQ(ParseText(T::Duration(), "P1Y2M3DT4H5M6S"), "14mo3d14706000000000ns");
  EXPECT_EQ(ParseText(T::Duration(), "PT5M"), "0mo0d300000000000ns");
  EXPECT_EQ(ParseText(T::Duration(), "P2W"), "0mo14d0ns");
  EXPECT_EQ(ParseText(T::Duration(), "-P1D"), "0mo-1d0ns");
  EXPECT_EQ(ParseText(T::Duration(), "P0001-02-03T04:05:06"), "14mo3d14706000000000ns");
  EXPECT_EQ(ParseText(T::Duration(), "1h1h"), "error: not a duration: '1h1h'");
  EXPECT_EQ(ParseText(T::Duration(), "1s1h"), "error: not a duration: '1s1h'");
  EXPECT_EQ(ParseText(T::Duration(), "1x"), "error: not a duration: '1x'");
  EXPECT_EQ(ParseText(T::Duration(), "1"), "error: not a duration: '1'");
  EXPECT_EQ(ParseText(T::Duration(), "P"), "error: not a duration: 'P'");
  EXPECT_EQ(ParseText(T::Duration(), "PT"), "error: not a duration: 'PT'");
  EXPECT_EQ(ParseText(T::Duration(), "P1S"), "error: not a duration: 'P1S'");
  EXPECT_EQ(ParseText(T::Duration(), "--1d"), "error: not a duration: '--1d'");
  EXPECT_EQ(ParseText(T::Duration(), "3000000000mo"),
            "error: out of range for duration: '3000000000mo'");
  EXPECT_EQ(ParseText(T::Duration(), "99999999999999999999ns"),
            "error: out of range for duration: '99999999999999999999ns'");
  EXPECT_EQ(ParseText(T::Duration(), ""), "null");
}

TEST(ValueParseTest, InetAddresses) {
  EXPECT_EQ(ParseText(T::Inet(), "127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(Bytes(T::Inet(), "::1"), "00000000000000000000000000000001");
  EXPECT_EQ(Bytes(T::Inet(), "::"), "00000000000000000000000000000000");
  EXPECT_EQ(Bytes(T::Inet(), "2001:DB8::8:800:200c:417a"), "20010db80000000000080800200c417a");
  EXPECT_EQ(Bytes(T::Inet(), "::ffff:1.2.3.4"), "00000000000000000000ffff01020304");
  EXPECT_EQ(ParseText(T::Inet(), "256.0.0.1"), "error: not an inet address: '256.0.0.1'");
  EXPECT_EQ(ParseText(T::Inet(), "1.2.3"), "error: not an inet address: '1.2.3'");
  EXPECT_EQ(ParseText(T::Inet(), "1::2::3"), "error: not an inet address: '1::2::3'");
  EXPECT_EQ(ParseText(T::Inet(), "localhost"), "error: not an inet address: 'localhost'");
}

TEST(ValueParseTest, LongTextIsCutInErrors) {
  std::string text(100, '9');
  text += "x";
  EXPECT_EQ(ParseText(T::Int32(), text), "error: not an int32: '" + std::string(60, '9') + "...'");
}

TEST(ValueParseTest, NullForANonNullableField) {
  auto parser = ValueParser::Make({});
  data::BatchBuilder builder(testing::OneColumn(T::Int32(), /*nullable=*/false), 1);
  EXPECT_THAT(parser->AppendText("", builder.column(0)),
              cqlbulk::testing::HasMessage("null for the non-nullable field 'c'"));
}

TEST(ValueParseTest, CollectionsAsJsonText) {
  EXPECT_EQ(ParseText(T::List(T::Int32()), "[1, 2, null]"), "[1, 2, null]");
  EXPECT_EQ(ParseText(T::List(T::Int32()), "[]"), "[]");
  EXPECT_EQ(ParseText(T::List(T::Int32()), ""), "null");
  EXPECT_EQ(ParseText(T::Set(T::String()), R"(["a", "b"])"), "{'a', 'b'}");
  EXPECT_EQ(ParseText(T::Set(T::String()), R"(["a", null])"), "error: element 1: null in a set");
  EXPECT_EQ(ParseText(T::Map(T::String(), T::Int32()), R"({"a": 1, "b": null})"),
            "{'a': 1, 'b': null}");
  EXPECT_EQ(ParseText(T::Map(T::Int32(), T::String()), R"({"1": "x", "-2": "y"})"),
            "{1: 'x', -2: 'y'}");
  EXPECT_EQ(ParseText(T::Map(T::Int32(), T::String()), R"({"x": "y"})"),
            "error: key 'x': not an int32: 'x'");
  EXPECT_EQ(ParseText(T::Map(T::Int32(), T::String()), R"({"": "y"})"),
            "error: key '': null for the non-nullable field 'key'");
  EXPECT_EQ(ParseText(T::Map(T::String(), T::Int32()), R"({"a": "b"})"),
            "error: value of 'a': not an int32: 'b'");
  EXPECT_EQ(ParseText(T::Map(T::String(), T::Int32()), "[1]"),
            "error: not a map: a JSON array, expected an object");
  EXPECT_EQ(ParseText(T::Vector(T::Float32(), 3), "[1, 2.5, -3]"), "[1, 2.5, -3]");
  EXPECT_EQ(ParseText(T::Vector(T::Float32(), 3), "[1, 2]"), "error: 2 elements for a vector of 3");
  EXPECT_EQ(ParseText(T::Vector(T::Float32(), 3), "[1, null, 3]"),
            "error: element 1: null in a vector");
  EXPECT_EQ(ParseText(T::List(T::Int32()), "[1, \"x\"]"), "error: element 1: not an int32: 'x'");
  EXPECT_EQ(ParseText(T::List(T::Int32()), "[1, 2"),
            "error: not a list (invalid JSON at byte 5: unterminated array): '[1, 2'");
  EXPECT_EQ(ParseText(T::List(T::Int32()), "{}"),
            "error: not a list: a JSON object, expected an array");
}

TEST(ValueParseTest, TuplesAndUdts) {
  auto tuple = T::Tuple({T::Int32(), T::String()});
  EXPECT_EQ(ParseText(tuple, R"([1, "a"])"), "{_1: 1, _2: 'a'}");
  EXPECT_EQ(ParseText(tuple, "[1]"), "{_1: 1, _2: null}");
  EXPECT_EQ(ParseText(tuple, "[]"), "{_1: null, _2: null}");
  EXPECT_EQ(ParseText(tuple, R"([1, "a", 3])"), "error: 3 elements for a tuple of 2");
  EXPECT_EQ(ParseText(tuple, R"(["x"])"), "error: field _1: not an int32: 'x'");
  auto address = T::Struct({data::Field{.name = "street", .type = T::String()},
                            data::Field{.name = "zip", .type = T::Int32()}},
                           "address");
  EXPECT_EQ(ParseText(address, R"({"street": "Main", "zip": 12345})"),
            "{street: 'Main', zip: 12345}");
  EXPECT_EQ(ParseText(address, R"({"zip": 1})"), "{street: null, zip: 1}");
  EXPECT_EQ(ParseText(address, R"({"street": "x", "nope": 1})"), "error: unknown field 'nope'");
  EXPECT_EQ(ParseText(address, R"({"zip": 1, "zip": 2})"), "error: field 'zip' twice");
  EXPECT_EQ(ParseText(address, R"(["Main", 1])"), "{street: 'Main', zip: 1}");
}

TEST(ValueParseTest, NestedCollectionsKeepScalarsExact) {
  auto nested = T::List(T::Map(T::String(), T::List(T::Decimal())));
  EXPECT_EQ(ParseText(nested, R"([{"a": [1.10, 2E+3, "-0.5"]}, {}])"),
            "[{'a': [110E-2, 2E3, -5E-1]}, {}]");
  EXPECT_EQ(ParseText(T::List(T::Float64()), R"(["NaN", "Infinity", "-Infinity", 1.5])"),
            "[nan, inf, -inf, 1.5]");
  EXPECT_EQ(ParseText(T::List(T::Binary()), R"(["AQID", "0x0a"])"), "[0x010203, 0x0a]");
  EXPECT_EQ(ParseText(T::Set(T::Uuid()), R"(["123e4567-e89b-42d3-a456-426614174000"])"),
            "{123e4567-e89b-42d3-a456-426614174000}");
  EXPECT_EQ(ParseText(T::Map(T::Timestamp(), T::Date()), R"({"2021-03-04T05:06:07Z": "2021-03-04"})"),
            "{2021-03-04T05:06:07.000Z: 2021-03-04}");
  // A frozen collection as a map key: its text form (JSON) in the key string.
  EXPECT_EQ(ParseText(T::Map(T::List(T::Int32()), T::Int32()), R"({"[1,2]": 3})"),
            "{[1, 2]: 3}");
  EXPECT_EQ(ParseText(T::Map(T::Tuple({T::Int32(), T::Boolean()}), T::Int32()),
                      R"({"[1,true]": 3})"),
            "{{_1: 1, _2: true}: 3}");
}

TEST(ValueParseTest, JsonScalarsForEachKind) {
  EXPECT_EQ(ParseJson(T::Int32(), "42"), "42");
  EXPECT_EQ(ParseJson(T::Int32(), "\"42\""), "42");
  EXPECT_EQ(ParseJson(T::Int32(), "\"\""), "null");
  EXPECT_EQ(ParseJson(T::Int32(), "null"), "null");
  EXPECT_EQ(ParseJson(T::Int32(), "4.2"), "error: not an int32: '4.2'");
  EXPECT_EQ(ParseJson(T::Int32(), "true"), "error: not an int32: 'true'");
  EXPECT_EQ(ParseJson(T::Int32(), "[1]"), "error: not an int32: a JSON array");
  EXPECT_EQ(ParseJson(T::Decimal(), "1.50"), "150E-2");
  EXPECT_EQ(ParseJson(T::Decimal(), "-1e-3"), "-1E-3");
  EXPECT_EQ(ParseJson(T::Boolean(), "true"), "true");
  EXPECT_EQ(ParseJson(T::Boolean(), "\"FALSE\""), "false");
  EXPECT_EQ(ParseJson(T::String(), "\"a\\u00e9\\n\""), "'a\xC3\xA9\n'");
  EXPECT_EQ(ParseJson(T::String(), "42"), "'42'");
  EXPECT_EQ(ParseJson(T::String(), "false"), "'false'");
  EXPECT_EQ(ParseJson(T::Ascii(), "\"\\u00e9\""), "error: not ASCII at byte 0");
  EXPECT_EQ(ParseJson(T::Timestamp(), "1614834367089"), "2021-03-04T05:06:07.089Z");
  EXPECT_EQ(ParseJson(T::Float64(), "\"NaN\""), "nan");
  EXPECT_EQ(ParseJson(T::Float64(), "-1.5e3"), "-1500");
  EXPECT_EQ(ParseJson(T::List(T::Int32()), "\"[1, 2]\""), "[1, 2]");
  EXPECT_EQ(ParseJson(T::List(T::Int32()), "7"), "error: not a list: '7'");
  EXPECT_EQ(ParseJson(T::BigInteger(), "123456789012345678901234567890"),
            "0x018ee90ff6c373e0ee4e3f0ad2");
}

TEST(ValueParseTest, JsonInStringsNestsOnlySoDeep) {
  std::string text = "[1]";
  for (int i = 0; i < 20; ++i) {
    std::string quoted = "\"";
    for (char c : text) {
      if (c == '"' || c == '\\') quoted += '\\';
      quoted += c;
    }
    text = quoted + "\"";
  }
  EXPECT_NE(ParseText(T::List(T::Int32()), text).find("nested too deeply"), std::string::npos);
}

TEST(ValueParseTest, ParserIsReusableAfterErrors) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(ValueParser parser, ValueParser::Make({}));
  data::BatchBuilder builder(testing::OneColumn(T::List(T::Int32())), 4);
  EXPECT_FALSE(parser.AppendText("[1, \"x\"]", builder.column(0)).has_value());
  builder.Truncate(0);
  CQLBULK_ASSERT_OK(parser.AppendText("[3]", builder.column(0)));
  CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch batch, builder.Finish());
  EXPECT_EQ(testing::Rows(batch), "([3])\n");
}

// --- fast paths against the general parsers ------------------------------------------------

/// `shape` with each '9' replaced by a random digit, and now and then one character by
/// something else (a letter, a sign, a space, a separator), so that near misses are tried too.
std::string RandomFill(std::string shape, std::mt19937& random) {
  const std::string other = "9a-+.:TZz ,e/";
  for (char& c : shape) {
    if (c == '9') c = static_cast<char>('0' + random() % 10);
  }
  if (random() % 4 == 0 && !shape.empty()) {
    shape[random() % shape.size()] = other[random() % other.size()];
  }
  return shape;
}

// ParseIsoTimestamp reads yyyy-mm-ddTHH:MM:SS[.fff]Z at fixed places: every text of those
// shapes (random digits, so impossible months, days, hours, February 29ths of non-leap
// years, and near misses) must give the general parser's value or its reason.
TEST(ValueParseTest, IsoTimestampFastPathMatchesTheGeneralParser) {
  std::mt19937 random(11);
  const std::vector<std::string> shapes = {
      "9999-99-99T99:99:99Z", "9999-99-99T99:99:99.999Z", "1999-19-39T29:59:59.999Z",
      "2999-09-29T19:59:59Z", "2999-02-29T09:09:09.999Z", "1969-12-31T23:59:59.999Z",
      "0000-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z", "9999-99-99 99:99:99Z",
      "9999-99-99T99:99:99.99Z", "9999-99-99T99:99:99.9999Z", "9999-99-99T99:99:99+99:99"};
  int fast_shapes = 0;
  for (int i = 0; i < 200000; ++i) {
    const std::string text = RandomFill(shapes[i % shapes.size()], random);
    int64_t fast = -1;
    int64_t general = -2;
    const char* fast_why = internal::ParseIsoTimestamp(text, 90, fast);
    const char* general_why = internal::ParseIsoTimestampGeneral(text, 90, general);
    ASSERT_EQ(fast_why == nullptr, general_why == nullptr) << text;
    if (general_why == nullptr) {
      ASSERT_EQ(fast, general) << text;
      fast_shapes += text.back() == 'Z' ? 1 : 0;
    } else {
      ASSERT_STREQ(fast_why, general_why) << text;
    }
  }
  EXPECT_GT(fast_shapes, 10000);  // the fast path was taken, not only the fallback
}

// Integers of every width against std::from_chars: random digit strings of 0 to 25 digits
// (19 and fewer skip the overflow check per digit), with signs, leading zeros, the widths'
// edges and a stray character, give from_chars's value, or its range or syntax error.
TEST(ValueParseTest, IntegersMatchFromChars) {
  std::mt19937_64 random(17);
  struct Width {
    data::LogicalTypePtr type;
    int64_t min;
    int64_t max;
    std::string name;
  };
  const std::vector<Width> widths = {
      {T::Int8(), -128, 127, "int8"},
      {T::Int16(), -32768, 32767, "int16"},
      {T::Int32(), std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max(),
       "int32"},
      {T::Int64(), std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(),
       "int64"}};
  const std::vector<std::string> edges = {
      "9223372036854775807", "9223372036854775808", "18446744073709551615",
      "18446744073709551616", "9999999999999999999", "10000000000000000000",
      "2147483647", "2147483648", "32767", "32768", "127", "128", "0"};
  int values = 0;
  for (int i = 0; i < 100000; ++i) {
    std::string digits;
    if (random() % 8 == 0) {
      digits = edges[random() % edges.size()];
    } else {
      const size_t n = random() % 26;
      for (size_t k = 0; k < n; ++k) {
        digits += static_cast<char>('0' + (random() % 10));
      }
      if (!digits.empty() && random() % 4 == 0) digits[0] = '0';
    }
    if (!digits.empty() && random() % 20 == 0) digits[random() % digits.size()] = 'x';
    const int sign = static_cast<int>(random() % 3);  // none, '-', '+'
    const std::string text = (sign == 1 ? "-" : sign == 2 ? "+" : "") + digits;
    const Width& width = widths[random() % widths.size()];
    // The referee: from_chars (which takes no '+') over the whole text.
    const std::string unsigned_text = sign == 2 ? digits : text;
    __extension__ typedef __int128 Wide;
    std::string expected;
    int64_t value = 0;
    auto [end, error] = std::from_chars(unsigned_text.data(),
                                        unsigned_text.data() + unsigned_text.size(), value);
    const bool whole = end == unsigned_text.data() + unsigned_text.size();
    if (digits.empty()) {
      expected = "null";  // an empty field (a sign alone is not: see below)
    } else if (error == std::errc::result_out_of_range && whole) {
      expected = "range";
    } else if (error != std::errc() || !whole || (sign == 2 && digits[0] == '-')) {
      expected = "syntax";
    } else if (static_cast<Wide>(value) < width.min || static_cast<Wide>(value) > width.max) {
      expected = "range";
    } else {
      expected = std::to_string(value);
    }
    if (digits.empty() && sign != 0) expected = "syntax";
    std::string got = ParseText(width.type, text);
    if (got.rfind("error: out of range for " + width.name, 0) == 0) {
      got = "range";
    } else if (got.rfind("error: ", 0) == 0) {
      got = "syntax";
    } else {
      ++values;
    }
    ASSERT_EQ(got, expected) << width.name << " '" << text << "'";
  }
  EXPECT_GT(values, 20000);
}

// ParseDecimal reads [+-]digits[.digits] of 18 digits or fewer straight into an int64: every
// such text, the lengths around 18 digits, and near misses (exponents, two points, signs
// alone) must give the general parser's unscaled bytes and scale, or its reason.
TEST(ValueParseTest, DecimalFastPathMatchesTheGeneralParser) {
  std::mt19937 random(13);
  const data::LogicalTypePtr decimal = data::LogicalType::Decimal();
  internal::BigScratch fast_scratch;
  internal::BigScratch general_scratch;
  int fast_values = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string shape;
    switch (random() % 4) {
      case 0: shape = "-"; break;
      case 1: shape = "+"; break;
      default: break;
    }
    const size_t integer = random() % 21;
    const size_t fraction = random() % 3 == 0 ? 0 : random() % 21;
    shape += std::string(integer, '9');
    if (fraction > 0 || random() % 5 == 0) shape += "." + std::string(fraction, '9');
    if (random() % 10 == 0) shape += random() % 2 ? "E3" : "e-2";
    // Leading zeros and values around the 64-bit edges show up more often than by chance.
    if (random() % 6 == 0 && integer > 0) shape[shape.find('9')] = '0';
    std::string text = RandomFill(shape, random);
    if (random() % 50 == 0) text = random() % 2 ? "9223372036854775807" : "-999999999999999999";
    int32_t fast_scale = -7;
    int32_t general_scale = -8;
    const char* fast_why = internal::ParseDecimal(text, *decimal, fast_scratch, fast_scale);
    const char* general_why =
        internal::ParseDecimalGeneral(text, *decimal, general_scratch, general_scale);
    ASSERT_EQ(fast_why == nullptr, general_why == nullptr) << text;
    if (general_why == nullptr) {
      ASSERT_EQ(ToHex(fast_scratch.bytes), ToHex(general_scratch.bytes)) << text;
      ASSERT_EQ(fast_scale, general_scale) << text;
      ++fast_values;
    } else {
      ASSERT_STREQ(fast_why, general_why) << text;
    }
  }
  EXPECT_GT(fast_values, 50000);
}

}  // namespace
}  // namespace cqlbulk::formats
