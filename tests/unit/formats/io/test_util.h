// SPDX-License-Identifier: Apache-2.0
// Data generators, whole-buffer compress/decompress through the streams, temporary files and
// the codecs' own command-line tools for the formats/io tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/formats/io/block_codec.h"
#include "cqlbulk/formats/io/compression.h"

namespace cqlbulk::formats {

/// Parameterised test names in ctest print the codec's name, not its bytes.
inline void PrintTo(Compression compression, std::ostream* out) {
  *out << CompressionName(compression);
}
inline void PrintTo(BlockCodec codec, std::ostream* out) { *out << BlockCodecName(codec); }

}  // namespace cqlbulk::formats

namespace cqlbulk::formats::testing {

/// Every codec but kNone.
std::vector<Compression> AllCodecs();
/// For INSTANTIATE_TEST_SUITE_P names: "gzip", "zstd", ...
std::string CodecParamName(Compression compression);

/// Incompressible bytes from a fixed seed.
Bytes RandomBytes(size_t size, uint32_t seed = 1);
/// CSV-like lines that compress well.
Bytes RepetitiveBytes(size_t size);

/// Compresses `data` written in pieces of the sizes in `pieces` (cycling).
Result<Bytes> Compress(Compression compression, BytesView data,
                       const std::vector<size_t>& pieces = {65536},
                       std::optional<int> level = std::nullopt);
/// Decompresses `data` with reads of the sizes in `reads` (cycling).
Result<Bytes> Decompress(Compression compression, Bytes data,
                         const std::vector<size_t>& reads = {65536}, std::string name = "test.bin");

/// A fresh directory under /tmp, removed with its files when destroyed.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string Path(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

Bytes ReadFileBytes(const std::string& path);
void WriteFileBytes(const std::string& path, BytesView data);
/// Runs `command` with /bin/sh; returns its exit status (-1 if it did not exit).
int Shell(const std::string& command);

/// Every block codec, kNone included.
std::vector<BlockCodec> AllBlockCodecs();
/// For INSTANTIATE_TEST_SUITE_P names: "SNAPPY", "LZ4_RAW", ...
std::string BlockCodecParamName(BlockCodec codec);
/// `data` compressed by `compressor` as one block (the test fails on an error).
Bytes CompressBlock(BlockCompressor& compressor, BytesView data);
/// `input` decompressed into `size` bytes; the test fails if the decompressor writes past them.
Result<Bytes> DecompressBlock(BlockDecompressor& decompressor, BytesView input, size_t size);

/// The codec's tool: a command that compresses stdin to stdout, and one that decompresses.
std::string ToolCompressCommand(Compression compression);
std::string ToolDecompressCommand(Compression compression);

}  // namespace cqlbulk::formats::testing
