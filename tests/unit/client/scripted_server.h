// SPDX-License-Identifier: Apache-2.0
// Helpers for sans-I/O client tests: request frames, scripted server answers, and a record of
// how each request completed.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cqlbulk/client/multiplexer.h"
#include "cqlbulk/cql/protocol/compression.h"
#include "cqlbulk/cql/protocol/frame.h"
#include "cqlbulk/cql/protocol/frame_reader.h"
#include "cqlbulk/cql/protocol/messages.h"
#include "cqlbulk/cql/protocol/segment.h"

namespace cqlbulk::client::test {

inline Bytes RequestFrame(int version, const cql::Request& request) {
  auto bytes = cql::EncodeRequestFrame(request, {.protocol_version = version});
  EXPECT_TRUE(bytes.has_value());
  return bytes.has_value() ? *bytes : Bytes{};
}

inline Bytes QueryFrame(int version, const std::string& text) {
  return RequestFrame(version, cql::QueryRequest{.query = text, .params = {}});
}

inline Bytes StartupFrame(int version, const std::string& compression) {
  cql::StartupRequest startup{{{"CQL_VERSION", "3.0.0"}}};
  if (!compression.empty()) startup.options.emplace_back("COMPRESSION", compression);
  return RequestFrame(version, startup);
}

/// Splits plain frames written by a multiplexer.
inline std::vector<cql::Frame> ParseRequests(BytesView wire, int version) {
  std::vector<cql::Frame> frames;
  while (!wire.empty()) {
    auto frame = cql::PeekFrame(wire);
    EXPECT_TRUE(frame.has_value() && frame->has_value()) << "incomplete frame on the wire";
    if (!frame.has_value() || !frame->has_value()) break;
    EXPECT_EQ((*frame)->header.version, version);
    frames.push_back(cql::Frame{(*frame)->header, Bytes((*frame)->body.begin(), (*frame)->body.end())});
    wire = wire.subspan((*frame)->wire_size());
  }
  return frames;
}

inline std::vector<cql::Frame> ParseSegmentedRequests(BytesView wire, cql::SegmentFormat format,
                                                      int version) {
  cql::FrameReader reader;
  reader.StartSegments(format);
  reader.Feed(wire);
  std::vector<cql::Frame> frames;
  while (true) {
    auto next = reader.Next();
    EXPECT_TRUE(next.has_value());
    if (!next.has_value() || !next->has_value()) break;
    EXPECT_EQ((*next)->header.version, version);
    frames.push_back(std::move(**next));
  }
  return frames;
}

/// The server's answer to `request`: `response`, or by default a Set_keyspace result that
/// echoes a QUERY's text (so tests can tell answers apart).
inline Bytes ReplyFor(const cql::Frame& request,
                      std::optional<cql::Response> response = std::nullopt) {
  int version = request.header.version;
  if (!response) {
    auto decoded = cql::DecodeRequestFrame(request.view());
    EXPECT_TRUE(decoded.has_value());
    std::string text;
    if (decoded.has_value()) {
      if (auto* q = std::get_if<cql::QueryRequest>(&decoded->request)) text = q->query;
    }
    response = cql::ResultResponse{cql::SetKeyspaceResult{text}};
  }
  auto bytes = cql::EncodeResponseFrame(*response, {.protocol_version = version,
                                                    .stream = request.header.stream});
  EXPECT_TRUE(bytes.has_value());
  return bytes.has_value() ? *bytes : Bytes{};
}

inline Bytes CompressedReplyFor(const cql::Frame& request, cql::Compression compression) {
  Bytes plain = ReplyFor(request);
  auto header = cql::DecodeFrameHeader(plain);
  EXPECT_TRUE(header.has_value());
  auto compressed = cql::CompressFrame(
      cql::Frame{*header, Bytes(plain.begin() + cql::kFrameHeaderSize, plain.end())}, compression);
  EXPECT_TRUE(compressed.has_value());
  return cql::EncodeFrame(compressed->header, compressed->body);
}

/// Wraps whole frames into v5 segments.
inline Bytes Segmented(BytesView frames, cql::SegmentFormat format) {
  cql::SegmentEncoder encoder(format);
  EXPECT_TRUE(encoder.Add(frames).has_value());
  EXPECT_TRUE(encoder.Flush().has_value());
  return encoder.TakeBytes();
}

/// Records every completion of numbered requests.
class Outcomes {
 public:
  std::unique_ptr<RequestCallback> Callback(int id) {
    return std::make_unique<FunctionCallback>(
        [this, id](Result<cql::Frame> r) { results_[id].push_back(std::move(r)); });
  }

  bool completed(int id) const { return results_.count(id) != 0; }
  size_t num_completed() const { return results_.size(); }
  size_t num_ok() const {
    size_t n = 0;
    for (const auto& [id, rs] : results_) n += rs.front().has_value() ? 1 : 0;
    return n;
  }
  int max_completions() const {
    size_t m = 0;
    for (const auto& [id, rs] : results_) m = std::max(m, rs.size());
    return static_cast<int>(m);
  }
  const Result<cql::Frame>& result(int id) const { return results_.at(id).front(); }

  /// The keyspace echoed by ReplyFor's default answer.
  std::string text(int id) const {
    const auto& r = result(id);
    if (!r.has_value()) return "<error: " + r.error().ToString() + ">";
    auto decoded = cql::DecodeResponseFrame(r->view());
    if (!decoded.has_value()) return "<undecodable>";
    auto* result = std::get_if<cql::ResultResponse>(&decoded->response);
    if (result == nullptr) return "<not a result>";
    auto* ks = std::get_if<cql::SetKeyspaceResult>(&result->result);
    return ks != nullptr ? ks->keyspace : "<not set_keyspace>";
  }

 private:
  std::map<int, std::vector<Result<cql::Frame>>> results_;
};

}  // namespace cqlbulk::client::test
