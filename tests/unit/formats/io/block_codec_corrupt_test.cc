// SPDX-License-Identifier: Apache-2.0
// Truncated, bit-flipped and foreign blocks are kCorrupt naming the codec, never a crash nor a
// write past the output (DecompressBlock checks guard bytes; the sanitiser build checks the
// rest). Then what is particular to GZIP (members, zlib) and LZ4 (Hadoop's framing).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "cqlbulk/formats/io/block_codec.h"
#include "test_util.h"
#include "testing/matchers.h"

namespace cqlbulk::formats {
namespace {

using cqlbulk::testing::HasMessage;
using cqlbulk::testing::HasValue;
using cqlbulk::testing::IsError;
using testing::CompressBlock;
using testing::DecompressBlock;

// Compressible and incompressible parts, so every codec has both kinds of content.
Bytes MixedData() {
  Bytes data = testing::RepetitiveBytes(50000);
  Bytes noise = testing::RandomBytes(20000);
  data.insert(data.end(), noise.begin(), noise.end());
  return data;
}

class BlockCorruptTest : public ::testing::TestWithParam<BlockCodec> {
 protected:
  void SetUp() override {
    CQLBULK_ASSERT_OK_AND_ASSIGN(compressor_, BlockCompressor::Make(GetParam()));
    CQLBULK_ASSERT_OK_AND_ASSIGN(decompressor_, BlockDecompressor::Make(GetParam()));
  }
  std::string Prefix(BytesView input) const {
    return std::string(BlockCodecName(GetParam())) + " block of " + std::to_string(input.size()) +
           " bytes: ";
  }

