// SPDX-License-Identifier: Apache-2.0
// The .xz container over liblzma: the adapter that includes lzma.h.
#include <lzma.h>

#include <string>
#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/io/codec_internal.h"

namespace cqlbulk::formats {
namespace {

// A file whose dictionary needs more than this is refused (xz -9 needs 65 MiB to decode).
constexpr uint64_t kDecoderMemoryLimitBytes = uint64_t{256} << 20;

class XzWriter final : public OutputStream {
 public:
  explicit XzWriter(std::unique_ptr<OutputStream> sink) : sink_(std::move(sink)) {}
  ~XzWriter() override { lzma_end(&lz_); }

  Status Init(int level) {
    // CRC64 is the check xz writes by default.
    if (lzma_easy_encoder(&lz_, static_cast<uint32_t>(level), LZMA_CHECK_CRC64) != LZMA_OK) {
      return Internal("xz: cannot set up the compressor");
    }
    return OkStatus();
  }

 protected:
  Status DoWrite(BytesView data) override {
    lz_.next_in = data.data();
    lz_.avail_in = data.size();
    return Compress(LZMA_RUN);
  }
  Status DoFlush() override {
    CQLBULK_RETURN_IF_ERROR(Compress(LZMA_SYNC_FLUSH));
    return sink_->Flush();
  }
  Status DoClose() override {
    CQLBULK_RETURN_IF_ERROR(Compress(LZMA_FINISH));
    return sink_->Close();
  }

 private:
  Status Compress(lzma_action action) {
    while (true) {
      lz_.next_out = out_.data();
      lz_.avail_out = out_.size();
      lzma_ret rc = lzma_code(&lz_, action);
      if (rc != LZMA_OK && rc != LZMA_STREAM_END) {
        return Internal("xz: compressor error " + std::to_string(static_cast<int>(rc)));
      }
      size_t produced = out_.size() - lz_.avail_out;
      if (produced > 0) {
        CQLBULK_RETURN_IF_ERROR(sink_->Write(BytesView(out_).first(produced)));
      }
      // A flush or finish is done when liblzma says LZMA_STREAM_END.
      bool done = action == LZMA_RUN ? lz_.avail_in == 0 : rc == LZMA_STREAM_END;
      if (done) {
        return OkStatus();
      }
    }
  }

  std::unique_ptr<OutputStream> sink_;
  lzma_stream lz_ = LZMA_STREAM_INIT;
  Bytes out_ = Bytes(kCodecBufferBytes);
};

class XzReader final : public InputStream {
 public:
  explicit XzReader(SourceBuffer source) : source_(std::move(source)) {}
  ~XzReader() override { lzma_end(&lz_); }

  Status Init() {
    // LZMA_CONCATENATED reads concatenated .xz streams as xz -d does; it then needs
    // LZMA_FINISH once the input has ended to know the last stream is complete.
    if (lzma_stream_decoder(&lz_, kDecoderMemoryLimitBytes, LZMA_CONCATENATED) != LZMA_OK) {
      return Internal("xz: cannot set up the decompressor");
    }
    return OkStatus();
  }

 protected:
  Result<size_t> DoRead(std::span<uint8_t> out) override {
    if (finished_) {
      return size_t{0};
    }
    while (true) {
      CQLBULK_ASSIGN_OR_RETURN(bool more, source_.Fill());
      BytesView in = source_.available();
      lz_.next_in = in.data();
      lz_.avail_in = in.size();
      lz_.next_out = out.data();
      lz_.avail_out = out.size();
      lzma_ret rc = lzma_code(&lz_, more ? LZMA_RUN : LZMA_FINISH);
      source_.Consume(in.size() - lz_.avail_in);
      size_t produced = out.size() - lz_.avail_out;
      if (rc == LZMA_STREAM_END) {
        finished_ = true;
        return produced;
      }
      if (rc != LZMA_OK) {
        return Failure(rc);
      }
      if (produced > 0) {
        return produced;
      }
      if (!more) {
        // LZMA_FINISH without progress and without the end of the stream.
        return source_.Truncated();
      }
    }
  }

 private:
  Error Failure(lzma_ret rc) const {
    switch (rc) {
      case LZMA_BUF_ERROR:
        return source_.Truncated();
      case LZMA_FORMAT_ERROR:
        return source_.Corrupt("not in the .xz format");
      case LZMA_OPTIONS_ERROR:
        return source_.Corrupt("unsupported options");
      case LZMA_DATA_ERROR:
        return source_.Corrupt("invalid compressed data");
      case LZMA_MEMLIMIT_ERROR:
        return source_.Corrupt("needs more than " + std::to_string(kDecoderMemoryLimitBytes >> 20) +
                               " MiB of memory to decode");
      case LZMA_MEM_ERROR:
        return Internal("xz: out of memory");
      default:
        return Internal("xz: decompressor error " + std::to_string(static_cast<int>(rc)));
    }
  }

  SourceBuffer source_;
  lzma_stream lz_ = LZMA_STREAM_INIT;
  bool finished_ = false;
};

}  // namespace

Result<std::unique_ptr<OutputStream>> MakeXzWriter(std::unique_ptr<OutputStream> sink, int level) {
  auto writer = std::make_unique<XzWriter>(std::move(sink));
  CQLBULK_RETURN_IF_ERROR(writer->Init(level));
  return std::unique_ptr<OutputStream>(std::move(writer));
}

Result<std::unique_ptr<InputStream>> MakeXzReader(SourceBuffer source) {
  auto reader = std::make_unique<XzReader>(std::move(source));
  CQLBULK_RETURN_IF_ERROR(reader->Init());
  return std::unique_ptr<InputStream>(std::move(reader));
}

}  // namespace cqlbulk::formats
