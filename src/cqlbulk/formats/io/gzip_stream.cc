// SPDX-License-Identifier: Apache-2.0
// gzip (RFC 1952) over zlib: the adapter that includes zlib.h.
#include <zlib.h>

#include <algorithm>
#include <limits>
#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/io/codec_internal.h"

namespace cqlbulk::formats {
namespace {

// windowBits 15 plus 16 selects the gzip wrapper instead of zlib's.
constexpr int kGzipWindowBits = 15 + 16;

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

}  // namespace

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

}  // namespace cqlbulk::formats
