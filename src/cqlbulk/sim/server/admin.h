// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "cqlbulk/core/result.h"
#include "cqlbulk/sim/server/cluster.h"

namespace cqlbulk::sim {

/// \brief Runs one admin command against `cluster` and returns its answer text.
///
/// Commands (nodes are numbered from 1, or named by address):
///   status | stop N | start N | latency N MS | error N SHARE KIND | drop N SHARE |
///   clear N | reset-stats
/// kInvalidArgument for an unknown command or a bad argument.
Result<std::string> RunAdminCommand(Cluster& cluster, std::string_view command);

/// \brief The help text listing the admin commands.
std::string_view AdminCommandsHelp();

/// \brief A line-protocol TCP server for admin commands (one command per connection: the
/// client sends a line, reads the answer until the server closes).
class AdminServer {
 public:
  /// kIo when the address cannot be bound.
  static Result<std::unique_ptr<AdminServer>> Start(Cluster& cluster, const std::string& address,
                                                    uint16_t port);
  ~AdminServer();
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  uint16_t port() const;

 private:
  struct Impl;
  explicit AdminServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// \brief Sends `command` to the admin server at host:port and returns its answer.
/// kIo when it cannot connect; kInvalidArgument when the answer starts with "error:".
Result<std::string> SendAdminCommand(const std::string& host, uint16_t port,
                                     std::string_view command);

}  // namespace cqlbulk::sim
