// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/sim/server/server_session.h"

#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/cql/protocol/envelope.h"
#include "cqlbulk/cql/protocol/messages.h"
#include "cqlbulk/cql/protocol/segment.h"

namespace cqlbulk::sim {
namespace {

constexpr std::string_view kPasswordAuthenticator =
    "org.apache.cassandra.auth.PasswordAuthenticator";

std::string SupportedVersions(const ServerConfig& config) {
  std::string out;
  for (int v = config.min_protocol_version; v <= config.max_protocol_version; ++v) {
    if (!out.empty()) out += ", ";
    out += std::to_string(v) + "/v" + std::to_string(v);
  }
  return out;
}

/// SASL PLAIN (RFC 4616): [authzid] NUL authcid NUL passwd.
std::optional<std::pair<std::string, std::string>> ParsePlainToken(BytesView token) {
  std::string_view text = AsChars(token);
  size_t first = text.find('\0');
  if (first == std::string_view::npos) return std::nullopt;
  size_t second = text.find('\0', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  return std::make_pair(std::string(text.substr(first + 1, second - first - 1)),
                        std::string(text.substr(second + 1)));
}

}  // namespace

Result<std::vector<cql::Frame>> ServerSession::Feed(BytesView bytes) {
  reader_.Feed(bytes);
  std::vector<cql::Frame> frames;
  while (true) {
    CQLBULK_ASSIGN_OR_RETURN(std::optional<cql::Frame> frame, reader_.Next());
    if (!frame) break;
    if (frame->header.is_response) {
      return ProtocolError("received a response frame from a client");
    }
    if (frame->header.has_flag(cql::kFlagCompression) && frame->header.version < 5) {
      CQLBULK_ASSIGN_OR_RETURN(*frame, cql::DecompressFrame(std::move(*frame), compression_));
    }
    // v5 §2.3.1: every byte after STARTUP is in segments, so switch before reading on.
    if (frame->header.opcode == cql::Opcode::kStartup && frame->header.version >= 5 &&
        !reader_.in_segments()) {
      auto startup = cql::DecodeRequest(cql::Opcode::kStartup, frame->body, 5);
      bool lz4 = false;
      if (startup) {
        for (const auto& [key, value] : std::get<cql::StartupRequest>(*startup).options) {
          if (key == "COMPRESSION" && value == "lz4") lz4 = true;
        }
      }
      reader_.StartSegments(lz4 ? cql::SegmentFormat::kLz4 : cql::SegmentFormat::kUncompressed);
    }
    frames.push_back(std::move(*frame));
  }
  return frames;
}

OutgoingFrame ServerSession::ReplyBody(const cql::FrameHeader& request, cql::Opcode opcode,
                                       BytesView body, const std::vector<std::string>& warnings) {
  cql::Envelope envelope;
  envelope.warnings = warnings;
  cql::FrameHeader header{.version = static_cast<uint8_t>(version_ != 0 ? version_ : request.version),
                          .is_response = true,
                          .flags = cql::EnvelopeFlags(envelope, true),
                          .stream = request.stream,
                          .opcode = opcode};
  cql::ProtocolWriter out;
  size_t start = cql::BeginFrame(out, header);
  cql::WriteEnvelope(out, envelope, true);
  out.WriteBytes(body);
  Status finished = cql::FinishFrame(out, start);
  CQLBULK_CHECK(finished.has_value(), "response frame over 2 GiB");
  return {std::move(out).Take(), false};
}

OutgoingFrame ServerSession::Respond(const cql::FrameHeader& request, const cql::Response& response,
                                   const std::vector<std::string>& warnings, bool close_after) {
  int version = version_ != 0 ? version_ : request.version;
  auto body = cql::EncodeResponse(response, version);
  if (!body) {
    return Fail(request, cql::ErrorResponseCode::kServerError,
                "cqlsim could not encode its response: " + body.error().message(), true);
  }
  OutgoingFrame out = ReplyBody(request, cql::ResponseOpcode(response), *body, warnings);
  out.close_after = close_after;
  return out;
}

OutgoingFrame ServerSession::Fail(const cql::FrameHeader& request, cql::ErrorResponseCode code,
                                  std::string message, bool close_after) {
  cql::ErrorResponse error;
  error.code = static_cast<int32_t>(code);
  error.message = std::move(message);
  int version = version_ != 0 ? version_ : request.version;
  auto body = cql::EncodeResponse(error, version);
  CQLBULK_CHECK(body.has_value(), "cannot encode a plain ERROR");
  OutgoingFrame out = ReplyBody(request, cql::Opcode::kError, *body, {});
  out.close_after = close_after;
  return out;
}

OutgoingFrame ServerSession::Handle(const cql::Frame& frame, NodeFaults* faults) {
  const cql::FrameHeader& header = frame.header;
  if (version_ == 0) {
    if (header.version < config_.min_protocol_version ||
        header.version > config_.max_protocol_version) {
      // Answer in a version the client may read, so its driver can negotiate down.
      cql::FrameHeader reply = header;
      reply.version = static_cast<uint8_t>(
          std::clamp<int>(header.version, config_.min_protocol_version, config_.max_protocol_version));
      return Fail(reply, cql::ErrorResponseCode::kProtocolError,
                  "Invalid or unsupported protocol version (" + std::to_string(header.version) +
                      "); supported versions are (" + SupportedVersions(config_) + ")",
                  true);
    }
    version_ = header.version;
    session_.protocol_version = version_;
  } else if (header.version != version_) {
    return Fail(header, cql::ErrorResponseCode::kProtocolError,
                "Invalid message version. Got " + std::to_string(header.version) +
                    " but previous messages on this connection had version " +
                    std::to_string(version_),
                true);
  }

  auto body = cql::ParseEnvelope(header, frame.body);
  if (!body) {
    return Fail(header, cql::ErrorResponseCode::kProtocolError, body.error().message(), true);
  }
  auto request = cql::DecodeRequest(header.opcode, body->message, version_);
  if (!request) {
    return Fail(header, cql::ErrorResponseCode::kProtocolError, request.error().message(), true);
  }

  if (auto* options = std::get_if<cql::OptionsRequest>(&*request)) {
    (void)options;
    cql::SupportedResponse supported;
    std::vector<std::string> versions;
    for (int v = config_.min_protocol_version; v <= config_.max_protocol_version; ++v) {
      versions.push_back(std::to_string(v) + "/v" + std::to_string(v));
    }
    supported.options = {{"COMPRESSION", {"snappy", "lz4"}},
                         {"CQL_VERSION", {"3.4.5"}},
                         {"PROTOCOL_VERSIONS", versions}};
    return Respond(header, supported);
  }
  if (auto* startup = std::get_if<cql::StartupRequest>(&*request)) {
    return HandleStartup(header, *startup);
  }
  if (!started_) {
    return Fail(header, cql::ErrorResponseCode::kProtocolError,
                "Unexpected message " + std::string(cql::OpcodeName(header.opcode)) +
                    ", expecting STARTUP or OPTIONS",
                true);
  }
  if (auto* auth = std::get_if<cql::AuthResponseRequest>(&*request)) {
    return HandleAuthResponse(header, *auth);
  }
  if (!authenticated_) {
    return Fail(header, cql::ErrorResponseCode::kProtocolError,
                "Unexpected message " + std::string(cql::OpcodeName(header.opcode)) +
                    ", expecting SASL_RESPONSE",
                true);
  }
  if (auto* reg = std::get_if<cql::RegisterRequest>(&*request)) {
    for (const auto& event : reg->events) {
      if (event != "TOPOLOGY_CHANGE" && event != "STATUS_CHANGE" && event != "SCHEMA_CHANGE") {
        return Fail(header, cql::ErrorResponseCode::kProtocolError,
                    "Invalid value '" + event + "' for Type");
      }
      events_.insert(event);
    }
    return Respond(header, cql::ReadyResponse{});
  }

  if (faults != nullptr) {
    std::optional<cql::Consistency> consistency;
    if (auto* q = std::get_if<cql::QueryRequest>(&*request)) consistency = q->params.consistency;
    if (auto* e = std::get_if<cql::ExecuteRequest>(&*request)) consistency = e->params.consistency;
    if (auto* b = std::get_if<cql::BatchRequest>(&*request)) consistency = b->consistency;
    if (consistency) {
      if (auto injected = faults->DrawError(*consistency)) return Respond(header, *injected);
    }
  }
  sim::Reply reply = engine_.Handle(*request, node_, session_);
  if (auto* bytes = std::get_if<Bytes>(&reply.message)) {
    return ReplyBody(header, cql::Opcode::kResult, *bytes, reply.warnings);
  }
  return Respond(header, std::get<cql::Response>(reply.message), reply.warnings);
}

OutgoingFrame ServerSession::HandleStartup(const cql::FrameHeader& header,
                                           const cql::StartupRequest& startup) {
  if (started_) {
    return Fail(header, cql::ErrorResponseCode::kProtocolError,
                "Unexpected message STARTUP, the connection is already started", true);
  }
  for (const auto& [key, value] : startup.options) {
    if (key == "COMPRESSION") {
      auto compression = cql::ParseCompression(value);
      if (!compression || (version_ >= 5 && *compression == cql::Compression::kSnappy)) {
        return Fail(header, cql::ErrorResponseCode::kProtocolError,
                    "Unknown compression algorithm: " + value, true);
      }
      compression_ = *compression;
    }
  }
  started_ = true;
  if (!config_.users.empty()) {
    return Respond(header, cql::AuthenticateResponse{std::string(kPasswordAuthenticator)});
  }
  authenticated_ = true;
  ready_ = true;
  return Respond(header, cql::ReadyResponse{});
}

OutgoingFrame ServerSession::HandleAuthResponse(const cql::FrameHeader& header,
                                                const cql::AuthResponseRequest& auth) {
  if (authenticated_) {
    return Fail(header, cql::ErrorResponseCode::kProtocolError,
                "Unexpected message AUTH_RESPONSE, the connection is already authenticated", true);
  }
  auto credentials = auth.token ? ParsePlainToken(*auth.token) : std::nullopt;
  if (!credentials) {
    return Fail(header, cql::ErrorResponseCode::kProtocolError,
                "Authentication failed: the SASL PLAIN token is malformed", true);
  }
  auto it = config_.users.find(credentials->first);
  if (it == config_.users.end() || it->second != credentials->second) {
    // Cassandra's wording; the client may retry with other credentials on a new connection.
    return Fail(header, cql::ErrorResponseCode::kBadCredentials,
                "Provided username " + credentials->first + " and/or password are incorrect");
  }
  authenticated_ = true;
  ready_ = true;
  return Respond(header, cql::AuthSuccessResponse{});
}

std::optional<OutgoingFrame> ServerSession::Event(const cql::EventResponse& event) const {
  if (!ready_ || !events_.contains(event.type())) return std::nullopt;
  auto body = cql::EncodeResponse(event, version_);
  if (!body) return std::nullopt;
  cql::FrameHeader header{.version = static_cast<uint8_t>(version_),
                          .is_response = true,
                          .flags = 0,
                          .stream = -1,
                          .opcode = cql::Opcode::kEvent};
  return OutgoingFrame{cql::EncodeFrame(header, *body), false};
}

Result<Bytes> ServerSession::Wrap(const OutgoingFrame& out) {
  CQLBULK_ASSIGN_OR_RETURN(cql::FrameHeader header, cql::DecodeFrameHeader(out.frame));
  if (header.version >= 5) {
    if (!segments_out_) {
      // v5 §2.3.1: READY (or AUTHENTICATE) is the last frame before segments.
      if (header.opcode == cql::Opcode::kReady || header.opcode == cql::Opcode::kAuthenticate) {
        segments_out_ = true;
        segment_encoder_.emplace(compression_ == cql::Compression::kLz4
                                     ? cql::SegmentFormat::kLz4
                                     : cql::SegmentFormat::kUncompressed);
      }
      return out.frame;
    }
    CQLBULK_RETURN_IF_ERROR(segment_encoder_->Add(out.frame));
    CQLBULK_RETURN_IF_ERROR(segment_encoder_->Flush());
    return segment_encoder_->TakeBytes();
  }
  // v4 §5: once STARTUP chose a compression, every frame from READY on is compressed.
  if (compression_ == cql::Compression::kNone || !started_ ||
      header.opcode == cql::Opcode::kSupported) {
    return out.frame;
  }
  cql::Frame frame{header, Bytes(out.frame.begin() + cql::kFrameHeaderSize, out.frame.end())};
  CQLBULK_ASSIGN_OR_RETURN(frame, cql::CompressFrame(std::move(frame), compression_));
  return cql::EncodeFrame(frame.header, frame.body);
}

}  // namespace cqlbulk::sim
