// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/core/checksum.h"

#include <numeric>
#include <random>

#include <gtest/gtest.h>

namespace cqlbulk {
namespace {

TEST(ChecksumTest, Crc32MatchesTheCheckValue) {
  EXPECT_EQ(Crc32(AsBytes("123456789")), 0xCBF43926u);
}

TEST(ChecksumTest, Crc32cMatchesTheCheckValue) {
  EXPECT_EQ(Crc32c(AsBytes("123456789")), 0xE3069283u);
  EXPECT_EQ(Crc32c({}), 0u);
}

// RFC 3720 (iSCSI) appendix B.4.
TEST(ChecksumTest, Crc32cMatchesRfc3720Vectors) {
  Bytes zeros(32, 0x00);
  Bytes ones(32, 0xFF);
  Bytes ascending(32);
  std::iota(ascending.begin(), ascending.end(), uint8_t{0});
  Bytes descending(ascending.rbegin(), ascending.rend());

  EXPECT_EQ(Crc32c(zeros), 0x8A9136AAu);
  EXPECT_EQ(Crc32c(ones), 0x62A8AB43u);
  EXPECT_EQ(Crc32c(ascending), 0x46DD794Eu);
  EXPECT_EQ(Crc32c(descending), 0x113FDB5Cu);
}

TEST(ChecksumTest, Crc32cContinuesAcrossPieces) {
  Bytes data(1000);
  std::iota(data.begin(), data.end(), uint8_t{7});
  BytesView all(data);

  for (size_t cut : {0u, 1u, 7u, 8u, 9u, 500u, 999u, 1000u}) {
    EXPECT_EQ(Crc32c(all.subspan(cut), Crc32c(all.first(cut))), Crc32c(all)) << cut;
  }
}

// Crc32 folds 64 bytes and more with carry-less multiplication: it must give zlib's CRC for
// every length (the folding loops' edges: 64, 80, 127, 128, ...), start value and alignment.
TEST(ChecksumTest, Crc32FoldingMatchesZlib) {
  std::mt19937_64 random(42);
  Bytes data(70000 + 16);
  for (auto& b : data) b = static_cast<uint8_t>(random());
  for (size_t length = 0; length <= 600; ++length) {
    for (size_t offset : {0u, 1u, 7u, 15u}) {
      BytesView piece(data.data() + offset, length);
      uint32_t start = static_cast<uint32_t>(random());
      ASSERT_EQ(Crc32(piece), internal::ReferenceCrc32(piece)) << length << " at " << offset;
      ASSERT_EQ(Crc32(piece, start), internal::ReferenceCrc32(piece, start)) << length;
    }
  }
  for (size_t length : {1023u, 1024u, 4096u, 65535u, 65536u, 70000u}) {
    BytesView piece(data.data() + 3, length);
    EXPECT_EQ(Crc32(piece), internal::ReferenceCrc32(piece)) << length;
  }
  // Edge values: all zeros and all ones, where a wrong constant would still often pass random
  // data by chance no more than anywhere else, but a wrong register xor shows at once.
  for (uint8_t fill : {uint8_t{0x00}, uint8_t{0xFF}}) {
    Bytes same(1000, fill);
    for (uint32_t start : {0u, 0xFFFFFFFFu, 0x12345678u}) {
      EXPECT_EQ(Crc32(same, start), internal::ReferenceCrc32(same, start));
    }
  }
}

TEST(ChecksumTest, Crc32ContinuesAcrossPieces) {
  Bytes data(5000);
  std::iota(data.begin(), data.end(), uint8_t{3});
  BytesView all(data);
  for (size_t cut : {0u, 1u, 63u, 64u, 65u, 2500u, 4936u, 4999u, 5000u}) {
    EXPECT_EQ(Crc32(all.subspan(cut), Crc32(all.first(cut))), Crc32(all)) << cut;
  }
}

}  // namespace
}  // namespace cqlbulk
