// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"

namespace cqlbulk {

/// \brief A 128-bit UUID in network byte order (as CQL uuid/timeuuid serialise it).
struct Uuid {
  std::array<uint8_t, 16> bytes{};

  static Result<Uuid> FromBytes(BytesView b);
  /// Parses the canonical 8-4-4-4-12 form (either case).
  static Result<Uuid> Parse(std::string_view text);

  int version() const noexcept { return bytes[6] >> 4; }
  /// For version 1 (timeuuid): 100 ns intervals since 1582-10-15.
  uint64_t timestamp_100ns() const noexcept;
  /// For version 1: milliseconds since the Unix epoch.
  int64_t unix_millis() const noexcept;

  std::string ToString() const;
  friend auto operator<=>(const Uuid&, const Uuid&) = default;
};

}  // namespace cqlbulk
