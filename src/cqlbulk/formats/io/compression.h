// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cqlbulk/core/result.h"
#include "cqlbulk/formats/io/stream.h"

namespace cqlbulk::formats {

/// \brief Whole-file compression of an unloaded or loaded file. Each is the container format
/// that the codec's own command-line tool writes and reads.
enum class Compression {
  kNone,
  kGzip,    ///< RFC 1952 (zlib); ".gz"
  kZstd,    ///< Zstandard frame format, with content checksum; ".zst"
  kLz4,     ///< LZ4 frame format, with content checksum (the `lz4` tool's); ".lz4"
  kSnappy,  ///< Snappy *framing* format (what `python3 -m snappy -c` writes); ".sz"
  kBzip2,   ///< bzip2 (libbz2); ".bz2"
  kXz,      ///< the .xz container (liblzma), CRC64 check; ".xz"
};

/// \brief "none", "gzip", "zstd", "lz4", "snappy", "bzip2" or "xz" (as the CLI spells them).
/// kInvalidArgument names the accepted names.
Result<Compression> ParseCompression(std::string_view name);
std::string_view CompressionName(Compression compression);
/// \brief ".gz", ".zst", ".lz4", ".sz", ".bz2", ".xz"; "" for kNone.
std::string_view FileExtension(Compression compression);
/// \brief The compression whose FileExtension() ends `path` (case-sensitive; ".snappy" is
/// Snappy too), kNone otherwise.
Compression CompressionFromPath(std::string_view path);

/// \brief The level used when none is given: gzip 6, zstd 3, lz4 1, bzip2 9, xz 6 (each
/// tool's default); nullopt for codecs without levels (none, snappy).
std::optional<int> DefaultLevel(Compression compression);
/// \brief kInvalidArgument unless `level` is valid for the codec: gzip 1-9, zstd 1-22,
/// lz4 1-12, bzip2 1-9, xz 0-9; none and snappy take no level.
Status ValidateLevel(Compression compression, int level);

/// \brief A stream that compresses what is written to it into `sink`.
///
/// Memory is bounded by fixed buffers and the codec's own state (xz at level 6 takes about
/// 94 MiB, as `xz -6` does). Close() writes the trailer and closes `sink`; without Close() the
/// output is incomplete. kNone returns `sink` itself. kInvalidArgument for a bad level.
Result<std::unique_ptr<OutputStream>> CompressingStream(Compression compression,
                                                        std::unique_ptr<OutputStream> sink,
                                                        std::optional<int> level = std::nullopt);

/// \brief A stream that decompresses `source` as it is read, with bounded memory.
///
/// Accepts what the codec's tool accepts: concatenated gzip members, zstd, lz4 and xz frames
/// or streams, concatenated bzip2 streams, skippable chunks and frames. A truncated or corrupt
/// input is kCorrupt, naming `name_for_errors` and what is wrong. An input of zero bytes is
/// truncated for gzip, zstd, bzip2 and xz (as their tools say) and empty for lz4 and snappy
/// (the lz4 tool accepts it; python-snappy writes it for no data). kNone returns `source`.
Result<std::unique_ptr<InputStream>> DecompressingStream(Compression compression,
                                                         std::unique_ptr<InputStream> source,
                                                         std::string name_for_errors);

}  // namespace cqlbulk::formats
