// SPDX-License-Identifier: Apache-2.0
// gzip (RFC 1952) over zlib: the adapter that includes zlib.h. Whole-file streams,
// Parquet's GZIP page codec, and raw deflate blocks (RFC 1951) for Avro's "deflate" codec.
#include <zlib.h>

#include <algorithm>
#include <limits>
#include <string>
#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/io/codec_internal.h"

namespace cqlbulk::formats {
namespace {

// windowBits 15 plus 16 selects the gzip wrapper instead of zlib's; plus 32 instead detects
// either wrapper from the header.
constexpr int kGzipWindowBits = 15 + 16;
constexpr int kGzipOrZlibWindowBits = 15 + 32;
// Negative windowBits: raw deflate, no wrapper and no check value.
constexpr int kRawDeflateWindowBits = -15;

uInt ClampToUInt(size_t n) {
  return static_cast<uInt>(std::min<size_t>(n, std::numeric_limits<uInt>::max()));
}

class GzipWriter final : public OutputStream {
 public:
  explicit GzipWriter(std::unique_ptr<OutputStream> sink) : sink_(std::move(sink)) {}
  ~GzipWriter() override { deflateEnd(&z_); }

  Status Init(int level) {
    if (deflateInit2(&z_, level, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      return Internal("gzip: cannot set up the compressor");
    }
    return OkStatus();
  }

 protected:
  Status DoWrite(BytesView data) override {
    while (!data.empty()) {
      uInt n = ClampToUInt(data.size());
      z_.next_in = const_cast<Bytef*>(data.data());
      z_.avail_in = n;
      CQLBULK_RETURN_IF_ERROR(Deflate(Z_NO_FLUSH));
      data = data.subspan(n);
    }
    return OkStatus();
  }
  Status DoFlush() override {
    CQLBULK_RETURN_IF_ERROR(Deflate(Z_SYNC_FLUSH));
    return sink_->Flush();
  }
  Status DoClose() override {
    CQLBULK_RETURN_IF_ERROR(Deflate(Z_FINISH));
    return sink_->Close();
  }

 private:
  // Runs deflate until it has taken all input and, for a flush, emitted everything.
  Status Deflate(int flush) {
    while (true) {
      z_.next_out = out_.data();
      z_.avail_out = static_cast<uInt>(out_.size());
      int rc = deflate(&z_, flush);
      if (rc == Z_STREAM_ERROR) {
        return Internal("gzip: deflate failed");
      }
      size_t produced = out_.size() - z_.avail_out;
      if (produced > 0) {
        CQLBULK_RETURN_IF_ERROR(sink_->Write(BytesView(out_).first(produced)));
      }
      bool done = flush == Z_FINISH ? rc == Z_STREAM_END : z_.avail_in == 0 && z_.avail_out > 0;
      if (done) {
        return OkStatus();
      }
    }
  }

  std::unique_ptr<OutputStream> sink_;
  z_stream z_{};
  Bytes out_ = Bytes(kCodecBufferBytes);
};

class GzipReader final : public InputStream {
 public:
  explicit GzipReader(SourceBuffer source) : source_(std::move(source)) {}
  ~GzipReader() override { inflateEnd(&z_); }

  Status Init() {
    if (inflateInit2(&z_, kGzipWindowBits) != Z_OK) {
      return Internal("gzip: cannot set up the decompressor");
    }
    return OkStatus();
  }

 protected:
  Result<size_t> DoRead(std::span<uint8_t> out) override {
    while (true) {
      CQLBULK_ASSIGN_OR_RETURN(bool more, source_.Fill());
      if (!more) {
        // The end of the file is fine between members, and only after at least one.
        if (in_member_ || source_.offset() == 0) {
          return source_.Truncated();
        }
        return size_t{0};
      }
      if (!in_member_) {
        // Another member follows (gzip -d reads concatenated members as one stream).
        inflateReset(&z_);
        in_member_ = true;
      }
      BytesView in = source_.available();
      z_.next_in = const_cast<Bytef*>(in.data());
      z_.avail_in = ClampToUInt(in.size());
      z_.next_out = out.data();
      z_.avail_out = ClampToUInt(out.size());
      int rc = inflate(&z_, Z_NO_FLUSH);
      source_.Consume(in.size() - z_.avail_in);
      size_t produced = out.size() - z_.avail_out;
      if (rc == Z_STREAM_END) {
        in_member_ = false;
      } else if (rc == Z_NEED_DICT || rc == Z_DATA_ERROR) {
        return source_.Corrupt(z_.msg != nullptr ? z_.msg : "invalid compressed data");
      } else if (rc == Z_MEM_ERROR) {
        return Internal("gzip: out of memory");
      }
      if (produced > 0) {
        return produced;
      }
    }
  }

