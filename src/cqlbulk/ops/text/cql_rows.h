// SPDX-License-Identifier: Apache-2.0
// Load's CSV path: text records straight to the CQL values of a table's columns.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/types/data_type.h"
#include "cqlbulk/data/buffer.h"
#include "cqlbulk/data/schema.h"
#include "cqlbulk/formats/text/fast_parse.h"
#include "cqlbulk/formats/text/record.h"
#include "cqlbulk/formats/text/value_parse.h"

namespace cqlbulk::ops {

/// \brief Rows of CQL values read straight from text records: per row, one [value] per target
/// field in field order (§3 of the protocol: an [int] length, then the bytes; -1 null, -2
/// unset for a field the record did not have), one row after another, as a bound statement
/// carries them.
class CqlRows {
 public:
  static constexpr int32_t kNull = -1;
  static constexpr int32_t kUnset = -2;

  explicit CqlRows(size_t num_fields) : num_fields_(num_fields) {}

  size_t num_fields() const noexcept { return num_fields_; }
  size_t num_rows() const noexcept { return num_fields_ == 0 ? 0 : starts_.size() / num_fields_; }
  size_t size_bytes() const noexcept { return bytes_.size(); }

  /// The [value] of `field` in `row`: its [int] length, then its bytes.
  const uint8_t* Value(size_t row, size_t field) const noexcept {
    return bytes_.data() + starts_[row * num_fields_ + field];
  }
  /// The [int] length of a value: its byte count, kNull or kUnset.
  static int32_t Length(const uint8_t* value) noexcept {
    return static_cast<int32_t>(LoadBE32(value));
  }
  /// The [value]s of `row`, every field's in field order.
  BytesView Row(size_t row) const noexcept {
    const size_t first = row * num_fields_;
    const size_t next = first + num_fields_;  // the next row's first (num_rows() divides)
    const size_t begin = starts_[first];
    const size_t end = next < starts_.size() ? starts_[next] : bytes_.size();
    return BytesView(bytes_.data() + begin, end - begin);
  }

  void Reserve(size_t rows, size_t bytes) {
    starts_.reserve(rows * num_fields_);
    bytes_.Reserve(bytes);
  }

 private:
  friend class CqlRowWriter;
  size_t num_fields_;
  data::Buffer bytes_;
  std::vector<uint32_t> starts_;  // of row r's field f at r * num_fields_ + f
};

/// \brief A RecordSink that writes each record's fields as the CQL values of a table's columns
/// (CqlRows), with no data::Batch in between and no second encoding.
///
/// A field's text is parsed by ValueParser::AppendText(text, field, sink), the same code that
/// fills a ColumnBuilder, so the same text gives the same value or the same error message; the
/// value is then written as CellEncoder writes that kind into that CQL type. Only the straight
/// pairs of a logical type and a CQL type (Takes), for which every check CellEncoder makes is
/// one the parser has made already (UTF-8, 7-bit ASCII, a timeuuid's version, an inet's
/// length, a non-empty big integer or decimal): so a record the writer takes is one the batch
/// path would have sent with the same bytes, and one it refuses one the batch path's reader
/// would have refused with the same reason. Not thread-safe.
class CqlRowWriter final : public formats::RecordSink {
 public:
  /// \brief Whether the writer takes `field` bound to a column of type `target`: scalar kinds
  /// in their straight pairs (boolean, tinyint, smallint, int, bigint, float, double,
  /// decimal, varint, ascii, text, blob, uuid, timeuuid, date, time, timestamp, inet). Not
  /// durations (CellEncoder checks their signs, the parser does not), counters, collections,
  /// tuples, UDTs, vectors, nor a field read into a wider or other CQL type.
  static bool Takes(const data::Field& field, const cql::DataType& target);

  /// \brief A writer of records of `schema` (each field taken by Takes for its column's type,
  /// which the caller checks), `source_fields` naming each field's source in errors, `missing`
  /// deciding a field a record lacks (as formats::AppendMissingField does).
  static Result<std::unique_ptr<CqlRowWriter>> Make(data::SchemaPtr schema,
                                                    std::vector<std::string> source_fields,
                                                    const formats::TextOptions& options,
                                                    formats::MissingField missing);
  ~CqlRowWriter() override;

  /// Where the next records go (outlives their Add calls).
  void set_output(CqlRows* rows) noexcept;

  Status Add(std::span<const formats::RecordField> fields, size_t& column) override;

 private:
  class ValueWriter;
  CqlRowWriter(data::SchemaPtr schema, std::vector<std::string> source_fields,
               formats::ValueParser parser, formats::MissingField missing, bool iso_timestamps);

  /// The fast path of a field's kind (Add): the common forms of its text written at once;
  /// any other text (a blank, a sign or more digits than the path takes, another timestamp
  /// form, invalid UTF-8, ...) goes through the parser.
  enum class Fast : uint8_t { kNone, kInt32, kInt64, kTimestamp, kDecimal, kVarchar, kAscii };

  data::SchemaPtr schema_;
  std::vector<Fast> fast_;  ///< per field
  std::vector<formats::IsoDateMemo> dates_;  ///< per field: a kTimestamp field's last date
  std::vector<std::string> source_fields_;
  formats::ValueParser parser_;
  formats::MissingField missing_;
  std::unique_ptr<ValueWriter> writer_;
  CqlRows* rows_ = nullptr;
};

}  // namespace cqlbulk::ops
