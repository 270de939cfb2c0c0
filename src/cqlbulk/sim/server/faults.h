// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/protocol/error_response.h"

namespace cqlbulk::sim {

/// \brief The errors a node can be told to answer with.
enum class InjectedError : uint8_t {
  kReadTimeout,
  kWriteTimeout,
  kUnavailable,
  kOverloaded,
  kServerError
};

/// "read_timeout", "write_timeout", "unavailable", "overloaded", "server_error".
std::string_view InjectedErrorName(InjectedError error);
/// kInvalidArgument listing the accepted names.
Result<InjectedError> ParseInjectedError(std::string_view name);

/// \brief The faults of one node, set from the admin interface or tests while it serves.
///
/// Thread-safe: every field is read per request. Shares are per mille (0..1000) so they fit
/// an atomic integer.
class NodeFaults {
 public:
  void set_latency(std::chrono::milliseconds latency) { latency_ms_ = latency.count(); }
  std::chrono::milliseconds latency() const {
    return std::chrono::milliseconds(latency_ms_.load());
  }

  /// Answer `share` (0..1) of QUERY/EXECUTE/BATCH requests with `error` instead of executing.
  void set_error(double share, InjectedError error);
  /// Close the connection instead of answering `share` (0..1) of requests.
  void set_drop(double share);
  void Clear();

  /// What to do with the next request, drawn at random: an error to answer, or nullopt.
  std::optional<cql::ErrorResponse> DrawError(cql::Consistency consistency);
  bool DrawDrop();

  /// "latency=0ms error=0.0%(read_timeout) drop=0.0%".
  std::string ToString() const;

 private:
  std::atomic<int64_t> latency_ms_{0};
  std::atomic<int> error_per_mille_{0};
  std::atomic<InjectedError> error_{InjectedError::kReadTimeout};
  std::atomic<int> drop_per_mille_{0};
};

}  // namespace cqlbulk::sim
