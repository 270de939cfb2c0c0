// SPDX-License-Identifier: Apache-2.0
// The Snappy framing format (github.com/google/snappy, framing_format.txt; what
// `python3 -m snappy -c` writes), framed here over libsnappy's raw block codec: the adapter
// that includes snappy.h. A stream is a stream identifier chunk, then chunks of at most
// 64 KiB of data, each compressed (type 0x00) or not (0x01) and carrying the masked CRC-32C
// of its uncompressed bytes. Parquet's SNAPPY page codec (raw Snappy) is here too.
#include <snappy.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>

#include "cqlbulk/core/checksum.h"
#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/io/codec_internal.h"

namespace cqlbulk::formats {
namespace {

constexpr uint8_t kCompressedChunk = 0x00;
constexpr uint8_t kUncompressedChunk = 0x01;
constexpr uint8_t kPaddingChunk = 0xFE;
constexpr uint8_t kStreamIdentifierChunk = 0xFF;
constexpr std::array<uint8_t, 10> kStreamIdentifier = {0xFF, 0x06, 0x00, 0x00, 's',
                                                       'N',  'a',  'P',  'p',  'Y'};
// Chunks hold at most this much uncompressed data (framing_format.txt 4.2, 4.3).
constexpr size_t kMaxChunkData = 65536;
constexpr size_t kChunkHeaderBytes = 4;
constexpr size_t kCrcBytes = 4;

uint32_t MaskedCrc32c(BytesView data) {
  uint32_t crc = Crc32c(data);
  return ((crc >> 15) | (crc << 17)) + 0xA282EAD8u;
}

uint32_t LoadLE24(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16;
}
uint32_t LoadLE32(const uint8_t* p) { return LoadLE24(p) | uint32_t{p[3]} << 24; }
void StoreLE32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i, v >>= 8) {
    p[i] = static_cast<uint8_t>(v);
  }
}

class SnappyWriter final : public OutputStream {
 public:
  explicit SnappyWriter(std::unique_ptr<OutputStream> sink) : sink_(std::move(sink)) {
    pending_.reserve(kMaxChunkData);
    out_.resize(kChunkHeaderBytes + kCrcBytes + snappy::MaxCompressedLength(kMaxChunkData));
  }

 protected:
  Status DoWrite(BytesView data) override {
    while (!data.empty()) {
      size_t n = std::min(data.size(), kMaxChunkData - pending_.size());
      pending_.insert(pending_.end(), data.begin(), data.begin() + static_cast<ptrdiff_t>(n));
      data = data.subspan(n);
      if (pending_.size() == kMaxChunkData) {
        CQLBULK_RETURN_IF_ERROR(EmitChunk());
      }
    }
    return OkStatus();
  }
  Status DoFlush() override {
    CQLBULK_RETURN_IF_ERROR(EmitChunk());
    return sink_->Flush();
  }
  Status DoClose() override {
    CQLBULK_RETURN_IF_ERROR(EmitChunk());
    return sink_->Close();
  }

 private:
  // Writes the identifier (once) and pending_ as one chunk, compressed when that saves at
  // least an eighth, as python-snappy decides.
  Status EmitChunk() {
    if (!identifier_written_) {
      identifier_written_ = true;
      CQLBULK_RETURN_IF_ERROR(sink_->Write(kStreamIdentifier));
    }
    if (pending_.empty()) {
      return OkStatus();
    }
    uint8_t* body = out_.data() + kChunkHeaderBytes + kCrcBytes;
    size_t compressed = 0;
    snappy::RawCompress(reinterpret_cast<const char*>(pending_.data()), pending_.size(),
                        reinterpret_cast<char*>(body), &compressed);
    uint8_t type = kCompressedChunk;
    if (compressed > pending_.size() - pending_.size() / 8) {
      type = kUncompressedChunk;
      compressed = pending_.size();
      std::memcpy(body, pending_.data(), compressed);
    }
    StoreLE32(out_.data(), type | static_cast<uint32_t>(compressed + kCrcBytes) << 8);
    StoreLE32(out_.data() + kChunkHeaderBytes, MaskedCrc32c(pending_));
    pending_.clear();
    return sink_->Write(BytesView(out_).first(kChunkHeaderBytes + kCrcBytes + compressed));
  }

