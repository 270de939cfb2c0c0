// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/core/bytes.h"

#include <cstring>
#include <random>
#include <vector>

#include "cqlbulk/core/ascii.h"
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

// The byte-swapping loads and stores against the definition, byte by byte (most significant
// first), for random and edge values at every alignment.
TEST(BigEndianTest, LoadsAndStoresMatchByteByByteReference) {
  std::mt19937_64 rng(20261203);
  std::vector<uint64_t> values = {0, 1, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x7fffffff,
                                  0x80000000u, 0xffffffffu, 0x0102030405060708ull,
                                  0x7fffffffffffffffull, 0x8000000000000000ull, ~uint64_t{0}};
  for (int i = 0; i < 2000; ++i) values.push_back(rng() >> (rng() % 64));
  uint8_t buffer[24];
  for (uint64_t v : values) {
    for (size_t at = 0; at < 8; ++at) {
      uint8_t* p = buffer + at;
      std::memset(buffer, 0xa5, sizeof buffer);
      StoreBE64(p, v);
      for (int b = 0; b < 8; ++b) ASSERT_EQ(p[b], static_cast<uint8_t>(v >> (56 - 8 * b)));
      ASSERT_EQ(buffer[at + 8], 0xa5) << "wrote past the value";
      ASSERT_EQ(LoadBE64(p), v);
      std::memset(buffer, 0xa5, sizeof buffer);
      const auto v32 = static_cast<uint32_t>(v);
      StoreBE32(p, v32);
      for (int b = 0; b < 4; ++b) ASSERT_EQ(p[b], static_cast<uint8_t>(v32 >> (24 - 8 * b)));
      ASSERT_EQ(buffer[at + 4], 0xa5);
      ASSERT_EQ(LoadBE32(p), v32);
      std::memset(buffer, 0xa5, sizeof buffer);
      const auto v16 = static_cast<uint16_t>(v);
      StoreBE16(p, v16);
      ASSERT_EQ(p[0], static_cast<uint8_t>(v16 >> 8));
      ASSERT_EQ(p[1], static_cast<uint8_t>(v16));
      ASSERT_EQ(buffer[at + 2], 0xa5);
      ASSERT_EQ(LoadBE16(p), v16);
    }
  }
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

// IsAllAscii reads 16, 8 or 4 bytes at a time with an overlapping last block: against a byte
// loop for every length to 80, with one high byte at every position (and bytes 0x7F, 0x80 and
// 0xFF), and on random texts, each at several alignments.
TEST(AsciiTest, IsAllAsciiMatchesAByteLoop) {
  auto reference = [](const uint8_t* p, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      if (p[i] >= 0x80) return false;
    }
    return true;
  };
  Bytes buffer(100, 'a');
  for (size_t n = 0; n <= 80; ++n) {
    for (size_t offset : {0u, 1u, 5u}) {
      uint8_t* p = buffer.data() + offset;
      std::fill(buffer.begin(), buffer.end(), uint8_t{0x7F});
      ASSERT_TRUE(IsAllAscii(p, n)) << n;
      for (size_t at = 0; at < n; ++at) {
        for (uint8_t high : {uint8_t{0x80}, uint8_t{0xFF}, uint8_t{0xC3}}) {
          p[at] = high;
          ASSERT_FALSE(IsAllAscii(p, n)) << n << " " << at;
          p[at] = 0x7F;
        }
      }
      if (offset + n < buffer.size()) {
        buffer[offset + n] = 0x80;  // a high byte just past the end does not count
        ASSERT_TRUE(IsAllAscii(p, n)) << n;
      }
    }
  }
  std::mt19937 random(5);
  for (int i = 0; i < 20000; ++i) {
    size_t n = random() % 70;
    size_t offset = random() % 16;
    for (size_t k = 0; k < n; ++k) {
      buffer[offset + k] = static_cast<uint8_t>(random() % 300 == 0 ? 0x80 + random() % 128
                                                                     : random() % 128);
    }
    ASSERT_EQ(IsAllAscii(buffer.data() + offset, n), reference(buffer.data() + offset, n));
  }
}

}  // namespace
}  // namespace cqlbulk
