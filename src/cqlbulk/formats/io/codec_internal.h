// SPDX-License-Identifier: Apache-2.0
// What the codec adapters (one .cc per library) share; nothing here names a library.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/formats/io/block_codec.h"
#include "cqlbulk/formats/io/stream.h"

namespace cqlbulk::formats {

/// Size of each codec's input and output buffers.
inline constexpr size_t kCodecBufferBytes = 64 * 1024;

/// \brief The compressed input of a decompressor: one fixed buffer refilled from the source,
/// and the offset of the next compressed byte for error messages.
class SourceBuffer {
 public:
  SourceBuffer(std::unique_ptr<InputStream> source, std::string name, std::string_view codec);

  /// The buffered bytes not yet consumed.
  BytesView available() const noexcept { return BytesView(buffer_).subspan(begin_, end_ - begin_); }
  void Consume(size_t n) noexcept;
  /// \brief Reads more when nothing is buffered; returns false at the end of the source.
  Result<bool> Fill();
  /// Offset in the compressed stream of available()'s first byte.
  uint64_t offset() const noexcept { return consumed_; }

  /// kCorrupt "<name>: <codec>: <what> at byte <offset>".
  Error Corrupt(std::string_view what) const;
  /// kCorrupt "<name>: <codec>: unexpected end of file after <offset> bytes".
  Error Truncated() const;

 private:
  std::unique_ptr<InputStream> source_;
  std::string name_;
  std::string_view codec_;
  Bytes buffer_;
  size_t begin_ = 0;
  size_t end_ = 0;
  uint64_t consumed_ = 0;
  bool at_end_ = false;
};

// One writer and one reader per adapter file; the level has been validated. kInternal when
// the library cannot set up its state.
Result<std::unique_ptr<OutputStream>> MakeGzipWriter(std::unique_ptr<OutputStream> sink, int level);
Result<std::unique_ptr<InputStream>> MakeGzipReader(SourceBuffer source);
Result<std::unique_ptr<OutputStream>> MakeZstdWriter(std::unique_ptr<OutputStream> sink, int level);
Result<std::unique_ptr<InputStream>> MakeZstdReader(SourceBuffer source);
Result<std::unique_ptr<OutputStream>> MakeLz4Writer(std::unique_ptr<OutputStream> sink, int level);
Result<std::unique_ptr<InputStream>> MakeLz4Reader(SourceBuffer source);
Result<std::unique_ptr<OutputStream>> MakeSnappyWriter(std::unique_ptr<OutputStream> sink);
Result<std::unique_ptr<InputStream>> MakeSnappyReader(SourceBuffer source);
Result<std::unique_ptr<OutputStream>> MakeBzip2Writer(std::unique_ptr<OutputStream> sink,
                                                      int level);
Result<std::unique_ptr<InputStream>> MakeBzip2Reader(SourceBuffer source);
Result<std::unique_ptr<OutputStream>> MakeXzWriter(std::unique_ptr<OutputStream> sink, int level);
Result<std::unique_ptr<InputStream>> MakeXzReader(SourceBuffer source);

// Parquet's page codecs (io/block_codec.h): a compressor and a decompressor per adapter file
// (gzip_stream.cc, zstd_stream.cc, lz4_stream.cc for LZ4_RAW and LZ4, snappy_stream.cc,
// brotli_codec.cc); the level has been validated. kInternal when the library cannot set up
// its state.
Result<std::unique_ptr<BlockCompressor>> MakeGzipBlockCompressor(int level);
Result<std::unique_ptr<BlockDecompressor>> MakeGzipBlockDecompressor();
Result<std::unique_ptr<BlockCompressor>> MakeZstdBlockCompressor(int level);
Result<std::unique_ptr<BlockDecompressor>> MakeZstdBlockDecompressor();
/// `codec` is kLz4Raw or kLz4Hadoop.
Result<std::unique_ptr<BlockCompressor>> MakeLz4BlockCompressor(BlockCodec codec, int level);
Result<std::unique_ptr<BlockDecompressor>> MakeLz4BlockDecompressor(BlockCodec codec);
Result<std::unique_ptr<BlockCompressor>> MakeSnappyBlockCompressor();
Result<std::unique_ptr<BlockDecompressor>> MakeSnappyBlockDecompressor();
Result<std::unique_ptr<BlockCompressor>> MakeBrotliBlockCompressor(int level);
Result<std::unique_ptr<BlockDecompressor>> MakeBrotliBlockDecompressor();

/// kCorrupt "<CODEC> block of <input.size()> bytes: <what>".
Error BlockCorrupt(BlockCodec codec, BytesView input, std::string_view what);
/// kCorrupt "<CODEC> block of <n> bytes: decompresses to <produced> bytes, expected <expected>".
Error BlockWrongSize(BlockCodec codec, BytesView input, size_t produced, size_t expected);
/// kCorrupt "<CODEC> block of <n> bytes: decompresses to more than the <expected> bytes
/// expected".
Error BlockTooLong(BlockCodec codec, BytesView input, size_t expected);

}  // namespace cqlbulk::formats
