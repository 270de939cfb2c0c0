// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "cqlbulk/client/options.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/protocol/compression.h"
#include "cqlbulk/cql/protocol/frame.h"
#include "cqlbulk/cql/protocol/requests.h"

namespace cqlbulk::client {

/// \brief What the connection does next during the handshake.
struct HandshakeAction {
  enum class Kind : uint8_t {
    kSend,              ///< send `request`, feed its answer to OnResponse
    kReady,             ///< the connection is ready for queries
    kRetryWithVersion,  ///< close, reconnect and start over with `version`
    kFail,              ///< close; `error` says why (no retry for kInvalidArgument)
  };
  Kind kind = Kind::kFail;
  cql::Request request = cql::OptionsRequest{};
  int version = 0;
  std::optional<Error> error;
};

struct HandshakeOptions {
  /// The version to offer first.
  int protocol_version = 5;
  /// May step down to v4 when the server refuses the first version (not when the user fixed it).
  bool may_downgrade = true;
  cql::Compression compression = cql::Compression::kNone;
  std::optional<Credentials> credentials;
  /// Sent as USE after READY, for v4 connections; empty: none.
  std::string keyspace;
  /// "127.0.0.1:9042", for messages.
  std::string host;
};

/// \brief The client side of the connection start-up (native protocol §4.1.1-4.1.3, v5 §2.3):
/// OPTIONS -> SUPPORTED, STARTUP -> READY | AUTHENTICATE, AUTH_RESPONSE -> AUTH_SUCCESS, then
/// USE for a v4 keyspace. Sans-I/O: the caller sends the requests and feeds back the answers.
///
/// Errors: kInvalidArgument for bad or missing credentials ("authentication failed for user
/// X: ...") and for a compression or version the server does not offer; kProtocol for
/// unexpected answers; the mapped server error otherwise. The password never appears in them.
class Handshake {
 public:
  explicit Handshake(HandshakeOptions options) : options_(std::move(options)) {}

  /// The first action: send OPTIONS.
  HandshakeAction Start();
  /// The next action after the answer to the last request sent.
  HandshakeAction OnResponse(const cql::Frame& response);

  int protocol_version() const noexcept { return options_.protocol_version; }

 private:
  enum class State : uint8_t { kOptions, kStartup, kAuth, kUse, kDone };

  HandshakeAction Send(cql::Request request);
  HandshakeAction Fail(Error error);
  HandshakeAction OnSupported(const cql::StringMultimap& supported);
  HandshakeAction AfterReady();
  HandshakeAction OnError(int32_t code, const std::string& message);

  HandshakeOptions options_;
  State state_ = State::kOptions;
};

/// "\0user\0password": the SASL PLAIN initial response (RFC 4616).
Bytes PlainAuthToken(const Credentials& credentials);

}  // namespace cqlbulk::client
