// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/core/varint.h"

#include <cstdint>
#include <limits>

#include "testing/matchers.h"

namespace cqlbulk {
namespace {

using ::cqlbulk::testing::HasValue;
using ::cqlbulk::testing::IsError;

TEST(VarintTest, EncodesUleb128AsProtobufDoes) {
  ByteWriter w;
  WriteUleb128(w, 300);
  WriteUleb128(w, 0);
  WriteUleb128(w, 127);

  EXPECT_EQ(ToHex(w.view()), "ac02007f");
}

TEST(VarintTest, RoundTripsEdgeValues) {
  for (uint64_t v : {uint64_t{0}, uint64_t{1}, uint64_t{127}, uint64_t{128}, uint64_t{1} << 35,
                     std::numeric_limits<uint64_t>::max()}) {
    ByteWriter w;
    WriteUleb128(w, v);
    ByteReader r(w.view());

    EXPECT_THAT(ReadUleb128(r), HasValue(v));
    EXPECT_TRUE(r.empty());
  }
}

TEST(VarintTest, RejectsTruncatedAndOverlongInput) {
  Bytes truncated = {0x80, 0x80};
  Bytes overlong(11, 0xff);
  ByteReader r1(truncated);
  ByteReader r2(overlong);

  EXPECT_THAT(ReadUleb128(r1), IsError(ErrorCode::kCorrupt));
  EXPECT_THAT(ReadUleb128(r2), IsError(ErrorCode::kCorrupt));
}

TEST(VarintTest, ZigZagInterleavesSigns) {
  EXPECT_EQ(ZigZagEncode(0), 0u);
  EXPECT_EQ(ZigZagEncode(-1), 1u);
  EXPECT_EQ(ZigZagEncode(1), 2u);
  EXPECT_EQ(ZigZagEncode(-2), 3u);
  EXPECT_EQ(ZigZagEncode(std::numeric_limits<int64_t>::min()),
            std::numeric_limits<uint64_t>::max());
  for (int64_t v : {int64_t{0}, int64_t{-5}, int64_t{12345}, std::numeric_limits<int64_t>::min(),
                    std::numeric_limits<int64_t>::max()}) {
    EXPECT_EQ(ZigZagDecode(ZigZagEncode(v)), v);
  }
}

}  // namespace
}  // namespace cqlbulk
