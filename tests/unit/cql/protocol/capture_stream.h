// SPDX-License-Identifier: Apache-2.0
// Test helper: splits a captured byte stream (../shared/testdata/*.bin) into frames and v5
// segments, recording where each one sits, so tests can compare with the *_index.json files.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/protocol/compression.h"
#include "cqlbulk/cql/protocol/frame.h"
#include "cqlbulk/cql/protocol/segment.h"
#include "cqlbulk/cql/types/data_type.h"

namespace cqlbulk::cql::testing {

/// One capture (v4, v4_lz4, v5, v5_lz4) as described by its index.
struct Capture {
  std::string name;
  int protocol_version = 4;
  Compression compression = Compression::kNone;
  nlohmann::json index;
};

/// One direction of one connection of a capture.
struct Direction {
  const Capture* capture = nullptr;
  std::string role;       ///< "control" or "session"
  bool from_client = true;
  Bytes bytes;            ///< the .bin file
  nlohmann::json frames;  ///< index frames of this direction, in stream order
  nlohmann::json segments;

  std::string label() const;
  SegmentFormat segment_format() const;
};

struct CapturedSegment {
  size_t offset = 0;
  size_t header_length = 0;
  size_t payload_offset = 0;
  SegmentHeader header;
  Bytes wire;     ///< the whole segment as captured
  Bytes payload;  ///< decompressed
  size_t payload_position = 0;  ///< start in the concatenation of payloads
};

struct CapturedFrame {
  FrameHeader header;  ///< as on the wire (v4: with the compression flag)
  Bytes wire;          ///< header + body as sent (v5 segments: reassembled)
  Bytes body;          ///< decompressed body
  bool in_segments = false;
  size_t offset = 0;            ///< plain frames: offset in the .bin
  size_t payload_position = 0;  ///< segment frames: offset in the concatenated payloads
  std::vector<size_t> segments;
  FrameHeader plain_header() const;  ///< header of the decompressed frame
};

struct DecodedStream {
  std::vector<CapturedFrame> frames;
  std::vector<CapturedSegment> segments;
  size_t consumed = 0;
};

std::vector<Capture> LoadCaptures();
std::vector<Direction> LoadDirections(const Capture& capture);

/// Walks the stream with the low-level API (PeekFrame, PeekSegment, ...), switching to
/// segments after STARTUP/READY for v5, decompressing v4 bodies.
Result<DecodedStream> DecodeCapturedStream(const Direction& direction);

/// True when the v5 handshake ends with this frame in this direction (§2.3.1).
bool EndsHandshake(const FrameHeader& header, bool from_client);

/// Spells a type as the index does: "varchar", "list<int>", "golden.udt_ab", "'custom'".
std::string IndexTypeName(const DataType& type);

}  // namespace cqlbulk::cql::testing