  std::unique_ptr<OutputStream> sink_;
  Bytes pending_;
  Bytes out_;
  bool identifier_written_ = false;
};

class SnappyReader final : public InputStream {
 public:
  explicit SnappyReader(SourceBuffer source) : source_(std::move(source)) {
    chunk_.resize(kCrcBytes + snappy::MaxCompressedLength(kMaxChunkData));
    decoded_.resize(kMaxChunkData);
  }

 protected:
  Result<size_t> DoRead(std::span<uint8_t> out) override {
    while (decoded_begin_ == decoded_end_) {
      CQLBULK_ASSIGN_OR_RETURN(bool more, NextChunk());
      if (!more) {
        return size_t{0};
      }
    }
    size_t n = std::min(out.size(), decoded_end_ - decoded_begin_);
    std::memcpy(out.data(), decoded_.data() + decoded_begin_, n);
    decoded_begin_ += n;
    return n;
  }

 private:
  // Copies exactly out.size() bytes from the source; false when the source ended first.
  Result<bool> ReadExact(std::span<uint8_t> out) {
    while (!out.empty()) {
      CQLBULK_ASSIGN_OR_RETURN(bool more, source_.Fill());
      if (!more) {
        return false;
      }
      size_t n = std::min(out.size(), source_.available().size());
      std::memcpy(out.data(), source_.available().data(), n);
      source_.Consume(n);
      out = out.subspan(n);
    }
    return true;
  }

  Result<bool> Skip(size_t n) {
    while (n > 0) {
      CQLBULK_ASSIGN_OR_RETURN(bool more, source_.Fill());
      if (!more) {
        return false;
      }
      size_t step = std::min(n, source_.available().size());
      source_.Consume(step);
      n -= step;
    }
    return true;
  }

  // Reads chunks until one yields data into decoded_; false at a clean end of the stream.
  Result<bool> NextChunk() {
    std::array<uint8_t, kChunkHeaderBytes> header;
    CQLBULK_ASSIGN_OR_RETURN(bool more, source_.Fill());
    if (!more) {
      // An empty file is an empty stream: python-snappy writes nothing for no data.
      return false;
    }
    CQLBULK_ASSIGN_OR_RETURN(bool whole, ReadExact(header));
    if (!whole) {
      return source_.Truncated();
    }
    uint8_t type = header[0];
    size_t length = LoadLE24(header.data() + 1);
    if (!seen_identifier_ && type != kStreamIdentifierChunk) {
      return source_.Corrupt("stream identifier chunk missing");
    }
    switch (type) {
      case kStreamIdentifierChunk:
        return ReadStreamIdentifier(length);
      case kCompressedChunk:
      case kUncompressedChunk:
        return ReadDataChunk(type, length);
      default:
        break;
    }
    if (type < 0x80) {
      char what[48];
      std::snprintf(what, sizeof what, "reserved unskippable chunk type 0x%02x", type);
      return source_.Corrupt(what);
    }
    // 0x80-0xfd reserved skippable chunks and 0xfe padding.
    static_assert(kPaddingChunk >= 0x80);
    CQLBULK_ASSIGN_OR_RETURN(bool skipped, Skip(length));
    if (!skipped) {
      return source_.Truncated();
    }
    return true;
  }

  Result<bool> ReadStreamIdentifier(size_t length) {
    std::array<uint8_t, kStreamIdentifier.size() - kChunkHeaderBytes> body;
    if (length != body.size()) {
      return source_.Corrupt("bad stream identifier chunk");
    }
    CQLBULK_ASSIGN_OR_RETURN(bool whole, ReadExact(body));
    if (!whole) {
      return source_.Truncated();
    }
    if (!std::equal(body.begin(), body.end(), kStreamIdentifier.begin() + kChunkHeaderBytes)) {
      return source_.Corrupt("bad stream identifier chunk");
    }
    seen_identifier_ = true;
    return true;
  }

