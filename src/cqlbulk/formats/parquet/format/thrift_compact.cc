// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/parquet/format/thrift_compact.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <string>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::formats::parquet {

std::string_view ThriftTypeName(ThriftType type) {
  switch (type) {
    case ThriftType::kStop:
      return "stop";
    case ThriftType::kBoolTrue:
    case ThriftType::kBoolFalse:
      return "bool";
    case ThriftType::kI8:
      return "i8";
    case ThriftType::kI16:
      return "i16";
    case ThriftType::kI32:
      return "i32";
    case ThriftType::kI64:
      return "i64";
    case ThriftType::kDouble:
      return "double";
    case ThriftType::kBinary:
      return "binary";
    case ThriftType::kList:
      return "list";
    case ThriftType::kSet:
      return "set";
    case ThriftType::kMap:
      return "map";
    case ThriftType::kStruct:
      return "struct";
    case ThriftType::kUuid:
      return "uuid";
  }
  return "invalid";
}

// ---------------------------------------------------------------------------------------------
// CompactWriter

void CompactWriter::BeginStruct() {
  CQLBULK_CHECK(depth_ < kMaxDepth, "thrift structs nested too deep");
  last_field_ids_[static_cast<size_t>(depth_++)] = 0;
}

void CompactWriter::EndStruct() {
  CQLBULK_CHECK(depth_ > 0, "EndStruct without BeginStruct");
  out_.Append(uint8_t{0});  // the stop field
  --depth_;
}

void CompactWriter::WriteFieldHeader(ThriftType type, int16_t id) {
  CQLBULK_DCHECK(depth_ > 0, "a thrift field outside a struct");
  int16_t& last = last_field_ids_[static_cast<size_t>(depth_ - 1)];
  const int delta = int{id} - int{last};
  const auto type_bits = static_cast<uint8_t>(type);
  if (delta > 0 && delta <= 15) {
    out_.Append(static_cast<uint8_t>((delta << 4) | type_bits));
  } else {
    // Long form: the type alone, then the id as a zigzag varint (spec: Struct encoding).
    out_.Append(type_bits);
    WriteI16(id);
  }
  last = id;
}

void CompactWriter::WriteBoolField(int16_t id, bool value) {
  WriteFieldHeader(value ? ThriftType::kBoolTrue : ThriftType::kBoolFalse, id);
}

void CompactWriter::WriteI8Field(int16_t id, int8_t value) {
  WriteFieldHeader(ThriftType::kI8, id);
  WriteI8(value);
}

void CompactWriter::WriteI16Field(int16_t id, int16_t value) {
  WriteFieldHeader(ThriftType::kI16, id);
  WriteI16(value);
}

void CompactWriter::WriteI32Field(int16_t id, int32_t value) {
  WriteFieldHeader(ThriftType::kI32, id);
  WriteI32(value);
}

void CompactWriter::WriteI64Field(int16_t id, int64_t value) {
  WriteFieldHeader(ThriftType::kI64, id);
  WriteI64(value);
}

void CompactWriter::WriteDoubleField(int16_t id, double value) {
  WriteFieldHeader(ThriftType::kDouble, id);
  WriteDouble(value);
}

void CompactWriter::WriteBinaryField(int16_t id, BytesView value) {
  WriteFieldHeader(ThriftType::kBinary, id);
  WriteBinary(value);
}

void CompactWriter::BeginStructField(int16_t id) {
  WriteFieldHeader(ThriftType::kStruct, id);
  BeginStruct();
}

void CompactWriter::BeginListField(int16_t id, ThriftType element_type, uint32_t size) {
  WriteFieldHeader(ThriftType::kList, id);
  WriteListHeader(element_type, size);
}

void CompactWriter::BeginSetField(int16_t id, ThriftType element_type, uint32_t size) {
  WriteFieldHeader(ThriftType::kSet, id);
  WriteSetHeader(element_type, size);
}

void CompactWriter::BeginMapField(int16_t id, ThriftType key_type, ThriftType value_type,
                                  uint32_t size) {
  WriteFieldHeader(ThriftType::kMap, id);
  WriteMapHeader(key_type, value_type, size);
}

void CompactWriter::WriteCollectionHeader(ThriftType element_type, uint32_t size) {
  CQLBULK_DCHECK(size <= uint32_t{std::numeric_limits<int32_t>::max()}, "thrift list too long");
  const auto type_bits = static_cast<uint8_t>(element_type);
  if (size < 15) {
    out_.Append(static_cast<uint8_t>((size << 4) | type_bits));
  } else {
    out_.Append(static_cast<uint8_t>(0xF0 | type_bits));
    WriteVarint(size);
  }
}

