// SPDX-License-Identifier: Apache-2.0
// pyarrow's own codecs are the referees of Parquet's page codecs: pyarrow decompresses exactly
// what we compress, and we decompress exactly what pyarrow compresses, at the default and the
// highest level (block_codec_referee.py; scripts/install-referees.sh installs pyarrow). At the
// highest levels the cases are cut to 128 KiB: ZSTD 22 takes 3.6 s per MiB of text.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "cqlbulk/formats/io/block_codec.h"
#include "test_util.h"
#include "testing/matchers.h"

namespace cqlbulk::formats {
namespace {

using cqlbulk::testing::HasValue;
using testing::CompressBlock;
using testing::DecompressBlock;

struct RefereeCodec {
  BlockCodec codec;
  std::string_view pyarrow_name;  // "lz4_hadoop": Hadoop framing, built by the script
  int max_level;                  // 0: no levels
};

constexpr RefereeCodec kRefereeCodecs[] = {
    {BlockCodec::kSnappy, "snappy", 0},    {BlockCodec::kGzip, "gzip", 9},
    {BlockCodec::kZstd, "zstd", 22},       {BlockCodec::kLz4Raw, "lz4_raw", 12},
    {BlockCodec::kLz4Hadoop, "lz4_hadoop", 12}, {BlockCodec::kBrotli, "brotli", 11},
};

// A PLAIN page of increasing int64 ids (1 MiB: 131,072 of them).
Bytes Int64Page(size_t size = 1 << 20) {
  Bytes page(size);
  for (size_t i = 0; i < page.size() / 8; ++i) {
    int64_t id = 1'000'000'000'000 + static_cast<int64_t>(i);
    std::memcpy(page.data() + 8 * i, &id, 8);  // little-endian, as PLAIN is
  }
  return page;
}

struct Case {
  std::string name;
  Bytes data;
};

std::vector<Case> Cases() {
  return {{"empty", {}},
          {"byte", {'x'}},
          {"random", testing::RandomBytes(1 << 20)},
          {"repetitive", testing::RepetitiveBytes(1 << 20)},
          {"int64page", Int64Page()}};
}

class BlockCodecInteropTest : public ::testing::Test {
 protected:
  // <codec>.<level>.<case>: the level is a number or "default".
  static std::string Stem(const RefereeCodec& codec, std::optional<int> level,
                          const std::string& name) {
    return std::string(codec.pyarrow_name) + "." +
           (level ? std::to_string(*level) : std::string("default")) + "." + name;
  }
  static std::vector<std::optional<int>> Levels(const RefereeCodec& codec) {
    if (codec.max_level == 0) {
      return {std::nullopt};
    }
    return {std::nullopt, codec.max_level};
  }

  static BytesView Cut(const Bytes& data, std::optional<int> level) {
    return BytesView(data).first(level ? std::min<size_t>(data.size(), 128 << 10) : data.size());
  }

  testing::TempDir dir_;
};

TEST_F(BlockCodecInteropTest, PyarrowAndWeDecodeEachOther) {
  std::vector<Case> cases = Cases();
  for (const RefereeCodec& codec : kRefereeCodecs) {
    for (std::optional<int> level : Levels(codec)) {
      CQLBULK_ASSERT_OK_AND_ASSIGN(auto compressor, BlockCompressor::Make(codec.codec, level));
      for (const Case& c : cases) {
        std::string stem = Stem(codec, level, c.name);
        BytesView data = Cut(c.data, level);
        testing::WriteFileBytes(dir_.Path(stem + ".plain"), data);
        testing::WriteFileBytes(dir_.Path(stem + ".ours"), CompressBlock(*compressor, data));
      }
    }
  }

  // The script checks that pyarrow decodes every .ours and writes pyarrow's .theirs.
  std::string command = std::string(CQLBULK_REFEREE_PYTHON) +
                        " tests/unit/formats/io/block_codec_referee.py " + dir_.Path("");
  ASSERT_EQ(testing::Shell(command), 0)
      << command << " (scripts/install-referees.sh installs pyarrow)";

  for (const RefereeCodec& codec : kRefereeCodecs) {
    CQLBULK_ASSERT_OK_AND_ASSIGN(auto decompressor, BlockDecompressor::Make(codec.codec));
    for (std::optional<int> level : Levels(codec)) {
      for (const Case& c : cases) {
        std::string stem = Stem(codec, level, c.name);
        Bytes data(Cut(c.data, level).begin(), Cut(c.data, level).end());
        Bytes theirs = testing::ReadFileBytes(dir_.Path(stem + ".theirs"));

        EXPECT_THAT(DecompressBlock(*decompressor, theirs, data.size()), HasValue(data)) << stem;
        if (codec.codec == BlockCodec::kGzip) {
          Bytes zlib = testing::ReadFileBytes(dir_.Path(stem + ".zlib"));
          Bytes members = testing::ReadFileBytes(dir_.Path(stem + ".members"));
          EXPECT_THAT(DecompressBlock(*decompressor, zlib, data.size()), HasValue(data))
              << stem << " in zlib's format";
          EXPECT_THAT(DecompressBlock(*decompressor, members, data.size()), HasValue(data))
              << stem << " in two gzip members";
        }
      }
    }
  }
}

// Ours at Arrow's default levels are as small as pyarrow's, within a little: the same
// libraries at the same settings. (256 KiB: GZIP 9 takes 1.4 s per MiB of this page.)
TEST_F(BlockCodecInteropTest, DefaultLevelsAreArrows) {
  Bytes page = Int64Page(256 << 10);
  for (const RefereeCodec& codec : kRefereeCodecs) {
    CQLBULK_ASSERT_OK_AND_ASSIGN(auto compressor, BlockCompressor::Make(codec.codec));
    std::string stem = Stem(codec, std::nullopt, "int64page");
    testing::WriteFileBytes(dir_.Path(stem + ".plain"), page);
    testing::WriteFileBytes(dir_.Path(stem + ".ours"), CompressBlock(*compressor, page));
  }

  std::string command = std::string(CQLBULK_REFEREE_PYTHON) +
                        " tests/unit/formats/io/block_codec_referee.py " + dir_.Path("");
  ASSERT_EQ(testing::Shell(command), 0) << command;

  for (const RefereeCodec& codec : kRefereeCodecs) {
    std::string stem = Stem(codec, std::nullopt, "int64page");
    size_t ours = testing::ReadFileBytes(dir_.Path(stem + ".ours")).size();
    size_t theirs = testing::ReadFileBytes(dir_.Path(stem + ".theirs")).size();
    EXPECT_LE(ours, theirs + theirs / 50 + 16) << stem;
    EXPECT_GE(ours + ours / 50 + 16, theirs) << stem;
  }
}

}  // namespace
}  // namespace cqlbulk::formats
