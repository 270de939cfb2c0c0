// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/macros.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/core/uuid.h"
#include "cqlbulk/data/buffer.h"
#include "cqlbulk/data/column.h"
#include "cqlbulk/data/logical_type.h"

namespace cqlbulk::data {

/// \brief Appends the values of one field, row by row, into columnar buffers.
///
/// Every append adds one row: call the one that matches the field's kind (a mismatch is a
/// bug, caught by DCHECK in debug builds; release builds trust the caller). Appends are
/// amortised O(1): buffers grow geometrically, nothing is allocated per value, and the only
/// branch on the kind is in AppendNull (which fills the row's slots with defaults).
///
/// Nested values:
/// - list, set, vector: `BeginList()`, append the elements to `child()`, `EndList()`.
/// - map: `BeginList()`, append keys to `map_keys()` and values to `map_values()`,
///   `EndList()` (it marks the entries valid).
/// - struct: append one value to each `child(i)`, then `AppendStructValid()`; a null struct is
///   just `AppendNull()` (it appends defaults to the children).
/// Problems that an append cannot report (a vector of the wrong size, more than 2 GiB of
/// bytes in one column) are kept and returned by Validate (BatchBuilder::Finish).
class ColumnBuilder {
 public:
  explicit ColumnBuilder(Field field, size_t capacity_rows = 0);
  ColumnBuilder(ColumnBuilder&&) noexcept = default;
  ColumnBuilder& operator=(ColumnBuilder&&) noexcept = default;

  const Field& field() const noexcept { return field_; }
  const LogicalTypePtr& type() const noexcept { return field_.type; }
  /// Rows appended so far.
  size_t length() const noexcept { return length_; }
  size_t null_count() const noexcept { return null_count_; }

  void AppendNull();
  void AppendBoolean(bool v) { AppendFixed<uint8_t>(v ? 1 : 0); }
  void AppendInt8(int8_t v) { AppendFixed(v); }
  void AppendInt16(int16_t v) { AppendFixed(v); }
  void AppendInt32(int32_t v) { AppendFixed(v); }
  void AppendInt64(int64_t v) { AppendFixed(v); }
  void AppendFloat32(float v) { AppendFixed(v); }
  void AppendFloat64(double v) { AppendFixed(v); }
  /// Days since 1970-01-01.
  void AppendDate(int32_t days) { AppendFixed(days); }
  /// Nanoseconds since midnight.
  void AppendTime(int64_t nanos) { AppendFixed(nanos); }
  /// Milliseconds since the Unix epoch.
  void AppendTimestamp(int64_t millis) { AppendFixed(millis); }
  void AppendDuration(int32_t months, int32_t days, int64_t nanos) {
    AppendFixed(DurationValue{months, days, nanos});
  }
  /// 16 bytes, network order.
  void AppendUuid(const uint8_t* bytes16) {
    CQLBULK_DCHECK(width_ == 16, "AppendUuid on a column that is not a uuid");
    PushValid();
    std::memcpy(values_.Grow(16), bytes16, 16);
    ++length_;
  }
  void AppendUuid(const Uuid& uuid) { AppendUuid(uuid.bytes.data()); }
  /// Appends `n` valid values of a fixed-width kind at once: `values` holds them in the
  /// column's layout (`n` times its fixed width; booleans 0 or 1), as a loop of the matching
  /// Append would lay them out.
  void AppendFixedWidth(const uint8_t* values, size_t n);
  /// \brief Appends `n` valid values of a fixed-width kind without writing them and returns
  /// where their `n` times the fixed width bytes go, in the column's layout: the caller writes
  /// every one before the next append (AppendFixedWidth is this and a copy).
  uint8_t* AppendFixedWidthSlots(size_t n);
  /// \brief Appends `n` valid values of string, binary, big_integer or inet whose bytes total
  /// `total_bytes`, without writing them: returns where their bytes go, one value after the
  /// other, and sets `ends` to where their `n` offsets go and `base` to the offset before the
  /// first. The caller writes the bytes and each value's end offset (`base` plus the bytes up
  /// to the end of that value, as int32) before the next append, as a loop of AppendBytes
  /// would have. Past 2 GiB in the column, Validate reports it as AppendBytes does.
  uint8_t* AppendBytesSlots(size_t n, size_t total_bytes, int32_t*& ends, int64_t& base);
  /// string, binary, big_integer, inet.
  void AppendBytes(BytesView bytes) {
    CQLBULK_DCHECK(is_variable_, "AppendBytes on a column that is not variable width");
    PushValid();
    values_.Append(bytes);
    PushOffset(values_.size());
    ++length_;
  }
  void AppendString(std::string_view s) { AppendBytes(AsBytes(s)); }
  /// Unscaled two's-complement big-endian bytes and the value's scale.
  void AppendDecimal(BytesView unscaled, int32_t scale) {
    CQLBULK_DCHECK(type()->kind() == TypeKind::kDecimal, "AppendDecimal on a non-decimal");
    scales_.Append(scale);
    AppendBytes(unscaled);
  }

