// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/data/column.h"
#include "cqlbulk/formats/text/text_options.h"

namespace cqlbulk::formats {

/// \brief Writes values of data::Column cells as text (CSV cells) and as JSON values, in the
/// forms of the table "Values as text" in formats/README.md, which the readers parse back.
///
/// Every Append* appends to the caller's string and allocates nothing else (a map whose keys
/// are collections is the one exception: it reuses a per-thread scratch string). Immutable
/// after Make(): one formatter may be shared by threads.
class ValueFormatter {
 public:
  /// \brief A formatter for `options`. kInvalidArgument names a bad `timestamp_format` (an
  /// unknown % directive) or `time_zone` (not "UTC", "Z", "+hh:mm" or "-hh:mm").
  static Result<ValueFormatter> Make(const TextOptions& options);

  /// \brief Appends the text of the non-null cell `row` of `column` (a CSV cell's content,
  /// before any quoting): collections, tuples, UDTs and vectors as JSON text.
  void AppendText(const data::Column& column, size_t row, std::string& out) const;
  /// \brief Appends cell `row` of `column` as a JSON value (`null` when it is null).
  void AppendJson(const data::Column& column, size_t row, std::string& out) const;

  /// \brief Appends a timestamp (ms since the epoch) in the configured format and zone.
  void AppendTimestamp(int64_t millis, std::string& out) const;

  const TextOptions& options() const noexcept { return options_; }

 private:
  /// One step of a compiled timestamp pattern.
  enum class Piece : uint8_t { kLiteral, kYear, kMonth, kDay, kHour, kMinute, kSecond,
                               kMillis, kOffset, kOffsetColon };
  struct PatternStep {
    Piece piece;
    char literal;
  };

  ValueFormatter() = default;

  void AppendScalarText(const data::Column& column, size_t row, std::string& out) const;
  void AppendNestedJson(const data::Column& column, size_t row, std::string& out) const;
  /// A map key: its text form as a JSON string.
  void AppendKeyJson(const data::Column& keys, size_t row, std::string& out) const;
  /// Whether the text form of a non-null value of `kind` may need JSON escaping.
  bool TextNeedsJsonEscape(data::TypeKind kind) const noexcept;

  TextOptions options_;
  bool iso_ = true;
  bool pattern_needs_escape_ = false;  // a pattern literal is '"', '\\' or a control char
  int32_t offset_minutes_ = 0;         // the zone's offset from UTC
  std::vector<PatternStep> pattern_;
};

/// \brief Appends `text` as a JSON string (RFC 8259): quotes, `\"`, `\\`, `\b \f \n \r \t`,
/// other control characters as `\u00XX`; valid UTF-8 is kept as is, each byte of an invalid
/// sequence becomes `\ufffd`.
void AppendJsonString(std::string_view text, std::string& out);

// The text forms of single values, for formats that need one outside a Column.

/// Decimal digits of a two's-complement big-endian integer of any length ("0" when empty).
void AppendBigIntegerText(BytesView twos_complement, std::string& out);
/// Java BigDecimal.toString() of unscaled * 10^-scale: "123.45", "1.23E+5", "1E-7".
void AppendDecimalText(BytesView unscaled, int32_t scale, std::string& out);
/// float: shortest round-trip text; "NaN", "Infinity", "-Infinity".
void AppendFloat32Text(float value, std::string& out);
void AppendFloat64Text(double value, std::string& out);
/// "yyyy-mm-dd"; years outside 0..9999 as "+10000-01-01", "-0001-12-31".
void AppendDateText(int64_t days_since_epoch, std::string& out);
/// "HH:MM:SS" then ".mmm", ".mmmuuu" or ".mmmuuunnn" when the nanoseconds are not 0.
void AppendTimeText(int64_t nanos_of_day, std::string& out);
/// Cassandra's Duration.toString(): "1y2mo3d4h5m6s7ms8us9ns", "-3d", "0s".
void AppendDurationText(const data::DurationValue& duration, std::string& out);
/// Dotted IPv4 for 4 bytes, RFC 5952 IPv6 for 16; other lengths as "0x" + hex.
void AppendInetText(BytesView address, std::string& out);
/// Lowercase 8-4-4-4-12.
void AppendUuidText(const uint8_t* bytes16, std::string& out);
/// RFC 4648 base64 with padding.
void AppendBase64(BytesView bytes, std::string& out);
/// "0x" then lowercase hex.
void AppendHexBlob(BytesView bytes, std::string& out);

}  // namespace cqlbulk::formats
