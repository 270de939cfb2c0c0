// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/protocol/compression.h"
#include "cqlbulk/cql/protocol/events.h"
#include "cqlbulk/cql/protocol/frame.h"
#include "cqlbulk/cql/protocol/frame_reader.h"
#include "cqlbulk/sim/engine/engine.h"
#include "cqlbulk/sim/server/faults.h"

namespace cqlbulk::sim {

/// \brief What every node's native port offers.
struct ServerConfig {
  int min_protocol_version = 4;
  int max_protocol_version = 5;
  /// user -> password; empty: no authentication (AllowAllAuthenticator).
  std::map<std::string, std::string> users;
};

/// \brief One answer to send: a whole uncompressed frame (header + body).
struct OutgoingFrame {
  Bytes frame;
  bool close_after = false;  ///< a fatal protocol error: close once it is sent
};

/// \brief The server side of one native-protocol connection, without sockets.
///
/// `Feed` turns received bytes into request frames (decompressed, v5 segments unpacked);
/// `Handle` answers one of them; `Wrap` turns an answer into wire bytes (v4 compression or
/// v5 segments, per the handshake so far). The owner calls Feed, Handle and Wrap from one
/// thread at a time; Wrap in the order the bytes go out.
class ServerSession {
 public:
  ServerSession(Engine& engine, ring::HostIndex node, const ServerConfig& config)
      : engine_(engine), node_(node), config_(config) {}

  /// Frames received so far. An error means the client broke the protocol: close.
  Result<std::vector<cql::Frame>> Feed(BytesView bytes);

  /// The answer to `request` (ERROR, READY, SUPPORTED, RESULT, ...). With `faults`, a
  /// QUERY/EXECUTE/BATCH may be answered with an injected error instead of executing.
  OutgoingFrame Handle(const cql::Frame& request, NodeFaults* faults = nullptr);

  /// An EVENT frame (stream -1) if this connection registered for `event`'s type.
  std::optional<OutgoingFrame> Event(const cql::EventResponse& event) const;

  /// Wire bytes of `frame`. Switches outgoing bytes to v5 segments after READY/AUTHENTICATE.
  Result<Bytes> Wrap(const OutgoingFrame& frame);

  bool is_ready() const noexcept { return ready_; }
  int protocol_version() const noexcept { return version_; }

 private:
  OutgoingFrame Respond(const cql::FrameHeader& request, const cql::Response& response,
                      const std::vector<std::string>& warnings = {}, bool close_after = false);
  OutgoingFrame ReplyBody(const cql::FrameHeader& request, cql::Opcode opcode, BytesView body,
                          const std::vector<std::string>& warnings);
  OutgoingFrame Fail(const cql::FrameHeader& request, cql::ErrorResponseCode code,
                     std::string message, bool close_after = false);
  OutgoingFrame HandleStartup(const cql::FrameHeader& header, const cql::StartupRequest& startup);
  OutgoingFrame HandleAuthResponse(const cql::FrameHeader& header,
                                   const cql::AuthResponseRequest& auth);

  Engine& engine_;
  ring::HostIndex node_;
  const ServerConfig& config_;

  cql::FrameReader reader_;
  int version_ = 0;  ///< negotiated by the first frame
  cql::Compression compression_ = cql::Compression::kNone;
  bool started_ = false;        ///< STARTUP received
  bool authenticated_ = false;  ///< no auth configured, or AUTH_SUCCESS sent
  bool ready_ = false;          ///< READY or AUTH_SUCCESS sent
  bool segments_out_ = false;   ///< v5: outgoing bytes are segments
  std::optional<cql::SegmentEncoder> segment_encoder_;
  std::set<std::string, std::less<>> events_;  ///< REGISTERed event types
  Session session_;
};

}  // namespace cqlbulk::sim
