// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/io/compression.h"

#include <gtest/gtest.h>

#include "cqlbulk/formats/io/memory_stream.h"
#include "test_util.h"
#include "testing/matchers.h"

namespace cqlbulk::formats {
namespace {

using cqlbulk::testing::HasMessage;
using cqlbulk::testing::HasValue;
using cqlbulk::testing::IsError;

TEST(CompressionTest, NamesParseBack) {
  for (Compression c : testing::AllCodecs()) {
    EXPECT_THAT(ParseCompression(CompressionName(c)), HasValue(c));
  }
  EXPECT_THAT(ParseCompression("none"), HasValue(Compression::kNone));
}

TEST(CompressionTest, UnknownNameListsTheAcceptedOnes) {
  auto parsed = ParseCompression("gz");

  EXPECT_THAT(parsed, IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(parsed,
              HasMessage("'gz' (expected one of none, gzip, zstd, lz4, snappy, bzip2, xz)"));
}

TEST(CompressionTest, ExtensionsAreTheToolsOnes) {
  EXPECT_EQ(FileExtension(Compression::kNone), "");
  EXPECT_EQ(FileExtension(Compression::kGzip), ".gz");
  EXPECT_EQ(FileExtension(Compression::kZstd), ".zst");
  EXPECT_EQ(FileExtension(Compression::kLz4), ".lz4");
  EXPECT_EQ(FileExtension(Compression::kSnappy), ".sz");
  EXPECT_EQ(CompressionFromPath("a.csv.snappy"), Compression::kSnappy);
  EXPECT_EQ(CompressionFromPath("a.csv.sz"), Compression::kSnappy);
  EXPECT_EQ(FileExtension(Compression::kBzip2), ".bz2");
  EXPECT_EQ(FileExtension(Compression::kXz), ".xz");
}

TEST(CompressionTest, FromPathByExtension) {
  for (Compression c : testing::AllCodecs()) {
    EXPECT_EQ(CompressionFromPath("dir/part-0001.csv" + std::string(FileExtension(c))), c);
  }
  EXPECT_EQ(CompressionFromPath("data.csv"), Compression::kNone);
  EXPECT_EQ(CompressionFromPath("data.gz.csv"), Compression::kNone);
  EXPECT_EQ(CompressionFromPath(".gz"), Compression::kNone);
  EXPECT_EQ(CompressionFromPath("DATA.GZ"), Compression::kNone);
  EXPECT_EQ(CompressionFromPath(""), Compression::kNone);
}

TEST(CompressionTest, DefaultLevelsAreTheToolsOnes) {
  EXPECT_EQ(DefaultLevel(Compression::kGzip), 6);
  EXPECT_EQ(DefaultLevel(Compression::kZstd), 3);
  EXPECT_EQ(DefaultLevel(Compression::kLz4), 1);
  EXPECT_EQ(DefaultLevel(Compression::kBzip2), 9);
  EXPECT_EQ(DefaultLevel(Compression::kXz), 6);
  EXPECT_EQ(DefaultLevel(Compression::kSnappy), std::nullopt);
  EXPECT_EQ(DefaultLevel(Compression::kNone), std::nullopt);
}

TEST(CompressionTest, LevelsAreValidatedPerCodec) {
  EXPECT_THAT(ValidateLevel(Compression::kGzip, 9), cqlbulk::testing::IsOk());
  EXPECT_THAT(ValidateLevel(Compression::kXz, 0), cqlbulk::testing::IsOk());
  EXPECT_THAT(ValidateLevel(Compression::kZstd, 22), cqlbulk::testing::IsOk());
  EXPECT_THAT(ValidateLevel(Compression::kGzip, 10),
              HasMessage("gzip compression level 10 is out of range (1 to 9)"));
  EXPECT_THAT(ValidateLevel(Compression::kZstd, 0), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ValidateLevel(Compression::kLz4, 13), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ValidateLevel(Compression::kBzip2, 0), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ValidateLevel(Compression::kXz, -1), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ValidateLevel(Compression::kSnappy, 1),
              HasMessage("snappy takes no compression level"));
}

TEST(CompressionTest, CompressingStreamRefusesABadLevel) {
  Bytes out;

  auto stream =
      CompressingStream(Compression::kGzip, std::make_unique<MemoryOutputStream>(&out), 0);

  EXPECT_THAT(stream, IsError(ErrorCode::kInvalidArgument));
}

TEST(CompressionTest, EveryLevelRoundTrips) {
  Bytes data = testing::RepetitiveBytes(100000);
  for (Compression c : {Compression::kGzip, Compression::kZstd, Compression::kLz4,
                        Compression::kBzip2, Compression::kXz}) {
    for (int level : {1, 9}) {
      Bytes out;
      CQLBULK_ASSERT_OK_AND_ASSIGN(
          auto stream, CompressingStream(c, std::make_unique<MemoryOutputStream>(&out), level));
      CQLBULK_ASSERT_OK(stream->Write(data));
      CQLBULK_ASSERT_OK(stream->Close());
      EXPECT_THAT(testing::Decompress(c, out), HasValue(data)) << CompressionName(c) << level;
    }
  }
}

TEST(CompressionTest, NoneIsThePlainStream) {
  Bytes out;
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      auto stream,
      CompressingStream(Compression::kNone, std::make_unique<MemoryOutputStream>(&out)));

  CQLBULK_ASSERT_OK(stream->Write(AsBytes("plain")));
  CQLBULK_ASSERT_OK(stream->Close());

  EXPECT_EQ(AsChars(out), "plain");
  EXPECT_THAT(testing::Decompress(Compression::kNone, out), HasValue(out));
}

}  // namespace
}  // namespace cqlbulk::formats
