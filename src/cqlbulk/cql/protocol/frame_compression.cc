// SPDX-License-Identifier: Apache-2.0
#include <string>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/cql/protocol/compression.h"

namespace cqlbulk::cql {

std::string_view CompressionName(Compression compression) {
  switch (compression) {
    case Compression::kNone:
      return "";
    case Compression::kLz4:
      return "lz4";
    case Compression::kSnappy:
      return "snappy";
  }
  return "";
}

Result<Compression> ParseCompression(std::string_view name) {
  if (name.empty()) {
    return Compression::kNone;
  }
  if (name == "lz4") {
    return Compression::kLz4;
  }
  if (name == "snappy") {
    return Compression::kSnappy;
  }
  return InvalidArgument("unknown compression \"" + std::string(name) + "\"");
}

Result<Bytes> CompressFrameBody(Compression compression, BytesView body) {
  switch (compression) {
    case Compression::kNone:
      return Bytes(body.begin(), body.end());
    case Compression::kSnappy:
      return SnappyCompress(body);
    case Compression::kLz4: {
      // v4 §5: "the body is prefixed by a 4 byte [int] holding the uncompressed length".
      if (body.size() > static_cast<size_t>(INT32_MAX)) {
        return InvalidArgument("frame body too large to compress");
      }
      CQLBULK_ASSIGN_OR_RETURN(Bytes block, Lz4CompressBlock(body));
      ByteWriter out;
      out.Reserve(4 + block.size());
      out.WriteU32(static_cast<uint32_t>(body.size()));
      out.WriteBytes(block);
      return std::move(out).Take();
    }
  }
  return Internal("unknown compression");
}

Result<Bytes> DecompressFrameBody(Compression compression, BytesView body,
                                  size_t max_body_bytes) {
  switch (compression) {
    case Compression::kNone:
      return Bytes(body.begin(), body.end());
    case Compression::kSnappy:
      return SnappyDecompress(body, max_body_bytes);
    case Compression::kLz4: {
      if (body.size() < 4) {
        return ProtocolError("LZ4 frame body of " + std::to_string(body.size()) +
                             " bytes has no length prefix");
      }
      uint32_t length = LoadBE32(body.data());
      if (length > max_body_bytes || length > static_cast<uint32_t>(INT32_MAX)) {
        return ProtocolError("LZ4 frame body claims " + std::to_string(length) +
                             " uncompressed bytes, over the limit of " +
                             std::to_string(max_body_bytes));
      }
      return Lz4DecompressBlock(body.subspan(4), length);
    }
  }
  return Internal("unknown compression");
}

Result<Frame> CompressFrame(Frame frame, Compression compression) {
  if (compression == Compression::kNone) {
    return frame;
  }
  CQLBULK_ASSIGN_OR_RETURN(frame.body, CompressFrameBody(compression, frame.body));
  frame.header.flags |= kFlagCompression;
  frame.header.length = static_cast<uint32_t>(frame.body.size());
  return frame;
}

Result<Frame> DecompressFrame(Frame frame, Compression compression, size_t max_body_bytes) {
  if (!frame.header.has_flag(kFlagCompression)) {
    return frame;
  }
  if (compression == Compression::kNone) {
    return ProtocolError("compressed frame on a connection without compression");
  }
  CQLBULK_ASSIGN_OR_RETURN(frame.body, DecompressFrameBody(compression, frame.body, max_body_bytes));
  frame.header.flags = static_cast<uint8_t>(frame.header.flags & ~kFlagCompression);
  frame.header.length = static_cast<uint32_t>(frame.body.size());
  return frame;
}

}  // namespace cqlbulk::cql
