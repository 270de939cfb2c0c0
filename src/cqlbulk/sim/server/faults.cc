// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/sim/server/faults.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

namespace cqlbulk::sim {
namespace {

int PerMille(double share) {
  return static_cast<int>(std::lround(std::clamp(share, 0.0, 1.0) * 1000.0));
}

bool Draw(int per_mille) {
  if (per_mille <= 0) return false;
  if (per_mille >= 1000) return true;
  thread_local std::minstd_rand rng{std::random_device{}()};
  return static_cast<int>(rng() % 1000) < per_mille;
}

}  // namespace

std::string_view InjectedErrorName(InjectedError error) {
  switch (error) {
    case InjectedError::kReadTimeout:
      return "read_timeout";
    case InjectedError::kWriteTimeout:
      return "write_timeout";
    case InjectedError::kUnavailable:
      return "unavailable";
    case InjectedError::kOverloaded:
      return "overloaded";
    case InjectedError::kServerError:
      return "server_error";
  }
  return "server_error";
}

Result<InjectedError> ParseInjectedError(std::string_view name) {
  for (auto e :
       {InjectedError::kReadTimeout, InjectedError::kWriteTimeout, InjectedError::kUnavailable,
        InjectedError::kOverloaded, InjectedError::kServerError}) {
    if (InjectedErrorName(e) == name) return e;
  }
  return InvalidArgument("unknown error kind '" + std::string(name) +
                         "' (read_timeout, write_timeout, unavailable, overloaded, server_error)");
}

void NodeFaults::set_error(double share, InjectedError error) {
  error_ = error;
  error_per_mille_ = PerMille(share);
}

void NodeFaults::set_drop(double share) { drop_per_mille_ = PerMille(share); }

void NodeFaults::Clear() {
  latency_ms_ = 0;
  error_per_mille_ = 0;
  drop_per_mille_ = 0;
}

std::optional<cql::ErrorResponse> NodeFaults::DrawError(cql::Consistency consistency) {
  if (!Draw(error_per_mille_.load())) return std::nullopt;
  cql::ErrorResponse e;
  // Messages as Cassandra 4.0 words them.
  switch (error_.load()) {
    case InjectedError::kReadTimeout:
      e.code = static_cast<int32_t>(cql::ErrorResponseCode::kReadTimeout);
      e.message = "Operation timed out - received only 0 responses.";
      e.details = cql::ReadTimeoutInfo{consistency, 0, 1, false};
      break;
    case InjectedError::kWriteTimeout:
      e.code = static_cast<int32_t>(cql::ErrorResponseCode::kWriteTimeout);
      e.message = "Operation timed out - received only 0 responses.";
      e.details = cql::WriteTimeoutInfo{
          .consistency = consistency, .received = 0, .block_for = 1, .write_type = "SIMPLE",
                                        .contentions = std::nullopt};
      break;
    case InjectedError::kUnavailable:
      e.code = static_cast<int32_t>(cql::ErrorResponseCode::kUnavailable);
      e.message =
          "Cannot achieve consistency level " + std::string(cql::ConsistencyName(consistency));
      e.details = cql::UnavailableInfo{consistency, 1, 0};
      break;
    case InjectedError::kOverloaded:
      e.code = static_cast<int32_t>(cql::ErrorResponseCode::kOverloaded);
      e.message = "Server is in overloaded state. Cannot accept more requests at this point";
      break;
    case InjectedError::kServerError:
      e.code = static_cast<int32_t>(cql::ErrorResponseCode::kServerError);
      e.message = "java.lang.RuntimeException: injected by cqlsim";
      break;
  }
  return e;
}

bool NodeFaults::DrawDrop() { return Draw(drop_per_mille_.load()); }

std::string NodeFaults::ToString() const {
  char buf[128];
  std::snprintf(buf, sizeof buf, "latency=%lldms error=%.1f%%(%s) drop=%.1f%%",
                static_cast<long long>(latency_ms_.load()), error_per_mille_.load() / 10.0,
                std::string(InjectedErrorName(error_.load())).c_str(),
                drop_per_mille_.load() / 10.0);
  return buf;
}

}  // namespace cqlbulk::sim
