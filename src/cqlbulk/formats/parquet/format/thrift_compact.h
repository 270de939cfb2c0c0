// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/data/buffer.h"

/// The Thrift compact protocol (apache/thrift doc/specs/thrift-compact-protocol.md), the
/// encoding of Parquet's footer and page headers: structs, lists, sets, maps and scalars. No
/// messages (Parquet has none).
namespace cqlbulk::formats::parquet {

/// \brief The 4-bit type codes of the compact protocol.
///
/// In a field header a bool's value is its type (kBoolTrue, kBoolFalse) and nothing follows.
/// As a list, set or map element a bool has the type kBool (2; readers also take 1, which
/// the Java and C++ libraries write) and each element is one byte (1 true, 0 or 2 false).
enum class ThriftType : uint8_t {
  kStop = 0,
  kBoolTrue = 1,
  kBoolFalse = 2,
  kI8 = 3,
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,  ///< binary and string
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,  ///< struct and union
  kUuid = 13,    ///< 16 bytes, no length
  kBool = 2,     ///< the element type of bools in lists, sets and maps
};

/// "i32", "struct", "bool" (for both field bool types), ...; "invalid" for other codes.
std::string_view ThriftTypeName(ThriftType type);

/// \brief A field header: the field's type and id (kStop ends the struct, id 0).
struct ThriftFieldHeader {
  ThriftType type = ThriftType::kStop;
  int16_t id = 0;

