// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/data/column.h"
#include "cqlbulk/formats/text/scalar_text.h"
#include "cqlbulk/formats/text/text_options.h"

namespace cqlbulk::formats {

/// \brief Writes values of data::Column cells as text (CSV cells) and as JSON values, in the
/// forms of the table "Values as text" in formats/README.md, which the readers parse back.
///
/// Two ways to write: Append* append to the caller's string; the Write* fast path writes
/// scalars at a raw pointer with room for the cell's bound (TextBound, JsonBound), for
/// writers that manage their own buffer. Neither allocates (a map whose keys have text that
/// needs escaping reuses a per-thread scratch string). Immutable after Make(): one formatter
/// may be shared by threads.
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

  /// \brief At most how many bytes WriteText writes for the non-null cell `row` of a column
  /// that is not nested (list, set, map, struct, vector: use AppendText).
  size_t TextBound(const data::Column& column, size_t row) const noexcept;
  /// \brief Writes what AppendText appends for that cell at `p`, which has room for
  /// TextBound bytes; returns the end.
  char* WriteText(const data::Column& column, size_t row, char* p) const;
  /// \brief At most how many bytes WriteJson writes for cell `row` (null or not) of a column
  /// that is not nested (use AppendJson).
  size_t JsonBound(const data::Column& column, size_t row) const noexcept;
  /// \brief Writes what AppendJson appends for that cell at `p`, which has room for
  /// JsonBound bytes; returns the end.
  char* WriteJson(const data::Column& column, size_t row, char* p) const;

  /// \brief Writes a timestamp (ms since the epoch) in the configured format and zone at
  /// `p`, which has room for timestamp_bound() bytes; returns the end.
  char* WriteTimestamp(char* p, int64_t millis) const;
  size_t timestamp_bound() const noexcept { return timestamp_bound_; }
  void AppendTimestamp(int64_t millis, std::string& out) const;

  /// \brief A blob's text at `p` (room for HexBlobBound(bytes.size())): base64 or hex per
  /// the options (base64 that reads as 0x-hex: hex). Returns the end.
  char* WriteBinary(char* p, BytesView bytes) const;

  const TextOptions& options() const noexcept { return options_; }

 private:
  /// One step of a compiled timestamp pattern.
  enum class Piece : uint8_t {
    kLiteral,
    kYear,
    kMonth,
    kDay,
    kHour,
    kMinute,
    kSecond,
    kMillis,
    kOffset,
    kOffsetColon,
  };
  struct PatternStep {
    Piece piece;
    char literal;
  };

  ValueFormatter() = default;

  void AppendNestedJson(const data::Column& column, size_t row, std::string& out) const;
  /// A map key: its text form as a JSON string.
  void AppendKeyJson(const data::Column& keys, size_t row, std::string& out) const;

  TextOptions options_;
  bool iso_ = true;
  bool pattern_needs_escape_ = false;  // a pattern literal is '"', '\\', a control or non-ASCII
  int32_t offset_minutes_ = 0;         // the zone's offset from UTC
  size_t timestamp_bound_ = 48;
  std::vector<PatternStep> pattern_;
};

}  // namespace cqlbulk::formats
