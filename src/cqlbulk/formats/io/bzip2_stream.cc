// SPDX-License-Identifier: Apache-2.0
// bzip2 over libbz2: the adapter that includes bzlib.h.
#include <bzlib.h>

#include <algorithm>
#include <limits>
#include <string>
#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/io/codec_internal.h"

namespace cqlbulk::formats {
namespace {

unsigned ClampToUnsigned(size_t n) {
  return static_cast<unsigned>(std::min<size_t>(n, std::numeric_limits<unsigned>::max()));
}

class Bzip2Writer final : public OutputStream {
 public:
  explicit Bzip2Writer(std::unique_ptr<OutputStream> sink) : sink_(std::move(sink)) {}
  ~Bzip2Writer() override {
    if (initialised_) {
      BZ2_bzCompressEnd(&bz_);
    }
  }

  Status Init(int level) {
    // The level is the block size in units of 100 kB, as bzip2 -1 .. -9.
    if (BZ2_bzCompressInit(&bz_, level, 0, 0) != BZ_OK) {
      return Internal("bzip2: cannot set up the compressor");
    }
    initialised_ = true;
    return OkStatus();
  }

 protected:
  Status DoWrite(BytesView data) override {
    while (!data.empty()) {
      unsigned n = ClampToUnsigned(data.size());
      bz_.next_in = reinterpret_cast<char*>(const_cast<uint8_t*>(data.data()));
      bz_.avail_in = n;
      CQLBULK_RETURN_IF_ERROR(Compress(BZ_RUN));
      data = data.subspan(n);
    }
    return OkStatus();
  }
  // BZ_FLUSH ends the current block, so a flushed stream decodes up to here.
  Status DoFlush() override {
    bz_.avail_in = 0;
    CQLBULK_RETURN_IF_ERROR(Compress(BZ_FLUSH));
    return sink_->Flush();
  }
  Status DoClose() override {
    bz_.avail_in = 0;
    CQLBULK_RETURN_IF_ERROR(Compress(BZ_FINISH));
    return sink_->Close();
  }

 private:
  Status Compress(int action) {
    while (true) {
      bz_.next_out = reinterpret_cast<char*>(out_.data());
      bz_.avail_out = static_cast<unsigned>(out_.size());
      int rc = BZ2_bzCompress(&bz_, action);
      if (rc < 0) {
        return Internal("bzip2: compressor error " + std::to_string(rc));
      }
      size_t produced = out_.size() - bz_.avail_out;
      if (produced > 0) {
        CQLBULK_RETURN_IF_ERROR(sink_->Write(BytesView(out_).first(produced)));
      }
      bool done = action == BZ_RUN     ? bz_.avail_in == 0
                  : action == BZ_FLUSH ? rc == BZ_RUN_OK
                                       : rc == BZ_STREAM_END;
      if (done) {
        return OkStatus();
      }
    }
  }

  std::unique_ptr<OutputStream> sink_;
  bz_stream bz_{};
  bool initialised_ = false;
  Bytes out_ = Bytes(kCodecBufferBytes);
};

class Bzip2Reader final : public InputStream {
 public:
  explicit Bzip2Reader(SourceBuffer source) : source_(std::move(source)) {}
  ~Bzip2Reader() override { End(); }

 protected:
  Result<size_t> DoRead(std::span<uint8_t> out) override {
    while (true) {
      CQLBULK_ASSIGN_OR_RETURN(bool more, source_.Fill());
      if (!more) {
        // The end of the file is fine between streams, and only after at least one.
        if (in_stream_ || source_.offset() == 0) {
          return source_.Truncated();
        }
        return size_t{0};
      }
      if (!in_stream_) {
        // Another stream follows (bzip2 -d reads concatenated streams as one).
        End();
        if (BZ2_bzDecompressInit(&bz_, 0, 0) != BZ_OK) {
          return Internal("bzip2: cannot set up the decompressor");
        }
        initialised_ = true;
        in_stream_ = true;
      }
      BytesView in = source_.available();
      bz_.next_in = reinterpret_cast<char*>(const_cast<uint8_t*>(in.data()));
      bz_.avail_in = ClampToUnsigned(in.size());
      bz_.next_out = reinterpret_cast<char*>(out.data());
      bz_.avail_out = ClampToUnsigned(out.size());
      int rc = BZ2_bzDecompress(&bz_);
      source_.Consume(in.size() - bz_.avail_in);
      size_t produced = out.size() - bz_.avail_out;
      if (rc == BZ_STREAM_END) {
        in_stream_ = false;
      } else if (rc == BZ_DATA_ERROR_MAGIC) {
        return source_.Corrupt("not a bzip2 stream");
      } else if (rc == BZ_DATA_ERROR) {
        return source_.Corrupt("invalid compressed data");
      } else if (rc == BZ_MEM_ERROR) {
        return Internal("bzip2: out of memory");
      } else if (rc != BZ_OK) {
        return Internal("bzip2: decompressor error " + std::to_string(rc));
      }
      if (produced > 0) {
        return produced;
      }
    }
  }

 private:
  void End() {
    if (initialised_) {
      BZ2_bzDecompressEnd(&bz_);
      bz_ = {};
      initialised_ = false;
    }
  }

  SourceBuffer source_;
  bz_stream bz_{};
  bool initialised_ = false;
  bool in_stream_ = false;
};

}  // namespace

Result<std::unique_ptr<OutputStream>> MakeBzip2Writer(std::unique_ptr<OutputStream> sink,
                                                      int level) {
  auto writer = std::make_unique<Bzip2Writer>(std::move(sink));
  CQLBULK_RETURN_IF_ERROR(writer->Init(level));
  return std::unique_ptr<OutputStream>(std::move(writer));
}

Result<std::unique_ptr<InputStream>> MakeBzip2Reader(SourceBuffer source) {
  return std::unique_ptr<InputStream>(std::make_unique<Bzip2Reader>(std::move(source)));
}

}  // namespace cqlbulk::formats
