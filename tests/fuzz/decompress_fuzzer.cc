// SPDX-License-Identifier: Apache-2.0
// Feeds arbitrary bytes to every decompressor of formats/io (the first byte picks the codec):
// nothing may crash, over-read or hang, and output is capped so decompression bombs stay
// cheap. With the first byte's high bit set, the input is compressed instead and must read
// back exactly.
#include <cstdlib>
#include <memory>
#include <optional>

#include "cqlbulk/formats/io/compression.h"
#include "cqlbulk/formats/io/memory_stream.h"

namespace {

using namespace cqlbulk;
using namespace cqlbulk::formats;

constexpr Compression kCodecs[] = {Compression::kGzip,   Compression::kZstd,  Compression::kLz4,
                                   Compression::kSnappy, Compression::kBzip2, Compression::kXz};
constexpr size_t kMaxOutputBytes = 4 << 20;

void RoundTrip(Compression codec, BytesView data) {
  Bytes compressed;
  // The fastest level: xz -6 alone would set up a 94 MiB encoder per input.
  std::optional<int> level = DefaultLevel(codec) ? std::optional<int>(1) : std::nullopt;
  auto out = CompressingStream(codec, std::make_unique<MemoryOutputStream>(&compressed), level);
  if (!out || !(*out)->Write(data) || !(*out)->Close()) {
    std::abort();
  }
  auto in = DecompressingStream(codec, std::make_unique<MemoryInputStream>(std::move(compressed)),
                                "fuzz");
  if (!in) {
    std::abort();
  }
  auto back = ReadAll(**in);
  if (!back || *back != Bytes(data.begin(), data.end())) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) {
    return 0;
  }
  Compression codec = kCodecs[(data[0] & 0x7F) % std::size(kCodecs)];
  BytesView input(data + 1, size - 1);
  if (data[0] & 0x80) {
    RoundTrip(codec, input);
    return 0;
  }
  auto in = DecompressingStream(
      codec, std::make_unique<MemoryInputStream>(Bytes(input.begin(), input.end())), "fuzz");
  if (!in) {
    return 0;
  }
  uint8_t buffer[4099];
  for (size_t total = 0; total < kMaxOutputBytes;) {
    auto n = (*in)->Read(buffer);
    if (!n || *n == 0) {
      break;
    }
    total += *n;
  }
  return 0;
}
