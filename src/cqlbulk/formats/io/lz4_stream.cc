// SPDX-License-Identifier: Apache-2.0
// The LZ4 frame format (what the `lz4` tool writes) over lz4frame.h: the adapter for liblz4.
#include <algorithm>
#include <string>
#include <utility>

#include <lz4frame.h>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/io/codec_internal.h"

namespace cqlbulk::formats {
namespace {

class Lz4Writer final : public OutputStream {
 public:
  explicit Lz4Writer(std::unique_ptr<OutputStream> sink) : sink_(std::move(sink)) {}
  ~Lz4Writer() override { LZ4F_freeCompressionContext(cctx_); }

  Status Init(int level) {
    // 64 KiB linked blocks keep both sides' buffers small; the content checksum is what the
    // lz4 tool writes by default.
    prefs_.frameInfo.blockSizeID = LZ4F_max64KB;
    prefs_.frameInfo.blockMode = LZ4F_blockLinked;
    prefs_.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
    prefs_.compressionLevel = level;
    if (LZ4F_isError(LZ4F_createCompressionContext(&cctx_, LZ4F_VERSION))) {
      return Internal("lz4: cannot set up the compressor");
    }
    out_.resize(
        std::max<size_t>(LZ4F_compressBound(kCodecBufferBytes, &prefs_), LZ4F_HEADER_SIZE_MAX));
    return OkStatus();
  }

 protected:
  Status DoWrite(BytesView data) override {
    CQLBULK_RETURN_IF_ERROR(Begin());
    while (!data.empty()) {
      size_t n = std::min(data.size(), kCodecBufferBytes);
      CQLBULK_RETURN_IF_ERROR(
          Emit(LZ4F_compressUpdate(cctx_, out_.data(), out_.size(), data.data(), n, nullptr)));
      data = data.subspan(n);
    }
    return OkStatus();
  }
  Status DoFlush() override {
    CQLBULK_RETURN_IF_ERROR(Begin());
    CQLBULK_RETURN_IF_ERROR(Emit(LZ4F_flush(cctx_, out_.data(), out_.size(), nullptr)));
    return sink_->Flush();
  }
  Status DoClose() override {
    CQLBULK_RETURN_IF_ERROR(Begin());
    CQLBULK_RETURN_IF_ERROR(Emit(LZ4F_compressEnd(cctx_, out_.data(), out_.size(), nullptr)));
    return sink_->Close();
  }

 private:
  // The frame header goes out before the first block (an empty input is one empty frame).
  Status Begin() {
    if (started_) {
      return OkStatus();
    }
    started_ = true;
    return Emit(LZ4F_compressBegin(cctx_, out_.data(), out_.size(), &prefs_));
  }

  // Writes the first `size` bytes of out_, or reports the library's error code.
  Status Emit(size_t size) {
    if (LZ4F_isError(size)) {
      return Internal(std::string("lz4: ") + LZ4F_getErrorName(size));
    }
    if (size == 0) {
      return OkStatus();
    }
    return sink_->Write(BytesView(out_).first(size));
  }

  std::unique_ptr<OutputStream> sink_;
  LZ4F_cctx* cctx_ = nullptr;
  LZ4F_preferences_t prefs_{};
  Bytes out_;
  bool started_ = false;
};

class Lz4Reader final : public InputStream {
 public:
  explicit Lz4Reader(SourceBuffer source) : source_(std::move(source)) {}
  ~Lz4Reader() override { LZ4F_freeDecompressionContext(dctx_); }

  Status Init() {
    if (LZ4F_isError(LZ4F_createDecompressionContext(&dctx_, LZ4F_VERSION))) {
      return Internal("lz4: cannot set up the decompressor");
    }
    return OkStatus();
  }

 protected:
  Result<size_t> DoRead(std::span<uint8_t> out) override {
    while (true) {
      CQLBULK_ASSIGN_OR_RETURN(bool more, source_.Fill());
      BytesView in = source_.available();
      size_t in_size = in.size();
      size_t out_size = out.size();
      // With no input left this still flushes what the decoder holds.
      size_t hint = LZ4F_decompress(dctx_, out.data(), &out_size, in.data(), &in_size, nullptr);
      source_.Consume(in_size);
      if (LZ4F_isError(hint)) {
        return source_.Corrupt(LZ4F_getErrorName(hint));
      }
      // 0: a frame is complete; more input begins another (the lz4 tool reads them in turn).
      // Without input, the hint after a complete frame asks for the next frame's header.
      if (hint == 0) {
        in_frame_ = false;
      } else if (in_size > 0) {
        in_frame_ = true;
      }
      if (out_size > 0) {
        return out_size;
      }
      if (!more) {
        // An empty file is an empty stream, as for the lz4 tool.
        if (in_frame_) {
          return source_.Truncated();
        }
        return size_t{0};
      }
    }
  }

 private:
  SourceBuffer source_;
  LZ4F_dctx* dctx_ = nullptr;
  bool in_frame_ = false;
};

}  // namespace

Result<std::unique_ptr<OutputStream>> MakeLz4Writer(std::unique_ptr<OutputStream> sink, int level) {
  auto writer = std::make_unique<Lz4Writer>(std::move(sink));
  CQLBULK_RETURN_IF_ERROR(writer->Init(level));
  return std::unique_ptr<OutputStream>(std::move(writer));
}

Result<std::unique_ptr<InputStream>> MakeLz4Reader(SourceBuffer source) {
  auto reader = std::make_unique<Lz4Reader>(std::move(source));
  CQLBULK_RETURN_IF_ERROR(reader->Init());
  return std::unique_ptr<InputStream>(std::move(reader));
}

}  // namespace cqlbulk::formats
