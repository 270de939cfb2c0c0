// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/text/value_format.h"

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cqlbulk/core/time.h"
#include "testing/matchers.h"
#include "writer_test_util.h"

namespace cqlbulk::formats {
namespace {

using ::cqlbulk::testing::HasMessage;
using ::cqlbulk::testing::IsError;
using ::testing::ElementsAre;
using data::Batch;
using data::ColumnBuilder;
using T = data::LogicalType;
using testing::BytesOf;
using testing::OneColumnBatch;
using testing::TwosComplement;
using testing::TwosComplementOfDecimal;

/// TextOptions with one field set (designated initialisers would leave null_string to
/// -Wmissing-field-initializers).
TextOptions WithFormat(std::string format) {
  TextOptions options;
  options.timestamp_format = std::move(format);
  return options;
}
TextOptions WithZone(std::string zone) {
  TextOptions options;
  options.time_zone = std::move(zone);
  return options;
}

ValueFormatter Formatter(TextOptions options = {}) {
  auto formatter = ValueFormatter::Make(options);
  EXPECT_TRUE(formatter.has_value()) << formatter.error().ToString();
  return std::move(formatter).value();
}

/// What the fast path (WriteText, WriteJson) writes for a scalar cell, checked against its
/// bound; nullopt for nested columns.
std::optional<std::string> Written(const ValueFormatter& f, const data::Column& column,
                                   size_t row, bool json) {
  if (column.type()->is_nested()) {
    return std::nullopt;
  }
  size_t bound = json ? f.JsonBound(column, row) : f.TextBound(column, row);
  std::string buffer(bound + 16, '#');
  char* end = json ? f.WriteJson(column, row, buffer.data()) : f.WriteText(column, row, buffer.data());
  auto written = static_cast<size_t>(end - buffer.data());
  EXPECT_LE(written, bound) << "past the bound: " << buffer;
  EXPECT_EQ(buffer.substr(bound), std::string(16, '#')) << "wrote past the bound";
  return buffer.substr(0, written);
}

/// The text of every row of the batch's column (null rows as "<null>"), by AppendText and,
/// for scalars, the same by WriteText.
std::vector<std::string> Texts(const Batch& batch, const ValueFormatter& f = Formatter()) {
  std::vector<std::string> out;
  for (size_t row = 0; row < batch.num_rows(); ++row) {
    std::string json;
    f.AppendJson(batch.column(0), row, json);
    if (auto written = Written(f, batch.column(0), row, true)) {
      EXPECT_EQ(*written, json) << "WriteJson and AppendJson differ";
    }
    std::string text = "prefix|";
    if (batch.column(0).IsNull(row)) {
      out.push_back("<null>");
      continue;
    }
    f.AppendText(batch.column(0), row, text);
    EXPECT_EQ(text.substr(0, 7), "prefix|") << "AppendText must append";
    out.push_back(text.substr(7));
    if (auto written = Written(f, batch.column(0), row, false)) {
      EXPECT_EQ(*written, out.back()) << "WriteText and AppendText differ";
    }
  }
  return out;
}

/// Every row's JSON by AppendJson and, for scalars, by WriteJson.
std::vector<std::string> Jsons(const Batch& batch, const ValueFormatter& f = Formatter()) {
  std::vector<std::string> out;
  for (size_t row = 0; row < batch.num_rows(); ++row) {
    std::string json;
    f.AppendJson(batch.column(0), row, json);
    out.push_back(json);
    if (auto written = Written(f, batch.column(0), row, true)) {
      EXPECT_EQ(*written, json) << "WriteJson and AppendJson differ";
    }
  }
  return out;
}

// ---- booleans and integers ----

TEST(ValueFormatTest, BooleansAreTrueAndFalse) {
  Batch batch = OneColumnBatch(T::Boolean(), [](ColumnBuilder& c) {
    c.AppendBoolean(true);
    c.AppendBoolean(false);
    c.AppendNull();
  });

  EXPECT_THAT(Texts(batch), ElementsAre("true", "false", "<null>"));
  EXPECT_THAT(Jsons(batch), ElementsAre("true", "false", "null"));
}

TEST(ValueFormatTest, IntegersAreDecimalAtTheirExtremes) {
  Batch i8 = OneColumnBatch(T::Int8(), [](ColumnBuilder& c) {
    c.AppendInt8(-128);
    c.AppendInt8(127);
    c.AppendInt8(0);
  });
  Batch i16 = OneColumnBatch(T::Int16(), [](ColumnBuilder& c) {
    c.AppendInt16(-32768);
    c.AppendInt16(32767);
  });
  Batch i32 = OneColumnBatch(T::Int32(), [](ColumnBuilder& c) {
    c.AppendInt32(INT32_MIN);
    c.AppendInt32(INT32_MAX);
    c.AppendInt32(-1);
  });
  Batch i64 = OneColumnBatch(T::Int64(), [](ColumnBuilder& c) {
    c.AppendInt64(INT64_MIN);
    c.AppendInt64(INT64_MAX);
  });
  Batch counter = OneColumnBatch(T::Counter(), [](ColumnBuilder& c) { c.AppendInt64(-42); });

  EXPECT_THAT(Texts(i8), ElementsAre("-128", "127", "0"));
  EXPECT_THAT(Texts(i16), ElementsAre("-32768", "32767"));
  EXPECT_THAT(Texts(i32), ElementsAre("-2147483648", "2147483647", "-1"));
  EXPECT_THAT(Texts(i64), ElementsAre("-9223372036854775808", "9223372036854775807"));
  EXPECT_THAT(Jsons(i64), ElementsAre("-9223372036854775808", "9223372036854775807"));
  EXPECT_THAT(Texts(counter), ElementsAre("-42"));
  EXPECT_THAT(Jsons(counter), ElementsAre("-42"));
}

// ---- floats ----

TEST(ValueFormatTest, DoublesAreShortestRoundTripText) {
  std::vector<double> values = {0.1,  -0.0, 1.5, 100.0, 1e21, 1e-7, 123456789.0,
                                5e-324 /* smallest denormal */, DBL_MAX, DBL_MIN,
                                2.2250738585072009e-308 /* largest denormal */};
  Batch batch = OneColumnBatch(T::Float64(), [&](ColumnBuilder& c) {
    for (double v : values) c.AppendFloat64(v);
  });

  std::vector<std::string> texts = Texts(batch);

  EXPECT_THAT(texts, ElementsAre("0.1", "-0", "1.5", "100", "1e+21", "1e-07", "123456789",
                                 "5e-324", "1.7976931348623157e+308", "2.2250738585072014e-308",
                                 "2.225073858507201e-308"));
  for (size_t i = 0; i < values.size(); ++i) {
    double back = std::strtod(texts[i].c_str(), nullptr);
    EXPECT_EQ(std::memcmp(&back, &values[i], sizeof back), 0) << texts[i];
  }
  EXPECT_EQ(Jsons(batch), texts);
}

TEST(ValueFormatTest, FloatsArePrintedAsFloats) {
  Batch batch = OneColumnBatch(T::Float32(), [](ColumnBuilder& c) {
    c.AppendFloat32(0.1f);
    c.AppendFloat32(-0.0f);
    c.AppendFloat32(1e-45f);  // the smallest denormal
    c.AppendFloat32(FLT_MAX);
    c.AppendFloat32(16777216.0f);
  });

  EXPECT_THAT(Texts(batch), ElementsAre("0.1", "-0", "1e-45", "3.4028235e+38", "16777216"));
}

TEST(ValueFormatTest, NonFiniteFloatsAreNamedAndJsonStrings) {
  Batch doubles = OneColumnBatch(T::Float64(), [](ColumnBuilder& c) {
    c.AppendFloat64(std::numeric_limits<double>::quiet_NaN());
    c.AppendFloat64(std::numeric_limits<double>::infinity());
    c.AppendFloat64(-std::numeric_limits<double>::infinity());
  });
  Batch floats = OneColumnBatch(T::Float32(), [](ColumnBuilder& c) {
    c.AppendFloat32(-std::numeric_limits<float>::quiet_NaN());
    c.AppendFloat32(-std::numeric_limits<float>::infinity());
  });

  EXPECT_THAT(Texts(doubles), ElementsAre("NaN", "Infinity", "-Infinity"));
  EXPECT_THAT(Jsons(doubles), ElementsAre("\"NaN\"", "\"Infinity\"", "\"-Infinity\""));
  EXPECT_THAT(Texts(floats), ElementsAre("NaN", "-Infinity"));
  EXPECT_THAT(Jsons(floats), ElementsAre("\"NaN\"", "\"-Infinity\""));
}

// ---- decimal and varint ----

TEST(ValueFormatTest, DecimalColumnTextAndJsonAreTheSameNumber) {
  Batch batch = OneColumnBatch(T::Decimal(), [](ColumnBuilder& c) {
    c.AppendDecimal(TwosComplement(12345), 2);
    c.AppendDecimal(TwosComplement(1), 7);
    c.AppendNull();
  });

  EXPECT_THAT(Texts(batch), ElementsAre("123.45", "1E-7", "<null>"));
  EXPECT_THAT(Jsons(batch), ElementsAre("123.45", "1E-7", "null"));
}

TEST(ValueFormatTest, VarintColumnsAreJsonNumbers) {
  Batch batch = OneColumnBatch(T::BigInteger(), [](ColumnBuilder& c) {
    c.AppendBytes(TwosComplementOfDecimal("-123456789012345678901234567890"));
    c.AppendBytes(BytesOf({0x05}));
  });

  EXPECT_THAT(Texts(batch), ElementsAre("-123456789012345678901234567890", "5"));
  EXPECT_THAT(Jsons(batch), ElementsAre("-123456789012345678901234567890", "5"));
}

// ---- strings and blobs ----

TEST(ValueFormatTest, StringsAreAsIsAndJsonEscaped) {
  Batch batch = OneColumnBatch(T::String(), [](ColumnBuilder& c) {
    c.AppendString("plain");
    c.AppendString("");
    c.AppendString("a \"quoted\", back\\slash");
    c.AppendString("tab\tnew\nline\r\x01\x1f\x7f");
    c.AppendString("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80");  // é € 😀
  });

  EXPECT_THAT(Texts(batch), ElementsAre("plain", "", "a \"quoted\", back\\slash",
                                        "tab\tnew\nline\r\x01\x1f\x7f",
                                        "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_THAT(Jsons(batch),
              ElementsAre("\"plain\"", "\"\"", "\"a \\\"quoted\\\", back\\\\slash\"",
                          "\"tab\\tnew\\nline\\r\\u0001\\u001f\x7f\"",
                          "\"h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80\""));
}

TEST(ValueFormatTest, BinaryIsBase64WithPaddingByDefault) {
  Batch batch = OneColumnBatch(T::Binary(), [](ColumnBuilder& c) {
    for (std::string_view s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
      c.AppendString(s);
    }
    c.AppendBytes(BytesOf({0xfb, 0xff, 0xbf}));
  });

  EXPECT_THAT(Texts(batch),
              ElementsAre("", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy", "+/+/"));
  EXPECT_THAT(Jsons(batch)[0], "\"\"");
  EXPECT_THAT(Jsons(batch)[1], "\"Zg==\"");
}

TEST(ValueFormatTest, BinaryWhoseBase64LooksLikeHexIsWrittenInHex) {
  // Readers take "0x" and hex digits as hex: d3 10 01 is "0xAB" in base64.
  Batch batch = OneColumnBatch(T::Binary(), [](ColumnBuilder& c) {
    c.AppendBytes(BytesOf({0xd3, 0x10, 0x01}));
    c.AppendBytes(BytesOf({0xd3, 0x10, 0x01, 0xd3, 0x10, 0x01}));  // "0xAB0xAB": not hex
    c.AppendBytes(BytesOf({0xd3, 0x10, 0x1f}));                    // "0xAf"
    c.AppendBytes(BytesOf({0xd3, 0x10}));                          // "0xA=": padded, not hex
  });

  EXPECT_THAT(Texts(batch), ElementsAre("0xd31001", "0xAB0xAB", "0xd3101f", "0xA="));
  EXPECT_THAT(Jsons(batch)[0], "\"0xd31001\"");
}

TEST(ValueFormatTest, BinaryIsHexWhenAsked) {
  Batch batch = OneColumnBatch(T::Binary(), [](ColumnBuilder& c) {
    c.AppendString("");
    c.AppendBytes(BytesOf({0x00, 0xff, 0x1a}));
  });
  TextOptions options;
  options.binary = BinaryEncoding::kHex;
  ValueFormatter hex = Formatter(options);

  EXPECT_THAT(Texts(batch, hex), ElementsAre("0x", "0x00ff1a"));
  EXPECT_THAT(Jsons(batch, hex), ElementsAre("\"0x\"", "\"0x00ff1a\""));
}

TEST(ValueFormatTest, UuidsAreLowercase8_4_4_4_12) {
  Batch batch = OneColumnBatch(T::Uuid(), [](ColumnBuilder& c) {
    const uint8_t bytes[16] = {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0x4d, 0xef,
                               0x80, 0x01, 0x02, 0x03, 0x04, 0x05, 0xAB, 0xFF};
    c.AppendUuid(bytes);
    const uint8_t zero[16] = {};
    c.AppendUuid(zero);
  });

  EXPECT_THAT(Texts(batch), ElementsAre("12345678-9abc-4def-8001-02030405abff",
                                        "00000000-0000-0000-0000-000000000000"));
  EXPECT_THAT(Jsons(batch)[0], "\"12345678-9abc-4def-8001-02030405abff\"");
}

// ---- dates, times, timestamps, durations ----

TEST(ValueFormatTest, DatesAreIsoWithExpandedYears) {
  auto days = [](int64_t y, unsigned m, unsigned d) {
    return static_cast<int32_t>(DaysFromCivil({y, m, d}));
  };
  Batch batch = OneColumnBatch(T::Date(), [&](ColumnBuilder& c) {
    c.AppendDate(0);
    c.AppendDate(-1);
    c.AppendDate(days(2024, 2, 29));
    c.AppendDate(days(9999, 12, 31));
    c.AppendDate(days(10000, 1, 1));
    c.AppendDate(days(0, 1, 1));
    c.AppendDate(days(-1, 12, 31));
    c.AppendDate(days(-999, 3, 4));
    c.AppendDate(INT32_MIN);  // CQL date 0 (2^31 days before the epoch)
    c.AppendDate(INT32_MAX);  // CQL date 2^32-1
  });

  EXPECT_THAT(Texts(batch),
              ElementsAre("1970-01-01", "1969-12-31", "2024-02-29", "9999-12-31", "+10000-01-01",
                          "0000-01-01", "-0001-12-31", "-0999-03-04", "-5877641-06-23",
                          "+5881580-07-11"));
  EXPECT_EQ(Jsons(batch)[4], "\"+10000-01-01\"");
}

TEST(ValueFormatTest, TimesHaveTheShortestExactFraction) {
  constexpr int64_t kSecond = 1'000'000'000;
  Batch batch = OneColumnBatch(T::Time(), [](ColumnBuilder& c) {
    c.AppendTime(0);
    c.AppendTime((12 * 3600 + 34 * 60 + 56) * kSecond + 120'000'000);
    c.AppendTime(1'000'000);
    c.AppendTime(1000);
    c.AppendTime(1500);
    c.AppendTime(1);
    c.AppendTime(kNanosPerDay - 1);
    c.AppendTime(5 * kSecond + 123'456'000);
  });

  EXPECT_THAT(Texts(batch),
              ElementsAre("00:00:00", "12:34:56.120", "00:00:00.001", "00:00:00.000001",
                          "00:00:00.000001500", "00:00:00.000000001", "23:59:59.999999999",
                          "00:00:05.123456"));
  EXPECT_EQ(Jsons(batch)[1], "\"12:34:56.120\"");
}

std::string TimestampText(int64_t millis, TextOptions options = {}) {
  std::string out;
  Formatter(options).AppendTimestamp(millis, out);
  return out;
}

TEST(ValueFormatTest, TimestampsAreJavaInstantText) {
  EXPECT_EQ(TimestampText(1614834367089), "2021-03-04T05:06:07.089Z");
  EXPECT_EQ(TimestampText(1614834367000), "2021-03-04T05:06:07Z");
  EXPECT_EQ(TimestampText(1614834367100), "2021-03-04T05:06:07.100Z");
  EXPECT_EQ(TimestampText(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(TimestampText(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(TimestampText(253402300799999), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(TimestampText(253402300800000), "+10000-01-01T00:00:00Z");
  EXPECT_EQ(TimestampText(-62167219200000), "0000-01-01T00:00:00Z");
  EXPECT_EQ(TimestampText(-62167219200001), "-0001-12-31T23:59:59.999Z");
  EXPECT_EQ(TimestampText(INT64_MAX), "+292278994-08-17T07:12:55.807Z");
  EXPECT_EQ(TimestampText(INT64_MIN), "-292275055-05-16T16:47:04.192Z");
}

TEST(ValueFormatTest, TimestampsInAFixedOffsetZone) {
  TextOptions paris = WithZone("+02:00");
  TextOptions india = WithZone("-05:30");

  EXPECT_EQ(TimestampText(1614834367089, paris), "2021-03-04T07:06:07.089+02:00");
  EXPECT_EQ(TimestampText(1614834367000, india), "2021-03-03T23:36:07-05:30");
  EXPECT_EQ(TimestampText(1614834367089, WithZone("Z")),
            "2021-03-04T05:06:07.089Z");
  EXPECT_EQ(TimestampText(1614834367089, WithZone("+00:00")),
            "2021-03-04T05:06:07.089Z");
  EXPECT_EQ(TimestampText(INT64_MAX, paris), "+292278994-08-17T09:12:55.807+02:00");
  EXPECT_EQ(TimestampText(INT64_MIN, india), "-292275055-05-16T11:17:04.192-05:30");
}

TEST(ValueFormatTest, TimestampsWithAPattern) {
  TextOptions options = WithFormat("%Y-%m-%d %H:%M:%S.%f %z|%Ez|%%");

  EXPECT_EQ(TimestampText(1614834367089, options), "2021-03-04 05:06:07.089 +0000|Z|%");
  options.time_zone = "-05:30";
  EXPECT_EQ(TimestampText(1614834367009, options), "2021-03-03 23:36:07.009 -0530|-05:30|%");
  EXPECT_EQ(TimestampText(253402300800000, WithFormat("%Y/%d")),
            "+10000/01");
  std::string long_pattern;
  for (int i = 0; i < 40; ++i) long_pattern += "%Y-%m-%dT%H:%M:%S.%f%Ez ";
  EXPECT_EQ(TimestampText(0, WithFormat(long_pattern)).size(),
            40u * 25u);
}

TEST(ValueFormatTest, PatternedTimestampsAreEscapedInJson) {
  Batch batch = OneColumnBatch(T::Timestamp(), [](ColumnBuilder& c) { c.AppendTimestamp(0); });
  ValueFormatter quoted = Formatter(WithFormat("\"%Y\"\\%m"));

  EXPECT_THAT(Texts(batch, quoted), ElementsAre("\"1970\"\\01"));
  EXPECT_THAT(Jsons(batch, quoted), ElementsAre("\"\\\"1970\\\"\\\\01\""));
  EXPECT_THAT(Jsons(batch), ElementsAre("\"1970-01-01T00:00:00Z\""));
}

TEST(ValueFormatTest, MakeRejectsUnknownDirectivesAndZones) {
  EXPECT_THAT(ValueFormatter::Make(WithFormat("%Y-%q")),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ValueFormatter::Make(WithFormat("%Y-%q")),
              HasMessage("'%q'"));
  EXPECT_THAT(ValueFormatter::Make(WithFormat("%Y-%q")),
              HasMessage("timestamp_format"));
  EXPECT_THAT(ValueFormatter::Make(WithFormat("%Y%")),
              HasMessage("timestamp_format"));
  EXPECT_THAT(ValueFormatter::Make(WithFormat("%E")),
              HasMessage("'%E'"));
  EXPECT_THAT(ValueFormatter::Make(WithFormat("")),
              HasMessage("timestamp_format"));
  for (const char* zone : {"Europe/Paris", "+2:00", "+02", "+0200", "+19:00", "+18:01",
                           "-02:60", "utc", ""}) {
    EXPECT_THAT(ValueFormatter::Make(WithZone(zone)), HasMessage("time_zone"))
        << zone;
  }
  EXPECT_TRUE(ValueFormatter::Make(WithZone("-18:00")).has_value());
}

TEST(ValueFormatTest, DurationColumnsAreJsonStrings) {
  Batch batch = OneColumnBatch(T::Duration(), [](ColumnBuilder& c) {
    c.AppendDuration(0, 1, 0);
    c.AppendNull();
  });

  EXPECT_THAT(Texts(batch), ElementsAre("1d", "<null>"));
  EXPECT_THAT(Jsons(batch), ElementsAre("\"1d\"", "null"));
}

// ---- inet ----

TEST(ValueFormatTest, InetColumnsAreJsonStrings) {
  Batch batch = OneColumnBatch(T::Inet(), [](ColumnBuilder& c) {
    c.AppendBytes(BytesOf({10, 0, 0, 1}));
    c.AppendBytes(BytesOf({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
  });

  EXPECT_THAT(Texts(batch), ElementsAre("10.0.0.1", "::1"));
  EXPECT_THAT(Jsons(batch), ElementsAre("\"10.0.0.1\"", "\"::1\""));
}

// ---- nested values ----

TEST(ValueFormatTest, ListsAreJsonArraysWithNulls) {
  Batch batch = OneColumnBatch(T::List(T::Int32()), [](ColumnBuilder& c) {
    c.BeginList();
    c.child().AppendInt32(1);
    c.child().AppendNull();
    c.child().AppendInt32(-3);
    c.EndList();
    c.BeginList();
    c.EndList();
    c.AppendNull();
  });

  EXPECT_THAT(Texts(batch), ElementsAre("[1,null,-3]", "[]", "<null>"));
  EXPECT_THAT(Jsons(batch), ElementsAre("[1,null,-3]", "[]", "null"));
}

TEST(ValueFormatTest, SetsOfTextAndOfDoublesAreJsonValues) {
  Batch texts = OneColumnBatch(T::Set(T::String()), [](ColumnBuilder& c) {
    c.BeginList();
    c.child().AppendString("a");
    c.child().AppendString("b\"c,d");
    c.EndList();
  });
  Batch doubles = OneColumnBatch(T::Set(T::Float64()), [](ColumnBuilder& c) {
    c.BeginList();
    c.child().AppendFloat64(-std::numeric_limits<double>::infinity());
    c.child().AppendFloat64(1.5);
    c.child().AppendFloat64(std::numeric_limits<double>::quiet_NaN());
    c.EndList();
  });

  EXPECT_THAT(Texts(texts), ElementsAre("[\"a\",\"b\\\"c,d\"]"));
  EXPECT_THAT(Texts(doubles), ElementsAre("[\"-Infinity\",1.5,\"NaN\"]"));
}

TEST(ValueFormatTest, ListsOfScalarsUseTheirJsonForms) {
  Batch batch = OneColumnBatch(T::List(T::Decimal()), [](ColumnBuilder& c) {
    c.BeginList();
    c.child().AppendDecimal(TwosComplement(15), 1);
    c.child().AppendDecimal(TwosComplement(1), 7);
    c.EndList();
  });
  Batch times = OneColumnBatch(T::List(T::Timestamp()), [](ColumnBuilder& c) {
    c.BeginList();
    c.child().AppendTimestamp(1614834367089);
    c.EndList();
  });
  Batch blobs = OneColumnBatch(T::List(T::Binary()), [](ColumnBuilder& c) {
    c.BeginList();
    c.child().AppendString("f");
    c.EndList();
  });

  EXPECT_THAT(Texts(batch), ElementsAre("[1.5,1E-7]"));
  EXPECT_THAT(Texts(times), ElementsAre("[\"2021-03-04T05:06:07.089Z\"]"));
  EXPECT_THAT(Texts(blobs), ElementsAre("[\"Zg==\"]"));
}

TEST(ValueFormatTest, MapOfTextToFrozenListOfInt) {
  Batch batch = OneColumnBatch(T::Map(T::String(), T::List(T::Int32())), [](ColumnBuilder& c) {
    c.BeginList();
    c.map_keys().AppendString("a");
    c.map_values().BeginList();
    c.map_values().child().AppendInt32(1);
    c.map_values().child().AppendInt32(2);
    c.map_values().EndList();
    c.map_keys().AppendString("b\"");
    c.map_values().BeginList();
    c.map_values().EndList();
    c.map_keys().AppendString("c");
    c.map_values().AppendNull();
    c.EndList();
    c.BeginList();
    c.EndList();
  });

  EXPECT_THAT(Texts(batch), ElementsAre("{\"a\":[1,2],\"b\\\"\":[],\"c\":null}", "{}"));
  EXPECT_THAT(Jsons(batch), ElementsAre("{\"a\":[1,2],\"b\\\"\":[],\"c\":null}", "{}"));
}

TEST(ValueFormatTest, MapKeysAreTheirTextAsJsonStrings) {
  Batch ints = OneColumnBatch(T::Map(T::Int32(), T::String()), [](ColumnBuilder& c) {
    c.BeginList();
    c.map_keys().AppendInt32(-1);
    c.map_values().AppendString("x");
    c.EndList();
  });
  Batch stamps = OneColumnBatch(T::Map(T::Timestamp(), T::Boolean()), [](ColumnBuilder& c) {
    c.BeginList();
    c.map_keys().AppendTimestamp(0);
    c.map_values().AppendBoolean(true);
    c.EndList();
  });
  Batch lists = OneColumnBatch(T::Map(T::List(T::String()), T::Int32()), [](ColumnBuilder& c) {
    c.BeginList();
    c.map_keys().BeginList();
    c.map_keys().child().AppendString("a\\");
    c.map_keys().EndList();
    c.map_values().AppendInt32(1);
    c.EndList();
  });
  Batch doubles = OneColumnBatch(T::Map(T::Float64(), T::Int32()), [](ColumnBuilder& c) {
    c.BeginList();
    c.map_keys().AppendFloat64(std::numeric_limits<double>::quiet_NaN());
    c.map_values().AppendInt32(1);
    c.map_keys().AppendFloat64(0.5);
    c.map_values().AppendInt32(2);
    c.EndList();
  });

  EXPECT_THAT(Texts(ints), ElementsAre("{\"-1\":\"x\"}"));
  EXPECT_THAT(Texts(stamps), ElementsAre("{\"1970-01-01T00:00:00Z\":true}"));
  EXPECT_THAT(Texts(lists), ElementsAre("{\"[\\\"a\\\\\\\\\\\"]\":1}"));
  EXPECT_THAT(Texts(doubles), ElementsAre("{\"NaN\":1,\"0.5\":2}"));
}

data::LogicalTypePtr PointType() {
  return T::Struct({data::Field{.name = "x", .type = T::Int32()},
                    data::Field{.name = "label", .type = T::String()}},
                   "point");
}

TEST(ValueFormatTest, UdtsAreObjectsWithNullFields) {
  Batch batch = OneColumnBatch(PointType(), [](ColumnBuilder& c) {
    c.child(0).AppendInt32(1);
    c.child(1).AppendNull();
    c.AppendStructValid();
    c.child(0).AppendInt32(2);
    c.child(1).AppendString("two");
    c.AppendStructValid();
    c.AppendNull();
  });

  EXPECT_THAT(Texts(batch),
              ElementsAre("{\"x\":1,\"label\":null}", "{\"x\":2,\"label\":\"two\"}", "<null>"));
  EXPECT_THAT(Jsons(batch)[2], "null");
}

TEST(ValueFormatTest, TuplesAreArrays) {
  Batch batch = OneColumnBatch(T::Tuple({T::Int32(), T::String(), T::Uuid()}),
                               [](ColumnBuilder& c) {
                                 c.child(0).AppendInt32(1);
                                 c.child(1).AppendString("x");
                                 c.child(2).AppendNull();
                                 c.AppendStructValid();
                               });

  EXPECT_THAT(Texts(batch), ElementsAre("[1,\"x\",null]"));
  EXPECT_THAT(Jsons(batch), ElementsAre("[1,\"x\",null]"));
}

TEST(ValueFormatTest, VectorsAreArrays) {
  Batch batch = OneColumnBatch(T::Vector(T::Float32(), 3), [](ColumnBuilder& c) {
    c.BeginList();
    c.child().AppendFloat32(1.0f);
    c.child().AppendFloat32(2.5f);
    c.child().AppendFloat32(-0.0f);
    c.EndList();
    c.BeginList();
    c.child().AppendFloat32(0.1f);
    c.child().AppendFloat32(0.2f);
    c.child().AppendFloat32(0.3f);
    c.EndList();
  });

  EXPECT_THAT(Texts(batch), ElementsAre("[1,2.5,-0]", "[0.1,0.2,0.3]"));
}

TEST(ValueFormatTest, ListOfUdtsInAMap) {
  // map<text, frozen<list<frozen<point>>>>
  Batch batch = OneColumnBatch(T::Map(T::String(), T::List(PointType())), [](ColumnBuilder& c) {
    c.BeginList();
    c.map_keys().AppendString("k");
    ColumnBuilder& list = c.map_values();
    list.BeginList();
    list.child().child(0).AppendInt32(7);
    list.child().child(1).AppendString("seven");
    list.child().AppendStructValid();
    list.child().AppendNull();
    list.EndList();
    c.EndList();
  });

  EXPECT_THAT(Texts(batch), ElementsAre("{\"k\":[{\"x\":7,\"label\":\"seven\"},null]}"));
}

}  // namespace
}  // namespace cqlbulk::formats