 private:
  SourceBuffer source_;
  z_stream z_{};
  bool in_member_ = false;
};

/// Parquet's GZIP pages: one gzip member per block, from a z_stream reset for each.
class GzipBlockCompressor final : public BlockCompressor {
 public:
  GzipBlockCompressor() : BlockCompressor(BlockCodec::kGzip) {}
  ~GzipBlockCompressor() override { deflateEnd(&z_); }

  Status Init(int level) {
    if (deflateInit2(&z_, level, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      return Internal("GZIP: cannot set up the compressor");
    }
    return OkStatus();
  }

 protected:
  Status DoCompress(BytesView input, data::Buffer& out) override {
    deflateReset(&z_);
    // Block sizes fit in uInt (kMaxBlockBytes); the bound covers the gzip header and trailer.
    auto bound = static_cast<uInt>(deflateBound(&z_, static_cast<uLong>(input.size())));
    size_t start = out.size();
    z_.next_in = const_cast<Bytef*>(input.data());
    z_.avail_in = static_cast<uInt>(input.size());
    z_.next_out = out.Grow(bound);
    z_.avail_out = bound;
    int rc = deflate(&z_, Z_FINISH);
    out.Truncate(start + (bound - z_.avail_out));
    if (rc != Z_STREAM_END) {
      out.Truncate(start);
      return Internal("GZIP: deflate did not finish within its bound");
    }
    return OkStatus();
  }

 private:
  z_stream z_{};
};

/// Reads gzip members (one or more, as gzip -d does) or a zlib stream, as Arrow does.
class GzipBlockDecompressor final : public BlockDecompressor {
 public:
  GzipBlockDecompressor() : BlockDecompressor(BlockCodec::kGzip) {}
  ~GzipBlockDecompressor() override { inflateEnd(&z_); }

  Status Init() {
    if (inflateInit2(&z_, kGzipOrZlibWindowBits) != Z_OK) {
      return Internal("GZIP: cannot set up the decompressor");
    }
    return OkStatus();
  }

 protected:
  Status DoDecompress(BytesView input, std::span<uint8_t> output) override {
    inflateReset(&z_);
    z_.next_in = const_cast<Bytef*>(input.data());
    z_.avail_in = static_cast<uInt>(input.size());
    z_.next_out = output.data();
    z_.avail_out = static_cast<uInt>(output.size());
    // Once `output` is full, inflate goes on into one spare byte: the data is too long if it
    // lands there, and fine if the member (or an empty member after it) just ends.
    uint8_t spare = 0;
    bool in_spare = false;
    while (true) {
      if (z_.avail_out == 0) {
        if (in_spare) {
          return BlockTooLong(codec(), input, output.size());
        }
        z_.next_out = &spare;
        z_.avail_out = 1;
        in_spare = true;
      }
      // Z_FINISH: the block is expected in one call, so zlib copies nothing into its window
      // (it does when a call ends inside a member: the data then goes on in the spare byte).
      int rc = inflate(&z_, Z_FINISH);
      size_t offset = input.size() - z_.avail_in;
      if (rc == Z_STREAM_END) {
        if (in_spare && z_.avail_out == 0) {
          return BlockTooLong(codec(), input, output.size());
        }
        if (z_.avail_in == 0) {
          break;
        }
        inflateReset(&z_);  // another member follows
      } else if (rc == Z_BUF_ERROR || rc == Z_OK) {
        // Stopped inside a member: for want of room (on into the spare byte) or of input.
        if (z_.avail_out > 0) {
          return BlockCorrupt(codec(), input, "truncated: ends inside the compressed data");
        }
      } else if (rc == Z_MEM_ERROR) {
        return Internal("GZIP: out of memory");
      } else if (rc == Z_NEED_DICT) {
        return BlockCorrupt(codec(), input, "needs a preset dictionary");
      } else {
        std::string what = z_.msg != nullptr ? z_.msg : "invalid compressed data";
        return BlockCorrupt(codec(), input, what + " at byte " + std::to_string(offset));
      }
    }
    size_t produced = in_spare ? output.size() : output.size() - z_.avail_out;
    if (produced != output.size()) {
      return BlockWrongSize(codec(), input, produced, output.size());
    }
    return OkStatus();
  }

