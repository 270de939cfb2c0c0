// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cli/connection_flags.h"

#include <cstdlib>
#include <fstream>
#include <string>
#include <iostream>
#include <utility>

#include "cqlbulk/core/log.h"
#include "cqlbulk/core/macros.h"

namespace cqlbulk::cli {
namespace {

/// Diagnostics of the library on stderr at or above a level.
class StderrLogger : public Logger {
 public:
  explicit StderrLogger(LogLevel level) : level_(level) {}
  bool Enabled(LogLevel level) const override { return level >= level_; }
  void Log(LogLevel, std::string_view message) override { std::cerr << message << "\n"; }

 private:
  LogLevel level_;
};

Result<LogLevel> ParseLogLevel(std::string_view name) {
  constexpr std::pair<std::string_view, LogLevel> kLevels[] = {
      {"trace", LogLevel::kTrace}, {"debug", LogLevel::kDebug}, {"info", LogLevel::kInfo},
      {"warn", LogLevel::kWarn},   {"error", LogLevel::kError}, {"off", LogLevel::kOff}};
  for (const auto& [n, level] : kLevels) {
    if (n == name) return level;
  }
  return InvalidArgument("unknown log level '" + std::string(name) +
                         "' (trace, debug, info, warn, error or off)");
}

std::vector<std::string> SplitHosts(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    size_t comma = list.find(',');
    if (comma != 0) out.emplace_back(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
  return out;
}

Result<std::string> ReadPasswordFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) return IoError("cannot read the password file " + path);
  std::string password;
  std::getline(file, password);
  return password;
}

}  // namespace

void ConnectionFlags::AddTo(FlagSet& flags) {
  flags.AddString("hosts", "H[,H2][:PORT]", "contact points", &hosts_, "h");
  flags.AddInt("port", "P", "native port of contact points without one (default 9042)", &port_,
               1, 65535);
  flags.AddString("username", "U", "user for PasswordAuthenticator", &username_, "u");
  flags.AddString("password", "P", "password (or env CQLBULK_PASSWORD, or --password-file)",
                  &password_, "p");
  flags.AddString("password-file", "F", "read the password from the first line of F",
                  &password_file_);
  flags.AddSwitch("ssl", "connect with TLS (implied by the other --ssl options)", &ssl_);
  flags.AddString("ssl-ca", "FILE", "PEM CA certificates to trust (default: the system's)",
                  &ssl_ca_);
  flags.AddString("ssl-cert", "FILE", "PEM client certificate, for servers that require one",
                  &ssl_cert_);
  flags.AddString("ssl-key", "FILE", "PEM private key of --ssl-cert", &ssl_key_);
  flags.AddSwitch("ssl-no-verify", "do not verify the server's certificate (insecure)",
                  &ssl_no_verify_);
  flags.AddSwitch("ssl-no-hostname-check",
                  "verify the certificate but not that it names the host", &ssl_no_hostname_check_);
  flags.AddInt("protocol-version", "V", "native protocol 4 or 5 (default: negotiate)",
               &protocol_version_, 4, 5);
  flags.AddString("log-level", "L", "driver diagnostics on stderr: trace..error, off (default)",
                  &log_level_);
  flags.AddInt("io-threads", "N",
               "driver I/O threads (default " + std::to_string(io_threads_) + ")", &io_threads_,
               1, 64);
  flags.AddInt("connections-per-host", "N",
               "connections to each host (default " + std::to_string(connections_per_host_) + ")",
               &connections_per_host_, 1, 64);
}

Result<client::SessionOptions> ConnectionFlags::ToSessionOptions() const {
  client::SessionOptions session;
  if (!log_level_.empty()) {
    CQLBULK_ASSIGN_OR_RETURN(LogLevel level, ParseLogLevel(log_level_));
    static StderrLogger logger(level);  // set once per process (core/log.h)
    SetLogger(&logger);
  }
  std::string password = password_;
  if (password.empty() && !password_file_.empty()) {
    CQLBULK_ASSIGN_OR_RETURN(password, ReadPasswordFile(password_file_));
  }
  if (password.empty()) {
    if (const char* env = std::getenv("CQLBULK_PASSWORD")) password = env;
  }
  if (!username_.empty()) {
    session.credentials = client::Credentials{username_, password};
  } else if (!password_.empty() || !password_file_.empty()) {
    return InvalidArgument("a password needs --username");
  }
  if (ssl_ || !ssl_ca_.empty() || !ssl_cert_.empty() || !ssl_key_.empty() || ssl_no_verify_ ||
      ssl_no_hostname_check_) {
    if (ssl_cert_.empty() != ssl_key_.empty()) {
      return InvalidArgument("--ssl-cert and --ssl-key go together");
    }
    session.tls = client::TlsOptions{.ca_file = ssl_ca_,
                                     .cert_file = ssl_cert_,
                                     .key_file = ssl_key_,
                                     .verify = !ssl_no_verify_,
                                     .verify_hostname = !ssl_no_verify_ && !ssl_no_hostname_check_};
  }
  session.contact_points = SplitHosts(hosts_);
  session.port = static_cast<uint16_t>(port_);
  if (protocol_version_ != 0) session.protocol_version = static_cast<int>(protocol_version_);
  session.io_threads = static_cast<int>(io_threads_);
  session.connections_per_host = static_cast<int>(connections_per_host_);
  return session;
}

}  // namespace cqlbulk::cli
