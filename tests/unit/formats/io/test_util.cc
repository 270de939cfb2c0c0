// SPDX-License-Identifier: Apache-2.0
#include "test_util.h"

#include <stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <utility>

#include <sys/wait.h>

#include <gtest/gtest.h>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/io/memory_stream.h"

namespace cqlbulk::formats::testing {

std::vector<Compression> AllCodecs() {
  return {Compression::kGzip,   Compression::kZstd,  Compression::kLz4,
          Compression::kSnappy, Compression::kBzip2, Compression::kXz};
}

std::string CodecParamName(Compression compression) {
  return std::string(CompressionName(compression));
}

std::vector<BlockCodec> AllBlockCodecs() {
  return {BlockCodec::kNone,   BlockCodec::kSnappy,    BlockCodec::kGzip,  BlockCodec::kZstd,
          BlockCodec::kLz4Raw, BlockCodec::kLz4Hadoop, BlockCodec::kBrotli};
}

std::string BlockCodecParamName(BlockCodec codec) { return std::string(BlockCodecName(codec)); }

Bytes CompressBlock(BlockCompressor& compressor, BytesView data) {
  data::Buffer out;
  Status status = compressor.Compress(data, out);
  EXPECT_TRUE(status.has_value()) << status.error().ToString();
  return Bytes(out.data(), out.data() + out.size());
}

Result<Bytes> DecompressBlock(BlockDecompressor& decompressor, BytesView input, size_t size) {
  // Guard bytes after the output catch a write past it even without AddressSanitizer.
  constexpr size_t kGuardBytes = 64;
  constexpr uint8_t kGuard = 0xA5;
  Bytes buffer(size + kGuardBytes, kGuard);
  Status status = decompressor.Decompress(input, std::span<uint8_t>(buffer).first(size));
  EXPECT_TRUE(std::all_of(buffer.begin() + static_cast<ptrdiff_t>(size), buffer.end(),
                          [](uint8_t b) { return b == kGuard; }))
      << BlockCodecName(decompressor.codec()) << " wrote past the output";
  CQLBULK_RETURN_IF_ERROR(status);
  buffer.resize(size);
  return buffer;
}

Bytes RandomBytes(size_t size, uint32_t seed) {
  std::mt19937 rng(seed);
  Bytes out(size);
  for (auto& b : out) {
    b = static_cast<uint8_t>(rng());
  }
  return out;
}

Bytes RepetitiveBytes(size_t size) {
  Bytes out;
  out.reserve(size + 64);
  for (uint64_t row = 0; out.size() < size; ++row) {
    std::string line = std::to_string(row) + ",user" + std::to_string(row % 97) +
                       ",2024-01-01T00:00:00Z,some constant text\n";
    out.insert(out.end(), line.begin(), line.end());
  }
  out.resize(size);
  return out;
}

Result<Bytes> Compress(Compression compression, BytesView data, const std::vector<size_t>& pieces,
                       std::optional<int> level) {
  Bytes out;
  CQLBULK_ASSIGN_OR_RETURN(
      auto stream,
      CompressingStream(compression, std::make_unique<MemoryOutputStream>(&out), level));
  for (size_t i = 0; !data.empty(); ++i) {
    size_t n = std::min(data.size(), pieces[i % pieces.size()]);
    CQLBULK_RETURN_IF_ERROR(stream->Write(data.first(n)));
    data = data.subspan(n);
  }
  CQLBULK_RETURN_IF_ERROR(stream->Close());
  return out;
}

Result<Bytes> Decompress(Compression compression, Bytes data, const std::vector<size_t>& reads,
                         std::string name) {
  CQLBULK_ASSIGN_OR_RETURN(
      auto stream,
      DecompressingStream(compression, std::make_unique<MemoryInputStream>(std::move(data)),
                          std::move(name)));
  Bytes out;
  Bytes buffer(*std::max_element(reads.begin(), reads.end()));
  for (size_t i = 0;; ++i) {
    CQLBULK_ASSIGN_OR_RETURN(size_t n,
                             stream->Read(std::span(buffer).first(reads[i % reads.size()])));
    if (n == 0) {
      return out;
    }
    out.insert(out.end(), buffer.begin(), buffer.begin() + static_cast<ptrdiff_t>(n));
  }
}

TempDir::TempDir() {
  std::string pattern = "/tmp/cqlbulk_formats_XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    std::abort();
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

Bytes ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void WriteFileBytes(const std::string& path, BytesView data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
}

int Shell(const std::string& command) {
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// python3-snappy is Debian's, so it runs under Debian's python3 whatever python3 is on PATH;
// snappy_tool.py works around its broken CRC-32C (tests run from the source tree).
std::string ToolCompressCommand(Compression compression) {
  switch (compression) {
    case Compression::kGzip:
      return "gzip -c";
    case Compression::kZstd:
      return "zstd -q -c";
    case Compression::kLz4:
      return "lz4 -q -c";
    case Compression::kSnappy:
      return "/usr/bin/python3 tests/unit/formats/io/snappy_tool.py -c";
    case Compression::kBzip2:
      return "bzip2 -c";
    case Compression::kXz:
      return "xz -c";
    case Compression::kNone:
      break;
  }
  return "cat";
}

std::string ToolDecompressCommand(Compression compression) {
  switch (compression) {
    case Compression::kGzip:
      return "gzip -dc";
    case Compression::kZstd:
      return "zstd -q -dc";
    case Compression::kLz4:
      return "lz4 -q -dc";
    case Compression::kSnappy:
      return "/usr/bin/python3 tests/unit/formats/io/snappy_tool.py -d";
    case Compression::kBzip2:
      return "bzip2 -dc";
    case Compression::kXz:
      return "xz -dc";
    case Compression::kNone:
      break;
  }
  return "cat";
}

}  // namespace cqlbulk::formats::testing
