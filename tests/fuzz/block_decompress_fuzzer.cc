// SPDX-License-Identifier: Apache-2.0
// Feeds arbitrary bytes and output sizes to every BlockDecompressor (Parquet's page codecs):
// the first byte picks the codec, the next three give the output size (at most 1 MiB), the
// rest is the block. Nothing may crash, write past the output (AddressSanitizer sees a heap
// buffer of exactly that size) or fail with anything but kCorrupt. With the first byte's high
// bit set, the block is compressed instead (at a fast level) and must read back exactly. One
// compressor and decompressor per codec serve every input, as a thread's would.
#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <memory>
#include <optional>
#include <span>

#include "cqlbulk/formats/io/block_codec.h"

namespace {

using namespace cqlbulk;
using namespace cqlbulk::formats;

constexpr BlockCodec kCodecs[] = {BlockCodec::kNone,      BlockCodec::kSnappy, BlockCodec::kGzip,
                                  BlockCodec::kZstd,      BlockCodec::kLz4Raw,
                                  BlockCodec::kLz4Hadoop, BlockCodec::kBrotli};
constexpr size_t kNumCodecs = std::size(kCodecs);
constexpr size_t kHeaderBytes = 4;

// The fastest level of each codec that has levels: the fuzzer's time goes to decoding.
std::optional<int> FastLevel(BlockCodec codec) {
  switch (codec) {
    case BlockCodec::kGzip:
    case BlockCodec::kZstd:
    case BlockCodec::kLz4Raw:
    case BlockCodec::kLz4Hadoop:
      return 1;
    case BlockCodec::kBrotli:
      return 0;
    default:
      return std::nullopt;
  }
}

struct Codecs {
  std::unique_ptr<BlockCompressor> compressors[kNumCodecs];
  std::unique_ptr<BlockDecompressor> decompressors[kNumCodecs];

  Codecs() {
    for (size_t i = 0; i < kNumCodecs; ++i) {
      auto compressor = BlockCompressor::Make(kCodecs[i], FastLevel(kCodecs[i]));
      auto decompressor = BlockDecompressor::Make(kCodecs[i]);
      if (!compressor || !decompressor) {
        std::abort();
      }
      compressors[i] = std::move(*compressor);
      decompressors[i] = std::move(*decompressor);
    }
  }
};

Codecs& TheCodecs() {
  static Codecs codecs;
  return codecs;
}

void RoundTrip(size_t codec, BytesView data) {
  data::Buffer compressed;
  if (!TheCodecs().compressors[codec]->Compress(data, compressed)) {
    std::abort();
  }
  std::unique_ptr<uint8_t[]> back(new uint8_t[data.size()]);
  std::span<uint8_t> output(back.get(), data.size());
  if (!TheCodecs().decompressors[codec]->Decompress(compressed.view(), output) ||
      !std::equal(output.begin(), output.end(), data.begin())) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < kHeaderBytes) {
    return 0;
  }
  size_t codec = (data[0] & 0x7F) % kNumCodecs;
  BytesView input(data + kHeaderBytes, size - kHeaderBytes);
  if (data[0] & 0x80) {
    RoundTrip(codec, input);
    return 0;
  }
  size_t output_size = size_t{data[1]} | size_t{data[2]} << 8 | (size_t{data[3]} & 0x0F) << 16;
  // Exactly output_size bytes, so that AddressSanitizer catches a write past them.
  std::unique_ptr<uint8_t[]> buffer(new uint8_t[output_size]);
  Status status =
      TheCodecs().decompressors[codec]->Decompress(input, std::span(buffer.get(), output_size));
  if (!status && status.error().code() != ErrorCode::kCorrupt) {
    std::abort();
  }
  return 0;
}