void CompactWriter::WriteListHeader(ThriftType element_type, uint32_t size) {
  WriteCollectionHeader(element_type, size);
}

void CompactWriter::WriteSetHeader(ThriftType element_type, uint32_t size) {
  WriteCollectionHeader(element_type, size);
}

void CompactWriter::WriteMapHeader(ThriftType key_type, ThriftType value_type, uint32_t size) {
  if (size == 0) {
    out_.Append(uint8_t{0});
    return;
  }
  WriteVarint(size);
  out_.Append(static_cast<uint8_t>((static_cast<uint8_t>(key_type) << 4) |
                                   static_cast<uint8_t>(value_type)));
}

void CompactWriter::WriteDouble(double value) {
  // Little-endian IEEE 754 bits (spec: Double encoding).
  auto bits = std::bit_cast<uint64_t>(value);
  uint8_t* p = out_.Grow(8);
  for (int i = 0; i < 8; ++i, bits >>= 8) {
    p[i] = static_cast<uint8_t>(bits);
  }
}

void CompactWriter::WriteBinary(BytesView value) {
  WriteVarint(value.size());
  out_.Append(value);
}

void CompactWriter::WriteVarint(uint64_t value) {
  if (value < 0x80) {
    out_.Append(static_cast<uint8_t>(value));
    return;
  }
  uint8_t* start = out_.Grow(10);
  uint8_t* p = start;
  while (value >= 0x80) {
    *p++ = static_cast<uint8_t>(value | 0x80);
    value >>= 7;
  }
  *p++ = static_cast<uint8_t>(value);
  out_.Truncate(out_.size() - static_cast<size_t>(start + 10 - p));
}

// ---------------------------------------------------------------------------------------------
// CompactReader

namespace {

// The fewest bytes one list, set or map element of each type takes (bools: one byte each).
size_t MinElementBytes(ThriftType type) {
  switch (type) {
    case ThriftType::kDouble:
      return 8;
    case ThriftType::kUuid:
      return 16;
    default:
      return 1;
  }
}

bool IsValueType(uint8_t code) { return code >= 1 && code <= 13; }

}  // namespace

CompactReader::CompactReader(BytesView data, int max_depth) noexcept
    : begin_(data.data()),
      pos_(data.data()),
      end_(data.data() + data.size()),
      max_depth_(std::clamp(max_depth, 1, kMaxDepth)) {}

Error CompactReader::CorruptAt(size_t offset, std::string_view what) const {
  std::string message = "thrift: ";
  message.append(what).append(" at byte ").append(std::to_string(offset));
  return Corrupt(std::move(message));
}

Status CompactReader::Need(size_t n, std::string_view what) const {
  if (n > remaining()) [[unlikely]] {
    return CorruptAt(position(), std::string(what) + " of " + std::to_string(n) +
                                     " bytes runs past the end (" +
                                     std::to_string(remaining()) + " left)");
  }
  return OkStatus();
}

Status CompactReader::BeginStruct() {
  if (depth_ >= max_depth_) [[unlikely]] {
    return CorruptAt(position(), "nesting deeper than " + std::to_string(max_depth_));
  }
  last_field_ids_[static_cast<size_t>(depth_++)] = 0;
  return OkStatus();
}

Result<uint64_t> CompactReader::ReadVarintSlow() {
  const size_t at = position();
  uint64_t value = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    if (pos_ == end_) [[unlikely]] {
      return CorruptAt(at, "truncated varint");
    }
    const uint8_t byte = *pos_++;
    if (shift == 63 && byte > 1) [[unlikely]] {
      // The tenth byte holds bit 63 only.
      return CorruptAt(at, "varint overflows 64 bits");
    }
    value |= uint64_t{byte & 0x7Fu} << shift;
    if (byte < 0x80) {
      return value;
    }
  }
  return CorruptAt(at, "varint longer than 10 bytes");
}

Result<ThriftFieldHeader> CompactReader::ReadFieldHeader() {
  CQLBULK_DCHECK(depth_ > 0, "a thrift field outside a struct");
  const size_t at = position();
  if (pos_ == end_) [[unlikely]] {
    return CorruptAt(at, "truncated struct (no stop field)");
  }
  const uint8_t byte = *pos_++;
  if (byte == 0) {
    return ThriftFieldHeader{};
  }
  const uint8_t code = byte & 0x0F;
  if (!IsValueType(code)) [[unlikely]] {
    return CorruptAt(at, "invalid field type " + std::to_string(code));
  }
  int16_t& last = last_field_ids_[static_cast<size_t>(depth_ - 1)];
  const int delta = byte >> 4;
  int id;
  if (delta != 0) {
    id = int{last} + delta;
    if (id > std::numeric_limits<int16_t>::max()) [[unlikely]] {
      return CorruptAt(at, "field id past 32767");
    }
  } else {
    CQLBULK_ASSIGN_OR_RETURN(int16_t long_id, ReadI16());
    id = long_id;
  }
  last = static_cast<int16_t>(id);
  return ThriftFieldHeader{static_cast<ThriftType>(code), static_cast<int16_t>(id)};
}