  std::unique_ptr<BlockCompressor> compressor_;
  std::unique_ptr<BlockDecompressor> decompressor_;
};

TEST_P(BlockCorruptTest, TruncatedAnywhereIsCorrupt) {
  Bytes data = MixedData();
  Bytes compressed = CompressBlock(*compressor_, data);
  size_t step = std::max<size_t>(1, compressed.size() / 200);

  // Every cut in the first 64 bytes (headers), then spread over the rest, and the last bytes.
  for (size_t cut = 0; cut < compressed.size(); cut += (cut < 64 || cut + 64 > compressed.size()
                                                            ? 1
                                                            : step)) {
    BytesView truncated = BytesView(compressed).first(cut);

    auto result = DecompressBlock(*decompressor_, truncated, data.size());

    EXPECT_THAT(result, IsError(ErrorCode::kCorrupt)) << cut;
    EXPECT_THAT(result, HasMessage(Prefix(truncated))) << cut;
  }
}

TEST_P(BlockCorruptTest, TruncatedOneByteBlocksAreCorrupt) {
  Bytes compressed = CompressBlock(*compressor_, Bytes{'x'});

  for (size_t cut = 1; cut < compressed.size(); ++cut) {
    EXPECT_THAT(DecompressBlock(*decompressor_, BytesView(compressed).first(cut), 1),
                IsError(ErrorCode::kCorrupt))
        << cut;
  }
}

// Only GZIP checks its data (CRC-32): a flip in other codecs' literals decodes to other bytes
// of the right size, which a Parquet reader catches with the page CRC when there is one. No
// flip may crash, write past the output or fail with anything but kCorrupt.
TEST_P(BlockCorruptTest, BitFlipsAreCorruptOrDecodeToTheRightSize) {
  Bytes data = testing::RepetitiveBytes(50000);
  Bytes compressed = CompressBlock(*compressor_, data);
  size_t step = std::max<size_t>(1, compressed.size() / 300);
  size_t num_corrupt = 0;
  size_t num_flips = 0;

  for (size_t pos = 0; pos < compressed.size(); pos += (pos < 64 ? 1 : step)) {
    for (int bit : {0, 3, 7}) {
      Bytes flipped = compressed;
      flipped[pos] ^= static_cast<uint8_t>(1u << bit);

      auto result = DecompressBlock(*decompressor_, flipped, data.size());

      ++num_flips;
      if (!result.has_value()) {
        ++num_corrupt;
        EXPECT_THAT(result, IsError(ErrorCode::kCorrupt)) << pos << " bit " << bit;
        EXPECT_THAT(result, HasMessage(Prefix(flipped))) << pos << " bit " << bit;
      } else if (GetParam() == BlockCodec::kGzip) {
        // A flip in a field no check covers (the header's MTIME, say) gives the same data.
        EXPECT_EQ(*result, data) << "flip at " << pos << " bit " << bit << " gave other data";
      }
    }
  }
  if (GetParam() != BlockCodec::kNone) {
    // Headers and sequence encodings are checked: many flips are caught (from 40% of them for
    // SNAPPY and LZ4 to 98% for GZIP).
    EXPECT_GT(num_corrupt, num_flips / 10) << num_corrupt << " of " << num_flips;
  }
}

TEST_P(BlockCorruptTest, ForeignDataIsCorrupt) {
  for (const Bytes& input : {testing::RandomBytes(5000), testing::RepetitiveBytes(5000)}) {
    auto result = DecompressBlock(*decompressor_, input, 20000);

    EXPECT_THAT(result, IsError(ErrorCode::kCorrupt));
    EXPECT_THAT(result, HasMessage(Prefix(input)));
  }
}

TEST_P(BlockCorruptTest, TrailingGarbageIsCorrupt) {
  Bytes data = testing::RepetitiveBytes(10000);
  Bytes compressed = CompressBlock(*compressor_, data);
  for (char c : std::string_view("garbage after the end")) {
    compressed.push_back(static_cast<uint8_t>(c));
  }

  EXPECT_THAT(DecompressBlock(*decompressor_, compressed, data.size()),
              IsError(ErrorCode::kCorrupt));
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, BlockCorruptTest,
                         ::testing::ValuesIn(testing::AllBlockCodecs()),
                         [](const auto& info) { return testing::BlockCodecParamName(info.param); });

Bytes Concat(BytesView a, BytesView b) {
  Bytes out(a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

Bytes Compressed(BlockCodec codec, BytesView data) {
  auto compressor = BlockCompressor::Make(codec);
  return compressor ? CompressBlock(**compressor, data) : Bytes{};
}

TEST(GzipBlockTest, WritesTheGzipFormat) {
  Bytes compressed = Compressed(BlockCodec::kGzip, AsBytes("hello"));

  ASSERT_GE(compressed.size(), 18u);
  EXPECT_EQ(compressed[0], 0x1f);
  EXPECT_EQ(compressed[1], 0x8b);
  EXPECT_EQ(compressed[2], 8);  // deflate
}

TEST(GzipBlockTest, ReadsConcatenatedMembers) {
  Bytes first = testing::RepetitiveBytes(30000);
  Bytes second = testing::RandomBytes(1000);
  Bytes members =
      Concat(Compressed(BlockCodec::kGzip, first), Compressed(BlockCodec::kGzip, second));
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto decompressor, BlockDecompressor::Make(BlockCodec::kGzip));

  EXPECT_THAT(DecompressBlock(*decompressor, members, first.size() + second.size()),
              HasValue(Concat(first, second)));
}

TEST(GzipBlockTest, AnEmptyMemberAfterAFullOutputIsFine) {
  Bytes data = testing::RepetitiveBytes(30000);
  Bytes members = Concat(Compressed(BlockCodec::kGzip, data), Compressed(BlockCodec::kGzip, {}));
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto decompressor, BlockDecompressor::Make(BlockCodec::kGzip));

  EXPECT_THAT(DecompressBlock(*decompressor, members, data.size()), HasValue(data));
  EXPECT_THAT(DecompressBlock(*decompressor, members, data.size() - 1),
              HasMessage("decompresses to more than the 29999 bytes expected"));
}

TEST(GzipBlockTest, ShortOutputSaysHowMuchThereWas) {
  Bytes compressed = Compressed(BlockCodec::kGzip, testing::RepetitiveBytes(1000));
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto decompressor, BlockDecompressor::Make(BlockCodec::kGzip));

