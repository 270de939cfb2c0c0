// SPDX-License-Identifier: Apache-2.0
// Zstandard frames over libzstd: the adapter that includes zstd.h. Whole-file streams (the
// streaming API) and Parquet's ZSTD page codec (one frame per block).
#include <zstd.h>
#include <zstd_errors.h>

#include <string>
#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/io/codec_internal.h"

namespace cqlbulk::formats {
namespace {

class ZstdWriter final : public OutputStream {
 public:
  explicit ZstdWriter(std::unique_ptr<OutputStream> sink) : sink_(std::move(sink)) {}
  ~ZstdWriter() override { ZSTD_freeCCtx(cctx_); }

  Status Init(int level) {
    cctx_ = ZSTD_createCCtx();
    if (cctx_ == nullptr ||
        ZSTD_isError(ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, level)) ||
        ZSTD_isError(ZSTD_CCtx_setParameter(cctx_, ZSTD_c_checksumFlag, 1))) {
      return Internal("zstd: cannot set up the compressor");
    }
    return OkStatus();
  }

 protected:
  Status DoWrite(BytesView data) override {
    ZSTD_inBuffer in{data.data(), data.size(), 0};
    return Compress(in, ZSTD_e_continue);
  }
  Status DoFlush() override {
    ZSTD_inBuffer in{nullptr, 0, 0};
    CQLBULK_RETURN_IF_ERROR(Compress(in, ZSTD_e_flush));
    return sink_->Flush();
  }
  Status DoClose() override {
    ZSTD_inBuffer in{nullptr, 0, 0};
    CQLBULK_RETURN_IF_ERROR(Compress(in, ZSTD_e_end));
    return sink_->Close();
  }

 private:
  // Continues until all input is taken and, for flush and end, nothing is left to emit.
  Status Compress(ZSTD_inBuffer& in, ZSTD_EndDirective mode) {
    while (true) {
      ZSTD_outBuffer out{out_.data(), out_.size(), 0};
      size_t remaining = ZSTD_compressStream2(cctx_, &out, &in, mode);
      if (ZSTD_isError(remaining)) {
        return Internal(std::string("zstd: ") + ZSTD_getErrorName(remaining));
      }
      if (out.pos > 0) {
        CQLBULK_RETURN_IF_ERROR(sink_->Write(BytesView(out_).first(out.pos)));
      }
      bool done = mode == ZSTD_e_continue ? in.pos == in.size : remaining == 0;
      if (done) {
        return OkStatus();
      }
    }
  }

  std::unique_ptr<OutputStream> sink_;
  ZSTD_CCtx* cctx_ = nullptr;
  Bytes out_ = Bytes(ZSTD_CStreamOutSize());
};

class ZstdReader final : public InputStream {
 public:
  explicit ZstdReader(SourceBuffer source) : source_(std::move(source)) {}
  ~ZstdReader() override { ZSTD_freeDCtx(dctx_); }

  Status Init() {
    dctx_ = ZSTD_createDCtx();
    if (dctx_ == nullptr) {
      return Internal("zstd: cannot set up the decompressor");
    }
    return OkStatus();
  }

 protected:
  Result<size_t> DoRead(std::span<uint8_t> out_span) override {
    ZSTD_outBuffer out{out_span.data(), out_span.size(), 0};
    while (true) {
      CQLBULK_ASSIGN_OR_RETURN(bool more, source_.Fill());
      BytesView available = source_.available();
      ZSTD_inBuffer in{available.data(), available.size(), 0};
      // With no input left this still flushes what the decoder holds.
      size_t hint = ZSTD_decompressStream(dctx_, &out, &in);
      source_.Consume(in.pos);
      if (ZSTD_isError(hint)) {
        return source_.Corrupt(ZSTD_getErrorName(hint));
      }
      // 0: a frame is complete and flushed; more input begins another (concatenated frames).
      // Without input, the hint after a complete frame asks for the next frame's header.
      if (hint == 0) {
        in_frame_ = false;
      } else if (in.pos > 0) {
        in_frame_ = true;
      }
      if (out.pos > 0) {
        return out.pos;
      }
      if (!more) {
        if (in_frame_ || source_.offset() == 0) {
          return source_.Truncated();
        }
        return size_t{0};
      }
    }
  }

