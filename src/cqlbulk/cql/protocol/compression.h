// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/protocol/frame.h"

namespace cqlbulk::cql {

/// \brief The STARTUP "COMPRESSION" option (v4 §5; v5 §2.3.2 allows only lz4).
enum class Compression : uint8_t { kNone, kLz4, kSnappy };

/// "lz4", "snappy", or "" for kNone: the STARTUP option value.
std::string_view CompressionName(Compression compression);
/// Parses a STARTUP/SUPPORTED compression name; kInvalidArgument for anything else.
Result<Compression> ParseCompression(std::string_view name);

// Raw codecs. Each library lives behind one adapter file (lz4_codec.cc, snappy_codec.cc).
// Corrupt input is a kProtocol error, never a crash; sizes are checked before allocating.

/// A raw LZ4 block (no length prefix). kInvalidArgument if the input exceeds LZ4's limit.
Result<Bytes> Lz4CompressBlock(BytesView input);
/// Decompresses a raw LZ4 block that must expand to exactly `uncompressed_bytes`.
Result<Bytes> Lz4DecompressBlock(BytesView input, size_t uncompressed_bytes);
/// Snappy's raw format (its own varint length prefix).
Result<Bytes> SnappyCompress(BytesView input);
/// kProtocol if corrupt or if the announced length exceeds `max_uncompressed_bytes`.
Result<Bytes> SnappyDecompress(BytesView input, size_t max_uncompressed_bytes);

/// \brief Compresses a v4 frame body (v4 §5): LZ4 is a 4-byte big-endian uncompressed length
/// followed by a raw LZ4 block; Snappy is Snappy's raw format. kNone returns a copy.
Result<Bytes> CompressFrameBody(Compression compression, BytesView body);
/// The inverse; kProtocol for a corrupt body or one that would expand past `max_body_bytes`.
Result<Bytes> DecompressFrameBody(Compression compression, BytesView body,
                                  size_t max_body_bytes = kDefaultMaxFrameBodyBytes);

/// \brief Compresses a v4 frame's body and sets the compression flag.
///
/// Per v4 §5 STARTUP is never compressed (nor OPTIONS/SUPPORTED exchanged before it); the
/// caller decides which frames to pass. kNone returns the frame unchanged.
Result<Frame> CompressFrame(Frame frame, Compression compression);
/// Decompresses the body if the compression flag is set, and clears the flag. kProtocol if the
/// flag is set but `compression` is kNone.
Result<Frame> DecompressFrame(Frame frame, Compression compression,
                              size_t max_body_bytes = kDefaultMaxFrameBodyBytes);

}  // namespace cqlbulk::cql
