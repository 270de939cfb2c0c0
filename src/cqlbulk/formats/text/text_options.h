// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>

namespace cqlbulk::formats {

/// \brief How binary values (CQL blob) are written as text.
enum class BinaryEncoding : uint8_t {
  kBase64,  ///< RFC 4648 with padding (DSBulk's default)
  kHex,     ///< "0x" then lowercase hex digits (CQL's blob literal)
};

/// \brief How a value is written as text and read back, shared by every text format (CSV
/// cells, JSON values). Defaults give what DataStax Bulk Loader writes with its defaults,
/// and every value read back is the value written (README.md of formats/ has the table).
struct TextOptions {
  /// Timestamps: "iso" is ISO-8601 as Java's Instant prints it ("2021-03-04T05:06:07.089Z";
  /// no fraction when the milliseconds are 0; "+10000-01-01T00:00:00Z" past year 9999).
  /// Otherwise a strftime-style pattern: %Y %m %d %H %M %S, %f (3 digits of milliseconds),
  /// %z (+hhmm), %Ez (+hh:mm, or Z at UTC), %% ; other characters are copied.
  std::string timestamp_format = "iso";
  /// The zone timestamps are written in, and read in when the text carries none:
  /// "UTC" (also "Z"), or a fixed offset "+hh:mm" / "-hh:mm".
  std::string time_zone = "UTC";
  BinaryEncoding binary = BinaryEncoding::kBase64;
  /// The text of a null CSV cell. Empty: an empty unquoted field is null and an empty
  /// string is written as a quoted "" (so the two stay apart). JSON writes null always.
  std::string null_string{};
};

}  // namespace cqlbulk::formats
