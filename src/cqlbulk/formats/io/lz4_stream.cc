// SPDX-License-Identifier: Apache-2.0
// liblz4's adapter: the LZ4 frame format (what the `lz4` tool writes) over lz4frame.h, and
// Parquet's LZ4_RAW and LZ4 (Hadoop-framed) page codecs over lz4.h and lz4hc.h.
#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <lz4.h>
#include <lz4frame.h>
#include <lz4hc.h>

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

// Hadoop's framing of LZ4 (its BlockCompressorStream), as Parquet's deprecated LZ4 codec:
// frames of [4-byte big-endian uncompressed size][4-byte big-endian compressed size][LZ4 block].
constexpr size_t kHadoopHeaderBytes = 8;

/// One LZ4 block per page (LZ4_RAW), or one Hadoop frame around it (LZ4). Levels 1 and 2 use
/// LZ4's fast compressor, 3 to 12 LZ4 HC at that level (as Arrow does); either keeps its state.
class Lz4BlockCompressor final : public BlockCompressor {
 public:
  Lz4BlockCompressor(BlockCodec codec, int level)
      : BlockCompressor(codec),
        level_(level),
        // 8-byte aligned, as both libraries ask.
        state_((static_cast<size_t>(level >= LZ4HC_CLEVEL_MIN ? LZ4_sizeofStateHC()
                                                               : LZ4_sizeofState()) +
                7) /
               8) {}

 protected:
  Status DoCompress(BytesView input, data::Buffer& out) override {
    if (input.size() > LZ4_MAX_INPUT_SIZE) {
      return InvalidArgument(std::string(BlockCodecName(codec())) + ": a block of " +
                             std::to_string(input.size()) + " bytes is larger than LZ4 takes (" +
                             std::to_string(LZ4_MAX_INPUT_SIZE) + " bytes at most)");
    }
    bool hadoop = codec() == BlockCodec::kLz4Hadoop;
    size_t header = hadoop ? kHadoopHeaderBytes : 0;
    int size = static_cast<int>(input.size());
    int bound = LZ4_compressBound(size);
    size_t start = out.size();
    uint8_t* frame = out.Grow(header + static_cast<size_t>(bound));
    // liblz4 1.9.4's optimal parser (levels 10 to 12) reads through a null source even for
    // zero bytes, and an empty span's data() may be null.
    static constexpr char kNoInput = 0;
    const char* src = input.empty() ? &kNoInput : reinterpret_cast<const char*>(input.data());
    auto* dst = reinterpret_cast<char*>(frame + header);
    int n = level_ >= LZ4HC_CLEVEL_MIN
                ? LZ4_compress_HC_extStateHC(state_.data(), src, dst, size, bound, level_)
                : LZ4_compress_fast_extState(state_.data(), src, dst, size, bound, 1);
    if (n <= 0) {
      out.Truncate(start);
      return Internal(std::string(BlockCodecName(codec())) + ": compression failed");
    }
    if (hadoop) {
      StoreBE32(frame, static_cast<uint32_t>(size));
      StoreBE32(frame + 4, static_cast<uint32_t>(n));
    }
    out.Truncate(start + header + static_cast<size_t>(n));
    return OkStatus();
  }

 private:
  int level_;
  std::vector<uint64_t> state_;
};

class Lz4BlockDecompressor final : public BlockDecompressor {
 public:
  explicit Lz4BlockDecompressor(BlockCodec codec) : BlockDecompressor(codec) {}

 protected:
  Status DoDecompress(BytesView input, std::span<uint8_t> output) override {
    if (codec() == BlockCodec::kLz4Raw) {
      std::optional<std::string> why = DecompressRaw(input, output);
      return why ? BlockCorrupt(codec(), input, *why) : OkStatus();
    }
    // As Arrow does: Hadoop's framing first, and when it does not add up, a raw block (what
    // some writers of Parquet's LZ4 wrote).
    std::optional<std::string> hadoop_why = DecompressHadoop(input, output);
    if (!hadoop_why) {
      return OkStatus();
    }
    std::optional<std::string> raw_why = DecompressRaw(input, output);
    if (!raw_why) {
      return OkStatus();
    }
    return BlockCorrupt(codec(), input,
                        "neither Hadoop-framed (" + *hadoop_why + ") nor a raw LZ4 block (" +
                            *raw_why + ")");
  }

 private:
  // nullopt when `input` is one LZ4 block of exactly output.size() bytes; otherwise what is
  // wrong. LZ4_decompress_safe never writes past its capacity.
  static std::optional<std::string> DecompressRaw(BytesView input, std::span<uint8_t> output) {
    int n = LZ4_decompress_safe(reinterpret_cast<const char*>(input.data()),
                                reinterpret_cast<char*>(output.data()),
                                static_cast<int>(input.size()), static_cast<int>(output.size()));
    if (n < 0) {
      // The library returns minus (the offset of the fault plus one).
      return "invalid, or longer than " + std::to_string(output.size()) + " bytes, at byte " +
             std::to_string(-(static_cast<int64_t>(n) + 1));
    }
    if (static_cast<size_t>(n) != output.size()) {
      return "decompresses to " + std::to_string(n) + " bytes, expected " +
             std::to_string(output.size());
    }
    return std::nullopt;
  }

  // nullopt when `input` is a run of Hadoop frames that fills exactly `output`.
  static std::optional<std::string> DecompressHadoop(BytesView input,
                                                     std::span<uint8_t> output) {
    size_t in = 0;
    size_t out = 0;
    while (in < input.size()) {
      if (input.size() - in < kHadoopHeaderBytes) {
        return "a frame header at byte " + std::to_string(in) + " is cut short";
      }
      uint32_t raw_size = LoadBE32(input.data() + in);
      uint32_t packed_size = LoadBE32(input.data() + in + 4);
      size_t at = in;
      in += kHadoopHeaderBytes;
      if (packed_size > input.size() - in) {
        return "the frame at byte " + std::to_string(at) + " claims " +
               std::to_string(packed_size) + " compressed bytes, " +
               std::to_string(input.size() - in) + " remain";
      }
      if (raw_size > output.size() - out) {
        return "the frame at byte " + std::to_string(at) + " claims " +
               std::to_string(raw_size) + " bytes, more than the " +
               std::to_string(output.size() - out) + " left to fill";
      }
      if (DecompressRaw(input.subspan(in, packed_size), output.subspan(out, raw_size))) {
        return "the LZ4 block of the frame at byte " + std::to_string(at) +
               " does not decompress to its " + std::to_string(raw_size) + " bytes";
      }
      in += packed_size;
      out += raw_size;
    }
    if (out != output.size()) {
      return "its frames hold " + std::to_string(out) + " bytes, expected " +
             std::to_string(output.size());
    }
    return std::nullopt;
  }
};

}  // namespace

Result<std::unique_ptr<BlockCompressor>> MakeLz4BlockCompressor(BlockCodec codec, int level) {
  return std::unique_ptr<BlockCompressor>(std::make_unique<Lz4BlockCompressor>(codec, level));
}

Result<std::unique_ptr<BlockDecompressor>> MakeLz4BlockDecompressor(BlockCodec codec) {
  return std::unique_ptr<BlockDecompressor>(std::make_unique<Lz4BlockDecompressor>(codec));
}

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
