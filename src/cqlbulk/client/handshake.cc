// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/client/handshake.h"

#include <algorithm>
#include <utility>

#include "cqlbulk/core/cql_identifier.h"
#include "cqlbulk/cql/protocol/error_response.h"
#include "cqlbulk/cql/protocol/messages.h"

namespace cqlbulk::client {

namespace {

constexpr std::string_view kCqlVersion = "3.0.0";
constexpr std::string_view kDriverName = "cqlbulk";

}  // namespace

Bytes PlainAuthToken(const Credentials& credentials) {
  Bytes token;
  token.reserve(2 + credentials.username.size() + credentials.password.size());
  token.push_back(0);
  token.insert(token.end(), credentials.username.begin(), credentials.username.end());
  token.push_back(0);
  token.insert(token.end(), credentials.password.begin(), credentials.password.end());
  return token;
}

HandshakeAction Handshake::Send(cql::Request request) {
  HandshakeAction action;
  action.kind = HandshakeAction::Kind::kSend;
  action.request = std::move(request);
  return action;
}

HandshakeAction Handshake::Fail(Error error) {
  state_ = State::kDone;
  HandshakeAction action;
  action.kind = HandshakeAction::Kind::kFail;
  action.error = std::move(error).WithContext("connecting to " + options_.host);
  return action;
}

HandshakeAction Handshake::Start() {
  state_ = State::kOptions;
  return Send(cql::OptionsRequest{});
}

HandshakeAction Handshake::OnSupported(const cql::StringMultimap& supported) {
  if (options_.compression == cql::Compression::kSnappy && options_.protocol_version >= 5) {
    return Fail(InvalidArgument("snappy compression is not available in protocol v5 (use lz4)"));
  }
  cql::StartupRequest startup;
  startup.options.emplace_back("CQL_VERSION", std::string(kCqlVersion));
  startup.options.emplace_back("DRIVER_NAME", std::string(kDriverName));
  if (options_.compression != cql::Compression::kNone) {
    std::string name(cql::CompressionName(options_.compression));
    bool offered = false;
    for (const auto& [key, values] : supported) {
      if (key == "COMPRESSION") {
        offered = std::find(values.begin(), values.end(), name) != values.end();
      }
    }
    if (!offered) {
      return Fail(InvalidArgument("the server does not offer " + name + " compression"));
    }
    startup.options.emplace_back("COMPRESSION", name);
  }
  state_ = State::kStartup;
  return Send(std::move(startup));
}

HandshakeAction Handshake::AfterReady() {
  if (!options_.keyspace.empty() && options_.protocol_version < 5) {
    state_ = State::kUse;
    return Send(cql::QueryRequest{.query = "USE " + QuoteCqlIdentifier(options_.keyspace),
                                  .params = {}});
  }
  state_ = State::kDone;
  HandshakeAction action;
  action.kind = HandshakeAction::Kind::kReady;
  action.version = options_.protocol_version;
  return action;
}

HandshakeAction Handshake::OnError(int32_t code, const std::string& message) {
  if (state_ == State::kOptions &&
      code == static_cast<int32_t>(cql::ErrorResponseCode::kProtocolError) &&
      options_.protocol_version > 4) {
    if (!options_.may_downgrade) {
      return Fail(InvalidArgument("the server refused protocol v" +
                                  std::to_string(options_.protocol_version) + ": " + message));
    }
    HandshakeAction action;
    action.kind = HandshakeAction::Kind::kRetryWithVersion;
    action.version = options_.protocol_version - 1;
    state_ = State::kDone;
    return action;
  }
  if (code == static_cast<int32_t>(cql::ErrorResponseCode::kBadCredentials)) {
    std::string user = options_.credentials ? options_.credentials->username : std::string();
    return Fail(InvalidArgument("authentication failed for user " + user + ": " + message));
  }
  cql::ErrorResponse error;
  error.code = code;
  error.message = message;
  return Fail(cql::ToError(error));
}

HandshakeAction Handshake::OnResponse(const cql::Frame& response) {
  auto decoded = cql::DecodeResponseFrame(response.view());
  if (!decoded.has_value()) {
    return Fail(std::move(decoded).error());
  }
  const cql::Response& message = decoded->response;
  if (const auto* error = std::get_if<cql::ErrorResponse>(&message)) {
    return OnError(error->code, error->message);
  }
  switch (state_) {
    case State::kOptions:
      if (const auto* supported = std::get_if<cql::SupportedResponse>(&message)) {
        return OnSupported(supported->options);
      }
      break;
    case State::kStartup:
      if (std::holds_alternative<cql::ReadyResponse>(message)) {
        return AfterReady();
      }
      if (const auto* auth = std::get_if<cql::AuthenticateResponse>(&message)) {
        if (!options_.credentials) {
          return Fail(InvalidArgument("the server requires authentication (" +
                                      auth->authenticator +
                                      ") but no username and password were given"));
        }
        state_ = State::kAuth;
        return Send(cql::AuthResponseRequest{PlainAuthToken(*options_.credentials)});
      }
      break;
    case State::kAuth:
      if (std::holds_alternative<cql::AuthSuccessResponse>(message)) {
        return AfterReady();
      }
      if (std::holds_alternative<cql::AuthChallengeResponse>(message)) {
        return Fail(Unimplemented("the server sent an AUTH_CHALLENGE; only PLAIN password "
                                  "authentication is supported"));
      }
      break;
    case State::kUse:
      if (std::holds_alternative<cql::ResultResponse>(message)) {
        state_ = State::kDone;
        HandshakeAction action;
        action.kind = HandshakeAction::Kind::kReady;
        action.version = options_.protocol_version;
        return action;
      }
      break;
    case State::kDone:
      break;
  }
  return Fail(ProtocolError("unexpected " + std::string(cql::OpcodeName(response.header.opcode)) +
                            " during the connection handshake"));
}

}  // namespace cqlbulk::client
