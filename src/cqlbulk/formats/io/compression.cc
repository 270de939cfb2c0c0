// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/io/compression.h"

#include <algorithm>
#include <array>
#include <utility>

#include "cqlbulk/formats/io/codec_internal.h"

namespace cqlbulk::formats {
namespace {

struct CodecInfo {
  Compression compression;
  std::string_view name;
  std::string_view extension;
  int min_level;  // min_level > max_level: the codec takes no level
  int max_level;
  int default_level;
};

// Levels and defaults follow each codec's command-line tool.
constexpr std::array<CodecInfo, 7> kCodecs = {{
    {Compression::kNone, "none", "", 1, 0, 0},
    {Compression::kGzip, "gzip", ".gz", 1, 9, 6},
    {Compression::kZstd, "zstd", ".zst", 1, 22, 3},
    {Compression::kLz4, "lz4", ".lz4", 1, 12, 1},
    {Compression::kSnappy, "snappy", ".sz", 1, 0, 0},
    {Compression::kBzip2, "bzip2", ".bz2", 1, 9, 9},
    {Compression::kXz, "xz", ".xz", 0, 9, 6},
}};

static_assert(
    [] {
      for (size_t i = 0; i < kCodecs.size(); ++i) {
        if (static_cast<size_t>(kCodecs[i].compression) != i) {
          return false;
        }
      }
      return true;
    }(),
    "kCodecs is indexed by Compression");

const CodecInfo& Info(Compression compression) { return kCodecs[static_cast<size_t>(compression)]; }

bool HasLevels(const CodecInfo& info) { return info.min_level <= info.max_level; }

}  // namespace

Result<Compression> ParseCompression(std::string_view name) {
  for (const CodecInfo& info : kCodecs) {
    if (info.name == name) {
      return info.compression;
    }
  }
  std::string accepted;
  for (const CodecInfo& info : kCodecs) {
    accepted += accepted.empty() ? "" : ", ";
    accepted += info.name;
  }
  return InvalidArgument("unknown compression '" + std::string(name) + "' (expected one of " +
                         accepted + ")");
}

std::string_view CompressionName(Compression compression) { return Info(compression).name; }

std::string_view FileExtension(Compression compression) { return Info(compression).extension; }

Compression CompressionFromPath(std::string_view path) {
  // ".sz" is what the Snappy framing format's own description names its files; Hadoop's
  // ".snappy" is read as framed Snappy too.
  if (path.size() > 7 && path.ends_with(".snappy")) return Compression::kSnappy;
  for (const CodecInfo& info : kCodecs) {
    if (!info.extension.empty() && path.size() > info.extension.size() &&
        path.ends_with(info.extension)) {
      return info.compression;
    }
  }
  return Compression::kNone;
}

std::optional<int> DefaultLevel(Compression compression) {
  const CodecInfo& info = Info(compression);
  return HasLevels(info) ? std::optional<int>(info.default_level) : std::nullopt;
}

Status ValidateLevel(Compression compression, int level) {
  const CodecInfo& info = Info(compression);
  if (!HasLevels(info)) {
    return InvalidArgument(std::string(info.name) + " takes no compression level");
  }
  if (level < info.min_level || level > info.max_level) {
    return InvalidArgument(std::string(info.name) + " compression level " + std::to_string(level) +
                           " is out of range (" + std::to_string(info.min_level) + " to " +
                           std::to_string(info.max_level) + ")");
  }
  return OkStatus();
}

Result<std::unique_ptr<OutputStream>> CompressingStream(Compression compression,
                                                        std::unique_ptr<OutputStream> sink,
                                                        std::optional<int> level) {
  if (level) {
    if (Status valid = ValidateLevel(compression, *level); !valid.has_value()) {
      return std::move(valid).error();
    }
  }
  int lvl = level.value_or(Info(compression).default_level);
  switch (compression) {
    case Compression::kNone:
      return sink;
    case Compression::kGzip:
      return MakeGzipWriter(std::move(sink), lvl);
    case Compression::kZstd:
      return MakeZstdWriter(std::move(sink), lvl);
    case Compression::kLz4:
      return MakeLz4Writer(std::move(sink), lvl);
    case Compression::kSnappy:
      return MakeSnappyWriter(std::move(sink));
    case Compression::kBzip2:
      return MakeBzip2Writer(std::move(sink), lvl);
    case Compression::kXz:
      return MakeXzWriter(std::move(sink), lvl);
  }
  return Internal("unknown compression");
}

Result<std::unique_ptr<InputStream>> DecompressingStream(Compression compression,
                                                         std::unique_ptr<InputStream> source,
                                                         std::string name_for_errors) {
  if (compression == Compression::kNone) {
    return source;
  }
  SourceBuffer buffer(std::move(source), std::move(name_for_errors), CompressionName(compression));
  switch (compression) {
    case Compression::kNone:
      break;
    case Compression::kGzip:
      return MakeGzipReader(std::move(buffer));
    case Compression::kZstd:
      return MakeZstdReader(std::move(buffer));
    case Compression::kLz4:
      return MakeLz4Reader(std::move(buffer));
    case Compression::kSnappy:
      return MakeSnappyReader(std::move(buffer));
    case Compression::kBzip2:
      return MakeBzip2Reader(std::move(buffer));
    case Compression::kXz:
      return MakeXzReader(std::move(buffer));
  }
  return Internal("unknown compression");
}

SourceBuffer::SourceBuffer(std::unique_ptr<InputStream> source, std::string name,
                           std::string_view codec)
    : source_(std::move(source)),
      name_(std::move(name)),
      codec_(codec),
      buffer_(kCodecBufferBytes) {}

void SourceBuffer::Consume(size_t n) noexcept {
  begin_ += n;
  consumed_ += n;
}

Result<bool> SourceBuffer::Fill() {
  if (begin_ < end_) {
    return true;
  }
  if (at_end_) {
    return false;
  }
  auto n = source_->Read(buffer_);
  if (!n.has_value()) {
    return std::move(n).error();
  }
  begin_ = 0;
  end_ = *n;
  at_end_ = *n == 0;
  return !at_end_;
}

Error SourceBuffer::Corrupt(std::string_view what) const {
  return cqlbulk::Corrupt(name_ + ": " + std::string(codec_) + ": " + std::string(what) +
                          " at byte " + std::to_string(consumed_));
}

Error SourceBuffer::Truncated() const {
  return cqlbulk::Corrupt(name_ + ": " + std::string(codec_) + ": unexpected end of file after " +
                          std::to_string(consumed_) + " bytes");
}

}  // namespace cqlbulk::formats
