// SPDX-License-Identifier: Apache-2.0
#include "capture_stream.h"

#include <algorithm>

#include "cqlbulk/core/macros.h"
#include "testing/testdata.h"

namespace cqlbulk::cql::testing {

std::string Direction::label() const {
  return capture->name + "/" + role + (from_client ? "/c2s" : "/s2c");
}

SegmentFormat Direction::segment_format() const {
  return capture->compression == Compression::kLz4 ? SegmentFormat::kLz4
                                                   : SegmentFormat::kUncompressed;
}

FrameHeader CapturedFrame::plain_header() const {
  FrameHeader h = header;
  h.flags = static_cast<uint8_t>(h.flags & ~kFlagCompression);
  h.length = static_cast<uint32_t>(body.size());
  return h;
}

std::vector<Capture> LoadCaptures() {
  std::vector<Capture> out;
  for (const char* name : {"v4", "v4_lz4", "v5", "v5_lz4"}) {
    Capture c;
    c.name = name;
    c.index = cqlbulk::testing::LoadTestdataJson(std::string(name) + "_index.json");
    c.protocol_version = c.index["protocol_version"].get<int>();
    c.compression = c.index["compression"] == "lz4" ? Compression::kLz4 : Compression::kNone;
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<Direction> LoadDirections(const Capture& capture) {
  std::vector<Direction> out;
  for (const auto& conn : capture.index["connections"]) {
    for (bool from_client : {true, false}) {
      Direction d;
      d.capture = &capture;
      d.role = conn["role"].get<std::string>();
      d.from_client = from_client;
      const char* key = from_client ? "client_to_server" : "server_to_client";
      d.bytes = cqlbulk::testing::ReadFileBytes(
          cqlbulk::testing::TestdataPath(conn["files"][key]["file"].get<std::string>()));
      const char* dir = from_client ? "c2s" : "s2c";
      std::vector<nlohmann::json> frames;
      for (const auto& f : conn["frames"]) {
        if (f["direction"] == dir) frames.push_back(f);
      }
      // Stream order: handshake frames by offset, then segment frames by payload position.
      std::stable_sort(frames.begin(), frames.end(), [](const auto& a, const auto& b) {
        bool sa = a.contains("payload_position"), sb = b.contains("payload_position");
        if (sa != sb) return !sa;
        const char* k = sa ? "payload_position" : "offset";
        return a[k].template get<size_t>() < b[k].template get<size_t>();
      });
      d.frames = frames;
      d.segments = nlohmann::json::array();
      if (conn.contains("segments")) {
        for (const auto& s : conn["segments"]) {
          if (s["direction"] == dir) d.segments.push_back(s);
        }
      }
      out.push_back(std::move(d));
    }
  }
  return out;
}

bool EndsHandshake(const FrameHeader& header, bool from_client) {
  if (from_client) return header.opcode == Opcode::kStartup;
  return header.opcode == Opcode::kReady || header.opcode == Opcode::kAuthenticate;
}

Result<DecodedStream> DecodeCapturedStream(const Direction& d) {
  DecodedStream out;
  const int version = d.capture->protocol_version;
  const Compression compression = d.capture->compression;
  BytesView all = d.bytes;
  size_t pos = 0;
  bool segments = false;
  // Plain frames (all of v4, the v5 handshake).
  while (!segments && pos < all.size()) {
    CQLBULK_ASSIGN_OR_RETURN(std::optional<FrameView> f, PeekFrame(all.subspan(pos)));
    if (!f) {
      return ProtocolError("stream ends inside a frame at offset " + std::to_string(pos));
    }
    CapturedFrame cf;
    cf.header = f->header;
    cf.wire.assign(all.begin() + static_cast<std::ptrdiff_t>(pos),
                   all.begin() + static_cast<std::ptrdiff_t>(pos + f->wire_size()));
    cf.offset = pos;
    if (version < 5 && f->header.has_flag(kFlagCompression)) {
      CQLBULK_ASSIGN_OR_RETURN(cf.body, DecompressFrameBody(compression, f->body));
    } else {
      cf.body.assign(f->body.begin(), f->body.end());
    }
    pos += f->wire_size();
    segments = version >= 5 && EndsHandshake(f->header, d.from_client);
    out.frames.push_back(std::move(cf));
  }
  // v5 segments: first every segment, then the frames in their concatenated payloads.
  Bytes payloads;
  while (segments && pos < all.size()) {
    CQLBULK_ASSIGN_OR_RETURN(std::optional<SegmentView> s,
                             PeekSegment(all.subspan(pos), d.segment_format()));
    if (!s) {
      return ProtocolError("stream ends inside a segment at offset " + std::to_string(pos));
    }
    CapturedSegment cs;
    cs.offset = pos;
    cs.header_length = SegmentHeaderSize(d.segment_format());
    cs.payload_offset = pos + cs.header_length;
    cs.header = s->header;
    cs.wire.assign(all.begin() + static_cast<std::ptrdiff_t>(pos),
                   all.begin() + static_cast<std::ptrdiff_t>(pos + s->wire_size));
    CQLBULK_ASSIGN_OR_RETURN(cs.payload, DecodeSegmentPayload(*s));
    cs.payload_position = payloads.size();
    payloads.insert(payloads.end(), cs.payload.begin(), cs.payload.end());
    pos += s->wire_size;
    out.segments.push_back(std::move(cs));
  }
  size_t ppos = 0;
  while (ppos < payloads.size()) {
    CQLBULK_ASSIGN_OR_RETURN(std::optional<FrameView> f,
                             PeekFrame(BytesView(payloads).subspan(ppos)));
    if (!f) {
      return ProtocolError("payloads end inside a frame at " + std::to_string(ppos));
    }
    CapturedFrame cf;
    cf.header = f->header;
    cf.in_segments = true;
    cf.payload_position = ppos;
    cf.wire.assign(payloads.begin() + static_cast<std::ptrdiff_t>(ppos),
                   payloads.begin() + static_cast<std::ptrdiff_t>(ppos + f->wire_size()));
    cf.body.assign(f->body.begin(), f->body.end());
    for (size_t i = 0; i < out.segments.size(); ++i) {
      const auto& s = out.segments[i];
      if (s.payload_position < ppos + f->wire_size() &&
          ppos < s.payload_position + s.payload.size()) {
        cf.segments.push_back(i);
      }
    }
    // Offset in the .bin, when the frame starts inside an uncompressed payload.
    const auto& first = out.segments[cf.segments.front()];
    cf.offset = first.payload_offset + (ppos - first.payload_position);
    ppos += f->wire_size();
    out.frames.push_back(std::move(cf));
  }
  out.consumed = pos;
  return out;
}

std::string IndexTypeName(const DataType& t) {
  auto join = [](const std::vector<DataTypePtr>& params) {
    std::string s;
    for (size_t i = 0; i < params.size(); ++i) {
      if (i > 0) s += ", ";
      s += IndexTypeName(*params[i]);
    }
    return s;
  };
  switch (t.id) {
    case TypeId::kCustom:
      return "'" + t.custom_class + "'";
    case TypeId::kVarchar:
      return "varchar";
    case TypeId::kList:
      return "list<" + join(t.params) + ">";
    case TypeId::kSet:
      return "set<" + join(t.params) + ">";
    case TypeId::kMap:
      return "map<" + join(t.params) + ">";
    case TypeId::kTuple:
      return "tuple<" + join(t.params) + ">";
    case TypeId::kUdt:
      return t.keyspace + "." + t.name;
    default: {
      DataType plain = t;
      plain.frozen = false;
      return plain.ToCql();
    }
  }
}

}  // namespace cqlbulk::cql::testing
