// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cql/types/duration.h"

#include "cqlbulk/cql/types/vint.h"
#include "testing/matchers.h"

namespace cqlbulk::cql {
namespace {

using ::cqlbulk::testing::HasMessage;
using ::cqlbulk::testing::IsError;

constexpr int64_t kHour = 3'600'000'000'000LL;

Duration D(int32_t months, int32_t days, int64_t nanos) { return Duration{months, days, nanos}; }

std::string EncodedHex(const Duration& d) {
  ByteWriter w;
  d.Encode(w);
  return ToHex(w.view());
}

TEST(DurationTest, ParsesAllThreeFormats) {
  EXPECT_EQ(*Duration::Parse("1y2mo3w4d5h6m7s8ms9us10ns"),
            D(14, 25, 5 * kHour + 6 * 60'000'000'000LL + 7'008'009'010LL));
  EXPECT_EQ(*Duration::Parse("1Y2MO3D"), D(14, 3, 0));
  EXPECT_EQ(*Duration::Parse("12h30m"), D(0, 0, 12 * kHour + 30 * 60'000'000'000LL));
  EXPECT_EQ(*Duration::Parse("1\xC2\xB5s"), D(0, 0, 1000));  // µs
  EXPECT_EQ(*Duration::Parse("-1d"), D(0, -1, 0));
  EXPECT_EQ(*Duration::Parse("P1Y2M3DT4H5M6S"), D(14, 3, 4 * kHour + 306'000'000'000LL));
  EXPECT_EQ(*Duration::Parse("PT1M"), D(0, 0, 60'000'000'000LL));
  EXPECT_EQ(*Duration::Parse("P1M"), D(1, 0, 0));
  EXPECT_EQ(*Duration::Parse("P2W"), D(0, 14, 0));
  EXPECT_EQ(*Duration::Parse("PT0S"), D(0, 0, 0));
  EXPECT_EQ(*Duration::Parse("-P1Y"), D(-12, 0, 0));
  EXPECT_EQ(*Duration::Parse("P0001-02-03T04:05:06"), D(14, 3, 4 * kHour + 306'000'000'000LL));
  EXPECT_EQ(*Duration::Parse("3d24h"), D(0, 3, 24 * kHour));  // not normalised
}

TEST(DurationTest, AppliesCassandrasLimits) {
  EXPECT_EQ(*Duration::Parse("2147483647mo"), D(INT32_MAX, 0, 0));
  EXPECT_EQ(*Duration::Parse("9223372036854775807ns"), D(0, 0, INT64_MAX));
  EXPECT_EQ(*Duration::Parse("-2147483647d"), D(0, -INT32_MAX, 0));

  EXPECT_THAT(Duration::Parse("-2147483648d"), HasMessage("days must be less or equal"));
  EXPECT_THAT(Duration::Parse("178956971y"), HasMessage("months must be less or equal"));
  EXPECT_THAT(Duration::Parse("2562048h"), HasMessage("nanoseconds must be less or equal"));
  EXPECT_THAT(Duration::Parse("9223372036854775808ns"), IsError(ErrorCode::kInvalidArgument));
}

TEST(DurationTest, RejectsBadSyntaxAndUnitOrder) {
  for (const char* bad : {"", "-", "1", "d", "1x", "1h1d", "1d1d", "1.5h", "P", "PT", "P1S", "P1H",
                          "PT1Y", "P1DT1H1H", "PW", "P1W2", "P0001-02-03", "p1d", "1d-"}) {
    if (std::string_view(bad) == "P" || std::string_view(bad) == "PT") {
      // Cassandra's ISO pattern has only optional parts: "P" and "PT" mean zero.
      EXPECT_EQ(*Duration::Parse(bad), D(0, 0, 0)) << bad;
      continue;
    }
    EXPECT_THAT(Duration::Parse(bad), IsError(ErrorCode::kInvalidArgument)) << bad;
  }
}

TEST(DurationTest, PrintsCassandrasForm) {
  EXPECT_EQ(D(14, 3, 4 * kHour + 306'000'000'000LL + 7'008'009).ToString(),
            "1y2mo3d4h5m6s7ms8us9ns");
  EXPECT_EQ(D(0, -1, 0).ToString(), "-1d");
  EXPECT_EQ(D(0, 0, 0).ToString(), "0s");
  EXPECT_EQ(D(0, 0, INT64_MAX).ToString(), "2562047h47m16s854ms775us807ns");
  EXPECT_EQ(D(-12, -3, -1).ToString(), "-1y3d1ns");
}

TEST(DurationTest, EncodesSignedVintsLikeTheServer) {
  // From cql_values.json.
  EXPECT_EQ(EncodedHex(*Duration::Parse("1y2mo3d4h5m6s7ms8us9ns")), "1c06fc1ac004a5c612");
  EXPECT_EQ(EncodedHex(*Duration::Parse("-1d")), "000100");
  EXPECT_EQ(EncodedHex(*Duration::Parse("12h30m")), "0000fc51dac207a000");
  EXPECT_EQ(EncodedHex(*Duration::Parse("1us")), "000087d0");
  EXPECT_EQ(EncodedHex(*Duration::Parse("2147483647mo")), "f0fffffffe0000");
  EXPECT_EQ(EncodedHex(*Duration::Parse("9223372036854775807ns")), "0000fffffffffffffffffe");
}

TEST(DurationTest, DecodesAndRejectsMalformedBytes) {
  auto decode = [](const Bytes& b) { return Duration::Decode(b); };

  EXPECT_EQ(*decode({0x1c, 0x06, 0xfc, 0x1a, 0xc0, 0x04, 0xa5, 0xc6, 0x12}),
            D(14, 3, 14706007008009LL));
  EXPECT_EQ(*decode({0x80, 0x02, 0x00, 0x00}), D(1, 0, 0));  // non-minimal vint: accepted
  EXPECT_THAT(decode({}), IsError(ErrorCode::kProtocol));
  EXPECT_THAT(decode({0x00, 0x00}), IsError(ErrorCode::kProtocol));
  EXPECT_THAT(decode({0x00, 0x00, 0xc0}), IsError(ErrorCode::kProtocol));        // truncated
  EXPECT_THAT(decode({0x00, 0x00, 0x00, 0x00}), IsError(ErrorCode::kProtocol));  // trailing
  EXPECT_THAT(decode({0x02, 0x01, 0x00}), HasMessage("one sign"));               // 1mo -1d
  // months = 2^32 (zig-zag 2^33): does not fit 32 bits.
  EXPECT_THAT(decode({0xf8, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}), HasMessage("32 bits"));
}

TEST(VintTest, RoundTripsEverySizeAndMatchesCassandrasLayout) {
  for (int bits = 0; bits <= 64; ++bits) {
    uint64_t v = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
    ByteWriter w;
    WriteUnsignedVint(w, v);
    ByteReader r(w.view());

    auto back = ReadUnsignedVint(r);

    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, v);
    EXPECT_TRUE(r.empty());
    EXPECT_EQ(w.size(), UnsignedVintSize(v));
    EXPECT_EQ(w.size(), bits <= 7 ? 1u : std::min<size_t>(9, (static_cast<size_t>(bits) + 6) / 7));
  }
  ByteWriter w;
  WriteUnsignedVint(w, 300);
  EXPECT_EQ(ToHex(w.view()), "812c");
  ByteWriter neg;
  WriteVint(neg, -1);
  EXPECT_EQ(ToHex(neg.view()), "01");
}

}  // namespace
}  // namespace cqlbulk::cql