 private:
  z_stream z_{};
};

// Ends a z_stream however the function using it returns.
struct DeflateGuard {
  z_stream* z;
  ~DeflateGuard() { deflateEnd(z); }
};
struct InflateGuard {
  z_stream* z;
  ~InflateGuard() { inflateEnd(z); }
};

Error RawCorrupt(BytesView input, std::string_view what) {
  return Corrupt("deflate block of " + std::to_string(input.size()) + " bytes: " +
                 std::string(what));
}

}  // namespace

Result<std::unique_ptr<BlockCompressor>> MakeGzipBlockCompressor(int level) {
  auto compressor = std::make_unique<GzipBlockCompressor>();
  CQLBULK_RETURN_IF_ERROR(compressor->Init(level));
  return std::unique_ptr<BlockCompressor>(std::move(compressor));
}

Result<std::unique_ptr<BlockDecompressor>> MakeGzipBlockDecompressor() {
  auto decompressor = std::make_unique<GzipBlockDecompressor>();
  CQLBULK_RETURN_IF_ERROR(decompressor->Init());
  return std::unique_ptr<BlockDecompressor>(std::move(decompressor));
}

Result<std::unique_ptr<OutputStream>> MakeGzipWriter(std::unique_ptr<OutputStream> sink,
                                                     int level) {
  auto writer = std::make_unique<GzipWriter>(std::move(sink));
  CQLBULK_RETURN_IF_ERROR(writer->Init(level));
  return std::unique_ptr<OutputStream>(std::move(writer));
}

Result<std::unique_ptr<InputStream>> MakeGzipReader(SourceBuffer source) {
  auto reader = std::make_unique<GzipReader>(std::move(source));
  CQLBULK_RETURN_IF_ERROR(reader->Init());
  return std::unique_ptr<InputStream>(std::move(reader));
}

Status RawDeflate(BytesView input, int level, data::Buffer& out) {
  if (level < 1 || level > 9) {
    return InvalidArgument("deflate compression level " + std::to_string(level) +
                           " is not in 1..9");
  }
  if (input.size() > kMaxBlockBytes) {
    return InvalidArgument("deflate: a block of " + std::to_string(input.size()) +
                           " bytes is larger than " + std::to_string(kMaxBlockBytes));
  }
  z_stream z{};
  if (deflateInit2(&z, level, Z_DEFLATED, kRawDeflateWindowBits, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    return Internal("deflate: cannot set up the compressor");
  }
  DeflateGuard guard{&z};
  auto bound = static_cast<uInt>(deflateBound(&z, static_cast<uLong>(input.size())));
  size_t start = out.size();
  z.next_in = const_cast<Bytef*>(input.data());
  z.avail_in = static_cast<uInt>(input.size());
  z.next_out = out.Grow(bound);
  z.avail_out = bound;
  int rc = deflate(&z, Z_FINISH);
  out.Truncate(start + (bound - z.avail_out));
  if (rc != Z_STREAM_END) {
    out.Truncate(start);
    return Internal("deflate did not finish within its bound");
  }
  return OkStatus();
}

Status RawInflate(BytesView input, size_t max_output_bytes, data::Buffer& out) {
  if (input.size() > kMaxBlockBytes) {
    return RawCorrupt(input, "larger than a block can be");
  }
  z_stream z{};
  if (inflateInit2(&z, kRawDeflateWindowBits) != Z_OK) {
    return Internal("deflate: cannot set up the decompressor");
  }
  InflateGuard guard{&z};
  size_t start = out.size();
  z.next_in = const_cast<Bytef*>(input.data());
  z.avail_in = static_cast<uInt>(input.size());
  // Room for twice the input (or 64 KiB) at a time, and one byte past the limit to see that
  // the data passes it.
  size_t step = std::max<size_t>(2 * input.size(), kCodecBufferBytes);
  while (true) {
    size_t left = max_output_bytes - (out.size() - start);
    size_t room = left < step ? left + 1 : step;
    room = std::min<size_t>(room, std::numeric_limits<uInt>::max());
    z.next_out = out.Grow(room);
    z.avail_out = static_cast<uInt>(room);
    int rc = inflate(&z, Z_NO_FLUSH);
    out.Truncate(out.size() - z.avail_out);
    if (out.size() - start > max_output_bytes) {
      out.Truncate(start);
      return RawCorrupt(input, "decompresses to more than " + std::to_string(max_output_bytes) +
                                   " bytes");
    }
    if (rc == Z_STREAM_END) {
      break;
    }
    if (rc == Z_OK) {
      continue;
    }
    out.Truncate(start);
    if (rc == Z_BUF_ERROR) {
      return RawCorrupt(input, "truncated: ends inside the compressed data");
    }
    if (rc == Z_MEM_ERROR) {
      return Internal("deflate: out of memory");
    }
    size_t offset = input.size() - z.avail_in;
    std::string what = z.msg != nullptr ? z.msg : "invalid compressed data";
    return RawCorrupt(input, what + " at byte " + std::to_string(offset));
  }
  // Bytes after the end of the stream are ignored, as zlib's and Java's inflaters ignore them:
  // fastavro leaves 3 bytes of a zlib trailer there.
  return OkStatus();
}

}  // namespace cqlbulk::formats
