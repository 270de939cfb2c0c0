// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/data/column_builder.h"
#include "cqlbulk/formats/text/json_parse.h"
#include "cqlbulk/formats/text/text_options.h"

namespace cqlbulk::formats {

/// \brief Where ValueParser::AppendText(text, field, sink) puts a scalar value: the typed
/// appends of a ColumnBuilder, for a converter that writes values in a form of its own (ops'
/// CSV load writes CQL values with them, with no ColumnBuilder in between). One call per
/// value, of the method for the field's kind (ColumnBuilder's names and arguments); the views
/// passed are valid during the call only.
class ScalarSink {
 public:
  virtual ~ScalarSink() = default;
  virtual void AppendNull() = 0;
  virtual void AppendBoolean(bool v) = 0;
  virtual void AppendInt8(int8_t v) = 0;
  virtual void AppendInt16(int16_t v) = 0;
  virtual void AppendInt32(int32_t v) = 0;
  virtual void AppendInt64(int64_t v) = 0;
  virtual void AppendFloat32(float v) = 0;
  virtual void AppendFloat64(double v) = 0;
  virtual void AppendDate(int32_t days) = 0;
  virtual void AppendTime(int64_t nanos) = 0;
  virtual void AppendTimestamp(int64_t millis) = 0;
  virtual void AppendDuration(int32_t months, int32_t days, int64_t nanos) = 0;
  virtual void AppendUuid(const uint8_t* bytes16) = 0;
  /// Binary, big integer (minimal two's complement), inet (4 or 16 bytes).
  virtual void AppendBytes(BytesView bytes) = 0;
  /// Checked UTF-8 (or ASCII for an ascii string).
  virtual void AppendString(std::string_view s) = 0;
  virtual void AppendDecimal(BytesView unscaled, int32_t scale) = 0;
};

/// \brief Text and JSON values to typed appends: the reading half of the text forms that
/// CSV cells and JSON values share (formats/README.md has the table per logical type).
///
/// Scalars: boolean true/false (any case); integers in decimal, range-checked per width;
/// floats in decimal or scientific notation, NaN, Infinity, -Infinity (also nan, infinity);
/// decimal in Java BigDecimal form ("-1.50", "1.23E+5"), any number of digits; big integer
/// as an optional sign and digits; string as is (valid UTF-8; ascii: 7-bit); binary base64
/// (standard alphabet, padding optional) or "0x" hex; uuid 8-4-4-4-12 (timeuuid: version
/// 1); date "yyyy-mm-dd" ("+10000-01-01", "-0001-12-31") or CQL's unsigned day count;
/// time "HH:MM:SS[.fffffffff]" or nanoseconds; timestamp ISO-8601 (with "T" or a space, a
/// zone "Z", "+02:00", "+0200" or none for TextOptions::time_zone, seconds and fraction
/// optional; a date alone is midnight), TextOptions::timestamp_format first when it is not
/// "iso", or milliseconds since the epoch; duration "1y2mo3w4d5h6m7s8ms9us10ns", ISO
/// "P1Y2M3DT4H5M6S" / "P2W" or "P0001-02-03T04:05:06"; inet IPv4 or IPv6.
/// Collections, tuples and UDTs are JSON (arrays; objects keyed by the key's text form; a
/// tuple an array, a UDT an object by field name).
///
/// Empty text (after trimming spaces and tabs) is null for every kind but string and binary.
/// A null for a non-nullable field (a vector element, a set element, a map key or a field
/// declared not null) is an error. On error a value may be half-appended (a list's first
/// elements): the caller drops the row with ColumnBuilder::Truncate / BatchBuilder::Truncate.
///
/// Holds scratch buffers (for big numbers, binary, nested JSON), so it is not thread-safe
/// and its Append methods are not const: one parser per reader.
class ValueParser {
 public:
  /// kInvalidArgument for a time zone that is not UTC or a fixed offset, or a timestamp
  /// pattern with an unknown % directive.
  static Result<ValueParser> Make(const TextOptions& options);

  ValueParser(ValueParser&&) noexcept;
  ValueParser& operator=(ValueParser&&) noexcept;
  ~ValueParser();

  /// \brief Appends the value `text` stands for to `out` (one row). kInvalidArgument with a
  /// short reason quoting the text: "not a timestamp: '2021-13-01'", "out of range for
  /// int32: '3000000000'", "invalid UTF-8 at byte 3".
  Status AppendText(std::string_view text, data::ColumnBuilder& out);

  /// \brief AppendText for a value of `field` given to `out` rather than to a ColumnBuilder:
  /// the same text gives the same value, or the same error, by the same code. Only scalar
  /// kinds (nested kinds are kUnimplemented).
  Status AppendText(std::string_view text, const data::Field& field, ScalarSink& out);

  /// \brief AppendNull for `field` given to `out`.
  static Status AppendNull(const data::Field& field, ScalarSink& out);

  /// \brief Appends a JSON value to `out` (one row): null, numbers for numeric kinds (their
  /// raw text, so decimals stay exact; a string holding the number works too), booleans,
  /// strings in the text form of AppendText, arrays and objects for nested kinds (or a
  /// string holding their JSON).
  Status AppendJson(JsonValue value, data::ColumnBuilder& out);

  /// \brief Appends a null, or kInvalidArgument when the field is not nullable.
  static Status AppendNull(data::ColumnBuilder& out);

  /// The time zone's offset from UTC in minutes (TextOptions::time_zone).
  int32_t zone_offset_minutes() const noexcept;

 private:
  struct State;
  explicit ValueParser(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace cqlbulk::formats
