// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/uuid.h"
#include "cqlbulk/data/buffer.h"
#include "cqlbulk/data/logical_type.h"

namespace cqlbulk::data {

/// \brief A CQL duration's three parts, as a Duration column stores them (16 bytes).
struct DurationValue {
  int32_t months = 0;
  int32_t days = 0;
  int64_t nanos = 0;
  friend bool operator==(const DurationValue&, const DurationValue&) = default;
};
static_assert(sizeof(DurationValue) == 16);

/// \brief The values of one field for the rows of a batch, in columnar layout (README.md).
///
/// Buffers, by kind:
/// - validity: one bit per row, LSB first, 1 = valid; absent (null_count() == 0) when no
///   row is null. A null row still has a slot in every other buffer (zeros, an empty
///   range, default children).
/// - fixed width (boolean as one byte 0/1, ints, floats, date, time, timestamp, uuid 16
///   bytes in network order, duration as DurationValue): `values()`.
/// - string, binary, big_integer, inet: num_rows()+1 int32 `offsets()` into `values()`.
/// - decimal: like binary (the unscaled bytes) plus one int32 per row in `scales()`.
/// - list, set, map: offsets into child(0) (for a map, a Struct<key, value>).
/// - struct: one child per field, each with num_rows() rows.
/// - vector: child(0) holds dimension() values per row.
///
/// Accessors do not check the kind or the row (a mismatch is a bug, caught by DCHECK in
/// debug builds). Views stay valid as long as the column lives. Move-only.
class Column {
 public:
  Column(Column&&) noexcept = default;
  Column& operator=(Column&&) noexcept = default;

  const LogicalTypePtr& type() const noexcept { return type_; }
  TypeKind kind() const noexcept { return type_->kind(); }
  size_t num_rows() const noexcept { return num_rows_; }
  size_t null_count() const noexcept { return null_count_; }

  bool IsNull(size_t row) const noexcept {
    return null_count_ != 0 && ((validity_.data()[row >> 3] >> (row & 7)) & 1) == 0;
  }

  bool Boolean(size_t row) const noexcept { return values_.data()[row] != 0; }
  int8_t Int8(size_t row) const noexcept { return values_.Load<int8_t>(row); }
  int16_t Int16(size_t row) const noexcept { return values_.Load<int16_t>(row); }
  int32_t Int32(size_t row) const noexcept { return values_.Load<int32_t>(row); }
  int64_t Int64(size_t row) const noexcept { return values_.Load<int64_t>(row); }
  float Float32(size_t row) const noexcept { return values_.Load<float>(row); }
  double Float64(size_t row) const noexcept { return values_.Load<double>(row); }
  /// Days since 1970-01-01.
  int32_t Date(size_t row) const noexcept { return Int32(row); }
  /// Nanoseconds since midnight.
  int64_t Time(size_t row) const noexcept { return Int64(row); }
  /// Milliseconds since the Unix epoch.
  int64_t Timestamp(size_t row) const noexcept { return Int64(row); }
  DurationValue Duration(size_t row) const noexcept { return values_.Load<DurationValue>(row); }
  /// The 16 bytes of a uuid, network order.
  BytesView UuidBytes(size_t row) const noexcept { return {values_.data() + row * 16, 16}; }
  ::cqlbulk::Uuid Uuid(size_t row) const noexcept;

  /// string, binary, big_integer, inet, decimal (unscaled): the row's bytes.
  BytesView Bytes(size_t row) const noexcept {
    int32_t begin = offsets_.Load<int32_t>(row);
    int32_t end = offsets_.Load<int32_t>(row + 1);
    return {values_.data() + begin, static_cast<size_t>(end - begin)};
  }
  std::string_view String(size_t row) const noexcept { return AsChars(Bytes(row)); }
  BytesView DecimalUnscaled(size_t row) const noexcept { return Bytes(row); }
  int32_t DecimalScale(size_t row) const noexcept { return scales_.Load<int32_t>(row); }

  /// list, set, map, vector: the row's elements are child rows [first, second).
  std::pair<size_t, size_t> ElementRange(size_t row) const noexcept {
    if (kind() == TypeKind::kVector) {
      size_t dim = static_cast<size_t>(type_->dimension());
      return {row * dim, (row + 1) * dim};
    }
    return {static_cast<size_t>(offsets_.Load<int32_t>(row)),
            static_cast<size_t>(offsets_.Load<int32_t>(row + 1))};
  }

  size_t num_children() const noexcept { return children_.size(); }
  const Column& child(size_t i = 0) const { return children_.at(i); }
  /// Map: the keys and values columns (children of the entries struct).
  const Column& map_keys() const { return child(0).child(0); }
  const Column& map_values() const { return child(0).child(1); }

  // Raw buffers, for encoders that work a column at a time.
  /// The validity bitmap, or nullptr when no row is null.
  const uint8_t* validity_bitmap() const noexcept {
    return null_count_ == 0 ? nullptr : validity_.data();
  }
  BytesView values() const noexcept { return values_.view(); }
  std::span<const int32_t> offsets() const noexcept { return Int32Span(offsets_); }
  std::span<const int32_t> scales() const noexcept { return Int32Span(scales_); }

  /// Bytes in use by every buffer of this column and its children.
  size_t size_bytes() const noexcept;

 private:
  friend class ColumnBuilder;
  friend class SerializedColumnReader;
  explicit Column(LogicalTypePtr type) : type_(std::move(type)) {}

  static std::span<const int32_t> Int32Span(const Buffer& b) noexcept {
    return {reinterpret_cast<const int32_t*>(b.data()), b.size() / sizeof(int32_t)};
  }

  LogicalTypePtr type_;
  size_t num_rows_ = 0;
  size_t null_count_ = 0;
  Buffer validity_;
  Buffer values_;
  Buffer offsets_;
  Buffer scales_;
  std::vector<Column> children_;
};

}  // namespace cqlbulk::data