  bool is_bool() const noexcept {
    return type == ThriftType::kBoolTrue || type == ThriftType::kBoolFalse;
  }
  /// A bool field's value (it lives in the header).
  bool bool_value() const noexcept { return type == ThriftType::kBoolTrue; }
};

/// \brief A list or set header: element type (bools as kBool) and number of elements.
struct ThriftListHeader {
  ThriftType element_type = ThriftType::kStop;
  uint32_t size = 0;
};

/// \brief A map header (key and value types are kStop for an empty map).
struct ThriftMapHeader {
  ThriftType key_type = ThriftType::kStop;
  ThriftType value_type = ThriftType::kStop;
  uint32_t size = 0;
};

/// Zigzag mappings of the spec: 0, -1, 1, -2 ... to 0, 1, 2, 3 ...
inline uint64_t ZigZagEncode(int64_t v) noexcept {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
inline int64_t ZigZagDecode(uint64_t v) noexcept {
  return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}

/// \brief Appends compact-protocol values to a buffer.
///
/// Every struct, the outermost one too, is written between BeginStruct() and EndStruct();
/// the writer keeps the last field id of each open struct, so field ids are written as
/// deltas when they grow by 1 to 15 and in the long form otherwise. Misuse (a field outside
/// a struct, more than kMaxDepth nested structs, unbalanced EndStruct) is a bug: it aborts.
class CompactWriter {
 public:
  static constexpr int kMaxDepth = 64;

  explicit CompactWriter(data::Buffer& out) noexcept : out_(out) {}

  data::Buffer& buffer() noexcept { return out_; }
  /// Structs open now.
  int depth() const noexcept { return depth_; }

  /// Opens a struct (or union): its field ids start from 0.
  void BeginStruct();
  /// Writes the stop field and closes the innermost struct.
  void EndStruct();

  /// A field header; the value follows (use the Write* of the type). Bools: WriteBoolField.
  void WriteFieldHeader(ThriftType type, int16_t id);
  void WriteBoolField(int16_t id, bool value);
  void WriteI8Field(int16_t id, int8_t value);
  void WriteI16Field(int16_t id, int16_t value);
  void WriteI32Field(int16_t id, int32_t value);
  void WriteI64Field(int16_t id, int64_t value);
  void WriteDoubleField(int16_t id, double value);
  void WriteBinaryField(int16_t id, BytesView value);
  void WriteStringField(int16_t id, std::string_view value) { WriteBinaryField(id, AsBytes(value)); }
  /// The header of a struct field, then BeginStruct(): close it with EndStruct().
  void BeginStructField(int16_t id);
  /// The header of a list field and the list header: `size` elements follow.
  void BeginListField(int16_t id, ThriftType element_type, uint32_t size);
  void BeginSetField(int16_t id, ThriftType element_type, uint32_t size);
  void BeginMapField(int16_t id, ThriftType key_type, ThriftType value_type, uint32_t size);

  /// Values: list, set and map elements, and field values after WriteFieldHeader.
  void WriteListHeader(ThriftType element_type, uint32_t size);
  void WriteSetHeader(ThriftType element_type, uint32_t size);
  void WriteMapHeader(ThriftType key_type, ThriftType value_type, uint32_t size);
  /// An element bool: one byte, 1 or 2 (false is 2, as the Java and C++ libraries write).
  void WriteBool(bool value) { out_.Append(static_cast<uint8_t>(value ? 1 : 2)); }
  void WriteI8(int8_t value) { out_.Append(static_cast<uint8_t>(value)); }
  void WriteI16(int16_t value) { WriteVarint(ZigZagEncode(value)); }
  void WriteI32(int32_t value) { WriteVarint(ZigZagEncode(value)); }
  void WriteI64(int64_t value) { WriteVarint(ZigZagEncode(value)); }
  void WriteDouble(double value);
  void WriteBinary(BytesView value);
  void WriteString(std::string_view value) { WriteBinary(AsBytes(value)); }
  void WriteUuid(const std::array<uint8_t, 16>& value) { out_.Append(BytesView(value)); }
  /// An unsigned LEB128 varint (1 to 10 bytes).
  void WriteVarint(uint64_t value);

 private:
  void WriteCollectionHeader(ThriftType element_type, uint32_t size);

  data::Buffer& out_;
  std::array<int16_t, kMaxDepth> last_field_ids_{};
  int depth_ = 0;
};

/// \brief Reads compact-protocol values from borrowed bytes.
///
/// Every read checks the remaining input: a varint of more than 10 bytes (or too wide for its
/// type), a length or element count past the end, an unknown type code and nesting deeper than
/// `max_depth` (the structs open through BeginStruct, plus the structs, lists, sets and maps
/// that Skip walks into) are kCorrupt errors that give the byte offset from the start of the
/// data: "thrift: truncated varint at byte 17". After an error the reader's position and depth
/// are unspecified. Not thread-safe.
class CompactReader {
 public:
  static constexpr int kMaxDepth = 64;

  /// `max_depth` is clamped to 1..kMaxDepth.
  explicit CompactReader(BytesView data, int max_depth = kMaxDepth) noexcept;

  /// Bytes read so far (the offset of the next byte).
  size_t position() const noexcept { return static_cast<size_t>(pos_ - begin_); }
  size_t remaining() const noexcept { return static_cast<size_t>(end_ - pos_); }
  /// Structs open now.
  int depth() const noexcept { return depth_; }

  /// Enters a struct: its field ids start from 0. kCorrupt past the depth limit.
  Status BeginStruct();
  /// Leaves the innermost struct (after ReadFieldHeader returned kStop).
  void EndStruct() noexcept { --depth_; }

  /// The next field header of the innermost struct; kStop (id 0) at its end.
  Result<ThriftFieldHeader> ReadFieldHeader();
  /// A list or set header; the size is checked against the bytes left (an element takes at
  /// least one byte, a double 8, a uuid 16).
  Result<ThriftListHeader> ReadListHeader();
  /// A map header, checked as ReadListHeader (a key and value take at least 2 bytes).
  Result<ThriftMapHeader> ReadMapHeader();

  /// An element bool (one byte: 1 true, 0 or 2 false).
  Result<bool> ReadBool();
  Result<int8_t> ReadI8();
  Result<int16_t> ReadI16();
  Result<int32_t> ReadI32();
  Result<int64_t> ReadI64();
  Result<double> ReadDouble();
  /// A view of the next binary or string value (no copy; valid as long as the data).
  Result<BytesView> ReadBinary();
  Result<std::string_view> ReadString();
  Result<std::array<uint8_t, 16>> ReadUuid();
  /// An unsigned varint of at most 10 bytes that fits in 64 bits.
  Result<uint64_t> ReadVarint() {
    if (pos_ < end_ && *pos_ < 0x80) [[likely]] {
      return *pos_++;
    }
    return ReadVarintSlow();
  }

  /// Skips a field's value of type `type` (a bool field has none) or, for kList, kSet, kMap
  /// and kStruct, the whole nested value; unknown codes are kCorrupt.
  Status Skip(ThriftType type);
  /// Skips one list, set or map element of type `element_type` (a bool takes one byte).
  Status SkipElement(ThriftType element_type);

  /// kCorrupt "thrift: <what> at byte <offset>".
  Error CorruptAt(size_t offset, std::string_view what) const;

 private:
  Result<uint64_t> ReadVarintSlow();
  Result<uint32_t> ReadSize(size_t at, std::string_view what);
  Result<ThriftType> ElementType(uint8_t code, size_t at) const;
  Status Need(size_t n, std::string_view what) const;
  Status SkipValue(ThriftType type, bool is_element);

  const uint8_t* begin_;
  const uint8_t* pos_;
  const uint8_t* end_;
  int max_depth_;
  int depth_ = 0;
  std::array<int16_t, kMaxDepth> last_field_ids_{};
};

}  // namespace cqlbulk::formats::parquet