  Result<bool> ReadDataChunk(uint8_t type, size_t length) {
    size_t max_body = type == kCompressedChunk ? chunk_.size() - kCrcBytes : kMaxChunkData;
    if (length < kCrcBytes || length - kCrcBytes > max_body) {
      return source_.Corrupt("chunk length " + std::to_string(length) + " out of range");
    }
    CQLBULK_ASSIGN_OR_RETURN(bool whole, ReadExact(std::span(chunk_).first(length)));
    if (!whole) {
      return source_.Truncated();
    }
    uint32_t expected_crc = LoadLE32(chunk_.data());
    const char* body = reinterpret_cast<const char*>(chunk_.data() + kCrcBytes);
    size_t body_size = length - kCrcBytes;
    size_t size = body_size;
    if (type == kCompressedChunk) {
      if (!snappy::GetUncompressedLength(body, body_size, &size) || size > kMaxChunkData ||
          !snappy::RawUncompress(body, body_size, reinterpret_cast<char*>(decoded_.data()))) {
        return source_.Corrupt("invalid compressed chunk");
      }
    } else {
      std::memcpy(decoded_.data(), body, size);
    }
    if (MaskedCrc32c(BytesView(decoded_).first(size)) != expected_crc) {
      return source_.Corrupt("CRC-32C mismatch");
    }
    decoded_begin_ = 0;
    decoded_end_ = size;
    return true;
  }

  SourceBuffer source_;
  Bytes chunk_;
  Bytes decoded_;
  size_t decoded_begin_ = 0;
  size_t decoded_end_ = 0;
  bool seen_identifier_ = false;
};

/// Parquet's SNAPPY pages: raw Snappy, a varint of the uncompressed length then the tags.
class SnappyBlockCompressor final : public BlockCompressor {
 public:
  SnappyBlockCompressor() : BlockCompressor(BlockCodec::kSnappy) {}

 protected:
  Status DoCompress(BytesView input, data::Buffer& out) override {
    size_t start = out.size();
    auto* dst = reinterpret_cast<char*>(out.Grow(snappy::MaxCompressedLength(input.size())));
    size_t n = 0;
    snappy::RawCompress(reinterpret_cast<const char*>(input.data()), input.size(), dst, &n);
    out.Truncate(start + n);
    return OkStatus();
  }
};

class SnappyBlockDecompressor final : public BlockDecompressor {
 public:
  SnappyBlockDecompressor() : BlockDecompressor(BlockCodec::kSnappy) {}

 protected:
  Status DoDecompress(BytesView input, std::span<uint8_t> output) override {
    const auto* src = reinterpret_cast<const char*>(input.data());
    size_t size = 0;
    if (!snappy::GetUncompressedLength(src, input.size(), &size)) {
      return BlockCorrupt(codec(), input, "invalid length header");
    }
    // The header's length is checked before anything is written: RawUncompress fills that
    // many bytes and fails on data that would write more.
    if (size != output.size()) {
      return BlockCorrupt(codec(), input,
                          "its header gives " + std::to_string(size) + " bytes, expected " +
                              std::to_string(output.size()));
    }
    if (!snappy::RawUncompress(src, input.size(), reinterpret_cast<char*>(output.data()))) {
      return BlockCorrupt(codec(), input, "invalid compressed data");
    }
    return OkStatus();
  }
};

}  // namespace

Result<std::unique_ptr<BlockCompressor>> MakeSnappyBlockCompressor() {
  return std::unique_ptr<BlockCompressor>(std::make_unique<SnappyBlockCompressor>());
}

Result<std::unique_ptr<BlockDecompressor>> MakeSnappyBlockDecompressor() {
  return std::unique_ptr<BlockDecompressor>(std::make_unique<SnappyBlockDecompressor>());
}

Result<std::unique_ptr<OutputStream>> MakeSnappyWriter(std::unique_ptr<OutputStream> sink) {
  return std::unique_ptr<OutputStream>(std::make_unique<SnappyWriter>(std::move(sink)));
}

Result<std::unique_ptr<InputStream>> MakeSnappyReader(SourceBuffer source) {
  return std::unique_ptr<InputStream>(std::make_unique<SnappyReader>(std::move(source)));
}

Result<size_t> SnappyUncompressedLength(BytesView block) {
  size_t size = 0;
  if (!snappy::GetUncompressedLength(reinterpret_cast<const char*>(block.data()), block.size(),
                                     &size)) {
    return Corrupt("SNAPPY block of " + std::to_string(block.size()) +
                   " bytes: invalid length header");
  }
  return size;
}

}  // namespace cqlbulk::formats
