// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>

#include "cqlbulk/core/flags.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/ops/count.h"

namespace cqlbulk::cli {

/// \brief The flags every command that talks to a cluster shares, spelled as DSBulk users
/// expect: contact points, port, credentials, TLS, protocol version, log level.
class ConnectionFlags {
 public:
  /// Adds --hosts, --port, -u/--username, -p/--password, --password-file, --ssl, --ssl-ca,
  /// --ssl-cert, --ssl-key, --ssl-no-verify, --ssl-no-hostname-check, --protocol-version,
  /// --log-level, --io-threads and --connections-per-host to `flags`.
  void AddTo(FlagSet& flags);

  bool has_hosts() const { return !hosts_.empty(); }

  /// The driver's thread and connection counts when the flags do not say (call before AddTo):
  /// a load runs on the driver's I/O thread, so one thread and one connection per host spare
  /// it a hand-off between threads per request.
  void SetDriverDefaults(int io_threads, int connections_per_host) {
    io_threads_ = io_threads;
    connections_per_host_ = connections_per_host;
  }

  /// \brief Session options from the flags: the password from --password, --password-file or
  /// the CQLBULK_PASSWORD environment variable (never echoed); installs the stderr logger
  /// for --log-level. kInvalidArgument for a password without a user or a bad level.
  Result<client::SessionOptions> ToSessionOptions() const;

 private:
  std::string hosts_, username_, password_, password_file_, log_level_;
  std::string ssl_ca_, ssl_cert_, ssl_key_;
  int64_t port_ = 9042;
  int64_t protocol_version_ = 0;
  int64_t io_threads_ = client::SessionOptions{}.io_threads;
  int64_t connections_per_host_ = client::SessionOptions{}.connections_per_host;
  bool ssl_ = false, ssl_no_verify_ = false, ssl_no_hostname_check_ = false;
};

}  // namespace cqlbulk::cli