Result<ThriftType> CompactReader::ElementType(uint8_t code, size_t at) const {
  if (code == 1) {
    return ThriftType::kBool;  // the Java and C++ libraries write bool elements as 1
  }
  if (!IsValueType(code)) [[unlikely]] {
    return CorruptAt(at, "invalid element type " + std::to_string(code));
  }
  return static_cast<ThriftType>(code);
}

Result<uint32_t> CompactReader::ReadSize(size_t at, std::string_view what) {
  CQLBULK_ASSIGN_OR_RETURN(uint64_t size, ReadVarint());
  if (size > uint64_t{std::numeric_limits<int32_t>::max()}) [[unlikely]] {
    return CorruptAt(at, std::string(what) + " " + std::to_string(size) + " past 2^31-1");
  }
  return static_cast<uint32_t>(size);
}

Result<ThriftListHeader> CompactReader::ReadListHeader() {
  const size_t at = position();
  if (pos_ == end_) [[unlikely]] {
    return CorruptAt(at, "truncated list header");
  }
  const uint8_t byte = *pos_++;
  CQLBULK_ASSIGN_OR_RETURN(ThriftType element_type, ElementType(byte & 0x0F, at));
  uint32_t size = byte >> 4;
  if (size == 15) {
    CQLBULK_ASSIGN_OR_RETURN(size, ReadSize(at, "list size"));
  }
  if (size > remaining() / MinElementBytes(element_type)) [[unlikely]] {
    return CorruptAt(at, "list of " + std::to_string(size) + " " +
                             std::string(ThriftTypeName(element_type)) +
                             " elements runs past the end (" + std::to_string(remaining()) +
                             " bytes left)");
  }
  return ThriftListHeader{element_type, size};
}

Result<ThriftMapHeader> CompactReader::ReadMapHeader() {
  const size_t at = position();
  CQLBULK_ASSIGN_OR_RETURN(uint32_t size, ReadSize(at, "map size"));
  if (size == 0) {
    return ThriftMapHeader{};
  }
  if (pos_ == end_) [[unlikely]] {
    return CorruptAt(at, "truncated map header");
  }
  const uint8_t types = *pos_++;
  CQLBULK_ASSIGN_OR_RETURN(ThriftType key_type, ElementType(types >> 4, at));
  CQLBULK_ASSIGN_OR_RETURN(ThriftType value_type, ElementType(types & 0x0F, at));
  const size_t entry_bytes = MinElementBytes(key_type) + MinElementBytes(value_type);
  if (size > remaining() / entry_bytes) [[unlikely]] {
    return CorruptAt(at, "map of " + std::to_string(size) + " entries runs past the end (" +
                             std::to_string(remaining()) + " bytes left)");
  }
  return ThriftMapHeader{key_type, value_type, size};
}

Result<bool> CompactReader::ReadBool() {
  const size_t at = position();
  CQLBULK_RETURN_IF_ERROR(Need(1, "bool"));
  const uint8_t byte = *pos_++;
  if (byte > 2) [[unlikely]] {
    return CorruptAt(at, "invalid bool " + std::to_string(byte));
  }
  return byte == 1;
}

Result<int8_t> CompactReader::ReadI8() {
  CQLBULK_RETURN_IF_ERROR(Need(1, "i8"));
  return static_cast<int8_t>(*pos_++);
}

Result<int16_t> CompactReader::ReadI16() {
  const size_t at = position();
  CQLBULK_ASSIGN_OR_RETURN(uint64_t raw, ReadVarint());
  if (raw > 0xFFFF) [[unlikely]] {
    return CorruptAt(at, "i16 varint out of range");
  }
  return static_cast<int16_t>(ZigZagDecode(raw));
}

Result<int32_t> CompactReader::ReadI32() {
  const size_t at = position();
  CQLBULK_ASSIGN_OR_RETURN(uint64_t raw, ReadVarint());
  if (raw > 0xFFFF'FFFF) [[unlikely]] {
    return CorruptAt(at, "i32 varint out of range");
  }
  return static_cast<int32_t>(ZigZagDecode(raw));
}