  EXPECT_THAT(DecompressBlock(*decompressor, compressed, 1001),
              HasMessage("decompresses to 1000 bytes, expected 1001"));
}

TEST(Lz4HadoopBlockTest, WritesOneHadoopFrameAroundAnLz4Block) {
  Bytes data = testing::RepetitiveBytes(100000);

  Bytes compressed = Compressed(BlockCodec::kLz4Hadoop, data);

  ASSERT_GT(compressed.size(), 8u);
  EXPECT_EQ(LoadBE32(compressed.data()), data.size());
  EXPECT_EQ(LoadBE32(compressed.data() + 4), compressed.size() - 8);
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto raw, BlockDecompressor::Make(BlockCodec::kLz4Raw));
  EXPECT_THAT(DecompressBlock(*raw, BytesView(compressed).subspan(8), data.size()),
              HasValue(data));
}

// Hadoop frames built by hand: [BE32 uncompressed size][BE32 compressed size][LZ4 block].
Bytes HadoopFrame(BytesView data) {
  Bytes block = Compressed(BlockCodec::kLz4Raw, data);
  Bytes frame(8);
  StoreBE32(frame.data(), static_cast<uint32_t>(data.size()));
  StoreBE32(frame.data() + 4, static_cast<uint32_t>(block.size()));
  frame.insert(frame.end(), block.begin(), block.end());
  return frame;
}

TEST(Lz4HadoopBlockTest, ReadsSeveralFrames) {
  Bytes first = testing::RepetitiveBytes(40000);
  Bytes second = testing::RandomBytes(5000);
  Bytes third = testing::RepetitiveBytes(7);
  Bytes frames = Concat(Concat(HadoopFrame(first), HadoopFrame(second)), HadoopFrame(third));
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto decompressor, BlockDecompressor::Make(BlockCodec::kLz4Hadoop));

  EXPECT_THAT(DecompressBlock(*decompressor, frames, 45007),
              HasValue(Concat(Concat(first, second), third)));
}

TEST(Lz4HadoopBlockTest, ReadsARawBlockWhenTheFramingDoesNotAddUp) {
  Bytes data = testing::RepetitiveBytes(40000);
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto decompressor, BlockDecompressor::Make(BlockCodec::kLz4Hadoop));

  EXPECT_THAT(DecompressBlock(*decompressor, Compressed(BlockCodec::kLz4Raw, data), data.size()),
              HasValue(data));
}

TEST(Lz4HadoopBlockTest, NeitherFramedNorRawSaysWhyForBoth) {
  Bytes frames = Concat(HadoopFrame(testing::RepetitiveBytes(1000)), Bytes{0, 0, 0});
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto decompressor, BlockDecompressor::Make(BlockCodec::kLz4Hadoop));

  auto result = DecompressBlock(*decompressor, frames, 1000);

  EXPECT_THAT(result, IsError(ErrorCode::kCorrupt));
  EXPECT_THAT(result, HasMessage("LZ4 block of " + std::to_string(frames.size()) +
                                 " bytes: neither Hadoop-framed (a frame header at byte " +
                                 std::to_string(frames.size() - 3) +
                                 " is cut short) nor a raw LZ4 block ("));
}

TEST(Lz4HadoopBlockTest, FrameSizesBeyondTheInputOrOutputAreNotTrusted) {
  Bytes frame = HadoopFrame(testing::RepetitiveBytes(1000));
  CQLBULK_ASSERT_OK_AND_ASSIGN(auto decompressor, BlockDecompressor::Make(BlockCodec::kLz4Hadoop));
  Bytes big_output = frame;
  StoreBE32(big_output.data(), 0xFFFFFFFF);
  Bytes big_input = frame;
  StoreBE32(big_input.data() + 4, 0xFFFFFFF0);

  EXPECT_THAT(DecompressBlock(*decompressor, big_output, 1000),
              HasMessage("claims 4294967295 bytes, more than the 1000 left to fill"));
  EXPECT_THAT(DecompressBlock(*decompressor, big_input, 1000),
              HasMessage("claims 4294967280 compressed bytes"));
}

}  // namespace
}  // namespace cqlbulk::formats
