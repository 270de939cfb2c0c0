// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/data/buffer.h"

namespace cqlbulk::formats {

/// \brief Parquet's page codecs (named as in parquet.thrift's CompressionCodec). Each Page is
/// compressed on its own, as one block whose uncompressed size the page header gives.
enum class BlockCodec : uint8_t {
  kNone,       ///< UNCOMPRESSED
  kSnappy,     ///< raw Snappy (not the framing format)
  kGzip,       ///< gzip (RFC 1952) on write; gzip or zlib (RFC 1950) on read
  kZstd,       ///< one Zstandard frame
  kLz4Raw,     ///< one LZ4 block, no framing
  kLz4Hadoop,  ///< LZ4, deprecated: Hadoop's framing around LZ4 blocks (a raw block on read too)
  kBrotli,     ///< Brotli (RFC 7932)
};

/// "UNCOMPRESSED", "SNAPPY", "GZIP", "ZSTD", "LZ4_RAW", "LZ4", "BROTLI".
std::string_view BlockCodecName(BlockCodec codec);

/// \brief The most bytes a block holds before or after compression: Parquet's page sizes are
/// 32-bit signed integers.
inline constexpr size_t kMaxBlockBytes = 0x7FFF'FFFF;

/// \brief Compresses independent blocks, keeping its library state (a ZSTD_CCtx, a z_stream,
/// an LZ4 state) from block to block so that small pages cost no setup. Not thread-safe: one
/// per thread.
class BlockCompressor {
 public:
  /// \brief A compressor at `level`, or at the codec's default when nullopt. Levels and
  /// defaults are Arrow's (what pyarrow writes Parquet with): GZIP 1-9 (default 9), ZSTD
  /// -131072-22 (default 1), LZ4_RAW and LZ4 1-12 (default 1; 3 and up use LZ4 HC), BROTLI
  /// 0-11 (default 8); UNCOMPRESSED and SNAPPY take no level. kInvalidArgument for a level the
  /// codec does not take, naming the valid range.
  static Result<std::unique_ptr<BlockCompressor>> Make(BlockCodec codec,
                                                       std::optional<int> level = std::nullopt);

  BlockCompressor(const BlockCompressor&) = delete;
  BlockCompressor& operator=(const BlockCompressor&) = delete;
  virtual ~BlockCompressor() = default;

  /// \brief Appends the compressed form of `input` to `out` (on error `out` is as it was).
  /// kInvalidArgument when `input` is larger than kMaxBlockBytes (or LZ4's 0x7E000000).
  Status Compress(BytesView input, data::Buffer& out);

  BlockCodec codec() const noexcept { return codec_; }

 protected:
  explicit BlockCompressor(BlockCodec codec) noexcept : codec_(codec) {}

  /// Called with input.size() <= kMaxBlockBytes; appends to `out` or leaves it as it was.
  virtual Status DoCompress(BytesView input, data::Buffer& out) = 0;

 private:
  BlockCodec codec_;
};

/// \brief Decompresses independent blocks into buffers of their known uncompressed size.
/// Not thread-safe: one per thread.
class BlockDecompressor {
 public:
  static Result<std::unique_ptr<BlockDecompressor>> Make(BlockCodec codec);

  BlockDecompressor(const BlockDecompressor&) = delete;
  BlockDecompressor& operator=(const BlockDecompressor&) = delete;
  virtual ~BlockDecompressor() = default;

  /// \brief Decompresses `input` into exactly output.size() bytes.
  ///
  /// kCorrupt, naming the codec and what is wrong, when the data is malformed or does not
  /// decompress to exactly output.size() bytes; nothing is ever written past `output`,
  /// whatever sizes the data claims. An empty input is the empty block for every codec.
  /// kInvalidArgument when output.size() is larger than kMaxBlockBytes.
  Status Decompress(BytesView input, std::span<uint8_t> output);

  BlockCodec codec() const noexcept { return codec_; }

 protected:
  explicit BlockDecompressor(BlockCodec codec) noexcept : codec_(codec) {}

  /// Called with both sizes at most kMaxBlockBytes and a non-empty `input`.
  virtual Status DoDecompress(BytesView input, std::span<uint8_t> output) = 0;

 private:
  BlockCodec codec_;
};

// Codecs for containers that frame their blocks themselves and store no uncompressed size
// beside them (Avro's object container files: the "deflate" and "snappy" codecs).

/// \brief Appends `input` compressed as one raw deflate stream (RFC 1951: no zlib or gzip
/// wrapper, no checksum) at zlib `level` 1-9. kInvalidArgument for another level or an input
/// larger than kMaxBlockBytes.
Status RawDeflate(BytesView input, int level, data::Buffer& out);

/// \brief Appends what the raw deflate stream at the start of `input` holds (bytes after its
/// end are ignored, as zlib's and Java's inflaters ignore them: fastavro leaves 3 there).
/// kCorrupt ("deflate block of <n> bytes: ...") when it is malformed, truncated, or holds
/// more than `max_output_bytes`; `out` is then as it was. Memory grows with the output, never
/// from what the input claims.
Status RawInflate(BytesView input, size_t max_output_bytes, data::Buffer& out);

/// \brief The uncompressed length that a raw Snappy block states in its preamble (a varint);
/// kCorrupt when the preamble is malformed.
Result<size_t> SnappyUncompressedLength(BytesView block);

}  // namespace cqlbulk::formats