Result<int64_t> CompactReader::ReadI64() {
  CQLBULK_ASSIGN_OR_RETURN(uint64_t raw, ReadVarint());
  return ZigZagDecode(raw);
}

Result<double> CompactReader::ReadDouble() {
  CQLBULK_RETURN_IF_ERROR(Need(8, "double"));
  uint64_t bits = 0;
  for (int i = 7; i >= 0; --i) {
    bits = (bits << 8) | pos_[i];
  }
  pos_ += 8;
  return std::bit_cast<double>(bits);
}

Result<BytesView> CompactReader::ReadBinary() {
  const size_t at = position();
  CQLBULK_ASSIGN_OR_RETURN(uint64_t length, ReadVarint());
  if (length > remaining()) [[unlikely]] {
    return CorruptAt(at, "binary of " + std::to_string(length) + " bytes runs past the end (" +
                             std::to_string(remaining()) + " left)");
  }
  BytesView value(pos_, static_cast<size_t>(length));
  pos_ += length;
  return value;
}

Result<std::string_view> CompactReader::ReadString() {
  CQLBULK_ASSIGN_OR_RETURN(BytesView bytes, ReadBinary());
  return AsChars(bytes);
}

Result<std::array<uint8_t, 16>> CompactReader::ReadUuid() {
  CQLBULK_RETURN_IF_ERROR(Need(16, "uuid"));
  std::array<uint8_t, 16> value;
  std::memcpy(value.data(), pos_, 16);
  pos_ += 16;
  return value;
}

Status CompactReader::Skip(ThriftType type) { return SkipValue(type, /*is_element=*/false); }

Status CompactReader::SkipElement(ThriftType element_type) {
  return SkipValue(element_type, /*is_element=*/true);
}

Status CompactReader::SkipValue(ThriftType type, bool is_element) {
  switch (type) {
    case ThriftType::kBoolTrue:
    case ThriftType::kBoolFalse:
      if (is_element) {
        CQLBULK_RETURN_IF_ERROR(ReadBool());
      }
      return OkStatus();
    case ThriftType::kI8:
      CQLBULK_RETURN_IF_ERROR(ReadI8());
      return OkStatus();
    case ThriftType::kI16:
    case ThriftType::kI32:
    case ThriftType::kI64: {
      CQLBULK_RETURN_IF_ERROR(ReadVarint());
      return OkStatus();
    }
    case ThriftType::kDouble:
      CQLBULK_RETURN_IF_ERROR(Need(8, "double"));
      pos_ += 8;
      return OkStatus();
    case ThriftType::kUuid:
      CQLBULK_RETURN_IF_ERROR(Need(16, "uuid"));
      pos_ += 16;
      return OkStatus();
    case ThriftType::kBinary: {
      CQLBULK_RETURN_IF_ERROR(ReadBinary());
      return OkStatus();
    }
    case ThriftType::kList:
    case ThriftType::kSet: {
      if (depth_ >= max_depth_) [[unlikely]] {
        return CorruptAt(position(), "nesting deeper than " + std::to_string(max_depth_));
      }
      CQLBULK_ASSIGN_OR_RETURN(ThriftListHeader list, ReadListHeader());
      ++depth_;
      for (uint32_t i = 0; i < list.size; ++i) {
        CQLBULK_RETURN_IF_ERROR(SkipElement(list.element_type));
      }
      --depth_;
      return OkStatus();
    }
    case ThriftType::kMap: {
      if (depth_ >= max_depth_) [[unlikely]] {
        return CorruptAt(position(), "nesting deeper than " + std::to_string(max_depth_));
      }
      CQLBULK_ASSIGN_OR_RETURN(ThriftMapHeader map, ReadMapHeader());
      ++depth_;
      for (uint32_t i = 0; i < map.size; ++i) {
        CQLBULK_RETURN_IF_ERROR(SkipElement(map.key_type));
        CQLBULK_RETURN_IF_ERROR(SkipElement(map.value_type));
      }
      --depth_;
      return OkStatus();
    }
    case ThriftType::kStruct: {
      CQLBULK_RETURN_IF_ERROR(BeginStruct());
      for (;;) {
        CQLBULK_ASSIGN_OR_RETURN(ThriftFieldHeader field, ReadFieldHeader());
        if (field.type == ThriftType::kStop) {
          break;
        }
        CQLBULK_RETURN_IF_ERROR(Skip(field.type));
      }
      EndStruct();
      return OkStatus();
    }
    case ThriftType::kStop:
      break;
  }
  return CorruptAt(position(), "cannot skip a value of type " +
                                   std::to_string(static_cast<int>(type)));
}

}  // namespace cqlbulk::formats::parquet