  /// list, set, map, vector: starts a value; its elements go to the child builder(s).
  void BeginList() {
    CQLBULK_DCHECK(is_list_like_, "BeginList on a column that is not a list, set, map or vector");
  }
  /// Ends the value begun by BeginList().
  void EndList();
  /// struct: one valid row whose fields were appended to the children.
  void AppendStructValid() {
    CQLBULK_DCHECK(type()->kind() == TypeKind::kStruct, "AppendStructValid on a non-struct");
    PushValid();
    ++length_;
  }

  size_t num_children() const noexcept { return children_.size(); }
  ColumnBuilder& child(size_t i = 0) { return children_[i]; }
  ColumnBuilder& map_keys() { return children_[0].children_[0]; }
  ColumnBuilder& map_values() { return children_[0].children_[1]; }

  /// Bytes in use by this column's buffers and its children's.
  size_t size_bytes() const noexcept;
  /// Bytes allocated for them (what Reset keeps).
  size_t capacity_bytes() const noexcept;
  /// kInvalidArgument naming the field (dotted path under `parent_path`) when a non-nullable
  /// field holds a null, a struct's children or a list's child do not line up, a vector value
  /// had the wrong number of elements, or a column passed 2 GiB of bytes.
  Status Validate(std::string_view parent_path = {}) const;
  /// Moves the appended rows into a Column and starts empty again with the same capacity.
  Column Take();
  /// Forgets the appended rows, keeping every allocation.
  void Reset();
  /// \brief Keeps the first `rows` rows and drops the rest, keeping every allocation: a
  /// reader rolls back a record that turned out bad after some of its values were appended.
  ///
  /// Children are cut to what the kept rows hold, also when `rows` is length(): elements
  /// appended after the last EndList() (a list value left unfinished) and struct fields
  /// appended without their AppendStructValid() go too. Validity, null count, offsets and
  /// scales stay consistent. `rows` past length() is treated as length().
  void Truncate(size_t rows);

 private:
  template <typename T>
  void AppendFixed(T v) {
    CQLBULK_DCHECK(width_ == static_cast<int>(sizeof(T)), "append of the wrong width");
    PushValid();
    values_.Append(v);
    ++length_;
  }
  void PushValid() {
    if (has_validity_) [[unlikely]] {
      PushValidityBit(true);
    }
  }
  void PushOffset(size_t end) {
    if (end > kMaxOffset) [[unlikely]] {
      overflow_ = true;
    }
    offsets_.Append(static_cast<int32_t>(end));
  }
  void PushValidityBit(bool valid);
  /// Marks rows length_ .. length_ + n - 1 valid in the bitmap, if there is one.
  void SetValid(size_t n);
  void StartValidity();
  /// Appends a valid default value (zero, empty, defaults in children): the slot a null row
  /// takes in the value buffers.
  void AppendDefault();
  void AppendDefaultSlot();

  static constexpr size_t kMaxOffset = 0x7fffffff;

  Field field_;
  int width_ = 0;  // bytes per value of fixed-width kinds
  bool is_variable_ = false;
  bool is_list_like_ = false;
  size_t length_ = 0;
  size_t null_count_ = 0;
  bool has_validity_ = false;
  bool overflow_ = false;
  bool bad_vector_ = false;
  Buffer validity_;
  Buffer values_;
  Buffer offsets_;
  Buffer scales_;
  std::vector<ColumnBuilder> children_;
};

}  // namespace cqlbulk::data
