// SPDX-License-Identifier: Apache-2.0
// Names, levels and the checks every block codec shares; UNCOMPRESSED. The codecs themselves
// are in the adapter files, one per library (codec_internal.h).
#include "cqlbulk/formats/io/block_codec.h"

#include <array>
#include <cstring>
#include <string>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/io/codec_internal.h"

namespace cqlbulk::formats {
namespace {

struct BlockCodecInfo {
  BlockCodec codec;
  std::string_view name;
  int min_level;  // min_level > max_level: the codec takes no level
  int max_level;
  int default_level;
};

// Arrow's ranges and defaults (pyarrow.Codec.{minimum,maximum,default}_compression_level),
// so that a page compressed at the default level is the one pyarrow would write. ZSTD's
// minimum is libzstd's ZSTD_minCLevel().
constexpr std::array<BlockCodecInfo, 7> kBlockCodecs = {{
    {BlockCodec::kNone, "UNCOMPRESSED", 1, 0, 0},
    {BlockCodec::kSnappy, "SNAPPY", 1, 0, 0},
    {BlockCodec::kGzip, "GZIP", 1, 9, 9},
    {BlockCodec::kZstd, "ZSTD", -(1 << 17), 22, 1},
    {BlockCodec::kLz4Raw, "LZ4_RAW", 1, 12, 1},
    {BlockCodec::kLz4Hadoop, "LZ4", 1, 12, 1},
    {BlockCodec::kBrotli, "BROTLI", 0, 11, 8},
}};

static_assert(
    [] {
      for (size_t i = 0; i < kBlockCodecs.size(); ++i) {
        if (static_cast<size_t>(kBlockCodecs[i].codec) != i) {
          return false;
        }
      }
      return true;
    }(),
    "kBlockCodecs is indexed by BlockCodec");

const BlockCodecInfo& Info(BlockCodec codec) {
  return kBlockCodecs[static_cast<size_t>(codec)];
}

Result<int> ChooseLevel(const BlockCodecInfo& info, std::optional<int> level) {
  if (!level) {
    return info.default_level;
  }
  if (info.min_level > info.max_level) {
    return InvalidArgument(std::string(info.name) + " takes no compression level");
  }
  if (*level < info.min_level || *level > info.max_level) {
    return InvalidArgument(std::string(info.name) + " compression level " +
                           std::to_string(*level) + " is not in " +
                           std::to_string(info.min_level) + ".." + std::to_string(info.max_level));
  }
  return *level;
}

class NoneCompressor final : public BlockCompressor {
 public:
  NoneCompressor() : BlockCompressor(BlockCodec::kNone) {}

 protected:
  Status DoCompress(BytesView input, data::Buffer& out) override {
    out.Append(input);
    return OkStatus();
  }
};

class NoneDecompressor final : public BlockDecompressor {
 public:
  NoneDecompressor() : BlockDecompressor(BlockCodec::kNone) {}

 protected:
  Status DoDecompress(BytesView input, std::span<uint8_t> output) override {
    if (input.size() != output.size()) {
      return BlockWrongSize(codec(), input, input.size(), output.size());
    }
    std::memcpy(output.data(), input.data(), input.size());
    return OkStatus();
  }
};

std::string BlockPrefix(BlockCodec codec, BytesView input) {
  return std::string(BlockCodecName(codec)) + " block of " + std::to_string(input.size()) +
         " bytes: ";
}

}  // namespace

std::string_view BlockCodecName(BlockCodec codec) { return Info(codec).name; }

Result<std::unique_ptr<BlockCompressor>> BlockCompressor::Make(BlockCodec codec,
                                                               std::optional<int> level) {
  CQLBULK_ASSIGN_OR_RETURN(int chosen, ChooseLevel(Info(codec), level));
  switch (codec) {
    case BlockCodec::kNone:
      return std::unique_ptr<BlockCompressor>(std::make_unique<NoneCompressor>());
    case BlockCodec::kSnappy:
      return MakeSnappyBlockCompressor();
    case BlockCodec::kGzip:
      return MakeGzipBlockCompressor(chosen);
    case BlockCodec::kZstd:
      return MakeZstdBlockCompressor(chosen);
    case BlockCodec::kLz4Raw:
    case BlockCodec::kLz4Hadoop:
      return MakeLz4BlockCompressor(codec, chosen);
    case BlockCodec::kBrotli:
      return MakeBrotliBlockCompressor(chosen);
  }
  return Internal("unknown block codec");
}

Status BlockCompressor::Compress(BytesView input, data::Buffer& out) {
  if (input.size() > kMaxBlockBytes) {
    return InvalidArgument(std::string(BlockCodecName(codec_)) + ": a block of " +
                           std::to_string(input.size()) + " bytes is larger than a page (" +
                           std::to_string(kMaxBlockBytes) + " bytes at most)");
  }
  return DoCompress(input, out);
}

Result<std::unique_ptr<BlockDecompressor>> BlockDecompressor::Make(BlockCodec codec) {
  switch (codec) {
    case BlockCodec::kNone:
      return std::unique_ptr<BlockDecompressor>(std::make_unique<NoneDecompressor>());
    case BlockCodec::kSnappy:
      return MakeSnappyBlockDecompressor();
    case BlockCodec::kGzip:
      return MakeGzipBlockDecompressor();
    case BlockCodec::kZstd:
      return MakeZstdBlockDecompressor();
    case BlockCodec::kLz4Raw:
    case BlockCodec::kLz4Hadoop:
      return MakeLz4BlockDecompressor(codec);
    case BlockCodec::kBrotli:
      return MakeBrotliBlockDecompressor();
  }
  return Internal("unknown block codec");
}

Status BlockDecompressor::Decompress(BytesView input, std::span<uint8_t> output) {
  if (output.size() > kMaxBlockBytes) {
    return InvalidArgument(std::string(BlockCodecName(codec_)) + ": cannot decompress into " +
                           std::to_string(output.size()) + " bytes, more than a page (" +
                           std::to_string(kMaxBlockBytes) + " bytes at most)");
  }
  if (input.size() > kMaxBlockBytes) {
    return BlockCorrupt(codec_, input, "larger than a page can be");
  }
  if (input.empty()) {
    // Zero bytes stand for the empty block whatever the codec (and for nothing else).
    if (output.empty()) {
      return OkStatus();
    }
    return BlockCorrupt(codec_, input,
                        "empty, expected " + std::to_string(output.size()) + " bytes");
  }
  return DoDecompress(input, output);
}

Error BlockCorrupt(BlockCodec codec, BytesView input, std::string_view what) {
  return Corrupt(BlockPrefix(codec, input) + std::string(what));
}

Error BlockWrongSize(BlockCodec codec, BytesView input, size_t produced, size_t expected) {
  return Corrupt(BlockPrefix(codec, input) + "decompresses to " + std::to_string(produced) +
                 " bytes, expected " + std::to_string(expected));
}

Error BlockTooLong(BlockCodec codec, BytesView input, size_t expected) {
  return Corrupt(BlockPrefix(codec, input) + "decompresses to more than the " +
                 std::to_string(expected) + " bytes expected");
}

}  // namespace cqlbulk::formats
