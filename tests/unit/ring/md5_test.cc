// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ring/md5.h"

#include <string>

#include "cqlbulk/ring/partitioner.h"
#include "testing/matchers.h"

namespace cqlbulk::ring {
namespace {

using ::cqlbulk::testing::HasValue;
using ::cqlbulk::testing::IsError;

std::string Md5Hex(std::string_view text) {
  const Md5Digest digest = Md5::Hash(AsBytes(text));
  return ToHex(digest);
}

TEST(Md5Test, MatchesRfc1321TestSuite) {
  // RFC 1321, Appendix A.5.
  EXPECT_EQ(Md5Hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Md5Hex("a"), "0cc175b9c0f1b6a831c399e269772661");
  EXPECT_EQ(Md5Hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(Md5Hex("message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
  EXPECT_EQ(Md5Hex("abcdefghijklmnopqrstuvwxyz"), "c3fcd3d76192e4007dfb496cca67e13b");
  EXPECT_EQ(Md5Hex("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
            "d174ab98d277d9f5a5611c2c9f419d9f");
  EXPECT_EQ(Md5Hex("1234567890123456789012345678901234567890123456789012345678901234567890"
                   "1234567890"),
            "57edf4a22be3c955ac49da2e2107b67a");
}

TEST(Md5Test, IncrementalUpdatesMatchOneShotAcrossBlockBoundaries) {
  std::string text;
  for (int i = 0; i < 300; ++i) {
    text.push_back(static_cast<char>('a' + i % 26));
  }
  const Md5Digest expected = Md5::Hash(AsBytes(text));

  for (size_t chunk : {1u, 3u, 55u, 56u, 63u, 64u, 65u, 128u}) {
    Md5 md5;
    for (size_t pos = 0; pos < text.size(); pos += chunk) {
      md5.Update(AsBytes(std::string_view(text).substr(pos, chunk)));
    }

    EXPECT_EQ(md5.Finish(), expected) << "chunk " << chunk;
  }
}

TEST(Md5Test, PaddingEdgeLengths) {
  // Lengths around the 56-byte padding boundary; expected digests from
  // `python3 -c 'import hashlib; print(hashlib.md5(b"x" * n).hexdigest())'`.
  EXPECT_EQ(Md5Hex(std::string(55, 'x')), "04364420e25c512fd958a70738aa8f72");
  EXPECT_EQ(Md5Hex(std::string(56, 'x')), "668a72d5ba17f08e62dabcafad6db14b");
  EXPECT_EQ(Md5Hex(std::string(64, 'x')), "c1bb4f81d892b2d57947682aeb252456");
}

TEST(RandomPartitionerTest, TokenIsAbsoluteValueOfSignedDigest) {
  // Expected values derived independently with Python's hashlib:
  //   d = hashlib.md5(key).digest(); abs(int.from_bytes(d, "big", signed=True))
  // "a" has a positive digest (0x0cc1...), "\x00\x00\x00\x01" and the fox sentence negative
  // ones (0xf145..., 0x9e10...), so both branches of the absolute value are exercised.
  const Bytes int_one = {0x00, 0x00, 0x00, 0x01};

  EXPECT_EQ(RandomPartitionerToken(AsBytes("a")).ToString(),
            "16955237001963240173058271559858726497");
  EXPECT_EQ(RandomPartitionerToken(AsBytes("hello")).ToString(),
            "123957004363873451094272536567338222994");
  EXPECT_EQ(RandomPartitionerToken(int_one).ToString(), "19580090105725936846312850328329299579");
  EXPECT_EQ(
      RandomPartitionerToken(AsBytes("The quick brown fox jumps over the lazy dog")).ToString(),
      "130178719080088705877247595409733051946");
}

TEST(RandomPartitionerTest, EmptyKeyHasMinimumToken) {
  EXPECT_EQ(RandomPartitionerToken(BytesView()), BigToken::Min());
}

TEST(PartitionerTest, ParsesFullAndShortNames) {
  EXPECT_THAT(ParsePartitioner("org.apache.cassandra.dht.Murmur3Partitioner"),
              HasValue(Partitioner::kMurmur3));
  EXPECT_THAT(ParsePartitioner("RandomPartitioner"), HasValue(Partitioner::kRandom));
  EXPECT_EQ(PartitionerName(Partitioner::kRandom), "org.apache.cassandra.dht.RandomPartitioner");
}

TEST(PartitionerTest, RejectsUnsupportedAndUnknownPartitioners) {
  EXPECT_THAT(ParsePartitioner("org.apache.cassandra.dht.ByteOrderedPartitioner"),
              IsError(ErrorCode::kUnimplemented));
  EXPECT_THAT(ParsePartitioner("Murmur4"), IsError(ErrorCode::kInvalidArgument));
}

}  // namespace
}  // namespace cqlbulk::ring
