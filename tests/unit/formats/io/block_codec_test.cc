// SPDX-License-Identifier: Apache-2.0
// Parquet's page codecs: names, levels, round trips at every codec's edge levels, one
// compressor reused for many blocks, and the exact-size contract of Decompress.
#include <sys/mman.h>

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "cqlbulk/formats/io/block_codec.h"
#include "test_util.h"
#include "testing/matchers.h"

namespace cqlbulk::formats {
namespace {

using cqlbulk::testing::HasMessage;
using cqlbulk::testing::HasValue;
using cqlbulk::testing::IsError;
using cqlbulk::testing::IsOk;
using testing::CompressBlock;
using testing::DecompressBlock;

TEST(BlockCodecTest, NamesAreParquetThrifts) {
  EXPECT_EQ(BlockCodecName(BlockCodec::kNone), "UNCOMPRESSED");
  EXPECT_EQ(BlockCodecName(BlockCodec::kSnappy), "SNAPPY");
  EXPECT_EQ(BlockCodecName(BlockCodec::kGzip), "GZIP");
  EXPECT_EQ(BlockCodecName(BlockCodec::kZstd), "ZSTD");
  EXPECT_EQ(BlockCodecName(BlockCodec::kLz4Raw), "LZ4_RAW");
  EXPECT_EQ(BlockCodecName(BlockCodec::kLz4Hadoop), "LZ4");
  EXPECT_EQ(BlockCodecName(BlockCodec::kBrotli), "BROTLI");
}

TEST(BlockCodecTest, LevelsOutsideTheRangeNameIt) {
  EXPECT_THAT(BlockCompressor::Make(BlockCodec::kGzip, 0),
              HasMessage("GZIP compression level 0 is not in 1..9"));
  EXPECT_THAT(BlockCompressor::Make(BlockCodec::kGzip, 10), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(BlockCompressor::Make(BlockCodec::kZstd, 23),
              HasMessage("ZSTD compression level 23 is not in -131072..22"));
  EXPECT_THAT(BlockCompressor::Make(BlockCodec::kLz4Raw, 13),
              HasMessage("LZ4_RAW compression level 13 is not in 1..12"));
  EXPECT_THAT(BlockCompressor::Make(BlockCodec::kLz4Hadoop, 0),
              HasMessage("LZ4 compression level 0 is not in 1..12"));
  EXPECT_THAT(BlockCompressor::Make(BlockCodec::kBrotli, -1),
              HasMessage("BROTLI compression level -1 is not in 0..11"));
}

TEST(BlockCodecTest, CodecsWithoutLevelsRefuseOne) {
  EXPECT_THAT(BlockCompressor::Make(BlockCodec::kSnappy, 1),
              HasMessage("SNAPPY takes no compression level"));
  EXPECT_THAT(BlockCompressor::Make(BlockCodec::kNone, 1), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(BlockCompressor::Make(BlockCodec::kSnappy), IsOk());
}

struct CodecLevel {
  BlockCodec codec;
  std::optional<int> level;
};

void PrintTo(const CodecLevel& param, std::ostream* out) {
  *out << BlockCodecName(param.codec) << " level "
       << (param.level ? std::to_string(*param.level) : "default");
}

std::string CodecLevelName(const ::testing::TestParamInfo<CodecLevel>& info) {
  std::string name(BlockCodecName(info.param.codec));
  if (!info.param.level) {
    return name + "_default";
  }
  int level = *info.param.level;
  return name + (level < 0 ? "_minus" : "_") + std::to_string(level < 0 ? -level : level);
}

// The default, the ends of each range, and LZ4's switch from its fast compressor to HC.
std::vector<CodecLevel> AllCodecLevels() {
  return {{BlockCodec::kNone, std::nullopt},   {BlockCodec::kSnappy, std::nullopt},
          {BlockCodec::kGzip, std::nullopt},   {BlockCodec::kGzip, 1},
          {BlockCodec::kGzip, 9},              {BlockCodec::kZstd, std::nullopt},
          {BlockCodec::kZstd, -131072},        {BlockCodec::kZstd, 22},
          {BlockCodec::kLz4Raw, std::nullopt}, {BlockCodec::kLz4Raw, 2},
          {BlockCodec::kLz4Raw, 3},            {BlockCodec::kLz4Raw, 12},
          {BlockCodec::kLz4Hadoop, 1},         {BlockCodec::kLz4Hadoop, 9},
          {BlockCodec::kBrotli, std::nullopt}, {BlockCodec::kBrotli, 0},
          {BlockCodec::kBrotli, 11}};
}

class BlockRoundTripTest : public ::testing::TestWithParam<CodecLevel> {
 protected:
  void SetUp() override {
    CQLBULK_ASSERT_OK_AND_ASSIGN(compressor_,
                                 BlockCompressor::Make(GetParam().codec, GetParam().level));
    CQLBULK_ASSERT_OK_AND_ASSIGN(decompressor_, BlockDecompressor::Make(GetParam().codec));
  }

  std::unique_ptr<BlockCompressor> compressor_;
  std::unique_ptr<BlockDecompressor> decompressor_;
};

TEST_P(BlockRoundTripTest, EmptyOneByteRandomAndRepetitive) {
  for (const Bytes& data : {Bytes{}, Bytes{'x'}, testing::RandomBytes(1 << 20),
                            testing::RepetitiveBytes(1 << 20)}) {
    Bytes compressed = CompressBlock(*compressor_, data);

    EXPECT_THAT(DecompressBlock(*decompressor_, compressed, data.size()), HasValue(data))
        << data.size();
  }
}

TEST_P(BlockRoundTripTest, RepetitiveDataCompressesWell) {
  Bytes data = testing::RepetitiveBytes(1 << 20);

  Bytes compressed = CompressBlock(*compressor_, data);

  if (GetParam().codec == BlockCodec::kNone) {
    EXPECT_EQ(compressed, data);
  } else if (GetParam().level.value_or(1) < 0) {
    // ZSTD's negative levels trade ratio for speed, down to storing the data as it is.
    EXPECT_LE(compressed.size(), data.size() + 64);
  } else {
    EXPECT_LT(compressed.size(), data.size() / 4);
  }
}

TEST_P(BlockRoundTripTest, IncompressibleDataGrowsLittle) {
  Bytes data = testing::RandomBytes(1 << 20);

  Bytes compressed = CompressBlock(*compressor_, data);

  EXPECT_LE(compressed.size(), data.size() + data.size() / 100 + 64);
}

// Each block is independent: the state a compressor keeps never leaks into the next block.
TEST_P(BlockRoundTripTest, OneCompressorAndDecompressorForManyBlocks) {
  std::vector<Bytes> blocks = {testing::RepetitiveBytes(70000), testing::RandomBytes(3000, 7),
                               Bytes{}, testing::RepetitiveBytes(70000),
                               testing::RandomBytes(100, 8)};
  data::Buffer out;
  out.Append(AsBytes("keep"));
  std::vector<size_t> ends;
  for (const Bytes& block : blocks) {
    ASSERT_THAT(compressor_->Compress(block, out), IsOk());
    ends.push_back(out.size());
  }

  ASSERT_EQ(AsChars(out.view().first(4)), "keep");
  size_t begin = 4;
  for (size_t i = 0; i < blocks.size(); ++i) {
    BytesView compressed = out.view().subspan(begin, ends[i] - begin);
    EXPECT_THAT(DecompressBlock(*decompressor_, compressed, blocks[i].size()), HasValue(blocks[i]))
        << i;
    begin = ends[i];
  }
}

TEST_P(BlockRoundTripTest, DecompressingIntoAWrongSizeFails) {
  Bytes data = testing::RepetitiveBytes(100000);
  Bytes compressed = CompressBlock(*compressor_, data);
  std::string codec(BlockCodecName(GetParam().codec));

  for (size_t size : {data.size() - 1, data.size() + 1, size_t{0}, 2 * data.size()}) {
    auto result = DecompressBlock(*decompressor_, compressed, size);

    EXPECT_THAT(result, IsError(ErrorCode::kCorrupt)) << size;
    EXPECT_THAT(result, HasMessage(codec + " block of " + std::to_string(compressed.size()) +
                                   " bytes: "))
        << size;
  }
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, BlockRoundTripTest, ::testing::ValuesIn(AllCodecLevels()),
                         CodecLevelName);

class BlockCodecSizeTest : public ::testing::TestWithParam<BlockCodec> {};

TEST_P(BlockCodecSizeTest, EmptyInputIsTheEmptyBlockOnly) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto decompressor, BlockDecompressor::Make(GetParam()));

  EXPECT_THAT(DecompressBlock(*decompressor, {}, 0), HasValue(Bytes{}));
  EXPECT_THAT(DecompressBlock(*decompressor, {}, 10),
              HasMessage(std::string(BlockCodecName(GetParam())) +
                         " block of 0 bytes: empty, expected 10 bytes"));
}

TEST_P(BlockCodecSizeTest, SizesBeyondAPageAreRefusedBeforeAnyWork) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto compressor, BlockCompressor::Make(GetParam()));
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto decompressor, BlockDecompressor::Make(GetParam()));
  // 2 GiB of address space that faults on any access: the size checks must come first.
  size_t size = kMaxBlockBytes + 1;
  void* region = mmap(nullptr, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  ASSERT_NE(region, MAP_FAILED);
  std::span<uint8_t> huge(static_cast<uint8_t*>(region), size);
  data::Buffer out;

  EXPECT_THAT(compressor->Compress(huge, out), HasMessage("larger than a page"));
  EXPECT_THAT(decompressor->Decompress(huge.first(10), huge),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(decompressor->Decompress(huge, huge.first(10)), IsError(ErrorCode::kCorrupt));
  EXPECT_TRUE(out.empty());
  munmap(region, size);
}

TEST_P(BlockCodecSizeTest, CompressedEmptyInputIsNotEmpty) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto compressor, BlockCompressor::Make(GetParam()));

  Bytes compressed = CompressBlock(*compressor, {});

  EXPECT_EQ(compressed.empty(), GetParam() == BlockCodec::kNone);
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, BlockCodecSizeTest,
                         ::testing::ValuesIn(testing::AllBlockCodecs()),
                         [](const auto& info) { return testing::BlockCodecParamName(info.param); });

}  // namespace
}  // namespace cqlbulk::formats
