// SPDX-License-Identifier: Apache-2.0
// Parquet's BROTLI page codec (RFC 7932) over libbrotlienc and libbrotlidec: the adapter that
// includes brotli's headers.
//
// libbrotli 1.0.9 cannot reset an encoder or decoder for another stream, so each block gets a
// fresh one (BrotliEncoderCompress does that itself); there is no state to keep between blocks.
#include <brotli/decode.h>
#include <brotli/encode.h>

#include <memory>
#include <string>

#include "cqlbulk/formats/io/codec_internal.h"

namespace cqlbulk::formats {
namespace {

class BrotliBlockCompressor final : public BlockCompressor {
 public:
  explicit BrotliBlockCompressor(int quality)
      : BlockCompressor(BlockCodec::kBrotli), quality_(quality) {}

 protected:
  Status DoCompress(BytesView input, data::Buffer& out) override {
    // The bound holds at every quality: BrotliEncoderCompress falls back to stored meta-blocks
    // when compressing would not fit in it.
    size_t bound = BrotliEncoderMaxCompressedSize(input.size());
    size_t start = out.size();
    size_t n = bound;
    if (bound == 0 || !BrotliEncoderCompress(quality_, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC,
                                             input.size(), input.data(), &n, out.Grow(bound))) {
      out.Truncate(start);
      return Internal("BROTLI: compression failed");
    }
    out.Truncate(start + n);
    return OkStatus();
  }

 private:
  int quality_;
};

struct DecoderDeleter {
  void operator()(BrotliDecoderState* state) const { BrotliDecoderDestroyInstance(state); }
};

class BrotliBlockDecompressor final : public BlockDecompressor {
 public:
  BrotliBlockDecompressor() : BlockDecompressor(BlockCodec::kBrotli) {}

 protected:
  Status DoDecompress(BytesView input, std::span<uint8_t> output) override {
    std::unique_ptr<BrotliDecoderState, DecoderDeleter> decoder(
        BrotliDecoderCreateInstance(nullptr, nullptr, nullptr));
    if (decoder == nullptr) {
      return Internal("BROTLI: cannot set up the decompressor");
    }
    size_t available_in = input.size();
    const uint8_t* next_in = input.data();
    size_t available_out = output.size();
    uint8_t* next_out = output.data();
    // The decoder writes at most available_out bytes, and its window is at most 16 MiB.
    BrotliDecoderResult result = BrotliDecoderDecompressStream(
        decoder.get(), &available_in, &next_in, &available_out, &next_out, nullptr);
    size_t offset = input.size() - available_in;
    switch (result) {
      case BROTLI_DECODER_RESULT_SUCCESS:
        break;
      case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:
        return BlockTooLong(codec(), input, output.size());
      case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:
        return BlockCorrupt(codec(), input, "truncated: ends inside the compressed data");
      case BROTLI_DECODER_RESULT_ERROR:
      default:
        return BlockCorrupt(codec(), input,
                            std::string(BrotliDecoderErrorString(
                                BrotliDecoderGetErrorCode(decoder.get()))) +
                                " at byte " + std::to_string(offset));
    }
    if (available_in != 0) {
      return BlockCorrupt(codec(), input,
                          std::to_string(available_in) +
                              " bytes after the end of the data at byte " +
                              std::to_string(offset));
    }
    if (available_out != 0) {
      return BlockWrongSize(codec(), input, output.size() - available_out, output.size());
    }
    return OkStatus();
  }
};

}  // namespace

Result<std::unique_ptr<BlockCompressor>> MakeBrotliBlockCompressor(int level) {
  return std::unique_ptr<BlockCompressor>(std::make_unique<BrotliBlockCompressor>(level));
}

Result<std::unique_ptr<BlockDecompressor>> MakeBrotliBlockDecompressor() {
  return std::unique_ptr<BlockDecompressor>(std::make_unique<BrotliBlockDecompressor>());
}

}  // namespace cqlbulk::formats
