// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cqlbulk/cql/protocol/compression.h"

namespace cqlbulk::client {

/// \brief PLAIN (SASL) credentials for PasswordAuthenticator. The password never appears in
/// errors or logs.
struct Credentials {
  std::string username;
  std::string password;
};

/// \brief TLS on the native port (OpenSSL through Asio). PEM files.
struct TlsOptions {
  std::string ca_file;    ///< trusted CAs; empty: the system's default paths
  std::string cert_file;  ///< client certificate, for servers that require one
  std::string key_file;   ///< its private key
  bool verify = true;     ///< verify the server's certificate chain
  /// Check that the certificate names the host (its address, for IP contact points).
  bool verify_hostname = true;
};

/// \brief When and how to retry a failed request (see retry.h for which errors qualify).
struct RetryOptions {
  /// Attempts in all, the first included; 1 disables retries.
  int max_attempts = 3;
  std::chrono::milliseconds base_backoff{20};
  std::chrono::milliseconds max_backoff{1000};
};

/// \brief Everything a Session needs; a plain aggregate filled with designated initialisers.
struct SessionOptions {
  /// "host" or "host:port" (IPv6 as "[::1]:9042"); any one reachable is enough.
  std::vector<std::string> contact_points;
  uint16_t port = 9042;
  /// Data center whose replicas are tried first; empty: the first contact point's.
  std::string local_dc;
  /// 4 or 5; nullopt: start at 5 and step down to 4 if the server refuses.
  std::optional<int> protocol_version;
  cql::Compression compression = cql::Compression::kNone;
  std::optional<Credentials> credentials;
  std::optional<TlsOptions> tls;
  /// Keyspace for statements that name none (v5 sends it per request; v4 per statement text).
  std::string keyspace;

  int io_threads = 2;
  int connections_per_host = 2;
  /// Requests in flight per connection (stream ids in use), at most 32768.
  int max_requests_per_connection = 1024;
  /// Requests in flight over the whole session.
  int max_in_flight = 4096;

  std::chrono::milliseconds request_timeout{12000};
  std::chrono::milliseconds connect_timeout{5000};
  /// Back-off between reconnection attempts to a host that is down.
  std::chrono::milliseconds reconnect_base_delay{200};
  std::chrono::milliseconds reconnect_max_delay{10000};
  /// After DDL, how long to wait for every live node to report the same schema version
  /// before going on regardless (with a warning), as drivers do.
  std::chrono::milliseconds schema_agreement_timeout{10000};
  RetryOptions retry;
};

}  // namespace cqlbulk::client
