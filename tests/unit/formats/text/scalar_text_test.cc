// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/text/scalar_text.h"

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "cqlbulk/core/time.h"
#include "cqlbulk/formats/text/digits_internal.h"
#include "writer_test_util.h"

namespace cqlbulk::formats {
namespace {

using testing::BytesOf;
using testing::TwosComplement;
using testing::TwosComplementOfDecimal;

std::string Json(std::string_view text) {
  std::string out;
  AppendJsonString(text, out);
  return out;
}

std::string DecimalText(int64_t unscaled, int32_t scale) {
  std::string out;
  AppendDecimalText(TwosComplement(unscaled), scale, out);
  return out;
}

TEST(ScalarTextTest, DecimalsArePlainLikeJavaBigDecimal) {
  EXPECT_EQ(DecimalText(12345, 2), "123.45");
  EXPECT_EQ(DecimalText(1, 6), "0.000001");
  EXPECT_EQ(DecimalText(-150, 2), "-1.50");
  EXPECT_EQ(DecimalText(0, 0), "0");
  EXPECT_EQ(DecimalText(0, 2), "0.00");
  EXPECT_EQ(DecimalText(5, 0), "5");
  EXPECT_EQ(DecimalText(-5, 1), "-0.5");
  EXPECT_EQ(DecimalText(12345, 10), "0.0000012345");  // adjusted exponent -6: still plain
  EXPECT_EQ(DecimalText(12345, 5), "0.12345");
  EXPECT_EQ(DecimalText(INT64_MIN, 3), "-9223372036854775.808");
}

TEST(ScalarTextTest, SmallDecimalsWriteWhatTheGeneralPathWrites) {
  // Unscaled values of up to 8 bytes take a path of their own; the same value sign-extended to
  // 9 bytes or more takes the general one: both must give the same text, for every scale.
  std::mt19937_64 rng(42);
  const int32_t scales[] = {0, 1, 2, 3, 5, 6, 7, 9, 17, 18, 19, 25, -1, -3, INT32_MAX, INT32_MIN};
  for (int i = 0; i < 300000; ++i) {
    const size_t size = 1 + rng() % 8;
    Bytes unscaled(size);
    for (auto& b : unscaled) b = static_cast<uint8_t>(rng());
    if (i % 7 == 0) {  // small magnitudes: zeros, ones, few digits
      std::fill(unscaled.begin(), unscaled.end(), (unscaled[0] & 0x80) ? 0xff : 0);
      unscaled.back() = static_cast<uint8_t>(rng() % 256);
    }
    if (i % 11 == 0) {  // powers of ten and their neighbours around the scale
      uint64_t v = 1;
      for (int k = static_cast<int>(rng() % 19); k > 0; --k) v *= 10;
      v += static_cast<uint64_t>(static_cast<int>(rng() % 3) - 1);
      if (rng() % 2 == 0) v = 0 - v;
      unscaled.assign(8, 0);
      for (int k = 0; k < 8; ++k) unscaled[7 - k] = static_cast<uint8_t>(v >> (8 * k));
    }
    // A third over -10..29, a third over the fast path's scales 1..18, a third the list.
    const int32_t scale = i % 3 == 0   ? static_cast<int32_t>(rng() % 40) - 10
                          : i % 3 == 1 ? static_cast<int32_t>(1 + rng() % 18)
                                       : scales[rng() % (sizeof(scales) / sizeof(scales[0]))];
    Bytes extended(1 + rng() % 4, (unscaled[0] & 0x80) ? 0xff : 0);
    extended.insert(extended.end(), unscaled.begin(), unscaled.end());
    std::string fast;
    std::string general;
    AppendDecimalText(unscaled, scale, fast);
    AppendDecimalText(extended, scale, general);
    ASSERT_EQ(fast, general) << "scale " << scale;
  }
  EXPECT_EQ(DecimalText(100, 2), "1.00");
  EXPECT_EQ(DecimalText(-1000000000000000000, 18), "-1.000000000000000000");
  EXPECT_EQ(DecimalText(INT64_MIN, 18), "-9.223372036854775808");
  EXPECT_EQ(DecimalText(INT64_MAX, 1), "922337203685477580.7");
}

TEST(ScalarTextTest, DecimalsAreScientificLikeJavaBigDecimal) {
  EXPECT_EQ(DecimalText(123, -3), "1.23E+5");
  EXPECT_EQ(DecimalText(1, 7), "1E-7");
  EXPECT_EQ(DecimalText(-15, -2), "-1.5E+3");
  EXPECT_EQ(DecimalText(12345, 11), "1.2345E-7");
  EXPECT_EQ(DecimalText(0, -2), "0E+2");
  EXPECT_EQ(DecimalText(0, 8), "0E-8");
  EXPECT_EQ(DecimalText(7, -1), "7E+1");
  EXPECT_EQ(DecimalText(1, INT32_MAX), "1E-2147483647");
  EXPECT_EQ(DecimalText(-1, INT32_MIN), "-1E+2147483648");
}

TEST(ScalarTextTest, DecimalsWithHugeUnscaledValues) {
  std::string out;
  AppendDecimalText(TwosComplementOfDecimal("-123456789012345678901234567890"), 5, out);
  EXPECT_EQ(out, "-1234567890123456789012345.67890");
  out.clear();
  AppendDecimalText(TwosComplementOfDecimal("123456789012345678901234567890"), -5, out);
  EXPECT_EQ(out, "1.23456789012345678901234567890E+34");
}

std::string VarintText(const Bytes& bytes) {
  std::string out;
  AppendBigIntegerText(bytes, out);
  return out;
}

TEST(ScalarTextTest, VarintsOfUpToEightBytes) {
  EXPECT_EQ(VarintText({}), "0");
  EXPECT_EQ(VarintText(BytesOf({0})), "0");
  EXPECT_EQ(VarintText(BytesOf({0xff})), "-1");
  EXPECT_EQ(VarintText(BytesOf({0x7f})), "127");
  EXPECT_EQ(VarintText(BytesOf({0x80})), "-128");
  EXPECT_EQ(VarintText(BytesOf({0x00, 0x80})), "128");
  EXPECT_EQ(VarintText(BytesOf({0xff, 0xff, 0xff})), "-1");  // not minimal
  EXPECT_EQ(VarintText(TwosComplement(INT64_MIN)), "-9223372036854775808");
  EXPECT_EQ(VarintText(TwosComplement(INT64_MAX)), "9223372036854775807");
}

TEST(ScalarTextTest, VarintsOfMoreThanEightBytes) {
  EXPECT_EQ(VarintText(BytesOf({0x00, 0x80, 0, 0, 0, 0, 0, 0, 0})), "9223372036854775808");
  EXPECT_EQ(VarintText(BytesOf({0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})),
            "-9223372036854775809");
  EXPECT_EQ(VarintText(BytesOf({0x01, 0, 0, 0, 0, 0, 0, 0, 0})), "18446744073709551616");
  EXPECT_EQ(VarintText(BytesOf({0xff, 0, 0, 0, 0, 0, 0, 0, 0})), "-18446744073709551616");
  EXPECT_EQ(VarintText(BytesOf({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe})),
            "-2");
  EXPECT_EQ(VarintText(BytesOf({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})), "0");
  // 10^100, from Python's int.to_bytes.
  Bytes googol;
  const std::string hex =
      "1249ad2594c37ceb0b2784c4ce0bf38ace408e211a7caab24308a82e8f10000000000000000000000000";
  for (size_t i = 0; i < hex.size(); i += 2) {
    googol.push_back(static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  EXPECT_EQ(VarintText(googol), "1" + std::string(100, '0'));
}

TEST(ScalarTextTest, HugeVarintsMatchAnIndependentConversion) {
  std::mt19937 random(7);
  for (size_t digits : {1, 9, 10, 18, 19, 20, 27, 28, 100, 617, 618, 700, 2000, 5000}) {
    for (bool negative : {false, true}) {
      std::string text = negative ? "-" : "";
      text += static_cast<char>('1' + random() % 9);
      for (size_t i = 1; i < digits; ++i) text += static_cast<char>('0' + random() % 10);
      EXPECT_EQ(VarintText(TwosComplementOfDecimal(text)), text);
    }
  }
  // Powers of ten around the limb and chunk edges, and runs of zero chunks.
  for (int zeros = 1; zeros < 60; ++zeros) {
    std::string text = "1" + std::string(static_cast<size_t>(zeros), '0');
    EXPECT_EQ(VarintText(TwosComplementOfDecimal(text)), text);
    EXPECT_EQ(VarintText(TwosComplementOfDecimal("-" + text)), "-" + text);
  }
}

TEST(ScalarTextTest, JsonStringsEscapeEveryControlCharacter) {
  std::string all;
  for (int c = 0; c < 0x20; ++c) all += static_cast<char>(c);

  std::string json = Json(all);

  EXPECT_EQ(json,
            "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r"
            "\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018"
            "\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\"");
}

/// A byte-at-a-time JSON escaper for ASCII and single invalid bytes (the reference).
std::string ReferenceJson(std::string_view text) {
  std::string out = "\"";
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c == '\n' || c == '\t') {
      out += c == '\n' ? "\\n" : "\\t";
    } else if (c < 0x20) {
      out += "\\u00";
      out += "0123456789abcdef"[c >> 4];
      out += "0123456789abcdef"[c & 15];
    } else if (c >= 0x80) {
      out += "\\ufffd";
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

TEST(ScalarTextTest, JsonStringsEscapeAtEveryPosition) {
  // Long runs take the 8-bytes-at-a-time path: put each special byte at each position.
  for (char special : {'"', '\\', '\n', '\t', '\x01', '\x1f', '\xff', '\x80', '\x7f', ' '}) {
    for (size_t length = 1; length <= 40; ++length) {
      for (size_t at = 0; at < length; ++at) {
        std::string text(length, 'a');
        text[at] = special;
        ASSERT_EQ(Json(text), ReferenceJson(text)) << length << " " << at;
      }
    }
  }
  std::string long_utf8;
  for (int i = 0; i < 30; ++i) long_utf8 += "\xc3\xa9x";
  EXPECT_EQ(Json(long_utf8), "\"" + long_utf8 + "\"");
}

TEST(ScalarTextTest, JsonStringsReplaceInvalidUtf8) {
  EXPECT_EQ(Json("a\xff" "b"), "\"a\\ufffdb\"");
  EXPECT_EQ(Json("\xc0\x80"), "\"\\ufffd\\ufffd\"");          // overlong NUL
  EXPECT_EQ(Json("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");  // a surrogate
  EXPECT_EQ(Json("\xe2\x82"), "\"\\ufffd\\ufffd\"");          // truncated at the end
  EXPECT_EQ(Json("\xf4\x90\x80\x80"), "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");  // past U+10FFFF
  EXPECT_EQ(Json("\xe2\x80\xa8"), "\"\xe2\x80\xa8\"");  // U+2028 is valid JSON as is
  EXPECT_EQ(Json("\xf4\x8f\xbf\xbf"), "\"\xf4\x8f\xbf\xbf\"");  // U+10FFFF
}

TEST(ScalarTextTest, FastCivilFromDaysMatchesCore) {
  auto same = [](int64_t days) {
    CivilDate fast = internal::FastCivilFromDays(days);
    CivilDate core = CivilFromDays(days);
    return fast == core;
  };
  for (int64_t days = -1'000'000; days <= 3'000'000; ++days) {
    ASSERT_TRUE(same(days)) << days;
  }
  for (int64_t days = -700'000'000; days <= 700'000'000; days += 9973) {
    ASSERT_TRUE(same(days)) << days;
  }
  for (int64_t days : {int64_t{INT32_MIN}, int64_t{INT32_MAX}, int64_t{-536'895'458},
                       int64_t{-536'895'459}, int64_t{535'999'999}, int64_t{536'000'000},
                       int64_t{106'751'991'167}, int64_t{-106'751'991'168}}) {
    EXPECT_TRUE(same(days)) << days;
  }
}

std::string DurationText(int32_t months, int32_t days, int64_t nanos) {
  std::string out;
  AppendDurationText({months, days, nanos}, out);
  return out;
}

TEST(ScalarTextTest, DurationsAreCassandraText) {
  constexpr int64_t kHour = 3'600'000'000'000;
  EXPECT_EQ(DurationText(14, 3, 4 * kHour + 5 * 60'000'000'000 + 6'007'008'009),
            "1y2mo3d4h5m6s7ms8us9ns");
  EXPECT_EQ(DurationText(0, -3, 0), "-3d");
  EXPECT_EQ(DurationText(0, 0, 0), "0s");
  EXPECT_EQ(DurationText(12, 0, 0), "1y");
  EXPECT_EQ(DurationText(1, 0, 0), "1mo");
  EXPECT_EQ(DurationText(0, 14, 0), "14d");
  EXPECT_EQ(DurationText(0, 0, 1), "1ns");
  EXPECT_EQ(DurationText(0, 0, 60'000'000'000), "1m");
  EXPECT_EQ(DurationText(-1, -2, -3000), "-1mo2d3us");
  EXPECT_EQ(DurationText(INT32_MIN, INT32_MIN, INT64_MIN),
            "-178956970y8mo2147483648d2562047h47m16s854ms775us808ns");
  EXPECT_EQ(DurationText(INT32_MAX, INT32_MAX, INT64_MAX),
            "178956970y7mo2147483647d2562047h47m16s854ms775us807ns");
}

std::string Ipv6(std::initializer_list<unsigned> groups) {
  Bytes bytes;
  for (unsigned g : groups) {
    bytes.push_back(static_cast<uint8_t>(g >> 8));
    bytes.push_back(static_cast<uint8_t>(g));
  }
  std::string out;
  AppendInetText(bytes, out);
  return out;
}

TEST(ScalarTextTest, Ipv4IsDotted) {
  std::string out;
  AppendInetText(BytesOf({192, 168, 0, 1}), out);
  EXPECT_EQ(out, "192.168.0.1");
  out.clear();
  AppendInetText(BytesOf({0, 0, 0, 0}), out);
  EXPECT_EQ(out, "0.0.0.0");
  out.clear();
  AppendInetText(BytesOf({255, 255, 255, 255}), out);
  EXPECT_EQ(out, "255.255.255.255");
}

TEST(ScalarTextTest, Ipv6IsRfc5952Canonical) {
  EXPECT_EQ(Ipv6({0, 0, 0, 0, 0, 0, 0, 0}), "::");
  EXPECT_EQ(Ipv6({0, 0, 0, 0, 0, 0, 0, 1}), "::1");
  EXPECT_EQ(Ipv6({1, 0, 0, 0, 0, 0, 0, 0}), "1::");
  EXPECT_EQ(Ipv6({0x2001, 0xdb8, 0, 0, 0, 0, 0, 1}), "2001:db8::1");
  EXPECT_EQ(Ipv6({0x2001, 0xdb8, 0, 1, 1, 1, 1, 1}), "2001:db8:0:1:1:1:1:1");  // one 0 stays
  EXPECT_EQ(Ipv6({0x2001, 0, 0, 1, 0, 0, 0, 1}), "2001:0:0:1::1");              // the longest
  EXPECT_EQ(Ipv6({0x2001, 0xdb8, 0, 0, 1, 0, 0, 1}), "2001:db8::1:0:0:1");      // first on ties
  EXPECT_EQ(Ipv6({0xFE80, 0, 0, 0, 0x0202, 0xB3FF, 0xFE1E, 0x8329}), "fe80::202:b3ff:fe1e:8329");
  EXPECT_EQ(Ipv6({0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304}), "::ffff:1.2.3.4");
  EXPECT_EQ(Ipv6({0, 0, 0, 0, 0, 0, 0x0102, 0x0304}), "::102:304");  // IPv4-compatible: hex
  EXPECT_EQ(Ipv6({1, 2, 3, 4, 5, 6, 7, 0}), "1:2:3:4:5:6:7:0");
  EXPECT_EQ(Ipv6({0, 2, 3, 4, 5, 6, 7, 8}), "0:2:3:4:5:6:7:8");
  EXPECT_EQ(Ipv6({1, 0, 0, 2, 0, 0, 0, 0}), "1:0:0:2::");
  EXPECT_EQ(Ipv6({0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff}),
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
}

}  // namespace
}  // namespace cqlbulk::formats
