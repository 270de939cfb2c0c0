// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/core/bytes.h"

#include "cqlbulk/core/checksum.h"
#include "testing/matchers.h"

namespace cqlbulk {
namespace {

using ::cqlbulk::testing::HasValue;
using ::cqlbulk::testing::IsError;

TEST(ByteReaderTest, ReadsBigEndianIntegers) {
  Bytes data = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0xff, 0xfe, 0xff, 0xff, 0xff, 0xff,
                0xff, 0xff, 0xff, 0xfe};
  ByteReader r(data);

  EXPECT_THAT(r.ReadU8(), HasValue(0x01));
  EXPECT_THAT(r.ReadU16(), HasValue(0x0203));
  EXPECT_THAT(r.ReadU32(), HasValue(0x04050607u));
  EXPECT_THAT(r.ReadI16(), HasValue(-2));
  EXPECT_THAT(r.ReadI64(), HasValue(-2));
  EXPECT_TRUE(r.empty());
}

TEST(ByteReaderTest, TruncatedReadFailsWithoutMoving) {
  Bytes data = {0x01, 0x02, 0x03};
  ByteReader r(data, ErrorCode::kProtocol);

  EXPECT_THAT(r.ReadU32(), IsError(ErrorCode::kProtocol));
  EXPECT_EQ(r.position(), 0u);
  EXPECT_THAT(r.ReadBytes(4), IsError(ErrorCode::kProtocol));
  EXPECT_THAT(r.ReadU16(), HasValue(0x0102));
  EXPECT_THAT(r.Skip(2), IsError(ErrorCode::kProtocol));
}

TEST(ByteWriterTest, WritesAndPatchesBigEndian) {
  ByteWriter w;
  w.WriteU8(0xaa);
  size_t len_pos = w.size();
  w.WriteU32(0);
  w.WriteI16(-1);
  w.WriteU64(0x0102030405060708ull);

  w.PatchU32(len_pos, 0xdeadbeef);

  EXPECT_EQ(ToHex(w.view()), "aadeadbeefffff0102030405060708");
}

TEST(HexTest, RoundTripsAndRejectsBadDigits) {
  EXPECT_THAT(FromHex("00ffAb"), HasValue(Bytes{0x00, 0xff, 0xab}));
  EXPECT_THAT(FromHex("0"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(FromHex("0g"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_EQ(ToHex(Bytes{0x01, 0xef}), "01ef");
}

TEST(ChecksumTest, Crc32MatchesKnownValue) {
  // The CRC-32 check value of "123456789" is 0xCBF43926.
  EXPECT_EQ(Crc32(AsBytes("123456789")), 0xcbf43926u);
  EXPECT_EQ(Crc32(AsBytes("56789"), Crc32(AsBytes("1234"))), 0xcbf43926u);
}

}  // namespace
}  // namespace cqlbulk
