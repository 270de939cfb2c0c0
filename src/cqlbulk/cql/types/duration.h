// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"

namespace cqlbulk::cql {

/// \brief A CQL `duration` (v5 §6.3): months, days and nanoseconds, kept apart because their
/// lengths vary (a month is not 30 days, a day is not always 24 hours). All three share one
/// sign in a valid duration.
struct Duration {
  int32_t months = 0;
  int32_t days = 0;
  int64_t nanoseconds = 0;

  /// Parses the three forms Cassandra accepts, each with an optional leading '-':
  /// - units: "1y2mo3w4d5h6m7s8ms9us10ns" (case-insensitive units, also "µs"; each unit at
  ///   most once, from largest to smallest);
  /// - ISO 8601 with designators: "P1Y2M3DT4H5M6S", or weeks "P2W";
  /// - ISO 8601 alternative: "P0001-02-03T04:05:06".
  /// Years become 12 months, weeks 7 days, hours..ns nanoseconds. kInvalidArgument on bad
  /// syntax, or when a total exceeds 2^31-1 months or days or 2^63-1 nanoseconds (as Cassandra).
  static Result<Duration> Parse(std::string_view text);

  /// Cassandra's text form: "1y2mo3d4h5m6s7ms8us9ns", "-1d"; "0s" for zero.
  std::string ToString() const;

  /// True when months, days and nanoseconds are not of mixed signs (Cassandra rejects those).
  bool has_consistent_sign() const noexcept;

  /// Appends the value bytes: three signed vints.
  void Encode(ByteWriter& out) const;
  /// Decodes value bytes. kProtocol when shorter than 3 bytes, when months or days do not fit
  /// 32 bits, on mixed signs, or on bytes after the third vint.
  static Result<Duration> Decode(BytesView bytes);

  friend bool operator==(const Duration&, const Duration&) = default;
};

}  // namespace cqlbulk::cql