 private:
  SourceBuffer source_;
  ZSTD_DCtx* dctx_ = nullptr;
  bool in_frame_ = false;
};

class ZstdBlockCompressor final : public BlockCompressor {
 public:
  ZstdBlockCompressor() : BlockCompressor(BlockCodec::kZstd) {}
  ~ZstdBlockCompressor() override { ZSTD_freeCCtx(cctx_); }

  Status Init(int level) {
    cctx_ = ZSTD_createCCtx();
    if (cctx_ == nullptr ||
        ZSTD_isError(ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, level))) {
      return Internal("ZSTD: cannot set up the compressor");
    }
    return OkStatus();
  }

 protected:
  Status DoCompress(BytesView input, data::Buffer& out) override {
    size_t bound = ZSTD_compressBound(input.size());
    size_t start = out.size();
    // One frame with its content size, no checksum (what Arrow writes).
    size_t n = ZSTD_compress2(cctx_, out.Grow(bound), bound, input.data(), input.size());
    if (ZSTD_isError(n)) {
      out.Truncate(start);
      return Internal(std::string("ZSTD: ") + ZSTD_getErrorName(n));
    }
    out.Truncate(start + n);
    return OkStatus();
  }

 private:
  ZSTD_CCtx* cctx_ = nullptr;
};

/// Reads one or more frames (and skippable frames) straight into the output: the library
/// checks each frame's content size against the room left, so nothing is written past it.
class ZstdBlockDecompressor final : public BlockDecompressor {
 public:
  ZstdBlockDecompressor() : BlockDecompressor(BlockCodec::kZstd) {}
  ~ZstdBlockDecompressor() override { ZSTD_freeDCtx(dctx_); }

  Status Init() {
    dctx_ = ZSTD_createDCtx();
    if (dctx_ == nullptr) {
      return Internal("ZSTD: cannot set up the decompressor");
    }
    return OkStatus();
  }

 protected:
  Status DoDecompress(BytesView input, std::span<uint8_t> output) override {
    size_t n = ZSTD_decompressDCtx(dctx_, output.data(), output.size(), input.data(),
                                   input.size());
    if (ZSTD_isError(n)) {
      if (ZSTD_getErrorCode(n) == ZSTD_error_dstSize_tooSmall) {
        return BlockTooLong(codec(), input, output.size());
      }
      return BlockCorrupt(codec(), input, ZSTD_getErrorName(n));
    }
    if (n != output.size()) {
      return BlockWrongSize(codec(), input, n, output.size());
    }
    return OkStatus();
  }

 private:
  ZSTD_DCtx* dctx_ = nullptr;
};

}  // namespace

Result<std::unique_ptr<BlockCompressor>> MakeZstdBlockCompressor(int level) {
  auto compressor = std::make_unique<ZstdBlockCompressor>();
  CQLBULK_RETURN_IF_ERROR(compressor->Init(level));
  return std::unique_ptr<BlockCompressor>(std::move(compressor));
}

Result<std::unique_ptr<BlockDecompressor>> MakeZstdBlockDecompressor() {
  auto decompressor = std::make_unique<ZstdBlockDecompressor>();
  CQLBULK_RETURN_IF_ERROR(decompressor->Init());
  return std::unique_ptr<BlockDecompressor>(std::move(decompressor));
}

Result<std::unique_ptr<OutputStream>> MakeZstdWriter(std::unique_ptr<OutputStream> sink,
                                                     int level) {
  auto writer = std::make_unique<ZstdWriter>(std::move(sink));
  CQLBULK_RETURN_IF_ERROR(writer->Init(level));
  return std::unique_ptr<OutputStream>(std::move(writer));
}

Result<std::unique_ptr<InputStream>> MakeZstdReader(SourceBuffer source) {
  auto reader = std::make_unique<ZstdReader>(std::move(source));
  CQLBULK_RETURN_IF_ERROR(reader->Init());
  return std::unique_ptr<InputStream>(std::move(reader));
}

}  // namespace cqlbulk::formats
