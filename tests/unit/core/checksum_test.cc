// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/core/checksum.h"

#include <numeric>

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

}  // namespace
}  // namespace cqlbulk
