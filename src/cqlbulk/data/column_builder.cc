// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/data/column_builder.h"

#include <cstring>
#include <string>
#include <utility>

namespace cqlbulk::data {

namespace {

bool IsVariable(TypeKind kind) {
  return kind == TypeKind::kString || kind == TypeKind::kBinary || kind == TypeKind::kBigInteger ||
         kind == TypeKind::kInet || kind == TypeKind::kDecimal;
}

bool HasOffsets(TypeKind kind) {
  return IsVariable(kind) || kind == TypeKind::kList || kind == TypeKind::kSet ||
         kind == TypeKind::kMap;
}

// Moves a buffer out and leaves an empty one of the same capacity behind, so the next batch
// of a reused builder does not grow its buffers from scratch again.
Buffer TakeKeepingCapacity(Buffer& buffer) {
  size_t capacity = buffer.capacity();
  Buffer taken = std::move(buffer);
  buffer.Reserve(capacity);
  return taken;
}

}  // namespace

ColumnBuilder::ColumnBuilder(Field field, size_t capacity_rows) : field_(std::move(field)) {
  const LogicalType& type = *field_.type;
  TypeKind kind = type.kind();
  width_ = type.fixed_width();
  is_variable_ = IsVariable(kind);
  is_list_like_ = kind == TypeKind::kList || kind == TypeKind::kSet || kind == TypeKind::kMap ||
                  kind == TypeKind::kVector;
  size_t child_rows = capacity_rows;
  if (kind == TypeKind::kVector) {
    child_rows *= static_cast<size_t>(type.dimension());
  }
  for (const Field& child : type.fields()) {
    children_.emplace_back(child, child_rows);
  }
  if (width_ > 0) {
    values_.Reserve(capacity_rows * static_cast<size_t>(width_));
  }
  if (is_variable_) {
    values_.Reserve(capacity_rows * 16);  // a guess; growth is geometric beyond it
  }
  if (kind == TypeKind::kDecimal) {
    scales_.Reserve(capacity_rows * sizeof(int32_t));
  }
  if (HasOffsets(kind)) {
    offsets_.Reserve((capacity_rows + 1) * sizeof(int32_t));
    offsets_.Append(int32_t{0});
  }
}

void ColumnBuilder::PushValidityBit(bool valid) {
  if ((length_ & 7) == 0) {
    validity_.Append(uint8_t{0});
  }
  if (valid) {
    validity_.mutable_data()[length_ >> 3] |= static_cast<uint8_t>(1u << (length_ & 7));
  }
}

void ColumnBuilder::AppendFixedWidth(const uint8_t* values, size_t n) {
  CQLBULK_DCHECK(width_ > 0, "AppendFixedWidth on a column that is not fixed width");
  if (n == 0) return;
  std::memcpy(AppendFixedWidthSlots(n), values, n * static_cast<size_t>(width_));
}

uint8_t* ColumnBuilder::AppendBytesSlots(size_t n, size_t total_bytes, int32_t*& ends,
                                         int64_t& base) {
  CQLBULK_DCHECK(is_variable_ && type()->kind() != TypeKind::kDecimal,
                 "AppendBytesSlots on a column that is not string, binary, big_integer or inet");
  base = static_cast<int64_t>(values_.size());
  if (values_.size() + total_bytes > kMaxOffset) [[unlikely]] {
    overflow_ = true;
  }
  uint8_t* bytes = values_.Grow(total_bytes);
  ends = reinterpret_cast<int32_t*>(offsets_.Grow(n * sizeof(int32_t)));
  SetValid(n);
  length_ += n;
  return bytes;
}

uint8_t* ColumnBuilder::AppendFixedWidthSlots(size_t n) {
  CQLBULK_DCHECK(width_ > 0, "AppendFixedWidthSlots on a column that is not fixed width");
  uint8_t* values = values_.Grow(n * static_cast<size_t>(width_));
  SetValid(n);
  length_ += n;
  return values;
}

void ColumnBuilder::SetValid(size_t n) {
  if (has_validity_) {
    // Set the bits of rows length_ .. length_ + n - 1: the partial first byte, whole bytes,
    // then the partial last one (PushValidityBit's bytes past the end are not there yet).
    size_t end = length_ + n;
    size_t have = validity_.size();
    size_t need = (end + 7) >> 3;
    if (need > have) std::memset(validity_.Grow(need - have), 0, need - have);
    uint8_t* bits = validity_.mutable_data();
    size_t i = length_;
    for (; i < end && (i & 7) != 0; ++i) bits[i >> 3] |= static_cast<uint8_t>(1u << (i & 7));
    size_t whole = (end - i) >> 3;
    std::memset(bits + (i >> 3), 0xff, whole);
    i += whole << 3;
    for (; i < end; ++i) bits[i >> 3] |= static_cast<uint8_t>(1u << (i & 7));
  }
}

void ColumnBuilder::StartValidity() {
  // The bitmap is created at the first null: columns without nulls never pay for it.
  has_validity_ = true;
  validity_.Clear();
  size_t full_bytes = length_ >> 3;
  if (full_bytes > 0) {
    std::memset(validity_.Grow(full_bytes), 0xff, full_bytes);
  }
  if ((length_ & 7) != 0) {
    validity_.Append(static_cast<uint8_t>((1u << (length_ & 7)) - 1));
  }
}

void ColumnBuilder::AppendNull() {
  if (!has_validity_) {
    StartValidity();
  }
  PushValidityBit(false);
  ++null_count_;
  AppendDefaultSlot();
  ++length_;
}

void ColumnBuilder::AppendDefault() {
  PushValid();
  AppendDefaultSlot();
  ++length_;
}

void ColumnBuilder::AppendDefaultSlot() {
  if (width_ > 0) {
    values_.AppendZeros(static_cast<size_t>(width_));
    return;
  }
  switch (type()->kind()) {
    case TypeKind::kDecimal:
      scales_.Append(int32_t{0});
      PushOffset(values_.size());
      return;
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kMap:
      PushOffset(children_[0].length_);
      return;
    case TypeKind::kVector:
      for (int32_t i = 0; i < type()->dimension(); ++i) {
        children_[0].AppendDefault();
      }
      return;
    case TypeKind::kStruct:
      for (ColumnBuilder& child : children_) {
        child.AppendDefault();
      }
      return;
    default:  // string, binary, big_integer, inet
      PushOffset(values_.size());
      return;
  }
}

void ColumnBuilder::EndList() {
  CQLBULK_DCHECK(is_list_like_, "EndList on a column that is not a list, set, map or vector");
  ColumnBuilder& child = children_[0];
  PushValid();
  switch (type()->kind()) {
    case TypeKind::kVector:
      if (child.length_ != (length_ + 1) * static_cast<size_t>(type()->dimension())) {
        bad_vector_ = true;
      }
      break;
    case TypeKind::kMap: {
      // Every entry of a map is valid: mark the entries the keys and values were added to.
      size_t num_entries = child.children_[0].length_;
      while (child.length_ < num_entries) {
        child.AppendStructValid();
      }
      PushOffset(child.length_);
      break;
    }
    default:
      PushOffset(child.length_);
      break;
  }
  ++length_;
}

size_t ColumnBuilder::size_bytes() const noexcept {
  size_t total = validity_.size() + values_.size() + offsets_.size() + scales_.size();
  for (const ColumnBuilder& child : children_) {
    total += child.size_bytes();
  }
  return total;
}

size_t ColumnBuilder::capacity_bytes() const noexcept {
  size_t total =
      validity_.capacity() + values_.capacity() + offsets_.capacity() + scales_.capacity();
  for (const ColumnBuilder& child : children_) {
    total += child.capacity_bytes();
  }
  return total;
}

Status ColumnBuilder::Validate(std::string_view parent_path) const {
  std::string path =
      parent_path.empty() ? field_.name : std::string(parent_path) + "." + field_.name;
  if (!field_.nullable && null_count_ > 0) {
    return InvalidArgument("field '" + path + "' is not nullable but got " +
                           std::to_string(null_count_) + " null(s)");
  }
  if (overflow_) {
    return InvalidArgument("field '" + path +
                           "' holds more than 2 GiB of bytes in one batch (cut batches smaller)");
  }
  TypeKind kind = type()->kind();
  if (kind == TypeKind::kVector) {
    size_t expected = length_ * static_cast<size_t>(type()->dimension());
    if (bad_vector_ || children_[0].length_ != expected) {
      return InvalidArgument("field '" + path + "': a vector value does not have " +
                             std::to_string(type()->dimension()) + " elements");
    }
  } else if (kind == TypeKind::kStruct) {
    for (const ColumnBuilder& child : children_) {
      if (child.length_ != length_) {
        return InvalidArgument("struct field '" + path + "': field '" + child.field_.name +
                               "' has " + std::to_string(child.length_) + " values for " +
                               std::to_string(length_) + " rows");
      }
    }
  } else if (is_list_like_) {
    size_t end = static_cast<size_t>(offsets_.Load<int32_t>(length_));
    if (children_[0].length_ != end) {
      return InvalidArgument("field '" + path + "': " + std::to_string(children_[0].length_ - end) +
                             " element(s) appended after the last EndList()");
    }
  }
  for (const ColumnBuilder& child : children_) {
    CQLBULK_RETURN_IF_ERROR(child.Validate(path));
  }
  return OkStatus();
}

Column ColumnBuilder::Take() {
  Column column(field_.type);
  column.num_rows_ = length_;
  column.null_count_ = null_count_;
  if (has_validity_) {
    column.validity_ = TakeKeepingCapacity(validity_);
  }
  column.values_ = TakeKeepingCapacity(values_);
  column.offsets_ = TakeKeepingCapacity(offsets_);
  column.scales_ = TakeKeepingCapacity(scales_);
  column.children_.reserve(children_.size());
  for (ColumnBuilder& child : children_) {
    column.children_.push_back(child.Take());
  }
  Reset();
  return column;
}

void ColumnBuilder::Reset() {
  length_ = 0;
  null_count_ = 0;
  has_validity_ = false;
  overflow_ = false;
  bad_vector_ = false;
  validity_.Clear();
  values_.Clear();
  scales_.Clear();
  offsets_.Clear();
  if (HasOffsets(type()->kind())) {
    offsets_.Append(int32_t{0});
  }
  for (ColumnBuilder& child : children_) {
    child.Reset();
  }
}

void ColumnBuilder::Truncate(size_t rows) {
  if (rows > length_) {
    rows = length_;
  }
  if (has_validity_) {
    for (size_t row = rows; row < length_; ++row) {
      if (((validity_.data()[row >> 3] >> (row & 7)) & 1) == 0) {
        --null_count_;
      }
    }
    validity_.Truncate((rows + 7) >> 3);
    if ((rows & 7) != 0) {
      // PushValidityBit only sets bits: clear the dropped rows' bits of the last byte.
      validity_.mutable_data()[rows >> 3] &= static_cast<uint8_t>((1u << (rows & 7)) - 1);
    }
  }
  length_ = rows;
  TypeKind kind = type()->kind();
  if (width_ > 0) {
    values_.Truncate(rows * static_cast<size_t>(width_));
  }
  if (HasOffsets(kind)) {
    offsets_.Truncate((rows + 1) * sizeof(int32_t));
  }
  if (is_variable_) {
    values_.Truncate(static_cast<size_t>(offsets_.Load<int32_t>(rows)));
  }
  if (kind == TypeKind::kDecimal) {
    scales_.Truncate(rows * sizeof(int32_t));
  }
  switch (kind) {
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kMap:
      children_[0].Truncate(static_cast<size_t>(offsets_.Load<int32_t>(rows)));
      break;
    case TypeKind::kVector:
      children_[0].Truncate(rows * static_cast<size_t>(type()->dimension()));
      break;
    case TypeKind::kStruct:
      for (ColumnBuilder& child : children_) {
        child.Truncate(rows);
      }
      break;
    default:
      break;
  }
}

}  // namespace cqlbulk::data
